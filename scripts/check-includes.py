#!/usr/bin/env python3
"""The doors between floors and features, checked on every #include "...":

- base/ includes only base/; db/ only base/ and db/; web/ and notify/ only
  those below them; schedule/ and roster/ (the optimisers) only base/;
- a feature includes another feature only through its public header,
  <feature>/<feature>.h, and never cli/ (the command line sits above);
- an include is written relative to its file ("x.h", "../base/x.h"),
  never rooted at src/ ("base/x.h"), so there is one way to write each.

Prints TAP (one test per source folder). Known exceptions are listed in
tests/include-exceptions.txt, each with its reason, until the code that
needs them moves; a listed exception that no longer occurs fails too, so
the list only shrinks.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOWER = {"base": {"base"}, "db": {"base", "db"}, "web": {"base", "db", "web"},
         "notify": {"base", "db", "notify"}, "schedule": {"base", "schedule"},
         "roster": {"base", "roster"}}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def violations(src):
    """Yields (folder, "file included", line number text) for each door broken."""
    folders = sorted(d for d in os.listdir(src) if os.path.isdir(os.path.join(src, d)))
    features = [d for d in folders if d not in LOWER and d != "cli"]
    for d in folders:
        for root, _, files in os.walk(os.path.join(src, d)):
            for f in sorted(files):
                if not f.endswith((".c", ".h")):
                    continue
                path = os.path.join(root, f)
                rel = os.path.relpath(path, ROOT)
                with open(path, encoding="utf-8", errors="replace") as fh:
                    for n, line in enumerate(fh, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        # One way to write an include: relative to the
                        # file ("x.h", "../base/x.h"), never rooted at src/.
                        if "/" in m.group(1) and not m.group(1).startswith("../"):
                            yield d, rel, m.group(1) + " (write it relative: ../...)", n
                            continue
                        t = os.path.normpath(os.path.join(root, m.group(1)))
                        if not os.path.exists(t):
                            t = os.path.normpath(os.path.join(src, m.group(1)))
                        parts = os.path.relpath(t, src).split(os.sep)
                        if len(parts) < 2 or parts[0].startswith(".."):
                            continue
                        to, target = parts[0], "/".join(parts)
                        bad = ((d in LOWER and to not in LOWER[d]) or
                               (d in features and to == "cli") or
                               (d in features and to in features and to != d and
                                parts[-1] != to + ".h"))
                        if bad:
                            yield d, rel, target, n


def main():
    src = os.path.join(ROOT, "src")
    listed = {}
    with open(os.path.join(ROOT, "tests", "include-exceptions.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                path, target = line.split()
                listed[(path, target)] = False
    folders = sorted(d for d in os.listdir(src) if os.path.isdir(os.path.join(src, d)))
    found = {d: [] for d in folders}
    for d, rel, target, n in violations(src):
        if (rel, target) in listed:
            listed[(rel, target)] = True
        else:
            found[d].append(f"{rel}:{n} includes {target}")
    print(f"1..{len(folders) + 1}")
    failed = 0
    for i, d in enumerate(folders, 1):
        if found[d]:
            failed = 1
            print(f"not ok {i} - src/{d}/ reaches through a door it may not use")
            for v in found[d]:
                print(f"# {v}")
        else:
            print(f"ok {i} - src/{d}/ includes only what its floor may")
    gone = [k for k, seen in listed.items() if not seen]
    if gone:
        failed = 1
        print(f"not ok {len(folders) + 1} - exceptions that no longer occur: remove them "
              "from tests/include-exceptions.txt")
        for path, target in gone:
            print(f"# {path} {target}")
    else:
        print(f"ok {len(folders) + 1} - {len(listed)} listed exceptions, each still needed")
    return failed


if __name__ == "__main__":
    sys.exit(main())
