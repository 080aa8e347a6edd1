/*
 * fastindex.c — HEAD vs the index, read straight from git's index format.
 *
 * The format is git's Documentation/technical/index-format.txt. Every check
 * below that fails returns FASTINDEX_FALLBACK: the caller then reads the
 * index with libgit2, which is slower but understands everything.
 */
#include "fastindex.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define HASH_LEN 20           /* SHA-1 (libgit2 1.5 opens nothing else) */
#define ENTRY_FIXED 62        /* ctime .. flags of an on-disk entry */
#define ENTRY_MODE 24         /* offset of the mode in an entry */
#define ENTRY_SIZE 36         /* offset of the file size */
#define ENTRY_OID 40          /* offset of the object id */
#define ENTRY_FLAGS 60        /* offset of the 16-bit flags */
#define FLAG_EXTENDED 0x4000
#define FLAG_STAGE 0x3000
#define FLAG_NAMEMASK 0x0fff
#define MAX_TREE_DEPTH 4096   /* deeper cache-trees are not believed */
#define BLOCK_SIZE 65536      /* arena block for paths of deleted files */

struct fastindex_block {
	struct fastindex_block *next;
	size_t used, size;
	char data[];
};

/* One directory of the cache-tree, in the pre-order the file stores. */
struct ct_node {
	const char *name;
	size_t name_len;
	long entries;                 /* index entries below; -1 = invalid */
	unsigned long subtrees;
	const unsigned char *oid;     /* the tree's id when entries >= 0 */
	size_t next;                  /* the node after this whole subtree */
};

struct entry_ref {
	uint32_t off;                 /* offset of the entry in the file */
	uint32_t len;                 /* length of its path */
};

struct reader {
	git_repository *repo;
	const unsigned char *base;
	size_t len;
	uint32_t count;
	struct entry_ref *ent;
	struct ct_node *ct;
	size_t ct_n, ct_alloc;
	char *path;                   /* the directory being walked, with '/' */
	size_t path_alloc;
	struct fastindex_changes *out;
};

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static uint16_t be16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static const char *ent_name(const struct reader *r, size_t i)
{
	return (const char *)r->base + r->ent[i].off + ENTRY_FIXED;
}

static uint32_t ent_mode(const struct reader *r, size_t i)
{
	return be32(r->base + r->ent[i].off + ENTRY_MODE);
}

static const unsigned char *ent_oid(const struct reader *r, size_t i)
{
	return r->base + r->ent[i].off + ENTRY_OID;
}

static int valid_mode(uint32_t m)
{
	return m == 0100644 || m == 0100755 || m == 0120000 || m == 0160000;
}

/* The entries: where each starts, and that they are all ones we know. */
static int parse_entries(struct reader *r, size_t *endp)
{
	size_t end = r->len - HASH_LEN, p = 12;
	const char *prev = NULL;
	size_t prev_len = 0;
	uint32_t i;

	for (i = 0; i < r->count; i++) {
		const unsigned char *e = r->base + p;
		const char *name = (const char *)e + ENTRY_FIXED;
		uint16_t flags;
		size_t nlen, size, n;
		int c;

		if (end - p < ENTRY_FIXED + 1)
			return FASTINDEX_FALLBACK;
		flags = be16(e + ENTRY_FLAGS);
		/* Extended flags are intent-to-add or skip-worktree (sparse
		 * checkouts): libgit2 decides what those mean. */
		if (flags & (FLAG_EXTENDED | FLAG_STAGE))
			return FASTINDEX_FALLBACK;
		if (!valid_mode(be32(e + ENTRY_MODE)))
			return FASTINDEX_FALLBACK;
		nlen = flags & FLAG_NAMEMASK;
		if (nlen < FLAG_NAMEMASK) {
			if (end - p - ENTRY_FIXED <= nlen || name[nlen] != '\0' ||
			    memchr(name, '\0', nlen))
				return FASTINDEX_FALLBACK;
		} else {
			const char *z = memchr(name, '\0', end - p - ENTRY_FIXED);
			if (!z || (size_t)(z - name) < FLAG_NAMEMASK)
				return FASTINDEX_FALLBACK;
			nlen = (size_t)(z - name);
		}
		if (nlen == 0 || nlen > UINT32_MAX)
			return FASTINDEX_FALLBACK;
		/* One to eight NULs pad each entry to a multiple of 8. */
		size = (ENTRY_FIXED + nlen + 8) & ~(size_t)7;
		if (end - p < size)
			return FASTINDEX_FALLBACK;
		/* Strictly sorted, so ranges and binary search are sound. */
		if (prev) {
			n = prev_len < nlen ? prev_len : nlen;
			c = memcmp(prev, name, n);
			if (c > 0 || (c == 0 && prev_len >= nlen))
				return FASTINDEX_FALLBACK;
		}
		r->ent[i].off = (uint32_t)p;
		r->ent[i].len = (uint32_t)nlen;
		prev = name;
		prev_len = nlen;
		p += size;
	}
	*endp = p;
	return 0;
}

