"""End-to-end tests of the program's own seccomp filters (imported by run.py, which passes itself as h).

Hostile: a filter of the program's own that returns SECCOMP_RET_TRACE|0 (the kernel reports the newest
filter's data word), hands calls to a listener of its own (USER_NOTIF ranks above TRACE), or answers
the calls of picovisor's loader (ERRNO|0 on mseal) must not make picovisor's checks go away. Each attempt is shown to work natively, then contained under ci and
ci with a narrowing rule. Positive: programs that sandbox themselves (ERRNO, TRAP, LOG, KILL, TSYNC,
prctl and seccomp(2)), strict mode and the kernel's errnos for bad arguments are the same natively and
under picovisor (plain, ci, traced)."""
import json
import os
import shutil
import tempfile

import sandbox_tests

h = None


def check(name, ok, detail=""):
    h.report(name, bool(ok), detail)


# name, extra argument (sandbox_tests.World.extra), does the attempt work natively, is a filter refused
ESCAPES = [("seccomp_trace", "pid", "both", True), ("seccomp_notify", None, "both", True),
           ("seccomp_listener", None, "both", True),
           # an ordinary ERRNO|0 filter on mseal, then an exec: picovisor's loader must not take its word
           ("seccomp_unseal", None, None, False),
           # a second thread flips the filter between one picovisor accepts and one it refuses: the kernel must
           # install the sealed copy picovisor judged (many refusals: their report is not checked one by one)
           ("seccomp_filter_flip", None, "both", False)]
# The errno of each refused attempt, in order (docs/policy.md, "Refusal errnos"; sandbox_tests.REFUSALS' form).
# seccomp_trace: the TRACE filter (a refused filter: EPERM), chmod of the outside file (a path rule: EACCES),
# connect to the outside unix socket (EACCES), an IPv4 socket (no promise, no path: EPERM), CLONE_UNTRACED,
# prlimit64 of a process outside, io_uring_setup, unshare(CLONE_NEWUSER) (EPERM each).
# seccomp_notify: the filter with a listener (EPERM), then its connect and chmod (EACCES).
# seccomp_unseal: contained when the exec'd image finds its scratch area sealed (no refused call of its own).
# seccomp_filter_flip: a race; each distinct errno of its refused installs once.
REFUSALS = {"seccomp_trace": "EPERM,EACCES,EACCES,EPERM,EPERM,EPERM,EPERM,EPERM",
            "seccomp_notify": "EPERM,EACCES,EACCES",
            "seccomp_listener": sandbox_tests.REFUSALS["seccomp_listener"],
            "seccomp_unseal": "-",
            # the installs that saw the TRACE version are refused (EPERM); the others install the ALLOW one
            "seccomp_filter_flip": sandbox_tests.AnyOf({"EPERM"})}


def seccomp_escapes():
    w = sandbox_tests.World()
    try:
        for name, extra, native, refused in ESCAPES:
            argv = [sandbox_tests.hostile(name), w.outside] + ([w.extra(extra)] if extra else [])
            if native == "both" or (native == "root" and not h.AS_USER):
                w.clean_launch()
                p = sandbox_tests.run(w, argv)
                check(f"hostile {name}: the attempt works natively (so the test can fail)",
                      p is not None and p.returncode == 1, p and (p.stdout + p.stderr).decode(errors="replace"))
            for label, policy in sandbox_tests.POLICIES:
                w.clean_launch()
                report = os.path.join(w.results, "report.json")
                p = sandbox_tests.run(w, [h.pv(), "run", *policy, "--report", report, "--"] + argv)
                out = (p.stdout + p.stderr).decode(errors="replace") if p else "timed out"
                ok, detail = sandbox_tests.judge(name, sandbox_tests.mode_of(policy), p and p.returncode, out,
                                                 REFUSALS)
                check(f"hostile {name}: contained under {label}", ok, detail)
                rep = json.load(open(report)) if os.path.exists(report) else {}
                if not refused:
                    continue
                refusals = [v for v in rep.get("violations", []) if v.get("syscall") == "seccomp"]
                check(f"hostile {name}: the refused filter is reported with its rule under {label}",
                      refusals and all(v.get("err") == "EPERM" or v.get("err") == 1 for v in refusals)
                      and any("SECCOMP_RET_TRACE" in v.get("rule", "") or "LISTENER" in v.get("rule", "")
                              for v in refusals), json.dumps(rep.get("violations", []))[:1500])
                st = os.stat(os.path.join(w.outside, "victim"))
                check(f"hostile {name}: the outside file keeps its mode under {label}",
                      (st.st_mode & 0o7777) == 0o666, oct(st.st_mode))
        # A trace is not a sandbox, but it must not lose calls to a listener of the program's.
        w.clean_launch()
        p = sandbox_tests.run(w, [h.pv(), "trace", "-o", "/dev/null", "--", sandbox_tests.hostile("seccomp_listener")])
        out = (p.stdout + p.stderr).decode(errors="replace") if p else "timed out"
        check("picovisor trace: a filter with a listener is refused (calls would miss the trace)",
              p is not None and "contained" in out and "refused:" in out
              and sandbox_tests.verdict_errnos(out) == REFUSALS["seccomp_listener"], out[-1500:])
        check("the process outside the run is alive after all of that", w.victim.poll() is None)
    finally:
        w.close()


SELF_SANDBOXING = ["errno", "errno-prctl", "tsync", "trap", "log", "kill", "strict", "strict-seccomp",
                   "strict-after-filter", "big", "bad-arguments"]


def seccomp_self_sandboxing():
    prog = h.prog("seccomp_self")
    d = tempfile.mkdtemp(prefix="pv-seccomp-")
    os.chmod(d, 0o777)
    try:
        for case in SELF_SANDBOXING:
            h.compare(f"own seccomp filter: {case}", [prog, case])
            h.compare(f"own seccomp filter under ci: {case}", [prog, case], pv_args=("--policy", "ci", "--quiet"))
            h.compare(f"own seccomp filter, traced: {case}", [prog, case],
                      pv_args=("--trace", os.path.join(d, "t.jsonl")))
        # A filter, then an exec: the loader's calls run under the program's filter (what the load reports is
        # checked against /proc), and the new image keeps the filter.
        for label, args in (("", ()), (" under ci", ("--policy", "ci", "--quiet"))):
            h.compare(f"own seccomp filter, then an exec{label}", [prog, "then-exec", prog, "errno"], pv_args=args)
        # picovisor itself started under a filter (a container's): every verdict is computed, nothing changes.
        native = h.run_in(d, [prog, "then-exec", prog, "errno"])
        under = h.run_in(d, [prog, "then-exec", h.pv(), "run", "--policy", "ci", "--quiet", "--", prog, "errno"])
        check("picovisor started under a seccomp filter of its environment: ci runs a self-sandboxing program "
              "as natively", native is not None and under is not None and native == under, f"{native}\n{under}")
        # Where no decision of picovisor's rests on filters, a TRACE filter goes in; a stop picovisor's own
        # filters did not ask for fails with ENOSYS, as natively without a tracer (not run: the word is not ours).
        h.compare("own seccomp filter returning TRACE: its calls fail with ENOSYS as natively", [prog, "trace-filter"])
    finally:
        shutil.rmtree(d, ignore_errors=True)


def groups(harness):
    global h
    h = harness
    sandbox_tests.h = harness
    return [seccomp_escapes, seccomp_self_sandboxing]
