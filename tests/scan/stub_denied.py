#!/usr/bin/env python3
"""stub_denied.py: a loopback HTTP server that denies every request the way Security Hub does
(HTTP 403, x-amzn-ErrorType AccessDeniedException), for scan tests. Writes its port to the file
given as the only argument, counts requests in FILE.count."""
import http.server
import sys

PORT_FILE = sys.argv[1]
BODY = (b'{"message":"User: arn:aws:iam::123456789012:user/ecsfix-readonly is not authorized '
        b'to perform: securityhub:GetFindings"}')


class Deny(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _deny(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(n)
        with open(PORT_FILE + ".count", "a") as f:
            f.write("%s %s\n" % (self.command, self.path))
        self.send_response(403)
        self.send_header("Content-Type", "application/json")
        self.send_header("x-amzn-ErrorType", "AccessDeniedException:http://internal.amazon.com/")
        self.send_header("x-amzn-RequestId", "stub-request-1")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    do_GET = do_POST = do_PUT = do_PATCH = _deny


srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Deny)
with open(PORT_FILE + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
import os
os.replace(PORT_FILE + ".tmp", PORT_FILE)
srv.serve_forever()
