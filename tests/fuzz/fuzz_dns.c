/* fuzz_dns.c — libFuzzer target for the DNS_CHECK checker's answer
 * parser: any datagram, judged as the answer to a query for a name and
 * type taken from the first bytes (and to the query made from them, so
 * that the ID and question match often). Must not read out of bounds or
 * loop; a verdict is always sane (a rcode of 4 bits, no more matches than
 * answer records, a reason when malformed). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../plugins/check/dns/dnsparse.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void judge(const uint8_t *msg, size_t len, uint16_t id,
		  const uint8_t *qname, size_t qlen, uint16_t type)
{
	struct dns_answer a;
	enum dns_rc rc = dns_answer_parse(msg, len, id, qname, qlen, type, &a);

	if (rc == DNS_BAD && !a.why)
		abort();
	if (rc == DNS_ANSWER && (a.rcode < 0 || a.rcode > 15 || a.matches > a.ancount))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { ".", "example.test", "www.Example.TEST",
					     "a.b.c.d.e" };
	uint8_t qname[DNS_NAME_MAX], msg[65536];
	uint16_t type, id;
	int qlen;

	if (size < 4)
		return 0;
	qlen = dns_name_wire(names[data[0] % 4], qname);
	type = (uint16_t)(data[1] % 2 ? 1 : data[1]);
	id = (uint16_t)(data[2] << 8 | data[3]);
	data += 4;
	size -= 4;
	if (qlen <= 0 || size > sizeof(msg))
		return 0;
	/* as it came */
	judge(data, size, id, qname, (size_t)qlen, type);
	/* after our own header and question, so that the records get read */
	{
		size_t q = dns_query_build(msg, id, qname, (size_t)qlen, type);

		if (q + size > sizeof(msg))
			return 0;
		msg[2] |= 0x80; /* QR */
		if (size >= 2) {
			msg[6] = data[0] & 0x3; /* ANCOUNT 0..3*256+.. */
			msg[7] = data[1];
			msg[3] = data[0] >> 4; /* RCODE */
		}
		memcpy(msg + q, data, size);
		judge(msg, q + size, id, qname, (size_t)qlen, type);
	}
	return 0;
}
