#!/usr/bin/env python3
"""seed_large.py: seeds a large emulated account (moto_server) for scan/TUI benchmarks.

Deterministic: the same flags give the same names and the same privileged set.
Family f (0-based) is privileged when f % privileged_every == 0; its revisions alternate the
image tag; service s runs family s % families in cluster s % clusters, at the family's latest
revision except every 7th service, which runs revision 1 (an older revision).
Security Hub gets ECS.4/ECS.17/ECS.20 findings for every family's latest revision plus one
S3.1 finding per 50 families (noise). Never point this at real AWS (loopback only).
"""

import argparse
import concurrent.futures
import json
import os
import sys
import threading
import time
import urllib.parse
import uuid

ACCOUNT = "123456789012"
NS = uuid.UUID("6f1c9a1e-5d0b-4f4e-9a57-ec5f1c000001")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--endpoint-url", default=os.environ.get("AWS_ENDPOINT_URL"))
    ap.add_argument("--region", default=os.environ.get("AWS_REGION", "us-east-1"))
    ap.add_argument("--clusters", type=int, default=20)
    ap.add_argument("--services", type=int, default=500)
    ap.add_argument("--families", type=int, default=300)
    ap.add_argument("--revisions", type=int, default=3, help="revisions per family")
    ap.add_argument("--privileged-every", type=int, default=4,
                    help="every Nth family is privileged (0: none)")
    ap.add_argument("--no-findings", action="store_true")
    ap.add_argument("--workers", type=int, default=8, help="parallel requests")
    ap.add_argument("--prefix", default="bench")
    args = ap.parse_args()
    if not args.endpoint_url:
        sys.exit("seed_large: no endpoint: pass --endpoint-url or set AWS_ENDPOINT_URL")
    host = urllib.parse.urlparse(args.endpoint_url).hostname or ""
    if host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("seed_large: refusing to seed %s: not a loopback address" % host)
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")

    import boto3
    from botocore.config import Config

    cfg = Config(retries={"max_attempts": 3}, max_pool_connections=args.workers * 2)
    local = threading.local()
    count = [0]
    lock = threading.Lock()

    def client(name):
        key = "c_" + name
        if not hasattr(local, key):
            c = boto3.session.Session().client(name, region_name=args.region,
                                               endpoint_url=args.endpoint_url, config=cfg)

            def bump(**_):
                with lock:
                    count[0] += 1

            c.meta.events.register("before-send", bump)
            setattr(local, key, c)
        return getattr(local, key)

    pool = concurrent.futures.ThreadPoolExecutor(max_workers=args.workers)

    def run_all(fn, items):
        for f in concurrent.futures.as_completed([pool.submit(fn, i) for i in items]):
            f.result()  # re-raise the first error

    p = args.prefix
    clusters = ["%s-cluster-%02d" % (p, i) for i in range(args.clusters)]
    families = ["%s-app-%03d" % (p, i) for i in range(args.families)]

    def privileged(f):
        return args.privileged_every > 0 and f % args.privileged_every == 0

    t0 = time.monotonic()
    run_all(lambda c: client("ecs").create_cluster(clusterName=c, tags=[
        {"key": "owner", "value": "bench"}]), clusters)
    t_clusters = time.monotonic()

    def register(fam_index):
        fam = families[fam_index]
        for r in range(1, args.revisions + 1):
            # revisions are numbered in order per family: register them sequentially
            client("ecs").register_task_definition(
                family=fam, networkMode="bridge", requiresCompatibilities=["EC2"],
                containerDefinitions=[
                    {"name": "app", "image": "registry.example/%s:1.%d" % (fam, r),
                     "memory": 256, "essential": True,
                     "user": "0" if fam_index % 3 == 0 else "1000",
                     "privileged": privileged(fam_index),
                     "portMappings": [{"containerPort": 8080, "hostPort": 0}]},
                    {"name": "log-router", "image": "fluent/fluent-bit:2.%d" % r,
                     "memory": 64, "essential": False, "user": "1000"},
                ],
                tags=[{"key": "owner", "value": "team-%d" % (fam_index % 12)}])

    run_all(register, range(args.families))
    t_families = time.monotonic()

    def service(s):
        fam = s % args.families
        rev = 1 if s % 7 == 0 else args.revisions
        client("ecs").create_service(
            cluster=clusters[s % args.clusters], serviceName="%s-svc-%03d" % (p, s),
            taskDefinition="arn:aws:ecs:%s:%s:task-definition/%s:%d"
            % (args.region, ACCOUNT, families[fam], rev),
            desiredCount=1 + s % 3, launchType="EC2")

    run_all(service, range(args.services))
    t_services = time.monotonic()

    nfind = 0
    if not args.no_findings and args.families:
        findings = []
        for i, fam in enumerate(families):
            arn = "arn:aws:ecs:%s:%s:task-definition/%s:%d" % (args.region, ACCOUNT, fam,
                                                                args.revisions)
            status = {"ECS.4": "FAILED" if privileged(i) else "PASSED", "ECS.17": "PASSED",
                      "ECS.20": "FAILED" if i % 3 == 0 else "PASSED"}
            if i % 50 == 0:
                status["S3.1"] = "FAILED"
            for ctl, st in status.items():
                fid = uuid.uuid5(NS, "%s|%s" % (ctl, arn))
                findings.append({
                    "SchemaVersion": "2018-10-08",
                    "Id": "arn:aws:securityhub:%s:%s:security-control/%s/finding/%s"
                          % (args.region, ACCOUNT, ctl, fid),
                    "ProductArn": "arn:aws:securityhub:%s::product/aws/securityhub" % args.region,
                    "GeneratorId": "security-control/" + ctl,
                    "AwsAccountId": ACCOUNT, "Region": args.region,
                    "Types": ["Software and Configuration Checks"],
                    "CreatedAt": "2026-11-20T08:00:00.000Z",
                    "UpdatedAt": "2026-11-20T08:00:00.000Z",
                    "Severity": {"Label": "HIGH" if st == "FAILED" else "INFORMATIONAL"},
                    "Title": ctl, "Description": ctl,
                    "Resources": [{"Type": "AwsAccount" if ctl == "S3.1"
                                   else "AwsEcsTaskDefinition", "Id": arn}],
                    "Compliance": {"Status": st, "SecurityControlId": ctl},
                    "Workflow": {"Status": "NEW" if st == "FAILED" else "RESOLVED"},
                    "RecordState": "ACTIVE",
                })
        client("securityhub").enable_security_hub()
        chunks = [findings[i:i + 100] for i in range(0, len(findings), 100)]
        run_all(lambda ch: client("securityhub").batch_import_findings(Findings=ch), chunks)
        nfind = len(findings)
    t_end = time.monotonic()
    pool.shutdown()

    nprivileged = sum(1 for i in range(args.families) if privileged(i))
    print(json.dumps({
        "endpoint": args.endpoint_url,
        "clusters": args.clusters,
        "services": args.services,
        "families": args.families,
        "revisions": args.families * args.revisions,
        "privilegedFamilies": nprivileged,
        "findings": nfind,
        "requests": count[0],
        "seconds": {"clusters": round(t_clusters - t0, 2),
                    "taskDefinitions": round(t_families - t_clusters, 2),
                    "services": round(t_services - t_families, 2),
                    "findings": round(t_end - t_services, 2),
                    "total": round(t_end - t0, 2)},
    }, indent=2))


if __name__ == "__main__":
    main()
