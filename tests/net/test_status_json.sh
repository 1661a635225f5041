#!/usr/bin/env bash
# test_status_json.sh — `lvsctl status --json` and `counters --json` parse
# (python's json), and agree with lvsctl(8)'s tables both ways: every
# documented field is there with its documented type, every field of the
# output is documented (tests/lib/jsonschema_doc.py). The daemon has what
# fills every part of the schema: a VRRP instance (in a namespace, on a
# veth), a [bgp] device with an announced address, an fwmark service, a virtual_server_group, IPVS timeouts, an agent check, a check, an
# operator weight, a runtime object. The checker is shown to fail on a table with a row missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/vrrp.sh
B=${B:-build}
for f in "$B/lvsd" "$B/lvsctl" "$B/plugins/check_tcp.so" "$B/plugins/vrrp_vrrp.so"; do
	[ -e "$f" ] || { echo "SKIP: $f not built"; exit 77; }
done
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
PY=$(command -v /usr/bin/python3 || command -v python3) || { echo "SKIP: no python3"; exit 77; }
ns_init
T=$NS_TMP
ns_add d
ip -n "$(ns d)" link add eth0 type veth peer name eth1
ip -n "$(ns d)" link set eth1 up
ip -n "$(ns d)" addr add 10.9.0.11/24 dev eth0
ip -n "$(ns d)" link set eth0 up
cat >"$T/lvsd.ini" <<EOF2
[global]
log_level = info
timeout_tcp = 900
timeout_udp = 1.5

[virtual_server_group grp]
address = 192.168.77.5:80
fwmark = 11

[virtual_server both]
group = grp
scheduler = rr

[real_server both 127.0.0.3:80]

[bgp]
enabled = yes

[virtual_server web]
address = 192.168.77.1:80
scheduler = wrr
bgp_announce = yes
delay_loop = 0.3
connect_timeout = 1
agent_port = 1
persistence_timeout = 60

[real_server web 127.0.0.1:1]
check = TCP
weight = 2

[real_server web 127.0.0.2:2]

[virtual_server mark]
fwmark = 7
scheduler = rr

; quorum lost at once: the sorry server stands in (shown, F5 of issue 16)
[virtual_server sorry]
address = 192.168.77.9:80
scheduler = rr
quorum = 1000
sorry_server = 127.0.0.9:8080

[real_server sorry 127.0.0.4:80]

[vrrp VI_1]
state = BACKUP
interface = eth0
virtual_router_id = 51
priority = 100
advert_int = 1
virtual_ipaddress = 10.9.0.50 dev eth0
EOF2
lv_start d "$T/lvsd.ini" --no-ipvs
lv_ctl d weight web 127.0.0.1:1 5 >/dev/null
lv_ctl d add-rs mark 10.0.0.9:0 weight 3 >/dev/null || fail "add-rs"
# the check has run (a detail) before the document is taken
ran() { lv_ctl d status | grep -q 'connection refused'; }
wait_for 20 ran || fail "the check did not run: $(lv_ctl d status)"
lv_ctl d status --json >"$T/status.json" || fail "status --json"
lv_ctl d counters --json >"$T/counters.json" || fail "counters --json"
"$PY" -m json.tool "$T/status.json" >/dev/null || fail "status --json does not parse: $(head -c 300 "$T/status.json")"
"$PY" -m json.tool "$T/counters.json" >/dev/null || fail "counters --json does not parse"
[ "$(wc -l <"$T/status.json")" = 1 ] || fail "status --json is not one line"
ok "status --json and counters --json parse"

