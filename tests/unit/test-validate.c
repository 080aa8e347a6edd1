/*
 * test-validate.c — the checksum and structure validators rules can name.
 *
 * Tokens are assembled from pieces at run time so that this file holds no
 * string a secret scanner would flag. The checksums were computed with an
 * independent implementation (Python's zlib.crc32 and a base62 encoder);
 * one vector is the example published with the description of GitHub's
 * token format.
 */
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "validate.h"

static char tokbuf[512];

static const char *cat3(const char *a, const char *b, const char *c)
{
	snprintf(tokbuf, sizeof(tokbuf), "%s%s%s", a, b, c);
	return tokbuf;
}

static int run(const char *name, const char *s)
{
	validator_fn f = validator_find(name);

	return f ? f(s, strlen(s)) : -1;
}

int main(void)
{
	size_t i, n = 0;

	/* The table and the lookup agree. */
	for (i = 0; validator_names[i]; i++, n++)
		ok(validator_find(validator_names[i]) != NULL, "validator '%s' is found", validator_names[i]);
	ok(n >= 4, "at least four validators (%zu)", n);
	ok(validator_find("no-such-validator") == NULL, "unknown name gives NULL");
	ok(validator_find("") == NULL, "empty name gives NULL");

	/* github-crc32 */
	ok(run("github-crc32", cat3("gh" "p_", "zQWBuTSOoRi4A9spHcVY5ncnsDkxkJ", "0mLq17")) == 1,
	   "github: published example checksum verifies");
	ok(run("github-crc32", cat3("gh" "o_", "abcdefghijABCDEFGHIJ0123456789", "2C2O59")) == 1,
	   "github: gho_ token with a right checksum");
	ok(run("github-crc32", cat3("gh" "s_", "Kx7QpL2mN9vR4tY6wZ1aB3cD5eF8gH", "2cDHxN")) == 1,
	   "github: ghs_ token with a right checksum");
	ok(run("github-crc32", cat3("gh" "p_", "zQWBuTSOoRi4A9spHcVY5ncnsDkxkJ", "0mLq18")) == 0,
	   "github: last digit off by one fails");
	ok(run("github-crc32", cat3("gh" "p_", "zQWBuTSOoRi4A9spHcVY5ncnsDkxkK", "0mLq17")) == 0,
	   "github: one entropy character changed fails");
	ok(run("github-crc32", cat3("gh" "p_", "zQWBuTSOoRi4A9spHcVY5ncnsDkxk", "0mLq17")) == 0,
	   "github: one character short fails");
	ok(run("github-crc32", cat3("gh" "x_", "zQWBuTSOoRi4A9spHcVY5ncnsDkxkJ", "0mLq17")) == 0,
	   "github: unknown prefix letter fails");
	ok(run("github-crc32", cat3("gh" "p_", "zQWBuTSOoRi4A9spHcVY5ncnsDkx-J", "0mLq17")) == 0,
	   "github: non-base62 character fails");
	ok(run("github-crc32", cat3("gh" "p_", "zQWBuTSOoRi4A9spHcVY5ncnsDkxkJ", "zzzzzz")) == 0,
	   "github: checksum above 2^32 fails");
	ok(run("github-crc32", "") == 0, "github: empty input fails");
	ok(run("github-crc32", cat3("np" "m_", "zQWBuTSOoRi4A9spHcVY5ncnsDkxkJ", "0mLq17")) == 0,
	   "github: an npm token is not a GitHub token");

	/* npm-crc32: same scheme, npm_ prefix */
	ok(run("npm-crc32", cat3("np" "m_", "abcdefghijABCDEFGHIJ0123456789", "2C2O59")) == 1,
	   "npm: right checksum");
	ok(run("npm-crc32", cat3("np" "m_", "abcdefghijABCDEFGHIJ0123456789", "2C2O5A")) == 0,
	   "npm: wrong checksum");
	ok(run("npm-crc32", cat3("gh" "p_", "abcdefghijABCDEFGHIJ0123456789", "2C2O59")) == 0,
	   "npm: a GitHub token is not an npm token");

	/* base64-userpass */
	ok(run("base64-userpass", "ZGVwbG95Olp0OXFMMnhWN21ONHBSOHM=") == 1, "userpass: user:password");
	ok(run("base64-userpass", "ZGVwbG95Olp0OXFMMnhWN21ONHBSOHM") == 1, "userpass: padding optional");
	ok(run("base64-userpass", "OnRva2Vu") == 1, "userpass: empty user, token as password");
	ok(run("base64-userpass", "bm90YWNvbG9uc3RyaW5n") == 0, "userpass: no colon fails");
	ok(run("base64-userpass", "dXNlcjo=") == 0, "userpass: empty password fails");
	ok(run("base64-userpass", "AAECAwQFBgc6") == 0, "userpass: binary fails");
	ok(run("base64-userpass", "not base64!") == 0, "userpass: not base64 fails");

	/* jwt: header.payload.signature */
	{
		const char *hs256 = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";	/* {"alg":"HS256","typ":"JWT"} */
		const char *none = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0";	/* {"alg":"none","typ":"JWT"} */
		const char *body = "eyJzdWIiOiJ1c2VyLTQyIiwic2NvcGUiOiJhZG1pbiJ9";	/* {"sub":"user-42","scope":"admin"} */
		const char *anon = "eyJpc3MiOiJzdXBhYmFzZSIsInJvbGUiOiJhbm9uIn0";	/* {"iss":"supabase","role":"anon"} */
		const char *sample = "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ";
		const char *sig = "Qm9ndXNTaWduYXR1cmVCeXRlc0Zvck9uZVVuaXRUZXN0";
		char t[512];

		snprintf(t, sizeof(t), "%s.%s.%s", hs256, body, sig);
		ok(run("jwt", t) == 1, "jwt: signed HS256 token");
		snprintf(t, sizeof(t), "%s.%s.", none, body);
		ok(run("jwt", t) == 0, "jwt: alg none without signature fails");
		snprintf(t, sizeof(t), "%s.%s.%s", none, body, sig);
		ok(run("jwt", t) == 0, "jwt: alg none fails even with bytes after it");
		snprintf(t, sizeof(t), "%s.%s.%s", hs256, anon, sig);
		ok(run("jwt", t) == 0, "jwt: Supabase anon key is public by design");
		snprintf(t, sizeof(t), "%s.%s.%s", hs256, sample, sig);
		ok(run("jwt", t) == 0, "jwt: the jwt.io documentation sample fails");
		snprintf(t, sizeof(t), "%s.%s", hs256, body);
		ok(run("jwt", t) == 0, "jwt: two parts fail");
		snprintf(t, sizeof(t), "%s.%s.%s", "bm90anNvbg", body, sig);
		ok(run("jwt", t) == 0, "jwt: header that is not JSON fails");
	}
	return tap_done();
}
