#!/usr/bin/env python3
"""vrrpsend.py — craft VRRP adverts for tests: good ones, and ones a router
must drop (wrong password, VRID, TTL, checksum, version).

usage: vrrpsend.py --dev IF --src ADDR [--dst ADDR] [--version 2|3]
                   [--vrid N] [--prio N] [--int CS] [--pass PW] [--ttl N]
                   [--addr VIP]... [--bad-checksum] [--type N] [--count N]
       vrrpsend.py --corpus DIR     (fuzz seeds for fuzz_vrrppkt)
The advert goes to 224.0.0.18 / ff02::12 unless --dst says otherwise.
"""
import argparse
import ipaddress
import os
import socket
import struct
import sys


def csum(data, init=0):
    if len(data) % 2:
        data += b"\0"
    s = init
    for i in range(0, len(data), 2):
        s += (data[i] << 8) | data[i + 1]
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def pseudo(src, dst, length):
    s, d = ipaddress.ip_address(src).packed, ipaddress.ip_address(dst).packed
    if len(s) == 4:
        ph = s + d + struct.pack("!BBH", 0, 112, length)
    else:
        ph = s + d + struct.pack("!IxxxB", length, 112)
    t = 0
    for i in range(0, len(ph), 2):
        t += (ph[i] << 8) | ph[i + 1]
    return t


def advert(version, vrid, prio, interval_cs, addrs, pw, src, dst,
           bad_checksum=False, wire_version=None, ptype=1):
    wv = wire_version or version
    packed = b"".join(ipaddress.ip_address(a).packed for a in addrs)
    if version == 2:
        hdr = struct.pack("!BBBBBBH", (wv << 4) | ptype, vrid, prio, len(addrs),
                          1 if pw else 0, max(1, interval_cs // 100), 0)
        body = hdr + packed + (pw or "").encode()[:8].ljust(8, b"\0")
        c = csum(body)
    else:
        hdr = struct.pack("!BBBBHH", (wv << 4) | ptype, vrid, prio, len(addrs),
                          interval_cs & 0x0FFF, 0)
        body = hdr + packed
        c = csum(body, pseudo(src, dst, len(body)))
    if bad_checksum:
        c ^= 0x5A5A
    return body[:6] + struct.pack("!H", c) + body[8:]


def ipv4(src, dst, payload, ttl=255):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0xC0, 20 + len(payload), 0, 0, ttl,
                    112, 0, ipaddress.ip_address(src).packed,
                    ipaddress.ip_address(dst).packed)
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload


def corpus(d):
    os.makedirs(d, exist_ok=True)
    v4 = ["192.168.0.29", "10.0.0.29"]
    seeds = {
        "v2": b"\x80" + ipv4("192.168.0.1", "224.0.0.18",
                             advert(2, 51, 100, 100, v4, "password",
                                    "192.168.0.1", "224.0.0.18")),
        "v3_4": b"\x01" + ipv4("192.168.0.1", "224.0.0.18",
                               advert(3, 51, 100, 100, v4, None,
                                      "192.168.0.1", "224.0.0.18")),
        "v3_6": b"\x42" + advert(3, 51, 100, 100, ["2001:db8::29"], None,
                                 "fe80::1", "ff02::12"),
    }
    for k, v in seeds.items():
        with open(os.path.join(d, k), "wb") as f:
            f.write(v)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dev")
    ap.add_argument("--src")
    ap.add_argument("--dst")
    ap.add_argument("--version", type=int, default=2)
    ap.add_argument("--wire-version", type=int, help="version field to write")
    ap.add_argument("--vrid", type=int, default=51)
    ap.add_argument("--prio", type=int, default=100)
    ap.add_argument("--int", type=int, default=100, help="centiseconds")
    ap.add_argument("--pass", dest="pw")
    ap.add_argument("--ttl", type=int, default=255)
    ap.add_argument("--addr", action="append", default=[])
    ap.add_argument("--bad-checksum", action="store_true")
    ap.add_argument("--type", type=int, default=1, help="type field (1: advert)")
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--corpus")
    a = ap.parse_args()
    if a.corpus:
        corpus(a.corpus)
        return 0
    v6 = ":" in a.src
    dst = a.dst or ("ff02::12" if v6 else "224.0.0.18")
    pkt = advert(a.version, a.vrid, a.prio, a.int, a.addr, a.pw, a.src, dst,
                 a.bad_checksum, a.wire_version, a.type)
    fam = socket.AF_INET6 if v6 else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_RAW, 112)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, a.dev.encode())
    if v6:
        idx = socket.if_nametoindex(a.dev)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, a.ttl)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, a.ttl)
        s.bind((a.src, 0, 0, idx))
        for _ in range(a.count):
            s.sendto(pkt, (dst, 0, 0, idx))
    else:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
        for _ in range(a.count):
            s.sendto(ipv4(a.src, dst, pkt, a.ttl), (dst, 0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
