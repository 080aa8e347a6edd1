/*
 * defaults.h — every tunable of leakgate in one commented table.
 *
 * Like dwm's config.def.h: change a number here, rebuild, and nothing else
 * needs to know. Settings a user may change at run time (config files) start
 * from these values.
 */
#ifndef LEAKGATE_DEFAULTS_H
#define LEAKGATE_DEFAULTS_H

/* Blobs larger than this are not scanned but reported as skipped. */
#define DEFAULT_MAX_BLOB_SIZE (50ull * 1024 * 1024)

/* A staged change with at least this many new files is read by loader
 * threads (at most SOURCE_MAX_LOADERS, one per core), which inflate up to
 * SOURCE_LOAD_WINDOW blobs or SOURCE_LOAD_BYTES ahead of the scan. */
#define SOURCE_PARALLEL_MIN_FILES 64
#define SOURCE_MAX_LOADERS 4
#define SOURCE_LOAD_WINDOW 256
#define SOURCE_LOAD_BYTES (16u * 1024 * 1024)

/* Hyperscan reports only end offsets; PCRE2 searches back this far at most
 * for a rule whose width is unbounded, and forward this far past the last
 * end offset of a run of hits. Secrets longer than this are cut. */
#define EXTRACT_WINDOW 4096

/* A pattern whose matches are bounded but can be wider than this is
 * rejected: nothing wider can be extracted anyway, and Hyperscan's compile
 * time grows with big bounded repeats (a custom rule such as
 * (\w{1,5000}x){20} takes 20 s to compile). Unbounded + and * are fine. */
#define MAX_PATTERN_WIDTH EXTRACT_WINDOW

/* PCRE2 bounds, so a pathological custom rule cannot hang a commit. */
#define PCRE2_MATCH_LIMIT 1000000u
#define PCRE2_DEPTH_LIMIT 10000u

/* Findings kept per file and per run; beyond that they are counted and the
 * report says how many more there were (the commit is still blocked). */
#define MAX_FINDINGS_PER_FILE 100
#define MAX_FINDINGS_PER_RUN 1000

/* Raw Hyperscan hits kept per scanned chunk before extraction. A chunk that
 * produces more is still fully scanned: the cap only merges runs. */
#define MAX_HITS_PER_CHUNK (1u << 20)

/* Candidate matches (after PCRE2) per scanned chunk. Past this the scan
 * fails closed (exit 3, naming the file): only a runaway rule gets there,
 * and checking them all would cost time and memory without bound. */
#define MAX_CANDIDATES_PER_CHUNK 100000u

/* Config files: inih's line buffer on Debian is 200 bytes (INI_MAX_LINE). */
#define CONFIG_MAX_LINE 198
#define CONFIG_MAX_SIZE (4u * 1024 * 1024)

/* Redaction: characters shown at the start of a secret (at most a quarter
 * of it) and at its end. Secrets shorter than REDACT_MIN_TAIL_LEN show no
 * tail. */
#define REDACT_MAX_LEAD 12
#define REDACT_TAIL 2
#define REDACT_MIN_TAIL_LEN 12

/* Fingerprints: hex digits of SHA-1(rule id NUL secret). */
#define FINGERPRINT_HEX 16

#endif
