#!/bin/sh
# cred_process.sh: a credential_process for the tests. $1 picks the behaviour.
case $1 in
ok)
	printf '{"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "procsecret",\n'
	printf ' "SessionToken": "proctoken"}\n'
	;;
args)
	# prints its second argument as the key id: shows the quoting reached us intact
	printf '{"Version": 1, "AccessKeyId": "%s", "SecretAccessKey": "s"}\n' "$2"
	;;
fail)
	echo "boom: the token expired" >&2
	echo "second line" >&2
	exit 1
	;;
badjson)
	printf '{"Version": 1, "AccessKeyId": '
	;;
v2)
	printf '{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "B"}\n'
	;;
soon)
	# $2: counter file; credentials that expire in 60 s (inside the refresh window)
	n=$(($(cat "$2" 2>/dev/null || echo 0) + 1))
	echo $n >"$2"
	exp=$(date -u -d "@$(($(date +%s) + 60))" +%Y-%m-%dT%H:%M:%SZ)
	printf '{"Version": 1, "AccessKeyId": "AKIDSOON%s", "SecretAccessKey": "s%s",' $n $n
	printf ' "Expiration": "%s"}\n' "$exp"
	;;
*)
	echo "unknown mode $1" >&2
	exit 2
	;;
esac
