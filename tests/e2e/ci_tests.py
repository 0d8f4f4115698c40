"""End-to-end tests of what a CI job needs from a sandboxed run (issue: CI integration), imported by run.py
(which passes itself as h and runs every group as root and as nobody): the environment (credentials
kept from the program, --clearenv/--setenv/--unsetenv/--keep-env and their policy lines) and --chdir."""
import json
import os
import re
import shlex
import shutil
import tempfile

h = None

SECRETS = {"GITHUB_TOKEN": "ghs_secret1", "ACTIONS_RUNTIME_TOKEN": "rt_secret2", "CI_JOB_TOKEN": "glcbt_secret3",
           "CI_REPOSITORY_URL": "https://gitlab-ci-token:glcbt_secret3@gitlab.example/x.git",
           "BUILDKITE_AGENT_ACCESS_TOKEN": "bk_secret4", "CIRCLE_TOKEN": "cc_secret5",
           "JENKINS_API_TOKEN": "jk_secret6", "AWS_ACCESS_KEY_ID": "AKIA_secret7",
           "AWS_SECRET_ACCESS_KEY": "aws_secret8", "AWS_SESSION_TOKEN": "aws_secret9",
           "GOOGLE_APPLICATION_CREDENTIALS": "/secret10.json", "AZURE_CLIENT_SECRET": "az_secret11",
           "MY_DEPLOY_PASSWORD": "pw_secret12", "NPM_AUTH_TOKEN": "npm_secret13", "db_secret_key": "lower_secret14",
           "SIGNING_PRIVATE_KEY": "pk_secret15"}
ORDINARY = {"PV_PLAIN": "plain", "LANG": "C.UTF-8", "TOKENIZER_MODE": "fast"}


def check(name, ok, detail=""):
    h.report(name, bool(ok), detail)


def env_of(out):
    """`env -0` output as a dict."""
    return dict(e.split("=", 1) for e in out.decode(errors="replace").split("\0") if "=" in e)


def run(d, args, env=None, program=("env", "-0")):
    return h.run_in(d, [h.pv(), "run", *args, "--", *program], env=env)


def ci_environment():
    d = h.fresh_dir(None)
    try:
        env = dict(SECRETS, **ORDINARY)
        native = h.run_in(d, ["env", "-0"], env=env)
        seen = env_of(native[0]) if native else {}
        check("credentials: the test's variables reach a program natively (so the test can fail)",
              native and all(seen.get(k) == v for k, v in env.items()), str(native)[:300])

        rep = os.path.join(d, "r.json")
        r = run(d, ["--policy", "ci", "--report", rep], env=env)
        got = env_of(r[0]) if r else {}
        leaked = [k for k in SECRETS if k in got]
        check("ci keeps CI and cloud credentials from the program (GitHub, GitLab, Buildkite, CircleCI, Jenkins, "
              "AWS, GCP, Azure, *_PASSWORD, *_TOKEN, *SECRET*, *PRIVATE_KEY*)",
              r and r[2] == 0 and not leaked, f"leaked: {leaked}; {str(r)[:300]}")
        check("ci passes ordinary variables on (PATH, HOME, LANG, a name merely starting with TOKEN)",
              all(got.get(k) == v for k, v in ORDINARY.items()) and "PATH" in got and "HOME" in got, str(got)[:400])
        try:
            doc = json.load(open(rep))
        except (OSError, ValueError) as e:
            doc = {"error": str(e)}
        removed = doc.get("environment", {}).get("removed")
        text = open(rep).read() if os.path.exists(rep) else ""
        check("the report lists the removed names, and no value",
              removed is not None and sorted(removed) == sorted(SECRETS)
              and not any(v in text for v in SECRETS.values()), f"{removed} / {text[:600]}")

        r = run(d, ["--policy", "ci", "--keep-env", "GITHUB_TOKEN", "--keep-env", "AWS_*"], env=env)
        got = env_of(r[0]) if r else {}
        check("--keep-env NAME and a pattern keep what ci would remove",
              got.get("GITHUB_TOKEN") == SECRETS["GITHUB_TOKEN"] and got.get("AWS_SESSION_TOKEN") == SECRETS["AWS_SESSION_TOKEN"]
              and "CI_JOB_TOKEN" not in got, str(got)[:400])

        r = run(d, ["--clearenv", "--keep-env", "PATH", "--setenv", "GREETING=hello world", "--setenv", "EMPTY="],
                env=env)
        got = env_of(r[0]) if r else {}
        check("--clearenv --keep-env PATH --setenv: exactly those",
              r and r[2] == 0 and got == {"PATH": os.environ.get("PATH", got.get("PATH")), "GREETING": "hello world",
                                          "EMPTY": ""}, str(r)[:400])

        r = run(d, ["--unsetenv", "PV_*", "--unsetenv", "LANG"], env=env)
        got = env_of(r[0]) if r else {}
        check("--unsetenv takes names and glob patterns; the rest passes (no --policy: no credential rule)",
              "PV_PLAIN" not in got and "LANG" not in got and got.get("GITHUB_TOKEN") == SECRETS["GITHUB_TOKEN"],
              str(got)[:400])

        with open(os.path.join(d, "env.policy"), "w") as f:
            f.write("profile ci\nclearenv\nkeep-env PATH PV_*\nsetenv MODE \"release build\"\nunsetenv PV_PLAIN\n")
        r = run(d, ["--policy", "env.policy"], env=env)
        got = env_of(r[0]) if r else {}
        check("policy lines clearenv, keep-env, setenv: keep-env wins over unsetenv, TMPDIR is the tmpdir's",
              r and r[2] == 0 and set(got) == {"PATH", "PV_PLAIN", "MODE", "TMPDIR"} and got["MODE"] == "release build"
              and "picovisor-tmp" in got["TMPDIR"], str(r)[:400])

        for args, what in ((["--setenv", "NOEQUALS"], "--setenv without ="),
                           (["--setenv", "=x"], "--setenv with an empty name"),
                           (["--unsetenv", "@secrets"], "--unsetenv of an unknown name set")):
            r = run(d, args, env=env, program=("true",))
            check(f"{what} is refused with 125 and a message", r and r[2] == 125 and b"picovisor" in r[1], str(r))
        r = h.run_in(d, [h.pv(), "policy", "check", "ci"])
        check("policy check ci lists its unsetenv @credentials line",
              r and r[2] == 0 and b"unsetenv @credentials" in r[0], str(r))
    finally:
        shutil.rmtree(d, ignore_errors=True)


