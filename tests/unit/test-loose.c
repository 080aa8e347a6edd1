/*
 * test-loose.c — loose.c's direct read of loose blobs against libgit2.
 *
 * In a fresh repository: random blobs (text and binary, 0 bytes to ~300 kB,
 * written by libgit2 and by git itself) read by loose_read_blob() give
 * exactly libgit2's content and binary verdict; an estimate too small is not
 * handled; packed objects, other object types, corrupt, truncated and lying
 * loose files, and GIT_OBJECT_DIRECTORY are not handled either, and libgit2
 * (what the caller falls back to) fails on those; a loose file that does not
 * inflate is reported corrupt: nothing corrupt can come back as content. Prints TAP.
 */
#include "loose.h"

#include <fcntl.h>
#include <libdeflate.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"

static unsigned long long rng = 0x9e3779b97f4a7c15ull;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static int sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

static char dir[256];

static void object_path(char *out, size_t n, const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), id);
	snprintf(out, n, "%s/.git/objects/%.2s/%s", dir, hex, hex + 2);
}

/* Replace the loose file of `id` by `data`. */
static void put_file(const git_oid *id, const void *data, size_t len)
{
	char path[512];
	FILE *f;

	object_path(path, sizeof(path), id);
	unlink(path);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len)
		abort();
	fclose(f);
}

/* Write a zlib stream of `data` as the loose file of `id`. */
static void put_zlib(const git_oid *id, const void *data, size_t len)
{
	struct libdeflate_compressor *c = libdeflate_alloc_compressor(6);
	size_t bound = libdeflate_zlib_compress_bound(c, len), n;
	char *out = malloc(bound);

	n = libdeflate_zlib_compress(c, data, len, out, bound);
	put_file(id, out, n);
	free(out);
	libdeflate_free_compressor(c);
}

/* Fill `buf` with text (mostly lines of printable bytes) or binary. */
static void random_content(char *buf, size_t len, int binary)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = binary ? (char)rnd(256) : rnd(40) == 0 ? '\n' : (char)(' ' + rnd(95));
}

/* Read `id` both ways; 1 when loose.c handled it and agreed with libgit2. */
static int same_as_libgit2(git_repository *repo, struct loose *l, const git_oid *id, size_t est)
{
	git_blob *b = NULL;
	char *raw;
	const char *data;
	size_t len, n;
	int agree;

	if (loose_read_blob(l, id, est, &raw, &data, &len) != 1)
		return 0;
	if (git_blob_lookup(&b, repo, id) < 0) {
		free(raw);
		return 0;
	}
	n = len < 8000 ? len : 8000;
	agree = len == (size_t)git_blob_rawsize(b) && !memcmp(data, git_blob_rawcontent(b), len) &&
		data[len] == '\0' &&
		git_blob_data_is_binary(data, n) == git_blob_is_binary(b);
	git_blob_free(b);
	free(raw);
	return agree;
}

static int not_handled(struct loose *l, const git_oid *id, size_t est)
{
	char *raw = (char *)1;
	const char *data = "x";
	size_t len = 1;
	int r = loose_read_blob(l, id, est, &raw, &data, &len);

	return r == 0 && raw == NULL && data == NULL && len == 0;
}

/* Corrupt: -1, nothing returned. */
static int corrupt(struct loose *l, const git_oid *id, size_t est)
{
	char *raw = (char *)1;
	const char *data = "x";
	size_t len = 1;
	int r = loose_read_blob(l, id, est, &raw, &data, &len);

	return r == -1 && raw == NULL && data == NULL && len == 0;
}

static int libgit2_fails(git_repository *repo, const git_oid *id)
{
	git_blob *b = NULL;
	int err = git_blob_lookup(&b, repo, id);

	git_blob_free(b);
	return err < 0;
}

#define NBLOBS 60

