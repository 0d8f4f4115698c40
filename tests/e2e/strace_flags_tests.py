"""End-to-end tests of strace's everyday flags on `picovisor trace` (docs/trace.md): each one against strace's own
output on the same program where the two can be compared (strace is a test package), and -p's attach and detach
against a running process, as root and as nobody (imported by run.py, which passes itself as h)."""
import json
import os
import re
import shutil
import signal
import subprocess
import time

h = None
PYTHON = "/usr/bin/python3"  # the real interpreter, not a version manager's shell script

# A process for -p: two threads stat a file, the main one writes a counter (its progress is visible from outside).
TARGET = r"""
import os, sys, threading, time
def worker():
    while True:
        os.stat("/etc/hostname")
        time.sleep(0.01)
for _ in range(2):
    threading.Thread(target=worker, daemon=True).start()
n = 0
while True:
    n += 1
    with open(sys.argv[1] + ".tmp", "w") as f:
        f.write(str(n))
    os.rename(sys.argv[1] + ".tmp", sys.argv[1])
    time.sleep(0.02)
"""


def check(name, ok, detail=""):
    h.report(name, bool(ok), detail)


def have_strace(name):
    if shutil.which("strace"):
        return True
    h.report(name, None, "strace is not installed (GNUmakefile's TEST_PACKAGES has it)")
    return False


def text(b):
    return b.decode(errors="replace") if b else ""


def call_lines(out, name):
    """The lines of calls to name, without strace -f's or picovisor's [pid N] prefix and strace's alignment."""
    lines = []
    for line in out.splitlines():
        line = re.sub(r"^\[pid +\d+(?: tid \d+)?\] ", "", line)
        if line.startswith(name + "("):
            lines.append(re.sub(r"\)\s+= ", ") = ", line))
    return lines


def strace_run(d, args):
    return h.run_in(d, ["strace", *args])


def with_file(d):
    with open(os.path.join(d, "f.txt"), "w") as f:
        f.write("hello\n")


def strace_fd_decoding():
    """-y and -yy, and no fd decoding without them: the read lines are strace's, character for character."""
    name = "trace -y: fds as strace shows them"
    if not have_strace(name):
        return
    d = h.fresh_dir(with_file)
    for flags in ([], ["-y"]):
        ours = h.run_in(d, [h.pv(), "trace", *flags, "-e", "trace=read", "--", "cat", "f.txt"])
        theirs = strace_run(d, [*flags, "-e", "trace=read", "cat", "f.txt"])
        a = [l for l in call_lines(text(ours and ours[1]), "read") if "hello" in l]
        b = [l for l in call_lines(text(theirs and theirs[1]), "read") if "hello" in l]
        check(f"trace {' '.join(flags) or '(no -y)'}: the read line is strace's", a and a == b, f"  ours {a}\n  strace {b}")
    prog = [PYTHON, "-c", "import socket; a, b = socket.socketpair(); a.send(b'x')"]
    ours = h.run_in(d, [h.pv(), "trace", "-y", "-e", "trace=sendto", "--", *prog])
    theirs = strace_run(d, ["-y", "-e", "trace=sendto", *prog])
    norm = lambda lines: [re.sub(r"^sendto\(\d+", "sendto(N", re.sub(r"\[\d+\]", "[INODE]", l)) for l in lines]
    a, b = norm(call_lines(text(ours and ours[1]), "sendto")), norm(call_lines(text(theirs and theirs[1]), "sendto"))
    check("trace -y: a socket as socket:[inode], as strace shows it", a and a == b, f"  ours {a}\n  strace {b}")
    ours = h.run_in(d, [h.pv(), "trace", "-yy", "-e", "trace=sendto", "--", *prog])
    a = call_lines(text(ours and ours[1]), "sendto")
    check("trace -yy: a socket with its protocol, a nameless one with its inode",
          a and re.match(r"sendto\(\d+<UNIX-STREAM:\[\d+\]>, ", a[0]), str(a))


