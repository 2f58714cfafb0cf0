#!/usr/bin/env python3
"""check_output.py: fails when a file holds what a terminal would act on.

Usage: check_output.py [--json] [--want TEXT] FILE...
  Each FILE must be valid UTF-8 without C0 controls (other than newline and tab), DEL, C1
  controls (U+0080..U+009F) or bidi overrides. --json: each FILE must also be one JSON
  document. --want TEXT: TEXT must appear in at least one FILE (proof that the hostile text
  reached the output, shown visibly).
"""
import json
import sys


def main():
    args, want, as_json, bad = sys.argv[1:], None, False, 0
    if "--json" in args:
        as_json = True
        args.remove("--json")
    if "--want" in args:
        i = args.index("--want")
        want = args[i + 1]
        del args[i:i + 2]
    seen = False
    for path in args:
        data = open(path, "rb").read()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            print("%s: invalid UTF-8 at byte %d: %r" % (path, e.start, data[e.start:e.start + 8]))
            bad += 1
            continue
        for i, ch in enumerate(text):
            c = ord(ch)
            if (c < 0x20 and ch not in "\n\t") or 0x7F <= c <= 0x9F or 0x202A <= c <= 0x202E \
                    or 0x2066 <= c <= 0x2069:
                print("%s: raw U+%04X at character %d: %r" % (path, c, i, text[max(0, i - 30):i + 10]))
                bad += 1
                break
        if as_json:
            try:
                json.loads(text)
            except ValueError as e:
                print("%s: not JSON: %s" % (path, e))
                bad += 1
        if want is not None and want in text:
            seen = True
    if want is not None and not seen:
        print("%r appears in none of %s" % (want, " ".join(args)))
        bad += 1
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
