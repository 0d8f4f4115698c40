"""End-to-end tests of the sandbox personality (imported by run.py, which passes itself as h).

The hostile suite (tests/hostile/): each program tries one escape. It runs natively first where the
attempt can work natively (so the test can fail), then under `picovisor run --policy ci` with Landlock,
with the supervisor checking paths in front of Landlock, and with --no-landlock (the supervisor alone),
where it must be contained and refused with the errno docs/policy.md gives (REFUSALS); what is refused in
every mode also under --on-violation log. Then programs under the profiles, reports, limits and
on-violation modes (tests/README)."""
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading

h = None


def check(name, ok, detail=""):
    h.report(name, bool(ok), detail)


def hostile(name):
    return os.path.join(h.STAGE, "progs", "hostile", name)


class World:
    """A launch directory and, beside it, an outside one with a secret, a unix socket listener, a TCP
    and a UDP listener on loopback, an abstract socket listener and a process outside the run."""

    def __init__(self):
        self.base = tempfile.mkdtemp(prefix="pv-sbx-")
        os.chmod(self.base, 0o755)
        self.launch = os.path.join(self.base, "launch")
        self.outside = os.path.join(self.base, "outside")
        os.mkdir(self.launch)
        os.mkdir(self.outside)
        self.results = os.path.join(self.base, "results")  # reports and traces, writable by the test's user
        os.mkdir(self.results)
        for d in (self.launch, self.outside, self.results):
            os.chmod(d, 0o777)
        for name, mode in (("secret", 0o644), ("victim", 0o666)):
            with open(os.path.join(self.outside, name), "w") as f:
                f.write("secret\n")
            os.chmod(os.path.join(self.outside, name), mode)
        self.unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.unix.bind(os.path.join(self.outside, "sock"))
        os.chmod(os.path.join(self.outside, "sock"), 0o777)
        self.unix.listen(64)
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.bind(("127.0.0.1", 0))
        self.tcp.listen(64)
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", 0))
        self.abstract_name = f"pv-hostile-{os.getpid()}"
        self.abstract = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.abstract.bind("\0" + self.abstract_name)
        self.abstract.listen(64)
        # The outside process runs as the user the tests run as: same uid, so only the sandbox stands between.
        self.victim = subprocess.Popen((h.NOBODY if h.AS_USER else []) + ["sleep", "600"])
        # A terminal the run is given (--keep-fd): typing into it is what TIOCSTI does.
        self.pty_master, self.tty = os.openpty()
        if h.AS_USER:
            subprocess.run(["chown", "-R", "65534:65534", self.launch], check=True)

    def extra(self, what):
        return {"pid": str(self.victim.pid), "tcp": str(self.tcp.getsockname()[1]),
                "udp": str(self.udp.getsockname()[1]), "abstract": self.abstract_name,
                "tty": str(self.tty)}.get(what)

    def clean_launch(self):
        for entry in os.listdir(self.launch):
            p = os.path.join(self.launch, entry)
            if os.path.isdir(p) and not os.path.islink(p):
                shutil.rmtree(p, ignore_errors=True)
            else:
                os.unlink(p)
        for entry in os.listdir(self.outside):
            if entry not in ("secret", "victim", "sock"):
                os.unlink(os.path.join(self.outside, entry))
        with open(os.path.join(self.outside, "victim"), "w") as f:
            f.write("secret\n")

    def close(self):
        self.victim.kill()
        self.victim.wait()
        for s in (self.unix, self.tcp, self.udp, self.abstract):
            s.close()
        os.close(self.pty_master)
        os.close(self.tty)
        shutil.rmtree(self.base, ignore_errors=True)


def run(world, argv, timeout=60, pass_fds=()):
    for old in os.listdir(world.results):  # no report or trace of an earlier run is read by mistake
        os.unlink(os.path.join(world.results, old))
    full = (h.NOBODY if h.AS_USER else []) + argv
    env = dict(os.environ)
    env.update({"LC_ALL": "C.UTF-8", "HOME": world.launch})
    env.pop("TMPDIR", None)
    try:
        p = subprocess.run(full, cwd=world.launch, capture_output=True, env=env, timeout=timeout, pass_fds=pass_fds)
    except subprocess.TimeoutExpired:
        return None
    return p


