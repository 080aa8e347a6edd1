/*
 * init.h — `leakgate init`: set a repository up for leakgate.
 *
 * Writes a short, documented .leakgate.ini at the top of the work tree if
 * there is none, and appends to .gitignore the file policy's missing
 * `ignore` lines (.env, .env.*, *.env with !.env.example-style exceptions).
 * Existing lines are never changed or reordered; a second run changes
 * nothing. Returns an exit code: 0 done, 2 not in a work tree, 3 an I/O or
 * repository error (printed).
 */
#ifndef LEAKGATE_INIT_H
#define LEAKGATE_INIT_H

#include "cli.h"
#include "config.h"

int cmd_init(struct options *o);

/*
 * The text to append to a .gitignore holding old[0..len) so that every
 * line of `lines` takes effect, in *out (empty when nothing is missing).
 * A line counts as present when an existing line equals it (trailing
 * white space and CR aside). When a pattern is added, every '!' exception
 * is added again after it, since in .gitignore the last matching line
 * wins. Pure: the unit tests call it.
 */
struct buf;
void init_gitignore_text(struct buf *out, const char *old, size_t len,
			 const struct strlist *lines, size_t *nadded);

#endif
