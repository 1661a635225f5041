#!/usr/bin/env python3
"""holdconn.py HOST PORT FLAGFILE — an HTTP request held open across an event.

Connects, sends the first line of a request, then waits (at most 120 s)
until FLAGFILE exists before finishing the request; prints the body of the
answer, or "(dropped: REASON)" if the connection did not survive.
"""
import os
import socket
import sys
import time

host, port, flag = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = socket.create_connection((host, port), 3)
s.sendall(b"GET / HTTP/1.0\r\n")
print("connected", flush=True)
t0 = time.time()
while not os.path.exists(flag) and time.time() - t0 < 120:
    time.sleep(0.05)
try:
    s.sendall(b"\r\n")
    s.settimeout(5)
    data = b""
    while True:
        d = s.recv(4096)
        if not d:
            break
        data += d
    body = data.split(b"\r\n\r\n", 1)[-1].decode().strip()
    print(body if body else "(dropped: empty answer)")
except OSError as e:
    print("(dropped: %s)" % e)
