#include "hash.h"

#include <git2.h>
#include <string.h>

#include "buf.h"

void hash_hex(char out[41], const void *data, size_t len)
{
	git_oid oid;

	/* git_odb_hash adds git's "blob <len>\0" header; harmless for our
	 * use (the same bytes always give the same hash) and it cannot fail
	 * for an in-memory buffer of a valid type. */
	if (git_odb_hash(&oid, data, len, GIT_OBJECT_BLOB) < 0)
		memset(&oid, 0, sizeof(oid));
	git_oid_tostr(out, 41, &oid);
}

void hash_fingerprint(char out[FINGERPRINT_HEX + 1], const char *rule_id,
		      const char *secret, size_t secret_len)
{
	struct buf b = BUF_INIT;
	char hex[41];

	buf_add(&b, rule_id, strlen(rule_id) + 1);
	buf_add(&b, secret, secret_len);
	hash_hex(hex, b.ptr, b.len);
	memcpy(out, hex, FINGERPRINT_HEX);
	out[FINGERPRINT_HEX] = '\0';
	buf_release(&b);
}
