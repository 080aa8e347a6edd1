#include "filter.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "allow.h"
#include "buf.h"
#include "msg.h"

struct filter {
	const struct config *c;
	/* The last line checked for a pragma: candidates come line by
	 * line, and a long line with many of them must be read once. */
	const char *pragma_line;
	size_t pragma_len;
	int pragma;
	struct allow *allow;
};

int filter_new(struct filter **out, const struct config *c)
{
	struct filter *f = xcalloc(1, sizeof(*f));

	f->c = c;
	*out = NULL;
	if (allow_new(&f->allow, c) < 0) {
		free(f);
		return -1;
	}
	*out = f;
	return 0;
}

void filter_free(struct filter *f)
{
	if (!f)
		return;
	allow_free(f->allow);
	free(f);
}

struct allow *filter_allow(struct filter *f)
{
	return f ? f->allow : NULL;
}

const char *filter_verdict_name(enum filter_verdict v)
{
	switch (v) {
	case FILTER_KEEP: return "kept";
	case FILTER_ENTROPY: return "entropy";
	case FILTER_VALIDATOR: return "checksum";
	case FILTER_PLACEHOLDER: return "placeholder";
	case FILTER_PRAGMA: return "pragma";
	case FILTER_ALLOWLIST: return "allowlist";
	}
	return "?";
}

double entropy_shannon(const char *s, size_t n)
{
	size_t count[256] = { 0 }, i;
	double h = 0;

	if (!n)
		return 0;
	for (i = 0; i < n; i++)
		count[(unsigned char)s[i]]++;
	for (i = 0; i < 256; i++) {
		double p;

		if (!count[i])
			continue;
		p = (double)count[i] / (double)n;
		h -= p * log2(p);
	}
	return h;
}

static const char *memmem_ci(const char *h, size_t hn, const char *needle)
{
	size_t nn = strlen(needle), i, j;

	if (nn == 0 || hn < nn)
		return NULL;
	for (i = 0; i + nn <= hn; i++) {
		for (j = 0; j < nn; j++)
			if (tolower((unsigned char)h[i + j]) != needle[j])
				break;
		if (j == nn)
			return h + i;
	}
	return NULL;
}

int filter_has_pragma(const char *line, size_t n)
{
	return memmem_ci(line, n, "leakgate:allow") || memmem_ci(line, n, "gitleaks:allow") ||
	       memmem_ci(line, n, "pragma: allowlist secret");
}

/*
 * Precision: reasons a confirmed match is still not a secret.
 *
 * Everything below looks only at the candidate (secret, its line, its path
 * and its rule) and answers "drop" or "keep". The checks are ordered from
 * cheap and certain to contextual. Rules with a negative priority are the
 * generic ones (assignments, headers, URLs): they get the contextual checks
 * too, because their patterns say little about the value itself.
 */

static int starts_with(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && memcmp(s, prefix, k) == 0;
}

/* memmem_ci() wants its needle in lower case; these lists are easier to
 * read in the case the text uses. */
static int has_ci(const char *s, size_t n, const char *needle)
{
	char low[64];
	size_t i, k = strlen(needle);

	if (k >= sizeof(low))
		return 0;
	for (i = 0; i <= k; i++)
		low[i] = (char)tolower((unsigned char)needle[i]);
	return memmem_ci(s, n, low) != NULL;
}

/* References to a secret kept elsewhere: environment lookups in the
 * common languages. */
static int is_code_reference(const char *s, size_t n)
{
	static const char *const refs[] = {
		"os.environ", "process.env", "getenv", "import.meta.env", "env[", "env(",
		"environ[", "secrets.", "vault:", "!vault", NULL
	};
	size_t i;

	static const char *const members[] = {
		"self.", "this.", "cls.", "ctx.", "props.", "config.", "settings.", "params.",
		"options.", "opts.", "args.", "state.", "request.", "req.", NULL
	};

	for (i = 0; refs[i]; i++)
		if (has_ci(s, n, refs[i]))
			return 1;
	for (i = 0; members[i]; i++)
		if (starts_with(s, n, members[i]))
			return 1;
	return 0;
}

/* Template and variable syntax of the languages and tools people commit:
 * ${VAR} $VAR $(cmd) {{ var }} <TOKEN> %VAR% <%= %> @VAR@. A real key has
 * none of these characters in these places. */
