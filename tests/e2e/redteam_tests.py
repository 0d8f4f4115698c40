"""End-to-end tests of holes a red team found (imported by run.py): run-wide limits that did not see
leaderless processes or threads with descriptor tables of their own, pidfd_send_signal's flags, process
groups joined under --tty, and /proc entries of outside processes opened under on-violation log.

Each hostile program (tests/hostile/) is first shown to escape natively where it can (so the test can
fail), then run under picovisor, as root and as nobody (run.py repeats every group)."""
import json
import os
import shutil
import subprocess
import tempfile
import time

h = None


def check(name, ok, detail=""):
    h.report(name, bool(ok), detail)


def hostile(name):
    return os.path.join(h.STAGE, "progs", "hostile", name)


class World:
    """A launch directory the test's user owns, an outside one, and a process outside the run."""

    def __init__(self):
        self.base = tempfile.mkdtemp(prefix="pv-red-")
        os.chmod(self.base, 0o755)
        self.dir = os.path.join(self.base, "launch")
        self.outside = os.path.join(self.base, "outside")
        self.results = os.path.join(self.base, "results")
        self.report = os.path.join(self.results, "report.json")
        for d in (self.dir, self.outside, self.results):
            os.mkdir(d)
            os.chmod(d, 0o777)
        self.victim = victim(stdin=subprocess.PIPE)  # a pipe, which only /proc/PID/fd/0 reaches from outside

    def run(self, argv, timeout=60):
        if os.path.exists(self.report):
            os.unlink(self.report)
        env = dict(os.environ)
        env.update({"LC_ALL": "C.UTF-8", "HOME": self.dir})
        env.pop("TMPDIR", None)
        try:
            p = subprocess.run((h.NOBODY if h.AS_USER else []) + argv, cwd=self.dir, capture_output=True, env=env,
                               timeout=timeout)
        except subprocess.TimeoutExpired:
            return None, "timed out", {}
        rep = {}
        if os.path.exists(self.report):
            try:
                rep = json.load(open(self.report))
            except ValueError:
                pass
        return p, (p.stdout + p.stderr).decode(errors="replace"), rep

    def close(self):
        self.victim.kill()
        self.victim.wait()
        if self.victim.stdin:
            self.victim.stdin.close()
        shutil.rmtree(self.base, ignore_errors=True)


def escapes_natively(w, name, argv):
    p, out, _ = w.run(argv)
    check(f"{name}: the attempt works natively (so the test can fail)", p is not None and p.returncode == 1, out[-1500:])


def redteam_limits():
    """limit memory and files count every process through a live thread (its leader may have left) and every
    distinct descriptor table once (threads made without CLONE_FILES have their own)."""
    w = World()
    try:
        cases = [("hostile leaderless_hoard memory (8 x 32 MiB, limit memory 128M)",
                  [hostile("leaderless_hoard"), w.outside, "memory"], "memory=128M", "memory-limit"),
                 ("hostile leaderless_hoard files (8 x 200, limit files 1000)",
                  [hostile("leaderless_hoard"), w.outside, "files"], "files=1000", "files-limit"),
                 ("hostile thread_fd_tables (8 threads x 200 files, limit files 1000)",
                  [hostile("thread_fd_tables"), w.outside], "files=1000", "files-limit")]
        for name, argv, limit, ending in cases:
            escapes_natively(w, name, argv)
            p, out, rep = w.run([h.pv(), "run", "--policy", "ci", "--limit", limit, "--report", w.report, "--"] + argv)
            check(f"{name}: ended by the limit", p is not None and p.returncode == 159 and rep.get("ended") == ending
                  and "ESCAPED" not in out, f"{p and p.returncode} {rep.get('ended')}\n{out[-1500:]}")
        argv = [hostile("thread_fd_tables"), w.outside, "shared"]
        p, out, rep = w.run([h.pv(), "run", "--policy", "ci", "--limit", "files=1000", "--report", w.report, "--"] + argv)
        check("thread_fd_tables shared (8 threads, one table, 800 files): one table counted once, not ended",
              p is not None and p.returncode == 0 and "contained" in out and rep.get("peak_open_files", 0) < 1000,
              f"{p and p.returncode} {rep.get('peak_open_files')}\n{out[-1500:]}")
    finally:
        w.close()


