"""NT semantics checked against Windows (tests/nt/semantics_*.c, docs/nt.md "NT semantics checked against
Windows"): out-parameters in read-only memory, NULL buffers, delete-pending and delete-on-close, the read-only
attribute, a listing's final status, short buffers, a section handle's access, NtTerminateThread of another
thread. Each TAP program runs in a fresh directory as drive C:, under both Windows builds and under
--policy ci (as root and as nobody: the harness runs every group twice); every check must be ok, and exit 2
(the program's own setup failed) is a failure."""
import shutil

import nt_tests

h = None
PROGRAMS = ["semantics_io", "semantics_files", "semantics_rights"]
MODES = [(f"build {b}", ["--nt-build", b]) for b in nt_tests.BUILDS] + [("--policy ci", ["--quiet", "--policy", "ci"])]


def nt_semantics():
    if nt_tests.skipped_without_programs("semantics"):
        return
    for prog in PROGRAMS:
        for label, opts in MODES:
            d = nt_tests.scratch()
            try:
                r = nt_tests.run([h.pv(), "run"] + opts + ["--drive", f"C:={d}", "--", nt_tests.nt(prog + ".exe")], d)
            finally:
                shutil.rmtree(d, ignore_errors=True)
            name = f"nt semantics: {prog}.exe ({label})"
            if r is None:
                h.report(name, False, "  timed out")
                continue
            ok, why = nt_tests.tap_ok(r[0])
            h.report(name, ok and r[2] == 0, f"{why}\n  status {r[2]}\n  stderr: {r[1][-500:]}")


def groups(harness):
    global h
    h = harness
    return [nt_semantics]
