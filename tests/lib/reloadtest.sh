# reloadtest.sh — what the reload tests of the real lvsd share
# (tests/net/test_reload_fast.sh, test_reload_guard.sh: --no-ipvs, no
# namespaces): skip unless lvsd, lvsctl and the plugins they load are
# built; $B absolute, $T a temporary directory removed at exit with the
# lvsd of $PID; fail (with the log's tail), ok, wait_for SECONDS CMD...,
# $SOCK and ctl (lvsctl on it). Source from the tree's top.
B=${B:-build}
for f in "$B/lvsd" "$B/lvsctl" "$B/plugins/sched_wlc.so" "$B/plugins/check_http.so"; do
	[ -e "$f" ] || { echo "SKIP: $f not built"; exit 77; }
done
B=$(cd "$B" && pwd)
T=$(mktemp -d)
PID=
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; [ -f "$T/lvsd.log" ] && tail -30 "$T/lvsd.log" >&2; exit 1; }
ok() { echo "ok: $*"; }
wait_for() { # SECONDS CMD...: poll every 0.1 s until CMD succeeds
	local end=$((SECONDS + $1)); shift
	until "$@" >/dev/null 2>&1; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.1
	done
}
SOCK=$T/lvsd.sock
ctl() { timeout 20 "$B/lvsctl" -s "$SOCK" "$@"; }
