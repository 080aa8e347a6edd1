#!/bin/sh
# Precision: what a careful scanner leaves alone, and the client-side
# exposure findings. Every key is built at run time from pieces.
. "$(dirname "$0")/lib.sh"

hexn() { rand_str "$1" 'a-f0-9'; }

test_expect_success 'placeholders, templates and environment lookups do not block' '
	new_repo r && cd r &&
	cat >app.py <<-EOF &&
	OPENAI_API_KEY = "s""k-your-api-key-here"
	api_key = "\${API_KEY}"
	token = "{{ vault_token }}"
	secret = os.environ["APP_SECRET"]
	password = "changeme"
	GITHUB_TOKEN = "<YOUR_GITHUB_TOKEN>"
	auth_token = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	client_secret = "abcdefghijklmnopqrstuvwxyz"
	EOF
	git add app.py &&
	test_allowed git commit -qm placeholders
'

test_expect_success 'vendor documentation keys and test-mode keys do not block' '
	new_repo r && cd r &&
	{
		a=wJalrXUtnFEMI b=K7MDENG c=bPxRfiCYEXAMPLEKEY
		echo "aws_access_key_id = AK""IAIOSFODNN7EXAMPLE"
		echo "aws_secret_access_key = $a/$b/$c"
		echo "stripe.api_key = \"s""k_test_$(rand_str 24)\""
		echo "NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY=p""k_live_$(rand_str 40)"
	} >docs.md &&
	git add docs.md &&
	test_allowed git commit -qm docs
'

test_expect_success 'hashes, integrity values and public keys do not block' '
	new_repo r && cd r &&
	{
		echo "cache_key_sha256 = \"$(hexn 64)\""
		echo "release_token_commit = \"$(hexn 40)\""
		echo "\"integrity_key\": \"sha512-$(rand_str 86 A-Za-z0-9+/)==\""
		echo "public_key = \"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA$(rand_str 200 A-Za-z0-9+/)\""
		echo "deploy_key = \"AAAAC3NzaC1lZDI1NTE5AAAAI$(rand_str 43 A-Za-z0-9+/)\""
		echo "logo_key = \"data:image/png;base64,$(rand_str 200 A-Za-z0-9+/)\""
	} >meta.py &&
	git add meta.py &&
	test_allowed git commit -qm meta
'

test_expect_success 'a ghp_ token with a wrong checksum is not a GitHub token' '
	new_repo r && cd r &&
	body=$(rand_str 30) &&
	good="gh""p_$body$(crc32_base62 "$body")" &&
	echo "t = \"gh""p_${body}000000\"" >bad.txt && git add bad.txt &&
	test_allowed git commit -qm bad &&
	echo "t = \"$good\"" >good.txt && git add good.txt &&
	test_blocked git commit -qm good && grep -q github-token out.txt
'

test_expect_success 'a real-looking key in a generic assignment blocks' '
	new_repo r && cd r &&
	echo "payments_api_key = \"$(rand_str 32)\"" >cfg.py && git add cfg.py &&
	test_blocked git commit -qm generic && grep -q generic-secret-assignment out.txt
'

test_expect_success 'a generic password in a test file passes; the same in source blocks' '
	new_repo r && cd r &&
	pw=$(rand_str 14) &&
	mkdir -p tests/integration src &&
	echo "password = \"$pw\"" >tests/integration/test_login.py && git add tests &&
	test_allowed git commit -qm test-fixture &&
	echo "password = \"$pw\"" >src/db.py && git add src &&
	test_blocked git commit -qm source && grep -q generic-password-assignment out.txt
'

test_expect_success 'a secret in a NEXT_PUBLIC_ variable gets the client-side rule and message' '
	new_repo r && cd r &&
	echo "NEXT_PUBLIC_ADMIN_TOKEN=$(rand_str 40)" >.env.local && git add .env.local &&
	test_blocked git commit -qm env &&
	grep -q client-side-exposed-secret out.txt &&
	grep -q "JavaScript bundle" out.txt
'

test_expect_success 'a public-by-design NEXT_PUBLIC_ value does not block' '
	new_repo r && cd r &&
	mkdir -p ci && echo "export NEXT_PUBLIC_SUPABASE_ANON_KEY=$(rand_str 30)" >ci/env.sh &&
	echo "export NEXT_PUBLIC_ALGOLIA_SEARCH_KEY=$(hexn 32)" >>ci/env.sh && git add ci &&
	test_allowed git commit -qm public
'

test_expect_success 'dangerouslyAllowBrowser with a literal key blocks as client-side' '
	new_repo r && cd r &&
	printf "const c = new Groq({\n  apiKey: \"gs""k_%s\",\n  dangerouslyAllowBrowser: true,\n});\n" "$(rand_str 52)" >chat.ts &&
	git add chat.ts &&
	test_blocked git commit -qm browser && grep -q client-side-sdk-key out.txt
'

test_done
