#include "init.h"

#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "msg.h"
#include "policy.h"
#include "source.h"

#define GITIGNORE_HEADER "# Files that hold secrets stay out of git (added by leakgate init)"

static const char leakgate_ini[] =
	"# leakgate — the secret check that runs before every commit.\n"
	"# Commit this file: everyone who clones the repository gets the same\n"
	"# checks. Every key is described in config/leakgate.example.ini of\n"
	"# leakgate's sources; what is shown commented out are the defaults or\n"
	"# examples. A value continues on the following indented lines.\n"
	"\n"
	"[leakgate]\n"
	"# Kinds of findings that block the commit (the others are warnings):\n"
	"# secret, policy (files such as .env or id_rsa), gitignore, skipped.\n"
	"block = secret, policy\n"
	"# An .env-like file next to what you commit that git does not ignore:\n"
	"# warn | block | off\n"
	"gitignore-check = warn\n"
	"# Blobs larger than this are reported as skipped, not scanned.\n"
	"# max-blob-size = 50MiB\n"
	"\n"
	"[allow]\n"
	"# Findings to let through, reviewed in pull requests like code.\n"
	"# paths = tests/fixtures/**\n"
	"# fingerprints = 3f2a9c01d4e5b6a7\n"
	"# rules = generic-secret\n"
	"\n"
	"[policy]\n"
	"# File names that must never be committed, besides the built-in ones\n"
	"# (.env, id_rsa, *.p12, ...), and names the policy lets through.\n"
	"# forbid = secrets.yml, *.secret\n"
	"# allow = .env.test\n";

/* The line without trailing white space and CR, as git compares it. */
static size_t trimmed_len(const char *s, size_t n)
{
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	return n;
}

static int has_line(const char *text, size_t len, const char *line)
{
	size_t want = strlen(line), pos = 0;

	while (pos < len) {
		const char *s = text + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;

		if (trimmed_len(s, n) == want && !memcmp(s, line, want))
			return 1;
		pos += n + 1;
	}
	return 0;
}

void init_gitignore_text(struct buf *out, const char *old, size_t len,
			 const struct strlist *lines, size_t *nadded)
{
	const char *eol = old && memmem(old, len, "\r\n", 2) ? "\r\n" : "\n";
	struct strlist add = { 0 };
	size_t i, positives = 0;

	*nadded = 0;
	for (i = 0; i < lines->n; i++) {
		const char *l = lines->v[i];

		if (l[0] != '!' && !has_line(old, len, l)) {
			strlist_push(&add, l);
			positives++;
		}
	}
	for (i = 0; i < lines->n; i++) {
		const char *l = lines->v[i];

		if (l[0] == '!' && (positives || !has_line(old, len, l)))
			strlist_push(&add, l);
	}
	buf_reset(out);
	if (add.n) {
		if (len && old[len - 1] != '\n')
			buf_adds(out, eol);
		if (!has_line(old, len, GITIGNORE_HEADER)) {
			if (len)
				buf_adds(out, eol);
			buf_adds(out, GITIGNORE_HEADER);
			buf_adds(out, eol);
		}
		for (i = 0; i < add.n; i++) {
			buf_adds(out, add.v[i]);
			buf_adds(out, eol);
		}
	}
	*nadded = add.n;
	strlist_release(&add);
}

static int read_file(const char *path, struct buf *b, int *exists)
{
	char chunk[65536];
	FILE *f = fopen(path, "rb");
	size_t n;

	*exists = 0;
	if (!f) {
		if (errno == ENOENT)
			return 0;
		errorf("cannot read '%s': %s", path, strerror(errno));
		return -1;
	}
	*exists = 1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(b, chunk, n);
	if (ferror(f)) {
		errorf("cannot read '%s': %s", path, strerror(errno));
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

static int write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Create path with text unless it exists. 1 written, 0 kept, -1 error. */
static int create_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);

	if (fd < 0) {
		if (errno == EEXIST)
			return 0;
		errorf("cannot create '%s': %s", path, strerror(errno));
		return -1;
	}
	if (write_all(fd, text, strlen(text)) < 0 || close(fd) < 0) {
		errorf("cannot write '%s': %s", path, strerror(errno));
		return -1;
	}
	return 1;
}

/* Append text to path (created if missing); existing bytes untouched. */
static int append_file(const char *path, const char *text, size_t n)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0644);

	if (fd < 0) {
		errorf("cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	if (write_all(fd, text, n) < 0 || close(fd) < 0) {
		errorf("cannot write '%s': %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int cmd_init(struct options *o)
{
	git_repository *repo = NULL;
	struct policy *pol = NULL;
	struct strlist lines = { 0 };
	struct buf path = BUF_INIT, old = BUF_INIT, add = BUF_INIT;
	const char *wd;
	size_t nadded;
	int rc, exists, exitcode = EXIT_INTERNAL;

	(void)o;
	rc = source_open(&repo);
	if (rc < 0)
		return rc == -1 ? EXIT_USAGE : EXIT_INTERNAL;
	if (!(wd = git_repository_workdir(repo))) {
		errorf("leakgate init needs a work tree; this repository is bare");
		exitcode = EXIT_USAGE;
		goto out;
	}
	buf_printf(&path, "%s.leakgate.ini", wd);
	if ((rc = create_file(path.ptr, leakgate_ini)) < 0)
		goto out;
	infof(rc ? "wrote .leakgate.ini (commit it to share the settings)"
		 : ".leakgate.ini already exists: left as it is");

	if (policy_new(&pol, NULL, NULL, NULL, NULL) < 0)
		goto out;
	policy_ignore_lines(pol, &lines);
	buf_reset(&path);
	buf_printf(&path, "%s.gitignore", wd);
	if (read_file(path.ptr, &old, &exists) < 0)
		goto out;
	init_gitignore_text(&add, old.ptr, old.len, &lines, &nadded);
	if (nadded) {
		if (append_file(path.ptr, add.ptr, add.len) < 0)
			goto out;
		infof("%s .gitignore: added %zu %s", exists ? "updated" : "created", nadded,
		      nadded == 1 ? "line" : "lines");
	} else {
		infof(".gitignore already keeps .env files out: left as it is");
	}
	exitcode = EXIT_CLEAN;
out:
	strlist_release(&lines);
	buf_release(&path);
	buf_release(&old);
	buf_release(&add);
	policy_free(pol);
	git_repository_free(repo);
	return exitcode;
}
