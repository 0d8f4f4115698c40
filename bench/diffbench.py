#!/usr/bin/env python3
"""Time `picovisor diff` on two traces of a million records each (bench/README.md, "diff").

The traces are built from one real trace (`picovisor trace` of `tar cf - /usr/include | cat`): its
records, then its syscall records over and over with their sequence numbers renewed, up to N records.
B is A with every 10000th read failing with EIO instead, so the diff has something to find.
Usage: bench/diffbench.py [PICOVISOR] [N]"""
import json
import os
import subprocess
import sys
import tempfile


def build(src_lines, out, n, perturb):
    start, body, end = src_lines[0], src_lines[1:-1], src_lines[-1]
    calls = [line for line in body if '"type":"syscall"' in line]
    seq, count, rounds, reads = 1, 1, 0, 0
    with open(out, "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write(start + "\n")
        while count < n - 1:
            for line in body if rounds == 0 else calls:
                if count >= n - 1:
                    break
                r = json.loads(line)
                seq += 1
                r["seq"] = seq
                if r.get("name") == "read" and r.get("ret", 0) > 0:
                    reads += 1
                    if perturb and reads % 10000 == 0:
                        r["ret"], r["err"] = -1, "EIO"
                f.write(json.dumps(r, separators=(",", ":"), ensure_ascii=False) + "\n")
                count += 1
            rounds += 1
        r = json.loads(end)
        r["seq"] = seq + 1
        f.write(json.dumps(r, separators=(",", ":")) + "\n")


def main():
    pv = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "picovisor")
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000000
    d = tempfile.mkdtemp(prefix="pv-diffbench-")
    src = os.path.join(d, "tar.jsonl")
    subprocess.run([pv, "trace", "-o", src, "--", "sh", "-c", "tar cf - /usr/include | cat >/dev/null"], check=True)
    lines = open(src, encoding="utf-8", errors="surrogateescape").read().splitlines()
    a, b = os.path.join(d, "a.jsonl"), os.path.join(d, "b.jsonl")
    build(lines, a, n, False)
    build(lines, b, n, True)
    print(f"{n} records each, {os.path.getsize(a) >> 20} MiB each")
    r = subprocess.run(["/usr/bin/time", "-f", "%e s elapsed, %U s user, %S s system, %M KiB peak", pv, "diff", a, b],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    print(f"picovisor diff: exit {r.returncode}; {r.stderr.strip()}")
    for p in (src, a, b):
        os.unlink(p)
    os.rmdir(d)


if __name__ == "__main__":
    main()
