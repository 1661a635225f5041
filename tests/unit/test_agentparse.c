/* test_agentparse.c — the AGENT checker's reply parser: every word of the
 * protocol, the line collector (split, CRLF, EOF, oversized) and every
 * refusal. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../plugins/check/agent/agentparse.h"

struct row {
	const char *line;
	uint32_t config_weight;
	int rc;
	int has_factor;
	double factor;
	enum lvsd_agent_hint hint;
	const char *text; /* or, for a refusal, a part of the reason */
};

static const struct row rows[] = {
	{ "75%", 10, 0, 1, 0.75, LVSD_AGENT_NONE, "" },
	{ "50%", 10, 0, 1, 0.5, LVSD_AGENT_NONE, "" },
	{ "0%", 10, 0, 1, 0.0, LVSD_AGENT_NONE, "" },
	{ "100%", 10, 0, 1, 1.0, LVSD_AGENT_NONE, "" },
	{ "150%", 10, 0, 1, 1.0, LVSD_AGENT_NONE, "" }, /* capped */
	{ "weight:5", 20, 0, 1, 0.25, LVSD_AGENT_NONE, "" },
	{ "WEIGHT:40", 20, 0, 1, 1.0, LVSD_AGENT_NONE, "" },
	{ "weight:3", 0, 0, 1, 1.0, LVSD_AGENT_NONE, "" },
	{ "drain", 1, 0, 0, 1.0, LVSD_AGENT_DRAIN, "" },
	{ "up", 1, 0, 0, 1.0, LVSD_AGENT_UP, "" },
	{ "ready", 1, 0, 0, 1.0, LVSD_AGENT_UP, "" },
	{ "down", 1, 0, 0, 1.0, LVSD_AGENT_DOWN, "" },
	{ "DOWN", 1, 0, 0, 1.0, LVSD_AGENT_DOWN, "" },
	{ "fail", 1, 0, 0, 1.0, LVSD_AGENT_DOWN, "" },
	{ "stopped", 1, 0, 0, 1.0, LVSD_AGENT_DOWN, "" },
	{ "up 50%", 1, 0, 1, 0.5, LVSD_AGENT_UP, "" },
	{ "50%,drain", 1, 0, 1, 0.5, LVSD_AGENT_DRAIN, "" },
	{ "  up\t 25% ", 1, 0, 1, 0.25, LVSD_AGENT_UP, "" },
	{ "up drain", 1, 0, 0, 1.0, LVSD_AGENT_DRAIN, "" }, /* the last counts */
	{ "10% 20%", 1, 0, 1, 0.2, LVSD_AGENT_NONE, "" },
	{ "drain #maintenance at 3pm ", 1, 0, 0, 1.0, LVSD_AGENT_DRAIN,
	  "maintenance at 3pm" },
	{ "up#ok", 1, 0, 0, 1.0, LVSD_AGENT_UP, "ok" },
	{ "75% # " "a very long text that goes on and on beyond sixty-four characters, cut", 1,
	  0, 1, 0.75, LVSD_AGENT_NONE,
	  "a very long text that goes on and on beyond sixty-four characte" },
	/* refusals */
	{ "", 1, -EINVAL, 0, 0, 0, "empty reply" },
	{ "   ", 1, -EINVAL, 0, 0, 0, "empty reply" },
	{ "#only text", 1, -EINVAL, 0, 0, 0, "empty reply" },
	{ "maybe", 1, -EINVAL, 0, 0, 0, "unknown word 'maybe'" },
	{ "up sideways", 1, -EINVAL, 0, 0, 0, "unknown word 'sideways'" },
	{ "%", 1, -EINVAL, 0, 0, 0, "unknown word '%'" },
	{ "x%", 1, -EINVAL, 0, 0, 0, "bad percentage 'x%'" },
	{ "-5%", 1, -EINVAL, 0, 0, 0, "bad percentage" },
	{ "5.5%", 1, -EINVAL, 0, 0, 0, "bad percentage" },
	{ "99999999999%", 1, -EINVAL, 0, 0, 0, "bad percentage" },
	{ "weight:", 1, -EINVAL, 0, 0, 0, "unknown word 'weight:'" },
	{ "weight:x", 1, -EINVAL, 0, 0, 0, "bad weight 'weight:x'" },
	{ "weight:-1", 1, -EINVAL, 0, 0, 0, "bad weight" },
	{ "up\x01", 1, -EINVAL, 0, 0, 0, "control character 0x01" },
	{ "up\x7f", 1, -EINVAL, 0, 0, 0, "control character 0x7f" },
};

