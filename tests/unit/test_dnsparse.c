/* test_dnsparse.c — the DNS_CHECK checker's wire format: names to wire
 * form (and the refusals), the query, and the judgement of answers: a
 * good one, SERVFAIL/NXDOMAIN, no record of the type, CNAME chains, case,
 * compression, and everything that is not ours (ID, QR, another question)
 * or malformed (truncated records, pointer loops, forward pointers). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../plugins/check/dns/dnsparse.h"

struct msg {
	uint8_t b[1024];
	size_t n;
};

static void put(struct msg *m, const void *p, size_t n)
{
	memcpy(m->b + m->n, p, n);
	m->n += n;
}

static void put16(struct msg *m, unsigned v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	put(m, b, 2);
}

static void put_name(struct msg *m, const char *name)
{
	uint8_t w[DNS_NAME_MAX];
	int n = dns_name_wire(name, w);

	assert_true(n > 0);
	put(m, w, (size_t)n);
}

/* header + question */
static void head(struct msg *m, unsigned id, unsigned flags, unsigned an,
		 const char *qname, unsigned qtype)
{
	m->n = 0;
	put16(m, id);
	put16(m, flags);
	put16(m, 1);
	put16(m, an);
	put16(m, 0);
	put16(m, 0);
	put_name(m, qname);
	put16(m, qtype);
	put16(m, 1);
}

/* an answer record whose owner is a pointer to the question's name */
static void rr(struct msg *m, unsigned type, const void *rd, unsigned rdlen)
{
	put16(m, 0xc00c);
	put16(m, type);
	put16(m, 1);
	put16(m, 0);
	put16(m, 300);
	put16(m, rdlen);
	put(m, rd, rdlen);
}

static uint8_t qn[DNS_NAME_MAX];
static size_t ql;

static enum dns_rc judge(const struct msg *m, unsigned id, unsigned type,
			 struct dns_answer *a)
{
	return dns_answer_parse(m->b, m->n, (uint16_t)id, qn, ql, (uint16_t)type, a);
}

static int setup(void **state)
{
	(void)state;
	ql = (size_t)dns_name_wire("www.example.test", qn);
	return 0;
}

static void test_names(void **state)
{
	uint8_t w[DNS_NAME_MAX];
	char long_label[80], long_name[400];

	(void)state;
	assert_int_equal(dns_name_wire(".", w), 1);
	assert_int_equal(w[0], 0);
	assert_int_equal(dns_name_wire("example.test", w), 14);
	assert_memory_equal(w, "\7example\4test\0", 14);
	assert_int_equal(dns_name_wire("example.test.", w), 14);
	assert_int_equal(dns_name_wire("", w), -EINVAL);
	assert_int_equal(dns_name_wire("a..b", w), -EINVAL);
	assert_int_equal(dns_name_wire(".a", w), -EINVAL);
	assert_int_equal(dns_name_wire("a b.test", w), -EINVAL);
	assert_int_equal(dns_name_wire("a\\.b", w), -EINVAL);
	memset(long_label, 'a', 64);
	long_label[64] = '\0';
	assert_int_equal(dns_name_wire(long_label, w), -EINVAL);
	long_label[63] = '\0';
	assert_int_equal(dns_name_wire(long_label, w), 65);
	/* 4 x 63-byte labels: 256 bytes on the wire, one too many */
	snprintf(long_name, sizeof(long_name), "%s.%s.%s.%s", long_label, long_label,
		 long_label, long_label);
	assert_int_equal(dns_name_wire(long_name, w), -EINVAL);
}

static void test_types(void **state)
{
	char b[16];

	(void)state;
	assert_int_equal(dns_type_parse("A"), 1);
	assert_int_equal(dns_type_parse("aaaa"), 28);
	assert_int_equal(dns_type_parse("SOA"), 6);
	assert_int_equal(dns_type_parse("MX"), 15);
	assert_int_equal(dns_type_parse("TYPE65"), 65);
	assert_int_equal(dns_type_parse("TYPE0"), -1);
	assert_int_equal(dns_type_parse("TYPE255"), -1); /* ANY: no */
	assert_int_equal(dns_type_parse("TYPE70000"), -1);
	assert_int_equal(dns_type_parse("ANY"), -1);
	assert_int_equal(dns_type_parse("bogus"), -1);
	assert_string_equal(dns_type_str(28, b, sizeof(b)), "AAAA");
	assert_string_equal(dns_type_str(99, b, sizeof(b)), "TYPE99");
	assert_string_equal(dns_rcode_str(2, b, sizeof(b)), "SERVFAIL");
	assert_string_equal(dns_rcode_str(9, b, sizeof(b)), "RCODE 9");
}

static void test_query(void **state)
{
	uint8_t q[DNS_QUERY_MAX];
	size_t n = dns_query_build(q, 0xbeef, qn, ql, 28);

	(void)state;
	assert_int_equal(n, 12 + ql + 4);
	assert_int_equal(q[0], 0xbe);
	assert_int_equal(q[1], 0xef);
	assert_int_equal(q[2], 0x01); /* RD, not QR */
	assert_int_equal(q[5], 1);
	assert_memory_equal(q + 12, qn, ql);
	assert_int_equal(q[12 + ql + 1], 28);
	assert_int_equal(q[12 + ql + 3], 1);
}