def strace_summary_table():
    """-c: strace's table, the same calls and errors for the same program; -C: the lines, then the table."""
    name = "trace -c: calls and errors as strace -c counts them"
    if not have_strace(name):
        return
    d = h.fresh_dir(None)
    argv = ["rm", "-f", "nx1", "nx2", "nx3"]
    ours = h.run_in(d, [h.pv(), "trace", "-c", "--", *argv])
    theirs = strace_run(d, ["-f", "-c", *argv])
    rows = lambda out: {l.split()[-1]: l.split() for l in text(out).splitlines() if re.match(r"\s*\d+\.\d+ ", l)}
    a, b = rows(ours and ours[1]), rows(theirs and theirs[1])
    ok = a.get("unlinkat") and b.get("unlinkat") and a["unlinkat"][3:5] == b["unlinkat"][3:5] == ["3", "3"]
    check(name, ok, f"  ours {a.get('unlinkat')}\n  strace {b.get('unlinkat')}\n{text(ours and ours[1])}")
    header = lambda out: [l for l in text(out).splitlines() if l.startswith("% time")]
    check("trace -c: strace's header and no call lines", header(ours and ours[1]) == header(theirs and theirs[1]) != []
          and not call_lines(text(ours and ours[1]), "unlinkat"), text(ours and ours[1])[:1500])
    ours = h.run_in(d, [h.pv(), "trace", "-C", "--", *argv])
    out = text(ours and ours[1])
    check("trace -C: the lines, then the table", len(call_lines(out, "unlinkat")) == 3 and "% time" in out
          and out.index("unlinkat(") < out.index("% time"), out[-1500:])


def strace_timestamps():
    d = h.fresh_dir(with_file)
    before = time.time()
    cases = {"-t": r"\d\d:\d\d:\d\d ", "-tt": r"\d\d:\d\d:\d\d\.\d{6} ", "-ttt": r"(\d+)\.\d{6} ",
             "-r": r" *\d+\.\d{6} "}
    for flag, pat in cases.items():
        r = h.run_in(d, [h.pv(), "trace", flag, "-e", "trace=openat", "--", "cat", "f.txt"])
        lines = [l for l in text(r and r[1]).splitlines() if "openat(" in l]
        good = lines and all(re.match(r"\[pid \d+\] " + pat + "openat\(", l) for l in lines)
        if flag == "-ttt" and good:
            stamp = float(re.match(r"\[pid \d+\] (\d+\.\d+)", lines[0]).group(1))
            good = before - 1 <= stamp <= time.time() + 1
        check(f"trace {flag}: each line starts with strace's {flag} stamp", good, "\n".join(lines[:3]))
    r = h.run_in(d, [h.pv(), "trace", "-T", "-e", "trace=openat", "--", "cat", "f.txt"])
    lines = [l for l in text(r and r[1]).splitlines() if "openat(" in l]
    check("trace -T: each call's line ends with its time", lines and all(re.search(r" <\d+\.\d{6}>$", l) for l in lines),
          "\n".join(lines[:3]))
    r = h.run_in(d, [h.pv(), "trace", "-e", "trace=openat", "--", "cat", "f.txt"])
    lines = [l for l in text(r and r[1]).splitlines() if "openat(" in l]
    check("trace without -T, -t, -r: no times, as strace", lines and not any(re.search(r"<\d+\.\d+>|\d\d:\d\d", l)
          for l in lines), "\n".join(lines[:3]))


