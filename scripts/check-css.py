#!/usr/bin/env python3
"""The stylesheets' blocks close where they should. A merge that drops one
"}" of an @media block (print, say) leaves every rule after it inside that
block: the pages below it lose their screen styles without any error, as
browsers accept the rest as nested rules. So, for each src/web/assets/*.css:

- the braces balance (comments and strings left out);
- a top-level rule never opens inside another block unless that block is
  an @media/@supports/@page/@font-face one and the rule is indented (our
  files indent the rules of an @media block with a tab, as clang-format
  does C), so an unindented selector at depth one is a block left open.

Prints TAP, one test per file."""
import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def problems(text):
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    text = re.sub(r'"(?:\\.|[^"\\])*"', '""', text)
    depth = 0
    for n, line in enumerate(text.split("\n"), 1):
        if depth > 0 and line.strip() and not line[0].isspace() and not line.startswith("}"):
            yield f"line {n}: a rule at the top level while a block is still open"
            depth = 0
        for ch in line:
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth < 0:
                    yield f"line {n}: a '}}' that closes nothing"
                    depth = 0
    if depth:
        yield f"end of file: {depth} block(s) left open"


def main():
    files = sorted(glob.glob(os.path.join(ROOT, "src", "web", "assets", "*.css")))
    print(f"1..{len(files)}")
    failed = 0
    for i, path in enumerate(files, 1):
        rel = os.path.relpath(path, ROOT)
        with open(path, encoding="utf-8") as f:
            found = list(problems(f.read()))
        if found:
            failed += 1
            print(f"not ok {i} - {rel}")
            for p in found:
                print(f"# {p}")
        else:
            print(f"ok {i} - {rel}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
