/* test_vtrack.c — core/vtrack.c without VRRP: a track_file's number and
 * its weight (keepalived's rule), a script's first result and rise/fall,
 * and track_process noticing a process within a second (through the
 * process connector as root in the initial network namespace, else the
 * /proc poll). The net tests (tests/net/test_vrrp_script.sh,
 * test_vrrp_trackfile.sh) show the same moving VIPs. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "loop.h"
#include "model.h"
#include "schema.h"
#include "spawn.h"
#include "trackfile.h"
#include "vtrack.h"

static int changes;
static void on_change(void *arg) { (void)arg; changes++; }

static void run_until(struct loop *l, int *flag, int ms)
{
	for (int i = 0; i < ms / 10 && !*flag; i++)
		loop_run_once(l, 10);
}

static void test_parse_number(void **st)
{
	int64_t v;

	(void)st;
	assert_int_equal(trackfile_parse_number("42\n", 3, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(trackfile_parse_number(" -7 \r\n", 6, &v), 0);
	assert_int_equal(v, -7);
	assert_int_equal(trackfile_parse_number("+3", 2, &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(trackfile_parse_number("", 0, &v), -EINVAL);
	assert_int_equal(trackfile_parse_number("1 2", 3, &v), -EINVAL);
	assert_int_equal(v, 0);
	assert_int_equal(trackfile_parse_number("0x10", 4, &v), -EINVAL);
	assert_int_equal(trackfile_parse_number("-", 1, &v), -EINVAL);
	/* fix11 4: out of range saturates (it was "not a number": 0) */
	assert_int_equal(trackfile_parse_number("99999999999999999999", 20, &v), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(trackfile_parse_number("-99999999999999999999", 21, &v), 0);
	assert_true(v == -INT64_MAX);
	assert_int_equal(trackfile_parse_number("9223372036854775807", 19, &v), 0);
	assert_true(v == INT64_MAX);
}

/* weight, file text -> delta, fault */
static void file_case(const char *text, int32_t weight, int32_t want_delta,
		      int want_fault)
{
	char path[] = "/tmp/test_vtrack.XXXXXX";
	int fd = mkstemp(path);
	struct model_tracker t;
	struct model_track_ref ref = { .kind = MODEL_TRACK_FILE, .name = "f" };
	struct model_vrrp v = { .track = &ref, .n_track = 1 };
	struct model m = { .trackers = &t, .n_trackers = 1, .vrrp = &v, .n_vrrp = 1 };
	struct loop *l;
	struct vtrack *vt;
	int32_t delta;
	int fault;
	char why[160];

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	schema_tracker_init(&t, MODEL_TRACK_FILE);
	strcpy(t.name, "f");
	t.file = path;
	t.weight = weight;
	assert_int_equal(loop_new(&l), 0);
	assert_int_equal(vtrack_new(l, NULL, NULL, NULL, &vt), 0);
	assert_int_equal(vtrack_apply(vt, &m), 0);
	vtrack_eval(vt, &v, &delta, &fault, why, sizeof(why));
	assert_int_equal(fault, want_fault);
	if (!fault)
		assert_int_equal(delta, want_delta);
	/* "weight N" on the reference overrides the section's */
	ref.has_weight = 1;
	ref.weight = 0;
	vtrack_eval(vt, &v, &delta, &fault, why, sizeof(why));
	assert_int_equal(fault, strtol(text, NULL, 10) != 0);
	vtrack_free(vt);
	loop_free(l);
	unlink(path);
}

static void test_file_weights(void **st)
{
	(void)st;
	file_case("0\n", 1, 0, 0);
	file_case("-60\n", 1, -60, 0);
	file_case("10", 5, 50, 0);
	file_case("100", 10, 254, 0);   /* capped */
	file_case("-25", 10, -250, 0);
	file_case("-26", 10, 0, 1);     /* -260 < -253: FAULT */
	file_case("3", 0, 0, 1);        /* weight 0: non-zero is FAULT */
	file_case("0", 0, 0, 0);
	file_case("ten", 7, 0, 0);      /* text counts as 0 */
	/* fix11 4: huge numbers saturate, no overflow of value * weight */
	file_case("-99999999999999999999", 1, 0, 1);
	file_case("99999999999999999999999", 1, 254, 0);
	file_case("2147483648", 254, 254, 0);
	file_case("-9223372036854775807", 254, 0, 1);
}

