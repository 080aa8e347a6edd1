/* Unit tests: buf escaping (terminal and JSON) and redaction. */
#include "tap.h"

#include <stdlib.h>

#include "buf.h"
#include "finding.h"

static void term_is(const char *in, size_t n, const char *want, const char *name)
{
	struct buf b = BUF_INIT;

	buf_add_term(&b, in, n);
	is_str(b.ptr, want, name);
	buf_release(&b);
}

static void json_is(const char *in, size_t n, const char *want, const char *name)
{
	struct buf b = BUF_INIT;

	buf_add_json(&b, in, n);
	is_str(b.ptr, want, name);
	buf_release(&b);
}

int main(void)
{
	char *r;

	term_is("plain/path.py", 13, "plain/path.py", "plain text is kept");
	term_is("a\033[31mb", 7, "a\\x1b[31mb", "ESC is escaped");
	term_is("a\nb", 3, "a\\x0ab", "newline is escaped");
	term_is("a\\b", 3, "a\\\\b", "backslash is doubled");
	term_is("caf\xc3\xa9", 5, "caf\xc3\xa9", "valid UTF-8 is kept");
	term_is("x\xff" "y", 3, "x\\xffy", "invalid UTF-8 byte is escaped");
	term_is("\xc2\x9b" "1m", 4, "\\u009b1m", "C1 control (CSI) is escaped");
	term_is("a\0b", 3, "a\\x00b", "NUL is escaped");

	json_is("say \"hi\"\n", 9, "say \\\"hi\\\"\\n", "quotes and newline");
	json_is("\x01", 1, "\\u0001", "control byte");
	json_is("\xff", 1, "\\u00ff", "invalid UTF-8 keeps valid JSON");
	json_is("\xed\xa0\x80", 3, "\\u00ed\\u00a0\\u0080", "UTF-16 surrogate bytes are not UTF-8");
	json_is("\xe2\x80\xa6", 3, "\xe2\x80\xa6", "ellipsis stays as is");

	r = redact("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", 32);
	is_str(r, "ABCDEFGH…45", "redaction shows a quarter and the last two");
	free(r);
	r = redact("hunter22", 8);
	is_str(r, "h…", "a short secret shows one character");
	free(r);
	r = redact("abc", 3);
	is_str(r, "…", "a tiny secret shows nothing");
	free(r);
	return tap_done();
}
