/*
 * linkshim.c — linked only into the static build (Makefile, LINK=static).
 *
 * leakgate reads a local repository and never talks to a remote, but
 * libgit2 initialises its network stack anyway. Two parts of that are paid
 * on every commit, and the static link lets us drop them:
 *
 *  - git_libgit2_init() parses the system's whole CA bundle with mbedTLS
 *    (~3.5 ms, more than git needs for a small commit). The link wraps that
 *    initialiser (-Wl,--wrap) with the no-op below. With a libgit2 built
 *    without mbedTLS the symbol does not exist and the wrap does nothing.
 *  - it starts libssh2, which starts OpenSSL (engines, error strings). The
 *    link wraps libssh2_init() with a no-op too: SSH is a transport, and
 *    leakgate opens no remote.
 *  - libgit2's HTTP Negotiate authentication references GSSAPI, which would
 *    bring in the Kerberos libraries (their relocations cost ~0.4 ms). The
 *    stubs below fail every call: without them only that authentication
 *    method, which leakgate never reaches, would work.
 */
int __wrap_git_mbedtls_stream_global_init(void);
int __wrap_git_mbedtls_stream_global_init(void)
{
	return 0;
}

int __wrap_libssh2_init(int flags);
int __wrap_libssh2_init(int flags)
{
	(void)flags;
	return 0;
}

/* GSS_S_FAILURE, the major status of a call that failed. */
#define GSS_FAILURE 0xd0000u

void *GSS_C_NT_HOSTBASED_SERVICE;

#define GSS_STUB(name) \
	unsigned name(void); \
	unsigned name(void) { return GSS_FAILURE; }

GSS_STUB(gss_delete_sec_context)
GSS_STUB(gss_display_status)
GSS_STUB(gss_import_name)
GSS_STUB(gss_indicate_mechs)
GSS_STUB(gss_init_sec_context)
GSS_STUB(gss_release_buffer)
GSS_STUB(gss_release_name)
GSS_STUB(gss_release_oid_set)
