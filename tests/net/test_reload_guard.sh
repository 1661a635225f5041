#!/usr/bin/env bash
# tests/net/test_reload_guard.sh — reloads of the real lvsd (--no-ipvs, no
# namespaces needed) that must not hurt a running director (issue 12):
# an empty or truncated file that would remove every virtual server is
# refused unless `lvsctl reload --force` (SIGHUP never forces); a reload
# reports every error of the file in one go; a FIFO at the config path is
# refused at once, without hanging the daemon.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/reloadtest.sh

good() {
	cat >"$T/lvsd.ini" <<EOF
[global]
plugin_dir = $B/plugins

[virtual_server web]
address = 192.0.2.30:80

[real_server web 10.0.0.51:80]
[real_server web 10.0.0.52:80]

[virtual_server mail]
address = 192.0.2.30:25

[real_server mail 10.0.0.61:25]
EOF
}
good
"$B/lvsd" -n --no-ipvs -c "$T/lvsd.ini" -S "$SOCK" --state-file "$T/state" \
	>"$T/lvsd.log" 2>&1 &
PID=$!
wait_for 20 ctl status || fail "lvsd did not start"
ctl drain web 10.0.0.51:80 >/dev/null || fail "drain"
ctl status >"$T/st0"
grep -q 'web' "$T/st0" && grep -q 'mail' "$T/st0" || { cat "$T/st0"; fail "status does not show both virtual servers"; }

# 1. an empty file: refused, the services stay, the reason says how to force
: >"$T/lvsd.ini"
if ctl reload >"$T/out" 2>&1; then cat "$T/out"; fail "an empty file was applied by lvsctl reload"; fi
# lvsctl gets the verdict line (the control socket sends no body with an
# error), the log has the whole reason
grep -q "reload refused (it would remove everything).*--force" "$T/out" ||
	{ cat "$T/out"; fail "lvsctl does not say it was refused and how to force"; }
grep -q "reload refused: $T/lvsd.ini has no virtual servers and would remove all 2 running ones .*lvsctl reload --force" "$T/lvsd.log" ||
	fail "no clear refusal in the log"
ctl status >"$T/st1"
grep -q 'mail' "$T/st1" && grep -q 'web' "$T/st1" || { cat "$T/st1"; fail "services gone after a refused reload"; }
ok "empty file refused by lvsctl reload, services kept"

# 2. a truncated file (only [global]) by SIGHUP: refused too, logged
printf '[global]\nplugin_dir = %s/plugins\n' "$B" >"$T/lvsd.ini"
kill -HUP "$PID"
wait_for 20 grep -q "reload refused: .*would remove all 2 running ones" "$T/lvsd.log" ||
	fail "SIGHUP applied a truncated file (or did not log the refusal)"
ctl status | grep -q 'mail' || fail "services gone after SIGHUP"
ok "truncated file refused on SIGHUP"

# 3. every error of the file in one reload (item 5)
printf '[global]\nplugin_dir = %s/plugins\nlog_level = chatty\n[virtual_server web]\naddress = 192.0.2.30:80\nscheduler = fastest\n[real_server web 10.0.0.51:80]\ncheck = HTTP_GET\nstatus_code = abc\n' "$B" >"$T/lvsd.ini"
if ctl reload >"$T/out" 2>&1; then fail "a bad file was applied"; fi
for want in ":3: log_level" ":6: .*fastest" ":9: status_code"; do
	grep -q "$T/lvsd.ini$want" "$T/lvsd.log" || fail "reload did not report every error ($want)"
done
ok "reload reports every error at once"

# 4. a FIFO at the config path: refused at once, the daemon stays responsive
rm -f "$T/lvsd.ini"
mkfifo "$T/lvsd.ini"
if ctl reload >"$T/out" 2>&1; then fail "a FIFO was read as a configuration"; fi
grep -q "$T/lvsd.ini: is a FIFO, not a regular file" "$T/lvsd.log" || fail "FIFO not refused clearly"
ctl status | grep -q 'mail' || fail "lvsd unresponsive after a FIFO reload"
rm -f "$T/lvsd.ini"
ok "FIFO refused without hanging"

# 5. forced: applied, nothing left; restoring the file brings them back
printf '[global]\nplugin_dir = %s/plugins\n' "$B" >"$T/lvsd.ini"
ctl reload --force >"$T/out" 2>&1 || { cat "$T/out"; fail "reload --force refused"; }
ctl status >"$T/st2"
grep -q 'mail' "$T/st2" && { cat "$T/st2"; fail "forced reload did not remove the services"; }
grep -q "reload forced" "$T/lvsd.log" || fail "a forced reload is not logged"
good
ctl reload >"$T/out" 2>&1 || { cat "$T/out"; fail "reload of the good file"; }
ctl status | grep -q 'mail' || fail "services not back"
ok "reload --force applies it; a normal reload brings them back"
kill -0 "$PID" || fail "lvsd died"
echo "ok: reload guard"
