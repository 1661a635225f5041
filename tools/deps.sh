#!/usr/bin/env bash
# tools/deps.sh — install the Debian packages lvsd needs to build, test,
# demo and benchmark (idempotent: apt-get runs only if something is missing).
set -euo pipefail

pkgs=(
	# build
	build-essential pkg-config libinih-dev libnl-3-dev libnl-genl-3-dev libssl-dev
	libnl-route-3-dev libsnmp-dev libsystemd-dev libcmocka-dev
	# tests: namespaces, real servers and peers, the VM tier
	iproute2 procps psmisc python3 curl tcpdump ipvsadm keepalived snmpd snmp
	openssl dnsmasq-base socat
	snmptrapd
	qemu-system-x86 busybox-static kmod cpio
	# vm/test_systemd.sh: systemd as PID 1 of a namespace in the VM
	systemd util-linux
	# net/test_ctl_access.sh: users and groups (passwd), SIGPIPE timing (strace)
	passwd strace
	# fuzz targets, MIB checks, ABI baseline
	clang smitools abigail-tools
	# vm/test_bgp.sh: BIRD 2 announces lvsd's VIPs over BGP ([bgp])
	bird2
	# make deb, vm/host_deb.sh: Debian's packaging tools and lintian
	debhelper fakeroot lintian
	# net/test_metrics.sh: promtool checks the page, prometheus scrapes it
	prometheus
	# net/test_check_syscalls.sh: nft drops every other SYN (a connect in flight)
	nftables
)

# lvsd's unprivileged user (check_user, script_user's default), as the
# Debian package's postinst makes it
if [ "$(id -u)" -eq 0 ] && ! id lvsd >/dev/null 2>&1; then
	useradd --system --no-create-home --shell /usr/sbin/nologin lvsd
fi

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages: ${missing[*]} (run as root: make deps)" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts these on install; lvsd's tests start their own instances.
for svc in snmpd snmptrapd snmptrapd.socket keepalived bird prometheus; do
	systemctl disable --now "$svc" >/dev/null 2>&1 || true
done