static int parse_count(const char **pp, const char *end, long *out, char stop)
{
	const char *p = *pp;
	int neg = 0, digits = 0;
	long v = 0;

	if (p < end && *p == '-') {
		neg = 1;
		p++;
	}
	while (p < end && *p >= '0' && *p <= '9' && digits < 10) {
		v = v * 10 + (*p++ - '0');
		digits++;
	}
	if (!digits || p >= end || *p != stop)
		return -1;
	*pp = p + 1;
	*out = neg ? -v : v;
	return 0;
}

/* One cache-tree node and, recursively, its subtrees. */
static int parse_ct(struct reader *r, const char **pp, const char *end, int depth)
{
	const char *p = *pp, *z;
	long entries, subtrees, k;
	size_t me;
	int err;

	if (depth > MAX_TREE_DEPTH || !(z = memchr(p, '\0', (size_t)(end - p))))
		return FASTINDEX_FALLBACK;
	if (r->ct_n == r->ct_alloc) {
		size_t n = r->ct_alloc ? r->ct_alloc * 2 : 256;
		struct ct_node *v = realloc(r->ct, n * sizeof(*v));
		if (!v)
			return -1;
		r->ct = v;
		r->ct_alloc = n;
	}
	me = r->ct_n++;
	r->ct[me].name = p;
	r->ct[me].name_len = (size_t)(z - p);
	p = z + 1;
	if (parse_count(&p, end, &entries, ' ') < 0 ||
	    parse_count(&p, end, &subtrees, '\n') < 0 ||
	    entries < -1 || entries > (long)r->count || subtrees < 0)
		return FASTINDEX_FALLBACK;
	r->ct[me].entries = entries;
	r->ct[me].subtrees = (unsigned long)subtrees;
	r->ct[me].oid = NULL;
	if (entries >= 0) {
		if (end - p < HASH_LEN)
			return FASTINDEX_FALLBACK;
		r->ct[me].oid = (const unsigned char *)p;
		p += HASH_LEN;
	}
	for (k = 0; k < subtrees; k++)
		if ((err = parse_ct(r, &p, end, depth + 1)) != 0)
			return err;
	r->ct[me].next = r->ct_n;
	*pp = p;
	return 0;
}

static int parse_extensions(struct reader *r, size_t p)
{
	size_t end = r->len - HASH_LEN;

	while (p < end) {
		const unsigned char *e = r->base + p;
		uint32_t size;

		if (end - p < 8)
			return FASTINDEX_FALLBACK;
		size = be32(e + 4);
		if (end - p - 8 < size)
			return FASTINDEX_FALLBACK;
		/* An extension whose name starts with a capital is optional and
		 * may be ignored; any other (link, sdir, ...) changes what the
		 * entries mean. */
		if (e[0] < 'A' || e[0] > 'Z')
			return FASTINDEX_FALLBACK;
		if (!memcmp(e, "TREE", 4) && size) {
			const char *t = (const char *)e + 8, *tend = t + size;
			int err;

			r->ct_n = 0;
			if ((err = parse_ct(r, &t, tend, 0)) != 0)
				return err;
			/* One root, named "", and nothing left over. */
			if (t != tend || r->ct[0].name_len != 0)
				return FASTINDEX_FALLBACK;
		}
		p += 8 + size;
	}
	return 0;
}

