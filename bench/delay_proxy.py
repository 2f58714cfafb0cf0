#!/usr/bin/env python3
"""delay_proxy.py: a loopback HTTP proxy for benchmarks: forwards every request to a target
(moto_server) after a fixed delay, and counts the requests per API operation.

usage: delay_proxy.py --target http://127.0.0.1:PORT [--delay-ms 20] [--port-file FILE]

Listens on a free 127.0.0.1 port (written to --port-file, and printed). Keep-alive towards the
client (HTTP/1.1), a new connection per request towards the target.
  GET  /__proxy/stats  -> {"total": N, "ops": {"ListClusters": n, ...}}   (not counted)
  POST /__proxy/reset  -> zeroes the counters                                 (not counted)
"""

import argparse
import http.client
import http.server
import json
import sys
import threading
import time
import urllib.parse

HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade",
       "te", "trailer", "proxy-authenticate", "proxy-authorization"}


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.ops = {}
        self.total = 0

    def count(self, op):
        with self.lock:
            self.total += 1
            self.ops[op] = self.ops.get(op, 0) + 1

    def snapshot(self):
        with self.lock:
            return {"total": self.total, "ops": dict(sorted(self.ops.items()))}

    def reset(self):
        with self.lock:
            self.total = 0
            self.ops = {}


def op_name(handler):
    target = handler.headers.get("X-Amz-Target")
    if target:
        return target.rsplit(".", 1)[-1]
    path = urllib.parse.urlsplit(handler.path).path
    if path.startswith("/findings"):
        return "GetFindings"
    if handler.command == "POST" and path == "/":
        # query protocol (STS): Action=... in the body; counted as the action when visible
        return "query"
    return handler.command + " " + path


def make_handler(target, delay, stats):
    host, port = target

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):  # quiet
            pass

        def _reply(self, status, body, ctype="application/json"):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _forward(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if self.path.startswith("/__proxy/"):
                if self.path == "/__proxy/reset":
                    stats.reset()
                return self._reply(200, json.dumps(stats.snapshot()).encode())
            stats.count(op_name(self))
            time.sleep(delay)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
            conn = http.client.HTTPConnection(host, port, timeout=120)
            try:
                conn.request(self.command, self.path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
            except OSError as e:
                return self._reply(502, ("proxy: %s" % e).encode(), "text/plain")
            finally:
                conn.close()
            self.send_response(resp.status)
            for k, v in resp.getheaders():
                if k.lower() not in HOP and k.lower() != "content-length":
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _forward

    return Handler


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--target", required=True)
    ap.add_argument("--delay-ms", type=float, default=20.0)
    ap.add_argument("--port-file")
    args = ap.parse_args()
    u = urllib.parse.urlsplit(args.target)
    if u.hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("delay_proxy: the target must be on loopback")
    stats = Stats()
    srv = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), make_handler((u.hostname, u.port or 80), args.delay_ms / 1000.0, stats))
    srv.daemon_threads = True
    port = srv.server_address[1]
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as f:
            f.write("%d\n" % port)
        import os
        os.replace(args.port_file + ".tmp", args.port_file)
    print("delay_proxy: 127.0.0.1:%d -> %s (+%g ms)" % (port, args.target, args.delay_ms),
          flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
