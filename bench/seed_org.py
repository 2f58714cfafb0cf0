#!/usr/bin/env python3
"""seed_org.py: an organization for bench/org-bench.sh in moto_server: MEMBERS member accounts,
each with, in every region of REGIONS, one cluster with SERVICES services over FAMILIES
families (one revision each, every other family privileged), reachable through the role
"Audit". Prints {"members": [...], "regions": [...], "services": N, "families": N} as JSON.

usage: seed_org.py [--endpoint-url URL] [--members 10] [--regions us-east-1,eu-west-1]
                   [--services 25] [--families 5]
"""
import argparse
import json
import os
import sys

import boto3


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--endpoint-url", default=os.environ.get("AWS_ENDPOINT_URL"))
    ap.add_argument("--members", type=int, default=10)
    ap.add_argument("--regions", default="us-east-1,eu-west-1")
    ap.add_argument("--services", type=int, default=25)
    ap.add_argument("--families", type=int, default=5)
    a = ap.parse_args()
    url, regions = a.endpoint_url, a.regions.split(",")
    org = boto3.client("organizations", endpoint_url=url, region_name="us-east-1")
    org.create_organization(FeatureSet="ALL")
    members = []
    for i in range(a.members):
        st = org.create_account(AccountName="member-%02d" % i, Email="m%02d@example.com" % i)
        members.append(st["CreateAccountStatus"]["AccountId"])
    sts = boto3.client("sts", endpoint_url=url, region_name="us-east-1")
    for acct in members:
        c = sts.assume_role(RoleArn="arn:aws:iam::%s:role/Audit" % acct,
                            RoleSessionName="seed")["Credentials"]
        kw = dict(endpoint_url=url, aws_access_key_id=c["AccessKeyId"],
                  aws_secret_access_key=c["SecretAccessKey"],
                  aws_session_token=c["SessionToken"])
        for region in regions:
            ecs = boto3.client("ecs", region_name=region, **kw)
            ecs.create_cluster(clusterName="apps")
            arns = []
            for f in range(a.families):
                arns.append(ecs.register_task_definition(
                    family="svc-%02d" % f,
                    containerDefinitions=[{"name": "app", "image": "nginx", "memory": 128,
                                           "privileged": f % 2 == 0, "user": "1000"}],
                )["taskDefinition"]["taskDefinitionArn"])
            for s in range(a.services):
                ecs.create_service(cluster="apps", serviceName="s%03d" % s,
                                   taskDefinition=arns[s % a.families], desiredCount=1)
        print("seeded %s" % acct, file=sys.stderr)
    json.dump({"members": members, "regions": regions, "services": a.services,
               "families": a.families}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