def strace_follow_forks():
    """-f is accepted (picovisor always follows); -ff -o FILE: FILE.PID a process, as strace writes them."""
    name = "trace -ff -o FILE: one file a process, as strace"
    if not have_strace(name):
        return
    d = h.fresh_dir(with_file)
    r = h.run_in(d, [h.pv(), "trace", "-f", "-e", "trace=execve", "--", "sh", "-c", "cat f.txt; true"])
    check("trace -f: accepted, children followed", r and r[2] == 0 and call_lines(text(r[1]), "execve")
          and any('"cat", "f.txt"' in l for l in call_lines(text(r[1]), "execve")), text(r and r[1]))
    os.mkdir(os.path.join(d, "ours"))
    os.mkdir(os.path.join(d, "theirs"))
    if h.AS_USER:
        subprocess.run(["chown", "65534:65534", os.path.join(d, "ours"), os.path.join(d, "theirs")], check=True)
    r = h.run_in(d, [h.pv(), "trace", "-ff", "-o", "ours/t", "-e", "trace=execve", "--", "sh", "-c", "cat f.txt; true"])
    s = strace_run(d, ["-ff", "-o", "theirs/t", "-e", "trace=execve", "sh", "-c", "cat f.txt; true"])
    ours, theirs = sorted(os.listdir(os.path.join(d, "ours"))), sorted(os.listdir(os.path.join(d, "theirs")))
    contents = {f: open(os.path.join(d, "ours", f)).read() for f in ours}
    ok = (r and r[2] == 0 and s and len(ours) == len(theirs) == 2 and all(re.fullmatch(r"t\.\d+", f) for f in ours)
          and sum('"cat", "f.txt"' in c for c in contents.values()) == 1 and not any("[pid" in c for c in contents.values()))
    check(name, ok, f"  ours {ours} strace {theirs}\n{contents}")
    r = h.run_in(d, [h.pv(), "trace", "-ff", "--", "true"])
    check("trace -ff without -o FILE is refused", r and r[2] == 125 and b"-ff" in r[1], str(r))


def strace_path_filter():
    """-P PATH: strace's lines, and the open strace misses (a relative name) found by the fd it returns."""
    name = "trace -P: the calls strace -P shows, and the relative open"
    if not have_strace(name):
        return
    d = h.fresh_dir(with_file)
    script = "cat f.txt; cat /etc/hostname >/dev/null"
    ours = h.run_in(d, [h.pv(), "trace", "-P", os.path.join(d, "f.txt"), "--", "sh", "-c", script])
    theirs = strace_run(d, ["-f", "-P", os.path.join(d, "f.txt"), "sh", "-c", script])
    names = lambda out: [m.group(1) for l in text(out).splitlines()
                         for m in [re.match(r"(?:\[pid +\d+\] )?([a-z0-9_]+)\(", l)] if m]
    a, b = names(ours and ours[1]), names(theirs and theirs[1])
    out = text(ours and ours[1])
    ok = (a and set(b) <= set(a) and "read" in a and "close" in a and 'openat(AT_FDCWD, "f.txt"' in out
          and "/etc/hostname" not in out and "hostname" not in " ".join(call_lines(out, "openat")))
    check(name, ok, f"  ours {a}\n  strace {b}\n{out[-2000:]}")


