/* libfuzzer.c — what the libFuzzer build needs besides the target. */
#include "fuzz.h"

FILE *fuzz_err(void)
{
	return stderr;
}
