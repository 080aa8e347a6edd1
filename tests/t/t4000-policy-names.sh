#!/bin/sh
# File policy: forbidden names, content-dependent key files, templates,
# look-alike names. Secrets are built at run time from pieces.
. "$(dirname "$0")/lib.sh"

# put PATH [CONTENT]: write a file (parents created) and stage it.
put() {
	mkdir -p "$(dirname "$1")" &&
	printf '%s\n' "${2:-x = 1}" >"$1" &&
	git add -f -- "$1"
}
# policy_hit PATH RULE: out.json has a blocking policy finding for PATH.
policy_hit() {
	grep -F "\"path\":\"$1\"," out.json | grep -F '"kind":"policy"' |
		grep -F "\"rule\":\"$2\"" | grep -qF '"line":null,"column":null' ||
	{ echo "no $2 policy finding for $1" >&2; return 1; }
}
# no_policy PATH: out.json has no policy finding for PATH.
no_policy() {
	if grep -F "\"path\":\"$1\"," out.json | grep -qF '"kind":"policy"'; then
		echo "unexpected policy finding for $1" >&2; return 1
	fi
}
scan_json() {
	leakgate pre-commit --format json >out.json 2>err.txt
	rc=$?
	cat out.json err.txt
	[ $rc -le 1 ] || { echo "exit $rc" >&2; return 1; }
}

pem_key() { private_key_block; }
pem_cert() {
	printf -- '-----BEGIN CERTIFICATE-----\n%s\n-----END CERTIFICATE-----\n' \
		"$(rand_str 64 'A-Za-z0-9+/')"
}
tok() { rand_str 24; }

test_expect_success 'every built-in name by itself is blocked, with its reason' '
	new_repo r && cd r &&
	for p in .env .env.local .env.production config/.env.staging deploy/app.env \
		a/b/c/.env; do put "$p" "A=1"; done &&
	for p in id_rsa id_dsa id_ecdsa id_ed25519 id_ecdsa_sk id_ed25519_sk \
		keys/deploy_rsa .ssh/github_ed25519 old_dsa host_ecdsa keys/server.ppk; do
		put "$p"; done &&
	for p in a.p12 certs/a.pfx a.jks android/release.keystore a.jceks vault.kdbx; do
		put "$p"; done &&
	for p in terraform.tfstate terraform.tfstate.backup infra/prod.tfstate; do
		put "$p" "{}"; done &&
	for p in .bash_history .zsh_history .sh_history .ash_history .history .histfile \
		fish_history .python_history .node_repl_history .psql_history \
		.mysql_history .sqlite_history .rediscli_history .irb_history; do
		put "home/$p" "ls"; done &&
	scan_json &&
	for p in .env .env.local .env.production config/.env.staging deploy/app.env \
		a/b/c/.env; do policy_hit "$p" env-file || exit 1; done &&
	for p in id_rsa id_dsa id_ecdsa id_ed25519 id_ecdsa_sk id_ed25519_sk \
		keys/deploy_rsa .ssh/github_ed25519 old_dsa host_ecdsa keys/server.ppk; do
		policy_hit "$p" private-key-file || exit 1; done &&
	for p in a.p12 certs/a.pfx a.jks android/release.keystore a.jceks vault.kdbx; do
		policy_hit "$p" keystore-file || exit 1; done &&
	for p in terraform.tfstate terraform.tfstate.backup infra/prod.tfstate; do
		policy_hit "$p" terraform-state || exit 1; done &&
	for p in .bash_history .zsh_history .sh_history .ash_history .history .histfile \
		fish_history .python_history .node_repl_history .psql_history \
		.mysql_history .sqlite_history .rediscli_history .irb_history; do
		policy_hit "home/$p" shell-history || exit 1; done &&
	grep -q "environment files hold the real API keys" out.json &&
	grep -q "only the public half (.pub) belongs" out.json
'

