#!/usr/bin/env bash
# test_systemd_seed.sh (VM) — the seed's setup run by the hardened unit
# (make install, /usr/local) under a real systemd (tests/lib/systemd.sh):
# the director is the VM's own network namespace (tests/lib/topo.sh), its
# config etc/lvsd-failover.ini (VRRP VI_1 + IPVS NAT + HTTP_GET) with
# notify programs added. Checked: the sandbox is what the unit says (the
# capability bounding set, NoNewPrivs, a read-only /usr), VRRP takes the
# VIPs, the IPVS table is the seed's and the client reaches both
# backends, an HTTP_GET check takes a dead backend out and its
# notify_down runs as script_user (lvsd), lvsctl drain writes the state
# file, the check process runs unprivileged.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/topo.sh
. tests/lib/systemd.sh
B=${B:-build}
ns_init
ok() { echo "ok: $* (${SECONDS}s)"; }
trap 'rc=$?; sd_shutdown; (exit $rc); ns_cleanup' EXIT
trap 'echo "FAIL: line $LINENO: $BASH_COMMAND" >&2' ERR

# ---- the hosts: client -- director (here) -- Backend01, Backend02
topo_nat
make -s install -o all B="$B" PREFIX=/usr/local >/dev/null
unit=/usr/local/lib/systemd/system/lvsd.service
mkdir -p /etc/lvsd
chmod 755 /etc/lvsd
# A notify program as an operator writes it: root's, 0755, in /etc. It
# can write only to the unit's private /tmp (ProtectSystem=strict).
cat >/etc/lvsd/notify.sh <<'EOF'
#!/bin/sh
echo "$(id -un) $*" >>/tmp/notify.log
EOF
chmod 755 /etc/lvsd/notify.sh
# The seed's file as written, without its mail (no MTA here), plus notify.
grep -v '^notification_email\|^smtp_' etc/lvsd-failover.ini |
	sed -e '/^virtual_router_id = 51$/a notify_master = /etc/lvsd/notify.sh master VI_1' \
	    -e '/^\[real_server web 10.0.0.52:80\]$/a notify_down = /etc/lvsd/notify.sh down 10.0.0.52' \
	    >/etc/lvsd/lvsd.ini
[ "$(grep -c '^notify_' /etc/lvsd/lvsd.ini)" = 2 ] || fail "the notify lines were not added"
/usr/local/sbin/lvsd -t -c /etc/lvsd/lvsd.ini >/dev/null ||
	fail "the seed's file does not pass lvsd -t: $(/usr/local/sbin/lvsd -t -c /etc/lvsd/lvsd.ini 2>&1)"

sd_boot
sd_unit "$unit"
sdctl start --no-block lvsd.service
sd_wait_prop 60 lvsd.service ActiveState active || {
	sdctl status lvsd.service || true; sd_journal lvsd.service | tail -n 30
	fail "lvsd.service did not become active"; }
pid=$(sd_prop lvsd.service MainPID)
ok "lvsd.service active from $unit (MainPID $pid)"

# ---- the sandbox, as the unit says
st=$(sd_in cat "/proc/$pid/status")
field() { printf '%s\n' "$st" | awk -v k="$1:" '$1 == k { print $2 }'; }
# CHOWN 0, KILL 5, SETGID 6, SETUID 7, NET_ADMIN 12, NET_RAW 13, SYS_NICE 23
[ "$(field CapBnd)" = 00000000008030e1 ] || fail "CapBnd is $(field CapBnd), not 00000000008030e1"
[ "$(field CapEff)" = 00000000008030e1 ] || fail "CapEff is $(field CapEff)"
[ "$(field NoNewPrivs)" = 1 ] || fail "NoNewPrivs is $(field NoNewPrivs)"
[ "$(field Seccomp)" = 2 ] || fail "no system call filter (Seccomp $(field Seccomp))"
sd_in nsenter -t "$pid" --mount sh -c 'touch /usr/lvsd-probe' 2>/dev/null &&
	fail "lvsd's mount namespace can write /usr (ProtectSystem=strict)"
ok "sandbox: CapBnd/CapEff 8030e1 (7 capabilities), NoNewPrivs, seccomp, /usr read-only"

# ---- VRRP: VI_1 (BACKUP, nopreempt, alone) becomes MASTER with both VIPs
vip() { ip -o addr show dev "$2" | grep -q " $1/"; }
both() { vip 192.168.0.29 eth0 && vip 10.0.0.29 eth1; }
wait_for 30 both || { sd_journal lvsd.service | tail -n 30; fail "VI_1 did not take 192.168.0.29 and 10.0.0.29"; }
ok "VRRP VI_1 MASTER: 192.168.0.29 (eth0), 10.0.0.29 (eth1)"

