#include "report.h"

#include <string.h>

#include "buf.h"
#include "msg.h"

static void term(struct buf *b, const char *s)
{
	buf_add_term(b, s, strlen(s));
}

void report_text(FILE *out, const struct findings *f, const struct report_ctx *ctx)
{
	struct buf b = BUF_INIT;
	size_t i, nblock = 0, nsecret = 0, npolicy = 0;

	for (i = 0; i < f->n; i++) {
		nblock += f->v[i].blocking;
		nsecret += f->v[i].blocking && f->v[i].kind == KIND_SECRET;
		npolicy += f->v[i].blocking && f->v[i].kind != KIND_SECRET;
	}
	if (msg_verbosity() < 0 && !nblock)
		return;
	if (nblock) {
		buf_printf(&b, "%s%sleakgate: %zu %s in %s", c_bold(), c_red(), nblock,
			   nblock == 1 ? "problem" : "problems", ctx->what);
		if (ctx->hook)
			buf_printf(&b, " — %s blocked", ctx->action ? ctx->action : "commit");
		buf_addc(&b, '\n');
		buf_adds(&b, c_reset());
	}
	for (i = 0; i < f->n; i++) {
		const struct finding *x = &f->v[i];

		if (msg_verbosity() < 0 && !x->blocking)
			continue;
		buf_printf(&b, "\n  %s", x->blocking ? c_red() : c_yellow());
		if (x->commit)
			buf_printf(&b, "%.12s:", x->commit);
		term(&b, x->path);
		if (x->line)
			buf_printf(&b, ":%ld:%ld", x->line, x->column);
		buf_printf(&b, "%s  %s  %s%s\n", c_reset(), x->rule_id,
			   severity_name(x->severity), x->blocking ? "" : " (warning)");
		buf_adds(&b, "      ");
		term(&b, x->message);
		buf_addc(&b, '\n');
		if (x->kind == KIND_SECRET) {
			buf_adds(&b, "      secret ");
			term(&b, x->redacted);
			buf_printf(&b, " (%zu chars)  fingerprint %s\n", x->secret_len,
				   x->fingerprint);
		}
		if (x->remediation && x->blocking) {
			buf_printf(&b, "      %s", c_dim());
			term(&b, x->remediation);
			buf_printf(&b, "%s\n", c_reset());
		}
	}
	if (f->over_cap)
		buf_printf(&b, "\n  ... and %zu more findings not listed (limits: %d per file, %d per run)\n",
			   f->over_cap, MAX_FINDINGS_PER_FILE, MAX_FINDINGS_PER_RUN);
	if (nblock) {
		buf_adds(&b, "\nWhat to do:\n");
		if (nsecret && ctx->advice) {
			buf_adds(&b, ctx->advice);
		} else if (nsecret) {
			buf_adds(&b, "  - Remove the secret from the file and load it from the environment or a\n"
				     "    secret manager instead (e.g. os.environ[\"API_KEY\"], process.env.API_KEY),\n"
				     "    then stage the file again (git add). Only what is staged is checked.\n"
				     "  - If the key was ever pushed or shared, revoke it and issue a new one:\n"
				     "    removing it from the file does not make it safe again.\n"
				     "  - A false positive? Put 'leakgate:allow' in a comment on that line, or add\n"
				     "    its fingerprint to [allow] fingerprints in .leakgate.ini.\n");
		}
		if (npolicy)
			buf_adds(&b, "  - For a file that must not be committed: git rm --cached <path>, and add\n"
				     "    it to .gitignore.\n");
		if (ctx->hook)
			buf_printf(&b, "  - To bypass this check once: git %s --no-verify\n",
				   ctx->action ? ctx->action : "commit");
	}
	if (ctx->stats && msg_verbosity() > 0) {
		const struct source_stats *st = ctx->stats;

		buf_printf(&b, "\nscanned %zu files (%zu chunks, %llu bytes); skipped %zu binary, "
			   "%zu submodules, %zu symlinks, %zu too large; %zu deleted, %zu renamed\n",
			   st->files, st->chunks, st->bytes, st->binary, st->gitlinks, st->symlinks,
			   st->too_large, st->deleted, st->renamed);
	}
	fwrite(b.ptr, 1, b.len, out);
	fflush(out);
	buf_release(&b);
}

static void jstr(struct buf *b, const char *key, const char *v)
{
	buf_printf(b, "\"%s\":", key);
	if (!v) {
		buf_adds(b, "null");
		return;
	}
	buf_addc(b, '"');
	buf_add_json(b, v, strlen(v));
	buf_addc(b, '"');
}

void report_json(FILE *out, const struct findings *f)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < f->n; i++) {
		const struct finding *x = &f->v[i];

		buf_addc(&b, '{');
		jstr(&b, "path", x->path);
		if (x->line)
			buf_printf(&b, ",\"line\":%ld,\"column\":%ld", x->line, x->column);
		else
			buf_adds(&b, ",\"line\":null,\"column\":null");
		buf_addc(&b, ',');
		jstr(&b, "kind", kind_name(x->kind));
		buf_addc(&b, ',');
		jstr(&b, "rule", x->rule_id);
		buf_addc(&b, ',');
		jstr(&b, "severity", severity_name(x->severity));
		buf_addc(&b, ',');
		jstr(&b, "redacted", x->redacted);
		buf_addc(&b, ',');
		jstr(&b, "fingerprint", x->fingerprint);
		buf_addc(&b, ',');
		jstr(&b, "message", x->message);
		buf_printf(&b, ",\"blocking\":%s", x->blocking ? "true" : "false");
		if (x->commit) {
			buf_addc(&b, ',');
			jstr(&b, "commit", x->commit);
			buf_addc(&b, ',');
			jstr(&b, "date", x->date);
		}
		buf_adds(&b, "}\n");
	}
	fwrite(b.ptr, 1, b.len, out);
	fflush(out);
	buf_release(&b);
}