"$PY" tests/lib/jsonschema_doc.py man/lvsctl.8 lvsd-status/1 "$T/status.json" || fail "status --json and lvsctl(8) disagree"
"$PY" tests/lib/jsonschema_doc.py man/lvsctl.8 lvsd-counters/1 "$T/counters.json" || fail "counters --json and lvsctl(8) disagree"
# the values: what the text status says
"$PY" - "$T/status.json" <<'EOF2' || fail "status --json values"
import json, sys
d = json.load(open(sys.argv[1]))
vs = {v["name"]: v for v in d["virtual_servers"]}
web, mark = vs["web"], vs["mark"]
assert web["persistence_timeout_s"] == 60 and web["port"] == 80, web
assert mark["fwmark"] == 7 and mark["port"] is None and mark["protocol"] is None, mark
rs = {r["address"]: r for r in web["real_servers"]}
r = rs["127.0.0.1"]
assert r["operator_weight"] == 5 and r["config_weight"] == 2, r
assert r["health"] in ("up", "down") and r["checker"] == "TCP", r
assert r["check"] == "connection refused", r
assert r["agent"] is not None and "hint" in r["agent"], r
assert rs["127.0.0.2"]["checker"] is None and rs["127.0.0.2"]["check"] is None, rs
m = mark["real_servers"][0]
assert m["origin"] == "runtime" and m["weight"] == 3, m
assert web["origin"] == "config" and r["origin"] == "config"
assert d["timeouts"] == {"tcp_s": 900, "tcpfin_s": None, "udp_s": 2}, d["timeouts"]
b = vs["both"]
assert b["group"] == "grp" and web["group"] is None and web["members"] == [], b
assert [m["service"] for m in b["members"]] == ["TCP 192.168.77.5:80", "FWM 11 inet"], b["members"]
assert b["members"][1]["fwmark"] == 11 and b["members"][1]["port"] is None, b["members"]
s = vs["sorry"]["sorry_server"]
assert s == {"address": "127.0.0.9", "port": 8080, "in_use": True,
             "in_kernel": False, "stats": s["stats"]}, s
assert web["sorry_server"] is None, web
assert [x["result"] for x in vs["sorry"]["real_servers"]] == ["replaced (sorry server)"], vs["sorry"]["real_servers"]
assert all(x["result"] != "replaced (sorry server)" for x in web["real_servers"]), web
assert web["bgp"]["state"] == "announced" and web["bgp"]["on_device"] is True, web["bgp"]
assert web["bgp"]["why"] == "announced (on lvsd-bgp)" and mark["bgp"] is None, web["bgp"]
g = d["bgp"]
assert g["enabled"] is True and g["device"] == "lvsd-bgp" and g["device_up"] is True, g
assert g["why"] is None and g["addresses"] == ["192.168.77.1"] and g["repairs"] == 0, g
v = d["vrrp_instances"][0]
assert v["name"] == "VI_1" and v["interface"] == "eth0" and v["advert_int_ms"] == 1000, v
EOF2
lv_ctl d status | grep -q "^  sorry server 127.0.0.9:8080 in use$" || fail "status: no sorry server: $(lv_ctl d status)"
lv_ctl d status | grep -q "^  -> 127.0.0.4:80 .* replaced (sorry server) " ||
	fail "status: the real server the sorry server replaced is not shown so: $(lv_ctl d status)"
lv_ctl d status --stats | grep -q "^  -> 127.0.0.9:8080 .* sorry server$" || fail "status --stats: no sorry server: $(lv_ctl d status --stats)"
ok "every documented field is in the output with its type, every field is documented; the values are right"

# The checker can fail: a row left out of the table, a type changed.
sed '/^virtual_servers\[\]\.real_servers\[\]\.checker /d' man/lvsctl.8 >"$T/less.8"
if "$PY" tests/lib/jsonschema_doc.py "$T/less.8" lvsd-status/1 "$T/status.json" >"$T/out" 2>&1; then
	fail "a field missing from the table went unnoticed"
fi
grep -q "checker: in the output, not documented" "$T/out" || fail "$(cat "$T/out")"
sed 's/^\(virtual_servers\[\]\.port  *\)integer|null/\1string/' man/lvsctl.8 >"$T/type.8"
if "$PY" tests/lib/jsonschema_doc.py "$T/type.8" lvsd-status/1 "$T/status.json" >"$T/out" 2>&1; then
	fail "a wrong type went unnoticed"
fi
echo 'virtual_servers[].sorry  string  x' >"$T/row"
sed "/^virtual_servers\[\]\.quorum /r $T/row" man/lvsctl.8 >"$T/more.8"
if "$PY" tests/lib/jsonschema_doc.py "$T/more.8" lvsd-status/1 "$T/status.json" >"$T/out" 2>&1; then
	fail "a documented field missing from the output went unnoticed"
fi
ok "the comparison fails on a missing row, a wrong type, a field not in the output"
