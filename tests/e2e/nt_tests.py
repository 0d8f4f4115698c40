"""End-to-end tests of the NT personality (imported by run.py, which passes itself as h).

The PE programs of tests/nt/ (built with mingw-w64) print TAP lines and a closing "1..N"; each runs
under picovisor in a fresh directory mapped as drive C:, under both Windows builds, and must report
every check ok. Then what the runner checks from outside: the process environment (command line
quoting, image path, current directory, PATH through the drive map), direct system calls with each
build's numbers, exit statuses (NtTerminateProcess, a crash), the loader's refusals (malformed images, a fuzzed header), the trace's NT records, and the sandbox over NT file access."""
import json
import os
import random
import re
import shutil
import struct
import subprocess
import tempfile

h = None
BUILDS = ["19045", "22631"]


def check(name, ok, detail=""):
    h.report(name, bool(ok), detail)


def skipped_without_programs(group):
    """The PE programs need mingw-w64: without them the group is one SKIP with the reason, never a pass or a fail."""
    if os.path.exists(nt("files.exe")):
        return False
    h.report(f"nt: {group}", None, "mingw-w64 missing: the PE test programs were not built")
    return True


def nt(name):
    return os.path.join(h.STAGE, "progs", "nt", name)


def scratch(setup=None):
    d = tempfile.mkdtemp(prefix="pv-nt-")
    os.chmod(d, 0o777)
    if setup:
        setup(d)
    if h.AS_USER:
        subprocess.run(["chown", "-R", "65534:65534", d], check=True)
    return d


