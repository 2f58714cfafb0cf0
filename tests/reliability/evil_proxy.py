#!/usr/bin/env python3
"""evil_proxy.py: a loopback proxy in front of a fake AWS (tests/plan/fake_ecs.py) that puts
terminal escape sequences into every text an account controls, for the output-safety test.

Usage: evil_proxy.py PORTFILE UPSTREAM_URL [--fail-op OP]
  Every JSON answer is passed on with EVIL appended to display texts (images, container and
  cluster names, tag values, event messages, reasons, finding titles), a docker label whose
  key and value carry escapes added to each container, and the x-amzn-RequestId header
  replaced by one with raw ESC, BEL and 0x9b bytes. The additions are idempotent (a text that
  already carries the marker is left alone), so what ecsfix registers and reads back agrees.
  --fail-op OP: that operation answers 400 with escapes in the error message.
"""
import http.client
import json
import os
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MARK = "PWNED"
# OSC title, clear screen, SGR, C1 CSI (U+009B), a bidi override
EVIL = "\x1b]0;" + MARK + "\x07\x1b[2J\x1b[31m\u009b2J\u202e"
TEXT_KEYS = {"image", "message", "reason", "rolloutStateReason", "statusReason", "Title",
             "Description", "value", "clusterName", "Message"}
REQUEST_ID = b"req-\x1b]0;" + MARK.encode() + b"-HDR\x07\x9b2J"


def evil(v):
    return v if MARK in v else v + EVIL


def mutate(o, parent_key=None):
    if isinstance(o, dict):
        for k, v in list(o.items()):
            if isinstance(v, str) and k in TEXT_KEYS:
                o[k] = evil(v)
            elif isinstance(v, str) and k == "name" and parent_key == "containerDefinitions":
                o[k] = evil(v)
            else:
                mutate(v, k)
        if parent_key == "containerDefinitions" and "dockerLabels" not in o:
            o["dockerLabels"] = {"evil\x1b]0;" + MARK + "-KEY\x07": "x\u009b2J"}
    elif isinstance(o, list):
        for v in o:
            mutate(v, parent_key)
    return o


def main():
    portfile, upstream = sys.argv[1], urllib.parse.urlparse(sys.argv[2])
    fail_op = sys.argv[sys.argv.index("--fail-op") + 1] if "--fail-op" in sys.argv else None

    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def relay(self):
            n = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(n)
            op = self.headers.get("X-Amz-Target", "").split(".")[-1]
            if fail_op and op == fail_op:
                status, ctype = 400, "application/x-amz-json-1.1"
                data = json.dumps({"__type": "ClientException",
                                   "message": "no such thing" + EVIL},
                                  ensure_ascii=False).encode()
            else:
                c = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=60)
                hdrs = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                c.request(self.command, self.path, body=body, headers=hdrs)
                r = c.getresponse()
                status, ctype, data = r.status, r.getheader("Content-Type", ""), r.read()
                c.close()
                if "json" in ctype and data:
                    try:
                        data = json.dumps(mutate(json.loads(data)), ensure_ascii=False).encode()
                    except ValueError:
                        pass
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def send_response(self, code, message=None):
            super().send_response(code, message)
            # raw bytes, as a misbehaving server could send them
            self._headers_buffer.append(b"x-amzn-RequestId: " + REQUEST_ID + b"\r\n")

        do_POST = do_PATCH = do_GET = relay

    srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.replace(portfile + ".tmp", portfile)
    srv.serve_forever()


if __name__ == "__main__":
    main()
