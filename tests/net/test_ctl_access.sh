#!/usr/bin/env bash
# tests/net/test_ctl_access.sh — who may use the control socket, with real
# users and groups this test creates (and removes): a member of
# control_group by a supplementary group (usermod -aG) may change weights;
# a member of control_group_ro may read (status, counters, dump) and is
# told "permission denied" for a change; anyone else is refused with a
# message. lvsctl prints a refusal and does not die of SIGPIPE even when
# lvsd has closed before lvsctl writes its request (strace delays it).
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
B=${B:-build}
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (users and groups)"; exit 77; }
for f in "$B/lvsd" "$B/lvsctl" "$B/plugins/sched_rr.so"; do
	[ -e "$f" ] || { echo "SKIP: $f not built"; exit 77; }
done
for c in useradd groupadd usermod userdel groupdel setpriv; do
	command -v $c >/dev/null || { echo "SKIP: no $c"; exit 77; }
done
B=$(cd "$B" && pwd)

ns_init
T=$NS_TMP
chmod 755 "$T" # the users reach the socket through it
P=lc$$ # names of this run's users and groups
ADM=${P}adm RO=${P}ro
cleanup() {
	local rc=$? u g
	for u in "${P}op" "${P}mon" "${P}no"; do userdel "$u" 2>/dev/null; done
	for g in "$ADM" "$RO"; do groupdel "$g" 2>/dev/null; done
	ns_cleanup
	return $rc
}
trap cleanup EXIT
groupadd "$ADM"
groupadd "$RO"
for u in op mon no; do
	useradd -M -N -g nogroup -d / -s /usr/sbin/nologin "$P$u"
done
# As an operator would: supplementary groups, the primary one unchanged.
usermod -aG "$ADM" "${P}op"
usermod -aG "$RO" "${P}mon"

SOCK=$T/lvsd.sock
cat >"$T/lvsd.ini" <<EOF
[global]
plugin_dir = $B/plugins
control_socket = $SOCK
control_group = $ADM
control_group_ro = $RO
state_file = $T/state

[virtual_server web]
address = 192.168.77.1:80
scheduler = rr

[real_server web 10.77.0.2:80]

[virtual_server big]
address = 192.168.77.2:80
scheduler = rr
EOF
# A status of some 1.4 MB (10,000 real servers): 63 of them exceed every
# budget of unread reply bytes lvsd has.
for i in $(seq 0 9999); do
	printf '[real_server big 10.%d.%d.%d:80]\n' $((i / 65536 + 1)) $((i / 256 % 256)) $((i % 256))
done >>"$T/lvsd.ini"
NS_LOG=$T/lvsd.log ns_bg - "$B/lvsd" -n --no-ipvs -c "$T/lvsd.ini"
LVSD=$NS_LAST_PID
wait_for 10 "$B/lvsctl" -S "$SOCK" counters || { cat "$T/lvsd.log"; fail "lvsd did not start"; }
[ "$(stat -c %a "$SOCK")" = 666 ] || fail "socket mode $(stat -c %a "$SOCK") with both groups (0666 expected)"

as() { # USER CMD...: run CMD as USER with the user's groups
	local u=$1; shift
	setpriv --reuid "$u" --regid nogroup --init-groups "$@"
}
ctl() { local u=$1; shift; as "$u" "$B/lvsctl" -S "$SOCK" -T 5 "$@"; }

# --- control_group by a supplementary group: every command
id "${P}op" | grep -q "($ADM)" || fail "setup: ${P}op not in $ADM"
ctl "${P}op" weight web 10.77.0.2:80 7 >"$T/out" 2>&1 || { cat "$T/out"; fail "control_group member (supplementary) refused"; }
grep -q 'weight=7' "$T/state" || fail "weight 7 not in the state file"
ctl "${P}op" status >/dev/null || fail "control_group member: status"
ok "control_group admits a supplementary member: weight and status"

# --- control_group_ro: reads, not changes
for c in status counters dump; do
	ctl "${P}mon" $c >/dev/null 2>"$T/err" || { cat "$T/err"; fail "control_group_ro: $c refused"; }
done
for c in "weight web 10.77.0.2:80 1" "drain web 10.77.0.2:80" "clear web 10.77.0.2:80" reload reconcile; do
	rc=0
	# shellcheck disable=SC2086
	ctl "${P}mon" $c >/dev/null 2>"$T/err" || rc=$?
	[ $rc = 1 ] || fail "control_group_ro: '$c' exit $rc (1 expected)"
	grep -q '^lvsctl: permission denied: .*read' "$T/err" || { cat "$T/err"; fail "control_group_ro: '$c' no clear refusal"; }
done
grep -q 'weight=7' "$T/state" || fail "a refused change touched the state file"
ok "control_group_ro: status, counters, dump; weight, drain, clear, reload, reconcile refused"

