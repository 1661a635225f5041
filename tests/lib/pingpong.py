#!/usr/bin/env python3
"""pingpong.py — long-lived TCP connections that keep carrying data.

  pingpong.py server PORT
      an echo server (every byte back), many connections at once.
  pingpong.py client HOST PORT N INTERVAL_MS STATUS MARK [DEAD_S]
      N connections to HOST:PORT; each sends a line every INTERVAL_MS and
      waits for its echo. STATUS is rewritten every 0.2 s with one line:
        epoch=E conns=N up=U since=S dead=D gap_ms=G rounds=R
      E: what file MARK holds (0 if none). When it changes, "since"
      counts again the connections that completed a round trip after the
      change, and gap_ms the longest time a connection went without one,
      from then on; "E+" after "E" restarts the count only (mark E just
      before an event, E+ once it is over: gap_ms spans the event). dead: connections that failed (reset, closed, no echo
      for DEAD_S seconds, default 20). up: connections not dead. Runs until
      MARK holds "stop" (at most 600 s); exits 0.
"""
import os
import selectors
import socket
import sys
import time


def server(port):
    sel = selectors.DefaultSelector()
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("0.0.0.0", port))
    ls.listen(1024)
    ls.setblocking(False)
    sel.register(ls, selectors.EVENT_READ, None)
    while True:
        for key, _ in sel.select(1.0):
            if key.data is None:
                try:
                    c, _ = ls.accept()
                except OSError:
                    continue
                c.setblocking(False)
                c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                sel.register(c, selectors.EVENT_READ, "c")
                continue
            c = key.fileobj
            try:
                d = c.recv(65536)
            except OSError:
                d = b""
            if not d:
                sel.unregister(c)
                c.close()
                continue
            try:
                c.sendall(d)
            except OSError:
                sel.unregister(c)
                c.close()


class Conn:
    def __init__(self, s):
        self.s = s
        self.buf = b""
        self.sent = None      # time of the outstanding ping, None: none
        self.seq = 0
        self.next = 0.0
        self.last_ok = time.monotonic()
        self.dead = False
        self.since = False
        self.gap = 0.0
        self.rounds = 0


def kill(sel, c):
    c.dead = True
    try:
        sel.unregister(c.s)
    except (KeyError, ValueError):
        pass
    c.s.close()


def read_mark(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return "0"


def client(host, port, n, interval_ms, status, mark, dead_s):
    sel = selectors.DefaultSelector()
    conns = []
    for i in range(n):
        s = socket.create_connection((host, port), 10)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.setblocking(False)
        c = Conn(s)
        # spread the pings over the interval
        c.next = time.monotonic() + (i * interval_ms / n) / 1000.0
        sel.register(s, selectors.EVENT_READ, c)
        conns.append(c)
    iv = interval_ms / 1000.0
    epoch = read_mark(mark)
    mark_t = time.monotonic()
    t_end = time.monotonic() + 600
    last_status = 0.0
    while time.monotonic() < t_end:
        now = time.monotonic()
        for c in conns:
            if c.dead:
                continue
            if c.sent is None and now >= c.next:
                c.seq += 1
                try:
                    c.s.send(b"%d\n" % c.seq)
                    c.sent = now
                except OSError:
                    kill(sel, c)
            elif c.sent is not None and now - c.sent > dead_s:
                kill(sel, c)
        for key, _ in sel.select(0.02):
            c = key.data
            try:
                d = c.s.recv(4096)
            except BlockingIOError:
                continue
            except OSError:
                d = b""
            if not d:
                kill(sel, c)
                continue
            c.buf += d
            while b"\n" in c.buf:
                line, c.buf = c.buf.split(b"\n", 1)
                t = time.monotonic()
                if line == b"%d" % c.seq and c.sent is not None:
                    c.gap = max(c.gap, t - max(c.last_ok, mark_t))
                    c.last_ok = t
                    c.sent = None
                    c.next = t + iv
                    c.since = True
                    c.rounds += 1
        now = time.monotonic()
        if now - last_status >= 0.2:
            last_status = now
            m = read_mark(mark)
            if m == "stop":
                break
            if m != epoch:
                # "E": a new window for the gap and the count; "E+": the
                # count only (the gap goes on from the mark E)
                if m != epoch + "+":
                    mark_t = now
                    for c in conns:
                        c.gap = 0.0
                epoch = m
                for c in conns:
                    c.since = False
            # a connection still waiting counts its wait as a gap
            gap = 0.0
            for c in conns:
                g = c.gap
                if c.sent is not None and not c.dead:
                    g = max(g, now - max(c.last_ok, mark_t))
                gap = max(gap, g)
            up = sum(1 for c in conns if not c.dead)
            line = "epoch=%s conns=%d up=%d since=%d dead=%d gap_ms=%d rounds=%d\n" % (
                epoch, n, up, sum(1 for c in conns if c.since and not c.dead),
                n - up, int(gap * 1000), min(c.rounds for c in conns))
            tmp = status + ".tmp"
            with open(tmp, "w") as f:
                f.write(line)
            os.replace(tmp, status)
    return 0


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "server":
        server(int(sys.argv[2]))
    elif len(sys.argv) >= 8 and sys.argv[1] == "client":
        sys.exit(client(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]),
                        int(sys.argv[5]), sys.argv[6], sys.argv[7],
                        float(sys.argv[8]) if len(sys.argv) > 8 else 20.0))
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)
