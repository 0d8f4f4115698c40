"""End-to-end tests of tracing, summary and diff (imported by run.py, which
passes itself as h: the harness with pv(), prog(), report(), fresh_dir(), run_in()).

Decoder golden tests: tests/progs/decoders.c makes raw calls with known
arguments; the expected fields of each record are compared one by one."""
import json
import os
import re
import subprocess

h = None


def check(name, ok, detail=""):
    h.report(name, bool(ok), detail)


def load(path):
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        return [json.loads(line) for line in f]


def subset(expected, got, where=""):
    """Every field of expected is in got with the same value (recursively). Returns a complaint or None."""
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return f"{where}: expected an object, got {got!r}"
        for k, v in expected.items():
            if k not in got:
                return f"{where}.{k}: missing in {got!r}"
            bad = subset(v, got[k], f"{where}.{k}")
            if bad:
                return bad
        return None
    if isinstance(expected, list):
        if not isinstance(got, list) or len(got) != len(expected):
            return f"{where}: expected {expected!r}, got {got!r}"
        for i, (e, g) in enumerate(zip(expected, got)):
            bad = subset(e, g, f"{where}[{i}]")
            if bad:
                return bad
        return None
    if callable(expected):
        return None if expected(got) else f"{where}: {got!r} does not satisfy the check"
    return None if expected == got else f"{where}: expected {expected!r}, got {got!r}"


def trace(d, argv, extra=()):
    """picovisor trace -o d/t.jsonl: (records, stdout, stderr, rc)."""
    out = os.path.join(d, "t.jsonl")
    r = h.run_in(d, [h.pv(), "trace", "-o", out, *extra, "--", *argv])
    if r is None:
        return None, b"", b"timeout", -1
    return (load(out) if os.path.exists(out) else None), r[0], r[1], r[2]


def calls(recs, name):
    return [r for r in recs if r.get("type") == "syscall" and r.get("name") == name]


def is_fd(target_re):
    return lambda v: isinstance(v, dict) and isinstance(v.get("fd"), int) and re.search(target_re, v.get("target", ""))


ANY_INT = lambda v: isinstance(v, int)
POSITIVE = lambda v: isinstance(v, int) and v > 0

