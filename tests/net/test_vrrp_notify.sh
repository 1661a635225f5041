#!/usr/bin/env bash
# test_vrrp_notify.sh — keepalived's generic notify and notify_stop: the
# notify program of an instance gets INSTANCE NAME STATE PRIORITY after its
# configured arguments on every change (the effective priority: tracking
# included), a sync group's gets GROUP NAME STATE 0, and notify_stop plus
# notify ... STOP run when lvsd stops (GROUP NAME STOP 0 too), as
# Debian's keepalived 2.x does. The programs run without a shell;
# the recorder is a script with its own #! line.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/vrrp.sh
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 77; }
[ -e "${B:-build}/plugins/vrrp_vrrp.so" ] || { echo "no VRRP plugin built"; exit 77; }
ns_init
vrrp_topo 1
T=$NS_TMP
cat >"$T/rec" <<EOT
#!/bin/sh
# one write a line: the instance's and the group's programs run at once
line=\$(printf '%s|' "\$@")
printf '%s\n' "\$line" >>"$T/notify.log"
id -un >>"$T/notify.users"
[ -e /proc/\$\$/fd/251 ] && echo "\$line" >>"$T/notify.fds"
exit 0
EOT
chmod +x "$T/rec"
echo 0 >"$T/flag"
echo -20 >"$T/prio"
cat >"$T/d1.ini" <<EOT
[vrrp_track_file flag]
file = $T/flag
weight = 0

[vrrp_track_file prio]
file = $T/prio

[vrrp VI_1]
state = MASTER
interface = eth0
virtual_router_id = 51
priority = 150
virtual_ipaddress = 10.9.0.50 dev eth0
track_file = flag
notify = $T/rec one "two words"
notify_stop = $T/rec stopped VI_1

[vrrp VI_2]
state = MASTER
interface = eth0
virtual_router_id = 52
priority = 150
virtual_ipaddress = 10.9.0.60 dev eth0
track_file = prio
notify = $T/rec two

[vrrp_sync_group G]
group = VI_1
notify = $T/rec grp
EOT
has() { grep -qxF -- "$1" "$T/notify.log" 2>/dev/null; }
exec 251<"$T/flag" # a stray fd lvsd inherits: no program may get it
lv_start d1 "$T/d1.ini"
exec 251<&-
wait_ms 6000 has "one|two words|INSTANCE|VI_1|MASTER|150|" >/dev/null ||
	vrrp_fail "no notify for VI_1 MASTER: $(cat "$T/notify.log" 2>/dev/null)"
wait_ms 3000 has "two|INSTANCE|VI_2|MASTER|130|" >/dev/null ||
	vrrp_fail "no notify for VI_2 MASTER with its effective priority 130: $(cat "$T/notify.log")"
wait_ms 3000 has "grp|GROUP|G|MASTER|0|" >/dev/null || vrrp_fail "no GROUP notify: $(cat "$T/notify.log")"
has "one|two words|INSTANCE|VI_1|BACKUP|150|" || vrrp_fail "no notify for INIT -> BACKUP"
ok "notify: INSTANCE VI_1 BACKUP/MASTER 150, VI_2 MASTER 130 (tracking), GROUP G MASTER 0"

echo 1 >"$T/flag"
wait_ms 3000 has "one|two words|INSTANCE|VI_1|FAULT|150|" >/dev/null || vrrp_fail "no notify for FAULT: $(cat "$T/notify.log")"
wait_ms 3000 has "grp|GROUP|G|FAULT|0|" >/dev/null || vrrp_fail "no GROUP notify for FAULT"
ok "notify: FAULT for the instance and its group"

kill "$(lv_pid d1)"
wait_ms 5000 has "stopped|VI_1|" >/dev/null || vrrp_fail "notify_stop did not run: $(cat "$T/notify.log")"
wait_ms 3000 has "one|two words|INSTANCE|VI_1|STOP|150|" >/dev/null || vrrp_fail "no notify ... STOP: $(cat "$T/notify.log")"
wait_ms 3000 has "two|INSTANCE|VI_2|STOP|130|" >/dev/null || vrrp_fail "no notify ... STOP for VI_2"
wait_ms 3000 has "grp|GROUP|G|STOP|0|" >/dev/null || vrrp_fail "no GROUP notify with STOP"
ok "lvsd stopped: notify_stop ran, and notify with STOP for each instance"

# issue 17: every program ran as script_user (default lvsd), never root
[ "$(sort -u "$T/notify.users")" = lvsd ] ||
	vrrp_fail "notify programs ran as: $(sort -u "$T/notify.users" | tr '\n' ' ')"
ok "every notify program ran as lvsd (script_user's default)"
[ ! -e "$T/notify.fds" ] || vrrp_fail "notify programs inherited lvsd's fd 251: $(cat "$T/notify.fds")"
ok "no notify program got lvsd's inherited fd 251"
# and a program others may replace is refused at -t, named, with the fix
cp "$T/rec" "$T/rec.gw"
chmod 775 "$T/rec.gw"
sed "s|^notify_stop = .*|notify_stop = $T/rec.gw stopped|" "$T/d1.ini" >"$T/gw.ini"
if "${B:-build}/lvsd" -t -P "${B:-build}/plugins" -c "$T/gw.ini" >"$T/gw.out" 2>&1; then
	cat "$T/gw.out"; vrrp_fail "lvsd -t took a group-writable notify program"
fi
grep -q "notify_stop.*rec.gw is writable by its group (mode 0775); fix: chmod go-w $T/rec.gw" "$T/gw.out" ||
	{ cat "$T/gw.out"; vrrp_fail "the refusal does not name the program and the fix"; }
ok "a group-writable notify program is refused at -t with the fix"
