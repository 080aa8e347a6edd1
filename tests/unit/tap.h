/*
 * tap.h — a tiny Test Anything Protocol emitter for leakgate's unit tests,
 * read by prove. ok(cond, fmt, ...) prints one test line; tap_done()
 * prints the plan and returns the exit status.
 */
#ifndef LEAKGATE_TAP_H
#define LEAKGATE_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static int ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3), unused));
static int ok(int cond, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - ", cond ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	return cond;
}

#define is_str(got, want, name) \
	do { \
		const char *g_ = (got), *w_ = (want); \
		if (!ok(g_ && w_ && !strcmp(g_, w_), "%s", name)) \
			printf("#   got  '%s'\n#   want '%s'\n", g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
	} while (0)

static int tap_done(void) __attribute__((unused));
static int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
