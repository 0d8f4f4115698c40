"""Hostile NT programs (tests/nt/*.c) against the holes of the NT personality: each runs as root and as
nobody (the harness runs every group twice), without a policy and under --policy ci, in a fresh directory
mapped as drive C:. Each program prints TAP; exit 2 means its own setup failed ("cannot test"), which is a
failure here, never a pass. The runner adds what only the outside can see (a marker that must not reach
the output, a host file that must not change)."""
import os
import shutil
import signal
import subprocess
import tempfile
import time

import nt_tests

h = None
POLICIES = [None, "ci"]


def check(name, ok, detail=""):
    h.report(name, bool(ok), detail)


def argv_for(prog, policy, d, args=()):
    pol = ["--quiet", "--policy", policy] if policy else []
    return [h.pv(), "run"] + pol + ["--drive", f"C:={d}", "--", nt_tests.nt(prog)] + list(args)


def run_prog(prog, policy, d, args=(), timeout=60):
    return nt_tests.run(argv_for(prog, policy, d, args), d, timeout=timeout)


def tap(r):
    if r is None:
        return False, "timed out"
    if r[2] == 2:
        return False, "cannot test (the program's own setup failed)\n" + r[0][-600:]
    ok, why = nt_tests.tap_ok(r[0])
    return ok and r[2] == 0, f"{why}\n  status {r[2]}\n  stdout: {r[0][-600:]}\n  stderr: {r[1][-400:]}"


def each_policy(fn):
    for policy in POLICIES:
        d = nt_tests.scratch()
        try:
            fn(policy or "none", policy, d)
        finally:
            shutil.rmtree(d, ignore_errors=True)


def nt_holes_chained_calls():
    """A service's second Linux call runs only as picovisor wrote it: a thread swapping the syscall
    instruction for a jump to a raw Linux write gets the read abandoned, never the write."""
    if nt_tests.skipped_without_programs("nt holes chained calls"):
        return

    def one(label, policy, d):
        r = run_prog("chain_swap.exe", policy, d)
        ok, why = tap(r)
        check(f"nt hostile ({label}): a swapped syscall instruction runs nothing raw",
              ok and "RAW-LINUX-WRITE" not in r[0] + r[1], why)
    each_policy(one)


def nt_holes_thread_end():
    """A thread that ends before NtCreateThreadEx has answered still signals its handle (the WaitAll hang)."""
    if nt_tests.skipped_without_programs("nt holes thread end"):
        return

    def one(label, policy, d):
        ok, why = tap(run_prog("thread_end_race.exe", policy, d))
        check(f"nt ({label}): 2000 threads that end at once, each end reaches its handle", ok, why)
    each_policy(one)


def nt_holes_out_params():
    """Out-parameters never land where the program could not write: .rdata, ntdll's code, the scratch area."""
    if nt_tests.skipped_without_programs("nt holes out params"):
        return

    def one(label, policy, d):
        ok, why = tap(run_prog("out_params.exe", policy, d))
        check(f"nt hostile ({label}): no out-parameter in read-only memory or the scratch area", ok, why)
    each_policy(one)


def nt_holes_supervisor_bounds():
    """Nothing a program sends stops or exhausts the supervisor: an exponential wildcard mask, a 4 GiB
    directory Length, a 64 TiB reservation, a 64 GiB view, a 1 TiB copy (60 s at most; the mask took
    minutes and the reservation killed picovisor before)."""
    if nt_tests.skipped_without_programs("nt holes supervisor bounds"):
        return

    def one(label, policy, d):
        ok, why = tap(run_prog("supervisor_dos.exe", policy, d, timeout=60))
        check(f"nt hostile ({label}): wildcards, lengths and reservations cannot stall or exhaust picovisor",
              ok, why)
    each_policy(one)


def nt_holes_timeouts():
    """Timeouts at the edges of 64 bits (relative 2^62 ticks, INT64_MIN, the largest absolute time) wait
    until the object is signalled instead of timing out at once."""
    if nt_tests.skipped_without_programs("nt holes timeouts"):
        return

    def one(label, policy, d):
        ok, why = tap(run_prog("timeouts.exe", policy, d, timeout=30))
        check(f"nt hostile ({label}): timeout arithmetic without overflow", ok, why)
    each_policy(one)


