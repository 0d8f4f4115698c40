#!/usr/bin/env python3
"""End-to-end tests of picovisor.

Most cases run a command twice, natively and under `picovisor run`, each in a
fresh copy of the same scratch directory, and compare stdout, stderr and the
wait status (a death by SIGTERM and `exit 143` are different results). Other
cases check what only picovisor does (its messages and exit statuses, signal
forwarding, job control in a terminal). Every case runs as root and again as an
unprivileged user (setpriv) on a copy of the build that user may read.

Prints one line per case and ends with "N passed, N failed, N skipped".
"""
import argparse
import os
import pty
import re
import select
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time

import audit_tests
import ci_tests
import layout_tests
import limits_tests
import lifecycle_tests
import nt_holes_tests
import nt_redteam_tests
import nt_semantics_tests
import diff_tests
import diff_noise_tests
import cosched_tests
import exec_job_tests
import fail_closed_tests
import net_tests
import nt_crt_tests
import nt_tests
import nt_dll_tests
import nt_sysdll_tests
import nt_ws2_tests
import nt_gpg_error_tests
import nt_yat2m_tests
import nt_go_tests
import nt_except_tests
import nt_cxx_tests
import nt_gate_tests
import nt_process_tests
import pathmap_tests
import pin_race_tests
import redteam_tests
import policy_tests
import races_tests
import sandbox_tests
import shm_tests
import summary_uses_tests
import dist_tests
import seccomp_tests
import strace_flags_tests
import decode_depth_tests
import tracing

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
results = {"passed": 0, "failed": 0, "skipped": 0}
STAGE = None  # a world-readable copy of picovisor and the test programs
AS_USER = False


def pv():
    return os.path.join(STAGE, "picovisor")


def prog(name):
    return os.path.join(STAGE, "progs", name)


def report(name, ok, detail=""):
    who = "user" if AS_USER else "root"
    if ok is None:
        results["skipped"] += 1
        print(f"SKIP [{who}] {name}: {detail}")
    elif ok:
        results["passed"] += 1
        print(f"ok   [{who}] {name}")
    else:
        results["failed"] += 1
        print(f"FAIL [{who}] {name}\n{detail}")
    sys.stdout.flush()


def fresh_dir(setup):
    d = tempfile.mkdtemp(prefix="pv-e2e-")
    os.chmod(d, 0o777)
    if setup:
        setup(d)
    if AS_USER:
        subprocess.run(["chown", "-R", "65534:65534", d], check=True)
    return d


