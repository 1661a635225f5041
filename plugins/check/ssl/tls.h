/* tls.h — the TLS half of the SSL_GET checker: its options (ca,
 * certificate, key, password, enable_sni, min_protocol), one OpenSSL
 * context per check, and a non-blocking client session on a connected
 * socket whose failures come out as a check outcome with a short reason
 * ("certificate expired"). SSL_GET is HTTP_GET (../http/http.c, built
 * with -DHTTP_TLS) plus this module. */
#ifndef LVSD_CHECK_TLS_H
#define LVSD_CHECK_TLS_H

#include <stddef.h>
#include <sys/types.h>

#include <lvsd/plugin.h>

struct tls_conf;
struct tls_conn;

/* Validate one option: 0 fine, -EINVAL (message in err), -ENOENT not a
 * TLS option. File options must name a readable file. */
int tls_option(const char *key, const char *value, char *err, size_t len);
/* The TLS options among opts, for a target whose Host is vhost (NULL:
 * none, the address is used). 0, -EINVAL (message in err) or -ENOMEM.
 * *out is freed with tls_conf_free. */
int tls_conf_new(const struct lvsd_kv *opts, size_t n_opts, const char *vhost,
		 const struct lvsd_check_target *t, struct tls_conf **out,
		 char *err, size_t len);
void tls_conf_free(struct tls_conf *conf);

/* A client session on the connected socket fd (not taken over). */
struct tls_conn *tls_conn_new(struct tls_conf *conf, int fd);
/* Close politely (one non-blocking close_notify) and free; NULL is fine. */
void tls_conn_free(struct tls_conn *tc);

enum tls_rc {
	TLS_OK = 0,     /* done */
	TLS_WANT_IN,    /* wait for LVSD_IO_IN, then call again */
	TLS_WANT_OUT,   /* wait for LVSD_IO_OUT, then call again */
	TLS_FAIL,       /* *o and detail say why */
};
/* One step of the handshake. On TLS_FAIL, *o is the outcome (a
 * certificate or protocol error: LVSD_CHECK_BAD_RESPONSE; the peer closed:
 * LVSD_CHECK_CLOSED; a socket error: LVSD_CHECK_NETWORK) and detail the
 * reason. */
enum tls_rc tls_handshake(struct tls_conn *tc, enum lvsd_check_outcome *o,
			  char *detail, size_t len);
/* Like read(2)/send(2) on the session: bytes, 0 at the end of the stream
 * (read only), or -1 with errno (EAGAIN: wait for *want_events). */
ssize_t tls_read(struct tls_conn *tc, void *buf, size_t len,
		 uint32_t *want_events);
ssize_t tls_write(struct tls_conn *tc, const void *buf, size_t len,
		  uint32_t *want_events);
/* After tls_read/tls_write failed with EPROTO: OpenSSL's reason, e.g. the
 * peer's alert ("tlsv13 alert certificate required"). Static text. */
const char *tls_why(const struct tls_conn *tc);

#endif
