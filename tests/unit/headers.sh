#!/usr/bin/env bash
# headers.sh — every core module's header says exactly what its .c
# defines: each core/X.c (main.c aside) has a core/X.h; every global symbol
# of $B/core/X.o is declared in X.h; every function X.h declares is
# defined in X.o (not in another module's .c, as daemon.h once declared
# program.c's, confload.c's and control.c's functions). Reads the built
# objects (nm).
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${B:-build}
shopt -s nullglob
objs=("$B"/core/*.o)
[ ${#objs[@]} -gt 10 ] || { echo "skipped: $B/core/*.o not built (make)"; exit 77; }

out=$(
	# "D symbol module" for each global symbol an object defines
	nm -A --defined-only "${objs[@]}" |
		sed -n 's|^.*/\([^/]*\)\.o:[0-9a-f]* [TDRBGS] \([^_][A-Za-z0-9_]*\)$|D \2 \1|p'
	# "C module" for each .c
	for c in core/*.c; do b=${c##*/}; echo "C ${b%.c}"; done
	# "H module" per header, then "L line" for each of its lines
	awk 'FNR == 1 { n = FILENAME; sub(/.*\//, "", n); sub(/\.h$/, "", n); print "H " n }
	     { print "L " $0 }' core/*.h
) || true
res=$(awk '
	$1 == "D" { def[$2] = $3; defs[++nd] = $2; next }
	$1 == "C" { dotc[$2] = 1; next }
	$1 == "H" { cur = $2; hdr[cur] = 1; text[cur] = ""; next }
	$1 == "L" {
		line = substr($0, 3)
		text[cur] = text[cur] "\n" line
		# a declaration: a line starting with its return type, NAME(
		if (line ~ /^[a-z][a-z_ 0-9*]*[ *]\**[a-z_][a-z_0-9]*\(/ &&
		    line !~ /^(typedef|static|extern)[ ]/) {
			fn = line; sub(/\(.*/, "", fn); sub(/.*[ *]/, "", fn)
			decl[++nl] = fn; declin[nl] = cur
		}
		next
	}
	END {
		for (m in dotc)
			if (m != "main" && !(m in hdr))
				print "core/" m ".c has no header core/" m ".h"
		for (i = 1; i <= nd; i++) {
			s = defs[i]; m = def[s]
			if (m == "main" || !(m in hdr))
				continue
			if (text[m] !~ ("(^|[^A-Za-z0-9_])" s "[ \t\n]*[(\\[;]"))
				print "core/" m ".c defines " s ", not declared in core/" m ".h"
		}
		for (i = 1; i <= nl; i++) {
			fn = decl[i]; m = declin[i]
			if (!(fn in def))
				print "core/" m ".h declares " fn ", defined nowhere"
			else if (def[fn] != m)
				print "core/" m ".h declares " fn ", defined in core/" def[fn] ".c"
		}
	}' <<<"$out" | sort)
if [ -n "$res" ]; then
	echo "FAIL: headers and what their modules define differ:"
	sed 's/^/  /' <<<"$res"
	exit 1
fi
echo "ok: ${#objs[@]} core objects, each module's header declares exactly what it defines"
