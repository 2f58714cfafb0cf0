#!/usr/bin/env python3
"""moto_setup.py: the account for tests/aws/test-moto-auth.sh, made with boto3 before moto's
INITIAL_NO_AUTH_ACTION_COUNT runs out, then padded to exactly that many requests.

Usage: moto_setup.py ENDPOINT PAD_TO KEYS_OUT
  IAM user "ro" (ECS and Security Hub reads, sts:GetCallerIdentity, sts:AssumeRole; no
  ecs:RegisterTaskDefinition), role "reader" (ECS reads) it may assume; cluster "big" with
  105 services; families web (3 revisions), api, worker; 3 Security Hub findings.
  KEYS_OUT gets {"ro": {"id", "secret"}, "role_arn"}.
"""
import json
import sys

import boto3

endpoint, pad_to, keys_out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
count = [0]


def counted(service):
    c = boto3.client(service, endpoint_url=endpoint, region_name="us-east-1",
                     aws_access_key_id="AKIASETUPSETUPSETUP", aws_secret_access_key="setup")
    c.meta.events.register("before-send", lambda **kw: count.__setitem__(0, count[0] + 1))
    return c


iam, ecs, hub = counted("iam"), counted("ecs"), counted("securityhub")
ACCOUNT = "123456789012"
READS = ["ecs:ListClusters", "ecs:DescribeClusters", "ecs:ListServices", "ecs:DescribeServices",
         "ecs:ListTaskDefinitionFamilies", "ecs:ListTaskDefinitions",
         "ecs:DescribeTaskDefinition", "ecs:ListTagsForResource"]
ro_policy = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": READS, "Resource": "*"},
    {"Effect": "Allow", "Action": ["securityhub:GetFindings"], "Resource": "*"},
    {"Effect": "Allow", "Action": ["sts:GetCallerIdentity", "sts:AssumeRole"], "Resource": "*"}]}
role_policy = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": READS + ["sts:GetCallerIdentity"], "Resource": "*"}]}
trust = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:user/ro" % ACCOUNT},
     "Action": "sts:AssumeRole"}]}

p = iam.create_policy(PolicyName="ro", PolicyDocument=json.dumps(ro_policy))["Policy"]["Arn"]
iam.create_user(UserName="ro")
iam.attach_user_policy(UserName="ro", PolicyArn=p)
key = iam.create_access_key(UserName="ro")["AccessKey"]
rp = iam.create_policy(PolicyName="reader", PolicyDocument=json.dumps(role_policy))["Policy"]["Arn"]
role = iam.create_role(RoleName="reader", AssumeRolePolicyDocument=json.dumps(trust))["Role"]
iam.attach_role_policy(RoleName="reader", PolicyArn=rp)

ecs.create_cluster(clusterName="big")
container = {"name": "app", "image": "nginx", "memory": 128, "privileged": True}
for fam, revs in (("web", 3), ("api", 1), ("worker", 1)):
    for _ in range(revs):
        ecs.register_task_definition(family=fam, containerDefinitions=[container])
for i in range(105):
    ecs.create_service(cluster="big", serviceName="svc-%03d" % i, taskDefinition="web:3",
                       desiredCount=0)

findings = []
for i in range(3):
    findings.append({
        "SchemaVersion": "2018-10-08", "Id": "finding-%d" % i,
        "ProductArn": "arn:aws:securityhub:us-east-1::product/aws/securityhub",
        "GeneratorId": "security-control/ECS.4", "AwsAccountId": ACCOUNT,
        "Types": ["Software and Configuration Checks"], "CreatedAt": "2026-11-29T00:00:00Z",
        "UpdatedAt": "2026-11-29T00:00:00Z", "Severity": {"Label": "HIGH"},
        "Title": "ECS.4", "Description": "privileged",
        "Resources": [{"Type": "AwsEcsTaskDefinition",
                       "Id": "arn:aws:ecs:us-east-1:%s:task-definition/web:%d" % (ACCOUNT, i + 1)}]})
hub.batch_import_findings(Findings=findings)

if count[0] > pad_to:
    sys.exit("setup took %d requests, more than %d" % (count[0], pad_to))
while count[0] < pad_to:
    ecs.list_clusters()

with open(keys_out, "w") as f:
    json.dump({"ro": {"id": key["AccessKeyId"], "secret": key["SecretAccessKey"]},
               "role_arn": role["Arn"]}, f)
