/* ipvs.c — IPVS over generic netlink (libnl-genl-3), the socket half:
 * open and close, dumps, and batches of writes sent back to back in
 * windows with their acks matched by sequence number. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/socket.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include "ipvs.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define IPVS_WINDOW_MAX 256       /* ops in flight at most */
#define IPVS_ACK_TRUESIZE 2048    /* kernel memory one ack may cost, with margin */
#define IPVS_RCVBUF (1 << 20)     /* asked for; the kernel doubles it */
#define IPVS_SNDBUF (1 << 20)
#define IPVS_CHUNK_BYTES (64 * 1024) /* bytes of requests in one sendto */
#define IPVS_RBUF_BYTES (64 * 1024)  /* dump replies are at most 32 KiB */
#define IPVS_ACK_SLOTS 64            /* acks read by one recvmmsg */
#define IPVS_ACK_SLOT_BYTES 1024

struct ipvs {
	struct nl_sock *sk;
	int fd;
	int family;           /* genl id of "IPVS" */
	uint32_t portid;
	uint32_t seq;
	uint64_t ops_sent;
	uint64_t dumps;       /* of the service table */
	int timeout_ms;
	size_t window;
	uint8_t *rbuf;        /* dumps; also the recvmmsg slots */
	uint8_t *sbuf;        /* one chunk of requests */
};

const char *ipvs_strerror(int err)
{
	if (err == -EPROTONOSUPPORT)
		return "IPVS not available: load the ip_vs module (modprobe ip_vs)";
	return strerror(err < 0 ? -err : err);
}

int ipvs_loaded(void)
{
	return access("/proc/net/ip_vs", F_OK) == 0;
}

/* ========================================================== the socket */

static int nlerr_to_errno(int nlerr)
{
	switch (-nlerr) {
	case NLE_NOMEM: return -ENOMEM;
	case NLE_PERM: return -EPERM;
	case NLE_NOACCESS: return -EACCES;
	case NLE_OBJ_NOTFOUND: return -EPROTONOSUPPORT;
	case NLE_AF_NOSUPPORT: return -EAFNOSUPPORT;
	}
	return -EIO;
}

static void set_sockopt(int fd, int level, int name, int val)
{
	/* Each is a nicety whose failure the window size accounts for. */
	(void)setsockopt(fd, level, name, &val, sizeof(val));
}

int ipvs_open(struct ipvs **out)
{
	struct ipvs *ipvs;
	int rc, rcvbuf = 0;
	socklen_t sl = sizeof(rcvbuf);

	*out = NULL;
	ipvs = calloc(1, sizeof(*ipvs));
	if (!ipvs)
		return -ENOMEM;
	ipvs->fd = -1;
	ipvs->timeout_ms = 5000;
	ipvs->rbuf = malloc(IPVS_RBUF_BYTES);
	ipvs->sbuf = malloc(IPVS_CHUNK_BYTES);
	ipvs->sk = nl_socket_alloc();
	if (!ipvs->rbuf || !ipvs->sbuf || !ipvs->sk) {
		rc = -ENOMEM;
		goto fail;
	}
	rc = genl_connect(ipvs->sk);
	if (rc < 0) {
		rc = nlerr_to_errno(rc);
		goto fail;
	}
	rc = genl_ctrl_resolve(ipvs->sk, IPVS_GENL_NAME);
	if (rc < 0) {
		rc = nlerr_to_errno(rc);
		goto fail;
	}
	ipvs->family = rc;
	ipvs->fd = nl_socket_get_fd(ipvs->sk);
	ipvs->portid = nl_socket_get_local_port(ipvs->sk);
	ipvs->seq = (uint32_t)time(NULL);
	set_sockopt(ipvs->fd, SOL_NETLINK, NETLINK_CAP_ACK, 1);
	set_sockopt(ipvs->fd, SOL_SOCKET, SO_SNDBUF, IPVS_SNDBUF);
	if (setsockopt(ipvs->fd, SOL_SOCKET, SO_RCVBUFFORCE, &(int){IPVS_RCVBUF},
		       sizeof(int)) < 0)
		set_sockopt(ipvs->fd, SOL_SOCKET, SO_RCVBUF, IPVS_RCVBUF);
	if (getsockopt(ipvs->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, &sl) < 0)
		rcvbuf = 0;
	ipvs->window = (size_t)rcvbuf / IPVS_ACK_TRUESIZE;
	if (ipvs->window > IPVS_WINDOW_MAX)
		ipvs->window = IPVS_WINDOW_MAX;
	if (ipvs->window < 8)
		ipvs->window = 8;
	rc = nl_socket_set_nonblocking(ipvs->sk);
	if (rc < 0) {
		rc = nlerr_to_errno(rc);
		goto fail;
	}
	*out = ipvs;
	return 0;
fail:
	ipvs_close(ipvs);
	return rc;
}

