#!/usr/bin/env python3
"""fake_ecs.py: a scripted loopback fake of the ECS JSON 1.1 calls ecsfix plan/apply make
(plus STS GetCallerIdentity), for the rollout paths moto cannot produce.

Usage: fake_ecs.py --scenario NAME --port-file FILE --log FILE [--register-sleep S]
                   [--register-drop]
Scenarios (what happens to a deployment to a revision other than the service's first one):
  complete        IN_PROGRESS, then 1 running, then COMPLETED (old deployment gone)
  fail            failedTasks grows, then rolloutState FAILED; the service stays on it
  circuit-breaker failedTasks grows, then the deployment disappears and a new PRIMARY on
                  the old revision appears (COMPLETED): the circuit breaker rolled back
  hang            IN_PROGRESS forever
Deployments back to the service's first revision (rollbacks) always complete.
--register-sleep S: RegisterTaskDefinition registers, then sleeps S seconds before answering
(the client times out). --register-drop: registers, then closes the connection unanswered.
--host-revision: also web:2, the same as web:1 but networkMode host and no privileged
container (it passes ECS.4 and fails ECS.17); no service runs it.
--other-family: also service "api" in c1 on family "api" revision 1 (not privileged).
Misbehaviours (issue 12): --describe-services empty|no-td|null: DescribeServices answers {}, a
service without taskDefinition, or "services": null; --finding-no-product: the open ECS.4
finding has no ProductArn; --register-throttle N: the first N RegisterTaskDefinition calls
answer HTTP 400 ThrottlingException (--register-throttle-registers: after registering);
--register-truncate: RegisterTaskDefinition registers, then answers 200 with a cut body.
Every call is appended to --log as one JSON line {"op", "body"}.
The account: cluster "c1" with services "web" (ECS controller, 2 desired) and "cd" (CODE_DEPLOY),
both on family "web" revision 1 (container "app" plus a privileged "sidecar").
"""

import argparse
import copy
import json
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ACCOUNT = "123456789012"
REGION = "us-east-1"
PFX = "arn:aws:ecs:%s:%s:" % (REGION, ACCOUNT)

BASE_TD = {
    "family": "web",
    "networkMode": "bridge",
    "executionRoleArn": "arn:aws:iam::%s:role/ecsTaskExecutionRole" % ACCOUNT,
    "containerDefinitions": [
        {"name": "app", "image": "nginx:1.27", "memory": 256, "essential": True,
         "user": "101", "portMappings": [{"containerPort": 80, "hostPort": 0,
                                          "protocol": "tcp"}]},
        {"name": "sidecar", "image": "envoy:1.30", "memory": 128, "essential": False,
         "user": "1337", "privileged": True},
    ],
    "requiresCompatibilities": ["EC2"],
}


def _finding(fid, control, resource, record="ACTIVE", workflow="NEW"):
    return {"Id": "arn:aws:securityhub:%s:%s:security-control/%s/finding/%s"
                  % (REGION, ACCOUNT, control, fid),
            "ProductArn": "arn:aws:securityhub:%s::product/aws/securityhub" % REGION,
            "GeneratorId": "security-control/" + control,
            "Compliance": {"Status": "FAILED", "SecurityControlId": control},
            "RecordState": record, "Workflow": {"Status": workflow},
            "Resources": [{"Type": "AwsEcsTaskDefinition", "Id": resource}]}


# Security Hub findings: only the first is an open ECS.4 finding on family web.
FINDINGS = [
    _finding("f-web", "ECS.4", PFX + "task-definition/web:1"),
    _finding("f-webby", "ECS.4", PFX + "task-definition/webby:1"),
    _finding("f-old", "ECS.4", PFX + "task-definition/web:1", record="ARCHIVED"),
    _finding("f-ecs5", "ECS.5", PFX + "task-definition/web:1"),
    _finding("f-done", "ECS.4", PFX + "task-definition/web:1", workflow="SUPPRESSED"),
]


