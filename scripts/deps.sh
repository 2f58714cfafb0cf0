#!/usr/bin/env bash
# deps.sh: installs what building and testing ecsfix needs, on Debian, only what is missing.
set -euo pipefail
pkgs="build-essential autoconf automake libtool pkg-config libncurses-dev libcurl4-openssl-dev
libjson-c-dev libyaml-dev libssl-dev check tmux clang-format python3 python3-pip python3-markdown curl man-db"
missing=""
# clang: the libFuzzer targets of tests/fuzz (scripts/test.sh runs them)
pkgs="$pkgs clang"
for p in $pkgs; do
	dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq $missing >/dev/null
fi
# moto_server (the local AWS emulator) and boto3 (the demo seed) for the same python3
if ! command -v moto_server >/dev/null 2>&1 || ! python3 -c 'import boto3, moto' 2>/dev/null; then
	# the version tests/lib/MOTO-NOTES.md was checked against
	moto='moto[server]==5.2.1'
	echo "deps: installing moto_server (pip install '$moto')"
	python3 -m pip install --quiet "$moto" 2>/dev/null ||
		python3 -m pip install --quiet --break-system-packages "$moto"
fi
