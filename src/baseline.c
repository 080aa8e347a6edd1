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

int baseline_scan_index(git_repository *repo, const struct source_opts *o,
			const struct source_cb *cb, struct source_stats *st)
{
	git_index *idx = NULL;
	git_odb *odb = NULL;
	size_t i, n;
	int rc = 0;

	if (source_index(&idx, repo) < 0)
		return -1;
	if (git_repository_odb(&odb, repo) < 0) {
		source_git_error("cannot open the object database");
		git_index_free(idx);
		return -1;
	}
	n = git_index_entrycount(idx);
	for (i = 0; i < n && !rc; i++) {
		const git_index_entry *e = git_index_get_byindex(idx, i);
		git_blob *blob = NULL;
		git_object_t type;
		size_t len;
		struct chunk c;

		if (!e || git_index_entry_stage(e) != 0)
			continue;
		if (e->mode == GIT_FILEMODE_LINK) {
			st->symlinks++;
			continue;
		}
		if (e->mode == GIT_FILEMODE_COMMIT) {
			st->gitlinks++;
			continue;
		}
		if (e->mode != GIT_FILEMODE_BLOB && e->mode != GIT_FILEMODE_BLOB_EXECUTABLE)
			continue;
		if (git_odb_read_header(&len, &type, odb, &e->id) < 0) {
			source_git_error("cannot read a staged object");
			rc = -1;
			break;
		}
		if (len > o->max_blob_size) {
			char why[96];

			st->too_large++;
			snprintf(why, sizeof(why), "%zu bytes, over max-blob-size (%llu bytes)",
				 len, o->max_blob_size);
			if (cb->skipped)
				rc = cb->skipped(cb->ctx, e->path, why);
			continue;
		}
		if (git_blob_lookup(&blob, repo, &e->id) < 0) {
			source_git_error("cannot read a staged blob");
			rc = -1;
			break;
		}
		if (!o->scan_binary && git_blob_is_binary(blob)) {
			st->binary++;
			git_blob_free(blob);
			continue;
		}
		memset(&c, 0, sizeof(c));
		c.path = e->path;
		c.data = git_blob_rawcontent(blob);
		c.len = (size_t)git_blob_rawsize(blob);
		c.first_line = 1;
		c.whole = 1;
		st->files++;
		st->chunks++;
		st->bytes += c.len;
		rc = cb->chunk(cb->ctx, &c);
		git_blob_free(blob);
	}
	git_odb_free(odb);
	git_index_free(idx);
	return rc;
}
