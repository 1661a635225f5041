#!/usr/bin/env bash
# deb_guest.sh (VM, run by tests/vm/host_deb.sh) — installs $B/deb/*.deb
# with dpkg on the VM's throw-away overlay and uses only what the packages
# installed: the user, the enabled-but-stopped unit, the conffile, `lvsd
# -t`, the seed's NAT setup through /usr/sbin/lvsd with its built-in
# plugin directory, lvsctl on the default socket, the SDK (pkg-config +
# the example scheduler), then conffile upgrade handling and purge.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${B:-build}
. tests/lib/ns.sh
. tests/lib/topo.sh
ns_init
ok() { echo "ok: $*"; }

[ ! -e /usr/sbin/lvsd ] || fail "/usr/sbin/lvsd exists before the install"
# The host's test setup may have made the user: the overlay forgets it, so
# that the postinst is what makes it here.
if getent passwd lvsd >/dev/null; then userdel lvsd; fi
getent group lvsd >/dev/null && groupdel lvsd
# man-db's trigger rebuilds its whole index (minutes under TCG); only when
# this file exists does it run.
rm -f /var/lib/man-db/auto-update
debs=("$B"/deb/lvsd_*_amd64.deb "$B"/deb/lvsd-dev_*_amd64.deb)
dpkg -i "${debs[@]}" || fail "dpkg -i ${debs[*]}"
dpkg -s lvsd lvsd-dev | grep -q '^Status: install ok installed' || fail "not installed"
ok "dpkg -i ${debs[*]##*/}"

for f in /usr/sbin/lvsd /usr/sbin/lvsctl /etc/lvsd/lvsd.ini \
	/lib/systemd/system/lvsd.service /usr/share/man/man8/lvsd.8.gz \
	/usr/share/man/man5/lvsd.ini.5.gz /usr/share/man/man8/lvsctl.8.gz \
	/usr/share/snmp/mibs/LVSD-MIB.txt /usr/share/doc/lvsd/snmpd-lvsd.conf \
	/usr/include/lvsd/plugin.h /usr/share/doc/lvsd/examples/lvsd-nat.ini \
	/usr/sbin/lvsd-import /usr/share/man/man8/lvsd-import.8.gz \
	/usr/share/snmp/mibs/VRRPV3-MIB.txt; do
	[ -e "$f" ] || fail "the packages did not install $f"
done
grep -qx /etc/lvsd/lvsd.ini /var/lib/dpkg/info/lvsd.conffiles || fail "lvsd.ini is not a conffile"
getent passwd lvsd >/dev/null || fail "postinst made no user lvsd"
# enabled (deb-systemd-helper's symlink) but not started
[ -L /etc/systemd/system/multi-user.target.wants/lvsd.service ] ||
	fail "lvsd.service is not enabled"
grep -q '^ExecStart=/usr/sbin/lvsd ' /lib/systemd/system/lvsd.service ||
	fail "the unit does not start /usr/sbin/lvsd"
[ ! -S /run/lvsd/lvsd.sock ] || fail "the package started lvsd"
ok "files, conffile, user lvsd, unit enabled and not started"

/usr/sbin/lvsd -t || fail "lvsd -t on the shipped /etc/lvsd/lvsd.ini"
ok "lvsd -t accepts the shipped /etc/lvsd/lvsd.ini"

# The seed's 11.4.1 as a keepalived user brings it: their keepalived.conf
# converted by the installed lvsd-import into /etc/lvsd/lvsd.ini, then run
# by the installed daemon with its defaults.
/usr/sbin/lvsd-import -o /etc/lvsd/lvsd.ini tests/import/corpus/01-seed-nat.conf ||
	fail "lvsd-import of the seed's keepalived.conf"
/usr/sbin/lvsd -t || fail "lvsd -t on the imported /etc/lvsd/lvsd.ini"
/usr/sbin/lvsd -t -c /usr/share/doc/lvsd/examples/lvsd-nat.ini || fail "lvsd -t on the installed lvsd-nat.ini"
modprobe -q ip_vs 2>/dev/null || true
topo_nat
NS_LOG=$NS_TMP/lvsd.log ns_bg - /usr/sbin/lvsd -n -v
LVSD=$NS_LAST_PID
wait_for 20 /usr/sbin/lvsctl status >/dev/null || { cat "$NS_TMP/lvsd.log"; fail "lvsctl status on the default socket"; }
wait_for 10 sh -c 'ipvsadm -Ln | grep -q 10.0.0.52:80' || { ipvsadm -Ln; fail "no IPVS table"; }
ipvsadm -Ln
seen=
for i in 1 2 3 4; do seen="$seen $(topo_get)"; done
case $seen in *Backend01*Backend02*|*Backend02*Backend01*) ;; *) fail "wlc through the VIP: $seen" ;; esac
ok "the seed's LVS-NAT through 192.168.0.30 from the installed lvsd:$seen"
/usr/sbin/lvsctl status | grep -q 10.0.0.51:80 || fail "lvsctl status shows no real server"
kill "$LVSD"; wait "$LVSD" 2>/dev/null || true

# The SDK: the example scheduler built against the installed header only.
# (/etc/lvsd/lvsd.ini is still the imported seed setup.)
t=$(mktemp -d)
cp /usr/share/doc/lvsd-dev/examples/acme_mh.c "$t/"
(cd "$t" && cc $(pkg-config --cflags --libs lvsd-plugin) -Wall -Werror -o acme_mh.so acme_mh.c) ||
	fail "acme_mh.c does not build with the installed SDK"
plugindir=$(pkg-config --variable=plugindir lvsd-plugin)
[ -d "$plugindir" ] && [ -e "$plugindir/sched_wlc.so" ] || fail "pkg-config plugindir $plugindir is not lvsd's"
install -m 755 "$t/acme_mh.so" "$plugindir/"
sed 's/^scheduler = wlc$/scheduler = acme-mh/' /etc/lvsd/lvsd.ini >"$t/mh.ini"
grep -q acme-mh "$t/mh.ini" || fail "the example has no scheduler line to change"
/usr/sbin/lvsd -t -c "$t/mh.ini" || fail "the installed lvsd does not load the SDK-built scheduler"
rm -f "$plugindir/acme_mh.so"
ok "lvsd-dev: the example scheduler builds with pkg-config and loads"

# A changed conffile survives a reinstall; purge removes state and user.
echo '; local change' >>/etc/lvsd/lvsd.ini
dpkg -i --force-confold "${debs[@]}" >/dev/null || fail "reinstall"
grep -q '; local change' /etc/lvsd/lvsd.ini || fail "the reinstall replaced the changed conffile"
mkdir -p /var/lib/lvsd && : >/var/lib/lvsd/state
dpkg --purge lvsd-dev lvsd || fail "dpkg --purge"
[ ! -e /usr/sbin/lvsd ] && [ ! -e /etc/lvsd/lvsd.ini ] && [ ! -e /var/lib/lvsd ] ||
	fail "purge left files behind"
! getent passwd lvsd >/dev/null || fail "purge left the user lvsd"
ok "a changed conffile is kept on reinstall; purge removes files, state and user"
echo "PASS deb"
