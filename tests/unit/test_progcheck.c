/* test_progcheck.c — the check of configured commands (issue 12 item 7):
 * missing and non-executable programs, keepalived's quoted whole command,
 * shell syntax outside quotes, and what is fine (quoted, /bin/sh -c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "progcheck.h"

static char dir[64], script[128], plain[128];

static int setup(void **state)
{
	int fd;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_progcheck.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(script, sizeof(script), "%s/notify.sh", dir);
	snprintf(plain, sizeof(plain), "%s/plain.sh", dir);
	fd = open(script, O_WRONLY | O_CREAT, 0755);
	if (fd < 0)
		return -1;
	close(fd);
	fd = open(plain, O_WRONLY | O_CREAT, 0644);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(script);
	unlink(plain);
	rmdir(dir);
	return 0;
}

/* line fails with rc and a message holding part. */
static void bad(const char *line, unsigned flags, int rc, const char *part)
{
	char err[512] = "";
	int r = progcheck_line(line, flags, err, sizeof(err));

	if (r != rc || !strstr(err, part)) {
		print_message("line: %s\nrc %d (want %d), err: %s\nwant: %s\n", line,
			      r, rc, err, part);
		fail();
	}
}

static void good(const char *line, unsigned flags)
{
	char err[512] = "";
	int r = progcheck_line(line, flags, err, sizeof(err));

	if (r != 0) {
		print_message("line: %s\nrc %d, err: %s\n", line, r, err);
		fail();
	}
}

static void test_program_file(void **state)
{
	char line[512];

	(void)state;
	snprintf(line, sizeof(line), "%s master", script);
	good(line, PROGCHECK_ALL);
	good("/bin/true", PROGCHECK_ALL);
	good("true", PROGCHECK_ALL); /* found in PATH, as execvp would */
	snprintf(line, sizeof(line), "%s/missing.sh master", dir);
	bad(line, PROGCHECK_ALL, -ENOENT, "missing.sh' does not exist");
	bad("no-such-program-lvsd x", PROGCHECK_ALL, -ENOENT,
	    "'no-such-program-lvsd' not found in PATH; give its absolute path");
	snprintf(line, sizeof(line), "%s backup", plain);
	bad(line, PROGCHECK_ALL, -EACCES, "is not executable (chmod +x it, or name its interpreter first: /bin/sh ");
	snprintf(line, sizeof(line), "/bin/sh %s backup", plain);
	good(line, PROGCHECK_ALL); /* the interpreter named: fine */
	bad(dir, PROGCHECK_ALL, -EACCES, "is a directory");
	bad("bin/true", PROGCHECK_ALL, -EINVAL, "relative path");
	/* without PROGCHECK_FILE the file system is not looked at */
	good("/nonexistent/x.sh", PROGCHECK_SYNTAX);
}

/* issue 17: a program others may write, or not root's, or in such a
 * directory, is refused with the fix; PATH lookups are judged too. */
static void test_program_owner(void **state)
{
	char line[512], gw[160];
	int fd;

	(void)state;
	if (geteuid() != 0)
		skip();
	snprintf(gw, sizeof(gw), "%s/gw.sh", dir);
	fd = open(gw, O_WRONLY | O_CREAT, 0775);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(chmod(gw, 0775), 0);
	snprintf(line, sizeof(line), "%s up", gw);
	bad(line, PROGCHECK_ALL, -EPERM, "gw.sh is writable by its group (mode 0775); fix: chmod go-w ");
	good(line, PROGCHECK_SYNTAX | PROGCHECK_FILE); /* the owner not asked */
	assert_int_equal(chmod(gw, 0755), 0);
	good(line, PROGCHECK_ALL);
	assert_int_equal(chown(gw, 4242, (gid_t)-1), 0);
	bad(line, PROGCHECK_ALL, -EPERM, "gw.sh is owned by uid 4242, not root; fix: chown root ");
	assert_int_equal(chown(gw, 0, (gid_t)-1), 0);
	/* its directory writable by others */
	assert_int_equal(chmod(dir, 0777), 0);
	bad(line, PROGCHECK_ALL, -EPERM, "is writable by group and others (mode 0777)");
	/* and found on PATH there */
	setenv("PATH", dir, 1);
	bad("gw.sh up", PROGCHECK_ALL, -EPERM, "gw.sh refused: directory /tmp/test_progcheck.");
	unsetenv("PATH");
	assert_int_equal(chmod(dir, 0700), 0);
	unlink(gw);
}

