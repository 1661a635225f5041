/* dnsparse.c — DNS query and answer for DNS_CHECK (see dnsparse.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dnsparse.h"

static const struct {
	const char *name;
	int type;
} types[] = {
	{ "A", 1 }, { "NS", 2 }, { "CNAME", 5 }, { "SOA", 6 }, { "PTR", 12 },
	{ "MX", 15 }, { "TXT", 16 }, { "AAAA", 28 }, { "SRV", 33 },
	{ "NAPTR", 35 }, { "DS", 43 }, { "DNSKEY", 48 }, { "TLSA", 52 },
	{ "SVCB", 64 }, { "HTTPS", 65 }, { "CAA", 257 },
};

int dns_type_parse(const char *s)
{
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcasecmp(s, types[i].name))
			return types[i].type;
	if (!strncasecmp(s, "TYPE", 4) && s[4] >= '0' && s[4] <= '9') {
		char *end;
		long v = strtol(s + 4, &end, 10);

		if (!*end && v >= 1 && v <= 65535 && v != 255 /* ANY */)
			return (int)v;
	}
	return -1;
}

const char *dns_type_str(int type, char *buf, size_t len)
{
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (types[i].type == type)
			return types[i].name;
	snprintf(buf, len, "TYPE%d", type);
	return buf;
}

const char *dns_rcode_str(int rcode, char *buf, size_t len)
{
	static const char *const names[] = {
		"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
	};

	if (rcode >= 0 && rcode < 6)
		return names[rcode];
	snprintf(buf, len, "RCODE %d", rcode);
	return buf;
}

int dns_name_wire(const char *name, uint8_t *out)
{
	size_t n = 0;
	const char *p = name;

	if (!strcmp(name, ".")) {
		out[0] = 0;
		return 1;
	}
	while (*p) {
		const char *dot = strchr(p, '.');
		size_t l = dot ? (size_t)(dot - p) : strlen(p);

		if (l == 0 || l > 63 || n + 1 + l + 1 > DNS_NAME_MAX)
			return -EINVAL;
		for (size_t i = 0; i < l; i++)
			if ((unsigned char)p[i] <= ' ' || p[i] == '\\' || p[i] == 0x7f)
				return -EINVAL;
		out[n++] = (uint8_t)l;
		memcpy(out + n, p, l);
		n += l;
		p += l;
		if (*p == '.')
			p++;
	}
	if (n == 0)
		return -EINVAL;
	out[n++] = 0;
	return (int)n;
}

size_t dns_query_build(uint8_t *buf, uint16_t id, const uint8_t *qname,
		       size_t qlen, uint16_t type)
{
	memset(buf, 0, 12);
	buf[0] = (uint8_t)(id >> 8);
	buf[1] = (uint8_t)id;
	buf[2] = 0x01; /* RD: a resolver may answer too */
	buf[5] = 1;    /* QDCOUNT */
	memcpy(buf + 12, qname, qlen);
	buf[12 + qlen] = (uint8_t)(type >> 8);
	buf[13 + qlen] = (uint8_t)type;
	buf[14 + qlen] = 0;
	buf[15 + qlen] = 1; /* IN */
	return 16 + qlen;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Read the name at *off (compression allowed, pointers only backwards,
 * at most 127 of them); write its lowercased wire form to out (NULL:
 * skip it) and move *off past it. 0, or -1 if malformed. */
static int read_name(const uint8_t *msg, size_t len, size_t *off, uint8_t *out,
		     size_t *outlen)
{
	size_t p = *off, n = 0, end = 0;
	int jumps = 0;

	for (;;) {
		uint8_t l;

		if (p >= len)
			return -1;
		l = msg[p];
		if ((l & 0xc0) == 0xc0) {
			size_t to;

			if (p + 1 >= len || ++jumps > 127)
				return -1;
			to = (size_t)(l & 0x3f) << 8 | msg[p + 1];
			if (!end)
				end = p + 2;
			if (to >= p)
				return -1; /* forward or self: a loop */
			p = to;
			continue;
		}
		if (l & 0xc0)
			return -1; /* 0x40, 0x80: extended labels, not allowed */
		if (n + 1 + l > DNS_NAME_MAX || p + 1 + l > len)
			return -1;
		if (out) {
			out[n] = l;
			for (size_t i = 0; i < l; i++) {
				uint8_t c = msg[p + 1 + i];

				out[n + 1 + i] = (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
			}
		}
		n += 1 + (size_t)l;
		p += 1 + (size_t)l;
		if (l == 0)
			break;
	}
	*off = end ? end : p;
	if (outlen)
		*outlen = n;
	return 0;
}

static int same_name(const uint8_t *a, size_t al, const uint8_t *b, size_t bl)
{
	if (al != bl)
		return 0;
	for (size_t i = 0; i < al; i++) {
		uint8_t x = a[i], y = b[i];

		if (x >= 'A' && x <= 'Z')
			x = (uint8_t)(x + 32);
		if (y >= 'A' && y <= 'Z')
			y = (uint8_t)(y + 32);
		if (x != y)
			return 0;
	}
	return 1;
}

enum dns_rc dns_answer_parse(const uint8_t *msg, size_t len, uint16_t id,
			     const uint8_t *qname, size_t qlen, uint16_t type,
			     struct dns_answer *out)
{
	uint8_t name[DNS_NAME_MAX];
	size_t off = 12, nl;
	unsigned qd;

	memset(out, 0, sizeof(*out));
	if (len < 12 || get16(msg) != id || !(msg[2] & 0x80))
		return DNS_NOT_OURS; /* too short to be ours, or not a response */
	if ((msg[2] >> 3 & 0xf) != 0)
		return DNS_NOT_OURS; /* not a standard query's response */
	out->tc = !!(msg[2] & 0x02);
	out->rcode = msg[3] & 0x0f;
	qd = get16(msg + 4);
	out->ancount = get16(msg + 6);
	/* A FORMERR or NOTIMP answer may come without the question. */
	if (qd == 0 && out->rcode != 0)
		return DNS_ANSWER;
	if (qd != 1) {
		out->why = "not one question in the answer";
		return DNS_NOT_OURS;
	}
	if (read_name(msg, len, &off, name, &nl) < 0 || off + 4 > len) {
		out->why = "malformed question";
		return DNS_BAD;
	}
	if (!same_name(name, nl, qname, qlen) || get16(msg + off) != type ||
	    get16(msg + off + 2) != 1)
		return DNS_NOT_OURS; /* an answer to another question */
	off += 4;
	if (out->rcode != 0)
		return DNS_ANSWER;
	for (unsigned i = 0; i < out->ancount; i++) {
		uint16_t rtype, rclass, rdlen;

		if (read_name(msg, len, &off, NULL, NULL) < 0 || off + 10 > len) {
			if (out->tc)
				break; /* cut short, as TC says: count what came */
			out->why = "malformed answer record";
			return DNS_BAD;
		}
		rtype = get16(msg + off);
		rclass = get16(msg + off + 2);
		rdlen = get16(msg + off + 8);
		off += 10;
		if (off + rdlen > len) {
			if (out->tc)
				break;
			out->why = "answer record longer than the message";
			return DNS_BAD;
		}
		if (rtype == type && rclass == 1)
			out->matches++;
		off += rdlen;
	}
	return DNS_ANSWER;
}
