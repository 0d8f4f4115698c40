"""Threads, waits and completion ports of the NT personality, and Go programs on it (imported by run.py,
which passes itself as h).

The TAP programs tests/nt/suspend.c and tests/nt/timers_iocp.c run under both Windows builds like the
other PE programs (nt_tests.tap_programs). The Go programs of tests/nt/go/ are built by make for Windows
(GOOS=windows, Debian's golang-go) and for Linux; each Windows build runs under picovisor, plainly and
under --policy ci, and must give the output, stderr and exit status of its Linux build (an unrecovered
panic: the first line of stderr and status 2). Go's runtime loads advapi32.dll and ws2_32.dll at start,
which other parts of issue 17 add to picovisor's system directory: until then the test-only stand-ins of
tests/nt/go/standins/ are put in the program's C:\Windows\System32 (a DLL picovisor embeds there is
served instead). A program that stops because the run lacks a DLL or an export Go asks for is a SKIP
naming it, as is the nil-pointer panic while faults are not NT exceptions; anything else is judged."""
import os
import re
import shutil
import subprocess
import tempfile

import nt_tests

h = None

# name: how stderr is compared ("all", or "first": its first line, Go's panic message)
GO_CASES = [
    ("goroutines", "all"),
    ("timers", "all"),
    ("files", "all"),
    ("exitcode", "all"),
    ("panics", "first"),
    ("nilderef", "all"),
    ("blocking_io", "all"),
    ("preempt", "all"),
]

# What Go's runtime says when the run lacks something it loads at start (os_windows.go's throws).
MISSING = re.compile(r"(\S+\.dll not found|\S+ not found|timeBegin/EndPeriod not found)")


def check(name, ok, detail=""):
    h.report(name, bool(ok), detail)


def go_prog(name):
    return os.path.join(h.STAGE, "progs", "nt", "go", name)


def scratch():
    d = tempfile.mkdtemp(prefix="pv-go-")
    os.chmod(d, 0o777)
    if h.AS_USER:
        subprocess.run(["chown", "-R", "65534:65534", d], check=True)
    return d


def run(argv, cwd):
    full = ([shutil.which("setpriv")] + h.NOBODY[1:] if h.AS_USER else []) + argv
    env = dict(os.environ, LC_ALL="C.UTF-8", HOME=cwd, TMPDIR=cwd)
    try:
        p = subprocess.run(full, cwd=cwd, capture_output=True, env=env, timeout=60)
    except subprocess.TimeoutExpired:
        return None
    return p.stdout.decode(errors="replace").replace("\r\n", "\n"), p.stderr.decode(errors="replace"), p.returncode


def in_fresh_dir(argv_of):
    d = scratch()
    try:
        return run(argv_of(d), d)
    finally:
        shutil.rmtree(d, ignore_errors=True)


def why_skipped(name, r):
    """The SKIP reason when the Windows build stopped at something this part of issue 17 does not provide."""
    out, err, status = r
    m = MISSING.search(err)
    if m and status != 0:
        return f"Go's runtime needs what the run lacks: {m.group(1)} (advapi32.dll and ws2_32.dll are other parts of issue 17)"
    if "syscall.(*LazyProc).Find" in err and "formatMessage" in err:
        return ("Go's syscall package asked kernel32 for an export that is missing, and FormatMessageW to name it "
                "(other parts of issue 17)")
    if name == "nilderef" and status in (139, -11):  # picovisor ends as its program did: by SIGSEGV
        return "a fault is not yet an NT exception delivered to Go's vectored handler (issue 17, item 1)"
    return None


def same(kind, linux, win):
    if kind == "first":
        first = lambda s: s.splitlines()[0] if s.splitlines() else ""
        return linux[0] == win[0] and first(linux[1]) == first(win[1]) and linux[2] == win[2]
    return linux == win


def nt_threads():
    if nt_tests.skipped_without_programs("threads"):
        return
    nt_tests.tap_programs(["suspend", "timers_iocp", "apc", "dll_k32threads"])


def nt_go():
    if not os.path.exists(go_prog("goroutines.exe")):
        h.report("nt go programs", None, "golang-go missing: the Go test programs were not built")
        return
    for name, kind in GO_CASES:
        linux = in_fresh_dir(lambda d: [go_prog(name + "-linux")])
        if linux is None:
            check(f"nt go {name}: the Linux build", False, "  timed out")
            continue
        for policy in ([], ["--policy", "ci"]):
            label = f"nt go {name}.exe" + (" --policy ci" if policy else "")

            def argv(d, policy=policy):
                shutil.copy2(go_prog(name + ".exe"), d)
                standins = go_prog("standins")
                if os.path.isdir(standins):
                    shutil.copytree(standins, os.path.join(d, "Windows", "System32"))
                if h.AS_USER:
                    subprocess.run(["chown", "-R", "65534:65534", d], check=True)
                return [h.pv(), "run"] + policy + ["--", "./" + name + ".exe"]

            win = in_fresh_dir(argv)
            if win is None:
                check(label, False, "  timed out")
                continue
            skip = why_skipped(name, win)
            if skip:
                h.report(label, None, skip)
                continue
            check(label + " = its Linux build", same(kind, linux, win),
                  f"  linux: status {linux[2]}, stdout {linux[0][-300:]!r}, stderr {linux[1][-300:]!r}\n"
                  f"  picovisor: status {win[2]}, stdout {win[0][-300:]!r}, stderr {win[1][-300:]!r}")


def groups(harness):
    global h
    h = harness
    return [nt_threads, nt_go]
