/* cfgval.c — parsers of single configuration values; see cfgval.h. */
#include "cfgval.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

int cfgval_bool(const char *s, bool *out)
{
	static const char *const yes[] = {"yes", "true", "on", "1"};
	static const char *const no[] = {"no", "false", "off", "0"};

	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

/* Digits only, into *v; -EINVAL on overflow past UINT64_MAX/10. */
static int digits(const char **sp, uint64_t *v, unsigned *ndig)
{
	const char *s = *sp;
	uint64_t x = 0;
	unsigned n = 0;

	while (*s >= '0' && *s <= '9') {
		if (x > (UINT64_MAX - 9) / 10)
			return -EINVAL;
		x = x * 10 + (uint64_t)(*s - '0');
		s++;
		n++;
	}
	*sp = s;
	*v = x;
	*ndig = n;
	return 0;
}

int cfgval_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t v;
	unsigned n;

	if (digits(&s, &v, &n) || !n || *s || v < min || v > max)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

int cfgval_duration_ms(const char *s, uint32_t max_ms, uint32_t *out)
{
	uint64_t ip, fp = 0, unit, total, fdiv = 1;
	unsigned ni, nf = 0;

	if (digits(&s, &ip, &ni) || ip > UINT32_MAX)
		return -EINVAL;
	if (*s == '.') {
		s++;
		/* at most 9 fraction digits: enough for any unit here */
		const char *f = s;
		if (digits(&s, &fp, &nf) || nf == 0 || s - f > 9)
			return -EINVAL;
		for (unsigned i = 0; i < nf; i++)
			fdiv *= 10;
	}
	if (!ni && !nf)
		return -EINVAL;
	if (*s == '\0' || strcmp(s, "s") == 0)
		unit = 1000;
	else if (strcmp(s, "ms") == 0)
		unit = 1;
	else if (strcmp(s, "m") == 0)
		unit = 60000;
	else if (strcmp(s, "h") == 0)
		unit = 3600000;
	else
		return -EINVAL;
	/* ip <= 2^32, unit <= 3600000: no overflow */
	total = ip * unit;
	if ((fp * unit) % fdiv)
		return -EINVAL; /* finer than a millisecond */
	total += fp * unit / fdiv;
	if (total > max_ms)
		return -EINVAL;
	*out = (uint32_t)total;
	return 0;
}

int cfgval_addr(const char *s, struct lvsd_addr *out)
{
	char buf[INET6_ADDRSTRLEN + 2];
	size_t len = strlen(s);

	memset(out, 0, sizeof(*out));
	if (len >= 2 && s[0] == '[' && s[len - 1] == ']') {
		if (len - 2 >= sizeof(buf))
			return -EINVAL;
		memcpy(buf, s + 1, len - 2);
		buf[len - 2] = '\0';
		if (inet_pton(AF_INET6, buf, &out->u.v6) != 1)
			return -EINVAL;
		out->family = AF_INET6;
		return 0;
	}
	if (inet_pton(AF_INET, s, &out->u.v4) == 1) {
		out->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &out->u.v6) == 1) {
		out->family = AF_INET6;
		return 0;
	}
	memset(out, 0, sizeof(*out));
	return -EINVAL;
}

