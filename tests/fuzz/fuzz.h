/*
 * fuzz.h — shared by the fuzz targets in tests/fuzz/.
 *
 * Each target defines LLVMFuzzerTestOneInput() (and may define
 * LLVMFuzzerInitialize()). Built with clang -fsanitize=fuzzer it is a
 * libFuzzer binary (make fuzz); built with any compiler and replay.c it is
 * a plain driver that runs every file of its corpus once and prints TAP
 * (make test). An oracle that does not hold calls FUZZ_CHECK's abort(),
 * which libFuzzer records as a crash and the replay driver as a failure.
 */
#ifndef LEAKGATE_FUZZ_H
#define LEAKGATE_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The stream oracle failures go to (stderr, even when the replay driver
 * silences leakgate's own messages). */
FILE *fuzz_err(void);

#define FUZZ_CHECK(cond, ...) do { \
	if (!(cond)) { \
		fprintf(fuzz_err(), "%s:%d: oracle failed: %s: ", __FILE__, __LINE__, #cond); \
		fprintf(fuzz_err(), __VA_ARGS__); \
		fputc('\n', fuzz_err()); \
		fflush(fuzz_err()); \
		abort(); \
	} \
} while (0)

#endif
