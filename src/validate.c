#include "validate.h"

#include <string.h>

/* CRC-32 (IEEE 802.3, as zlib's crc32), bitwise: tokens are short. */
static unsigned long crc32_ieee(const unsigned char *p, size_t n)
{
	unsigned long crc = 0xffffffffUL;
	int k;

	while (n--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320UL & (0UL - (crc & 1)));
	}
	return crc ^ 0xffffffffUL;
}

/* GitHub-style tokens: PREFIX_ + 30 base62 characters + 6 base62 digits of
 * the CRC32 of those 30 characters (most significant digit first). */
static int base62_crc32_tail(const char *s, size_t len)
{
	static const char digits[] =
		"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	const char *us = memchr(s, '_', len);
	unsigned long crc;
	char want[6];
	int i;

	if (!us)
		return 0;
	us++;
	if ((size_t)(s + len - us) != 36)
		return 0;
	crc = crc32_ieee((const unsigned char *)us, 30);
	for (i = 5; i >= 0; i--) {
		want[i] = digits[crc % 62];
		crc /= 62;
	}
	return memcmp(want, us + 30, 6) == 0;
}

const char *const validator_names[] = { "github-crc32", "npm-crc32", NULL };

validator_fn validator_find(const char *name)
{
	if (!strcmp(name, "github-crc32") || !strcmp(name, "npm-crc32"))
		return base62_crc32_tail;
	return NULL;
}