def ci_chdir():
    def setup(d):
        os.makedirs(os.path.join(d, "sub", "deeper"))
        h.write(os.path.join(d, "sub"), "here.sh", "#!/bin/sh\necho \"in $(pwd)\"\n")
        h.write(d, "afile", "x\n")

    d = h.fresh_dir(setup)
    try:
        r = h.run_in(d, [h.pv(), "run", "--chdir", "sub", "--", "./here.sh"])
        check("--chdir DIR: the program starts there, and a relative PROGRAM is found there (like env -C)",
              r and r[0] == b"in <DIR>/sub\n" and r[2] == 0, str(r))
        r = h.run_in(d, [h.pv(), "run", "--policy", "ci", "--chdir", "sub/deeper", "--", "sh", "-c", "pwd; ls .."])
        check("--chdir under ci", r and r[0] == b"<DIR>/sub/deeper\ndeeper\nhere.sh\n" and r[2] == 0, str(r))
        r = h.run_in(d, [h.pv(), "run", "--policy", "ci", "--map", "/work=.", "--chdir", "/work/sub", "--", "sh", "-c",
                         "pwd; ./here.sh; cat ../afile"])
        check("--chdir into a mapped guest path: the program's cwd is the guest path",
              r and r[0] == b"/work/sub\nin /work/sub\nx\n" and r[2] == 0, str(r))
        for args, what in ((["--chdir", "nowhere"], "a missing directory"),
                           (["--chdir", "afile"], "a file"),
                           (["--policy", "ci", "--chdir", "nowhere"], "a missing directory under ci"),
                           (["--map", "/work=.", "--chdir", "/work/afile"], "a guest path that is a file")):
            r = h.run_in(d, [h.pv(), "run", *args, "--", "true"])
            check(f"--chdir to {what}: 125 and the reason", r and r[2] == 125 and b"--chdir" in r[1], str(r))
    finally:
        shutil.rmtree(d, ignore_errors=True)


# A call the supervisor refuses under ci (no inet promise), whatever the kernel's Landlock; the program
# itself goes on and exits 0.
INET_TRY = "import socket\ntry:\n    socket.socket()\n    print('socket made')\nexcept OSError as e:\n    print('refused', e.errno)\n"


# The system's python (a python under /root, as pyenv installs it, is beyond what ci lets a program read).
PYTHON = "/usr/bin/python3"


def help_statuses(text):
    """The three-digit statuses a status table lists."""
    return set(int(x) for x in re.findall(r"(?m)^\s*\|?\s*(?:run, trace\s*\|\s*)?(1[2-5]\d)\b(?!\+)", text))


def ci_exit_status():
    d = h.fresh_dir(None)
    try:
        r = h.run_in(d, [h.pv(), "--help"])
        helptext = r[0].decode() if r else ""
        with open(os.path.join(h.ROOT, "docs", "policy.md")) as f:
            doc = f.read()
        table = doc[doc.index("### Exit status"):]
        table = table[:table.index("\n\n", table.index("|---"))]
        codes = {123, 124, 125, 126, 127, 159}
        check("the status table in --help and in docs/policy.md list the same statuses",
              help_statuses(helptext) == codes and help_statuses(table) == codes,
              f"help {help_statuses(helptext)}, docs {help_statuses(table)}")

        h.write(d, "noimage", "just text\n")
        h.write(d, "try_inet.py", INET_TRY, 0o644)
        h.write(d, "bad.trace", "not json\n", 0o644)
        h.write(d, "bad.policy", "promise nonsense\n", 0o644)
        py = [PYTHON, "try_inet.py"]
        cases = [
            ("the program's own status", ["run", "--", "sh", "-c", "exit 3"], 3),
            ("128+N for a signal (picovisor dies of it: a shell shows 143)", ["run", "--", "sh", "-c", "kill -TERM $$"], -15),
            ("124: the wall limit", ["run", "--policy", "ci", "--limit", "wall=1s", "--", "sleep", "5"], 124),
            ("125: bad usage", ["run", "--no-such-option", "--", "true"], 125),
            ("126: not an image", ["run", "--", "./noimage"], 126),
            ("127: not found", ["run", "--", "./no-such-program"], 127),
            ("159: on-violation kill", ["run", "--policy", "ci", "--on-violation", "kill", "--", *py], 159),
            ("0: a violation without fail-on-violation", ["run", "--policy", "ci", "--", *py], 0),
            ("123: a denied violation under --fail-on-violation, the program exited 0",
             ["run", "--policy", "ci", "--fail-on-violation", "--report", "r.json", "--", *py], 123),
            ("123: an audited (log) violation under --fail-on-violation",
             ["run", "--policy", "ci", "--on-violation", "log", "--fail-on-violation", "--", *py], 123),
            ("0: --fail-on-violation and no violation", ["run", "--policy", "ci", "--fail-on-violation", "--", "true"], 0),
            ("124, not 123: the wall limit outranks fail-on-violation",
             ["run", "--policy", "ci", "--fail-on-violation", "--limit", "wall=1s", "--", "sh", "-c",
              PYTHON + " try_inet.py; sleep 5"], 124),
            ("summary: 2 for a malformed trace", ["summary", "bad.trace"], 2),
            ("diff: 2 for malformed traces", ["diff", "bad.trace", "bad.trace"], 2),
            ("policy check: 1 for a bad policy", ["policy", "check", "bad.policy"], 1),
            ("--version: 0", ["--version"], 0),
        ]
        for what, argv, want in cases:
            r = h.run_in(d, [h.pv(), *argv])
            check(f"exit status {what}", r and r[2] == want, f"want {want}, got {r and r[2]}: {str(r)[:300]}")
            if "r.json" in argv:
                try:
                    rep = json.load(open(os.path.join(d, "r.json")))
                except (OSError, ValueError) as e:
                    rep = {"error": str(e)}
                check("the report of a fail-on-violation run keeps the program's own status",
                      rep.get("exit_status") == 123 and rep.get("program_exit_status") == 0
                      and rep.get("counts", {}).get("violations", 0) >= 1 and rep.get("fail_on_violation") is True,
                      str(rep)[:500])
        with open(os.path.join(d, "fail.policy"), "w") as f:
            f.write("profile ci\nfail-on-violation\n")
        r = h.run_in(d, [h.pv(), "run", "--policy", "fail.policy", "--", *py])
        check("the policy line fail-on-violation: 123", r and r[2] == 123 and b"refused 1" in r[0], str(r))
    finally:
        shutil.rmtree(d, ignore_errors=True)