static int is_template(const char *s, size_t n)
{
	static const char *const marks[] = { "${", "$(", "{{", "}}", "<%", "%>", NULL };
	size_t i;

	for (i = 0; marks[i]; i++)
		if (memmem(s, n, marks[i], strlen(marks[i])))
			return 1;
	if ((memchr(s, '<', n) && memchr(s, '>', n)) || (memchr(s, '{', n) && memchr(s, '}', n)))
		return 1;
	if (n >= 2 && s[0] == '$' && (isalpha((unsigned char)s[1]) || s[1] == '_'))
		return 1;
	if (n >= 3 && ((s[0] == '%' && s[n - 1] == '%') || (s[0] == '@' && s[n - 1] == '@')))
		return 1;
	/* printf and format-string holes: %s %d %(name)s {0} {} */
	for (i = 0; i + 1 < n; i++)
		if ((s[i] == '%' && strchr("sdr(", s[i + 1])) ||
		    (s[i] == '{' && (s[i + 1] == '}' || (isdigit((unsigned char)s[i + 1]) &&
							 i + 2 < n && s[i + 2] == '}'))))
			return 1;
	return 0;
}

/* Words that mark a value as filler. The second list is only trusted for
 * generic rules: "test" or "demo" inside a 40-character random token of a
 * known format is chance, inside `password = "test1234"` it is not. */
static int has_filler_word(const char *s, size_t n, int generic)
{
	static const char *const always[] = {
		"xxxx", "****", "example", "placeholder", "changeme", "change_me",
		"change-me", "changeit", "redacted", "your_", "your-", "yourkey",
		"yourtoken", "yoursecret", "dummy", "sample", "replace_me", "replaceme",
		"replace-me", "insert_", "insert-", "notreal", "not_real", "not-real",
		"not-a-real", "fake", "lorem", "foobar", "todo", "fixme", NULL
	};
	static const char *const generic_only[] = {
		"test", "demo", "mock", "secret", "password", "passwd", "token", "apikey",
		"api_key", "api-key", "...", NULL
	};
	size_t i;

	for (i = 0; always[i]; i++)
		if (has_ci(s, n, always[i]))
			return 1;
	if (generic)
		for (i = 0; generic_only[i]; i++)
			if (has_ci(s, n, generic_only[i]))
				return 1;
	return 0;
}

/* Default and well-known weak passwords: nobody's production secret, and
 * everybody's docker-compose, tutorial and fixture. Compared after undoing
 * leetspeak (P@55w0rd) and dropping trailing digits and punctuation
 * (Password123!), whole-value and case-insensitive. */
static int is_default_password(const char *s, size_t n)
{
	static const char *const words[] = {
		"password", "passwd", "postgres", "root", "admin", "administrator", "secret",
		"pass", "test", "testing", "tester", "guest", "mysql", "redis", "rabbitmq", "user",
		"default", "qwerty", "letmein", "welcome", "hunter", "changeme", "changeit",
		"example", "sample", "demo", "supersecret", "mysecret", "mypassword", "testpass",
		"testpassword", "secretpassword", "admin", "toor", "abc", "iloveyou", "dragon",
		"monkey", "master", "login", "oracle", "sa", "ubuntu", "vagrant", "docker", "foo",
		"bar", "baz", "foobar", "xyz", "qwe", "asdf", NULL
	};
	char norm[64];
	size_t i, k = 0;

	if (n == 0 || n >= sizeof(norm))
		return 0;
	for (i = 0; i < n; i++) {
		char ch = (char)tolower((unsigned char)s[i]);

		switch (ch) {
		case '0': ch = 'o'; break;
		case '1': ch = 'i'; break;
		case '3': ch = 'e'; break;
		case '4': case '@': ch = 'a'; break;
		case '5': case '$': ch = 's'; break;
		case '7': ch = 't'; break;
		default: break;
		}
		norm[k++] = ch;
	}
	/* trailing digits and punctuation: Password123!, admin2024, secret_1 */
	while (k > 0 && (isdigit((unsigned char)s[k - 1]) || strchr("!?.#*_-+=~", s[k - 1])))
		k--;
	norm[k] = '\0';
	for (i = 0; words[i]; i++)
		if (!strcmp(norm, words[i]))
			return 1;
	return 0;
}

/* The vendors' own documentation keys and public emulator keys, which
 * appear in countless READMEs and test suites. Split so that this file
 * does not match the rules it filters for. */
