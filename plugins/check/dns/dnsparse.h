/* dnsparse.h — the DNS_CHECK checker's wire format: build one query
 * (RFC 1035 §4) and judge the answer to it: is it ours (ID, QR bit, the
 * same question), its RCODE, and how many records of the asked type
 * (class IN) its answer section holds. Pure: no I/O, no allocation;
 * every length and pointer of the answer is bounds-checked (a fuzz
 * target, tests/fuzz/fuzz_dns.c). */
#ifndef LVSD_CHECK_DNSPARSE_H
#define LVSD_CHECK_DNSPARSE_H

#include <stddef.h>
#include <stdint.h>

#define DNS_NAME_MAX 255   /* wire length of a name */
#define DNS_QUERY_MAX 512  /* a query always fits */

/* "A", "aaaa", "TYPE65" -> 1, 28, 65; -1 if unknown. */
int dns_type_parse(const char *s);
/* 1 -> "A"; "TYPE65" style into buf for others. */
const char *dns_type_str(int type, char *buf, size_t len);

/* "www.example.com", "example.com.", "." -> wire form in out (at least
 * DNS_NAME_MAX bytes). Returns its length, or -EINVAL (empty label, a
 * label over 63 bytes, a name over 255, a blank or a backslash). */
int dns_name_wire(const char *name, uint8_t *out);

/* The query: header (ID, RD set), one question (qname wire form, type,
 * class IN). Returns its length (<= DNS_QUERY_MAX). */
size_t dns_query_build(uint8_t *buf, uint16_t id, const uint8_t *qname,
		       size_t qlen, uint16_t type);

enum dns_rc {
	DNS_ANSWER = 0,   /* ours and well formed: see rcode, matches, tc */
	DNS_NOT_OURS = 1, /* another ID, not a response, another question */
	DNS_BAD = -1,     /* ours (or unreadable) but malformed: see why */
};

struct dns_answer {
	int rcode;          /* 0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN, ... */
	int tc;             /* truncated */
	unsigned matches;   /* answer records of the asked type, class IN */
	unsigned ancount;
	const char *why;    /* DNS_BAD: static text */
};

/* Judge one datagram as the answer to (id, qname, type). */
enum dns_rc dns_answer_parse(const uint8_t *msg, size_t len, uint16_t id,
			     const uint8_t *qname, size_t qlen, uint16_t type,
			     struct dns_answer *out);

/* "NOERROR", "SERVFAIL", ... or "RCODE 12" into buf. */
const char *dns_rcode_str(int rcode, char *buf, size_t len);

#endif
