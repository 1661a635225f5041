#!/usr/bin/env bash
# test_runtime.sh (VM) — runtime objects against real IPVS: lvsctl add-vs
# + add-rs put a service and its destinations in the kernel (ipvsadm -Ln),
# one operation each; traffic flows through them from the client; a
# restart keeps them (and sends nothing: adopted as they are); del-rs
# removes just that destination, del-vs the service.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/topo.sh
command -v ipvsadm >/dev/null || { echo "SKIP: no ipvsadm"; exit 77; }
ns_init
topo_nat
cfg=$NS_TMP/lvsd.ini
# the configuration has one service; the test adds a second one on :8080
cat >"$cfg" <<'EOF2'
[virtual_server web]
address = 192.168.0.30:80
scheduler = rr
[real_server web 10.0.0.51:80]
EOF2
lvsd_start "$cfg"
counter() { lvsctl counters | awk -v k="$1" '$1 == k { print $2 }'; }
ops() { lvsctl reconcile >/dev/null; counter kernel_ops; }
svc() { ipvsadm -Ln | awk -v s="$1" '$1 == "TCP" && $2 == s { f = 1; next } $1 == "TCP" || $1 == "FWM" { f = 0 } f && $1 == "->" && $2 != "RemoteAddress:Port" { print $2, $3, $4 }'; }

# --- add-vs + add-rs: in the kernel at once, one operation each
o0=$(ops)
lvsctl add-vs api 192.168.0.30:8080 scheduler wrr method NAT >/dev/null || fail "add-vs"
o1=$(counter kernel_ops)
ipvsadm -Ln | grep -q '^TCP  192.168.0.30:8080 wrr' || fail "add-vs: not in the kernel: $(ipvsadm -Ln)"
[ $((o1 - o0)) -eq 1 ] || fail "add-vs cost $((o1 - o0)) kernel operations, want 1"
lvsctl add-rs api 10.0.0.51:80 weight 2 check TCP connect_timeout=1 >/dev/null || fail "add-rs .51"
o2=$(counter kernel_ops)
[ $((o2 - o1)) -eq 1 ] || fail "add-rs cost $((o2 - o1)) kernel operations, want 1"
lvsctl add-rs api 10.0.0.52:80 weight 1 >/dev/null || fail "add-rs .52"
[ "$(svc 192.168.0.30:8080 | sort)" = "$(printf '10.0.0.51:80 Masq 2\n10.0.0.52:80 Masq 1')" ] ||
	fail "ipvsadm -Ln: $(ipvsadm -Ln)"
lvsctl status | grep -q '(api) runtime$' || fail "status: $(lvsctl status)"
ok "add-vs, add-rs: in the kernel at once, one operation each"

# --- traffic flows through the runtime service (wrr 2:1: both answer)
seen=
for i in $(seq 12); do
	seen="$seen $(ns_exec client curl -s --max-time 3 http://192.168.0.30:8080/ || echo none)"
done
[[ "$seen" == *Backend01* && "$seen" == *Backend02* ]] || fail "traffic through :8080: $seen"
[[ "$seen" != *none* ]] || fail "a request got no answer: $seen"
# status --json: the kernel's counters of the runtime objects (read at
# most 1 s before: asked again until the last request is counted)
json_counts() { lvsctl status --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
api = [v for v in d["virtual_servers"] if v["name"] == "api"][0]
assert api["origin"] == "runtime" and api["in_kernel"], api
assert api["stats"]["conns"] >= 12, api["stats"]
rs = {r["address"]: r for r in api["real_servers"]}
assert rs["10.0.0.51"]["stats"]["conns"] >= 1 and rs["10.0.0.52"]["stats"]["conns"] >= 1, rs
assert all(r["origin"] == "runtime" and r["in_kernel"] for r in rs.values()), rs
'; }
wait_for 10 json_counts 2>/dev/null || { json_counts; fail "status --json: $(lvsctl status --json)"; }
ok "traffic flows through the runtime service to both real servers; status --json counts it"

# --- a restart keeps them, and sends nothing
kill "$LVSD_PID"; wait_for 10 sh -c "! kill -0 $LVSD_PID" || true
ipvsadm -Ln | grep -q '192.168.0.30:8080' && fail "a stop left the runtime service in the kernel"
lvsd_start "$cfg" --keep-ipvs
[ "$(svc 192.168.0.30:8080 | sort)" = "$(printf '10.0.0.51:80 Masq 2\n10.0.0.52:80 Masq 1')" ] ||
	fail "after a restart: $(ipvsadm -Ln)"
kill "$LVSD_PID"; wait_for 10 sh -c "! kill -0 $LVSD_PID" || true
lvsd_start "$cfg"
[ "$(counter kernel_ops)" = 0 ] || fail "a restart over the kept table sent $(counter kernel_ops) operations, want 0"
lvsctl status | grep -q '10.0.0.52:80 .*\[runtime\]$' || fail "status after the restart: $(lvsctl status)"
[ "$(topo_get 192.168.0.30:8080)" != "(none)" ] || fail "no traffic after the restart"
ok "a restart keeps them (adopted: 0 kernel operations) and traffic flows"

# --- del-rs removes just that destination; del-vs the service
o0=$(ops)
lvsctl del-rs api 10.0.0.52:80 >/dev/null || fail "del-rs"
[ "$(counter kernel_ops)" -eq $((o0 + 1)) ] || fail "del-rs cost $(( $(counter kernel_ops) - o0 )) operations, want 1"
[ "$(svc 192.168.0.30:8080)" = "10.0.0.51:80 Masq 2" ] || fail "del-rs: $(ipvsadm -Ln)"
[ "$(svc 192.168.0.30:80)" = "10.0.0.51:80 Masq 1" ] || fail "del-rs touched web: $(ipvsadm -Ln)"
lvsctl del-vs api >/dev/null || fail "del-vs"
ipvsadm -Ln | grep -q '192.168.0.30:8080' && fail "del-vs: the service is still there"
ipvsadm -Ln | grep -q '^TCP  192.168.0.30:80 ' || fail "del-vs removed web"
ok "del-rs removed just that destination (1 operation), del-vs the service"