# name, extra argument, does the attempt work natively ("both", "root": only as root, None: not shown natively,
# "x32": only where the kernel has the x32 ABI; elsewhere the attempt cannot be told from the kernel's own ENOSYS)
ESCAPES = [
    ("read_outside", None, "both"), ("write_outside", None, "both"), ("dotdot", None, "both"),
    ("symlink_file", None, "both"), ("symlink_dir", None, "both"), ("hardlink", None, "both"),
    ("rename_out", None, "both"), ("proc_root", None, "both"), ("proc_cwd", None, "both"),
    ("fd_reopen", None, "both"), ("open_by_handle", None, "root"), ("openat2", None, "both"),
    ("toctou_path", None, "both"), ("tcp_connect", "tcp", "both"), ("udp_send", "udp", "both"),
    ("netlink", None, "both"), ("raw_socket", None, "root"), ("unix_outside", None, "both"),
    ("unix_symlink", None, "both"), ("abstract_unix", "abstract", "both"), ("signal_outside", "pid", "both"),
    ("ptrace_outside", "pid", None), ("pidfd_outside", "pid", "both"), ("procmem_outside", "pid", "both"),
    ("clone_untraced", None, "both"), ("clone3_newuser", None, None), ("vfork_child", None, "both"),
    ("int80", None, "both"), ("x32", None, "x32"), ("io_uring", None, "both"), ("memfd_exec", None, "both"),
    ("unshare", None, None), ("seccomp_listener", None, "both"), ("tiocsti", "tty", "root"),
    ("root_powers", None, "root"), ("chmod_system", None, "root"), ("kernel_features", None, "root"), ("bad_pointers", None, None),
]
# Policies the suite runs under: ci as it is (Landlock decides paths), ci with a narrowing rule, which Landlock
# cannot express, so that the supervisor checks every path itself (Landlock still behind it), and ci with
# --no-landlock, where seccomp and the supervisor's own checks are all there is (as on a kernel without
# Landlock): a check of the supervisor's that let everything through would pass the first two.
POLICIES = [("--policy ci", ["--policy", "ci"]),
            ("--policy ci, paths checked by the supervisor", ["--policy", "ci", "--path", "r:/usr/share"]),
            ("--policy ci --no-landlock, the supervisor alone", ["--policy", "ci", "--no-landlock"])]


def landlock_abi():
    """The kernel's Landlock ABI version, 0 without Landlock (landlock_create_ruleset's version query)."""
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    v = libc.syscall(ctypes.c_long(444), None, ctypes.c_long(0), ctypes.c_long(1))
    return v if v > 0 else 0


def mode_of(policy):
    """Who refuses under these arguments: landlock, supervisor (Landlock behind it) or alone."""
    if "--on-violation" in policy:
        return "log"
    if "--no-landlock" in policy or not landlock_abi():
        return "alone"
    return "supervisor" if "--path" in policy else "landlock"


class AnyOf:
    """A race's verdict: each distinct errno once, in no fixed order; required ones must be there."""

    def __init__(self, required, optional=()):
        self.required, self.optional = set(required), set(optional)

    def matches(self, got):
        seen = set(got.split(","))
        return self.required <= seen <= self.required | self.optional

    def __str__(self):
        return f"{','.join(sorted(self.required))} (and maybe {','.join(sorted(self.optional))})"


class ByUser:
    """A verdict that differs between the root pass and the unprivileged one (exact, in order)."""

    def __init__(self, root, nobody):
        self.root, self.nobody = root, nobody

    def matches(self, got):
        want = self.nobody if h.AS_USER else self.root
        return got in want if isinstance(want, tuple) else got == want  # a tuple: any one of them

    def __str__(self):
        return f"{self.root} as root, {self.nobody} as nobody"


