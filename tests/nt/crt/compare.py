#!/usr/bin/env python3
"""Checks picovisor's msvcrt.dll (translate/nt/dlls/msvcrt/).

1. Its export table holds exactly the names of msvcrt.def (nothing the linker added, no
   accidental extra), each a name mingw-w64's import library for msvcrt.dll declares, and it
   imports from KERNEL32.dll alone.
2. The C programs of this directory, built with mingw-w64 (calling msvcrt's own printf:
   __USE_MINGW_ANSI_STDIO=0), run under Wine twice: with our msvcrt.dll next to the program
   (WINEDLLOVERRIDES=msvcrt=n) and with Wine's builtin one. Their output and exit status must
   agree, and agree with the same source built for Linux where the program is portable.
   Windows text mode writes "\\r\\n": line ends are compared as "\\n".

Usage: tests/nt/crt/compare.py [BUILD_DIR]   (make build/dlls/msvcrt.dll first; BUILD_DIR defaults to build)
Without Wine, part 2 is skipped and says so. Exit status 1 when a check fails.
"""
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
DEF = os.path.join(ROOT, "translate", "nt", "dlls", "msvcrt", "msvcrt.def")
MINGW_CC = "x86_64-w64-mingw32-gcc"
OBJDUMP = "x86_64-w64-mingw32-objdump"
MINGW_IMPORT_LIB = "/usr/x86_64-w64-mingw32/lib/libmsvcrt.a"
MINGW_CXX = "x86_64-w64-mingw32-g++-posix"
WMAIN = {"wide_args"}  # programs with wmain: mingw's wide startup, which calls __wgetmainargs
# The C++ runtime DLLs (Debian's mingw-w64 packages) a dynamically linked C++ program loads; they import msvcrt.dll.
CXX_DLLS = ["/usr/lib/gcc/x86_64-w64-mingw32/12-posix/libstdc++-6.dll",
            "/usr/lib/gcc/x86_64-w64-mingw32/12-posix/libgcc_s_seh-1.dll",
            "/usr/x86_64-w64-mingw32/lib/libwinpthread-1.dll"]

# name, arguments, extra environment, compare with the Linux build too, compare with Wine's msvcrt too
# (args_env_exit passes UTF-8 text: ours gives it as UTF-8, the ANSI code page picovisor's kernel32 has;
# Wine's msvcrt gives it in Wine's ANSI code page, 1252, so only the Linux build is its reference)
CASES = [
    ("printf_msvcrt", [], {}, False, True),
    ("stdio_files", [], {}, True, True),
    ("strings", [], {}, True, True),
    ("math", [], {}, True, True),
    ("scan_threads", [], {"TZ": "UTC"}, True, True),
    ("dirs_stat", [], {}, True, True),
    ("jumps", [], {}, True, True),
    ("fault_signal", [], {}, True, True),
    ("abort_status", [], {}, False, True),
    ("wide_args", ["plain", "two words", 'q"uote', "tail\\"], {"CRT_WIDE_VAR": "wide value"}, True, True),
    ("cxx_runtime", ["b", "a", "b"], {}, True, True),
    ("args_env_exit", ["two words", 'say "hi"', "back\\slash", "caf\u00e9", "7"],
     {"CRT_TEST_VAR": "some value \u00fc"}, True, False),
]


def def_names():
    names = []
    with open(DEF) as f:
        in_exports = False
        for line in f:
            line = line.split(";")[0].strip()
            if not line:
                continue
            if line == "EXPORTS":
                in_exports = True
            elif in_exports:
                names.append(line.split()[0])
    return names


def pe_exports_imports(dll):
    """(exported names, {dll: [imported names]}) read with objdump -p."""
    text = subprocess.run([OBJDUMP, "-p", dll], capture_output=True, text=True, check=True).stdout
    exports, imports, current, section = [], {}, None, None
    for line in text.splitlines():
        if line.startswith("[Ordinal/Name Pointer] Table"):
            section = "exports"
            continue
        m = re.match(r"\s*DLL Name: (\S+)", line)
        if m:
            section, current = "imports", m.group(1)
            imports[current] = []
            continue
        if section == "exports":
            m = re.match(r"\s*\[\s*\d+\]\s+(\S+)", line)
            if m:
                exports.append(m.group(1))
            elif line.strip() == "":
                section = None
        elif section == "imports" and current:
            m = re.match(r"\s*[0-9a-f]+\s+\d+\s+(\S+)", line)
            if m:
                imports[current].append(m.group(1))
    return exports, imports