MP_SCRIPT = """import multiprocessing as mp
def square(x):
    return x * x
if __name__ == "__main__":
    lock = mp.Lock()
    with lock:
        pass
    counter = mp.Value("i", 0)
    with mp.Pool(2) as pool:
        print(pool.map(square, range(6)))
    q = mp.Queue()
    p = mp.Process(target=q.put, args=("through a queue",))
    p.start(); print(q.get()); p.join()
"""


SHM = ("--policy", "ci", "--tmp", "/dev/shm")  # ci with its own /dev/shm


def ci_shm():
    tag = f"{os.getpid()}-{'u' if h.AS_USER else 'r'}"
    h.compare("ci --tmp /dev/shm: POSIX shared memory and named semaphores across a fork (sem_open, shm_open, mmap) work as natively",
              [h.prog("posix_shm"), tag], pv_args=SHM)
    d = h.fresh_dir(lambda d: h.write(d, "mp.py", MP_SCRIPT, 0o644))
    host_file = f"/dev/shm/pv-e2e-host-{tag}"
    try:
        r = h.run_in(d, [PYTHON, "mp.py"])
        native_out = r[0] if r else None
        r = h.run_in(d, [h.pv(), "run", *SHM, "--", PYTHON, "mp.py"])
        check("ci --tmp /dev/shm: Python multiprocessing (Lock, Value, Pool, Queue: POSIX semaphores) runs as natively",
              r and r[2] == 0 and r[0] == native_out and b"Error" not in r[1], f"native {native_out!r}, under ci {r}")

        with open(host_file, "w") as f:
            f.write("the host's\n")
        os.chmod(host_file, 0o644)
        r = h.run_in(d, [h.pv(), "run", *SHM, "--", "sh", "-c",
                         f"ls -A /dev/shm; cat {host_file} 2>&1; echo mine > /dev/shm/mine; cat /dev/shm/mine"])
        check("ci --tmp /dev/shm: the run's /dev/shm is its own: empty at the start, the host's files are not there",
              r and r[0].startswith(b"cat: ") and b"No such file" in r[0] and r[0].endswith(b"mine\n")
              and b"the host's" not in r[0], str(r))
        check("ci --tmp /dev/shm: what the run writes in its /dev/shm does not reach the host's", not os.path.exists("/dev/shm/mine")
              or open("/dev/shm/mine").read() != "mine\n", "")

        keep_tag = tag + "-keep"
        r = h.run_in(d, [h.pv(), "run", *SHM, "--", h.prog("posix_shm"), keep_tag, "keep"])
        leftovers = [n for n in os.listdir(d) if n.startswith("picovisor-tmp")]
        check("ci --tmp /dev/shm: segments left in the run's /dev/shm are removed with it at the end (nothing in the host's "
              "/dev/shm, no private directory left)",
              r and r[2] == 0 and b"pv-shm-%s 1" % keep_tag.encode() in r[0]
              and not os.path.exists(f"/dev/shm/pv-shm-{keep_tag}") and not os.path.exists(f"/dev/shm/sem.pv-sem-{keep_tag}")
              and not leftovers, f"{r} leftovers {leftovers}")

        rep = os.path.join(d, "r.json")
        r = h.run_in(d, [h.pv(), "run", *SHM, "--limit", "tmpfs=1M", "--report", rep, "--", "sh", "-c",
                         "head -c 3000000 /dev/zero > /dev/shm/big; sleep 2; echo survived"])
        try:
            doc = json.load(open(rep))
        except (OSError, ValueError) as e:
            doc = {"error": str(e)}
        check("ci --tmp /dev/shm: the run's /dev/shm is size-limited (limit tmpfs): over it, the run ends with 159",
              r and r[2] == 159 and b"survived" not in r[0] and b"tmpfs limit" in r[1]
              and doc.get("ended") == "tmpfs-limit" and doc.get("peak_tmpfs_bytes", 0) > 1 << 20, f"{r} {doc}")
        r = h.run_in(d, [h.pv(), "run", "--policy", "ci", "--shm-size", "none", "--", h.prog("posix_shm"), tag + "-plain"])
        check("ci --shm-size none: /dev/shm is refused (EACCES), as documented (no private /dev/shm, no rule for it)",
              r and r[2] == 1 and b"Permission denied" in r[0], str(r))
        r = h.run_in(d, [h.pv(), "policy", "check", "ci"])
        check("policy check ci shows the tmpfs limit", r and b"limit tmpfs 268435456 bytes" in r[0], str(r))
    finally:
        if os.path.exists(host_file):
            os.unlink(host_file)
        shutil.rmtree(d, ignore_errors=True)


def ci_view_rules():
    """A guest view (ci's private /dev/shm, or --map/--tmp) must not switch the supervisor's path checks off:
    every translated path is checked against the rules (a narrowing rule, --no-landlock)."""
    def setup(d):
        os.mkdir(os.path.join(d, "secret"))
        h.write(os.path.join(d, "secret"), "f", "secret\n", 0o644)
        h.write(d, "open", "open\n", 0o644)

    d = h.fresh_dir(setup)
    try:
        r = h.run_in(d, ["sh", "-c", "cat secret/f"])
        check("view rules: the narrowed file is readable natively (so the test can fail)", r and r[0] == b"secret\n", str(r))
        for args, what in ((["--policy", "ci", "--path", "-:secret"], "ci with a narrowing rule"),
                           (["--policy", "ci", "--path", "-:./secret/"], "ci with a narrowing rule spelt ./secret/"),
                           (["--policy", "ci", "--no-landlock", "--path", "-:secret"], "ci --no-landlock"),
                           (["--policy", "ci", "--map", "/work=.", "--tmp", "/scratch", "--path", "-:secret"], "ci with --map and --tmp")):
            r = h.run_in(d, [h.pv(), "run", *args, "--", "sh", "-c", "cat secret/f; cat $PWD/secret/f; cat open"])
            err = r[1].decode(errors="replace") if r else ""
            check(f"view rules: {what}: the narrowed file is refused (EACCES) and reported, the rest readable",
                  r and b"secret" not in r[0] and r[0].endswith(b"open\n") and err.count("Permission denied") == 2
                  and err.count("violation:") == 2, str(r))
        r = h.run_in(d, [h.pv(), "run", "--policy", "ci", "--no-landlock", "--", "sh", "-c",
                         "cat /etc/shadow /root/.profile 2>/dev/null; echo x > /etc/pv-e2e-x"])
        check("view rules: ci --no-landlock refuses a write outside (its /dev/shm view does not bypass the rules)",
              r and b"cannot create" in r[1] and not os.path.exists("/etc/pv-e2e-x"), str(r))
    finally:
        shutil.rmtree(d, ignore_errors=True)


