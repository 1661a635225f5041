#!/usr/bin/env bash
# tests/net/test_opstate.sh — the operator state file under the real lvsd
# (--no-ipvs, no traffic: only its control socket) — issue 12 items 12,
# 13, 14 and 8 (grace):
#  - a directory or a FIFO at the state path: said at start (never a hang),
#    changes apply but lvsctl says they are not saved, the path is not
#    written over; moved away, the next change is saved;
#  - a NUL byte and a bad line: each named FILE:LINE, the good lines apply,
#    the file is kept as STATE.bad-TIME (same bytes) before the first write;
#  - the save: a symlink planted at the old fixed temporary name is not
#    followed; the new file is made O_EXCL|O_NOFOLLOW, fsync'd, renamed,
#    and its directory fsync'd (strace, if installed);
#  - overrides of real servers (and whole virtual servers) removed by a
#    reload are kept for operator_grace: a restored file, a restart in
#    between, or a forced wipe of every virtual server bring them back
#    still drained; past the grace they are dropped and logged; 0 = at once;
#  - 100,000 stale entries: lvsd answers in seconds (it took minutes), and
#    the log says so in a dozen lines, not 100,000;
#  - issue 14 goal 6: a change is one journal line appended to the file
#    (not the whole file rewritten), read back at a restart; a journal
#    line cut short (a crash) is named and never applied; a file changed
#    behind lvsd's back is written whole, not appended to; a long journal
#    is folded into a whole file.
# OPSTATE_PARTS="hold fifo damage save grace big journal" runs some parts.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/opstate.sh
B=${B:-build}
for f in "$B/lvsd" "$B/lvsctl"; do
	[ -x "$f" ] || { echo "SKIP: $f not built"; exit 77; }
done
B=$(cd "$B" && pwd)
ns_init
T=$NS_TMP
SOCK=$T/lvsd.sock
LOG=$T/lvsd.log

# cfg GRACE VS... : the config with these virtual servers (web: 2 real
# servers, api: 1, keep: 1 — keep stays, so no reload removes everything).
cfg() {
	local grace=$1; shift
	{
		printf '[global]\nplugin_dir = %s\nlog_level = info\n' "$B/plugins"
		[ "$grace" = - ] || printf 'operator_grace = %s\n' "$grace"
		local v
		for v in "$@"; do
			case $v in
			web) printf '\n[virtual_server web]\naddress = 192.168.77.1:80\nscheduler = rr\n'
			     printf '[real_server web 10.0.0.1:80]\n[real_server web 10.0.0.2:80]\n' ;;
			api) printf '\n[virtual_server api]\naddress = 192.168.77.2:80\nscheduler = rr\n'
			     printf '[real_server api 10.0.1.1:80]\n' ;;
			keep) printf '\n[virtual_server keep]\naddress = 192.168.77.3:80\nscheduler = rr\n'
			      printf '[real_server keep 10.0.2.1:80]\n' ;;
			esac
		done
	} >"$T/lvsd.ini"
}

PID=
start() { # STATE [SECONDS to answer, default 20]
	: >"$LOG"
	NS_LOG=$LOG ns_bg - "$B/lvsd" -n -v --no-ipvs -c "$T/lvsd.ini" -S "$SOCK" \
		--state-file "$1"
	PID=$NS_LAST_PID
	wait_for "${2:-20}" ctl counters || { cat "$LOG"; fail "lvsd did not answer"; }
}
stop() { # and no sanitizer report in its log (make SAN=...)
	ns_stop "$PID"; PID=; rm -f "$SOCK"
	! grep -q "Sanitizer\|runtime error" "$LOG" || { cat "$LOG"; fail "sanitizer report"; }
}
ctl() { timeout 30 "$B/lvsctl" -s "$SOCK" "$@"; }
col() { # VS RS COLUMN -> a column of `lvsctl status` (8 admin, 10 oper)
	ctl status | awk -v vs="($1)" -v rs="$2" -v c="$3" '
		/^[A-Z]/ { cur = $NF } $1 == "->" && $2 == rs && cur == vs { print $c }'
}
admin() { col "$1" "$2" 8; }
oper() { col "$1" "$2" 10; }
logged() { grep -q -- "$1" "$LOG"; }
reload() { ctl reload >/dev/null || { cat "$LOG"; fail "reload refused"; }; }

