# tests/lib/opstate.sh — reading an operator state file as lvsd does:
# "rs" records, then journal lines ("set" replaces or adds an entry,
# "del" removes it). state_now FILE prints the entries in force, one
# "rs VS ADDR:PORT ..." line each (file order of first appearance).
state_now() {
	awk '
		$1 == "rs" || $1 == "set" {
			k = $2 " " $3
			if (!(k in v)) order[n++] = k
			line = $0; sub(/^(rs|set) /, "", line); v[k] = line; next
		}
		$1 == "del" { delete v[$2 " " $3] }
		END { for (i = 0; i < n; i++) if (order[i] in v) print "rs " v[order[i]] }
	' "$1"
}
