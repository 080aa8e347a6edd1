#include "testhook.h"

#include <stdlib.h>
#include <string.h>

static int loaded;
static const char *spec;		/* NULL: no injection */
static unsigned long alloc_fail_at;	/* 0: none */
static unsigned long alloc_count;

static void load(void)
{
	const char *a;

	loaded = 1;
	spec = getenv("LEAKGATE_TEST_FAIL");
	if (spec && !*spec)
		spec = NULL;
	if (spec && (a = strstr(spec, "alloc=")))
		alloc_fail_at = strtoul(a + 6, NULL, 10);
}

int testhook_fail(const char *point)
{
	size_t n = strlen(point);
	const char *p;

	if (!loaded)
		load();
	for (p = spec; p && (p = strstr(p, point)); p += n)
		if ((p == spec || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
			return 1;
	return 0;
}

int testhook_alloc_fails(void)
{
	if (!loaded)
		load();
	return alloc_fail_at && ++alloc_count == alloc_fail_at;
}