test_expect_success 'files that hold credentials are blocked by name and content' '
	new_repo r && cd r &&
	pem_key >tls.pem && pem_key >server.key && git add tls.pem server.key &&
	put gcp/sa-prod.json "{\"type\": \"service_account\", \"private_key\": \"-----BEGIN PRIV""ATE KEY-----\\nMII$(tok)\"}" &&
	put credentials.json "{\"installed\": {\"client_secret\": \"$(tok)\"}}" &&
	put client_secret_42.apps.json "{\"web\": {\"client_secret\": \"$(tok)\"}}" &&
	put .npmrc "//registry.npmjs.org/:_authToken=$(tok)" &&
	put .yarnrc.yml "npmAuthToken: \"$(tok)\"" &&
	put legacy/.yarnrc "\"//registry.npmjs.org/:_authToken\" \"$(tok)\"" &&
	put .pypirc "$(printf "[pypi]\nusername = __token__\npassword = %s" "$(tok)")" &&
	put .netrc "machine example.com login me password $(tok)" &&
	put win/_netrc "machine example.com login me password $(tok)" &&
	put .git-credentials "https://me:$(tok)@github.com" &&
	put .pgpass "db.example.com:5432:app:me:$(tok)" &&
	put .docker/config.json "{\"auths\": {\"r.io\": {\"auth\": \"$(tok)\"}}}" &&
	put ci/.docker/config.json "{\"auths\": {\"r.io\": {\"identitytoken\": \"$(tok)\"}}}" &&
	put .aws/credentials "$(printf "[default]\naws_secret_access_key = %s" "$(tok)")" &&
	put home/.aws/config "$(printf "[profile x]\naws_session_token = %s" "$(tok)")" &&
	put .kube/config "$(printf "users:\n- name: a\n  user:\n    token: %s" "$(tok)")" &&
	put kubeconfig "$(printf "users:\n- user:\n    client-key-data: %s" "$(tok)")" &&
	put prod.kubeconfig "$(printf "users:\n- user:\n    password: %s" "$(tok)")" &&
	put prod.tfvars "$(printf "region = \"eu-west-1\"\ndb_password = \"%s\"" "$(tok)")" &&
	put env/secrets.auto.tfvars "api_key = \"$(tok)\"" &&
	put vars.tfvars.json "{\"admin_token\": \"$(tok)\"}" &&
	scan_json &&
	policy_hit tls.pem pem-private-key && policy_hit server.key pem-private-key &&
	policy_hit gcp/sa-prod.json service-account-key &&
	policy_hit credentials.json credentials-json &&
	policy_hit client_secret_42.apps.json credentials-json &&
	policy_hit .npmrc npmrc-credentials &&
	policy_hit .yarnrc.yml yarnrc-credentials && policy_hit legacy/.yarnrc yarnrc-credentials &&
	policy_hit .pypirc pypirc-credentials &&
	policy_hit .netrc netrc-credentials && policy_hit win/_netrc netrc-credentials &&
	policy_hit .git-credentials git-credentials && policy_hit .pgpass pgpass &&
	policy_hit .docker/config.json docker-config-credentials &&
	policy_hit ci/.docker/config.json docker-config-credentials &&
	policy_hit .aws/credentials aws-credentials-file &&
	policy_hit home/.aws/config aws-credentials-file &&
	policy_hit .kube/config kubeconfig-credentials &&
	policy_hit kubeconfig kubeconfig-credentials &&
	policy_hit prod.kubeconfig kubeconfig-credentials &&
	policy_hit prod.tfvars tfvars-secrets &&
	policy_hit env/secrets.auto.tfvars tfvars-secrets &&
	policy_hit vars.tfvars.json tfvars-secrets &&
	assert_no_secret out.json err.txt
'

test_expect_success 'the same names without credentials are allowed' '
	new_repo r && cd r &&
	pem_cert >ca.pem && pem_cert >tls/chain.pem 2>/dev/null || { mkdir tls && pem_cert >tls/chain.pem; } &&
	git add ca.pem tls/chain.pem &&
	put server.key "not a key, a lookup table" &&
	put package.json "{\"name\": \"x\", \"private\": true}" &&
	put credentials.json "{\"installed\": {\"client_id\": \"x.apps.googleusercontent.com\"}}" &&
	put .npmrc "$(printf "//registry.npmjs.org/:_authToken=\${NPM_TOKEN}\nsave-exact=true")" &&
	put .yarnrc.yml "$(printf "npmAuthToken: \"\${NPM_TOKEN}\"\nnodeLinker: node-modules")" &&
	put .pypirc "$(printf "[distutils]\nindex-servers = pypi")" &&
	put .netrc "machine example.com login me" &&
	put .pgpass "# host:port:database:user:password" &&
	put .docker/config.json "{\"auths\": {\"r.io\": {}}, \"credsStore\": \"desktop\"}" &&
	put .aws/config "$(printf "[default]\nregion = eu-west-1")" &&
	put .kube/config "$(printf "users:\n- user:\n    exec:\n      command: aws")" &&
	put prod.tfvars "$(printf "region = \"eu-west-1\"\ninstance_type = \"t3.micro\"")" &&
	test_allowed git commit -qm "configs without credentials" &&
	git rev-parse --verify -q HEAD
'

test_expect_success 'templates are allowed, and their content is still scanned' '
	new_repo r && cd r &&
	for p in .env.example .env.sample .env.template .env.dist .env.defaults \
		config/.env.example .env.local.example .env.production.sample \
		a/b/.env.test.template; do put "$p" "API_KEY=your-key-here"; done &&
	put id_rsa.pub "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI$(rand_str 43) me@host" &&
	put keys/deploy_rsa.pub "ssh-rsa AAAAB3NzaC1yc2E$(rand_str 40) ci" &&
	test_allowed git commit -qm templates &&
	echo "OPENAI_API_KEY=$(fake_key openai-proj)" >>.env.example && git add .env.example &&
	test_blocked git commit -qm "real key in a template" &&
	grep -q "openai-project-key" out.txt && ! grep -q "env-file " out.txt &&
	assert_no_secret out.txt
'

