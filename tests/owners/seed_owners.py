#!/usr/bin/env python3
"""seed_owners.py: a small account for the owner tests, against moto (never real AWS): cluster
"own" with four privileged services whose owners come from different places, and one Fargate
family. Usage: seed_owners.py ENDPOINT_URL."""
import sys

import boto3

url = sys.argv[1]
assert url.startswith("http://127.0.0.1:"), "loopback only"
ecs = boto3.client("ecs", endpoint_url=url, region_name="us-east-1")
ecs.create_cluster(clusterName="own")


def family(name, tags=None, fargate=False, image="nginx:1.27"):
    c = {"name": "app", "image": image, "memory": 256, "privileged": True}
    kw = {"family": name, "containerDefinitions": [c]}
    if fargate:
        kw.update(requiresCompatibilities=["FARGATE"], networkMode="awsvpc", cpu="256",
                  memory="512")
    if tags:
        kw["tags"] = [{"key": k, "value": v} for k, v in tags.items()]
    return ecs.register_task_definition(**kw)["taskDefinition"]["taskDefinitionArn"]


def service(name, td, tags=None):
    kw = {"cluster": "own", "serviceName": name, "taskDefinition": td, "desiredCount": 1,
          "launchType": "EC2"}
    if tags:
        kw["tags"] = [{"key": k, "value": v} for k, v in tags.items()]
    ecs.create_service(**kw)


# the revision's owner tag wins over the service's
service("s-tagged", family("tagged", {"owner": "alice", "squad": "red"}), {"team": "svc-team"})
# no tag on the revision: the service's team
service("s-untagged", family("untagged", {"env": "prod"}), {"team": "payments"})
# nothing anywhere (moto does not return registeredBy): no owner
service("s-bare", family("bare"))
# a Fargate family (only SYS_PTRACE may be added)
family("fg", {"owner": "alice"}, fargate=True)
