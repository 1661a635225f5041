#!/usr/bin/env bash
# cli.sh — `lvsd -t` as an admin uses it: the seed files validate; a bad
# value on line N says FILE:N and exits 1; an unknown key is an error.
set -euo pipefail
B=${B:-build}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
lvsd() { "$B/lvsd" -P "$B/plugins" "$@"; }

for f in etc/lvsd-nat.ini etc/lvsd-failover.ini etc/lvsd-bgp.ini; do
	lvsd -t -c "$f" >"$t/out" 2>&1 || { cat "$t/out"; echo "FAIL: $f does not validate"; exit 1; }
	grep -q 'configuration OK' "$t/out" || { echo "FAIL: $f: no OK line"; exit 1; }
done

printf '[virtual_server web]\naddress = 192.168.0.30:80\n\n[real_server web 10.0.0.51:80]\nweight = heavy\n' >"$t/bad.ini"
if lvsd -t -c "$t/bad.ini" >"$t/out" 2>&1; then echo "FAIL: bad value accepted"; exit 1; fi
grep -q "^$t/bad.ini:5: " "$t/out" || { cat "$t/out"; echo "FAIL: no FILE:5: in the message"; exit 1; }

printf '[virtual_server web]\naddress = 192.168.0.30:80\nschedular = rr\n' >"$t/key.ini"
if lvsd -t -c "$t/key.ini" >"$t/out" 2>&1; then echo "FAIL: unknown key accepted"; exit 1; fi
grep -q "^$t/key.ini:3: .*schedular" "$t/out" || { cat "$t/out"; echo "FAIL: unknown key not named with its line"; exit 1; }

printf '[virtual_server web]\naddress = 192.168.0.30:80\nscheduler = fastest\n' >"$t/sched.ini"
if lvsd -t -c "$t/sched.ini" >"$t/out" 2>&1; then echo "FAIL: unknown scheduler accepted"; exit 1; fi
grep -q "^$t/sched.ini:3: .*fastest" "$t/out" || { cat "$t/out"; echo "FAIL: unknown scheduler"; exit 1; }

# Every error in one run, plugin-checked keys included (issue 12 item 5):
# a bad log_level (global), an unknown scheduler (scheduler plugins) and a
# bad status_code (HTTP_GET's options), each as FILE:LINE: message.
printf '[global]\nlog_level = chatty\n\n[virtual_server web]\naddress = 192.168.0.30:80\nscheduler = fastest\n\n[real_server web 10.0.0.51:80]\ncheck = HTTP_GET\nurl = /\nstatus_code = abc\n' >"$t/three.ini"
if lvsd -t -c "$t/three.ini" >"$t/out" 2>&1; then echo "FAIL: three errors accepted"; exit 1; fi
for want in "2: log_level" "6: .*fastest" "11: status_code"; do
	grep -q "^$t/three.ini:$want" "$t/out" || { cat "$t/out"; echo "FAIL: not every error reported ($want missing)"; exit 1; }
done
# ... and the checks of the whole model too: no VRRP engine among the
# plugins, next to a parser error.
mkdir "$t/plug"
cp "$B"/plugins/sched_wlc.so "$t/plug/"
printf '[global]\nlog_level = chatty\n\n[vrrp v1]\ninterface = lo\nvirtual_router_id = 7\npriority = 100\nvirtual_ipaddress = 10.9.9.9/32\n' >"$t/vrrp.ini"
if "$B/lvsd" -P "$t/plug" -t -c "$t/vrrp.ini" >"$t/out" 2>&1; then echo "FAIL: vrrp errors accepted"; exit 1; fi
grep -q "^$t/vrrp.ini:2: log_level" "$t/out" && grep -q "^$t/vrrp.ini:4: .*no VRRP engine" "$t/out" ||
	{ cat "$t/out"; echo "FAIL: the VRRP engine check did not run after a parser error"; exit 1; }

