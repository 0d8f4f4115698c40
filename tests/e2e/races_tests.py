"""End-to-end tests of races on what picovisor checks (imported by run.py, which passes itself as h).

A hostile program races a check: a second thread or a child flips the path buffer, another thread swaps a
descriptor or the working directory, a thread swaps the descriptor picovisor writes the stub into. Each race
is first shown to win natively many times (so the test can fail), then run as long under --policy ci and
under ci with a narrowing rule (the supervisor checks every path), where it must never win."""
import os

import sandbox_tests

h = None


def check(name, ok, detail=""):
    h.report(name, bool(ok), detail)


def hostile(name):
    return os.path.join(h.STAGE, "progs", "hostile", name)


def victim_intact(w):
    try:
        with open(os.path.join(w.outside, "victim")) as f:
            return f.read() == "secret\n"
    except OSError:
        return False


def exec_paths():
    """The exec path works on objects picovisor holds, never on numbers or names the program can change."""
    w = sandbox_tests.World()
    try:
        for label, policy in sandbox_tests.POLICIES:
            w.clean_launch()
            p = sandbox_tests.run(w, [h.pv(), "run", *policy, "--", hostile("exec_stub_swap"), w.outside])
            out = (p.stdout + p.stderr).decode(errors="replace") if p else "timed out"
            check(f"race exec_stub_swap: the stub is never written through a swapped descriptor under {label}",
                  p is not None and p.returncode == 0 and "contained" in out and victim_intact(w), out[-1500:])
    finally:
        w.close()
    h.compare("execveat's errors before the load are the kernel's (EBADF for fd -1 with an empty path)",
              [h.prog("execveat_errors")])
    h.compare("execveat's errors before the load are the kernel's, under --policy ci",
              [h.prog("execveat_errors")], pv_args=("--policy", "ci"))


def groups(harness):
    global h
    h = harness
    sandbox_tests.h = harness
    return [exec_paths]