def run_in(d, argv, stdin=None, env=None, timeout=120):
    full = (NOBODY if AS_USER else []) + argv
    e = dict(os.environ)
    e.update({"LC_ALL": "C.UTF-8", "HOME": d, "TMPDIR": d})
    if env:
        e.update(env)
    try:
        p = subprocess.run(full, cwd=d, input=stdin, capture_output=True, env=e, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    norm = lambda b: b.replace(d.encode(), b"<DIR>")
    return (norm(p.stdout), norm(p.stderr), p.returncode)


def status_text(rc):
    return f"killed by signal {-rc}" if rc < 0 else f"exit {rc}"


TRACE_TO = None  # when set, compare() also records a trace there and checks it (traced_real_tools)


def compare(name, argv, setup=None, stdin=None, env=None, timeout=120, pv_args=()):
    """Native and picovisor runs must agree on stdout, stderr and wait status."""
    d1, d2 = fresh_dir(setup), fresh_dir(setup)
    if TRACE_TO:
        name = "traced: " + name
        pv_args = ("--trace", TRACE_TO) + tuple(pv_args)
    try:
        native = run_in(d1, argv, stdin, env, timeout)
        under = run_in(d2, [pv(), "run", *pv_args, "--"] + argv, stdin, env, timeout)
    finally:
        shutil.rmtree(d1, ignore_errors=True)
        shutil.rmtree(d2, ignore_errors=True)
    if TRACE_TO and under is not None:
        tracing.check_trace_file(name, TRACE_TO, under[2])
    if native is None or under is None:
        report(name, False, f"  timed out (native {'ok' if native else 'hung'}, picovisor {'ok' if under else 'hung'})")
        return
    if native == under:
        report(name, True)
        return
    detail = []
    for label, a, b in (("stdout", native[0], under[0]), ("stderr", native[1], under[1])):
        if a != b:
            detail.append(f"  {label} differs:\n    native:    {a[-600:]!r}\n    picovisor: {b[-600:]!r}")
    if native[2] != under[2]:
        detail.append(f"  status differs: native {status_text(native[2])}, picovisor {status_text(under[2])}")
    report(name, False, "\n".join(detail))


def expect(name, argv, rc, stderr_re=None, stdout_re=None, setup=None, stdin=None):
    """A picovisor-only run with a known result."""
    d = fresh_dir(setup)
    try:
        r = run_in(d, [pv()] + argv, stdin)
    finally:
        shutil.rmtree(d, ignore_errors=True)
    if r is None:
        report(name, False, "  timed out")
        return
    out, err, code = r
    problems = []
    if code != rc:
        problems.append(f"  status: expected {status_text(rc)}, got {status_text(code)}")
    if stderr_re and not re.search(stderr_re, err.decode(errors="replace")):
        problems.append(f"  stderr {err!r} does not match {stderr_re!r}")
    if stdout_re and not re.search(stdout_re, out.decode(errors="replace")):
        problems.append(f"  stdout {out!r} does not match {stdout_re!r}")
    report(name, not problems, "\n".join(problems))


def write(d, name, text, mode=0o755):
    path = os.path.join(d, name)
    with open(path, "w" if isinstance(text, str) else "wb") as f:
        f.write(text)
    os.chmod(path, mode)
    return path


# ---------------------------------------------------------------- the cases

def core_programs():
    compare("hello: argv, env, stderr, exit code", [prog("hello"), "3", "two words", ""], env={"PV_TEST": "yes"})
    for variant in ("auxv", "auxv-static", "auxv-static-pie"):
        compare(f"{variant}: auxv, /proc/self, brk, comm", [prog(variant)])
    compare("PT_GNU_STACK: stack not executable", [prog("stack_perms")])
    compare("PT_GNU_STACK with PF_X: executable stack", [prog("stack_perms-execstack")])
    compare("static image", [prog("hello-static"), "4"])
    compare("static-pie image", [prog("hello-static-pie"), "5"])
    compare("threads with TLS", [prog("threads")])
    compare("fork tree", [prog("forktree")])
    compare("vfork+exec, posix_spawn, fork+exec", [prog("spawn")])
    compare("signals: SA_SIGINFO, SA_RESTART, sigaltstack", [prog("signals")])
    compare("dlopen", [prog("dlopen")])
    compare("execve from a non-leader thread", [prog("exec_thread")])
    compare("clone3 child", [prog("clone3")])
    compare("12 threads forking and spawning at once", [prog("stress")])
    compare("40 re-execs of /proc/self/exe under a signal storm", [prog("exec_storm")])
    compare("fexecve names the task as the kernel does", [prog("fexecve_comm")])
    compare("fexecve of a memfd names the task as the kernel does", [prog("fexecve_comm"), "memfd"])
    compare("int 0x80 from 64-bit code", [prog("int80")])
    compare("execve through int 0x80", [prog("int80"), "exec"])
    if kernel_has_x32():
        compare("x32 system calls behave as on this kernel", [prog("x32")])
    else:
        report("x32 system calls served as on a kernel with x32", None, "this kernel has no x32 ABI")
        compare("x32 system calls fail with ENOSYS as on this kernel (no x32 ABI)", [prog("x32")])
    for how, n in (("exit", 0), ("exit", 1), ("exit", 42), ("exit", 255), ("signal", 15), ("signal", 9),
                   ("signal", 11), ("signal", 6), ("signal", 2)):
        compare(f"ends with {how} {n}", [prog("die"), how, str(n)])
    compare("static image: memory map identical to the kernel's (setarch -R)", ["setarch", "-R", prog("maps-static")])
    compare("setarch -R keeps a PIE at ELF_ET_DYN_BASE", ["setarch", "-R", "sh", "-c", "head -n 1 /proc/self/maps"])
    if os.geteuid() == 0 and not AS_USER:
        compare("exec after dropping privileges (the stub in the thread's own memfd)",
                ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "sh", "-c",
                 "id -u; readlink /proc/self/exe; cat /proc/self/comm; sh -c 'readlink /proc/$$/exe'; "
                 + prog("auxv") + "; " + prog("hello") + " 6"])
    compare("--kernel-loader matches native", [prog("auxv")], pv_args=("--kernel-loader",))


