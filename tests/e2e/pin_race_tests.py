"""End-to-end tests of races on what the supervisor pins (imported by run.py, which passes itself as h).

Paths through /proc magic links and names ending in "..", a relative unix socket name for bind, and the
pidfd of pidfd_getfd: another thread changes what the checked argument names (dup2, chdir) between the
supervisor's check and the kernel's use. Each race is first shown to win natively many times (so the test
can fail), then run as long under --policy ci with a narrowing rule (the supervisor checks every path,
Landlock behind it) and with --no-landlock (the supervisor alone), or under --on-violation log for the pidfd,
where it must never win and every refusal has the errno docs/policy.md gives."""
import os
import subprocess

import races_tests
import sandbox_tests

h = None

# docs/policy.md, "Refusal errnos": what the check sees in ./secret is refused by path (EACCES), as is a
# pipe reached through /proc while another thread shares the descriptor table (it cannot be pinned); a name
# the other thread's chdir took away is not there (ENOENT, natively too); a pinned path whose directory was
# swapped for a symlink fails (ELOOP). A pidfd of a process outside the run, and pidfd_getfd while another
# thread shares the table, are refused with EPERM in every mode.
REFUSALS = {"race_proc_link": sandbox_tests.AnyOf({"EACCES"}, {"ENOENT", "ELOOP"}),
            "race_bind_cwd": sandbox_tests.AnyOf({"EACCES"}, {"ENOENT"}),
            "race_pidfd_swap": "EPERM"}


def check(name, ok, detail=""):
    h.report(name, bool(ok), detail)


def hostile(name):
    return os.path.join(h.STAGE, "progs", "hostile", name)


def output(p):
    return (p.stdout + p.stderr).decode(errors="replace") if p else "timed out"


def judged(name, policy, p, out):
    return sandbox_tests.judge(name, sandbox_tests.mode_of(policy), p and p.returncode, out, REFUSALS)[0]


def fresh_secret(w):
    """./secret/f ("secret") and ./secret/sub in a clean launch directory, the test user's."""
    w.clean_launch()
    secret = os.path.join(w.launch, "secret")
    os.makedirs(os.path.join(secret, "sub"))
    with open(os.path.join(secret, "f"), "w") as f:
        f.write("secret\n")
    if h.AS_USER:
        subprocess.run(["chown", "-R", "65534:65534", secret], check=True)
    return secret


def narrowing(w):
    """The policies: ./secret taken away inside the launch directory, with Landlock behind and alone."""
    rule = ["--policy", "ci", "--path", "-:" + os.path.join(w.launch, "secret")]
    return [("--policy ci with ./secret narrowed away", rule),
            ("--policy ci --no-landlock with ./secret narrowed away, the supervisor alone", rule + ["--no-landlock"])]


def race(w, name, argv_tail, what, min_tries=20, pass_fds=(), keep=()):
    """Native first (it must win many times), then under each policy (it must never win)."""
    fresh_secret(w)
    p = sandbox_tests.run(w, [hostile(name), *argv_tail], pass_fds=pass_fds)
    out = output(p)
    won, tries = races_tests.wins(out)
    check(f"race {name} ({what}): wins natively, many times (so the test can fail)",
          p is not None and p.returncode == 1 and won is not None and won >= 10, out[-800:])
    for label, policy in (narrowing(w) if not keep else LOG_POLICIES):
        fresh_secret(w)
        p = sandbox_tests.run(w, [h.pv(), "run", "--quiet", *policy, *keep, "--", hostile(name), *argv_tail],
                              pass_fds=pass_fds)
        out = output(p)
        won, tries = races_tests.wins(out)
        check(f"race {name} ({what}): never wins under {label}",
              p is not None and p.returncode == 0 and won == 0 and tries and tries >= min_tries
              and judged(name, policy, p, out), out[-800:])


PROC_LINK_RACES = [("fd", "open /proc/self/fd/N/f while N is dup2'd between . and ./secret"),
                   ("cwd", "open /proc/self/cwd/f while another thread changes the cwd"),
                   ("reopen", "reopen /proc/self/fd/N while N is dup2'd between ./f and ./secret/f"),
                   ("pipe", "reopen /proc/self/fd/N while N is dup2'd between a pipe and ./secret/f"),
                   ("dots", "open sub/.. while another thread changes the cwd")]


def proc_link_races():
    """Paths through /proc magic links and names ending in "..": pinned to what the check resolved."""
    w = sandbox_tests.World()
    try:
        for how, what in PROC_LINK_RACES:
            race(w, "race_proc_link", [w.outside, how], what)
    finally:
        w.close()


