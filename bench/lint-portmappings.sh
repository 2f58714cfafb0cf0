#!/bin/sh
# bench/lint-portmappings.sh: 'lint --fix --network-mode awsvpc' on a host-mode task definition
# with N port mappings whose hostPort differs from containerPort (all removed). Prints seconds
# for N = 5000, 10000, 20000, 40000: linear work doubles with N. Usage: bench/lint-portmappings.sh [ECSFIX]
E=${1:-./ecsfix}
T=$(mktemp -d "${TMPDIR:-/tmp}/ecsfix-bench.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
for n in 5000 10000 20000 40000; do
	awk -v n="$n" 'BEGIN {
		printf "{\"family\": \"bench\", \"networkMode\": \"host\", \"containerDefinitions\": [\n"
		printf "  {\"name\": \"app\", \"image\": \"app\", \"user\": \"1000\", \"portMappings\": [\n"
		for (i = 0; i < n; i++)
			printf "    {\"containerPort\": %d, \"hostPort\": %d}%s\n", i + 1, i + 20001, i < n - 1 ? "," : ""
		printf "  ]}\n]}\n"
	}' >"$T/td.json"
	s=$(date +%s.%N)
	"$E" lint --fix --network-mode awsvpc "$T/td.json" >/dev/null
	rc=$?
	e=$(date +%s.%N)
	left=$(grep -c hostPort "$T/td.json")
	echo "$n port mappings: $(awk "BEGIN { printf \"%.2f\", $e - $s }") s (exit $rc, hostPort left: $left)"
done
