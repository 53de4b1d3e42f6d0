#!/usr/bin/env python3
"""Benchmark (not a test): slow clients against `linli serve` on loopback.

An attacker holds many connections from several 127.0.0.x addresses, each
sending one header byte every few seconds and opening a new one whenever
the server closes one. Meanwhile two readers ask for /healthz four times a
second on fresh connections: one from an address of its own, one sharing
the first attacked address (a colleague behind the same NAT). Prints each
reader's success rate (an answer within 5 s), how long the server took to
close an attacking connection, and how many it refused.

    bench/slowloris.py [--addresses 18] [--per-address 245] [--seconds 30]
                       [--env NAME=VALUE ...] LINLI [LINLI ...]

Each LINLI binary (e.g. main's build, then this one's) is measured in turn
in the same run, on its own demo database. Only ever talks to 127.0.0.1.
"""

import argparse
import os
import selectors
import socket
import subprocess
import sys
import tempfile
import threading
import time

TARGET = "127.0.0.1"


def start_server(linli, folder, env):
    db = f"sqlite:{folder}/bench.db"
    subprocess.run([linli, "demo", "--no-serve", "--no-history", "--db", db],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    full_env = dict(os.environ, **env)
    proc = subprocess.Popen([linli, "serve", "--db", db, "--listen", f"{TARGET}:0",
                             "--threads", "4"], stdout=subprocess.PIPE,
                            stderr=open(f"{folder}/server.log", "w"), env=full_env, text=True)
    for line in proc.stdout:
        if "http://" in line:
            port = int(line.strip().rstrip("/").rsplit(":", 1)[1])
            return proc, port
    raise SystemExit(f"{linli} did not start; see {folder}/server.log")


class Attacker:
    """Keeps `per_address` slow connections open from each address."""

    def __init__(self, port, addresses, per_address):
        self.port = port
        self.want = {a: per_address for a in addresses}
        self.sel = selectors.DefaultSelector()
        self.conns = {}  # socket -> [address, opened_at, next_byte_at, answered]
        self.held = {a: 0 for a in addresses}
        self.lifetimes = []  # seconds from open to the server's close, when it sent nothing
        self.refused = 0  # closed within 0.5 s of opening
        self.opened = 0

    def open_one(self, address):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        try:
            s.bind((address, 0))
            s.connect_ex((TARGET, self.port))
        except OSError:
            s.close()
            return
        self.sel.register(s, selectors.EVENT_READ)
        self.conns[s] = [address, time.monotonic(), time.monotonic() + 0.2, False]
        self.held[address] += 1
        self.opened += 1

    def drop(self, s, closed_by_server):
        address, opened_at, _, _ = self.conns.pop(s)
        self.held[address] -= 1
        self.sel.unregister(s)
        s.close()
        if closed_by_server:
            life = time.monotonic() - opened_at
            if life < 0.5:
                self.refused += 1
            else:
                self.lifetimes.append(life)

    def step(self, budget):
        """Tops up (at most budget new connections), sends the bytes due,
        notices closes."""
        for address, want in self.want.items():
            while self.held[address] < want and budget > 0:
                self.open_one(address)
                budget -= 1
        now = time.monotonic()
        for s, st in list(self.conns.items()):
            if now >= st[2]:
                msg = b"GET / HTTP/1.1\r\n" if not st[3] else b"X"
                try:
                    s.send(msg)
                    st[3] = True
                except BlockingIOError:
                    pass
                except OSError:
                    self.drop(s, True)
                    continue
                st[2] = now + 5.0
        for key, _ in self.sel.select(timeout=0.05):
            s = key.fileobj
            try:
                data = s.recv(4096)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            if not data:
                self.drop(s, True)

    def close_all(self):
        for s in list(self.conns):
            self.drop(s, False)


def reader(port, address, until, results):
    """One fresh connection to /healthz every 0.25 s; results gets
    (ok, seconds) for each."""
    while time.monotonic() < until:
        t0 = time.monotonic()
        ok = False
        try:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.settimeout(5)
            s.bind((address, 0))
            s.connect((TARGET, port))
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: linli\r\nConnection: close\r\n\r\n")
            got = b""
            while len(got) < 12:
                chunk = s.recv(1024)
                if not chunk:
                    break
                got += chunk
            ok = got.startswith(b"HTTP/1.1 200")
        except OSError:
            ok = False
        finally:
            s.close()
        results.append((ok, time.monotonic() - t0))
        time.sleep(max(0.0, 0.25 - (time.monotonic() - t0)))


def measure(linli, args, env):
    with tempfile.TemporaryDirectory(prefix="linli-slowloris.") as folder:
        proc, port = start_server(linli, folder, env)
        addresses = [f"127.0.0.{10 + i}" for i in range(args.addresses)]
        attacker = Attacker(port, addresses, args.per_address)
        ramp_end = time.monotonic() + 10
        while time.monotonic() < ramp_end:
            attacker.step(400)
        held_at_start = sum(attacker.held.values())
        until = time.monotonic() + args.seconds
        outsider, colleague = [], []
        threads = [threading.Thread(target=reader, args=(port, "127.0.0.250", until, outsider)),
                   threading.Thread(target=reader, args=(port, addresses[0], until, colleague))]
        for t in threads:
            t.start()
        while time.monotonic() < until:
            attacker.step(400)
        for t in threads:
            t.join()
        held_at_end = sum(attacker.held.values())
        attacker.close_all()
        proc.terminate()
        proc.wait()

    def rate(results):
        ok = sum(1 for r in results if r[0])
        return f"{ok}/{len(results)} ({100.0 * ok / max(1, len(results)):.0f}%)"

    lifetimes = sorted(attacker.lifetimes)
    print(f"{linli} {' '.join(f'{k}={v}' for k, v in env.items())}")
    print(f"  attacking connections open (client side): {held_at_start} after the ramp, "
          f"{held_at_end} at the end; opened {attacker.opened}, "
          f"closed at once (refused) {attacker.refused}")
    if lifetimes:
        mid = lifetimes[len(lifetimes) // 2]
        print(f"  closed by the server after: min {lifetimes[0]:.2f} s, median {mid:.2f} s, "
              f"max {lifetimes[-1]:.2f} s ({len(lifetimes)} connections)")
    else:
        print("  closed by the server after: none closed")
    print(f"  reader from its own address: {rate(outsider)}")
    print(f"  reader sharing {addresses[0]} with the attacker: {rate(colleague)}")
    sys.stdout.flush()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--addresses", type=int, default=18)
    p.add_argument("--per-address", type=int, default=245)
    p.add_argument("--seconds", type=float, default=30)
    p.add_argument("--env", action="append", default=[], help="NAME=VALUE for the server")
    p.add_argument("linli", nargs="+")
    args = p.parse_args()
    env = dict(e.split("=", 1) for e in args.env)
    for linli in args.linli:
        measure(linli, args, env)


if __name__ == "__main__":
    main()