# ----------------------------------------------------------- item 12: hold
part_hold() {
	cfg - web api keep
	mkdir -p "$T/a/state"
	start "$T/a/state"
	logged "operator state $T/a/state: Is a directory: starting without it" ||
		{ cat "$LOG"; fail "a directory at the state path was not reported"; }
	out=$(ctl drain web 10.0.0.1:80)
	grep -q "warning: applied but not saved: $T/a/state could not be read at start (Is a directory)" <<<"$out" ||
		{ echo "$out"; fail "lvsctl did not say the change is not saved"; }
	[ "$(admin web 10.0.0.1:80)" = drain ] || fail "the change did not apply in memory"
	logged "operator state not saved: $T/a/state could not be read" || fail "no log of the unsaved change"
	ctl dump | grep -q "operator state $T/a/state: 1 overrides .*not saved" || fail "dump: no unsaved state"
	[ -d "$T/a/state" ] && [ -z "$(ls -A "$T/a/state")" ] || fail "the directory was touched"
	[ -z "$(ls "$T/a" | grep -v '^state$')" ] || { ls -la "$T/a"; fail "files left next to the held path"; }
	rmdir "$T/a/state"
	out=$(ctl weight web 10.0.0.2:80 5)
	! grep -q warning <<<"$out" || { echo "$out"; fail "still not saved after the path was moved away"; }
	logged "operator state $T/a/state was moved away: saving again" || fail "no log of the release"
	grep -q "^rs web 10.0.0.1:80 cfgweight=1 admin=drain$" "$T/a/state" &&
		grep -q "^rs web 10.0.0.2:80 cfgweight=1 weight=5$" "$T/a/state" ||
		{ cat "$T/a/state"; fail "the state held in memory was not saved"; }
	stop
	ok "a directory at the state path: said, changes apply unsaved, never written over; moved away, saved"
}

# ----------------------------------------------------------- item 12: FIFO
part_fifo() {
	cfg - web api keep
	mkdir -p "$T/a"
	mkfifo "$T/a/fifo"
	start "$T/a/fifo" 10
	logged "operator state $T/a/fifo: a FIFO, not a regular file: starting without it" ||
		{ cat "$LOG"; fail "a FIFO at the state path was not reported"; }
	ctl drain web 10.0.0.1:80 | grep -q "warning: applied but not saved" || fail "FIFO: change not said unsaved"
	[ -p "$T/a/fifo" ] || fail "the FIFO was replaced"
	stop
	ok "a FIFO at the state path: no hang, said, not written over"
}

# ------------------------------------------------------ item 12: damage
part_damage() {
	cfg - web api keep
	mkdir -p "$T/b"
	S=$T/b/state
	printf 'rs web 10.0.0.1:80 cfgweight=1 admin=drain\nrs web 10.0.0.2:80 \0cfgweight=1 admin=drain\nrs web 10.0.0.2:80 cfgweight=1 colour=red\nrs api 10.0.1.1:80 cfgweight=1 weight=7\n' >"$S"
	cp "$S" "$T/b/orig"
	start "$S"
	logged "$S:2: NUL byte (line ignored)" || { cat "$LOG"; fail "NUL byte not named with FILE:LINE"; }
	logged "$S:3: rs: unknown key 'colour' (line ignored)" || { cat "$LOG"; fail "bad line not named with FILE:LINE"; }
	logged "operator state $S: 2 damaged lines ignored" || { cat "$LOG"; fail "no summary of the damage"; }
	[ "$(admin web 10.0.0.1:80)" = drain ] && [ "$(oper api 10.0.1.1:80)" = 7 ] ||
		{ ctl status; fail "the good lines did not apply"; }
	[ "$(admin web 10.0.0.2:80)" != drain ] || fail "a damaged line applied"
	cmp -s "$S" "$T/b/orig" || fail "the damaged file was rewritten at start"
	ctl enable web 10.0.0.2:80 | grep -q warning && fail "a change after damage said not saved"
	bad=$(ls "$T"/b/state.bad-* 2>/dev/null | head -1)
	[ -n "$bad" ] && cmp -s "$bad" "$T/b/orig" || { ls -la "$T/b"; fail "the damaged file was not kept aside as it was"; }
	logged "operator state $S had 2 damaged lines: kept as $bad" || fail "keeping aside not logged"
	! grep -q "colour\|NUL" "$S" && [ "$(tr -d '\0' <"$S" | wc -c)" = "$(wc -c <"$S")" ] ||
		fail "the damage was written back"
	grep -q "^rs web 10.0.0.1:80 cfgweight=1 admin=drain$" "$S" &&
		grep -q "^rs api 10.0.1.1:80 cfgweight=1 weight=7$" "$S" &&
		grep -q "^rs web 10.0.0.2:80 cfgweight=1 admin=enabled$" "$S" ||
		{ cat "$S"; fail "the good lines and the change were not saved"; }
	stop
	start "$S"
	! logged "damaged" || fail "damage reported again after the rewrite"
	[ "$(admin web 10.0.0.1:80)" = drain ] || fail "not drained after a restart"
	stop
	ok "NUL byte and bad line: FILE:LINE each, good lines apply, the file kept as $(basename "$bad") before the first write"
}

