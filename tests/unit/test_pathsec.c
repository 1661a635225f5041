/* test_pathsec.c — pathsec_check on real files in a private directory:
 * root-owned 0755 accepted; group- or other-writable, or owned by another
 * user, refused (file, its directory, a parent, a link's target's
 * directory); /tmp-like sticky directories only for root's entries.
 * Runs as root (ownership changes need it); skipped otherwise. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "pathsec.h"

#define OTHER_UID 4242

static char top[PATH_MAX];

static void mk(const char *rel, mode_t mode, int dir)
{
	char p[PATH_MAX + 64];

	snprintf(p, sizeof(p), "%s/%s", top, rel);
	if (dir) {
		assert_int_equal(mkdir(p, mode), 0);
	} else {
		FILE *f = fopen(p, "w");

		assert_non_null(f);
		fputs("#!/bin/sh\n", f);
		fclose(f);
	}
	assert_int_equal(chmod(p, mode), 0);
}

static void own(const char *rel, uid_t uid)
{
	char p[PATH_MAX + 64];

	snprintf(p, sizeof(p), "%s/%s", top, rel);
	assert_int_equal(lchown(p, uid, (gid_t)-1), 0);
}

static int check(const char *rel, char *err, size_t len)
{
	char p[PATH_MAX + 64];

	snprintf(p, sizeof(p), "%s/%s", top, rel);
	err[0] = '\0';
	return pathsec_check(p, err, len);
}

static int setup(void **state)
{
	(void)state;
	if (geteuid() != 0)
		return 0;
	/* a private place on a file system whose parents are root's */
	snprintf(top, sizeof(top), "/run/lvsd-test-pathsec.%d", (int)getpid());
	if (mkdir(top, 0755) < 0)
		return -1;
	chmod(top, 0755);
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	if (geteuid() == 0 && top[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
		if (system(cmd) != 0)
			return -1;
	}
	return 0;
}

static void test_good(void **state)
{
	char err[512];

	(void)state;
	if (geteuid() != 0)
		skip();
	mk("good", 0755, 1);
	mk("good/p.so", 0644, 0);
	assert_int_equal(check("good/p.so", err, sizeof(err)), 0);
	assert_int_equal(check("good/../good/./p.so", err, sizeof(err)), 0);
	/* a system path */
	assert_int_equal(pathsec_check("/bin/sh", err, sizeof(err)), 0);
}

static void test_file_writable(void **state)
{
	char err[512];

	(void)state;
	if (geteuid() != 0)
		skip();
	mk("fw", 0755, 1);
	mk("fw/gw.so", 0664, 0);
	assert_int_equal(check("fw/gw.so", err, sizeof(err)), -EPERM);
	assert_non_null(strstr(err, "fw/gw.so is writable by its group (mode 0664)"));
	assert_non_null(strstr(err, "chmod go-w"));
	mk("fw/ow.so", 0646, 0);
	assert_int_equal(check("fw/ow.so", err, sizeof(err)), -EPERM);
	assert_non_null(strstr(err, "writable by others"));
}

static void test_file_owner(void **state)
{
	char err[512];

	(void)state;
	if (geteuid() != 0)
		skip();
	mk("fo", 0755, 1);
	mk("fo/x.so", 0644, 0);
	own("fo/x.so", OTHER_UID);
	assert_int_equal(check("fo/x.so", err, sizeof(err)), -EPERM);
	assert_non_null(strstr(err, "is owned by uid 4242"));
	assert_non_null(strstr(err, "not root; fix: chown root"));
}

