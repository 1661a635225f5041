/* test_opstate.c — the operator state file: records, damaged lines (a NUL
 * byte too), what is not a state file (a directory, a FIFO), the save
 * (a planted symlink not followed, the directory synced), a round trip,
 * and lookups that stay O(1) with 100,000 entries. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "opfile.h"
#include "opstate.h"

#define TEXT(t) t, sizeof(t) - 1

static unsigned warned[16];
static int n_warned;

static void warn(void *arg, unsigned line, const char *why)
{
	(void)arg;
	(void)why;
	if (n_warned < 16)
		warned[n_warned++] = line;
}

static void parses_records_and_skips_damage(void **state)
{
	struct opstate s;
	struct lvsd_addr a;
	uint16_t port;
	struct opstate_rs *r;

	(void)state;
	n_warned = 0;
	assert_int_equal(opstate_parse(TEXT(
		"# comment\n"
		"rs web 10.0.0.51:80 cfgweight=1 weight=3 admin=drain\n"
		"rs web [2001:db8::5]:80 cfgweight=2\n"
		"rs web 10.0.0.52 cfgweight=1\n"          /* 4: no port */
		"rs web 10.0.0.53:80 cfgweight=x\n"       /* 5: bad number */
		"owned TCP 192.168.0.30:80\n"
		"owned FWM 42 inet6\n"
		"owned GRE 1.2.3.4:5\n"                   /* 8: bad protocol */
		"bogus\n"                                 /* 9 */
		"rs web 10.0.0.51:80 cfgweight=1\n"),     /* 10: duplicate */
		&s, warn, NULL), 5);
	assert_int_equal(n_warned, 5);
	assert_int_equal(warned[0], 4);
	assert_int_equal(warned[1], 5);
	assert_int_equal(warned[2], 8);
	assert_int_equal(warned[3], 9);
	assert_int_equal(warned[4], 10);
	assert_int_equal(s.n_rs, 2);
	assert_int_equal(opstate_parse_addrport("10.0.0.51:80", &a, &port), 0);
	r = opstate_find_rs(&s, "web", &a, 80);
	assert_non_null(r);
	assert_int_equal(r->has_weight, 1);
	assert_int_equal(r->weight, 3);
	assert_int_equal(r->admin, ADMIN_DRAIN);
	assert_int_equal(s.n_owned, 2);
	assert_int_equal(s.owned[1].fwmark, 42);
	assert_int_equal(s.owned[1].af, AF_INET6);
	opstate_free(&s);
}

static char whys[4][400];
static int n_whys;

static void warn_why(void *arg, unsigned line, const char *why)
{
	(void)arg;
	(void)line;
	if (n_whys < 4)
		snprintf(whys[n_whys++], sizeof(whys[0]), "%s", why);
}

/* fix12b 14: a damaged line says what is wrong in it: the value, with
 * control bytes escaped and a long one cut. */
static void damaged_lines_name_the_value(void **state)
{
	struct opstate s;

	(void)state;
	n_whys = 0;
	assert_int_equal(opstate_parse(TEXT(
		"rs web 10.0.0.51:80 cfgweight=1 weight=x\x1b[31m\n"
		"rs web 10.0.0.52:80 admin=sleepy\n"
		"rs web 10.0.0.53:80 weight=123456789012345678901234567890123456789012345\n"
		"bogus 1 2\n"), &s, warn_why, NULL), 4);
	assert_string_equal(whys[0], "rs: bad weight 'x\\x1b[31m'");
	assert_string_equal(whys[1], "rs: bad admin state 'sleepy'");
	assert_string_equal(whys[2], "rs: bad weight '1234567890123456789012345678901234567890...'");
	assert_string_equal(whys[3], "unknown record 'bogus'");
	opstate_free(&s);
}

static void addrport_forms(void **state)
{
	struct lvsd_addr a;
	uint16_t p;

	(void)state;
	assert_int_equal(opstate_parse_addrport("[::1]:8080", &a, &p), 0);
	assert_int_equal(a.family, AF_INET6);
	assert_int_equal(p, 8080);
	assert_int_equal(opstate_parse_addrport("::1:80", &a, &p), -22);
	assert_int_equal(opstate_parse_addrport("[10.0.0.1]:80", &a, &p), -22);
	assert_int_equal(opstate_parse_addrport("10.0.0.1:65536", &a, &p), -22);
	assert_int_equal(opstate_parse_addrport("10.0.0.1:", &a, &p), -22);
}

