/*
 * main.c — argv to options, the command table, the pipeline, exit codes.
 *
 * The only file that calls exit(). Exit codes (DESIGN.md): 0 nothing
 * blocking, 1 blocking findings, 2 bad usage or config, 3 internal error.
 * As a hook, anything but 0 aborts the commit, and every non-zero exit
 * says why and how to bypass once.
 */
#include <getopt.h>
#include <git2.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "allow.h"
#include "baseline.h"
#include "buf.h"
#include "cli.h"
#include "config.h"
#include "engine.h"
#include "finding.h"
#include "init.h"
#include "msg.h"
#include "policy.h"
#include "report.h"
#include "rules.h"
#include "scan.h"
#include "source.h"
#include "testhook.h"

#ifndef LEAKGATE_VERSION
#define LEAKGATE_VERSION "0.1.0"
#endif
const char leakgate_version[] = LEAKGATE_VERSION;

static const char usage_text[] =
	"usage: leakgate [COMMAND] [OPTIONS]\n"
	"\n"
	"Stops API keys and other credentials from being committed.\n"
	"\n"
	"Commands:\n"
	"  pre-commit            scan what is staged (the default; what the hook runs)\n"
	"  scan --staged         the same, as a command\n"
	"  scan [PATH...]        scan files and directories on disk (default: .),\n"
	"                        honouring .gitignore (--no-ignore: everything)\n"
	"  scan --commits RANGE  scan the lines each commit added (A..B, or one rev\n"
	"                        for its whole history); --all: every ref\n"
	"  pre-push [REMOTE URL] scan the commits a push sends (refs on stdin, as\n"
	"                        git gives them to the pre-push hook)\n"
	"  commit-msg FILE       scan a commit message (the commit-msg hook)\n"
	"  rules                 list the rules (id, provider, description)\n"
	"  rules --check [FILE]  run every rule's examples through the engine;\n"
	"                        with FILE, check the custom rules in FILE\n"
	"  config [--unused]     print the effective configuration and where each\n"
	"                        value came from; --unused: allowlist entries that\n"
	"                        match nothing in the files of the index\n"
	"  scan --staged --write-baseline FILE\n"
	"                        record the fingerprints of the findings in every\n"
	"                        file of the index (adopting the hook: a baseline);\n"
	"                        with --all, --commits or PATH: of those findings\n"
	"  init                  write .leakgate.ini if absent, add the .env patterns\n"
	"                        to .gitignore (idempotent)\n"
	"  version               print the version\n"
	"\n"
	"Options:\n"
	"  --format text|json|sarif  report format (json: JSON Lines on stdout)\n"
	"  --config FILE             read FILE after the other config layers\n"
	"  --color auto|always|never colour on a terminal (NO_COLOR is honoured)\n"
	"  --no-cache                compile the rules, ignoring the cache\n"
	"  -q, --quiet               print only what blocks\n"
	"  -v, --verbose             say what was scanned and skipped\n"
	"  -j, --jobs N              threads for history scans (default: one per core)\n"
	"  --version, -h/--help\n"
	"\n"
	"Exit status: 0 clean, 1 blocking findings, 2 usage or config error,\n"
	"3 internal error. To bypass the hook once: git commit --no-verify\n";

void die_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "leakgate: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n(see 'leakgate --help')\n");
	exit(EXIT_USAGE);
}

