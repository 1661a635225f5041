/* agentparse.c — the AGENT checker's reply parser (see agentparse.h). */
#include "agentparse.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

void agent_line_init(struct agent_line *l)
{
	l->n = 0;
	l->buf[0] = '\0';
}

enum agent_feed_rc agent_line_feed(struct agent_line *l, const void *data,
				   size_t len)
{
	const char *d = data;

	for (size_t i = 0; i < len; i++) {
		if (d[i] == '\n') {
			if (l->n && l->buf[l->n - 1] == '\r')
				l->n--;
			l->buf[l->n] = '\0';
			return AGENT_LINE;
		}
		if (l->n == AGENT_LINE_MAX - 1) /* room for the newline only */
			return AGENT_TOO_LONG;
		l->buf[l->n++] = d[i];
	}
	return AGENT_MORE;
}

enum agent_feed_rc agent_line_eof(struct agent_line *l)
{
	if (!l->n)
		return AGENT_MORE;
	if (l->buf[l->n - 1] == '\r')
		l->n--;
	l->buf[l->n] = '\0';
	return AGENT_LINE;
}

static int is_sep(char c)
{
	return c == ' ' || c == '\t' || c == ',';
}

/* A decimal number of at most 10 digits into *v; 0 or -EINVAL. */
static int number(const char *s, size_t n, uint64_t *v)
{
	if (n == 0 || n > 10)
		return -EINVAL;
	*v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		*v = *v * 10 + (uint64_t)(s[i] - '0');
	}
	return 0;
}

static int word(const char *w, size_t n, uint32_t config_weight,
		struct agent_reply *out, char *err, size_t errlen)
{
	static const struct {
		const char *name;
		enum lvsd_agent_hint hint;
	} states[] = {
		{ "up", LVSD_AGENT_UP },       { "ready", LVSD_AGENT_UP },
		{ "down", LVSD_AGENT_DOWN },   { "fail", LVSD_AGENT_DOWN },
		{ "stopped", LVSD_AGENT_DOWN }, { "drain", LVSD_AGENT_DRAIN },
	};
	uint64_t v;

	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (strlen(states[i].name) == n &&
		    strncasecmp(w, states[i].name, n) == 0) {
			out->hint = states[i].hint;
			return 0;
		}
	if (n > 1 && w[n - 1] == '%') {
		if (number(w, n - 1, &v) < 0) {
			snprintf(err, errlen, "bad percentage '%.*s'", (int)(n > 32 ? 32 : n), w);
			return -EINVAL;
		}
		out->has_factor = 1;
		out->factor = v >= 100 ? 1.0 : (double)v / 100.0;
		return 0;
	}
	if (n > 7 && strncasecmp(w, "weight:", 7) == 0) {
		if (number(w + 7, n - 7, &v) < 0) {
			snprintf(err, errlen, "bad weight '%.*s'", (int)(n > 32 ? 32 : n), w);
			return -EINVAL;
		}
		out->has_factor = 1;
		out->factor = !config_weight || v >= config_weight
				      ? 1.0
				      : (double)v / (double)config_weight;
		return 0;
	}
	snprintf(err, errlen, "unknown word '%.*s'", (int)(n > 32 ? 32 : n), w);
	return -EINVAL;
}

int agent_parse(const char *line, size_t len, uint32_t config_weight,
		struct agent_reply *out, char *err, size_t errlen)
{
	size_t i = 0, words = 0;

	memset(out, 0, sizeof(*out));
	out->factor = 1.0;
	if (errlen)
		err[0] = '\0';
	for (size_t j = 0; j < len; j++) {
		unsigned char c = (unsigned char)line[j];

		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			snprintf(err, errlen, "control character 0x%02x in the reply", c);
			return -EINVAL;
		}
	}
	while (i < len) {
		size_t start;

		while (i < len && is_sep(line[i]))
			i++;
		if (i == len)
			break;
		if (line[i] == '#') { /* the rest is text for the logs */
			size_t a = i + 1, b = len, n;

			while (a < b && (line[a] == ' ' || line[a] == '\t'))
				a++;
			while (b > a && (line[b - 1] == ' ' || line[b - 1] == '\t'))
				b--;
			n = b - a < sizeof(out->text) - 1 ? b - a : sizeof(out->text) - 1;
			memcpy(out->text, line + a, n);
			out->text[n] = '\0';
			break;
		}
		start = i;
		while (i < len && !is_sep(line[i]) && line[i] != '#')
			i++;
		if (word(line + start, i - start, config_weight, out, err, errlen) < 0)
			return -EINVAL;
		words++;
	}
	if (!words) {
		snprintf(err, errlen, "empty reply");
		return -EINVAL;
	}
	return 0;
}