# ---- IPVS: the seed's table; the client reaches both backends
ipvs() { ipvsadm -Ln; }
table_ok() {
	local t; t=$(ipvs)
	grep -qE '^TCP  192\.168\.0\.29:80 rr' <<<"$t" &&
		grep -qE '10\.0\.0\.51:80 +Masq +1 ' <<<"$t" &&
		grep -qE '10\.0\.0\.52:80 +Masq +1 ' <<<"$t"
}
wait_for 30 table_ok || { ipvs; fail "the IPVS table is not the seed's"; }
answers=""
for i in 1 2 3 4; do answers="$answers $(topo_get 192.168.0.29)"; done
case $answers in *Backend01*Backend02* | *Backend02*Backend01*) ;;
*) fail "the client did not reach both backends: $answers" ;; esac
ok "IPVS: TCP 192.168.0.29:80 rr, 10.0.0.51/52 Masq 1; client got$answers"

# ---- a dead backend: HTTP_GET takes it out, notify_down runs as lvsd
kill "$TOPO_HTTPD2"
gone() { ! ipvs | grep -q '10\.0\.0\.52:80'; }
wait_for 60 gone || { ipvs; fail "HTTP_GET did not take the dead 10.0.0.52 out"; }
notes() { cat /tmp/systemd-private-*-lvsd.service-*/tmp/notify.log 2>/dev/null || true; }
has_note() { notes | grep -qx "$1"; }
wait_for 20 has_note "lvsd down 10.0.0.52" || {
	notes; sd_journal lvsd.service | tail -n 20; fail "notify_down did not run as lvsd"; }
has_note "lvsd master VI_1" || { notes; fail "notify_master did not run as lvsd"; }
notes | grep -q '^root ' && fail "a program ran as root: $(notes)"
answers=""
for i in 1 2 3; do answers="$answers $(topo_get 192.168.0.29)"; done
case $answers in *Backend02* | *none*) fail "still sent to the dead backend: $answers" ;; esac
ok "HTTP_GET took 10.0.0.52 out; notify_down and notify_master ran as lvsd (private /tmp)"

# ---- the operator layer: lvsctl drain writes /var/lib/lvsd/state
"$B/lvsctl" drain web 10.0.0.51:80 >/dev/null
wait_for 10 grep -q '10\.0\.0\.51' /var/lib/lvsd/state ||
	fail "lvsctl drain did not write /var/lib/lvsd/state"
wait_for 10 sh -c "ipvsadm -Ln | grep -qE '10\.0\.0\.51:80 +Masq +0 '" || fail "drain: weight is not 0"
"$B/lvsctl" enable web 10.0.0.51:80 >/dev/null
ok "lvsctl drain: weight 0, /var/lib/lvsd/state written (StateDirectory)"

# ---- the check process: unprivileged (privilege separation, core/checkproc.c)
if [ -e core/checkproc.c ]; then
	# its PID as lvsctl status gives it (a PID of systemd's namespace)
	checker=$("$B/lvsctl" status | sed -n 's/.*check process: pid \([0-9]*\),.*/\1/p' | head -n1)
	[ -n "$checker" ] || { "$B/lvsctl" status; fail "lvsctl status names no check process"; }
	sd_in cat "/proc/$pid/task/$pid/children" | grep -qw "$checker" ||
		fail "the check process $checker is not a child of lvsd ($pid)"
	cst=$(sd_in cat "/proc/$checker/status")
	cuid=$(printf '%s\n' "$cst" | awk '$1 == "Uid:" { print $2 }')
	[ "$cuid" = "$(id -u lvsd)" ] || fail "the check process runs as uid $cuid, not lvsd"
	ceff=$(printf '%s\n' "$cst" | awk '$1 == "CapEff:" { print $2 }')
	[ "$ceff" = 0000000000000000 ] || fail "the check process (PID $checker) has CapEff $ceff"
	ok "the check process (PID $checker) runs as lvsd with no capabilities"
else
	echo "note: this tree has no check process (core/checkproc.c)"
fi

# nothing the sandbox broke said so in the log
bad=$(sd_journal lvsd.service | grep -E 'no real-time scheduling|Operation not permitted|Permission denied|Read-only file system' || true)
[ -z "$bad" ] || fail "the sandbox got in the way: $bad"
ok "no EPERM/EACCES/EROFS in lvsd's journal; the VRRP engine got SCHED_RR"

sdctl stop lvsd.service
[ "$(sd_prop lvsd.service ActiveState)" = inactive ] || fail "not inactive after stop"
ipvs | grep -q '192.168.0.29:80' && fail "the virtual server stays in IPVS after stop"
ok "stop: inactive, IPVS cleaned"