static int is_vendor_example(const char *s, size_t n)
{
	static const char *const keys[] = {
		/* Azurite / Azure Storage emulator account key */
		"Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq"
		"/K1SZFPTOtr/KBHBeksoGMGw==",
		/* Azure Cosmos DB emulator key */
		"C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPM"
		"bIZnqyMsEcaGQy67XIw/Jw==",
		/* Mailgun API documentation key */
		"key-" "3ax6xnjp29jd6fds4gc373sgvjxteol0",
		/* discord.py documentation bot token */
		"MTk4NjIyNDgzNDcxOTI1MjQ4" ".Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs",
		/* Google Maps JavaScript API documentation key */
		"AIza" "SyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe",
		/* Telegram Bot API documentation token */
		"110201543:" "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
		/* OAuth 2.0 (RFC 6749) and OAuth 1.0 (RFC 5849) sample values */
		"2YotnFZFEjr1zCsicMWpAA", "tGzv3JOkF0XG5Qx2TlKWIA", "SplxlOBeZQQYbYS6WxSbIA",
		"7Fjfp0ZBr1KtDRbnfVdmIw", "czZCaGRSa3F0MzpnWDFmQmF0M2JW", "0685bd9184jfhq22",
		"ad180jjd733klru7", "kd94hf93k423kf44", "pfkkdhi9sl3r4s00", "hh5s93j4hdidpola",
		"nnch734d00sl2jdk", "dh893hdasih9",
		/* jwt.io sample signature */
		"SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
		NULL
	};
	size_t i;

	for (i = 0; keys[i]; i++)
		if (memmem(s, n, keys[i], strlen(keys[i])))
			return 1;
	return 0;
}

/* Prefixes of keys that are public or test-mode by design: Stripe and
 * others' publishable keys, Stripe test keys (documented: test-mode keys
 * move no money and are not reported), sandbox and test-index tokens. */
static int is_public_or_test_key(const char *s, size_t n)
{
	static const char *const prefixes[] = {
		"sk_test_", "rk_test_", "pk_test_", "pk_live_", "pk.eyJ", "sb_publishable_",
		"phc_", "EZTK", "FLWSECK_TEST", "FLWPUBK", "access_token$sandbox$",
		"pypi-AgENdGVzdC5weXBpLm9yZw", "access-sandbox-", "rzp_test_", "shippo_test_",
		"duffel_test_", "sandbox_", "sk_sandbox_", "FLWPUBK_TEST", "xkeysib-test", NULL
	};
	size_t i;

	for (i = 0; prefixes[i]; i++)
		if (starts_with(s, n, prefixes[i]))
			return 1;
	return 0;
}

/* Filler made of one character or a straight run: xxxx, 00000000,
 * abcdefghijklmnop, 1234567890. Runs of 'A' are exempt: Twitter bearer
 * tokens and Dropbox tokens carry long runs of 'A' by construction. */
static int is_low_information(const char *s, size_t n)
{
	size_t i, run = 1, steps = 0, pairs = 0;

	for (i = 1; i < n; i++) {
		unsigned char a = (unsigned char)s[i - 1], b = (unsigned char)s[i];

		run = a == b ? run + 1 : 1;
		if (run >= 8 && b != 'A')
			return 1;
		if (isalnum(a) && isalnum(b)) {
			pairs++;
			steps += b == a + 1 || b + 1 == a || a == b;
		}
	}
	if (pairs >= 8 && steps * 10 >= pairs * 8)
		return 1;
	/* interleaved runs: 1a2b3c4d5e6f */
	for (i = 2, run = 0, steps = 0; i < n; i++)
		if (isalnum((unsigned char)s[i]) && isalnum((unsigned char)s[i - 2])) {
			run++;
			steps += (unsigned char)s[i] == (unsigned char)s[i - 2] + 1;
		}
	return run >= 12 && steps * 10 >= run * 6;
}

static int is_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Two-letter words that appear inside names (SignOn, ById, ToString). */
static int is_short_word(const char *w, size_t n)
{
	static const char words[] =
		"on by id to of in at is or up my no do go if it me us we ok as an be so "
		"ui io db os ip js vm fs ts py rb gz tx rx";
	char low[3];

	if (n == 1)
		return 1;	/* a single capital: an initial, as in XMLHttpRequest's X */
	if (n != 2)
		return 0;
	low[0] = (char)tolower((unsigned char)w[0]);
	low[1] = (char)tolower((unsigned char)w[1]);
	low[2] = '\0';
	return strstr(words, low) != NULL && (strstr(words, low) - words) % 3 == 0;
}

/* Words of four letters or more have a vowel, but for the abbreviations
 * programmers write as words. */