def scripts(d):
    write(d, "plain.sh", "#!/bin/sh\necho plain \"$0\" \"$@\"\n")
    write(d, "witharg.sh", "#!/bin/sh -e\necho witharg \"$0\" \"$@\"\nfalse\necho not reached\n")
    write(d, "spaces.sh", "#!   /bin/sh   -x  \necho spaces\n")
    write(d, "nested.sh", f"#!{d}/plain.sh nestedarg\n")
    write(d, "py.py", "#!/usr/bin/env python3\nimport sys\nprint('python', sys.argv[1:])\n")
    write(d, "deep0", f"#!{d}/deep1\n")
    write(d, "deep1", f"#!{d}/deep2\n")
    write(d, "deep2", f"#!{d}/deep3\n")
    write(d, "deep3", f"#!{d}/deep4\n")
    write(d, "deep4", f"#!{d}/deep5\n")
    write(d, "deep5", "#!/bin/sh\necho deep\n")
    write(d, "noint.sh", "#!/nonexistent/interpreter\necho never\n")
    write(d, "noexec.sh", "#!/bin/sh\necho never\n", mode=0o644)
    write(d, "garbage", b"\x00\x01\x02garbage that is no image at all\n")
    write(d, "mz.exe", b"MZ" + b"\x00" * 200)
    with open("/bin/true", "rb") as f:
        elf = f.read()
    write(d, "truncated", elf[:40])
    write(d, "elf32", b"\x7fELF\x01\x01\x01" + b"\x00" * 9 + b"\x02\x00\x03\x00" + b"\x00" * 200)
    os.mkdir(os.path.join(d, "adir"))
    os.chmod(os.path.join(d, "adir"), 0o777)


def exec_family():
    for s in ("plain.sh", "witharg.sh", "spaces.sh", "nested.sh", "py.py", "deep1"):
        compare(f"#! script {s}", [prog("tryexec"), f"./{s}", "a1", "a 2"], setup=scripts)
        compare(f"#! script {s} from sh", ["sh", "-c", f"./{s} x y; echo status $?"], setup=scripts)
    # The errno of each refused exec must be the kernel's.
    for f in ("deep0", "noint.sh", "noexec.sh", "garbage", "truncated", "adir", "missing", ""):
        compare(f"refused exec errno: {f or '(empty path)'}", [prog("tryexec"), f"./{f}" if f else ""], setup=scripts)


def hostile():
    compare("hostile exec arguments fail with the kernel's errno", [prog("hostile_exec")])


def mutated_images(d):
    """Images with random bytes changed in their headers: a small fuzz of the loader."""
    import random
    rng = random.Random(20261121)
    with open(os.path.join(STAGE, "progs", "hello-static"), "rb") as f:
        good = f.read()
    with open("/bin/true", "rb") as f:
        dyn = f.read()
    for i in range(150):
        b = bytearray(good if i % 2 else dyn)
        for _ in range(rng.randint(1, 6)):
            pos = rng.randrange(0, 64 + 56 * 13)  # the ELF header and the program headers
            b[pos] = rng.randrange(256)
        if i % 10 == 0:
            b = b[:rng.randrange(16, 2000)]
        write(d, f"m{i:03d}", bytes(b))


