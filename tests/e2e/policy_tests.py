"""End-to-end tests of the policy language's command line (imported by run.py, which passes itself as h):
parsing, errors, policy check and show. Running under a policy: sandbox_tests.py."""
import os

h = None


def check(name, ok, detail=""):
    h.report(name, bool(ok), detail)


def policy_language():
    d = h.fresh_dir(None)
    for name in ("ci", "strict", "none"):
        r = h.run_in(d, [h.pv(), "policy", "check", name])
        check(f"policy check {name}: a built-in profile is valid", r and r[2] == 0 and f"{name}: valid".encode() in r[0], str(r))
    with open(os.path.join(d, "bad.policy"), "w") as f:
        f.write("# a policy with a mistake on line 3\nprofile ci\nlimit memory 12 parsecs\n")
    with open(os.path.join(d, "good.policy"), "w") as f:
        f.write("profile ci\nnet loopback\nconnect [::1]:8080\npath r /no/such/dir\n")
    r = h.run_in(d, [h.pv(), "policy", "check", "bad.policy"])
    check("policy check: an error names FILE:LINE:COL", r and r[2] == 1 and b"bad.policy:3:17: unexpected 'parsecs'" in r[1], str(r))
    r = h.run_in(d, [h.pv(), "policy", "check", "good.policy"])
    check("policy check: a missing path is a warning, not an error",
          r and r[2] == 0 and b"good.policy:4:8: /no/such/dir" in r[1] and b"connect [::1]:8080" in r[0], str(r))
    r = h.run_in(d, [h.pv(), "policy", "show", "strict"])
    out = r[0].decode(errors="replace") if r else ""
    check("policy show: the compiled seccomp filter as PFC", r and r[2] == 0 and "pseudo filter code start" in out
          and 'filter for syscall "read"' in out and "action TRACE(1024)" in out, out[-1500:])
    r = h.run_in(d, [h.pv(), "run", "--policy", "ci", "--", "true"])
    check("run --policy ci runs a program", r and r[2] == 0, str(r))
    r = h.run_in(d, [h.pv(), "run", "--policy", "bad.policy", "--", "true"])
    check("run with a broken policy: 125 and FILE:LINE:COL", r and r[2] == 125 and b"bad.policy:3:17" in r[1], str(r))
    r = h.run_in(d, [h.pv(), "run", "--path", "rw", "--", "true"])
    check("--path without PERMS:PATH is a usage error", r and r[2] == 125 and b"PERMS:PATH" in r[1], str(r))


def groups(harness):
    global h
    h = harness
    return [policy_language]
