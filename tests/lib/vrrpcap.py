#!/usr/bin/env python3
"""vrrpcap.py — record the VRRP adverts seen on an interface (run it in a
namespace on the same bridge as the routers).

usage: vrrpcap.py --dev IF --out FILE [--duration S] [--family 4|6]
Writes one line per advert: "MS SRC VRID PRIORITY", flushed at once,
until --duration (default 60 s) or SIGTERM. MS is the kernel's receive
timestamp (SO_TIMESTAMPNS, CLOCK_REALTIME) in milliseconds, so a slow
reader on a loaded machine does not bunch the adverts up; a test cuts the
record into windows with marks of the same clock (date +%s%3N).
"""
import argparse
import ipaddress
import select
import signal
import socket
import struct
import sys
import time

ap = argparse.ArgumentParser()
ap.add_argument("--dev", required=True)
ap.add_argument("--out", required=True)
ap.add_argument("--duration", type=float, default=60)
ap.add_argument("--family", type=int, default=4)
a = ap.parse_args()

stop = False


def on_term(*_):
    global stop
    stop = True


signal.signal(signal.SIGTERM, on_term)
signal.signal(signal.SIGINT, on_term)
ifx = socket.if_nametoindex(a.dev)
if a.family == 4:
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 112)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, a.dev.encode())
    s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                 struct.pack("4s4si", socket.inet_aton("224.0.0.18"),
                             b"\0" * 4, ifx))
else:
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, 112)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, a.dev.encode())
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP,
                 socket.inet_pton(socket.AF_INET6, "ff02::12") +
                 struct.pack("@I", ifx))
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)
s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
out = open(a.out, "w", buffering=1)
end = time.monotonic() + a.duration
while not stop and time.monotonic() < end:
    try:
        r = select.select([s], [], [], 0.2)[0]
    except InterruptedError:
        continue
    if not r:
        continue
    d, anc, _, src = s.recvmsg(4096, socket.CMSG_SPACE(16))
    t = time.time() * 1000
    for lvl, typ, data in anc:
        if lvl == socket.SOL_SOCKET and typ == SO_TIMESTAMPNS and len(data) >= 16:
            sec, nsec = struct.unpack("=qq", data[:16])
            t = sec * 1000 + nsec / 1e6
    if a.family == 4:
        ihl = (d[0] & 15) * 4
        if len(d) < ihl + 4:
            continue
        srca, vrid, prio = socket.inet_ntoa(d[12:16]), d[ihl + 1], d[ihl + 2]
    else:
        if len(d) < 4:
            continue
        srca, vrid, prio = src[0].split("%")[0], d[1], d[2]
    out.write("%.3f %s %d %d\n" % (t, srca, vrid, prio))
sys.exit(0)