def fuzzed_loader():
    d = fresh_dir(mutated_images)
    try:
        r = run_in(d, [pv(), "run", "--", "sh", "-c",
                       f"for f in m*; do timeout -s KILL 5 {prog('tryexec')} ./$f >/dev/null 2>&1; done; echo done"],
                   timeout=600)
    finally:
        shutil.rmtree(d, ignore_errors=True)
    ok = r is not None and r[2] == 0 and r[0].strip().endswith(b"done") and b"internal error" not in r[1]
    report("loader survives 150 mutated images", ok, f"  {r!r}"[:800])


def restricted_root():
    """Root without CAP_SYS_ADMIN (as in a container): no_new_privs is needed, the rest still works."""
    if AS_USER:  # a case about root: nothing to repeat as the unprivileged user
        return
    d = fresh_dir(None)
    try:
        r = run_in(d, ["setpriv", "--bounding-set=-sys_admin", pv(), "run", "--", "sh", "-c",
                       "grep NoNewPrivs /proc/self/status; readlink /proc/self/exe; " + prog("hello") + " 3"])
    finally:
        shutil.rmtree(d, ignore_errors=True)
    ok = r is not None and r[2] == 3 and b"NoNewPrivs:\t1" in r[0] and b"/readlink" in r[0]
    report("root without CAP_SYS_ADMIN runs with no_new_privs", ok, f"  {r!r}"[:600])


def refused_top_level():
    expect("top level: garbage -> 126 naming the format", ["run", "--", "./garbage"], 126,
           stderr_re=r"cannot execute ./garbage: not a recognised executable format", setup=scripts)
    expect("top level: 32-bit ELF -> 126", ["run", "--", "./elf32"], 126, stderr_re=r"32-bit ELF", setup=scripts)
    expect("top level: MZ without a PE image -> 126", ["run", "--", "./mz.exe"], 126,
           stderr_re=r"malformed PE image: no PE signature", setup=scripts)
    expect("top level: truncated ELF -> 126", ["run", "--", "./truncated"], 126, stderr_re=r"truncated", setup=scripts)
    expect("top level: missing #! interpreter -> 127", ["run", "--", "./noint.sh"], 127,
           stderr_re=r"/nonexistent/interpreter", setup=scripts)
    expect("top level: not executable -> 126", ["run", "--", "./noexec.sh"], 126, stderr_re=r"ermission denied",
           setup=scripts)
    expect("top level: not found -> 127", ["run", "--", "no-such-program-anywhere"], 127,
           stderr_re=r"no-such-program-anywhere: command not found")
    expect("usage: no program -> 125", ["run"], 125, stderr_re=r"no program given")
    expect("usage: unknown option -> 125", ["run", "--bogus", "--", "true"], 125, stderr_re=r"unknown option")
    expect("usage: unknown command -> 125", ["frobnicate"], 125, stderr_re=r"unknown command")
    expect("--help", ["--help"], 0, stdout_re=r"Usage: picovisor run")


def origin_rpath(d):
    os.mkdir(os.path.join(d, "lib"))
    write(d, "lib/greet.c", '#include <stdio.h>\nvoid greet(void){puts("greetings via $ORIGIN");}\n', 0o644)
    write(d, "main.c", "void greet(void);\nint main(void){greet();return 0;}\n", 0o644)
    subprocess.run(["gcc", "-shared", "-fPIC", "-o", f"{d}/lib/libgreet.so", f"{d}/lib/greet.c"], check=True)
    subprocess.run(["gcc", "-o", f"{d}/app", f"{d}/main.c", f"-L{d}/lib", "-lgreet", "-Wl,-rpath,$ORIGIN/lib"],
                   check=True)