def mingw_declared_names():
    """The names mingw-w64's libmsvcrt.a imports from msvcrt.dll (None when it is not installed)."""
    if not os.path.exists(MINGW_IMPORT_LIB):
        return None
    out = subprocess.run(["x86_64-w64-mingw32-nm", MINGW_IMPORT_LIB], capture_output=True, text=True).stdout
    return {l.split()[2][len("__imp_"):] for l in out.splitlines()
            if len(l.split()) == 3 and l.split()[1] == "I" and l.split()[2].startswith("__imp_")}


def check_exports(dll, report):
    exports, imports = pe_exports_imports(dll)
    want = def_names()
    extra, missing = sorted(set(exports) - set(want)), sorted(set(want) - set(exports))
    report("msvcrt: the export table is exactly msvcrt.def", not extra and not missing and len(exports) == len(want),
           f"exported but not in msvcrt.def: {extra}\nin msvcrt.def but not exported: {missing}")
    declared = mingw_declared_names()
    if declared is None:
        report("msvcrt: every export is a name of mingw-w64's import library", None, f"{MINGW_IMPORT_LIB} is missing")
    else:
        unknown = sorted(set(want) - declared)
        report("msvcrt: every export is a name of mingw-w64's import library", not unknown, f"unknown names: {unknown}")
    dlls = sorted(k.upper() for k in imports)
    report("msvcrt: imports KERNEL32.dll alone", dlls == ["KERNEL32.DLL"], f"imports from {dlls}")


def source(name):
    for ext in (".c", ".cc"):
        if os.path.exists(os.path.join(HERE, name + ext)):
            return os.path.join(HERE, name + ext)
    raise FileNotFoundError(name)


def cxx_ready():
    return shutil.which(MINGW_CXX) and all(os.path.exists(d) for d in CXX_DLLS)


def build(outdir):
    """Builds each case for Windows and (where portable) for Linux; returns an error text or None.
    C++ cases need mingw-w64's POSIX-threads g++ and its runtime DLLs: without them they are left out."""
    for name, _, _, linux, _ in CASES:
        src = source(name)
        cxx = src.endswith(".cc")
        if cxx and not cxx_ready():
            continue
        win = [MINGW_CXX, "-O1", "-Wall"] if cxx else [MINGW_CC, "-O1", "-Wall", "-fno-builtin", "-D__USE_MINGW_ANSI_STDIO=0"]
        if name in WMAIN:
            win.append("-municode")
        r = subprocess.run(win + ["-o", os.path.join(outdir, name + ".exe"), src], capture_output=True, text=True)
        if r.returncode:
            return f"{name}.exe: {r.stderr}"
        if linux:
            native = ["c++", "-O1", "-Wall", "-pthread"] if cxx else ["cc", "-O1", "-Wall", "-fno-builtin", "-pthread"]
            r = subprocess.run(native + ["-o", os.path.join(outdir, name), src, "-lm"], capture_output=True, text=True)
            if r.returncode:
                return f"{name} (Linux): {r.stderr}"
    return None


def wine_env(prefix):
    env = dict(os.environ, WINEPREFIX=prefix, WINEDEBUG="-all", LANG="C.UTF-8")
    env.pop("WINEDLLOVERRIDES", None)
    return env


