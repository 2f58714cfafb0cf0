#!/usr/bin/env python3
"""seed_org.py: an organization in moto_server for the multi-account scan tests.

The management account (moto's 123456789012) creates an organization with 3 member accounts;
each member gets, in us-east-1 and eu-west-1, one cluster "apps" with one service "web" running
a privileged revision of family "web-<region>", and a Security Hub finding (ECS.4 FAILED) about
that revision. An IAM user "scanner" in the management account may assume the role "Audit" in
the first two members only (and call ECS, Security Hub, Organizations, EC2 DescribeRegions,
STS). Prints {"members": [ids], "keys": {"AccessKeyId", "SecretAccessKey"}} as JSON.

--pad-requests-to N: makes cheap requests until exactly N were sent, so that moto's auth mode
(INITIAL_NO_AUTH_ACTION_COUNT=N) starts right after the seed.
"""
import argparse
import json
import os
import sys

import boto3

REGIONS = ["us-east-1", "eu-west-1"]
SENT = [0]


def client(svc, region, creds=None, url=None):
    kw = dict(endpoint_url=url, region_name=region)
    if creds:
        kw.update(aws_access_key_id=creds["AccessKeyId"],
                  aws_secret_access_key=creds["SecretAccessKey"],
                  aws_session_token=creds.get("SessionToken"))
    c = boto3.client(svc, **kw)
    c.meta.events.register("before-send", lambda **_: SENT.__setitem__(0, SENT[0] + 1))
    return c


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--endpoint-url", default=os.environ.get("AWS_ENDPOINT_URL"))
    ap.add_argument("--pad-requests-to", type=int)
    a = ap.parse_args()
    url = a.endpoint_url
    org = client("organizations", "us-east-1", url=url)
    org.create_organization(FeatureSet="ALL")
    members = [org.create_account(AccountName="member-%d" % i,
                                  Email="member-%d@example.com" % i)["CreateAccountStatus"]["AccountId"]
               for i in range(3)]
    sts = client("sts", "us-east-1", url=url)
    for acct in members:
        creds = sts.assume_role(RoleArn="arn:aws:iam::%s:role/Audit" % acct,
                                RoleSessionName="seed")["Credentials"]
        # the role itself, in the member (moto evaluates its policies once auth is on)
        miam = client("iam", "us-east-1", creds, url)
        trust = {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
            "Action": "sts:AssumeRole"}]}
        miam.create_role(RoleName="Audit", AssumeRolePolicyDocument=json.dumps(trust))
        miam.put_role_policy(RoleName="Audit", PolicyName="read", PolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Action": ["ecs:List*", "ecs:Describe*",
                                              "securityhub:GetFindings"],
                "Resource": "*"}]}))
        for region in REGIONS:
            ecs = client("ecs", region, creds, url)
            ecs.create_cluster(clusterName="apps")
            td = ecs.register_task_definition(
                family="web-" + region,
                containerDefinitions=[{"name": "app", "image": "nginx", "memory": 128,
                                       "privileged": True, "user": "1000"}],
            )["taskDefinition"]["taskDefinitionArn"]
            ecs.create_service(cluster="apps", serviceName="web", taskDefinition=td,
                               desiredCount=1)
            hub = client("securityhub", region, creds, url)
            hub.batch_import_findings(Findings=[{
                "SchemaVersion": "2018-10-08", "Id": "finding-%s-%s" % (acct, region),
                "ProductArn": "arn:aws:securityhub:%s::product/aws/securityhub" % region,
                "GeneratorId": "security-control/ECS.4", "AwsAccountId": acct,
                "Region": region, "Types": ["Software and Configuration Checks"],
                "CreatedAt": "2026-11-29T00:00:00Z", "UpdatedAt": "2026-11-29T00:00:00Z",
                "Severity": {"Label": "HIGH"}, "Title": "ECS.4 privileged",
                "Description": "privileged container", "RecordState": "ACTIVE",
                "Compliance": {"Status": "FAILED", "SecurityControlId": "ECS.4"},
                "Workflow": {"Status": "NEW"},
                "Resources": [{"Type": "AwsEcsTaskDefinition", "Id": td, "Region": region}],
            }])
    iam = client("iam", "us-east-1", url=url)
    iam.create_user(UserName="scanner")
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "sts:AssumeRole",
         "Resource": ["arn:aws:iam::%s:role/Audit" % m for m in members[:2]]},
        {"Effect": "Allow", "Action": ["ecs:List*", "ecs:Describe*", "securityhub:GetFindings",
                                       "organizations:ListAccounts", "ec2:DescribeRegions",
                                       "sts:GetCallerIdentity"], "Resource": "*"}]}
    iam.put_user_policy(UserName="scanner", PolicyName="scan", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName="scanner")["AccessKey"]
    if a.pad_requests_to is not None:
        if SENT[0] > a.pad_requests_to:
            sys.exit("seed_org: %d requests, more than %d" % (SENT[0], a.pad_requests_to))
        while SENT[0] < a.pad_requests_to:
            sts.get_caller_identity()
    json.dump({"members": members, "keys": {"AccessKeyId": key["AccessKeyId"],
                                            "SecretAccessKey": key["SecretAccessKey"]}},
              sys.stdout)
    print()


if __name__ == "__main__":
    main()
