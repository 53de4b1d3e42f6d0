#!/usr/bin/env python3
"""Measurement (not a test): what refused public reports leave on disk.

Files N anonymous reports, each refused (an empty description) and each
carrying one photo no other report sent, against `linli serve` on its own
demo database, and prints the answers by status and the files and bytes
added under the upload folder. Then the same with the default budget of
anonymous writes, to show how many are turned away (429) before they are
read.

    bench/refused_reports.py [-n 1000] [--kib 64] LINLI [LINLI ...]

Each LINLI binary is measured in turn in the same run. Only ever talks to
127.0.0.1.
"""

import argparse
import http.client
import os
import struct
import subprocess
import sys
import tempfile
import zlib


def png(seed, kib):
    """A valid PNG of noise-like pixels, about kib KiB, unique per seed."""
    width = 256
    rows = max(1, kib * 1024 // (width * 3))
    raw = bytearray()
    x = seed * 2654435761 & 0xFFFFFFFF
    for _ in range(rows):
        raw.append(0)
        for _ in range(width * 3):
            x = (x * 1103515245 + 12345) & 0xFFFFFFFF
            raw.append(x >> 24)

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, rows, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(bytes(raw), 1)) + chunk(b"IEND", b""))


def start(linli, folder, env):
    db = f"sqlite:{folder}/bench.db"
    subprocess.run([linli, "demo", "--no-serve", "--no-history", "--db", db], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=folder)
    proc = subprocess.Popen([linli, "serve", "--db", db, "--listen", "127.0.0.1:0",
                             "--upload-dir", f"{folder}/uploads"], cwd=folder,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            env=dict(os.environ, **env))
    for line in proc.stdout:
        if "http://" in line:
            return proc, int(line.strip().rstrip("/").rsplit(":", 1)[1])
    raise SystemExit("linli serve did not start")


def disk(folder):
    files = size = 0
    for root, _, names in os.walk(folder):
        for name in names:
            files += 1
            size += os.path.getsize(os.path.join(root, name))
    return files, size


def run(linli, n, kib, env, label):
    with tempfile.TemporaryDirectory() as folder:
        os.makedirs(f"{folder}/uploads")
        proc, port = start(linli, folder, env)
        statuses, sent = {}, 0
        try:
            for i in range(n):
                photo = png(i + 1, kib)
                sent += len(photo)
                b = "----refused%d" % i
                body = (f"--{b}\r\nContent-Disposition: form-data; name=\"category\"\r\n\r\nrepair\r\n"
                        f"--{b}\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\n\r\n"
                        f"--{b}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"p.png\"\r\n"
                        f"Content-Type: image/png\r\n\r\n").encode() + photo + f"\r\n--{b}--\r\n".encode()
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                c.request("POST", "/report", body, {"Content-Type": f"multipart/form-data; boundary={b}"})
                status = c.getresponse().status
                statuses[status] = statuses.get(status, 0) + 1
                c.close()
        finally:
            proc.terminate()
            proc.wait()
        files, size = disk(f"{folder}/uploads")
        print(f"{label}: {n} refused reports, {sent / 1e6:.1f} MB of photos sent; answers "
              f"{dict(sorted(statuses.items()))}; written under uploads: {files} files, "
              f"{size} bytes")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--kib", type=int, default=64)
    ap.add_argument("linli", nargs="+")
    a = ap.parse_args()
    for linli in (os.path.abspath(x) for x in a.linli):
        run(linli, a.n, a.kib, {"LINLI_ANON_WRITE_LIMIT": "0"}, f"{linli} (no budget)")
        run(linli, a.n, a.kib, {}, f"{linli} (default budget)")


if __name__ == "__main__":
    sys.exit(main())
