/*
 * hash.h — fingerprints and cache keys.
 *
 * Uses libgit2's object hashing (SHA-1), so leakgate needs no crypto library
 * of its own. A fingerprint identifies a finding by content only (rule id and
 * secret, never the path or line), so it survives edits and squash merges and
 * is what allowlists and baselines store. Pure functions; no allocation.
 */
#ifndef LEAKGATE_HASH_H
#define LEAKGATE_HASH_H

#include <stddef.h>
#include "defaults.h"

/* Write FINGERPRINT_HEX hex digits and a NUL to out. */
void hash_fingerprint(char out[FINGERPRINT_HEX + 1], const char *rule_id,
		      const char *secret, size_t secret_len);

/* Write the 40-hex SHA-1 of data to out (41 bytes). */
void hash_hex(char out[41], const void *data, size_t len);

#endif