static int word_has_vowel(const char *w, size_t n)
{
	static const char *const bare[] = {
		"html", "http", "https", "xhtml", "grpc", "mgmt", "xmls", "sftp", "smtp",
		"rgba", "wksp", "bkgd", "pswd", "pwds", "msgs", "cmds", "srcs", "pkgs", NULL
	};
	char low[8];
	size_t i;

	for (i = 0; i < n; i++)
		if (strchr("aeiouyAEIOUY", w[i]))
			return 1;
	if (n > 1 && w[n - 1] == 's')
		n--;	/* plurals: Vpcs, Acls */
	if (n < 4)
		return 1;
	if (n >= sizeof(low))
		return 0;
	for (i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)w[i]);
	low[n] = '\0';
	for (i = 0; bare[i]; i++)
		if (!strcmp(low, bare[i]))
			return 1;
	return 0;
}

/* One segment of a name (between separators) read as words: lowercase
 * words, Capitalised words, ACRONYMS, and digits only right after a word
 * (sha256, ed25519, v2) or as a segment of their own (2002, 256). Every word
 * after the first must have three letters or more: random letters make
 * two-letter camel humps (ecYdrUeK...) and letters right after digits. */
static int segment_is_words(const char *s, size_t n)
{
	size_t i = 0, words = 0, st, upper, len, runs = 0, acronyms = 0;

	for (i = 0; i < n && isdigit((unsigned char)s[i]); i++)
		;
	if (i == n)
		return n <= 8;
	i = 0;
	while (i < n) {
		st = i;
		if (isdigit((unsigned char)s[i])) {
			size_t low = 0, vow = 0;

			if (!words || ++runs > 2)
				return 0;	/* names carry one or two numbers */
			while (i < n && isdigit((unsigned char)s[i]))
				i++;
			/* after digits: a capital (Ed25519Key), one letter (k8s,
			 * i18n), or a word of four letters or more (v1alpha) */
			for (; i + low < n && islower((unsigned char)s[i + low]); low++)
				vow += strchr("aeiouy", s[i + low]) != NULL;
			if ((low == 1 && n <= 6) || (low >= 4 && vow)) {
				i += low;
				words++;
			} else if (low) {
				return 0;
			}
			continue;
		}
		if (isupper((unsigned char)s[i])) {
			for (upper = 0; i < n && isupper((unsigned char)s[i]); i++)
				upper++;
			if (i < n && islower((unsigned char)s[i])) {
				size_t lst = i;

				if (upper > 6)
					return 0;	/* no acronym is that long */
				while (i < n && islower((unsigned char)s[i]))
					i++;
				/* ACRONYMWord: the word is the last capital and the
				 * lowercase run after it; after an acronym the word
				 * is a real one (XMLHttp, IOError), once */
				len = i - st - (upper - 1);
				if (upper > 1 && (i - lst < 3 || ++acronyms > 2))
					return 0;
				if (!word_has_vowel(s + i - len, len))
					return 0;
				if (words && len < 3 && !is_short_word(s + i - len, len))
					return 0;
			} else if (upper >= 6 && !word_has_vowel(s + st, upper)) {
				return 0;
			}
		} else if (islower((unsigned char)s[i])) {
			while (i < n && islower((unsigned char)s[i]))
				i++;
			if (!word_has_vowel(s + st, i - st))
				return 0;
			if (words && i - st < 3 && !is_short_word(s + st, i - st))
				return 0;
		} else {
			return 0;
		}
		words++;
	}
	return 1;
}

/* Identifier, path or prose, not a credential: a path or a URL, or
 * segments (split at _ - . / : + ,) that each read as words. */
static int is_identifier_like(const char *s, size_t n)
{
	size_t i, st = 0, letters = 0, vowels = 0;

	if (starts_with(s, n, "/") || starts_with(s, n, "./") || starts_with(s, n, "~/") ||
	    memmem(s, n, "://", 3))
		return 1;
	/* Names are made of words, and words have vowels: about a third of
	 * their letters, against a fifth in random letters. */
	if (starts_with(s, n, "arn:"))
		return 1;	/* an AWS resource name */
	if (n > 1 && s[0] == '@')
		return is_identifier_like(s + 1, n - 1);
	for (i = 0; i < n; i++)
		if (islower((unsigned char)s[i])) {
			letters++;
			vowels += strchr("aeiouy", s[i]) != NULL;
		}
	if (letters >= 6 && vowels * 5 < letters)
		return 0;
	for (i = 0; i <= n; i++) {
		if (i < n && !strchr("_-./:+,[]()", s[i]))
			continue;
		if (i > st && !segment_is_words(s + st, i - st))
			return 0;
		st = i + 1;
	}
	return 1;
}

/* A generic rule's value that starts like a known token format: had it
 * been well formed, the specific rule would have flagged it (and wins on
 * priority); malformed, it is a fake or a truncated example. */
