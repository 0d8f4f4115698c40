"""End-to-end tests of the run's resource limits and of narrowing path rules (imported by run.py).

Each hostile program (tests/hostile/) is first shown to get past the limit natively (so the test can
fail), then run under `--policy ci` and under ci with a narrowing rule (the supervisor then checks
every path), as root and as nobody (run.py repeats every group)."""
import json
import os
import resource
import shutil
import subprocess
import tempfile

import sandbox_tests

h = None

# The errnos of each refused attempt, in order (docs/policy.md, "Refusal errnos"; sandbox_tests.REFUSALS' form):
# raising a hard limit is the kernel's refusal without CAP_SYS_RESOURCE (setrlimit, then prlimit); the
# narrowing rules refuse by path (EACCES): rule_dot's write and read, rename_pinned's rename, exchange and read.
REFUSALS = {"nofile_raise": "EPERM,EPERM", "rule_dot": "EACCES,EACCES", "rename_pinned": "EACCES,EACCES,EACCES",
            "link_follow": "EACCES"}

POLICIES = [("--policy ci", ["--policy", "ci"]),
            ("--policy ci with a narrowing rule", ["--policy", "ci", "--path", "r:/usr/share"])]


def check(name, ok, detail=""):
    h.report(name, bool(ok), detail)


def hostile(name):
    return os.path.join(h.STAGE, "progs", "hostile", name)


class Launch:
    """A launch directory the test's user owns, a results directory for reports, and an outside one."""

    def __init__(self):
        self.base = tempfile.mkdtemp(prefix="pv-lim-")
        os.chmod(self.base, 0o755)
        self.dir = os.path.join(self.base, "launch")
        self.results = os.path.join(self.base, "results")
        self.outside = os.path.join(self.base, "outside")
        for d in (self.dir, self.results, self.outside):
            os.mkdir(d)
            os.chmod(d, 0o777)
        with open(os.path.join(self.outside, "secret"), "w") as f:
            f.write("secret\n")
        os.chmod(os.path.join(self.outside, "secret"), 0o644)
        self.report = os.path.join(self.results, "report.json")

    def reset(self):
        shutil.rmtree(self.dir, ignore_errors=True)
        os.mkdir(self.dir)
        os.chmod(self.dir, 0o777)
        if os.path.exists(self.report):
            os.unlink(self.report)

    def run(self, argv, timeout=60):
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
        shutil.rmtree(self.base, ignore_errors=True)


def escapes_natively(w, name, argv):
    w.reset()
    p, out, _ = w.run(argv)
    check(f"{name}: the attempt works natively (so the test can fail)", p is not None and p.returncode == 1, out[-1500:])


def ended_by_limit(w, name, label, policy, limit, argv, ending):
    """Under the policy, the run must end with 159 for the limit, before the program says ESCAPED."""
    w.reset()
    p, out, rep = w.run([h.pv(), "run", *policy, *limit, "--report", w.report, "--"] + argv)
    check(f"{name}: ended by the limit under {label}", p is not None and p.returncode == 159
          and rep.get("ended") == ending and "ESCAPED" not in out, f"{p and p.returncode} {rep.get('ended')}\n{out[-1500:]}")


