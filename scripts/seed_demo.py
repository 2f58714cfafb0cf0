#!/usr/bin/env python3
"""seed_demo.py: seeds an emulated AWS account (moto_server) that looks like a real one.

Never point this at real AWS: it refuses any endpoint that is not loopback unless --force.

The account (all of it is in the tables below, so tests and docs can refer to them):
  clusters  prod-eu, staging, ci, tools (tags with owners; non-ASCII tag values)
  monitoring-agent  DAEMON service on networkMode host, privileged, docker.sock and /proc
                    mounts, no user (root): ECS.4 + ECS.17 + ECS.20 fail. Runs in prod-eu and
                    staging. Revision 1 is INACTIVE.
  web-storefront    awsvpc on EC2, app + envoy sidecar; the sidecar is privileged (user 1337):
                    only ECS.4 fails. Revision 4 is run by `storefront` in prod-eu AND
                    `storefront` in staging (same name, two clusters, one revision).
  ci-runner         docker-in-docker on bridge, privileged, root, hostPort 2376: ECS.4 + ECS.20.
  billing-api       compliant Fargate (awsvpc, user 1000, read-only root fs): all PASSED.
  legacy-batch      no service uses it; its latest revision is privileged: ECS.4 fails.
  reporting         the trap: latest ACTIVE revision 2 is clean (ECS.4 PASSED) but the
                    `reporting` service in tools still runs revision 1, which is privileged.
  payments-api      privileged, run by `payments` (prod-eu) with deploymentController
                    CODE_DEPLOY: ecsfix may register a fixed revision but must not UpdateService.
  grafana           clean EC2 bridge service in tools (user 472).
Deployments (scripts/rollout_sim.py, the simulator scripts/try.sh puts in front of moto):
  every service's rollouts complete after a few seconds, except those in ROLLOUT_FAILS:
  ci/gitlab-runner's new revisions fail their health checks (docker-in-docker needs
  privileged) and the circuit breaker rolls back.
Security Hub findings (consolidated `security-control/ECS.n` form) for ECS.4/17/20 of each
family's latest revision (from EXPECT), plus noise ecsfix must ignore: S3.1, EC2.19, ECS.2 (on
a service), ECS.5, an ARCHIVED ECS.4 of an old revision, and one ECS.4 in the per-standard
form (`aws-foundational-security-best-practices/v/1.0.0/ECS.4`).
IAM users ecsfix-readonly and ecsfix-remediator with access keys (--keys-out FILE, mode 0600)
for tests in moto's auth mode (INITIAL_NO_AUTH_ACTION_COUNT).

What moto does and does not emulate: tests/lib/MOTO-NOTES.md.
"""

import argparse
import json
import os
import sys
import urllib.parse
import uuid

ACCOUNT = "123456789012"  # moto's fixed account id
NS = uuid.UUID("6f1c9a1e-5d0b-4f4e-9a57-ec5f1c000000")  # finding ids are uuid5(NS, ...)
TIME = "2026-11-20T08:00:00.000Z"  # CreatedAt/UpdatedAt of the findings (deterministic)

NETWORK = {
    "vpc": "10.20.0.0/16",
    "subnets": {"private-a": "10.20.1.0/24", "private-b": "10.20.2.0/24"},
    "security_groups": {"storefront": "storefront tasks", "billing": "billing-api tasks"},
}

ROLES = ["ecsTaskExecutionRole", "billing-api-task"]

CLUSTERS = [
    {"name": "prod-eu", "tags": {"env": "prod", "team": "platform", "owner": "Zoë Ødegård",
                                 "cost-centre": "équipe-données"}},
    {"name": "staging", "tags": {"env": "staging", "team": "platform",
                                 "owner": "zoe.odegard@example.com"}},
    {"name": "ci", "tags": {"env": "ci", "team": "devex", "owner": "Łukasz Wiśniewski"}},
    {"name": "tools", "tags": {"env": "shared", "team": "équipe-données",
                               "owner": "François Lefèvre"}},
]
# Extra objects with non-ASCII *names* (AWS itself allows only [A-Za-z0-9_-] in cluster,
# service and family names; moto accepts UTF-8). Only seeded with --unicode-names, for TUI
# width tests.
UNICODE_CLUSTER = {"name": "équipe-données", "tags": {"owner": "François Lefèvre"}}
UNICODE_SERVICE = {"cluster": "équipe-données", "name": "café-api", "taskDefinition": "grafana:1",
                   "desiredCount": 1, "launchType": "EC2", "tags": {"owner": "Zoë Ødegård"}}