void ipvs_close(struct ipvs *ipvs)
{
	if (!ipvs)
		return;
	if (ipvs->sk)
		nl_socket_free(ipvs->sk);
	free(ipvs->rbuf);
	free(ipvs->sbuf);
	free(ipvs);
}

int ipvs_fd(const struct ipvs *ipvs)
{
	return ipvs->fd;
}

void ipvs_set_timeout(struct ipvs *ipvs, int timeout_ms)
{
	ipvs->timeout_ms = timeout_ms > 0 ? timeout_ms : 5000;
}

uint64_t ipvs_ops_sent(const struct ipvs *ipvs)
{
	return ipvs->ops_sent;
}

uint64_t ipvs_dumps(const struct ipvs *ipvs)
{
	return ipvs->dumps;
}

/* Wait until fd is ready for events, at most the timeout. */
static int wait_fd(struct ipvs *ipvs, short events)
{
	struct pollfd pfd = { .fd = ipvs->fd, .events = events };
	int rc;

	do
		rc = poll(&pfd, 1, ipvs->timeout_ms);
	while (rc < 0 && errno == EINTR);
	if (rc < 0)
		return -errno;
	if (rc == 0)
		return -ETIMEDOUT;
	return 0;
}

/* After a non-blocking call failed with errno: 0 to try it again (it was
 * interrupted, or fd is now ready for events), else -errno or -ETIMEDOUT. */
static int wait_again(struct ipvs *ipvs, short events)
{
	if (errno == EINTR)
		return 0;
	if (errno != EAGAIN && errno != EWOULDBLOCK)
		return -errno;
	return wait_fd(ipvs, events);
}

static int send_buf(struct ipvs *ipvs, const void *buf, size_t len)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };

	for (;;) {
		ssize_t n = sendto(ipvs->fd, buf, len, 0,
				   (struct sockaddr *)&kernel, sizeof(kernel));
		int rc;

		if (n >= 0)
			return (size_t)n == len ? 0 : -EMSGSIZE;
		rc = wait_again(ipvs, POLLOUT);
		if (rc < 0)
			return rc;
	}
}

/* One datagram into rbuf; its length, or -errno. */
static int recv_one(struct ipvs *ipvs)
{
	for (;;) {
		ssize_t n = recv(ipvs->fd, ipvs->rbuf, IPVS_RBUF_BYTES, MSG_TRUNC);
		int rc;

		if (n >= 0)
			return n > IPVS_RBUF_BYTES ? -EMSGSIZE : (int)n;
		rc = wait_again(ipvs, POLLIN);
		if (rc < 0)
			return rc;
	}
}

static int nlmsg_error_of(const struct nlmsghdr *h)
{
	const struct nlmsgerr *e;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(int)))
		return -EBADMSG;
	e = NLMSG_DATA(h);
	return e->error > 0 ? -EBADMSG : e->error;
}

typedef int (*reply_fn)(struct nlmsghdr *nlh, void *arg);

