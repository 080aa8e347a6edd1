#define PCRE2_CODE_UNIT_WIDTH 8
#include "extract.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "defaults.h"
#include "msg.h"
#include "testhook.h"

struct compiled {
	pcre2_code *code;
	int secret_group;	/* group number, or 0 for the whole match */
	int state;		/* 0 not tried, 1 ok, -1 failed */
};

struct extractor {
	const struct rules *rules;
	struct compiled *c;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
};

int extractor_new(struct extractor **out, const struct rules *r)
{
	struct extractor *x = xcalloc(1, sizeof(*x));

	x->rules = r;
	x->c = xcalloc(r->n ? r->n : 1, sizeof(*x->c));
	x->md = pcre2_match_data_create(64, NULL);
	x->mctx = pcre2_match_context_create(NULL);
	x->jit = pcre2_jit_stack_create(32 * 1024, 512 * 1024, NULL);
	if (!x->md || !x->mctx || !x->jit) {
		extractor_free(x);
		*out = NULL;
		errorf("cannot allocate PCRE2 match data");
		return -1;
	}
	pcre2_set_match_limit(x->mctx, PCRE2_MATCH_LIMIT);
	pcre2_set_depth_limit(x->mctx, PCRE2_DEPTH_LIMIT);
	pcre2_jit_stack_assign(x->mctx, NULL, x->jit);
	*out = x;
	return 0;
}

void extractor_free(struct extractor *x)
{
	size_t i;

	if (!x)
		return;
	for (i = 0; i < x->rules->n; i++)
		pcre2_code_free(x->c[i].code);
	free(x->c);
	pcre2_match_data_free(x->md);
	pcre2_match_context_free(x->mctx);
	pcre2_jit_stack_free(x->jit);
	free(x);
}

int extract_compile(struct extractor *x, unsigned i)
{
	struct compiled *c = &x->c[i];
	const struct rule *r = &x->rules->v[i];
	const char *pat = r->extract ? r->extract : r->pattern;
	const struct cval *cv = r->extract ? &r->def->extract : &r->def->pattern;
	int errcode, n;
	PCRE2_SIZE erroff;
	PCRE2_UCHAR msg[256];

	if (c->state)
		return c->state > 0 ? 0 : -1;
	c->code = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, PCRE2_MULTILINE,
				&errcode, &erroff, NULL);
	if (!c->code) {
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		errorf("%s:%d: rule '%s': %s rejected by PCRE2 at offset %zu: %s",
		       cv->file ? cv->file : r->def->file, cv->line ? cv->line : r->def->line,
		       r->id, r->extract ? "extract pattern" : "pattern", (size_t)erroff,
		       (const char *)msg);
		c->state = -1;
		return -1;
	}
	/* JIT is a speed-up only: without it (no executable memory allowed,
	 * say) the interpreter gives the same answers. */
	(void)pcre2_jit_compile(c->code, PCRE2_JIT_COMPLETE);
	n = pcre2_substring_number_from_name(c->code, (PCRE2_SPTR) "secret");
	c->secret_group = n > 0 ? n : 0;
	c->state = 1;
	return 0;
}

int extract_run(struct extractor *x, unsigned i, const char *data, size_t len,
		size_t first_end, size_t last_end, size_t width, extract_fn fn, void *ctx)
{
	struct compiled *c = &x->c[i];
	size_t back = width && width < EXTRACT_WINDOW ? width : EXTRACT_WINDOW;
	size_t pos, limit;
	PCRE2_SIZE *ov;
	int rc;

	if (extract_compile(x, i) < 0)
		return -1;
	/* Some slack before the window: an extract pattern may carry more
	 * leading context than the Hyperscan pattern. */
	back = back + 256 < EXTRACT_WINDOW ? back + 256 : EXTRACT_WINDOW;
	pos = first_end > back ? first_end - back : 0;
	limit = len - last_end > EXTRACT_WINDOW ? last_end + EXTRACT_WINDOW : len;
	while (pos <= last_end && pos <= limit) {
		size_t ms, me, ss, se;

		rc = testhook_fail("pcre2") ? PCRE2_ERROR_MATCHLIMIT :
			pcre2_match(c->code, (PCRE2_SPTR)data, limit, pos, 0, x->md, x->mctx);
		if (rc == PCRE2_ERROR_NOMATCH)
			break;
		if (rc < 0) {
			PCRE2_UCHAR msg[256];

			pcre2_get_error_message(rc, msg, sizeof(msg));
			errorf("rule '%s': PCRE2 gave up while confirming a match: %s",
			       x->rules->v[i].id, (const char *)msg);
			return -1;
		}
		ov = pcre2_get_ovector_pointer(x->md);
		ms = ov[0];
		me = ov[1];
		if (ms >= last_end)
			break;
		if (me >= first_end && me > ms) {
			ss = ms;
			se = me;
			if (c->secret_group && (size_t)rc > (size_t)c->secret_group &&
			    ov[2 * c->secret_group] != PCRE2_UNSET) {
				ss = ov[2 * c->secret_group];
				se = ov[2 * c->secret_group + 1];
			}
			if (se > ss && (rc = fn(ctx, ms, me, ss, se)) != 0)
				return rc;
		}
		pos = me > ms ? me : ms + 1;
	}
	return 0;
}