EXEC_ROLE = "arn:aws:iam::%s:role/ecsTaskExecutionRole" % ACCOUNT


def _logs(group):
    return {"logDriver": "awslogs",
            "options": {"awslogs-group": group, "awslogs-region": "us-east-1",
                        "awslogs-stream-prefix": "ecs"}}


# Each family: tags, the register input of its first revision ("base"), then one entry per
# revision: the images of that revision, optional per-container overrides ("set") and
# "inactive": deregistered after seeding. EXPECT (below) is what the rules say about the
# family's latest ACTIVE revision; the Security Hub findings are made from it.
FAMILIES = {
    "monitoring-agent": {
        "tags": {"owner": "Zoë Ødegård", "team": "observability", "service": "monitoring"},
        "base": {
            "networkMode": "host",
            "pidMode": "host",
            "requiresCompatibilities": ["EC2"],
            "volumes": [
                {"name": "docker_sock", "host": {"sourcePath": "/var/run/docker.sock"}},
                {"name": "proc", "host": {"sourcePath": "/proc/"}},
                {"name": "cgroup", "host": {"sourcePath": "/sys/fs/cgroup/"}},
            ],
            "containerDefinitions": [{
                "name": "datadog-agent",
                "image": "public.ecr.aws/datadog/agent:7.50.3",
                "cpu": 100,
                "memory": 512,
                "essential": True,
                "privileged": True,
                "mountPoints": [
                    {"sourceVolume": "docker_sock", "containerPath": "/var/run/docker.sock",
                     "readOnly": True},
                    {"sourceVolume": "proc", "containerPath": "/host/proc", "readOnly": True},
                    {"sourceVolume": "cgroup", "containerPath": "/host/sys/fs/cgroup",
                     "readOnly": True},
                ],
                "environment": [{"name": "DD_SITE", "value": "datadoghq.eu"},
                                {"name": "DD_TAGS", "value": "équipe:données"}],
                "logConfiguration": _logs("/ecs/monitoring-agent"),
            }],
        },
        "revisions": [
            {"images": {"datadog-agent": "public.ecr.aws/datadog/agent:7.50.3"},
             "inactive": True},
            {"images": {"datadog-agent": "public.ecr.aws/datadog/agent:7.52.1"}},
            {"images": {"datadog-agent": "public.ecr.aws/datadog/agent:7.54.0"}},
        ],
    },
    "web-storefront": {
        "tags": {"owner": "Zoë Ødegård", "team": "storefront", "service": "storefront"},
        "base": {
            "networkMode": "awsvpc",
            "requiresCompatibilities": ["EC2"],
            "executionRoleArn": EXEC_ROLE,
            "containerDefinitions": [
                {
                    "name": "app",
                    "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/storefront:2026.10.1",
                    "cpu": 256,
                    "memory": 512,
                    "essential": True,
                    "user": "101",
                    "portMappings": [{"containerPort": 8080, "hostPort": 8080,
                                      "protocol": "tcp"}],
                    "environment": [{"name": "GREETING", "value": "Grüß Gott"}],
                    "dependsOn": [{"containerName": "envoy", "condition": "HEALTHY"}],
                    "logConfiguration": _logs("/ecs/web-storefront"),
                },
                {
                    "name": "envoy",
                    "image": "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.27.2.0-prod",
                    "cpu": 64,
                    "memory": 256,
                    "essential": True,
                    "user": "1337",
                    "privileged": True,
                    "portMappings": [{"containerPort": 9901, "hostPort": 9901,
                                      "protocol": "tcp"}],
                    "healthCheck": {"command": ["CMD-SHELL", "curl -s localhost:9901/ready"],
                                    "interval": 10, "timeout": 2, "retries": 3},
                    "logConfiguration": _logs("/ecs/web-storefront"),
                },
            ],
        },
        "revisions": [
            {"images": {"app": "123456789012.dkr.ecr.us-east-1.amazonaws.com/storefront:2026.10.1"},
             "set": {"envoy": {"privileged": False}}},
            {"images": {"app": "123456789012.dkr.ecr.us-east-1.amazonaws.com/storefront:2026.10.2"}},
            {"images": {"app": "123456789012.dkr.ecr.us-east-1.amazonaws.com/storefront:2026.11.0"}},
            {"images": {"app": "123456789012.dkr.ecr.us-east-1.amazonaws.com/storefront:2026.11.3"}},
        ],
    },
    "ci-runner": {
        "tags": {"owner": "Łukasz Wiśniewski", "team": "devex", "service": "ci"},
        "base": {
            "networkMode": "bridge",
            "requiresCompatibilities": ["EC2"],
            "volumes": [{"name": "docker-certs"}],
            "containerDefinitions": [
                {
                    "name": "runner",
                    "image": "gitlab/gitlab-runner:v16.11.0",
                    "memory": 512,
                    "essential": True,
                    "user": "gitlab-runner",
                    "links": ["dind:docker"],
                    "environment": [{"name": "DOCKER_HOST", "value": "tcp://docker:2376"}],
                    "mountPoints": [{"sourceVolume": "docker-certs",
                                     "containerPath": "/certs/client", "readOnly": True}],
                },
                {
                    "name": "dind",
                    "image": "docker:24.0-dind",
                    "memory": 2048,
                    "essential": True,
                    "privileged": True,
                    "portMappings": [{"containerPort": 2376, "hostPort": 2376,
                                      "protocol": "tcp"}],
                    "mountPoints": [{"sourceVolume": "docker-certs",
                                     "containerPath": "/certs/client"}],
                },
            ],
        },
        "revisions": [
            {"images": {"runner": "gitlab/gitlab-runner:v16.10.0", "dind": "docker:24.0-dind"}},
            {"images": {"runner": "gitlab/gitlab-runner:v16.11.0", "dind": "docker:25.0-dind"}},
        ],
    },
    "billing-api": {
        "tags": {"owner": "François Lefèvre", "team": "billing", "service": "billing"},
        "base": {
            "networkMode": "awsvpc",
            "requiresCompatibilities": ["FARGATE"],
            "cpu": "512",
            "memory": "1024",
            "executionRoleArn": EXEC_ROLE,
            "taskRoleArn": "arn:aws:iam::%s:role/billing-api-task" % ACCOUNT,
            "runtimePlatform": {"operatingSystemFamily": "LINUX", "cpuArchitecture": "ARM64"},
            "containerDefinitions": [{
                "name": "api",
                "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/billing-api:3.4.0",
                "essential": True,
                "user": "1000:1000",
                "readonlyRootFilesystem": True,
                "portMappings": [{"containerPort": 8443, "protocol": "tcp"}],
                "logConfiguration": _logs("/ecs/billing-api"),
            }],
        },
        "revisions": [
            {"images": {"api": "123456789012.dkr.ecr.us-east-1.amazonaws.com/billing-api:3.3.2"}},
            {"images": {"api": "123456789012.dkr.ecr.us-east-1.amazonaws.com/billing-api:3.4.0"}},
        ],
    },
    "legacy-batch": {
        "tags": {"owner": "nobody@example.com", "team": "data"},
        "base": {
            "networkMode": "bridge",
            "requiresCompatibilities": ["EC2"],
            "containerDefinitions": [{
                "name": "batch",
                "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/legacy-batch:0.9",
                "memory": 1024,
                "essential": True,
                "user": "batch",
            }],
        },
        "revisions": [
            {"images": {"batch": "123456789012.dkr.ecr.us-east-1.amazonaws.com/legacy-batch:0.9"}},
            {"images": {"batch": "123456789012.dkr.ecr.us-east-1.amazonaws.com/legacy-batch:1.0"},
             "set": {"batch": {"privileged": True}}},
        ],
    },
    "reporting": {
        "tags": {"owner": "François Lefèvre", "team": "équipe-données", "service": "reporting"},
        "base": {
            "networkMode": "bridge",
            "requiresCompatibilities": ["EC2"],
            "containerDefinitions": [{
                "name": "reporter",
                "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/reporting:5.1",
                "memory": 768,
                "essential": True,
                "privileged": True,
                "environment": [{"name": "REPORT_TITLE", "value": "Données mensuelles — été"}],
            }],
        },
        "revisions": [
            {"images": {"reporter": "123456789012.dkr.ecr.us-east-1.amazonaws.com/reporting:5.1"}},
            {"images": {"reporter": "123456789012.dkr.ecr.us-east-1.amazonaws.com/reporting:5.2"},
             "set": {"reporter": {"privileged": False, "user": "1000"}}},
        ],
    },
    "payments-api": {
        "tags": {"owner": "Zoë Ødegård", "team": "payments", "service": "payments"},
        "base": {
            "networkMode": "bridge",
            "requiresCompatibilities": ["EC2"],
            "containerDefinitions": [{
                "name": "payments",
                "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/payments:7.0.0",
                "memory": 512,
                "essential": True,
                "user": "1000",
                "privileged": True,
                "portMappings": [{"containerPort": 8080, "hostPort": 0, "protocol": "tcp"}],
            }],
        },
        "revisions": [
            {"images": {"payments": "123456789012.dkr.ecr.us-east-1.amazonaws.com/payments:6.9.1"}},
            {"images": {"payments": "123456789012.dkr.ecr.us-east-1.amazonaws.com/payments:7.0.0"}},
        ],
    },
    "grafana": {
        "tags": {"owner": "François Lefèvre", "team": "observability"},
        "base": {
            "networkMode": "bridge",
            "requiresCompatibilities": ["EC2"],
            "containerDefinitions": [{
                "name": "grafana",
                "image": "grafana/grafana:10.4.2",
                "memory": 512,
                "essential": True,
                "user": "472",
                "portMappings": [{"containerPort": 3000, "hostPort": 0, "protocol": "tcp"}],
            }],
        },
        "revisions": [{"images": {"grafana": "grafana/grafana:10.4.2"}}],
    },
}

