#!/usr/bin/env bash
# test_checks_more.sh (VM) — SSL_GET, SMTP_CHECK, UDP_CHECK and DNS_CHECK
# with real IPVS on the seed's NAT topology: each checker's real server is
# in `ipvsadm -Ln` while its service answers, leaves when the service
# stops, and comes back when it is started again. Services: openssl
# s_server (a certificate of a CA made here, verified), the test SMTP
# server, socat as a UDP echo, dnsmasq serving a zone written here.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/topo.sh
[ -r /proc/net/ip_vs ] || { echo "SKIP: no IPVS (run through tools/vm/run)"; exit 77; }
for c in openssl socat dnsmasq python3; do
	command -v $c >/dev/null || { echo "SKIP: no $c"; exit 77; }
done
ns_init
topo_nat
T=$NS_TMP
# every closed-port probe gets its ICMP error (lvsd.ini(5), UDP_CHECK)
ns_exec backend02 sysctl -qw net.ipv4.icmp_ratelimit=0

# TLS: a CA and a leaf for www.example.test
C=$T/pki
mkdir -p "$C" "$T/www" "$T/mail"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
	-keyout "$C/ca.key" -out "$C/ca.pem" -days 30 -subj /CN=testca 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
	-keyout "$C/leaf.key" -out "$C/leaf.csr" -subj /CN=www.example.test 2>/dev/null
printf 'subjectAltName=DNS:www.example.test\n' >"$C/leaf.ext"
openssl x509 -req -in "$C/leaf.csr" -CA "$C/ca.pem" -CAkey "$C/ca.key" -CAcreateserial \
	-days 30 -extfile "$C/leaf.ext" -out "$C/leaf.pem" 2>/dev/null
printf 'ok\n' >"$T/www/health"
printf '%s\n' port=53 listen-address=10.0.0.52 bind-interfaces no-resolv no-hosts \
	user=root pid-file= host-record=www.example.test,10.1.2.3 >"$T/zone.conf"

start_tls() {
	cd "$T/www"
	NS_LOG=$T/tls.log ns_bg backend01 openssl s_server -accept 10.0.0.51:443 -WWW -quiet \
		-cert "$C/leaf.pem" -key "$C/leaf.key" </dev/null
	cd - >/dev/null
	PID_TLS=$NS_LAST_PID
}
start_smtp() {
	NS_LOG=$T/smtp.log ns_bg backend01 python3 tests/lib/smtpsink.py 25 "$T/mail" 10.0.0.51
	PID_SMTP=$NS_LAST_PID
}
start_udp() {
	NS_LOG=$T/udp.log ns_bg backend02 socat -T 0.3 UDP4-RECVFROM:7,bind=10.0.0.52,reuseaddr,fork PIPE
	PID_UDP=$NS_LAST_PID
}
start_dns() {
	NS_LOG=$T/dns.log ns_bg backend02 dnsmasq -k -C "$T/zone.conf" --log-facility=-
	PID_DNS=$NS_LAST_PID
}
start_tls
start_smtp
start_udp
start_dns

cat >"$T/lvsd.ini" <<EOF_INI
[global]
delay_loop = 1
retry = 0
connect_timeout = 2

[virtual_server https]
address = 192.168.0.30:443
scheduler = rr
[real_server https 10.0.0.51:443]
check = SSL_GET
path = /health
virtualhost = www.example.test
ca = $C/ca.pem

[virtual_server smtp]
address = 192.168.0.30:25
scheduler = rr
[real_server smtp 10.0.0.51:25]
check = SMTP_CHECK
helo_name = director.example.test

[virtual_server echo]
address = 192.168.0.30:7
protocol = UDP
scheduler = rr
[real_server echo 10.0.0.52:7]
check = UDP_CHECK
payload = 6c767364
require_reply = 6c76

[virtual_server dns]
address = 192.168.0.30:53
protocol = UDP
scheduler = rr
[real_server dns 10.0.0.52:53]
check = DNS_CHECK
type = A
name = www.example.test
EOF_INI

in_ipvs() { ipvsadm -Ln | grep -q -- "-> $1 "; }
not_in_ipvs() { ! in_ipvs "$1"; }
all_in() {
	local rs
	for rs in 10.0.0.51:443 10.0.0.51:25 10.0.0.52:7 10.0.0.52:53; do
		in_ipvs $rs || return 1
	done
}
lvsd_start "$T/lvsd.ini"
wait_for 60 all_in || { ipvsadm -Ln; lvsctl status; cat "$LVSD_LOG"; fail "not every real server in IPVS"; }
ok "SSL_GET, SMTP_CHECK, UDP_CHECK and DNS_CHECK real servers in IPVS"

# cycle VS RS PIDVAR START-FN REASON: stop the service: the real server
# leaves IPVS, logged with REASON; start it: it comes back.
cycle() {
	local vs=$1 rs=$2 pidvar=$3 start=$4 reason=$5
	ns_stop "${!pidvar}"
	wait_for 30 not_in_ipvs "$rs" || { ipvsadm -Ln; cat "$LVSD_LOG"; fail "$vs: $rs still in IPVS"; }
	grep -Eq "real server $rs \($vs\) down: $reason" "$LVSD_LOG" ||
		{ cat "$LVSD_LOG"; fail "$vs: no down line with '$reason'"; }
	$start
	wait_for 60 in_ipvs "$rs" || { ipvsadm -Ln; cat "$LVSD_LOG"; fail "$vs: $rs did not come back"; }
	ok "$vs: $rs out of IPVS when stopped ($reason), back when started"
}
cycle https 10.0.0.51:443 PID_TLS start_tls "connection refused"
cycle smtp 10.0.0.51:25 PID_SMTP start_smtp "connection refused"
cycle echo 10.0.0.52:7 PID_UDP start_udp "port unreachable \(ICMP\)"
cycle dns 10.0.0.52:53 PID_DNS start_dns "port unreachable \(ICMP\)"
grep -q "^EHLO director.example.test$" "$T/mail/greetings" || fail "SMTP: no EHLO helo_name"
ns_stop "$LVSD_PID"
grep -q "AddressSanitizer\|LeakSanitizer\|runtime error" "$LVSD_LOG" && { cat "$LVSD_LOG"; fail "sanitizer report"; }
echo "PASS: checks_more (VM)"
