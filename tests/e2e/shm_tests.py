"""End-to-end tests of the run's private /dev/shm (the policy's `shm`, ci's `shm 64M`): a tmpfs of its own in
a mount namespace (as nobody, inside a user namespace), imported by run.py, which passes itself as h and runs
every group as root and as nobody. POSIX shared memory and semaphores work across processes of the run, in
every mode of path checking; the host's /dev/shm is neither seen nor written; two runs do not see each
other's; the namespace cannot be used by the program (tests/hostile/shm_namespace.c); where no namespace can
be made the run says why and /dev/shm stays closed."""
import json
import os
import shutil
import subprocess
import threading
import time

import sandbox_tests

h = None

PYTHON = "/usr/bin/python3"
PY_SHM = """import multiprocessing as mp
from multiprocessing import shared_memory
def square(x):
    return x * x
def fill(name):
    m = shared_memory.SharedMemory(name=name); m.buf[:5] = b"hello"; m.close()
if __name__ == "__main__":
    with mp.Pool(2) as pool:
        print(pool.map(square, range(6)))
    s = shared_memory.SharedMemory(create=True, size=4096)
    p = mp.Process(target=fill, args=(s.name,)); p.start(); p.join()
    print(bytes(s.buf[:5]).decode()); s.close(); s.unlink()
    lock = mp.Lock()
    with lock:
        print("locked")
"""
# Path checking modes (sandbox_tests.POLICIES): Landlock, the supervisor with Landlock behind it, the supervisor alone.
MODES = sandbox_tests.POLICIES
# The planted file is not in the run's /dev/shm (ENOENT); through /proc/PID/root of a process outside the run:
# Landlock refuses it (EACCES, ptrace scoping); the supervisor resolves the link's "/" in the run's own tree, where
# the file is not (root: ENOENT), or, as nobody, the kernel's ptrace check refuses a process outside the run's user
# namespace (EACCES); mount, umount2, unshare twice, setns: never allowed (EPERM); the tmpfs full (ENOSPC).
_NS = "EPERM,EPERM,EPERM,EPERM,EPERM,ENOSPC"
_BY_SUPERVISOR = sandbox_tests.ByUser(f"ENOENT,ENOENT,{_NS}", f"ENOENT,EACCES,{_NS}")
REFUSALS = {
    "shm_namespace": {"landlock": f"ENOENT,EACCES,{_NS}", "supervisor": _BY_SUPERVISOR, "alone": _BY_SUPERVISOR},
}


def check(name, ok, detail=""):
    h.report(name, bool(ok), detail)


def tag():
    return f"{os.getpid()}-{'u' if h.AS_USER else 'r'}"


