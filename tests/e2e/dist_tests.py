"""End-to-end tests of picovisor as an installed tool (imported by run.py, which passes itself as h).
Groups:

- demo: `make demo`'s script runs every personality and each step shows what it should.
- man_page: picovisor(1) says exactly what --help says (same words in the same order).
- completions: the bash, zsh and fish scripts parse, and bash completes subcommands, each command's
  options (every option --help lists), profile names after --policy and syscall names after -e.
- doctor: `picovisor doctor` finds what this machine has (compared with the kernel's own answers), and
  inside a sandboxed run says that ptrace is refused and exits 1.
- install: make install into a DESTDIR puts in the binary, man page, completions, docs, LICENSE and the
  profiles (which parse as policy files); make uninstall takes out exactly that.
- environments: picovisor under a seccomp profile that refuses what containers and sandboxes may refuse
  (ptrace, seccomp, pidfd_open, pidfd_getfd, Landlock): one message naming what is missing and what to
  do, or, for Landlock, the run goes on with the supervisor's own checks and says so.
- newcomer_errors: the mistakes a newcomer makes get one message naming what went wrong and what to do
  (a typo gets "did you mean"), and status 125, 126 or 127 as documented.
- readme_examples: every example command line of README.md runs (in a directory with the files it names:
  a Makefile with test and check targets, an untrusted-test script, a tool, a Windows tool.c) and
  succeeds.
- package: make deb builds a package that installs into a fresh dpkg root, runs, and removes cleanly;
  make static builds a binary with no dynamic dependencies that runs programs and sandboxes them.
"""
import ctypes
import os
import re
import shutil
import subprocess
import tempfile

h = None


def check(name, ok, detail=""):
    h.report(name, bool(ok), detail)


def run(argv, **kw):
    full = (h.NOBODY if h.AS_USER else []) + argv
    return subprocess.run(full, capture_output=True, text=True, timeout=kw.pop("timeout", 120), **kw)


def words_of_help(text):
    return text.replace("Usage:", " ").split()


def words_of_man(roff):
    """The words a reader sees between SYNOPSIS and FILES (the part generated from --help)."""
    body = roff.split(".SH SYNOPSIS", 1)[1].split(".SH FILES", 1)[0]
    out = []
    for line in body.splitlines():
        if line.startswith((".B ", ".SS ")):
            line = line.split(" ", 1)[1]
        elif line == ".SH EXAMPLES":  # the help text's "Examples:" heading as a man page section
            line = "Examples:"
        elif line.startswith("."):
            continue
        line = line.replace("\\-", "-").replace("\\e", "\\").replace("\\&", "")
        out += line.split()
    return out


def man_page():
    helptext = run([h.pv(), "--help"]).stdout
    man = run([h.pv(), "help", "--man"])
    if man.returncode != 0:
        check("help --man writes a manual page", False, man.stderr)
        return
    hw, mw = words_of_help(helptext), words_of_man(man.stdout)
    first = next((i for i, (a, b) in enumerate(zip(hw, mw)) if a != b), min(len(hw), len(mw)))
    check("the man page says what --help says, word for word", hw == mw,
          f"  first difference at word {first}: help {hw[first:first + 6]} man {mw[first:first + 6]}")
    options = set(re.findall(r"^  (?:-\w, )?(--[a-z][a-z-]*)", helptext, re.M))
    tp = set(re.findall(r"^\.B (?:\\-\w, )?(\\-\\-[a-z][a-z\\-]*)", man.stdout, re.M))
    tp = {t.replace("\\-", "-") for t in tp}
    check("every option of --help is an entry of the man page", options and options <= tp,
          f"  missing: {sorted(options - tp)}")
    if shutil.which("man"):
        with tempfile.NamedTemporaryFile("w", suffix=".1", delete=False) as f:
            f.write(man.stdout)
        r = subprocess.run(["man", "--warnings", "-l", f.name], capture_output=True, text=True,
                           env=dict(os.environ, MANWIDTH="80", MAN_KEEP_FORMATTING="0"))
        os.unlink(f.name)
        check("man renders the page without warnings", r.returncode == 0 and "warning" not in r.stderr
              and "PICOVISOR(1)" in r.stdout, r.stderr[:500])
    else:
        h.report("man renders the page without warnings", None, "man is not installed")


