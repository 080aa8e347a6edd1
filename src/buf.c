#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testhook.h"

const char buf_empty[1];

static void oom(void) __attribute__((noreturn));
static void oom(void)
{
	fputs("leakgate: error: out of memory; commit blocked "
	      "(bypass once: git commit --no-verify)\n", stderr);
	/* Exit 3 (internal error), not abort(): a core dump would hold the
	 * staged content, secrets included, and a death by signal reads as a
	 * crash. Nothing buffered is worth flushing: the commit is blocked. */
	_exit(3);
}

void *xmalloc(size_t n)
{
	void *p = testhook_alloc_fails() ? NULL : malloc(n ? n : 1);

	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = testhook_alloc_fails() ? NULL : calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = testhook_alloc_fails() ? NULL : realloc(p, n ? n : 1);

	if (!q)
		oom();
	return q;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

void buf_init(struct buf *b)
{
	b->ptr = (char *)buf_empty;
	b->len = b->cap = 0;
}

void buf_release(struct buf *b)
{
	if (b->cap)
		free(b->ptr);
	buf_init(b);
}

char *buf_detach(struct buf *b, size_t *len)
{
	char *p = b->cap ? b->ptr : xstrdup("");

	if (len)
		*len = b->len;
	buf_init(b);
	return p;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->cap)
		b->ptr[0] = '\0';
}

void buf_grow(struct buf *b, size_t extra)
{
	size_t want = b->len + extra + 1;

	if (want < b->len)
		oom();
	if (want <= b->cap)
		return;
	if (want < b->cap * 2)
		want = b->cap * 2;
	if (want < 64)
		want = 64;
	if (b->cap) {
		b->ptr = xrealloc(b->ptr, want);
	} else {
		b->ptr = xmalloc(want);
		b->ptr[0] = '\0';
	}
	b->cap = want;
}

void buf_add(struct buf *b, const void *p, size_t n)
{
	buf_grow(b, n);
	memcpy(b->ptr + b->len, p, n);
	b->len += n;
	b->ptr[b->len] = '\0';
}

void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len, i;
	unsigned cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

void buf_add_json(struct buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, l;

	buf_grow(b, n + 2);
	while (i < n) {
		unsigned c = p[i];

		if (c == '"' || c == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, (char)c);
			i++;
		} else if (c == '\n') {
			buf_adds(b, "\\n"); i++;
		} else if (c == '\t') {
			buf_adds(b, "\\t"); i++;
		} else if (c == '\r') {
			buf_adds(b, "\\r"); i++;
		} else if (c < 0x20 || c == 0x7f) {
			buf_printf(b, "\\u%04x", c); i++;
		} else if ((l = utf8_len(p + i, n - i)) == 0) {
			/* Not UTF-8: keep the byte's value visible and the
			 * output valid, as U+00XX. */
			buf_printf(b, "\\u%04x", c); i++;
		} else {
			buf_add(b, p + i, l);
			i += l;
		}
	}
}

/* Whether the 3-byte UTF-8 sequence at p is a zero-width or bidi
 * formatting character: U+200B..U+200F, U+2028..U+202E, U+2060..U+206F,
 * U+FEFF. */
static int invisible_format(const unsigned char *p)
{
	unsigned cp = ((p[0] & 0x0fu) << 12) | ((p[1] & 0x3fu) << 6) | (p[2] & 0x3fu);

	return (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff;
}

void buf_add_term(struct buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, l;

	buf_grow(b, n);
	while (i < n) {
		unsigned c = p[i];

		if (c == '\\') {
			buf_adds(b, "\\\\"); i++;
		} else if (c < 0x20 || c == 0x7f) {
			buf_printf(b, "\\x%02x", c); i++;
		} else if ((l = utf8_len(p + i, n - i)) == 0) {
			buf_printf(b, "\\x%02x", c); i++;
		} else if (l == 2 && c == 0xc2 && p[i + 1] < 0xa0) {
			/* C1 controls (U+0080..U+009F), e.g. CSI. */
			buf_printf(b, "\\u%04x", p[i + 1]); i += 2;
		} else if (l == 3 && invisible_format(p + i)) {
			/* Bidi overrides and invisible characters would let a
			 * name display as something else ("Trojan Source"). */
			buf_printf(b, "\\u%04x", ((c & 0x0fu) << 12) |
				   ((p[i + 1] & 0x3fu) << 6) | (p[i + 2] & 0x3fu));
			i += 3;
		} else {
			buf_add(b, p + i, l);
			i += l;
		}
	}
}
