#!/usr/bin/env bash
# include_graph.sh — the include graph of core/ has no circles. A module is
# core/X.c + core/X.h; an edge A -> B when A.c or A.h has #include "B.h"
# (B a core module, A != B). A circle fails the test, named module by
# module ("cfg -> cfgcheck -> cfg"); each circle found is printed once.
# With an argument, that directory is checked instead of core/ (the
# self-test at the end uses that).
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${1:-core}

# No exceptions: the cfg*.c circle and model.h -> model_diff.h, the last
# ones, were untied by issue 18 section 1's work.

[ -d "$dir" ] || { echo "FAIL: no directory $dir"; exit 1; }
shopt -s nullglob
files=("$dir"/*.c "$dir"/*.h)
[ ${#files[@]} -gt 0 ] || { echo "FAIL: no sources in $dir"; exit 1; }

# "A B" for each include of a core module's header.
headers=$(cd "$dir" && ls *.h 2>/dev/null | tr '\n' ' ')
edges=$(awk -v headers="$headers" '
	BEGIN { n = split(headers, hs, " "); for (i = 1; i <= n; i++) have[hs[i]] = 1 }
	FNR == 1 {
		n = split(FILENAME, p, "/"); f = p[n]
		a = f; sub(/\.[ch]$/, "", a)
	}
	/^[ \t]*#[ \t]*include[ \t]*"/ {
		h = $0
		sub(/^[^"]*"/, "", h); sub(/".*$/, "", h)
		if (h !~ /\.h$/ || h ~ /\//)
			next
		b = h; sub(/\.h$/, "", b)
		if (b != a && (h in have))
			print a, b
	}' "${files[@]}" | sort -u)

# Depth-first search; a back edge closes a circle, printed from where it
# starts. Each circle once (by its sorted node set).
out=$(awk '
	{ if (!($1 in seen)) { seen[$1] = 1; nodes[++nn] = $1 }
	  if (!($2 in seen)) { seen[$2] = 1; nodes[++nn] = $2 }
	  adj[$1, ++deg[$1]] = $2 }
	function visit(u,    i, v, j, c, key, k, srt, m, t, x) {
		color[u] = 1; stack[++sp] = u
		for (i = 1; i <= deg[u]; i++) {
			v = adj[u, i]
			if (color[v] == 1) {
				c = ""; m = 0
				for (j = 1; j <= sp; j++)
					if (stack[j] == v) break
				for (k = j; k <= sp; k++) {
					c = c stack[k] " -> "; srt[++m] = stack[k]
				}
				c = c v
				# a key independent of where the circle was entered
				for (k = 1; k <= m; k++)
					for (t = k + 1; t <= m; t++)
						if (srt[t] < srt[k]) { x = srt[k]; srt[k] = srt[t]; srt[t] = x }
				key = ""
				for (k = 1; k <= m; k++) key = key " " srt[k]
				if (!(key in told)) { told[key] = 1; print c }
			} else if (!color[v]) {
				visit(v)
			}
		}
		sp--; color[u] = 2
	}
	END { for (i = 1; i <= nn; i++) if (!color[nodes[i]]) visit(nodes[i]) }
' <<<"$edges")

n=$(grep -c . <<<"$edges" || true)
if [ -n "$out" ]; then
	echo "FAIL: circles in the include graph of $dir/ (A -> B: A.c or A.h includes B.h):"
	sed 's/^/  /' <<<"$out"
	exit 1
fi

# The check itself can fail: a made-up tree with a circle through a .c
# (one.h -> two.h, two.c -> one.h) and a header-only module must fail,
# naming it; the same tree without two.c's include must pass.
if [ $# -eq 0 ]; then
	t=$(mktemp -d)
	trap 'rm -rf "$t"' EXIT
	printf '#include "two.h"\n' >"$t/one.h"
	printf '#include "one.h"\n#include <stdio.h>\n' >"$t/two.c"
	printf '#include "three.h"\n#include "nowhere.h"\n' >"$t/two.h"
	: >"$t/three.h"
	if self=$(bash "$0" "$t" 2>&1) || [[ "$self" != *"one -> two -> one"* ]]; then
		echo "FAIL: the self-test's circle was not found: $self"
		exit 1
	fi
	printf '#include <stdio.h>\n' >"$t/two.c"
	self=$(bash "$0" "$t" 2>&1) || { echo "FAIL: self-test without a circle: $self"; exit 1; }
fi
echo "ok: $n include edges among $dir/ modules, no circle"
