#!/usr/bin/env python3
"""rollout_sim.py: a loopback proxy in front of moto_server that makes ECS deployments behave
as they do on AWS, for the demo (scripts/try.sh) and the integration tests (tests/plan).

moto's UpdateService only changes service.taskDefinition: it starts no deployment, tasks never
come up and no event is written (tests/lib/MOTO-NOTES.md). This proxy forwards every request
to moto and, for ECS services, keeps its own deployments:

  UpdateService to another revision  -> the old PRIMARY becomes ACTIVE and a new PRIMARY
      deployment on the new revision starts (IN_PROGRESS, runningCount 0). The answer
      carries it, as AWS's does.
  DescribeServices (and the UpdateService answer) -> the service's deployments, counts and
      events as the simulation stands at that moment (computed from the elapsed time, no
      background thread):
      - a healthy revision: runningCount rises to desiredCount over --rise seconds, then
        rolloutState COMPLETED, the old deployment is gone, "has reached a steady state";
      - a service named with --fail CLUSTER/SERVICE, on a revision other than the one it ran
        first: its tasks "fail their health checks" (failedTasks grows), after --fail-after
        seconds the deployment is FAILED with the circuit breaker's reason and a rollback
        deployment on the old revision is PRIMARY (COMPLETED at once: the old tasks never
        stopped); moto is told (UpdateService) so the service runs the old revision again.
      Services never updated show one PRIMARY deployment, COMPLETED, running == desired.
Everything else (Security Hub, STS, other ECS calls) passes through unchanged.
  GET /__sim/state -> the simulated deployments as JSON (for debugging; not forwarded).

usage: rollout_sim.py --target http://127.0.0.1:PORT [--port-file FILE] [--fail C/S]...
                      [--rise SECONDS] [--fail-after SECONDS]
Listens on a free 127.0.0.1 port (written to --port-file). Loopback only: a --target that is
not a loopback address is refused. Test and demo code: never part of ecsfix itself.
"""

import argparse
import http.client
import http.server
import json
import sys
import threading
import time
import urllib.parse

ECS_PREFIX = "AmazonEC2ContainerServiceV20141113."
HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te",
       "trailer", "content-length"}
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def td_short(arn):
    """'family:rev' of a task definition ARN (or the string itself)."""
    return arn.split(":task-definition/", 1)[-1] if arn else arn


