#include "msg.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int use_color;
static int verbosity;

void msg_init(enum color_mode mode, int v)
{
	const char *nc = getenv("NO_COLOR");

	verbosity = v;
	if (mode == COLOR_ALWAYS)
		use_color = 1;
	else if (mode == COLOR_NEVER || (nc && *nc))
		use_color = 0;
	else
		use_color = isatty(STDERR_FILENO);
}

int msg_color(void) { return use_color; }
int msg_verbosity(void) { return verbosity; }

const char *c_red(void) { return use_color ? "\033[31m" : ""; }
const char *c_yellow(void) { return use_color ? "\033[33m" : ""; }
const char *c_bold(void) { return use_color ? "\033[1m" : ""; }
const char *c_dim(void) { return use_color ? "\033[2m" : ""; }
const char *c_reset(void) { return use_color ? "\033[0m" : ""; }

static void vmsg(const char *color, const char *label, const char *fmt, va_list ap)
{
	fprintf(stderr, "%sleakgate: %s%s", color, label, c_reset());
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void errorf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(c_red(), "error: ", fmt, ap);
	va_end(ap);
}

void warnf(const char *fmt, ...)
{
	va_list ap;

	if (verbosity < 0)
		return;
	va_start(ap, fmt);
	vmsg(c_yellow(), "warning: ", fmt, ap);
	va_end(ap);
}

void infof(const char *fmt, ...)
{
	va_list ap;

	if (verbosity < 0)
		return;
	va_start(ap, fmt);
	vmsg("", "", fmt, ap);
	va_end(ap);
}

void verbosef(const char *fmt, ...)
{
	va_list ap;

	if (verbosity < 1)
		return;
	va_start(ap, fmt);
	vmsg(c_dim(), "", fmt, ap);
	va_end(ap);
}