# The errno of each refused attempt, in the order the program makes them (docs/policy.md, "Refusal errnos"):
# a string for every mode, or a dict by mode_of(); "-": contained without a refused call ("[no errno]").
# A hostile program with no line here fails: every refusal's errno is checked.
REFUSALS = {
    "read_outside": "EACCES", "write_outside": "EACCES", "dotdot": "EACCES,EACCES", "symlink_file": "EACCES",
    "symlink_dir": "EACCES",
    # Landlock refuses a link into another directory for want of the reparenting right (REFER): EXDEV.
    "hardlink": {"landlock": "EXDEV", "supervisor": "EACCES", "alone": "EACCES"},
    "rename_out": "EACCES", "proc_root": "EACCES", "proc_cwd": "EACCES", "fd_reopen": "EACCES",
    "open_by_handle": "EACCES", "openat2": "EACCES,EACCES",
    # Torn reads of the flipping name find nothing there (ENOENT), natively too.
    "toctou_path": AnyOf({"EACCES"}, {"ENOENT"}),
    "tcp_connect": "EPERM", "udp_send": "EPERM", "netlink": "EPERM", "raw_socket": "EPERM,EPERM",
    "unix_outside": "EACCES", "unix_symlink": "EACCES", "abstract_unix": "EPERM",
    "signal_outside": "EPERM,EPERM,EPERM", "ptrace_outside": "EPERM", "pidfd_outside": "EPERM",
    # /proc/PID/environ and mem: the kernel's ptrace check (EACCES); process_vm_readv: never allowed (EPERM).
    "procmem_outside": "EACCES,EACCES,EPERM",
    "clone_untraced": "EPERM", "clone3_newuser": "ENOSYS", "vfork_child": "EACCES", "int80": "ENOSYS",
    "x32": "ENOSYS", "io_uring": "EPERM", "memfd_exec": "EACCES", "unshare": "EPERM", "seccomp_listener": "EPERM",
    "tiocsti": "EPERM",
    # setrlimit past the hard limit, /proc/sys (no w rule), mount (never), chown outside (a path call: EACCES).
    "root_powers": "EPERM,EACCES,EPERM,EACCES",
    # chmod and fchmod: the supervisor's w check (EACCES). fchown and chown to root's ids: as root, fattr's owner
    # change to the run's own ids, the supervisor's w check (EACCES); as nobody, no promise allows them (fchown has
    # no path: EPERM; chown: EACCES). Inside the user namespace of ci's private /dev/shm (docs/policy.md), root's ids
    # read as the overflow id, 65534, which is nobody's own: fchown to it is fattr's, refused by the w check (EACCES).
    "chmod_system": ByUser("EACCES,EACCES,EACCES,EACCES", ("EACCES,EACCES,EPERM,EACCES", "EACCES,EACCES,EACCES,EACCES")),
    "kernel_features": "EPERM,EPERM,EPERM,EPERM,EPERM",
    "bad_pointers": "-",
}
# What docs/policy.md says is refused "even under on-violation log": these also run under log, where
# Landlock is not entered and path rules only report (so not procmem_outside, whose /proc reads are path rules).
LOG_POLICY = ("--policy ci --on-violation log (refused in every mode)", ["--policy", "ci", "--on-violation", "log"])
REFUSED_UNDER_LOG = {"signal_outside", "ptrace_outside", "pidfd_outside", "clone_untraced",
                     "clone3_newuser", "int80", "x32", "io_uring", "unshare", "seccomp_listener", "tiocsti",
                     "kernel_features"}
# Known gaps of a mode: (reason, strict), reported as SKIP with the reason (never a silent pass, never hidden).
# A strict gap still runs: once it is contained, it fails until its line here is removed. A race is not run.
KNOWN_GAPS = {
}


def verdict_errnos(out):
    """The errnos a contained verdict names: "EACCES,EPERM", "-" for [no errno], None if it names none."""
    import re
    m = re.search(r"^contained: .*\[(?:errno ([A-Z0-9,]+)|(no errno))\]$", out, re.M)
    if not m:
        return None
    return m.group(1) or "-"


