#include "baseline.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "msg.h"

static int by_fingerprint(const void *a, const void *b)
{
	const struct finding *x = *(const struct finding *const *)a;
	const struct finding *y = *(const struct finding *const *)b;
	int c = strcmp(x->fingerprint, y->fingerprint);

	return c ? c : strcmp(x->path, y->path);
}

long baseline_write(const char *path, const struct findings *f)
{
	const struct finding **v = xcalloc(f->n ? f->n : 1, sizeof(*v));
	struct buf b = BUF_INIT, tmp = BUF_INIT;
	size_t i, n = 0;
	long written = 0;
	FILE *out = NULL;

	for (i = 0; i < f->n; i++)
		if (f->v[i].kind == KIND_SECRET && f->v[i].fingerprint[0])
			v[n++] = &f->v[i];
	qsort(v, n, sizeof(*v), by_fingerprint);
	buf_adds(&b, "# leakgate baseline: findings accepted when this file was written; they\n"
		     "# are not reported again. One fingerprint per line (a hash of the rule id\n"
		     "# and the secret: no secret, no line number), then the rule and a path.\n"
		     "# Rewrite with: leakgate scan --staged --write-baseline FILE\n");
	for (i = 0; i < n; i++) {
		if (i && !strcmp(v[i]->fingerprint, v[i - 1]->fingerprint))
			continue;
		buf_printf(&b, "%s  # %s ", v[i]->fingerprint, v[i]->rule_id);
		buf_add_term(&b, v[i]->path, strlen(v[i]->path));
		buf_addc(&b, '\n');
		written++;
	}
	buf_printf(&tmp, "%s.tmp%ld", path, (long)getpid());
	out = fopen(tmp.ptr, "wb");
	if (!out || fwrite(b.ptr, 1, b.len, out) != b.len || fflush(out) != 0) {
		errorf("cannot write baseline '%s': %s", path, strerror(errno));
		written = -1;
	}
	if (out && fclose(out) != 0 && written >= 0) {
		errorf("cannot write baseline '%s': %s", path, strerror(errno));
		written = -1;
	}
	if (written >= 0 && rename(tmp.ptr, path) != 0) {
		errorf("cannot write baseline '%s': %s", path, strerror(errno));
		written = -1;
	}
	if (written < 0)
		unlink(tmp.ptr);
	buf_release(&tmp);
	buf_release(&b);
	free(v);
	return written;
}
