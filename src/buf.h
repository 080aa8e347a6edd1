/*
 * buf.h — a growable byte buffer, and the escaping every writer uses.
 *
 * A struct buf owns its bytes; ptr is always NUL-terminated (an empty buf
 * points at a static ""), so it can be printed, but may also hold NULs: len
 * is the truth. buf_release() frees the bytes and leaves an empty buf.
 * Allocation failure exits with status 3 through xmalloc (leakgate cannot
 * scan without memory, and the hook must fail closed: exit 3 blocks the
 * commit).
 */
#ifndef LEAKGATE_BUF_H
#define LEAKGATE_BUF_H

#include <stddef.h>

struct buf {
	char *ptr;
	size_t len, cap;
};

#define BUF_INIT { (char *)buf_empty, 0, 0 }
extern const char buf_empty[1];

void buf_init(struct buf *b);
void buf_release(struct buf *b);
/* Return the bytes, owned by the caller (NUL-terminated), and reset b. */
char *buf_detach(struct buf *b, size_t *len);
void buf_grow(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);

/* Append s[0..n) as the inside of a JSON string: quotes, backslashes and
 * control bytes escaped; bytes that are not valid UTF-8
 * become \u00XX of the byte, so output is always valid UTF-8 JSON. */
void buf_add_json(struct buf *b, const char *s, size_t n);
/* Append s[0..n) for a terminal: control bytes (C0, DEL, C1 as UTF-8) and
 * invalid UTF-8 become \xHH, backslash becomes \\, zero-width and bidi
 * formatting characters become \uXXXX, so a file name cannot carry an
 * escape sequence or a newline into the report, or display as another. */
void buf_add_term(struct buf *b, const char *s, size_t n);

/* Memory helpers that never return NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