def strace_selection():
    """-e trace=%class as strace's classes, -e trace=/regex and !, -e signal=SET."""
    name = "trace -e trace=%file: the calls strace's %file shows"
    if not have_strace(name):
        return
    d = h.fresh_dir(with_file)
    names = lambda out: sorted({m.group(1) for l in text(out).splitlines()
                                for m in [re.match(r"(?:\[pid +\d+\] )?([a-z0-9_]+)\(", l)] if m})
    for cls in ("%file", "%desc", "%memory"):
        ours = h.run_in(d, [h.pv(), "trace", "-e", "trace=" + cls, "--", "ls", "-l", "."])
        theirs = strace_run(d, ["-e", "trace=" + cls, "ls", "-l", "."])
        a, b = names(ours and ours[1]), names(theirs and theirs[1])
        check(f"trace -e trace={cls}: the calls strace's {cls} shows", a and a == b, f"  ours {a}\n  strace {b}")
    r = h.run_in(d, [h.pv(), "trace", "-e", "trace=/^(open|close)", "-e", "trace=!close", "--", "cat", "f.txt"])
    a = names(r and r[1])
    check("trace -e trace=/REGEX then !NAME", a and set(a) <= {"openat", "close_range"} and "openat" in a, str(a))
    script = "trap : USR1; trap : USR2; kill -USR1 $$; kill -USR2 $$"
    for expr, want in (("signal=USR2", ["SIGUSR2"]), ("signal=!SIGUSR2", ["SIGUSR1"]), ("signal=none", []),
                       ("signal=10,12", ["SIGUSR1", "SIGUSR2"])):
        r = h.run_in(d, [h.pv(), "trace", "-e", "trace=none", "-e", expr, "--", "sh", "-c", script])
        got = re.findall(r"--- (SIG\w+)", text(r and r[1]))
        check(f"trace -e {expr}", r and r[2] == 0 and got == want, f"  got {got}\n{text(r and r[1])}")
    r = h.run_in(d, [h.pv(), "trace", "-e", "signal=NOSUCH", "--", "true"])
    check("trace -e signal=: an unknown signal is an error", r and r[2] == 125 and b"unknown signal" in r[1], str(r))


def strace_small_flags():
    """-n, -z, -Z, -S, -A: each line (or table) as strace writes it."""
    name = "trace -n -Z: the failed calls with their numbers, as strace"
    if not have_strace(name):
        return
    d = h.fresh_dir(with_file)
    def both(flags):
        """The openat lines of each, written to a file of its own (the program's stderr is apart)."""
        h.run_in(d, [h.pv(), "trace", "-F", "text", "-o", "ours.txt", *flags, "-e", "trace=openat", "--", "cat", "f.txt", "nx"])
        strace_run(d, ["-o", "theirs.txt", *flags, "-e", "trace=openat", "cat", "f.txt", "nx"])
        read = lambda f: open(os.path.join(d, f)).read() if os.path.exists(os.path.join(d, f)) else ""
        strip = lambda t: [re.sub(r"\)\s+= ", ") = ", re.sub(r"^\[pid +\d+\] ", "", l)) for l in t.splitlines()
                           if "openat(" in l]
        return strip(read("ours.txt")), strip(read("theirs.txt"))
    a, b = both(["-n", "-Z"])
    check(name, a and a == b and all(l.startswith("[ 257] openat(") and "= -1 " in l for l in a),
          f"  ours {a}\n  strace {b}")
    a, b = both(["-z"])
    check("trace -z: the successful calls alone, as strace", a and a == b and not any("= -1" in l for l in a),
          f"  ours {a}\n  strace {b}")
    ours = h.run_in(d, [h.pv(), "trace", "-c", "-S", "calls", "--", "cat", "f.txt"])
    calls = [int(l.split()[3]) for l in text(ours and ours[1]).splitlines() if re.match(r"\s*\d+\.\d+ ", l)][:-1]
    check("trace -c -S calls: the table by calls", calls and calls == sorted(calls, reverse=True), str(calls))
    for _ in range(2):
        r = h.run_in(d, [h.pv(), "trace", "-A", "-o", "a.txt", "-F", "text", "--", "true"])
    got = open(os.path.join(d, "a.txt")).read().count("+++ exited with 0 +++") if os.path.exists(os.path.join(d, "a.txt")) else 0
    check("trace -A -o FILE: appended to", got == 2, f"{got} exits in a.txt")


