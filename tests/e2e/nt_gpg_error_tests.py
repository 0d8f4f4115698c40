"""Debian's prebuilt gpg-error.exe (libgpg-error-mingw-w64-dev: gpg-error.exe and libgpg-error-0.dll, built
by Debian with mingw-w64) under picovisor (imported by run.py, which passes itself as h). It imports
kernel32, msvcrt, advapi32, user32 and ws2_32; what it prints is compared with the same library built for
Linux (Debian's libgpg-error0, the same version, through ctypes): each code's source and description, and
the version. Runs under the default Windows build and under `--policy ci`.

A Windows program runs only if every function it imports is exported: while picovisor's DLLs lack one,
the group is a SKIP naming what is missing (as the loader names it), never a pass."""
import ctypes
import ctypes.util
import os
import re
import shutil
import subprocess

import nt_tests

h = None
MINGW_BIN = "/usr/x86_64-w64-mingw32/bin"
FILES = ["gpg-error.exe", "libgpg-error-0.dll"]


def check(name, ok, detail=""):
    h.report(name, bool(ok), detail)


def linux_library():
    """The Linux build of the same library: (strerror, strsource, version) or None."""
    name = ctypes.util.find_library("gpg-error") or "libgpg-error.so.0"
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        return None
    for f in (lib.gpg_strerror, lib.gpg_strsource, lib.gpg_error_check_version):
        f.restype = ctypes.c_char_p
    lib.gpg_strerror.argtypes = [ctypes.c_uint]
    lib.gpg_strsource.argtypes = [ctypes.c_uint]
    lib.gpg_error_check_version.argtypes = [ctypes.c_char_p]
    return (lambda c: lib.gpg_strerror(c).decode(), lambda c: lib.gpg_strsource(c).decode(),
            lib.gpg_error_check_version(None).decode())


# "CODE = (SOURCE, ERR) = (SYMBOL, SYMBOL) = (source text, description)"; --list shows a part it leaves out as "-"
LINE = re.compile(r"^(\d+) = \((\d+|-), (\d+|-)\) = \(([\w-]+), ([\w-]+)\) = \((.*), (.*)\)$")


def wrong_lines(out, lib, codes=None):
    """The lines of `gpg-error CODE...` or `--list` that disagree with the Linux library (empty: all agree)."""
    lines = [l.rstrip("\r") for l in out.splitlines() if l.strip()]
    wrong = []
    if codes is not None and [int(l.split(" ", 1)[0]) for l in lines if l[:1].isdigit()] != codes:
        wrong.append(f"codes {codes} expected, lines: {lines[:5]}")
    for l in lines:
        m = LINE.match(l)
        if not m:
            wrong.append(f"not a code line: {l!r}")
            continue
        code = int(m.group(1))
        source, err = (code >> 24) & 0x7F, code & 0xFFFF
        if (m.group(2) != "-" and int(m.group(2)) != source) or (m.group(3) != "-" and int(m.group(3)) != err):
            wrong.append(f"{l!r}: (source, code) should be ({source}, {err})")
        if m.group(6) != "-" and m.group(6) != lib[1](code):
            wrong.append(f"{l!r}: the source should be {lib[1](code)!r}")
        # a system error (GPG_ERR_SYSTEM_ERROR, bit 15) is described by the platform's C runtime, not the library
        if m.group(7) != "-" and not err & 0x8000 and m.group(7) != lib[0](code):
            wrong.append(f"{l!r}: the description should be {lib[0](code)!r}")
    return wrong


def missing_imports(stderr):
    """The export the loader could not find (its message), or None."""
    m = re.search(r"the procedure entry point (\S+) could not be located in the DLL (\S+)", stderr)
    if m:
        return f"{m.group(2)} {m.group(1)}"
    m = re.search(r"(\S+\.dll) was not found", stderr)
    return m.group(1) if m else None