# (family, syscall name, which occurrence among the program's own calls, expected fields)
GOLDEN = [
    ("open flags and mode", "openat", lambda r: r["args"]["filename"] == "data.txt" and "O_CREAT" in r["args"]["flags"],
     {"args": {"dfd": "AT_FDCWD", "filename": "data.txt", "flags": "O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC", "mode": "0640"},
      "ret": 3, "ret_target": lambda t: t.endswith("/data.txt")}),
    ("open without O_CREAT has no mode", "openat", lambda r: r["args"]["filename"] == "data.txt" and r["args"]["flags"] == "O_RDONLY",
     {"args": {"flags": "O_RDONLY"}, "ret": 3}),
    ("buffer in", "write", lambda r: r["args"]["count"] == 11,
     {"args": {"fd": is_fd(r"/data\.txt$"), "buf": "hello\nworld", "count": 11}, "ret": 11}),
    ("buffer cut at -s", "write", lambda r: r["args"]["count"] == 100,
     {"args": {"buf": {"data": "x" * 32, "len": 100}}, "ret": 100}),
    ("buffer out at exit", "read", lambda r: r["args"]["count"] == 5, {"args": {"buf": "hello"}, "ret": 5}),
    ("pread64 offset", "pread64", lambda r: r["args"]["count"] == 5, {"args": {"buf": "world", "count": 5, "pos": 6}, "ret": 5}),
    ("lseek whence", "lseek", lambda r: True, {"args": {"offset": 6, "whence": "SEEK_SET"}, "ret": 6}),
    ("struct stat", "fstat", lambda r: r["args"]["fd"].get("target", "").endswith("data.txt"),
     {"args": {"statbuf": {"st_mode": "S_IFREG|0640", "st_size": 111, "st_nlink": 1, "st_ino": POSITIVE}}, "ret": 0}),
    ("struct statx and at-flags", "statx", lambda r: True,
     {"args": {"filename": "data.txt", "flags": "AT_STATX_SYNC_AS_STAT|AT_SYMLINK_NOFOLLOW", "buffer": {"stx_mode": "S_IFREG|0640", "stx_size": 111}}, "ret": 0}),
    ("newfstatat", "newfstatat", lambda r: r["args"]["filename"] == "data.txt",
     {"args": {"statbuf": {"st_size": 111}, "flag": "AT_SYMLINK_NOFOLLOW"}}),
    ("access mode", "access", lambda r: r["args"]["filename"] == "data.txt", {"args": {"mode": "R_OK|W_OK"}, "ret": 0}),
    ("errno names", "openat", lambda r: r["args"]["filename"] == "missing.txt", {"ret": -1, "err": "ENOENT"}),
    ("ioctl command", "ioctl", lambda r: r["args"]["fd"].get("target", "").endswith("data.txt"),
     {"args": {"cmd": "TCGETS"}, "ret": -1, "err": "ENOTTY"}),
    ("fcntl command", "fcntl", lambda r: True, {"args": {"cmd": "F_GETFL"}, "ret": 32768}),
    ("unlinkat AT_REMOVEDIR", "unlinkat", lambda r: True, {"args": {"pathname": "sub", "flag": "AT_REMOVEDIR"}, "ret": 0}),
    ("mkdirat mode", "mkdirat", lambda r: True, {"args": {"pathname": "sub", "mode": "0755"}, "ret": 0}),
    ("mmap prot and flags", "mmap", lambda r: r["args"]["len"] == 4096 and r["args"]["flags"] == "MAP_PRIVATE|MAP_ANONYMOUS",
     {"args": {"addr": None, "prot": "PROT_READ|PROT_WRITE", "fd": {"fd": -1}}, "ret": lambda v: v.startswith("0x")}),
    ("mprotect prot", "mprotect", lambda r: r["args"]["len"] == 4096 and r["args"]["prot"] == "PROT_READ", {"ret": 0}),
    ("pipe fds at exit", "pipe2", lambda r: True,
     {"args": {"fildes": [is_fd(r"^pipe:\[\d+\]$"), is_fd(r"^pipe:\[\d+\]$")], "flags": "O_CLOEXEC"}, "ret": 0}),
    ("iovec in", "writev", lambda r: True,
     {"args": {"vec": [{"iov_base": "abc", "iov_len": 3}, {"iov_base": "defg", "iov_len": 4}], "vlen": 2}, "ret": 7}),
    ("iovec out, filled up to the result", "readv", lambda r: True,
     {"args": {"vec": [{"iov_base": "ab", "iov_len": 2}, {"iov_base": "cdefg", "iov_len": 8}]}, "ret": 7}),
    ("socket domain and type", "socket", lambda r: r["args"]["domain"] == "AF_INET" and "CLOEXEC" in r["args"]["type"],
     {"args": {"type": "SOCK_STREAM|SOCK_CLOEXEC", "protocol": "IPPROTO_IP"}, "ret_target": "TCP:[0.0.0.0:0]"}),
    ("sockaddr in", "bind", lambda r: True,
     {"args": {"umyaddr": {"sa_family": "AF_INET", "sin_port": 0, "sin_addr": "127.0.0.1"}, "addrlen": 16}, "ret": 0}),
    ("sockaddr out at exit", "getsockname", lambda r: True,
     {"args": {"usockaddr": {"sa_family": "AF_INET", "sin_port": POSITIVE, "sin_addr": "127.0.0.1"}, "usockaddr_len": 16}}),
    ("socket endpoints like -yy", "connect", lambda r: r["args"]["uservaddr"].get("sa_family") == "AF_INET",
     {"args": {"fd": is_fd(r"^TCP:\[127\.0\.0\.1:\d+->127\.0\.0\.1:\d+\]$")}, "ret": 0}),
    ("accept address", "accept4", lambda r: True,
     {"args": {"upeer_sockaddr": {"sa_family": "AF_INET", "sin_addr": "127.0.0.1"}, "flags": "SOCK_CLOEXEC"}, "ret": POSITIVE}),
    ("send flags", "sendto", lambda r: True, {"args": {"buff": "ping", "flags": "MSG_NOSIGNAL", "addr": None}, "ret": 4}),
    ("recv buffer", "recvfrom", lambda r: True, {"args": {"ubuf": "ping", "size": 128}, "ret": 4}),
    ("msghdr in", "sendmsg", lambda r: True,
     {"args": {"fd": is_fd(r"^UNIX-DGRAM"), "msg": {"msg_iov": [{"iov_base": "unix-msg", "iov_len": 8}], "msg_iovlen": 1}}, "ret": 8}),
    ("msghdr out", "recvmsg", lambda r: True, {"args": {"msg": {"msg_iov": [{"iov_base": "unix-msg"}]}}, "ret": 8}),
    ("sockaddr in6", "connect", lambda r: r["args"]["uservaddr"].get("sa_family") == "AF_INET6",
     {"args": {"uservaddr": {"sin6_port": 9, "sin6_addr": "::1"}, "addrlen": 28}, "err": "ECONNREFUSED"}),
    ("sockaddr unix", "connect", lambda r: r["args"]["uservaddr"].get("sa_family") == "AF_UNIX",
     {"args": {"uservaddr": {"sun_path": "no-such.sock"}}, "err": "ENOENT"}),
    ("sigaction", "rt_sigaction", lambda r: r["args"]["sig"] == "SIGUSR1",
     {"args": {"act": {"sa_mask": ["SIGINT"], "sa_flags": "SA_RESTART", "sa_handler": lambda v: v.startswith("0x")},
               "oact": {"sa_handler": "SIG_DFL"}}, "ret": 0}),
    ("sigprocmask", "rt_sigprocmask", lambda r: r["args"]["set"] == ["SIGUSR2"], {"args": {"how": "SIG_BLOCK"}, "ret": 0}),
    ("signal numbers", "kill", lambda r: True, {"args": {"sig": 0, "pid": POSITIVE}, "ret": 0}),
    ("rlimit in and out", "prlimit64", lambda r: r["args"]["resource"] == "RLIMIT_CORE",
     {"args": {"new_rlim": {"rlim_cur": 100, "rlim_max": 200}, "old_rlim": {"rlim_cur": ANY_INT}}, "ret": 0}),
    ("rlimit out", "getrlimit", lambda r: r["args"]["resource"] == "RLIMIT_CORE",
     {"args": {"rlim": {"rlim_cur": 100, "rlim_max": 200}}}),
    ("timespec in", "nanosleep", lambda r: True, {"args": {"rqtp": {"tv_sec": 0, "tv_nsec": 1000}, "rmtp": None}, "ret": 0}),
    ("timespec out", "clock_gettime", lambda r: True, {"args": {"tp": {"tv_sec": ANY_INT, "tv_nsec": ANY_INT}}, "ret": 0}),
    ("clone flags", "clone", lambda r: "CLONE_CHILD_SETTID" in r["args"]["flags"], {"args": {"flags": "CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD"}, "ret": POSITIVE}),
    ("wait status", "wait4", lambda r: r["args"]["stat_addr"] == {"exited": 3}, {"args": {"upid": -1, "stat_addr": {"exited": 3}, "options": "0"}, "ret": POSITIVE}),
    ("clone3 arguments", "clone3", lambda r: True,
     {"args": {"uargs": {"flags": "CLONE_CLEAR_SIGHAND", "exit_signal": "SIGCHLD", "stack": None, "stack_size": 0}, "size": 88},
      "ret": POSITIVE}),
    ("openat2 open_how", "openat2", lambda r: True,
     {"args": {"filename": "data.txt", "how": {"flags": "O_RDONLY|O_CLOEXEC", "resolve": "RESOLVE_NO_SYMLINKS|RESOLVE_BENEATH"}, "usize": 24},
      "ret": 3}),
    ("close names the fd it closes", "close", lambda r: r["args"]["fd"].get("target", "").endswith("data.txt"), {"ret": 0}),
]


