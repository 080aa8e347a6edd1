#include "loose.h"

#include <errno.h>
#include <fcntl.h>
#include <libdeflate.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"

/* "blob " + up to 20 digits + NUL, with room to spare. */
#define LOOSE_HEADER_MAX 64

void loose_init(struct loose *l, git_repository *repo)
{
	const char *env = getenv("GIT_OBJECT_DIRECTORY");
	const char *common = git_repository_commondir(repo);
	size_t n;

	memset(l, 0, sizeof(*l));
	if ((env && *env) || !common || !*common)
		return;
	if (!(l->d = libdeflate_alloc_decompressor()))
		return;
	n = strlen(common);
	/* dir + "objects/" + "xx/" + 38 hex + NUL */
	l->dir = xmalloc(n + 1 + 8 + 3 + GIT_OID_HEXSZ + 1);
	memcpy(l->dir, common, n);
	if (common[n - 1] != '/')
		l->dir[n++] = '/';
	memcpy(l->dir + n, "objects/", 8);
	l->dirlen = n + 8;
}

void loose_release(struct loose *l)
{
	if (l->d)
		libdeflate_free_decompressor(l->d);
	free(l->dir);
	free(l->in);
	memset(l, 0, sizeof(*l));
}

/* Read the whole file at `path` into l->in: its length, or -1. */
static ssize_t read_file(struct loose *l, const char *path)
{
	struct stat st;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOATIME);

	if (fd < 0 && errno == EPERM)
		fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (uint64_t)st.st_size > SIZE_MAX / 2) {
		close(fd);
		return -1;
	}
	if ((size_t)st.st_size > l->in_alloc) {
		free(l->in);
		l->in_alloc = (size_t)st.st_size;
		l->in = xmalloc(l->in_alloc);
	}
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, l->in + got, (size_t)st.st_size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			close(fd);
			return -1;
		}
		got += (size_t)r;
	}
	close(fd);
	return (ssize_t)got;
}

/* Parse "blob <size>\0" at the start of out[0..n): the header's length,
 * with *size the declared size; 0 when it is anything else. */
static size_t parse_header(const char *out, size_t n, size_t *size)
{
	size_t i = 5, v = 0;

	if (n < 7 || memcmp(out, "blob ", 5) != 0)
		return 0;
	if (out[i] < '0' || out[i] > '9' || (out[i] == '0' && i + 1 < n && out[i + 1] != '\0'))
		return 0;
	for (; i < n && i < LOOSE_HEADER_MAX && out[i] >= '0' && out[i] <= '9'; i++) {
		if (v > (SIZE_MAX - 9) / 10)
			return 0;
		v = v * 10 + (size_t)(out[i] - '0');
	}
	if (i >= n || out[i] != '\0')
		return 0;
	*size = v;
	return i + 1;
}

int loose_read_blob(struct loose *l, const git_oid *id, size_t estimate,
		    char **raw, const char **data, size_t *len)
{
	size_t cap, actual = 0, hdr, size = 0;
	ssize_t in;
	char *out;
	enum libdeflate_result r;

	*raw = NULL;
	*data = NULL;
	*len = 0;
	if (!l->dir || estimate > SIZE_MAX - LOOSE_HEADER_MAX - 1)
		return 0;
	git_oid_fmt(l->dir + l->dirlen, id);
	/* "xxyyyy..." -> "xx/yyyy..." */
	memmove(l->dir + l->dirlen + 3, l->dir + l->dirlen + 2, GIT_OID_HEXSZ - 2);
	l->dir[l->dirlen + 2] = '/';
	l->dir[l->dirlen + GIT_OID_HEXSZ + 1] = '\0';
	if ((in = read_file(l, l->dir)) < 0)
		return 0;	/* packed, or elsewhere: libgit2 finds it */
	cap = estimate + LOOSE_HEADER_MAX;
	out = xmalloc(cap + 1);
	r = libdeflate_zlib_decompress(l->d, l->in, (size_t)in, out, cap, &actual);
	if (r == LIBDEFLATE_BAD_DATA) {
		/* Not a zlib stream, truncated, or a bad checksum: git calls
		 * such an object corrupt, and libgit2 1.5 loops forever on a
		 * truncated one, so do not hand it over. */
		free(out);
		return -1;
	}
	if (r != LIBDEFLATE_SUCCESS || !(hdr = parse_header(out, actual, &size)) ||
	    size != actual - hdr) {
		free(out);
		return 0;
	}
	out[actual] = '\0';
	*raw = out;
	*data = out + hdr;
	*len = size;
	return 1;
}