static void table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *w = &rows[i];
		struct agent_reply r;
		char err[80];
		int rc = agent_parse(w->line, strlen(w->line), w->config_weight,
				     &r, err, sizeof(err));

		if (rc != w->rc)
			fail_msg("'%s': rc %d, want %d (%s)", w->line, rc, w->rc, err);
		if (rc < 0) {
			if (!strstr(err, w->text))
				fail_msg("'%s': reason '%s', want '%s'", w->line, err,
					 w->text);
			continue;
		}
		if (r.has_factor != w->has_factor || r.hint != w->hint ||
		    (r.has_factor && (r.factor < w->factor - 1e-9 ||
				      r.factor > w->factor + 1e-9)) ||
		    strcmp(r.text, w->text) != 0)
			fail_msg("'%s': got factor %d/%g hint %d text '%s'", w->line,
				 r.has_factor, r.factor, r.hint, r.text);
	}
}

static void nul_byte(void **state)
{
	struct agent_reply r;
	char err[80];

	(void)state;
	assert_int_equal(agent_parse("up\0down", 7, 1, &r, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "0x00"));
}

static void line_collector(void **state)
{
	struct agent_line l;
	char big[AGENT_LINE_MAX + 10];

	(void)state;
	agent_line_init(&l);
	assert_int_equal(agent_line_feed(&l, "7", 1), AGENT_MORE);
	assert_int_equal(agent_line_feed(&l, "5%\r", 3), AGENT_MORE);
	assert_int_equal(agent_line_feed(&l, "\nignored", 8), AGENT_LINE);
	assert_string_equal(l.buf, "75%");
	/* EOF ends a line; EOF with nothing is no answer */
	agent_line_init(&l);
	assert_int_equal(agent_line_eof(&l), AGENT_MORE);
	assert_int_equal(agent_line_feed(&l, "drain", 5), AGENT_MORE);
	assert_int_equal(agent_line_eof(&l), AGENT_LINE);
	assert_string_equal(l.buf, "drain");
	/* exactly the limit without a newline: oversized */
	memset(big, 'a', sizeof(big));
	agent_line_init(&l);
	assert_int_equal(agent_line_feed(&l, big, AGENT_LINE_MAX - 1), AGENT_MORE);
	assert_int_equal(agent_line_feed(&l, big, 1), AGENT_TOO_LONG);
	agent_line_init(&l);
	assert_int_equal(agent_line_feed(&l, big, sizeof(big)), AGENT_TOO_LONG);
	/* the limit, then a newline in the same read: still oversized */
	agent_line_init(&l);
	big[AGENT_LINE_MAX] = '\n';
	assert_int_equal(agent_line_feed(&l, big, AGENT_LINE_MAX + 1), AGENT_TOO_LONG);
	/* one under the limit with its newline: a line */
	agent_line_init(&l);
	big[AGENT_LINE_MAX - 1] = '\n';
	assert_int_equal(agent_line_feed(&l, big, AGENT_LINE_MAX), AGENT_LINE);
	assert_int_equal(l.n, AGENT_LINE_MAX - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table),
		cmocka_unit_test(nul_byte),
		cmocka_unit_test(line_collector),
	};

	return cmocka_run_group_tests_name("agent reply parser", tests, NULL, NULL);
}
