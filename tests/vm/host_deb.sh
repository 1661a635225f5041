#!/usr/bin/env bash
# host_deb.sh — the Debian package from an administrator's seat: `make deb`
# builds lvsd and lvsd-dev with dpkg-buildpackage and checks them with
# lintian (on the host), then a VM installs both with dpkg on its overlay
# and runs the seed's LVS-NAT setup from the installed paths only
# (tests/lib/deb_guest.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${B:-build}
export B
fail() { echo "FAIL: $*" >&2; exit 1; }

make --no-print-directory deb B="$B" || fail "make deb"
ls "$B"/deb/lvsd_*_amd64.deb "$B"/deb/lvsd-dev_*_amd64.deb >/dev/null ||
	fail "make deb made no lvsd_VERSION_amd64.deb / lvsd-dev"
tools/vm/run --timeout 600 --env B -- bash tests/lib/deb_guest.sh