# Commands are checked (item 7): a missing program, shell syntax, a quoted
# whole command; a shell asked for explicitly is fine.
printf '[virtual_server web]\naddress = 192.168.0.30:80\nquorum_up = /bin/sh -c "echo up > /dev/null"\n\n[real_server web 10.0.0.51:80]\nnotify_up = %s/nope.sh up\nnotify_down = /usr/bin/touch %s/down > /tmp/f\n\n[real_server web 10.0.0.52:80]\nnotify_down = "/usr/bin/touch %s/d"\n' "$t" "$t" "$t" >"$t/cmd.ini"
if lvsd -t -c "$t/cmd.ini" >"$t/out" 2>&1; then echo "FAIL: bad commands accepted"; exit 1; fi
grep -q "^$t/cmd.ini:6: notify_up: program '$t/nope.sh' does not exist" "$t/out" &&
	grep -q "^$t/cmd.ini:7: notify_down: '>' is shell syntax.*/bin/sh -c" "$t/out" &&
	grep -q "^$t/cmd.ini:10: notify_down: program '/usr/bin/touch $t/d' has a blank" "$t/out" &&
	[ "$(wc -l <"$t/out")" = 3 ] || { cat "$t/out"; echo "FAIL: commands not checked"; exit 1; }

# A checker option given twice is an error naming the first line
# (fix12b 8), unless the checker says it repeats (HTTP_GET's url).
printf '[virtual_server web]\naddress = 192.168.0.30:80\n\n[real_server web 10.0.0.51:80]\ncheck = HTTP_GET\nurl = /a\nurl = /b\nvirtualhost = a.example\nvirtualhost = b.example\nstatus_code = 200\nstatus_code = 204\n\n[real_server web 10.0.0.52:80]\ncheck = DNS_CHECK\ntype = A\ntype = MX\nname = example.com\n\n[real_server web 10.0.0.53:80]\ncheck = MISC_CHECK\nmisc_path = /bin/true\nmisc_path = /bin/false\n' >"$t/dupopt.ini"
if "$B/lvsd" -P "$B/plugins" -t -c "$t/dupopt.ini" >"$t/out" 2>&1; then cat "$t/out"; echo "FAIL: checker options given twice accepted"; exit 1; fi
grep -q "^$t/dupopt.ini:9: duplicate key 'virtualhost' in \[real_server web 10.0.0.51:80\] (first at $t/dupopt.ini:8)" "$t/out" &&
	grep -q "^$t/dupopt.ini:11: duplicate key 'status_code' .*(first at $t/dupopt.ini:10)" "$t/out" &&
	grep -q "^$t/dupopt.ini:16: duplicate key 'type' .*(first at $t/dupopt.ini:15)" "$t/out" &&
	grep -q "^$t/dupopt.ini:22: duplicate key 'misc_path' .*(first at $t/dupopt.ini:21)" "$t/out" &&
	! grep -q "'url'" "$t/out" && [ "$(wc -l <"$t/out")" = 4 ] ||
	{ cat "$t/out"; echo "FAIL: checker option duplicates not reported once each"; exit 1; }

# " ;" on a command key is not a silent comment, $1 is shell syntax (fix12b 17).
printf '[virtual_server web]\naddress = 192.168.0.30:80\nquorum_up = /bin/echo up ; /bin/echo two\n\n[real_server web 10.0.0.51:80]\nnotify_up = /bin/echo a ; b\nnotify_down = /bin/echo $1 down\nweight = 3 ; a comment\ncheck = MISC_CHECK\nmisc_path = /bin/true ; /bin/false\n' >"$t/semi.ini"
if "$B/lvsd" -P "$B/plugins" -t -c "$t/semi.ini" >"$t/out" 2>&1; then cat "$t/out"; echo "FAIL: ' ;' on command keys accepted"; exit 1; fi
grep -q "^$t/semi.ini:3: quorum_up: ' ;' is shell syntax.*/bin/sh -c 'cmd1; cmd2'" "$t/out" &&
	grep -q "^$t/semi.ini:6: notify_up: ' ;' is shell syntax" "$t/out" &&
	grep -q "^$t/semi.ini:7: notify_down: '\$1' is shell syntax" "$t/out" &&
	grep -q "^$t/semi.ini:10: misc_path: ' ;' is shell syntax" "$t/out" &&
	[ "$(wc -l <"$t/out")" = 4 ] || { cat "$t/out"; echo "FAIL: command lists / \$1 not reported"; exit 1; }