static void parse_options(struct options *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "config", required_argument, NULL, 'c' },
		{ "color", required_argument, NULL, 'C' },
		{ "no-cache", no_argument, NULL, 'N' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "staged", no_argument, NULL, 'S' },
		{ "check", no_argument, NULL, 'K' },
		{ "write-baseline", required_argument, NULL, 'B' },
		{ "unused", no_argument, NULL, 'U' },
		{ "commits", required_argument, NULL, 'R' },
		{ "all", no_argument, NULL, 'A' },
		{ "no-ignore", no_argument, NULL, 'I' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+qvhc:f:j:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (strcmp(optarg, "text") && strcmp(optarg, "json") && strcmp(optarg, "sarif"))
				die_usage("--format: '%s' is not text, json or sarif", optarg);
			o->format = optarg;
			break;
		case 'c': o->config_file = optarg; break;
		case 'C':
			if (!strcmp(optarg, "auto"))
				o->color = COLOR_AUTO;
			else if (!strcmp(optarg, "always"))
				o->color = COLOR_ALWAYS;
			else if (!strcmp(optarg, "never"))
				o->color = COLOR_NEVER;
			else
				die_usage("--color: '%s' is not auto, always or never", optarg);
			break;
		case 'N': o->no_cache = 1; break;
		case 'q': o->verbosity = -1; break;
		case 'v': o->verbosity = o->verbosity < 0 ? 1 : o->verbosity + 1; break;
		case 'S': o->staged = 1; break;
		case 'K': o->check = 1; break;
		case 'B': o->write_baseline = optarg; break;
		case 'U': o->unused = 1; break;
		case 'R': o->commits = optarg; break;
		case 'A': o->all = 1; break;
		case 'I': o->no_ignore = 1; break;
		case 'j': {
			char *end;
			long n = strtol(optarg, &end, 10);

			if (*end || n < 1 || n > 64)
				die_usage("--jobs: '%s' is not a number from 1 to 64", optarg);
			o->jobs = (int)n;
			break;
		}
		case 'h': fputs(usage_text, stdout); exit(EXIT_CLEAN);
		case 'V': printf("leakgate %s\n", LEAKGATE_VERSION); exit(EXIT_CLEAN);
		default:
			die_usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	o->args = argv + optind;
	o->nargs = argc - optind;
}

int cmd_pre_commit(struct options *o)
{
	git_repository *repo = NULL;
	struct pipeline p;
	struct source_stats st;
	struct source_opts so;
	struct source_cb cb;
	struct policy *pol = NULL;
	struct report_ctx rctx = { 0 };
	int rc, exitcode = EXIT_INTERNAL;

	if (o->nargs > 0)
		die_usage("unexpected argument '%s' (see leakgate --help)",
			  o->args[0]);
	memset(&p, 0, sizeof(p));
	memset(&st, 0, sizeof(st));
	memset(&cb, 0, sizeof(cb));
	rc = source_open(&repo);
	if (rc < 0) {
		exitcode = rc == -1 ? EXIT_USAGE : EXIT_INTERNAL;
		goto out;
	}
	if ((rc = pipeline_open(&p, o, repo)) != 0) {
		exitcode = rc;
		goto out;
	}
	so.max_blob_size = p.cfg.set.max_blob_size;
	so.scan_binary = p.cfg.set.scan_binary;
	cb.chunk = scan_chunk;
	cb.skipped = scan_skipped;
	cb.ctx = &p.scan;
	/* The file policy judges every staged path; a baseline is about
	 * secrets only. */
	if (!o->write_baseline) {
		if (policy_new(&pol, &p.cfg, repo, &p.scan.findings,
			       filter_allow(p.scan.filter)) < 0)
			goto out;
		cb.file = policy_file;
		cb.file_ctx = pol;
	}
	/* A baseline records the whole tree about to be committed, not
	 * only what changed. */
	if ((o->write_baseline ? baseline_scan_index(repo, &so, &cb, &st) :
	     source_staged(repo, &so, &cb, &st)) != 0 ||
	    (pol && policy_gitignore(pol) < 0)) {
		exitcode = EXIT_INTERNAL;
		goto out;
	}
	if (testhook_fail("crash"))
		raise(SIGSEGV);	/* tests: a crash leaves no core dump */
	findings_sort(&p.scan.findings);
	if (o->write_baseline) {
		long n = baseline_write(o->write_baseline, &p.scan.findings);

		if (n >= 0)
			infof("wrote %ld %s to %s", n, n == 1 ? "fingerprint" : "fingerprints",
			      o->write_baseline);
		exitcode = n < 0 ? EXIT_USAGE : EXIT_CLEAN;
		if (n >= 0 && p.scan.findings.over_cap) {
			errorf("%zu findings over the limits (%d per file, %d per run) are not "
			       "in the baseline and will be reported", p.scan.findings.over_cap,
			       MAX_FINDINGS_PER_FILE, MAX_FINDINGS_PER_RUN);
			exitcode = EXIT_BLOCKED;
		}
		goto out;
	}
	rc = findings_mark_blocking(&p.scan.findings, p.cfg.set.block) > 0 ||
	     p.scan.findings.over_cap;
	rctx.what = "staged changes";
	rctx.hook = o->hook;
	rctx.stats = &st;
	report_emit(o, &p.scan.findings, &p.rules, &rctx);
	if (msg_verbosity() > 0) {
		allow_report(stderr, filter_allow(p.scan.filter));
		fprintf(stderr, "inline pragmas: %zu %s let through\n",
			p.scan.suppressed[FILTER_PRAGMA],
			p.scan.suppressed[FILTER_PRAGMA] == 1 ? "match" : "matches");
	}
	exitcode = rc ? EXIT_BLOCKED : EXIT_CLEAN;
out:
	policy_free(pol);
	pipeline_close(&p);
	git_repository_free(repo);
	return exitcode;
}

