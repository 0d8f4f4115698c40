"""End-to-end tests of path translation (imported by run.py, which passes itself as h).

Native runs in a scratch directory are compared with runs under `picovisor run --map /work=SCRATCH`
that name the same files through /work: with the directory written as <BASE> both must print the
same. Then what only the guest view has (mapping names in listings, .. of a mapping root, absolute
symlinks resolved in the view, ro, tmp, overlapping maps, errors at start), the path-buffer race and
the scratch area's seal."""
import os
import shutil
import subprocess
import tempfile

h = None


def check(name, ok, detail=""):
    h.report(name, bool(ok), detail)


def scratch(setup=None):
    d = tempfile.mkdtemp(prefix="pv-map-")
    os.chmod(d, 0o777)
    if setup:
        setup(d)
    if h.AS_USER:
        subprocess.run(["chown", "-R", "65534:65534", d], check=True)
    return d


def run(argv, cwd, timeout=120):
    full = (h.NOBODY if h.AS_USER else []) + argv
    env = dict(os.environ)
    env.update({"LC_ALL": "C.UTF-8", "HOME": cwd, "TMPDIR": cwd})
    try:
        p = subprocess.run(full, cwd=cwd, capture_output=True, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    return p.stdout, p.stderr, p.returncode


def compare_mapped(name, script, setup=None, pv_args=(), compare_stderr=True):
    """sh -c SCRIPT with {W} the directory: natively the scratch dir itself, under picovisor /work."""
    d1, d2 = scratch(setup), scratch(setup)
    try:
        native = run(["sh", "-c", script.replace("{W}", d1)], d1)
        under = run([h.pv(), "run", "--quiet", "--map", f"/work={d2}", *pv_args, "--", "sh", "-c",
                     script.replace("{W}", "/work")], d2)
    finally:
        shutil.rmtree(d1, ignore_errors=True)
        shutil.rmtree(d2, ignore_errors=True)
    if native is None or under is None:
        check(name, False, "  timed out")
        return
    n = (native[0].replace(d1.encode(), b"<BASE>"), native[1].replace(d1.encode(), b"<BASE>"), native[2])
    u = (under[0].replace(b"/work", b"<BASE>").replace(d2.encode(), b"<HOST-PATH-LEAKED>"),
         under[1].replace(b"/work", b"<BASE>").replace(d2.encode(), b"<HOST-PATH-LEAKED>"), under[2])
    if not compare_stderr:
        n, u = (n[0], b"", n[2]), (u[0], b"", u[2])
    if n == u:
        check(name, True)
        return
    detail = []
    for label, a, b in (("stdout", n[0], u[0]), ("stderr", n[1], u[1])):
        if a != b:
            detail.append(f"  {label} differs:\n    native:    {a[-800:]!r}\n    picovisor: {b[-800:]!r}")
    if n[2] != u[2]:
        detail.append(f"  status differs: native {n[2]}, picovisor {u[2]}")
    check(name, False, "\n".join(detail))


def copy_prog(name, as_name):
    def setup(d):
        shutil.copy2(h.prog(name), os.path.join(d, as_name))
    return setup


def per_syscall():
    """Every translated call, results and returned paths (getcwd, readlink of /proc links, socket names,
    AT_EXECFN, /proc/self/exe) both ways."""
    compare_mapped("map: every path-bearing call, both directions (tests/progs/pathcalls)",
                   "{W}/prog {W} {W}/prog", copy_prog("pathcalls", "prog"), compare_stderr=False)


def view_semantics():
    def tree(d):
        os.makedirs(os.path.join(d, "sub", "deep"))
        with open(os.path.join(d, "file.txt"), "w") as f:
            f.write("hello\n")
        os.symlink("/work/file.txt", os.path.join(d, "abslink"))
        os.symlink("/work/sub/deep/../../file.txt", os.path.join(d, "sub", "dotlink"))
        os.mkdir(os.path.join(d, "over"))
        with open(os.path.join(d, "over", "hostonly"), "w") as f:
            f.write("covered\n")

    d = scratch(tree)
    other = scratch(lambda o: open(os.path.join(o, "from-other"), "w").write("other\n"))
    try:
        base = [h.pv(), "run", "--quiet", "--map", f"/work={d}"]
        r = run(base + ["--", "sh", "-c", "ls / | grep -x work; cd /work/.. && pwd; "
                        "[ $(stat -c %i /work/..) = $(stat -c %i /) ] && echo same-inode"], d)
        check("map: the mapping's name is listed in /, and /work/.. is /",
              r and r[0] == b"work\n/\nsame-inode\n" and r[2] == 0, repr(r))
        r = run(base + ["--", "sh", "-c", "cat /work/abslink /work/sub/dotlink; readlink /work/abslink; "
                        "cd /work/sub/deep && cat ../../abslink && pwd"], d)
        check("map: absolute symlink targets resolve in the guest view; link text as stored",
              r and r[0] == b"hello\nhello\n/work/file.txt\nhello\n/work/sub/deep\n" and r[2] == 0, repr(r))
        r = run(base + ["--map", f"/work/over={other}", "--", "sh", "-c",
                        "ls /work/over; ls /work | grep -c over; cat /work/over/from-other"], d)
        check("map: overlapping maps, the longest guest prefix wins and hides what it covers",
              r and r[0] == b"from-other\n1\nother\n" and r[2] == 0, repr(r))
        r = run([h.pv(), "run", "--quiet", "--map", f"/data={d}:ro", "--", "sh", "-c",
                 "cat /data/file.txt; echo x > /data/new; echo $?; rm /data/file.txt; echo $?; "
                 "mkdir /data/dir; echo $?; touch /data/file.txt; echo $?"], d)
        check("map ro: reads work, every write fails with EROFS",
              r and r[0] == b"hello\n2\n1\n1\n1\n" and r[1].count(b"Read-only file system") == 4
              and os.path.exists(os.path.join(d, "file.txt")) and not os.path.exists(os.path.join(d, "new")),
              repr(r))
        r = run([h.pv(), "run", "--quiet", "--tmp", "/tmp", "--", "sh", "-c",
                 "ls -A /tmp | wc -l; echo x > /tmp/made && cat /tmp/made; cd /tmp && pwd"], d)
        leftover = [e for e in os.listdir(d) if e.startswith("picovisor-tmp-")]
        check("tmp: a private empty directory at /tmp, removed after the run",
              r and r[0] == b"0\nx\n/tmp\n" and r[2] == 0 and not leftover, repr(r) + repr(leftover))
        r = run([h.pv(), "run", "--map", "/work=/nonexistent-pv-dir", "--", "true"], d)
        check("map: a missing host directory is an error at start (125, names it)",
              r and r[2] == 125 and b"/nonexistent-pv-dir" in r[1], repr(r))
        r = run([h.pv(), "run", "--map", f"/work={d}/file.txt", "--", "true"], d)
        check("map: a host path that is not a directory is an error at start",
              r and r[2] == 125 and b"not a directory" in r[1], repr(r))
        r = run([h.pv(), "run", "--map", f"/no/such/parent/work={d}", "--", "true"], d)
        check("map: a guest path whose parent is missing is an error at start",
              r and r[2] == 125 and b"parent" in r[1], repr(r))
        r = run([h.pv(), "run", "--map", "work", "--", "true"], d)
        check("--map without GUEST=HOST is a usage error", r and r[2] == 125 and b"GUEST=HOST" in r[1], repr(r))
        r = run([h.pv(), "run", "--quiet", "--policy", "ci", "--map", f"/work={d}", "--", "sh", "-c",
                 "cat /work/file.txt; echo new > /work/made; cat /work/made"], d)
        check("map under --policy ci: path rules name guest paths (the launch dir is writable through /work)",
              r and r[0] == b"hello\nnew\n" and r[2] == 0, repr(r))
    finally:
        shutil.rmtree(d, ignore_errors=True)
        shutil.rmtree(other, ignore_errors=True)


def race_and_seal():
    def setup(d):
        os.mkdir(os.path.join(d, "map"))
        with open(os.path.join(d, "map", "inside"), "w") as f:
            f.write("inside\n")
        shutil.copy2(h.prog("path_race"), os.path.join(d, "map", "race"))
        shutil.copy2(os.path.join(h.STAGE, "progs", "hostile", "scratch_tamper"), os.path.join(d, "map", "tamper"))
        with open(os.path.join(d, "hidden"), "w") as f:
            f.write("hidden\n")

    d = scratch(setup)
    try:
        hidden = os.path.join(d, "hidden")
        native = run([os.path.join(d, "map", "race"), os.path.join(d, "map", "inside"), hidden, "20000"], d)
        check("race: natively the flipping thread reaches the other file (the test can fail)",
              native and b"hidden 0\n" not in native[0], repr(native))
        # TMPDIR is d: --tmp /tmp hides it, and --tmp over d's parent hides hidden too.
        under = run([h.pv(), "run", "--quiet", "--map", f"/work={d}/map", "--tmp", os.path.dirname(d), "--",
                     "/work/race", "/work/inside", hidden, "20000"], d)
        check("race: a thread flipping the path buffer never makes an open reach outside the map",
              under and b"hidden 0\n" in under[0] and b"inside 0\n" not in under[0] and under[2] == 0, repr(under))
        r = run([h.pv(), "run", "--quiet", "--map", f"/work={d}/map", "--", "/work/tamper"], d)
        check("hostile: the scratch area cannot be made writable, moved, unmapped or written via /proc/self/mem",
              r and r[0].startswith(b"contained") and r[2] == 0, repr(r))
    finally:
        shutil.rmtree(d, ignore_errors=True)


def real_programs_mapped():
    """The end-to-end programs of the core issue with their working directory mapped at /work."""
    def project(d):
        h.make_project(d)

    compare_mapped("map: make and gcc build and run a project in /work", "cd {W} && make -s && ./prog && ls", project)
    compare_mapped("map: git init, add, commit, log, status in /work",
                   "cd {W} && git init -q . && echo a > a && git add a && "
                   "GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t "
                   "GIT_AUTHOR_DATE=2020-01-01T00:00:00Z GIT_COMMITTER_DATE=2020-01-01T00:00:00Z "
                   "git -c init.defaultBranch=main commit -qm one && git log --format=%H%n%s && git status --short "
                   "&& git rev-parse --show-toplevel")
    compare_mapped("map: python3 paths, os.walk, realpath, subprocess, tempfile in /work",
                   "cd {W} && mkdir -p a/b && touch a/b/c && python3 -c \""
                   "import os, subprocess, tempfile, sys\n"
                   "print(os.getcwd(), os.path.realpath('a/b/../b/c'))\n"
                   "print(sorted((r, sorted(f)) for r, d, f in os.walk('{W}')))\n"
                   "print(subprocess.run(['pwd'], capture_output=True, text=True).stdout.strip())\n"
                   "t = tempfile.NamedTemporaryFile(dir='{W}'); print(os.path.dirname(t.name))\n"
                   "print(os.path.abspath(sys.argv[0]) if sys.argv[0] else '')\n\"")
    compare_mapped("map: tar creates, lists and extracts in /work",
                   "cd {W} && mkdir -p src/x && echo 1 > src/x/f && ln -s x/f src/l && tar cf a.tar src && "
                   "tar tf a.tar | sort && mkdir out && tar xf a.tar -C out && cat out/src/l && "
                   "tar cf - -C {W} src | tar tf - | wc -l")


def groups(harness):
    global h
    h = harness
    return [per_syscall, view_semantics, race_and_seal, real_programs_mapped]
