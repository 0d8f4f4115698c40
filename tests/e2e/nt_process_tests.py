"""End-to-end tests of kernel32's processes and process facts (imported by run.py, which passes itself as h):
the TAP program tests/nt/process.c under both Windows builds and under `--policy ci`, at the run's nice value
and niced further (GetPriorityClass follows the nice value); tests/nt/run-wine runs it under Wine."""
import os
import shutil

import nt_tests

h = None
MODES = [("build 19045", ["--nt-build", "19045"]), ("build 22631", ["--nt-build", "22631"]),
         ("--policy ci", ["--policy", "ci"])]


def priority_class(nice):
    """The Windows priority class picovisor reports for a Linux nice value."""
    return 0x40 if nice >= 15 else 0x4000 if nice > 0 else 0x20 if nice == 0 else 0x8000 if nice >= -10 else 0x80


def nt_process_program():
    if nt_tests.skipped_without_programs("process"):
        return
    base = os.nice(0)
    for (mode, extra), more in [(m, 0) for m in MODES] + [(MODES[0], 5), (MODES[0], 19 - base)]:
        def setup(d):
            shutil.copy2(nt_tests.nt("process.exe"), d)
        d = nt_tests.scratch(setup)
        try:
            nice = min(base + more, 19)
            r = nt_tests.run(["nice", "-n", str(more), h.pv(), "run", *extra, "--drive", f"C:={d}", "--",
                              "./process.exe"], d, env={"PV_WANT_PRIORITY": str(priority_class(nice))})
        finally:
            shutil.rmtree(d, ignore_errors=True)
        name = f"nt process.exe: ExpandEnvironmentStrings, GetThreadLocale, IsValidCodePage, GetPriorityClass " \
               f"at nice {nice} ({mode})"
        if r is None:
            h.report(name, False, "  timed out")
            continue
        ok, why = nt_tests.tap_ok(r[0])
        h.report(name, ok and r[2] == 0, f"{why}\n  status {r[2]}\n  stderr: {r[1][-500:]}")


def groups(harness):
    global h
    h = harness
    nt_tests.h = harness
    return [nt_process_program]