static void test_dirs(void **state)
{
	char err[512];

	(void)state;
	if (geteuid() != 0)
		skip();
	/* the plugin's directory group-writable */
	mk("dg", 0775, 1);
	mk("dg/p.so", 0644, 0);
	assert_int_equal(check("dg/p.so", err, sizeof(err)), -EPERM);
	assert_non_null(strstr(err, "directory "));
	assert_non_null(strstr(err, "/dg is writable by its group (mode 0775)"));
	/* a parent, two levels up, owned by someone else */
	mk("po", 0755, 1);
	mk("po/sub", 0755, 1);
	mk("po/sub/p.so", 0644, 0);
	own("po", OTHER_UID);
	assert_int_equal(check("po/sub/p.so", err, sizeof(err)), -EPERM);
	assert_non_null(strstr(err, "/po is owned by uid 4242"));
	/* a missing file */
	mk("ok2", 0755, 1);
	assert_int_equal(check("ok2/none.so", err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "does not exist"));
	/* a directory at the end */
	assert_int_equal(check("ok2", err, sizeof(err)), -EPERM);
	assert_non_null(strstr(err, "ok2 is not a regular file"));
	/* relative: from the working directory */
	assert_int_equal(chdir(top), 0);
	assert_int_equal(pathsec_check("dg/p.so", err, sizeof(err)), -EPERM);
	assert_int_equal(pathsec_check("good/p.so", err, sizeof(err)), 0);
	assert_int_equal(chdir("/"), 0);
}

static void test_sticky(void **state)
{
	char err[512];

	(void)state;
	if (geteuid() != 0)
		skip();
	mk("tmp", 01777, 1);
	mk("tmp/root.sh", 0755, 0);
	assert_int_equal(check("tmp/root.sh", err, sizeof(err)), 0);
	mk("tmp/user.sh", 0755, 0);
	own("tmp/user.sh", OTHER_UID);
	assert_int_equal(check("tmp/user.sh", err, sizeof(err)), -EPERM);
	assert_non_null(strstr(err, "owned by uid 4242 in a directory others may write (sticky, mode 1777)"));
	/* world-writable without the sticky bit: refused */
	mk("open", 0777, 1);
	mk("open/x.sh", 0755, 0);
	assert_int_equal(check("open/x.sh", err, sizeof(err)), -EPERM);
	assert_non_null(strstr(err, "writable by group and others (mode 0777)"));
}

static void test_links(void **state)
{
	char err[512], p[PATH_MAX + 64], t[PATH_MAX + 64];

	(void)state;
	if (geteuid() != 0)
		skip();
	/* a safe link to a file in an unsafe directory: refused */
	mk("ul", 0755, 1);
	mk("bad", 0777, 1);
	mk("bad/x.so", 0644, 0);
	snprintf(p, sizeof(p), "%s/ul/x.so", top);
	assert_int_equal(symlink("../bad/x.so", p), 0);
	assert_int_equal(check("ul/x.so", err, sizeof(err)), -EPERM);
	assert_non_null(strstr(err, "/bad is writable"));
	/* an absolute link to a good file: accepted */
	mk("ok", 0755, 1);
	mk("ok/y.so", 0644, 0);
	snprintf(p, sizeof(p), "%s/ul/y.so", top);
	snprintf(t, sizeof(t), "%s/ok/y.so", top);
	assert_int_equal(symlink(t, p), 0);
	assert_int_equal(check("ul/y.so", err, sizeof(err)), 0);
	/* a link in a sticky directory owned by someone else: refused */
	mk("st", 01777, 1);
	snprintf(p, sizeof(p), "%s/st/z.so", top);
	assert_int_equal(symlink(t, p), 0);
	own("st/z.so", OTHER_UID);
	assert_int_equal(check("st/z.so", err, sizeof(err)), -EPERM);
	/* a loop */
	snprintf(p, sizeof(p), "%s/ul/loop", top);
	assert_int_equal(symlink("loop", p), 0);
	assert_int_equal(check("ul/loop", err, sizeof(err)), -ELOOP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_file_writable),
		cmocka_unit_test(test_file_owner),
		cmocka_unit_test(test_dirs),
		cmocka_unit_test(test_sticky),
		cmocka_unit_test(test_links),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