def judge(name, mode, returncode, out, table=None):
    """Is this hostile run contained, refused with the errno docs/policy.md gives? (ok, why not)
    table: the expectations (REFUSALS' form) of another harness's programs; REFUSALS by default."""
    if returncode != 0 or "contained" not in out or "ESCAPED" in out or "cannot test" in out:
        return False, out[-2000:]
    want = (REFUSALS if table is None else table).get(name)
    if isinstance(want, dict):
        want = want.get(mode)
    got = verdict_errnos(out)
    if want is None:
        return False, f"  no expected errno for {name} ({mode}) in sandbox_tests.REFUSALS; verdict: {got}"
    if got is None:
        return False, "  the verdict names no errno ([errno NAME] or [no errno]):\n" + out[-1500:]
    ok = want.matches(got) if isinstance(want, (AnyOf, ByUser)) else got == want
    return ok, f"  refused with {got}, docs/policy.md says {want}\n" + out[-1500:]


def check_contained(name, label, mode, p, table=None, what=""):
    """A hostile run: contained (exit 0, never "cannot test"), refused with the errno docs/policy.md gives."""
    out = (p.stdout + p.stderr).decode(errors="replace") if p else "timed out"
    ok, detail = judge(name, mode, p.returncode if p else None, out, table)
    check(f"hostile {name}{what}: contained under {label}", ok, detail)


def hostile_verdicts():
    """The harness itself: what must never count as contained."""
    cases = [  # name, mode, exit status, output, should it count
        ("read_outside", "landlock", 0, "contained: read: Permission denied [errno EACCES]\n", True),
        ("read_outside", "landlock", 2, "cannot test: usage (No such file or directory)\n", False),
        ("read_outside", "landlock", 0, "contained: read: No such file or directory [errno ENOENT]\n", False),
        ("read_outside", "landlock", 0, "contained: the secret's path is refused\n", False),
        ("read_outside", "landlock", 0, "contained: read [no errno]\n", False),
        ("read_outside", "landlock", 1, "ESCAPED: read the secret\n", False),
        ("hardlink", "landlock", 0, "contained: link() [errno EXDEV]\n", True),
        ("hardlink", "alone", 0, "contained: link() [errno EXDEV]\n", False),
        ("chmod_system", "alone", 0, "contained: x [errno EACCES,EACCES,EACCES,EPERM]\n", False),
        ("toctou_path", "alone", 0, "9 opens\ncontained: no open [errno ENOENT,EACCES]\n", True),
        ("toctou_path", "alone", 0, "9 opens\ncontained: no open [errno ENOENT]\n", False),
        ("no_such_program", "alone", 0, "contained: x [errno EPERM]\n", False),
        ("bad_pointers", "alone", 0, "contained: every hostile argument [no errno]\n", True),
        # A child's setup failed while the parent went on: "cannot test" anywhere in the output is no pass.
        ("read_outside", "landlock", 0, "cannot test: fork (x)\ncontained: read [errno EACCES]\n", False),
    ]
    # Another harness's table (limits_tests.REFUSALS' form): its programs are judged against it alone.
    cases += [(n, m, rc, out, want, {"nofile_raise": "EPERM,EPERM"}) for n, m, rc, out, want in (
        ("nofile_raise", "supervisor", 0, "contained: raising [errno EPERM,EPERM]\n", True),
        ("nofile_raise", "supervisor", 0, "contained: raising [errno EPERM,EACCES]\n", False),
        ("read_outside", "landlock", 0, "contained: read: Permission denied [errno EACCES]\n", False))]
    wrong = [c for c in cases if judge(*c[:4], *c[5:])[0] != c[4]]
    check("harness: 'cannot test', ESCAPED, a missing or wrong errno never count as contained", not wrong,
          "\n".join(f"  {c}" for c in wrong))