# What ECS.4 / ECS.17 / ECS.20 say about each family's latest ACTIVE revision.
EXPECT = {
    "monitoring-agent": {"ECS.4": "FAILED", "ECS.17": "FAILED", "ECS.20": "FAILED"},
    "web-storefront": {"ECS.4": "FAILED", "ECS.17": "PASSED", "ECS.20": "PASSED"},
    "ci-runner": {"ECS.4": "FAILED", "ECS.17": "PASSED", "ECS.20": "FAILED"},
    "billing-api": {"ECS.4": "PASSED", "ECS.17": "PASSED", "ECS.20": "PASSED"},
    "legacy-batch": {"ECS.4": "FAILED", "ECS.17": "PASSED", "ECS.20": "PASSED"},
    "reporting": {"ECS.4": "PASSED", "ECS.17": "PASSED", "ECS.20": "PASSED"},
    "payments-api": {"ECS.4": "FAILED", "ECS.17": "PASSED", "ECS.20": "PASSED"},
    "grafana": {"ECS.4": "PASSED", "ECS.17": "PASSED", "ECS.20": "PASSED"},
}

# Services. "network": awsvpc networkConfiguration (symbolic subnet/SG names from NETWORK).
SERVICES = [
    {"cluster": "prod-eu", "name": "monitoring-agent", "taskDefinition": "monitoring-agent:3",
     "schedulingStrategy": "DAEMON", "desiredCount": 6, "launchType": "EC2",
     "tags": {"owner": "Zoë Ødegård", "team": "observability"}},
    {"cluster": "staging", "name": "monitoring-agent", "taskDefinition": "monitoring-agent:3",
     "schedulingStrategy": "DAEMON", "desiredCount": 2, "launchType": "EC2",
     "tags": {"owner": "Zoë Ødegård", "team": "observability"}},
    {"cluster": "prod-eu", "name": "storefront", "taskDefinition": "web-storefront:4",
     "desiredCount": 3, "launchType": "EC2",
     "network": {"subnets": ["private-a", "private-b"], "securityGroups": ["storefront"]},
     "tags": {"owner": "Zoë Ødegård", "team": "storefront"}},
    {"cluster": "staging", "name": "storefront", "taskDefinition": "web-storefront:4",
     "desiredCount": 1, "launchType": "EC2",
     "network": {"subnets": ["private-a"], "securityGroups": ["storefront"]},
     "tags": {"owner": "Zoë Ødegård", "team": "storefront"}},
    {"cluster": "ci", "name": "gitlab-runner", "taskDefinition": "ci-runner:2",
     "desiredCount": 2, "launchType": "EC2",
     "tags": {"owner": "Łukasz Wiśniewski", "team": "devex"}},
    {"cluster": "prod-eu", "name": "billing-api", "taskDefinition": "billing-api:2",
     "desiredCount": 2, "launchType": "FARGATE",
     "network": {"subnets": ["private-a", "private-b"], "securityGroups": ["billing"]},
     "tags": {"owner": "François Lefèvre", "team": "billing"}},
    {"cluster": "tools", "name": "reporting", "taskDefinition": "reporting:1",
     "desiredCount": 1, "launchType": "EC2",
     "tags": {"owner": "François Lefèvre", "team": "équipe-données"}},
    {"cluster": "prod-eu", "name": "payments", "taskDefinition": "payments-api:2",
     "desiredCount": 2, "launchType": "EC2", "deploymentController": "CODE_DEPLOY",
     "tags": {"owner": "Zoë Ødegård", "team": "payments"}},
    {"cluster": "tools", "name": "grafana", "taskDefinition": "grafana:1",
     "desiredCount": 1, "launchType": "EC2",
     "tags": {"owner": "François Lefèvre", "team": "observability"}},
]

