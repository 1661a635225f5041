#!/usr/bin/env bash
# vrrp_track_cfg.sh — lvsd -t on the tracking keys: [vrrp_script],
# [vrrp_track_file], [vrrp_track_process], track_script/_file/_process,
# notify, notify_stop and garp_master_*: a good file passes, and each bad
# input gets its own "FILE:LINE: message".
set -uo pipefail
cd "$(dirname "$0")/../.."
B=${B:-build}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
vrrp() { # extra lines of [vrrp VI_1]
	printf '[vrrp VI_1]\ninterface = eth0\nvirtual_router_id = 51\nvirtual_ipaddress = 10.9.0.50\n'
	for l in "$@"; do echo "$l"; done
}
# expect MESSAGE (the file on stdin): -t fails and says MESSAGE. It runs
# in a pipeline's subshell: a failure is noted in $t/failed.
expect() {
	local out
	cat >"$t/l.ini"
	if out=$("$B/lvsd" -t -P "$B/plugins" -c "$t/l.ini" 2>&1); then
		echo "FAIL: accepted, expected: $1" >&2; touch "$t/failed"
	elif ! grep -qF -- "$1" <<<"$out"; then
		echo "FAIL: expected '$1', got: $out" >&2; touch "$t/failed"
	fi
}

{
	cat <<EOT
[vrrp_script chk]
script = /bin/true --flag "two words"
interval = 2
timeout = 1
rise = 3
fall = 2
weight = -30
init_fail = yes

[vrrp_script plain]
script = true

[vrrp_track_file f]
file = $t/prio
weight = 10

[vrrp_track_process p]
process = haproxy -f /etc/haproxy.cfg
quorum = 1
quorum_max = 4
delay = 0.5
weight = -50

EOT
	vrrp "track_script = chk" "track_script = plain weight 20" "track_file = f weight -254" \
		"track_process = p" "notify = /bin/echo" "notify_stop = /bin/echo stop" \
		"garp_master_delay = 10" "garp_master_refresh = 60" "garp_master_refresh_repeat = 2"
} >"$t/good.ini"
"$B/lvsd" -t -P "$B/plugins" -c "$t/good.ini" >"$t/out" 2>&1 || { cat "$t/out"; fail "a good file was refused"; }
echo "ok: a file with every tracking key passes -t"

printf '[vrrp_script s]\nscript = %s/missing.sh\n' "$t" | expect "l.ini:2: script: program '$t/missing.sh' does not exist"
touch "$t/noexec"
printf '[vrrp_script s]\nscript = %s/noexec\n' "$t" | expect "l.ini:2: script: program '$t/noexec' is not executable"
printf '[vrrp_script s]\nscript = no-such-program-here\n' | expect "script: program 'no-such-program-here' not found in PATH"
printf '[vrrp_script s]\nscript = /bin/test -e /x > /tmp/y\n' | expect "l.ini:2: script: "
printf '[vrrp_script s]\ninterval = 1\n' | expect "l.ini:1: [vrrp_script s]: missing required key 'script'"
printf '[vrrp_script s]\nscript = /bin/true\nweight = 254\n' | expect "l.ini:3: weight: expected an integer -253..253, got '254'"
printf '[vrrp_script s]\nscript = /bin/true\nweight = 1x\n' | expect "weight: expected an integer -253..253, got '1x'"
printf '[vrrp_script s]\nscript = /bin/true\nrise = 0\n' | expect "rise: expected an integer 1..1000, got '0'"
printf '[vrrp_track_file f]\nfile = relative\n' | expect "file: expected an absolute path, got 'relative'"
printf '[vrrp_track_file f]\nweight = 1\n' | expect "missing required key 'file'"
printf '[vrrp_track_process p]\nprocess = x\nquorum = 3\nquorum_max = 2\n' | expect "l.ini:4: quorum_max: 2 is below quorum (3)"
printf '[vrrp_track_process p]\nprocess = x\ndelay = 1\nfork_delay = 1\n' | expect "delay: sets fork_delay and terminate_delay"
printf '[vrrp_script s]\nscript = /bin/true\n[vrrp_script s]\nscript = /bin/true\n' | expect "l.ini:3: duplicate [vrrp_script s] (first at line 1)"
vrrp "track_script = nope" | expect "l.ini:5: track_script: unknown [vrrp_script nope]"
vrrp "track_file = nope" | expect "track_file: unknown [vrrp_track_file nope]"
vrrp "track_process = nope" | expect "track_process: unknown [vrrp_track_process nope]"
{ printf '[vrrp_script s]\nscript = /bin/true\n'; vrrp "track_script = s weight 300"; } |
	expect "track_script: expected NAME [weight N] with N in -253..253, got 's weight 300'"
{ printf '[vrrp_script s]\nscript = /bin/true\n'; vrrp "track_script = s wait 3"; } |
	expect "track_script: expected NAME [weight N]"
{ printf '[vrrp_script s]\nscript = /bin/true\n'; vrrp "track_script = s" "track_script = s weight 2"; } |
	expect "track_script: 's' given twice (first at line 7)"
{ printf '[vrrp_script s]\nscript = /bin/true\nweight = 5\n'; vrrp "state = MASTER" "priority = 255" "track_script = s"; } |
	expect "priority 255 (the address owner) cannot change; use weight 0"
{ printf '[vrrp_script s]\nscript = /bin/true\n'; vrrp "track_script = s weight -5";
  printf '[vrrp_sync_group G]\ngroup = VI_1\n'; } |
	expect "is in [vrrp_sync_group G], whose members move together; use weight 0"
vrrp "garp_master_refresh_repeat = 0" | expect "garp_master_refresh_repeat: expected an integer 1..255, got '0'"
printf '[global]\nvrrp_rt_priority = 100\n' | expect "vrrp_rt_priority: expected an integer 0..99, got '100'"
printf '[vrrp_track_process p]\nprocess = /bin/sleep 100\n' | expect "l.ini:2: process: '/bin/sleep' is a path but the name is matched (/proc/PID/comm: 'sleep'); give the name or set full_command = yes"
vrrp "virtual_ipaddress = ::ffff:10.77.0.50" | expect "virtual_ipaddress: ::ffff:10.77.0.50 is an IPv4-mapped IPv6 address; give the IPv4 address"
# fix11 2: sane ranges, no flood by configuration
vrrp "garp_master_refresh = 0.001" | expect "garp_master_refresh: expected 0 (off) or a duration from 1s to 86400s"
vrrp "garp_master_delay = 0.5" | expect "garp_master_delay: expected 0 (off) or a duration from 1s"
vrrp "garp_master_refresh_repeat = 1000" | expect "garp_master_refresh_repeat: expected an integer 1..255, got '1000'"
vrrp "garp_master_repeat = 256" | expect "garp_master_repeat: expected an integer 0..255"
vrrp "garp_master_delay = soon" | expect "garp_master_delay: expected 0 (off) or a duration"
vrrp 'notify = "/bin/echo x' | expect "notify: bad command line: unterminated double quote"
[ -e "$t/failed" ] && fail "some bad input was not reported as expected"
echo "ok: every bad tracking input is a -t error at its line"