def escapes():
    w = World()
    try:
        # The third mode tests the supervisor alone only if --no-landlock really leaves Landlock out.
        report = os.path.join(w.results, "report.json")
        p = run(w, [h.pv(), "run", "--policy", "ci", "--no-landlock", "--report", report, "--", "true"])
        pol = json.load(open(report)).get("policy", {}) if os.path.exists(report) else {}
        check("--no-landlock: no Landlock ruleset, the supervisor checks every path (report)",
              p is not None and p.returncode == 0 and pol.get("landlock") is False
              and pol.get("paths_checked_by") == "supervisor", f"{p and p.stderr!r} {pol}")
        for name, extra, native in ESCAPES:
            argv = [hostile(name), w.outside] + ([w.extra(extra)] if extra else [])
            fds = (w.tty,) if extra == "tty" else ()
            unsupported = None
            if native in ("both", "x32") or (native == "root" and not h.AS_USER):
                w.clean_launch()
                p = run(w, argv, pass_fds=fds)
                out = p and (p.stdout + p.stderr).decode(errors="replace")
                if native == "x32" and p is not None and p.returncode == 0 and verdict_errnos(out) == "ENOSYS":
                    unsupported = "this kernel has no x32 ABI: a refusal cannot be told from the kernel's own ENOSYS"
                    h.report(f"hostile {name}: the attempt works natively (so the test can fail)", None, unsupported)
                else:
                    check(f"hostile {name}: the attempt works natively (so the test can fail)",
                          p is not None and p.returncode == 1, out)
            for label, policy in POLICIES + ([LOG_POLICY] if name in REFUSED_UNDER_LOG else []):
                mode = mode_of(policy)
                gap, strict = KNOWN_GAPS.get((name, mode), (None, False))
                if unsupported or (gap and not strict):
                    h.report(f"hostile {name}: contained under {label}", None, unsupported or gap)
                    continue
                w.clean_launch()
                keep = ["--keep-fd", str(w.tty)] if fds else []
                p = run(w, [h.pv(), "run", *policy, *keep, "--"] + argv, pass_fds=fds)
                if gap:
                    out = (p.stdout + p.stderr).decode(errors="replace") if p else ""
                    if p is not None and p.returncode == 0 and "contained" in out:
                        check(f"hostile {name}: contained under {label}", False,
                              f"  a known gap no longer shows: remove ({name!r}, {mode!r}) from KNOWN_GAPS\n{out}")
                    else:
                        h.report(f"hostile {name}: contained under {label}", None, gap)
                    continue
                check_contained(name, label, mode, p)
                leftovers = [e for e in os.listdir(w.outside) if e not in ("secret", "victim", "sock")]
                if leftovers:
                    check(f"hostile {name}: nothing appeared outside under {label}", False, str(leftovers))
        check("the process outside the run is alive after all of that", w.victim.poll() is None)
        if not landlock_abi():
            h.report("hostile programs with Landlock deciding or behind the supervisor", None,
                     "this kernel has no Landlock: every run above was the supervisor alone")
    finally:
        w.close()


