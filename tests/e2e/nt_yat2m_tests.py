"""Debian's prebuilt yat2m.exe (package libgpg-error-mingw-w64-dev: a mingw-w64 C program over msvcrt.dll and
KERNEL32.dll) under picovisor: it turns tests/nt/yat2m/tools.texi (two man pages and an @include) into man pages.

The expected output, tests/nt/yat2m/tools.man, is what yat2m 1.46's own source (doc/yat2m.c of libgpg-error
1.46, built for Linux) writes for the same input and date; picovisor's run must write the same, line ends as
\\r\\n (msvcrt's text mode, as on Windows). Where Wine is installed the same .exe also runs under Wine (root
pass only: one Wine prefix) and its output, byte for byte, must be picovisor's. Modes: stdout, --store (a file
per page, written by the program), standard input with --select (which writes the other pages to /dev/null: C:
is / there, as Wine's Z: is), each plainly and under --policy ci."""
import os
import shutil
import subprocess
import tempfile

import nt_tests

h = None
YAT2M = "/usr/x86_64-w64-mingw32/bin/yat2m.exe"
HERE = None
DATE = "1700000000"


def check(name, ok, detail=""):
    h.report(name, bool(ok), detail)


def setup(d):
    shutil.copy2(YAT2M, d)
    for f in ("tools.texi", "options.texi"):
        shutil.copy2(os.path.join(HERE, f), d)


def version():
    """The upstream version of the installed package (1.46 for Debian 12's 1.46-1), or None."""
    try:
        r = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "libgpg-error-mingw-w64-dev"],
                           capture_output=True, text=True)
    except OSError:
        return None
    return r.stdout.split("-")[0] if r.returncode == 0 and r.stdout else None


def read(path):
    with open(path, "rb") as f:
        return f.read()


def run_pv(d, extra, args, stdin=None):
    """picovisor run of yat2m.exe in d (C: is d): (stdout bytes, stderr, status) or None."""
    full = ([shutil.which("setpriv")] + h.NOBODY[1:] if h.AS_USER else []) + \
           [h.pv(), "run", *extra, "--", "./yat2m.exe", *args]
    try:
        p = subprocess.run(full, cwd=d, capture_output=True, timeout=60,
                           stdin=open(os.path.join(d, stdin), "rb") if stdin else subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return None
    return p.stdout, p.stderr.decode(errors="replace"), p.returncode


def run_wine(d, args, prefix, stdin=None):
    """yat2m.exe in d under Wine (one prefix for the group): (stdout bytes, status) or None."""
    wine = shutil.which("wine64") or shutil.which("wine")
    if not wine or h.AS_USER:
        return None
    env = dict(os.environ, WINEPREFIX=prefix, WINEDEBUG="-all", LC_ALL="C.UTF-8")
    try:
        p = subprocess.run([wine, "./yat2m.exe", *args], cwd=d, capture_output=True, env=env, timeout=300,
                           stdin=open(os.path.join(d, stdin), "rb") if stdin else subprocess.DEVNULL)
    except (subprocess.TimeoutExpired, OSError):
        return None
    return p.stdout, p.returncode


def nt_yat2m():
    if nt_tests.skipped_without_programs("yat2m"):
        return
    if not os.path.exists(YAT2M):
        h.report("nt yat2m.exe (Debian's libgpg-error-mingw-w64-dev) turns Texinfo into man pages", None,
                 f"{YAT2M} is not installed (Debian package libgpg-error-mingw-w64-dev)")
        return
    want = read(os.path.join(HERE, "tools.man"))
    pages = want.split(b'.\\" Created from Texinfo')
    pages = [b'.\\" Created from Texinfo' + p for p in pages if p]
    ver = version()
    wine_out = {}
    prefix = tempfile.mkdtemp(prefix="pv-wine-")
    try:
        check_modes(want, pages, ver, wine_out, prefix)
    finally:
        if shutil.which("wineserver"):
            subprocess.run(["wineserver", "-k"], env=dict(os.environ, WINEPREFIX=prefix), capture_output=True)
        shutil.rmtree(prefix, ignore_errors=True)


def check_modes(want, pages, ver, wine_out, prefix):
    golden_ok = ver == "1.46"
    for mode, extra in [("plain", []), ("--policy ci", ["--policy", "ci"])]:
        d = nt_tests.scratch(setup)
        try:
            cases = [("to standard output", ["--date", DATE, "tools.texi"], None, []),
                     ("standard input, --select pvsplit.5", ["--select", "pvsplit.5", "--date", DATE, "-"],
                      "tools.texi", ["--drive", "C:=/"])]
            for what, args, stdin, drive in cases:
                r = run_pv(d, extra + drive, args, stdin)
                name = f"nt yat2m.exe {what}: the man page yat2m's source writes ({mode})"
                expect = want if stdin is None else pages[1]
                if r is None:
                    check(name, False, "  timed out")
                    continue
                got = r[0].replace(b"\r\n", b"\n")
                if golden_ok:
                    check(name, r[2] == 0 and got == expect and b"\r\n" in r[0],
                          f"  status {r[2]}, stderr {r[1][-300:]!r}\n  got {got[:300]!r}\n  want {expect[:300]!r}")
                else:
                    h.report(name, None, f"yat2m.exe is {ver}, tools.man is 1.46's output")
                if (what, stdin) not in wine_out:
                    wine_out[(what, stdin)] = run_wine(d, args, prefix, stdin)
                w = wine_out[(what, stdin)]
                wname = f"nt yat2m.exe {what}: byte for byte what it writes under Wine ({mode})"
                if w is None:
                    h.report(wname, None, "Wine is not installed" if not (shutil.which("wine64") or shutil.which("wine"))
                             else "Wine runs in the root pass only")
                else:
                    check(wname, w[1] == r[2] and w[0] == r[0], f"  wine {w[0][:300]!r}\n  picovisor {r[0][:300]!r}")
            # --store: the program writes a file per page into its current directory
            r = run_pv(d, extra, ["--store", "--date", DATE, "tools.texi"])
            files = [os.path.join(d, f) for f in ("pvcount.1", "pvsplit.5")]
            got = [read(f).replace(b"\r\n", b"\n") if os.path.exists(f) else None for f in files]
            name = f"nt yat2m.exe --store: pvcount.1 and pvsplit.5 written, as yat2m's source writes them ({mode})"
            if golden_ok:
                check(name, r is not None and r[2] == 0 and got == pages, f"  {r}\n  got {got}")
            else:
                h.report(name, None, f"yat2m.exe is {ver}, tools.man is 1.46's output")
        finally:
            shutil.rmtree(d, ignore_errors=True)


def groups(harness):
    global h, HERE
    h = harness
    nt_tests.h = harness
    HERE = os.path.join(h.ROOT, "tests", "nt", "yat2m")
    return [nt_yat2m]