# Services whose new revisions "fail their health checks" under scripts/rollout_sim.py (the
# circuit breaker rolls them back): CLUSTER/SERVICE.
ROLLOUT_FAILS = ["ci/gitlab-runner"]

CONTROL_TITLES = {
    "ECS.2": ("ECS services should not have public IP addresses assigned to them automatically",
              "HIGH", "AwsEcsService"),
    "ECS.4": ("ECS containers should run as non-privileged", "HIGH", "AwsEcsTaskDefinition"),
    "ECS.5": ("ECS containers should be limited to read-only access to root filesystems",
              "HIGH", "AwsEcsTaskDefinition"),
    "ECS.17": ("ECS task definitions should not use host network mode", "MEDIUM",
               "AwsEcsTaskDefinition"),
    "ECS.20": ("ECS Task Definitions should configure non-root users in Linux container "
               "definitions", "MEDIUM", "AwsEcsTaskDefinition"),
    "S3.1": ("S3 general purpose buckets should have block public access settings enabled",
             "MEDIUM", "AwsAccount"),
    "EC2.19": ("Security groups should not allow unrestricted access to ports with high risk",
               "CRITICAL", "AwsEc2SecurityGroup"),
}

# Findings ecsfix must ignore (other controls, other resource types, archived records).
# "resource" names: td:FAMILY:REV, svc:CLUSTER/NAME, sg:NAME, account.
NOISE_FINDINGS = [
    {"control": "S3.1", "resource": "account", "status": "FAILED"},
    {"control": "EC2.19", "resource": "sg:storefront", "status": "FAILED"},
    {"control": "ECS.2", "resource": "svc:prod-eu/storefront", "status": "FAILED"},
    {"control": "ECS.5", "resource": "td:monitoring-agent:3", "status": "FAILED"},
    {"control": "ECS.4", "resource": "td:monitoring-agent:2", "status": "FAILED",
     "record": "ARCHIVED"},
]
# The same check in the per-standard (consolidation off) form.
PER_STANDARD_FINDINGS = [
    {"control": "ECS.4", "resource": "td:ci-runner:2", "status": "FAILED"},
]