# The options the docs and examples spell exist (fix12b 18: the examples
# said "lvsd -t -f FILE", but the option is -c).
opts=$("$B/lvsd" --help 2>&1 || true)
for w in $(grep -rhoE '(^|[^a-z/.-])lvsd( +-[a-zA-Z]+)+' README.md man/*.[0-9] etc/* | grep -oE ' -[a-zA-Z]+' | sort -u); do
	for l in $(grep -o . <<<"${w#-}"); do
		grep -qE -- "(^|[[ ,])-$l([] ,]|$)" <<<"$opts" || { echo "FAIL: the docs spell 'lvsd $w', but lvsd --help has no -$l"; exit 1; }
	done
done

# Checker errors are whole, hints included (fix12b 9: cut at ~200 chars).
printf '[virtual_server web]\naddress = 192.168.0.30:80\n\n[real_server web 10.0.0.51:80]\ncheck = MISC_CHECK\nmisc_path = /bin/echo $(id)\n[real_server web 10.0.0.52:80]\ncheck = MISC_CHECK\nmisc_path = "/bin/echo up"\n' >"$t/long.ini"
if "$B/lvsd" -P "$B/plugins" -t -c "$t/long.ini" >"$t/out" 2>&1; then cat "$t/out"; echo "FAIL: shell syntax in misc_path accepted"; exit 1; fi
grep -q "^$t/long.ini:6: misc_path: '\$(' is shell syntax.*ask for a shell explicitly: /bin/sh -c '...'\$" "$t/out" &&
	grep -q "^$t/long.ini:9: misc_path: .*write it without the outer quotes: /bin/echo up\$" "$t/out" ||
	{ cat "$t/out"; echo "FAIL: checker error messages cut short"; exit 1; }

# A FIFO at the config path is refused at once, not read (item 9).
mkfifo "$t/fifo"
if timeout 20 "$B/lvsd" -P "$B/plugins" -t -c "$t/fifo" >"$t/out" 2>&1; then echo "FAIL: FIFO accepted"; exit 1; fi
grep -q "^$t/fifo: is a FIFO, not a regular file" "$t/out" || { cat "$t/out"; echo "FAIL: FIFO not refused clearly"; exit 1; }

# A UNIX socket at the config path is said as such (fix12b 11: "cannot
# open: No such device or address"); a FIFO with the x bit as a notify
# program is "not a regular file", not "not executable".
if command -v python3 >/dev/null; then
	python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$t/cfgsock"
	if "$B/lvsd" -P "$B/plugins" -t -c "$t/cfgsock" >"$t/out" 2>&1; then echo "FAIL: socket accepted"; exit 1; fi
	grep -q "^$t/cfgsock: is a socket, not a regular file" "$t/out" || { cat "$t/out"; echo "FAIL: socket not refused clearly"; exit 1; }
fi
mkfifo "$t/progfifo"
chmod +x "$t/progfifo"
printf '[virtual_server web]\naddress = 192.168.0.30:80\n[real_server web 10.0.0.51:80]\nnotify_up = %s/progfifo\n' "$t" >"$t/fifoprog.ini"
if timeout 20 "$B/lvsd" -P "$B/plugins" -t -c "$t/fifoprog.ini" >"$t/out" 2>&1; then echo "FAIL: FIFO program accepted"; exit 1; fi
grep -q "^$t/fifoprog.ini:4: notify_up: program '$t/progfifo' is a FIFO, device or socket, not a regular file" "$t/out" ||
	{ cat "$t/out"; echo "FAIL: FIFO program not said as such"; exit 1; }

# A third-party plugin named like a shipped one (item 11): an error naming
# both files, at -t and at start, never a silent displacement.
mkdir "$t/plug2"
cp "$B"/plugins/sched_wlc.so "$B"/plugins/sched_rr.so "$t/plug2/"
cp "$B"/plugins/sched_wlc.so "$t/plug2/acme_wlc.so"
if "$B/lvsd" -P "$t/plug2" -t -c etc/lvsd-nat.ini >"$t/out" 2>&1; then cat "$t/out"; echo "FAIL: plugin name collision accepted by -t"; exit 1; fi
grep -q "plugin name collision: scheduler plugin 'wlc' in both $t/plug2/acme_wlc.so and $t/plug2/sched_wlc.so" "$t/out" ||
	{ cat "$t/out"; echo "FAIL: the collision does not name both files"; exit 1; }
if timeout 30 "$B/lvsd" -n --no-ipvs -P "$t/plug2" -c etc/lvsd-nat.ini -S "$t/sock2" \
	--state-file "$t/state2" >"$t/out" 2>&1; then cat "$t/out"; echo "FAIL: lvsd started with a plugin name collision"; exit 1; fi
grep -q "plugin name collision: scheduler plugin 'wlc'" "$t/out" || { cat "$t/out"; echo "FAIL: no collision error at start"; exit 1; }

# A file of the plugin directory that does not load (fix12b 13): an error
# naming the file, at -t (exit 1) and at start; never "configuration OK".
mkdir "$t/plug3"
cp "$B"/plugins/*.so "$t/plug3/"
printf 'not an ELF file\n' >"$t/plug3/junk.so"
if "$B/lvsd" -P "$t/plug3" -t -c etc/lvsd-nat.ini >"$t/out" 2>&1; then cat "$t/out"; echo "FAIL: an unloadable plugin accepted by -t"; exit 1; fi
grep -q "^$t/plug3/junk.so: refused: dlopen" "$t/out" && ! grep -q "configuration OK" "$t/out" ||
	{ cat "$t/out"; echo "FAIL: the unloadable plugin is not an error naming the file"; exit 1; }
if timeout 30 "$B/lvsd" -n --no-ipvs -P "$t/plug3" -c etc/lvsd-nat.ini -S "$t/sock3" \
	--state-file "$t/state3" >"$t/out" 2>&1; then cat "$t/out"; echo "FAIL: lvsd started with an unloadable plugin"; exit 1; fi
grep -q "$t/plug3/junk.so: refused: dlopen" "$t/out" || { cat "$t/out"; echo "FAIL: no unloadable-plugin error at start"; exit 1; }
"$B/lvsd" -P "$B/plugins" -t -c etc/lvsd-nat.ini >"$t/out" 2>&1 || { cat "$t/out"; echo "FAIL: the shipped plugins do not all load"; exit 1; }

if lvsd -t -c "$t/missing.ini" >"$t/out" 2>&1; then echo "FAIL: missing file accepted"; exit 1; fi
# Without IPVS in the kernel (as on the build hosts) lvsd says what to do.
if [ ! -e /proc/net/ip_vs ]; then
	if "$B/lvsd" -n -P "$B/plugins" -c etc/lvsd-nat.ini -S "$t/sock" \
		--state-file "$t/state" >"$t/out" 2>&1; then
		echo "FAIL: lvsd ran without IPVS"; exit 1
	fi
	grep -q 'load the ip_vs module' "$t/out" || { cat "$t/out"; echo "FAIL: no hint to load ip_vs"; exit 1; }
fi
# Checker-level errors (fix13 2, 3): every real server's check is made
# on trial, each refusal is one FILE:LINE error with the checker's reason
# on the line of the option it names (else the section's), all in one run.
if command -v openssl >/dev/null; then
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$t/k.pem" -out "$t/c.pem" -days 1 -subj /CN=x 2>/dev/null
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$t/k2.pem" -out "$t/c2.pem" -days 1 -subj /CN=y 2>/dev/null
	openssl genrsa -aes128 -passout pass:right -out "$t/ke.pem" 2048 2>/dev/null
	openssl req -x509 -key "$t/ke.pem" -passin pass:right -out "$t/ce.pem" -days 1 -subj /CN=z 2>/dev/null
	echo garbage >"$t/garbage.pem"
	mkdir "$t/dir"
	cat >"$t/chk.ini" <<EOF
[virtual_server v]
address = 192.168.78.9:80
[real_server v 127.0.0.1:81]
check = SSL_GET
min_protocol = TLSv9
[real_server v 127.0.0.1:82]
check = MISC_CHECK
misc_timeout = 2
[real_server v 127.0.0.1:83]
check = FILE_CHECK
[real_server v 127.0.0.1:84]
check = SSL_GET
certificate = $t/c.pem
[real_server v 127.0.0.1:85]
check = SSL_GET
ca = $t/garbage.pem
[real_server v 127.0.0.1:86]
check = SSL_GET
certificate = $t/c.pem
key = $t/k2.pem
[real_server v 127.0.0.1:87]
check = SSL_GET
certificate = $t/ce.pem
key = $t/ke.pem
password = wrong
[real_server v 127.0.0.1:88]
check = UDP_CHECK
require_reply = yes
min_reply_length = 10
max_reply_length = 5
[real_server v 127.0.0.1:89]
check = FILE_CHECK
file = $t/dir
[real_server v 127.0.0.1:90]
check = SSL_GET
certificate = $t/ce.pem
key = $t/ke.pem
EOF
	if lvsd -t -c "$t/chk.ini" >"$t/out" 2>&1; then cat "$t/out"; echo "FAIL: checker-level errors accepted"; exit 1; fi
	f=$t/chk.ini
	for want in "^$f:5: min_protocol: bad min_protocol 'TLSv9'" \
		"^$f:6: real server 127.0.0.1:82 (v): MISC_CHECK: misc_path is required" \
		"^$f:9: real server 127.0.0.1:83 (v): FILE_CHECK: file is required" \
		"^$f:11: real server 127.0.0.1:84 (v): SSL_GET: certificate and key go together" \
		"^$f:16: real server 127.0.0.1:85 (v): SSL_GET: ca $t/garbage.pem: no certificate" \
		"^$f:20: real server 127.0.0.1:86 (v): SSL_GET: key $t/k2.pem: key values mismatch" \
		"^$f:25: real server 127.0.0.1:87 (v): SSL_GET: password: a bad pass phrase for key" \
		"^$f:26: real server 127.0.0.1:88 (v): UDP_CHECK: min_reply_length 10 > max_reply_length 5" \
		"^$f:33: file: $t/dir is a directory" \
		"^$f:37: real server 127.0.0.1:90 (v): SSL_GET: key $t/ke.pem: encrypted, and no password is given"; do
		grep -q -- "$want" "$t/out" || { cat "$t/out"; echo "FAIL: no line $want"; exit 1; }
	done
	[ "$(wc -l <"$t/out")" = 10 ] || { cat "$t/out"; echo "FAIL: not exactly one line per error"; exit 1; }
fi

# A long value in a checker's message is cut to 40 bytes and "...", and
# the reason is still said (fix13 4).
long=$(printf 'a%.0s' $(seq 150))
hex=$(printf '00%.0s' $(seq 80))zz
printf '[virtual_server v]\naddress = 192.168.78.9:80\n[real_server v 127.0.0.1:81]\ncheck = SSL_GET\nenable_sni = %s x\n[real_server v 127.0.0.1:82]\ncheck = UDP_CHECK\npayload = %s\n' "$long" "$hex" >"$t/long.ini"
if lvsd -t -c "$t/long.ini" >"$t/out" 2>&1; then cat "$t/out"; echo "FAIL: long bad values accepted"; exit 1; fi
grep -q "^$t/long.ini:5: enable_sni: bad enable_sni 'a\{40\}\.\.\.' (yes, no or a host name)$" "$t/out" &&
	grep -q "^$t/long.ini:8: payload: bad payload ('z' is not a hex digit): '0\{40\}\.\.\.'$" "$t/out" ||
	{ cat "$t/out"; echo "FAIL: long values not cut, or the reason lost"; exit 1; }

# Options that do nothing are errors (fix13 6): a check parameter set in a
# [real_server] without a check (inherited ones are fine), reply lengths
# without require_reply; the -t summary counts in the right number (8).
printf '[global]\nretry = 2\n[virtual_server v]\naddress = 192.168.78.9:80\nrise = 3\n[real_server v 127.0.0.1:81]\nrise = 2\n[real_server v 127.0.0.1:82]\n[real_server v 127.0.0.1:83]\ncheck = UDP_CHECK\nmin_reply_length = 3\n' >"$t/noop.ini"
if lvsd -t -c "$t/noop.ini" >"$t/out" 2>&1; then cat "$t/out"; echo "FAIL: options that do nothing accepted"; exit 1; fi
grep -q "^$t/noop.ini:7: rise does nothing in \[real_server v 127.0.0.1:81\]: it has no 'check = NAME'" "$t/out" &&
	grep -q "^$t/noop.ini:11: real server 127.0.0.1:83 (v): UDP_CHECK: min_reply_length: does nothing without require_reply" "$t/out" &&
	[ "$(wc -l <"$t/out")" = 2 ] || { cat "$t/out"; echo "FAIL: options that do nothing not reported"; exit 1; }
lvsd -t -c etc/lvsd-nat.ini >"$t/out" 2>&1
grep -q "configuration OK (1 virtual server, 2 real servers, 0 VRRP instances)" "$t/out" ||
	{ cat "$t/out"; echo "FAIL: summary plural"; exit 1; }

# keepalived's spellings (fix13 8): "user nobody nogroup" gets a hint,
# bindto is bind_to.
printf '[virtual_server v]\naddress = 192.168.78.9:80\n[real_server v 127.0.0.1:81]\ncheck = MISC_CHECK\nmisc_path = /bin/true\nuser = nobody nogroup\n' >"$t/user.ini"
if lvsd -t -c "$t/user.ini" >"$t/out" 2>&1; then cat "$t/out"; echo "FAIL: user with a group accepted"; exit 1; fi
grep -q "^$t/user.ini:6: user: no such user 'nobody nogroup' (.*group = GROUP)" "$t/out" ||
	{ cat "$t/out"; echo "FAIL: no group hint"; exit 1; }
printf '[virtual_server v]\naddress = 192.168.78.9:80\n[real_server v 127.0.0.1:81]\ncheck = TCP\nbindto = 127.0.0.1\n' >"$t/bindto.ini"
lvsd -t -c "$t/bindto.ini" >"$t/out" 2>&1 || { cat "$t/out"; echo "FAIL: bindto refused"; exit 1; }

echo "ok: lvsd -t"

# The socket is spelled the same in both: -S, --socket, and -s.
cat >"$t/run.ini" <<EOF
[global]
plugin_dir = $(cd "$B" && pwd)/plugins
control_socket = $t/unused.sock
state_file = $t/state
EOF
for spell in "-S $t/a.sock" "-s $t/a.sock" "--socket $t/a.sock" "--socket=$t/a.sock"; do
	rm -f "$t/a.sock"
	# shellcheck disable=SC2086 # the spelling is split on purpose
	"$B/lvsd" -n --no-ipvs -c "$t/run.ini" $spell >"$t/lvsd.out" 2>&1 &
	pid=$!
	for _ in $(seq 100); do [ -S "$t/a.sock" ] && break; sleep 0.05; done
	[ -S "$t/a.sock" ] || { kill "$pid" 2>/dev/null; cat "$t/lvsd.out"; echo "FAIL: lvsd $spell: no socket"; exit 1; }
	for cspell in "-S $t/a.sock" "-s $t/a.sock" "--socket $t/a.sock" "--socket=$t/a.sock"; do
		# shellcheck disable=SC2086
		"$B/lvsctl" $cspell -T 5 counters >"$t/ctl.out" 2>&1 ||
			{ kill "$pid"; cat "$t/ctl.out"; echo "FAIL: lvsctl $cspell"; exit 1; }
	done
	kill "$pid"; wait "$pid" 2>/dev/null || true
done
if "$B/lvsctl" -S "$t/none.sock" counters 2>"$t/err"; then echo "FAIL: no socket, yet success"; exit 1; fi
grep -q "cannot connect to lvsd at $t/none.sock" "$t/err" || { cat "$t/err"; echo "FAIL: no message"; exit 1; }
echo "ok: lvsd and lvsctl both take -S, -s and --socket"