int main(void)
{
	git_repository *repo = NULL;
	struct loose l;
	git_oid ids[NBLOBS], id;
	size_t sizes[NBLOBS];
	char *buf = malloc(400000), path[512];
	int i, good = 1, bad;

	git_libgit2_init();
	snprintf(dir, sizeof(dir), "%s/leakgate-loose-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir) || sh("git init -q '%s'", dir) != 0 ||
	    git_repository_open(&repo, dir) < 0) {
		printf("Bail out! cannot make a repository\n");
		return 1;
	}
	unsetenv("GIT_OBJECT_DIRECTORY");
	loose_init(&l, repo);

	/* Random blobs, written by libgit2 (half) and by git (half). */
	for (i = 0; i < NBLOBS; i++) {
		size_t len = i < 3 ? (size_t)i : rnd(5) == 0 ? rnd(300000) : rnd(4000);

		random_content(buf, len, i % 4 == 3);
		if (i > 4 && rnd(6) == 0)
			buf[rnd((unsigned)len)] = '\0';
		if (i % 2 == 0) {
			if (git_blob_create_from_buffer(&ids[i], repo, buf, len) < 0)
				abort();
		} else {
			char file[300], hex[GIT_OID_HEXSZ + 1];
			FILE *f, *p;

			snprintf(file, sizeof(file), "%s/f", dir);
			f = fopen(file, "wb");
			fwrite(buf, 1, len, f);
			fclose(f);
			snprintf(path, sizeof(path), "git -C '%s' hash-object -w f", dir);
			p = popen(path, "r");
			if (!p || !fgets(hex, sizeof(hex), p) || git_oid_fromstr(&ids[i], hex) < 0)
				abort();
			pclose(p);
		}
		sizes[i] = len;
	}
	for (i = 0; i < NBLOBS; i++)
		good &= same_as_libgit2(repo, &l, &ids[i], sizes[i]);
	ok(good, "%d random blobs (exact size): same content and binary verdict as libgit2", NBLOBS);
	good = 1;
	for (i = 0; i < NBLOBS; i++)
		good &= same_as_libgit2(repo, &l, &ids[i], sizes[i] + 1000);
	ok(good, "a larger estimate gives the same content");
	good = 1;
	for (i = 3; i < NBLOBS; i++)
		if (sizes[i] > 200)
			good &= not_handled(&l, &ids[i], sizes[i] / 2);
	ok(good, "an estimate too small is not handled (libgit2 reads it)");

	/* Not a blob: the empty tree written loose. */
	if (git_odb_hash(&id, "", 0, GIT_OBJECT_TREE) < 0)
		abort();
	{
		git_odb *odb = NULL;

		git_repository_odb(&odb, repo);
		git_odb_write(&id, odb, "", 0, GIT_OBJECT_TREE);
		git_odb_free(odb);
	}
	ok(not_handled(&l, &id, 100), "a loose tree is not handled");

	/* Corrupt loose files: garbage, truncated, header lying about the size
	 * or the type. loose.c declines; libgit2 then fails (fail closed). */
	random_content(buf, 5000, 0);
	git_blob_create_from_buffer(&id, repo, buf, 5000);
	put_file(&id, "not zlib at all, just bytes", 27);
	ok(corrupt(&l, &id, 5000) && libgit2_fails(repo, &id), "garbage loose file: corrupt (libgit2 fails too)");

	git_blob_create_from_buffer(&id, repo, buf + 1, 4000);
	object_path(path, sizeof(path), &id);
	if (truncate(path, 40) < 0)
		abort();
	/* Not handed to libgit2: 1.5.1 loops forever on it. */
	ok(corrupt(&l, &id, 4000), "truncated loose file: corrupt");
	put_zlib(&id, buf + 1, 4000);
	object_path(path, sizeof(path), &id);
	{
		FILE *f = fopen(path, "r+b");

		fseek(f, -2, SEEK_END);
		fputc('!', f);
		fclose(f);
	}
	ok(corrupt(&l, &id, 4000), "bad adler32: corrupt");

	git_blob_create_from_buffer(&id, repo, buf + 2, 3000);
	memcpy(buf + 100000, "blob 2999", 9);
	buf[100009] = '\0';
	memcpy(buf + 100010, buf + 2, 3000);
	put_zlib(&id, buf + 100000, 3010);
	ok(not_handled(&l, &id, 3000) && libgit2_fails(repo, &id),
	   "header size not the content's: declined, libgit2 fails");

	git_blob_create_from_buffer(&id, repo, buf + 3, 2000);
	memcpy(buf + 100000, "blob  2000", 10);
	buf[100010] = '\0';
	memcpy(buf + 100011, buf + 3, 2000);
	put_zlib(&id, buf + 100000, 2011);
	bad = !not_handled(&l, &id, 2000);
	memcpy(buf + 100000, "blub 2000", 9);
	buf[100009] = '\0';
	memcpy(buf + 100010, buf + 3, 2000);
	put_zlib(&id, buf + 100000, 2010);
	bad |= !not_handled(&l, &id, 2000) || !libgit2_fails(repo, &id);
	put_zlib(&id, buf + 3, 2000);	/* no header at all */
	bad |= !not_handled(&l, &id, 2000) || !libgit2_fails(repo, &id);
	ok(!bad, "malformed headers: declined, libgit2 fails");

	/* A missing object: declined, libgit2 reports it missing. */
	memset(&id, 0x42, sizeof(id));
	ok(not_handled(&l, &id, 10) && libgit2_fails(repo, &id), "missing object: declined, libgit2 fails");

	/* Packed objects: no loose file, declined; libgit2 reads them. */
	{
		FILE *f;

		snprintf(path, sizeof(path), "%s/ids", dir);
		f = fopen(path, "w");
		for (i = 0; i < NBLOBS; i++) {
			char hex[GIT_OID_HEXSZ + 1];

			fprintf(f, "%s\n", git_oid_tostr(hex, sizeof(hex), &ids[i]));
		}
		fclose(f);
	}
	if (sh("cd '%s' && git pack-objects -q .git/objects/pack/pack <ids >/dev/null && "
	       "git prune-packed", dir) != 0) {
		ok(0, "cannot pack");
	} else {
		git_repository_free(repo);
		git_repository_open(&repo, dir);
		good = 1;
		for (i = 0; i < NBLOBS; i++) {
			git_blob *b = NULL;

			object_path(path, sizeof(path), &ids[i]);
			good &= access(path, F_OK) != 0 && not_handled(&l, &ids[i], sizes[i]) &&
				git_blob_lookup(&b, repo, &ids[i]) == 0 &&
				(size_t)git_blob_rawsize(b) == sizes[i];
			git_blob_free(b);
		}
		ok(good, "packed blobs: declined, libgit2 reads them");
	}
	loose_release(&l);

	/* GIT_OBJECT_DIRECTORY set: disabled altogether. */
	git_blob_create_from_buffer(&id, repo, "hello\n", 6);
	setenv("GIT_OBJECT_DIRECTORY", "/nonexistent", 1);
	loose_init(&l, repo);
	ok(not_handled(&l, &id, 6), "GIT_OBJECT_DIRECTORY set: nothing handled");
	loose_release(&l);
	unsetenv("GIT_OBJECT_DIRECTORY");
	loose_init(&l, repo);
	ok(same_as_libgit2(repo, &l, &id, 6), "without it, the same blob is read");
	loose_release(&l);
	loose_release(&l);	/* twice is harmless */

	git_repository_free(repo);
	sh("rm -rf '%s'", dir);
	free(buf);
	git_libgit2_shutdown();
	return tap_done();
}