PROC_PATHS = r"""
import errno, os, stat
def r(what, f):
    try:
        v = f()
        print(what, "ok", v if v is not None else "")
    except OSError as e:
        print(what, errno.errorcode[e.errno])
def read(path, flags=os.O_RDONLY):
    fd = os.open(path, flags)
    try:
        return os.read(fd, 100)
    finally:
        os.close(fd)
os.makedirs("d/sub", exist_ok=True)
open("f", "w").write("file\n")
open("d/g", "w").write("in d\n")
f = os.open("f", os.O_RDONLY)
d = os.open("d", os.O_RDONLY | os.O_DIRECTORY)
p = os.open("f", os.O_PATH)
r("reopen a file", lambda: read(f"/proc/self/fd/{f}"))
r("reopen an O_PATH descriptor for writing", lambda: os.close(os.open(f"/proc/self/fd/{p}", os.O_WRONLY)))
r("through /dev/fd", lambda: read(f"/dev/fd/{f}"))
r("below a directory's descriptor", lambda: read(f"/proc/self/fd/{d}/g"))
r("below it, missing", lambda: read(f"/proc/self/fd/{d}/nothere"))
r("below a file's descriptor", lambda: read(f"/proc/self/fd/{f}/x"))
r("a closed descriptor", lambda: read("/proc/self/fd/99/x"))
r("through the cwd link", lambda: read("/proc/self/cwd/f"))
r("through thread-self", lambda: read("/proc/thread-self/cwd/d/g"))
r("through the root link", lambda: len(read(os.path.realpath("f").replace("/", "/proc/self/root/", 1))))
r("stat through a link", lambda: stat.S_ISDIR(os.stat(f"/proc/self/fd/{d}/sub").st_mode))
r("mkdir through a link", lambda: os.mkdir(f"/proc/self/fd/{d}/made"))
r("it is there", lambda: os.path.isdir("d/made"))
r("rmdir through a link", lambda: os.rmdir("/proc/self/cwd/d/made"))
r("create through a link", lambda: os.close(os.open(f"/proc/self/fd/{d}/new", os.O_CREAT | os.O_WRONLY, 0o640)))
r("its mode", lambda: oct(stat.S_IMODE(os.stat("d/new").st_mode) & ~0o022))
r("unlink through a link", lambda: os.unlink(f"/proc/self/fd/{d}/new"))
rp, wp = os.pipe()
os.write(wp, b"piped")
r("reopen a pipe", lambda: read(f"/proc/self/fd/{rp}", os.O_RDONLY | os.O_NONBLOCK))
r("reopen a pipe for writing", lambda: os.write(os.open(f"/proc/self/fd/{wp}", os.O_WRONLY), b"more"))
r("through /dev/stdout (a pipe)", lambda: os.write(os.open("/dev/stdout", os.O_WRONLY), b"to stdout\n"))
t = os.open(".", os.O_TMPFILE | os.O_RDWR, 0o600)
os.write(t, b"tmpfile")
r("reopen an O_TMPFILE file", lambda: read(f"/proc/self/fd/{t}"))
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
def linkat_follow(old, new):
    if libc.linkat(-100, old.encode(), -100, new.encode(), 0x400) < 0:
        raise OSError(ctypes.get_errno(), "linkat")
r("link it (linkat, AT_SYMLINK_FOLLOW)", lambda: linkat_follow(f"/proc/self/fd/{t}", "linked"))
r("linked", lambda: read("linked"))
open("gone", "w").write("deleted\n")
g = os.open("gone", os.O_RDONLY)
os.unlink("gone")
r("reopen a deleted file", lambda: read(f"/proc/self/fd/{g}"))
m = os.memfd_create("m")
os.write(m, b"memfd")
r("reopen a memfd", lambda: read(f"/proc/self/fd/{m}"))
r("open sub/..", lambda: sorted(os.listdir(os.open("d/sub/..", os.O_RDONLY | os.O_DIRECTORY))))
r("open d/.", lambda: sorted(os.listdir(os.open("d/.", os.O_RDONLY | os.O_DIRECTORY))))
r("stat d/sub/.", lambda: stat.S_ISDIR(os.stat("d/sub/.").st_mode))
r("rmdir d/sub/.", lambda: os.rmdir("d/sub/."))
r("rmdir d/sub/..", lambda: os.rmdir("d/sub/.."))
r("mkdir d/.", lambda: os.mkdir("d/."))
r("unlink d/..", lambda: os.unlink("d/.."))
r("rename d/sub/. away", lambda: os.rename("d/sub/.", "elsewhere"))
r("open f/..", lambda: os.open("f/..", os.O_RDONLY))
r("open .. of a dirfd", lambda: sorted(os.listdir(os.open("..", os.O_RDONLY | os.O_DIRECTORY, dir_fd=os.open("d/sub", os.O_RDONLY)))))
os.chdir("d/sub")
r("open .. after a chdir", lambda: sorted(os.listdir(os.open("..", os.O_RDONLY | os.O_DIRECTORY))))
r("open ../g", lambda: read("../g"))
r("open ./..", lambda: sorted(os.listdir(os.open("./..", os.O_RDONLY | os.O_DIRECTORY))))
"""


