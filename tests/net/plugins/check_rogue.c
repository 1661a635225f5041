/* check_rogue.c — a checker that plays a compromised check process, for
 * tests/net/test_privsep.sh (not installed). Each run reports OK; when the
 * file of its `trigger` option exists, the run first removes it and does
 * what `send` says, straight on the check process's socket (fd 3, see
 * core/checkproc.h), as code that took over the process could:
 *   malformed  a RESULT record whose length runs past the datagram
 *   oversized  a datagram of 70,000 bytes (the limit is 65,536)
 *   unknown    a well-formed RESULT for a check id lvsd never made
 *   hang       the process stops answering (no heartbeat) for 60 s
 * and `send = slow` (no trigger): every run keeps the process busy for
 * 300 ms before it reports (a slow plugin or a saturated CPU: no hang).
 * The bytes are written by hand from the format in core/ckmsg.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <lvsd/plugin.h>

#define CHILD_FD 3

static const struct lvsd_host_api *H;

struct rogue {
	struct lvsd_check *check;
	char trigger[256];
	char send[16];
};

static int r_init(const struct lvsd_host_api *host, void **ctx)
{
	H = host;
	*ctx = NULL;
	return 0;
}

static int r_option(void *plugin, const char *key, const char *value,
		    char *err, size_t errlen)
{
	(void)plugin;
	if (!strcmp(key, "trigger"))
		return value[0] == '/' ? 0 : -EINVAL;
	if (!strcmp(key, "send")) {
		if (!strcmp(value, "malformed") || !strcmp(value, "oversized") ||
		    !strcmp(value, "unknown") || !strcmp(value, "hang") ||
		    !strcmp(value, "slow"))
			return 0;
		strncpy(err, "malformed, oversized, unknown, hang or slow", errlen - 1);
		return -EINVAL;
	}
	return -ENOENT;
}

static int r_create(void *plugin, struct lvsd_check *check,
		    const struct lvsd_check_target *target,
		    const struct lvsd_kv *opts, size_t n_opts, void **state)
{
	struct rogue *r = calloc(1, sizeof(*r));

	(void)plugin;
	(void)target;
	if (!r)
		return -ENOMEM;
	r->check = check;
	for (size_t i = 0; i < n_opts; i++) {
		if (!strcmp(opts[i].key, "trigger"))
			strncpy(r->trigger, opts[i].value, sizeof(r->trigger) - 1);
		if (!strcmp(opts[i].key, "send"))
			strncpy(r->send, opts[i].value, sizeof(r->send) - 1);
	}
	*state = r;
	return 0;
}

static void le32(unsigned char *p, unsigned v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void misbehave(const struct rogue *r)
{
	static unsigned char big[70000];
	unsigned char rec[12 + 24 + 2];

	memset(rec, 0, sizeof(rec));
	rec[0] = 1;                     /* version */
	rec[1] = 4;                     /* RESULT */
	le32(rec + 4, sizeof(rec));     /* length */
	le32(rec + 8, 0x7ffffff0u);     /* id */
	if (!strcmp(r->send, "malformed")) {
		le32(rec + 4, 200);     /* past the datagram's end */
		send(CHILD_FD, rec, sizeof(rec), MSG_NOSIGNAL);
	} else if (!strcmp(r->send, "oversized")) {
		memcpy(big, rec, sizeof(rec));
		send(CHILD_FD, big, sizeof(big), MSG_NOSIGNAL);
	} else if (!strcmp(r->send, "unknown")) {
		send(CHILD_FD, rec, sizeof(rec), MSG_NOSIGNAL);
	} else if (!strcmp(r->send, "hang")) {
		sleep(60);
	}
}

/* Busy (not asleep) for ms milliseconds, as a saturated CPU would be. */
static void busy(unsigned ms)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do
		clock_gettime(CLOCK_MONOTONIC, &t);
	while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < ms);
}

static int r_run(void *state)
{
	struct rogue *r = state;
	struct lvsd_check_result res = {
		.size = sizeof(res), .outcome = LVSD_CHECK_OK, .detail = "rogue ok",
	};

	if (!strcmp(r->send, "slow"))
		busy(300);

	if (r->trigger[0] && unlink(r->trigger) == 0)
		misbehave(r);
	H->check_done(H->host, r->check, &res);
	return 0;
}

static void r_cancel(void *state) { (void)state; }
static void r_destroy(void *state) { free(state); }

static const struct lvsd_checker_ops ops = {
	.size = sizeof(ops), .check_option = r_option, .create = r_create,
	.run = r_run, .cancel = r_cancel, .destroy = r_destroy,
};

static const struct lvsd_plugin desc = {
	LVSD_PLUGIN_HEAD(LVSD_PLUGIN_CHECKER, "ROGUE", "1.0", "test: a compromised check process"),
	.ops = &ops, .ops_size = sizeof(ops), .init = r_init,
};

LVSD_EXPORT const struct lvsd_plugin *
lvsd_plugin_entry_v1(const struct lvsd_host_api *host)
{
	(void)host;
	return &desc;
}
