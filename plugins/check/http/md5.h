/* md5.h — MD5 (RFC 1321) for the HTTP_GET checker's `digest`, the same
 * hash keepalived's genhash prints. Small and dependency-free on purpose:
 * a plugin links nothing but libc. Not for security, only for comparing. */
#ifndef LVSD_CHECK_MD5_H
#define LVSD_CHECK_MD5_H

#include <stddef.h>
#include <stdint.h>

struct md5 {
	uint32_t h[4];
	uint64_t len;       /* bytes hashed so far */
	uint8_t buf[64];    /* a partial block */
};

void md5_init(struct md5 *m);
void md5_update(struct md5 *m, const void *data, size_t len);
void md5_final(struct md5 *m, uint8_t out[16]);
/* out: 33 bytes, lower-case hex and a NUL. */
void md5_hex(const uint8_t d[16], char out[33]);

#endif
