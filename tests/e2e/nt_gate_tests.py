"""The NT services ntdll serves in the process, through picovisor's gate (imported by run.py, which passes itself
as h; docs/nt.md, "Served in the process").

inproc.exe checks their answers against the supervisor's; a trace of its counting loop must show none of them
as a service (they made no stop), only the Linux calls of the gate the trace's filter saw. gate_escape.exe is the
hostile side: from the gate's syscall instruction, with its own registers, it tries Linux calls the personality
never lets an NT program make (write, execve, open, another process's CPU clock); each must come back as an NT
service's status with no Linux effect, under plain run and under --policy ci, in both Windows builds."""
import json
import os
import shutil

import nt_tests

h = None
IN_PROCESS = ("NtQueryPerformanceCounter", "NtQuerySystemTime", "NtYieldExecution", "NtDelayExecution")


def check(name, ok, detail=""):
    h.report(name, bool(ok), detail)


def nt_gate():
    if nt_tests.skipped_without_programs("gate"):
        return
    for build in nt_tests.BUILDS:
        for policy in ([], ["--policy", "ci", "--quiet"]):
            d = nt_tests.scratch()
            try:
                for prog in ("inproc", "gate_escape"):
                    r = nt_tests.run([h.pv(), "run", *policy, "--nt-build", build, "--drive", f"C:={d}", "--",
                                      nt_tests.nt(prog + ".exe")], d)
                    name = f"nt gate: {prog}.exe (build {build}{', ci' if policy else ''})"
                    if r is None:
                        check(name, False, "timed out")
                        continue
                    ok, why = nt_tests.tap_ok(r[0])
                    check(name, ok and r[2] == 0 and "GATE-ESCAPED" not in r[0] + r[1],
                          f"{why}\n  status {r[2]}\n  stdout: {r[0][-800:]}\n  stderr: {r[1][-400:]}")
            finally:
                shutil.rmtree(d, ignore_errors=True)
    d = nt_tests.scratch()
    try:
        out = os.path.join(d, "t.jsonl")
        r = nt_tests.run([h.pv(), "trace", "-o", out, "--", nt_tests.nt("inproc.exe"), "count", "200"], d)
        names = {}
        if r and os.path.exists(out):
            with open(out) as f:
                for line in f:
                    rec = json.loads(line)
                    if rec.get("type") == "syscall":
                        names[rec.get("name")] = names.get(rec.get("name"), 0) + 1
        stopped = {n: names[n] for n in IN_PROCESS if n in names}
        check("nt gate: 200 x each of the time, counter, yield and delay services, none a stop",
              r and r[2] == 0 and not stopped and names.get("sched_yield") == 200 and
              names.get("clock_nanosleep") == 200, (r, names))
    finally:
        shutil.rmtree(d, ignore_errors=True)


def groups(harness):
    global h
    h = harness
    return [nt_gate]