# ------------------------------------------------------------ item 13: save
part_save() {
	cfg - web api keep
	mkdir -p "$T/c"
	S=$T/c/state
	echo precious >"$T/c/victim"
	ln -s "$T/c/victim" "$S.tmp"
	start "$S"
	if command -v strace >/dev/null; then
		strace -f -qq -p "$PID" -e trace=openat,fsync,rename,renameat,renameat2 \
			-o "$T/strace" 2>"$T/strace.err" &
		SPID=$!
		NS_PIDS+=("$SPID")
		sleep 1
	fi
	ctl drain web 10.0.0.1:80 >/dev/null
	[ "$(cat "$T/c/victim")" = precious ] || fail "lvsd wrote through a planted symlink"
	[ -f "$S" ] && [ ! -L "$S" ] && grep -q "admin=drain" "$S" || fail "the state file was not written"
	[ "$(stat -c %a "$S")" = 600 ] || fail "state file mode $(stat -c %a "$S"), not 600"
	[ -L "$S.tmp" ] || fail "the planted symlink was touched"
	if [ -n "${SPID:-}" ]; then
		sleep 0.5
		kill "$SPID" 2>/dev/null; wait "$SPID" 2>/dev/null || true
		tmpl=$(grep -o "openat([^\"]*\"$S\.[A-Za-z0-9]\{6\}\", [^)]*) = [0-9]*" "$T/strace" | tail -1)
		[ -n "$tmpl" ] || { cat "$T/strace"; fail "strace: no temporary file opened"; }
		grep -q "O_EXCL" <<<"$tmpl" && grep -q "O_NOFOLLOW" <<<"$tmpl" && grep -q "O_CREAT" <<<"$tmpl" ||
			fail "temporary file opened without O_CREAT|O_EXCL|O_NOFOLLOW: $tmpl"
		fd=${tmpl##* }
		dirfd=$(grep -o "openat([^\"]*\"$T/c\", O_RDONLY|O_CLOEXEC|O_DIRECTORY) = [0-9]*\|openat([^\"]*\"$T/c\", O_RDONLY|O_DIRECTORY|O_CLOEXEC) = [0-9]*" "$T/strace" | tail -1)
		[ -n "$dirfd" ] || { cat "$T/strace"; fail "strace: the directory was not opened"; }
		# the order: fsync(file), rename, fsync(dir)
		awk -v fd="$fd" -v dfd="${dirfd##* }" -v s="\"$S\"" '
			$0 ~ "fsync\\(" fd "\\)" && !step { step = 1 }
			$0 ~ "rename" && index($0, s) && step == 1 { step = 2 }
			$0 ~ "fsync\\(" dfd "\\)" && step == 2 { step = 3 }
			END { exit step == 3 ? 0 : 1 }' "$T/strace" ||
			{ cat "$T/strace"; fail "strace: not fsync(file), rename, fsync(dir)"; }
		ok "strace: O_CREAT|O_EXCL|O_NOFOLLOW temporary, fsync(file), rename, fsync(dir)"
	fi
	stop
	ok "the save follows no planted symlink and leaves it alone"
}

# ------------------------------------------------------------ item 8: grace
part_grace() {
	mkdir -p "$T/d"
	S=$T/d/state
	cfg - web api keep
	start "$S"
	ctl drain web 10.0.0.1:80 >/dev/null
	ctl weight web 10.0.0.2:80 3 >/dev/null
	ctl disable api 10.0.1.1:80 >/dev/null
	restored() {
		[ "$(admin web 10.0.0.1:80)" = drain ] && [ "$(oper web 10.0.0.2:80)" = 3 ] &&
			[ "$(admin api 10.0.1.1:80)" = disabled ]
	}
	restored || { ctl status; fail "overrides not set"; }
	cfg - keep
	reload
	logged "operator override of web 10.0.0.1:80 (drain) kept for operator_grace (3600s): no longer configured" ||
		{ cat "$LOG"; fail "keeping an override of a removed server not logged"; }
	[ "$(grep -c 'gone=' "$S")" = 3 ] || { cat "$S"; fail "removed servers not marked gone in the file"; }
	ctl dump | grep -q "3 overrides (3 of removed real servers" || fail "dump: kept overrides not counted"
	cfg - web api keep
	reload
	restored || { ctl status; fail "a restored file brought the servers back without their overrides"; }
	logged "operator override of web 10.0.0.1:80 (drain) applies again: configured again" || fail "not logged"
	! grep -q 'gone=' "$S" || fail "gone= left in the file"
	ok "a reload that removes servers and virtual servers keeps their overrides; restored, they apply"

	# A wipe of every virtual server: refused unless forced (issue 12
	# item 8, the cfg side), and forced, the overrides are still kept.
	cfg -
	ctl reload >/dev/null 2>&1 && fail "a reload removing every virtual server was not refused"
	ctl reload --force >/dev/null || { cat "$LOG"; fail "reload --force refused"; }
	ctl status | grep -q "0 virtual servers" || { ctl status; fail "the wipe did not apply"; }
	cfg - web api keep
	reload
	restored || { ctl status; fail "overrides lost in a wipe of every virtual server"; }
	ok "a (forced) wipe of every virtual server keeps the overrides within the grace"

	# A restart while the servers are out of the file.
	cfg - keep
	reload
	stop
	cfg - web api keep
	start "$S"
	restored || { ctl status; cat "$S"; fail "overrides lost across a restart within the grace"; }
	ok "removed, restarted, restored: still drained"

	# Past the grace: dropped and logged.
	cfg 2s web api keep
	reload
	cfg 2s keep
	reload
	wait_for 15 logged "operator override of web 10.0.0.1:80 (drain) dropped: not configured again within operator_grace (2s)" ||
		{ cat "$LOG"; fail "no expiry after the grace"; }
	wait_for 5 eval '! grep -q "^rs web" "$S"' || { cat "$S"; fail "expired entries still in the file"; }
	cfg 2s web api keep
	reload
	[ "$(admin web 10.0.0.1:80)" != drain ] && [ "$(oper web 10.0.0.2:80)" = - ] ||
		{ ctl status; fail "expired overrides came back"; }
	ok "past operator_grace the overrides are dropped and logged"

	cfg 0 web api keep
	reload
	ctl drain web 10.0.0.1:80 >/dev/null
	cfg 0 api keep
	reload
	logged "operator override of web 10.0.0.1:80 (drain) dropped: no longer configured (operator_grace 0)" ||
		{ cat "$LOG"; fail "operator_grace 0 did not drop at once"; }
	cfg 0 web api keep
	reload
	[ "$(admin web 10.0.0.1:80)" != drain ] || fail "operator_grace 0: the override came back"
	stop
	ok "operator_grace = 0 drops at once"
}

# ----------------------------------------------------- item 14: 100,000
part_big() {
	mkdir -p "$T/e"
	S=$T/e/state
	python3 - "$T/lvsd.ini" "$S" "$B/plugins" <<-'EOF'
	import sys
	cfg, state, plugins = sys.argv[1], sys.argv[2], sys.argv[3]
	def rs(i):
	    return "10.%d.%d.%d" % (i // 62500, (i // 250) % 250, 1 + i % 250)
	with open(cfg, "w") as c:
	    c.write("[global]\nplugin_dir = %s\nlog_level = info\n" % plugins)
	    for v in range(100):
	        c.write("[virtual_server vs%d]\naddress = 192.168.%d.%d:80\n" % (v, v // 250, 1 + v % 250))
	    for i in range(10000):
	        c.write("[real_server vs%d %s:80]\n" % (i // 100, rs(i)))
	with open(state, "w") as s:
	    for i in range(100000):
	        s.write("rs gone %s:8080 cfgweight=1 admin=drain\n" % rs(i))
	EOF
	t0=$(date +%s)
	start "$S" 120
	dt=$(($(date +%s) - t0))
	n=$(grep -c "operator override" "$LOG" || true)
	[ "$n" -le 12 ] || fail "$n log lines about overrides (10 and a count expected)"
	logged "and 99990 more operator overrides of removed real servers kept" || { tail -20 "$LOG"; fail "no count"; }
	[ "$(grep -c 'gone=' "$S")" = 100000 ] || fail "stale entries not kept"
	stop
	ok "10,000 real servers and 100,000 stale entries: answering after ${dt} s, $n log lines"
}

# fix12b 14: a symlink at the state path is held (neither followed nor
# replaced); a file none of whose lines is a state record (the config
# given as --state-file) is held, not overwritten.
part_notstate() {
	cfg - web api keep
	mkdir -p "$T/n"
	printf 'rs web 10.0.0.1:80 cfgweight=1 admin=drain\n' >"$T/n/target"
	ln -s "$T/n/target" "$T/n/link"
	start "$T/n/link"
	logged "operator state $T/n/link: a symbolic link" || { cat "$LOG"; fail "a symlink at the state path was not reported"; }
	ctl weight web 10.0.0.2:80 5 | grep -q "warning: applied but not saved" || fail "symlink: change not said unsaved"
	[ -L "$T/n/link" ] || fail "the symlink was replaced"
	[ "$(cat "$T/n/target")" = "rs web 10.0.0.1:80 cfgweight=1 admin=drain" ] || fail "the symlink's target was written"
	stop
	cp "$T/lvsd.ini" "$T/n/config"
	start "$T/n/config"
	logged "operator state $T/n/config: none of its lines is a state record" || { cat "$LOG"; fail "a config as state file was not reported"; }
	ctl drain web 10.0.0.1:80 | grep -q "warning: applied but not saved" || fail "config: change not said unsaved"
	cmp -s "$T/lvsd.ini" "$T/n/config" || fail "the config given as state file was overwritten"
	[ -z "$(ls "$T/n" | grep bad-)" ] || fail "a .bad- copy was made of a file that is no state file"
	stop
	ok "a symlink or a non-state file at the state path: held, never written over"
}

# fix12b 15: renaming a virtual server (same service) keeps its drains.
part_rename() {
	cfg - web api keep
	mkdir -p "$T/r"
	start "$T/r/state"
	ctl drain web 10.0.0.1:80 >/dev/null
	[ "$(admin web 10.0.0.1:80)" = drain ] || fail "rename: drain did not apply"
	sed -i 's/\[virtual_server web\]/[virtual_server www]/; s/\[real_server web /[real_server www /' "$T/lvsd.ini"
	reload
	[ "$(admin www 10.0.0.1:80)" = drain ] || { ctl status; cat "$LOG"; fail "a renamed virtual server lost its drain"; }
	logged "virtual server 'web' renamed 'www' (the same service): 1 operator override follows it" ||
		{ cat "$LOG"; fail "the rename was not logged"; }
	grep -q "^rs www 10.0.0.1:80 cfgweight=1 admin=drain$" "$T/r/state" || { cat "$T/r/state"; fail "the renamed override was not saved"; }
	stop
	ok "a virtual server renamed in a reload (same service) keeps its real servers' overrides"
}

# issue 14 goal 6: one journal line per change.
part_journal() {
	cfg - web api keep
	mkdir -p "$T/j"
	S=$T/j/state
	start "$S"
	ctl drain web 10.0.0.1:80 >/dev/null # no file yet: written whole
	ino=$(stat -c %i "$S")
	ctl weight web 10.0.0.2:80 5 >/dev/null
	ctl disable api 10.0.1.1:80 >/dev/null
	ctl enable web 10.0.0.1:80 >/dev/null
	ctl clear web 10.0.0.1:80 >/dev/null
	[ "$(stat -c %i "$S")" = "$ino" ] || { cat "$S"; fail "the file was rewritten for a change"; }
	[ "$(tail -4 "$S")" = "set web 10.0.0.2:80 cfgweight=1 weight=5
set api 10.0.1.1:80 cfgweight=1 admin=disabled
set web 10.0.0.1:80 cfgweight=1 admin=enabled
del web 10.0.0.1:80" ] || { cat "$S"; fail "the changes are not journal lines at the end"; }
	stop
	start "$S"
	[ "$(oper web 10.0.0.2:80)" = 5 ] && [ "$(admin api 10.0.1.1:80)" = disabled ] &&
		[ "$(admin web 10.0.0.1:80)" = - ] ||
		{ ctl status; cat "$S"; fail "the journal did not read back at a restart"; }
	! logged damaged || { cat "$LOG"; fail "a clean journal reported damaged"; }
	stop

	# A crash in the middle of an append: the line has no newline.
	printf 'set web 10.0.0.2:80 cfgweight=1 weight=1' >>"$S"
	start "$S"
	logged "$S:7: journal record cut short (no newline) 'set' (line ignored)" ||
		{ cat "$LOG"; cat "$S"; fail "a cut journal line was not named"; }
	[ "$(oper web 10.0.0.2:80)" = 5 ] || { ctl status; fail "a cut journal line applied"; }
	ctl weight web 10.0.0.2:80 6 >/dev/null
	ls "$T"/j/state.bad-* >/dev/null 2>&1 || fail "the file with a cut line was not kept aside"
	state_now "$S" >"$T/j/now"
	grep -q "^rs web 10.0.0.2:80 cfgweight=1 weight=6$" "$T/j/now" &&
		! grep -q " weight=1$" "$S" || { cat "$S"; fail "not written whole after the cut line"; }

	# Changed behind lvsd's back (a line without newline added): the
	# next change is not glued to it, the file is written whole.
	printf 'rs keep 10.0.2.1:80 cfgweight=1 weight=4' >>"$S"
	ino=$(stat -c %i "$S")
	ctl weight web 10.0.0.2:80 7 >/dev/null
	[ "$(stat -c %i "$S")" != "$ino" ] || { cat "$S"; fail "appended to a file changed behind lvsd's back"; }
	! grep -q "weight=4" "$S" || { cat "$S"; fail "lvsd kept what it did not write"; }
	stop
	start "$S"
	! logged damaged || { cat "$LOG"; cat "$S"; fail "damage after a whole write"; }
	[ "$(oper web 10.0.0.2:80)" = 7 ] || { ctl status; fail "the last change was lost"; }

	# A long journal is folded: the file stays about twice its entries.
	for i in $(seq 150); do
		ctl weight web 10.0.0.2:80 $((i % 9 + 1)) >/dev/null
	done
	[ "$(grep -c '^set' "$S")" -lt 120 ] || { wc -l "$S"; fail "the journal was never folded"; }
	grep -q "^rs web 10.0.0.2:80 " "$S" || { cat "$S"; fail "no whole write with the latest weight"; }
	[ "$(state_now "$S" | grep '^rs web 10.0.0.2:80 ')" = "rs web 10.0.0.2:80 cfgweight=1 weight=7" ] ||
		{ cat "$S"; fail "the folded file does not hold the last weight"; }
	stop
	ok "a change is a journal line; read back; a cut line is named and skipped; a foreign change is not appended to; folded when long"
}

for p in ${OPSTATE_PARTS:-hold fifo damage save grace big notstate rename journal}; do
	"part_$p"
done