DIRECTIVES = ("profile", "promise", "path", "tmpdir", "net", "connect", "bind", "limit", "on-violation", "map", "tmp",
              "clearenv", "setenv", "unsetenv", "keep-env", "fail-on-violation", "see-all-refusals", "shm")


def doc_policy_blocks():
    """(heading, text) of every fenced block of docs/policy.md written in the policy language."""
    with open(os.path.join(h.ROOT, "docs", "policy.md")) as f:
        doc = f.read()
    blocks, heading = [], ""
    pos = 0
    for m in re.finditer(r"(?ms)^```\n(.*?)^```$", doc):
        for hm in re.finditer(r"(?m)^#+ (.*)$", doc[pos:m.start()]):
            heading = hm.group(1)
        pos = m.start()
        words = [ln.split()[0] for ln in m.group(1).splitlines() if ln.strip() and not ln.startswith("#")]
        if words and all(w in DIRECTIVES for w in words):
            blocks.append((heading, m.group(1)))
    return blocks


def listing(out):
    """policy check's listing without the origins of the lines (which name the file)."""
    return re.sub(r"  \([^)]*:\d+\)", "", out.decode(errors="replace").split("\n", 1)[1])


NET_TRY = """import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
c = socket.create_connection(s.getsockname()); print("loopback ok")
t = socket.socket(); t.settimeout(0.2)
try:
    t.connect(("192.0.2.10", 5432)); print("remote connected")
except OSError as e:
    print("remote not refused" if e.errno != 13 else "remote refused")
u = socket.socket()
try:
    u.connect(("192.0.2.11", 5432))
except OSError as e:
    print("other", e.errno)
"""


def ci_policy_language():
    def setup(d):
        for sub in ("ro", "secret", "x/y", "x/z"):
            os.makedirs(os.path.join(d, sub), exist_ok=True)
            h.write(os.path.join(d, sub), "f", sub + "\n", 0o644)
        h.write(d, "net_try.py", NET_TRY, 0o644)

    d = h.fresh_dir(setup)
    try:
        blocks = doc_policy_blocks()
        check("docs/policy.md: its policy blocks are found (the three profiles, the examples)", len(blocks) >= 5,
              str([b[0] for b in blocks]))
        for i, (heading, text) in enumerate(blocks):
            name = os.path.join(d, f"doc{i}.policy")
            with open(name, "w") as f:
                f.write(text)
            r = h.run_in(d, [h.pv(), "policy", "check", name])
            check(f"docs/policy.md, {heading}: block {i} is a valid policy", r and r[2] == 0, str(r))
            if heading in ("ci", "strict", "none"):
                b = h.run_in(d, [h.pv(), "policy", "check", heading])
                check(f"docs/policy.md shows the built-in profile {heading} as it is",
                      r and b and listing(r[0]) == listing(b[0]), f"{r and listing(r[0])}\n---\n{b and listing(b[0])}")
            if "connect 192.0.2.10:5432" in text:
                r = h.run_in(d, [h.pv(), "run", "--policy", name, "--", PYTHON, "net_try.py"])
                check("docs/policy.md example: net loopback + connect work without promise inet (implied)",
                      r and r[0] == b"loopback ok\nremote not refused\nother 13\n" and r[2] == 0, str(r))
            if "fail-on-violation" in text:
                r = h.run_in(d, [h.pv(), "run", "--policy", name, "--", "sh", "-c", "env; cat /root/.profile; exit 0"],
                             env={"GITHUB_TOKEN": "x", "LC_TIME": "C"})
                out = r[0].decode(errors="replace") if r else ""
                check("docs/policy.md example: clearenv keeps the named variables only, fail-on-violation gives 123 "
                      "(or 0 where Landlock's refusal is unseen)",
                      r and "GITHUB_TOKEN" not in out and "LC_TIME=C" in out and "PATH=" in out and r[2] in (0, 123),
                      str(r)[:400])

        r = h.run_in(d, [h.pv(), "policy", "check", "."])
        check("policy check refuses a directory (status 1, says so)", r and r[2] == 1 and b"a directory" in r[1], str(r))
        r = h.run_in(d, [h.pv(), "run", "--policy", ".", "--", "true"])
        check("run --policy DIR refuses a directory (status 125)", r and r[2] == 125 and b"a directory" in r[1], str(r))

        # Spellings of the same rule: ./x, x/, x//y, x/./y.
        for rule, refused, allowed in (("./secret", "secret/f", "ro/f"), ("secret/", "secret/f", "ro/f"),
                                       ("x//y", "x/y/f", "x/z/f"), ("./x/./y/", "x/y/f", "x/z/f")):
            r = h.run_in(d, [h.pv(), "run", "--quiet", "--policy", "ci", "--path", f"-:{rule}", "--", "sh", "-c",
                             f"cat {refused} 2>/dev/null || echo refused; cat {allowed}"])
            check(f"path rule '- {rule}' means what it says: {refused} refused, {allowed} readable",
                  r and r[0] == b"refused\n" + allowed.rsplit("/", 1)[0].encode() + b"\n", str(r))
        for rule in ("x/../secret", "x/y/.."):
            h.write(d, "dotdot.policy", f"path - {rule}\n", 0o644)
            r = h.run_in(d, [h.pv(), "policy", "check", "dotdot.policy"])
            check(f"path rule '{rule}' (.. after a name) is refused with FILE:LINE:COL",
                  r and r[2] == 1 and b"dotdot.policy:1:" in r[1], str(r))

        # cp's reflink probe (FICLONE) is answered as by a file system without reflink, not reported.
        h.write(d, "src", "content\n", 0o644)
        r = h.run_in(d, [h.pv(), "run", "--policy", "ci", "--fail-on-violation", "--", "sh", "-c",
                         "cp src dst && cp --reflink=auto src dst2 && cat dst dst2"])
        check("cp under ci: no violation for its FICLONE probe (EOPNOTSUPP), the copy made",
              r and r[2] == 0 and r[0] == b"content\ncontent\n" and b"violation" not in r[1], str(r))
        r = h.run_in(d, [h.pv(), "run", "--policy", "ci", "--", "cp", "--reflink=always", "src", "dst3"])
        check("cp --reflink=always under ci fails as on a file system without reflink, unreported",
              r and r[2] == 1 and b"violation" not in r[1] and (b"not supported" in r[1] or b"Invalid" in r[1]), str(r))
    finally:
        shutil.rmtree(d, ignore_errors=True)