def bash_complete(script, words):
    """COMPREPLY of bash completion for the words (the last one being completed)."""
    cmd = (script + "\nCOMP_WORDS=(" + " ".join("'" + w + "'" for w in words) + ")\n"
           f"COMP_CWORD={len(words) - 1}\n_picovisor\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n")
    r = subprocess.run(["bash", "--norc", "-c", cmd], capture_output=True, text=True, timeout=30)
    return set(r.stdout.split())


def completions():
    helptext = run([h.pv(), "--help"]).stdout
    scripts = {}
    for shell in ("bash", "zsh", "fish"):
        r = run([h.pv(), "completion", shell])
        scripts[shell] = r.stdout
        if r.returncode != 0 or not r.stdout:
            check(f"completion {shell} writes a script", False, r.stderr)
            continue
        if not shutil.which(shell):
            h.report(f"the {shell} completion script parses", None, f"{shell} is not installed")
            continue
        with tempfile.NamedTemporaryFile("w", delete=False) as f:
            f.write(r.stdout)
        p = subprocess.run([shell, "-n", f.name], capture_output=True, text=True, timeout=30)
        os.unlink(f.name)
        check(f"the {shell} completion script parses", p.returncode == 0, p.stderr[:500])
    bad = run([h.pv(), "completion", "tcsh"])
    check("completion refuses a shell it has no script for", bad.returncode == 125 and "bash|zsh|fish" in bad.stderr,
          bad.stderr)
    b = scripts["bash"]
    if not b:
        return
    got = bash_complete(b, ["picovisor", ""])
    check("bash completes the subcommands", {"run", "trace", "summary", "diff", "policy", "doctor"} <= got, str(got))
    run_section = helptext.split("Options of run and trace:")[1].split("Options of summary and diff:")[0]
    # strace's flags are trace's own section: run neither offers nor takes them
    strace_section = run_section.split("Options of trace that strace users know")[1].split("Sandbox options")[0]
    run_section = run_section.replace(strace_section, "")
    run_options = set(re.findall(r"^  (?:-\w, )?(--[a-z][a-z-]*)", run_section, re.M))
    got = bash_complete(b, ["picovisor", "run", "--"])
    check("bash completes every option of run that --help lists", run_options and run_options - {"--trace", "--output",
          "--format"} <= got, f"  missing: {sorted(run_options - got)}")
    check("bash does not offer trace's -o/--output to run", "--output" not in got, str(sorted(got)))
    strace_options = set(re.findall(r"^  (?:-\w, )?(--[a-z][a-z-]*)", strace_section, re.M))
    check("bash does not offer trace's strace flags to run", strace_options and not strace_options & got,
          str(sorted(strace_options & got)))
    got = bash_complete(b, ["picovisor", "trace", "--"])
    check("bash completes trace's strace flags", strace_options and strace_options <= got,
          f"  missing: {sorted(strace_options - got)}")
    got = bash_complete(b, ["picovisor", "run", "--policy", ""])
    check("bash completes profile names after --policy", {"ci", "strict", "none"} <= got, str(got))
    got = bash_complete(b, ["picovisor", "trace", "-e", "opena"])
    check("bash completes syscall names after -e", {"openat", "openat2"} <= got, str(got))
    got = bash_complete(b, ["picovisor", "diff", "--"])
    check("bash completes diff's own options", {"--json", "--ignore"} <= got and "--policy" not in got, str(got))


def demo():
    r = subprocess.run((h.NOBODY if h.AS_USER else []) + [os.path.join(h.ROOT, "tests", "demo")],
                       capture_output=True, text=True, timeout=300, env=dict(os.environ, PICOVISOR=h.pv()),
                       cwd="/")
    out = r.stdout
    check("the demo script runs to its end", r.returncode == 0 and "== done" in out, out[-1500:] + r.stderr[-1500:])
    steps = {
        "run: the program sees itself": re.search(r"^I am (/usr)?/bin/dash$", out, re.M),
        "run: an exit status as a shell shows it": "status 143" in out,
        "trace: strace-like text of every process": 'execve("/usr/bin/cat", ["cat", "/etc/hostname"]' in out,
        "diff: the file only the second run read": "+ /etc/hostname" in out,
        "sandbox: each attempt outside the policy refused": all(f"refused: {a}" in out for a in
                                                              ("read ~/.ssh/id_rsa", "write /etc/pv-demo",
                                                               "connect to 192.0.2.1:443")),
        "sandbox: what the policy allows done": "done:    write ./result.txt" in out,
        "sandbox: the report summarised": "ended: exited, exit status 0" in out and "violation: " in out,
        "map: the guest view": re.search(r"^untrusted\.py\nx$", out, re.M),
    }
    for what, ok in steps.items():
        check(f"demo step {what}", ok, out[-3000:])
    if shutil.which("x86_64-w64-mingw32-gcc"):
        check("demo step nt: a Windows program built and run",
              re.search(r"^hello from a Windows program\nmy current directory is Z:\\\S*\n", out.replace("\r\n", "\n"), re.M),
              out[-1500:])
    else:
        h.report("demo step nt: a Windows program built and run", None, "x86_64-w64-mingw32-gcc is not installed")


