#!/usr/bin/env python3
"""ctlslow.py — clients of lvsd's control socket that misbehave, and a TCP
listener that logs when a health check connects.

  ctlslow.py SOCK idle SECONDS      connect, send nothing, hold; reconnect
                                    whenever lvsd drops us
  ctlslow.py SOCK dribble SECONDS   send "v1 status\\n" a byte every 1.5 s;
                                    reconnect whenever lvsd drops us
  ctlslow.py SOCK noread SECONDS    ask for status, never read the reply
  ctlslow.py SOCK flood N           open N idle connections at once; print
                                    how many were answered "error: busy"
  ctlslow.py SOCK raw HEX           send bytes (hex), half-close, print the
                                    reply (repr)
  ctlslow.py SOCK hold N SECONDS    keep N idle connections open,
                                    reopening those lvsd closes; prints
                                    "holding" once they were all tried
  ctlslow.py SOCK noreadn N SECS    N connections ask for status and never
                                    read; after 3 s print how many got
                                    "error: busy" first (peeked), hold on
  ctlslow.py SOCK slowread BYTES SECS  ask for status, read BYTES a second
                                    for SECS, then the rest at once; print
                                    the byte count and the last line
  ctlslow.py - listen PORT LOG      accept TCP on 127.0.0.1:PORT, append
                                    time.time() of each accept to LOG
Every loop ends by SECONDS (or 60 s).
"""
import select
import socket
import sys
import time


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    return s


def closed(s):
    r, _, _ = select.select([s], [], [], 0)
    if not r:
        return False
    try:
        return s.recv(65536, socket.MSG_DONTWAIT) == b""
    except (BlockingIOError, InterruptedError):
        return False
    except OSError:
        return True


def main():
    path, mode = sys.argv[1], sys.argv[2]
    if mode == "listen":
        port, log = int(sys.argv[3]), sys.argv[4]
        ls = socket.socket()
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind(("127.0.0.1", port))
        ls.listen(64)
        end = time.time() + 600
        with open(log, "a", buffering=1) as f:
            while time.time() < end:
                c, _ = ls.accept()
                f.write("%.3f\n" % time.time())
                c.close()
        return
    if mode == "raw":
        s = connect(path)
        try:
            s.sendall(bytes.fromhex(sys.argv[3]))
            s.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            pass  # lvsd has answered before reading it all
        s.settimeout(5)
        data = b""
        while True:
            try:
                d = s.recv(65536)
            except ConnectionResetError:  # lvsd closed with our bytes unread
                break
            if not d:
                break
            data += d
        print(repr(data))
        return
    if mode == "flood":
        socks = [connect(path) for _ in range(int(sys.argv[3]))]
        time.sleep(0.5)
        busy = 0
        for s in socks:
            r, _, _ = select.select([s], [], [], 0)
            if r and s.recv(4096, socket.MSG_DONTWAIT).startswith(b"error: busy"):
                busy += 1
        print(busy, flush=True)
        return
    if mode == "hold":
        n, end = int(sys.argv[3]), time.time() + min(float(sys.argv[4]), 60)
        socks = []
        told = False
        while time.time() < end:
            socks = [s for s in socks if not closed(s) or s.close()]
            while len(socks) < n:
                try:
                    socks.append(connect(path))
                except OSError:
                    break
            if not told:
                print("holding", flush=True)
                told = True
            time.sleep(0.02)
        return
    if mode == "noreadn":
        n, end = int(sys.argv[3]), time.time() + min(float(sys.argv[4]), 60)
        socks = []
        for _ in range(n):
            s = connect(path)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            try:
                s.sendall(b"v1 status\n")
            except OSError:
                pass
            socks.append(s)
        time.sleep(3)
        busy = 0
        for s in socks:
            try:
                if s.recv(64, socket.MSG_PEEK | socket.MSG_DONTWAIT).startswith(b"error: busy"):
                    busy += 1
            except OSError:
                pass
        print("busy %d" % busy, flush=True)
        while time.time() < end:
            time.sleep(0.1)
        return
    if mode == "slowread":
        rate, slow = int(sys.argv[3]), float(sys.argv[4])
        s = connect(path)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.sendall(b"v1 status\n")
        data = b""
        fast = time.time() + min(slow, 100)
        end = time.time() + 120
        while time.time() < end:
            if time.time() < fast:
                time.sleep(1)
            else:
                rate = 65536
            try:
                d = s.recv(rate)
            except OSError:
                break
            if not d:
                break
            data += d
        last = data.rstrip(b"\n").rsplit(b"\n", 1)[-1]
        print(len(data), last.decode(errors="replace"), flush=True)
        return
    end = time.time() + min(float(sys.argv[3]), 60)
    first = True
    if mode == "idle":
        while time.time() < end:
            s = connect(path)
            if first:
                print("connected", flush=True)
                first = False
            while time.time() < end and not closed(s):
                time.sleep(0.05)
            s.close()
    elif mode == "dribble":
        req = b"v1 status\n"
        while time.time() < end:
            s = connect(path)
            if first:
                print("connected", flush=True)
                first = False
            i = 0
            while time.time() < end and not closed(s):
                try:
                    s.send(req[i % len(req):i % len(req) + 1])
                except OSError:
                    break
                i += 1
                time.sleep(1.5)
            s.close()
    elif mode == "noread":
        s = connect(path)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.sendall(b"v1 status\n")
        print("connected", flush=True)
        while time.time() < end:
            time.sleep(0.1)
    print("done", flush=True)


main()
