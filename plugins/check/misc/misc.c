/* misc.c — the program checker (keepalived's MISC_CHECK): a real server is
 * healthy if a program exits 0. The program runs through the host API's
 * prog_run (ABI 1.2): no shell, its own process group killed at
 * misc_timeout, output drained and capped by the core, at most [global]
 * max_scripts at once. With misc_dynamic, exit 2..255 is healthy with
 * weight = status - 2 (keepalived's rule); 1 (or any other non-zero
 * status without misc_dynamic) is down. Options: misc_path (required),
 * misc_timeout, misc_dynamic, user, group. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lvsd/plugin.h>

#include "../common/connect.h"
#include "../common/optval.h"

#define MISC_OUTPUT_MAX 4096u /* output kept for the detail; the rest dropped */

struct misc_check {
	const struct lvsd_host_api *host;
	struct lvsd_check *check;
	char *command;
	uint32_t timeout_ms;
	int dynamic;
	int has_ids;
	uid_t uid;
	gid_t gid;
	struct lvsd_prog *prog;
	char detail[160];
};

/* A user name or number; its primary group too. */
static int find_user(const char *v, uid_t *uid, gid_t *gid)
{
	struct passwd *pw = getpwnam(v);
	char *end;
	unsigned long n;

	if (!pw) {
		n = strtoul(v, &end, 10);
		if (*v && !*end && n < 4294967295ul)
			pw = getpwuid((uid_t)n);
	}
	if (!pw)
		return -ENOENT;
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 0;
}

static int find_group(const char *v, gid_t *gid)
{
	struct group *gr = getgrnam(v);
	char *end;
	unsigned long n;

	if (!gr) {
		n = strtoul(v, &end, 10);
		if (*v && !*end && n < 4294967295ul)
			gr = getgrgid((gid_t)n);
	}
	if (!gr)
		return -ENOENT;
	*gid = gr->gr_gid;
	return 0;
}