def load_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        return {"unreadable": str(e)}


def validator(name):
    """A validator for docs/NAME.schema.json, or None without python3-jsonschema."""
    try:
        import jsonschema
    except ImportError:
        return None
    with open(os.path.join(h.ROOT, "docs", name + ".schema.json")) as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def first_error(v, doc):
    errs = sorted(v.iter_errors(doc), key=lambda e: list(e.path))
    return f"{list(errs[0].path)}: {errs[0].message}" if errs else None


def ci_report():
    def setup(d):
        h.write(d, "try_inet.py", INET_TRY, 0o644)
        os.mkdir(os.path.join(d, "results"))

    d = h.fresh_dir(setup)
    res = os.path.join(d, "results")
    try:
        rep = os.path.join(res, "r.json")
        script = ("for i in 1 2 3; do cat /root/.profile /var/lib/dpkg/status >/dev/null 2>&1; done; " + PYTHON
                  + " try_inet.py")
        r = h.run_in(d, [h.pv(), "run", "--policy", "ci", "--on-violation", "log", "--report", rep, "--", "sh", "-c", script])
        doc = load_json(rep)
        version = h.run_in(d, [h.pv(), "--version"])
        viol = doc.get("violations", [])
        by_rule = doc.get("counts_by_rule", [])
        check("report: picovisor version, kernel release, start and end time, duration, how it ended",
              version and doc.get("picovisor_version", "?") in version[0].decode()
              and doc.get("kernel_release") == os.uname().release
              and doc.get("started_at", "") <= doc.get("ended_at", "") and doc.get("started_at", "").endswith("Z")
              and doc.get("duration_s", -1) >= 0 and doc.get("ended") == "exited"
              and "landlock_abi" in doc.get("policy", {}), str(doc)[:600])
        cats = [v for v in viol if v.get("exe") == "/usr/bin/cat"]
        pys = [v for v in viol if v.get("syscall") == "socket"]
        check("report: each violation names the process's executable and argv, the rule and the decoded call",
              len(cats) == 6 and cats[0].get("argv") == ["cat", "/root/.profile", "/var/lib/dpkg/status"]
              and cats[0].get("args", {}).get("filename") == "/root/.profile" and "needs r" in cats[0].get("rule", "")
              and pys and pys[0].get("argv") == [PYTHON, "try_inet.py"] and pys[0].get("args", {}).get("domain") == "AF_INET",
              str(viol)[:800])
        counts = {(c.get("call", "").split("\"")[1] if "\"" in c.get("call", "") else c.get("call")): c.get("count")
                  for c in by_rule}
        check("report: counts per rule (call, rule, path): 3 each for the two files, 1 for the socket",
              counts.get("/root/.profile") == 3 and counts.get("/var/lib/dpkg/status") == 3 and len(by_rule) == 3
              and by_rule[0].get("first_by", "").startswith("/usr/bin/cat (cat /root/.profile"), str(by_rule)[:800])
        err = r[1].decode(errors="replace") if r else ""
        check("log mode: one stderr line per distinct call+rule+path, repeats counted at the end",
              err.count("picovisor: violation: ") == 3 and err.count("violation repeated: 3 times in all") == 2
              and "(pid " in err and "/usr/bin/cat)" in err, err[-1200:])

        # The supervisor sees every path refusal with --no-landlock (under Landlock it would not: see ci_refusals_seen).
        r = h.run_in(d, [h.pv(), "run", "--policy", "ci", "--no-landlock", "--annotate", "github", "--", "sh", "-c", script])
        out = r[0].decode(errors="replace") if r else ""
        lines = [ln for ln in out.splitlines() if ln.startswith("::")]
        check("--annotate github: one ::error per distinct violation, de-duplicated with its count, escaped",
              len(lines) == 3 and all(ln.startswith("::error title=picovisor%3A ") for ln in lines)
              and any("/root/.profile" in ln and "(3 times)" in ln and "by /usr/bin/cat (cat /root/.profile /var/lib/dpkg/status)" in ln
                      for ln in lines)
              and all("," not in ln.split("::")[1] for ln in lines) and "denied with EACCES" in out, out[-1500:])
        r = h.run_in(d, [h.pv(), "run", "--policy", "ci", "--", "sh", "-c", script])
        check("no annotations without --annotate", r and b"::error" not in r[0], str(r)[:300])
        r = h.run_in(d, [h.pv(), "run", "--annotate", "gitlab", "--policy", "ci", "--", "true"])
        check("--annotate with an unknown format: 125", r and r[2] == 125 and b"github" in r[1], str(r))

        rv, tv = validator("report"), validator("trace")
        if not rv or not tv:
            h.report("report and trace JSON Schemas validate real outputs", None,
                     "python3-jsonschema is missing (make check installs it: TEST_PACKAGES)")
            return
        runs = [
            ("log mode with violations", ["--policy", "ci", "--on-violation", "log"], ["sh", "-c", script]),
            ("deny mode, fail-on-violation, credentials removed", ["--policy", "ci", "--fail-on-violation"],
             [PYTHON, "try_inet.py"]),
            ("killed for a violation", ["--policy", "ci", "--on-violation", "kill"], [PYTHON, "try_inet.py"]),
            ("signalled", ["--policy", "ci"], ["sh", "-c", "kill -TERM $$"]),
            ("wall limit with a process left", ["--policy", "ci", "--limit", "wall=1s"], ["sh", "-c", "sleep 5 & sleep 5"]),
            ("tmpfs limit", ["--policy", "ci", "--tmp", "/dev/shm", "--limit", "tmpfs=64K"],
             ["sh", "-c", "head -c 1000000 /dev/zero > /dev/shm/x; sleep 2"]),
            ("setup error", ["--policy", "ci", "--chdir", "nowhere"], ["true"]),
            ("memory limit", ["--policy", "ci", "--limit", "memory=64M"],
             [PYTHON, "-c", "x = bytearray(200 << 20); import time; time.sleep(2)"]),
        ]
        for what, args, prog in runs:
            rep = os.path.join(res, "v.json")
            trace = os.path.join(res, "v.jsonl")
            for f in (rep, trace):
                if os.path.exists(f):
                    os.unlink(f)
            r = h.run_in(d, [h.pv(), "run", *args, "--report", rep, "--trace", trace, "--", *prog],
                         env={"GITHUB_TOKEN": "secret"})
            doc = load_json(rep)
            bad = first_error(rv, doc)
            check(f"report schema: a real report validates ({what}; ended {doc.get('ended')})",
                  r and not bad and "unreadable" not in doc, f"{bad}; {str(doc)[:400]}")
            recs, bad = 0, None
            if os.path.exists(trace):
                with open(trace) as f:
                    for line in f:
                        recs += 1
                        bad = bad or first_error(tv, json.loads(line))
            if doc.get("ended") != "setup-error":  # a run that never started has an empty trace
                check(f"trace schema: every record of the run's trace validates ({what})", recs >= 2 and not bad,
                      f"{recs} records; {bad}")
        trace = os.path.join(res, "plain.jsonl")
        r = h.run_in(d, [h.pv(), "trace", "-o", trace, "--", "sh", "-c", "ls / >/dev/null; cat /nonexistent; exit 3"])
        with open(trace) as f:
            records = [json.loads(line) for line in f]
        bad = next((first_error(tv, x) for x in records if first_error(tv, x)), None)
        check("trace schema: picovisor trace's records validate (syscall, spawn, exec, signal, exit, end)",
              r and r[2] == 3 and not bad and {x["type"] for x in records} >= {"start", "syscall", "spawn", "exec",
                                                                               "exit", "end"}, str(bad))
        broken = dict(load_json(os.path.join(res, "r.json")))
        broken.pop("ended", None)
        check("report schema: a report without 'ended' does not validate (the schema can fail)",
              first_error(rv, broken) is not None, "")
        check("trace schema: a record with a higher v does not validate",
              first_error(tv, dict(records[0], v=2)) is not None, "")
    finally:
        shutil.rmtree(d, ignore_errors=True)