def make_project(d):
    for i in range(6):
        write(d, f"m{i}.c", f"int f{i}(void) {{ return {i}; }}\n", 0o644)
    write(d, "main.c", "#include <stdio.h>\n" + "".join(f"int f{i}(void);\n" for i in range(6)) +
          "int main(void){printf(\"%d\\n\", " + "+".join(f"f{i}()" for i in range(6)) + ");return 0;}\n", 0o644)
    write(d, "Makefile", "all: prog\n\t./prog\nprog: main.o " + " ".join(f"m{i}.o" for i in range(6)) +
          "\n\t@gcc -o $@ $^\n%.o: %.c\n\t@gcc -c $< -o $@\n", 0o644)


def git_env():
    return {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t",
            "GIT_AUTHOR_DATE": "2020-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2020-01-01T00:00:00Z",
            "GIT_CONFIG_NOSYSTEM": "1"}


def real_tools():
    compare("exec with stdin closed: the loader's fds do not linger", ["sh", "-c", "exec <&-; exec ls /proc/self/fd"])
    compare("exec with stdout closed", ["sh", "-c", "exec >&-; exec sh -c 'ls /proc/self/fd >&2; echo x; echo $?>&2'"])
    compare("coreutils pipeline", ["sh", "-c", "seq 1 3000 | sort -r | head -n 5 | tr 0-9 a-j | wc -c; ls / | sort | head -3"])
    compare("redirections and stdin", ["sh", "-c", "cat > f; wc -l < f; cat f nonexist 2>err; cat err; echo $?"],
            stdin=b"one\ntwo\nthree\n")
    compare("bash script", ["bash", "-c", 'f() { echo "fn $1"; return 3; }; f x; echo $?; (exit 4); echo $?; '
                                          'x=$(echo sub | tr a-z A-Z); echo $x; cat <<EOF\nheredoc $x\nEOF\n'
                                          'for i in 1 2 3; do echo $i; done | paste -sd+'])
    compare("dash script", ["dash", "-c", 'i=0; while [ $i -lt 20 ]; do i=$((i+1)); done; echo $i; '
                                          'echo $(/bin/echo nested $(/bin/echo deeper)); kill -TERM $$'])
    compare("python3 threads, subprocess, multiprocessing", ["python3", "-c", """
import threading, subprocess, multiprocessing, sys
out = []
ts = [threading.Thread(target=lambda i=i: out.append(i * i)) for i in range(8)]
[t.start() for t in ts]; [t.join() for t in ts]
print(sorted(out))
print(subprocess.run(['sh', '-c', 'echo sub; exit 3']).returncode)
def sq(x): return x * x
if __name__ == '__main__':
    with multiprocessing.get_context('fork').Pool(2) as p: print(p.map(sq, range(10)))
    with multiprocessing.get_context('spawn').Pool(2) as p: print(sum(p.map(abs, range(-5, 5))))
"""])
    compare("gcc compiles and runs a program", ["sh", "-c", "printf '#include <stdio.h>\\nint main(void){puts(\"built\");return 9;}\\n' > t.c && gcc -O2 t.c -o t && ./t"])
    compare("$ORIGIN rpath", ["./app"], setup=origin_rpath)
    compare("make -j2", ["make", "-s", "-j2"], setup=make_project)
    compare("tar", ["sh", "-c", "mkdir -p a/b && echo x > a/b/f && echo y > a/g && tar cf t.tar a && rm -r a && "
                                 "tar tf t.tar | sort && tar xf t.tar && cat a/b/f a/g"])
    compare("git", ["sh", "-c", "git init -q r && cd r && echo hi > f && git add f && git commit -qm first && "
                                 "git log --format='%H %s' && git status --short"], env=git_env())


