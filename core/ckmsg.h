/* ckmsg.h — the messages between lvsd and its check process (checkproc.c,
 * checkchild.c): encoder and decoder, one module, no I/O. relayd's imsg is
 * the model: every record has a header with version, type, flags, length
 * and a peer id (the check's id), then a fixed payload per type.
 *
 * Wire format (all integers little-endian):
 *   one datagram (SOCK_SEQPACKET) = 1..n records, CKMSG_DGRAM_MAX bytes at
 *   most; a record = 12-byte header + payload:
 *     u8 version (CKMSG_VERSION) | u8 type | u16 flags (0) |
 *     u32 len (header + payload) | u32 id
 *   a string = u16 length + that many bytes (no NUL in them).
 * Payloads (-> child: from lvsd; -> parent: from the check process):
 *   HELLO     -> parent  u32 pid, u32 uid, u32 gid, u64 CapEff; id 0
 *   HEARTBEAT -> parent  empty; id 0; every CKMSG_HEARTBEAT_MS
 *   LOG       -> parent  u8 level (0..7), string line (<= 1023, printable)
 *   RESULT    -> parent  u8 outcome (0..9), u8 hint (0..3), u8 has_factor
 *                        (0/1), u8 has_weight (0/1), u32 latency_us,
 *                        i32 http_status (0..999), u32 weight
 *                        (<= 2147483647), u64 factor (IEEE 754 bits, in
 *                        [0,1]), string detail (<= 255, printable)
 *   REFUSED   -> parent  i32 err (-4095..-1), string why (<= 255,
 *                        printable): create() said no
 *   CREATE    -> child   string checker (a name, < 64), u8 family,
 *                        16 bytes addr, u16 port, u8 bind family, 16 bytes
 *                        bind addr, u32 connect_timeout_ms, u32 fwmark,
 *                        u16 n_opts, n_opts x (string key, string value)
 *   RUN, CANCEL, DESTROY -> child  empty
 * A record that breaks any of these (wrong version, type for this
 * direction, flags, length, a field out of range, a string with a NUL or a
 * control character) makes the whole datagram malformed. */
#ifndef LVSD_CKMSG_H
#define LVSD_CKMSG_H

#include <stddef.h>
#include <stdint.h>

#include <lvsd/plugin.h>

#define CKMSG_VERSION 1
#define CKMSG_HDR 12u
#define CKMSG_DGRAM_MAX 65536u   /* one datagram, bytes */
#define CKMSG_DETAIL_MAX 255u    /* RESULT detail, REFUSED why */
#define CKMSG_LOG_MAX 1023u      /* LOG line */
#define CKMSG_NAME_MAX 63u       /* CREATE checker */
#define CKMSG_HEARTBEAT_MS 500u  /* the check process says it lives */

enum ckmsg_type {
	CKMSG_HELLO = 1,
	CKMSG_HEARTBEAT = 2,
	CKMSG_LOG = 3,
	CKMSG_RESULT = 4,
	CKMSG_REFUSED = 5,
	CKMSG_CREATE = 16,
	CKMSG_RUN = 17,
	CKMSG_CANCEL = 18,
	CKMSG_DESTROY = 19,
};

/* Which way a datagram goes: the decoder accepts only that side's types. */
enum ckmsg_dir {
	CKMSG_TO_PARENT = 0,
	CKMSG_TO_CHILD = 1,
};

/* One decoded record. Strings are NUL-terminated copies; for CREATE,
 * opts (and its strings) are allocated: ckmsg_clear frees them, or the
 * caller takes them (sets opts NULL, n_opts 0). */
struct ckmsg {
	uint8_t type;
	uint32_t id;
	/* HELLO */
	uint32_t pid, uid, gid;
	uint64_t capeff;
	/* LOG */
	int level;
	/* RESULT (res.detail points into text) */
	struct lvsd_check_result res;
	/* REFUSED */
	int err;
	/* LOG line, RESULT detail, REFUSED why */
	char text[CKMSG_LOG_MAX + 1];
	/* CREATE */
	char checker[CKMSG_NAME_MAX + 1];
	struct lvsd_check_target target;
	struct lvsd_kv *opts;
	size_t n_opts;
};

/* A datagram being built: records are appended while they fit. */
struct ckbuf {
	uint8_t buf[CKMSG_DGRAM_MAX];
	size_t len;
	size_t n; /* records */
};

/* Each appends one record: 0, -ENOSPC (it does not fit in what is left
 * of b: send b and try again in an empty one), -EMSGSIZE (it never fits
 * a datagram) or -EINVAL (a value out of range). Texts longer than their
 * maximum are cut, control characters replaced by '?'. */
int ckmsg_put_empty(struct ckbuf *b, enum ckmsg_type type, uint32_t id);
int ckmsg_put_hello(struct ckbuf *b, uint32_t pid, uint32_t uid, uint32_t gid,
		    uint64_t capeff);
int ckmsg_put_log(struct ckbuf *b, int level, const char *line);
int ckmsg_put_result(struct ckbuf *b, uint32_t id,
		     const struct lvsd_check_result *res);
int ckmsg_put_refused(struct ckbuf *b, uint32_t id, int err, const char *why);
int ckmsg_put_create(struct ckbuf *b, uint32_t id, const char *checker,
		     const struct lvsd_check_target *t,
		     const struct lvsd_kv *opts, size_t n_opts);

/* Check a whole datagram of len bytes going `dir` before acting on any of
 * it: 0, or -EBADMSG with the reason in why (wlen bytes, names the record
 * and the field). */
int ckmsg_check(const uint8_t *buf, size_t len, enum ckmsg_dir dir,
		char *why, size_t wlen);
/* The record at *off of a datagram ckmsg_check accepted, into m (cleared
 * first, then owned by the caller: ckmsg_clear); *off moves past it.
 * 1: a record, 0: the end, -ENOMEM, -EBADMSG (only if unchecked). */
int ckmsg_next(const uint8_t *buf, size_t len, size_t *off,
	       enum ckmsg_dir dir, struct ckmsg *m);
void ckmsg_clear(struct ckmsg *m);

const char *ckmsg_type_str(int type);

#endif
