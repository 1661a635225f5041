#!/usr/bin/env bash
# import.sh — lvsd-import on its corpus (tests/import/corpus/NAME.conf):
# the lvsd.ini and the stderr equal the goldens NAME.ini and NAME.err, the
# exit status is 1 when NAME.err lists something left out and 0 when it is
# empty, `lvsd -t` accepts every result, and keepalived 2.2's own
# `keepalived -t` accepts every input (in a namespace that has eth0 and
# eth1), so the corpus is real keepalived syntax. tests/import/bad/*.conf
# are fatal errors: exit 2, the message in NAME.err, no file written.
# UPDATE=1 rewrites the goldens (review the diff before committing).
set -euo pipefail
B=${B:-build}
ROOT=$PWD
IMP="$ROOT/$B/lvsd-import"
C=tests/import/corpus
t=$(mktemp -d)
ns=""
cleanup() {
	[ -n "$ns" ] && ip netns del "$ns" 2>/dev/null
	rm -rf "$t"
}
trap cleanup EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

[ -x "$IMP" ] || { echo "FAIL: $IMP not built"; exit 1; }

lvsd_t() { "$B/lvsd" -t -P "$B/plugins" -c "$1" >"$t/lvsd.out" 2>&1; }

# keepalived -t needs the interfaces a file names: a namespace with
# eth0 and eth1 (a veth pair), as on the seed's directors.
KA=""
if command -v keepalived >/dev/null && [ "$(id -u)" = 0 ]; then
	ns="kaimp$$"
	ip netns add "$ns"
	ip -n "$ns" link add eth0 type veth peer name eth1
	ip -n "$ns" link set eth0 up
	ip -n "$ns" link set eth1 up
	KA=1
else
	echo "SKIP: keepalived -t of the corpus (needs keepalived and root)"
fi

# keepalived -t's verdict: exit 0, or only its warning that scripts run
# as root, or the warnings the file announces as "! keepalived -t: LINE".
ka_check() {
	local f=$1 out rc=0 line
	out=$(cd "$C" && timeout 20 ip netns exec "$ns" keepalived -t -f "$f" 2>&1) || rc=$?
	[ $rc = 0 ] && return 0
	while IFS= read -r line; do
		[ -z "$line" ] && continue
		case $line in
		"SECURITY VIOLATION - "*"scripts are being executed but script_security not enabled.") continue ;;
		esac
		grep -qxF "! keepalived -t: $line" "$C/$f" && continue
		bad "keepalived -t $f (exit $rc): $line"
	done <<<"$out"
	[ $rc = 5 ] || [ $rc = 6 ] || bad "keepalived -t $f: exit $rc"
}

n=0
for conf in "$C"/*.conf; do
	f=$(basename "$conf")
	name=${f%.conf}
	n=$((n + 1))
	rc=0
	(cd "$C" && "$IMP" "$f") >"$t/$name.ini" 2>"$t/$name.err" || rc=$?
	if [ -n "${UPDATE:-}" ]; then
		cp "$t/$name.ini" "$C/$name.ini"
		cp "$t/$name.err" "$C/$name.err"
	fi
	want=0
	[ -s "$C/$name.err" ] && want=1
	[ $rc = $want ] || bad "$f: exit $rc, want $want"
	diff -u "$C/$name.ini" "$t/$name.ini" || bad "$f: lvsd.ini differs from $name.ini"
	diff -u "$C/$name.err" "$t/$name.err" || bad "$f: stderr differs from $name.err"
	# every left-out line has the FILE:LINE: keyword: why shape
	if grep -vqE '^[^:]+:[0-9]+: [^ :]+: .+' "$t/$name.err"; then
		bad "$f: a stderr line without FILE:LINE: keyword: why"
	fi
	# every result, no exceptions: lvsd has every key the importer writes
	if ! lvsd_t "$t/$name.ini"; then
		cat "$t/lvsd.out"
		bad "$f: lvsd -t refuses the result"
	fi
	[ -n "$KA" ] && ka_check "$f"
done
[ $n -ge 30 ] || bad "only $n corpus files (want 30 or more)"

# -o writes the same file, atomically (no temporary left behind)
(cd "$C" && "$IMP" -o "$t/o.ini" 02-seed-failover.conf) || bad "-o: exit $?"
cmp -s "$t/o.ini" "$C/02-seed-failover.ini" || bad "-o: differs from stdout's"
ls "$t" | grep -q 'o.ini.tmp' && bad "-o left a temporary file"

# fatal errors: exit 2, the message, nothing written
for conf in tests/import/bad/*.conf; do
	f=$(basename "$conf")
	name=${f%.conf}
	rc=0
	rm -f "$t/bad.ini"
	(cd tests/import/bad && "$IMP" -o "$t/bad.ini" "$f") 2>"$t/$name.err" || rc=$?
	[ -n "${UPDATE:-}" ] && cp "$t/$name.err" "tests/import/bad/$name.err"
	[ $rc = 2 ] || bad "bad/$f: exit $rc, want 2"
	[ -e "$t/bad.ini" ] && bad "bad/$f: an output file was written"
	diff -u "tests/import/bad/$name.err" "$t/$name.err" || bad "bad/$f: stderr differs"
done
rc=0
"$IMP" "$t/does-not-exist.conf" 2>"$t/nx.err" || rc=$?
[ $rc = 2 ] && grep -q 'does-not-exist.conf: No such file' "$t/nx.err" || bad "missing file: exit $rc"

[ $fail = 0 ] || exit 1
echo "ok: import: $n keepalived.conf files converted and checked"