def ci_refusals_seen():
    d = h.fresh_dir(lambda d: h.write(d, "mp.py", MP_SCRIPT, 0o644))
    rep = os.path.join(d, "r.json")
    script = "cat /root/.profile; echo x > /etc/pv-e2e-seen; exit 0"
    try:
        r = h.run_in(d, [h.pv(), "run", "--policy", "ci", "--report", rep, "--", "sh", "-c", script])
        doc = load_json(rep)
        abi = doc.get("policy", {}).get("landlock_abi", 0)
        if abi < 1:
            h.report("plain ci: the report names Landlock's refusals as unseen", None, "this kernel has no Landlock")
        else:
            unseen = doc.get("unseen_refusals", [])
            if doc.get("policy", {}).get("landlock_refusals_read"):  # this host's audit log is read (audit_tests)
                check("plain ci: Landlock's refusals read from the audit log, none unseen",
                      r and r[2] == 0 and doc.get("counts", {}).get("violations") == 2
                      and not any("path refusals" in u for u in unseen), str(doc)[:600])
            else:
                check("plain ci: Landlock refuses unseen, and the report says so (unseen_refusals names path refusals)",
                      r and r[2] == 0 and b"Permission denied" in r[1] and doc.get("counts", {}).get("violations") == 0
                      and any("path refusals made by Landlock" in u for u in unseen), str(doc)[:600])
        r = h.run_in(d, [h.pv(), "run", "--policy", "ci", "--see-all-refusals", "--report", rep, "--", "sh", "-c", script])
        doc = load_json(rep)
        err = r[1].decode(errors="replace") if r else ""
        read = doc.get("policy", {}).get("landlock_refusals_read")
        check("--see-all-refusals: the same refusals (EACCES) are each reported, with their rules",
              r and r[2] == 0 and doc.get("counts", {}).get("violations") == 2
              and ("/root/.profile needs fs.read_file" in err and "/etc needs fs.make_reg" in err if read else
                   "/root/.profile needs r" in err and "/etc/pv-e2e-seen needs wc" in err)
              and err.count("Permission denied") == 2
              and not any("path refusals" in u for u in doc.get("unseen_refusals", [])), err[-800:])
        r = h.run_in(d, [h.pv(), "run", "--policy", "ci", "--fail-on-violation", "--", "sh", "-c", script])
        check("--fail-on-violation sees a refusal Landlock would make: 123", r and r[2] == 123, str(r)[:400])
        r = h.run_in(d, [h.pv(), "run", "--policy", "ci", "--shm-size", "none", "--see-all-refusals", "--", PYTHON,
                         "mp.py"])
        err = r[1].decode(errors="replace") if r else ""
        check("--see-all-refusals reports the /dev/shm refusal behind a failing multiprocessing lock (the LTP case)",
              r and r[2] != 0 and "violation" in err and "/dev/shm" in err, err[-600:])
        r = h.run_in(d, [h.pv(), "run", "--policy", "ci", "--see-all-refusals", "--report", rep, "--", "true"])
        doc = load_json(rep)
        read = doc.get("policy", {}).get("landlock_refusals_read")
        check("--see-all-refusals: paths are checked by the supervisor (or Landlock's refusals read from the "
              "audit log), Landlock stays behind it",
              doc.get("policy", {}).get("paths_checked_by") == ("landlock" if read else "supervisor")
              and doc.get("policy", {}).get("landlock") == (doc.get("policy", {}).get("landlock_abi", 0) >= 1), str(doc)[:400])
    finally:
        shutil.rmtree(d, ignore_errors=True)


RUN_TESTS = """#!/bin/sh
# A project's untrusted test step: reads ./data, writes ./out, uses the loopback network.
set -e
mkdir -p out
tr a-z A-Z < data > out/result
PYTHON -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(); socket.create_connection(s.getsockname())'
[ -z "$PEEK" ] || cat "$HOME/.ssh/id_ed25519" > out/stolen 2>/dev/null || true
echo tests passed
"""


def doc_ci_commands():
    """The policy block and the picovisor command lines of docs/ci.md's examples."""
    with open(os.path.join(h.ROOT, "docs", "ci.md")) as f:
        doc = f.read()
    blocks = re.findall(r"(?ms)^```(\w*)\n(.*?)^```$", doc)
    policy = next(text for lang, text in blocks if text.startswith("profile ci"))
    commands = []
    for lang, text in blocks:
        for line in text.splitlines():
            m = re.match(r"^\s*(?:run:|-)?\s*(picovisor .*)$", line)
            if m:
                commands.append((lang or "shell", m.group(1)))
    return policy, commands