def trace_decoders():
    d = h.fresh_dir(None)
    recs, out, err, rc = trace(d, [h.prog("decoders")])
    if recs is None or rc != 0:
        check("trace: decoders program", False, f"rc {rc} stderr {err!r}")
        return
    # The program's own calls come after its exec; the dynamic loader's before are not what the golden checks.
    for family, name, pick, expected in GOLDEN:
        found = [r for r in calls(recs, name) if pick(r)]
        if not found:
            check(f"trace decoder: {family}", False, f"no {name} record matched; got {calls(recs, name)[:3]}")
            continue
        bad = subset(expected, found[0], name)
        check(f"trace decoder: {family}", bad is None, bad or "")


def trace_tree():
    d = h.fresh_dir(None)
    # fork tree, threads, exec, signals, exit statuses
    script = f"{h.prog('threads')} >/dev/null; {h.prog('forktree')} >/dev/null; kill -USR1 $$ 2>/dev/null; sh -c 'kill -TERM $$'; exit 7"
    recs, out, err, rc = trace(d, ["bash", "-c", f"trap 'echo usr1' USR1; {script}"])
    if recs is None:
        check("trace: process tree", False, err)
        return
    spawns = [r for r in recs if r["type"] == "spawn"]
    procs = [r for r in spawns if not r["thread"]]
    threads = [r for r in spawns if r["thread"]]
    exits = [r for r in recs if r["type"] == "exit" and not r["thread"]]
    execs = [r for r in recs if r["type"] == "exec"]
    check("trace tree: exit status of the run", rc == 7 and recs[-1]["type"] == "end" and recs[-1]["status"] == {"exited": 7},
             f"rc {rc}, last {recs[-1]}")
    check("trace tree: threads are spawn records with thread=true", len(threads) >= 4, f"{len(threads)} thread spawns")
    ids = {r["pid"] for r in procs}
    check("trace tree: virtual pids numbered in creation order",
             [r["pid"] for r in procs] == sorted(r["pid"] for r in procs) and 1 not in ids and all(r["parent"] >= 1 for r in procs),
             str([(r["pid"], r["parent"]) for r in procs]))
    check("trace tree: every process has one exit record",
             sorted(r["pid"] for r in exits) == sorted([1] + [r["pid"] for r in procs]),
             f"exits {sorted(r['pid'] for r in exits)} spawns {sorted(r['pid'] for r in procs)}")
    killed = [r for r in exits if r.get("signal") == "SIGTERM"]
    check("trace tree: a death by signal is recorded as such", len(killed) == 1, str(exits))
    sigs = [r for r in recs if r["type"] == "signal" and r["pid"] == 1 and r["sig"] == "SIGUSR1"]
    check("trace tree: signal delivery", len(sigs) == 1 and sigs[0]["code"] == "SI_USER", str(sigs))
    ex = [r for r in execs if r["path"].endswith("/threads")]
    check("trace tree: exec events carry path and argv", len(ex) == 1 and ex[0]["argv"] == [h.prog("threads")], str(ex))
    def exec_follows_execve(rs):
        last = {}
        for r in rs:
            if r["type"] == "exec" and not (last.get(r["tid"], {}).get("name") in ("execve", "execveat") and last[r["tid"]]["ret"] == 0):
                return False
            if r["type"] == "syscall":
                last[r["tid"]] = r
        return True
    check("trace tree: each exec event follows its successful execve record", exec_follows_execve(recs), "")
    kl, _, _, _ = trace(h.fresh_dir(None), ["sh", "-c", f"{h.prog('hello')}; exit 0"], ["--kernel-loader"])
    check("trace tree: the same with the kernel's loader", kl and len([r for r in kl if r["type"] == "exec"]) == 2
          and exec_follows_execve(kl), "")
    seqs = [r["seq"] for r in recs]
    check("trace tree: sequence numbers in file order", seqs == list(range(1, len(recs) + 1)), "")
    owned = all(r["pid"] in ids | {1} for r in recs if "pid" in r)
    check("trace tree: every record belongs to a known process", owned, "")
    unfinished = [r for r in recs if r["type"] == "syscall" and r["ret"] is None and r["name"] not in ("exit", "exit_group")]
    check("trace tree: only exits have no return", not unfinished, str(unfinished[:3]))