class Sim:
    """The simulated deployments, per service ARN."""

    def __init__(self, fail, rise, fail_after):
        self.lock = threading.Lock()
        self.fail = set(fail)
        self.rise = rise
        self.fail_after = fail_after
        self.svcs = {}  # serviceArn -> {"first", "deps": [...], "events": [...], "name"}
        self.n = 0
        self.rollbacks = []  # (cluster, service, old td) for moto, sent outside the lock

    def _id(self):
        self.n += 1
        return "ecs-svc/%d" % (9000000000000000000 + self.n)

    def _event(self, st, msg, now):
        self.n += 1
        st["events"].insert(0, {"id": "sim-%d" % self.n, "createdAt": now,
                                "message": "(service %s) %s" % (st["name"], msg)})
        del st["events"][100:]

    def _state(self, svc, now):
        """The simulation state of a moto service entry (created on first sight)."""
        arn = svc.get("serviceArn")
        st = self.svcs.get(arn)
        if st is None:
            desired = svc.get("desiredCount") or 0
            dep = {"id": self._id(), "status": "PRIMARY", "taskDefinition": svc.get("taskDefinition"),
                   "desiredCount": desired, "pendingCount": 0, "runningCount": desired,
                   "failedTasks": 0, "rolloutState": "COMPLETED", "rolloutStateReason": "",
                   "createdAt": now, "updatedAt": now, "launchType": svc.get("launchType")}
            old = (svc.get("deployments") or [{}])[0]
            if old.get("id"):
                dep["id"] = old["id"]
            st = {"first": svc.get("taskDefinition"), "deps": [dep], "events": [],
                  "name": svc.get("serviceName"),
                  "key": "%s/%s" % (svc.get("clusterArn", "").rsplit("/", 1)[-1],
                                    svc.get("serviceName"))}
            self._event(st, "has reached a steady state.", now)
            self.svcs[arn] = st
        return st

    def update(self, svc, now):
        """UpdateService went through moto: start a deployment if the revision changed."""
        st = self._state(svc, now)
        td = svc.get("taskDefinition")
        primary = st["deps"][0]
        if primary["taskDefinition"] == td:
            return
        for d in st["deps"]:
            d["status"] = "ACTIVE"
        desired = svc.get("desiredCount") or 0
        failing = st["key"] in self.fail and td != st["first"]
        dep_id = self._id()
        st["deps"].insert(0, {
            "id": dep_id, "status": "PRIMARY", "taskDefinition": td,
            "desiredCount": desired, "pendingCount": desired, "runningCount": 0,
            "failedTasks": 0, "rolloutState": "IN_PROGRESS",
            "rolloutStateReason": "ECS deployment %s in progress." % dep_id,
            "createdAt": now, "updatedAt": now, "launchType": svc.get("launchType"),
            "sim": {"start": now, "fails": failing, "old": primary["taskDefinition"],
                    "done": False}})
        st["rolled_back_from"] = None
        self._event(st, "has started %d tasks: (deployment %s)." % (desired, dep_id), now)

    def _advance(self, st, now):
        primary = st["deps"][0]
        sim = primary.get("sim")
        if sim is None or sim["done"]:
            return
        t = now - sim["start"]
        desired = primary["desiredCount"]
        if not sim["fails"]:
            running = desired if t >= self.rise else int(desired * t / self.rise)
            primary["runningCount"] = running
            primary["pendingCount"] = desired - running
            primary["updatedAt"] = now
            if t >= self.rise:
                primary["rolloutState"] = "COMPLETED"
                primary["rolloutStateReason"] = "ECS deployment %s completed." % primary["id"]
                st["deps"] = [primary]
                sim["done"] = True
                self._event(st, "has reached a steady state.", now)
            return
        failed = int(t / max(self.fail_after / 3.0, 0.1))
        if failed > primary["failedTasks"]:
            for _ in range(failed - primary["failedTasks"]):
                self._event(st, "(task %08x) failed container health checks." %
                            (self.n * 2654435761 % 2 ** 32), now)
            primary["failedTasks"] = failed
        if t < self.fail_after:
            return
        sim["done"] = True
        primary["status"] = "ACTIVE"
        primary["rolloutState"] = "FAILED"
        primary["rolloutStateReason"] = ("ECS deployment circuit breaker: tasks failed to "
                                         "start.")
        primary["runningCount"] = 0
        primary["pendingCount"] = 0
        desired = primary["desiredCount"]
        back = {"id": self._id(), "status": "PRIMARY", "taskDefinition": sim["old"],
                "desiredCount": desired, "pendingCount": 0, "runningCount": desired,
                "failedTasks": 0, "rolloutState": "COMPLETED",
                "rolloutStateReason": "ECS deployment circuit breaker: rolled back.",
                "createdAt": now, "updatedAt": now, "launchType": primary.get("launchType")}
        st["deps"] = [back, primary]
        self._event(st, "(deployment %s) deployment failed: tasks failed to start." %
                    primary["id"], now)
        self._event(st, "rolling back to deployment %s." % back["id"], now)
        self._event(st, "has reached a steady state.", now)
        cluster, name = st["key"].split("/", 1)
        st["rolled_back_from"] = primary["taskDefinition"]  # moto says so until told
        self.rollbacks.append((cluster, name, sim["old"]))

    def dress(self, svc, now):
        """Rewrites a moto service entry with the simulated deployments."""
        if (svc.get("deploymentController") or {}).get("type", "ECS") != "ECS":
            return
        st = self._state(svc, now)
        self._advance(st, now)
        td = svc.get("taskDefinition")
        if td not in (st["deps"][0]["taskDefinition"], st.get("rolled_back_from")):
            self.update(svc, now)  # moved by a call that did not pass through here
        primary = st["deps"][0]
        svc["deployments"] = [{k: v for k, v in d.items() if k != "sim"} for d in st["deps"]]
        svc["taskDefinition"] = primary["taskDefinition"]
        svc["runningCount"] = sum(d["runningCount"] for d in st["deps"])
        svc["pendingCount"] = sum(d["pendingCount"] for d in st["deps"])
        svc["events"] = [dict(e) for e in st["events"]]

    def snapshot(self):
        with self.lock:
            return json.loads(json.dumps(self.svcs))