def daemons_and_limits():
    w = World()
    try:
        report = os.path.join(w.results, "report.json")
        p = run(w, [h.pv(), "run", "--policy", "ci", "--report", report, "--", hostile("daemon")])
        pid = None
        try:
            pid = int(open(os.path.join(w.launch, "daemon.pid")).read())
        except (OSError, ValueError):
            pass
        alive = pid is not None and os.path.exists(f"/proc/{pid}") and \
            open(f"/proc/{pid}/stat").read().split()[2] != "Z"
        rep = json.load(open(report)) if os.path.exists(report) else {}
        check("a double-forked daemon does not outlive the run, and is reported",
              p is not None and p.returncode == 0 and pid and not alive and len(rep.get("left_running", [])) == 1
              and b"was still running when the program ended: killed" in p.stderr,
              f"{p and p.stderr!r} pid={pid} alive={alive} report={rep.get('left_running')}")

        w.clean_launch()
        p = run(w, [h.pv(), "run", "--policy", "ci", "--limit", "procs=32", "--", hostile("fork_bomb"), w.outside, "32"])
        out = (p.stdout + p.stderr).decode(errors="replace") if p else "timed out"
        check("limit procs: a fork bomb gets EAGAIN, nothing is killed", p is not None and p.returncode == 0
              and verdict_errnos(out) == "EAGAIN", out[-1500:])

        w.clean_launch()
        p = run(w, [h.pv(), "run", "--policy", "ci", "--limit", "memory=256M", "--report", report, "--",
                    hostile("memory_bomb"), w.outside, "1024"])
        out = (p.stdout + p.stderr).decode(errors="replace") if p else "timed out"
        # Stopped by RLIMIT_AS (its mmap fails with ENOMEM) or by the supervisor (159); "cannot test" is neither.
        check("limit memory: a memory bomb is stopped before 1 GiB", p is not None and "ESCAPED" not in out and
              (p.returncode == 159 or (p.returncode == 0 and verdict_errnos(out) == "ENOMEM")), out[-1500:])

        w.clean_launch()
        p = run(w, [h.pv(), "run", "--policy", "ci", "--limit", "cpu=1", "--", hostile("cpu_loop")], timeout=30)
        check("limit cpu: a CPU loop dies of SIGXCPU (or SIGKILL) after a second of CPU",
              p is not None and p.returncode in (-signal.SIGXCPU, -signal.SIGKILL), p and p.returncode)

        w.clean_launch()
        p = run(w, [h.pv(), "run", "--policy", "ci", "--limit", "wall=1s", "--report", report, "--", "sleep", "30"],
                timeout=30)
        rep = json.load(open(report)) if os.path.exists(report) else {}
        check("limit wall: the run ends with status 124 and says so", p is not None and p.returncode == 124
              and rep.get("ended") == "wall-limit", f"{p and p.returncode} {p and p.stderr!r} {rep}")

        w.clean_launch()
        p = run(w, [h.pv(), "run", "--policy", "ci", "--limit", "fsize=1K", "--", "sh", "-c",
                    "head -c 4096 /dev/zero > big; echo $?"])
        check("limit fsize: a write past it fails (SIGXFSZ)", p is not None and os.path.getsize(
            os.path.join(w.launch, "big")) == 1024 if os.path.exists(os.path.join(w.launch, "big")) else False,
              p and p.stderr)
    finally:
        w.close()