static void test_script_first_result(void **st)
{
	struct model_tracker t;
	struct model_track_ref ref = { .kind = MODEL_TRACK_SCRIPT, .name = "s" };
	struct model_vrrp v = { .track = &ref, .n_track = 1 };
	struct model m = { .trackers = &t, .n_trackers = 1, .vrrp = &v, .n_vrrp = 1 };
	struct loop *l;
	struct spawner *sp;
	struct vtrack *vt;
	sigset_t ss;
	int32_t delta;
	int fault;
	char why[160];

	(void)st;
	/* spawn.c reaps on SIGCHLD through the daemon's signalfd; here the
	 * test reaps itself */
	sigemptyset(&ss);
	sigaddset(&ss, SIGCHLD);
	sigprocmask(SIG_BLOCK, &ss, NULL);
	schema_tracker_init(&t, MODEL_TRACK_SCRIPT);
	strcpy(t.name, "s");
	model_strv_push(&t.script, "/bin/false");
	t.interval_ms = 50;
	t.timeout_ms = 5000;
	t.fall = 3;
	t.weight = -20;
	assert_int_equal(loop_new(&l), 0);
	assert_int_equal(spawner_new(l, &sp), 0);
	assert_int_equal(vtrack_new(l, sp, on_change, NULL, &vt), 0);
	changes = 0;
	assert_int_equal(vtrack_apply(vt, &m), 0);
	vtrack_eval(vt, &v, &delta, &fault, why, sizeof(why));
	assert_int_equal(delta, 0); /* not run yet: neither way */
	for (int i = 0; i < 300 && !changes; i++) {
		loop_run_once(l, 10);
		spawn_reap(sp);
	}
	assert_int_equal(changes, 1); /* the first failure counts, fall = 3 or not */
	vtrack_eval(vt, &v, &delta, &fault, why, sizeof(why));
	assert_int_equal(delta, -20);
	assert_int_equal(fault, 0);
	vtrack_free(vt);
	spawn_reap(sp);
	spawner_free(sp);
	loop_free(l);
	schema_clear(SCHEMA_SCRIPT, &t);
}

static void test_process(void **st)
{
	char prog[64], cmd[160];
	struct model_tracker t;
	struct model_track_ref ref = { .kind = MODEL_TRACK_PROCESS, .name = "p" };
	struct model_vrrp v = { .track = &ref, .n_track = 1 };
	struct model m = { .trackers = &t, .n_trackers = 1, .vrrp = &v, .n_vrrp = 1 };
	struct loop *l;
	struct vtrack *vt;
	int32_t delta;
	int fault;
	char why[160];
	pid_t pid;

	(void)st;
	snprintf(prog, sizeof(prog), "/tmp/vtp%d", (int)getpid() % 100000);
	snprintf(cmd, sizeof(cmd), "cp /bin/sleep %s", prog);
	assert_int_equal(system(cmd), 0);
	schema_tracker_init(&t, MODEL_TRACK_PROCESS);
	strcpy(t.name, "p");
	model_strv_push(&t.process, strrchr(prog, '/') + 1);
	t.weight = 0;
	assert_int_equal(loop_new(&l), 0);
	assert_int_equal(vtrack_new(l, NULL, on_change, NULL, &vt), 0);
	assert_int_equal(vtrack_apply(vt, &m), 0);
	vtrack_eval(vt, &v, &delta, &fault, why, sizeof(why));
	assert_int_equal(fault, 1); /* not running */
	changes = 0;
	pid = fork();
	if (pid == 0) {
		execl(prog, prog, "5", (char *)NULL);
		_exit(127);
	}
	run_until(l, &changes, 3000); /* connector: ~50 ms; the poll: 1 s */
	assert_int_equal(changes, 1);
	vtrack_eval(vt, &v, &delta, &fault, why, sizeof(why));
	assert_int_equal(fault, 0);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	changes = 0;
	run_until(l, &changes, 3000);
	vtrack_eval(vt, &v, &delta, &fault, why, sizeof(why));
	assert_int_equal(fault, 1);
	vtrack_free(vt);
	loop_free(l);
	schema_clear(SCHEMA_SCRIPT, &t);
	unlink(prog);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_number),
		cmocka_unit_test(test_file_weights),
		cmocka_unit_test(test_script_first_result),
		cmocka_unit_test(test_process),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