def victim(stdin=None):
    """A process outside the run, of the test's user, that SIGUSR1 ends."""
    p = subprocess.Popen((h.NOBODY if h.AS_USER else []) + ["sleep", "600"], stdin=stdin)
    for _ in range(500):  # until it is sleep: before its exec (setpriv) its /proc entries are not its user's
        try:
            if open(f"/proc/{p.pid}/comm").read().strip() == "sleep":
                break
        except OSError:
            break
        time.sleep(0.01)
    return p


def contained_run(w, name, argv, policy, errno_name=None):
    """Under the policy the program must say contained (with errno_name, or "[no errno]" for a race never won).
    Exit 2 (the attempt could not be made) is a SKIP with its reason, never a pass."""
    p, out, _ = w.run([h.pv(), "run", *policy, "--"] + argv)
    if p is not None and p.returncode == 2:
        h.report(name, None, out.strip().splitlines()[-1] if out.strip() else "cannot test")
        return
    want = f"[errno {errno_name}]" if errno_name else "[no errno]"
    check(name, p is not None and p.returncode == 0 and "contained" in out and want in out, out[-1500:])


def prog(name):
    return os.path.join(h.STAGE, "progs", name)


def redteam_pidfd_forms():
    """Each form of pidfd_send_signal made by pid does what the kernel does with the descriptor (the same thread
    reached, the same siginfo), but a process group with a siginfo, which is refused with EPERM."""
    w = World()
    try:
        p, native, _ = w.run([prog("pidfd_forms")])
        if p is not None and p.returncode == 2:
            h.report("pidfd_send_signal forms", None, native.strip())
            return
        lines = native.strip().splitlines()
        pg = "process pidfd, flags PROCESS_GROUP, siginfo: "
        check("pidfd_send_signal forms: natively every form of the own process works", p is not None
              and p.returncode == 0 and len(lines) == 20 and f"{pg}0, reached worker, value 103" in lines, native)
        want = [f"{pg}EPERM, reached none, value -1" if line.startswith(pg) else line for line in lines]
        for label, policy in (("--policy ci", ["--policy", "ci"]),
                              ("--policy ci --on-violation log", ["--policy", "ci", "--on-violation", "log"])):
            p, out, _ = w.run([h.pv(), "run", *policy, "--", prog("pidfd_forms")])
            got = p.stdout.decode(errors="replace").strip().splitlines() if p is not None else []
            check(f"pidfd_send_signal forms under {label}: as native, a process group with a siginfo refused (EPERM)",
                  p is not None and p.returncode == 0 and got == want, out[-2500:])
    finally:
        w.close()


def redteam_pidfd_flags():
    """pidfd_send_signal with every flag is made on the checked pid: a descriptor swapped after the check
    (dup2 of an outside /proc/PID) changes nothing, under on-violation log where no Landlock scope helps."""
    w = World()
    try:
        for mode in ("native", "log"):
            v = victim()
            argv = [hostile("pidfd_flags_race"), w.outside, str(v.pid)]
            if mode == "native":
                p, out, _ = w.run(argv)
                if p is not None and p.returncode == 2:
                    h.report("hostile pidfd_flags_race: the attempt works natively", None, out.strip())
                    v.kill()
                    v.wait()
                    return
                check("hostile pidfd_flags_race: the attempt works natively (so the test can fail)",
                      p is not None and p.returncode == 1, out[-1500:])
            else:
                contained_run(w, "hostile pidfd_flags_race: contained under --policy ci --on-violation log", argv,
                              ["--policy", "ci", "--on-violation", "log"])
            v.kill()
            v.wait()
    finally:
        w.close()