POLICIES = {
    "ecsfix-readonly": ["ecs:List*", "ecs:Describe*", "securityhub:GetFindings",
                        "sts:GetCallerIdentity"],
    "ecsfix-remediator": ["ecs:List*", "ecs:Describe*", "securityhub:GetFindings",
                          "sts:GetCallerIdentity", "ecs:RegisterTaskDefinition",
                          "ecs:UpdateService", "ecs:DeregisterTaskDefinition",
                          "ecs:TagResource", "iam:PassRole", "securityhub:BatchUpdateFindings"],
}


def latest_revision(family):
    """Number of the family's last revision (all registered revisions count)."""
    return len(FAMILIES[family]["revisions"])


def td_arn(region, family, rev):
    return "arn:aws:ecs:%s:%s:task-definition/%s:%d" % (region, ACCOUNT, family, rev)


def service_arn(region, cluster, name):
    return "arn:aws:ecs:%s:%s:service/%s/%s" % (region, ACCOUNT, cluster, name)


def revision_input(family, index):
    """The RegisterTaskDefinition input of revision index+1 of family."""
    spec = FAMILIES[family]
    doc = json.loads(json.dumps(spec["base"]))
    doc["family"] = family
    rev = spec["revisions"][index]
    for c in doc["containerDefinitions"]:
        if c["name"] in rev.get("images", {}):
            c["image"] = rev["images"][c["name"]]
        for k, v in rev.get("set", {}).get(c["name"], {}).items():
            c[k] = v
    doc["tags"] = [{"key": k, "value": v} for k, v in spec["tags"].items()]
    return doc


