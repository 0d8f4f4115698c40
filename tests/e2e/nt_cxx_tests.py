"""End-to-end tests of C++ programs on the NT personality (imported by run.py, which passes itself as h).

tests/nt/cxx/cxx_exceptions.cpp (exceptions across functions, across the DLL cxx_lib.dll both ways, inside
and out of a std::thread, rethrown, destructors during unwinding) and cxx_uncaught.cpp (std::terminate ->
abort) are built with mingw-w64's g++ four ways: linked statically (-static) and against the runtime DLLs
(libstdc++-6.dll, libgcc_s_seh-1.dll, and libwinpthread-1.dll for the posix thread model, copied next to the
program), each with the win32 and the posix thread model; and once for Linux. Each runs under picovisor
plainly and under --policy ci: cxx_exceptions' output and status must be the Linux build's; cxx_uncaught
ends with msvcrt's abort status 3 and libstdc++'s own message. A variant that stops at a kernel32 export not
written yet (nt_dll_tests.NOT_WRITTEN_YET) is a SKIP naming the export; anything else it does is judged."""
import atexit
import concurrent.futures
import os
import shutil
import subprocess
import tempfile

import nt_dll_tests
import nt_tests

h = None
GCC_DIR = "/usr/lib/gcc/x86_64-w64-mingw32/12-{}"
WINPTHREAD = "/usr/x86_64-w64-mingw32/lib/libwinpthread-1.dll"
VARIANTS = [(link, model) for link in ("static", "dynamic") for model in ("win32", "posix")]
MODES = [("", []), (" --policy ci", ["--policy", "ci"])]
_built = {}


def runtime_dlls(model):
    dlls = [os.path.join(GCC_DIR.format(model), n) for n in ("libstdc++-6.dll", "libgcc_s_seh-1.dll")]
    return dlls + [WINPTHREAD] if model == "posix" else dlls


def build_variant(src, out, link, model):
    """cxx_lib.dll and the two programs of one variant into out: None, or what failed."""
    cxx = f"x86_64-w64-mingw32-g++-{model}"
    static = ["-static"] if link == "static" else []
    steps = [[cxx, "-O1", "-shared", *static, "-o", os.path.join(out, "cxx_lib.dll"), os.path.join(src, "cxx_lib.cpp"),
              "-Wl,--out-implib," + os.path.join(out, "libcxx_lib.a")],
             [cxx, "-O1", *static, "-o", os.path.join(out, "cxx_exceptions.exe"), os.path.join(src, "cxx_exceptions.cpp"),
              "-L" + out, "-lcxx_lib"],
             [cxx, "-O1", *static, "-o", os.path.join(out, "cxx_uncaught.exe"), os.path.join(src, "cxx_uncaught.cpp")]]
    for argv in steps:
        r = subprocess.run(argv, capture_output=True, text=True)
        if r.returncode:
            return f"{' '.join(argv)}: {r.stderr[-800:]}"
    if link == "dynamic":
        for f in runtime_dlls(model):
            shutil.copy2(f, out)
    return None


def built():
    """(directory, None) with a folder per variant and the Linux build, or (None, why) once per run."""
    if "dir" in _built:
        return _built["dir"], _built["err"]
    need = [f"x86_64-w64-mingw32-g++-{m}" for m in ("win32", "posix")] + ["c++"]
    missing = [n for n in need if not shutil.which(n)]
    missing += [f for m in ("win32", "posix") for f in runtime_dlls(m) if not os.path.exists(f)]
    if missing:
        _built["dir"], _built["err"] = None, f"missing: {' '.join(missing)} (make deps)"
        return _built["dir"], _built["err"]
    d = tempfile.mkdtemp(prefix="pv-ntcxx-")
    atexit.register(shutil.rmtree, d, True)
    src = os.path.join(h.ROOT, "tests", "nt", "cxx")
    jobs = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for link, model in VARIANTS:
            out = os.path.join(d, f"{link}-{model}")
            os.makedirs(out)
            jobs[(link, model)] = pool.submit(build_variant, src, out, link, model)
        linux = pool.submit(subprocess.run, ["c++", "-O1", "-pthread", "-o", os.path.join(d, "cxx_exceptions"),
                                             os.path.join(src, "cxx_exceptions.cpp"), os.path.join(src, "cxx_lib.cpp")],
                            capture_output=True, text=True)
        errs = [j.result() for j in jobs.values() if j.result()]
        if linux.result().returncode:
            errs.append("Linux build: " + linux.result().stderr[-800:])
    for root, dirs, files in os.walk(d):
        for n in dirs + files:
            os.chmod(os.path.join(root, n), 0o755)
    os.chmod(d, 0o755)
    _built["dir"], _built["err"] = (None, "\n".join(errs)) if errs else (d, None)
    return _built["dir"], _built["err"]