static int has_vendor_prefix(const char *s, size_t n)
{
	static const char *const prefixes[] = {
		"sk-", "sk_live_", "rk_live_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_",
		"glpat-", "gldt-", "glrt-", "xoxb-", "xoxp-", "xoxa-", "xapp-", "AKIA", "ASIA", "AIza",
		"hf_", "gsk_", "npm_", "pypi-", "SG.", "dop_v1_", "shpat_", "shpss_", "dckr_pat_",
		"HRKU-", "NRAK-", "lin_api_", "ntn_", "pplx-", "r8_", "xai-", "dapi", "hvs.", "ops_",
		"sntrys_", "sntryu_", "AGE-SECRET-KEY-", "GOCSPX-", "ya29.", "sbp_", "sb_secret_",
		NULL
	};
	size_t i;

	for (i = 0; prefixes[i]; i++)
		if (starts_with(s, n, prefixes[i]))
			return 1;
	return 0;
}

/* Names whose value is about a secret, not the secret: its id, name,
 * location, type or size (`api_key_id`, `secretName`, `token_url`). */
static int name_is_metadata(const char *before, size_t bn)
{
	static const char *const words[] = {
		"id", "ids", "arn", "name", "names", "url", "uri", "path", "file", "type", "length",
		"size", "len", "version", "header", "field", "format", "prefix", "env", "var",
		"endpoint", "alias", "count", "expiry", "expires", "ttl", "timeout", "region",
		"hash", "digest", "label", "ref", "location", "dir", "mode", "regex", "regexp",
		"pattern", "policy", "rule", "rules", "hint", "message", "msg", "text", "title",
		"error", "description", "prompt", "help", "placeholder", "example", "sample",
		"keywords", "keyword", "tag", "tags", NULL
	};
	size_t end = bn, start, i;
	char word[32];
	size_t wl = 0;

	/* skip back over the operator and quoting to the end of the name */
	while (end > 0 && strchr(" \t\"'`=:>(,[]?+.|&$@{", before[end - 1]))
		end--;
	start = end;
	while (start > 0 && (isalnum((unsigned char)before[start - 1]) || before[start - 1] == '_' ||
			     before[start - 1] == '-'))
		start--;
	if (start == end)
		return 0;
	/* the last word: after the last separator or at the last capital */
	for (i = end; i > start; i--) {
		char ch = before[i - 1];

		if (ch == '_' || ch == '-')
			break;
		if (isupper((unsigned char)ch) && i - 1 > start &&
		    islower((unsigned char)before[i - 2])) {
			i--;
			break;
		}
	}
	for (; i < end && wl + 1 < sizeof(word); i++)
		word[wl++] = (char)tolower((unsigned char)before[i]);
	word[wl] = '\0';
	for (i = 0; words[i]; i++)
		if (!strcmp(word, words[i]))
			return 1;
	return 0;
}

/* The text of the line before the secret, where the name of the variable
 * and any hash or data-URI context would be. */
static void line_before(const struct candidate *c, const char **p, size_t *n)
{
	*p = c->line;
	*n = c->secret >= c->line && c->secret <= c->line + c->line_len ?
		(size_t)(c->secret - c->line) : c->line_len;
}

/* Password hashes (crypt, bcrypt, argon2, Django, LDAP) and values that
 * are already encrypted (Jasypt, Vault transit, AWS KMS, SOPS, Ansible
 * Vault): neither is the credential itself. */
static int is_stored_hash_or_ciphertext(const char *s, size_t n)
{
	static const char *const prefixes[] = {
		"$2a$", "$2b$", "$2y$", "$argon2", "$1$", "$5$", "$6$", "$apr1$", "$pbkdf2",
		"$scrypt$", "pbkdf2_sha256$", "pbkdf2_sha1$", "argon2$", "bcrypt$", "sha1$",
		"{SSHA}", "{SHA}", "{SSHA256}", "{SSHA512}", "{CRYPT}", "scrypt:", "ENC(", "ENC[",
		"vault:v1:", "vault:v2:", "AQICAH", "$ANSIBLE_VAULT", NULL
	};
	size_t i;

	for (i = 0; prefixes[i]; i++)
		if (starts_with(s, n, prefixes[i]))
			return 1;
	return 0;
}

static int is_uuid(const char *s, size_t n)
{
	size_t i;

	if (n != 36)
		return 0;
	for (i = 0; i < n; i++) {
		int dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return 0;
	}
	return 1;
}

/* Base64 that decodes to printable text: the checks for filler apply to
 * the text too (a Kubernetes Secret holding base64 of "password"). */