TOOL_C = r"""
/* README's tool.exe: a plain C program of mingw-w64's default toolchain (msvcrt, kernel32): prints its
 * arguments, then the file its last argument names. */
#include <stdio.h>

int main(int argc, char **argv)
{
	char line[256];
	FILE *f;

	for (int i = 1; i < argc; i++)
		printf("%s%s", argv[i], i + 1 < argc ? " " : "\n");
	if (argc < 2)
		return 0;
	f = fopen(argv[argc - 1], "r");
	if (!f) {
		perror(argv[argc - 1]);
		return 3;
	}
	while (fgets(line, sizeof(line), f))
		fputs(line, stdout);
	fclose(f);
	return 0;
}
"""


def readme_example_lines():
    """The example command lines of README.md: indented lines that run picovisor or build for it."""
    lines = []
    with open(os.path.join(h.ROOT, "README.md")) as f:
        for line in f:
            if not line.startswith("    ") or line.lstrip().startswith("|"):
                continue
            cmd = re.sub(r"\s+#.*$", "", line.strip())
            if not cmd.startswith(("picovisor ", "x86_64-w64-mingw32-gcc ")):
                continue
            if "[" in cmd or "|" in cmd or re.search(r"\b[A-Z]{4,}\b", cmd):  # a synopsis line, not an example
                continue
            lines.append(cmd)
    return lines


def readme_examples():
    examples = readme_example_lines()
    check("README has example command lines to run", len(examples) >= 8, str(examples))
    d = h.fresh_dir(None)
    data = os.path.join(d, "srv-data")
    fixtures = os.path.join(d, "srv-fixtures")
    try:
        os.makedirs(data)
        os.makedirs(fixtures)
        files = {
            "Makefile": "test:\n\tcat input.txt > output.txt\n\tgrep -q hello output.txt\ncheck: test\n\trm -f output.txt\n",
            "input.txt": "hello\n",
            "untrusted-test": "#!/bin/sh\ncat input.txt > out.txt && echo untrusted test passed\n",
            "tool": "#!/bin/sh\ncat \"$1\"\n",
            "tool.c": TOOL_C,
            "srv-data/in.txt": "in D:\n",
            "srv-fixtures/in": "fixture\n",
        }
        for name, text in files.items():
            with open(os.path.join(d, name), "w") as f:
                f.write(text)
        for name in ("untrusted-test", "tool"):
            os.chmod(os.path.join(d, name), 0o755)
        if h.AS_USER:
            subprocess.run(["chown", "-R", "65534:65534", d], check=True)
        env = dict(os.environ, PATH=os.path.dirname(h.pv()) + ":" + os.environ["PATH"], HOME=d)
        for cmd in examples:
            if cmd.startswith("x86_64-w64-mingw32-gcc") and not shutil.which("x86_64-w64-mingw32-gcc"):
                h.report(f"README example runs: {cmd}", None, "x86_64-w64-mingw32-gcc is not installed")
                continue
            real = cmd.replace("/srv/data", data).replace("/srv/fixtures", fixtures)
            r = subprocess.run((h.NOBODY if h.AS_USER else []) + ["sh", "-c", real], cwd=d, env=env,
                               capture_output=True, text=True, timeout=300)
            ok_status = (0, 1) if cmd.startswith("picovisor diff") else (0,)
            problems = [l for l in r.stderr.splitlines() if l.startswith("picovisor:") and "note:" not in l]
            check(f"README example runs: {cmd}", r.returncode in ok_status and not problems,
                  f"  exit {r.returncode}\n{r.stdout[-800:]}{r.stderr[-1500:]}")
            if "tool.exe D:" in cmd:
                check("README example's Windows tool reads D:\\in.txt from the mapped drive", "in D:" in r.stdout,
                      r.stdout)
            if "tool.exe /srv/data" in cmd:
                check("README example's Windows tool reads a file named by its Linux path", "in D:" in r.stdout,
                      r.stdout)
    finally:
        shutil.rmtree(d, ignore_errors=True)


