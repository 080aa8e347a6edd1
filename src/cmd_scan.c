/*
 * cmd_scan.c — the commands beyond the pre-commit hook:
 *
 *   leakgate scan [PATH...]          files and directories on disk
 *   leakgate scan --staged           the pre-commit scan (main.c)
 *   leakgate scan --commits RANGE    history, one struct scan per thread
 *   leakgate scan --all              every ref's history
 *   leakgate pre-push [REMOTE URL]   the commits a push sends (refs on stdin)
 *   leakgate commit-msg FILE         a commit message
 *
 * Each sets up the same pipeline as pre-commit (config layers, rules,
 * engine), feeds it from its source, then sorts, marks and reports the
 * findings through report_emit(). Exit codes as in main.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "baseline.h"
#include "buf.h"
#include "cli.h"
#include "msg.h"
#include "scan.h"
#include "source.h"
#include "source_fs.h"
#include "source_history.h"

/* Most threads a history scan starts by default (one per core up to it). */
#define HISTORY_MAX_JOBS 8

static const char history_advice[] =
	"  - A secret in a commit stays readable in every clone even after the file\n"
	"    is fixed: revoke the key and issue a new one first.\n"
	"  - Commits not yet pushed: remove the secret and rewrite them (git commit\n"
	"    --amend for the last one, git rebase -i for older ones).\n"
	"  - Already pushed: after revoking, rewrite the history with git filter-repo\n"
	"    if it must go, or accept the old findings with a baseline (README).\n"
	"  - A false positive? Put 'leakgate:allow' in a comment on that line, or add\n"
	"    its fingerprint to [allow] fingerprints in .leakgate.ini.\n";

static const char push_advice[] =
	"  - The secret is in a commit this push would send. Remove it from the file,\n"
	"    then rewrite the commit that added it (git commit --amend for the last\n"
	"    one, git rebase -i for older ones) so that no pushed commit holds it.\n"
	"  - If the key was ever shared, revoke it and issue a new one.\n"
	"  - A false positive? Put 'leakgate:allow' in a comment on that line, or add\n"
	"    its fingerprint to [allow] fingerprints in .leakgate.ini.\n";

static const char files_advice[] =
	"  - Remove the secret from the file and load it from the environment or a\n"
	"    secret manager instead (e.g. os.environ[\"API_KEY\"], process.env.API_KEY).\n"
	"  - If the key was ever committed, pushed or shared, revoke it and issue a\n"
	"    new one: removing it from the file does not make it safe again.\n"
	"  - A false positive? Put 'leakgate:allow' in a comment on that line, or add\n"
	"    its fingerprint to [allow] fingerprints in .leakgate.ini.\n";

static const char msg_advice[] =
	"  - Remove the secret from the commit message. git kept the message in\n"
	"    .git/COMMIT_EDITMSG: edit it there and commit again with\n"
	"    git commit -e -F .git/COMMIT_EDITMSG\n"
	"  - If the key was ever shared, revoke it and issue a new one.\n";

void report_emit(const struct options *o, const struct findings *f,
		 const struct rules *r, const struct report_ctx *ctx)
{
	int text = !strcmp(o->format, "text");

	if (!strcmp(o->format, "json"))
		report_json(stdout, f);
	else if (!strcmp(o->format, "sarif"))
		report_sarif(stdout, f, r, leakgate_version);
	if (text || msg_verbosity() > 0)
		report_text(stderr, f, ctx);
}

/* Everything a scan command sets up, released by session_close(). */
struct session {
	git_repository *repo;	/* may be NULL when not required */
	struct pipeline p;	/* config, rules and one scan */
};

static void session_close(struct session *s)
{
	pipeline_close(&s->p);
	git_repository_free(s->repo);
	s->repo = NULL;
}

/* Open the repository (required, or only if there is one) and the
 * pipeline. Returns 0 or an exit code. */