def make_handler(target, sim):
    host, port = target

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):  # quiet
            pass

        def _reply(self, status, headers, body):
            self.send_response(status)
            for k, v in headers:
                if k.lower() not in HOP:
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _moto(self, method, path, headers, body):
            conn = http.client.HTTPConnection(host, port, timeout=60)
            try:
                conn.request(method, path, body=body, headers=headers)
                r = conn.getresponse()
                return r.status, r.getheaders(), r.read()
            finally:
                conn.close()

        def _know(self, headers, body):
            """Before an UpdateService: the service as it is now, so the simulation knows
            the revision it ran before (a service not seen through this proxy yet)."""
            try:
                req = json.loads(body or b"{}")
                q = {"services": [req["service"]]}
                if "cluster" in req:
                    q["cluster"] = req["cluster"]
            except (ValueError, KeyError, TypeError):
                return
            h = dict(headers)
            h["X-Amz-Target"] = ECS_PREFIX + "DescribeServices"
            qb = json.dumps(q).encode()
            h["Content-Length"] = str(len(qb))
            status, _, rb = self._moto("POST", "/", h, qb)
            try:
                svcs = json.loads(rb).get("services") if status == 200 else None
            except ValueError:
                svcs = None
            with sim.lock:
                for s in svcs or []:
                    if isinstance(s, dict):
                        sim.dress(s, time.time())

        def _rollbacks(self, headers):
            """Tells moto about circuit-breaker rollbacks (outside the lock)."""
            with sim.lock:
                todo, sim.rollbacks = sim.rollbacks, []
            for cluster, name, td in todo:
                h = dict(headers)
                h["X-Amz-Target"] = ECS_PREFIX + "UpdateService"
                body = json.dumps({"cluster": cluster, "service": name,
                                   "taskDefinition": td}).encode()
                h["Content-Length"] = str(len(body))
                self._moto("POST", "/", h, body)

        def _any(self):
            if self.path == "/__sim/state":
                body = json.dumps(sim.snapshot(), indent=1).encode()
                return self._reply(200, [("Content-Type", "application/json")], body)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
            if body is not None:
                headers["Content-Length"] = str(len(body))
            op = (self.headers.get("X-Amz-Target") or "")
            op = op[len(ECS_PREFIX):] if op.startswith(ECS_PREFIX) else None
            if op == "UpdateService":
                self._know(headers, body)
            status, rh, rbody = self._moto(self.command, self.path, headers, body)
            if status == 200 and op in ("UpdateService", "DescribeServices", "CreateService"):
                try:
                    doc = json.loads(rbody)
                except ValueError:
                    doc = None
                if isinstance(doc, dict):
                    now = time.time()
                    with sim.lock:
                        if op == "UpdateService" and isinstance(doc.get("service"), dict):
                            sim.update(doc["service"], now)
                        svcs = doc.get("services") if op == "DescribeServices" else \
                            [doc.get("service")]
                        for s in svcs or []:
                            if isinstance(s, dict):
                                sim.dress(s, now)
                    rbody = json.dumps(doc).encode()
                    self._rollbacks(headers)
            self._reply(status, rh, rbody)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _any

    return Handler


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--target", required=True, help="moto_server URL")
    ap.add_argument("--port-file")
    ap.add_argument("--fail", action="append", default=[], metavar="CLUSTER/SERVICE",
                    help="this service's new revisions fail their health checks")
    ap.add_argument("--rise", type=float, default=6.0,
                    help="seconds until a healthy deployment is COMPLETED (default 6)")
    ap.add_argument("--fail-after", type=float, default=8.0,
                    help="seconds until a failing deployment is FAILED (default 8)")
    args = ap.parse_args()
    u = urllib.parse.urlparse(args.target)
    if u.hostname not in LOOPBACK:
        sys.exit("rollout_sim: refusing a target that is not loopback: %s" % args.target)
    sim = Sim(args.fail, args.rise, args.fail_after)
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                          make_handler((u.hostname, u.port or 80), sim))
    srv.daemon_threads = True
    port = srv.server_address[1]
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as f:
            f.write("%d\n" % port)
        import os
        os.rename(args.port_file + ".tmp", args.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
