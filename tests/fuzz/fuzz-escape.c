/*
 * fuzz-escape — buf_add_json(), buf_add_term() and redact() on arbitrary
 * bytes (file names, messages and secrets reach them unchecked).
 *
 * Oracles, checked with a decoder written here independently of buf.c:
 *  - JSON: the output is valid UTF-8 with no raw control byte and no
 *    unescaped quote; decoded, it gives back the input, with each byte that
 *    is not part of valid UTF-8 as U+00XX.
 *  - terminal: the output is valid UTF-8 with no C0, DEL or C1 control
 *    and no bidi or zero-width character; decoded (\\, \xHH, \uHHHH)
 *    it gives back the input exactly, so the escaping loses nothing and
 *    cannot be forged.
 *  - redact: at most half of a secret (one byte of a short one) shows.
 */
#include <string.h>

#include "buf.h"
#include "finding.h"
#include "fuzz.h"

/* Length of the valid UTF-8 sequence at s, 0 if invalid (RFC 3629). */
static size_t u8len(const unsigned char *s, size_t n)
{
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		return n >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (s[0] >= 0xe0 && s[0] <= 0xef) {
		unsigned lo = s[0] == 0xe0 ? 0xa0 : 0x80, hi = s[0] == 0xed ? 0x9f : 0xbf;

		return n >= 3 && s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80 ? 3 : 0;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		unsigned lo = s[0] == 0xf0 ? 0x90 : 0x80, hi = s[0] == 0xf4 ? 0x8f : 0xbf;

		return n >= 4 && s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80 &&
		       (s[3] & 0xc0) == 0x80 ? 4 : 0;
	}
	return 0;
}

static void valid_utf8(const char *s, size_t n, const char *what)
{
	size_t i = 0, l;

	while (i < n) {
		l = u8len((const unsigned char *)s + i, n - i);
		FUZZ_CHECK(l > 0, "%s output is not UTF-8 at byte %zu", what, i);
		i += l;
	}
}

static void put_cp(struct buf *b, unsigned cp)
{
	if (cp < 0x80) {
		buf_addc(b, (char)cp);
	} else if (cp < 0x800) {
		buf_addc(b, (char)(0xc0 | cp >> 6));
		buf_addc(b, (char)(0x80 | (cp & 0x3f)));
	} else {
		buf_addc(b, (char)(0xe0 | cp >> 12));
		buf_addc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		buf_addc(b, (char)(0x80 | (cp & 0x3f)));
	}
}

