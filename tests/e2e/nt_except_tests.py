"""End-to-end tests of NT exceptions (imported by run.py, which passes itself as h).

except_faults.exe (TAP): hardware faults raised in the thread as NT exceptions, seen by vectored and
frame-based handlers with the fault's context and resumed with a changed one; except_hostile.exe (TAP):
NtContinue and NtRaiseException given hostile arguments; under both Windows builds and --policy ci. except_unhandled.exe MODE: how an exception nobody resumes ends the process (status, the
whole code in the report, the line on stderr), and a stack pointer that is garbage when the program faults
(the frame cannot be written: the process ends with the code, the supervisor lives on)."""
import json
import os
import shutil

import nt_dll_tests
import nt_tests

h = None

# mode: (exit status, text stderr must hold, text it must not hold, stdout, whole code for the report)
UNHANDLED = {
    "av": (0x05, "unhandled exception 0xc0000005 at 0x", None, "", "0xc0000005"),
    "div": (0x94, "unhandled exception 0xc0000094 at 0x", None, "", "0xc0000094"),
    "filter_exec": (0x05, None, "unhandled exception", "", "0xc0000005"),
    "filter_resume": (0, None, "unhandled exception", "resumed\n", None),
    "continue_resume": (0, None, "unhandled exception", "resumed\n", None),
    "noncontinuable": (0x25, "unhandled exception 0xc0000025", None, "", "0xc0000025"),
    "badstack": (0x05, "exception 0xc0000005 at 0x", "unhandled exception", "", "0xc0000005"),
    "rostack": (0x05, "cannot be delivered", None, "", "0xc0000005"),
    "noncanon": (0x05, "cannot be delivered", None, "", "0xc0000005"),
    "overflow": (0xFD, "exception 0xc00000fd", None, "", "0xc00000fd"),
    "thread_av": (0x05, "unhandled exception 0xc0000005 at 0x", None, "", "0xc0000005"),
    "fastfail": (0x09, "__fastfail(7)", "unhandled exception", "", "0xc0000409"),
}


def check(name, ok, detail=""):
    h.report(name, bool(ok), detail)


def nt_except_faults():
    if nt_tests.skipped_without_programs("exceptions"):
        return
    for (prog, what), (mode, extra) in [(p, m) for p in [("except_faults.exe", "faults as NT exceptions, handled and resumed"),
                                                          ("except_hostile.exe", "NtContinue and NtRaiseException given "
                                                           "bad pointers, IOPL 3, reserved MXCSR bits, 2^32-1 parameters")]
                                        for m in nt_dll_tests.MODES]:
        r = nt_dll_tests.run_in_c(prog, extra, dlls=[])
        name = f"nt {prog}: {what} ({mode})"
        if r is None:
            check(name, False, "  timed out")
            continue
        ok, why = nt_tests.tap_ok(r[0])
        check(name, ok and r[2] == 0 and r[1] == "", f"{why}\n  status {r[2]}\n  stderr: {r[1][-500:]}")


def nt_except_unhandled():
    if nt_tests.skipped_without_programs("unhandled exceptions"):
        return
    for mode, (status, err_has, err_lacks, out, code) in UNHANDLED.items():
        for label, extra in [("", ["--policy", "none"]), (" --policy ci", ["--policy", "ci"])]:
            d = nt_tests.scratch(lambda s: shutil.copy2(nt_tests.nt("except_unhandled.exe"), s))
            try:
                r = nt_tests.run([h.pv(), "run", *extra, "--report", "r.json", "--drive", f"C:={d}", "--",
                                  "./except_unhandled.exe", mode], d)
                try:
                    with open(os.path.join(d, "r.json")) as f:
                        report = json.load(f)
                except (OSError, ValueError):
                    report = {}
            finally:
                shutil.rmtree(d, ignore_errors=True)
            ok = (r is not None and r[2] == status and r[0] == out and (err_has is None or err_has in r[1])
                  and (err_lacks is None or err_lacks not in r[1]) and (code is None or report.get("nt_status") == code))
            check(f"nt except_unhandled.exe {mode}: status {status:#x}, report {code}{label}", ok,
                  f"  {r}\n  report nt_status {report.get('nt_status')}")


def nt_except_tiny_stack():
    """A program whose stack reserve is one page gets NT's 64 KiB: it runs, and a fault is dispatched above the
    guard page (before, the guard page was its whole stack: STATUS_STACK_OVERFLOW at its first instruction)."""
    if nt_tests.skipped_without_programs("a tiny stack"):
        return
    d = nt_tests.scratch(lambda s: shutil.copy2(nt_tests.nt("except_tiny_stack.exe"), s))
    try:
        r = nt_tests.run([h.pv(), "run", "--drive", f"C:={d}", "--", "./except_tiny_stack.exe", "av"], d)
    finally:
        shutil.rmtree(d, ignore_errors=True)
    check("nt a 4 KiB stack reserve: the program runs, its fault is dispatched (status 0x05, ntdll's line)",
          r is not None and r[2] == 0x05 and "unhandled exception 0xc0000005" in r[1], f"  {r}")


def groups(harness):
    global h
    h = harness
    nt_tests.h = harness
    nt_dll_tests.h = harness
    return [nt_except_faults, nt_except_unhandled, nt_except_tiny_stack]
