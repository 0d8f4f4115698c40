"""Hostile NT programs (tests/nt/*.c) against the holes a red team found in the NT personality: each runs as
root and as nobody (the harness runs every group twice), without a policy and under --policy ci. Exit 2 means
the program's own setup failed ("cannot test"), a failure here. The runner adds what only the outside can see
(files outside every drive that must not change)."""
import os
import shutil
import tempfile
import threading
import time

import nt_tests

h = None
POLICIES = [None, "ci"]


def check(name, ok, detail=""):
    h.report(name, bool(ok), detail)


def tap(r):
    if r is None:
        return False, "timed out"
    if r[2] == 2:
        return False, "cannot test (the program's own setup failed)\n" + r[0][-600:]
    ok, why = nt_tests.tap_ok(r[0])
    return ok and r[2] == 0, f"{why}\n  status {r[2]}\n  stdout: {r[0][-600:]}\n  stderr: {r[1][-400:]}"


def outside_dir():
    """A directory outside every drive that the program's user could change if it reached it."""
    o = tempfile.mkdtemp(prefix="pv-nt-out-")
    os.chmod(o, 0o777)
    for name, text in (("secret.txt", "SECRET\n"), ("victim", "v\n")):
        with open(os.path.join(o, name), "w") as f:
            f.write(text)
        os.chmod(os.path.join(o, name), 0o666)
    return o


def swap_forever(d, outside, stop):
    """C:\\sw: a directory, then a symlink to outside, again and again (until stop)."""
    sw, real = os.path.join(d, "sw"), os.path.join(d, "swreal")
    while not stop.is_set():
        try:
            os.rename(sw, real)
            os.symlink(outside, sw)
            time.sleep(0.001)
            os.unlink(sw)
            os.rename(real, sw)
            time.sleep(0.001)
        except OSError:
            pass


def nt_redteam_symlinks():
    """A symlink planted in a drive never leads out of it: names through one are refused (ACCESS_DENIED), and
    one swapped in between picovisor's resolution and the thread's own call makes nothing happen outside."""
    if nt_tests.skipped_without_programs("nt redteam symlinks"):
        return
    for policy in POLICIES:
        label = policy or "none"
        outside = outside_dir()

        def setup(d):
            os.symlink(outside, os.path.join(d, "esc"))
            os.mkdir(os.path.join(d, "sub"))
            os.mkdir(os.path.join(d, "sw"))
            with open(os.path.join(d, "sub", "inside.txt"), "w") as f:
                f.write("in\n")
            os.symlink(os.path.join(d, "sub"), os.path.join(d, "in"))
            os.symlink(outside, os.path.join(d, "sub", "link"))
            with open(os.path.join(d, "move.txt"), "w") as f:
                f.write("m\n")
        d = nt_tests.scratch(setup)
        stop = threading.Event()
        swapper = threading.Thread(target=swap_forever, args=(d, outside, stop))
        swapper.start()
        try:
            pol = ["--quiet", "--policy", policy] if policy else []
            r = nt_tests.run([h.pv(), "run"] + pol + ["--drive", f"C:={d}", "--", nt_tests.nt("symlink_escape.exe")],
                             d, timeout=120)
            stop.set()
            swapper.join()
            ok, why = tap(r)
            left = sorted(os.listdir(outside))
            with open(os.path.join(outside, "secret.txt")) as f:
                secret_kept = f.read() == "SECRET\n"
            clean = left == ["secret.txt", "victim"] and secret_kept and r is not None and "READ-OUTSIDE" not in r[0]
            check(f"nt hostile ({label}): symlinks in a drive lead nowhere outside it, even swapped in mid-call",
                  ok and clean, f"{why}\n  outside now holds {left}, secret kept {secret_kept}")
        finally:
            stop.set()
            swapper.join()
            shutil.rmtree(d, ignore_errors=True)
            shutil.rmtree(outside, ignore_errors=True)


