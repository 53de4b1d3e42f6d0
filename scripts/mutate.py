#!/usr/bin/env python3
"""Mutation testing for linli: plant one realistic bug at a time and check
that the tests notice it.

    scripts/mutate.py [--list] [--keep-going] [ID-OR-PREFIX ...]

The mutations are data, in tests/mutations.txt (the format is described at
its top). Each one names a file, an exact snippet found there exactly once,
its replacement, the rule it breaks and the test programs that judge it.
This script copies the working tree into build-mutate/tree (only files whose
bytes changed, so the build stays incremental), checks that every judging
program passes on the unmutated copy, then for each mutation: writes the
bug, rebuilds with ninja, runs the judges one after the other until one
fails (killed) or all pass (survived), and puts the file back.

A snippet that no longer occurs, or occurs more than once, is reported as
stale; a mutation that does not compile as invalid. Both fail the run, as
does a score below the threshold set in the file. HTTP tests run on SQLite.
"""

import argparse
import concurrent.futures
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, "build-mutate")
DATA = os.path.join(ROOT, "tests", "mutations")


class Mutation:
    def __init__(self, ident, where):
        self.id = ident
        self.where = where  # file:line where it starts
        self.file = None
        self.rule = None
        self.find = None
        self.replace = None
        self.tests = None  # None: the cover table decides
        self.equivalent = None  # why it cannot change behaviour


def unescape(text):
    """\\n is a newline, \\t a tab and \\\\ a backslash in find/replace."""
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            n = text[i + 1]
            out.append({"n": "\n", "t": "\t", "\\": "\\"}.get(n, "\\" + n))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def parse(folder):
    """Reads every *.txt in folder, in name order. Returns (threshold, cover
    list of (prefix, tests), mutations)."""
    threshold, cover, muts = None, [], []
    paths = sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(".txt"))
    for path in paths:
        threshold = parse_file(path, threshold, cover, muts)
    if threshold is None:
        sys.exit(f"{folder}: no 'threshold' line")
    seen = set()
    for m in muts:
        for what in ("file", "rule", "find", "replace"):
            if getattr(m, what) is None:
                sys.exit(f"{m.where}: mutation {m.id} has no '{what}'")
        if m.id in seen:
            sys.exit(f"{m.where}: mutation {m.id} appears twice")
        seen.add(m.id)
        if m.find == m.replace:
            sys.exit(f"{m.where}: mutation {m.id} replaces a snippet with itself")
    return threshold, cover, muts


def parse_file(path, threshold, cover, muts):
    cur = None
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            key, _, rest = line.partition(" ")
            value = rest.strip()
            if key == "threshold":
                threshold = float(value)
            elif key == "cover":
                prefix, *tests = value.split()
                cover.append((prefix, tests))
            elif key == "mutation":
                cur = Mutation(value, f"{os.path.relpath(path, ROOT)}:{n}")
                muts.append(cur)
            elif cur is None:
                sys.exit(f"{path}:{n}: '{key}' outside a mutation")
            elif key == "file":
                cur.file = value
            elif key == "rule":
                cur.rule = value
            elif key == "find":
                cur.find = (cur.find + "\n" if cur.find is not None else "") + unescape(rest)
            elif key == "replace":
                cur.replace = (cur.replace + "\n" if cur.replace is not None else "") + unescape(rest)
            elif key == "tests":
                cur.tests = value.split()
            elif key == "equivalent":
                cur.equivalent = value
            else:
                sys.exit(f"{path}:{n}: unknown key '{key}'")
    return threshold


def judges(m, cover):
    if m.tests:
        return m.tests
    best = None
    for prefix, tests in cover:
        if m.file.startswith(prefix) and (best is None or len(prefix) > len(best[0])):
            best = (prefix, tests)
    return best[1] if best else []