def made(d):
    """Does a ci run here get its private /dev/shm? (True, None) or (False, why not)."""
    rep = os.path.join(d, "probe.json")
    r = h.run_in(d, [h.pv(), "run", "--policy", "ci", "--report", rep, "--", "true"])
    try:
        shm = json.load(open(rep))["policy"]["private_shm"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        return False, f"no report ({e}): {r}"
    finally:
        if os.path.exists(rep):
            os.unlink(rep)
    if not shm or not shm.get("made"):
        return False, (shm or {}).get("why_not") or "the report says none was asked for"
    return True, None


def shm_functions():
    d = h.fresh_dir(lambda d: h.write(d, "shm.py", PY_SHM, 0o644))
    try:
        ok, why = made(d)
        check("ci's report: a private /dev/shm of 64 MiB is made (root: a mount namespace; nobody: in a user namespace)",
              ok, why)
        if not ok:
            return
        rep = os.path.join(d, "r.json")
        h.run_in(d, [h.pv(), "run", "--policy", "ci", "--report", rep, "--", "true"])
        shm = json.load(open(rep))["policy"]["private_shm"]
        check("the report says whether a user namespace was needed (nobody) or not (root)",
              shm["size_bytes"] == 64 << 20 and shm["user_namespace"] == (h.AS_USER or not has_sys_admin()), str(shm))
        os.unlink(rep)
        for label, policy in MODES:
            h.compare(f"private /dev/shm under {label}: shm_open, mmap, sem_open across a fork work as natively",
                      [h.prog("posix_shm"), tag()], pv_args=[*policy, "--quiet"])
        r = h.run_in(d, [h.pv(), "run", "--policy", "ci", "--", "sh", "-c",
                         "df -k /dev/shm | tail -1; id -u; grep ' /dev/shm ' /proc/self/mountinfo | tail -1"])
        out = r[0].decode(errors="replace") if r else ""
        check("the run's /dev/shm is a tmpfs of 64 MiB (nosuid, nodev), and getuid() is unchanged",
              r and r[2] == 0 and " 65536 " in out and out.split("\n")[1] == str(65534 if h.AS_USER else 0)
              and "nosuid,nodev" in out and "tmpfs" in out, str(r))
        r = h.run_in(d, [h.pv(), "run", "--policy", "ci", "--shm-size", "1M", "--", "sh", "-c", "df -k /dev/shm | tail -1"])
        check("--shm-size 1M: the tmpfs is 1 MiB", r and r[2] == 0 and b" 1024 " in r[0], str(r))
        r = h.run_in(d, [h.pv(), "run", "--policy", "ci", "--shm-size", "lots", "--", "true"])
        check("--shm-size lots: refused with 125, saying what is expected",
              r and r[2] == 125 and b"--shm-size" in r[1] and b"expected none or a size" in r[1], str(r))
        # The supervisor's own work on the program's files, in the namespace (as nobody: from inside the user
        # namespace it owns): fchmod by descriptor (the descriptor taken with pidfd_getfd, the change made by the
        # supervisor), chmod by path (resolved, opened as the thread), the sealed scratch area written through
        # /proc/PID/mem and paths read with process_vm_readv (supervisor checks).
        script = ("import os; fd = os.open('/dev/shm/f', os.O_CREAT | os.O_RDWR, 0o644); os.fchmod(fd, 0o600); "
                  "a = os.stat('/dev/shm/f').st_mode & 0o777; os.chmod('/dev/shm/f', 0o640); "
                  "print(oct(a), oct(os.stat('/dev/shm/f').st_mode & 0o777))")
        for label, policy in MODES if os.path.exists(PYTHON) else ():
            r = h.run_in(d, [h.pv(), "run", *policy, "--", PYTHON, "-c", script])
            check(f"under {label}: fchmod and chmod of a file in the run's /dev/shm, made by the supervisor",
                  r and r[2] == 0 and r[0] == b"0o600 0o640\n", str(r))
        trace = os.path.join(d, "t.jsonl")
        r = h.run_in(d, [h.pv(), "run", "--policy", "ci", "--trace", trace, "--", h.prog("posix_shm"), tag() + "-tr"])
        s = h.run_in(d, [h.pv(), "summary", "--files", trace])
        check("a trace of the run names the files in its /dev/shm, and summary --files lists them",
              r and r[2] == 0 and s and s[2] == 0 and b"/dev/shm/pv-shm-" + tag().encode() + b"-tr" in s[0], f"{r} {s}")
        if not os.path.exists(PYTHON):
            h.report("Python's multiprocessing (Pool, SharedMemory, Lock) in the run's /dev/shm", None,
                     f"{PYTHON} is not on this machine")
        else:
            native = h.run_in(d, [PYTHON, "shm.py"])
            for label, policy in MODES:
                r = h.run_in(d, [h.pv(), "run", *policy, "--", PYTHON, "shm.py"])
                check(f"Python's multiprocessing (Pool, SharedMemory, Lock) under {label} runs as natively",
                      native and r and r[2] == 0 and r[0] == native[0] and b"hello" in r[0] and b"Error" not in r[1],
                      f"native {native}, under picovisor {r}")
    finally:
        shutil.rmtree(d, ignore_errors=True)


def has_sys_admin():
    try:
        for line in open("/proc/self/status"):
            if line.startswith("CapEff:"):
                return bool(int(line.split()[1], 16) & (1 << 21))
    except OSError:
        pass
    return False


def shm_isolation():
    t = tag()
    host_file = f"/dev/shm/pv-shm-host-{t}"
    d = h.fresh_dir(None)
    try:
        ok, why = made(d)
        if not ok:
            h.report("private /dev/shm: isolation from the host and from other runs", None, why)
            return
        with open(host_file, "w") as f:
            f.write("secret\n")
        os.chmod(host_file, 0o644)
        for label, policy in MODES:
            created = f"/dev/shm/pv-shm-created-{t}"
            r = h.run_in(d, [h.pv(), "run", *policy, "--", "sh", "-c",
                             f"ls -A /dev/shm; cat {host_file} 2>&1; echo mine > {created}; cat {created}"])
            check(f"under {label}: the run's /dev/shm starts empty, the host's file is not there, the run's own works",
                  r and r[2] == 0 and r[0].startswith(b"cat: ") and b"No such file" in r[0] and r[0].endswith(b"mine\n")
                  and b"secret" not in r[0], str(r))
            k = h.run_in(d, [h.pv(), "run", *policy, "--", h.prog("posix_shm"), f"{t}-keep", "keep"])
            check(f"under {label}: nothing the run made in its /dev/shm is on the host's, and nothing is left",
                  k and k[2] == 0 and b"in /dev/shm: pv-shm-%s-keep 1" % t.encode() in k[0]
                  and not os.path.exists(created) and not os.path.exists(f"/dev/shm/pv-shm-{t}-keep")
                  and not os.path.exists(f"/dev/shm/sem.pv-sem-{t}-keep") and open(host_file).read() == "secret\n",
                  f"{k} {sorted(os.listdir('/dev/shm'))[:20]}")
        r = h.run_in(d, [h.pv(), "run", "--policy", "ci", "--", "sh", "-c", "ls -A /dev/shm | wc -l"])
        check("a later run's /dev/shm is empty again (the tmpfs went with the run)", r and r[0] == b"0\n", str(r))
        # Two runs at once: each writes its name, waits for the other to have done so, and lists what it sees.
        outs = {}

        def one(name):
            outs[name] = h.run_in(d, [h.pv(), "run", "--policy", "ci", "--", "sh", "-c",
                                      f"echo {name} > /dev/shm/run-{name}; sleep 1.5; ls -A /dev/shm"])
        threads = [threading.Thread(target=one, args=(n,)) for n in ("a", "b")]
        for th in threads:
            th.start()
            time.sleep(0.3)
        for th in threads:
            th.join()
        check("two runs at once each see only their own /dev/shm",
              outs.get("a") and outs.get("b") and outs["a"][0] == b"run-a\n" and outs["b"][0] == b"run-b\n", str(outs))
    finally:
        if os.path.exists(host_file):
            os.unlink(host_file)
        shutil.rmtree(d, ignore_errors=True)


def shm_hostile():
    t = tag()
    host_file = f"/dev/shm/pv-shm-planted-{t}"
    w = sandbox_tests.World()
    try:
        with open(host_file, "w") as f:
            f.write("secret\n")
        os.chmod(host_file, 0o644)
        ok, why = made(w.launch)
        argv = [sandbox_tests.hostile("shm_namespace"), w.outside, host_file, w.extra("pid")]
        p = sandbox_tests.run(w, argv)
        out = p and (p.stdout + p.stderr).decode(errors="replace")
        check("hostile shm_namespace: the attempt works natively (so the test can fail)", p is not None and p.returncode == 1,
              out)
        for label, policy in MODES:
            if not ok:
                h.report(f"hostile shm_namespace: contained under {label}", None, why)
                continue
            w.clean_launch()
            p = sandbox_tests.run(w, [h.pv(), "run", *policy, "--"] + argv)
            sandbox_tests.check_contained("shm_namespace", label, sandbox_tests.mode_of(policy), p, REFUSALS)
        check("hostile shm_namespace: the host's planted file is untouched, nothing new in the host's /dev/shm",
              open(host_file).read() == "secret\n" and not os.path.exists("/dev/shm/pv-fill"), "")
    finally:
        if os.path.exists(host_file):
            os.unlink(host_file)
        w.close()


def shm_refused():
    """Where no namespace can be made, the run says so once and /dev/shm stays as ci's rules say (EACCES).
    Made so in a user namespace of the test's own whose user.max_user_namespaces is 0, which binds only it."""
    d = h.fresh_dir(None)
    try:
        if not shutil.which("unshare"):
            h.report("no namespace to be had: the run says why, /dev/shm stays closed", None, "unshare(1) is missing")
            return
        rep = os.path.join(d, "r.json")
        inner = (f"echo 0 > /proc/sys/user/max_user_namespaces && exec setpriv --inh-caps=-all --bounding-set=-all "
                 f"{h.pv()} run --policy ci --report {rep} -- {h.prog('posix_shm')} {tag()}-refused")
        r = h.run_in(d, ["unshare", "--user", "--map-root-user", "sh", "-c", inner])
        if r is None or b"cannot create" in r[1] or b"unshare failed" in r[1] or b"setpriv:" in r[1]:
            h.report("no namespace to be had: the run says why, /dev/shm stays closed", None,
                     f"cannot make a user namespace without nested ones here: {r}")
            return
        try:
            shm = json.load(open(rep))["policy"]["private_shm"]
        except (OSError, ValueError, KeyError, TypeError):
            shm = {}
        err = r[1].decode(errors="replace")
        check("no namespace to be had: one note on stderr says why and what to do; /dev/shm stays closed (EACCES); "
              "the report says why",
              r[2] == 1 and b"Permission denied" in r[0] and err.count("no private /dev/shm") == 1
              and "user namespaces" in err and "--shm-size none" in err
              and shm and shm.get("made") is False and shm.get("why_not"), f"{r} {shm}")
    finally:
        shutil.rmtree(d, ignore_errors=True)


def groups(harness):
    global h
    h = harness
    sandbox_tests.h = harness
    return [shm_functions, shm_isolation, shm_hostile, shm_refused]