static int decodes_to_filler(const char *s, size_t n)
{
	static const char tbl[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char out[256];
	size_t i, o = 0;
	unsigned acc = 0;
	int bits = 0;

	if (n < 8 || n % 4 || n > 4 * (sizeof(out) / 3))
		return 0;
	while (n && s[n - 1] == '=')
		n--;
	for (i = 0; i < n; i++) {
		const char *p = memchr(tbl, s[i], 64);

		if (!p || !s[i])
			return 0;
		acc = (acc << 6) | (unsigned)(p - tbl);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o] = (char)((acc >> bits) & 0xff);
			if ((unsigned char)out[o] < 0x20 || (unsigned char)out[o] > 0x7e)
				return 0;
			o++;
		}
	}
	return o && (is_default_password(out, o) || has_filler_word(out, o, 1) || is_template(out, o));
}

/* Hashes, digests and encoded public material that sit in secret-looking
 * assignments: lockfile integrity, go.sum, checksums, git SHAs, data URIs,
 * SSH and X.509 public keys. */
static int is_hash_or_public(const struct candidate *c, int generic)
{
	static const char *const hash_words[] = {
		"sha1", "sha256", "sha512", "sha", "md5", "hash", "digest", "checksum",
		"commit", "revision", "etag", "fingerprint", "integrity", "nonce", NULL
	};
	static const char *const lockfiles[] = {
		"go.sum", "package-lock.json", "yarn.lock", "pnpm-lock.yaml", "Cargo.lock",
		"poetry.lock", "Gemfile.lock", "composer.lock", "Pipfile.lock", "npm-shrinkwrap.json",
		NULL
	};
	const char *s = c->secret, *before;
	size_t n = c->secret_len, bn, i, pl = c->path ? strlen(c->path) : 0;
	const char *d;

	line_before(c, &before, &bn);
	/* A data: URI carries file contents, not a credential. */
	if ((d = memmem_ci(before, bn, "data:")) && memmem_ci(d, bn - (size_t)(d - before), ";base64,"))
		return 1;
	if (starts_with(s, n, "data:") && memmem_ci(s, n, ";base64,"))
		return 1;
	if (is_stored_hash_or_ciphertext(s, n))
		return 1;
	if (!generic)
		return 0;
	for (i = 0; lockfiles[i]; i++) {
		size_t k = strlen(lockfiles[i]);

		if (pl >= k && !strcmp(c->path + pl - k, lockfiles[i]) &&
		    (pl == k || c->path[pl - k - 1] == '/'))
			return 1;
	}
	if (starts_with(s, n, "sha1-") || starts_with(s, n, "sha256-") ||
	    starts_with(s, n, "sha384-") || starts_with(s, n, "sha512-") ||
	    starts_with(s, n, "h1:") || starts_with(s, n, "sha256:") ||
	    starts_with(s, n, "sha256=") || starts_with(s, n, "sha384=") ||
	    starts_with(s, n, "sha512=") || starts_with(s, n, "md5="))
		return 1;
	if (is_hex(s, n) && (n == 32 || n == 40 || n == 64 || n == 96 || n == 128))
		for (i = 0; hash_words[i]; i++)
			if (has_ci(before, bn, hash_words[i]))
				return 1;
	if (starts_with(s, n, "ssh-") || starts_with(s, n, "ecdsa-") ||
	    starts_with(s, n, "AAAAB3NzaC1") || starts_with(s, n, "AAAAC3NzaC1") ||
	    starts_with(s, n, "AAAAE2VjZHNh"))
		return 1;
	if (has_ci(before, bn, "public") || has_ci(before, bn, "pubkey") ||
	    has_ci(before, bn, "pub_key") || has_ci(before, bn, "certificate"))
		return 1;
	return 0;
}

/* A URL's password equal to its user name (postgres:postgres@) is a local
 * development default. */
static int password_is_user(const struct candidate *c)
{
	const char *before, *scheme;
	size_t bn;

	line_before(c, &before, &bn);
	if (!bn || before[bn - 1] != ':')
		return 0;
	scheme = NULL;
	for (size_t i = bn - 1; i >= 3; i--)
		if (before[i - 1] == '/' && before[i - 2] == '/' && before[i - 3] == ':') {
			scheme = before + i;
			break;
		}
	if (!scheme)
		return 0;
	return (size_t)(before + bn - 1 - scheme) == c->secret_len &&
	       memcmp(scheme, c->secret, c->secret_len) == 0;
}

/* Client-side exposure rules flag a secret in a NEXT_PUBLIC_/VITE_/...
 * variable. Some such variables are meant to be public: publishable and
 * anon keys, site keys, client ids, URLs. */