test_expect_success 'look-alike names are not .env files or keys' '
	new_repo r && cd r &&
	for p in env.d.ts src/vite-env.d.ts environment.ts src/environments/environment.prod.ts \
		src/env/index.js dotenv.py env .envrc .environment envs/prod.yml \
		README.env.md docs/env.md.txt rsa.go crypto_rsa.go id_rsa.pub.txt \
		history.txt docs/credentials.md aws/credentials kube/config .npmrc.md \
		terraform.tf variables.tf keystore.md pem.c; do
		put "$p" "value = 1" || exit 1
	done &&
	test_allowed git commit -qm "look-alikes" &&
	git rev-parse --verify -q HEAD
'

test_expect_success 'the text report explains how to unstage, ignore and rotate' '
	new_repo r && cd r &&
	put "config/.env.staging" "DB_PASSWORD=hunter2" &&
	test_blocked git commit -qm env &&
	grep -q "config/.env.staging  env-file  high" out.txt &&
	grep -q "git rm --cached config/.env.staging" out.txt &&
	grep -q "the line .\.env\.\*. in .gitignore" out.txt &&
	grep -q "!.env.example" out.txt &&
	grep -q "rotate every key" out.txt &&
	test_must_fail git rev-parse --verify -q HEAD
'

test_expect_success 'the advised git rm works on names with spaces and quotes' '
	new_repo r && cd r &&
	name="my dir/it'\''s \$HOME.env" &&
	put "$name" "A=1" &&
	test_blocked git commit -qm env &&
	cmd=$(sed -n "s/.*Unstage it (the file stays on disk): \(git rm --cached .*\) — then.*/\1/p" out.txt) &&
	echo "advice: $cmd" && test -n "$cmd" &&
	eval "$cmd" &&
	test -z "$(git ls-files)" && test -f "$name"
'

test_expect_success 'renamed and modified paths are judged; deleting one is the cure' '
	new_repo r && cd r &&
	put .env.example "A=" && git commit -qm template &&
	git mv .env.example .env &&
	test_blocked git commit -qm rename && grep -q "env-file" out.txt &&
	git commit -qm "committed anyway" --no-verify &&
	echo "B=2" >>.env && git add .env &&
	test_blocked git commit -qm modify &&
	git rm -q --cached .env && echo .env >.gitignore && git add .gitignore &&
	test_allowed git commit -qm "untrack .env"
'

test_expect_success 'symlinks and submodules named like secrets are not judged' '
	new_repo r && cd r &&
	ln -s ../shared/.env .env && git add .env &&
	git init -q sub && (cd sub && git commit -q --allow-empty -m s) &&
	git -c protocol.file.allow=always submodule -q add ./sub id_rsa 2>/dev/null ||
		git update-index --add --cacheinfo 160000,$(git -C sub rev-parse HEAD),id_rsa &&
	scan_json && no_policy .env && no_policy id_rsa
'

test_expect_success 'a merge does not re-flag a file the other branch already has' '
	new_repo r && cd r &&
	echo base >a.txt && git add a.txt && git commit -qm base &&
	git checkout -q -b side && put config/.env "A=1" && put x.txt "side" &&
	git commit -qm "side has a .env" --no-verify &&
	git checkout -q main && put y.txt "main" && git commit -qm main &&
	git merge -q --no-commit --no-ff side &&
	test_allowed git commit -qm "merge side" &&
	! grep -q "env-file" out.txt &&
	git checkout -q -b side2 HEAD~1 && git merge -q --no-commit --no-ff side &&
	echo "B=2" >>config/.env && git add config/.env &&
	test_blocked git commit -qm "merge, changing the .env" &&
	grep -q "config/.env  env-file" out.txt
'

test_expect_success '[policy] forbid and allow, [allow] rules' '
	new_repo r && cd r &&
	printf "[policy]\nforbid = secrets.yml, *.secret\nallow = .env.test\n[allow]\nrules = shell-history\n" >.leakgate.ini &&
	put deploy/secrets.yml "a: 1" && put x.secret "y" && put .env.test "A=1" &&
	put .bash_history "ls" && put .env.prod "A=1" &&
	scan_json &&
	policy_hit deploy/secrets.yml forbidden-file && policy_hit x.secret forbidden-file &&
	no_policy .env.test && no_policy .bash_history && policy_hit .env.prod env-file
'

test_expect_success '[allow] paths and rules apply to policy findings' '
	new_repo r && cd r &&
	printf "[allow]\npaths = tests/fixtures/\nrules = keystore-file\n" >.leakgate.ini &&
	git add .leakgate.ini &&
	put tests/fixtures/.env "A=1" && put tests/fixtures/id_rsa "x" &&
	put android/debug.keystore "x" && put .env.local "A=1" &&
	scan_json &&
	no_policy tests/fixtures/.env && no_policy tests/fixtures/id_rsa &&
	no_policy android/debug.keystore && policy_hit .env.local env-file
'

test_expect_success 'block = secret makes policy findings warnings' '
	new_repo r && cd r &&
	printf "[leakgate]\nblock = secret\n" >.leakgate.ini &&
	put .env "A=1" &&
	test_allowed git commit -qm "policy only warns" &&
	grep -q "env-file  high (warning)" out.txt
'

test_done