/* Send one request (dump or get) and feed its replies to fn until the
 * end. fn's first error is returned once the replies are drained (the
 * kernel refuses a new dump while one is unread). -EAGAIN: a dump was
 * interrupted by a change (NLM_F_DUMP_INTR); try again. */
static int request(struct ipvs *ipvs, struct nl_msg *msg, reply_fn fn, void *arg)
{
	struct nlmsghdr *req = nlmsg_hdr(msg);
	uint32_t seq = ipvs->seq++;
	int dump = !!(req->nlmsg_flags & NLM_F_DUMP);
	int rc, err = 0, intr = 0;

	req->nlmsg_seq = seq;
	req->nlmsg_pid = ipvs->portid;
	rc = send_buf(ipvs, req, req->nlmsg_len);
	if (rc < 0)
		return rc;
	for (;;) {
		int len = recv_one(ipvs);
		struct nlmsghdr *h = (struct nlmsghdr *)ipvs->rbuf;

		if (len < 0)
			return len;
		for (; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_seq != seq)
				continue; /* a late reply to an abandoned request */
			if (h->nlmsg_flags & NLM_F_DUMP_INTR)
				intr = 1;
			if (h->nlmsg_type == NLMSG_ERROR) {
				rc = nlmsg_error_of(h);
				return err ? err : rc;
			}
			if (h->nlmsg_type == NLMSG_DONE) {
				if (err)
					return err;
				return intr ? -EAGAIN : 0;
			}
			if (!err) {
				rc = fn(h, arg);
				if (rc < 0)
					err = rc;
			}
			if (!dump)
				return err;
		}
	}
}

static int no_reply(struct nlmsghdr *nlh, void *arg)
{
	(void)nlh;
	(void)arg;
	return 0;
}

int ipvs_family(const struct ipvs *ipvs)
{
	return ipvs->family;
}

int ipvs_request(struct ipvs *ipvs, struct nl_msg *msg, ipvs_reply_fn fn,
		 void *arg)
{
	return request(ipvs, msg, fn ? fn : no_reply, arg);
}

static struct nl_msg *new_request(struct ipvs *ipvs, uint8_t cmd, int flags)
{
	struct nl_msg *msg;

	return ipvs_msg_request(ipvs->family, NL_AUTO_SEQ, cmd, flags, &msg) < 0
		       ? NULL : msg;
}

struct info_arg {
	uint32_t version, size;
};

static int on_info(struct nlmsghdr *nlh, void *arg)
{
	struct info_arg *a = arg;

	return ipvs_parse_info_msg(nlh, &a->version, &a->size);
}

int ipvs_info(struct ipvs *ipvs, uint32_t *version, uint32_t *conn_tab_size)
{
	struct info_arg a = {0};
	struct nl_msg *msg = new_request(ipvs, IPVS_CMD_GET_INFO, 0);
	int rc;

	if (!msg)
		return -ENOMEM;
	rc = request(ipvs, msg, on_info, &a);
	nlmsg_free(msg);
	if (rc < 0)
		return rc;
	if (version)
		*version = a.version;
	if (conn_tab_size)
		*conn_tab_size = a.size;
	return 0;
}

static int on_config(struct nlmsghdr *nlh, void *arg)
{
	return ipvs_parse_config_msg(nlh, arg);
}

int ipvs_get_timeouts(struct ipvs *ipvs, struct ipvs_timeouts *out)
{
	struct nl_msg *msg = new_request(ipvs, IPVS_CMD_GET_CONFIG, 0);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!msg)
		return -ENOMEM;
	rc = request(ipvs, msg, on_config, out);
	nlmsg_free(msg);
	return rc < 0 ? rc : 0;
}

static int on_none(struct nlmsghdr *nlh, void *arg)
{
	(void)nlh;
	(void)arg;
	return 0;
}

