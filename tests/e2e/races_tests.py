"""End-to-end tests of races on what picovisor checks (imported by run.py, which passes itself as h).

A hostile program races a check: a second thread or a child flips the path buffer, another thread swaps a
descriptor or the working directory, a thread swaps the descriptor picovisor writes the stub into. Each race
is first shown to win natively many times (so the test can fail), then run as long under --policy ci and
under ci with a narrowing rule (the supervisor checks every path), where it must never win."""
import os
import re
import stat
import subprocess

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


def fresh_attr_victim(w):
    """outside/attr_victim, mode 0644, owned by the user the run is (so that natively the race can win)."""
    w.clean_launch()
    path = os.path.join(w.outside, "attr_victim")
    with open(path, "w") as f:
        f.write("victim\n")
    os.chmod(path, 0o644)
    if h.AS_USER:
        subprocess.run(["chown", "65534:65534", path], check=True)
    return path


def wins(out):
    m = re.search(r"won (\d+) of (\d+) tries", out)
    return (int(m.group(1)), int(m.group(2))) if m else (None, None)


# The races on attribute changes: each flips what a chmod names between an allowed file and an outside one.
ATTR_RACES = [("race_attr_flip", "a second thread flips the path buffer"),
              ("race_attr_shared", "a child flips the path in MAP_SHARED memory"),
              ("race_attr_dup2", "a second thread dup2s an outside O_PATH fd onto the fd"),
              ("race_attr_chdir", "a second thread changes the working directory")]


def attr_races():
    """Mode changes whose object another task swaps between the check and the call."""
    w = sandbox_tests.World()
    try:
        for name, how in ATTR_RACES:
            path = fresh_attr_victim(w)
            p = sandbox_tests.run(w, [hostile(name), w.outside])
            out = (p.stdout + p.stderr).decode(errors="replace") if p else "timed out"
            won, tries = wins(out)
            check(f"race {name} ({how}): wins natively, many times (so the test can fail)",
                  p is not None and p.returncode == 1 and won is not None and won >= 10, out[-800:])
            for label, policy in sandbox_tests.POLICIES:
                path = fresh_attr_victim(w)
                p = sandbox_tests.run(w, [h.pv(), "run", "--quiet", *policy, "--", hostile(name), w.outside])
                out = (p.stdout + p.stderr).decode(errors="replace") if p else "timed out"
                won, tries = wins(out)
                mode = stat.S_IMODE(os.stat(path).st_mode)
                check(f"race {name} ({how}): never wins under {label}",
                      p is not None and p.returncode == 0 and won == 0 and tries and tries >= 100 and mode == 0o644,
                      f"mode {mode:o}\n" + out[-800:])
    finally:
        w.close()


def attr_calls():
    """The sandbox performs attribute changes itself: results and errnos as native, root and nobody."""
    policy = ("profile ci\n"
              "promise chown\n")
    setup = lambda d: open(os.path.join(d, "ci-chown.policy"), "w").write(policy)
    h.compare("attribute changes served on the checked object: as native under ci (+chown)",
              [h.prog("attr_calls")], setup=setup, pv_args=("--quiet", "--policy", "ci-chown.policy"))
    h.compare("attribute changes served on the checked object: as native under ci (+chown), paths by the supervisor",
              [h.prog("attr_calls")], setup=setup,
              pv_args=("--quiet", "--policy", "ci-chown.policy", "--path", "r:/usr/share"))


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
    return [attr_races, attr_calls, exec_paths]
