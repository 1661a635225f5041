/* test_opstate.c — the operator state file: records, damaged lines,
 * a save/load round trip. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "opstate.h"

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
	assert_int_equal(opstate_parse(
		"# comment\n"
		"rs web 10.0.0.51:80 cfgweight=1 weight=3 admin=drain\n"
		"rs web [2001:db8::5]:80 cfgweight=2\n"
		"rs web 10.0.0.52 cfgweight=1\n"          /* 4: no port */
		"rs web 10.0.0.53:80 cfgweight=x\n"       /* 5: bad number */
		"owned TCP 192.168.0.30:80\n"
		"owned FWM 42 inet6\n"
		"owned GRE 1.2.3.4:5\n"                   /* 8: bad protocol */
		"bogus\n"                                 /* 9 */
		"rs web 10.0.0.51:80 cfgweight=1\n",      /* 10: duplicate */
		&s, warn, NULL), 0);
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

static void save_then_load(void **state)
{
	char path[] = "/tmp/lvsd-opstate-XXXXXX";
	struct opstate s = { 0 }, back;
	struct opstate_owned o = { .af = AF_INET, .fwmark = 7 };
	struct lvsd_addr a;
	uint16_t p;
	struct opstate_rs *r;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(opstate_parse_addrport("[2001:db8::9]:443", &a, &p), 0);
	r = opstate_get_rs(&s, "tls", &a, p);
	r->cfg_weight = 4;
	r->admin = ADMIN_DISABLED;
	assert_int_equal(opstate_set_owned(&s, &o, 1), 0);
	assert_int_equal(opstate_save(path, &s), 0);
	assert_int_equal(opstate_load(path, &back), 0);
	assert_int_equal(back.n_rs, 1);
	assert_string_equal(back.rs[0].vs, "tls");
	assert_int_equal(back.rs[0].port, 443);
	assert_int_equal(back.rs[0].cfg_weight, 4);
	assert_int_equal(back.rs[0].has_weight, 0);
	assert_int_equal(back.rs[0].admin, ADMIN_DISABLED);
	assert_int_equal(back.n_owned, 1);
	assert_int_equal(back.owned[0].fwmark, 7);
	opstate_del_rs(&back, &back.rs[0]);
	assert_int_equal(back.n_rs, 0);
	opstate_free(&s);
	opstate_free(&back);
	unlink(path);
	/* A missing file is an empty state, not an error. */
	assert_int_equal(opstate_load(path, &back), 0);
	assert_int_equal(back.n_rs, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_records_and_skips_damage),
		cmocka_unit_test(addrport_forms),
		cmocka_unit_test(save_then_load),
	};

	return cmocka_run_group_tests_name("operator state", tests, NULL, NULL);
}
