#!/usr/bin/env python3
"""vrrp_watch.py — one failover measurement, run in the backup's namespace.

usage: vrrp_watch.py --dev IF --master ADDR --vip ADDR --pid PID --sig N
                     [--timeout S]
Waits for an advert from ADDR on the wire, sends signal N to PID at once
(so every run starts at the same phase: right after an advert), and waits
for the kernel to report VIP added in this namespace (rtnetlink). Prints
the milliseconds between the signal and the address, or "timeout".
"""
import argparse
import ipaddress
import os
import select
import socket
import struct
import sys
import time

RTMGRP_IPV4_IFADDR = 0x10
RTM_NEWADDR = 20
IFA_LOCAL, IFA_ADDRESS = 2, 1

ap = argparse.ArgumentParser()
ap.add_argument("--dev", required=True)
ap.add_argument("--master", required=True)
ap.add_argument("--vip", required=True)
ap.add_argument("--pid", type=int, required=True)
ap.add_argument("--sig", type=int, required=True)
ap.add_argument("--timeout", type=float, default=15)
a = ap.parse_args()
vip = ipaddress.ip_address(a.vip).packed
master = ipaddress.ip_address(a.master).packed

nl = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
nl.bind((0, RTMGRP_IPV4_IFADDR))
raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, 112)
raw.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, a.dev.encode())
mreq = struct.pack("4s4si", socket.inet_aton("224.0.0.18"), b"\0" * 4,
                   socket.if_nametoindex(a.dev))
raw.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)


def vip_added(buf):
    off = 0
    while off + 16 <= len(buf):
        ln, typ = struct.unpack_from("=IH", buf, off)
        if ln < 16:
            return False
        if typ == RTM_NEWADDR:
            p = off + 16 + 8  # nlmsghdr + ifaddrmsg
            while p + 4 <= off + ln:
                rl, rt = struct.unpack_from("=HH", buf, p)
                if rl < 4:
                    break
                if rt in (IFA_LOCAL, IFA_ADDRESS) and buf[p + 4:p + rl] == vip:
                    return True
                p += (rl + 3) & ~3
        off += (ln + 3) & ~3
    return False


deadline = time.monotonic() + a.timeout
while True:  # an advert from the master
    if not select.select([raw], [], [], max(0, deadline - time.monotonic()))[0]:
        print("timeout")
        sys.exit(1)
    d = raw.recv(2048)
    if d[12:16] == master:
        break
t0 = time.monotonic()
os.kill(a.pid, a.sig)
while True:
    left = deadline + 10 - time.monotonic()
    if left <= 0 or not select.select([nl], [], [], left)[0]:
        print("timeout")
        sys.exit(1)
    if vip_added(nl.recv(65536)):
        print("%.1f" % ((time.monotonic() - t0) * 1000))
        sys.exit(0)