def proc_paths():
    """Paths through /proc magic links, and names ending in . or .., pinned under the supervisor's path
    checks: results and errnos as native (a single-threaded program: a pipe, a deleted file and a memfd
    reached through /proc stay reachable)."""
    setup = lambda d: open(os.path.join(d, "proc_paths.py"), "w").write(PROC_PATHS)
    for label, policy in (("a narrowing rule", ("--policy", "ci", "--path", "r:/usr/share")),
                          ("--no-landlock", ("--policy", "ci", "--no-landlock"))):
        h.compare(f"paths through /proc links and names ending in . or ..: as native under ci with {label}",
                  ["/usr/bin/python3", "proc_paths.py"], setup=setup, pv_args=("--quiet", *policy), timeout=30)


def bind_races():
    """bind of a relative unix socket name: made in the directory the check resolved, whatever the cwd is."""
    w = sandbox_tests.World()
    try:
        race(w, "race_bind_cwd", [w.outside], "bind a relative name while another thread changes the cwd")
    finally:
        w.close()


BIND_CALLS = r"""
import errno, os, socket, stat
def r(what, f):
    try:
        v = f()
        print(what, "ok", v if v is not None else "")
    except OSError as e:
        print(what, errno.errorcode[e.errno])
os.makedirs("d", exist_ok=True)
os.umask(0o027)
a = socket.socket(socket.AF_UNIX)
r("bind relative", lambda: a.bind("s"))
r("its name", lambda: a.getsockname())
r("its mode under umask 027", lambda: oct(stat.S_IMODE(os.lstat("s").st_mode)))
r("bind again", lambda: a.bind("s2"))
r("bind a name in use", lambda: socket.socket(socket.AF_UNIX).bind("s"))
r("bind in a directory", lambda: socket.socket(socket.AF_UNIX).bind("d/s"))
r("bind in a missing directory", lambda: socket.socket(socket.AF_UNIX).bind("nothere/s"))
os.symlink("elsewhere", "dangling")
r("bind at a dangling symlink", lambda: socket.socket(socket.AF_UNIX).bind("dangling"))
os.chdir("d")
b = socket.socket(socket.AF_UNIX)
r("bind relative to a new cwd", lambda: b.bind("../t"))
r("its name", lambda: b.getsockname())
r("there", lambda: stat.S_ISSOCK(os.lstat("../t").st_mode))
r("bind a descriptor that is no socket", lambda: socket.socket(fileno=os.dup(1)).bind("u"))
"""


def bind_calls():
    """bind of relative names, done by picovisor from the checked cwd: results, names, modes, errnos as native."""
    setup = lambda d: open(os.path.join(d, "bind_calls.py"), "w").write(BIND_CALLS)
    for label, policy in (("a narrowing rule", ("--policy", "ci", "--path", "r:/usr/share")),
                          ("--no-landlock", ("--policy", "ci", "--no-landlock"))):
        h.compare(f"bind of relative unix names from the checked cwd: as native under ci with {label}",
                  ["/usr/bin/python3", "bind_calls.py"], setup=setup, pv_args=("--quiet", *policy), timeout=30)


LOG_POLICIES = [("--policy ci --on-violation log", ["--policy", "ci", "--on-violation", "log"]),
                ("--policy ci --no-landlock --on-violation log",
                 ["--policy", "ci", "--no-landlock", "--on-violation", "log"])]


def yama_restricts():
    try:
        with open("/proc/sys/kernel/yama/ptrace_scope") as f:
            return f.read().strip() != "0"
    except OSError:
        return False


def pidfd_races():
    """pidfd_getfd under on-violation log, its pidfd swapped for an outside process's after the check."""
    w = sandbox_tests.World()
    secret = open(os.path.join(w.outside, "secret"))
    # The outside process: the test's user, without capabilities (as the program under the sandbox), its
    # descriptor 0 the outside secret.
    victim = subprocess.Popen((h.NOBODY if h.AS_USER else ["setpriv", "--bounding-set=-all", "--inh-caps=-all"])
                              + ["sleep", "600"], stdin=secret)
    pidfd = os.pidfd_open(victim.pid)
    try:
        if yama_restricts():
            h.report("race race_pidfd_swap: pidfd_getfd of another process", None,
                     "Yama's ptrace_scope forbids pidfd_getfd of a process that is no descendant, natively too")
            return
        race(w, "race_pidfd_swap", [w.outside, str(pidfd)], "dup2 of an outside pidfd onto the checked number",
             pass_fds=(pidfd,), keep=("--keep-fd", str(pidfd)))
    finally:
        os.close(pidfd)
        victim.kill()
        victim.wait()
        secret.close()
        w.close()


