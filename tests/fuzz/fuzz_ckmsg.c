/* fuzz_ckmsg.c — libFuzzer target for the check process's messages
 * (core/ckmsg.c), both directions: the first byte picks the direction, the
 * rest is one datagram. What ckmsg_check accepts must decode record by
 * record to its end with sane fields, and re-encode to a datagram that is
 * accepted again; what it refuses must carry a reason. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ckmsg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ckbuf out;

static void reencode(const struct ckmsg *m)
{
	int r = 0;

	switch (m->type) {
	case CKMSG_HELLO:
		r = ckmsg_put_hello(&out, m->pid, m->uid, m->gid, m->capeff);
		break;
	case CKMSG_LOG:
		r = ckmsg_put_log(&out, m->level, m->text);
		break;
	case CKMSG_RESULT:
		if ((unsigned)m->res.outcome > LVSD_CHECK_INTERNAL ||
		    !(m->res.factor >= 0 && m->res.factor <= 1) ||
		    m->res.weight > 2147483647u)
			abort();
		r = ckmsg_put_result(&out, m->id, &m->res);
		break;
	case CKMSG_REFUSED:
		if (m->err >= 0)
			abort();
		r = ckmsg_put_refused(&out, m->id, m->err, m->text);
		break;
	case CKMSG_CREATE:
		r = ckmsg_put_create(&out, m->id, m->checker, &m->target, m->opts,
				     m->n_opts);
		break;
	default:
		r = ckmsg_put_empty(&out, m->type, m->id);
		break;
	}
	if (r < 0 && r != -ENOSPC)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum ckmsg_dir dir;
	char why[256];
	struct ckmsg m;
	size_t off = 0;
	int r;

	if (!size)
		return 0;
	dir = data[0] & 1 ? CKMSG_TO_CHILD : CKMSG_TO_PARENT;
	data++;
	size--;
	if (ckmsg_check(data, size, dir, why, sizeof(why)) < 0) {
		if (!why[0])
			abort();
		return 0;
	}
	memset(&out, 0, sizeof(out));
	while ((r = ckmsg_next(data, size, &off, dir, &m)) > 0) {
		reencode(&m);
		ckmsg_clear(&m);
	}
	if (r < 0 || off != size)
		abort();
	if (ckmsg_check(out.buf, out.len, dir, why, sizeof(why)) < 0)
		abort();
	return 0;
}