static int session_open(struct session *s, struct options *o, int need_repo)
{
	int rc;

	memset(s, 0, sizeof(*s));
	if (need_repo || getenv("GIT_DIR")) {
		rc = source_open(&s->repo);
		if (rc < 0)
			return rc == -1 ? EXIT_USAGE : EXIT_INTERNAL;
	} else if (git_repository_open_ext(&s->repo, ".", 0, NULL) < 0) {
		git_error_clear();
		s->repo = NULL;	/* not in a repository: built-in and user config */
	}
	return pipeline_open(&s->p, o, s->repo);
}

static int show_progress(void)
{
	return isatty(STDERR_FILENO) && msg_verbosity() >= 0;
}

/* CPU seconds (user and system, all threads) used so far. */
static double cpu_seconds(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) < 0)
		return 0;
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sort, mark, report (or write the baseline); the exit code. */
static int finish(struct options *o, struct session *s, struct findings *f,
		  const struct report_ctx *ctx)
{
	size_t nblock;

	findings_sort(f);
	if (o->write_baseline) {
		/* As for scan --staged --write-baseline (main.c). */
		long n = baseline_write(o->write_baseline, f);
		int rc = n < 0 ? EXIT_USAGE : EXIT_CLEAN;

		if (n >= 0)
			infof("wrote %ld %s to %s", n, n == 1 ? "fingerprint" : "fingerprints",
			      o->write_baseline);
		if (n >= 0 && f->over_cap) {
			errorf("%zu findings over the limits (%d per file, %d per run) are not "
			       "in the baseline and will be reported", f->over_cap,
			       MAX_FINDINGS_PER_FILE, MAX_FINDINGS_PER_RUN);
			rc = EXIT_BLOCKED;
		}
		return rc;
	}
	nblock = findings_mark_blocking(f, s->p.cfg.set.block);
	report_emit(o, f, &s->p.rules, ctx);
	return nblock > 0 || f->over_cap ? EXIT_BLOCKED : EXIT_CLEAN;
}

/* Move src's findings to the end of dst; src is left empty. */
static void findings_move(struct findings *dst, struct findings *src)
{
	if (dst->n + src->n > dst->alloc) {
		dst->alloc = dst->n + src->n;
		dst->v = xrealloc(dst->v, dst->alloc * sizeof(*dst->v));
	}
	if (src->n)
		memcpy(dst->v + dst->n, src->v, src->n * sizeof(*src->v));
	dst->n += src->n;
	dst->over_cap += src->over_cap;
	free(src->v);
	memset(src, 0, sizeof(*src));
}

/* ---- history ---- */

static void tag_commit(struct scan *sc, size_t from, const struct chunk *c)
{
	size_t i;

	for (i = from; i < sc->findings.n; i++) {
		sc->findings.v[i].commit = xstrdup(c->commit);
		sc->findings.v[i].date = xstrdup(c->date);
		sc->findings.v[i].commit_seq = c->commit_seq;
	}
}

static int history_chunk(void *ctx, const struct chunk *c)
{
	struct scan *sc = ctx;
	size_t before = sc->findings.n;
	int rc;

	sc->cap_path = NULL;	/* the per-file cap is per file and commit */
	rc = scan_chunk(sc, c);
	tag_commit(sc, before, c);
	return rc;
}

static int history_skipped(void *ctx, const struct chunk *c, const char *why)
{
	struct scan *sc = ctx;
	size_t before = sc->findings.n;
	int rc = scan_skipped(sc, c->path, why);

	tag_commit(sc, before, c);
	return rc;
}

static int default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		n = 1;
	return n > HISTORY_MAX_JOBS ? HISTORY_MAX_JOBS : (int)n;
}

/* Scan the commits h selects; ctx describes them. Worker 0 uses the
 * pipeline's scan, the others scans of their own on the same rules. */
static int scan_history(struct options *o, struct session *s, struct history_opts *h,
			struct report_ctx *ctx)
{
	int njobs = o->jobs ? o->jobs : default_jobs();
	struct scan *extra = xcalloc((size_t)njobs, sizeof(*extra));
	struct history_cb *cbs = xcalloc((size_t)njobs, sizeof(*cbs));
	struct history_stats hst;
	struct findings all = { 0 };
	double t0 = now_seconds(), c0 = cpu_seconds(), secs, cpu;
	int i, rc = 0, exitcode = EXIT_INTERNAL;