def run_variant(d, variant, prog, extra):
    """prog of a variant (with its DLLs) in a fresh directory mapped as C:: (stdout, stderr, status) or None."""
    w = nt_tests.scratch(lambda s: [shutil.copy2(os.path.join(d, variant, f), s)
                                    for f in os.listdir(os.path.join(d, variant)) if not f.endswith(".a")])
    try:
        return nt_tests.run([h.pv(), "run", *extra, "--drive", f"C:={w}", "--", "./" + prog], w)
    finally:
        shutil.rmtree(w, ignore_errors=True)


def skip_reason(variant, r):
    return nt_dll_tests.not_written_yet("cxx_" + variant.replace("-", "_"), r[1]) if r else None


def nt_cxx_exceptions():
    if nt_tests.skipped_without_programs("C++ programs"):
        return
    d, err = built()
    if not d:
        h.report("nt C++ programs: built with mingw-w64 g++ (win32, posix) and for Linux",
                 None if err.startswith("missing") else False, err)
        return
    n = nt_tests.scratch(lambda s: shutil.copy2(os.path.join(d, "cxx_exceptions"), s))
    try:
        native = nt_tests.run(["./cxx_exceptions"], n)
    finally:
        shutil.rmtree(n, ignore_errors=True)
    for link, model in VARIANTS:
        variant = f"{link}-{model}"
        for label, extra in MODES:
            r = run_variant(d, variant, "cxx_exceptions.exe", extra)
            name = f"nt C++ exceptions ({link}, {model} threads) as the Linux build: output and status{label}"
            if skip_reason(variant, r):
                h.report(name, None, skip_reason(variant, r))
                continue
            same = (r is not None and native is not None and r[0].replace("\r\n", "\n") == native[0]
                    and r[2] == native[2] == 3 and r[1] == native[1])
            h.report(name, same, f"  picovisor: {r}\n  Linux:     {native}")


def nt_cxx_uncaught():
    if nt_tests.skipped_without_programs("C++ programs"):
        return
    d, err = built()
    if not d:
        h.report("nt an uncaught C++ exception", None if err.startswith("missing") else False, err)
        return
    for link, model in VARIANTS:
        variant = f"{link}-{model}"
        for label, extra in MODES:
            r = run_variant(d, variant, "cxx_uncaught.exe", extra)
            name = (f"nt an uncaught C++ exception ({link}, {model} threads): std::terminate's message, "
                    f"msvcrt's abort status 3, no destructor{label}")
            if skip_reason(variant, r):
                h.report(name, None, skip_reason(variant, r))
                continue
            ok = (r is not None and r[2] == 3 and r[0].replace("\r\n", "\n") == "before\n"
                  and "terminate called after throwing an instance of 'std::runtime_error'" in r[1]
                  and "what():  nobody catches this" in r[1] and "unhandled exception" not in r[1])
            h.report(name, ok, f"  {r}")


def groups(harness):
    global h
    h = harness
    nt_tests.h = harness
    nt_dll_tests.h = harness
    return [nt_cxx_exceptions, nt_cxx_uncaught]
