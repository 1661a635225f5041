#!/usr/bin/env bash
# tests/net/test_check_ssl.sh — the SSL_GET checker against real TLS
# servers in a namespace: `openssl s_server -WWW` with certificates made
# here (a CA and a good leaf, an expired leaf, a wrong-name leaf, a leaf of
# another CA; SNI choosing between two; a client certificate required; TLS
# 1.2 only), socat's TLS in front of the test HTTP server for status codes,
# a server that never does the handshake, and a closed port. Asserts the
# health, the detail in `lvsctl status` and the log line of each.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/checktest.sh
ck_begin plugins/check_ssl.so tests/httpd -- openssl socat

# ---- certificates: CA, leaves (good, expired, wrong name, other CA)
C=$T/pki; mkdir -p "$C"; cd "$C"
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out "$1" 2>/dev/null; }
ca() { # NAME
	key "$1.key"
	openssl req -x509 -new -key "$1.key" -out "$1.pem" -days 30 -subj "/CN=$1" 2>/dev/null
}
leaf() { # NAME CA DAYS SAN
	key "$1.key"
	openssl req -new -key "$1.key" -out "$1.csr" -subj "/CN=$1" 2>/dev/null
	printf 'subjectAltName=%s\n' "$4" >"$1.ext"
	openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial \
		-days "$3" -extfile "$1.ext" -out "$1.pem" 2>/dev/null
}
ca ca
ca otherca
leaf good ca 30 "DNS:www.example.test,IP:$BE"
leaf expired ca -1 "DNS:www.example.test"
leaf wrong ca 30 "DNS:other.example.test"
leaf stranger otherca 30 "DNS:www.example.test"
leaf client ca 30 "DNS:client.example.test"
# the check process (check_user lvsd) reads the client's key, as in a
# real setup: group lvsd, not world-readable
chgrp lvsd client.key && chmod 640 client.key
{ openssl verify -CAfile ca.pem expired.pem 2>&1 || true; } | grep -q expired || fail "the expired leaf is not expired"
cd - >/dev/null
mkdir -p "$T/www"; printf 'ok\n' >"$T/www/health"
good_md5=$(printf 'ok\n' | md5sum | cut -d' ' -f1)

s_server() { # PORT ARGS...
	local port=$1; shift
	cd "$T/www"
	NS_LOG=$T/s_server-$port.log ns_bg be openssl s_server \
		-accept "$BE:$port" -WWW -quiet "$@" </dev/null
	cd - >/dev/null
	eval "PID_$port=$NS_LAST_PID"
}
s_server 9001 -cert "$C/good.pem" -key "$C/good.key"
s_server 9002 -cert "$C/expired.pem" -key "$C/expired.key"
s_server 9003 -cert "$C/wrong.pem" -key "$C/wrong.key"
s_server 9004 -cert "$C/stranger.pem" -key "$C/stranger.key"
# SNI: the good certificate only for www.example.test, else the wrong one
s_server 9005 -cert "$C/wrong.pem" -key "$C/wrong.key" \
	-servername www.example.test -cert2 "$C/good.pem" -key2 "$C/good.key"
# a client certificate of our CA is required
s_server 9006 -cert "$C/good.pem" -key "$C/good.key" -Verify 1 -CAfile "$C/ca.pem" \
	-verify_return_error
s_server 9007 -cert "$C/good.pem" -key "$C/good.key" -tls1_2
# real status codes: socat's TLS in front of the test HTTP server
NS_LOG=$T/httpd.log ns_bg be "$B/tests/httpd" --bind 127.0.0.1 --port 8500 --status 500 --name h500
NS_LOG=$T/socat.log ns_bg be socat OPENSSL-LISTEN:9008,bind=$BE,reuseaddr,fork,cert=$C/good.pem,key=$C/good.key,verify=0 TCP:127.0.0.1:8500
# accepts and never does the handshake
NS_LOG=$T/hang.log ns_bg be "$B/tests/httpd" --bind $BE --port 9009 --mode hang --name hang
for p in 9001 9002 9003 9004 9005 9006 9007 9008 9009; do
	wait_for 10 ns_exec lb bash -c "exec 3<>/dev/tcp/$BE/$p" || fail "server $p did not start"
done

ck_snmp || echo "note: no snmpd, the SNMP part is skipped"
cat >"$T/lvsd.ini" <<EOF
[global]
plugin_dir = $B/plugins
log_level = info
$(ck_snmp_global)

[virtual_server s]
address = 192.168.78.1:443
scheduler = rr
delay_loop = 1
retry = 0
connect_timeout = 3
virtualhost = www.example.test

[real_server s $BE:9001]
check = SSL_GET
path = /health
digest = $good_md5
ca = $C/ca.pem

[real_server s $BE:9002]
check = SSL_GET
ca = $C/ca.pem

