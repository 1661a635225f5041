# classify.awk — reads `abidiff --leaf-changes-only` and prints every change
# a minor version may not make; prints nothing if the only changes are
# fields appended at the end of a struct (its size grows, each new field at
# or past the old end), enumerators appended, or new types (tests/unit/abi.sh).
function bad(why) { print "incompatible: " (cur ? cur ": " : "") why; n++ }
/^Removed\/Changed\/Added functions summary:/ {
	if ($5 + 0 > 0) bad($5 " probe function(s) removed: a public type is gone")
	next
}
/^(Leaf changes summary|Changed leaf types summary|Removed\/Changed\/Added variables summary)/ { next }
/^$/ { next }
/^'.*' changed:$/ { cur = $0; sub(/ changed:$/, "", cur); old = -1; mode = ""; next }
/^ *\[A\] 'function void lvsd_abi_probe_[a-z0-9_]+\(/ { next } # a new public type
/^[0-9]+ Added functions?:$/ { next }
/^[^ ]/ { cur = ""; bad($0); next }
/type size changed from [0-9]+ to [0-9]+/ {
	match($0, /from [0-9]+ to [0-9]+/)
	split(substr($0, RSTART, RLENGTH), w, " ")
	old = w[2] + 0
	if (w[4] + 0 < old) bad("shrank from " w[2] " to " w[4] " bits")
	next
}
/type size hasn't changed/ { old = -2; next }
/data members? insertions?:$/ { mode = "members"; next }
/enumerators? insertions?:$/ { mode = "enums"; next }
/impacted interfaces?:?$/ { mode = "impacted"; next }
mode == "members" && /, at offset [0-9]+ \(in bits\)/ {
	match($0, /at offset [0-9]+/)
	off = substr($0, RSTART + 10, RLENGTH - 10) + 0
	if (old == -2)
		bad("field put into tail padding (size unchanged: an old plugin's size covers it, but it never set it):" $0)
	else if (old < 0 || off < old)
		bad("field inserted before the old end (" old " bits):" $0)
	next
}
mode == "enums" && /^ +'[^']*' value '/ { next }
mode == "impacted" && /^ +(function|variable) / { next }
{ sub(/^ +/, ""); bad($0) }
END { exit n > 0 }