def interrupt(policy, d, sig, also=None):
    """Run wait_forever.exe until it says "waiting", send picovisor sig (after also, a signal that must not
    end the waits): (returncode or None if it hung, seconds to end, output)."""
    argv = argv_for("wait_forever.exe", policy, d)
    if h.AS_USER:
        argv = [shutil.which("setpriv")] + h.NOBODY[1:] + argv
    p = subprocess.Popen(argv, cwd=d, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        line = p.stdout.readline()
        time.sleep(0.2)
        if also:
            p.send_signal(also)
            time.sleep(0.3)
        t0 = time.time()
        p.send_signal(sig)
        rc = p.wait(timeout=10)
        return rc, time.time() - t0, line.decode(errors="replace") + p.stdout.read().decode(errors="replace")
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        return None, 10, ""


def nt_holes_interrupt_waits():
    """SIGTERM and SIGINT to picovisor end a run whose threads all wait in NT waits (parked at their seccomp
    stops), as the program would end; a signal that does not end it leaves the waits waiting; the wall
    limit ends it with 124."""
    if nt_tests.skipped_without_programs("nt holes interrupt waits"):
        return

    def one(label, policy, d):
        for sig, name in ((signal.SIGTERM, "SIGTERM"), (signal.SIGINT, "SIGINT")):
            rc, took, out = interrupt(policy, d, sig)
            check(f"nt ({label}): {name} ends a run whose threads wait forever, as the program would end",
                  rc == -sig and took < 5 and out.startswith("waiting") and "ended" not in out,
                  f"  status {rc} after {took:.2f} s\n  output {out!r}")
        rc, took, out = interrupt(policy, d, signal.SIGTERM, also=signal.SIGWINCH)
        check(f"nt ({label}): a signal that does not end the program leaves its waits waiting",
              rc == -signal.SIGTERM and "ended" not in out, f"  status {rc}\n  output {out!r}")
        if policy:
            t0 = time.time()
            r = nt_tests.run([h.pv(), "run", "--quiet", "--policy", policy, "--limit", "wall=1s", "--drive", f"C:={d}",
                              "--", nt_tests.nt("wait_forever.exe")], d, timeout=20)
            check(f"nt ({label}): the wall limit ends a run whose threads wait forever (124)",
                  r and r[2] == 124 and time.time() - t0 < 6, r)
    each_policy(one)


DRIVE_DIRS = {"C": "c", "D": "D", "E": "E", "F": "F", "G": "G", "H": "H", "I": "H/inner", "J": "J"}


def nt_holes_drive_roots():
    """A drive's root, and a directory above another drive's root, cannot be renamed away, replaced or
    removed (FileRenameInformation, NtDeleteFile, FileDispositionInformation, FILE_DELETE_ON_CLOSE). The
    drives are in the working directory, which --policy ci lets the program write."""
    if nt_tests.skipped_without_programs("nt holes drive roots"):
        return

    def setup(d):
        for sub in DRIVE_DIRS.values():
            os.makedirs(os.path.join(d, sub), exist_ok=True)

    for policy in POLICIES:
        label = policy or "none"
        d = nt_tests.scratch(setup)
        try:
            pol = ["--quiet", "--policy", policy] if policy else []
            drives = [a for k, v in DRIVE_DIRS.items() for a in ("--drive", f"{k}:={os.path.join(d, v)}")]
            r = nt_tests.run([h.pv(), "run"] + pol + drives + ["--", nt_tests.nt("drive_root.exe")], d)
            ok, why = tap(r)
            left = sorted(os.listdir(d))
            intact = all(os.path.isdir(os.path.join(d, v)) for v in DRIVE_DIRS.values())
            check(f"nt hostile ({label}): drive roots are not renamed, replaced or removed",
                  ok and intact and not any(x.startswith("moved") for x in left), f"{why}\n  left: {left}")
        finally:
            shutil.rmtree(d, ignore_errors=True)


def nt_holes_metadata():
    """FileBasicInformation acts on the file the handle holds (never a name a symlink or rename redirected
    since), and under a policy needs the policy's write rule on that file, as fchmod/utimensat do (Landlock
    has no right for mode and times). The outside file is the program's own (nobody's when run as nobody),
    so only picovisor's checks stand between it and the program."""
    if nt_tests.skipped_without_programs("nt holes metadata"):
        return
    for policy in POLICIES:
        label = policy or "none"
        outside = tempfile.mkdtemp(prefix="pv-nt-outside-")
        victim = os.path.join(outside, "victim")
        with open(victim, "w") as f:
            f.write("secret\n")
        os.chmod(victim, 0o644)
        os.utime(victim, (1000000000, 1000000000))
        os.chmod(outside, 0o755)
        if h.AS_USER:
            subprocess.run(["chown", "-R", "65534:65534", outside], check=True)

        def setup(d):
            os.mkdir(os.path.join(d, "dir2"))
            os.symlink(victim, os.path.join(d, "dir2", "a"))
            os.symlink(outside, os.path.join(d, "dir2", "inner"))
        d = nt_tests.scratch(setup)
        try:
            pol = ["--quiet", "--policy", policy, "--path", f"r:{outside}", "--drive", f"D:={outside}"] if policy else []
            r = nt_tests.run([h.pv(), "run"] + pol + ["--drive", f"C:={d}", "--", nt_tests.nt("meta_escape.exe")] +
                             (["policy"] if policy else []), d)
            ok, why = tap(r)
            st = os.stat(victim)
            link_kept = os.path.islink(os.path.join(d, "dir1", "a")) and not os.path.lexists(os.path.join(d, "dir1", "renamed"))
            link_kept = link_kept and not os.path.lexists(os.path.join(outside, "rel.txt"))
            check(f"nt hostile ({label}): FileBasicInformation and renames act on the handle's file only, under the policy's rules",
                  ok and link_kept and (st.st_mode & 0o777) == 0o644 and int(st.st_mtime) == 1000000000,
                  f"{why}\n  outside file: mode {st.st_mode & 0o777:o} mtime {int(st.st_mtime)}; symlink kept {link_kept}")
        finally:
            shutil.rmtree(d, ignore_errors=True)
            shutil.rmtree(outside, ignore_errors=True)


def groups(harness):
    global h
    h = harness
    return [nt_holes_chained_calls, nt_holes_thread_end, nt_holes_out_params, nt_holes_supervisor_bounds, nt_holes_timeouts, nt_holes_interrupt_waits, nt_holes_drive_roots, nt_holes_metadata]
