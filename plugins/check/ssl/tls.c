/* tls.c — the TLS half of the SSL_GET checker (see tls.h): options, the
 * per-check OpenSSL context, a non-blocking client handshake, and the
 * mapping of OpenSSL's errors to a check outcome and a short reason. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "tls.h"

struct tls_conf {
	SSL_CTX *ctx;
	char *sni;      /* NULL: no SNI */
	char *verify;   /* the name (or address) the certificate must carry */
	int verify_ip;  /* verify is an address */
	int verifying;  /* a CA was given */
	char *password; /* of the key */
};

struct tls_conn {
	SSL *ssl;
	const struct tls_conf *conf;
	int done;        /* handshake complete */
	const char *why; /* OpenSSL's reason of the last failure (static) */
};

static int parse_bool(const char *v)
{
	if (!strcmp(v, "yes") || !strcmp(v, "on") || !strcmp(v, "true") ||
	    !strcmp(v, "1"))
		return 1;
	if (!strcmp(v, "no") || !strcmp(v, "off") || !strcmp(v, "false") ||
	    !strcmp(v, "0"))
		return 0;
	return -1;
}

static int parse_proto(const char *v)
{
	if (!strcmp(v, "TLSv1") || !strcmp(v, "TLSv1.0"))
		return TLS1_VERSION;
	if (!strcmp(v, "TLSv1.1"))
		return TLS1_1_VERSION;
	if (!strcmp(v, "TLSv1.2"))
		return TLS1_2_VERSION;
	if (!strcmp(v, "TLSv1.3"))
		return TLS1_3_VERSION;
	return -1;
}

/* A host name for SNI: printable, no blanks, not empty, < 256 bytes. */
static int name_ok(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > 253)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f || s[i] == '/')
			return 0;
	return 1;
}

int tls_option(const char *key, const char *value, char *err, size_t len)
{
	if (!strcmp(key, "ca") || !strcmp(key, "certificate") || !strcmp(key, "key")) {
		if (value[0] == '/' && access(value, R_OK) == 0)
			return 0;
		snprintf(err, len, "%s '%s': %s", key, value,
			 value[0] != '/' ? "not an absolute path" : strerror(errno));
		return -EINVAL;
	}
	if (!strcmp(key, "password")) {
		if (strlen(value) < 1024)
			return 0;
		snprintf(err, len, "password longer than 1023 bytes");
		return -EINVAL;
	}
	if (!strcmp(key, "enable_sni")) {
		if (parse_bool(value) >= 0 || name_ok(value))
			return 0;
		snprintf(err, len, "bad enable_sni '%s' (yes, no or a host name)", value);
		return -EINVAL;
	}
	if (!strcmp(key, "min_protocol")) {
		if (parse_proto(value) > 0)
			return 0;
		snprintf(err, len, "bad min_protocol '%s' (TLSv1, TLSv1.1, TLSv1.2 or TLSv1.3)",
			 value);
		return -EINVAL;
	}
	return -ENOENT;
}

static int pw_cb(char *buf, int size, int rwflag, void *u)
{
	const char *pw = u;
	int n = pw ? (int)strlen(pw) : 0;

	(void)rwflag;
	if (n >= size)
		return 0;
	memcpy(buf, pw ? pw : "", (size_t)n);
	return n;
}

/* The first OpenSSL error as text, and the queue cleared. */
static const char *ssl_why(void)
{
	unsigned long e = ERR_peek_last_error();
	const char *r = e ? ERR_reason_error_string(e) : NULL;

	ERR_clear_error();
	return r ? r : "unknown error";
}

/* Did the key's load fail on its pass phrase (OpenSSL reports "PEM lib"
 * last)? The queue is cleared. */
static int pass_failed(void)
{
	static const char *const why[] = { "bad decrypt", "bad password read",
		"problems getting password", "unable to get passphrase" };
	unsigned long e;
	int hit = 0;

	while ((e = ERR_get_error())) {
		const char *r = ERR_reason_error_string(e);

		for (size_t i = 0; r && i < sizeof(why) / sizeof(why[0]); i++)
			hit |= strcmp(r, why[i]) == 0;
	}
	return hit;
}

/* Is the PEM file at path an encrypted key? (A wrong pass phrase can
 * decrypt to garbage with valid padding: then OpenSSL's errors are about
 * ASN.1, not the pass phrase.) */
static int key_encrypted(const char *path)
{
	char buf[8192];
	size_t n;
	FILE *f = fopen(path, "re");

	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return strstr(buf, "ENCRYPTED") != NULL;
}

/* vhost without a ":PORT" suffix, or NULL if it is empty. */
static char *host_part(const char *vhost)
{
	const char *c;
	size_t n;

	if (!vhost)
		return NULL;
	n = strlen(vhost);
	c = strrchr(vhost, ':');
	if (c && vhost[0] != '[' && c[1] && strspn(c + 1, "0123456789") == strlen(c + 1))
		n = (size_t)(c - vhost);
	return n ? strndup(vhost, n) : NULL;
}