class State:
    def __init__(self, scenario, only_web=False, other_family=False, host_revision=False):
        self.lock = threading.Lock()
        self.mangle = False
        self.describe_services = None
        self.throttle = 0
        self.throttle_registers = False
        self.scenario = scenario
        self.tds = {}  # family -> [ {taskDefinition...}, ... ]
        self.tags = {}
        self.services = {}
        self.dep_n = 0
        self.ev_n = 0
        self.register(copy.deepcopy(BASE_TD))
        first = self.tds["web"][0]["taskDefinitionArn"]
        svcs = (("web", "ECS", 2),) if only_web else (("web", "ECS", 2), ("cd", "CODE_DEPLOY", 1))
        for name, ctl, desired in svcs:
            svc = {
                "serviceArn": PFX + "service/c1/" + name, "serviceName": name,
                "clusterArn": PFX + "cluster/c1", "status": "ACTIVE",
                "taskDefinition": first, "desiredCount": desired, "runningCount": desired,
                "pendingCount": 0, "launchType": "EC2", "schedulingStrategy": "REPLICA",
                "deploymentController": {"type": ctl}, "deployments": [], "events": [],
                "first": first,
            }
            if ctl == "ECS":
                svc["deployments"].append(self.deployment(first, desired, "COMPLETED",
                                                          desired))
            self.event(svc, "(service %s) has reached a steady state." % name)
            self.services[name] = svc
        if host_revision:
            host = copy.deepcopy(BASE_TD)
            host["networkMode"] = "host"
            for c in host["containerDefinitions"]:
                c.pop("privileged", None)
                for pm in c.get("portMappings", []):
                    pm["hostPort"] = pm["containerPort"]
            self.register(host)
        if other_family:
            api = copy.deepcopy(BASE_TD)
            api["family"] = "api"
            for c in api["containerDefinitions"]:
                c.pop("privileged", None)
            td = self.register(api)["taskDefinitionArn"]
            svc = {
                "serviceArn": PFX + "service/c1/api", "serviceName": "api",
                "clusterArn": PFX + "cluster/c1", "status": "ACTIVE", "taskDefinition": td,
                "desiredCount": 1, "runningCount": 1, "pendingCount": 0, "launchType": "EC2",
                "schedulingStrategy": "REPLICA", "deploymentController": {"type": "ECS"},
                "deployments": [self.deployment(td, 1, "COMPLETED", 1)], "events": [],
                "first": td,
            }
            self.services["api"] = svc

    def deployment(self, td, desired, state, running=0):
        self.dep_n += 1
        return {"id": "ecs-svc/%d" % (1000 + self.dep_n), "status": "PRIMARY",
                "taskDefinition": td, "desiredCount": desired, "runningCount": running,
                "pendingCount": desired - running, "failedTasks": 0,
                "rolloutState": state, "rolloutStateReason": "", "ticks": 0}

    def event(self, svc, msg):
        self.ev_n += 1
        svc["events"].insert(0, {"id": "ev-%d" % self.ev_n, "createdAt": time.time(),
                                 "message": msg})

    def register(self, req):
        fam = req["family"]
        revs = self.tds.setdefault(fam, [])
        td = {k: v for k, v in req.items() if k != "tags"}
        td["revision"] = len(revs) + 1
        td["taskDefinitionArn"] = PFX + "task-definition/%s:%d" % (fam, td["revision"])
        td["status"] = "ACTIVE"
        td["compatibilities"] = ["EC2"]
        td["registeredAt"] = time.time()
        revs.append(td)
        self.tags[td["taskDefinitionArn"]] = req.get("tags", [])
        return td

    def find_td(self, ref):
        name = ref.split("task-definition/")[-1]
        if ":" in name:
            fam, rev = name.rsplit(":", 1)
            revs = self.tds.get(fam, [])
            i = int(rev) - 1
            return revs[i] if 0 <= i < len(revs) else None
        act = [t for t in self.tds.get(name, []) if t["status"] == "ACTIVE"]
        return act[-1] if act else None

    def tick(self, svc):
        """Advances the deployments of svc by one DescribeServices."""
        for d in list(svc["deployments"]):
            if d["status"] != "PRIMARY" or d["rolloutState"] != "IN_PROGRESS":
                continue
            d["ticks"] += 1
            rollback = d["taskDefinition"] == svc["first"]
            sc = "complete" if rollback else self.scenario
            if sc == "complete":
                if d["ticks"] == 1:
                    d["runningCount"] = 1
                    d["pendingCount"] = d["desiredCount"] - 1
                    self.event(svc, "(service %s) has started 1 tasks." % svc["serviceName"])
                else:
                    d["runningCount"] = d["desiredCount"]
                    d["pendingCount"] = 0
                    d["rolloutState"] = "COMPLETED"
                    svc["deployments"] = [d]
                    self.event(svc, "(service %s) has reached a steady state."
                               % svc["serviceName"])
            elif sc == "fail":
                d["failedTasks"] += 2
                self.event(svc, "(service %s) tasks failed to start." % svc["serviceName"])
                if d["ticks"] >= 2:
                    d["rolloutState"] = "FAILED"
                    d["rolloutStateReason"] = "ECS deployment circuit breaker: tasks failed " \
                        "to start."
            elif sc == "circuit-breaker":
                d["failedTasks"] += 2
                if d["ticks"] >= 2:
                    old = svc["first"]
                    nd = self.deployment(old, d["desiredCount"], "COMPLETED",
                                         d["desiredCount"])
                    svc["deployments"] = [nd]
                    svc["taskDefinition"] = old
                    self.event(svc, "(service %s) deployment %s deployment failed: tasks "
                               "failed to start; rolling back to %s."
                               % (svc["serviceName"], d["id"], old))

    def call(self, op, body, handler):
        if op == "DescribeTaskDefinition":
            td = self.find_td(body["taskDefinition"])
            if td is None:
                return 400, {"__type": "ClientException",
                             "message": "Unable to describe task definition."}
            out = {"taskDefinition": copy.deepcopy(td)}
            if "TAGS" in body.get("include", []):
                out["tags"] = self.tags.get(td["taskDefinitionArn"], [])
            return 200, out
        if op == "ListTaskDefinitions":
            fam = body.get("familyPrefix")
            st = body.get("status", "ACTIVE")
            arns = [t["taskDefinitionArn"] for t in self.tds.get(fam, [])
                    if t["status"] == st]
            if body.get("sort") == "DESC":
                arns.reverse()
            return 200, {"taskDefinitionArns": arns}
        if op == "RegisterTaskDefinition":
            req = copy.deepcopy(body)
            if self.throttle > 0:
                self.throttle -= 1
                if self.throttle_registers:
                    self.register(req)
                return 400, {"__type": "ThrottlingException", "message": "Rate exceeded"}
            if self.mangle:
                # a service that registers something else than what was sent
                req["containerDefinitions"][0]["image"] = "mangled:latest"
            td = self.register(req)
            return 200, {"taskDefinition": copy.deepcopy(td), "tags": body.get("tags", [])}
        if op == "DeregisterTaskDefinition":
            td = self.find_td(body["taskDefinition"])
            td["status"] = "INACTIVE"
            return 200, {"taskDefinition": copy.deepcopy(td)}
        if op == "ListClusters":
            return 200, {"clusterArns": [PFX + "cluster/c1"]}
        if op == "ListServices":
            return 200, {"serviceArns": [s["serviceArn"] for s in self.services.values()]}
        if op == "DescribeServices":
            out, fails = [], []
            for ref in body["services"]:
                svc = self.services.get(ref.split("/")[-1])
                if svc is None:
                    fails.append({"arn": ref, "reason": "MISSING"})
                    continue
                self.tick(svc)
                s = copy.deepcopy(svc)
                s.pop("first")
                for d in s["deployments"]:
                    d.pop("ticks")
                out.append(s)
            if self.describe_services == "empty":
                return 200, {}
            if self.describe_services == "null":
                return 200, {"services": None, "failures": None}
            if self.describe_services == "no-td":
                for s in out:
                    s.pop("taskDefinition", None)
            return 200, {"services": out, "failures": fails}
        if op == "UpdateService":
            svc = self.services.get(body["service"].split("/")[-1])
            if svc is None:
                return 400, {"__type": "ServiceNotFoundException", "message": "not found"}
            if svc["deploymentController"]["type"] != "ECS":
                return 400, {"__type": "InvalidParameterException",
                             "message": "Cannot update a service with a CODE_DEPLOY "
                                        "deployment controller."}
            td = self.find_td(body["taskDefinition"])
            if td is None:
                return 400, {"__type": "ClientException", "message": "no such revision"}
            for d in svc["deployments"]:
                d["status"] = "ACTIVE"
            nd = self.deployment(td["taskDefinitionArn"], svc["desiredCount"], "IN_PROGRESS")
            svc["deployments"].insert(0, nd)
            svc["taskDefinition"] = td["taskDefinitionArn"]
            if "networkConfiguration" in body:
                svc["networkConfiguration"] = body["networkConfiguration"]
            s = copy.deepcopy(svc)
            s.pop("first")
            for d in s["deployments"]:
                d.pop("ticks")
            return 200, {"service": s}
        return 400, {"__type": "UnknownOperationException", "message": op}