static int push(struct reader *r, const struct fastindex_change *c)
{
	struct fastindex_changes *o = r->out;

	if (o->n == o->alloc) {
		size_t n = o->alloc ? o->alloc * 2 : 64;
		struct fastindex_change *v = realloc(o->v, n * sizeof(*v));
		if (!v)
			return -1;
		o->v = v;
		o->alloc = n;
	}
	o->v[o->n++] = *c;
	return 0;
}

static int emit_added(struct reader *r, size_t i)
{
	struct fastindex_change c;

	memset(&c, 0, sizeof(c));
	c.path = ent_name(r, i);
	c.path_len = r->ent[i].len;
	git_oid_fromraw(&c.new_id, ent_oid(r, i));
	c.new_mode = ent_mode(r, i);
	c.size_hint = be32(r->base + r->ent[i].off + ENTRY_SIZE);
	c.status = FASTINDEX_ADDED;
	return push(r, &c);
}

/* A copy of the current directory + `name`, in the list's arena. */
static char *arena_path(struct reader *r, size_t plen, const char *name, size_t nlen)
{
	struct fastindex_block *b = r->out->blocks;
	size_t need = plen + nlen + 1;
	char *s;

	if (!b || b->size - b->used < need) {
		size_t size = need > BLOCK_SIZE ? need : BLOCK_SIZE;
		if (!(b = malloc(sizeof(*b) + size)))
			return NULL;
		b->next = r->out->blocks;
		b->used = 0;
		b->size = size;
		r->out->blocks = b;
	}
	s = b->data + b->used;
	memcpy(s, r->path, plen);
	memcpy(s + plen, name, nlen);
	s[plen + nlen] = '\0';
	b->used += need;
	return s;
}

static int emit_deleted(struct reader *r, size_t plen, const git_tree_entry *te)
{
	struct fastindex_change c;
	const char *name = git_tree_entry_name(te);
	size_t nlen = strlen(name);

	memset(&c, 0, sizeof(c));
	if (!(c.path = arena_path(r, plen, name, nlen)))
		return -1;
	c.path_len = plen + nlen;
	git_oid_cpy(&c.old_id, git_tree_entry_id(te));
	c.old_mode = git_tree_entry_filemode_raw(te);
	c.status = FASTINDEX_DELETED;
	return push(r, &c);
}

/* Makes the current directory `plen` bytes + `name` + '/'. */
static int enter_dir(struct reader *r, size_t plen, const char *name, size_t nlen)
{
	size_t need = plen + nlen + 2;

	if (need > r->path_alloc) {
		size_t n = need * 2;
		char *p = realloc(r->path, n);
		if (!p)
			return -1;
		r->path = p;
		r->path_alloc = n;
	}
	memcpy(r->path + plen, name, nlen);
	r->path[plen + nlen] = '/';
	return 0;
}

static int is_tree(const git_tree_entry *te)
{
	return git_tree_entry_type(te) == GIT_OBJECT_TREE;
}

/* Every file of HEAD's tree `id`, which the index no longer has. */
static int emit_deleted_tree(struct reader *r, size_t plen, const git_oid *id)
{
	git_tree *t = NULL;
	size_t k, n;
	int err;

	if ((err = git_tree_lookup(&t, r->repo, id)) < 0)
		return err;
	n = git_tree_entrycount(t);
	for (k = 0; k < n && err >= 0; k++) {
		const git_tree_entry *te = git_tree_entry_byindex(t, k);
		const char *name = git_tree_entry_name(te);
		size_t nlen = strlen(name);

		if (!is_tree(te))
			err = emit_deleted(r, plen, te);
		else if ((err = enter_dir(r, plen, name, nlen)) >= 0)
			err = emit_deleted_tree(r, plen + nlen + 1, git_tree_entry_id(te));
	}
	git_tree_free(t);
	return err;
}

/* git's base_name_compare: a directory sorts as if its name ended in '/'. */
static int name_cmp(const char *a, size_t al, int adir, const char *b, size_t bl, int bdir)
{
	size_t n = al < bl ? al : bl;
	int c = memcmp(a, b, n);
	unsigned char ca, cb;

	if (c)
		return c;
	ca = n < al ? (unsigned char)a[n] : adir ? '/' : '\0';
	cb = n < bl ? (unsigned char)b[n] : bdir ? '/' : '\0';
	return (ca > cb) - (ca < cb);
}