[real_server s $BE:9003]
check = SSL_GET
ca = $C/ca.pem

[real_server s $BE:9004]
check = SSL_GET
ca = $C/ca.pem

[real_server s $BE:9005]
check = SSL_GET
path = /health
ca = $C/ca.pem

[real_server s $BE:9006]
check = SSL_GET
path = /health
ca = $C/ca.pem
certificate = $C/client.pem
key = $C/client.key

[real_server s $BE:9007]
check = SSL_GET
path = /health
ca = $C/ca.pem
min_protocol = TLSv1.2

[real_server s $BE:9008]
check = SSL_GET
ca = $C/ca.pem

[real_server s $BE:9009]
check = SSL_GET
read_timeout = 1

[real_server s $BE:9010]
check = SSL_GET

[virtual_server n]
address = 192.168.78.2:443
scheduler = rr
delay_loop = 1
retry = 0
connect_timeout = 3

[real_server n $BE:9001]
check = SSL_GET
path = /health
ca = $C/ca.pem

[real_server n $BE:9002]
check = SSL_GET
path = /health

[real_server n $BE:9005]
check = SSL_GET
path = /health
ca = $C/ca.pem
enable_sni = www.example.test

[real_server n $BE:9006]
check = SSL_GET
path = /health
ca = $C/ca.pem

[real_server n $BE:9007]
check = SSL_GET
path = /health
min_protocol = TLSv1.3

[virtual_server x]
address = 192.168.78.3:443
scheduler = rr
delay_loop = 1
retry = 0
connect_timeout = 3
virtualhost = www.example.test

[real_server x $BE:9005]
check = SSL_GET
path = /health
ca = $C/ca.pem
enable_sni = no
EOF

# lvsd -t: every TLS option is checked, with file:line.
cat >"$T/bad.ini" <<EOF
[global]
plugin_dir = $B/plugins
[virtual_server v]
address = 192.168.78.1:443
[real_server v $BE:443]
check = SSL_GET
ca = $T/nonexistent.pem
min_protocol = SSLv3
enable_sni = two words
certificate = relative.pem
status_code = 99
EOF
out=$("$B/lvsd" -t -c "$T/bad.ini" 2>&1) && fail "lvsd -t accepted bad SSL_GET options"
for want in "bad.ini:7:.*ca .*No such file" "bad.ini:8:.*min_protocol" "bad.ini:9:.*enable_sni" \
	"bad.ini:10:.*absolute" "bad.ini:11:.*status code"; do
	grep -q "$want" <<<"$out" || { echo "$out"; fail "lvsd -t: no error matching '$want'"; }
done
ok "lvsd -t checks every SSL_GET option, with file:line"

ck_start
ck_expect $BE:9001 s up "HTTP 200"
ok "verified certificate, SNI, path and digest: up"
ck_expect $BE:9002 s down "certificate expired"
ck_expect $BE:9003 s down "certificate name mismatch \(not www.example.test\)"
ck_expect $BE:9004 s down "certificate from an unknown CA"
ok "expired, wrong-name and unknown-CA certificates: down, with the reason"
ck_snmp_expect "certificate expired"
ck_snmp_expect "certificate name mismatch"
ck_snmp_expect "certificate from an unknown CA"
ok "SNMP: lvsdRsLastCheckResult gives the certificate errors"
ck_expect $BE:9005 s up "HTTP 200"
ck_expect $BE:9005 n up "HTTP 200"
ck_expect $BE:9005 x down "certificate name mismatch \(not www.example.test\)"
ok "SNI: the virtualhost, or enable_sni's name; enable_sni = no sends none"
ck_expect $BE:9006 s up "HTTP 200"
ck_expect $BE:9006 n down "TLS error: .*certificate required|TLS handshake failed: .*|closed during the TLS handshake"
ok "client certificate: up with it, down without"
ck_expect $BE:9007 s up "HTTP 200"
ck_expect $BE:9007 n down "TLS handshake failed: .*"
ok "min_protocol TLSv1.3 against a TLS 1.2 server: handshake failure"
ck_expect $BE:9008 s down "HTTP 500"
ok "HTTP status over TLS"
ck_expect $BE:9009 s down "no TLS handshake after 1.0 s"
ck_expect $BE:9010 s down "connection refused"
ok "handshake timeout, closed port"
ck_expect $BE:9001 n up "HTTP 200"
ck_expect $BE:9002 n up "HTTP 200"
ok "without a virtualhost the address is verified; without a ca nothing is (keepalived)"

# A server that goes away and comes back: down, then up.
ns_stop "$PID_9001"
ck_expect $BE:9001 s down "connection refused"
s_server 9001 -cert "$C/good.pem" -key "$C/good.key"
ck_expect $BE:9001 s up "HTTP 200"
ok "server stopped: down (connection refused); started: up"
ck_finish ssl_get