def run(cmd, cwd, env):
    """(exit status, stdout with "\r\n" as "\n"); a run that hangs is (None, what it wrote)."""
    try:
        r = subprocess.run(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
    except subprocess.TimeoutExpired as e:
        return None, (e.stdout or b"").replace(b"\r\n", b"\n") + b"\n[timed out after 120 s]"
    return r.returncode, r.stdout.replace(b"\r\n", b"\n")


def compare_programs(outdir, dll, report):
    wine = shutil.which("wine64") or shutil.which("wine")
    if not wine:
        report("msvcrt: programs under Wine with our msvcrt.dll and with Wine's", None, "wine is not installed")
        return
    prefix = tempfile.mkdtemp(prefix="pv-crt-wine-")
    try:
        subprocess.run([wine, "wineboot", "-i"], env=wine_env(prefix), stdin=subprocess.DEVNULL,
                       capture_output=True, timeout=300)
        # Our msvcrt.dll for our copies of the programs only (NAME-ours.exe), through the per-program
        # overrides of the registry: with WINEDLLOVERRIDES, Wine's own helpers (wineboot, started when
        # the prefix wants updating) would get our msvcrt.dll too, fail, and leave the program waiting.
        reg = os.path.join(prefix, "crt-overrides.reg")
        with open(reg, "w") as f:
            f.write("REGEDIT4\n\n")
            for name in [c[0] for c in CASES]:
                f.write(f'[HKEY_CURRENT_USER\\Software\\Wine\\AppDefaults\\{name}-ours.exe\\DllOverrides]\n"msvcrt"="native"\n\n')
        subprocess.run([wine, "regedit", "/S", reg], env=wine_env(prefix), stdin=subprocess.DEVNULL,
                       capture_output=True, timeout=300)
        subprocess.run(["wineserver", "-w"], env=wine_env(prefix), capture_output=True, timeout=300)
        def run_one(job):
            name, args, extra, who, cxx = job
            d = tempfile.mkdtemp(prefix=f"pv-crt-{who}-")
            try:
                if who == "linux":
                    shutil.copy2(os.path.join(outdir, name), d)
                    return run([os.path.join(d, name)] + args, d, dict(os.environ, **extra))
                exe = name + ("-ours.exe" if who == "ours" else ".exe")
                shutil.copy2(os.path.join(outdir, name + ".exe"), os.path.join(d, exe))
                if cxx:
                    for dll_file in CXX_DLLS:
                        shutil.copy2(dll_file, d)
                if who == "ours":
                    shutil.copy2(dll, d)
                return run([wine, os.path.join(d, exe)] + args, d, dict(wine_env(prefix), **extra))
            finally:
                shutil.rmtree(d, ignore_errors=True)

        # the override works: our copy of a program loads our msvcrt.dll (native), not Wine's
        probe = CASES[0][0]
        d = tempfile.mkdtemp(prefix="pv-crt-probe-")
        try:
            shutil.copy2(os.path.join(outdir, probe + ".exe"), os.path.join(d, probe + "-ours.exe"))
            shutil.copy2(dll, d)
            env = dict(wine_env(prefix), WINEDEBUG="+loaddll")
            try:
                p = subprocess.run([wine, os.path.join(d, probe + "-ours.exe")], cwd=d, env=env, stdin=subprocess.DEVNULL,
                                   capture_output=True, timeout=120)
                loaded = [l for l in p.stderr.decode(errors="replace").splitlines()
                          if "pv-crt-probe-" in l and "msvcrt.dll" in l and "Loaded" in l]
                if not loaded:
                    loaded = ["no msvcrt.dll loaded from the program's directory; Wine said:"] + \
                        p.stderr.decode(errors="replace").splitlines()[-30:]
            except subprocess.TimeoutExpired:
                loaded = ["timed out"]
        finally:
            shutil.rmtree(d, ignore_errors=True)
        report(f"msvcrt: Wine loads our msvcrt.dll for {probe}-ours.exe",
               len(loaded) == 1 and loaded[0].endswith(": native"), "\n".join(loaded))

        jobs, cases = [], []
        for name, args, extra, linux, with_wine in CASES:
            cxx = source(name).endswith(".cc")
            if cxx and not cxx_ready():
                report(f"msvcrt: {name}.exe (C++ runtime DLLs over our msvcrt.dll)", None,
                       f"{MINGW_CXX} or the C++ runtime DLLs are missing")
                continue
            whos = ["ours", "wine"] + (["linux"] if linux else [])
            cases.append((name, linux, with_wine, whos))
            jobs += [(name, args, extra, who, cxx) for who in whos]
        # two at a time: Wine's start-up is most of the time, and mostly waiting
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            outputs = dict(zip([(j[0], j[3]) for j in jobs], pool.map(run_one, jobs)))
        for name, linux, with_wine, whos in cases:
            results = {who: outputs[(name, who)] for who in whos}
            ours = results["ours"]
            detail = "\n".join(f"--- {who}: exit {rc}\n{out.decode('utf-8', 'replace')}" for who, (rc, out) in results.items())
            if with_wine:
                report(f"msvcrt: {name}.exe with our msvcrt.dll = with Wine's", ours == results["wine"], detail)
            if linux:
                report(f"msvcrt: {name}.exe with our msvcrt.dll = {name} built for Linux", ours == results["linux"], detail)
    finally:
        subprocess.run(["wineserver", "-k"], env=wine_env(prefix), capture_output=True)
        shutil.rmtree(prefix, ignore_errors=True)


def main():
    build_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build")
    dll = os.path.join(build_dir, "dlls", "msvcrt.dll")
    failed = []

    def report(name, ok, detail=""):
        if ok is None:
            print(f"SKIP {name}: {detail}")
        elif ok:
            print(f"ok   {name}")
        else:
            failed.append(name)
            print(f"FAIL {name}\n{detail}")

    if not os.path.exists(dll):
        print(f"{dll} is missing: run 'make build/dlls/msvcrt.dll'")
        return 1
    check_exports(dll, report)
    outdir = tempfile.mkdtemp(prefix="pv-crt-build-")
    try:
        err = build(outdir)
        if err:
            report("msvcrt: the test programs build", False, err)
        else:
            compare_programs(outdir, dll, report)
    finally:
        shutil.rmtree(outdir, ignore_errors=True)
    print(f"{len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
