#!/usr/bin/env python3
"""What ci's private /dev/shm costs a run's start: `picovisor run --policy ci -- /bin/true`, with and without
`--shm-size none`, alternated, N times each (argument 1, default 100); argument 2 `nobody` runs them as nobody
(setpriv), where the namespace is a user namespace tried first in a child. Prints medians and minimums."""
import os
import statistics
import subprocess
import sys
import time

PV = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "picovisor")
n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
who = sys.argv[2] if len(sys.argv) > 2 else "caller"
pre = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if who == "nobody" else []
times = {"shm 64M": [], "shm none": []}
for _ in range(n):
    for name, extra in (("shm 64M", []), ("shm none", ["--shm-size", "none"])):
        t = time.perf_counter()
        subprocess.run(pre + [PV, "run", "--policy", "ci", *extra, "--", "/bin/true"], check=True, cwd="/tmp")
        times[name].append(time.perf_counter() - t)
for name, v in times.items():
    print(f"{who}: {name}: median {statistics.median(v) * 1e3:.2f} ms, min {min(v) * 1e3:.2f} ms")