	memset(&hst, 0, sizeof(hst));
	for (i = 0; i < njobs; i++) {
		struct scan *sc = i ? &extra[i] : &s->p.scan;

		/* The database is in the cache by now: each extra scan loads
		 * it rather than compiling it again (unless --no-cache). */
		if (i && (rc = scan_init(sc, &s->p.cfg, &s->p.rules, s->p.cache)) < 0) {
			exitcode = rc == -1 ? EXIT_USAGE : EXIT_INTERNAL;
			goto out;
		}
		cbs[i].chunk = history_chunk;
		cbs[i].skipped = history_skipped;
		cbs[i].ctx = sc;
	}
	h->max_blob_size = s->p.cfg.set.max_blob_size;
	h->scan_binary = s->p.cfg.set.scan_binary;
	h->progress = show_progress();
	rc = source_history(s->repo, h, cbs, njobs, &hst);
	if (rc) {
		exitcode = rc == -2 ? EXIT_USAGE : EXIT_INTERNAL;
		goto out;
	}
	secs = now_seconds() - t0;
	cpu = cpu_seconds() - c0;
	for (i = 0; i < njobs; i++)
		findings_move(&all, i ? &extra[i].findings : &s->p.scan.findings);
	/* Each scan kept up to the per-run cap: apply it to the whole run,
	 * keeping the first findings in sorted order. */
	findings_sort(&all);
	if (all.n > MAX_FINDINGS_PER_RUN) {
		struct findings cut = { 0 };

		cut.n = cut.alloc = all.n - MAX_FINDINGS_PER_RUN;
		cut.v = xmalloc(cut.n * sizeof(*cut.v));
		memcpy(cut.v, all.v + MAX_FINDINGS_PER_RUN, cut.n * sizeof(*cut.v));
		all.over_cap += cut.n;
		all.n = MAX_FINDINGS_PER_RUN;
		findings_release(&cut);
	}
	verbosef("scanned %zu commits: %zu distinct blobs, %zu files, %llu bytes in %.2f s "
		 "(%.1f MB/s, %d threads, %.2f s of CPU); %zu repeated blobs not rescanned",
		 hst.commits, hst.blobs, hst.src.files, hst.src.bytes, secs,
		 secs > 0 ? (double)hst.src.bytes / 1e6 / secs : 0.0, njobs, cpu, hst.repeats);
	ctx->stats = &hst.src;
	exitcode = finish(o, s, &all, ctx);
out:
	findings_release(&all);
	for (i = 1; i < njobs; i++)
		scan_release(&extra[i]);
	free(extra);
	free(cbs);
	return exitcode;
}

static int cmd_scan_commits(struct options *o)
{
	struct session s;
	struct history_opts h;
	struct report_ctx ctx = { 0 };
	struct buf what = BUF_INIT;
	int rc;

	memset(&h, 0, sizeof(h));
	h.all = o->all;
	h.range = o->commits;
	if (h.range && !strcmp(h.range, "--all")) {	/* scan --commits --all */
		h.all = 1;
		h.range = NULL;
	}
	if ((rc = session_open(&s, o, 1)) != 0)
		goto out;
	if (h.all)
		buf_adds(&what, "the history of every ref");
	else
		buf_printf(&what, "commits %s", h.range);
	ctx.what = what.ptr;
	ctx.advice = history_advice;
	rc = scan_history(o, &s, &h, &ctx);
out:
	session_close(&s);
	buf_release(&what);
	return rc;
}

/* ---- files on disk ---- */

