#!/usr/bin/env bash
# tests/net/test_reload_fast.sh — the reload's fast path (core/cfgfast.c,
# issue 14 goal 4) in the real lvsd (--no-ipvs, no namespaces needed): a
# file changed only inside [real_server] sections is read in the sections
# needed; the change is in force and logged as by a full parse; a bad value
# (the parser's or a checker plugin's) is refused with the words and line
# of `lvsd -t` and changes nothing; anything else takes the full path, which
# says why.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/reloadtest.sh
CFG=$T/lvsd.ini
# weight VS-LINE-RS: the configured weight of a real server in the status
cfg_weight() { ctl status | awk -v rs="$1" '$1 == "->" && $2 == rs { print $9 }'; }
# the log from line $1 on
log_from() { tail -n +"$1" "$T/lvsd.log"; }
mark() { wc -l <"$T/lvsd.log"; }

cat >"$CFG" <<EOF
[global]
plugin_dir = $B/plugins

[virtual_server web]
address = 192.0.2.30:80
scheduler = wlc

[real_server web 10.0.0.51:80]
weight = 1

[real_server web 10.0.0.52:80]
weight = 1
check = HTTP_GET
url = /health
connect_ip = 127.0.0.1
connect_port = 9
connect_timeout = 1s

[virtual_server mail]
address = 192.0.2.30:25

[real_server mail 10.0.0.61:25]
weight = 2
EOF
"$B/lvsd" -n -v --no-ipvs -c "$CFG" -S "$SOCK" --state-file "$T/state" \
	>"$T/lvsd.log" 2>&1 &
PID=$!
wait_for 20 ctl status || fail "lvsd did not start"
[ "$(cfg_weight 10.0.0.51:80)" = 1 ] || { ctl status; fail "weight before"; }

# 1. a weight: the fast path, in force, logged as a full parse logs it
m=$(mark)
sed -i '0,/^weight = 1$/s//weight = 7/' "$CFG"
ctl reload >"$T/out" 2>&1 || { cat "$T/out"; fail "reload of a weight"; }
log_from "$m" >"$T/l1"
grep -q "reload: 1 section changed of 6; parsed 3 " "$T/l1" || { cat "$T/l1"; fail "not the fast path"; }
grep -q "reload: real server web 10.0.0.51:80 changed: weight 1 -> 7" "$T/l1" || fail "diff line"
grep -q "reload: in force in .* (the fast path)" "$T/l1" || fail "no end line"
[ "$(cfg_weight 10.0.0.51:80)" = 7 ] || { ctl status; fail "weight 7 not in force"; }
ok "a changed weight takes the fast path and is in force"

# 2. a check option (the plugin asked): the fast path
m=$(mark)
sed -i 's|^url = /health$|url = /ready|' "$CFG"
ctl reload >"$T/out" 2>&1 || { cat "$T/out"; fail "reload of a check option"; }
log_from "$m" >"$T/l2"
grep -q "reload: 1 section changed of 6" "$T/l2" || { cat "$T/l2"; fail "not the fast path"; }
grep -q "real server web 10.0.0.52:80 changed: options .*url=/health.* -> .*url=/ready" "$T/l2" ||
	{ cat "$T/l2"; fail "check option diff"; }
ok "a changed check option takes the fast path"

# 3. bad values, the parser's and the checker's: the lines of lvsd -t,
# refused, nothing changed
cp "$CFG" "$T/good.ini"
sed -i 's/^weight = 7$/weight = lots/; s|^url = /ready$|url = ready|' "$CFG"
"$B/lvsd" -t -c "$CFG" >/dev/null 2>"$T/t.err" && fail "lvsd -t took bad values"
m=$(mark)
if ctl reload >"$T/out" 2>&1; then cat "$T/out"; fail "bad values were applied"; fi
log_from "$m" >"$T/l3"
grep -q "reload: 1 section changed\|reload: 2 sections changed" "$T/l3" && fail "bad values logged as applied"
grep -c . "$T/t.err" | grep -qx 2 || { cat "$T/t.err"; fail "lvsd -t: expected 2 errors"; }
while read -r line; do
	grep -qF "error: $line" "$T/l3" || { cat "$T/t.err" "$T/l3"; fail "reload does not say: $line"; }
	grep -qF "$line" "$T/out" || { cat "$T/out"; fail "lvsctl reload does not say: $line"; }
done <"$T/t.err"
grep -q "$CFG:9: weight: " "$T/t.err" || fail "the weight's line"
[ "$(cfg_weight 10.0.0.51:80)" = 7 ] || { ctl status; fail "a refused reload changed the weight"; }
ok "bad values refused with lvsd -t's lines, nothing changed"

# 4. anything else: the full path, which says why
cp "$T/good.ini" "$CFG"
m=$(mark)
sed -i 's/^scheduler = wlc$/scheduler = rr/' "$CFG"
sed -i 's/^weight = 2$/weight = 3/' "$CFG"
ctl reload >"$T/out" 2>&1 || { cat "$T/out"; fail "reload of a scheduler"; }
log_from "$m" >"$T/l4"
grep -q "reload: full parse: \[virtual_server web\] section changed" "$T/l4" || { cat "$T/l4"; fail "no full parse"; }
grep -q "virtual server web changed: scheduler wlc -> rr" "$T/l4" || fail "scheduler diff"
grep -q "real server mail 10.0.0.61:25 changed: weight 2 -> 3" "$T/l4" || fail "weight diff"
[ "$(cfg_weight 10.0.0.61:25)" = 3 ] || { ctl status; fail "weight 3 not in force"; }
m=$(mark)
printf '\n[real_server mail 10.0.0.62:25]\n' >>"$CFG"
kill -HUP "$PID"
wait_for 20 grep -q "real server mail 10.0.0.62:25 added" "$T/lvsd.log" || fail "added real server"
log_from "$m" | grep -q "reload: full parse: sections added or removed (6 -> 7)" || fail "why not fast"
ok "other changes take the full path, which says why"

# 5. after full parses, the fast path again (the sections kept follow)
m=$(mark)
sed -i 's/^weight = 3$/weight = 4/' "$CFG"
ctl reload >"$T/out" 2>&1 || { cat "$T/out"; fail "reload after full ones"; }
log_from "$m" | grep -q "reload: 1 section changed of 7; parsed 3 " || { log_from "$m"; fail "not the fast path after full ones"; }
[ "$(cfg_weight 10.0.0.61:25)" = 4 ] || { ctl status; fail "weight 4 not in force"; }
ok "after full parses the fast path again"
