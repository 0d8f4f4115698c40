"""End-to-end checks of picovisor's msvcrt.dll (imported by run.py, which passes itself as h).

The checks are those of tests/nt/crt/compare.py: the DLL's export table is exactly msvcrt.def and it
imports KERNEL32 alone; the C (and C++) programs of tests/nt/crt/ give the same output and exit status
with our msvcrt.dll as with Wine's builtin one and as the same source built for Linux. The Wine runs
are made in the root pass only (the Wine prefix belongs to one user) and are a SKIP without Wine.

The same programs also run under picovisor, plainly and under --policy ci, with our msvcrt.dll next
to them, compared with the Linux build; a program of nt_dll_tests.NOT_WRITTEN_YET that stops at a kernel32
export not written yet is a SKIP naming it, anything else it does is judged."""
import atexit
import importlib.util
import os
import shutil
import subprocess
import tempfile

import nt_dll_tests

h = None
BUILT = {}  # the programs, built once for both passes


def load_compare():
    path = os.path.join(h.ROOT, "tests", "nt", "crt", "compare.py")
    spec = importlib.util.spec_from_file_location("crt_compare", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def scratch():
    d = tempfile.mkdtemp(prefix="pv-crt-")
    os.chmod(d, 0o777)
    return d


def run(argv, cwd, extra_env):
    if h.AS_USER:
        subprocess.run(["chown", "-R", "65534:65534", cwd], check=True)
        argv = [shutil.which("setpriv")] + h.NOBODY[1:] + argv
    env = dict(os.environ, LC_ALL="C.UTF-8", HOME=cwd, TMPDIR=cwd, **extra_env)
    try:
        p = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, timeout=120)
    except subprocess.TimeoutExpired:
        return None
    return p.returncode, p.stdout.replace(b"\r\n", b"\n"), p.stderr.decode(errors="replace")


def under_picovisor(crt, outdir, dll):
    """Each portable program under picovisor (plain and --policy ci) = its Linux build."""
    for name, args, extra, linux, _ in crt.CASES:
        if not linux:
            continue
        cxx = crt.source(name).endswith(".cc")
        if cxx and not crt.cxx_ready():
            continue
        nd = scratch()
        try:
            shutil.copy2(os.path.join(outdir, name), nd)
            native = run([os.path.join(nd, name)] + args, nd, extra)
        finally:
            shutil.rmtree(nd, ignore_errors=True)
        for policy in ([], ["--policy", "ci"]):
            d = scratch()
            try:
                shutil.copy2(os.path.join(outdir, name + ".exe"), d)
                shutil.copy2(dll, d)
                if cxx:
                    for f in crt.CXX_DLLS:
                        shutil.copy2(f, d)
                r = run([h.pv(), "run"] + policy + ["--drive", f"C:={d}", "--", f"./{name}.exe"] + args, d, extra)
            finally:
                shutil.rmtree(d, ignore_errors=True)
            label = f"msvcrt: {name}.exe under picovisor{' --policy ci' if policy else ''} = its Linux build"
            if r is not None and nt_dll_tests.not_written_yet(name, r[2]):
                h.report(label, None, nt_dll_tests.not_written_yet(name, r[2]))
                continue
            ok = r is not None and native is not None and r[:2] == native[:2]
            h.report(label, ok, f"picovisor: {r}\nLinux: {native}")


def nt_crt():
    dll = os.path.join(h.ROOT, "build", "dlls", "msvcrt.dll")
    if not os.path.exists(dll):
        h.report("msvcrt: our msvcrt.dll", None, "build/dlls/msvcrt.dll was not built (mingw-w64 missing)")
        return
    crt = load_compare()
    if "dir" not in BUILT:
        BUILT["dir"] = tempfile.mkdtemp(prefix="pv-crt-build-")
        os.chmod(BUILT["dir"], 0o755)
        atexit.register(shutil.rmtree, BUILT["dir"], True)
        BUILT["err"] = crt.build(BUILT["dir"])
    outdir = BUILT["dir"]
    if BUILT["err"]:
        h.report("msvcrt: the test programs build", False, BUILT["err"])
        return
    if h.AS_USER:
        h.report("msvcrt: the export table and the programs under Wine", None,
                 "checked in the root pass only (the Wine prefix is per user)")
    else:
        if not shutil.which(crt.OBJDUMP):
            h.report("msvcrt: the export table", None, f"{crt.OBJDUMP} is missing")
        else:
            crt.check_exports(dll, h.report)
        try:
            crt.compare_programs(outdir, dll, h.report)
        except Exception as e:  # a broken Wine must not end the whole run
            h.report("msvcrt: programs under Wine", False, f"{type(e).__name__}: {e}")
    under_picovisor(crt, outdir, dll)


def groups(runner):
    global h
    h = runner
    return [nt_crt]