static int cmd_scan_files(struct options *o)
{
	static char dot[] = ".";
	char *here[] = { dot };
	struct session s;
	struct fs_opts fo;
	struct fs_stats st;
	struct source_cb cb;
	struct report_ctx ctx = { 0 };
	int rc;

	memset(&st, 0, sizeof(st));
	if ((rc = session_open(&s, o, 0)) != 0)
		goto out;
	memset(&fo, 0, sizeof(fo));
	fo.max_blob_size = s.p.cfg.set.max_blob_size;
	fo.scan_binary = s.p.cfg.set.scan_binary;
	fo.no_ignore = o->no_ignore;
	fo.progress = show_progress();
	cb.chunk = scan_chunk;
	cb.skipped = scan_skipped;
	cb.ctx = &s.p.scan;
	rc = source_fs(o->nargs ? o->args : here, o->nargs ? (size_t)o->nargs : 1, &fo, &cb, &st);
	if (rc) {
		rc = rc == -2 ? EXIT_USAGE : EXIT_INTERNAL;
		goto out;
	}
	verbosef("%zu files or directories ignored (.gitignore)%s", st.ignored,
		 o->no_ignore ? "" : "; --no-ignore scans them");
	ctx.what = "files";
	ctx.advice = files_advice;
	ctx.stats = &st.src;
	rc = finish(o, &s, &s.p.scan.findings, &ctx);
	if (st.unreadable && rc == EXIT_CLEAN) {
		errorf("%zu files could not be read (see above)", st.unreadable);
		rc = EXIT_INTERNAL;
	}
out:
	session_close(&s);
	return rc;
}

int cmd_scan(struct options *o)
{
	if (o->staged) {
		if (o->nargs || o->commits || o->all)
			die_usage("scan: %s", "--staged takes no paths, --commits or --all");
		return cmd_pre_commit(o);
	}
	if (o->commits || o->all) {
		if (o->nargs)
			die_usage("scan: --commits and --all take no paths (got '%s')", o->args[0]);
		if (o->no_ignore)
			die_usage("scan: %s", "--no-ignore is for files on disk, not commits");
		return cmd_scan_commits(o);
	}
	return cmd_scan_files(o);
}

/* ---- pre-push ---- */

static int is_zero_oid(const char *hex)
{
	return strspn(hex, "0") == strlen(hex);
}

/* Parse git's pre-push input: "<local ref> <local sha> <remote ref>
 * <remote sha>" per line. Returns 0, -1 on malformed input, -2 on a repository error (printed). */
static int read_push_lines(git_repository *repo, struct history_opts *h, size_t *nrefs)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long lineno = 0;
	git_odb *odb = NULL;
	int rc = 0;

	if (git_repository_odb(&odb, repo) < 0) {
		source_git_error("cannot open the object database");
		return -2;
	}
	while (!rc && (len = getline(&line, &cap, stdin)) >= 0) {
		char lref[1024], lsha[128], rref[1024], rsha[128];
		git_oid lid, rid;

		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (!len)
			continue;
		if (len > 2000 || sscanf(line, "%1023s %127s %1023s %127s", lref, lsha, rref, rsha) != 4 ||
		    git_oid_fromstrp(&lid, lsha) < 0 || git_oid_fromstrp(&rid, rsha) < 0) {
			errorf("pre-push: line %ld of standard input is not "
			       "'<local ref> <local sha> <remote ref> <remote sha>'", lineno);
			rc = -1;
			break;
		}
		if (is_zero_oid(lsha)) {
			verbosef("pre-push: %s is deleted: nothing to scan", rref);
			continue;
		}
		{
			/* Tags are pushed too: walk from the commit they name.
			 * A tag of a tree or blob has no history to scan. */
			git_object *obj = NULL, *peeled = NULL;

			if (git_object_lookup(&obj, repo, &lid, GIT_OBJECT_ANY) < 0) {
				source_git_error("pre-push: cannot read the object to push");
				git_odb_free(odb);
				free(line);
				return -2;
			}
			if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
				git_error_clear();
				warnf("pre-push: %s names no commit: nothing to scan", lref);
				git_object_free(obj);
				continue;
			}
			oid_list_push(&h->push, git_object_id(peeled));
			git_object_free(peeled);
			git_object_free(obj);
		}
		(*nrefs)++;
		if (is_zero_oid(rsha)) {
			/* A new branch: everything the remote does not have yet,
			 * as far as the remote-tracking refs know. */
			h->hide_remotes = 1;
		} else if (git_odb_exists(odb, &rid)) {
			git_object *obj = NULL, *peeled = NULL;

			/* What the remote has; a tag of a tree or blob hides
			 * no history. */
			if (git_object_lookup(&obj, repo, &rid, GIT_OBJECT_ANY) == 0 &&
			    git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) == 0)
				oid_list_push(&h->hide, git_object_id(peeled));
			git_error_clear();
			git_object_free(peeled);
			git_object_free(obj);
		} else {
			/* The remote has commits we never fetched (a forced
			 * push): fall back on what the remote-tracking refs know. */
			h->hide_remotes = 1;
		}
	}
	free(line);
	git_odb_free(odb);
	return rc;
}

