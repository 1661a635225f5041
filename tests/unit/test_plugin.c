/* test_plugin.c — the plugin loader against real .so files built from
 * tests/unit/plugins/: a good one and one for each refusal. */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "loop.h"
#include "plugin.h"

static char plugdir[PATH_MAX];

static void find_plugdir(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	assert_true(n > 0);
	exe[n] = '\0';
	snprintf(plugdir, sizeof(plugdir), "%s/plugins", dirname(exe));
}

struct fx {
	struct loop *loop;
	struct host host;
	struct plugin_set set;
	char err[512];
};

static int setup(void **state)
{
	static struct fx f;

	memset(&f, 0, sizeof(f));
	assert_int_equal(loop_new(&f.loop), 0);
	f.host.loop = f.loop;
	plugin_set_init(&f.set, &f.host);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	plugin_set_free(&f->set);
	loop_free(f->loop);
	return 0;
}

static int load(struct fx *f, const char *file)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", plugdir, file);
	f->err[0] = '\0';
	return plugin_load(&f->set, path, f->err, sizeof(f->err));
}

static void expect_refused(struct fx *f, const char *file, const char *what)
{
	assert_true(load(f, file) < 0);
	assert_int_equal(f->set.n, 0);
	if (!strstr(f->err, file) || !strstr(f->err, what))
		fail_msg("message '%s' should name %s and say '%s'", f->err,
			 file, what);
}

static void good_loads_and_is_found(void **state)
{
	struct fx *f = *state;
	struct plugin *p;

	assert_int_equal(load(f, "good.so"), 0);
	assert_int_equal(f->set.n, 1);
	p = plugin_find(&f->set, LVSD_PLUGIN_SCHEDULER, "testgood");
	assert_non_null(p);
	assert_string_equal(p->ops.sched.kernel_name, "wlc");
	assert_non_null(p->ctx); /* init ran */
	assert_null(plugin_find(&f->set, LVSD_PLUGIN_CHECKER, "testgood"));
	assert_null(plugin_find(&f->set, LVSD_PLUGIN_SCHEDULER, "nope"));
}

static void wrong_major_names_found_and_expected(void **state)
{
	char want[128];

	snprintf(want, sizeof(want),
		 "built for plugin ABI 2.0, lvsd speaks ABI %d.%d", LVSD_ABI_MAJOR,
		 LVSD_ABI_MINOR);
	expect_refused(*state, "wrong_major.so", want);
}

static void other_major_symbol_is_recognised(void **state)
{
	expect_refused(*state, "v2_only.so",
		       "built for plugin ABI 2, lvsd speaks ABI 1");
}

static void newer_minor_refused(void **state)
{
	char want[128];

	snprintf(want, sizeof(want), "newer than lvsd's %d.%d", LVSD_ABI_MAJOR,
		 LVSD_ABI_MINOR);
	expect_refused(*state, "newer_minor.so", want);
}

static void short_struct_refused(void **state)
{
	expect_refused(*state, "short_struct.so", "descriptor is 16 bytes");
}

static void missing_symbol_refused(void **state)
{
	expect_refused(*state, "no_symbol.so", "no lvsd_plugin_entry_v1 symbol");
}

static void missing_op_refused(void **state)
{
	expect_refused(*state, "missing_op.so", "lacks a mandatory op");
}

static void init_failure_refused(void **state)
{
	expect_refused(*state, "init_fail.so",
		       "failed to initialise: No such device");
}

static void dlopen_error_refused(void **state)
{
	expect_refused(*state, "does_not_exist.so", "dlopen");
}

static void duplicate_name_refused(void **state)
{
	struct fx *f = *state;

	assert_int_equal(load(f, "good.so"), 0);
	assert_int_equal(load(f, "dup_name.so"), -EEXIST);
	assert_non_null(strstr(f->err, "plugin name collision: scheduler plugin 'testgood' in both "));
	assert_non_null(strstr(f->err, "/good.so and "));
	assert_non_null(strstr(f->err, "/dup_name.so;"));
	assert_int_equal(f->set.n, 1);
}

static void count_line(void *arg, const char *line)
{
	char *all = arg;
	size_t n = strlen(all);

	snprintf(all + n, 8192 - n, "%s\n", line);
}

