/*
 * validate.c — checksum and structure validators (see validate.h).
 *
 * Everything here is a pure function over a byte span. Decoders write into
 * fixed stack buffers and give up (return 0) on input longer than they can
 * hold: a credential that long is not the thing being validated.
 */
#include "validate.h"

#include <stdint.h>
#include <string.h>

/* CRC-32 (IEEE 802.3, reflected, as zlib's crc32()). The inputs are 30
 * bytes, so a bitwise loop costs nothing measurable and needs no table. */
static uint32_t crc32_ieee(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	while (n--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
	}
	return c ^ 0xffffffffu;
}

static int base62_digit(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 36;
	return -1;
}

static int is_alnum(unsigned char c)
{
	return base62_digit(c) >= 0;
}

/*
 * The token format GitHub introduced in 2021 and npm adopted: PREFIX, then
 * 30 base62 characters of entropy, then 6 base62 characters holding the
 * CRC32 of those 30 characters, zero-padded on the left. The prefix is not
 * part of the checksum.
 */
static int base62_crc32_token(const char *s, size_t len, size_t prefix_len)
{
	const unsigned char *u = (const unsigned char *)s;
	uint64_t want = 0;

	if (len != prefix_len + 36)
		return 0;
	for (size_t i = prefix_len; i < len; i++)
		if (!is_alnum(u[i]))
			return 0;
	for (size_t i = len - 6; i < len; i++)
		want = want * 62 + (uint64_t)base62_digit(u[i]);
	if (want > 0xffffffffu)
		return 0;
	return crc32_ieee(u + prefix_len, 30) == (uint32_t)want;
}

static int v_github_crc32(const char *s, size_t len)
{
	if (len < 4 || s[0] != 'g' || s[1] != 'h' || s[3] != '_' ||
	    !strchr("pousr", s[2]) || s[2] == '\0')
		return 0;
	return base62_crc32_token(s, len, 4);
}

static int v_npm_crc32(const char *s, size_t len)
{
	if (len < 4 || memcmp(s, "npm_", 4) != 0)
		return 0;
	return base62_crc32_token(s, len, 4);
}

/* Standard or URL-safe base64, padding optional. Returns the decoded length,
 * or -1 on a bad character or when the output does not fit in cap bytes. */
static long b64_decode(const char *s, size_t len, unsigned char *out, size_t cap)
{
	uint32_t acc = 0;
	int bits = 0;
	size_t n = 0;

	while (len > 0 && s[len - 1] == '=')
		len--;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		int v;

		if (c >= 'A' && c <= 'Z')
			v = c - 'A';
		else if (c >= 'a' && c <= 'z')
			v = c - 'a' + 26;
		else if (c >= '0' && c <= '9')
			v = c - '0' + 52;
		else if (c == '+' || c == '-')
			v = 62;
		else if (c == '/' || c == '_')
			v = 63;
		else
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n >= cap)
				return -1;
			out[n++] = (unsigned char)(acc >> bits);
		}
	}
	return (long)n;
}

static int v_base64_userpass(const char *s, size_t len)
{
	unsigned char buf[768];
	long n = b64_decode(s, len, buf, sizeof(buf));
	long colon = -1;

	if (n < 3)
		return 0;
	for (long i = 0; i < n; i++) {
		if (buf[i] < 0x20 || buf[i] > 0x7e)
			return 0;
		if (buf[i] == ':' && colon < 0)
			colon = i;
	}
	/* user may be empty (":token" is common for API keys), password not */
	return colon >= 0 && colon < n - 1;
}

/* Does buf[0..n) contain needle, ignoring ASCII case and the JSON
 * whitespace between tokens? Used on small decoded JWT parts only. */
static int json_has(const unsigned char *buf, size_t n, const char *needle)
{
	unsigned char squeezed[3072];
	size_t m = 0, k = strlen(needle);

	for (size_t i = 0; i < n && m < sizeof(squeezed); i++) {
		unsigned char c = buf[i];

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		squeezed[m++] = c;
	}
	for (size_t i = 0; i + k <= m; i++)
		if (memcmp(squeezed + i, needle, k) == 0)
			return 1;
	return 0;
}

static int v_jwt(const char *s, size_t len)
{
	unsigned char hdr[1024], body[3072];
	const char *d1 = memchr(s, '.', len), *d2;
	long hn, bn;

	if (!d1)
		return 0;
	d2 = memchr(d1 + 1, '.', len - (size_t)(d1 + 1 - s));
	if (!d2 || (size_t)(s + len - (d2 + 1)) < 16)
		return 0;	/* no signature worth the name */
	hn = b64_decode(s, (size_t)(d1 - s), hdr, sizeof(hdr));
	bn = b64_decode(d1 + 1, (size_t)(d2 - d1 - 1), body, sizeof(body));
	if (hn < 2 || bn < 2 || hdr[0] != '{' || body[0] != '{')
		return 0;
	if (!json_has(hdr, (size_t)hn, "\"alg\"") ||
	    json_has(hdr, (size_t)hn, "\"alg\":\"none\""))
		return 0;
	/* The jwt.io sample that every tutorial copies, and its variants
	 * (the debugger's default subject). */
	if (json_has(body, (size_t)bn, "\"sub\":\"1234567890\""))
		return 0;
	/* PyJWT's and other libraries' README sample payload. */
	if (bn == 18 && json_has(body, (size_t)bn, "{\"some\":\"payload\"}"))
		return 0;
	/* Supabase anon keys are public by design (row-level security does
	 * the protecting); the service_role key is the secret one. */
	if (json_has(body, (size_t)bn, "\"role\":\"anon\""))
		return 0;
	return 1;
}

static const struct {
	const char *name;
	validator_fn fn;
} table[] = {
	{ "github-crc32", v_github_crc32 },
	{ "npm-crc32", v_npm_crc32 },
	{ "base64-userpass", v_base64_userpass },
	{ "jwt", v_jwt },
};

const char *const validator_names[] = {
	"github-crc32", "npm-crc32", "base64-userpass", "jwt", NULL
};

validator_fn validator_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (strcmp(table[i].name, name) == 0)
			return table[i].fn;
	return NULL;
}
