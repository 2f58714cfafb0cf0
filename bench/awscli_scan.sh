#!/bin/sh
# awscli_scan.sh: the inventory `ecsfix scan` makes, done with the AWS CLI in a shell script
# (one `aws` process per call, sequential). Same calls as bench/boto3_scan.py. Needs aws, jq.
# Uses AWS_ENDPOINT_URL / AWS_REGION from the environment. Prints a one-line summary.
set -eu
command -v aws >/dev/null && command -v jq >/dev/null || {
	echo "awscli_scan: needs aws and jq" >&2
	exit 77
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

aws ecs list-clusters --page-size 100 --output json | jq -r '.clusterArns[]' >"$tmp/clusters"
# DescribeClusters by 100
split -l 100 "$tmp/clusters" "$tmp/cb."
for b in "$tmp"/cb.*; do
	[ -s "$b" ] || continue
	# shellcheck disable=SC2046
	aws ecs describe-clusters --clusters $(cat "$b") --output json >>"$tmp/clusters.json"
done
: >"$tmp/services.json"
while read -r c; do
	aws ecs list-services --cluster "$c" --page-size 100 --output json |
		jq -r '.serviceArns[]' >"$tmp/svc"
	rm -f "$tmp"/sb.*
	split -l 10 "$tmp/svc" "$tmp/sb."
	for b in "$tmp"/sb.*; do
		[ -s "$b" ] || continue
		# shellcheck disable=SC2046
		aws ecs describe-services --cluster "$c" --services $(cat "$b") --output json |
			jq -c '.services[]' >>"$tmp/services.json"
	done
done <"$tmp/clusters"
jq -r '.taskDefinition, (.deployments[]?.taskDefinition)' "$tmp/services.json" |
	awk 'NF && !seen[$0]++' >"$tmp/inuse"
: >"$tmp/described"
while read -r td; do
	aws ecs describe-task-definition --task-definition "$td" --include TAGS --output json |
		jq -c '.taskDefinition' >>"$tmp/described"
	echo "$td" >>"$tmp/seen"
done <"$tmp/inuse"
sed 's|.*/||; s|:[0-9]*$||' "$tmp/inuse" | sort -u >"$tmp/families"
aws ecs list-task-definitions --status ACTIVE --sort DESC --page-size 100 --output json |
	jq -r '.taskDefinitionArns[]' >"$tmp/active"
# latest ACTIVE revision per family in use
awk -F'[/:]' 'NR == FNR { need[$0] = 1; next }
	{ fam = $(NF-1); rev = $NF + 0 }
	(fam in need) && rev > best[fam] { best[fam] = rev; arn[fam] = $0 }
	END { for (f in arn) print arn[f] }' "$tmp/families" "$tmp/active" >"$tmp/latest"
while read -r td; do
	grep -qxF "$td" "$tmp/seen" && continue
	aws ecs describe-task-definition --task-definition "$td" --include TAGS --output json |
		jq -c '.taskDefinition' >>"$tmp/described"
done <"$tmp/latest"
filters='{"ComplianceSecurityControlId":[{"Value":"ECS.1","Comparison":"EQUALS"},{"Value":"ECS.4","Comparison":"EQUALS"},{"Value":"ECS.17","Comparison":"EQUALS"},{"Value":"ECS.20","Comparison":"EQUALS"}],"ResourceType":[{"Value":"AwsEcsTaskDefinition","Comparison":"EQUALS"},{"Value":"AwsEcsService","Comparison":"EQUALS"}],"RecordState":[{"Value":"ACTIVE","Comparison":"EQUALS"}]}'
aws securityhub get-findings --filters "$filters" --page-size 100 --output json |
	jq '[.Findings[] | select(.Compliance.SecurityControlId as $c |
		["ECS.1","ECS.4","ECS.17","ECS.20"] | index($c))] | length' >"$tmp/findings"
printf '{"clusters": %s, "services": %s, "taskDefinitions": %s, "findings": %s}\n' \
	"$(wc -l <"$tmp/clusters")" "$(wc -l <"$tmp/services.json")" \
	"$(wc -l <"$tmp/described")" "$(cat "$tmp/findings")"