/* Issue 12 item 12: a NUL byte cut the file there, silently: every line
 * after it was lost, and the next save made the loss permanent. */
static void nul_byte_is_a_damaged_line(void **state)
{
	static const char text[] =
		"rs web 10.0.0.51:80 cfgweight=1 admin=drain\n"
		"rs web 10.0.0.52:80\0 cfgweight=1 admin=drain\n"
		"rs web 10.0.0.53:80 cfgweight=1 admin=drain\n"
		"\0\n"
		"rs web 10.0.0.54:80 cfgweight=1 weight=0";   /* no final newline */
	struct opstate s;
	struct lvsd_addr a;
	uint16_t port;

	(void)state;
	n_warned = 0;
	assert_int_equal(opstate_parse(text, sizeof(text) - 1, &s, warn, NULL), 2);
	assert_int_equal(n_warned, 2);
	assert_int_equal(warned[0], 2);
	assert_int_equal(warned[1], 4);
	assert_int_equal(s.n_rs, 3);
	assert_int_equal(opstate_parse_addrport("10.0.0.53:80", &a, &port), 0);
	assert_non_null(opstate_find_rs(&s, "web", &a, port));
	assert_int_equal(opstate_parse_addrport("10.0.0.54:80", &a, &port), 0);
	assert_non_null(opstate_find_rs(&s, "web", &a, port));
	opstate_free(&s);
}

static char tmpdir[64];

static int mk_tmpdir(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/lvsd-opstate-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int rm_tmpdir(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void path_in(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", tmpdir, name);
}

static void on_alarm(int sig)
{
	(void)sig;
	fail_msg("opfile_load blocked (a FIFO at the state path?)");
}

/* Item 12: a directory at the state path read as "nothing" without a
 * word; a FIFO hung the start. Both are errors that say what they are. */
static void load_refuses_what_is_not_a_file(void **state)
{
	char path[128], err[128];
	struct opstate s;
	unsigned damaged = 7;
	size_t bytes;

	(void)state;
	path_in(path, sizeof(path), "dir");
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(opfile_load(path, &s, &damaged, &bytes, err, sizeof(err)), -EISDIR);
	assert_string_equal(err, "Is a directory");
	assert_int_equal(s.n_rs, 0);
	path_in(path, sizeof(path), "fifo");
	assert_int_equal(mkfifo(path, 0600), 0);
	signal(SIGALRM, on_alarm);
	alarm(10);
	assert_int_equal(opfile_load(path, &s, &damaged, &bytes, err, sizeof(err)), -EINVAL);
	alarm(0);
	assert_string_equal(err, "a FIFO, not a regular file");
	/* A damaged file is read: the good lines, and how many were not. */
	path_in(path, sizeof(path), "damaged");
	{
		FILE *f = fopen(path, "w");

		assert_non_null(f);
		fwrite("rs a 10.0.0.1:80 cfgweight=1 admin=drain\nx\0y\n"
		       "rs a 10.0.0.2:80 cfgweight=1 admin=drain\n", 1, 86, f);
		fclose(f);
	}
	assert_int_equal(opfile_load(path, &s, &damaged, &bytes, err, sizeof(err)), 0);
	assert_int_equal(damaged, 1);
	assert_int_equal(s.n_rs, 2);
	opstate_free(&s);
	/* fix12b 14: a symlink is held (neither followed nor replaced), and
	 * so is a file none of whose lines is a state record (the config). */
	{
		char target[128];
		FILE *f;

		path_in(target, sizeof(target), "target");
		f = fopen(target, "w");
		assert_non_null(f);
		fputs("rs a 10.0.0.1:80 cfgweight=1 admin=drain\n", f);
		fclose(f);
		path_in(path, sizeof(path), "link");
		assert_int_equal(symlink(target, path), 0);
		assert_int_equal(opfile_load(path, &s, &damaged, &bytes, err, sizeof(err)), -ELOOP);
		assert_non_null(strstr(err, "a symbolic link"));
		assert_int_equal(s.n_rs, 0);
		path_in(path, sizeof(path), "config");
		f = fopen(path, "w");
		assert_non_null(f);
		fputs("[global]\nlog_level = info\n\n[virtual_server web]\n", f);
		fclose(f);
		assert_int_equal(opfile_load(path, &s, &damaged, &bytes, err, sizeof(err)), -EINVAL);
		assert_non_null(strstr(err, "none of its lines is a state record"));
		assert_int_equal(s.n_rs, 0);
	}
	/* A missing file is an empty state, not an error. */
	path_in(path, sizeof(path), "missing");
	assert_int_equal(opfile_load(path, &s, &damaged, &bytes, err, sizeof(err)), 0);
	assert_int_equal(damaged, 0);
	assert_int_equal(s.n_rs, 0);
}

static void read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	assert_true(fd >= 0);
	n = read(fd, buf, len - 1);
	assert_true(n >= 0);
	buf[n] = '\0';
	close(fd);
}

/* Item 13: the temporary file had a fixed name (PATH.tmp) and was opened
 * without O_EXCL/O_NOFOLLOW: a symlink planted there had lvsd write
 * through it into any file. */
static void save_follows_no_planted_symlink(void **state)
{
	char path[128], tmp[140], victim[128], buf[256];
	struct opstate s = { 0 };
	struct lvsd_addr a;
	uint16_t p;
	struct stat st;

	(void)state;
	path_in(path, sizeof(path), "state");
	path_in(victim, sizeof(victim), "victim");
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	{
		FILE *f = fopen(victim, "w");

		assert_non_null(f);
		fputs("precious\n", f);
		fclose(f);
	}
	assert_int_equal(symlink(victim, tmp), 0);
	assert_int_equal(opstate_parse_addrport("10.0.0.9:80", &a, &p), 0);
	opstate_get_rs(&s, "web", &a, p)->admin = ADMIN_DRAIN;
	assert_int_equal(opfile_save(path, &s, NULL), 0);
	read_file(victim, buf, sizeof(buf));
	assert_string_equal(buf, "precious\n");
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0600);
	read_file(path, buf, sizeof(buf));
	assert_non_null(strstr(buf, "rs web 10.0.0.9:80 cfgweight=0 admin=drain\n"));
	assert_int_equal(lstat(tmp, &st), 0); /* left alone */
	assert_true(S_ISLNK(st.st_mode));
	/* Nothing else is left behind in the directory but what we made. */
	{
		char cmd[200];

		snprintf(cmd, sizeof(cmd), "test $(ls -A '%s' | grep -c '^state\\.') = 1",
			 tmpdir);
		assert_int_equal(system(cmd), 0);
	}
	/* fix12b 14: a symlink AT the state path is not replaced by the
	 * rename (nor written through): -ELOOP, link and target unchanged. */
	assert_int_equal(unlink(path), 0);
	assert_int_equal(symlink(victim, path), 0);
	assert_int_equal(opfile_save(path, &s, NULL), -ELOOP);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	read_file(victim, buf, sizeof(buf));
	assert_string_equal(buf, "precious\n");
	opstate_free(&s);
}

