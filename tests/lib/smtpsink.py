#!/usr/bin/env python3
"""smtpsink.py PORT DIR [ADDR] — a real (tiny) SMTP server for tests:
accepts every message and writes it to DIR/N.eml (envelope in DIR/N.env);
each greeting goes to DIR/greetings. Listens on ADDR (default 127.0.0.1)."""
import os
import socketserver
import sys

port, outdir = int(sys.argv[1]), sys.argv[2]
addr = sys.argv[3] if len(sys.argv) > 3 else "127.0.0.1"
count = [0]


class Handler(socketserver.StreamRequestHandler):
    def reply(self, s):
        self.wfile.write((s + "\r\n").encode())

    def handle(self):
        self.reply("220 sink ESMTP")
        env, data = [], None
        while True:
            line = self.rfile.readline()
            if not line:
                return
            cmd = line.decode(errors="replace").rstrip("\r\n")
            if data is not None:
                if cmd == ".":
                    count[0] += 1
                    n = count[0]
                    with open(os.path.join(outdir, "%d.env" % n), "w") as f:
                        f.write("\n".join(env) + "\n")
                    with open(os.path.join(outdir, "%d.eml" % n), "w") as f:
                        f.write("\n".join(data) + "\n")
                    data, env = None, []
                    self.reply("250 queued")
                else:
                    data.append(cmd[1:] if cmd.startswith("..") else cmd)
                continue
            verb = cmd[:4].upper()
            if verb in ("HELO", "EHLO"):
                with open(os.path.join(outdir, "greetings"), "a") as f:
                    f.write(cmd + "\n")
                self.reply("250-sink\r\n250 OK" if verb == "EHLO" else "250 sink")
            elif verb in ("MAIL", "RCPT"):
                env.append(cmd)
                self.reply("250 OK")
            elif verb == "DATA":
                data = []
                self.reply("354 go on")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 what")


class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    allow_reuse_address = True
    daemon_threads = True


Server((addr, port), Handler).serve_forever()