class Tree:
    """One copy of the working tree with its own build, where one mutation
    at a time is planted (several with --jobs)."""

    def __init__(self, path):
        self.path = path
        self.build_dir = os.path.join(path, "build")
        self.log = open(os.path.join(path, "mutate.log"), "wb")

    def sync(self):
        """Copies the working tree's files (tracked and new, not ignored),
        writing only those whose bytes differ so ninja rebuilds little."""
        files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                               check=True, capture_output=True).stdout.decode().split("\0")
        for rel in files:
            if not rel or rel.startswith("tests/browser/node_modules/"):
                continue
            src, dst = os.path.join(ROOT, rel), os.path.join(self.path, rel)
            if not os.path.isfile(src):
                continue
            with open(src, "rb") as f:
                data = f.read()
            try:
                with open(dst, "rb") as f:
                    if f.read() == data:
                        continue
            except FileNotFoundError:
                os.makedirs(os.path.dirname(dst), exist_ok=True)
            with open(dst, "wb") as f:
                f.write(data)
            shutil.copymode(src, dst)

    def build(self, tests):
        """Builds the server and the given test programs only, so a
        half-edited test elsewhere does not spoil the verdict."""
        if not os.path.exists(os.path.join(self.build_dir, "build.ninja")):
            r = subprocess.run(["meson", "setup", self.build_dir, "--buildtype=debug"],
                               cwd=self.path, stdout=self.log, stderr=subprocess.STDOUT)
            if r.returncode:
                return False
        return subprocess.run(["ninja", "-C", self.build_dir, "linli"] +
                              [target(t) for t in tests], cwd=self.path, stdout=self.log,
                              stderr=subprocess.STDOUT).returncode == 0

    def program(self, name):
        p = os.path.join(self.build_dir, target(name))
        return p if os.access(p, os.X_OK) else None

    def run_test(self, name, timeout):
        """Runs one judging program; returns (passed, seconds)."""
        db = os.path.join(self.path, "test_db.sqlite")
        env = dict(os.environ, CMOCKA_MESSAGE_OUTPUT="TAP", LINLI_TEST_DB="sqlite:" + db,
                   LINLI_BIN=os.path.join(self.build_dir, "linli"))
        env.pop("LINLI_TEST_DB_URL", None)
        for suffix in ("", "-wal", "-shm"):
            try:
                os.unlink(db + suffix)
            except FileNotFoundError:
                pass
        start = time.monotonic()
        # Its own process group: a test that times out or dies leaves the
        # servers it started behind, and the group's kill takes them too.
        p = subprocess.Popen([self.program(name)], cwd=self.path, env=env,
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, start_new_session=True)
        try:
            out, _ = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            out = None
        finally:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if out is None:
            p.communicate()
            self.log.write(f"--- {name}: timed out after {timeout} s\n".encode())
            return False, time.monotonic() - start
        self.log.write(f"--- {name}: exit {p.returncode}\n".encode() + out)
        ok = p.returncode == 0 and not re.search(rb"^not ok", out, re.M)
        return ok, time.monotonic() - start

    def judge(self, m, tests, baseline):
        """Plants m, rebuilds, runs tests until one fails; puts the file
        back. Returns (verdict, the program that killed it)."""
        path = os.path.join(self.path, m.file)
        with open(path, encoding="utf-8") as f:
            original = f.read()
        self.log.write(f"=== {m.id}\n".encode())
        with open(path, "w", encoding="utf-8") as f:
            f.write(original.replace(m.find, m.replace, 1))
        try:
            if not self.build(tests):
                return "invalid", None
            for t in tests:
                ok, _ = self.run_test(t, int(max(60, 4 * baseline[t])))
                if not ok:
                    return "killed", t
            return "survived", None
        finally:
            with open(path, "w", encoding="utf-8") as f:
                f.write(original)
            self.log.flush()


def target(name):
    """The ninja target of a test program."""
    return f"tests/http/{name}" if name.startswith("http_") else f"tests/{name}"


def check_snippets(muts, cover, tree):
    """Splits muts into stale ones (with the reason) and runnable ones,
    looking at the files under tree."""
    stale, runnable = [], []
    for m in muts:
        path = os.path.join(tree, m.file)
        try:
            with open(path, encoding="utf-8") as f:
                count = f.read().count(m.find)
        except FileNotFoundError:
            count = -1
        if count != 1:
            why = "file is gone" if count < 0 else (
                "snippet not found" if count == 0 else f"snippet occurs {count} times")
            stale.append((m, why))
        elif not judges(m, cover):
            stale.append((m, "no test program covers this file"))
        else:
            runnable.append(m)
    return stale, runnable


