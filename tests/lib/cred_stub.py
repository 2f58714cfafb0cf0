#!/usr/bin/env python3
"""cred_stub.py: a loopback stub for the credential providers' HTTP endpoints.

Serves IMDSv2, container credentials, STS AssumeRole (query protocol, XML, with an
independent SigV4 check of every request), AssumeRoleWithWebIdentity (unsigned), SSO GetRoleCredentials and
SSO-OIDC CreateToken (refresh). Prints
"PORT PID" on its first line, then appends one JSON line per request to the log
file given as argv[1]. Stop it with SIGTERM.
"""
import hashlib
import hmac
import json
import os
import re
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

IMDS_TOKEN = "imds-token-123"
CONTAINER_TOKEN = "ctok-abc"
SSO_TOKEN = "sso-token-xyz"
WEB_TOKEN = "eyJ-web-identity-token"
SECRETS = {"AKIDSRC": "srcsecret", "AKIDENV": "envsecret"}
LOCK = threading.Lock()
COUNTERS = {}


def count(name):
    with LOCK:
        COUNTERS[name] = COUNTERS.get(name, 0) + 1
        return COUNTERS[name]


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def secret_for(akid):
    if akid in SECRETS:
        return SECRETS[akid]
    if akid.startswith("ASIAROLE"):
        return "sec-" + akid
    return None


def sha256(b):
    return hashlib.sha256(b).hexdigest()