/* Run each example of each rule in rs (all rules, or those defined in
 * file `only`) through the full pipeline; report misses and false hits. */
static int check_examples(struct scan *s, const struct rules *rs, const char *only)
{
	size_t i, j, bad = 0, checked = 0;

	for (i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->v[i];
		const struct rule_def *d = r->def;

		if (only && strcmp(d->file, only))
			continue;
		if (!d->examples.n || !d->negatives.n) {
			errorf("%s:%d: rule '%s' needs at least one example and one negative_example",
			       d->file, d->line, r->id);
			bad++;
		}
		for (j = 0; j < d->examples.n + d->negatives.n; j++) {
			int positive = j < d->examples.n;
			const char *ex = positive ? d->examples.v[j] : d->negatives.v[j - d->examples.n];
			struct buf b = BUF_INIT;
			size_t k, hits = 0;

			rules_unescape(&b, ex);
			findings_release(&s->findings);
			s->cap_path = NULL;
			if (scan_buffer(s, "<example>", b.ptr, b.len) < 0) {
				buf_release(&b);
				return EXIT_USAGE;
			}
			for (k = 0; k < s->findings.n; k++)
				hits += !strcmp(s->findings.v[k].rule_id, r->id);
			if (positive && !hits) {
				errorf("%s:%d: rule '%s' misses its example %zu", d->file, d->line,
				       r->id, j + 1);
				bad++;
			} else if (!positive && hits) {
				errorf("%s:%d: rule '%s' flags its negative_example %zu", d->file,
				       d->line, r->id, j - d->examples.n + 1);
				bad++;
			}
			checked++;
			buf_release(&b);
		}
	}
	findings_release(&s->findings);
	if (bad) {
		fprintf(stderr, "%zu passed, %zu failed\n", checked - bad, bad);
		return EXIT_BLOCKED;
	}
	printf("%zu examples of %zu rules checked: all as expected\n", checked, rs->n);
	return EXIT_CLEAN;
}

static int cmd_rules(struct options *o)
{
	struct config cfg;
	struct rules rules = { 0 };
	struct scan scan;
	const char *only = NULL;
	char *cache = NULL;
	int rc, exitcode = EXIT_USAGE;
	size_t i;

	memset(&scan, 0, sizeof(scan));
	msg_init(o->color, o->verbosity);
	if (o->nargs > 1 || (o->nargs == 1 && !o->check))
		die_usage("rules: %s", "usage: leakgate rules [--check [FILE]]");
	if ((rc = cli_load_builtin(&cfg)) != 0) {
		exitcode = rc;
		goto out;
	}
	if (o->nargs == 1) {
		if (config_load_file(&cfg, o->args[0]) < 0)
			goto out;
		only = o->args[0];
	}
	if (rules_build(&rules, &cfg) < 0)
		goto out;
	if (!o->check) {
		for (i = 0; i < rules.n; i++)
			printf("%-40s %-16s %s\n", rules.v[i].id, rules.v[i].provider,
			       rules.v[i].description);
		exitcode = EXIT_CLEAN;
		goto out;
	}
	cache = cli_cache_dir(o);
	rc = scan_init(&scan, &cfg, &rules, cache);
	if (rc < 0) {
		exitcode = rc == -1 ? EXIT_USAGE : EXIT_INTERNAL;
		goto out;
	}
	/* Every pattern must compile with PCRE2 too, hit or not. */
	for (i = 0; i < rules.n; i++)
		if ((!only || !strcmp(rules.v[i].def->file, only)) &&
		    extract_compile(scan.x, (unsigned)i) < 0)
			goto out;
	exitcode = check_examples(&scan, &rules, only);
out:
	scan_release(&scan);
	rules_release(&rules);
	config_release(&cfg);
	free(cache);
	return exitcode;
}

