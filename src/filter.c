#include "filter.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "allow.h"
#include "buf.h"
#include "msg.h"

struct filter {
	const struct config *c;
	/* The last line checked for a pragma: candidates come line by
	 * line, and a long line with many of them must be read once. */
	const char *pragma_line;
	size_t pragma_len;
	int pragma;
	struct allow *allow;
};

int filter_new(struct filter **out, const struct config *c)
{
	struct filter *f = xcalloc(1, sizeof(*f));

	f->c = c;
	*out = NULL;
	if (allow_new(&f->allow, c) < 0) {
		free(f);
		return -1;
	}
	*out = f;
	return 0;
}

void filter_free(struct filter *f)
{
	if (!f)
		return;
	allow_free(f->allow);
	free(f);
}

struct allow *filter_allow(struct filter *f)
{
	return f ? f->allow : NULL;
}

const char *filter_verdict_name(enum filter_verdict v)
{
	switch (v) {
	case FILTER_KEEP: return "kept";
	case FILTER_ENTROPY: return "entropy";
	case FILTER_VALIDATOR: return "checksum";
	case FILTER_PLACEHOLDER: return "placeholder";
	case FILTER_PRAGMA: return "pragma";
	case FILTER_ALLOWLIST: return "allowlist";
	}
	return "?";
}

double entropy_shannon(const char *s, size_t n)
{
	size_t count[256] = { 0 }, i;
	double h = 0;

	if (!n)
		return 0;
	for (i = 0; i < n; i++)
		count[(unsigned char)s[i]]++;
	for (i = 0; i < 256; i++) {
		double p;

		if (!count[i])
			continue;
		p = (double)count[i] / (double)n;
		h -= p * log2(p);
	}
	return h;
}

static const char *memmem_ci(const char *h, size_t hn, const char *needle)
{
	size_t nn = strlen(needle), i, j;

	if (nn == 0 || hn < nn)
		return NULL;
	for (i = 0; i + nn <= hn; i++) {
		for (j = 0; j < nn; j++)
			if (tolower((unsigned char)h[i + j]) != needle[j])
				break;
		if (j == nn)
			return h + i;
	}
	return NULL;
}

int filter_has_pragma(const char *line, size_t n)
{
	return memmem_ci(line, n, "leakgate:allow") || memmem_ci(line, n, "gitleaks:allow") ||
	       memmem_ci(line, n, "pragma: allowlist secret");
}

/* Values that only stand in for a secret: templates and filler. */
static int is_placeholder(const char *s, size_t n)
{
	static const char *const words[] = {
		"xxxxx", "*****", "example", "placeholder", "changeme", "redacted",
		"your_", "your-", "<your", "dummy", NULL
	};
	size_t i, same = 0;

	for (i = 0; words[i]; i++)
		if (memmem_ci(s, n, words[i]))
			return 1;
	if (n >= 2 && ((s[0] == '<' && s[n - 1] == '>') ||
		       (s[0] == '$' && s[1] == '{') || (s[0] == '{' && s[1] == '{') ||
		       (s[0] == '%' && s[n - 1] == '%')))
		return 1;
	for (i = 1; i < n; i++)
		same += s[i] == s[0];
	return n > 0 && same + 1 == n;
}

void filter_new_chunk(struct filter *f)
{
	f->pragma_line = NULL;
	f->pragma_len = 0;
	f->pragma = 0;
}

enum filter_verdict filter_check(struct filter *f, const struct candidate *c)
{
	const struct rule *r = c->rule;
	double floor = r->entropy;

	if (c->line != f->pragma_line || c->line_len != f->pragma_len) {
		f->pragma_line = c->line;
		f->pragma_len = c->line_len;
		f->pragma = filter_has_pragma(c->line, c->line_len);
	}
	if (f->pragma)
		return FILTER_PRAGMA;
	if (f->c->set.entropy_floor >= 0 && floor > 0)
		floor = f->c->set.entropy_floor;
	if (floor > 0 && entropy_shannon(c->secret, c->secret_len) < floor)
		return FILTER_ENTROPY;
	if (r->validator && !r->validator(c->secret, c->secret_len))
		return FILTER_VALIDATOR;
	if (is_placeholder(c->secret, c->secret_len))
		return FILTER_PLACEHOLDER;
	{
		struct allow_query q = { r->id, c->path, c->secret, c->secret_len,
					 c->line, c->line_len, c->fingerprint };

		if (allow_match(f->allow, &q) >= 0)
			return FILTER_ALLOWLIST;
	}
	return FILTER_KEEP;
}
