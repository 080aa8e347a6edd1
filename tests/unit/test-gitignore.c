/* Unit tests: gitignore.c's wildmatch (WM_PATHNAME semantics). The full
 * precedence rules are compared with git check-ignore in t4100. */
#include "tap.h"

#include "gitignore.h"
#include "msg.h"

static void wm(const char *pat, const char *path, int want)
{
	ok(gitignore_wildmatch(pat, path, 0) == want, "'%s' %s '%s'", pat,
	   want ? "matches" : "does not match", path);
}

int main(void)
{
	msg_init(COLOR_NEVER, -1);
	wm("a/b", "a/b", 1);
	wm("a/b", "x/a/b", 0);
	wm("a/*", "a/b", 1);
	wm("a/*", "a/b/c", 0);
	wm("a/?", "a/b", 1);
	wm("a?b", "a/b", 0);
	wm("a[/]b", "a/b", 0);
	wm("**/b", "b", 1);
	wm("**/b", "a/x/b", 1);
	wm("**/b", "a/x/bb", 0);
	wm("a/**/b", "a/b", 1);
	wm("a/**/b", "a/x/y/b", 1);
	wm("a/**/b", "ab", 0);
	wm("a/**", "a/x", 1);
	wm("a/**", "a/x/y", 1);
	wm("a/**", "a", 0);
	wm("a/**b", "a/xb", 1);
	wm("a/**b", "a/x/b", 0);
	wm("deep/**/.env.*", "deep/x/y/.env.local", 1);
	wm("deep/**/.env.*", "deep/.env.local", 1);
	wm("deep/**/.env.*", "deeper/.env.local", 0);
	wm("[Pp]rod.env", "Prod.env", 1);
	wm("[!p]rod.env", "prod.env", 0);
	wm("star\\*.env", "star*.env", 1);
	wm("star\\*.env", "starx.env", 0);
	ok(gitignore_wildmatch("A/.ENV.*", "a/.env.local", 1), "icase");
	ok(!gitignore_wildmatch("A/.ENV.*", "a/.env.local", 0), "case sensitive");
	return tap_done();
}
