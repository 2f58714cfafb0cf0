#!/usr/bin/env python3
"""md_check.py: renders a Markdown file with Python-Markdown (tables, fenced code) and prints
what came out as JSON: {"headings": [[level, text]], "tables": [[[cell, ...], ...]],
"code": [[class, text]], "lists": n, "text": all text}. Exits 77 when the markdown module is
missing (python3-markdown)."""
import html.parser
import json
import sys

try:
    import markdown
except ImportError:
    print("SKIP: python3-markdown is not installed")
    sys.exit(77)


class Walk(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.out = {"headings": [], "tables": [], "code": [], "lists": 0, "text": ""}
        self.stack = []
        self.buf = None
        self.row = None

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        if tag in ("h1", "h2", "h3", "td", "th", "code"):
            self.buf = ""
        if tag == "table":
            self.out["tables"].append([])
        if tag == "tr":
            self.row = []
        if tag == "code":
            self.code_class = dict(attrs).get("class", "")
        if tag in ("ul", "ol"):
            self.out["lists"] += 1

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
        if tag in ("h1", "h2", "h3"):
            self.out["headings"].append([int(tag[1]), self.buf])
            self.buf = None
        elif tag in ("td", "th"):
            self.row.append(self.buf)
            self.buf = None
        elif tag == "tr":
            self.out["tables"][-1].append(self.row)
        elif tag == "code" and "pre" in self.stack:
            self.out["code"].append([self.code_class, self.buf])
            self.buf = None

    def handle_data(self, data):
        self.out["text"] += data
        if self.buf is not None:
            self.buf += data


text = open(sys.argv[1], encoding="utf-8").read()
w = Walk()
w.feed(markdown.markdown(text, extensions=["tables", "fenced_code"]))
json.dump(w.out, sys.stdout, ensure_ascii=False)
