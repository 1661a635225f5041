#!/usr/bin/env bash
# test_systemd.sh (VM) — lvsd from the shipped unit (make install) under a
# real systemd (tests/lib/systemd.sh): the unit is active only after lvsd's
# READY=1; a SIGHUP shows RELOADING=1 … READY=1 and `systemctl reload` puts
# the new file in force, a bad file is refused with the unit still active;
# the WATCHDOG=1 pings keep it up well past WatchdogSec; a hung main loop
# (SIGSTOP) stops them, systemd kills lvsd and Restart= brings a new one.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/systemd.sh
B=${B:-build}
ns_init
ok() { echo "ok: $* (${SECONDS}s)"; }
trap 'rc=$?; sd_shutdown; (exit $rc); ns_cleanup' EXIT
trap 'echo "FAIL: line $LINENO: $BASH_COMMAND" >&2' ERR

# Into the VM's throw-away root, where the unit expects it (-o all: the
# build is done; make in the VM would only stat every source over 9p).
make -s install -o all B="$B" PREFIX=/usr/local >/dev/null
[ -x /usr/local/sbin/lvsd ] || fail "make install did not install lvsd"
unit=/usr/local/lib/systemd/system/lvsd.service
mkdir -p /etc/lvsd
conf() { # SCHEDULER WEIGHT [EXTRA LINE]
	cat >/etc/lvsd/lvsd.ini <<-EOF
	[virtual_server web]
	address = 192.168.0.30:80
	scheduler = $1
	[real_server web 10.0.0.51:80]
	weight = $2
	${3:-}
	EOF
}
conf wlc 1
ipvs_has() { ipvsadm -Ln | grep -qE "$1"; }
# The unit's journal lines (systemd's about it included) matching ERE.
jcount() { sd_journal lvsd.service | grep -cE "$1" || true; }
# jwait ERE [MORE_THAN]: wait (60 s) until more than MORE_THAN (0) lines
# match: journald writes systemd's lines a moment after the state changed
# (under a loaded emulated VM once more than 20 s after: a CI run).
jwait() {
	local end=$((SECONDS + 60))
	until [ "$(jcount "$1")" -gt "${2:-0}" ]; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.5
	done
}
nth_line() { { sd_journal lvsd.service | grep -nE "$1" || true; } | sed -n "${2}p" | cut -d: -f1; }

sd_boot
ok "$(sdctl --version | head -n1) booted in a PID namespace"
sd_unit "$unit"
[ "$(sd_prop lvsd.service Type)" = notify ] || fail "the unit is not Type=notify"

# ---- READY
sdctl start --no-block lvsd.service
sd_wait_prop 60 lvsd.service ActiveState active || {
	sdctl status lvsd.service || true; sd_journal lvsd.service | tail -n 30
	fail "lvsd.service did not become active (no READY=1?)"; }