static void dir_loads_good_and_counts_refusals(void **state)
{
	struct fx *f = *state;
	static char line[8192];
	int r;

	line[0] = '\0';
	r = plugin_load_dir(&f->set, plugdir, count_line, line);

	/* good.so and dup_name.so share a name: a collision is an error that
	 * names both files (issue 12 item 11), never a silent displacement;
	 * the rest of the directory is still loaded (and refused). */
	assert_int_equal(r, -EEXIST);
	assert_non_null(strstr(line, "plugin name collision: scheduler plugin 'testgood' in both "));
	assert_non_null(strstr(line, "/dup_name.so and "));
	assert_non_null(strstr(line, "/good.so;"));
	/* and every refused file is said, named first (fix12b 13) */
	assert_non_null(strstr(line, "/wrong_major.so: refused: "));
	assert_non_null(strstr(line, "/init_fail.so: refused: "));
	assert_int_equal(f->set.n, 1);
	assert_int_equal(plugin_load_dir(&f->set, "/nonexistent-dir", NULL, NULL),
			 -ENOENT);
}

/* A copy of good.so as dir/name with mode and owner, in a fresh
 * directory of mode dmode under /run (root's all the way up). */
static void copy_good(char *dir, size_t dlen, mode_t dmode, const char *name,
		      mode_t mode, uid_t uid, char *out, size_t olen)
{
	char cmd[3 * PATH_MAX];

	snprintf(dir, dlen, "/run/lvsd-test-plugin.%d", (int)getpid());
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir '%s' && cp '%s/good.so' '%s/%s'",
		 dir, dir, plugdir, dir, name);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(chmod(dir, dmode), 0);
	snprintf(out, olen, "%s/%s", dir, name);
	assert_int_equal(chmod(out, mode), 0);
	assert_int_equal(chown(out, uid, (gid_t)-1), 0);
}

static void rm_dir(const char *dir)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* issue 17: a plugin others may write, or not root's, is refused with the
 * fix named; plugin_insecure loads it. */
static void unsafe_file_refused(void **state)
{
	struct fx *f = *state;
	char dir[PATH_MAX], path[PATH_MAX + 64];

	if (geteuid() != 0)
		skip();
	copy_good(dir, sizeof(dir), 0755, "gw.so", 0664, 0, path, sizeof(path));
	assert_int_equal(plugin_load(&f->set, path, f->err, sizeof(f->err)), -EPERM);
	assert_int_equal(f->set.n, 0);
	if (!strstr(f->err, "gw.so: refused: file ") ||
	    !strstr(f->err, "gw.so is writable by its group (mode 0664); fix: chmod go-w ") ||
	    !strstr(f->err, "plugin_insecure = yes"))
		fail_msg("message '%s'", f->err);
	/* owned by another user */
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(chown(path, 4242, (gid_t)-1), 0);
	assert_int_equal(plugin_load(&f->set, path, f->err, sizeof(f->err)), -EPERM);
	if (!strstr(f->err, "is owned by uid 4242") || !strstr(f->err, "fix: chown root "))
		fail_msg("message '%s'", f->err);
	/* the development tree's way out */
	f->set.insecure = 1;
	assert_int_equal(plugin_load(&f->set, path, f->err, sizeof(f->err)), 0);
	assert_int_equal(f->set.n, 1);
	rm_dir(dir);
}

static void unsafe_dir_refused(void **state)
{
	struct fx *f = *state;
	static char line[8192];
	char dir[PATH_MAX], path[PATH_MAX + 64];

	if (geteuid() != 0)
		skip();
	copy_good(dir, sizeof(dir), 0775, "good.so", 0644, 0, path, sizeof(path));
	line[0] = '\0';
	assert_int_equal(plugin_load_dir(&f->set, dir, count_line, line), -EPERM);
	assert_int_equal(f->set.n, 0);
	if (!strstr(line, "plugin directory /run/lvsd-test-plugin.") ||
	    !strstr(line, ": refused: directory /run/lvsd-test-plugin.") ||
	    !strstr(line, "is writable by its group (mode 0775)"))
		fail_msg("message '%s'", line);
	/* the file alone, through that directory: refused too */
	assert_int_equal(plugin_load(&f->set, path, f->err, sizeof(f->err)), -EPERM);
	/* a safe directory loads */
	assert_int_equal(chmod(dir, 0755), 0);
	assert_int_equal(plugin_load_dir(&f->set, dir, count_line, line), 0);
	assert_int_equal(f->set.n, 1);
	rm_dir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(good_loads_and_is_found),
		T(wrong_major_names_found_and_expected),
		T(other_major_symbol_is_recognised),
		T(newer_minor_refused),
		T(short_struct_refused),
		T(missing_symbol_refused),
		T(missing_op_refused),
		T(init_failure_refused),
		T(dlopen_error_refused),
		T(duplicate_name_refused),
		T(dir_loads_good_and_counts_refusals),
		T(unsafe_file_refused),
		T(unsafe_dir_refused),
	};

	find_plugdir();
	return cmocka_run_group_tests_name("plugin loader", tests, NULL, NULL);
}
