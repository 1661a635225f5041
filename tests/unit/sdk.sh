#!/usr/bin/env bash
# sdk.sh — the plugin SDK from a third party's seat: `make install` into a
# staging root, then a copy of the example scheduler (outside the tree) is
# built with nothing but cc and pkg-config, exports one symbol, installs
# into the pkg-config `plugindir` and is loaded by the installed lvsd.
set -euo pipefail
cd "$(dirname "$0")/../.."
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# A private build dir: PREFIX=/usr must not rebuild the tree's own build.
make -s -j2 --no-print-directory install B="$t/build" DESTDIR="$t/root" \
	PREFIX=/usr >"$t/install.log" 2>&1 || { tail -20 "$t/install.log"; fail "make install"; }
for f in usr/include/lvsd/plugin.h usr/lib/pkgconfig/lvsd-plugin.pc \
	usr/share/man/man7/lvsd-plugin.7 usr/lib/lvsd/plugins/sched_wlc.so \
	usr/lib/lvsd/plugins/check_agent.so usr/sbin/lvsd; do
	[ -e "$t/root/$f" ] || fail "make install did not install /$f"
done

# The example, copied out of the tree; pkg-config sees only the staging root.
mkdir "$t/src"
cp plugins/examples/latency/latency.c "$t/src/"
[ "$(wc -l <"$t/src/latency.c")" -lt 60 ] || fail "the example has 60 lines or more"
export PKG_CONFIG_PATH="$t/root/usr/lib/pkgconfig" PKG_CONFIG_LIBDIR="$t/root/usr/lib/pkgconfig"
export PKG_CONFIG_SYSROOT_DIR="$t/root"
cflags=$(pkg-config --cflags lvsd-plugin)
echo "pkg-config --cflags lvsd-plugin: $cflags"
case " $cflags " in
*" -I$t/root/usr/include "*) ;;
*) fail "Cflags do not point into the installed headers: $cflags" ;;
esac
for want in -fPIC -fvisibility=hidden; do
	case " $cflags " in *" $want "*) ;; *) fail "Cflags lack $want: $cflags" ;; esac
done
[ "$(pkg-config --variable=abi_major lvsd-plugin)" = \
	"$(awk '/define LVSD_ABI_MAJOR/ { print $3 }' core/include/lvsd/plugin.h)" ] ||
	fail "abi_major of the .pc differs from the header"
(cd "$t/src" && cc $cflags -shared -fPIC -o latency.so latency.c) ||
	fail "the example does not build against the installed SDK"
syms=$(nm -D --defined-only "$t/src/latency.so" | awk '$2 ~ /[TDBRW]/ { print $3 }')
[ "$syms" = lvsd_plugin_entry_v1 ] || fail "latency.so exports: $syms"

plugindir=$(pkg-config --variable=plugindir lvsd-plugin)
[ "$plugindir" = "$t/root/usr/lib/lvsd/plugins" ] || fail "plugindir is $plugindir"
install -m 755 "$t/src/latency.so" "$plugindir/"
cat >"$t/lvsd.ini" <<'INI'
[virtual_server web]
address = 192.168.0.30:80
scheduler = latency
[real_server web 10.0.0.51:80]
weight = 100
check = TCP
INI
"$t/root/usr/sbin/lvsd" -t -P "$plugindir" -c "$t/lvsd.ini" >"$t/t.log" 2>&1 ||
	{ cat "$t/t.log"; fail "the installed lvsd does not take scheduler = latency"; }
grep -q "configuration OK" "$t/t.log" || { cat "$t/t.log"; fail "no 'configuration OK'"; }
# And without the plugin the same file is refused (the check can fail).
rm "$plugindir/latency.so"
if "$t/root/usr/sbin/lvsd" -t -P "$plugindir" -c "$t/lvsd.ini" >"$t/t2.log" 2>&1; then
	fail "scheduler = latency accepted without the plugin"
fi
echo "ok: the example built out of tree with pkg-config only, exports 1 symbol, loads from plugindir"
