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
# It starts as a copy of that build (made with the default PREFIX), as
# when one runs `make` then `make install PREFIX=/usr`: the objects that
# embed PREFIX's paths must be rebuilt (the flags stamp holds them).
B=${B:-build}
if [ -f "$B/lvsd" ] && grep -q "LVSD_PLUGINDIR=/usr/local/lib/lvsd/plugins" "$B/.flags" 2>/dev/null; then
	cp -a "$B" "$t/build"
fi
make -s -j2 --no-print-directory install B="$t/build" DESTDIR="$t/root" \
	PREFIX=/usr >"$t/install.log" 2>&1 || { tail -20 "$t/install.log"; fail "make install"; }
for f in usr/include/lvsd/plugin.h usr/lib/pkgconfig/lvsd-plugin.pc \
	usr/share/man/man7/lvsd-plugin.7 usr/lib/lvsd/plugins/sched_wlc.so \
	usr/lib/lvsd/plugins/check_agent.so usr/sbin/lvsd \
	usr/share/doc/lvsd/examples/latency.c usr/share/doc/lvsd/examples/acme_mh.c; do
	[ -e "$t/root/$f" ] || fail "make install did not install /$f"
done
# the installed lvsd looks where pkg-config's plugindir says (below)
strings "$t/root/usr/sbin/lvsd" >"$t/strings"
grep -qx /usr/lib/lvsd/plugins "$t/strings" ||
	fail "the installed lvsd's built-in plugin directory is not /usr/lib/lvsd/plugins"
! grep -q /usr/local/lib/lvsd/plugins "$t/strings" ||
	fail "the installed lvsd still has /usr/local/lib/lvsd/plugins (built before PREFIX=/usr)"

# The example, copied out of the tree; pkg-config sees only the staging root.
mkdir "$t/src"
cp plugins/examples/latency/latency.c "$t/src/"
cp tests/abi/acme_mh.c "$t/src/"
# issue 18: the vendor's scheduler, with no guessing, in under 60 lines
[ "$(wc -l <"$t/src/acme_mh.c")" -lt 60 ] || fail "the vendor plugin has 60 lines or more"
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
libs=$(pkg-config --libs lvsd-plugin)
echo "pkg-config --libs lvsd-plugin: $libs"
for want in -shared -Wl,-z,defs; do # what lvsd-plugin(7) recommends
	case " $libs " in *" $want "*) ;; *) fail "Libs lack $want: $libs" ;; esac
done
grep -q 'pkg-config --cflags --libs lvsd-plugin' man/lvsd-plugin.7 || fail "the man page builds otherwise"
[ "$(pkg-config --variable=abi_major lvsd-plugin)" = \
	"$(awk '/define LVSD_ABI_MAJOR/ { print $3 }' core/include/lvsd/plugin.h)" ] ||
	fail "abi_major of the .pc differs from the header"
for p in latency acme_mh; do
	(cd "$t/src" && cc $cflags $libs -Wall -Wextra -Werror -o $p.so $p.c) ||
		fail "$p.c does not build against the installed SDK"
	syms=$(nm -D --defined-only "$t/src/$p.so" | awk '$2 ~ /[TDBRW]/ { print $3 }')
	[ "$syms" = lvsd_plugin_entry_v1 ] || fail "$p.so exports: $syms"
done

plugindir=$(pkg-config --variable=plugindir lvsd-plugin)
[ "$plugindir" = "$t/root/usr/lib/lvsd/plugins" ] || fail "plugindir is $plugindir"
install -m 755 "$t/src/latency.so" "$t/src/acme_mh.so" "$plugindir/"
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

# --- the vendor's acme-mh, run: its flags and option are taken, its
# weights back off for a slow backend, a reload's option applies ---------
python3 - "$t/port" <<'PY' &
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(64)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
s.settimeout(1.0); end = time.time() + 60
while time.time() < end:
    try:
        c, _ = s.accept(); c.close()
    except socket.timeout:
        pass
PY
lpid=$!
trap 'kill $lpid $dpid 2>/dev/null; rm -rf "$t"' EXIT
dpid=
for _ in $(seq 50); do [ -s "$t/port" ] && break; sleep 0.1; done
acme() { # slow_us
	printf '[virtual_server web]\naddress = 192.168.0.30:80\nscheduler = acme-mh\n'
	printf 'sched_flags = fallback port\nslow_us = %s\n' "$1"
	printf '[real_server web 127.0.0.1:%s]\nweight = 100\ncheck = TCP\ndelay_loop = 1\n' "$(cat "$t/port")"
}
# 1 us: any check on loopback is slower, the weight backs off
acme 1 >"$t/acme.ini"
"$t/root/usr/sbin/lvsd" -t -P "$plugindir" -c "$t/acme.ini" >"$t/t3.log" 2>&1 ||
	{ cat "$t/t3.log"; fail "the installed lvsd does not take acme-mh, its flags and slow_us"; }
"$t/root/usr/sbin/lvsd" -n -v --no-ipvs -P "$plugindir" -c "$t/acme.ini" -S "$t/sock" \
	--state-file "$t/state" >"$t/d.log" 2>&1 &
dpid=$!
w() { { "$t/root/usr/sbin/lvsctl" -s "$t/sock" status 2>/dev/null || true; } | awk '$2 ~ /^127\.0\.0\.1:/ { print $4 }'; }
wait_w() { # test on the weight, what
	for _ in $(seq 100); do
		x=$(w)
		[ -n "$x" ] && [ "$x" $1 ] && return 0
		sleep 0.1
	done
	cat "$t/d.log"; fail "$2: weight '$(w)'"
}
wait_w "-lt 100" "acme-mh did not back off a backend slower than slow_us = 1"
acme 60000000 >"$t/acme.ini"
"$t/root/usr/sbin/lvsctl" -s "$t/sock" reload >/dev/null
wait_w "-eq 100" "slow_us = 60000000 at reload did not give the full weight"
kill $dpid; wait $dpid || true
echo "ok: acme-mh ($(wc -l <"$t/src/acme_mh.c") lines, out of tree): flags, slow_us, weight backs off, option applied at reload"