static void save_then_load(void **state)
{
	char path[128], err[128];
	struct opstate s = { 0 }, back;
	struct opstate_owned o = { .af = AF_INET, .fwmark = 7 };
	struct lvsd_addr a;
	uint16_t p;
	struct opstate_rs *r;
	unsigned damaged;
	size_t bytes;

	(void)state;
	path_in(path, sizeof(path), "roundtrip");
	assert_int_equal(opstate_parse_addrport("[2001:db8::9]:443", &a, &p), 0);
	r = opstate_get_rs(&s, "tls", &a, p);
	r->cfg_weight = 4;
	r->admin = ADMIN_DISABLED;
	r->gone = 1764460800;
	assert_int_equal(opstate_set_owned(&s, &o, 1), 0);
	assert_int_equal(opfile_save(path, &s, NULL), 0);
	assert_int_equal(opfile_load(path, &back, &damaged, &bytes, err, sizeof(err)), 0);
	assert_int_equal(damaged, 0);
	assert_int_equal(back.n_rs, 1);
	assert_string_equal(back.rs[0].vs, "tls");
	assert_int_equal(back.rs[0].port, 443);
	assert_int_equal(back.rs[0].cfg_weight, 4);
	assert_int_equal(back.rs[0].has_weight, 0);
	assert_int_equal(back.rs[0].admin, ADMIN_DISABLED);
	assert_int_equal(back.rs[0].gone, 1764460800);
	assert_int_equal(back.n_owned, 1);
	assert_int_equal(back.owned[0].fwmark, 7);
	opstate_del_rs(&back, &back.rs[0]);
	assert_int_equal(back.n_rs, 0);
	opstate_free(&s);
	opstate_free(&back);
}

