/*
 * validate.h — checksum and structure validators that rules can name.
 *
 * A rule in rules.ini may say `validator = NAME`; after a candidate has
 * been extracted, the filter stage calls the named function on the exact
 * secret bytes and drops the finding when it returns 0. Validators are pure
 * functions of their input: no allocation, no globals written, no I/O, and
 * they never read outside [s, s + len). The input need not be
 * NUL-terminated.
 *
 * Known names (validator_names[] is the authoritative list):
 *   github-crc32     ghp_/gho_/ghu_/ghs_/ghr_ tokens: the last 6 characters
 *                    are the base62 CRC32 of the 30 characters before them
 *   npm-crc32        npm_ tokens, same scheme as GitHub's
 *   base64-userpass  base64 that decodes to printable "user:password"
 *                    (HTTP Basic, Docker config "auth", .npmrc _auth)
 *   jwt              three base64url parts whose header is JSON naming a
 *                    signing algorithm other than "none", whose payload is
 *                    JSON, and which is not a well-known documentation or
 *                    deliberately public token (jwt.io sample, Supabase anon)
 */
#ifndef LEAKGATE_VALIDATE_H
#define LEAKGATE_VALIDATE_H

#include <stddef.h>

/* Returns 1 if s[0..len) is valid for this validator, 0 if not. Pure. */
typedef int (*validator_fn)(const char *s, size_t len);

/* The validator called NAME, or NULL if there is none by that name. */
validator_fn validator_find(const char *name);

/* Every validator name, NULL-terminated; for `leakgate rules` and for
 * checking rule files. */
extern const char *const validator_names[];

#endif
