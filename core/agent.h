/* agent.h — agent checks (HAProxy's agent-check): for each real server
 * with agent_port set, a second check run by the AGENT checker plugin
 * through the same host API as the health checks. Its replies go to the
 * real server's plugin input only (srv.agent, agent_has_factor,
 * agent_factor), never to its health nor to the operator layer. */
#ifndef LVSD_AGENT_H
#define LVSD_AGENT_H

#include <stdbool.h>
#include <stddef.h>

#include <lvsd/plugin.h>

#include "plugin.h"
#include "servers.h"

struct loop;
struct agent;

#define AGENT_CHECKER "AGENT" /* the checker plugin that talks to agents */

struct agent_hooks {
	void *arg;
	/* A real server's agent input changed: reconcile soon. */
	void (*changed)(void *arg);
};

/* 0 or -ENOMEM. loop and plugins must outlive a. */
int agent_new(struct loop *loop, const struct plugin_set *plugins,
	      const struct agent_hooks *hooks, struct agent **out);
void agent_free(struct agent *a);
struct checkproc;
/* Run the agent checks through the check process (checkproc.h); call
 * before the first agent_sync. */
void agent_set_checkproc(struct agent *a, struct checkproc *cp);
/* Bring the agent checks in line with t (after srv_sync): an unchanged
 * one keeps running, a new one runs at once, the others are destroyed
 * (and their real server's agent input cleared). 0 or -ENOMEM (logged). */
int agent_sync(struct agent *a, struct srv_table *t);
/* srv_sync's `gone` callback: s is about to be freed. */
void agent_gone(struct agent *a, struct srv *s);
/* Is this check handle one of ours (not a health check)? */
bool agent_owns(const struct agent *a, const struct lvsd_check *check);
/* The host's check_done for a handle agent_owns(). */
void agent_check_done(struct agent *a, struct lvsd_check *check,
		      const struct lvsd_check_result *res);
size_t agent_n_checks(const struct agent *a);

#endif