static int every_third(void *arg, struct opstate_rs *r)
{
	(void)arg;
	return r->cfg_weight % 3 != 0;
}

/* Item 14: every lookup was a scan, so reading 100,000 entries (each
 * checked for a duplicate) and dropping the stale ones was quadratic:
 * 83 s to start. Hashed, the whole exercise below is O(n): about 0.1 s
 * of CPU (1 s under ASan); quadratic, it is 5e9 comparisons (over a
 * minute). The bound, 10 s of this process's CPU time (not wall time),
 * tells the two apart on any machine, however loaded. */
static void lookups_stay_o1_with_100000_entries(void **state)
{
	enum { N = 100000 };
	char *text = malloc((size_t)N * 64), *t = text;
	struct opstate s, c;
	clock_t c0 = clock();
	double cpu;

	(void)state;
	assert_non_null(text);
	for (int i = 0; i < N; i++)
		t += sprintf(t, "rs gone%d 10.%d.%d.%d:80 cfgweight=%d admin=drain\n",
			     i % 7, i / 62500, (i / 250) % 250, i % 250, i);
	assert_int_equal(opstate_parse(text, (size_t)(t - text), &s, warn, NULL), 0);
	assert_int_equal(s.n_rs, N);
	for (int i = 0; i < N; i++) {
		struct opstate_rs *r = &s.rs[i];

		assert_ptr_equal(opstate_find_rs(&s, r->vs, &r->addr, r->port), r);
	}
	assert_int_equal(opstate_copy(&c, &s), 0);
	assert_int_equal(opstate_retain(&c, every_third, NULL), (N + 2) / 3);
	for (size_t i = 0; i < c.n_rs; i++)
		assert_ptr_equal(opstate_find_rs(&c, c.rs[i].vs, &c.rs[i].addr,
						 c.rs[i].port), &c.rs[i]);
	assert_null(opstate_find_rs(&c, s.rs[0].vs, &s.rs[0].addr, s.rs[0].port));
	cpu = (double)(clock() - c0) / CLOCKS_PER_SEC;
	print_message("100,000 entries parsed, found, copied, filtered: %.2f s CPU\n",
		      cpu);
	assert_true(cpu < 10.0);
	opstate_free(&c);
	opstate_free(&s);
	free(text);
}

/* Issue 14 goal 6: a change is one journal line. "set" replaces or adds
 * an entry, "del" removes it (an unknown one: nothing to do), and a
 * journal line cut short by a crash (no newline) is damaged, never read
 * as a shorter value; an "rs" line without its newline still reads. */
static void journal_lines(void **state)
{
	struct opstate s;
	struct lvsd_addr a;
	uint16_t port;
	struct opstate_rs *r;

	(void)state;
	n_warned = 0;
	assert_int_equal(opstate_parse(TEXT(
		"rs web 10.0.0.51:80 cfgweight=1 weight=3\n"
		"rs web 10.0.0.52:80 cfgweight=1 admin=drain\n"
		"rs web 10.0.0.53:80 cfgweight=1 weight=9\n"
		"set web 10.0.0.51:80 cfgweight=2 admin=disabled\n"
		"del web 10.0.0.52:80\n"
		"del web 10.0.0.99:80\n"
		"set web 10.0.0.54:80 cfgweight=1 weight=4\n"
		"del web 10.0.0.54:80 extra\n"              /* 8: damaged */
		"set web 10.0.0.53:80 cfgweight=1 weight=1"), /* 9: cut short */
		&s, warn, NULL), 2);
	assert_int_equal(warned[0], 8);
	assert_int_equal(warned[1], 9);
	assert_int_equal(s.n_rs, 3);
	assert_int_equal(opstate_parse_addrport("10.0.0.51:80", &a, &port), 0);
	r = opstate_find_rs(&s, "web", &a, port);
	assert_non_null(r);
	assert_int_equal(r->cfg_weight, 2);
	assert_int_equal(r->has_weight, 0); /* replaced whole */
	assert_int_equal(r->admin, ADMIN_DISABLED);
	assert_int_equal(opstate_parse_addrport("10.0.0.52:80", &a, &port), 0);
	assert_null(opstate_find_rs(&s, "web", &a, port));
	assert_int_equal(opstate_parse_addrport("10.0.0.53:80", &a, &port), 0);
	assert_int_equal(opstate_find_rs(&s, "web", &a, port)->weight, 9);
	assert_int_equal(opstate_parse_addrport("10.0.0.54:80", &a, &port), 0);
	assert_int_equal(opstate_find_rs(&s, "web", &a, port)->weight, 4);
	opstate_free(&s);
	n_warned = 0;
	assert_int_equal(opstate_parse(TEXT("rs web 10.0.0.51:80 cfgweight=1"),
				       &s, warn, NULL), 0);
	assert_int_equal(s.n_rs, 1);
	opstate_free(&s);
}