def sign(key, msg):
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def verify_sigv4(method, path, query, headers, body):
    """Returns None when the signature is right, else the reason."""
    auth = headers.get("authorization", "")
    m = re.match(r"AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request, "
                 r"SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$", auth)
    if not m:
        return "malformed Authorization"
    akid, date, region, service, signed, sig = m.groups()
    secret = secret_for(akid)
    if secret is None:
        return "unknown access key " + akid
    if akid.startswith("ASIA") and "x-amz-security-token" not in signed.split(";"):
        return "session token not signed"
    if headers.get("x-amz-security-token", "") not in ("", "tok-" + akid):
        return "wrong session token"
    canon_headers = "".join("%s:%s\n" % (h, " ".join(headers.get(h, "").split()))
                            for h in signed.split(";"))
    params = sorted((urllib.parse.quote(k, safe="-_.~"), urllib.parse.quote(v, safe="-_.~"))
                    for k, v in urllib.parse.parse_qsl(query, keep_blank_values=True))
    cq = "&".join("%s=%s" % kv for kv in params)
    creq = "\n".join([method, urllib.parse.quote(path, safe="/-_.~"), cq, canon_headers,
                      signed, sha256(body)])
    scope = "%s/%s/%s/aws4_request" % (date, region, service)
    sts = "\n".join(["AWS4-HMAC-SHA256", headers.get("x-amz-date", ""), scope,
                     sha256(creq.encode())])
    k = sign(("AWS4" + secret).encode(), date)
    k = sign(k, region)
    k = sign(k, service)
    k = sign(k, "aws4_request")
    want = hmac.new(k, sts.encode(), hashlib.sha256).hexdigest()
    return None if hmac.compare_digest(want, sig) else "signature mismatch"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, status, body, ctype="application/json", extra=None):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def record(self, body):
        entry = {"method": self.command, "path": self.path,
                 "headers": {k.lower(): v for k, v in self.headers.items()},
                 "body": body.decode("utf-8", "replace")}
        with LOCK, open(sys.argv[1], "a") as f:
            f.write(json.dumps(entry, sort_keys=True) + "\n")

    def handle_any(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        self.record(body)
        u = urllib.parse.urlsplit(self.path)
        h = {k.lower(): v for k, v in self.headers.items()}
        now = time.time()
        if u.path.startswith("/v1only/"):
            # an IMDS that predates v2: the token PUT is refused, GETs need no token
            if self.command == "PUT":
                return self.reply(403, "", "text/plain")
            if u.path.endswith("/security-credentials/"):
                return self.reply(200, "v1-role\n", "text/plain")
            if u.path.endswith("/security-credentials/v1-role"):
                return self.reply(200, json.dumps({
                    "Code": "Success", "AccessKeyId": "ASIAIMDSV1", "SecretAccessKey": "v1s",
                    "Token": "v1-session", "Expiration": iso(now + 3600)}))
            return self.reply(404, "", "text/plain")
        if self.command == "PUT" and u.path == "/latest/api/token":
            if "x-aws-ec2-metadata-token-ttl-seconds" not in h:
                return self.reply(400, "missing ttl", "text/plain")
            return self.reply(200, IMDS_TOKEN, "text/plain")
        if u.path.startswith("/latest/meta-data/iam/security-credentials/"):
            if h.get("x-aws-ec2-metadata-token") != IMDS_TOKEN:
                return self.reply(401, "", "text/plain")
            role = u.path.rsplit("/", 1)[1]
            if role == "":
                return self.reply(200, "stub-role\n", "text/plain")
            return self.reply(200, json.dumps({
                "Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": "ASIAIMDS",
                "SecretAccessKey": "imds-secret", "Token": "imds-session",
                "Expiration": iso(now + 3600), "LastUpdated": iso(now)}))
        if u.path.startswith("/container/"):
            if h.get("authorization") != CONTAINER_TOKEN:
                return self.reply(401, "{}")
            what = u.path.split("/")[2]
            if what == "bad":
                return self.reply(200, "not json")
            if what == "error":
                return self.reply(500, "{}")
            n = count("container-" + what)
            ttl = 120 if what == "soon" else 3600
            return self.reply(200, json.dumps({
                "AccessKeyId": "ASIACONT%s%d" % (what.upper(), n),
                "SecretAccessKey": "container-secret-%d" % n, "Token": "container-token-%d" % n,
                "Expiration": iso(now + ttl)}))
        if self.command == "POST" and u.path == "/token":
            try:
                req = json.loads(body)
            except ValueError:
                req = {}
            if (req.get("grantType") != "refresh_token" or req.get("clientId") != "cid"
                    or req.get("clientSecret") != "csecret"
                    or req.get("refreshToken") != "refresh-good"):
                return self.reply(400, json.dumps({"error": "invalid_grant"}),
                                  extra={"x-amzn-ErrorType": "InvalidGrantException"})
            return self.reply(200, json.dumps({"accessToken": SSO_TOKEN, "expiresIn": 3600,
                                               "refreshToken": "refresh-good-2",
                                               "tokenType": "Bearer"}))
        if u.path == "/federation/credentials":
            if h.get("x-amz-sso_bearer_token") != SSO_TOKEN:
                return self.reply(401, json.dumps({"message": "Session token not found"}),
                                  extra={"x-amzn-ErrorType": "UnauthorizedException"})
            q = dict(urllib.parse.parse_qsl(u.query))
            return self.reply(200, json.dumps({"roleCredentials": {
                "accessKeyId": "ASIASSO" + q.get("account_id", "") + q.get("role_name", ""),
                "secretAccessKey": "sso-secret", "sessionToken": "sso-session",
                "expiration": int((now + 3600) * 1000)}}))
        if self.command == "POST" and u.path == "/":
            form = dict(urllib.parse.parse_qsl(body.decode()))
            if form.get("Action") == "AssumeRoleWithWebIdentity":
                # unsigned; the token is the proof
                if "authorization" in h or form.get("WebIdentityToken") != WEB_TOKEN:
                    return self.reply(400, "<ErrorResponse><Error><Type>Sender</Type><Code>"
                                      "InvalidIdentityToken</Code><Message>bad token"
                                      "</Message></Error></ErrorResponse>", "text/xml")
                why = None
            else:
                why = verify_sigv4("POST", u.path, u.query, h, body)
                if why is None and form.get("Action") != "AssumeRole":
                    why = "not AssumeRole"
            if why is not None:
                return self.reply(403, "<ErrorResponse><Error><Type>Sender</Type><Code>"
                                  "SignatureDoesNotMatch</Code><Message>%s</Message></Error>"
                                  "<RequestId>r1</RequestId></ErrorResponse>" % why, "text/xml")
            role = form.get("RoleArn", "").rsplit("/", 1)[-1]
            if "denied" in role:
                return self.reply(403, "<ErrorResponse><Error><Type>Sender</Type><Code>"
                                  "AccessDenied</Code><Message>User is not authorized to "
                                  "perform: sts:AssumeRole</Message></Error></ErrorResponse>",
                                  "text/xml")
            prefix = "ASIAWEB" if form.get("Action") == "AssumeRoleWithWebIdentity" else "ASIAROLE"
            akid = prefix + re.sub(r"[^A-Za-z0-9]", "", role).upper()
            ttl = 120 if "soon" in role else 3600
            op = form.get("Action")  # the answer is <OpResponse><OpResult>, as STS's
            xml = ("<%sResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                   "<%sResult><AssumedRoleUser><Arn>arn:aws:sts::123456789012:"
                   "assumed-role/%s/s</Arn></AssumedRoleUser><Credentials>"
                   "<AccessKeyId>%s</AccessKeyId><SecretAccessKey>sec-%s</SecretAccessKey>"
                   "<SessionToken>tok-%s</SessionToken><Expiration>%s</Expiration>"
                   "</Credentials></%sResult><ResponseMetadata><RequestId>r2"
                   "</RequestId></ResponseMetadata></%sResponse>"
                   % (op, op, role, akid, akid, akid, iso(now + ttl), op, op))
            return self.reply(200, xml, "text/xml")
        return self.reply(404, "{}")

    do_GET = do_PUT = do_POST = handle_any


def main():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(srv.server_address[1], os.getpid(), flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