REMOVED_DIR = r"""
import os
fd = os.open("wo/d", os.O_PATH)
os.rmdir("wo/d")
try:
    print(sorted(os.listdir(os.open(f"/proc/self/fd/{fd}/..", os.O_RDONLY | os.O_DIRECTORY))))
except OSError as e:
    print("refused", os.strerror(e.errno))
"""


def removed_dir_parent():
    """/proc/self/fd/N/.. of a removed directory reaches the directory it was removed from: decided by that
    directory's rules (a write-only ./wo lists nothing), though no path names the removed one."""
    w = sandbox_tests.World()
    try:
        for label, pv in (("natively", []),
                          ("under ci with ./wo given c only", ["--path", "c:" + os.path.join(w.launch, "wo")]),
                          ("under ci --no-landlock with ./wo given c only",
                           ["--no-landlock", "--path", "c:" + os.path.join(w.launch, "wo")])):
            w.clean_launch()
            os.makedirs(os.path.join(w.launch, "wo", "d"))
            open(os.path.join(w.launch, "wo", "file"), "w").close()
            with open(os.path.join(w.launch, "removed_dir.py"), "w") as f:
                f.write(REMOVED_DIR)
            if h.AS_USER:
                subprocess.run(["chown", "-R", "65534:65534", w.launch], check=True)
            argv = ([h.pv(), "run", "--quiet", "--policy", "ci", *pv, "--"] if pv else []) + [
                "/usr/bin/python3", "removed_dir.py"]
            p = sandbox_tests.run(w, argv)
            out = output(p)
            want = "['file']" if not pv else "refused Permission denied"
            check(f"/proc/self/fd/N/.. of a removed directory: {'lists its parent' if not pv else 'refused'} {label}",
                  p is not None and out.strip() == want, out[-800:])
    finally:
        w.close()


MAPPED_ESCAPES = ["read_outside", "write_outside", "dotdot", "symlink_file", "proc_cwd", "fd_reopen"]


def mapped_paths_checked():
    """With a guest view (--map), the supervisor's path checks run on the translated host paths: the
    translation's copy in the sealed scratch area is checked and pinned like any other path (the hostile
    programs of the suite, which natively escape, under ci --no-landlock with a map, as the suite judges them)."""
    w = sandbox_tests.World()
    mapped = os.path.join(w.base, "mapped")
    os.mkdir(mapped)
    os.chmod(mapped, 0o777)
    try:
        for name in MAPPED_ESCAPES:
            for label, policy in (("--policy ci --no-landlock --map /pv-guest=DIR",
                                   ["--policy", "ci", "--no-landlock", "--map", "/pv-guest=" + mapped]),
                                  ("--policy ci --map /pv-guest=DIR, paths checked by the supervisor",
                                   ["--policy", "ci", "--map", "/pv-guest=" + mapped, "--path", "r:/usr/share"])):
                w.clean_launch()
                p = sandbox_tests.run(w, [h.pv(), "run", "--quiet", *policy, "--", hostile(name), w.outside])
                sandbox_tests.check_contained(name, label, sandbox_tests.mode_of(policy), p)
        w.clean_launch()
        secret = fresh_secret(w)
        rule = ["--path", "-:" + secret, "--map", "/pv-guest=" + mapped]
        for label, policy in (("--policy ci with ./secret narrowed away and a map", ["--policy", "ci", *rule]),
                              ("--policy ci --no-landlock with ./secret narrowed away and a map",
                               ["--policy", "ci", "--no-landlock", *rule])):
            p = sandbox_tests.run(w, [h.pv(), "run", "--quiet", *policy, "--", "/bin/cat", "secret/f"])
            check(f"a narrowed-away file is not read under {label}",
                  p is not None and p.returncode != 0 and b"secret" not in p.stdout
                  and b"Permission denied" in p.stderr, output(p)[-800:])
    finally:
        w.close()


def groups(harness):
    global h
    h = harness
    sandbox_tests.h = harness
    races_tests.h = harness
    return [proc_link_races, proc_paths, removed_dir_parent, bind_races, bind_calls, pidfd_races,
            mapped_paths_checked]