def strace_outputs():
    """-o - (standard output), -o '|COMMAND' (waited for), --no-abbrev, -k refused, JSON as before."""
    d = h.fresh_dir(with_file)
    r = h.run_in(d, [h.pv(), "trace", "-o", "-", "-e", "trace=openat", "--", "cat", "f.txt"])
    check("trace -o -: the lines on standard output", r and r[2] == 0 and call_lines(text(r[0]), "openat")
          and b"openat(" not in r[1], str(r))
    r = h.run_in(d, [h.pv(), "trace", "-o", "|cat > piped.txt", "-e", "trace=openat", "--", "cat", "f.txt"])
    piped = open(os.path.join(d, "piped.txt")).read() if os.path.exists(os.path.join(d, "piped.txt")) else ""
    check("trace -o '|COMMAND': the lines through the command, all of them before picovisor ends",
          r and r[2] == 0 and call_lines(piped, "openat") and piped.rstrip().endswith("+++ exited with 0 +++"),
          piped[-500:] + str(r))
    r = h.run_in(d, [h.pv(), "trace", "-e", "trace=execve", "--no-abbrev", "--", "sh", "-c", "exec /bin/true x"])
    lines = [l for l in call_lines(text(r and r[1]), "execve") if "/bin/true" in l]
    check("trace --no-abbrev: the environment in full (strace -v)",
          lines and "vars */" not in lines[0] and re.search(r'\], \["[A-Z_]+=', lines[0]), "\n".join(lines))
    r = h.run_in(d, [h.pv(), "trace", "-e", "trace=execve", "--", "sh", "-c", "exec /bin/true x"])
    lines = [l for l in call_lines(text(r and r[1]), "execve") if "/bin/true" in l]
    check("trace without --no-abbrev: the environment as a count, as strace", lines and "vars */" in lines[0],
          "\n".join(lines))
    r = h.run_in(d, [h.pv(), "trace", "-f", "--seccomp-bpf", "-w", "-e", "trace=openat", "--", "cat", "f.txt"])
    check("trace -f --seccomp-bpf -w: accepted", r and r[2] == 0 and call_lines(text(r[1]), "openat"), str(r))
    r = h.run_in(d, [h.pv(), "trace", "-k", "--", "true"])
    check("trace -k: refused clearly", r and r[2] == 125 and b"not built with -k support" in r[1], str(r))
    r = h.run_in(d, [h.pv(), "trace", "-o", "t.jsonl", "--", "cat", "f.txt"])
    first = open(os.path.join(d, "t.jsonl")).readline() if r and r[2] == 0 else "{}"
    check("trace -o FILE: still the JSON Lines trace", json.loads(first).get("format") == "picovisor-trace", first)
    r = h.run_in(d, [h.pv(), "trace", "-F", "jsonl", "-T", "--", "true"])
    check("trace -F jsonl with a text flag is refused", r and r[2] == 125 and b"text output" in r[1], str(r))
    r = h.run_in(d, [h.pv(), "run", "-c", "--", "true"])
    check("run refuses trace's strace flags", r and r[2] == 125, str(r))


