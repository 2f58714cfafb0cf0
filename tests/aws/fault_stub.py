#!/usr/bin/env python3
"""fault_stub.py: a loopback HTTP/1.1 server that answers AWS calls by script, for the
fault tests of the aws client (tests/aws/test-fault.sh).

Usage: fault_stub.py PORTFILE [CERT KEY]
  Listens on a free 127.0.0.1 port and writes it to PORTFILE; with CERT and KEY it speaks
  TLS (HTTPS) with that certificate.
  POST /__script  body: a JSON list of actions, queued for the next requests.
  POST /__routes  body: {"<operation>": [actions...] or {"actions": [...], "cycle": true}}:
                  answers by operation (the X-Amz-Target suffix, or the path for rest-json
                  calls, e.g. "/findings"), for concurrent clients whose order is not fixed.
                  Each list is taken in order and its last action repeats (or, with
                  "cycle", the list starts again). Routes win over the script; clears the log.
  GET  /__log     the requests seen since the last /__script, as a JSON list of
                  {"t": seconds (monotonic), "peer": client port, "method", "path",
                   "target", "headers", "body"}.
  Any other request takes the next action (none left: 200 "{}"). An action is an object:
    {"status": 400, "headers": {"x-amzn-ErrorType": "..."}, "body": "...",
     "sleep": 2.5,      # seconds to wait before answering
     "reset": true,     # close the connection with a TCP reset, no answer
     "close": true,     # close the connection cleanly, no answer
     "json": {...},     # the body as a JSON value (instead of "body")
     "big": 100000,     # answer 200 with this many bytes of JSON
     "date_offset": 3600}  # the Date header this many seconds off (clock skew)
"""
import json
import socket
import socketserver
import struct
import sys
import threading
import time

LOCK = threading.Lock()
SCRIPT = []
LOG = []
ROUTES = {}  # operation -> {"actions": [...], "cycle": bool, "i": next index}


def route_action(op, path):
    r = ROUTES.get(op) or ROUTES.get(path)
    if r is None or not r["actions"]:
        return None
    acts = r["actions"]
    i = r["i"]
    if i >= len(acts):
        i = 0 if r["cycle"] else len(acts) - 1
    r["i"] = i + 1
    return acts[i]


def read_request(f):
    line = f.readline(65536)
    if not line:
        return None
    parts = line.decode("latin-1").rstrip("\r\n").split(" ")
    if len(parts) < 2:
        return None
    headers = {}
    while True:
        h = f.readline(65536)
        if not h or h in (b"\r\n", b"\n"):
            break
        k, _, v = h.decode("latin-1").partition(":")
        headers[k.strip().lower()] = v.strip()
    n = int(headers.get("content-length", "0") or 0)
    body = f.read(n) if n else b""
    return parts[0], parts[1], headers, body


def send(sock, status, headers, body, date_offset=0):
    if isinstance(body, str):
        body = body.encode()
    reason = {200: "OK", 400: "Bad Request", 403: "Forbidden", 429: "Too Many Requests",
              500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}
    out = ["HTTP/1.1 %d %s" % (status, reason.get(status, "Status"))]
    h = {"x-amzn-RequestId": "stub-%d" % int(time.monotonic() * 1e6),
         "Content-Type": "application/x-amz-json-1.1",
         "Date": time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + date_offset))}
    h.update(headers or {})
    h["Content-Length"] = str(len(body))
    for k, v in h.items():
        out.append("%s: %s" % (k, v))
    sock.sendall(("\r\n".join(out) + "\r\n\r\n").encode() + body)


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        while True:
            req = read_request(self.rfile)
            if req is None:
                return
            method, path, headers, body = req
            if path == "/__script":
                with LOCK:
                    SCRIPT[:] = json.loads(body)
                    LOG[:] = []
                send(self.connection, 200, {}, "{}")
                continue
            if path == "/__routes":
                with LOCK:
                    ROUTES.clear()
                    for op, v in json.loads(body).items():
                        if isinstance(v, list):
                            v = {"actions": v}
                        ROUTES[op] = {"actions": v["actions"], "cycle": bool(v.get("cycle")),
                                      "i": 0}
                    LOG[:] = []
                send(self.connection, 200, {}, "{}")
                continue
            if path == "/__log":
                with LOCK:
                    data = json.dumps(LOG)
                send(self.connection, 200, {"Content-Type": "application/json"}, data)
                continue
            with LOCK:
                LOG.append({"t": time.monotonic(), "peer": self.client_address[1],
                            "method": method, "path": path,
                            "target": headers.get("x-amz-target", ""),
                            "headers": headers, "body": body.decode("utf-8", "replace")})
                target = headers.get("x-amz-target", "")
                act = route_action(target.rpartition(".")[2], path)
                if act is None:
                    act = SCRIPT.pop(0) if SCRIPT else {}
            if act.get("sleep"):
                time.sleep(act["sleep"])
            if act.get("reset"):
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
                self.rfile.close()
                self.wfile.close()
                self.connection.close()  # SO_LINGER 0: a TCP reset, no answer
                return
            if act.get("close"):
                return
            if act.get("big"):
                send(self.connection, 200, {}, '{"x":"' + "a" * act["big"] + '"}')
                continue
            try:
                send(self.connection, act.get("status", 200), act.get("headers"),
                     json.dumps(act["json"]) if "json" in act else act.get("body", "{}"),
                     act.get("date_offset", 0))
            except OSError:
                return


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


def main():
    srv = Server(("127.0.0.1", 0), Handler)
    if len(sys.argv) > 3:
        import ssl
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(sys.argv[2], sys.argv[3])
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    with open(sys.argv[1] + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    import os
    os.rename(sys.argv[1] + ".tmp", sys.argv[1])
    srv.serve_forever()


if __name__ == "__main__":
    main()