int ipvs_set_timeouts(struct ipvs *ipvs, const struct ipvs_timeouts *t)
{
	struct nl_msg *msg = new_request(ipvs, IPVS_CMD_SET_CONFIG, NLM_F_ACK);
	int rc;

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, IPVS_CMD_ATTR_TIMEOUT_TCP, t->tcp) < 0 ||
	    nla_put_u32(msg, IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, t->tcp_fin) < 0 ||
	    nla_put_u32(msg, IPVS_CMD_ATTR_TIMEOUT_UDP, t->udp) < 0) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	rc = request(ipvs, msg, on_none, NULL);
	if (rc == 0)
		ipvs->ops_sent++;
	nlmsg_free(msg);
	return rc < 0 ? rc : 0;
}

/* A growing array of n elements of size sz. */
struct vec {
	void *v;
	size_t n, cap, sz;
	int svc_af;
};

static void *vec_push(struct vec *a)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 16;
		void *v = reallocarray(a->v, cap, a->sz);

		if (!v)
			return NULL;
		a->v = v;
		a->cap = cap;
	}
	return (char *)a->v + a->sz * a->n++;
}

static int on_service(struct nlmsghdr *nlh, void *arg)
{
	struct ipvs_service *s = vec_push(arg);

	if (!s)
		return -ENOMEM;
	return ipvs_parse_service_msg(nlh, s);
}

static int on_dest(struct nlmsghdr *nlh, void *arg)
{
	struct vec *a = arg;
	struct ipvs_dest *d = vec_push(a);

	if (!d)
		return -ENOMEM;
	return ipvs_parse_dest_msg(nlh, a->svc_af, d);
}

/* Run a dump, again while the kernel says it was interrupted. */
static int dump(struct ipvs *ipvs, struct nl_msg *msg, reply_fn fn,
		struct vec *a, void **out, size_t *n)
{
	int rc;

	for (int tries = 0; tries < 5; tries++) {
		a->n = 0;
		rc = request(ipvs, msg, fn, a);
		if (rc != -EAGAIN)
			break;
	}
	nlmsg_free(msg);
	if (rc < 0 || a->n == 0) {
		free(a->v);
		a->v = NULL;
		a->n = 0;
	}
	*out = a->v;
	*n = a->n;
	return rc < 0 ? rc : 0;
}

int ipvs_dump_services(struct ipvs *ipvs, struct ipvs_service **out, size_t *n)
{
	struct vec a = { .sz = sizeof(struct ipvs_service) };
	struct nl_msg *msg = new_request(ipvs, IPVS_CMD_GET_SERVICE, NLM_F_DUMP);

	*out = NULL;
	*n = 0;
	if (!msg)
		return -ENOMEM;
	ipvs->dumps++;
	return dump(ipvs, msg, on_service, &a, (void **)out, n);
}

int ipvs_dump_dests(struct ipvs *ipvs, const struct ipvs_service *svc,
		    struct ipvs_dest **out, size_t *n)
{
	struct vec a = { .sz = sizeof(struct ipvs_dest), .svc_af = svc->af };
	struct nl_msg *msg = new_request(ipvs, IPVS_CMD_GET_DEST, NLM_F_DUMP);
	int rc;

	*out = NULL;
	*n = 0;
	if (!msg)
		return -ENOMEM;
	rc = ipvs_msg_service(msg, svc, 0);
	if (rc < 0) {
		nlmsg_free(msg);
		return rc;
	}
	return dump(ipvs, msg, on_dest, &a, (void **)out, n);
}

/* ============================================================ writes */