def start_target(d):
    """The -p target, as the pass's user; returns it once its counter runs."""
    counter = os.path.join(d, "count")
    p = subprocess.Popen((h.NOBODY if h.AS_USER else []) + [PYTHON, "-c", TARGET, counter], cwd=d,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        if os.path.exists(counter):
            break
        time.sleep(0.02)
    return p, counter


def count(path):
    try:
        return int(open(path).read() or 0)
    except (OSError, ValueError):
        return 0


def status_field(pid, name):
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith(name + ":"):
                return line.split(":", 1)[1].strip()
    except OSError:
        return None
    return None


def yama_scope():
    try:
        return int(open("/proc/sys/kernel/yama/ptrace_scope").read())
    except (OSError, ValueError):
        return None


def strace_attach():
    """-p PID: every thread traced, then on SIGINT detached, the process running on as before (no filter left)."""
    scope = yama_scope()
    if scope == 3 or (h.AS_USER and scope in (1, 2)):
        h.report("trace -p: attach, trace every thread, detach", None,
                 f"kernel.yama.ptrace_scope is {scope}: this user may not attach to a process it did not start "
                 "(strace_attach_refused checks the refusal)")
        return
    d = h.fresh_dir(None)
    target, counter = start_target(d)
    pid = target.pid
    try:
        seccomp_before, cpus_before = status_field(pid, "Seccomp"), status_field(pid, "Cpus_allowed_list")
        trace = os.path.join(d, "t.txt")
        pv = subprocess.Popen((h.NOBODY if h.AS_USER else []) + [h.pv(), "trace", "-p", str(pid), "-F", "text",
                              "-o", trace, "-e", "trace=newfstatat,stat,rename"], cwd=d,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(0.8)
        during = status_field(pid, "TracerPid")
        pv.send_signal(signal.SIGINT)
        try:
            out, err = pv.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            pv.kill()
            out, err = pv.communicate()
        lines = open(trace).read().splitlines() if os.path.exists(trace) else []
        tids = {m.group(1) for l in lines for m in [re.match(rf"\[pid {pid} tid (\d+)\] newfstatat\(", l)] if m}
        check("trace -p: attached, every thread's calls traced",
              pv.returncode == 0 and during == str(pv.pid) and len(tids) >= 2
              and any(re.match(rf"\[pid {pid}\] rename\(", l) for l in lines),
              f"  rc {pv.returncode} tracer {during} (picovisor {pv.pid}) tids {tids}\n{err.decode()[-800:]}\n"
              + "\n".join(lines[:6]))
        check("trace -p: says it attached and detached", f"Process {pid} attached".encode() in err
              and f"Process {pid} detached".encode() in err, err.decode()[-800:])
        n = count(counter)
        time.sleep(0.4)
        check("trace -p: after SIGINT the process runs on, untraced, with no filter or pinning left",
              target.poll() is None and count(counter) > n and status_field(pid, "TracerPid") == "0"
              and status_field(pid, "Seccomp") == seccomp_before
              and status_field(pid, "Cpus_allowed_list") == cpus_before,
              f"  alive {target.poll() is None} counter {n} -> {count(counter)} tracer {status_field(pid, 'TracerPid')}"
              f" seccomp {seccomp_before} -> {status_field(pid, 'Seccomp')}")
        pv = subprocess.Popen((h.NOBODY if h.AS_USER else []) + [h.pv(), "trace", "-p", str(pid), "-o", "t.jsonl",
                              "-e", "trace=rename"], cwd=d, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.5)
        pv.send_signal(signal.SIGINT)
        pv.wait(timeout=20)
        recs = [json.loads(l) for l in open(os.path.join(d, "t.jsonl"))] if os.path.exists(os.path.join(d, "t.jsonl")) else []
        check("trace -p -o FILE: a JSON trace whose start names the attached pid, its calls with the real pid",
              recs and recs[0].get("attached") == [pid] and recs[-1].get("type") == "end"
              and any(r.get("name") == "rename" and r.get("pid") == pid for r in recs), str(recs[:2]))
        import ci_tests
        v = ci_tests.validator("trace")
        bad = [ci_tests.first_error(v, r) for r in recs if ci_tests.first_error(v, r)] if v else []
        if v:
            check("trace -p -o FILE: every record as docs/trace.schema.json says", recs and not bad, str(bad[:3]))
        # picovisor killed outright: the process must run on (no PTRACE_O_EXITKILL on an attached process)
        pv = subprocess.Popen((h.NOBODY if h.AS_USER else []) + [h.pv(), "trace", "-p", str(pid), "-o", "/dev/null"],
                              cwd=d, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.5)
        traced = status_field(pid, "TracerPid")
        pv.kill()
        pv.wait(timeout=20)
        time.sleep(0.2)
        n = count(counter)
        time.sleep(0.3)
        check("trace -p: picovisor killed, the process runs on", traced not in (None, "0") and target.poll() is None
              and count(counter) > n and status_field(pid, "TracerPid") == "0",
              f"  traced by {traced}, alive {target.poll() is None}, counter {n} -> {count(counter)}")
        pv = subprocess.Popen((h.NOBODY if h.AS_USER else []) + [h.pv(), "trace", "-q", "-p", str(pid), "-o", "/dev/null"],
                              cwd=d, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(0.3)
        pv.send_signal(signal.SIGINT)
        _, err = pv.communicate(timeout=20)
        check("trace -q -p: no attached or detached lines", pv.returncode == 0 and b"Process" not in err, err.decode())
        r = h.run_in(d, [h.pv(), "trace", "-p", str(pid), "--policy", "ci"])
        check("trace -p with a policy is refused: an attached process is traced only",
              r and r[2] == 125 and b"never put under a policy" in r[1], str(r))
        target.terminate()
        target.wait(timeout=10)
        r = h.run_in(d, [h.pv(), "trace", "-p", str(pid)])
        check("trace -p: a pid that is gone is a clear error", r and r[2] == 125 and b"no such process" in r[1], str(r))
    finally:
        if target.poll() is None:
            target.kill()
            target.wait()


def strace_attach_refused():
    """-p never traces what the user could not ptrace: the kernel's check decides, as for strace -p."""
    if not h.AS_USER:
        h.report("trace -p: another user's process is refused", None,
                 "root may attach to any process (CAP_SYS_PTRACE): the unprivileged pass tests the refusal")
        return
    d = h.fresh_dir(None)
    root_proc = subprocess.Popen(["sleep", "30"])  # the harness is root: a process nobody may not trace
    try:
        native = h.run_in(d, ["strace", "-p", str(root_proc.pid)], timeout=10) if shutil.which("strace") else None
        r = h.run_in(d, [h.pv(), "trace", "-p", str(root_proc.pid)], timeout=10)
        check("trace -p: another user's process is refused, as the kernel refuses strace -p",
              r and r[2] == 125 and b"belongs to uid 0" in r[1] and status_field(root_proc.pid, "TracerPid") == "0"
              and (native is None or native[2] != 0), f"  picovisor {r}\n  strace {native}")
    finally:
        root_proc.kill()
        root_proc.wait()
    # A process of one's own uid that made itself non-dumpable (as ssh-agent and gpg-agent do): the kernel
    # refuses ptrace to its owner without CAP_SYS_PTRACE, and picovisor must not get around that.
    secret = subprocess.Popen(h.NOBODY + [PYTHON, "-c", "import ctypes, time; ctypes.CDLL(None).prctl(4, 0, 0, 0, 0); "
                                          "print('ready', flush=True); time.sleep(30)"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        ready = secret.stdout.readline() == b"ready\n"
        native = h.run_in(d, ["strace", "-p", str(secret.pid)], timeout=10) if shutil.which("strace") else None
        r = h.run_in(d, [h.pv(), "trace", "-p", str(secret.pid)], timeout=10)
        check("trace -p: a non-dumpable process of one's own uid is refused, as the kernel refuses strace -p",
              ready and r and r[2] == 125 and b"not permitted" in r[1] and status_field(secret.pid, "TracerPid") == "0"
              and (native is None or native[2] != 0), f"  ready {ready}\n  picovisor {r}\n  strace {native}")
    finally:
        secret.kill()
        secret.wait()
    level = yama_scope()
    if level is None:
        h.report("trace -p: Yama's ptrace_scope refusal is explained", None, "the kernel has no Yama LSM")
        return
    if level == 0:
        h.report("trace -p: Yama's ptrace_scope refusal is explained", None, "kernel.yama.ptrace_scope is 0")
        return
    target, _ = start_target(d)
    try:
        r = h.run_in(d, [h.pv(), "trace", "-p", str(target.pid)], timeout=10)
        check("trace -p: Yama's ptrace_scope refusal is explained", r and r[2] == 125 and b"ptrace_scope" in r[1], str(r))
    finally:
        target.kill()
        target.wait()


def groups(harness):
    global h
    h = harness
    return [strace_fd_decoding, strace_summary_table, strace_timestamps, strace_follow_forks, strace_path_filter,
            strace_selection, strace_small_flags, strace_outputs, strace_attach, strace_attach_refused]