int cmd_pre_push(struct options *o)
{
	struct session s;
	struct history_opts h;
	struct report_ctx ctx = { 0 };
	size_t nrefs = 0;
	int rc;

	if (o->nargs > 2)
		die_usage("pre-push: %s", "usage: leakgate pre-push [REMOTE [URL]] <refs on stdin>");
	memset(&h, 0, sizeof(h));
	if ((rc = session_open(&s, o, 1)) != 0)
		goto out;
	if ((rc = read_push_lines(s.repo, &h, &nrefs)) < 0) {
		rc = rc == -1 ? EXIT_USAGE : EXIT_INTERNAL;
		goto out;
	}
	if (!nrefs) {
		rc = EXIT_CLEAN;
		goto out;
	}
	ctx.what = "the commits to push";
	ctx.hook = 1;
	ctx.action = "push";
	ctx.advice = push_advice;
	rc = scan_history(o, &s, &h, &ctx);
out:
	oid_list_release(&h.push);
	oid_list_release(&h.hide);
	session_close(&s);
	return rc;
}

/* ---- commit-msg ---- */

/* Where git's "cut here" line starts (what follows is git commit -v's
 * diff, not the message), or len. */
static size_t scissors(const char *s, size_t len)
{
	static const char cut[] = " ------------------------ >8 ------------------------";
	size_t i = 0;

	while (i < len) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - s) : len;

		if (end - i >= sizeof(cut) && !memcmp(s + i + 1, cut, sizeof(cut) - 1))
			return i;
		i = end + 1;
	}
	return len;
}

int cmd_commit_msg(struct options *o)
{
	struct session s;
	struct report_ctx ctx = { 0 };
	struct buf msg = BUF_INIT;
	FILE *fp = NULL;
	char chunk[65536];
	size_t n;
	int rc;

	if (o->nargs != 1)
		die_usage("commit-msg: %s", "usage: leakgate commit-msg FILE");
	if ((rc = session_open(&s, o, 0)) != 0)
		goto out;
	if (!(fp = fopen(o->args[0], "rb"))) {
		errorf("cannot read the commit message '%s': %s", o->args[0], strerror(errno));
		rc = EXIT_USAGE;
		goto out;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (msg.len + n > s.p.cfg.set.max_blob_size) {
			errorf("the commit message '%s' is over max-blob-size", o->args[0]);
			rc = EXIT_USAGE;
			goto out;
		}
		buf_add(&msg, chunk, n);
	}
	if (ferror(fp)) {
		errorf("cannot read the commit message '%s': %s", o->args[0], strerror(errno));
		rc = EXIT_INTERNAL;
		goto out;
	}
	/* Comment lines are scanned too: with -m they stay in the commit. */
	if (scan_buffer(&s.p.scan, o->args[0], msg.ptr, scissors(msg.ptr, msg.len)) < 0) {
		rc = EXIT_INTERNAL;
		goto out;
	}
	ctx.what = "the commit message";
	ctx.hook = 1;
	ctx.advice = msg_advice;
	rc = finish(o, &s, &s.p.scan.findings, &ctx);
out:
	if (fp)
		fclose(fp);
	buf_release(&msg);
	session_close(&s);
	return rc;
}
