/*
 * replay.c — run a fuzz target over its corpus without libFuzzer.
 *
 * usage: fuzz-NAME.t [DIR|FILE]...   (default: the corpus compiled in as
 * FUZZ_CORPUS). Every input is run once, in name order, and reported as a
 * TAP line, so prove runs the corpus as a regression suite. leakgate's own
 * error messages (a fuzzed config is mostly wrong) are silenced unless
 * FUZZ_VERBOSE is set; oracle failures and crashes still show.
 *
 * Corpus files are stored XOR-ed with FUZZ_XOR, byte by byte: fuzzing
 * finds inputs shaped like real keys, and the repository must hold no
 * secret-shaped text (its own hook, and push protection, would flag it).
 * `fuzz-NAME.t --xor SRC DST` converts every file of directory SRC into
 * DST, both ways (make fuzz uses it to seed libFuzzer and to keep what
 * it found).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static FILE *err_stream;

FILE *fuzz_err(void)
{
	return err_stream ? err_stream : stderr;
}

#define FUZZ_XOR 0xa5

static int count;

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *data = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		printf("not ok %d - %s: %s\n", ++count, path, strerror(errno));
		return 1;
	}
	for (;;) {
		if (len == cap) {
			cap = cap ? 2 * cap : 65536;
			data = realloc(data, cap);
			if (!data)
				abort();
		}
		n = fread(data + len, 1, cap - len, f);
		if (!n)
			break;
		len += n;
	}
	fclose(f);
	for (n = 0; n < len; n++)
		data[n] ^= FUZZ_XOR;
	/* A copy of exactly len bytes, so ASan sees reads past the end. */
	{
		unsigned char *exact = malloc(len ? len : 1);

		if (!exact)
			abort();
		memcpy(exact, data, len);
		free(data);
		LLVMFuzzerTestOneInput(exact, len);
		free(exact);
	}
	fflush(stdout);
	printf("ok %d - %s\n", ++count, path);
	fflush(stdout);
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_path(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, alloc = 0, i;
	int bad = 0;

	if (stat(path, &st) < 0) {
		printf("not ok %d - %s: %s\n", ++count, path, strerror(errno));
		return 1;
	}
	if (!S_ISDIR(st.st_mode))
		return run_file(path);
	if (!(d = opendir(path)))
		return 1;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == alloc) {
			alloc = alloc ? 2 * alloc : 64;
			names = realloc(names, alloc * sizeof(*names));
			if (!names)
				abort();
		}
		names[n] = malloc(strlen(path) + strlen(e->d_name) + 2);
		if (!names[n])
			abort();
		sprintf(names[n++], "%s/%s", path, e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp);
	for (i = 0; i < n; i++) {
		bad |= run_path(names[i]);
		free(names[i]);
	}
	free(names);
	return bad;
}

/* Copy every file of src into dst, XOR-ed; 0 or 1. */
static int xor_dir(const char *src, const char *dst)
{
	DIR *d = opendir(src);
	struct dirent *e;
	int bad = 0;

	if (!d) {
		fprintf(stderr, "cannot open %s: %s\n", src, strerror(errno));
		return 1;
	}
	mkdir(dst, 0777);
	while ((e = readdir(d))) {
		char in[4096], out[4096];
		unsigned char chunk[65536];
		FILE *fi, *fo;
		size_t n, i;

		if (e->d_name[0] == '.')
			continue;
		snprintf(in, sizeof(in), "%s/%s", src, e->d_name);
		snprintf(out, sizeof(out), "%s/%s", dst, e->d_name);
		if (!(fi = fopen(in, "rb")) || !(fo = fopen(out, "wb"))) {
			fprintf(stderr, "cannot copy %s: %s\n", in, strerror(errno));
			if (fi)
				fclose(fi);
			bad = 1;
			continue;
		}
		while ((n = fread(chunk, 1, sizeof(chunk), fi)) > 0) {
			for (i = 0; i < n; i++)
				chunk[i] ^= FUZZ_XOR;
			fwrite(chunk, 1, n, fo);
		}
		fclose(fi);
		bad |= fclose(fo) != 0;
	}
	closedir(d);
	return bad;
}

int main(int argc, char **argv)
{
	int i, bad = 0, fd;

	if (argc == 4 && !strcmp(argv[1], "--xor"))
		return xor_dir(argv[2], argv[3]);

	/* Oracle messages keep the real stderr; leakgate's go to /dev/null. */
	fd = dup(2);
	err_stream = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!getenv("FUZZ_VERBOSE") && (fd = open("/dev/null", O_WRONLY)) >= 0) {
		dup2(fd, 2);
		close(fd);
	}
	LLVMFuzzerInitialize(&argc, &argv);
	if (argc < 2)
		bad |= run_path(FUZZ_CORPUS);
	for (i = 1; i < argc; i++)
		bad |= run_path(argv[i]);
	if (!count)
		printf("ok 1 - # SKIP empty corpus\n"), count = 1;
	printf("1..%d\n", count);
	return bad;
}