int cfgval_addrport(const char *s, bool port_optional, struct lvsd_addr *addr,
		    uint16_t *port, bool *has_port)
{
	char buf[INET6_ADDRSTRLEN + 2];
	const char *colon = NULL;
	size_t alen;
	uint32_t p;

	*has_port = false;
	*port = 0;
	if (s[0] == '[') {
		const char *rb = strchr(s, ']');

		if (!rb)
			return -EINVAL;
		alen = (size_t)(rb - s) + 1;
		if (rb[1] == ':')
			colon = rb + 1;
		else if (rb[1] != '\0')
			return -EINVAL;
	} else {
		const char *c = strchr(s, ':');

		if (c && strchr(c + 1, ':')) {
			/* a bare IPv6 address: no port possible */
			alen = strlen(s);
		} else {
			colon = c;
			alen = c ? (size_t)(c - s) : strlen(s);
		}
	}
	if (alen >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	if (cfgval_addr(buf, addr))
		return -EINVAL;
	if (!colon) {
		if (!port_optional)
			return -EINVAL;
		return 0;
	}
	if (cfgval_u32(colon + 1, 1, 65535, &p))
		return -EINVAL;
	*port = (uint16_t)p;
	*has_port = true;
	return 0;
}

int cfgval_addr_prefix(const char *s, struct lvsd_addr *addr,
		       uint8_t *prefix)
{
	char buf[INET6_ADDRSTRLEN + 2];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	uint32_t p;

	if (alen >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	if (cfgval_addr(buf, addr))
		return -EINVAL;
	if (!slash) {
		*prefix = addr->family == AF_INET ? 32 : 128;
		return 0;
	}
	if (cfgval_u32(slash + 1, 1, addr->family == AF_INET ? 32 : 128, &p))
		return -EINVAL;
	*prefix = (uint8_t)p;
	return 0;
}

int cfgval_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= MODEL_NAME_MAX)
		return -EINVAL;
	for (const char *c = s; *c; c++)
		if (!isalnum((unsigned char)*c) && !strchr("_.-", *c))
			return -EINVAL;
	return 0;
}

int cfgval_ifname(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= MODEL_IFNAME_MAX || strcmp(s, ".") == 0 ||
	    strcmp(s, "..") == 0)
		return -EINVAL;
	for (const char *c = s; *c; c++)
		if (*c == '/' || *c == ':' || isspace((unsigned char)*c) ||
		    !isprint((unsigned char)*c))
			return -EINVAL;
	return 0;
}

int cfgval_argv(const char *s, struct model_strv *out, char *err,
		size_t errlen)
{
	const char *orig = s;
	size_t len = strlen(s);
	char *word = malloc(len + 1);
	size_t start_n = out->n;
	int rc = 0;

	if (!word)
		return -ENOMEM;
	while (*s) {
		size_t w = 0;
		bool in_word = false;

		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		while (*s && *s != ' ' && *s != '\t') {
			char q = *s;

			if (q == '"' || q == '\'') {
				const char *open = s++;
				size_t before = w;

				while (*s && *s != q) {
					if (q == '"' && *s == '\\' &&
					    (s[1] == '"' || s[1] == '\\'))
						s++;
					word[w++] = *s++;
				}
				if (!*s) {
					snprintf(err, errlen,
						 "unterminated %s quote at column %zu",
						 q == '"' ? "double" : "single",
						 (size_t)(open - orig) + 1);
					rc = -EINVAL;
					goto out;
				}
				if (w == before) {
					snprintf(err, errlen, "empty quotes %c%c",
						 q, q);
					rc = -EINVAL;
					goto out;
				}
				s++;
			} else if (q == '\\' && s[1]) {
				word[w++] = s[1];
				s += 2;
			} else {
				word[w++] = *s++;
			}
			in_word = true;
		}
		if (in_word) {
			word[w] = '\0';
			rc = model_strv_push(out, word);
			if (rc)
				goto out;
		}
	}
	if (out->n == start_n) {
		snprintf(err, errlen, "empty command");
		rc = -EINVAL;
	}
out:
	if (rc) {
		while (out->n > start_n) {
			free(out->v[--out->n]);
			out->v[out->n] = NULL;
		}
	}
	free(word);
	return rc;
}

int cfgval_words(const char *s, struct model_strv *out)
{
	while (*s) {
		size_t n;
		char w[256];

		s += strspn(s, " \t,");
		n = strcspn(s, " \t,");
		if (!n)
			break;
		if (n >= sizeof(w))
			return -EINVAL;
		memcpy(w, s, n);
		w[n] = '\0';
		if (model_strv_push(out, w))
			return -ENOMEM;
		s += n;
	}
	return 0;
}