/* Read acks until every one of [seq0, seq0 + cnt) is in res[]. */
static int collect_acks(struct ipvs *ipvs, uint32_t seq0, size_t cnt,
			int *res, uint8_t *got)
{
	struct mmsghdr mm[IPVS_ACK_SLOTS];
	struct iovec iov[IPVS_ACK_SLOTS];
	size_t pending = cnt;

	memset(got, 0, cnt);
	for (int i = 0; i < IPVS_ACK_SLOTS; i++) {
		iov[i].iov_base = ipvs->rbuf + (size_t)i * IPVS_ACK_SLOT_BYTES;
		iov[i].iov_len = IPVS_ACK_SLOT_BYTES;
	}
	while (pending) {
		int n, rc;

		memset(mm, 0, sizeof(mm));
		for (int i = 0; i < IPVS_ACK_SLOTS; i++) {
			mm[i].msg_hdr.msg_iov = &iov[i];
			mm[i].msg_hdr.msg_iovlen = 1;
		}
		n = recvmmsg(ipvs->fd, mm, IPVS_ACK_SLOTS, MSG_DONTWAIT, NULL);
		if (n < 0) {
			rc = wait_again(ipvs, POLLIN);
			if (rc < 0)
				return rc;
			continue;
		}
		for (int i = 0; i < n; i++) {
			struct nlmsghdr *h = iov[i].iov_base;
			int len = (int)mm[i].msg_len;

			if (mm[i].msg_hdr.msg_flags & MSG_TRUNC)
				return -EMSGSIZE;
			for (; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
				uint32_t k = h->nlmsg_seq - seq0;

				if (h->nlmsg_type != NLMSG_ERROR || k >= cnt || got[k])
					continue; /* stale, or not an ack */
				got[k] = 1;
				res[k] = nlmsg_error_of(h);
				pending--;
			}
		}
	}
	return 0;
}

int ipvs_batch_send(struct ipvs *ipvs, const struct ipvs_batch *b,
		    ipvs_op_result_fn cb, void *arg)
{
	int res[IPVS_WINDOW_MAX];
	uint8_t got[IPVS_WINDOW_MAX];
	int failed = 0;
	size_t i = 0;

	while (i < b->n) {
		uint32_t seq0 = ipvs->seq;
		size_t cnt = 0, off = 0;
		int rc = 0;

		/* Encode a chunk: up to the window, up to the buffer. */
		while (i + cnt < b->n && cnt < ipvs->window) {
			struct nl_msg *msg;
			struct nlmsghdr *h;

			rc = ipvs_msg_op(&b->ops[i + cnt], ipvs->family,
					 ipvs->seq, &msg);
			if (rc < 0)
				break;
			h = nlmsg_hdr(msg);
			h->nlmsg_pid = ipvs->portid;
			if (off + NLMSG_ALIGN(h->nlmsg_len) > IPVS_CHUNK_BYTES) {
				nlmsg_free(msg);
				break;
			}
			memset(ipvs->sbuf + off, 0, NLMSG_ALIGN(h->nlmsg_len));
			memcpy(ipvs->sbuf + off, h, h->nlmsg_len);
			off += NLMSG_ALIGN(h->nlmsg_len);
			nlmsg_free(msg);
			ipvs->seq++;
			cnt++;
		}
		if (cnt) {
			int err = send_buf(ipvs, ipvs->sbuf, off);

			if (err < 0)
				return err;
			ipvs->ops_sent += cnt;
			err = collect_acks(ipvs, seq0, cnt, res, got);
			if (err < 0)
				return err;
			for (size_t k = 0; k < cnt; k++) {
				if (res[k])
					failed++;
				if (cb)
					cb(arg, i + k, &b->ops[i + k], res[k]);
			}
			i += cnt;
		}
		if (rc < 0) { /* the op at i cannot be encoded: it fails alone */
			if (rc == -ENOMEM)
				return rc;
			failed++;
			if (cb)
				cb(arg, i, &b->ops[i], rc);
			i++;
		}
	}
	return failed;
}

static void on_flush(void *arg, size_t index, const struct ipvs_op *op, int err)
{
	*(int *)arg = err;
}

int ipvs_flush(struct ipvs *ipvs)
{
	struct ipvs_op op = { .type = IPVS_OP_FLUSH };
	struct ipvs_batch b = { .ops = &op, .n = 1, .cap = 1 };
	int err = 0;
	int rc = ipvs_batch_send(ipvs, &b, on_flush, &err);

	return rc < 0 ? rc : err;
}