def redteam_procfs_outside():
    """/proc entries that act on a process outside the run (mem, writable entries, a thread's too) are refused
    with EACCES in every mode, on-violation log and the permissive none profile included."""
    w = World()
    try:
        argv = [hostile("procfs_outside"), w.outside, str(w.victim.pid)]
        escapes_natively(w, "hostile procfs_outside", argv)
        for label, policy in (("--policy ci --on-violation log", ["--policy", "ci", "--on-violation", "log"]),
                              ("--policy ci", ["--policy", "ci"]),
                              ("--policy ci --no-landlock", ["--policy", "ci", "--no-landlock"]),
                              ("--policy none", ["--policy", "none"])):
            contained_run(w, f"hostile procfs_outside: contained under {label}", argv, policy,
                          "EACCES,EACCES,EACCES,EACCES,EACCES,EACCES")
        p, out, _ = w.run([h.pv(), "run", "--policy", "none", "--", "sh", "-c",
                           "echo 500 > /proc/self/oom_score_adj && cat /proc/$$/oom_score_adj"])
        check("--policy none: a process of the run still writes its own /proc entries",
              p is not None and p.returncode == 0 and p.stdout.strip() == b"500", out[-1500:])
    finally:
        w.close()


# A session like an interactive shell's: an outside job in a process group of its own, and the command (argv, with
# {PGID} replaced by the job's group) in another; says the command's status and whether the job lived.
SESSION = r"""
import os, subprocess, sys, time
os.setsid()
job = subprocess.Popen(["sleep", "30"], preexec_fn=lambda: os.setpgid(0, 0))
time.sleep(0.1)
argv = [a.replace("{PGID}", str(job.pid)) for a in sys.argv[1:]]
r = subprocess.run(argv, preexec_fn=lambda: os.setpgid(0, 0), capture_output=True)
time.sleep(0.1)
alive = job.poll() is None
sys.stdout.write(r.stdout.decode(errors="replace") + r.stderr.decode(errors="replace"))
print(f"status {r.returncode} job {'alive' if alive else 'ended'}")
job.kill()
"""

def redteam_tty_groups():
    """With --tty a process group is the run's only if the run made it: setpgid into an outside job's group and
    kill(-pgid) of it are refused (EPERM) in every mode; groups the run made (and the one it started in) stay
    usable."""
    w = World()
    try:
        def session(argv):
            p, out, _ = w.run(["python3", "-c", SESSION] + argv)
            return out if p is not None else "timed out"

        argv = [hostile("group_join"), w.outside, "{PGID}"]
        out = session(argv)
        check("hostile group_join: the attempt works natively (so the test can fail)",
              "ESCAPED" in out and "status 1" in out, out[-1500:])
        for label, policy in (("--policy ci --tty", ["--policy", "ci", "--tty"]),
                              ("--policy ci --tty --on-violation log", ["--policy", "ci", "--tty", "--on-violation", "log"]),
                              ("--policy ci --tty --no-landlock", ["--policy", "ci", "--tty", "--no-landlock"])):
            out = session([h.pv(), "run", *policy, "--"] + argv)
            check(f"hostile group_join: contained under {label}", "status 0" in out and "job alive" in out
                  and "[errno EPERM,EPERM]" in out, out[-1500:])
        out = session([h.pv(), "run", "--policy", "ci", "--tty", "--", hostile("group_join"), w.outside, "own"])
        check("--tty: groups the run made, and the one it started in, are joined and signalled",
              "own groups ok" in out and "status 0" in out, out[-1500:])
    finally:
        w.close()


def groups(harness):
    global h
    h = harness
    return [redteam_limits, redteam_pidfd_forms, redteam_pidfd_flags, redteam_procfs_outside, redteam_tty_groups]
