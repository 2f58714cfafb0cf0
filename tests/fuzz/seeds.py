#!/usr/bin/env python3
"""seeds.py: builds the seed corpus of a fuzz target from the test data of the tree.

Usage: seeds.py TARGET OUTDIR [SRCDIR]
  TARGET: lint plan jsonpos xml config sigv4 scan_report
  Writes one file per seed into OUTDIR (created), from tests/data (the realworld corpus and
  task definitions included), tests/fuzz/seeds/TARGET/ (hand-written seeds, reproducers of
  fixed bugs) and, for targets whose first byte selects options, each seed with a few
  option bytes in front.
"""
import glob
import hashlib
import json
import os
import sys


def main():
    target, out = sys.argv[1], sys.argv[2]
    top = sys.argv[3] if len(sys.argv) > 3 else os.path.join(os.path.dirname(__file__), "..", "..")
    data = os.path.join(top, "tests", "data")
    os.makedirs(out, exist_ok=True)
    seeds = []

    def files(*patterns):
        for p in patterns:
            for f in sorted(glob.glob(os.path.join(data, p), recursive=True)):
                if os.path.isfile(f) and os.path.getsize(f) <= 1 << 20:
                    with open(f, "rb") as fh:
                        seeds.append(fh.read())

    json_files = ("**/*.json",)
    names = []  # lint: the option bits naming the file type, one per seed
    if target == "lint":
        kinds = ((".yaml", 0x20), (".yml", 0x20), (".tf", 0x40), (".jsonnet", 0x60), (".json", 0))
        for ext, bits in kinds:
            before = len(seeds)
            files("**/*" + ext)
            names += [bits] * (len(seeds) - before)
    elif target == "jsonpos":
        files(*json_files)
    elif target == "plan":
        files("**/*plan*.json")
    elif target == "scan_report":
        files("taskdefs/*.json", "**/*describe*.json", "**/*findings*.json")
    elif target == "sigv4":
        files("sigv4/**/*.req", "sigv4/**/request.txt")
    elif target == "config":
        for name in ("aws-config/config-file-parser-tests.json",
                     "aws-config/profile-parser-tests.json"):
            path = os.path.join(data, name)
            if not os.path.exists(path):
                continue
            for t in json.load(open(path, encoding="utf-8"))["tests"]:
                for k in ("configFile", "credentialsFile"):
                    v = t.get("input", {}).get(k)
                    if isinstance(v, str):
                        seeds.append((b"\x01" if k == "credentialsFile" else b"\x00") + v.encode())
        files("aws-config/*.ini", "aws-config/config*", "aws-config/credentials*")
    if target == "lint":  # first byte: the options and the file type
        seeds = [bytes([sel | bits]) + s for s, bits in zip(seeds, names)
                 for sel in (0x00, 0x01, 0x03, 0x05, 0x13, 0x0f)]
    # hand-written seeds and reproducers: used as they are (option byte included)
    own = os.path.join(top, "tests", "fuzz", "seeds", target)
    for f in sorted(glob.glob(os.path.join(own, "*"))):
        if os.path.isfile(f):
            with open(f, "rb") as fh:
                seeds.append(fh.read())
    n = 0
    for s in seeds:
        name = hashlib.sha1(s).hexdigest()
        with open(os.path.join(out, name), "wb") as fh:
            fh.write(s)
        n += 1
    print("%s: %d seeds" % (target, n))


if __name__ == "__main__":
    main()
