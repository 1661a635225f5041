/* fuzz_agent.c — libFuzzer target for the AGENT checker's reply parser:
 * the input is collected whole and in pieces whose sizes come from the
 * first byte; both must agree, the line never passes its limit, and a
 * parsed reply is always sane (factor in [0,1], a known hint, text
 * ended). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../plugins/check/agent/agentparse.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static enum agent_feed_rc collect(struct agent_line *l, const uint8_t *d,
				  size_t n, unsigned step)
{
	enum agent_feed_rc rc = AGENT_MORE;
	size_t off = 0;

	agent_line_init(l);
	while (off < n && rc == AGENT_MORE) {
		size_t k = step ? step : n;

		if (k > n - off)
			k = n - off;
		rc = agent_line_feed(l, d + off, k);
		off += k;
		if (l->n >= AGENT_LINE_MAX)
			abort();
	}
	return rc == AGENT_MORE ? agent_line_eof(l) : rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct agent_line a, b;
	struct agent_reply r;
	enum agent_feed_rc ra, rb;
	char err[80];
	unsigned step;

	if (size < 1)
		return 0;
	step = data[0] % 17;
	data++;
	size--;
	ra = collect(&a, data, size, 0);
	rb = collect(&b, data, size, step);
	if (ra != rb || (ra == AGENT_LINE && (a.n != b.n || memcmp(a.buf, b.buf, a.n))))
		abort();
	if (ra != AGENT_LINE)
		return 0;
	if (agent_parse(a.buf, a.n, size, &r, err, sizeof(err)) == 0) {
		if (!(r.factor >= 0.0 && r.factor <= 1.0) ||
		    (unsigned)r.hint > LVSD_AGENT_DRAIN ||
		    memchr(r.text, '\0', sizeof(r.text)) == NULL)
			abort();
	} else if (!err[0] || !memchr(err, '\0', sizeof(err))) {
		abort();
	}
	return 0;
}
