"""End-to-end tests of picovisor's advapi32.dll, user32.dll, shell32.dll, bcrypt.dll and bcryptprimitives.dll
(imported by run.py, which passes itself as h). Each TAP program (tests/nt/advapi32.c, bcrypt.c, user32.c,
shell32.c) imports its DLL from picovisor's system directory and runs under both Windows builds and under
`--policy ci`; tests/nt/run-wine runs the same programs under Wine. A prebuilt mingw DLL (Debian's
libgpg-error-mingw-w64-dev) must find every function it imports from these DLLs."""
import os
import pwd
import re
import shutil
import subprocess

import nt_tests

h = None
BUILDS = ["19045", "22631"]
MODES = [(f"build {b}", ["--nt-build", b]) for b in BUILDS] + [("--policy ci", ["--policy", "ci"])]
PROGRAMS = [("advapi32.exe", "the registry's version keys, refusals, GetUserName, RtlGenRandom, CryptGenRandom"),
            ("bcrypt.exe", "BCryptGenRandom, ProcessPrng"),
            ("user32.exe", "a non-interactive window station's answers"),
            ("shell32.exe", "CommandLineToArgvW's quoting rules")]
OUR_DLLS = ["advapi32.dll", "user32.dll", "shell32.dll"]
PREBUILT = ["/usr/x86_64-w64-mingw32/bin/libgpg-error-0.dll"]


def check(name, ok, detail=""):
    h.report(name, bool(ok), detail)


def run_in_c(prog, extra):
    def setup(d):
        shutil.copy2(nt_tests.nt(prog), d)
    d = nt_tests.scratch(setup)
    try:
        return nt_tests.run([h.pv(), "run", *extra, "--drive", f"C:={d}", "--", "./" + prog], d)
    finally:
        shutil.rmtree(d, ignore_errors=True)


def nt_sysdll_programs():
    if nt_tests.skipped_without_programs("advapi32, user32, shell32"):
        return
    # the run's user by its passwd name: nobody in the unprivileged pass
    user = pwd.getpwuid(65534 if h.AS_USER else os.getuid()).pw_name
    for (prog, what), (mode, extra) in [(p, m) for p in PROGRAMS for m in MODES]:
        r = run_in_c(prog, extra)
        name = f"nt {prog}: {what} ({mode})"
        if r is None:
            check(name, False, "  timed out")
            continue
        ok, why = nt_tests.tap_ok(r[0])
        if prog == "advapi32.exe":
            said = re.search(r"^# user (.*)$", r[0], re.M)
            if not said or said.group(1) != user:
                ok, why = False, f"{why}\n  GetUserName said {said and said.group(1)!r}, the run's user is {user!r}"
        check(name, ok and r[2] == 0, f"{why}\n  status {r[2]}\n  stderr: {r[1][-500:]}")


def dll_table(path, what):
    """The names a PE file imports per DLL (what="imports", lower-case DLL names) or exports (what="exports")."""
    p = subprocess.run(["x86_64-w64-mingw32-objdump", "-p", path], capture_output=True, text=True)
    if p.returncode:
        return None
    if what == "exports":
        part = p.stdout.split("[Ordinal/Name Pointer] Table", 1)
        return set(re.findall(r"^\s+\[\s*\d+\]\s+(\S+)$", part[1], re.M)) if len(part) > 1 else set()
    table, dll = {}, None
    for line in p.stdout.splitlines():
        m = re.match(r"\s+DLL Name: (\S+)", line)
        if m:
            dll = m.group(1).lower()
            continue
        m = re.match(r"\s+[0-9a-f]+\s+\d+\s+(\w+)$", line)
        if dll and m:
            table.setdefault(dll, set()).add(m.group(1))
    return table


def nt_sysdll_prebuilt_imports():
    """Every function a prebuilt mingw DLL imports from advapi32, user32 or shell32 is exported by ours."""
    if not shutil.which("x86_64-w64-mingw32-objdump"):
        h.report("nt prebuilt DLLs' imports of advapi32/user32/shell32", None, "x86_64-w64-mingw32-objdump missing")
        return
    ours = {d: dll_table(os.path.join(h.ROOT, "build", "sysdlls", d), "exports") for d in OUR_DLLS}
    for path in PREBUILT:
        name = f"nt {os.path.basename(path)} finds its advapi32, user32 and shell32 imports in picovisor's DLLs"
        if not os.path.exists(path):
            h.report(name, None, f"{path} is not installed (Debian's libgpg-error-mingw-w64-dev)")
            continue
        imports = dll_table(path, "imports") or {}
        missing = [f"{d}!{f}" for d in OUR_DLLS for f in sorted(imports.get(d, ())) if f not in (ours[d] or ())]
        wanted = sum(len(imports.get(d, ())) for d in OUR_DLLS)
        check(name, wanted and not missing, f"  missing: {missing}\n  imports: {imports}")


def groups(harness):
    global h
    h = harness
    nt_tests.h = harness
    return [nt_sysdll_programs, nt_sysdll_prebuilt_imports]
