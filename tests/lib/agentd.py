#!/usr/bin/env python3
"""agentd.py — an agent for HAProxy-style agent checks, for tests: each
connection gets the first line of FILE (re-read every time) and is closed.

usage: agentd.py --port N [--bind ADDR] --reply FILE [--log FILE]

FILE missing or empty: the connection is closed without an answer.
FILE "HANG": accept and never answer. --log appends one line per
connection (to count the checks).
"""
import argparse
import socket
import threading
import time

ap = argparse.ArgumentParser()
ap.add_argument("--bind", default="0.0.0.0")
ap.add_argument("--port", type=int, required=True)
ap.add_argument("--reply", required=True)
ap.add_argument("--log")
args = ap.parse_args()


def serve(conn):
    try:
        try:
            with open(args.reply, "rb") as f:
                reply = f.read()
        except OSError:
            reply = b""
        if args.log:
            with open(args.log, "a") as f:
                f.write("%s\n" % reply.decode(errors="replace").strip())
        if reply.strip() == b"HANG":
            time.sleep(30)
        elif reply:
            conn.sendall(reply)
    finally:
        conn.close()


s = socket.socket(socket.AF_INET6 if ":" in args.bind else socket.AF_INET)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((args.bind, args.port))
s.listen(64)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