/* A directory's cache-tree children, sorted by name for binary search:
 * git stores them by length first, and a directory may have thousands. */
struct ct_kids {
	long ct;
	size_t n;
	size_t *v;
};

static int kid_cmp(const void *a, const void *b, void *arg)
{
	const struct ct_node *x = (const struct ct_node *)arg + *(const size_t *)a;
	const struct ct_node *y = (const struct ct_node *)arg + *(const size_t *)b;
	size_t n = x->name_len < y->name_len ? x->name_len : y->name_len;
	int c = memcmp(x->name, y->name, n);

	return c ? c : (x->name_len > y->name_len) - (x->name_len < y->name_len);
}

static int ct_kids_init(struct ct_kids *k, const struct reader *r, long ct)
{
	size_t c, j;

	k->ct = ct;
	k->n = 0;
	k->v = NULL;
	if (ct < 0 || !r->ct[ct].subtrees)
		return 0;
	if (!(k->v = malloc(r->ct[ct].subtrees * sizeof(*k->v))))
		return -1;
	for (j = 0, c = (size_t)ct + 1; j < r->ct[ct].subtrees; j++, c = r->ct[c].next)
		k->v[j] = c;
	k->n = j;
	qsort_r(k->v, k->n, sizeof(*k->v), kid_cmp, r->ct);
	return 0;
}

