/* Unit tests: the file policy's name matching, content rules, built-in
 * data, [policy] overrides, and the .gitignore text of `leakgate init`. */
#include "tap.h"

#include <stdlib.h>

#include "buf.h"
#include "config.h"
#include "init.h"
#include "msg.h"
#include "policy.h"

/* The id of the policy that flags path with content (NULL: by name
 * only), or "-" when none does. */
static const char *judge(struct policy *p, const char *path, const char *content)
{
	const struct policy_rule *r;
	int needs = 0;

	r = policy_judge(p, path, content, content ? strlen(content) : 0, &needs);
	if (!r && needs && !content)
		return "?needs-content";
	return r ? r->id : "-";
}

/* A path that the glob pat matches: each '*' becomes "x". */
static char *example_path(const char *pat)
{
	struct buf b = BUF_INIT;

	for (; *pat; pat++)
		if (*pat == '*')
			buf_addc(&b, 'x');
		else
			buf_addc(&b, *pat);
	return buf_detach(&b, NULL);
}

static void test_name_match(void)
{
	ok(policy_name_match(".env", ".env"), ".env matches .env");
	ok(policy_name_match(".env", "a/b/.env"), ".env matches a/b/.env");
	ok(!policy_name_match(".env", "a/.env/x"), ".env does not match a file inside a .env dir");
	ok(!policy_name_match(".env", "src/env/index.js"), "no match: src/env/index.js");
	ok(!policy_name_match(".env.*", "env.d.ts"), "no match: env.d.ts");
	ok(policy_name_match(".env.*", "config/.env.staging"), ".env.* matches config/.env.staging");
	ok(policy_name_match("*.env", "deploy/app.env"), "*.env matches deploy/app.env");
	ok(!policy_name_match("*.env", "a.env/x.txt"), "'*' does not cross '/'");
	ok(policy_name_match(".aws/credentials", ".aws/credentials"), "two components, at the root");
	ok(policy_name_match(".aws/credentials", "home/u/.aws/credentials"), "two components, deep");
	ok(!policy_name_match(".aws/credentials", "credentials"), "fewer components: no match");
	ok(!policy_name_match(".aws/credentials", "x.aws/credentials"), "anchored to a component");
	ok(policy_name_match("/.aws/credentials", "a/.aws/credentials"), "a leading '/' is ignored");
	ok(policy_name_match("ID_RSA", "keys/id_rsa"), "letter case is ignored");
}

static void test_builtin(struct policy *p)
{
	static const char *const lookalikes[] = {
		"env.d.ts", "environment.ts", "src/env/index.js", "dotenv.py", "env",
		"src/vite-env.d.ts", ".envrc", ".environment", "envs/prod.yml",
		"id_rsa.pub", "keys/deploy_rsa.pub", "rsa.go", "README.env.md",
		"config.json", "package.json", "terraform.tf", "variables.tf",
		"history.txt", ".gitignore", "docs/credentials.md", "aws/credentials",
		".dockerignore", "kube/config", ".npmrc.md",
	};
	static const char *const templates[] = {
		".env.example", ".env.sample", ".env.template", ".env.dist", ".env.defaults",
		"config/.env.example", ".env.local.example", ".env.production.sample",
		"a/b/.env.test.template", ".env.staging.dist", ".env.ci.defaults",
	};
	size_t i, j;

	ok(p->n >= 15, "the built-in policy loads (%zu policies)", p->n);
	/* Every name of every policy routes to that policy. */
	for (i = 0; i < p->n; i++) {
		const struct policy_rule *r = &p->v[i];

		ok(r->reason && *r->reason && r->names.n, "policy %s has names and a reason", r->id);
		if (r->content)
			ok(policy_compile((struct policy_rule *)r) == 0, "policy %s: regex compiles", r->id);
		for (j = 0; j < r->names.n; j++) {
			char *path = example_path(r->names.v[j].s);
			const char *got = judge(p, path, NULL);

			if (r->content)
				is_str(got, "?needs-content", path);
			else
				is_str(got, r->id, path);
			free(path);
		}
	}
	/* (with some content: *.json is judged by content) */
	for (i = 0; i < sizeof(lookalikes) / sizeof(*lookalikes); i++)
		is_str(judge(p, lookalikes[i], "{\"name\": \"x\"}\n"), "-", lookalikes[i]);
	for (i = 0; i < sizeof(templates) / sizeof(*templates); i++)
		is_str(judge(p, templates[i], NULL), "-", templates[i]);
	is_str(judge(p, ".env.local", NULL), "env-file", ".env.local");
	is_str(judge(p, "a/.env.example.local", NULL), "env-file",
	       ".env.example.local is not a template");
	is_str(judge(p, "deploy/prod.env", NULL), "env-file", "deploy/prod.env");
	is_str(judge(p, ".ssh/github_ed25519", NULL), "private-key-file", "github_ed25519");
}