st=$(sd_state lvsd.service)
case $st in active/running/*/0) ;; *) fail "lvsd.service is $st" ;; esac
# (systemd 252 shows the unit's WatchdogSec once it started)
wd=$(sd_prop lvsd.service WatchdogUSec)
[ "$wd" = 10s ] || fail "WatchdogSec is '$wd', not 10s"
jwait 'Changed start -> running' || true
ready=$(nth_line 'Got notification message from PID [0-9]+ \(READY=1' 1)
running=$(nth_line 'Changed start -> running' 1)
[ -n "$ready" ] && [ -n "$running" ] && [ "$ready" -lt "$running" ] || {
	sd_journal lvsd.service | tail -n 40 >&2
	fail "active without lvsd's READY=1 first (READY line ${ready:-none}, running ${running:-none})"; }
status=$(sd_prop lvsd.service StatusText)
[ "$status" = "running: 1 virtual server, 1 real server, 0 VRRP instances" ] ||
	fail "StatusText is '$status'"
pid=$(sd_prop lvsd.service MainPID)
since=$SECONDS # active at least this long
wd0=$(sd_prop lvsd.service WatchdogTimestampMonotonic)
wait_for 10 ipvs_has '^TCP  192.168.0.30:80 wlc' || fail "the virtual server is not in IPVS"
ok "active only after READY=1; StatusText '$status'"

# ---- RELOADING: lvsd's own SIGHUP (systemd sees RELOADING=1, then READY=1)
conf rr 1
sdctl kill --kill-who=main -s HUP lvsd.service
wait_for 20 ipvs_has '^TCP  192.168.0.30:80 rr' || fail "SIGHUP: the new scheduler is not in IPVS"
sd_wait_prop 20 lvsd.service StatusText "running: 1 virtual server, 1 real server, 0 VRRP instances (reloaded)" ||
	fail "StatusText after the reload: $(sd_prop lvsd.service StatusText)"
sd_wait_prop 20 lvsd.service SubState running || fail "SIGHUP: the unit did not return to running"
jwait 'Got notification message .*RELOADING=1, MONOTONIC_USEC=[0-9]+' ||
	fail "no RELOADING=1 with MONOTONIC_USEC reached systemd"
jwait 'Changed reload -> running' || true
rl=$(nth_line 'Changed running -> reload' 1)
back=$(nth_line 'Changed reload -> running' 1)
[ -n "$rl" ] && [ -n "$back" ] && [ "$rl" -lt "$back" ] ||
	fail "systemd did not track the reload (running -> reload -> running)"
ok "SIGHUP: RELOADING=1 (MONOTONIC_USEC), running -> reload -> running, new file in force"

# ---- systemctl reload: ExecReload validates, then signals
conf rr 3
sdctl reload lvsd.service || fail "systemctl reload failed on a good file"
wait_for 20 ipvs_has '10.0.0.51:80 *[A-Za-z]+ +3 ' || {
	ipvsadm -Ln; fail "systemctl reload: weight 3 is not in IPVS"; }
jwait 'RELOADING=1' 1 || fail "systemctl reload: no second RELOADING=1"
sd_wait_prop 20 lvsd.service SubState running || fail "the unit did not return to running"
ok "systemctl reload puts the new file in force"

# A bad file: systemctl reload fails, the unit and the old file stay.
conf rr 7 'colour = blue'
if sdctl reload lvsd.service 2>/dev/null; then fail "systemctl reload accepted a bad file"; fi
[ "$(sd_state lvsd.service)" = "active/running/$pid/0" ] ||
	fail "a refused reload changed the unit: $(sd_state lvsd.service)"
[ "$(jcount 'RELOADING=1')" = 2 ] || fail "the refused systemctl reload reached lvsd"
# And lvsd's own refusal of a bad file (a bare SIGHUP, no ExecReload check).
sdctl kill --kill-who=main -s HUP lvsd.service
jwait 'reload failed' || fail "SIGHUP with a bad file: no 'reload failed' logged"
sd_wait_prop 20 lvsd.service StatusText \
	"running: 1 virtual server, 1 real server, 0 VRRP instances; the last reload failed, the previous configuration stays" ||
	fail "StatusText does not say the reload failed: $(sd_prop lvsd.service StatusText)"
sd_wait_prop 20 lvsd.service SubState running || fail "the unit did not return to running"
jwait 'RELOADING=1' 2 || fail "no RELOADING=1 for the refused reload"
ipvs_has '10.0.0.51:80 *[A-Za-z]+ +3 ' || fail "the refused file changed IPVS"
[ "$(sd_state lvsd.service)" = "active/running/$pid/0" ] ||
	fail "lvsd's refused reload changed the unit: $(sd_state lvsd.service)"
conf rr 3
ok "a bad file is refused (systemctl reload fails; SIGHUP: READY=1, status says so); unit active"

# ---- Watchdog keep-alive: active, same PID, no restart well past WatchdogSec.
wdus=$(sd_prop lvsd.service WatchdogUSec | sed 's/s$//')
end=$((SECONDS + 60))
while :; do
	[ "$(sd_state lvsd.service)" = "active/running/$pid/0" ] ||
		fail "lvsd.service restarted or left active while healthy: $(sd_state lvsd.service)"
	[ $((SECONDS - since)) -gt $((wdus * 5 / 2)) ] && break
	[ $SECONDS -lt $end ] || fail "the keep-alive phase did not end in 60 s"
	sleep 3
done
[ "$(sd_prop lvsd.service NRestarts)" = 0 ] || fail "NRestarts is not 0 while healthy"
wd1=$(sd_prop lvsd.service WatchdogTimestampMonotonic)
[ "$wd1" -gt "$wd0" ] || fail "WatchdogTimestamp did not advance ($wd0 -> $wd1)"
jwait 'Got notification message from PID [0-9]+ \(WATCHDOG=1\)' 3 || true
pings=$(jcount 'Got notification message from PID [0-9]+ \(WATCHDOG=1\)')
[ "$pings" -ge 4 ] || fail "only $pings WATCHDOG=1 pings in 2.5 x WatchdogSec"
ok "watchdog: active past 2.5 x ${wdus}s, $pings WATCHDOG=1 pings, WatchdogTimestamp advanced"

# ---- A hung main loop: no pings, systemd kills it, Restart= starts a new one.
sd_in kill -STOP "$pid"
end=$((SECONDS + 90))
while :; do
	st=$(sd_state lvsd.service)
	np=$(echo "$st" | cut -d/ -f3)
	case $st in active/running/*/1) [ "$np" != "$pid" ] && break ;; esac
	[ $SECONDS -lt $end ] || { sdctl status lvsd.service || true
		fail "no watchdog restart within 90 s of the hang"; }
	sleep 1
done
jwait 'Watchdog timeout' || fail "systemd did not log a watchdog timeout"
jwait "Failed with result 'watchdog'" || fail "the unit did not fail with result 'watchdog'"
sd_in kill -0 "$pid" 2>/dev/null && fail "the hung lvsd (PID $pid) still exists"
wait_for 20 sh -c "$B/lvsctl status >/dev/null" || fail "the new lvsd does not answer"
wait_for 20 ipvs_has '10.0.0.51:80 *[A-Za-z]+ +3 ' || fail "the new lvsd did not program IPVS"
ok "hang: watchdog timeout, killed, NRestarts 1, new MainPID $np serving"

# ---- Stop: STOPPING=1, inactive, IPVS cleaned.
sdctl stop lvsd.service
[ "$(sd_prop lvsd.service ActiveState)" = inactive ] || fail "lvsd.service not inactive after stop"
jwait 'STOPPING=1' || fail "no STOPPING=1"
ipvs_has '192.168.0.30:80' && fail "the virtual server stays in IPVS after stop"
ok "stop: STOPPING=1, inactive, IPVS cleaned"
