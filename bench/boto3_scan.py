#!/usr/bin/env python3
"""boto3_scan.py: the inventory `ecsfix scan` makes, written the usual way: a sequential boto3
script (the benchmark's baseline). Uses AWS_ENDPOINT_URL / AWS_REGION from the environment.

Same calls as ecsfix: ListClusters, DescribeClusters by 100, ListServices per cluster (pages of
100), DescribeServices by 10, DescribeTaskDefinition (include TAGS) once per revision a service
or deployment runs, ListTaskDefinitions ACTIVE (all pages) for the latest revision of each
family in use, DescribeTaskDefinition of those latest revisions not described yet, and
GetFindings for ECS.1/4/17/20 (all pages). Prints a one-line JSON summary.
"""

import json
import sys

import boto3

CONTROLS = ["ECS.1", "ECS.4", "ECS.17", "ECS.20"]


def family_rev(arn):
    tail = arn.rsplit("/", 1)[-1]
    fam, _, rev = tail.rpartition(":")
    return fam, int(rev)


def main():
    ecs = boto3.client("ecs")
    hub = boto3.client("securityhub")

    cluster_arns = []
    for page in ecs.get_paginator("list_clusters").paginate(PaginationConfig={"PageSize": 100}):
        cluster_arns += page["clusterArns"]
    clusters = []
    for i in range(0, len(cluster_arns), 100):
        clusters += ecs.describe_clusters(clusters=cluster_arns[i:i + 100])["clusters"]

    services = []
    for c in cluster_arns:
        arns = []
        for page in ecs.get_paginator("list_services").paginate(
                cluster=c, PaginationConfig={"PageSize": 100}):
            arns += page["serviceArns"]
        for i in range(0, len(arns), 10):
            services += ecs.describe_services(cluster=c, services=arns[i:i + 10])["services"]

    in_use = []
    for s in services:
        for td in [s.get("taskDefinition")] + [d.get("taskDefinition")
                                                for d in s.get("deployments", [])]:
            if td and td not in in_use:
                in_use.append(td)
    described = {}
    for td in in_use:
        described[td] = ecs.describe_task_definition(taskDefinition=td, include=["TAGS"])

    families = {family_rev(a)[0] for a in in_use}
    latest = {}
    for page in ecs.get_paginator("list_task_definitions").paginate(
            status="ACTIVE", sort="DESC", PaginationConfig={"PageSize": 100}):
        for arn in page["taskDefinitionArns"]:
            fam, rev = family_rev(arn)
            if fam in families and rev > latest.get(fam, (0, ""))[0]:
                latest[fam] = (rev, arn)
    for fam, (_, arn) in latest.items():
        if arn not in described:
            described[arn] = ecs.describe_task_definition(taskDefinition=arn, include=["TAGS"])

    filters = {
        "ComplianceSecurityControlId": [{"Value": c, "Comparison": "EQUALS"} for c in CONTROLS],
        "ResourceType": [{"Value": "AwsEcsTaskDefinition", "Comparison": "EQUALS"},
                         {"Value": "AwsEcsService", "Comparison": "EQUALS"}],
        "RecordState": [{"Value": "ACTIVE", "Comparison": "EQUALS"}],
    }
    findings = []
    for page in hub.get_paginator("get_findings").paginate(
            Filters=filters, PaginationConfig={"PageSize": 100}):
        findings += [f for f in page["Findings"]
                     if f.get("Compliance", {}).get("SecurityControlId") in CONTROLS]

    privileged = sum(1 for d in described.values()
                     for c in d["taskDefinition"]["containerDefinitions"] if c.get("privileged"))
    print(json.dumps({"clusters": len(clusters), "services": len(services),
                      "taskDefinitions": len(described), "privilegedContainers": privileged,
                      "findings": len(findings)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