static unsigned hexn(const char *s, int n)
{
	unsigned v = 0;
	int i;

	for (i = 0; i < n; i++) {
		char c = s[i];

		FUZZ_CHECK((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'),
			   "bad hex digit in escape");
		v = v * 16 + (unsigned)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
	}
	return v;
}

static void check_json(const char *in, size_t n)
{
	struct buf out = BUF_INIT, dec = BUF_INIT, want = BUF_INIT;
	size_t i, l;

	buf_adds(&out, "pre");
	buf_add_json(&out, in, n);
	FUZZ_CHECK(out.len >= 3 && !memcmp(out.ptr, "pre", 3), "prefix lost");
	valid_utf8(out.ptr + 3, out.len - 3, "JSON");
	for (i = 3; i < out.len; i++) {
		unsigned char c = (unsigned char)out.ptr[i];

		FUZZ_CHECK(c >= 0x20 && c != 0x7f, "raw control byte 0x%02x in JSON", c);
		if (c == '"')
			FUZZ_CHECK(0, "unescaped quote in JSON");
		if (c != '\\') {
			buf_addc(&dec, (char)c);
			continue;
		}
		FUZZ_CHECK(i + 1 < out.len, "dangling backslash in JSON");
		switch (out.ptr[++i]) {
		case '"': case '\\': case '/': buf_addc(&dec, out.ptr[i]); break;
		case 'n': buf_addc(&dec, '\n'); break;
		case 't': buf_addc(&dec, '\t'); break;
		case 'r': buf_addc(&dec, '\r'); break;
		case 'b': buf_addc(&dec, '\b'); break;
		case 'f': buf_addc(&dec, '\f'); break;
		case 'u':
			FUZZ_CHECK(i + 4 < out.len, "short \\u escape");
			put_cp(&dec, hexn(out.ptr + i + 1, 4));
			i += 4;
			break;
		default:
			FUZZ_CHECK(0, "unknown JSON escape \\%c", out.ptr[i]);
		}
	}
	for (i = 0; i < n; i += l) {
		l = u8len((const unsigned char *)in + i, n - i);
		if (l) {
			buf_add(&want, in + i, l);
		} else {
			put_cp(&want, (unsigned char)in[i]);
			l = 1;
		}
	}
	FUZZ_CHECK(dec.len == want.len && !memcmp(dec.ptr, want.ptr, dec.len),
		   "JSON does not decode to its input");
	buf_release(&out);
	buf_release(&dec);
	buf_release(&want);
}

static void check_term(const char *in, size_t n)
{
	struct buf out = BUF_INIT, dec = BUF_INIT;
	size_t i;

	buf_add_term(&out, in, n);
	valid_utf8(out.ptr, out.len, "terminal");
	for (i = 0; i < out.len; i++) {
		unsigned char c = (unsigned char)out.ptr[i];

		FUZZ_CHECK(c >= 0x20 && c != 0x7f, "raw control byte 0x%02x on the terminal", c);
		FUZZ_CHECK(!(c == 0xc2 && i + 1 < out.len &&
			     (unsigned char)out.ptr[i + 1] < 0xa0),
			   "raw C1 control on the terminal");
		if (c >= 0xe0 && c <= 0xef && i + 2 < out.len) {
			const unsigned char *q = (const unsigned char *)out.ptr + i;
			unsigned cp = ((q[0] & 0x0fu) << 12) | ((q[1] & 0x3fu) << 6) |
				(q[2] & 0x3fu);

			FUZZ_CHECK(!((cp >= 0x200b && cp <= 0x200f) ||
				     (cp >= 0x2028 && cp <= 0x202e) ||
				     (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff),
				   "raw bidi or zero-width U+%04X on the terminal", cp);
		}
		if (c != '\\') {
			buf_addc(&dec, (char)c);
			continue;
		}
		FUZZ_CHECK(i + 1 < out.len, "dangling backslash");
		switch (out.ptr[++i]) {
		case '\\': buf_addc(&dec, '\\'); break;
		case 'x':
			FUZZ_CHECK(i + 2 < out.len, "short \\x escape");
			buf_addc(&dec, (char)hexn(out.ptr + i + 1, 2));
			i += 2;
			break;
		case 'u':
			FUZZ_CHECK(i + 4 < out.len, "short \\u escape");
			put_cp(&dec, hexn(out.ptr + i + 1, 4));
			i += 4;
			break;
		default:
			FUZZ_CHECK(0, "unknown terminal escape \\%c", out.ptr[i]);
		}
	}
	FUZZ_CHECK(dec.len == n && !memcmp(dec.ptr, in, n),
		   "terminal escaping does not decode to its input");
	buf_release(&out);
	buf_release(&dec);
}

static void check_redact(const char *in, size_t n)
{
	char *r = redact(in, n);
	size_t shown = strlen(r);

	/* The ellipsis is 3 bytes of UTF-8; the rest came from the secret
	 * (a NUL in the secret ends the string early: it then shows less). */
	if (!memchr(in, '\0', n))
		FUZZ_CHECK(shown >= 3 && !memcmp(r + (n >= 12 ? shown - 5 : shown - 3),
						"\xe2\x80\xa6", 3), "no ellipsis in '%s'", r);
	shown = shown >= 3 ? shown - 3 : 0;
	if (n < 12)
		FUZZ_CHECK(shown <= 1, "a short secret shows %zu bytes", shown);
	else
		FUZZ_CHECK(shown <= n / 2, "%zu of %zu bytes shown", shown, n);
	free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;

	check_json(s, size);
	check_term(s, size);
	check_redact(s, size);
	return 0;
}