MISTAKES = [
    # (argv after picovisor, status, words the message must have)
    ([], 125, ["no command given", "picovisor run --"]),
    (["ls"], 125, ["unknown command 'ls'", "picovisor run -- ls"]),
    (["rn", "--", "true"], 125, ["did you mean 'run'"]),
    (["--verison"], 125, ["did you mean '--version'"]),
    (["run"], 125, ["no program given"]),
    (["run", "--polcy", "ci", "--", "true"], 125, ["unknown option '--polcy'", "did you mean --policy"]),
    (["trace", "--outptu=x", "--", "true"], 125, ["did you mean --output"]),
    (["run", "--policy", "cii", "--", "true"], 125, ["cii", "ci, none, strict"]),
    (["run", "--limit", "memory=abc", "--", "true"], 125, ["--limit", "expected a size", "'abc'"]),
    (["run", "--net", "lan", "--", "true"], 125, ["--net", "none, loopback or any", "'lan'"]),
    (["run", "--map", "/x", "--", "true"], 125, ["--map wants GUEST=HOST"]),
    (["run", "-e", "trace=open", "--", "true"], 125, ["picovisor trace"]),
    (["trace", "-e", "trace=opn", "--", "true"], 125, ["unknown system call 'opn'"]),
    (["run", "--", "no-such-command-here"], 127, ["no-such-command-here: command not found"]),
    (["run", "--", "/"], 126, ["cannot execute /"]),
    (["diff", "a.jsonl"], 125, ["two trace files"]),
    (["completion", "tcsh"], 125, ["bash|zsh|fish"]),
    (["policy", "print", "cii"], 125, ["not a built-in profile", "ci none strict"]),
]


def newcomer_errors():
    for argv, status, words in MISTAKES:
        r = run([h.pv(), *argv])
        first = r.stderr.splitlines()[0] if r.stderr else ""
        check(f"picovisor {' '.join(argv) or '(nothing)'}: status {status} and a message saying what to do",
              r.returncode == status and first.startswith("picovisor: ") and all(w in r.stderr for w in words)
              and r.stdout == "", f"  exit {r.returncode}\n{r.stderr}")


def landlock_abi():
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.syscall(444, None, 0, 1)  # landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION)


def doctor():
    r = run([h.pv(), "doctor"])
    rows = dict(re.findall(r"^(\S+(?: \S+)?)\s{2,}(yes|no|partly)\s", r.stdout, re.M))
    check("doctor runs and finds that programs can run here", r.returncode == 0 and rows.get("ptrace") == "yes",
          r.stdout + r.stderr)
    abi = landlock_abi()
    if abi >= 1:
        check("doctor reports the Landlock ABI the kernel reports", f"ABI {abi}:" in r.stdout, r.stdout)
    else:
        check("doctor reports Landlock absent as the kernel does", rows.get("landlock") == "partly", r.stdout)
    v = run([h.pv(), "--version"])
    want = f"Landlock ABI {abi}" if abi >= 1 else "no Landlock"
    check("--version names the version, the libraries and what this kernel gives", v.returncode == 0
          and re.match(r"picovisor \d", v.stdout) and "libseccomp: 2." in v.stdout and want in v.stdout, v.stdout)
    n = run([h.pv(), "run", "--policy", "ci", "--quiet", "--", h.pv(), "doctor"])
    rows = dict(re.findall(r"^(\S+(?: \S+)?)\s{2,}(yes|no|partly)\s", n.stdout, re.M))
    check("doctor inside a sandboxed run finds ptrace refused and exits 1",
          n.returncode == 1 and rows.get("ptrace") == "no" and "cannot run here" in n.stdout, n.stdout + n.stderr)


# x86_64 numbers: what a container profile may refuse (tests/progs/deny_calls.c fails them with EPERM).
REFUSABLE = {"ptrace": "101", "seccomp": "317", "pidfd_open": "434", "pidfd_getfd": "438"}
LANDLOCK = "444,445,446"