static int is_public_by_design(const struct candidate *c)
{
	static const char *const names[] = {
		"PUBLISHABLE", "ANON", "PUBLIC_KEY", "PUBKEY", "SITE_KEY", "SITEKEY",
		"CLIENT_ID", "MEASUREMENT", "DSN", "APP_ID", "PROJECT_ID", "_URL", "_URI",
		"DOMAIN", "HOST", "ENDPOINT", "FIREBASE_API_KEY", "MAPS", "RECAPTCHA_KEY",
		"ALGOLIA_SEARCH", "SEARCH_KEY", "SEARCH_API_KEY", NULL
	};
	static const char *const values[] = { "AIza", "pk_", "pk.", "sb_publishable_", "phc_", NULL };
	const char *before;
	size_t bn, i;

	line_before(c, &before, &bn);
	for (i = 0; names[i]; i++)
		if (has_ci(before, bn, names[i]))
			return 1;
	for (i = 0; values[i]; i++)
		if (starts_with(c->secret, c->secret_len, values[i]))
			return 1;
	return 0;
}

/* Tests, fixtures, documentation and example files. A value that only a
 * generic rule recognises (a password, an unnamed token) is a test value or
 * an example there far more often than a live credential; keys of a known
 * format are still reported in these files. */
static int is_test_or_example_path(const char *path)
{
	static const char *const dirs[] = {
		"test", "tests", "__tests__", "spec", "specs", "fixture", "fixtures", "testdata",
		"test-data", "test_data", "mock", "mocks", "__mocks__", "example", "examples",
		"sample", "samples", "doc", "docs", "e2e", NULL
	};
	static const char *const suffixes[] = {
		".example", ".sample", ".template", ".tpl", ".dist", ".md", ".rst", ".adoc", NULL
	};
	const char *p, *seg, *base;
	size_t n, i, k;

	if (!path)
		return 0;
	n = strlen(path);
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	for (seg = path; seg < base; seg = p + 1) {
		p = strchr(seg, '/');
		for (i = 0; dirs[i]; i++)
			if ((size_t)(p - seg) == strlen(dirs[i]) && !strncasecmp(seg, dirs[i], (size_t)(p - seg)))
				return 1;
	}
	for (i = 0; suffixes[i]; i++) {
		k = strlen(suffixes[i]);
		if (n >= k && !strcasecmp(path + n - k, suffixes[i]))
			return 1;
	}
	/* test_x.py, x_test.go, x.test.ts, x.spec.js, x_spec.rb, .env.example.local */
	if (!strncasecmp(base, "example", 7) || !strncasecmp(base, "sample", 6) ||
	    !strncasecmp(base, "test_", 5) || strstr(base, "_test.") || strstr(base, ".test.") ||
	    strstr(base, ".spec.") || strstr(base, "_spec.") || strstr(base, ".example") ||
	    strstr(base, ".sample"))
		return 1;
	return 0;
}

/* Contexts in which a generic match is code or metadata, not a value:
 * CloudFormation and C++ names (Foo::Bar), names of secret stores and key
 * aliases (secretsmanager, alias/...), AWS ARNs, string methods called on
 * a key-named variable, assignments and queries inside the value, dates,
 * and short values under names that only say api, auth, access or key. */
static int generic_context_says_no(const struct candidate *c, const char *before, size_t bn)
{
	static const char *const stores[] = {
		"secretsmanager", "secretmanager", "secrets_manager", "keyvault", "key_vault",
		"kms", "alias/", "arn:", "ssm:", "parameter_name", NULL
	};
	static const char *const methods[] = {
		".endswith(", ".startswith(", ".replace(", ".split(", ".strip(", ".find(",
		".index(", ".count(", ".join(", ".format(", ".encode(", ".decode(", ".get(",
		".includes(", ".indexOf(", ".contains(", ".equals(", ".match(", ".search(",
		".has(", ".remove(", ".delete(", ".pop(", NULL
	};
	static const char *const strong[] = {
		"secret", "token", "passw", "pwd", "credential", "creds", "private", "bearer", NULL
	};
	const char *s = c->secret, *eq;
	size_t n = c->secret_len, i, tail = bn;

	for (i = 0; i + 2 < bn; i++)
		if (before[i] == ':' && before[i + 1] == ':' &&
		    (isalpha((unsigned char)before[i + 2]) || before[i + 2] == '_'))
			return 1;	/* Foo::Bar, not ::= */
	for (i = 0; stores[i]; i++)
		if (has_ci(before, bn, stores[i]))
			return 1;
	/* the method call, if any, ends just before the value's quote */
	while (tail > 0 && strchr(" \t\"'`", before[tail - 1]))
		tail--;
	for (i = 0; methods[i]; i++) {
		size_t k = strlen(methods[i]);

		if (tail >= k && !strncasecmp(before + tail - k, methods[i], k))
			return 1;
	}
	/* name=value or a query string inside the value; base64 keeps its
	 * '=' at the end */
	if ((eq = memchr(s, '=', n)) && eq > s && eq + 1 < s + n && eq[1] != '=' &&
	    is_identifier_like(s, (size_t)(eq - s)) &&
	    is_identifier_like(eq + 1, (size_t)(s + n - eq - 1)))
		return 1;
	/* a date or a timestamp */
	if (n >= 10 && isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[3]) && s[4] == '-' &&
	    isdigit((unsigned char)s[5]) && s[7] == '-')
		return 1;
	if (n < 20) {
		for (i = 0; strong[i]; i++)
			if (has_ci(before, bn, strong[i]))
				return 0;
		return 1;
	}
	return 0;
}

