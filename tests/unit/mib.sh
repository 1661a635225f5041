#!/usr/bin/env bash
# tests/unit/mib.sh — LVSD-MIB, VRRPV3-MIB (RFC 6527) and the IF-MIB it
# imports are valid SMIv2 (smilint -l 6: no errors, no warnings) and load
# offline with only mibs/ (snmptranslate -M mibs, and MIBDIRS=mibs), with
# the objects, the roots and the indexes we serve.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v smilint >/dev/null || { echo "SKIP: no smilint (smitools)"; exit 77; }
command -v snmptranslate >/dev/null || { echo "SKIP: no snmptranslate"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp SNMPCONFPATH=/nonexistent SNMP_PERSISTENT_DIR=$tmp
out=$(SMIPATH=mibs smilint -l 6 mibs/LVSD-MIB.txt 2>&1) || true
[ -z "$out" ] || fail "smilint -l 6: $out"
for m in SNMPv2-CONF NET-SNMP-MIB VRRPV3-MIB IF-MIB; do
	out=$(SMIPATH=mibs smilint -l 6 mibs/$m.txt 2>&1) || true
	[ -z "$out" ] || fail "smilint $m: $out"
done
oid=$(MIBS= snmptranslate -M mibs -m LVSD-MIB -On LVSD-MIB::lvsdMIB 2>/dev/null)
[ "$oid" = .1.3.6.1.4.1.8072.9999.9999.5873 ] || fail "lvsdMIB is $oid"
grep -q 'netSnmpPlaypen 5873' mibs/LVSD-MIB.txt || fail "the root is not under netSnmpPlaypen"
grep -q 'LVSD_MIB_ROOT 1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 5873$' core/snmpmib.h ||
	fail "core/snmpmib.h's root differs from the MIB's"
oid=$(MIBDIRS=mibs MIBS=LVSD-MIB snmptranslate -On LVSD-MIB::lvsdRsOperWeight 2>/dev/null)
[ "$oid" = .1.3.6.1.4.1.8072.9999.9999.5873.1.4.1.7 ] || fail "lvsdRsOperWeight is $oid"
oid=$(MIBDIRS=mibs MIBS=LVSD-MIB snmptranslate -On \
	LVSD-MIB::lvsdRsWeight.1.4.192.168.0.29.80.6.0.1.4.10.0.0.51.80 2>/dev/null)
[ "$oid" = .1.3.6.1.4.1.8072.9999.9999.5873.1.4.1.9.1.4.192.168.0.29.80.6.0.1.4.10.0.0.51.80 ] ||
	fail "real server index: $oid"
for o in lvsdVrrpStateChange lvsdRealServerDown lvsdVsQuorumLost lvsdVrrpPriZeroSent \
	lvsdVsOutByteRate lvsdPluginAbiMinor lvsdKernelProgrammed; do
	MIBDIRS=mibs MIBS=LVSD-MIB snmptranslate -On LVSD-MIB::$o >/dev/null 2>&1 || fail "$o does not load"
done
oid=$(MIBS= snmptranslate -M mibs -m VRRPV3-MIB -On VRRPV3-MIB::vrrpv3MIB 2>/dev/null)
[ "$oid" = .1.3.6.1.2.1.207 ] || fail "vrrpv3MIB is $oid"
grep -q 'VRRPV3_MIB_ROOT 1, 3, 6, 1, 2, 1, 207$' core/snmpvrrp3.h ||
	fail "core/snmpvrrp3.h's root differs from the MIB's"
# the associated address table: ifIndex, VRID, type, then the address
# with its length
oid=$(MIBDIRS=mibs MIBS=VRRPV3-MIB snmptranslate -On \
	VRRPV3-MIB::vrrpv3AssociatedIpAddrRowStatus.3.51.1.4.10.0.0.100 2>/dev/null)
[ "$oid" = .1.3.6.1.2.1.207.1.1.2.1.2.3.51.1.4.10.0.0.100 ] || fail "address index: $oid"
for o in vrrpv3OperationsMasterIpAddr vrrpv3OperationsRowStatus vrrpv3RouterChecksumErrors \
	vrrpv3GlobalStatisticsDiscontinuityTime vrrpv3StatisticsRcvdInvalidTypePackets \
	vrrpv3StatisticsRefreshRate vrrpv3NewMaster; do
	MIBDIRS=mibs MIBS=VRRPV3-MIB snmptranslate -On VRRPV3-MIB::$o >/dev/null 2>&1 || fail "$o does not load"
done
echo "ok: LVSD-MIB and VRRPV3-MIB lint clean and load offline"