/* A journal line goes at the end of the file lvsd knows (its size), is
 * read back by a load, and refuses a file of another size (changed
 * behind lvsd's back: written whole instead). */
static void append_then_load(void **state)
{
	char path[128], err[128], line[OPSTATE_LINE_MAX], text[4096];
	struct opstate s = { 0 }, back;
	struct opstate_rs *r, v = { .vs = "web", .cfg_weight = 1 };
	unsigned damaged;
	size_t bytes, len, before;

	(void)state;
	path_in(path, sizeof(path), "journal");
	assert_int_equal(opstate_parse_addrport("10.0.0.51:80", &v.addr, &v.port), 0);
	r = opstate_get_rs(&s, v.vs, &v.addr, v.port);
	*r = v;
	r->admin = ADMIN_DRAIN;
	assert_int_equal(opfile_save(path, &s, &bytes), 0);
	before = bytes;
	assert_int_equal(opfile_load(path, &back, &damaged, &bytes, err, sizeof(err)), 0);
	assert_int_equal(bytes, before);
	opstate_free(&back);
	v.has_weight = 1;
	v.weight = 6;
	len = opstate_format_rs(&v, "set", line);
	assert_int_equal(opfile_append(path, bytes + 1, line, len), -ESTALE);
	read_file(path, text, sizeof(text));
	assert_int_equal(strlen(text), before);
	assert_int_equal(opfile_append(path, bytes, line, len), 0);
	assert_int_equal(opfile_load(path, &back, &damaged, &bytes, err, sizeof(err)), 0);
	assert_int_equal(damaged, 0);
	assert_int_equal(bytes, before + len);
	assert_int_equal(back.n_rs, 1);
	assert_int_equal(back.rs[0].weight, 6);
	assert_int_equal(back.rs[0].admin, ADMIN_NONE);
	opstate_free(&back);
	len = opstate_format_rs(&v, "del", line);
	assert_memory_equal(line, "del web 10.0.0.51:80\n", len);
	assert_int_equal(opfile_append(path, bytes, line, len), 0);
	assert_int_equal(opfile_load(path, &back, &damaged, &bytes, err, sizeof(err)), 0);
	assert_int_equal(back.n_rs, 0);
	opstate_free(&back);
	opstate_free(&s);
}

/* Issue 14 goal 6: removing an entry moved every later one and rebuilt
 * the index (O(n)): 100,000 removals were 10^10 steps. Now the last
 * entry takes the place (O(1)); the index stays right throughout. CPU
 * bound as above: quadratic would take minutes. */
static void removals_stay_o1_with_100000_entries(void **state)
{
	enum { N = 100000 };
	char *text = malloc((size_t)N * 64), *t = text;
	struct opstate s, keys;
	clock_t c0 = clock();
	double cpu;

	(void)state;
	assert_non_null(text);
	for (int i = 0; i < N; i++)
		t += sprintf(t, "rs v%d 10.%d.%d.%d:80 cfgweight=%d\n", i % 7,
			     i / 62500, (i / 250) % 250, i % 250, i);
	assert_int_equal(opstate_parse(text, (size_t)(t - text), &s, warn, NULL), 0);
	assert_int_equal(opstate_copy(&keys, &s), 0);
	for (int i = 0; i < N; i++) {
		/* every 7th from the front, the others in file order */
		const struct opstate_rs *k = &keys.rs[(size_t)i * 7 % N];
		struct opstate_rs *r = opstate_find_rs(&s, k->vs, &k->addr, k->port);

		assert_non_null(r);
		assert_int_equal(r->cfg_weight, k->cfg_weight);
		opstate_del_rs(&s, r);
		assert_null(opstate_find_rs(&s, k->vs, &k->addr, k->port));
		if (i % 9973 == 0)
			for (size_t j = 0; j < s.n_rs; j++)
				assert_ptr_equal(opstate_find_rs(&s, s.rs[j].vs,
								 &s.rs[j].addr,
								 s.rs[j].port),
						 &s.rs[j]);
	}
	assert_int_equal(s.n_rs, 0);
	cpu = (double)(clock() - c0) / CLOCKS_PER_SEC;
	print_message("100,000 entries removed one by one: %.2f s CPU\n", cpu);
	assert_true(cpu < 10.0);
	opstate_free(&keys);
	opstate_free(&s);
	free(text);
}