def violations_and_reports():
    w = World()
    try:
        report = os.path.join(w.results, "report.json")
        secret = os.path.join(w.outside, "secret")
        p = run(w, [h.pv(), "run", "--policy", "ci", "--on-violation", "kill", "--report", report, "--",
                    "sh", "-c", f"echo before; cat {secret}; echo after"])
        rep = json.load(open(report)) if os.path.exists(report) else {}
        v = rep.get("violations", [{}])[0] if rep.get("violations") else {}
        check("on-violation kill: the run ends with 159 at the first violation, reported with its rule",
              p is not None and p.returncode == 159 and b"before" in p.stdout and b"after" not in p.stdout
              and rep.get("ended") == "killed-for-violation" and v.get("syscall") in ("openat", "open")
              and "no path rule covers it" in v.get("rule", "") and v.get("action") == "killed"
              and rep["policy"]["digest"].startswith("sha256:"),
              f"{p and p.returncode} {p and p.stderr!r}\n{json.dumps(rep)[:1500]}")

        p = run(w, [h.pv(), "run", "--policy", "ci", "--on-violation", "log", "--report", report, "--",
                    "cat", secret])
        rep = json.load(open(report)) if os.path.exists(report) else {}
        check("on-violation log: the call is allowed and recorded (audit mode)",
              p is not None and p.returncode == 0 and p.stdout == b"secret\n"
              and any(x.get("action") == "logged" for x in rep.get("violations", [])),
              f"{p and p.stderr!r} {json.dumps(rep)[:800]}")

        p = run(w, [h.pv(), "run", "--policy", "ci", "--report", report, "--", "/usr/bin/python3", "-c",
                    "import socket; socket.socket(socket.AF_INET)"])
        rep = json.load(open(report)) if os.path.exists(report) else {}
        vs = rep.get("violations", [])
        check("deny: a socket with no promise for it fails with EPERM, one line on stderr, in the report",
              p is not None and p.returncode == 1 and b"PermissionError: [Errno 1] Operation not permitted" in p.stderr
              and b"picovisor: violation:" in p.stderr and any(x.get("syscall") == "socket" and
                                                                "inet" in x.get("rule", "") for x in vs),
              f"{p and p.stderr!r} {vs}")

        p = run(w, [h.pv(), "run", "--policy", "ci", "--quiet", "--", "/usr/bin/python3", "-c",
                    "import socket; socket.socket(socket.AF_INET)"])
        check("--quiet: no violation lines", p is not None and b"picovisor: violation" not in p.stderr, p and p.stderr)

        trace = os.path.join(w.results, "trace.jsonl")
        p = run(w, [h.pv(), "run", "--policy", "ci", "--trace", trace, "--", "/usr/bin/python3", "-c",
                    "import socket; socket.socket(socket.AF_INET)"])
        recs = [json.loads(line) for line in open(trace)] if os.path.exists(trace) else []
        check("violations appear in the trace as violation records",
              any(r.get("type") == "violation" and r.get("syscall") == "socket" for r in recs), str(recs[-3:]))

        p = run(w, [h.pv(), "run", "--policy", "strict", "--", "sh", "-c", "/bin/true; echo ran"])
        check("strict: the program runs, but it runs no other", p is not None and p.returncode != 0
              and b"no promise of the policy allows vfork" in p.stderr, p and p.stderr)

        p = run(w, [h.pv(), "run", "--policy", "ci", "--report", report, "--", "sh", "-c", "exit 7"])
        rep = json.load(open(report)) if os.path.exists(report) else {}
        check("the report of a clean run: exit status, how it ended, counts",
              p is not None and p.returncode == 7 and rep.get("exit_status") == 7 and rep.get("ended") == "exited"
              and rep["counts"]["processes"] >= 1 and rep.get("violations") == [], json.dumps(rep)[:800])

        bad = os.path.join(w.base, "bad.policy")
        with open(bad, "w") as f:
            f.write("profile ci\npromise stdio teleport\n")
        p = run(w, [h.pv(), "run", "--policy", bad, "--report", report, "--", "true"])
        rep = json.load(open(report)) if os.path.exists(report) else {}
        check("a broken policy: 125, FILE:LINE:COL, and a report that says setup-error",
              p is not None and p.returncode == 125 and b"bad.policy:2:" in p.stderr and rep.get("ended") == "setup-error",
              f"{p and p.stderr!r} {rep}")
    finally:
        w.close()


def programs_under_ci():
    """Real programs under --policy ci give the output they give natively, in their working directory."""
    def project(d):
        h.write(d, "main.c", '#include <stdio.h>\nint main(void){puts("built and ran");return 0;}\n', 0o644)
        h.write(d, "Makefile", "all: main\n\t./main\nmain: main.c\n\tcc -o main main.c\n", 0o644)
    cases = [
        ("coreutils pipeline", ["sh", "-c", "seq 1 200 | sort -r | head -3; ls; wc -c /etc/hostname"]),
        ("make + cc: build and run in the working directory", ["make", "-s"]),
        ("python3: files, subprocess, tempfile in TMPDIR",
         ["/usr/bin/python3", "-c", "import subprocess,tempfile,os; open('f','w').write('x'*10); "
          "print(subprocess.run(['cat','f'],capture_output=True).stdout); "
          "t=tempfile.NamedTemporaryFile(); print(os.path.exists(t.name))"]),
        ("tar", ["sh", "-c", "mkdir -p d && echo hi > d/a && tar cf x.tar d && tar tf x.tar"]),
        ("git", ["sh", "-c", "git init -q r && cd r && git -c user.email=a@b -c user.name=n commit -q "
                 "--allow-empty -m m && git log --format=%s"]),
    ]
    for name, argv in cases:
        h.compare(f"ci profile: {name}", argv, setup=project, pv_args=("--policy", "ci", "--quiet"),
                  env={"GIT_CONFIG_NOSYSTEM": "1"})


def groups(harness):
    global h
    h = harness
    return [hostile_verdicts, escapes, daemons_and_limits, violations_and_reports, programs_under_ci]
