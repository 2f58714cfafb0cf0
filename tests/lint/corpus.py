#!/usr/bin/env python3
"""corpus.py: 'ecsfix lint' on the real-world corpus (tests/data/lint/realworld): each file's
exit code and verdicts (or the refusal naming what it is) as listed in realworld.expected,
checked by hand against the files; --fix on each failing file changes only the values it fixes.

Usage: corpus.py ECSFIX DATA_DIR EXPECTED"""
import collections
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ecsfix, data, expected_path = sys.argv[1:4]
checks = 0
fails = 0


def fail(what):
    global fails
    fails += 1
    print("FAIL: " + what)


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        fail(what)


def run(args, cwd):
    p = subprocess.run([ecsfix] + args, cwd=cwd, capture_output=True, text=True,
                       env=dict(os.environ, LC_ALL="C.UTF-8"))
    return p.returncode, p.stdout, p.stderr


layout = []  # (tf file, path it loads, corpus file)
expected = []  # (file, exit, tokens or "refused: ...")
with open(expected_path, encoding="utf-8") as f:
    for line in f:
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if parts[0] == "@load":
            layout.append((parts[1], parts[2], parts[3]))
        else:
            expected.append((parts[0], int(parts[1]), parts[2] if len(parts) > 2 else ""))

corpus = sorted(os.listdir(os.path.join(data, "files")))
check(sorted(e[0] for e in expected) == corpus,
      "realworld.expected lists every corpus file once")


def lay_out(dest):
    for name in corpus:
        shutil.copy(os.path.join(data, "files", name), dest)
    for tf, path, src in layout:
        target = os.path.join(dest, path)
        os.makedirs(os.path.dirname(target) or dest, exist_ok=True)
        shutil.copy(os.path.join(data, "files", src), target)


def words(lines):
    return re.findall(r"[A-Za-z0-9_.-]+", "\n".join(lines))


def tokens(doc, linted):
    out = []
    for f in doc["files"]:
        for x in f.get("findings", []):
            if not x["decides"] and x["status"] != "UNKNOWN":
                continue
            t = "%s:%s:%d" % (x["control"], x["status"], x["line"])
            if x.get("resource"):
                t += "@" + x["resource"]
            if f["file"] != linted:
                t = os.path.basename(f["file"]) + ">" + t
            out.append(t)
        if "error" in f and f["file"] != linted:
            out.append(os.path.basename(f["file"]) + ">refused")
    return " ".join(sorted(out))


tmp = tempfile.mkdtemp(prefix="ecsfix-corpus.")
try:
    lay_out(tmp)
    checked = refused = 0
    for name, want_rc, want in expected:
        rc, out, err = run(["lint", name], tmp)
        check(rc == want_rc, "%s: exit %d, expected %d (%s)" % (name, rc, want_rc, err.strip()))
        if want.startswith("refused: "):
            refused += 1
            first = err.splitlines()[0] if err else ""
            check(first.startswith("ecsfix: %s: %s" % (name, want[9:])),
                  "%s: refusal %r, expected %r" % (name, first, want[9:]))
            check("Traceback" not in err and "Sanitizer" not in err, name + ": a crash")
            continue
        checked += 1
        rc, out, err = run(["lint", "--output", "json", name], tmp)
        got = tokens(json.loads(out), name)
        rc2, out2, err2 = run(["lint", "--output", "sarif", name], tmp)
        sarif = json.loads(out2)
        check(sarif["version"] == "2.1.0" and all(
            r["locations"][0]["physicalLocation"]["region"]["startLine"] > 0
            for r in sarif["runs"][0]["results"]), name + ": SARIF without lines")
        rc2, out2, err2 = run(["lint", "--output", "github", name], tmp)
        check(all(re.match(r"::(error|warning|notice) file=[^,:]+(,line=[0-9]+)?,title=[^:]+::.",
                           ln) for ln in out2.splitlines()), name + ": github " + out2[:200])
        check(got == " ".join(sorted(want.split())),
              "%s: verdicts\n    got  %s\n    want %s" % (name, got, want))
    print("corpus: %d checked, %d refused" % (checked, refused))

    # --fix changes only the values it fixes.
    managed = re.compile(r"[Pp]rivileged|[Nn]etworkMode|network_mode|[Uu]ser\"?\s*[:=]|"
                         r"[Hh]ostPort|[Ll]inks|[Hh]ostname|[Ee]xtraHosts")
    added = {"false", "awsvpc", "1000", "user", "User", "networkMode", "NetworkMode",
             "network_mode"}
    for name, want_rc, want in expected:
        if want_rc != 1:
            continue
        d = tempfile.mkdtemp(dir=tmp)
        lay_out(d)
        before = open(os.path.join(d, name), "rb").read()
        rc, out, err = run(["lint", "--fix", "--output", "json", name], d)
        after = open(os.path.join(d, name), "rb").read()
        check(rc in (0, 1), "%s: --fix exit %d (%s)" % (name, rc, err.strip()))
        fixes = [x for f in json.loads(out)["files"] if f["file"] == name
                 for x in f.get("fixes", [])]
        lines = before.decode().split("\n")
        for x in fixes:
            ln = x["line"] - 1
            lines[ln] = re.sub(r"\btrue\b", "false", lines[ln], count=1)
        check("\n".join(lines).encode() == after,
              "%s: plain --fix changed more than privileged true -> false" % name)
        # with the options: only the keys it manages, and nothing deciding fails after
        shutil.copy(os.path.join(data, "files", name), os.path.join(d, name))
        rc, out, err = run(["lint", "--fix", "--user", "1000", "--network-mode", "awsvpc",
                            name], d)
        after = open(os.path.join(d, name), "rb").read()
        if rc == 2:
            check(("requires EXTERNAL" in err or "template directive" in err) and
                  after == before, "%s: --fix --user --network-mode: %s" % (name, err.strip()))
            continue
        if "--fix does not apply" in out:
            check(after == before and "terraform-plan" in run(["lint", "--output", "json",
                                                               name], d)[1],
                  name + ": --fix refused on something that is not a Terraform plan")
            continue
        rc2, out2, err2 = run(["lint", "--output", "json", name], d)
        left = [x for f in json.loads(out2)["files"] for x in f.get("findings", [])
                if x["decides"]]
        check(rc2 == 0 and not left,
              "%s: still failing after --fix --user --network-mode: %s" % (name, left))
        old = before.decode().split("\n")
        new = after.decode().split("\n")
        for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, old, new,
                                                          autojunk=False).get_opcodes():
            if op == "equal":
                continue
            # words only (punctuation and layout may move): what goes must be a managed
            # key's line, what comes a managed key or value
            gone = collections.Counter(words(old[a1:a2])) - collections.Counter(words(new[b1:b2]))
            came = collections.Counter(words(new[b1:b2])) - collections.Counter(words(old[a1:a2]))
            may_go = set(words(old[a1:a2])) if any(managed.search(ln)
                                                   for ln in old[a1:a2]) else set()
            check(set(came) <= added and set(gone) <= may_go,
                  "%s: --fix changed what it does not manage: -%s +%s" %
                  (name, sorted(set(gone) - may_go), sorted(set(came) - added)))
finally:
    shutil.rmtree(tmp)
print("%d passed, %d failed" % (checks - fails, fails))
sys.exit(1 if fails else 0)
