#!/usr/bin/env python3
"""lower_bound.py: the fewest requests a scan of the seeded account can make, computed from
what is in the emulator (read directly, not through the counting proxy).

Per call: ListClusters ceil(C/100) (at least 1); DescribeClusters ceil(C/100); ListServices
one page of 100 per cluster; DescribeServices ceil(S_c/10) per cluster; DescribeTaskDefinition
once per revision a service or deployment runs plus once per latest ACTIVE revision of a family
in use that no service runs; ListTaskDefinitions min(families in use, pages of all ACTIVE
revisions); GetFindings ceil(findings returned / 100) (at least 1).
Pages are as the server gives them: moto ignores maxResults on ECS lists (one page) and
ignores GetFindings filters (every finding comes back); both bounds are printed.
Prints JSON: {"moto": {op: n, ..., "total": n}, "aws": {...}, "account": {...}}.
"""

import json
import math
import sys

import boto3

HANDLED = ["ECS.1", "ECS.4", "ECS.17", "ECS.20"]


def pages(n, size=100):
    return max(1, math.ceil(n / size))


def family_rev(arn):
    fam, _, rev = arn.rsplit("/", 1)[-1].rpartition(":")
    return fam, int(rev)


def main():
    ecs = boto3.client("ecs")
    hub = boto3.client("securityhub")
    clusters = []
    for p in ecs.get_paginator("list_clusters").paginate():
        clusters += p["clusterArns"]
    per_cluster = {}
    in_use = set()
    for c in clusters:
        arns = []
        for p in ecs.get_paginator("list_services").paginate(cluster=c):
            arns += p["serviceArns"]
        per_cluster[c] = len(arns)
        for i in range(0, len(arns), 10):
            for s in ecs.describe_services(cluster=c, services=arns[i:i + 10])["services"]:
                in_use.add(s["taskDefinition"])
                for d in s.get("deployments", []):
                    in_use.add(d["taskDefinition"])
    families = {family_rev(a)[0] for a in in_use}
    active = []
    for p in ecs.get_paginator("list_task_definitions").paginate(status="ACTIVE"):
        active += p["taskDefinitionArns"]
    latest = {}
    for a in active:
        f, r = family_rev(a)
        if f in families and r > latest.get(f, (0, ""))[0]:
            latest[f] = (r, a)
    describes = len(in_use | {a for _, a in latest.values()})
    findings = []
    for p in hub.get_paginator("get_findings").paginate():
        findings += p["Findings"]
    matching = [f for f in findings
                if f.get("Compliance", {}).get("SecurityControlId") in HANDLED
                and f.get("RecordState", "ACTIVE") == "ACTIVE"
                and f["Resources"][0]["Type"] in ("AwsEcsTaskDefinition", "AwsEcsService")]
    nf = len(families)
    common = {
        "DescribeClusters": math.ceil(len(clusters) / 100),
        "DescribeServices": sum(math.ceil(n / 10) for n in per_cluster.values()),
        "DescribeTaskDefinition": describes,
    }
    moto = dict(common, ListClusters=1, ListServices=len(clusters),
                ListTaskDefinitions=min(nf, 1), GetFindings=pages(len(findings)))
    aws = dict(common, ListClusters=pages(len(clusters)),
               ListServices=sum(pages(n) for n in per_cluster.values()),
               ListTaskDefinitions=min(nf, pages(len(active))) if nf else 0,
               GetFindings=pages(len(matching)))
    for d in (moto, aws):
        d["total"] = sum(d.values())
    print(json.dumps({
        "moto": dict(sorted(moto.items())), "aws": dict(sorted(aws.items())),
        "account": {"clusters": len(clusters), "services": sum(per_cluster.values()),
                    "familiesInUse": nf, "revisionsInUse": len(in_use),
                    "activeRevisions": len(active), "findings": len(findings),
                    "handledFindings": len(matching)}}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