static int cmd_version(struct options *o)
{
	(void)o;
	printf("leakgate %s (libgit2 %s, hyperscan)\n", LEAKGATE_VERSION, LIBGIT2_VERSION);
	return EXIT_CLEAN;
}

static const struct command {
	const char *name;
	int (*fn)(struct options *o);
	int hook;
} commands[] = {
	{ "pre-commit", cmd_pre_commit, 1 },
	{ "scan", cmd_scan, 0 },
	{ "pre-push", cmd_pre_push, 1 },
	{ "commit-msg", cmd_commit_msg, 1 },
	{ "rules", cmd_rules, 0 },
	{ "config", cmd_config, 0 },
	{ "version", cmd_version, 0 },
	{ "init", cmd_init, 0 },
};

/* A core dump would hold the staged content, secrets included: make none
 * (a non-dumpable process dumps no core even through a core_pattern pipe). */
static void no_core_dumps(void)
{
	struct rlimit rl = { 0, 0 };

	(void)setrlimit(RLIMIT_CORE, &rl);
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	if (!strcmp(name, "help")) {
		fputs(usage_text, stdout);
		exit(EXIT_CLEAN);
	}
	die_usage("unknown command '%s'", name);
	return NULL;
}

int main(int argc, char **argv)
{
	struct options o;
	const struct command *cmd = &commands[0];
	int rc;

	memset(&o, 0, sizeof(o));
	no_core_dumps();
	if (argc > 1 && argv[1][0] != '-') {
		cmd = find_command(argv[1]);
		argc--;
		argv++;
		parse_options(&o, argc, argv);
	} else {
		/* Options may come before the command, as in git:
		 * "leakgate -v pre-commit" or "leakgate --config F config". */
		parse_options(&o, argc, argv);
		if (o.nargs > 0) {
			char **rest = o.args;
			int nrest = o.nargs;

			cmd = find_command(rest[0]);
			optind = 0;	/* GNU getopt: start over on the new argv */
			parse_options(&o, nrest, rest);
		}
	}
	o.command = cmd->name;
	o.hook = cmd->hook;
	/* Options that belong to one command, checked once it is known. */
	if (o.write_baseline && strcmp(o.command, "scan") && strcmp(o.command, "pre-commit"))
		die_usage("--write-baseline: %s", "only with 'leakgate scan'");
	if (o.unused && strcmp(o.command, "config"))
		die_usage("--unused: %s", "only with 'leakgate config'");
	if ((o.commits || o.all || o.no_ignore || o.jobs) && strcmp(o.command, "scan") &&
	    strcmp(o.command, "pre-push"))
		die_usage("%s: only with 'leakgate scan'", o.commits ? "--commits" : o.all ? "--all" :
			  o.no_ignore ? "--no-ignore" : "--jobs");
	msg_init(o.color, o.verbosity);
	if (git_libgit2_init() < 0) {
		errorf("cannot initialise libgit2");
		rc = EXIT_INTERNAL;
	} else {
		rc = cmd->fn(&o);
		git_libgit2_shutdown();
	}
	if (rc >= EXIT_USAGE && o.hook) {
		const char *what = strcmp(o.command, "pre-push") ? "commit" : "push";

		fprintf(stderr, "leakgate: %s blocked: the secret check could not run "
			"(see above). Fix the cause, or bypass once with: git %s --no-verify\n",
			what, what);
	}
	fflush(stdout);
	return rc;
}