def all_missing(exe_dir):
    """Every import of the program and its DLL that picovisor's DLLs do not export (objdump), as text."""
    objdump = shutil.which("x86_64-w64-mingw32-objdump")
    sysdlls = os.path.join(h.ROOT, "build", "sysdlls")
    if not objdump or not os.path.isdir(sysdlls):
        return ""
    imports, exports = set(), set()
    for f in FILES:
        dll = None
        for l in subprocess.run([objdump, "-p", os.path.join(exe_dir, f)], capture_output=True, text=True).stdout.splitlines():
            m = re.match(r"\s*DLL Name: (\S+)", l)
            if m:
                dll = m.group(1).lower()
            m = re.match(r"\t[0-9a-f]+\t +\d+  (\S+)", l)
            if m and dll and os.path.exists(os.path.join(sysdlls, dll)):
                imports.add((dll, m.group(1)))
    for dll in {d for d, _ in imports}:
        table = False
        for l in subprocess.run([objdump, "-p", os.path.join(sysdlls, dll)], capture_output=True, text=True).stdout.splitlines():
            if "[Ordinal/Name Pointer] Table" in l:
                table = True
            elif table and re.match(r"\s+\[\s*\d+\] \S+", l):
                exports.add((dll, l.split()[-1]))
    return ", ".join(f"{d} {n}" for d, n in sorted(imports - exports))


def nt_gpg_error():
    if nt_tests.skipped_without_programs("gpg-error.exe"):
        return
    if not all(os.path.exists(os.path.join(MINGW_BIN, f)) for f in FILES):
        h.report("nt gpg-error.exe", None, "libgpg-error-mingw-w64-dev is not installed")
        return
    lib = linux_library()
    if lib is None:
        h.report("nt gpg-error.exe", None, "the Linux libgpg-error (libgpg-error0) to compare with is not installed")
        return
    d = nt_tests.scratch(lambda d: [shutil.copy2(os.path.join(MINGW_BIN, f), d) for f in FILES])
    try:
        for mode, extra in [("", []), (", --policy ci", ["--policy", "ci"])]:
            r = nt_tests.run([h.pv(), "run", *extra, "--", "./gpg-error.exe", "--version"], d)
            if r is None:
                check(f"nt gpg-error.exe --version{mode}", False, "  timed out")
                continue
            missing = missing_imports(r[1])
            if r[2] in (0x35, 0x39) and missing:
                everything = all_missing(d)
                h.report(f"nt gpg-error.exe (Debian's libgpg-error-mingw-w64-dev){mode}", None,
                         f"picovisor's DLLs lack what it imports: {everything or missing}")
                continue
            first = r[0].replace("\r", "").splitlines()[:1]
            check(f"nt gpg-error.exe --version{mode}: the version of the Linux build of libgpg-error ({lib[2]})",
                  r[2] == 0 and first == [f"gpg-error (libgpg-error) {lib[2]}"], r)
            r = nt_tests.run([h.pv(), "run", *extra, "--", "./gpg-error.exe", "1", "2", "17"], d)
            wrong = wrong_lines(r[0], lib, [1, 2, 17]) if r else ["timed out"]
            check(f"nt gpg-error.exe 1 2 17{mode}: each code's source and description as the Linux library gives them",
                  r is not None and r[2] == 0 and not wrong, "  " + "\n  ".join(wrong[:10]) + f"\n  {r}")
            r = nt_tests.run([h.pv(), "run", *extra, "--", "./gpg-error.exe", "--list"], d)
            wrong = wrong_lines(r[0], lib) if r else ["timed out"]
            count = len(r[0].splitlines()) if r else 0
            check(f"nt gpg-error.exe --list{mode}: every code ({count}) agrees with the Linux library",
                  r is not None and r[2] == 0 and count > 500 and not wrong, "  " + "\n  ".join(wrong[:10]) + f"\n  {r and r[1][-500:]}")
    finally:
        shutil.rmtree(d, ignore_errors=True)


def groups(harness):
    global h
    h = harness
    return [nt_gpg_error]