def trace_select():
    d = h.fresh_dir(None)
    prog = [h.prog("decoders")]
    recs, _, _, rc = trace(d, prog, ["-e", "trace=openat,close"])
    names = {r["name"] for r in recs if r["type"] == "syscall"} if recs else set()
    check("trace -e names", rc == 0 and names == {"openat", "close"}, str(names))
    recs, _, _, rc = trace(h.fresh_dir(None), prog, ["-e", "trace=%network"])
    names = {r["name"] for r in recs if r["type"] == "syscall"} if recs else set()
    want = {"socket", "bind", "listen", "getsockname", "connect", "accept4", "sendto", "recvfrom", "socketpair", "sendmsg", "recvmsg"}
    check("trace -e %network", names == want, f"{sorted(names ^ want)}")
    recs, _, _, rc = trace(h.fresh_dir(None), prog, ["-e", "trace=!mmap,mprotect,%file"])
    names = {r["name"] for r in recs if r["type"] == "syscall"} if recs else set()
    check("trace -e negation", names and not names & {"mmap", "mprotect", "openat", "access", "statx"} and "write" in names,
             str(sorted(names)))
    recs, _, _, rc = trace(h.fresh_dir(None), prog, ["-e", "status=failed"])
    bad = [r for r in recs if r["type"] == "syscall" and "err" not in r] if recs else ["no trace"]
    check("trace -e status=failed", recs and not bad and len(calls(recs, "connect")) == 2, str(bad[:2]))
    # What is not selected runs without stopping: count the supervisor's ptrace events.
    def events(extra):
        r = h.run_in(h.fresh_dir(None), [h.pv(), "trace", "-o", "/dev/null", "-vv", *extra, "--", *prog])
        return r[1].count(b"picovisor: event:") if r else -1
    everything, few = events([]), events(["-e", "trace=kill"])
    check("trace -e: unselected calls do not stop", few > 0 and few * 5 < everything, f"{few} events with -e trace=kill, {everything} without")
    r = h.run_in(h.fresh_dir(None), [h.pv(), "trace", "-e", "trace=nosuchcall", "--", "true"])
    check("trace -e: unknown names are an error", r and r[2] == 125 and b"unknown system call 'nosuchcall'" in r[1], str(r))
    r = h.run_in(h.fresh_dir(None), [h.pv(), "trace", "-e", "trace=%nosuch", "--", "true"])
    check("trace -e: unknown classes are an error", r and r[2] == 125 and b"unknown class" in r[1], str(r))
    r = h.run_in(h.fresh_dir(None), [h.pv(), "trace", "-T", "-e", "trace=openat", "--", h.prog("decoders")])
    lines = [l for l in r[1].decode(errors="replace").splitlines() if "openat(" in l] if r else []
    check("trace -F text: strace-like lines on stderr (-T: the time in the call)",
             any(re.fullmatch(r'\[pid 1\] openat\(AT_FDCWD, "missing\.txt", O_RDONLY\) = -1 ENOENT \(No such file or directory\) <\d+\.\d{6}>', l) for l in lines),
             "\n".join(lines))
    d = h.fresh_dir(None)
    r = h.run_in(d, [h.pv(), "run", "--trace", "run.jsonl", "--", h.prog("hello")])
    ok = r and r[2] == 0 and os.path.exists(os.path.join(d, "run.jsonl")) and calls(load(os.path.join(d, "run.jsonl")), "write")
    check("run --trace FILE writes JSON Lines", bool(ok), str(r))


