// OpenSSL's libssl for the HTTP module's https client (Linux only; Apple
// platforms send https through URLSession). The macros Swift cannot import
// are wrapped as static inline functions, prefixed ctls_.
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

static inline int ctls_set_min_tls12(SSL_CTX *ctx) {
    return (int)SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
}

/// Partial writes and a moving write buffer (Swift arrays may move between
/// retries of a non-blocking SSL_write); idle pooled sessions drop their buffers.
static inline void ctls_set_client_modes(SSL_CTX *ctx) {
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER
                              | SSL_MODE_RELEASE_BUFFERS);
}

/// A peer that closes without close_notify reads as a plain end of stream
/// (as curl does); HTTP framing still detects a truncated body.
static inline void ctls_ignore_unexpected_eof(SSL_CTX *ctx) {
    SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
}

static inline int ctls_set_sni(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

static inline unsigned int ctls_no_partial_wildcards(void) {
    return X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS;
}
