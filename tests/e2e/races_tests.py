"""End-to-end tests of races on what picovisor checks (imported by run.py, which passes itself as h).

A hostile program races a check: a second thread or a child flips the path buffer, another thread swaps a
descriptor or the working directory, a thread swaps the descriptor picovisor writes the stub into. Each race
is first shown to win natively many times (so the test can fail), then run as long under --policy ci and
under ci with a narrowing rule (the supervisor checks every path), where it must never win."""
import os
import re
import stat
import subprocess
import threading

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


# The errnos a race's verdict names (docs/policy.md, "Refusal errnos"; sandbox_tests.REFUSALS' form): each
# distinct errno once. The attempts on the outside file are refused by path (EACCES); a name the other thread
# has just taken away is not there (ENOENT), natively too; a connect the acceptor has not caught up with
# finds the listener's backlog full (EAGAIN); an open whose checked directory was swapped for a symlink after
# the check fails on the pinned path (ELOOP). openat2_narrowed: one refused open (EACCES).
RACE_REFUSAL = sandbox_tests.AnyOf({"EACCES"}, {"ENOENT"})
REFUSALS = {"race_attr_flip": RACE_REFUSAL, "race_attr_shared": RACE_REFUSAL, "race_attr_dup2": RACE_REFUSAL,
            "race_attr_chdir": RACE_REFUSAL, "race_open": sandbox_tests.AnyOf({"EACCES"}, {"ENOENT", "ELOOP"}),
            "race_unix_flip": sandbox_tests.AnyOf({"EACCES"}, {"ENOENT", "EAGAIN"}),
            "openat2_narrowed": "EACCES", "exec_stub_swap": "-", "race_interp": "-"}


def refused_as_documented(name, policy, p, out):
    return sandbox_tests.judge(name, sandbox_tests.mode_of(policy), p and p.returncode, out, REFUSALS)[0]


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
                      p is not None and p.returncode == 0 and won == 0 and tries and tries >= 100 and mode == 0o644
                      and refused_as_documented(name, policy, p, out), f"mode {mode:o}\n" + out[-800:])
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


def name_calls():
    """Under the supervisor's path checks, names are made and removed by picovisor in the directory it checked:
    results, errnos, modes (umask) and link counts as native."""
    h.compare("names made and removed in the checked directory: as native under ci with a narrowing rule",
              [h.prog("name_calls")], pv_args=("--quiet", "--policy", "ci", "--path", "r:/usr/share"))
    h.compare("names made and removed: as native under ci (Landlock decides)",
              [h.prog("name_calls")], pv_args=("--quiet", "--policy", "ci"))


def open_races():
    """Opens (and an unlink) the supervisor checks under a narrowing rule (./secret taken away inside the launch directory, which
    Landlock opens): another thread changes what the checked open names after the check."""
    w = sandbox_tests.World()
    try:
        for how in ("flip", "chdir", "symlink", "dirfd", "unlink", "truncate"):
            narrowing = ["--policy", "ci", "--path", "-:" + os.path.join(w.launch, "secret")]
            for label, argv in (("natively", []), ("under --policy ci with ./secret narrowed away",
                                                     [h.pv(), "run", "--quiet", *narrowing, "--"])):
                w.clean_launch()
                os.mkdir(os.path.join(w.launch, "secret"))
                with open(os.path.join(w.launch, "secret", "f"), "w") as f:
                    f.write("secret\n")
                if h.AS_USER:
                    subprocess.run(["chown", "-R", "65534:65534", os.path.join(w.launch, "secret")], check=True)
                p = sandbox_tests.run(w, argv + [hostile("race_open"), w.outside, how])
                out = (p.stdout + p.stderr).decode(errors="replace") if p else "timed out"
                won, tries = wins(out)
                if not argv:
                    check(f"race race_open ({how}): wins natively, many times (so the test can fail)",
                          p is not None and p.returncode == 1 and won is not None and won >= 10, out[-800:])
                else:
                    check(f"race race_open ({how}): never wins {label}", p is not None and p.returncode == 0
                          and won == 0 and tries and tries >= 20 and refused_as_documented("race_open", narrowing, p, out),
                          out[-800:])
        for label, argv in (("natively", []), ("under --policy ci with ./secret narrowed away (EACCES)",
                                                 [h.pv(), "run", "--quiet", "--policy", "ci", "--path",
                                                  "-:" + os.path.join(w.launch, "secret"), "--"])):
            w.clean_launch()
            os.mkdir(os.path.join(w.launch, "secret"))
            with open(os.path.join(w.launch, "secret", "f"), "w") as f:
                f.write("secret\n")
            p = sandbox_tests.run(w, argv + [hostile("openat2_narrowed")])
            out = (p.stdout + p.stderr).decode(errors="replace") if p else "timed out"
            check(f"openat2 without RESOLVE flags of a narrowed-away file: {'reads it' if not argv else 'refused'} {label}",
                  p is not None and p.returncode == 1 if not argv else
                  refused_as_documented("openat2_narrowed", ["--path", "-:secret"], p, out), out[-800:])
    finally:
        w.close()


def drain(listener, stop):
    """Accept and close whatever reaches the world's outside listener, so that its backlog never fills."""
    listener.settimeout(0.2)
    while not stop.is_set():
        try:
            c, _ = listener.accept()
            c.close()
        except OSError:
            pass