def trace_summary():
    d = h.fresh_dir(None)
    recs, _, _, rc = trace(d, [h.prog("decoders")])
    r = h.run_in(d, [h.pv(), "summary", "t.jsonl"])
    text = r[0].decode() if r else ""
    rows = {l.split()[-1]: l.split() for l in text.splitlines() if re.match(r"\s*\d+\.\d+ ", l)}
    n_open, n_open_err = len(calls(recs, "openat")), len([c for c in calls(recs, "openat") if "err" in c])
    row = rows.get("openat")
    check("summary: calls and errors per syscall",
             r and r[2] == 0 and row is not None and int(row[3]) == n_open and int(row[4]) == n_open_err,
             f"row {row}, want {n_open} calls {n_open_err} errors\n{text}")
    total = rows.get("total")
    check("summary: total", total is not None and int(total[3]) == len([x for x in recs if x["type"] == "syscall"]), str(total))
    times = [float(v[1]) for k, v in rows.items() if k != "total"]
    check("summary: sorted by time", times == sorted(times, reverse=True), str(times))
    r = h.run_in(d, [h.pv(), "summary", "--by-process", "t.jsonl"])
    nprocs = 1 + len([x for x in recs if x["type"] == "spawn" and not x["thread"]])
    check("summary --by-process: one table per process",
          r and r[2] == 0 and nprocs == 3 and r[0].count(b"% time") == nprocs and b"process 1: " in r[0] and b"process 3" in r[0],
          r[0].decode() if r else "")