int tls_conf_new(const struct lvsd_kv *opts, size_t n_opts, const char *vhost,
		 const struct lvsd_check_target *t, struct tls_conf **out,
		 char *err, size_t len)
{
	const char *ca = NULL, *cert = NULL, *key = NULL, *sni_opt = "yes";
	int minp = 0, r = -ENOMEM;
	struct tls_conf *c = calloc(1, sizeof(*c));
	char *host = NULL;

	if (!c)
		return -ENOMEM;
	for (size_t i = 0; i < n_opts; i++) {
		const char *k = opts[i].key, *v = opts[i].value;

		if (!strcmp(k, "ca"))
			ca = v;
		else if (!strcmp(k, "certificate"))
			cert = v;
		else if (!strcmp(k, "key"))
			key = v;
		else if (!strcmp(k, "password") && !(c->password = strdup(v)))
			goto fail;
		else if (!strcmp(k, "enable_sni"))
			sni_opt = v;
		else if (!strcmp(k, "min_protocol"))
			minp = parse_proto(v);
	}
	r = -EINVAL;
	if (!!cert != !!key) {
		snprintf(err, len, "certificate and key go together");
		goto fail;
	}
	c->ctx = SSL_CTX_new(TLS_client_method());
	if (!c->ctx) {
		r = -ENOMEM;
		goto fail;
	}
	/* Many servers just close: the HTTP framing says whether the answer
	 * is whole, as for HTTP_GET. */
	SSL_CTX_set_options(c->ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
	SSL_CTX_set_mode(c->ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	if (minp > 0 && !SSL_CTX_set_min_proto_version(c->ctx, minp)) {
		snprintf(err, len, "min_protocol: %s", ssl_why());
		goto fail;
	}
	/* always ours: OpenSSL's default asks on the terminal */
	SSL_CTX_set_default_passwd_cb(c->ctx, pw_cb);
	SSL_CTX_set_default_passwd_cb_userdata(c->ctx, c->password);
	if (cert && SSL_CTX_use_certificate_chain_file(c->ctx, cert) != 1) {
		snprintf(err, len, "certificate %s: %s", cert, ssl_why());
		goto fail;
	}
	if (key && SSL_CTX_use_PrivateKey_file(c->ctx, key, SSL_FILETYPE_PEM) != 1) {
		unsigned long last = ERR_peek_last_error();
		const char *lr = last ? ERR_reason_error_string(last) : NULL;
		char lbuf[120];

		snprintf(lbuf, sizeof(lbuf), "%s", lr ? lr : "unknown error");
		if (!pass_failed() && !key_encrypted(key))
			snprintf(err, len, "key %s: %s", key, lbuf);
		else if (c->password)
			snprintf(err, len, "password: a bad pass phrase for key %s", key);
		else
			snprintf(err, len, "key %s: encrypted, and no password is given", key);
		goto fail;
	}
	if (key && SSL_CTX_check_private_key(c->ctx) != 1) {
		snprintf(err, len, "key %s: %s", key, ssl_why());
		goto fail;
	}
	if (ca) {
		if (SSL_CTX_load_verify_locations(c->ctx, ca, NULL) != 1) {
			snprintf(err, len, "ca %s: %s", ca, ssl_why());
			goto fail;
		}
		SSL_CTX_set_verify(c->ctx, SSL_VERIFY_PEER, NULL);
		c->verifying = 1;
	}
	/* SNI: "yes" sends the virtualhost (an address is never sent: RFC
	 * 6066 allows host names only); a name sends that name. */
	r = -ENOMEM;
	host = host_part(vhost);
	if (parse_bool(sni_opt) < 0) {
		if (!(c->sni = strdup(sni_opt)))
			goto fail;
	} else if (parse_bool(sni_opt) == 1 && host) {
		if (!(c->sni = strdup(host)))
			goto fail;
	}
	/* The certificate must name the SNI name, else the virtualhost,
	 * else the target's address. */
	if (c->sni || host) {
		if (!(c->verify = strdup(c->sni ? c->sni : host)))
			goto fail;
	} else {
		char a[INET6_ADDRSTRLEN] = "";

		inet_ntop(t->addr.family, &t->addr.u, a, sizeof(a));
		if (!(c->verify = strdup(a)))
			goto fail;
		c->verify_ip = 1;
	}
	free(host);
	*out = c;
	return 0;
fail:
	ERR_clear_error();
	free(host);
	tls_conf_free(c);
	return r;
}

void tls_conf_free(struct tls_conf *c)
{
	if (!c)
		return;
	SSL_CTX_free(c->ctx);
	free(c->sni);
	free(c->verify);
	free(c->password);
	free(c);
}

struct tls_conn *tls_conn_new(struct tls_conf *conf, int fd)
{
	struct tls_conn *tc = calloc(1, sizeof(*tc));

	if (!tc)
		return NULL;
	tc->conf = conf;
	tc->ssl = SSL_new(conf->ctx);
	if (!tc->ssl || SSL_set_fd(tc->ssl, fd) != 1)
		goto fail;
	if (conf->sni && SSL_set_tlsext_host_name(tc->ssl, conf->sni) != 1)
		goto fail;
	if (conf->verifying) {
		X509_VERIFY_PARAM *vp = SSL_get0_param(tc->ssl);

		if (conf->verify_ip ? X509_VERIFY_PARAM_set1_ip_asc(vp, conf->verify) != 1
				    : X509_VERIFY_PARAM_set1_host(vp, conf->verify, 0) != 1)
			goto fail;
	}
	SSL_set_connect_state(tc->ssl);
	return tc;
fail:
	ERR_clear_error();
	SSL_free(tc->ssl);
	free(tc);
	return NULL;
}

void tls_conn_free(struct tls_conn *tc)
{
	if (!tc)
		return;
	if (tc->done)
		SSL_shutdown(tc->ssl); /* non-blocking: one try */
	SSL_free(tc->ssl);
	ERR_clear_error();
	free(tc);
}

/* The verification error, in the words an operator looks for. */
static void cert_why(long v, const char *want, char *d, size_t len)
{
	switch (v) {
	case X509_V_ERR_CERT_HAS_EXPIRED:
		snprintf(d, len, "certificate expired");
		break;
	case X509_V_ERR_CERT_NOT_YET_VALID:
		snprintf(d, len, "certificate not yet valid");
		break;
	case X509_V_ERR_HOSTNAME_MISMATCH:
	case X509_V_ERR_IP_ADDRESS_MISMATCH:
		snprintf(d, len, "certificate name mismatch (not %.60s)", want);
		break;
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
		snprintf(d, len, "certificate from an unknown CA");
		break;
	default:
		snprintf(d, len, "certificate: %s", X509_verify_cert_error_string(v));
	}
}

enum tls_rc tls_handshake(struct tls_conn *tc, enum lvsd_check_outcome *o,
			  char *detail, size_t len)
{
	int r, e;
	long v;

	ERR_clear_error();
	errno = 0;
	r = SSL_do_handshake(tc->ssl);
	if (r == 1) {
		tc->done = 1;
		return TLS_OK;
	}
	e = SSL_get_error(tc->ssl, r);
	switch (e) {
	case SSL_ERROR_WANT_READ:
		return TLS_WANT_IN;
	case SSL_ERROR_WANT_WRITE:
		return TLS_WANT_OUT;
	case SSL_ERROR_SYSCALL:
		if (errno && errno != ECONNRESET && errno != EPIPE) {
			snprintf(detail, len, "TLS handshake: %s", strerror(errno));
			*o = LVSD_CHECK_NETWORK;
		} else {
			snprintf(detail, len, "closed during the TLS handshake");
			*o = LVSD_CHECK_CLOSED;
		}
		ERR_clear_error();
		return TLS_FAIL;
	case SSL_ERROR_ZERO_RETURN:
		snprintf(detail, len, "closed during the TLS handshake");
		*o = LVSD_CHECK_CLOSED;
		ERR_clear_error();
		return TLS_FAIL;
	default:
		*o = LVSD_CHECK_BAD_RESPONSE;
		v = SSL_get_verify_result(tc->ssl);
		if (v != X509_V_OK) {
			cert_why(v, tc->conf->verify, detail, len);
			ERR_clear_error();
		} else {
			snprintf(detail, len, "TLS handshake failed: %s", ssl_why());
		}
		return TLS_FAIL;
	}
}

static ssize_t io_result(struct tls_conn *tc, int r, uint32_t *want)
{
	int e = SSL_get_error(tc->ssl, r);

	switch (e) {
	case SSL_ERROR_ZERO_RETURN:
		return 0;
	case SSL_ERROR_WANT_READ:
		*want = LVSD_IO_IN;
		errno = EAGAIN;
		return -1;
	case SSL_ERROR_WANT_WRITE:
		*want = LVSD_IO_OUT;
		errno = EAGAIN;
		return -1;
	case SSL_ERROR_SYSCALL:
		if (!errno)
			return 0;
		ERR_clear_error();
		return -1;
	default:
		tc->why = ssl_why();
		errno = EPROTO;
		return -1;
	}
}

const char *tls_why(const struct tls_conn *tc)
{
	return tc->why ? tc->why : "protocol error";
}

ssize_t tls_read(struct tls_conn *tc, void *buf, size_t len, uint32_t *want)
{
	int r;

	ERR_clear_error();
	errno = 0;
	r = SSL_read(tc->ssl, buf, len > 1u << 30 ? 1 << 30 : (int)len);
	return r > 0 ? r : io_result(tc, r, want);
}

ssize_t tls_write(struct tls_conn *tc, const void *buf, size_t len,
		  uint32_t *want)
{
	int r;

	ERR_clear_error();
	errno = 0;
	r = SSL_write(tc->ssl, buf, len > 1u << 30 ? 1 << 30 : (int)len);
	if (r > 0)
		return r;
	r = (int)io_result(tc, r, want);
	if (r == 0) {
		errno = EPIPE;
		r = -1;
	}
	return r;
}