static void test_quoted_whole_command(void **state)
{
	char line[512];

	(void)state;
	/* keepalived: notify_master "/path/x.sh backup" */
	snprintf(line, sizeof(line), "\"%s backup\"", script);
	bad(line, PROGCHECK_ALL, -EINVAL, "has a blank in its name");
	bad(line, PROGCHECK_ALL, -EINVAL, "write it without the outer quotes: ");
	bad("\"/usr/local/bin/x.sh backup\"", PROGCHECK_SYNTAX, -EINVAL,
	    "keepalived's");
	/* the same quoted with shell syntax inside: still this error */
	bad("'/bin/echo x > /tmp/f'", PROGCHECK_SYNTAX, -EINVAL,
	    "has a blank in its name");
}

static void test_shell_syntax(void **state)
{
	static const char *const cases[][2] = {
		{ "/bin/echo master > /tmp/state", "'>'" },
		{ "/bin/echo master >> /tmp/state", "'>>'" },
		{ "/bin/cat < /etc/hosts", "'<'" },
		{ "/bin/echo a | /usr/bin/wc", "'|'" },
		{ "/bin/true || /bin/false", "'||'" },
		{ "/bin/true && /bin/false", "'&&'" },
		{ "/bin/sleep 1 &", "'&'" },
		{ "/bin/true;/bin/false", "';'" },
		{ "/bin/echo $(hostname)", "'$('" },
		{ "/bin/echo `hostname`", "'`'" },
		{ "/bin/echo ${HOME}", "'${'" },
		{ "/bin/echo $HOME", "'$HOME'" },
		{ "/bin/echo \"a\">x", "'>'" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bad(cases[i][0], PROGCHECK_SYNTAX, -EINVAL, cases[i][1]);
		bad(cases[i][0], PROGCHECK_SYNTAX, -EINVAL,
		    "is shell syntax, but lvsd runs commands without a shell");
		bad(cases[i][0], PROGCHECK_SYNTAX, -EINVAL,
		    "/bin/sh -c '...'");
	}
	/* quoted or escaped it is literal; a shell asked for explicitly */
	good("/bin/sh -c 'echo master > /tmp/state'", PROGCHECK_ALL);
	good("/bin/sh -c \"echo $(hostname) | wc\"", PROGCHECK_ALL);
	good("/usr/bin/logger 'a&b' \"c;d\" e\\>f $ 5$", PROGCHECK_SYNTAX);
	/* the splitter's own errors come through */
	bad("/bin/echo \"abc", PROGCHECK_SYNTAX, -EINVAL, "unterminated");
	bad("", PROGCHECK_SYNTAX, -EINVAL, "empty command");
}

static void test_argv(void **state)
{
	const char *ok[] = { "/bin/true", "x" };
	const char *blank[] = { "/bin/true x" };
	char err[256];

	(void)state;
	assert_int_equal(progcheck_argv(ok, 2, PROGCHECK_ALL, err, sizeof(err)), 0);
	assert_int_equal(progcheck_argv(blank, 1, PROGCHECK_ALL, err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(progcheck_argv(ok, 0, PROGCHECK_ALL, err, sizeof(err)),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_program_file),
		cmocka_unit_test(test_program_owner),
		cmocka_unit_test(test_quoted_whole_command),
		cmocka_unit_test(test_shell_syntax),
		cmocka_unit_test(test_argv),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