static int misc_check_option(void *plugin, const char *key, const char *value,
			     char *err, size_t errlen)
{
	struct conn_plugin *p = plugin;
	uint32_t ms;
	uid_t u;
	gid_t g;
	int b, r;

	if (!strcmp(key, "misc_path")) {
		if (!LVSD_HAS_FIELD(p->host->size, struct lvsd_host_api, prog_check)) {
			snprintf(err, errlen, "this lvsd cannot run check programs (ABI < 1.2)");
			return -EINVAL;
		}
		r = p->host->prog_check(p->host->host, value, err, errlen);
		return r < 0 ? -EINVAL : 0;
	}
	if (!strcmp(key, "misc_timeout")) {
		if (conn_parse_ms(value, &ms) < 0) {
			snprintf(err, errlen, "a duration (\"5\", \"1.5s\", \"500ms\"), 1ms to 1 day");
			return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(key, "misc_dynamic")) {
		if (check_parse_bool(value, &b) < 0) {
			snprintf(err, errlen, "yes or no");
			return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(key, "user")) {
		if (find_user(value, &u, &g) < 0) {
			if (strpbrk(value, " \t"))
				snprintf(err, errlen, "no such user '%s' (keepalived's "
					 "'user USER GROUP' is two keys here: user = USER, "
					 "group = GROUP)", value);
			else
				snprintf(err, errlen, "no such user '%s'", value);
			return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(key, "group")) {
		if (find_group(value, &g) < 0) {
			snprintf(err, errlen, "no such group '%s'", value);
			return -EINVAL;
		}
		return 0;
	}
	snprintf(err, errlen, "MISC_CHECK has no option '%s' (misc_path, "
		 "misc_timeout, misc_dynamic, user, group)", key);
	return -ENOENT;
}

static int misc_create(void *plugin, struct lvsd_check *check,
		       const struct lvsd_check_target *target,
		       const struct lvsd_kv *opts, size_t n_opts, void **state)
{
	struct conn_plugin *p = plugin;
	struct misc_check *c;
	const char *group = NULL;
	int user = 0;

	if (!LVSD_HAS_FIELD(p->host->size, struct lvsd_host_api, prog_check))
		return -ENOTSUP;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->host = p->host;
	c->check = check;
	/* keepalived's default is delay_loop, which a checker does not see:
	 * lvsd's is connect_timeout. */
	c->timeout_ms = target->connect_timeout_ms;
	for (size_t i = 0; i < n_opts; i++) {
		const char *k = opts[i].key, *v = opts[i].value;

		if (!strcmp(k, "misc_path")) {
			free(c->command);
			if (!(c->command = strdup(v)))
				goto nomem;
		} else if (!strcmp(k, "misc_timeout")) {
			if (conn_parse_ms(v, &c->timeout_ms) < 0)
				goto inval;
		} else if (!strcmp(k, "misc_dynamic")) {
			if (check_parse_bool(v, &c->dynamic) < 0)
				goto inval;
		} else if (!strcmp(k, "user")) {
			if (find_user(v, &c->uid, &c->gid) < 0)
				goto inval;
			user = 1;
		} else if (!strcmp(k, "group")) {
			group = v;
		} else {
			goto inval;
		}
	}
	if (!c->command) {
		p->host->log(p->host->host, LVSD_LOG_ERR,
			     "misc_path is required (the program to run)");
		goto inval;
	}
	if (group && find_group(group, &c->gid) < 0)
		goto inval;
	if (group && !user) {
		c->uid = geteuid(); /* only the group changes */
		user = 1;
	}
	c->has_ids = user;
	*state = c;
	return 0;
nomem:
	free(c->command);
	free(c);
	return -ENOMEM;
inval:
	free(c->command);
	free(c);
	return -EINVAL;
}

/* The first line of the output, trimmed, for the detail. */
static void first_line(const char *out, char *buf, size_t len)
{
	size_t n = 0;

	while (*out == ' ' || *out == '\t' || *out == '\n' || *out == '\r')
		out++;
	while (out[n] && out[n] != '\n' && out[n] != '\r' && n + 1 < len) {
		unsigned char ch = (unsigned char)out[n];

		buf[n] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
		n++;
	}
	buf[n] = '\0';
}

static void misc_done(void *arg, const struct lvsd_prog_result *pr)
{
	struct misc_check *c = arg;
	struct lvsd_check_result r = { .size = sizeof(r) };
	char line[33], dur[32], extra[48] = "";

	c->prog = NULL;
	r.latency_us = (uint32_t)(pr->runtime_us > UINT32_MAX ? UINT32_MAX
							      : pr->runtime_us);
	first_line(pr->output ? pr->output : "", line, sizeof(line));
	if (pr->output_bytes > MISC_OUTPUT_MAX)
		snprintf(extra, sizeof(extra), " (output %llu bytes)",
			 (unsigned long long)pr->output_bytes);
	if (pr->start_error) {
		snprintf(c->detail, sizeof(c->detail), "cannot run %s: %s",
			 c->command, strerror(pr->start_error));
		r.outcome = LVSD_CHECK_INTERNAL;
	} else if (pr->timed_out) {
		snprintf(c->detail, sizeof(c->detail), "timed out after %s; killed%s",
			 conn_dur(c->timeout_ms, dur, sizeof(dur)), extra);
		r.outcome = LVSD_CHECK_READ_TIMEOUT;
	} else if (!pr->exited) {
		snprintf(c->detail, sizeof(c->detail), "killed by signal %d%s%s%s",
			 pr->signal, *line ? ": " : "", line, extra);
		r.outcome = LVSD_CHECK_BAD_STATUS;
	} else if (pr->status == 0) {
		snprintf(c->detail, sizeof(c->detail), "exit status 0%s%s%s",
			 *line ? ": " : "", line, extra);
		r.outcome = LVSD_CHECK_OK;
	} else if (c->dynamic && pr->status >= 2) {
		r.has_weight = 1;
		r.weight = (uint32_t)pr->status - 2;
		snprintf(c->detail, sizeof(c->detail), "exit status %d: weight %u%s%s%s",
			 pr->status, r.weight, *line ? ": " : "", line, extra);
		r.outcome = LVSD_CHECK_OK;
	} else {
		snprintf(c->detail, sizeof(c->detail), "exit status %d%s%s%s",
			 pr->status, *line ? ": " : "", line, extra);
		r.outcome = LVSD_CHECK_BAD_STATUS;
	}
	r.detail = c->detail;
	c->host->check_done(c->host->host, c->check, &r);
}

static int misc_run(void *state)
{
	struct misc_check *c = state;
	struct lvsd_prog_spec spec = {
		.size = sizeof(spec), .command = c->command,
		.timeout_ms = c->timeout_ms, .output_max = MISC_OUTPUT_MAX,
		.has_ids = (uint32_t)c->has_ids, .uid = (uint32_t)c->uid,
		.gid = (uint32_t)c->gid,
	};
	int err = 0;

	if (c->prog)
		c->host->prog_cancel(c->host->host, c->prog);
	c->prog = c->host->prog_run(c->host->host, &spec, misc_done, c, &err);
	return c->prog ? 0 : (err < 0 ? err : -EIO);
}

static void misc_cancel(void *state)
{
	struct misc_check *c = state;

	if (c->prog)
		c->host->prog_cancel(c->host->host, c->prog);
	c->prog = NULL;
}

static void misc_destroy(void *state)
{
	struct misc_check *c = state;

	misc_cancel(c);
	free(c->command);
	free(c);
}

static const struct lvsd_checker_ops misc_ops = {
	.size = sizeof(struct lvsd_checker_ops),
	.check_option = misc_check_option,
	.create = misc_create,
	.run = misc_run,
	.cancel = misc_cancel,
	.destroy = misc_destroy,
};

CONN_CHECKER_PLUGIN("MISC_CHECK", "program check (keepalived's MISC_CHECK)",
		    misc_ops)
