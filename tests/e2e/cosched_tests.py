"""Co-scheduling must not show (docs/architecture.md, "Co-scheduling"): a program that reads its affinity every
way it can (/proc status of the process and of the thread, sched_getaffinity, stat's processor), has a
sched_setaffinity refused while picovisor pins it, and sets its own, prints the same under `picovisor trace` (which
co-schedules a run that stops this often) as natively (imported by run.py, which passes itself as h)."""
import os

h = None


def check(name, ok, detail=""):
    h.report(name, bool(ok), detail)


def affinity_view():
    d = h.fresh_dir(None)
    native = h.run_in(d, [h.prog("affinity_view")])
    traced = h.run_in(d, [h.pv(), "trace", "-v", "-v", "-o", "/dev/null", "--", h.prog("affinity_view")])
    if len(os.sched_getaffinity(0)) < 2:
        h.report("co-scheduling: the program's view of its affinity", None, "one CPU: nothing to co-schedule")
        return
    pinned = traced and b"co-scheduling the run on CPU" in traced[1]
    if not pinned:
        # The run must stop often enough; on a machine this busy it may not have: that is not a pass.
        check("co-scheduling: the run was co-scheduled", False, "no co-scheduling message with -vv")
        return
    check("co-scheduling: /proc status, sched_getaffinity, stat processor and the program's own mask as natively",
          native and traced and native[2] == traced[2] == 0 and native[0] == traced[0]
          and b"refused set: Invalid argument" in native[0] and b"own set: taken" in native[0],
          f"native:\n{native and native[0].decode()}\ntraced:\n{traced and traced[0].decode()}")
    h.shutil.rmtree(d, ignore_errors=True)


def nt_start_pinned():
    """An NT run starts co-scheduled (its start is all stops); its program reads its /proc status through
    the Z: drive, which the supervisor opens for it, and must see the mask it was started with."""
    exe = h.prog(os.path.join("nt", "proc_status_view.exe"))
    if not os.path.exists(exe):
        h.report("co-scheduling of an NT run", None, "the PE test programs were not built (no mingw-w64)")
        return
    if len(os.sched_getaffinity(0)) < 2:
        h.report("co-scheduling of an NT run", None, "one CPU: nothing to co-schedule")
        return
    with open("/proc/self/status") as f:
        want = [l for l in f.read().splitlines() if l.startswith("Cpus_allowed_list:")]
    d = h.fresh_dir(None)
    for policy in ([], ["--policy", "ci"]):
        r = h.run_in(d, [h.pv(), "run", "-v", "-v"] + policy + ["--", exe])
        label = "co-scheduling: an NT run starts pinned" + (" (--policy ci)" if policy else "")
        check(label, r and b"co-scheduling the run on CPU" in r[1], r and r[1].decode(errors="replace")[-400:])
        got = r and r[0].decode(errors="replace").replace("\r\n", "\n").splitlines()
        check(label + ", its /proc status shows the mask it was started with", r and r[2] == 0 and got == want,
              f"  want {want!r}, got {got!r} (status {r and r[2]})")
    h.shutil.rmtree(d, ignore_errors=True)


def groups(harness):
    global h
    h = harness
    return [affinity_view, nt_start_pinned]