def limits_files():
    """limit files: the open files of the whole run, and a per-process hard limit the program cannot raise."""
    w = Launch()
    try:
        fd_hoard = [hostile("fd_hoard"), w.outside, "8192"]
        hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
        hard = 1 << 30 if hard == resource.RLIM_INFINITY else hard
        if hard < 2 * 8192 // 8 + 1:
            h.report("hostile fd_hoard: the attempt works natively", None,
                     f"the caller's hard limit of open files ({hard}) is below each process's share")
        else:
            escapes_natively(w, "hostile fd_hoard (8 processes hold 16384 files)", fd_hoard)
        for label, policy in POLICIES:
            ended_by_limit(w, "hostile fd_hoard (ci's limit files 8192)", label, policy, [], fd_hoard, "files-limit")
            w.reset()
            p, out, rep = w.run([h.pv(), "run", *policy, "--report", w.report, "--", "sh", "-c", "ulimit -Hn"])
            check(f"ci: a process's hard limit of open files is the run's files limit ({label})",
                  p is not None and p.returncode == 0 and p.stdout.strip() == str(min(hard, 8192)).encode(), out)
            w.reset()
            p, out, rep = w.run([h.pv(), "run", *policy, "--limit", "files=64", "--report", w.report, "--", "sh", "-c",
                                 "exec 3</dev/null; ulimit -Hn; ls /proc/self/fd | wc -l; sleep 0.1"])
            check(f"limit files 64: a run below it is not ended, and the report has its peak ({label})",
                  p is not None and p.returncode == 0 and p.stdout.split()[0] == b"64"
                  and 0 < rep.get("peak_open_files", 0) <= 64, f"{out} {rep.get('peak_open_files')}")

        cap_sys_resource = False
        try:
            eff = [line for line in open("/proc/self/status") if line.startswith("CapEff:")][0].split()[1]
            cap_sys_resource = bool(int(eff, 16) & (1 << 24))
        except (OSError, IndexError, ValueError):
            pass
        raise_argv = [hostile("nofile_raise"), w.outside]
        if h.AS_USER:
            h.report("hostile nofile_raise: the attempt works natively", None,
                     "only CAP_SYS_RESOURCE raises a hard limit: shown as root")
        elif not cap_sys_resource:
            h.report("hostile nofile_raise: the attempt works natively", None,
                     "root here has no CAP_SYS_RESOURCE (a container that dropped it)")
        else:
            escapes_natively(w, "hostile nofile_raise", raise_argv)
        for label, policy in POLICIES:
            w.reset()
            p, out, rep = w.run([h.pv(), "run", *policy, "--"] + raise_argv)
            ok, detail = sandbox_tests.judge("nofile_raise", sandbox_tests.mode_of(policy), p and p.returncode, out,
                                             REFUSALS)
            check(f"hostile nofile_raise: contained (EPERM) under {label}", ok, detail)
    finally:
        w.close()


def shm_is_tmpfs():
    try:
        return any(line.split()[1] == "/dev/shm" and line.split()[2] == "tmpfs" for line in open("/proc/mounts"))
    except (OSError, IndexError):
        return False


def limits_memory():
    """limit memory counts shared memory no resident set shows: memfds, mapped-and-closed memfds, shared
    anonymous pages a child touched, tmpfs files."""
    w = Launch()
    shm_dir = None
    try:
        ways = [("memfd", []), ("mapclose", []), ("sharedanon", [])]
        st = os.statvfs("/dev/shm") if shm_is_tmpfs() else None
        if st and st.f_bavail * st.f_frsize < 320 << 20:
            h.report("hostile shm_hoard tmpfs", None, "/dev/shm has less than 320 MiB free")
        elif st:
            shm_dir = tempfile.mkdtemp(prefix="pv-lim-", dir="/dev/shm")
            os.chmod(shm_dir, 0o777)
            ways.append(("tmpfs", [shm_dir]))
        else:
            h.report("hostile shm_hoard tmpfs", None, "/dev/shm is not a tmpfs here")
        for way, extra in ways:
            argv = [hostile("shm_hoard"), w.outside, "256", way] + extra
            name = f"hostile shm_hoard {way} (256 MiB, limit memory 64M)"
            escapes_natively(w, name, argv)
            for entry in os.listdir(shm_dir) if shm_dir else ():
                os.unlink(os.path.join(shm_dir, entry))
            for label, policy in POLICIES:
                # the host's /dev/shm, where the run's own would hide it
                rules = ["--shm-size", "none", "--path", f"rwc:{shm_dir}"] if way == "tmpfs" else []
                ended_by_limit(w, name, label, policy + rules, ["--limit", "memory=64M"], argv, "memory-limit")
                for entry in os.listdir(shm_dir) if shm_dir else ():
                    os.unlink(os.path.join(shm_dir, entry))
        w.reset()
        p, out, rep = w.run([h.pv(), "run", "--policy", "ci", "--limit", "memory=64M", "--report", w.report, "--",
                             "sh", "-c", "sleep 0.2; echo fine"])
        check("limit memory: a small run is not ended, and the report has its peak", p is not None
              and p.returncode == 0 and p.stdout == b"fine\n" and 0 < rep.get("peak_memory_bytes", 0) < 64 << 20,
              f"{out} {rep.get('peak_memory_bytes')}")
    finally:
        if shm_dir:
            shutil.rmtree(shm_dir, ignore_errors=True)
        w.close()


