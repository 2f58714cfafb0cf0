#!/usr/bin/env python3
"""fake_batch_update.py: a loopback Security Hub in front of moto_server that adds the one call
moto lacks, BatchUpdateFindings (PATCH /findings/batchupdate), for the tests of 'ecsfix except'
and 'apply --note-findings'.

Usage: fake_batch_update.py MOTO_URL PORTFILE LOGFILE [--unprocess ID]...
  Listens on a free 127.0.0.1 port and writes it to PORTFILE. Every request but
  BatchUpdateFindings is passed to MOTO_URL unchanged. BatchUpdateFindings is checked the way
  AWS checks it (1..100 identifiers with Id and ProductArn, Note with Text of at most 512
  characters and UpdatedBy, Workflow.Status one of NEW NOTIFIED RESOLVED SUPPRESSED; else HTTP
  400 InvalidInputException), logged to LOGFILE (one JSON request body per line), and carried
  out by reading the findings from moto (GetFindings) and importing them back changed
  (BatchImportFindings overwrites by Id), so a later GetFindings shows the change. Unknown ids
  and ids given with --unprocess come back in UnprocessedFindings.
"""
import http.server
import json
import os
import sys
import time
import urllib.error
import urllib.request

MOTO = sys.argv[1].rstrip("/")
PORT_FILE = sys.argv[2]
LOG_FILE = sys.argv[3]
UNPROCESS = {sys.argv[i + 1] for i in range(4, len(sys.argv) - 1) if sys.argv[i] == "--unprocess"}
WORKFLOW = {"NEW", "NOTIFIED", "RESOLVED", "SUPPRESSED"}


def hub():
    import boto3  # moto_server comes with it

    return boto3.client("securityhub", endpoint_url=MOTO,
                        region_name=os.environ.get("AWS_REGION", "us-east-1"))


def all_findings():
    out, token, sh = [], None, hub()
    while True:
        page = sh.get_findings(MaxResults=100, **({"NextToken": token} if token else {}))
        out += page.get("Findings", [])
        token = page.get("NextToken")
        if not token:
            return out


def invalid(msg):
    return 400, {"Code": "InvalidInputException", "Message": msg}


def batch_update(req):
    ids = req.get("FindingIdentifiers")
    if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
        return invalid("FindingIdentifiers must hold 1 to 100 identifiers")
    for i in ids:
        if not isinstance(i, dict) or not i.get("Id") or not i.get("ProductArn"):
            return invalid("each FindingIdentifier needs Id and ProductArn")
    note, wf = req.get("Note"), req.get("Workflow")
    if note is not None:
        if not isinstance(note.get("Text"), str) or not isinstance(note.get("UpdatedBy"), str):
            return invalid("Note needs Text and UpdatedBy")
        if not 1 <= len(note["Text"]) <= 512:
            return invalid("Note.Text must be 1 to 512 characters")
    if wf is not None and wf.get("Status") not in WORKFLOW:
        return invalid("Workflow.Status must be one of %s" % sorted(WORKFLOW))
    if note is None and wf is None:
        return invalid("nothing to update")
    with open(LOG_FILE, "a") as f:
        f.write(json.dumps(req) + "\n")
    have = {(f["Id"], f["ProductArn"]): f for f in all_findings()}
    done, undone, changed = [], [], []
    for i in ids:
        f = have.get((i["Id"], i["ProductArn"]))
        if f is None or i["Id"] in UNPROCESS:
            undone.append({"FindingIdentifier": i, "ErrorCode": "FindingNotFound",
                           "ErrorMessage": "Finding not found"})
            continue
        if wf is not None:
            f["Workflow"] = {"Status": wf["Status"]}
            f["WorkflowState"] = wf["Status"] if wf["Status"] != "SUPPRESSED" else "DEFERRED"
        if note is not None:
            f["Note"] = {"Text": note["Text"], "UpdatedBy": note["UpdatedBy"],
                         "UpdatedAt": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())}
        changed.append(f)
        done.append(i)
    if changed:
        hub().batch_import_findings(Findings=changed)
    return 200, {"ProcessedFindings": done, "UnprocessedFindings": undone}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _answer(self, status, headers, body):
        self.send_response(status)
        for k, v in headers:
            if k.lower() not in ("content-length", "transfer-encoding", "connection", "date",
                                 "server"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _any(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        if self.command == "PATCH" and self.path.split("?")[0] == "/findings/batchupdate":
            try:
                status, out = batch_update(json.loads(raw or b"{}"))
            except ValueError:
                status, out = invalid("the body is not JSON")
            except Exception as err:  # a broken fake must answer, not hang the client
                status, out = 500, {"Code": "InternalException", "Message": repr(err)}
            hdrs = [("Content-Type", "application/json"), ("x-amzn-RequestId", "fake-bu-1")]
            if status != 200:
                hdrs.append(("x-amzn-ErrorType", out["Code"]))
            self._answer(status, hdrs, json.dumps(out).encode())
            return
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in ("host", "content-length", "connection")}
        req = urllib.request.Request(MOTO + self.path, data=raw if n else None,
                                     method=self.command, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                self._answer(r.status, r.getheaders(), r.read())
        except urllib.error.HTTPError as err:
            self._answer(err.code, err.headers.items(), err.read())

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _any


srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(PORT_FILE + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.replace(PORT_FILE + ".tmp", PORT_FILE)
srv.serve_forever()
