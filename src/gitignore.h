/*
 * gitignore.h — whether git ignores a path, answered as `git check-ignore`
 * answers it.
 *
 * Why not git_ignore_path_is_ignored()? libgit2 1.5 differs from git in two
 * ways that matter for .env files (both found by t4100, which compares with
 * git check-ignore):
 *   - it drops a negation ("!.env" in sub/.gitignore) that does not undo a
 *     rule of the same file, so a nested .gitignore cannot re-include a
 *     name the top-level one ignores;
 *   - it lets a negation re-include a file inside an ignored directory
 *     ("secrets/" then "!keep.env"), which git never does.
 * So this module applies git's rules (gitignore(5), dir.c) itself:
 * sources by precedence — the .gitignore of the path's directory and of
 * each parent up to the top (deepest first), $GIT_COMMON_DIR/info/exclude,
 * core.excludesFile (default $XDG_CONFIG_HOME/git/ignore or
 * ~/.config/git/ignore); the first source with a matching line decides,
 * and within a source the last matching line; a path inside an ignored
 * directory is ignored whatever its own lines say. Lines: '#' comments,
 * trailing spaces unless escaped, CR before LF, '!' negation, a trailing
 * '/' for directories only, a '/' elsewhere anchors to the .gitignore's
 * directory, "**" for any number of directories; core.ignorecase.
 * In-tree .gitignore files are not followed through symlinks (git >= 2.32).
 *
 * Files are read when first needed and kept; nothing walks the tree.
 * A struct gitignore borrows the repository; free it with gitignore_free().
 */
#ifndef LEAKGATE_GITIGNORE_H
#define LEAKGATE_GITIGNORE_H

#include <git2.h>

struct gitignore;

/* Returns 0, or -1 after printing an error (no work tree, unreadable
 * config). */
int gitignore_new(struct gitignore **out, git_repository *repo);
void gitignore_free(struct gitignore *g);

/* 1 if the path (relative to the top of the work tree, '/'-separated, no
 * trailing '/') is ignored, 0 if not. is_dir: the path is a directory. */
int gitignore_is_ignored(struct gitignore *g, const char *path, int is_dir);

/* git's wildmatch with WM_PATHNAME, as .gitignore lines containing '/'
 * use it: '*', '?' and brackets do not match '/', and "**" between
 * slashes matches any number of directories. For the unit tests. */
int gitignore_wildmatch(const char *pattern, const char *path, int icase);

#endif