static void test_good(void **state)
{
	struct msg m;
	struct dns_answer a;
	static const uint8_t v4[4] = { 10, 0, 0, 1 };

	(void)state;
	head(&m, 7, 0x8180, 3, "www.example.test", 1);
	rr(&m, 5, "\3cdn\0", 5); /* a CNAME first */
	rr(&m, 1, v4, 4);
	rr(&m, 1, v4, 4);
	assert_int_equal(judge(&m, 7, 1, &a), DNS_ANSWER);
	assert_int_equal(a.rcode, 0);
	assert_int_equal(a.matches, 2);
	assert_int_equal(a.ancount, 3);
	/* the question in another case is still ours (0x20 randomization) */
	head(&m, 7, 0x8180, 1, "WWW.Example.TEST", 1);
	rr(&m, 1, v4, 4);
	assert_int_equal(judge(&m, 7, 1, &a), DNS_ANSWER);
	assert_int_equal(a.matches, 1);
}

static void test_rcode_nodata(void **state)
{
	struct msg m;
	struct dns_answer a;

	(void)state;
	head(&m, 7, 0x8182, 0, "www.example.test", 1); /* SERVFAIL */
	assert_int_equal(judge(&m, 7, 1, &a), DNS_ANSWER);
	assert_int_equal(a.rcode, 2);
	head(&m, 7, 0x8183, 0, "www.example.test", 1); /* NXDOMAIN */
	assert_int_equal(judge(&m, 7, 1, &a), DNS_ANSWER);
	assert_int_equal(a.rcode, 3);
	/* FORMERR without the question: still an answer */
	m.n = 0;
	put16(&m, 7);
	put16(&m, 0x8181);
	for (int i = 0; i < 4; i++)
		put16(&m, 0);
	assert_int_equal(judge(&m, 7, 1, &a), DNS_ANSWER);
	assert_int_equal(a.rcode, 1);
	/* NOERROR, a TXT but no A */
	head(&m, 7, 0x8180, 1, "www.example.test", 1);
	rr(&m, 16, "\2hi", 3);
	assert_int_equal(judge(&m, 7, 1, &a), DNS_ANSWER);
	assert_int_equal(a.matches, 0);
	/* truncated (TC) and cut in a record: what came is counted */
	head(&m, 7, 0x8380, 2, "www.example.test", 16);
	rr(&m, 16, "\2hi", 3);
	put16(&m, 0xc00c);
	assert_int_equal(judge(&m, 7, 16, &a), DNS_ANSWER);
	assert_int_equal(a.tc, 1);
	assert_int_equal(a.matches, 1);
}

static void test_not_ours(void **state)
{
	struct msg m;
	struct dns_answer a;

	(void)state;
	head(&m, 8, 0x8180, 0, "www.example.test", 1);
	assert_int_equal(judge(&m, 7, 1, &a), DNS_NOT_OURS);        /* ID */
	head(&m, 7, 0x0100, 0, "www.example.test", 1);
	assert_int_equal(judge(&m, 7, 1, &a), DNS_NOT_OURS);        /* no QR */
	head(&m, 7, 0x8180, 0, "other.example.test", 1);
	assert_int_equal(judge(&m, 7, 1, &a), DNS_NOT_OURS);        /* name */
	head(&m, 7, 0x8180, 0, "www.example.test", 28);
	assert_int_equal(judge(&m, 7, 1, &a), DNS_NOT_OURS);        /* type */
	head(&m, 7, 0x8980, 0, "www.example.test", 1);
	assert_int_equal(judge(&m, 7, 1, &a), DNS_NOT_OURS);        /* opcode */
	m.n = 11;
	assert_int_equal(judge(&m, 7, 1, &a), DNS_NOT_OURS);        /* short */
}

static void test_malformed(void **state)
{
	struct msg m;
	struct dns_answer a;
	static const uint8_t v4[4] = { 10, 0, 0, 1 };

	(void)state;
	/* rdlength past the end */
	head(&m, 7, 0x8180, 1, "www.example.test", 1);
	rr(&m, 1, v4, 4);
	m.n -= 2;
	assert_int_equal(judge(&m, 7, 1, &a), DNS_BAD);
	assert_non_null(a.why);
	/* more records announced than present */
	head(&m, 7, 0x8180, 2, "www.example.test", 1);
	rr(&m, 1, v4, 4);
	assert_int_equal(judge(&m, 7, 1, &a), DNS_BAD);
	/* an owner name pointing to itself, and forward */
	head(&m, 7, 0x8180, 1, "www.example.test", 1);
	put16(&m, 0xc000 | (unsigned)m.n);
	assert_int_equal(judge(&m, 7, 1, &a), DNS_BAD);
	head(&m, 7, 0x8180, 1, "www.example.test", 1);
	put16(&m, 0xc000 | (unsigned)(m.n + 2));
	put16(&m, 0);
	assert_int_equal(judge(&m, 7, 1, &a), DNS_BAD);
	/* a question name that runs off the end */
	head(&m, 7, 0x8180, 0, "www.example.test", 1);
	m.n = 12 + 5;
	assert_int_equal(judge(&m, 7, 1, &a), DNS_BAD);
	/* an extended label type (0x40) */
	head(&m, 7, 0x8180, 1, "www.example.test", 1);
	put16(&m, 0x4100);
	assert_int_equal(judge(&m, 7, 1, &a), DNS_BAD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_query),
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_rcode_nodata),
		cmocka_unit_test(test_not_ours),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
