#!/usr/bin/env bash
# tests/net/test_check_dns.sh — the DNS_CHECK checker against real DNS
# servers in a namespace: dnsmasq serving a zone this test writes (A,
# AAAA, MX, TXT, SOA, NXDOMAIN, a name without the asked type), a
# validating dnsmasq in front of it that cannot validate (SERVFAIL), a
# server that never answers (it must get the query three times) and a
# closed port (ICMP). Asserts the health, the detail in `lvsctl status`
# and the log line of each.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/checktest.sh
ck_begin plugins/check_dns.so -- dnsmasq socat
ns_exec be sysctl -qw net.ipv4.icmp_ratelimit=0 # every closed-port probe answered

# The zone, as dnsmasq writes zones: its own records, authoritative.
cat >"$T/zone.conf" <<EOF2
port=5301
listen-address=$BE
bind-interfaces
no-resolv
no-hosts
user=root
pid-file=
host-record=www.example.test,10.1.2.3,fd00::3
txt-record=txt.example.test,"hello"
mx-host=example.test,mail.example.test,10
auth-server=ns.example.test
auth-zone=example.test
EOF2
# A validating resolver for that zone: the zone is unsigned, the chain of
# trust from the root cannot be built, every answer is SERVFAIL.
cat >"$T/servfail.conf" <<EOF2
port=5303
listen-address=$BE
bind-interfaces
no-resolv
no-hosts
user=root
pid-file=
server=$BE#5301
dnssec
trust-anchor=.,20326,8,2,E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D
EOF2
zone_server() {
	NS_LOG=$T/zone.log ns_bg be dnsmasq -k -C "$T/zone.conf" --log-facility=-
	PID_ZONE=$NS_LAST_PID
}
zone_server
NS_LOG=$T/servfail.log ns_bg be dnsmasq -k -C "$T/servfail.conf" --log-facility=-
# never answers; keeps every query it gets
NS_LOG=$T/silent.log ns_bg be socat -u UDP4-RECV:5304,bind=$BE,reuseaddr OPEN:"$T/silent.bin",creat,append
udp_up() { ns_exec be ss -Hlun "sport = :$1" | grep -q .; }
for p in 5301 5303 5304; do wait_for 10 udp_up $p || { cat "$T"/*.log; fail "DNS server $p did not start"; }; done

rs() { # VS PORT TYPE NAME -> a real server section (name and type omitted if "-")
	echo "[real_server $1 $BE:$2]"
	echo "check = DNS_CHECK"
	[ "$3" = - ] || echo "type = $3"
	[ "$4" = - ] || echo "name = $4"
	echo
}
vs() { # NAME N
	printf '[virtual_server %s]\naddress = 192.168.78.%s:53\nprotocol = UDP\nscheduler = rr\n' "$1" "$2"
	printf 'delay_loop = 1\nretry = 0\nconnect_timeout = 1.5\n\n'
}
ck_snmp || echo "note: no snmpd, the SNMP part is skipped"
{
	printf '[global]\nplugin_dir = %s/plugins\nlog_level = info\n' "$B"
	ck_snmp_global
	echo
	vs a 1; rs a 5301 A www.example.test; rs a 5303 A www.example.test
	rs a 5304 A www.example.test; rs a 5305 A www.example.test
	vs b 2; rs b 5301 AAAA www.example.test
	vs c 3; rs c 5301 - example.test        # keepalived's default type: SOA
	vs d 4; rs d 5301 MX example.test
	vs e 5; rs e 5301 TXT txt.example.test
	vs f 6; rs f 5301 A txt.example.test
	vs g 7; rs g 5301 A nope.example.test
} >"$T/lvsd.ini"

cat >"$T/bad.ini" <<EOF2
[global]
plugin_dir = $B/plugins
[virtual_server v]
address = 192.168.78.1:53
protocol = UDP
[real_server v $BE:53]
check = DNS_CHECK
type = ANY
name = a..b
payload = 00
EOF2
out=$("$B/lvsd" -t -c "$T/bad.ini" 2>&1) && fail "lvsd -t accepted bad DNS_CHECK options"
for want in "bad.ini:8:.*bad type 'ANY'" "bad.ini:9:.*bad name 'a..b'" "bad.ini:10:.*unknown key 'payload'"; do
	grep -q "$want" <<<"$out" || { echo "$out"; fail "lvsd -t: no error matching '$want'"; }
done
ok "lvsd -t checks every DNS_CHECK option, with file:line"

ck_start
ck_expect $BE:5301 a up "DNS NOERROR, 1 A record"
ck_expect $BE:5301 b up "DNS NOERROR, 1 AAAA record"
ck_expect $BE:5301 c up "DNS NOERROR, 1 SOA record"
ck_expect $BE:5301 d up "DNS NOERROR, 1 MX record"
ck_expect $BE:5301 e up "DNS NOERROR, 1 TXT record"
ok "A, AAAA, SOA (the default type), MX, TXT from a real zone: up"
ck_expect $BE:5301 f down "no A record for txt.example.test"
ck_expect $BE:5301 g down "DNS NXDOMAIN"
ck_expect $BE:5303 a down "DNS SERVFAIL"
ok "NOERROR without the type, NXDOMAIN, SERVFAIL: down with the reason"
ck_snmp_expect "DNS SERVFAIL"
ck_snmp_expect "DNS NOERROR, 1 A record"
ok "SNMP: lvsdRsLastCheckResult gives the DNS answers"
ck_expect $BE:5304 a down "no DNS answer after 1.5 s \(3 queries\)"
q=$(( $(stat -c %s "$T/silent.bin") ))
len=$((12 + 18 + 4)) # header, www.example.test, type and class
[ $((q % len)) = 0 ] && [ $((q / len)) -ge 3 ] || fail "the silent server got $q bytes, not 3+ queries of $len"
ok "no answer: the query sent 3 times, then down ($((q / len)) queries so far)"
ck_expect $BE:5305 a down "port unreachable \(ICMP\)"
ok "closed port: down (ICMP port unreachable)"

ns_stop "$PID_ZONE"
ck_expect $BE:5301 a down "port unreachable \(ICMP\)"
zone_server
ck_expect $BE:5301 a up "DNS NOERROR, 1 A record"
ok "zone server stopped: down; started again: up"
ck_finish dns_check
