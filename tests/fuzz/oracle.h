/*
 * oracle.h — checks shared by the scanning fuzz targets: every secret
 * finding must point (line, column, length) at bytes of the scanned data
 * whose fingerprint is the finding's, and its redacted form must not hold
 * the secret. This is what proves the line-number mapping right.
 */
#ifndef LEAKGATE_FUZZ_ORACLE_H
#define LEAKGATE_FUZZ_ORACLE_H

#include <string.h>

#include "finding.h"
#include "fuzz.h"
#include "hash.h"

/* Offset of (line, column) in data[0..len) whose first line is first_line;
 * (size_t)-1 when there is no such place. */
static inline size_t fuzz_offset_of(const char *data, size_t len, size_t first_line,
				    long line, long column)
{
	size_t off = 0, l = first_line;

	if (line < (long)first_line || column < 1)
		return (size_t)-1;
	while (l < (size_t)line) {
		const char *nl = memchr(data + off, '\n', len - off);

		if (!nl)
			return (size_t)-1;
		off = (size_t)(nl - data) + 1;
		l++;
	}
	off += (size_t)column - 1;
	/* The column must stay on that line. */
	if (off > len || memchr(data + off - ((size_t)column - 1), '\n', (size_t)column - 1))
		return (size_t)-1;
	return off;
}

static inline void fuzz_check_finding(const struct finding *x, const char *data, size_t len,
				      size_t first_line)
{
	char fp[FINGERPRINT_HEX + 1];
	size_t off;

	if (x->kind != KIND_SECRET)
		return;
	off = fuzz_offset_of(data, len, first_line, x->line, x->column);
	FUZZ_CHECK(off != (size_t)-1, "%s:%ld:%ld is outside the data", x->rule_id, x->line,
		   x->column);
	FUZZ_CHECK(x->secret_len > 0 && off + x->secret_len <= len, "secret past the end");
	hash_fingerprint(fp, x->rule_id, data + off, x->secret_len);
	FUZZ_CHECK(!strcmp(fp, x->fingerprint), "%s:%ld:%ld: fingerprint %s, bytes there give %s",
		   x->rule_id, x->line, x->column, x->fingerprint, fp);
	if (x->secret_len >= 4)
		FUZZ_CHECK(!memmem(x->redacted, strlen(x->redacted), data + off, x->secret_len),
			   "redacted form holds the whole secret");
}

#endif
