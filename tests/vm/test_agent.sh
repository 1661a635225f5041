#!/usr/bin/env bash
# test_agent.sh (VM) — agent checks (HAProxy's agent-check) seen in the
# kernel: "50%" halves the weight, "drain" drains unless the operator
# enabled the real server, an operator drain stays whatever the agent
# says, no answer (closed, refused, timeout) means factor 1, and a bad
# reply is logged once and ignored. The agent's input never touches
# health or the operator layer.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/ns.sh
. tests/lib/topo.sh
ns_init
topo_nat
r1=$NS_TMP/reply1 r2=$NS_TMP/reply2
echo "up" >"$r1"
echo "up" >"$r2"
NS_LOG=$NS_TMP/agent1.log ns_bg backend01 python3 tests/lib/agentd.py --port 9999 --reply "$r1"
agent1=$NS_LAST_PID
NS_LOG=$NS_TMP/agent2.log ns_bg backend02 python3 tests/lib/agentd.py --port 9999 --reply "$r2"
cfg=$NS_TMP/lvsd.ini
cat >"$cfg" <<'EOF2'
[virtual_server web]
address = 192.168.0.30:80
scheduler = wrr
agent_port = 9999
agent_interval = 300ms
agent_timeout = 1s
[real_server web 10.0.0.51:80]
weight = 10
[real_server web 10.0.0.52:80]
weight = 10
EOF2
lvsd_start "$cfg"
weight_of() { ipvsadm -Ln | awk -v rs="$1" '$2 == rs { print $4 }'; }
want() { # RS WEIGHT WHAT
	wait_for 6 sh -c "[ \"\$(ipvsadm -Ln | awk -v rs=$1 '\$2 == rs { print \$4 }')\" = $2 ]" ||
		{ lvsctl status; fail "$3: $1 has weight $(weight_of "$1"), want $2"; }
}
col() { lvsctl status | awk -v rs="$1" '$2 == rs { print $12 }'; } # Agent

# The agents (python) may start after lvsd: wait until both said "up".
wait_for 20 sh -c "[ \"\$(\"${B:-build}/lvsctl\" -s $LVSD_SOCK status | awk '\$2 ~ /^10.0.0.5[12]:80\$/ && \$12 == \"up\"' | wc -l)\" = 2 ]" ||
	{ lvsctl status; fail "the agents' first 'up' was not seen"; }
want 10.0.0.51:80 10 "agent up"
echo "50%" >"$r1"
want 10.0.0.51:80 5 "agent 50%"
want 10.0.0.52:80 10 "the other real server"
[ "$(col 10.0.0.51:80)" = up/50% ] || fail "status Agent column: $(col 10.0.0.51:80)"
echo "weight:2 #two of ten" >"$r2"
want 10.0.0.52:80 2 "agent weight:2 of config weight 10"
ok "agent 50% -> weight 5; weight:2 -> weight 2 (status: $(col 10.0.0.51:80))"

# agent drain + operator enable: not drained
echo "drain 100%" >"$r1"
want 10.0.0.51:80 0 "agent drain"
lvsctl status | grep -E '10.0.0.51:80 .*drain \(agent\)' >/dev/null || fail "status does not say 'drain (agent)'"
lvsctl enable web 10.0.0.51:80
want 10.0.0.51:80 10 "operator enable over an agent drain"
sleep 1 # several agent replies later
[ "$(weight_of 10.0.0.51:80)" = 10 ] || fail "the agent's drain came back over the operator's enable"
ok "agent drain + operator enable: not drained (weight 10)"

# operator drain + agent up: stays drained
lvsctl drain web 10.0.0.51:80
echo "up" >"$r1"
want 10.0.0.51:80 0 "operator drain"
sleep 1
[ "$(weight_of 10.0.0.51:80)" = 0 ] || fail "the agent's up undid the operator's drain"
# Admin ($8) drain and Result ($14) plain "drain" (not "drain (agent)");
# Result is not the last column (Check, free text, is), so fields, not $.
lvsctl status | awk '$2 == "10.0.0.51:80" && $8 == "drain" && $14 == "drain" && $15 !~ /^\(/ { f = 1 } END { exit !f }' ||
	{ lvsctl status; fail "status does not show the operator's drain"; }
lvsctl clear web 10.0.0.51:80
want 10.0.0.51:80 10 "clear"
ok "operator drain + agent up: stays drained; clear restores"

# no answer: factor 1, no hint (closed without a line, timeout, refused)
echo "50%" >"$r1"
want 10.0.0.51:80 5 "agent 50% again"
rm "$r1" # the agent closes without answering
want 10.0.0.51:80 10 "agent closing without an answer"
[ "$(col 10.0.0.51:80)" = none ] || fail "status Agent column: $(col 10.0.0.51:80), want none"
echo "25%" >"$r1"
want 10.0.0.51:80 3 "agent 25%"
echo HANG >"$r1"
want 10.0.0.51:80 10 "agent not answering (timeout)"
echo "25%" >"$r1"
want 10.0.0.51:80 3 "agent 25% again"
ns_stop "$agent1"
want 10.0.0.51:80 10 "agent port closed (refused)"
grep -q "real server 10.0.0.51:80 (web) agent: no answer" "$LVSD_LOG" || fail "no answer not logged"
ok "no answer (closed, timeout, refused): factor 1, no hint"

# a bad reply is logged once and ignored
echo "bogus" >"$r2"
sleep 2
[ "$(weight_of 10.0.0.52:80)" = 2 ] || fail "a bad reply changed the weight to $(weight_of 10.0.0.52:80)"
n=$(grep -c "bad reply: unknown word 'bogus'; ignored" "$LVSD_LOG" || true)
[ "$n" = 1 ] || fail "the bad reply was logged $n times, want once"
printf '%0600d\n' 0 >"$r2"
sleep 1
grep -q "bad reply: oversized" "$LVSD_LOG" || fail "oversized reply not logged"
[ "$(weight_of 10.0.0.52:80)" = 2 ] || fail "an oversized reply changed the weight"
# The agent never touched health nor the operator layer.
lvsctl status | awk '$2 ~ /^10\.0\.0\.5/ && $7 != "up" { exit 1 }' || fail "the agent changed health"
ok "bad and oversized replies logged once and ignored; health untouched"
