#include "source_fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "msg.h"

/* git's own test for binary content: a NUL in the first 8000 bytes. */
#define BINARY_PROBE 8000

struct fswalk {
	const struct fs_opts *o;
	const struct source_cb *cb;
	struct fs_stats *st;
	git_repository *repo;	/* of the current argument; NULL: none */
	char *wd_real;		/* its work tree, resolved */
	struct buf data;
	struct timespec start, last;
};

static double since(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void progress(struct fswalk *w, int final)
{
	struct timespec now;
	double secs;

	if (!w->o->progress)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!final && since(&w->last, &now) < 0.1)
		return;
	w->last = now;
	secs = since(&w->start, &now);
	fprintf(stderr, "\rleakgate: %zu files, %.1f MB, %.1f MB/s\033[K", w->st->src.files,
		(double)w->st->src.bytes / 1e6,
		secs > 0 ? (double)w->st->src.bytes / 1e6 / secs : 0.0);
	if (final)
		fputc('\n', stderr);
	fflush(stderr);
}

/* Whether rel (relative to the work tree; "" is the top) is ignored. */
static int is_ignored(struct fswalk *w, const struct buf *rel, int has_rel, int isdir)
{
	struct buf p = BUF_INIT;
	int ign = 0;

	if (w->o->no_ignore || !w->repo || !has_rel || !rel->len)
		return 0;
	buf_add(&p, rel->ptr, rel->len);
	if (isdir)
		buf_addc(&p, '/');
	if (git_ignore_path_is_ignored(&ign, w->repo, p.ptr) < 0) {
		/* Not fatal: scanning too much is the safe side. */
		git_error_clear();
		ign = 0;
	}
	buf_release(&p);
	if (ign) {
		w->st->ignored++;
		verbosef("ignored %s%s", rel->ptr, isdir ? "/" : "");
	}
	return ign;
}

static int read_all(int fd, struct buf *b, size_t hint)
{
	ssize_t n;

	buf_reset(b);
	buf_grow(b, hint + 1);
	for (;;) {
		if (b->cap - b->len < 65536)
			buf_grow(b, 65536);
		n = read(fd, b->ptr + b->len, b->cap - b->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		b->len += (size_t)n;
	}
	b->ptr[b->len] = '\0';
	return 0;
}

static int scan_file(struct fswalk *w, const char *path)
{
	struct chunk c;
	struct stat sb;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) < 0) {
		warnf("cannot read '%s': %s", path, strerror(errno));
		w->st->unreadable++;
		if (fd >= 0)
			close(fd);
		return 0;
	}
	if ((unsigned long long)sb.st_size > w->o->max_blob_size) {
		char why[96];

		close(fd);
		w->st->src.too_large++;
		snprintf(why, sizeof(why), "%lld bytes, over max-blob-size (%llu bytes)",
			 (long long)sb.st_size, w->o->max_blob_size);
		return w->cb->skipped ? w->cb->skipped(w->cb->ctx, path, why) : 0;
	}
	if (read_all(fd, &w->data, (size_t)sb.st_size) < 0) {
		warnf("cannot read '%s': %s", path, strerror(errno));
		w->st->unreadable++;
		close(fd);
		return 0;
	}
	close(fd);
	/* The file may have grown since fstat: the cap still holds. */
	if (w->data.len > w->o->max_blob_size)
		w->data.len = (size_t)w->o->max_blob_size;
	if (!w->o->scan_binary &&
	    memchr(w->data.ptr, 0, w->data.len < BINARY_PROBE ? w->data.len : BINARY_PROBE)) {
		w->st->src.binary++;
		verbosef("skipped binary file %s", path);
		return 0;
	}
	memset(&c, 0, sizeof(c));
	c.path = path;
	c.data = w->data.ptr;
	c.len = w->data.len;
	c.first_line = 1;
	c.whole = 1;
	w->st->src.files++;
	w->st->src.chunks++;
	w->st->src.bytes += c.len;
	rc = w->cb->chunk(w->cb->ctx, &c);
	progress(w, 0);
	return rc;
}

static int name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int walk(struct fswalk *w, struct buf *disp, struct buf *rel, int has_rel, int top);