def diff_progs(d):
    # dash: no SIGCHLD handler, so its calls come in the same order every run (bash's do not)
    with open(os.path.join(d, "variant.sh"), "w") as f:
        f.write("""cat /etc/hostname >/dev/null
[ "$1" = more ] && cat /etc/passwd >/dev/null
[ "$1" = files ] && { touch new.txt; mv new.txt moved.txt; rm moved.txt; mkdir dd; rmdir dd; }
ls / >/dev/null
exit ${2:-0}
""")
    with open(os.path.join(d, "connect.sh"), "w") as f:
        f.write("""cat /etc/hostname >/dev/null
[ "$1" = connect ] && { exec 3<>/dev/tcp/127.0.0.1/9 || true; } 2>/dev/null
exit 0
""")


def trace_diff():
    d = h.fresh_dir(diff_progs)
    def run(out, *args, shell="dash", script="./variant.sh"):
        return h.run_in(d, [h.pv(), "trace", "-o", out, "--", shell, script, *args])
    run("a.jsonl", "same")
    run("b.jsonl", "same")
    run("c.jsonl", "more")
    run("f.jsonl", "same", "3")
    run("g.jsonl", "files")
    run("a2.jsonl", "same", shell="bash", script="./connect.sh")
    run("e.jsonl", "connect", shell="bash", script="./connect.sh")
    r = h.run_in(d, [h.pv(), "diff", "a.jsonl", "b.jsonl"])
    check("diff: two runs of the same program are identical", r and r[2] == 0 and b"the runs did the same" in r[0],
             r[0].decode(errors="replace")[-3000:] if r else "")
    r = h.run_in(d, [h.pv(), "diff", "--json", "a.jsonl", "c.jsonl"])
    rep = json.loads(r[0]) if r and r[2] == 1 else {}
    beh = rep.get("behaviour", {})
    extra_reads = beh.get("files_read", {}).get("only_in_b")
    others = {k: v for k, v in beh.items() if k not in ("files_read", "files_executed", "processes_spawned") and (v["only_in_a"] or v["only_in_b"])}
    check("diff: one more file read is reported as exactly that",
             extra_reads == ["/etc/passwd"] and not beh["files_read"]["only_in_a"] and not others,
             json.dumps(beh, indent=1))
    spawned = beh.get("processes_spawned", {})
    check("diff: the extra process is reported", spawned.get("only_in_b") == ["/usr/bin/cat cat /etc/passwd"] and not spawned.get("only_in_a"),
             json.dumps(spawned))
    r = h.run_in(d, [h.pv(), "diff", "--json", "a.jsonl", "g.jsonl"])
    beh = json.loads(r[0]).get("behaviour", {}) if r and r[2] == 1 else {}
    got = {k: beh.get(k, {}).get("only_in_b") for k in ("files_created", "files_deleted", "files_written")}
    # Relative paths are resolved against the cwd, which is "<cwd>". touch's O_CREAT without O_EXCL made new.txt:
    # the trace says so ("created") where the file system keeps birth times.
    birth = any("created" in rec and not "O_EXCL" in rec["args"].get("flags", "") for rec in load(os.path.join(d, "g.jsonl")))
    check("diff: files created, deleted and written",
          got["files_created"] == ["<cwd>/dd", "<cwd>/moved.txt"] + (["<cwd>/new.txt"] if birth else [])
          and got["files_deleted"] == ["<cwd>/dd", "<cwd>/moved.txt", "<cwd>/new.txt"]
          and got["files_written"] == ["<cwd>/new.txt"], json.dumps(got))
    r = h.run_in(d, [h.pv(), "diff", "--json", "a2.jsonl", "e.jsonl"])
    rep = json.loads(r[0]) if r and r[2] == 1 else {}
    beh = rep.get("behaviour", {})
    check("diff: a connection is reported as an endpoint", beh.get("network_endpoints", {}).get("only_in_b") == ["connect 127.0.0.1:9"],
             json.dumps(beh.get("network_endpoints")))
    r = h.run_in(d, [h.pv(), "diff", "a.jsonl", "f.jsonl"])
    check("diff: exit statuses that differ", r and r[2] == 1 and b"A exited 0, B exited 3" in r[0], r[0].decode(errors="replace")[-2000:] if r else "")
    r = h.run_in(d, [h.pv(), "diff", "a.jsonl", "c.jsonl"])
    text = r[0].decode(errors="replace") if r else ""
    check("diff: unified hunks, and the extra process with its calls", r and r[2] == 1
          and re.search(r'^@@ -\d+,\d+ \+\d+,\d+ @@$', text, re.M) and re.search(r'^\+ (clone|vfork)\(', text, re.M)
          and re.search(r'^=== process \d+ only in B: /usr/bin/cat cat /etc/passwd', text, re.M)
          and re.search(r'^\+ openat\("AT_FDCWD", "/etc/passwd"', text, re.M), text[-3000:])
    r = h.run_in(d, [h.pv(), "diff", "--ignore", "^/etc/passwd$", "--ignore", "cat", "a.jsonl", "c.jsonl"])
    text = r[0].decode(errors="replace") if r else ""
    tail = text.split("behaviour (")[1] if "behaviour (" in text else ""
    check("diff --ignore masks paths", r and r[2] == 1 and "/etc/passwd" not in tail and "<ignored>" in text, text[-1500:])