/* Whether the candidate only stands in for a secret, or is not one. */
static int is_placeholder(const struct candidate *c)
{
	const struct rule *r = c->rule;
	const char *s = c->secret;
	size_t n = c->secret_len;
	int generic = r->priority < 0;

	if (is_template(s, n) || is_code_reference(s, n) || has_filler_word(s, n, generic) ||
	    is_vendor_example(s, n) || is_public_or_test_key(s, n) || is_low_information(s, n))
		return 1;
	if (is_default_password(s, n) || password_is_user(c))
		return 1;
	if (is_hash_or_public(c, generic))
		return 1;
	if (r->priority <= -5 && has_vendor_prefix(s, n))
		return 1;
	if (r->priority <= -10) {
		const char *before;
		size_t bn;

		line_before(c, &before, &bn);
		if (is_identifier_like(s, n) || name_is_metadata(before, bn) ||
		    has_vendor_prefix(s, n) || decodes_to_filler(s, n) ||
		    is_test_or_example_path(c->path))
			return 1;
		if (generic_context_says_no(c, before, bn))
			return 1;
		/* A JWT that the jwt validator turns down (unsigned, a
		 * documentation sample, a public anon key) is not a secret
		 * under a generic name either. */
		if (starts_with(s, n, "eyJ") && memchr(s, '.', n)) {
			validator_fn jwt = validator_find("jwt");

			if (jwt && !jwt(s, n))
				return 1;
		}
		/* A UUID under a name that only says "key" is an idempotency,
		 * cache or partition key far more often than a credential. */
		if (is_uuid(s, n) && !has_ci(before, bn, "secret") && !has_ci(before, bn, "token") &&
		    !has_ci(before, bn, "pass") && !has_ci(before, bn, "api") &&
		    !has_ci(before, bn, "auth") && !has_ci(before, bn, "access") &&
		    !has_ci(before, bn, "private") && !has_ci(before, bn, "credential"))
			return 1;
	}
	if (!strncmp(r->id, "client-side-", 12) && is_public_by_design(c))
		return 1;
	/* A key block elided with "..." is a documentation excerpt. */
	if (!strncmp(r->id, "private-key", 11) && c->secret >= c->line &&
	    memmem(c->secret, c->line_len - (size_t)(c->secret - c->line), "...", 3))
		return 1;
	return 0;
}

void filter_new_chunk(struct filter *f)
{
	f->pragma_line = NULL;
	f->pragma_len = 0;
	f->pragma = 0;
}

enum filter_verdict filter_check(struct filter *f, const struct candidate *c)
{
	const struct rule *r = c->rule;
	double floor = r->entropy;

	if (c->line != f->pragma_line || c->line_len != f->pragma_len) {
		f->pragma_line = c->line;
		f->pragma_len = c->line_len;
		f->pragma = filter_has_pragma(c->line, c->line_len);
	}
	if (f->pragma)
		return FILTER_PRAGMA;
	if (f->c->set.entropy_floor >= 0 && floor > 0)
		floor = f->c->set.entropy_floor;
	if (floor > 0 && entropy_shannon(c->secret, c->secret_len) < floor)
		return FILTER_ENTROPY;
	if (r->validator && !r->validator(c->secret, c->secret_len))
		return FILTER_VALIDATOR;
	if (is_placeholder(c))
		return FILTER_PLACEHOLDER;
	{
		struct allow_query q = { r->id, c->path, c->secret, c->secret_len,
					 c->line, c->line_len, c->fingerprint };

		if (allow_match(f->allow, &q) >= 0)
			return FILTER_ALLOWLIST;
	}
	return FILTER_KEEP;
}