def make_handler(state, args):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def reply(self, status, body, ctype="application/x-amz-json-1.1"):
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("x-amzn-RequestId", "fake-%d" % int(time.time() * 1000))
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def hub(self, method, raw):
            """Security Hub (rest-json): GetFindings and BatchUpdateFindings."""
            body = json.loads(raw or "{}")
            op = "GetFindings" if self.path.startswith("/findings") and method == "POST" \
                else "BatchUpdateFindings" if method == "PATCH" else "?"
            with state.lock:
                with open(args.log, "a") as fh:
                    fh.write(json.dumps({"op": op, "body": body}) + "\n")
            if op == "GetFindings":
                found = copy.deepcopy(FINDINGS)
                if args.finding_no_product:
                    del found[0]["ProductArn"]
                    found.append(copy.deepcopy(FINDINGS[0]))
                    found[-1]["Id"] = found[-1]["Id"].replace("f-web", "f-web2")
                self.reply(200, {"Findings": found}, "application/json")
            elif op == "BatchUpdateFindings":
                self.reply(200, {"ProcessedFindings": body.get("FindingIdentifiers", []),
                                 "UnprocessedFindings": []}, "application/json")
            else:
                self.reply(404, {"Message": "not found"}, "application/json")

        def do_PATCH(self):
            n = int(self.headers.get("Content-Length", "0"))
            self.hub("PATCH", self.rfile.read(n).decode())

        def do_POST(self):
            n = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(n).decode()
            if self.path.startswith("/findings"):
                self.hub("POST", raw)
                return
            target = self.headers.get("X-Amz-Target", "")
            if not target:
                # STS (query protocol)
                if "GetCallerIdentity" in raw:
                    self.reply(200, "<GetCallerIdentityResponse><GetCallerIdentityResult>"
                               "<Arn>arn:aws:iam::%s:user/tester</Arn><UserId>AID</UserId>"
                               "<Account>%s</Account></GetCallerIdentityResult>"
                               "<ResponseMetadata><RequestId>r1</RequestId>"
                               "</ResponseMetadata></GetCallerIdentityResponse>"
                               % (ACCOUNT, ACCOUNT), "text/xml")
                else:
                    self.reply(400, "<ErrorResponse><Error><Code>InvalidAction</Code>"
                               "<Message>unknown</Message></Error></ErrorResponse>",
                               "text/xml")
                return
            op = target.split(".")[-1]
            body = json.loads(raw or "{}")
            with state.lock:
                with open(args.log, "a") as fh:
                    fh.write(json.dumps({"op": op, "body": body}) + "\n")
                status, out = state.call(op, body, self)
            if op == "RegisterTaskDefinition" and args.register_drop:
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if op == "RegisterTaskDefinition" and args.register_truncate and status == 200:
                data = json.dumps(out).encode()[:40]
                self.send_response(200)
                self.send_header("Content-Type", "application/x-amz-json-1.1")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return
            if op == "RegisterTaskDefinition" and args.register_sleep > 0:
                time.sleep(args.register_sleep)
            self.reply(status, out)

    return Handler


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", default="complete",
                    choices=["complete", "fail", "circuit-breaker", "hang"])
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--register-sleep", type=float, default=0)
    ap.add_argument("--register-drop", action="store_true")
    ap.add_argument("--only-web", action="store_true", help="no CODE_DEPLOY service")
    ap.add_argument("--register-mangle", action="store_true",
                    help="register a changed image (the read-back check must catch it)")
    ap.add_argument("--other-family", action="store_true")
    ap.add_argument("--host-revision", action="store_true")
    ap.add_argument("--describe-services", choices=["empty", "no-td", "null"])
    ap.add_argument("--finding-no-product", action="store_true")
    ap.add_argument("--register-throttle", type=int, default=0)
    ap.add_argument("--register-throttle-registers", action="store_true")
    ap.add_argument("--register-truncate", action="store_true")
    args = ap.parse_args()
    scenario = args.scenario
    state = State(scenario, args.only_web, args.other_family, args.host_revision)
    state.mangle = args.register_mangle
    state.describe_services = args.describe_services
    state.throttle = args.register_throttle
    state.throttle_registers = args.register_throttle_registers
    srv = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state, args))
    srv.daemon_threads = True
    with open(args.port_file + ".tmp", "w") as fh:
        fh.write(str(srv.server_address[1]))
    import os
    os.rename(args.port_file + ".tmp", args.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
