/*
 * loose.h — read a blob straight from its loose object file and inflate it
 * with libdeflate, for the fast path's loader threads (source.c).
 *
 * Objects just written by `git add` are loose: $GIT_DIR/objects/xx/yyyy...,
 * one zlib stream of "blob <size>\0" + content. Inflating them is most of the
 * CPU time of a large new change, and libdeflate inflates whole buffers about
 * twice as fast as zlib. This is only an accelerator: whenever anything is
 * not exactly as expected (an object directory set by the environment, a
 * packed object, a file that does not inflate, a type other than blob, a size
 * that does not match, a blob larger than the caller's estimate) it answers
 * "not handled" and the caller reads the object through libgit2, which gives
 * the content or the error. The one error of its own is a loose file that
 * is not a valid zlib stream (garbage, truncated, bad checksum): git calls
 * that object corrupt, and libgit2 1.5.1 loops forever inflating a truncated
 * one, so it is reported rather than handed to libgit2.
 *
 * One `struct loose` per thread (it holds a decompressor and a read buffer).
 */
#ifndef LEAKGATE_LOOSE_H
#define LEAKGATE_LOOSE_H

#include <git2.h>
#include <stddef.h>

struct libdeflate_decompressor;

struct loose {
	char *dir;		/* ".../objects/", NULL when disabled */
	size_t dirlen;
	struct libdeflate_decompressor *d;
	unsigned char *in;	/* the compressed file, reused */
	size_t in_alloc;
};

/* Set up reading the loose objects of `repo`. Never fails: when the object
 * directory is unusual (GIT_OBJECT_DIRECTORY is set) or libdeflate cannot
 * start, every loose_read_blob() answers 0. Release with loose_release(). */
void loose_init(struct loose *l, git_repository *repo);
void loose_release(struct loose *l);

/* Read the blob `id` from its loose file. `estimate` is the caller's idea of
 * its size (the index's recorded file size, or the exact size); a blob
 * larger than estimate + 64 bytes is not handled. Returns 1 with *raw a
 * malloc'd buffer the caller frees and the content at *data, *len bytes inside it;
 * 0 when not handled (read it through libgit2 instead); -1 when the loose
 * file exists but is corrupt (the caller fails; nothing is allocated). */
int loose_read_blob(struct loose *l, const git_oid *id, size_t estimate,
		    char **raw, const char **data, size_t *len);

#endif
