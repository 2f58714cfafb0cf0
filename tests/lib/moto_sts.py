#!/usr/bin/env python3
"""moto_sts.py: starts moto_server on a free loopback port with IAM authentication on
(INITIAL_NO_AUTH_ACTION_COUNT), creates an IAM user with an access key, a policy that
allows sts:AssumeRole, and a role that trusts the account, then prints one line:
"URL ACCESS_KEY_ID SECRET_ACCESS_KEY ROLE_ARN MOTO_PID" and exits (moto keeps running;
the caller kills MOTO_PID). Exits 77 when moto or boto3 is missing.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import time

try:
    import boto3
except ImportError:
    sys.exit(77)

if shutil.which("moto_server") is None:
    sys.exit(77)

sock = socket.socket()
sock.bind(("127.0.0.1", 0))
port = sock.getsockname()[1]
sock.close()
# the five setup calls below are the unauthenticated ones
env = dict(os.environ, INITIAL_NO_AUTH_ACTION_COUNT="5")
proc = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)], env=env,
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                        start_new_session=True)
url = "http://127.0.0.1:%d" % port
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", port), 0.2).close()
        break
    except OSError:
        time.sleep(0.1)
else:
    proc.kill()
    sys.exit(1)
try:
    kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="setup",
              aws_secret_access_key="setup")
    iam = boto3.client("iam", **kw)
    iam.create_user(UserName="ecsfix-test")
    key = iam.create_access_key(UserName="ecsfix-test")["AccessKey"]
    trust = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
        "Action": "sts:AssumeRole"}]}
    role = iam.create_role(RoleName="ecsfix-role",
                           AssumeRolePolicyDocument=json.dumps(trust))["Role"]
    iam.put_user_policy(UserName="ecsfix-test", PolicyName="assume", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": ["sts:AssumeRole", "sts:GetCallerIdentity"],
            "Resource": "*"}]}))
except Exception as exc:  # a setup failure must not leave moto behind
    proc.kill()
    print("moto setup failed: %s" % exc, file=sys.stderr)
    sys.exit(1)
print(url, key["AccessKeyId"], key["SecretAccessKey"], role["Arn"], proc.pid, flush=True)