def ci_docs():
    policy, commands = doc_ci_commands()
    check("docs/ci.md: the examples' picovisor commands are found (GitHub Actions, GitLab CI, audit)",
          len([c for c in commands if c[0] == "yaml"]) >= 4 and any("--annotate github" in c[1] for c in commands)
          and any("--on-violation log" in c[1] for c in commands), str(commands))
    home = tempfile.mkdtemp(prefix="pv-e2e-home-")
    os.makedirs(os.path.join(home, ".ssh"))
    with open(os.path.join(home, ".ssh", "id_ed25519"), "w") as f:
        f.write("PRIVATE KEY\n")
    os.chmod(home, 0o755)
    os.chmod(os.path.join(home, ".ssh"), 0o755)
    os.chmod(os.path.join(home, ".ssh", "id_ed25519"), 0o644)

    def setup(d):
        h.write(d, "ci-tests.policy", policy, 0o644)
        h.write(d, "data", "some data\n", 0o644)
        h.write(d, "run-tests.sh", RUN_TESTS.replace("PYTHON", PYTHON))

    rv = validator("report")
    try:
        for peek in ("", "yes"):
            d = h.fresh_dir(setup)
            try:
                for lang, cmd in commands:
                    argv = [h.pv()] + shlex.split(cmd)[1:]
                    r = h.run_in(d, argv, env={"HOME": home, "PEEK": peek, "GITHUB_TOKEN": "ghs_x"})
                    out = r[0].decode(errors="replace") if r else ""
                    what = f"docs/ci.md ({lang}) {cmd[:60]}{'...' if len(cmd) > 60 else ''}"
                    if " check " in f" {cmd} ":
                        check(f"{what}: the policy is valid", r and r[2] == 0, str(r))
                        continue
                    report = next((a.split("--report ", 1)[1].split()[0] for a in [cmd] if "--report " in a), None)
                    doc = load_json(os.path.join(d, report)) if report else {}
                    if "--on-violation log" in cmd:
                        stole = any(".ssh/id_ed25519" in c.get("call", "") for c in doc.get("counts_by_rule", []))
                        check(f"{what}, {'a step that reads ~/.ssh' if peek else 'a good step'}: audit run passes "
                              f"and lists {'the ~/.ssh read' if peek else 'no violation'}",
                              r and r[2] == 0 and stole == bool(peek), f"{r and r[1][-500:]} {doc.get('counts_by_rule')}")
                        continue
                    if not peek:
                        check(f"{what}, a good step: status 0, its output, the report valid, no annotation",
                              r and r[2] == 0 and "tests passed" in out and "::error" not in out
                              and doc.get("exit_status") == 0 and "GITHUB_TOKEN" in doc.get("environment", {}).get("removed", [])
                              and (rv is None or first_error(rv, doc) is None)
                              and open(os.path.join(d, "out", "result")).read() == "SOME DATA\n",
                              f"{r and (r[1][-600:])} {rv and first_error(rv, doc)}")
                    else:
                        annotated = "--annotate github" not in cmd or any(
                            ln.startswith("::error title=picovisor%3A denied openat") and ".ssh/id_ed25519" in ln
                            for ln in out.splitlines())
                        check(f"{what}, a step that reads ~/.ssh: the job fails (123), the key stays unread"
                              f"{', an annotation names it' if '--annotate' in cmd else ''}",
                              r and r[2] == 123 and annotated and doc.get("program_exit_status") == 0
                              and not os.path.getsize(os.path.join(d, "out", "stolen")), f"{r and r[2]} {out[-800:]}")
            finally:
                shutil.rmtree(d, ignore_errors=True)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def ci_proc_host():
    d = h.fresh_dir(None)
    script = ("head -c 64 /proc/1/cmdline >/dev/null && echo host-readable || echo host-refused; "
              "head -c 64 /proc/self/cmdline >/dev/null && echo self-readable; "
              "sleep 2 & head -c 64 /proc/$!/cmdline >/dev/null && echo child-readable; kill $!")
    try:
        r = h.run_in(d, ["sh", "-c", script])
        check("/proc of the host: /proc/1/cmdline is readable natively (so the test can fail)",
              r and b"host-readable" in r[0], str(r))
        r = h.run_in(d, [h.pv(), "run", "--policy", "ci", "--see-all-refusals", "--", "sh", "-c", script])
        check("/proc of the host under ci --see-all-refusals: another process's /proc/PID/cmdline refused (EACCES, "
              "reported); the run's own readable",
              r and r[0] == b"host-refused\nself-readable\nchild-readable\n" and b"/proc/1/cmdline needs r" in r[1]
              and b"Permission denied" in r[1], str(r))
        r = h.run_in(d, [h.pv(), "run", "--policy", "ci", "--fail-on-violation", "--", "sh", "-c", script])
        check("/proc of the host under ci --fail-on-violation: refused, and the job fails (123)",
              r and r[2] == 123 and b"host-refused" in r[0], str(r))
        r = h.run_in(d, [h.pv(), "run", "--policy", "ci", "--", "sh", "-c", script])
        check("/proc of the host under plain ci: readable, as docs/policy.md says (Known gaps)",
              r and b"host-readable" in r[0], str(r))
    finally:
        shutil.rmtree(d, ignore_errors=True)


STEP = """#!/bin/sh
# An untrusted step: reads its data and three files of a fixture directory, makes an output directory outside,
# uses the loopback network. With MORE set it also reads one file more.
cat data OUTSIDE/a OUTSIDE/b OUTSIDE/c > /dev/null
mkdir -p WRITABLE/out && echo result > WRITABLE/out/r.txt
PYTHON -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(); socket.create_connection(s.getsockname())'
[ -z "$MORE" ] || cat SECRET
echo step done
"""