def nt_redteam_sections():
    """A section never gives more than the file handle allows: a read-write section needs FILE_WRITE_DATA, any
    section FILE_READ_DATA; views never exceed their section (nor do NtProtectVirtualMemory's changes to them);
    WRITECOPY views are private copies. The runner checks that no file changed."""
    if nt_tests.skipped_without_programs("nt redteam sections"):
        return
    files = {"appendonly.txt": "ORIGINAL append\n", "secret.txt": "ORIGINAL secret\n", "cow.txt": "ORIGINAL cow\n"}
    for policy in POLICIES:
        label = policy or "none"

        def setup(d):
            for name, text in files.items():
                with open(os.path.join(d, name), "w") as f:
                    f.write(text)
        d = nt_tests.scratch(setup)
        try:
            pol = ["--quiet", "--policy", policy] if policy else []
            r = nt_tests.run([h.pv(), "run"] + pol + ["--drive", f"C:={d}", "--", nt_tests.nt("section_rights.exe")], d)
            ok, why = tap(r)
            changed = []
            for name, text in files.items():
                with open(os.path.join(d, name)) as f:
                    if f.read() != text:
                        changed.append(name)
            check(f"nt hostile ({label}): sections and views within the handle's access, WRITECOPY private",
                  ok and not changed, f"{why}\n  files changed: {changed}")
        finally:
            shutil.rmtree(d, ignore_errors=True)


def nt_redteam_named_objects():
    """Named objects keep a bounded amount of supervisor memory: creations beyond the run's bound are
    STATUS_INSUFFICIENT_RESOURCES (before, 30,000 names of 32766 units took 2.9 GB), names are still shared."""
    if nt_tests.skipped_without_programs("nt redteam named objects"):
        return
    for policy in POLICIES:
        label = policy or "none"
        d = nt_tests.scratch()
        try:
            pol = ["--quiet", "--policy", policy] if policy else []
            r = nt_tests.run([h.pv(), "run"] + pol + ["--drive", f"C:={d}", "--", nt_tests.nt("named_objects.exe")], d)
            ok, why = tap(r)
            check(f"nt hostile ({label}): named objects within the run's bound on supervisor memory", ok, why)
        finally:
            shutil.rmtree(d, ignore_errors=True)


def nt_redteam_handles():
    """A handle table of 30000 handles: closed values are given again at once (no search through the table,
    which made filling it quadratic), each value distinct and naming its own object; 60 s at most."""
    if nt_tests.skipped_without_programs("nt redteam handles"):
        return
    for policy in POLICIES:
        label = policy or "none"
        d = nt_tests.scratch()
        try:
            pol = ["--quiet", "--policy", policy] if policy else []
            r = nt_tests.run([h.pv(), "run"] + pol + ["--drive", f"C:={d}", "--", nt_tests.nt("many_handles.exe")], d,
                             timeout=60)
            ok, why = tap(r)
            check(f"nt hostile ({label}): handle values reused without a search, each naming its object", ok, why)
        finally:
            shutil.rmtree(d, ignore_errors=True)


def nt_redteam_terminate_thread():
    """NtTerminateThread of another thread ends it with its status and signals it: a wait for it returns,
    whether it was busy in services, parked in a wait (its mutant abandoned) or in a Linux call (before:
    STATUS_NOT_IMPLEMENTED and the wait never ended)."""
    if nt_tests.skipped_without_programs("nt redteam terminate thread"):
        return
    for policy in POLICIES:
        label = policy or "none"
        d = nt_tests.scratch()
        try:
            pol = ["--quiet", "--policy", policy] if policy else []
            r = nt_tests.run([h.pv(), "run"] + pol + ["--drive", f"C:={d}", "--", nt_tests.nt("terminate_thread.exe")],
                             d, timeout=60)
            ok, why = tap(r)
            check(f"nt ({label}): NtTerminateThread of another thread ends it, and its waiters wake",
                  ok and "RAN-ON" not in r[0], why)
        finally:
            shutil.rmtree(d, ignore_errors=True)


def groups(harness):
    global h
    h = harness
    return [nt_redteam_symlinks, nt_redteam_sections, nt_redteam_named_objects, nt_redteam_handles,
            nt_redteam_terminate_thread]
