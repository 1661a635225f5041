#!/usr/bin/env python3
"""httpd.py — a real HTTP server for tests: answers every GET with its name.

usage: httpd.py [--bind ADDR] [--port N] [--name NAME] [--status CODE]
                [--delay SEC] [--mode ok|close|hang|slow|garbage] [--pidfile F]
                [--log FILE]

--mode close: accept and close without answering; hang: accept and never
answer; slow: trickle the answer one byte per 0.2 s; garbage: not HTTP.
SIGUSR1 toggles the status between CODE and 500 (a backend going bad).
--log FILE appends "PATH HOST" for every request (to count checks).
"""
import argparse
import http.server
import os
import signal
import socket
import socketserver
import sys
import time

ap = argparse.ArgumentParser()
ap.add_argument("--bind", default="0.0.0.0")
ap.add_argument("--port", type=int, default=80)
ap.add_argument("--name", default=socket.gethostname())
ap.add_argument("--status", type=int, default=200)
ap.add_argument("--delay", type=float, default=0.0)
ap.add_argument("--mode", default="ok", choices=["ok", "close", "hang", "slow", "garbage"])
ap.add_argument("--pidfile")
ap.add_argument("--log")
ap.add_argument("--idle", type=float, default=None)  # s without a byte; httpd.c: 10
args = ap.parse_args()
state = {"status": args.status}


def toggle(_sig, _frm):
    state["status"] = 500 if state["status"] == args.status else args.status


signal.signal(signal.SIGUSR1, toggle)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    timeout = args.idle

    def log_message(self, *a):
        pass

    def do_GET(self):
        if args.log:
            with open(args.log, "a") as f:
                f.write("%s %s\n" % (self.path, self.headers.get("Host", "-")))
        if args.mode == "close":
            self.close_connection = True
            return
        if args.mode == "hang":
            time.sleep(3600)
            return
        if args.mode == "garbage":
            self.wfile.write(b"SSH-2.0-not-http\r\n")
            return
        if args.delay:
            time.sleep(args.delay)
        body = (args.name + "\n").encode()
        head = ("HTTP/1.0 %d X\r\nContent-Type: text/plain\r\n"
                "Content-Length: %d\r\n\r\n" % (state["status"], len(body))).encode()
        if args.mode == "slow":
            for b in head + body:
                self.wfile.write(bytes([b]))
                self.wfile.flush()
                time.sleep(0.2)
            return
        self.wfile.write(head + body)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, addr, handler):
        if ":" in addr[0]:
            self.address_family = socket.AF_INET6
        super().__init__(addr, handler)


srv = Server((args.bind, args.port), Handler)
if args.pidfile:
    with open(args.pidfile, "w") as f:
        f.write("%d\n" % os.getpid())
try:
    srv.serve_forever()
except KeyboardInterrupt:
    sys.exit(0)