def environments():
    deny = h.prog("deny_calls")
    for name, nr in REFUSABLE.items():
        r = run([deny, "1", nr, h.pv(), "run", "--policy", "ci", "--", "/bin/echo", "ran"])
        lines = [l for l in r.stderr.splitlines() if l.strip()]
        check(f"{name} refused around picovisor: exit 125 and one message naming it and what to do",
              r.returncode == 125 and r.stdout == "" and len(lines) == 1 and name.split("_")[0].lower()
              in lines[0].lower() and "picovisor doctor" in lines[0], f"  exit {r.returncode}\n" + r.stderr)
    d = h.fresh_dir(None)
    try:
        outside = tempfile.mkdtemp(prefix="pv-env-")
        os.chmod(outside, 0o755)
        secret = os.path.join(outside, "secret")
        with open(secret, "w") as f:
            f.write("readable natively\n")
        os.chmod(secret, 0o644)
        r = run([deny, "1", LANDLOCK, h.pv(), "run", "--policy", "ci", "--", "/bin/sh", "-c",
                 f"echo ran; cat {secret}"], cwd=d)
        check("Landlock refused around picovisor: the run goes on, paths checked by picovisor, and it says so",
              r.stdout == "ran\n" and "checked by picovisor" in r.stderr and "violation" in r.stderr
              and "Permission denied" in r.stderr, r.stdout + r.stderr)
        r = run([deny, "1", LANDLOCK, h.pv(), "run", "--policy", "ci", "--require-landlock", "--", "/bin/echo", "ran"],
                cwd=d)
        check("Landlock refused and --require-landlock: exit 125 naming Landlock", r.returncode == 125
              and r.stdout == "" and "landlock" in r.stderr.lower(), r.stderr)
        r = run([deny, "1", LANDLOCK, h.pv(), "doctor"])
        check("doctor under a profile that refuses Landlock says paths are checked by picovisor alone",
              r.returncode == 0 and re.search(r"^landlock\s+partly", r.stdout, re.M)
              and "checked by picovisor alone" in r.stdout, r.stdout)
    finally:
        shutil.rmtree(d, ignore_errors=True)
        shutil.rmtree(outside, ignore_errors=True)


def make(*args, **kw):
    return subprocess.run(["make", "-C", h.ROOT, "--no-print-directory", *args], capture_output=True, text=True,
                          timeout=600, **kw)


def installed_files(root):
    return sorted(os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(root) for f in fs)


def install():
    if h.AS_USER:  # installing writes into the source tree's build/: a case for the root pass only
        return
    dest = tempfile.mkdtemp(prefix="pv-install-")
    try:
        r = make("install", f"DESTDIR={dest}", "PREFIX=/usr")
        files = installed_files(dest)
        want = {"usr/bin/picovisor", "usr/share/man/man1/picovisor.1.gz", "usr/share/doc/picovisor/LICENSE",
                "usr/share/doc/picovisor/README.md", "usr/share/doc/picovisor/docs/policy.md",
                "usr/share/bash-completion/completions/picovisor", "usr/share/zsh/vendor-completions/_picovisor",
                "usr/share/fish/vendor_completions.d/picovisor.fish", "usr/share/picovisor/policies/ci.policy"}
        check("make install puts in binary, man page, completions, docs, LICENSE and profiles",
              r.returncode == 0 and want <= set(files), r.stderr[-800:] + f"\n  missing: {sorted(want - set(files))}")
        binary = os.path.join(dest, "usr/bin/picovisor")
        for prof in ("ci", "strict", "none"):
            path = os.path.join(dest, f"usr/share/picovisor/policies/{prof}.policy")
            c = subprocess.run([binary, "policy", "check", path], capture_output=True, text=True) \
                if os.path.exists(path) else None
            check(f"the installed {prof} profile parses as a policy file", c and c.returncode == 0,
                  c.stderr if c else "not installed")
        r = make("uninstall", f"DESTDIR={dest}", "PREFIX=/usr")
        left = installed_files(dest)
        check("make uninstall removes exactly what make install put in", r.returncode == 0 and not left,
              r.stderr[-500:] + f"\n  left: {left}")
        # Something of the user's beside ours stays.
        os.makedirs(os.path.join(dest, "usr/share/doc/picovisor"), exist_ok=True)
        with open(os.path.join(dest, "usr/share/doc/picovisor/NOTES"), "w") as f:
            f.write("mine\n")
        make("install", f"DESTDIR={dest}", "PREFIX=/usr")
        make("uninstall", f"DESTDIR={dest}", "PREFIX=/usr")
        check("make uninstall leaves a file it did not install", installed_files(dest) ==
              ["usr/share/doc/picovisor/NOTES"], str(installed_files(dest)))
    finally:
        shutil.rmtree(dest, ignore_errors=True)