def alive(pid):
    """Running (a zombie waiting for an init that does not reap is dead)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def kernel_has_x32():
    """Does this kernel run x32 system calls (CONFIG_X86_X32_ABI, and not x32=0)? Asked with x32 getpid."""
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    return libc.syscall(ctypes.c_long(0x40000000 | 39)) == os.getpid()


def needs(tool):
    return shutil.which(tool) is not None


def supervision():
    # Signals sent to picovisor reach the program; its handler's exit status comes back.
    d = fresh_dir(None)
    try:
        for sig, code in ((signal.SIGTERM, 3), (signal.SIGHUP, 4), (signal.SIGINT, 5)):
            name = signal.Signals(sig).name[3:]
            cmd = (NOBODY if AS_USER else []) + [pv(), "run", "--", "sh", "-c",
                                                 f'trap "echo got {name}; exit {code}" {name}; echo ready; '
                                                 'while :; do sleep 0.05; done']
            p = subprocess.Popen(cmd, cwd=d, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            p.stdout.readline()
            time.sleep(0.2)
            p.send_signal(sig)
            out, err = p.communicate(timeout=20)
            report(f"SIG{name} to picovisor is forwarded to the program",
                   p.returncode == code and f"got {name}".encode() in out,
                   f"  status {p.returncode} out {out!r} err {err!r}")
        # A program killed by a forwarded signal: picovisor dies of the same signal.
        p = subprocess.Popen((NOBODY if AS_USER else []) + [pv(), "run", "--", "sleep", "100"], cwd=d)
        time.sleep(0.3)
        p.send_signal(signal.SIGTERM)
        p.wait(timeout=20)
        report("killed by a forwarded SIGTERM: picovisor dies of SIGTERM", p.returncode == -signal.SIGTERM,
               f"  status {p.returncode}")
        # Stopping and continuing the program alone must not leave it without its supervisor.
        p = subprocess.Popen((NOBODY if AS_USER else []) + [pv(), "run", "--", "sh", "-c",
                                                             "echo $$; read x; /bin/echo exec after continue"],
                             cwd=d, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        prog_pid = int(p.stdout.readline())
        os.kill(prog_pid, signal.SIGSTOP)
        time.sleep(0.3)
        os.kill(prog_pid, signal.SIGCONT)
        try:
            out, err = p.communicate(b"go\n", timeout=10)
            ok = p.returncode == 0 and b"exec after continue" in out
        except subprocess.TimeoutExpired:
            p.kill()
            out, err, ok = b"", b"hung", False
        report("SIGSTOP/SIGCONT to the program alone keep it supervised", ok, f"  {p.returncode} {out!r} {err!r}")
        # Nothing of the run outlives the main program.
        r = run_in(d, [pv(), "run", "--", "sh", "-c", "sleep 1000 & echo $!"])
        pid = int(r[0].split()[0])
        time.sleep(0.2)
        report("no tracee left behind when the main program exits", not alive(pid),
               f"  background pid {pid} still runs")
        # If picovisor dies, the tracees die (PTRACE_O_EXITKILL).
        p = subprocess.Popen((NOBODY if AS_USER else []) + [pv(), "run", "--", "sh", "-c", "echo $$; sleep 1000"],
                             cwd=d, stdout=subprocess.PIPE)
        pid = int(p.stdout.readline())
        pvpid = p.pid
        if AS_USER:  # setpriv execs picovisor, so the pid is picovisor's
            pass
        os.kill(pvpid, signal.SIGKILL)
        p.wait()
        time.sleep(0.3)
        report("tracees die with picovisor (EXITKILL)", not alive(pid), f"  pid {pid} survived")
    finally:
        shutil.rmtree(d, ignore_errors=True)


def terminal_session(script, timeout=40):
    """Drive an interactive bash in a pseudo-terminal. script: (keys, wait) pairs, where wait is
    a regex the output after those keys must show, or a number of seconds to let things settle.
    Returns (every regex was seen, everything printed)."""
    pid, fd = pty.fork()
    if pid == 0:
        env = dict(os.environ, PS1="$ ", TERM="dumb")
        argv = (NOBODY if AS_USER else []) + ["bash", "--norc", "--noprofile", "-i"]
        os.execvpe(argv[0], argv, env)
    out = b""
    deadline = time.time() + timeout

    def read_for(limit, pattern=None, start=0):
        nonlocal out
        end = time.time() + limit
        while time.time() < end:
            r, _, _ = select.select([fd], [], [], 0.05)
            if r:
                try:
                    out += os.read(fd, 4096)
                except OSError:
                    return False
            if pattern is not None and re.search(pattern, out[start:]):
                return True
        return pattern is None

    ok = read_for(10, rb"\$ $")
    for keys, wait in script:
        if time.time() > deadline:
            ok = False
            break
        start = len(out)
        os.write(fd, keys)
        if isinstance(wait, (int, float)):
            read_for(wait)
        else:
            ok = read_for(15, wait, start) and ok
    os.write(fd, b"exit\n")
    read_for(0.3)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
    os.close(fd)
    return ok, out.decode(errors="replace")


def job_control():
    # Markers are written RE""ADY in the command, so the terminal's echo of the typed line never matches.
    p = pv()
    ok, out = terminal_session([
        (f"{p} run -- sh -c 'echo RE\"\"ADY; sleep 30'\n".encode(), rb"READY"),
        # Let sh fork and exec sleep: a Ctrl-C between that fork and exec reaches a child that is still
        # sh code (natively too; picovisor's stops only widen that window).
        (b"", 0.5),
        (b"\x03", 1.0),
        # bash may swallow the first line after a SIGINT'd job (natively too); an empty line keeps $?
        (b"\n", 1.0),
        (b"echo status=$?\n", rb"status=\d+"),
    ])
    report("Ctrl-C in a terminal kills the program (status 130)", ok and "status=130" in out, "  " + out[-500:])
    ok, out = terminal_session([
        (f"{p} run -- sh -c 'echo RE\"\"ADY; read x; echo got $x'\n".encode(), rb"READY"),
        (b"", 0.5),
        (b"\x1a", rb"Stopped"),
        (b"jobs\n", rb"Stopped"),
        (b"fg\n", rb"read x; echo got"),
        (b"hello\n", rb"got hello"),
        (b"echo status=$?\n", rb"status=\d+"),
    ])
    report("Ctrl-Z stops the job, fg resumes it and it reads the terminal", ok and "got hello" in out and "status=0" in out,
           "  " + out[-700:])
    ok, out = terminal_session([
        (f"{p} run -- sleep 30 &\n".encode(), rb"\[1\] \d+"),
        (b"kill -STOP %1; sleep 0.5; jobs\n", rb"Stopped"),
        (b"kill -CONT %1; sleep 0.5; jobs\n", rb"Running"),
        (b"kill %1; wait %1; echo status=$?\n", rb"status=\d+"),
    ])
    report("SIGSTOP/SIGCONT to the job are seen by the shell", ok and "status=143" in out, "  " + out[-700:])
    ok, out = terminal_session([
        (f"{p} run -- python3 -c 'import sys; print(\"tty\", sys.stdin.isatty()); print(input(\"name? \"))'\n".encode(),
         rb"name\? "),
        (b"pico\n", rb"pico\r?\n.*\$ $"),
    ])
    report("interactive program reads the terminal", ok and "tty True" in out, "  " + out[-500:])


def traced_real_tools():
    """The core programs and the real ones again, each under run --trace: same results, and a complete,
    well-formed trace (threads, forks, exec from a thread, int 0x80, x32, signal deaths, exec storms)."""
    global TRACE_TO
    d = tempfile.mkdtemp(prefix="pv-traces-")
    os.chmod(d, 0o777)
    TRACE_TO = os.path.join(d, "trace.jsonl")
    try:
        core_programs()
        exec_family()
        real_tools()
    finally:
        TRACE_TO = None
        shutil.rmtree(d, ignore_errors=True)


def main():
    global STAGE, AS_USER
    ap = argparse.ArgumentParser()
    ap.add_argument("-k", help="run only cases whose group name contains this")
    ap.add_argument("--root-only", action="store_true")
    args = ap.parse_args()
    STAGE = tempfile.mkdtemp(prefix="pv-stage-")
    os.chmod(STAGE, 0o755)
    shutil.copy2(os.path.join(ROOT, "picovisor"), STAGE)
    shutil.copytree(os.path.join(ROOT, "build", "progs"), os.path.join(STAGE, "progs"))
    groups = [core_programs, exec_family, hostile, fuzzed_loader, restricted_root, refused_top_level, real_tools, supervision, job_control]
    groups += tracing.groups(sys.modules[__name__]) + [traced_real_tools]
    groups += diff_tests.groups(sys.modules[__name__])
    groups += diff_noise_tests.groups(sys.modules[__name__])
    groups += summary_uses_tests.groups(sys.modules[__name__])
    groups += strace_flags_tests.groups(sys.modules[__name__])
    groups += decode_depth_tests.groups(sys.modules[__name__])
    groups += cosched_tests.groups(sys.modules[__name__])
    groups += policy_tests.groups(sys.modules[__name__])
    groups += sandbox_tests.groups(sys.modules[__name__])
    groups += audit_tests.groups(sys.modules[__name__])
    groups += net_tests.groups(sys.modules[__name__])
    groups += fail_closed_tests.groups(sys.modules[__name__])
    groups += races_tests.groups(sys.modules[__name__])
    groups += pin_race_tests.groups(sys.modules[__name__])
    groups += pathmap_tests.groups(sys.modules[__name__])
    groups += seccomp_tests.groups(sys.modules[__name__])
    groups += nt_tests.groups(sys.modules[__name__])
    groups += nt_dll_tests.groups(sys.modules[__name__])
    groups += nt_sysdll_tests.groups(sys.modules[__name__])
    groups += nt_ws2_tests.groups(sys.modules[__name__])
    groups += nt_gpg_error_tests.groups(sys.modules[__name__])
    groups += nt_go_tests.groups(sys.modules[__name__])
    groups += nt_except_tests.groups(sys.modules[__name__])
    groups += nt_cxx_tests.groups(sys.modules[__name__])
    groups += nt_gate_tests.groups(sys.modules[__name__])
    groups += nt_process_tests.groups(sys.modules[__name__])
    groups += limits_tests.groups(sys.modules[__name__])
    groups += lifecycle_tests.groups(sys.modules[__name__])
    groups += nt_holes_tests.groups(sys.modules[__name__])
    groups += exec_job_tests.groups(sys.modules[__name__])
    groups += redteam_tests.groups(sys.modules[__name__])
    groups += nt_redteam_tests.groups(sys.modules[__name__])
    groups += nt_semantics_tests.groups(sys.modules[__name__])
    groups += dist_tests.groups(sys.modules[__name__])
    groups += ci_tests.groups(sys.modules[__name__])
    groups += shm_tests.groups(sys.modules[__name__])
    groups += nt_crt_tests.groups(sys.modules[__name__])
    groups += nt_yat2m_tests.groups(sys.modules[__name__])
    groups += layout_tests.groups(sys.modules[__name__])
    users = [False] if args.root_only or os.geteuid() != 0 or not needs("setpriv") else [False, True]
    try:
        if len(users) == 1:  # every group of the unprivileged pass is one SKIP: counted, with its reason
            why = ("--root-only given" if args.root_only else "not run as root (it drops to nobody with setpriv)"
                   if os.geteuid() != 0 else "setpriv is missing (util-linux)")
            AS_USER = True
            report("the unprivileged pass: every group again as nobody", None, why)
            AS_USER = False
        for AS_USER in users:
            for g in groups:
                if args.k and args.k not in g.__name__:
                    continue
                g()
    finally:
        shutil.rmtree(STAGE, ignore_errors=True)
    print(f"{results['passed']} passed, {results['failed']} failed, {results['skipped']} skipped")
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