def bad_traces(d):
    good = os.path.join(d, "good.jsonl")
    subprocess.run([h.pv(), "trace", "-o", good, "--", "true"], check=True)
    lines = open(good).read().splitlines(keepends=True)
    def put(name, text):
        with open(os.path.join(d, name), "w") as f:
            f.write(text)
    put("truncated.jsonl", "".join(lines[:-1]) + lines[-1][: len(lines[-1]) // 2])
    put("corrupt.jsonl", "".join(lines[:3]) + '{"v":1,"type":"syscall",,}\n' + "".join(lines[3:]))
    newer = json.loads(lines[2])
    newer["v"] = 99
    put("newer.jsonl", "".join(lines[:2]) + json.dumps(newer) + "\n" + "".join(lines[3:]))
    put("notatrace.jsonl", '{"hello": "world"}\n')
    put("empty.jsonl", "")
    put("binary.jsonl", "\x00\x01\x02garbage\n")
    put("twice.jsonl", "".join(lines) + "".join(lines))
    deep = '{"v":1,"type":"syscall","seq":2,"t":0,"pid":1,"tid":1,"name":"x","args":' + "[" * 100000 + "]" * 100000 + ',"ret":0}\n'
    put("deep.jsonl", lines[0] + deep)


def trace_bad_input():
    d = h.fresh_dir(None)
    bad_traces(d)
    cases = [
        ("truncated.jsonl", rf":{4}: .*truncated"),
        ("corrupt.jsonl", r":4: column \d+: "),
        ("newer.jsonl", r":3: format version 99, newer"),
        ("notatrace.jsonl", r":1: .*not a picovisor trace"),
        ("empty.jsonl", r":1: empty file"),
        ("binary.jsonl", r":1: column 1: "),
        ("twice.jsonl", r":\d+: .*after the end record"),
        ("deep.jsonl", r":2: column \d+: nested too deeply"),
    ]
    n_lines = len(open(os.path.join(d, "good.jsonl")).read().splitlines())
    for name, pattern in cases:
        if name == "truncated.jsonl":
            pattern = rf":{n_lines}: .*truncated"
        for cmd in (["summary", name], ["diff", "good.jsonl", name]):
            r = h.run_in(d, [h.pv(), *cmd])
            ok = r and r[2] == 2 and re.search(pattern, r[1].decode(errors="replace")) and b"Segmentation" not in r[1]
            check(f"bad trace: {' '.join(cmd)}", bool(ok), str(r))
    r = h.run_in(d, [h.pv(), "diff", "good.jsonl", "missing.jsonl"])
    check("bad trace: a missing file", r and r[2] == 2 and b"cannot read missing.jsonl" in r[1], str(r))


def coschedule():
    """While the run is stop-bound picovisor shares one CPU with it; the program must not notice."""
    d = h.fresh_dir(None)
    native = h.run_in(d, [h.prog("affinity")])
    traced = h.run_in(d, [h.pv(), "trace", "-vv", "-o", "/dev/null", "--", h.prog("affinity")])
    check("co-scheduling: the program sees and sets its own affinity",
          native and traced and native[0] == traced[0] and native[2] == traced[2] == 0 and b"runs there: yes" in traced[0],
          f"native {native and native[0]!r}\ntraced {traced and traced[0]!r}")
    if len(os.sched_getaffinity(0)) < 2:
        h.report("co-scheduling: it happened", None, "one CPU: nothing to co-schedule")
    else:
        check("co-scheduling: it happened", traced and b"co-scheduling the run on CPU" in traced[1],
              "no co-scheduling message with -vv")
    plain = h.run_in(d, [h.pv(), "trace", "--no-coschedule", "-vv", "-o", "/dev/null", "--", h.prog("affinity")])
    check("co-scheduling: --no-coschedule", plain and plain[0] == native[0] and b"co-scheduling" not in plain[1], "")


def trace_hostile():
    """Bad pointers, absurd lengths, a buffer rewritten by another thread: recorded, and picovisor survives."""
    d = h.fresh_dir(None)
    native = h.run_in(d, [h.prog("hostile_args")])
    recs, out, err, rc = trace(d, [h.prog("hostile_args")])
    check("hostile arguments: the program runs as natively", native and recs is not None and (out, rc) == (native[0], native[2]),
          f"native {native}, traced {out!r} {rc} {err!r}")
    if not recs:
        return
    U = {"unreadable": "0xdead0000"}
    want = [("openat", "filename"), ("write", "buf"), ("writev", "vec"), ("execve", "filename"), ("rt_sigaction", "act"),
            ("rt_sigprocmask", "set"), ("connect", "uservaddr"), ("nanosleep", "rqtp"), ("sendmsg", "msg"), ("prlimit64", "new_rlim")]
    missing = [f"{n}.{a}" for n, a in want if not any(r["args"].get(a) == U for r in calls(recs, n))]
    check("hostile arguments: what the kernel reads is marked unreadable", not missing, f"not marked: {missing}")
    # What the kernel would have filled in is not read when the call failed: its address is shown.
    st = [r for r in calls(recs, "newfstatat") if r["args"].get("statbuf") == "0xdead0000" and r.get("err") == "EFAULT"]
    check("hostile arguments: results of failed calls are not read", len(st) == 1, str(calls(recs, "newfstatat")[-1:]))
    check("hostile arguments: unknown numbers are recorded", any(r.get("name") == "syscall_1000" and r.get("err") == "ENOSYS" for r in recs), "")
    opens = [r for r in calls(recs, "openat") if isinstance(r["args"]["filename"], str) and r["args"]["filename"].startswith(("/etc/hostname", "/nonexistent"))]
    check("hostile arguments: a path rewritten while in use is recorded each time", len(opens) == 2000 and recs[-1]["type"] == "end",
          f"{len(opens)} records")


def check_trace_file(name, path, rc):
    """A trace a run wrote: every line a record, sequence numbers in order, the end record says how it ended."""
    try:
        recs = load(path)
    except (OSError, ValueError) as e:
        check(f"{name}: its trace", False, str(e))
        return
    status = {"exited": rc} if rc >= 0 else {"signaled": f"SIG{__import__('signal').Signals(-rc).name[3:]}"}
    end = recs[-1] if recs else {}
    seq_ok = [r.get("seq") for r in recs] == list(range(1, len(recs) + 1))
    spawned = {1} | {r["pid"] for r in recs if r.get("type") == "spawn"}
    exited = {r["pid"] for r in recs if r.get("type") == "exit" and not r["thread"]}
    check(f"{name}: its trace", recs and recs[0]["type"] == "start" and end.get("type") == "end"
          and {k: v for k, v in end.get("status", {}).items() if k != "core"} == status and seq_ok and spawned == exited,
          f"end {end}, seq in order {seq_ok}, processes without an exit record {sorted(spawned - exited)}")
    os.unlink(path)


def groups(harness):
    global h
    h = harness
    return [trace_decoders, trace_tree, trace_select, trace_summary, trace_diff, trace_bad_input, trace_hostile, coschedule]