static void test_content(struct policy *p)
{
	struct buf key = BUF_INIT;

	buf_adds(&key, "-----BEGIN RSA PRIV");
	buf_adds(&key, "ATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIV");
	buf_adds(&key, "ATE KEY-----\n");
	is_str(judge(p, "tls/server.pem", key.ptr), "pem-private-key", "a .pem with a private key");
	is_str(judge(p, "tls/server.key", key.ptr), "pem-private-key", "a .key with a private key");
	is_str(judge(p, "tls/ca.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"),
	       "-", "a .pem with only a certificate");
	is_str(judge(p, "sa.json", "{\"type\": \"service_account\",\n \"private_key\": \"-----BEGIN PRIV"
		     "ATE KEY-----\\nMII\"}"), "service-account-key", "service-account JSON");
	is_str(judge(p, "package.json", "{\"name\": \"x\", \"private\": true}"), "-", "package.json");
	is_str(judge(p, "credentials.json", "{\"installed\":{\"client_secret\":\"Qx7-abcdefgh\"}}"),
	       "credentials-json", "credentials.json with a client secret");
	is_str(judge(p, "credentials.json", "{\"installed\":{\"client_id\":\"x\"}}"), "-",
	       "credentials.json without a secret");
	is_str(judge(p, ".npmrc", "//registry.npmjs.org/:_authToken=npm_abcdef123\n"),
	       "npmrc-credentials", ".npmrc with a token");
	is_str(judge(p, ".npmrc", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\nsave-exact=true\n"),
	       "-", ".npmrc with an environment reference");
	is_str(judge(p, ".yarnrc.yml", "npmAuthToken: \"abc123def\"\n"), "yarnrc-credentials",
	       ".yarnrc.yml with a token");
	is_str(judge(p, ".yarnrc.yml", "npmAuthToken: \"${NPM_TOKEN}\"\nnodeLinker: node-modules\n"),
	       "-", ".yarnrc.yml with an environment reference");
	is_str(judge(p, ".yarnrc.yml", "npmAuthToken:\nnodeLinker: pnp\n"), "-",
	       ".yarnrc.yml with an empty token");
	is_str(judge(p, ".pypirc", "[pypi]\nusername = __token__\npassword = pypi-AgEIcHlwaS5vcmc\n"),
	       "pypirc-credentials", ".pypirc with a password");
	is_str(judge(p, ".pypirc", "[distutils]\nindex-servers = pypi\n"), "-", ".pypirc without");
	is_str(judge(p, ".netrc", "machine example.com login me password s3cr3t\n"),
	       "netrc-credentials", ".netrc with a password");
	is_str(judge(p, ".netrc", "machine example.com login me\n"), "-", ".netrc without");
	is_str(judge(p, ".git-credentials", "https://me:ghp_abc@github.com\n"), "git-credentials",
	       ".git-credentials");
	is_str(judge(p, ".pgpass", "db.example.com:5432:app:me:hunter22\n"), "pgpass", ".pgpass");
	is_str(judge(p, ".pgpass", "# host:port:db:user:password\n"), "-", ".pgpass, comment only");
	is_str(judge(p, "ci/.docker/config.json", "{\"auths\":{\"r.io\":{\"auth\":\"dXNlcjpwYXNz\"}}}"),
	       "docker-config-credentials", ".docker/config.json with auth");
	is_str(judge(p, ".docker/config.json", "{\"auths\":{\"r.io\":{}},\"credsStore\":\"desktop\"}"),
	       "-", ".docker/config.json with a credential helper");
	is_str(judge(p, ".aws/credentials", "[default]\naws_secret_access_key = abcd/efgh\n"),
	       "aws-credentials-file", ".aws/credentials with a key");
	is_str(judge(p, ".aws/config", "[default]\nregion = eu-west-1\n"), "-", ".aws/config, region");
	is_str(judge(p, ".kube/config", "users:\n- name: a\n  user:\n    token: eyJhbGciOi\n"),
	       "kubeconfig-credentials", "kubeconfig with a token");
	is_str(judge(p, "kubeconfig", "users:\n- name: a\n  user:\n    exec:\n      command: aws\n"),
	       "-", "kubeconfig with an exec plugin");
	is_str(judge(p, "prod.tfvars", "region = \"eu-west-1\"\ndb_password = \"Tr0ub4dor&3\"\n"),
	       "tfvars-secrets", "tfvars with a password");
	is_str(judge(p, "prod.tfvars", "region = \"eu-west-1\"\ninstance_type = \"t3.micro\"\n"),
	       "-", "tfvars without secrets");
	buf_release(&key);
}

static void test_check_file(void)
{
	struct policy *p = NULL;
	struct findings f;

	memset(&f, 0, sizeof(f));
	ok(policy_new(&p, NULL, NULL, &f, NULL) == 0, "policy for policy_check_file");
	ok(policy_check_file(p, "deploy/.env", "A=1\n", 4) == 1, "a .env file on disk is flagged");
	ok(policy_check_file(p, "ca.pem", "-----BEGIN CERTIFICATE-----\n", 28) == 0,
	   "a certificate is not");
	ok(f.n == 1 && f.v[0].kind == KIND_POLICY && !strcmp(f.v[0].rule_id, "env-file") &&
	   f.v[0].line == 0 && strstr(f.v[0].remediation, "git rm --cached deploy/.env"),
	   "one policy finding, line null, with the advice");
	policy_free(p);
	findings_release(&f);
}

static void test_overrides(void)
{
	struct config c;
	struct policy *p = NULL;
	static const char ini[] =
		"[policy]\nforbid = secrets.yml, *.secret\nallow = .env.test\n";

	config_init(&c);
	ok(config_load_text(&c, "test.ini", ini, strlen(ini), 0) == 0, "[policy] parses");
	ok(policy_new(&p, &c, NULL, NULL, NULL) == 0, "policy with overrides");
	is_str(judge(p, "deploy/secrets.yml", NULL), "forbidden-file", "[policy] forbid");
	is_str(judge(p, "a.secret", NULL), "forbidden-file", "[policy] forbid glob");
	is_str(judge(p, ".env.test", NULL), "-", "[policy] allow");
	is_str(judge(p, ".env.prod", NULL), "env-file", "others still flagged");
	policy_free(p);
	config_release(&c);

	config_init(&c);
	ok(config_load_text(&c, "t.ini", "[policy]\nforbidd = x\n", 21, 0) < 0,
	   "an unknown [policy] key is an error");
	config_release(&c);
}

static void test_bad_data(void)
{
	struct policy *p = NULL;
	static const char *const bad[] = {
		"[policy \"a\"]\nnames = x\n",				/* no reason */
		"[policy \"a\"]\nnames = x\nreason = r\nseverity = huge\n",
		"[policy \"a\"]\nnames = x\nreason = r\nfoo = 1\n",
		"[policy \"a\"]\nnames = x\nreason = r\n[policy \"a\"]\nnames = y\n",
		"[rules]\nnames = x\n",
	};
	size_t i;

	ok(policy_new(&p, NULL, NULL, NULL, NULL) == 0, "built-ins load");
	{
		static const char re[] = "[policy \"bad-re\"]\nnames = x\nreason = r\ncontent = (\n";
		int needs;

		ok(policy_load_text(p, "re.ini", re, strlen(re)) == 0, "a bad regex loads (lazy)");
		ok(policy_compile(&p->v[p->n - 1]) < 0, "and fails to compile");
		ok(policy_judge(p, "x", "data", 4, &needs) == &p->v[p->n - 1],
		   "a policy whose regex fails flags the file (fail closed)");
	}
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		ok(policy_load_text(p, "bad.ini", bad[i], strlen(bad[i])) < 0, "bad policy %zu refused", i);
	policy_free(p);
}

static void test_ignore_lines(struct policy *p)
{
	struct strlist lines = { 0 };
	struct buf out = BUF_INIT;
	size_t n, i;
	int has_neg_after = 0;
	static const char old1[] = "node_modules/\n.env";	/* no final newline */
	static const char old2[] = "# mine\r\n.env\r\n.env.*\r\n*.env\r\n";

	policy_ignore_lines(p, &lines);
	ok(strlist_has(&lines, ".env") && strlist_has(&lines, ".env.*") &&
	   strlist_has(&lines, "!.env.example"), "ignore lines include .env and exceptions");
	char *line = NULL;
	for (i = 0; i < p->n; i++)
		if (!strcmp(p->v[i].id, "env-file")) {
			line = policy_ignore_line_for(&p->v[i], "config/.env.staging");
			is_str(line, ".env.*", "suggested line for .env.staging");
			free(line);
			line = policy_ignore_line_for(&p->v[i], ".env");
			is_str(line, ".env", "suggested line for .env");
			free(line);
			line = policy_ignore_line_for(&p->v[i], "a/.ENV");
			is_str(line, "/a/.ENV", "case differs: the exact path");
			free(line);
		}

	init_gitignore_text(&out, NULL, 0, &lines, &n);
	ok(n == lines.n && !strncmp(out.ptr, "# ", 2), "empty .gitignore: everything added");
	init_gitignore_text(&out, old1, strlen(old1), &lines, &n);
	ok(n == lines.n - 1 && out.ptr[0] == '\n', "no final newline: one is added first");
	ok(!strstr(out.ptr, "\n.env\n"), ".env is not added twice");
	init_gitignore_text(&out, old2, strlen(old2), &lines, &n);
	for (i = 0; i < lines.n; i++)
		has_neg_after += lines.v[i][0] == '!';
	ok(n == (size_t)has_neg_after && strstr(out.ptr, "!.env.example\r\n"),
	   "all patterns present: only the exceptions are added, with CRLF");
	{
		struct buf all = BUF_INIT;

		buf_add(&all, old2, strlen(old2));
		buf_add(&all, out.ptr, out.len);
		init_gitignore_text(&out, all.ptr, all.len, &lines, &n);
		ok(n == 0 && out.len == 0, "a second run adds nothing");
		buf_release(&all);
	}
	{
		static const char old3[] = "!.env.example\n.env\n";

		init_gitignore_text(&out, old3, strlen(old3), &lines, &n);
		ok(strstr(out.ptr, ".env.*\n") && strstr(out.ptr, "!.env.example\n") &&
		   strstr(out.ptr, ".env.*\n") < strstr(out.ptr, "!.env.example\n"),
		   "exceptions are repeated after the added patterns");
	}
	buf_release(&out);
	strlist_release(&lines);
}

int main(void)
{
	struct policy *p = NULL;

	msg_init(COLOR_NEVER, -1);
	test_name_match();
	if (!ok(policy_new(&p, NULL, NULL, NULL, NULL) == 0, "policy_new with built-ins"))
		return tap_done();
	test_builtin(p);
	test_content(p);
	test_ignore_lines(p);
	policy_free(p);
	test_overrides();
	test_check_file();
	ok(policy_known_id("env-file") && policy_known_id("env-file-not-ignored") &&
	   policy_known_id("forbidden-file") && policy_known_id("shell-history"),
	   "policy ids are known");
	ok(!policy_known_id("env") && !policy_known_id("openai-legacy-key") &&
	   !policy_known_id("-not-ignored"), "other ids are not");
	test_bad_data();
	return tap_done();
}