# --- anyone else: a message, exit 1
rc=0
ctl "${P}no" status >/dev/null 2>"$T/err" || rc=$?
[ $rc = 1 ] || fail "a stranger: exit $rc (1 expected)"
grep -q "^lvsctl: permission denied: uid [0-9]* is not root and not in control_group $ADM or control_group_ro $RO" "$T/err" ||
	{ cat "$T/err"; fail "a stranger: no clear refusal"; }
ok "a stranger: $(cat "$T/err")"

# --- lvsd closes before lvsctl writes: a message, not SIGPIPE
if command -v strace >/dev/null; then
	rc=0
	strace -f -o /dev/null -e trace=write,sendto -e inject=write,sendto:delay_enter=500000 \
		setpriv --reuid "${P}no" --regid nogroup --init-groups \
		"$B/lvsctl" -S "$SOCK" -T 5 status >/dev/null 2>"$T/err" || rc=$?
	[ $rc = 1 ] || { cat "$T/err"; fail "lvsctl writing after lvsd closed: exit $rc (1 expected; 141 is SIGPIPE)"; }
	grep -q '^lvsctl: permission denied' "$T/err" || { cat "$T/err"; fail "no refusal message"; }
	ok "lvsctl writing after lvsd closed: the refusal printed, exit 1"
else
	echo "note: no strace; the SIGPIPE case is not tested"
fi

# --- a read-only user cannot lock the operators out: 64 idle connections,
# reopened as lvsd closes them, leave root and control_group their slots
SLOW=(/usr/bin/python3 "$PWD/tests/lib/ctlslow.py" "$SOCK")
NS_LOG=$T/hold.out ns_bg - setpriv --reuid "${P}mon" --regid nogroup --init-groups "${SLOW[@]}" hold 64 25
HOLD=$NS_LAST_PID
wait_for 30 grep -q holding "$T/hold.out" || { cat "$T/hold.out"; fail "hold did not start"; }
sleep 1
for i in 1 2 3; do
	"$B/lvsctl" -S "$SOCK" -T 20 counters >/dev/null 2>"$T/err" || { cat "$T/err"; fail "root locked out by a read-only user's idle connections"; }
	ctl "${P}op" counters >/dev/null 2>"$T/err" || { cat "$T/err"; fail "control_group locked out by a read-only user's idle connections"; }
	sleep 0.5
done
rc=0
ctl "${P}mon" counters >/dev/null 2>"$T/err" || rc=$?
[ $rc = 1 ] && grep -q '^lvsctl: busy: .*connections' "$T/err" || { cat "$T/err"; fail "the read-only user's 65th connection: exit $rc"; }
kill "$HOLD"
ok "a read-only user holding 64 connections: root and control_group served; it is told '$(cat "$T/err")'"

# --- nor by never reading big replies: 63 connections ask for the 1.4 MB
# status and never read; the others are served, the user's budget is
# bounded
NS_LOG=$T/noread.out ns_bg - setpriv --reuid "${P}mon" --regid nogroup --init-groups "${SLOW[@]}" noreadn 63 25
NOREAD=$NS_LAST_PID
wait_for 20 grep -q busy "$T/noread.out" || { cat "$T/noread.out"; fail "noreadn did not start"; }
for i in 1 2 3; do
	"$B/lvsctl" -S "$SOCK" -T 20 status >/dev/null 2>"$T/err" || { cat "$T/err"; fail "root: status refused while a read-only user does not read"; }
	ctl "${P}op" status >/dev/null 2>"$T/err" || { cat "$T/err"; fail "control_group: status refused while a read-only user does not read"; }
	ctl "${P}op" weight web 10.77.0.2:80 6 >/dev/null 2>"$T/err" || { cat "$T/err"; fail "control_group: weight refused while a read-only user does not read"; }
done
read -r _ nb <"$T/noread.out"
[ "$nb" -ge 50 ] || fail "63 unread statuses of one read-only user: only $nb told busy"
kill "$NOREAD"
ok "63 unread 1.4 MB statuses of a read-only user: $nb told busy; root and control_group served"

# --- a reload applies the groups: without control_group_ro, 0660 and the
# monitoring user is out
sed -i "/^control_group_ro/d" "$T/lvsd.ini"
"$B/lvsctl" -S "$SOCK" -T 60 reload >/dev/null || fail "reload"
[ "$(stat -c '%a %G' "$SOCK")" = "660 $ADM" ] || fail "after the reload: socket $(stat -c '%a %G' "$SOCK") (660 $ADM expected)"
rc=0
ctl "${P}mon" status >/dev/null 2>"$T/err" || rc=$?
[ $rc = 2 ] && grep -q 'Permission denied (root, control_group or control_group_ro needed)' "$T/err" ||
	{ cat "$T/err"; fail "after the reload: control_group_ro member got in (exit $rc)"; }
ctl "${P}op" status >/dev/null || fail "after the reload: control_group member refused"
ok "a reload applies the groups: socket 0660 $ADM, the former read-only user refused at connect"
kill -0 "$LVSD" || fail "lvsd died"
