/*
 * fuzz-scan — the built-in rules over arbitrary content, split into
 * chunks the way the staged source hands them over (runs of whole lines,
 * each with the line number of its first line), through Hyperscan,
 * PCRE2 extraction, the filters and finding creation.
 *
 * Input: byte 0 = lines per chunk (0: the whole input as one new file,
 * through scan_buffer), the rest = content. Oracle: every finding's
 * line and column, counted from its chunk's first line, land on bytes
 * whose fingerprint is the finding's (fuzz_check_finding), and nothing
 * fails: the built-in rules must never make PCRE2 give up.
 */
#include <git2.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "fuzz.h"
#include "oracle.h"
#include "rules.h"
#include "scan.h"

extern const char leakgate_rules_ini[];
extern const char leakgate_rules_ini_end[];

static struct config cfg;
static struct rules rules;
static struct scan scan;

static void teardown(void)
{
	scan_release(&scan);
	rules_release(&rules);
	config_release(&cfg);
	git_libgit2_shutdown();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	git_libgit2_init();
	config_init(&cfg);
	if (config_load_text(&cfg, "<built-in rules>", leakgate_rules_ini,
			     (size_t)(leakgate_rules_ini_end - leakgate_rules_ini), 1) < 0 ||
	    rules_build(&rules, &cfg) < 0 || scan_init(&scan, &cfg, &rules, NULL) < 0)
		abort();
	atexit(teardown);
	return 0;
}

static void check_and_reset(const char *data, size_t len, size_t first_line, size_t from)
{
	size_t i;

	for (i = from; i < scan.findings.n; i++)
		fuzz_check_finding(&scan.findings.v[i], data, len, first_line);
}

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t size)
{
	const char *data = size ? (const char *)in + 1 : "";
	size_t len = size ? size - 1 : 0, per = size ? in[0] % 8 : 0;

	findings_release(&scan.findings);
	scan.cap_path = NULL;
	if (per == 0) {
		FUZZ_CHECK(scan_buffer(&scan, "fuzz.txt", data, len) == 0, "scan_buffer failed");
		check_and_reset(data, len, 1, 0);
	} else {
		size_t off = 0, line = 1;

		while (off < len) {
			struct chunk c;
			size_t end = off, n = 0, before = scan.findings.n;

			while (end < len && n < per) {
				const char *nl = memchr(data + end, '\n', len - end);

				end = nl ? (size_t)(nl - data) + 1 : len;
				n++;
			}
			memset(&c, 0, sizeof(c));
			c.path = "fuzz.txt";
			c.data = data + off;
			c.len = end - off;
			c.first_line = line;
			FUZZ_CHECK(scan_chunk(&scan, &c) == 0, "scan_chunk failed");
			/* Each finding maps into its own chunk... */
			check_and_reset(c.data, c.len, line, before);
			/* ...and, from line 1, into the whole content. */
			for (; before < scan.findings.n; before++)
				fuzz_check_finding(&scan.findings.v[before], data, len, 1);
			line += n;
			off = end;
		}
	}
	findings_release(&scan.findings);
	return 0;
}
