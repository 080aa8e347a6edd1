/*
 * testhook.h — failure injection for the fail-closed tests.
 *
 * LEAKGATE_TEST_FAIL is a comma-separated list of failure points, read
 * once, here and nowhere else. testhook_fail("point") is true when the
 * point is listed: the caller then behaves as if the operation it guards
 * had failed (the tests check that every such failure blocks the commit).
 * "alloc=N" makes the N-th allocation (1-based) of x*alloc fail.
 *
 * Points: index, odb, blob, diff, patch, hs-scan, pcre2, cache-write,
 * alloc=N. Unset (always, outside tests), every call is a cheap no.
 * Setting it can only make leakgate block more, never less.
 */
#ifndef LEAKGATE_TESTHOOK_H
#define LEAKGATE_TESTHOOK_H

int testhook_fail(const char *point);
/* For xmalloc and friends: whether this allocation is the one to fail. */
int testhook_alloc_fails(void);

#endif