static long ct_child(const struct reader *r, const struct ct_kids *k, const char *name, size_t nlen)
{
	size_t lo = 0, hi = k->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct ct_node *x = &r->ct[k->v[mid]];
		size_t n = x->name_len < nlen ? x->name_len : nlen;
		int c = memcmp(x->name, name, n);

		if (!c)
			c = (x->name_len > nlen) - (x->name_len < nlen);
		if (!c)
			return (long)k->v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int has_prefix(const struct reader *r, size_t i, const char *prefix, size_t plen)
{
	return r->ent[i].len > plen && !memcmp(ent_name(r, i), prefix, plen);
}

/*
 * The end of the run of entries from `i` (< `hi`) inside the directory whose
 * path with its '/' is the first `dlen` bytes of entry i's path. The
 * cache-tree's count gives it at once when it checks out; otherwise a binary
 * search finds it, since the run is contiguous in the sorted entries.
 */
static size_t dir_end(const struct reader *r, size_t i, size_t hi, size_t dlen, long ct)
{
	const char *prefix = ent_name(r, i);
	size_t lo = i + 1;

	if (ct >= 0 && r->ct[ct].entries > 0) {
		size_t e = i + (size_t)r->ct[ct].entries;
		if (e <= hi && has_prefix(r, e - 1, prefix, dlen) &&
		    (e == hi || !has_prefix(r, e, prefix, dlen)))
			return e;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (has_prefix(r, mid, prefix, dlen))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Compare the index entries [lo, hi), all in the directory r->path[0..plen),
 * with HEAD's tree `tree_id` for it (NULL when HEAD has no such directory).
 * `ct` is the directory's cache-tree node, or -1.
 */
static int walk(struct reader *r, size_t plen, const git_oid *tree_id,
		size_t lo, size_t hi, long ct)
{
	git_tree *tree = NULL;
	struct ct_kids kids;
	size_t i = lo, ti = 0, tn;
	int err = 0;

	if (!tree_id) {
		for (; i < hi && err >= 0; i++)
			err = emit_added(r, i);
		return err;
	}
	/* The whole point: a valid cache-tree entry naming HEAD's tree means
	 * nothing below it is staged. */
	if (ct >= 0 && r->ct[ct].entries >= 0 && (size_t)r->ct[ct].entries == hi - lo &&
	    !memcmp(r->ct[ct].oid, tree_id->id, HASH_LEN))
		return 0;
	if (ct_kids_init(&kids, r, ct) < 0)
		return -1;
	if ((err = git_tree_lookup(&tree, r->repo, tree_id)) < 0) {
		free(kids.v);
		return err;
	}
	tn = git_tree_entrycount(tree);
	while (err >= 0 && (i < hi || ti < tn)) {
		const git_tree_entry *te = ti < tn ? git_tree_entry_byindex(tree, ti) : NULL;
		const char *iname = NULL, *slash;
		size_t ilen = 0;
		int idir = 0, c;

		if (i < hi) {
			iname = ent_name(r, i) + plen;
			ilen = r->ent[i].len - plen;
			if ((slash = memchr(iname, '/', ilen))) {
				idir = 1;
				ilen = (size_t)(slash - iname);
			}
		}
		if (!te)
			c = -1;
		else if (i >= hi)
			c = 1;
		else {
			const char *tname = git_tree_entry_name(te);
			c = name_cmp(iname, ilen, idir, tname, strlen(tname), is_tree(te));
		}

		if (c < 0) {                    /* only in the index */
			size_t e = i + 1;
			if (idir)
				e = dir_end(r, i, hi, plen + ilen + 1,
					    ct_child(r, &kids, iname, ilen));
			for (; i < e && err >= 0; i++)
				err = emit_added(r, i);
		} else if (c > 0) {             /* only in HEAD */
			const char *tname = git_tree_entry_name(te);
			size_t tlen = strlen(tname);
			if (!is_tree(te))
				err = emit_deleted(r, plen, te);
			else if ((err = enter_dir(r, plen, tname, tlen)) >= 0)
				err = emit_deleted_tree(r, plen + tlen + 1, git_tree_entry_id(te));
			ti++;
		} else if (idir) {              /* a directory in both */
			long child = ct_child(r, &kids, iname, ilen);
			size_t e = dir_end(r, i, hi, plen + ilen + 1, child);
			if ((err = enter_dir(r, plen, iname, ilen)) >= 0)
				err = walk(r, plen + ilen + 1, git_tree_entry_id(te), i, e, child);
			i = e;
			ti++;
		} else {                        /* a file in both */
			uint32_t im = ent_mode(r, i), tm = git_tree_entry_filemode_raw(te);
			const unsigned char *io = ent_oid(r, i);

			/* As libgit2 does without GIT_DIFF_INCLUDE_TYPECHANGE: a
			 * new kind of file is a deletion and an addition. */
			if ((im & 0170000) != (tm & 0170000)) {
				if ((err = emit_deleted(r, plen, te)) >= 0)
					err = emit_added(r, i);
			} else if (im != tm || memcmp(io, git_tree_entry_id(te)->id, HASH_LEN)) {
				struct fastindex_change ch;
				memset(&ch, 0, sizeof(ch));
				ch.path = ent_name(r, i);
				ch.path_len = r->ent[i].len;
				git_oid_cpy(&ch.old_id, git_tree_entry_id(te));
				git_oid_fromraw(&ch.new_id, io);
				ch.old_mode = tm;
				ch.new_mode = im;
				ch.size_hint = be32(r->base + r->ent[i].off + ENTRY_SIZE);
				ch.status = FASTINDEX_MODIFIED;
				err = push(r, &ch);
			}
			i++;
			ti++;
		}
	}
	git_tree_free(tree);
	free(kids.v);
	return err;
}

int fastindex_diff(struct fastindex_changes *out, git_repository *repo,
		   const char *index_path, const git_tree *head)
{
	struct reader r;
	struct stat st;
	size_t end = 0;
	void *map;
	int fd, err;

	memset(out, 0, sizeof(*out));
	memset(&r, 0, sizeof(r));
	if ((fd = open(index_path, O_RDONLY | O_CLOEXEC)) < 0)
		return FASTINDEX_FALLBACK;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < 12 + HASH_LEN ||
	    (uint64_t)st.st_size > UINT32_MAX) {
		close(fd);
		return FASTINDEX_FALLBACK;
	}
	/* Every page is read by the first pass: populate them at once. */
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return FASTINDEX_FALLBACK;
	out->map = map;
	out->map_len = (size_t)st.st_size;

	r.repo = repo;
	r.out = out;
	r.base = map;
	r.len = out->map_len;
	r.count = be32(r.base + 8);
	err = FASTINDEX_FALLBACK;
	if (memcmp(r.base, "DIRC", 4) || (be32(r.base + 4) != 2 && be32(r.base + 4) != 3) ||
	    r.count > (r.len - 12 - HASH_LEN) / (ENTRY_FIXED + 2))
		goto out;
	if (r.count && !(r.ent = malloc(r.count * sizeof(*r.ent)))) {
		err = -1;
		goto out;
	}
	if ((err = parse_entries(&r, &end)) != 0 || (err = parse_extensions(&r, end)) != 0)
		goto out;
	if ((err = enter_dir(&r, 0, "", 0)) < 0)
		goto out;
	err = walk(&r, 0, head ? git_tree_id(head) : NULL, 0, r.count, r.ct_n ? 0 : -1);
out:
	free(r.ent);
	free(r.ct);
	free(r.path);
	if (err != 0)
		fastindex_changes_release(out);
	return err;
}

int fastindex_lookup(const char *index_path, const char *path, git_oid *id, uint32_t *mode)
{
	const unsigned char *base, *found = NULL;
	size_t plen = strlen(path), len, end, p = 12;
	uint32_t count, i;
	struct stat st;
	void *map;
	int fd, rc = FASTINDEX_FALLBACK, past = 0;

	if ((fd = open(index_path, O_RDONLY | O_CLOEXEC)) < 0)
		return FASTINDEX_FALLBACK;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < 12 + HASH_LEN ||
	    (uint64_t)st.st_size > UINT32_MAX) {
		close(fd);
		return FASTINDEX_FALLBACK;
	}
	len = (size_t)st.st_size;
	map = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return FASTINDEX_FALLBACK;
	base = map;
	end = len - HASH_LEN;
	count = be32(base + 8);
	if (memcmp(base, "DIRC", 4) || (be32(base + 4) != 2 && be32(base + 4) != 3))
		goto out;
	/* Only the entries' lengths are needed to reach the extensions; the
	 * path is compared until the sorted entries pass it. */
	for (i = 0; i < count; i++) {
		const char *name;
		uint16_t flags;
		size_t nlen, fixed = ENTRY_FIXED;

		if (end - p < ENTRY_FIXED + 3)
			goto out;
		flags = be16(base + p + ENTRY_FLAGS);
		/* Version 3 entries may carry two more bytes of flags before
		 * the path (then this is not an entry we may read, but it is
		 * one we must step over). */
		if (flags & FLAG_EXTENDED) {
			if (be32(base + 4) != 3)
				goto out;
			fixed += 2;
		}
		name = (const char *)base + p + fixed;
		nlen = flags & FLAG_NAMEMASK;
		if (nlen == FLAG_NAMEMASK) {
			const char *z = memchr(name, '\0', end - p - fixed);
			if (!z)
				goto out;
			nlen = (size_t)(z - name);
		}
		if (end - p - fixed <= nlen)
			goto out;
		if (!past) {
			int c = memcmp(name, path, nlen < plen ? nlen : plen);
			if (c == 0 && nlen == plen) {
				if (found || (flags & (FLAG_EXTENDED | FLAG_STAGE)) ||
				    !valid_mode(be32(base + p + ENTRY_MODE)))
					goto out;
				found = base + p;
			} else if (c > 0 || (c == 0 && nlen > plen)) {
				past = 1;
			}
		}
		p += (fixed + nlen + 8) & ~(size_t)7;
		if (p > end)
			goto out;
	}
	while (p < end) {
		uint32_t size;

		if (end - p < 8 || base[p] < 'A' || base[p] > 'Z')
			goto out;
		size = be32(base + p + 4);
		if (end - p - 8 < size)
			goto out;
		p += 8 + size;
	}
	rc = 0;
	if (found) {
		git_oid_fromraw(id, found + ENTRY_OID);
		*mode = be32(found + ENTRY_MODE);
		rc = 1;
	}
out:
	munmap(map, len);
	return rc;
}

void fastindex_changes_release(struct fastindex_changes *c)
{
	struct fastindex_block *b, *next;

	if (!c)
		return;
	free(c->v);
	if (c->map)
		munmap(c->map, c->map_len);
	for (b = c->blocks; b; b = next) {
		next = b->next;
		free(b);
	}
	memset(c, 0, sizeof(*c));
}
