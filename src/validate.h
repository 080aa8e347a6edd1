/*
 * validate.h — checksum validators that rules can name (`validator = NAME`).
 *
 * Pure functions over the extracted secret: a token format that carries a
 * checksum (GitHub's ghp_/gho_/ghu_/ghs_/ghr_, npm_) lets leakgate tell a
 * real token from a random string with the right prefix.
 */
#ifndef LEAKGATE_VALIDATE_H
#define LEAKGATE_VALIDATE_H

#include <stddef.h>

/* 1 when s[0..len) carries a valid checksum for its format, 0 when not. */
typedef int (*validator_fn)(const char *s, size_t len);

/* The validator called name, or NULL when there is none. */
validator_fn validator_find(const char *name);

/* The known names, NULL-terminated, for error hints. */
extern const char *const validator_names[];

#endif
