"""End-to-end checks of picovisor's msvcrt.dll (imported by run.py, which passes itself as h).

The checks are those of tests/nt/crt/compare.py: the DLL's export table is exactly msvcrt.def and it
imports KERNEL32 alone; the C programs of tests/nt/crt/ give the same output and exit status with our
msvcrt.dll as with Wine's builtin one and as the same source built for Linux. Until picovisor loads
DLLs, the programs run under Wine (a SKIP with the reason when Wine is not installed). They run in
the root pass only: the Wine prefix belongs to one user."""
import importlib.util
import os
import shutil
import tempfile

h = None


def load_compare():
    path = os.path.join(h.ROOT, "tests", "nt", "crt", "compare.py")
    spec = importlib.util.spec_from_file_location("crt_compare", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def nt_crt():
    dll = os.path.join(h.ROOT, "build", "dlls", "msvcrt.dll")
    if not os.path.exists(dll):
        h.report("msvcrt: our msvcrt.dll", None, "build/dlls/msvcrt.dll was not built (mingw-w64 missing)")
        return
    if h.AS_USER:
        h.report("msvcrt: programs under Wine", None, "run in the root pass only (the Wine prefix is per user)")
        return
    crt = load_compare()
    if not shutil.which(crt.OBJDUMP):
        h.report("msvcrt: the export table", None, f"{crt.OBJDUMP} is missing")
    else:
        crt.check_exports(dll, h.report)
    outdir = tempfile.mkdtemp(prefix="pv-crt-build-")
    try:
        err = crt.build(outdir)
        if err:
            h.report("msvcrt: the test programs build", False, err)
        else:
            crt.compare_programs(outdir, dll, h.report)
    finally:
        shutil.rmtree(outdir, ignore_errors=True)


def groups(runner):
    global h
    h = runner
    return [nt_crt]