/* Runtime objects (lvsctl add-vs / add-rs): added, replaced in place,
 * removed; a record of another version, a bad key, a name too long or a
 * line cut short is damaged; save then load gives the same list. */
static void runtime_records(void **state)
{
	struct opstate s, back;
	char path[] = "/tmp/lvsd-test-rt.XXXXXX";
	unsigned damaged;
	size_t bytes;
	char err[128];
	int fd;

	(void)state;
	n_warned = 0;
	assert_int_equal(opstate_parse(TEXT(
		"runtime-vs 1 api address=192.168.0.31:443 scheduler=rr\n"
		"runtime-rs 1 api 10.0.1.1:443 weight=2 check=TCP connect_timeout=1\n"
		"runtime-rs 1 web [2001:db8::5]:80\n"
		"runtime-vs 2 future address=1.2.3.4:80\n"        /* 4: version */
		"runtime-rs 1 api 10.0.1.2:443 Bad=1\n"           /* 5: key */
		"runtime-rs 1 api 10.0.1.2:443 weight= \n"        /* 6: value */
		"runtime-vs 1 a/b address=1.2.3.4:80\n"           /* 7: name */
		"runtime-del 1 rs web [2001:db8::5]:80\n"
		"runtime-del 1 vs\n"                              /* 9: words */
		"runtime-vs 1 api address=192.168.0.31:443 scheduler=wrr\n"
		"runtime-rs 1 api 10.0.1.3:443\n"
		"runtime-rs 1 api 10.0.1.9:443 weight=1"),          /* 12: no \n */
		&s, warn, NULL), 6);
	assert_int_equal(n_warned, 6);
	assert_int_equal(warned[0], 4);
	assert_int_equal(warned[1], 5);
	assert_int_equal(warned[2], 6);
	assert_int_equal(warned[3], 7);
	assert_int_equal(warned[4], 9);
	assert_int_equal(warned[5], 12);
	assert_int_equal(s.n_rt, 3);
	assert_int_equal(s.rt[0].kind, OPSTATE_RT_VS);
	assert_string_equal(s.rt[0].vs, "api");
	/* replaced in place: the order stays */
	assert_string_equal(s.rt[0].kv, "address=192.168.0.31:443 scheduler=wrr");
	assert_int_equal(s.rt[1].kind, OPSTATE_RT_RS);
	assert_int_equal(s.rt[1].port, 443);
	assert_string_equal(s.rt[1].kv, "weight=2 check=TCP connect_timeout=1");
	assert_string_equal(s.rt[2].kv, "");
	assert_int_equal(s.rt[2].addr.u.v4.s_addr, inet_addr("10.0.1.3"));
	/* a round trip through the file */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(opfile_save(path, &s, NULL), 0);
	assert_int_equal(opfile_load(path, &back, &damaged, &bytes, err,
				     sizeof(err)), 0);
	assert_int_equal(damaged, 0);
	assert_int_equal(back.n_rt, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(back.rt[i].kind, s.rt[i].kind);
		assert_string_equal(back.rt[i].vs, s.rt[i].vs);
		assert_string_equal(back.rt[i].kv, s.rt[i].kv);
		assert_int_equal(back.rt[i].port, s.rt[i].port);
	}
	/* a file of runtime records only is a state file */
	opstate_free(&back);
	unlink(path);
	opstate_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_records_and_skips_damage),
		cmocka_unit_test(nul_byte_is_a_damaged_line),
		cmocka_unit_test(damaged_lines_name_the_value),
		cmocka_unit_test(addrport_forms),
		cmocka_unit_test(load_refuses_what_is_not_a_file),
		cmocka_unit_test(save_follows_no_planted_symlink),
		cmocka_unit_test(save_then_load),
		cmocka_unit_test(lookups_stay_o1_with_100000_entries),
		cmocka_unit_test(journal_lines),
		cmocka_unit_test(append_then_load),
		cmocka_unit_test(removals_stay_o1_with_100000_entries),
		cmocka_unit_test(runtime_records),
	};

	return cmocka_run_group_tests_name("operator state", tests, mk_tmpdir,
					   rm_tmpdir);
}
