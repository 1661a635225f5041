/* lvsd-import — converts a keepalived.conf (and the files it includes)
 * into an lvsd.ini: lvsd-import [-o FILE] keepalived.conf. Exit status 0
 * when everything was translated, 1 when something was left out (each on
 * stderr as FILE:LINE: keyword: why), 2 on a fatal error.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "inidoc.h"
#include "kaemit.h"
#include "kaparse.h"

#ifndef LVSD_VERSION
#define LVSD_VERSION "0.0.0"
#endif

static void usage(FILE *f)
{
	fprintf(f, "usage: lvsd-import [-o FILE] keepalived.conf\n"
		   "  -o FILE  write the lvsd.ini there (default: stdout)\n"
		   "  -V       print the version\n"
		   "Exit status: 0 all translated, 1 something left out "
		   "(listed on stderr), 2 error.\n");
}

static int write_out(const struct ini_doc *d, const char *src,
		     unsigned left_out, FILE *f)
{
	fprintf(f,
		"; lvsd.ini converted by lvsd-import from %s\n"
		"; Check it with: lvsd -t -c FILE. See lvsd.ini(5) and "
		"lvsd-import(8).\n",
		src);
	if (left_out)
		fprintf(f,
			"; %u keepalived keyword%s could not be translated: "
			"lvsd-import listed %s on stderr.\n",
			left_out, left_out == 1 ? "" : "s",
			left_out == 1 ? "it" : "them");
	return ini_write(d, f);
}

int main(int argc, char **argv)
{
	struct ka_report rep = {.err = stderr};
	const char *out = NULL;
	struct ka_tree t;
	struct ini_doc d;
	char *tmp = NULL;
	FILE *f;
	int c, rc;

	while ((c = getopt(argc, argv, "o:hV")) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("lvsd-import %s\n", LVSD_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	if (ka_parse_file(argv[optind], &t, &rep) < 0) {
		ka_report_flush(&rep, NULL, 0);
		return 2;
	}
	ini_init(&d);
	rc = ka_emit(&t, &d, &rep);
	ka_report_flush(&rep, t.files, t.n_files);
	ka_tree_free(&t);
	if (rc < 0) {
		fprintf(stderr, "lvsd-import: %s\n", strerror(-rc));
		ini_free(&d);
		return 2;
	}
	if (!out) {
		rc = write_out(&d, argv[optind], rep.left_out, stdout);
		if (fflush(stdout) != 0)
			rc = -EIO;
	} else {
		/* written beside FILE and renamed: never half a file */
		if (asprintf(&tmp, "%s.tmpXXXXXX", out) < 0) {
			ini_free(&d);
			return 2;
		}
		c = mkstemp(tmp);
		f = c >= 0 ? fdopen(c, "w") : NULL;
		if (!f) {
			fprintf(stderr, "lvsd-import: %s: %s\n", out,
				strerror(errno));
			if (c >= 0) {
				close(c);
				unlink(tmp);
			}
			free(tmp);
			ini_free(&d);
			return 2;
		}
		fchmod(c, 0644);
		rc = write_out(&d, argv[optind], rep.left_out, f);
		if (fclose(f) != 0)
			rc = -EIO;
		if (rc == 0 && rename(tmp, out) < 0)
			rc = -errno;
		if (rc < 0)
			unlink(tmp);
		free(tmp);
	}
	ini_free(&d);
	if (rc < 0) {
		fprintf(stderr, "lvsd-import: %s: %s\n", out ? out : "stdout",
			strerror(-rc));
		return 2;
	}
	return rep.left_out ? 1 : 0;
}