static int walk_dir(struct fswalk *w, struct buf *disp, struct buf *rel, int has_rel)
{
	struct dirent **names = NULL;
	size_t dlen = disp->len, rlen = rel->len;
	int i, n, rc = 0;

	n = scandir(disp->len ? disp->ptr : ".", &names, NULL, name_cmp);
	if (n < 0) {
		warnf("cannot read directory '%s': %s", disp->len ? disp->ptr : ".",
		      strerror(errno));
		w->st->unreadable++;
		return 0;
	}
	for (i = 0; i < n; i++) {
		const char *name = names[i]->d_name;

		if (!rc && strcmp(name, ".") && strcmp(name, "..") && strcmp(name, ".git")) {
			if (disp->len && disp->ptr[disp->len - 1] != '/')
				buf_addc(disp, '/');
			buf_adds(disp, name);
			if (rel->len)
				buf_addc(rel, '/');
			buf_adds(rel, name);
			rc = walk(w, disp, rel, has_rel, 0);
			disp->len = dlen;
			disp->ptr[dlen] = '\0';
			rel->len = rlen;
			rel->ptr[rlen] = '\0';
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

static int walk(struct fswalk *w, struct buf *disp, struct buf *rel, int has_rel, int top)
{
	const char *p = disp->len ? disp->ptr : ".";
	struct stat sb;

	/* Named paths are followed if they are symlinks; found ones not. */
	if ((top ? stat(p, &sb) : lstat(p, &sb)) < 0) {
		if (top) {
			errorf("cannot scan '%s': %s", p, strerror(errno));
			return -2;
		}
		warnf("cannot read '%s': %s", p, strerror(errno));
		w->st->unreadable++;
		return 0;
	}
	if (S_ISDIR(sb.st_mode)) {
		if (!top && is_ignored(w, rel, has_rel, 1))
			return 0;
		return walk_dir(w, disp, rel, has_rel);
	}
	if (S_ISLNK(sb.st_mode)) {
		w->st->src.symlinks++;
		verbosef("skipped symlink %s", p);
		return 0;
	}
	if (!S_ISREG(sb.st_mode)) {
		verbosef("skipped special file %s", p);
		return 0;
	}
	if (!top && is_ignored(w, rel, has_rel, 0))
		return 0;
	return scan_file(w, p);
}

/* Whether abs is wd or below it; sets rel to the part below. */
static int under(const char *abs, const char *wd, struct buf *rel)
{
	size_t n = strlen(wd);

	if (!strcmp(abs, wd))
		return 1;
	if (!strncmp(abs, wd, n) && (abs[n] == '/' || n == 1)) {
		buf_adds(rel, abs + n + (n > 1));
		return 1;
	}
	return 0;
}

/* Find the repository whose work tree holds abs (the one of the previous
 * argument when it still applies: the pre-commit framework passes many
 * files), and set rel to abs's path inside it. Returns whether rel is
 * meaningful. */
static int find_repo(struct fswalk *w, const char *abs, int isdir, struct buf *rel)
{
	struct buf dir = BUF_INIT;
	const char *wd;
	int ok = 0;

	if (w->repo && w->wd_real && under(abs, w->wd_real, rel))
		return 1;
	git_repository_free(w->repo);
	w->repo = NULL;
	free(w->wd_real);
	w->wd_real = NULL;
	buf_adds(&dir, abs);
	if (!isdir) {
		char *slash = strrchr(dir.ptr, '/');

		if (slash) {
			dir.len = (size_t)(slash - dir.ptr) + (slash == dir.ptr);
			dir.ptr[dir.len] = '\0';
		}
	}
	if (git_repository_open_ext(&w->repo, dir.ptr, 0, NULL) < 0) {
		git_error_clear();
		w->repo = NULL;
		goto out;
	}
	wd = git_repository_workdir(w->repo);
	if (!wd || !(w->wd_real = realpath(wd, NULL)))
		goto out;
	ok = under(abs, w->wd_real, rel);
out:
	buf_release(&dir);
	return ok;
}

int source_fs(char *const *paths, size_t n, const struct fs_opts *o,
	      const struct source_cb *cb, struct fs_stats *st)
{
	struct fswalk w;
	size_t i;
	int rc = 0;

	memset(&w, 0, sizeof(w));
	w.o = o;
	w.cb = cb;
	w.st = st;
	clock_gettime(CLOCK_MONOTONIC, &w.start);
	w.last = w.start;
	for (i = 0; i < n && !rc; i++) {
		struct buf disp = BUF_INIT, rel = BUF_INIT;
		struct stat sb;
		char *abs;
		int has_rel = 0;

		buf_adds(&disp, paths[i]);
		/* "dir/" and "dir" name the same files; "." is dropped. */
		while (disp.len > 1 && disp.ptr[disp.len - 1] == '/')
			disp.ptr[--disp.len] = '\0';
		while (disp.len >= 2 && disp.ptr[0] == '.' && disp.ptr[1] == '/') {
			memmove(disp.ptr, disp.ptr + 2, disp.len - 1);
			disp.len -= 2;
		}
		if (disp.len == 1 && disp.ptr[0] == '.')
			buf_reset(&disp);
		abs = realpath(paths[i], NULL);
		if (!abs || stat(abs, &sb) < 0) {
			errorf("cannot scan '%s': %s", paths[i], strerror(errno));
			rc = -2;
		} else {
			if (!o->no_ignore)
				has_rel = find_repo(&w, abs, S_ISDIR(sb.st_mode), &rel);
			rc = walk(&w, &disp, &rel, has_rel, 1);
		}
		free(abs);
		buf_release(&disp);
		buf_release(&rel);
	}
	progress(&w, 1);
	git_repository_free(w.repo);
	free(w.wd_real);
	buf_release(&w.data);
	return rc;
}