def ci_suggest():
    base = tempfile.mkdtemp(prefix="pv-e2e-sug-")
    outside, writable, secret = (os.path.join(base, n) for n in ("fixtures", "writable", "secret"))
    os.chmod(base, 0o755)
    os.mkdir(outside)
    os.mkdir(writable)
    os.chmod(writable, 0o777)
    for n in "abc":
        with open(os.path.join(outside, n), "w") as f:
            f.write(n + "\n")
    with open(secret, "w") as f:
        f.write("secret\n")
    os.chmod(secret, 0o644)
    step = STEP.replace("OUTSIDE", outside).replace("WRITABLE", writable).replace("SECRET", secret).replace("PYTHON", PYTHON)

    def setup(d):
        h.write(d, "step.sh", step)
        h.write(d, "data", "data\n", 0o644)

    d = h.fresh_dir(setup)
    try:
        audit, trace, sugg = (os.path.join(d, n) for n in ("audit.json", "audit.jsonl", "suggested.policy"))
        r = h.run_in(d, [h.pv(), "run", "--quiet", "--policy", "ci", "--on-violation", "log", "--report", audit,
                         "--trace", trace, "--", "./step.sh"])
        check("policy suggest: the audit run (on-violation log) passes", r and r[2] == 0 and b"step done" in r[0], str(r))
        shutil.rmtree(os.path.join(writable, "out"), ignore_errors=True)
        for source in (audit, trace):
            kind = "report" if source == audit else "trace"
            r = h.run_in(d, [h.pv(), "policy", "suggest", source])
            text = r[0].decode(errors="replace") if r else ""
            with open(sugg, "w") as f:
                f.write(text)
            check(f"policy suggest {kind}: promises, grouped path rules, the network, each with the calls that needed it",
                  r and r[2] == 0 and "profile ci\n" in text and "promise inet\n" in text and "net loopback\n" in text
                  and f'path r "{outside}"\n' in text and "# openat, by cat (3 times)" in text
                  and f"path c \"{writable}\"" in text and "bind, connect, by python3" in text, text)
            c = h.run_in(d, [h.pv(), "policy", "check", sugg])
            check(f"policy suggest {kind}: the suggestion is a valid policy", c and c[2] == 0, str(c))
            r = h.run_in(d, [h.pv(), "run", "--policy", sugg, "--fail-on-violation", "--", "./step.sh"])
            check(f"policy suggest {kind}: round trip: the same step passes under it with no violation",
                  r and r[2] == 0 and b"violation" not in r[1] and b"step done" in r[0], str(r)[-600:])
            r = h.run_in(d, [h.pv(), "run", "--policy", sugg, "--fail-on-violation", "--", "./step.sh"], env={"MORE": "1"})
            check(f"policy suggest {kind}: a step that does one thing more is refused (123, the extra read reported)",
                  r and r[2] == 123 and f"{secret} needs r".encode() in r[1] and b"secret\n" not in r[0], str(r)[-600:])
            shutil.rmtree(os.path.join(writable, "out"), ignore_errors=True)
        h.write(d, "junk", "not a report\n", 0o644)
        r = h.run_in(d, [h.pv(), "policy", "suggest", "junk"])
        check("policy suggest of something else: status 1 and why", r and r[2] == 1 and b"neither" in r[1], str(r))
        r = h.run_in(d, [h.pv(), "run", "--policy", "ci", "--fail-on-violation", "--", "mkdir", "-p",
                         os.path.join(d, "new", "deeper")])
        check("mkdir -p through directories the rules do not cover: EEXIST as natively, no violation",
              r and r[2] == 0 and b"violation" not in r[1] and os.path.isdir(os.path.join(d, "new", "deeper")), str(r))
    finally:
        shutil.rmtree(d, ignore_errors=True)
        shutil.rmtree(base, ignore_errors=True)


BUILD_STEP = """set -e
cc -O1 -o hello hello.c && ./hello
printf 'all: hello2\\nhello2: hello.c\\n\\tcc -O1 -o hello2 hello.c\\n' > Makefile
if command -v make >/dev/null; then make -s && ./hello2; else echo built; fi
mkdir -p "$PWD/out/deep/er" out/sub
cp hello.c out/ && cp -a hello out/sub/ && cp --reflink=auto hello.c out/copy.c
mv out/sub out/sub2 && ln -sf hello out/link && install -m 755 hello out/inst
sed -i s/built/BUILT/ hello.c && grep -c BUILT hello.c
tar czf out.tgz out && mkdir unpack && tar xzf out.tgz -C unpack && find unpack | sort | head -3
PYTHON -c "import compileall, tempfile, os; compileall.compile_file('gen.py', quiet=1); print(os.path.isdir(tempfile.gettempdir()))"
git init -q repo && git -C repo config user.email ci@example.invalid && git -C repo config user.name ci
id -u >/dev/null && nproc >/dev/null && date >/dev/null && uname -r >/dev/null && touch -d '2020-01-01' hello.c
chmod 600 out/copy.c && rm -rf out unpack
echo build step done
"""


def ci_build_steps():
    def setup(d):
        h.write(d, "hello.c", '#include <stdio.h>\nint main(void) { puts("built"); return 0; }\n', 0o644)
        h.write(d, "gen.py", "x = 1\n", 0o644)

    if not shutil.which("cc"):
        h.report("ordinary build steps under ci --fail-on-violation", None, "no C compiler (cc)")
        return
    d = h.fresh_dir(setup)
    try:
        r = h.run_in(d, [h.pv(), "run", "--policy", "ci", "--fail-on-violation", "--", "sh", "-c",
                         BUILD_STEP.replace("PYTHON", PYTHON)])
        check("ordinary build steps under ci --fail-on-violation (every refusal seen): no violation, status 0 "
              "(cc, make, mkdir -p, cp --reflink, mv, ln, install, sed -i, tar, python, git init, id, touch, chmod)",
              r and r[2] == 0 and b"violation" not in r[1] and r[0].endswith(b"build step done\n"),
              r and r[1].decode(errors="replace")[-1500:])
    finally:
        shutil.rmtree(d, ignore_errors=True)


def ci_nested():
    d = h.fresh_dir(None)
    try:
        for outer, what in ((["--policy", "ci"], "under ci"), ([], "under plain run")):
            for inner in (["run", "--", "true"], ["run", "--policy", "ci", "--", "true"], ["trace", "--", "true"]):
                r = h.run_in(d, [h.pv(), "run", *outer, "--", h.pv(), *inner])
                err = r[1].decode(errors="replace") if r else ""
                check(f"nested picovisor {' '.join(inner[:3])} {what}: 125 and a plain reason, before any violation",
                      r and r[2] == 125 and "inside another picovisor run" in err and "refuses ptrace" in err
                      and "violation" not in err, str(r))
    finally:
        shutil.rmtree(d, ignore_errors=True)


def groups(harness):
    global h
    h = harness
    return [ci_environment, ci_chdir, ci_exit_status, ci_shm, ci_view_rules, ci_policy_language, ci_report, ci_refusals_seen, ci_docs, ci_proc_host, ci_suggest, ci_build_steps, ci_nested]