def unix_races():
    """connect to a pathname unix socket whose address another thread flips (no Landlock right covers it)."""
    w = sandbox_tests.World()
    stop = threading.Event()
    t = threading.Thread(target=drain, args=(w.unix, stop))
    t.start()
    try:
        w.clean_launch()
        p = sandbox_tests.run(w, [hostile("race_unix_flip"), w.outside])
        out = (p.stdout + p.stderr).decode(errors="replace") if p else "timed out"
        won, tries = wins(out)
        check("race race_unix_flip (a second thread flips connect's address): wins natively, many times",
              p is not None and p.returncode == 1 and won is not None and won >= 10, out[-800:])
        for label, policy in sandbox_tests.POLICIES:
            w.clean_launch()
            p = sandbox_tests.run(w, [h.pv(), "run", "--quiet", *policy, "--", hostile("race_unix_flip"), w.outside])
            out = (p.stdout + p.stderr).decode(errors="replace") if p else "timed out"
            won, tries = wins(out)
            check(f"race race_unix_flip (a second thread flips connect's address): never wins under {label}",
                  p is not None and p.returncode == 0 and won == 0 and tries and tries >= 100
                  and refused_as_documented("race_unix_flip", policy, p, out), out[-800:])
    finally:
        stop.set()
        t.join()
        w.close()


UNIX_PATHS = r"""
import socket, os, errno, struct
def r(what, f):
    try:
        v = f()
        print(what, "ok", v if v is not None else "")
    except OSError as e:
        print(what, errno.errorcode[e.errno])
os.makedirs("d", exist_ok=True)
l = socket.socket(socket.AF_UNIX); l.bind("d/s"); l.listen(8)
c = socket.socket(socket.AF_UNIX)
r("connect relative", lambda: c.connect("d/s"))
r("peername", lambda: c.getpeername())
a, _ = l.accept()
r("peercred uid", lambda: struct.unpack("3i", a.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))[1] == os.getuid())
r("send/recv", lambda: (c.send(b"hi"), a.recv(10)))
os.symlink("d/s", "link")
r("connect through a symlink", lambda: socket.socket(socket.AF_UNIX).connect("link"))
r("connect missing", lambda: socket.socket(socket.AF_UNIX).connect("nothere"))
open("plain", "w").close()
r("connect a file that is no socket", lambda: socket.socket(socket.AF_UNIX).connect("plain"))
r("connect dgram to stream", lambda: socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).connect("d/s"))
d = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); d.bind("dg"); d.settimeout(2)
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
r("sendto", lambda: s.sendto(b"abc", "dg"))
r("recv", lambda: d.recv(10))
r("sendmsg", lambda: s.sendmsg([b"de", b"f"], [], 0, "dg"))
r("recv", lambda: d.recv(10))
open("passed", "w").write("through a descriptor\n")
pf = os.open("passed", os.O_RDONLY)
r("sendmsg with a descriptor", lambda: s.sendmsg([b"x"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, struct.pack("i", pf))], 0, "dg"))
def got_fd():
    msg, anc, flags, addr = d.recvmsg(10, socket.CMSG_SPACE(4))
    fd = struct.unpack("i", anc[0][2][:4])[0]
    return msg, os.read(fd, 100), os.fstat(fd).st_ino == os.fstat(pf).st_ino
r("recvmsg the descriptor", got_fd)
r("sendto missing", lambda: s.sendto(b"abc", "nothere"))
r("sendto on a connected stream", lambda: c.sendto(b"abc", "dg"))
r("connect a descriptor that is no socket", lambda: socket.socket(fileno=os.dup(1)).connect("d/s"))
"""


def unix_paths():
    """connect, sendto and sendmsg to socket files, served by picovisor on the file it checked: as native."""
    setup = lambda d: open(os.path.join(d, "unix_paths.py"), "w").write(UNIX_PATHS)
    for label, policy in sandbox_tests.POLICIES:
        h.compare(f"unix socket paths served on the checked socket file: as native under {label}",
                  ["/usr/bin/python3", "unix_paths.py"], setup=setup, pv_args=("--quiet", *policy), timeout=30)


def exec_paths():
    """The exec path works on objects picovisor holds, never on numbers or names the program can change."""
    w = sandbox_tests.World()
    try:
        for label, policy in sandbox_tests.POLICIES:
            w.clean_launch()
            p = sandbox_tests.run(w, [h.pv(), "run", *policy, "--", hostile("exec_stub_swap"), w.outside])
            out = (p.stdout + p.stderr).decode(errors="replace") if p else "timed out"
            check(f"race exec_stub_swap: the stub is never written through a swapped descriptor under {label}",
                  refused_as_documented("exec_stub_swap", policy, p, out) and victim_intact(w), out[-1500:])
    finally:
        w.close()
    w = sandbox_tests.World()
    try:
        for label in ("natively", "under --policy ci with ./nox given no x"):
            w.clean_launch()
            for entry in os.listdir(w.launch):
                subprocess.run(["rm", "-rf", os.path.join(w.launch, entry)], check=True)
            prog = os.path.join(w.launch, "race_interp")  # readable under the policy: it copies itself
            subprocess.run(["cp", hostile("race_interp"), prog], check=True)
            if h.AS_USER:
                subprocess.run(["chown", "65534:65534", prog], check=True)
            pv = [] if label == "natively" else [h.pv(), "run", "--quiet", "--policy", "ci", "--path",
                                                   "rwc:" + os.path.join(w.launch, "nox"), "--"]
            p = sandbox_tests.run(w, pv + ["./race_interp", w.outside])
            out = (p.stdout + p.stderr).decode(errors="replace") if p else "timed out"
            won, tries = wins(out)
            if not pv:
                check("race race_interp (a #! interpreter's symlink switched to a file without x): wins natively",
                      p is not None and p.returncode == 1 and won is not None and won >= 5, out[-800:])
            else:
                check(f"race race_interp: the executor never maps an interpreter other than the checked one {label}",
                      p is not None and won == 0 and refused_as_documented("race_interp", pv, p, out), out[-800:])
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
    return [attr_races, attr_calls, name_calls, open_races, unix_races, unix_paths, exec_paths]