def run(argv, cwd, env=None, timeout=60):
    # setpriv by its full path: some cases give the program a PATH of their own
    full = ([shutil.which("setpriv")] + h.NOBODY[1:] if h.AS_USER else []) + argv
    e = dict(os.environ)
    e.update({"LC_ALL": "C.UTF-8", "HOME": cwd, "TMPDIR": cwd})
    if env:
        e.update(env)
    try:
        p = subprocess.run(full, cwd=cwd, capture_output=True, env=e, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    return p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace"), p.returncode


def tap_ok(out):
    """Every TAP line ok and a closing 1..N that counts them: (ok, why)."""
    lines = out.splitlines()
    oks = [l for l in lines if re.match(r"(not )?ok \d+ ", l)]
    bad = [l for l in oks if l.startswith("not ok")]
    plan = [l for l in lines if re.match(r"1\.\.\d+$", l)]
    if bad:
        return False, "\n".join("  " + l for l in bad)
    if not plan or int(plan[-1][3:]) != len(oks) or not oks:
        return False, f"  no closing count matching {len(oks)} checks"
    return True, ""


def nt_services():
    if skipped_without_programs("services"):
        return
    tap_programs(["files", "dirs", "memory", "sections", "sync", "system", "tls"])


def nt_opened():
    """opened.exe (NtOpenFile, NtQueryDirectoryFileEx, NtTerminateThread), a group of its own so that
    tests/mutants can run it alone."""
    if skipped_without_programs("opened"):
        return
    tap_programs(["opened"])


def tap_programs(progs):
    """Each TAP program under both Windows builds, in a fresh directory as drive C:."""
    for prog in progs:
        for build in BUILDS:
            d = scratch()
            try:
                r = run([h.pv(), "run", "--nt-build", build, "--drive", f"C:={d}", "--", nt(prog + ".exe")], d)
            finally:
                shutil.rmtree(d, ignore_errors=True)
            name = f"nt {prog}.exe (build {build})"
            if r is None:
                check(name, False, "  timed out")
                continue
            ok, why = tap_ok(r[0])
            check(name, ok and r[2] == 0, f"{why}\n  status {r[2]}\n  stderr: {r[1][-500:]}")


def nt_environment():
    if skipped_without_programs("environment"):
        return
    d = scratch(lambda d: (os.mkdir(os.path.join(d, "bin")), shutil.copy2(nt("system.exe"), d)))
    try:
        r = run([h.pv(), "run", "--", "./system.exe", "a b", 'q"x', "", "back\\slash\\", "tail\\"], d,
                env={"PATH": f"{d}/bin:/usr/bin:relative", "PV_TEST": "héllo"})
        sub = os.path.join(d, "bin")
        r2 = run([h.pv(), "run", "--drive", f"D:={sub}", "--", "./system.exe"], d, env={"PATH": f"{sub}:{d}"})
    finally:
        shutil.rmtree(d, ignore_errors=True)
    if r is None or r2 is None:
        check("nt environment", False, "  timed out")
        return
    out = r[0]
    check("nt command line built from argv with Windows quoting",
          'cmdline: ./system.exe "a b" "q\\"x" "" back\\slash\\ tail\\' in out, out)
    check("nt image path as a DOS path through drive C:", "image: C:\\system.exe" in out, out)
    zcwd = "Z:" + os.path.realpath(d).replace("/", "\\") + "\\"
    check("nt current directory: the working directory on Z: (rooted names mean what they mean on Linux)",
          f"curdir: {zcwd}\n" in out, out)
    check("nt PATH through the drive map (Z: the rest of the Linux tree; relative entries left out)",
          "path: C:\\bin;Z:\\usr\\bin\n" in out, out)
    check("nt environment in UTF-16 (non-ASCII shown as ?)", "pv_test: h?llo" in out, out)
    check("nt --drive D: with C: still the launch directory", f"curdir: {zcwd}\n" in r2[0] and "path: D:\\;C:\\" in r2[0],
          r2[0])


def nt_dispatch():
    if skipped_without_programs("dispatch"):
        return
    for build in BUILDS:
        d = scratch()
        try:
            r = run([h.pv(), "run", "--nt-build", build, "--", nt("direct.exe")], d)
            t = run([h.pv(), "trace", "--nt-build", build, "-o", "t.jsonl", "--", nt("direct.exe")], d)
            recs = [json.loads(l) for l in open(os.path.join(d, "t.jsonl"))] if t else []
        finally:
            shutil.rmtree(d, ignore_errors=True)
        if r is None:
            check(f"nt direct syscalls (build {build})", False, "  timed out")
            continue
        check(f"nt direct syscalls with the numbers of build {build}, no imports",
              r[2] == 42 and f"build {build}" in r[0] and "not ok" not in r[0] and r[0].count("ok -") == 3, r[0])
        calls = [x for x in recs if x.get("type") == "syscall"]
        unknown = [x for x in calls if x.get("name", "").startswith("NtUnknown")]
        mutant = [x for x in calls if x.get("name") == "NtCreateMutant"]
        check(f"nt trace names the build's services and unknown numbers (build {build})",
              mutant and mutant[0]["nr"] == (0xB8 if build == "22631" else 0xB4) and
              unknown and unknown[0].get("err") == "STATUS_INVALID_SYSTEM_SERVICE", json.dumps(calls)[:800])


def nt_exits():
    if skipped_without_programs("exits"):
        return
    d = scratch()
    try:
        r = run([h.pv(), "run", "--", nt("status.exe")], d)
        t = run([h.pv(), "trace", "-o", "t.jsonl", "--", nt("status.exe")], d)
        st = [json.loads(l) for l in open(os.path.join(d, "t.jsonl"))]
        c = run([h.pv(), "run", "--", nt("crash.exe")], d)
        ct = run([h.pv(), "trace", "-o", "c.jsonl", "--", nt("crash.exe")], d)
        cr = [json.loads(l) for l in open(os.path.join(d, "c.jsonl"))]
        rep = run([h.pv(), "run", "--policy", "none", "--report", "r.json", "--", nt("status.exe")], d)
        report = json.load(open(os.path.join(d, "r.json")))
    finally:
        shutil.rmtree(d, ignore_errors=True)
    term = [x for x in st if x.get("name") == "NtTerminateProcess"]
    ex = [x for x in st if x.get("type") == "exit"]
    check("nt NtTerminateProcess(0xC0000135): exit status 0x35", r and r[2] == 0x35 and r[0] == "ending\n", r)
    check("nt the trace carries the whole NTSTATUS", term and term[0]["args"]["ExitStatus"] == "0xc0000135" and
          ex and ex[0].get("ntstatus") == "0xc0000135", json.dumps(term + ex))
    check("nt the report carries the whole NTSTATUS", report.get("nt_status") == "0xc0000135", json.dumps(report)[:600])
    check("nt a crash nobody handles ends the run with 0xC0000005's low byte (5) and ntdll's line naming it",
          c and c[2] == 5 and c[0] == "before the fault\n" and "unhandled exception 0xc0000005" in c[1], c)
    cex = [x for x in cr if x.get("type") == "exit"]
    check("nt a crash is STATUS_ACCESS_VIOLATION in the trace",
          cex and cex[0].get("ntstatus_name") == "STATUS_ACCESS_VIOLATION", json.dumps(cex))


def pe_bytes():
    with open(nt("files.exe"), "rb") as f:
        return bytearray(f.read())


def malformed_images():
    """(name, bytes, what stderr must say)"""
    good = pe_bytes()
    lf = struct.unpack_from("<I", good, 0x3C)[0]
    opt = lf + 0x18
    cases = []

    def mutate(name, fn, say):
        b = bytearray(good)
        fn(b)
        cases.append((name, bytes(b), say))

    cases.append(("truncated to 64 bytes", bytes(good[:64]), "e_lfanew"))
    cases.append(("MZ only", b"MZ", "too short"))
    mutate("no PE signature", lambda b: b.__setitem__(slice(lf, lf + 4), b"XX\0\0"), "no PE signature")
    mutate("i386 machine", lambda b: struct.pack_into("<H", b, lf + 4, 0x14C), "not AMD64")
    mutate("e_lfanew past the end", lambda b: struct.pack_into("<I", b, 0x3C, 0x7FFFFFF0), "e_lfanew")
    mutate("PE32 magic", lambda b: struct.pack_into("<H", b, opt, 0x10B), "PE32")
    mutate("zero sections", lambda b: struct.pack_into("<H", b, lf + 6, 0), "NumberOfSections")
    mutate("SizeOfImage zero", lambda b: struct.pack_into("<I", b, opt + 0x38, 0), "SizeOfImage")
    mutate("SizeOfImage 4 GiB", lambda b: struct.pack_into("<I", b, opt + 0x38, 0xFFFFF000), "SizeOfImage")
    mutate("SectionAlignment 3", lambda b: struct.pack_into("<I", b, opt + 0x20, 3), "SectionAlignment")
    mutate("entry outside the image", lambda b: struct.pack_into("<I", b, opt + 0x10, 0x7FFFFFFF), "AddressOfEntryPoint")
    mutate("data directory outside", lambda b: struct.pack_into("<II", b, opt + 0x70 + 8, 0x7FFF0000, 0x100),
           "data directory")
    nsec = struct.unpack_from("<H", good, lf + 6)[0]
    sec0 = opt + struct.unpack_from("<H", good, lf + 20)[0]
    mutate("section data past the end of the file", lambda b: struct.pack_into("<I", b, sec0 + 20, 0x7FFF0000),
           "past the end of the file")
    mutate("sections overlapping", lambda b: struct.pack_into("<I", b, sec0 + 40 + 12, struct.unpack_from("<I", b, sec0 + 12)[0]),
           "overlaps")
    mutate("a DLL, not a program", lambda b: struct.pack_into("<H", b, lf + 22, struct.unpack_from("<H", b, lf + 22)[0] | 0x2000),
           "is a DLL")
    # an import ntdll does not export: rename NtClose to NtClosX in the import names
    i = good.find(b"NtClose\0")
    if i > 0:
        mutate("an import picovisor's ntdll lacks", lambda b: b.__setitem__(slice(i, i + 8), b"NtClosX\0"), "NtClosX")
    return cases


def nt_loader():
    if skipped_without_programs("loader"):
        return
    d = scratch()
    try:
        r = run([h.pv(), "run", "--", nt("kernel32.exe")], d)
        check("nt an image importing KERNEL32.dll runs (ntdll's loader, picovisor's kernel32): ExitProcess(3) -> 3",
              r and r[2] == 3, r)
        r = run([h.pv(), "run", "--personality", "nt", "--", "/bin/true"], d)
        check("nt --personality nt on an ELF program: 126", r and r[2] == 126 and "PE32+" in r[1], r)
        r = run([h.pv(), "run", "--", nt("system-moved.exe")], d)
        ok, why = tap_ok(r[0]) if r else (False, "timed out")
        base = re.search(r"base: (0x[0-9a-f]+)", r[0]) if r else None
        check("nt an image whose base is taken is relocated (DIR64)",
              ok and base and int(base.group(1), 16) != 0x2F0000000000, (why, r))
        for name, data, say in malformed_images():
            p = os.path.join(d, "bad.exe")
            with open(p, "wb") as f:
                f.write(data)
            os.chmod(p, 0o755)
            r = run([h.pv(), "run", "--", p], d, timeout=20)
            check(f"nt malformed image: {name} -> 126", r and r[2] == 126 and say in r[1], r)
    finally:
        shutil.rmtree(d, ignore_errors=True)


def nt_fuzzed_headers():
    """Random changes to the headers: picovisor refuses with 126 and a message, or runs the program; it never fails itself."""
    if skipped_without_programs("fuzzed headers"):
        return
    good = pe_bytes()
    rnd = random.Random(6)
    d = scratch()
    bad = []
    try:
        for i in range(40):
            b = bytearray(good)
            for _ in range(rnd.randint(1, 6)):
                b[rnd.randrange(0, 0x400)] = rnd.randrange(256)
            if rnd.random() < 0.2:
                b = b[: rnd.randrange(64, len(b))]
            p = os.path.join(d, "f.exe")
            with open(p, "wb") as f:
                f.write(b)
            os.chmod(p, 0o755)
            r = run([h.pv(), "run", "--", p], d, timeout=15)
            if r is None:
                continue  # a changed entry point may loop: the program's business
            if r[2] == 126 and "picovisor:" not in r[1]:
                bad.append((i, "126 without a message"))
            if r[2] == 125 or "internal error" in r[1]:
                bad.append((i, r[1][-300:]))
    finally:
        shutil.rmtree(d, ignore_errors=True)
    check("nt fuzzed PE headers: refused with a message or run, never a picovisor failure", not bad, repr(bad))


def nt_traced():
    if skipped_without_programs("traced"):
        return
    d = scratch()
    try:
        t = run([h.pv(), "trace", "-o", "t.jsonl", "--", nt("files.exe")], d)
        recs = [json.loads(l) for l in open(os.path.join(d, "t.jsonl"))]
        only = run([h.pv(), "trace", "-o", "o.jsonl", "-e", "NtCreateFile", "--", nt("files.exe")], d)
        only_recs = [json.loads(l) for l in open(os.path.join(d, "o.jsonl"))]
        text = run([h.pv(), "trace", "-e", "%file", "--", nt("files.exe")], d)
    finally:
        shutil.rmtree(d, ignore_errors=True)
    calls = [x for x in recs if x.get("type") == "syscall" and x.get("pers") == "nt"]
    create = [x for x in calls if x["name"] == "NtCreateFile"]
    first = create[0] if create else {}
    check("nt trace: NtCreateFile decoded (name, access, disposition, IO_STATUS_BLOCK, status)",
          first.get("abi") == "nt" and first["args"].get("ObjectAttributes") == "\\??\\C:\\a.txt" and
          "GENERIC_WRITE" in first["args"].get("DesiredAccess", "") and
          first["args"].get("CreateDisposition") == "FILE_CREATE" and
          first["args"].get("IoStatusBlock", {}).get("Information") == 2 and first.get("status") == "STATUS_SUCCESS",
          json.dumps(first))
    collision = [x for x in create if x.get("err") == "STATUS_OBJECT_NAME_COLLISION"]
    check("nt trace: a failed NtCreateFile carries its NTSTATUS name as err", collision, json.dumps(create[:3]))
    write = [x for x in calls if x["name"] == "NtWriteFile" and x["args"].get("Buffer") == "hello world"]
    check("nt trace: NtWriteFile shows its bytes", write, json.dumps([x for x in calls if x["name"] == "NtWriteFile"][:2]))
    names = {x.get("name") for x in only_recs if x.get("type") == "syscall"}
    check("nt trace -e NtCreateFile selects only it", names == {"NtCreateFile"}, repr(names))
    check("nt trace -e %file in text: NtCreateFile lines with statuses",
          text and "NtCreateFile(" in text[1] and "STATUS_OBJECT_NAME_COLLISION" in text[1] and
          "NtWriteFile(" not in text[1], text[1][-800:] if text else "timed out")


def nt_sandboxed():
    """Escape attempts: the policy's write rules hold for NT file access (Landlock on the host paths, the
    thread opens them itself), raw Linux numbers are NT services nobody serves, int 0x80 is killed."""
    if skipped_without_programs("sandboxed"):
        return
    outside = tempfile.mkdtemp(prefix="pv-nt-outside-")
    os.chmod(outside, 0o777)
    if h.AS_USER:
        subprocess.run(["chown", "65534:65534", outside], check=True)
    d = scratch()
    try:
        r = run([h.pv(), "run", "--quiet", "--policy", "ci", "--", nt("files.exe")], d)
        ok, why = tap_ok(r[0]) if r else (False, "timed out")
        check("nt under --policy ci: the file tests pass in the working directory", ok and r[2] == 0,
              (why, r and r[1][-400:]))
        r = run([h.pv(), "run", "--quiet", "--policy", "ci", "--drive", f"C:={outside}", "--", nt("escape.exe")], d)
        ok, why = tap_ok(r[0]) if r else (False, "timed out")
        check("nt hostile: no file created outside the policy, raw Linux calls refused",
              ok and r[2] == 0 and not os.path.exists(os.path.join(outside, "escape.txt")) and
              "LINUX-WRITE" not in r[0] + r[1] and "ESCAPED" not in r[0] + r[1], (why, r))
        r = run([h.pv(), "run", "--", nt("escape.exe"), "int80"], d)
        check("nt hostile: int 0x80 from an NT process kills it (159)",
              r and r[2] in (159, -31) and "int 0x80 returned" not in r[0], r)
    finally:
        shutil.rmtree(d, ignore_errors=True)
        shutil.rmtree(outside, ignore_errors=True)


def groups(harness):
    global h
    h = harness
    return [nt_services, nt_opened, nt_environment, nt_dispatch, nt_exits, nt_loader, nt_fuzzed_headers, nt_traced, nt_sandboxed]