def lay_out(w):
    """What the narrowing-rule programs expect in the launch directory: ro/file, secret/file, sub/secret, other/."""
    w.reset()
    for d in ("ro", "secret", "sub", "other"):
        os.mkdir(os.path.join(w.dir, d))
    for f in ("ro/file", "secret/file", "sub/secret"):
        with open(os.path.join(w.dir, f), "w") as out:
            out.write("secret\n")
    if h.AS_USER:
        subprocess.run(["chown", "-R", "65534:65534", w.dir], check=True)


def limits_narrowing_rules():
    """Narrowing rules name what they say (./x normalised, bound to the files at the start), keep it when a
    directory above is renamed, and a hard link through a symlink is judged on the file it names."""
    w = Launch()
    try:
        cases = [
            ("rule_dot", ["--path", "r:./ro", "--path", "-:./secret/"], "rules written ./ro and ./secret/"),
            ("rename_pinned", ["--path", "-:./sub/secret"], "mv sub sub2, exchange sub and other"),
            ("link_follow", ["--path", f"r:{w.dir}/ro"], "linkat(AT_SYMLINK_FOLLOW) of a symlink to ro/file"),
        ]
        for name, rules, what in cases:
            argv = [hostile(name), w.outside]
            lay_out(w)
            p, out, _ = w.run(argv)
            check(f"hostile {name} ({what}): the attempt works natively (so the test can fail)",
                  p is not None and p.returncode == 1, out[-1500:])
            for label, policy in POLICIES:
                lay_out(w)
                p, out, _ = w.run([h.pv(), "run", *policy, *rules, "--"] + argv)
                ok, detail = sandbox_tests.judge(name, sandbox_tests.mode_of(policy + rules), p and p.returncode, out,
                                                 REFUSALS)
                check(f"hostile {name} ({what}): contained under {label}", ok, detail)

        # A rule through a symlink binds to the file the symlink names when the run starts.
        lay_out(w)
        os.symlink("sub", os.path.join(w.dir, "alias"))
        p, out, _ = w.run([h.pv(), "run", "--policy", "ci", "--path", "-:alias/secret", "--", "cat", "sub/secret"])
        check("a rule naming a path through a symlink protects the file it names", p is not None
              and p.returncode != 0 and b"secret" not in p.stdout and "alias/secret" not in out
              and "sub/secret" in out, out[-1500:])

        # log mode: a widening rule written ./out is matched, so writing there is no violation.
        lay_out(w)
        os.mkdir(os.path.join(w.dir, "out"))
        os.chmod(os.path.join(w.dir, "out"), 0o777)
        policy = os.path.join(w.results, "log.policy")
        with open(policy, "w") as f:
            f.write("profile ci\npath r .\npath rwc ./out\non-violation log\n")
        p, out, rep = w.run([h.pv(), "run", "--policy", policy, "--report", w.report, "--", "sh", "-c",
                             "echo hi > out/x && cat out/x && echo no > ro/file"])
        vs = [v.get("rule", "") for v in rep.get("violations", [])]
        check("on-violation log: no false violation for a rule written ./out; a real one is logged",
              p is not None and p.returncode == 0 and p.stdout == b"hi\n" and len(vs) == 1 and "ro/file" in vs[0],
              f"{out[-1500:]} {vs}")

        bad = os.path.join(w.results, "bad.policy")
        with open(bad, "w") as f:
            f.write("profile ci\npath r sub/../secret\n")
        p, out, _ = w.run([h.pv(), "run", "--policy", bad, "--", "true"])
        check("a rule that cannot be normalised is refused with FILE:LINE:COL and why", p is not None
              and p.returncode == 125 and "bad.policy:2:8:" in out and "'..' after a name" in out, out)
    finally:
        w.close()


def groups(harness):
    global h
    h = harness
    return [limits_files, limits_memory, limits_narrowing_rules]
