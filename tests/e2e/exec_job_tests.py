"""End-to-end tests of the calls picovisor runs in a thread to serve an exec (imported by run.py, which passes
itself as h).

Hostile: a filter of the program's own fails the stub's exec that picovisor runs (ERRNO outranks picovisor's
TRACE, so no seccomp stop of picovisor's comes) and the thread makes a trapped call at once: the call must be
checked as any other, the exec must fail with the filter's errno (EACCES). Each action is shown to work natively,
then contained under the policies where it escaped before the fix (tests/hostile/exec_dangling.c).
Positive: a program whose filter refuses execveat alone still execs (picovisor execs its stub with the call the
program made)."""
import os
import re
import subprocess

import sandbox_tests

h = None

CI = ("--policy ci", ["--policy", "ci"])
NARROWED = ("--policy ci, paths checked by the supervisor", ["--policy", "ci", "--path", "r:/usr/share"])
SECRET_NARROWED = ("--policy ci --path -:./secret/", ["--policy", "ci", "--path", "-:./secret/"])
LOG = ("--policy ci --on-violation log", ["--policy", "ci", "--on-violation", "log"])

# action, extra argument (sandbox_tests.World.extra), policies, the verdict's errnos: the exec's, then the calls'
ACTIONS = [
    ("chmod", None, [CI, NARROWED], "EACCES,EACCES"),
    ("unix", None, [CI, NARROWED], "EACCES,EACCES"),
    ("udp", "udp", [CI, NARROWED], "EACCES,EPERM"),
    ("prlimit", "pid", [CI, NARROWED], "EACCES,EPERM"),
    ("untraced", None, [CI, NARROWED], "EACCES,EPERM"),
    ("stub", None, [CI, NARROWED], "EACCES,ENOENT"),
    # the TSYNC install of a TRACE|0 filter (EPERM), then another thread's chmod, prlimit64, kill
    ("traceword", "pid", [CI, NARROWED], "EACCES,EPERM,EACCES,EPERM,EPERM"),
    # Landlock lets the launch directory be read: the narrowing rule is the supervisor's alone
    ("read", None, [SECRET_NARROWED], "EACCES,EACCES"),
    # Landlock's signal scope holds kill in deny mode; log mode leaves it to picovisor's refusal
    ("kill", "pid", [LOG], "EACCES,EPERM"),
    # no dangling job: memfd_create alone "returns" an O_PATH fd of the victim; the memfd way must not write
    # into it (EPERM: docs/architecture.md, "A stop picovisor waits for")
    ("memfd", None, [CI, NARROWED], "EPERM"),
    # another thread turns the exec's syscall instruction into a jump: the job's call never comes, the thread
    # runs on in the program; the job is given up and the next call decided as any other
    ("rewrite", None, [CI, NARROWED], "EACCES"),
]


def check(name, ok, detail=""):
    h.report(name, bool(ok), detail)


def run(w, argv, native=False):
    full = (h.NOBODY if h.AS_USER else []) + argv
    env = dict(os.environ)
    env.update({"LC_ALL": "C.UTF-8", "HOME": w.launch})
    env.pop("TMPDIR", None)
    env.pop("NATIVE", None)
    if native:
        env["NATIVE"] = "1"
    try:
        p = subprocess.run(full, cwd=w.launch, capture_output=True, env=env, timeout=60)
    except subprocess.TimeoutExpired:
        return None, "timed out"
    return p, (p.stdout + p.stderr).decode(errors="replace")


def fresh(w):
    """The launch directory with a secret a narrowing rule refuses; the victim the test's user's own, mode 0666."""
    w.clean_launch()
    os.mkdir(os.path.join(w.launch, "secret"))
    with open(os.path.join(w.launch, "secret", "flag"), "w") as f:
        f.write("secret\n")
    victim = os.path.join(w.outside, "victim")
    if h.AS_USER:
        subprocess.run(["chown", "-R", "65534:65534", w.launch], check=True)
        os.chown(victim, 65534, 65534)
    os.chmod(victim, 0o666)


def exec_dangling():
    w = sandbox_tests.World()
    prog = sandbox_tests.hostile("exec_dangling")
    try:
        for action, extra, policies, errnos in ACTIONS:
            argv = [prog, w.outside, action] + ([w.extra(extra)] if extra else [])
            fresh(w)
            p, out = run(w, argv, native=True)
            check(f"exec_dangling {action}: the attempt works natively (so the test can fail)",
                  p is not None and p.returncode == 1 and "ESCAPED" in out, out[-1500:])
            for label, policy in policies:
                fresh(w)
                p, out = run(w, [h.pv(), "run", *policy, "--"] + argv)
                m = re.search(r"\[errno ([A-Z0-9,]+)\]", out)
                check(f"exec_dangling {action}: contained under {label}, with the errnos {errnos}", p is not None and p.returncode == 0 and "ESCAPED" not in out
                      and m is not None and m.group(1) == errnos, out[-2000:])
                ran = re.search(r"(\d+) of (\d+) execs ran on", out)
                if ran:  # the job given up: shown only when the rewrite came before picovisor's call ran
                    name = f"exec_dangling {action}: the thread ran on past its job's call at least once under {label}"
                    if int(ran.group(1)) > 0:
                        check(name, True)
                    else:
                        h.report(name, None,
                                 "the rewrite never came first in 40 tries: the give-up path not exercised")
                victim = os.path.join(w.outside, "victim")
                st = os.stat(victim)
                with open(victim, "rb") as f:
                    content = f.read()
                check(f"exec_dangling {action}: the outside file is untouched under {label}",
                      (st.st_mode & 0o7777) == 0o666 and content == b"secret\n", f"{oct(st.st_mode)} {content[:16]!r}")
        check("the process outside the run is alive after all of that", w.victim.poll() is None)
    finally:
        w.close()


def exec_with_execveat_refused():
    """A program's filter that refuses execveat alone: its execve still runs the new image, as natively."""
    w = sandbox_tests.World()
    prog = sandbox_tests.hostile("exec_dangling")
    try:
        fresh(w)
        p, native = run(w, [prog, w.outside, "benign"])
        check("a filter refusing execveat: natively the execve works", p is not None and p.returncode == 0
              and native == "exec'd\n", native)
        for label, args in (("plain", []), ("--policy ci", ["--policy", "ci", "--quiet"])):
            fresh(w)
            p, out = run(w, [h.pv(), "run", *args, "--", prog, w.outside, "benign"])
            check(f"a filter refusing execveat: the execve works under picovisor run {label}",
                  p is not None and p.returncode == 0 and out == "exec'd\n", out[-1500:])
    finally:
        w.close()


def groups(harness):
    global h
    h = harness
    sandbox_tests.h = harness
    return [exec_dangling, exec_with_execveat_refused]