def package():
    if h.AS_USER:
        return
    if not shutil.which("dpkg-deb"):
        h.report("make deb builds a package", None, "dpkg-deb is not installed")
    else:
        r = make("deb")
        debs = [f for f in os.listdir(os.path.join(h.ROOT, "build")) if f.endswith(".deb")]
        check("make deb builds a package", r.returncode == 0 and debs, r.stdout[-500:] + r.stderr[-800:])
        if debs:
            deb = os.path.join(h.ROOT, "build", sorted(debs)[-1])
            root = tempfile.mkdtemp(prefix="pv-dpkg-")
            try:
                os.makedirs(os.path.join(root, "var/lib/dpkg/updates"))
                os.makedirs(os.path.join(root, "var/lib/dpkg/info"))
                open(os.path.join(root, "var/lib/dpkg/status"), "w").close()
                i = subprocess.run(["dpkg", f"--root={root}", "--force-depends", "--force-not-root", "-i", deb],
                                   capture_output=True, text=True, timeout=120)
                binary = os.path.join(root, "usr/bin/picovisor")
                ran = subprocess.run([binary, "run", "--policy", "ci", "--", "/bin/echo", "from the package"],
                                     capture_output=True, text=True, timeout=60) if os.path.exists(binary) else None
                check("the package installs into a fresh root and its binary runs a sandboxed program",
                      i.returncode == 0 and ran and ran.stdout == "from the package\n",
                      i.stderr[-500:] + (ran.stderr if ran else "no binary"))
                demo_run = subprocess.run([os.path.join(h.ROOT, "tests", "demo")], capture_output=True, text=True,
                                          timeout=300, env=dict(os.environ, PICOVISOR=binary), cwd="/")
                check("the demo runs with the packaged binary", demo_run.returncode == 0 and "== done" in demo_run.stdout
                      and "refused: read ~/.ssh/id_rsa" in demo_run.stdout, demo_run.stdout[-1500:] + demo_run.stderr[-800:])
                man = os.path.join(root, "usr/share/man/man1/picovisor.1.gz")
                check("the package has the man page and the copyright file",
                      os.path.exists(man) and os.path.exists(os.path.join(root, "usr/share/doc/picovisor/copyright")))
                rm = subprocess.run(["dpkg", f"--root={root}", "--force-not-root", "--purge", "picovisor"],
                                    capture_output=True, text=True, timeout=120)
                left = [f for f in installed_files(root) if f.startswith("usr/")]
                check("removing the package leaves none of its files", rm.returncode == 0 and not left,
                      rm.stderr[-500:] + f"\n  left: {left}")
            finally:
                shutil.rmtree(root, ignore_errors=True)
        if shutil.which("lintian") and debs:
            li = subprocess.run(["lintian", "--no-tag-display-limit", deb], capture_output=True, text=True, timeout=300)
            errors = [l for l in li.stdout.splitlines() if l.startswith("E:")]
            check("lintian finds no error in the package", not errors, "\n".join(errors))
        else:
            h.report("lintian finds no error in the package", None, "lintian is not installed")
    r = make("static")
    binary = os.path.join(h.ROOT, "build", "picovisor-static")
    if r.returncode != 0:
        check("make static builds a static binary", False, r.stderr[-800:])
        return
    f = subprocess.run(["file", "-b", binary], capture_output=True, text=True) if shutil.which("file") else None
    ldd = subprocess.run(["ldd", binary], capture_output=True, text=True)
    check("the static binary has no dynamic dependencies", "not a dynamic executable" in ldd.stdout + ldd.stderr
          and (f is None or "statically linked" in f.stdout), ldd.stdout + ldd.stderr + (f.stdout if f else ""))
    secret_dir = tempfile.mkdtemp(prefix="pv-static-")
    secret = os.path.join(secret_dir, "secret")
    with open(secret, "w") as f:
        f.write("readable natively\n")
    try:
        ran = subprocess.run([binary, "run", "--policy", "ci", "--quiet", "--", "/bin/sh", "-c",
                              f"echo static; cat {secret}"], capture_output=True, text=True, timeout=60, cwd=h.ROOT)
    finally:
        shutil.rmtree(secret_dir, ignore_errors=True)
    check("the static binary runs a program under the ci sandbox (and refuses what ci refuses)",
          ran.stdout == "static\n" and "Permission denied" in ran.stderr and ran.returncode == 1,
          ran.stdout + ran.stderr)


def groups(harness):
    global h
    h = harness
    return [demo, man_page, completions, doctor, environments, newcomer_errors, readme_examples, install, package]