def main():
    global WORK
    ap = argparse.ArgumentParser(description="plant one bug at a time and run the tests")
    ap.add_argument("only", nargs="*", help="mutation ids or id prefixes to run")
    ap.add_argument("--list", action="store_true", help="list the mutations and their judges")
    ap.add_argument("--check", action="store_true",
                    help="only check that every snippet occurs once (no build)")
    ap.add_argument("--data", default=DATA, help="the folder of mutation lists")
    ap.add_argument("--work", default=WORK, help="where the copies and their builds live")
    ap.add_argument("--jobs", "-j", type=int, default=int(os.environ.get("MUTATE_JOBS", "2")),
                    help="mutations judged at once, each in its own copy (default 2)")
    args = ap.parse_args()
    WORK = os.path.abspath(args.work)

    threshold, cover, muts = parse(args.data)
    if args.only:
        muts = [m for m in muts if any(m.id == o or m.id.startswith(o) for o in args.only)]
        if not muts:
            sys.exit("no mutation matches " + " ".join(args.only))
    if args.list:
        for m in muts:
            print(f"{m.id:32} {m.file:28} {' '.join(judges(m, cover))}\n{'':32} {m.rule}")
        return 0
    if args.check:
        stale, runnable = check_snippets(muts, cover, ROOT)
        for m, why in stale:
            print(f"stale: {m.id} ({m.where}, {m.file}): {why}")
        print(f"mutate: {len(runnable)} of {len(muts)} mutations apply")
        return 1 if stale else 0

    trees = []
    for j in range(max(1, args.jobs)):
        path = os.path.join(WORK, "tree" if j == 0 else f"tree-{j + 1}")
        os.makedirs(path, exist_ok=True)
        trees.append(Tree(path))
        trees[-1].sync()
    stale, runnable = check_snippets(muts, cover, trees[0].path)
    print(f"mutate: {len(muts)} mutations, {len(trees)} at a time; logs in "
          f"{os.path.join(WORK, 'tree*', 'mutate.log')}", flush=True)

    names = sorted({t for m in runnable for t in judges(m, cover)})
    for tree in trees:
        if not tree.build(names):
            sys.exit(f"mutate: the unmutated tree does not build (see {tree.path}/mutate.log)")
    missing = [t for t in names if not trees[0].program(t)]
    if missing:
        sys.exit("mutate: no such test program: " + " ".join(missing))
    baseline = {}
    for t in names:
        ok, secs = trees[0].run_test(t, 900)
        if not ok:
            sys.exit(f"mutate: {t} fails before any mutation (see {trees[0].path}/mutate.log)")
        baseline[t] = secs
    print("mutate: baseline passes: " +
          ", ".join(f"{t} {baseline[t]:.0f}s" for t in names), flush=True)

    killed, survived, invalid, equivalent_killed = [], [], [], []
    started = time.monotonic()
    free = queue.Queue()
    for tree in trees:
        free.put(tree)
    lock = threading.Lock()
    done = [0]

    def one(m):
        tree = free.get()
        try:
            verdict, by = tree.judge(m, judges(m, cover), baseline)
        finally:
            free.put(tree)
        with lock:
            done[0] += 1
            if verdict == "killed":
                killed.append(m)
                if m.equivalent:
                    equivalent_killed.append(m)
                tag = f"killed by {by}"
            elif verdict == "invalid":
                invalid.append(m)
                tag = "INVALID (does not build)"
            elif m.equivalent:
                tag = "survived (equivalent)"
            else:
                survived.append(m)
                tag = "SURVIVED"
            print(f"[{done[0]}/{len(runnable)}] {m.id}: {tag} — {m.rule}", flush=True)

    with concurrent.futures.ThreadPoolExecutor(len(trees)) as pool:
        list(pool.map(one, runnable))
    for tree in trees:
        tree.build(names)  # leave each copy built as it is
        tree.log.close()

    equivalents = [m for m in runnable if m.equivalent and m not in killed and m not in invalid]
    judged = len(killed) + len(survived)
    score = 100.0 * len(killed) / judged if judged else 0.0
    print(f"\nmutate: {len(killed)} killed, {len(survived)} survived, "
          f"{len(equivalents)} equivalent, {len(stale)} stale, {len(invalid)} invalid "
          f"in {time.monotonic() - started:.0f} s")
    for m in survived:
        print(f"  survived: {m.id} ({m.file}) — {m.rule}")
    for m, why in stale:
        print(f"  stale: {m.id} ({m.file}): {why}")
    for m in invalid:
        print(f"  invalid: {m.id} ({m.file}): does not build")
    for m in equivalent_killed:
        print(f"  note: {m.id} is marked equivalent but a test killed it; drop the mark")
    print(f"mutate: score {score:.1f}% (threshold {threshold:g}%)")
    return 0 if score >= threshold and not stale and not invalid else 1


if __name__ == "__main__":
    sys.exit(main())
