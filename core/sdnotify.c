/* sdnotify.c — what systemd is told (sd_notify; see sdnotify.h). */
#include "sdnotify.h"

#include <systemd/sd-daemon.h>
#include <time.h>

/* "s" unless n is 1: "1 virtual server", "2 virtual servers" */
#define PLURAL(n) ((n) == 1 ? "" : "s")

/* What systemd shows (systemctl status: "Status:"): READY=1 with the sizes
 * of the configuration in force, NOTE saying what happened last. */
void sdnotify_ready(const struct daemon *d, const char *note)
{
	sd_notifyf(0, "READY=1\nSTATUS=running: %zu virtual server%s, %zu real server%s, "
		   "%zu VRRP instance%s%s", d->model->n_vs, PLURAL(d->model->n_vs),
		   d->model->n_rs, PLURAL(d->model->n_rs), d->model->n_vrrp,
		   PLURAL(d->model->n_vrrp), note);
}

/* RELOADING=1 with the CLOCK_MONOTONIC time (systemd 253+ wants it to tell
 * this reload from an earlier one; 252 ignores it); READY=1 ends it. */
void sdnotify_reloading(const struct daemon *d)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu\nSTATUS=reloading %s",
		   (unsigned long long)ts.tv_sec * 1000000ull +
			   (unsigned long long)ts.tv_nsec / 1000u,
		   d->opts.config);
}
