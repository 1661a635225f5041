/* main.c — lvsd's command line; everything else is in liblvsd (daemon.c). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confload.h"
#include "daemon.h"
#include "log.h"

#define DEFAULT_CONFIG LVSD_SYSCONFDIR "/lvsd/lvsd.ini"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: lvsd [-t] [-n] [-v]... [-c FILE] [-P DIR] [--plugin-insecure] [-S SOCKET]\n"
		"            [--state-file FILE] [--keep-ipvs] [--no-ipvs] [--sync-interval MS]\n"
		"  -c, --config FILE     configuration (default %s)\n"
		"  -t, --test            check the configuration and exit (0 ok, 1 errors)\n"
		"  -n, --foreground      stay in the foreground, log to stderr\n"
		"  -v, --verbose         more logging (twice: debug)\n"
		"  -P, --plugin-dir DIR  load plugins from DIR (overrides plugin_dir)\n"
		"      --plugin-insecure load plugins not owned by root or writable by\n"
		"                        others (a development tree; as plugin_insecure)\n"
		"  -S, -s, --socket PATH  control socket (overrides control_socket)\n"
		"      --state-file FILE operator state (overrides state_file)\n"
		"      --keep-ipvs       leave the IPVS table as it is on exit\n"
		"      --no-ipvs         compute everything, do not program IPVS\n"
		"      --sync-interval MS  how often to compare with the kernel (5000)\n"
		"  -V, --version         print the version\n",
		DEFAULT_CONFIG);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "test", no_argument, NULL, 't' },
		{ "foreground", no_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "plugin-dir", required_argument, NULL, 'P' },
		{ "socket", required_argument, NULL, 'S' },
		{ "state-file", required_argument, NULL, 1 },
		{ "keep-ipvs", no_argument, NULL, 2 },
		{ "sync-interval", required_argument, NULL, 3 },
		{ "no-ipvs", no_argument, NULL, 4 },
		{ "plugin-insecure", no_argument, NULL, 5 },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct daemon_opts o = { .config = DEFAULT_CONFIG };
	int test = 0, c;

	while ((c = getopt_long(argc, argv, "c:tnvP:S:s:Vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': o.config = optarg; break;
		case 't': test = 1; break;
		case 'n': o.foreground = 1; break;
		case 'v': o.verbose++; break;
		case 'P': o.plugin_dir = optarg; break;
		case 'S':
		case 's': o.socket = optarg; break; /* -s: as lvsctl -s */
		case 1: o.state_file = optarg; break;
		case 2: o.keep_ipvs = 1; break;
		case 4: o.no_ipvs = 1; break;
		case 5: o.plugin_insecure = 1; break;
		case 3: o.sync_interval_ms = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'V': printf("lvsd %s (plugin ABI %d.%d)\n", LVSD_VERSION,
				 LVSD_ABI_MAJOR, LVSD_ABI_MINOR);
			return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	/* -t always talks to the terminal; the daemon to stderr with -n,
	 * else to syslog (systemd's journal takes either). */
	log_init("lvsd", test || o.foreground,
		 o.verbose >= 2 ? LOG_DEBUG : o.verbose ? LOG_INFO : LOG_NOTICE);
	if (test)
		return confload_check(&o);
	return daemon_run(&o);
}
