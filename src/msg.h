/*
 * msg.h — messages to the user on stderr.
 *
 * errorf/warnf/verbosef print "leakgate: error: ..." style lines. Colour is
 * decided once by msg_init() from --color, NO_COLOR and whether stderr is a
 * terminal; msg_color() tells other writers (the text report) the answer.
 * The only state is the verbosity and colour flags set at start-up.
 */
#ifndef LEAKGATE_MSG_H
#define LEAKGATE_MSG_H

#include <stdarg.h>

enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

/* verbosity: -1 quiet, 0 normal, 1+ verbose. */
void msg_init(enum color_mode mode, int verbosity);
int msg_color(void);
int msg_verbosity(void);

void errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warnf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void infof(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void verbosef(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ANSI sequences, or "" when colour is off. */
const char *c_red(void);
const char *c_yellow(void);
const char *c_bold(void);
const char *c_dim(void);
const char *c_reset(void);

#endif