def _tags(d):
    return [{"key": k, "value": v} for k, v in d.items()]


class Seeder:
    def __init__(self, args):
        import boto3
        from botocore.config import Config

        self.args = args
        self.region = args.region
        self.requests = 0
        cfg = Config(retries={"max_attempts": 1}, connect_timeout=5, read_timeout=60)
        kw = dict(region_name=self.region, endpoint_url=args.endpoint_url, config=cfg)
        self.ecs = boto3.client("ecs", **kw)
        self.ec2 = boto3.client("ec2", **kw)
        self.iam = boto3.client("iam", **kw)
        self.sh = boto3.client("securityhub", **kw)
        self.sts = boto3.client("sts", **kw)
        for c in (self.ecs, self.ec2, self.iam, self.sh, self.sts):
            c.meta.events.register("before-send", self._count)
        self.subnets = {}
        self.sgs = {}

    def _count(self, **_):
        self.requests += 1

    def check_fresh(self):
        r = self.ecs.describe_clusters(clusters=[CLUSTERS[0]["name"]])
        if any(c.get("status") == "ACTIVE" for c in r.get("clusters", [])):
            sys.exit("seed_demo: the account is already seeded (cluster %s exists); "
                     "seed a fresh moto_server" % CLUSTERS[0]["name"])

    def network(self):
        vpc = self.ec2.create_vpc(CidrBlock=NETWORK["vpc"])["Vpc"]["VpcId"]
        self.ec2.create_tags(Resources=[vpc], Tags=[{"Key": "Name", "Value": "demo"}])
        for name, cidr in NETWORK["subnets"].items():
            self.subnets[name] = self.ec2.create_subnet(VpcId=vpc, CidrBlock=cidr)["Subnet"][
                "SubnetId"]
        for name, desc in NETWORK["security_groups"].items():
            self.sgs[name] = self.ec2.create_security_group(
                GroupName=name, Description=desc, VpcId=vpc)["GroupId"]

    def roles(self):
        trust = json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
            "Action": "sts:AssumeRole"}]})
        for r in ROLES:
            self.iam.create_role(RoleName=r, AssumeRolePolicyDocument=trust)

    def clusters(self, unicode_names):
        todo = CLUSTERS + ([UNICODE_CLUSTER] if unicode_names else [])
        for c in todo:
            self.ecs.create_cluster(clusterName=c["name"], tags=_tags(c["tags"]))
        return len(todo)

    def families(self):
        n = 0
        for family, spec in FAMILIES.items():
            for i in range(len(spec["revisions"])):
                self.ecs.register_task_definition(**revision_input(family, i))
                n += 1
            for i, rev in enumerate(spec["revisions"]):
                if rev.get("inactive"):
                    self.ecs.deregister_task_definition(taskDefinition="%s:%d" % (family, i + 1))
        return n

    def services(self, unicode_names):
        todo = SERVICES + ([UNICODE_SERVICE] if unicode_names else [])
        for s in todo:
            family, rev = s["taskDefinition"].rsplit(":", 1)
            kw = dict(cluster=s["cluster"], serviceName=s["name"],
                      taskDefinition=td_arn(self.region, family, int(rev)),
                      launchType=s["launchType"], tags=_tags(s["tags"]),
                      propagateTags="TASK_DEFINITION",
                      deploymentController={"type": s.get("deploymentController", "ECS")})
            if s.get("schedulingStrategy") == "DAEMON":
                kw["schedulingStrategy"] = "DAEMON"
            else:
                kw["desiredCount"] = s["desiredCount"]
            if "network" in s:
                kw["networkConfiguration"] = {"awsvpcConfiguration": {
                    "subnets": [self.subnets[n] for n in s["network"]["subnets"]],
                    "securityGroups": [self.sgs[n] for n in s["network"]["securityGroups"]],
                    "assignPublicIp": "DISABLED"}}
            self.ecs.create_service(**kw)
            # moto starts services with 0 running; an update of desiredCount makes
            # runningCount = desiredCount (tests/lib/MOTO-NOTES.md)
            self.ecs.update_service(cluster=s["cluster"], service=s["name"],
                                    desiredCount=s["desiredCount"])
        return len(todo)

    def _resource(self, ref):
        kind, _, rest = ref.partition(":")
        if kind == "td":
            family, rev = rest.rsplit(":", 1)
            return "AwsEcsTaskDefinition", td_arn(self.region, family, int(rev))
        if kind == "svc":
            cluster, name = rest.split("/", 1)
            return "AwsEcsService", service_arn(self.region, cluster, name)
        if kind == "sg":
            return ("AwsEc2SecurityGroup", "arn:aws:ec2:%s:%s:security-group/%s"
                    % (self.region, ACCOUNT, self.sgs[rest]))
        return "AwsAccount", "AWS::::Account:%s" % ACCOUNT

    def _finding(self, control, ref, status, record="ACTIVE", per_standard=False):
        title, severity, _ = CONTROL_TITLES[control]
        rtype, rid = self._resource(ref)
        fid = uuid.uuid5(NS, "%s|%s|%s" % (control, ref, per_standard))
        std = "aws-foundational-security-best-practices/v/1.0.0"
        f = {
            "SchemaVersion": "2018-10-08",
            "ProductArn": "arn:aws:securityhub:%s::product/aws/securityhub" % self.region,
            "ProductName": "Security Hub",
            "CompanyName": "AWS",
            "AwsAccountId": ACCOUNT,
            "Region": self.region,
            "Types": ["Software and Configuration Checks/Industry and Regulatory Standards"],
            "CreatedAt": TIME,
            "UpdatedAt": TIME,
            "FirstObservedAt": TIME,
            "LastObservedAt": TIME,
            "Severity": {"Label": severity if status == "FAILED" else "INFORMATIONAL",
                         "Original": severity},
            "Title": title,
            "Description": "Security Hub control %s: %s." % (control, title),
            "Resources": [{"Type": rtype, "Id": rid, "Partition": "aws",
                           "Region": self.region}],
            "Workflow": {"Status": "NEW" if status == "FAILED" else "RESOLVED"},
            "WorkflowState": "NEW" if status == "FAILED" else "RESOLVED",
            "RecordState": record,
        }
        if per_standard:
            f["Id"] = ("arn:aws:securityhub:%s:%s:subscription/%s/%s/finding/%s"
                       % (self.region, ACCOUNT, std, control, fid))
            f["GeneratorId"] = "%s/%s" % (std, control)
            f["Compliance"] = {"Status": status}
            f["ProductFields"] = {"StandardsArn": "arn:aws:securityhub:::standards/" + std,
                                  "ControlId": control, "Resources:0/Id": rid}
        else:
            f["Id"] = ("arn:aws:securityhub:%s:%s:security-control/%s/finding/%s"
                       % (self.region, ACCOUNT, control, fid))
            f["GeneratorId"] = "security-control/" + control
            f["Compliance"] = {"Status": status, "SecurityControlId": control,
                               "AssociatedStandards": [{"StandardsId": "standards/" + std}]}
            f["ProductFields"] = {
                "RelatedAWSResources:0/type": "AWS::Config::ConfigRule",
                "aws/securityhub/ProductName": "Security Hub",
                "Resources:0/Id": rid}
        return f

    def findings(self):
        self.sh.enable_security_hub(EnableDefaultStandards=True)
        out = []
        for family, checks in EXPECT.items():
            ref = "td:%s:%d" % (family, latest_revision(family))
            for control, status in checks.items():
                out.append(self._finding(control, ref, status))
        for n in NOISE_FINDINGS:
            out.append(self._finding(n["control"], n["resource"], n["status"],
                                     n.get("record", "ACTIVE")))
        for n in PER_STANDARD_FINDINGS:
            out.append(self._finding(n["control"], n["resource"], n["status"],
                                     per_standard=True))
        for i in range(0, len(out), 100):  # AWS takes at most 100 per call
            r = self.sh.batch_import_findings(Findings=out[i:i + 100])
            if r.get("FailedCount"):
                sys.exit("seed_demo: BatchImportFindings failed: %s" % r["FailedFindings"])
        return out

    def users(self, keys_out):
        keys = {}
        for user, actions in POLICIES.items():
            self.iam.create_user(UserName=user, Tags=[{"Key": "purpose", "Value": "ecsfix tests"}])
            doc = {"Version": "2012-10-17",
                   "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}
            self.iam.put_user_policy(UserName=user, PolicyName=user,
                                     PolicyDocument=json.dumps(doc))
            k = self.iam.create_access_key(UserName=user)["AccessKey"]
            keys[user] = {"AccessKeyId": k["AccessKeyId"], "SecretAccessKey": k["SecretAccessKey"]}
        if keys_out:
            fd = os.open(keys_out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w") as fh:
                json.dump(keys, fh, indent=2, sort_keys=True)
                fh.write("\n")
        return keys

    def pad(self, target):
        """Makes cheap requests until exactly target requests were sent (moto auth mode)."""
        if self.requests > target:
            sys.exit("seed_demo: made %d requests, more than --pad-requests-to %d: start moto "
                     "with a larger --auth count" % (self.requests, target))
        while self.requests < target:
            self.ecs.list_clusters()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--endpoint-url", default=os.environ.get("AWS_ENDPOINT_URL"),
                    help="moto_server URL (default: $AWS_ENDPOINT_URL)")
    ap.add_argument("--region", default=os.environ.get("AWS_REGION", "us-east-1"))
    ap.add_argument("--keys-out", metavar="FILE",
                    help="write the IAM users' access keys here as JSON (mode 0600)")
    ap.add_argument("--unicode-names", action="store_true",
                    help="also create a cluster and a service with non-ASCII names "
                         "(moto accepts them, AWS does not)")
    ap.add_argument("--pad-requests-to", type=int, metavar="N",
                    help="send filler requests until exactly N were sent, so moto's auth "
                         "mode (INITIAL_NO_AUTH_ACTION_COUNT=N) starts right after seeding")
    ap.add_argument("--force", action="store_true", help="allow a non-loopback endpoint")
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args()
    if not args.endpoint_url:
        sys.exit("seed_demo: no endpoint: pass --endpoint-url or set AWS_ENDPOINT_URL")
    host = urllib.parse.urlparse(args.endpoint_url).hostname or ""
    if host not in ("127.0.0.1", "localhost", "::1") and not args.force:
        sys.exit("seed_demo: refusing to seed %s: not a loopback address (--force)" % host)
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")

    from botocore.exceptions import BotoCoreError, ClientError

    s = Seeder(args)
    try:
        s.check_fresh()
        s.network()
        s.roles()
        nc = s.clusters(args.unicode_names)
        nt = s.families()
        ns = s.services(args.unicode_names)
        fs = s.findings()
        keys = s.users(args.keys_out)
        if args.pad_requests_to is not None:
            s.pad(args.pad_requests_to)
    except (BotoCoreError, ClientError) as e:
        sys.exit("seed_demo: %s" % e)
    if args.quiet:
        return
    failed = [f for f in fs if f["Compliance"]["Status"] == "FAILED"
              and f["RecordState"] == "ACTIVE"]
    print("seeded %s (region %s, account %s): %d clusters, %d families, %d task definition "
          "revisions, %d services, %d findings (%d FAILED), %d IAM users; %d requests"
          % (args.endpoint_url, args.region, ACCOUNT, nc, len(FAMILIES), nt, ns, len(fs),
             len(failed), len(keys), s.requests))
    print("  privileged: monitoring-agent (DAEMON, host), web-storefront:4 envoy sidecar "
          "(prod-eu + staging), ci-runner (dind), payments-api (CODE_DEPLOY),")
    print("              legacy-batch:2 (unused), reporting:1 (still run by tools/reporting; "
          "latest reporting:2 is clean)")
    print("  compliant:  billing-api (Fargate), grafana")
    if args.keys_out:
        print("  access keys of %s -> %s" % (", ".join(sorted(keys)), args.keys_out))


if __name__ == "__main__":
    main()
