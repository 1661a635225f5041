/* operator.c — writing the operator layer (see operator.h): lvsctl and
 * SNMP go through here, so a weight set either way is persisted and
 * reaches the kernel the same way. */
#include "operator.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"
#include "opstore.h"

void operator_current(const struct srv *s, struct operator_set *out)
{
	out->clear = 0;
	out->has_weight = s->has_op_weight;
	out->weight = s->has_op_weight ? s->op_weight : 0;
	out->admin = (int)s->admin;
}

static int writable(const char *path)
{
	char dir[4096];
	char *slash;

	if (access(path, W_OK) == 0)
		return 1;
	if (errno != ENOENT)
		return 0;
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash)
		return access(".", W_OK) == 0;
	if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	return access(dir, W_OK) == 0;
}

int operator_check(const struct daemon *d, const struct srv *s,
		   const struct operator_set *c, char *err, size_t len)
{
	(void)s;
	if (c->has_weight == 1 && c->weight > WEIGHT_MAX) {
		snprintf(err, len, "bad weight %u (0..%u)", c->weight, WEIGHT_MAX);
		return -EINVAL;
	}
	if (c->admin != OPERATOR_KEEP &&
	    (c->admin < ADMIN_NONE || c->admin > ADMIN_DRAIN)) {
		snprintf(err, len, "bad admin state %d", c->admin);
		return -EINVAL;
	}
	if (opstore_unsaved(d))
		return 0; /* held: the change applies, unsaved (logged) */
	if (!writable(d->state_file)) {
		snprintf(err, len, "cannot write %s: %s", d->state_file,
			 strerror(errno));
		return -EACCES;
	}
	return 0;
}

int operator_apply(struct daemon *d, struct srv *s,
		   const struct operator_set *c, char *err, size_t len)
{
	int was_off = s->admin == ADMIN_DISABLED || s->admin == ADMIN_DRAIN;
	const struct opstate_rs *cur = opstate_find_rs(&d->ops, s->vs_name,
						       &s->addr, s->port);
	struct opstate_rs o = { 0 };
	int r;

	if (cur) {
		o = *cur;
	} else {
		snprintf(o.vs, sizeof(o.vs), "%s", s->vs_name);
		o.addr = s->addr;
		o.port = s->port;
	}
	o.cfg_weight = s->cfg->weight;
	o.gone = 0;
	if (c->clear) {
		o.has_weight = 0;
		o.admin = ADMIN_NONE;
	}
	if (c->has_weight != OPERATOR_KEEP) {
		o.has_weight = c->has_weight;
		o.weight = c->has_weight ? c->weight : 0;
	}
	if (c->admin != OPERATOR_KEEP)
		o.admin = (enum admin_state)c->admin;
	/* One entry changed and saved (a journal line): O(1), not the whole
	 * operator layer copied, written and matched again. */
	r = opstore_set(d, &o);
	if (r < 0 && r != -EROFS) {
		log_err("cannot write the operator state %s: %s", d->state_file,
			strerror(-r));
		snprintf(err, len, "cannot write %s: nothing changed", d->state_file);
		return -EIO;
	}
	s->has_op_weight = o.has_weight;
	s->op_weight = o.has_weight ? o.weight : 0;
	s->admin = o.admin;
	if (was_off && s->admin != ADMIN_DISABLED && s->admin != ADMIN_DRAIN)
		s->ready_us = loop_now_us(); /* slow start after disabled->enabled */
	if (d->reconcile_server(d, s) < 0) {
		snprintf(err, len, "saved, but the kernel refused the change (see the log)");
		return -EREMOTEIO;
	}
	return 0;
}
