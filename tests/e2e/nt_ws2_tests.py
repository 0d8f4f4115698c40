"""End-to-end tests of picovisor's ws2_32.dll (imported by run.py, which passes itself as h).

tests/nt/ws2_32.exe (TAP: a TCP echo between two threads, UDP, nonblocking connect with select, WSAPoll,
options, the WSA error codes) runs under both Windows builds and under a policy granting `net loopback`;
under `--policy ci`, which grants no inet, its sockets must be refused as a Linux program's are (EPERM,
WSAEACCES, reported as a violation). The hostile check: tests/nt/ws2_probe.exe and the Linux
tests/progs/net_probe try the same endpoints under the same policy and must get the same answers, the
endpoints the policy refuses with EACCES; natively the NT probe reaches them (so the check can fail).
192.0.2.0/24 (TEST-NET-1) is never routed."""
import os
import shutil
import socket

import nt_tests

h = None
ALLOWED = {"ok", "EINPROGRESS", "ENETUNREACH", "EHOSTUNREACH"}  # let out: what happens next is the network's


def check(name, ok, detail=""):
    h.report(name, bool(ok), detail)


def in_dir(prog, argv_extra, policy_text=None, pv_extra=()):
    """prog (a PE test program) copied into a fresh directory, run from there under picovisor."""
    def setup(d):
        shutil.copy2(nt_tests.nt(prog), d)
        if policy_text is not None:
            with open(os.path.join(d, "net.policy"), "w") as f:
                f.write(policy_text)
            os.chmod(os.path.join(d, "net.policy"), 0o644)
    d = nt_tests.scratch(setup)
    try:
        pol = ["--policy", "./net.policy"] if policy_text is not None else []
        return nt_tests.run([h.pv(), "run", *pol, *pv_extra, "--", "./" + prog, *argv_extra], d)
    finally:
        shutil.rmtree(d, ignore_errors=True)


def no_landlock(r):
    """An NT program under a policy whose path rules Landlock cannot enforce here is refused (docs/nt.md)."""
    return r is not None and r[2] == 126 and "cannot run under this policy" in r[1]


def tap_check(name, r):
    if r is None:
        check(name, False, "  timed out")
        return
    ok, why = nt_tests.tap_ok(r[0])
    check(name, ok and r[2] == 0, f"{why}\n  status {r[2]}\n  stderr: {r[1][-800:]}")


LOOPBACK_POLICY = "profile ci\nnet loopback\n"


def nt_winsock():
    if nt_tests.skipped_without_programs("winsock"):
        return
    for build in nt_tests.BUILDS:
        tap_check(f"nt ws2_32.exe: Winsock over loopback (build {build})",
                  in_dir("ws2_32.exe", [], pv_extra=["--nt-build", build]))
    r = in_dir("ws2_32.exe", [], LOOPBACK_POLICY)
    if no_landlock(r):
        h.report("nt ws2_32.exe under a policy with net loopback", None, "the kernel has no Landlock for ci's path rules")
    else:
        tap_check("nt ws2_32.exe under a policy with net loopback: everything works", r)
    r = in_dir("ws2_32.exe", ["refused"], pv_extra=["--policy", "ci"])
    if no_landlock(r):
        h.report("nt ws2_32.exe under --policy ci", None, "the kernel has no Landlock for ci's path rules")
        return
    tap_check("nt ws2_32.exe under --policy ci: socket() refused with WSAEACCES (EPERM), as a Linux program's", r)
    check("nt --policy ci: the refused socket is reported as a violation naming socket(AF_INET ...)",
          r is not None and "socket(AF_INET, SOCK_STREAM" in r[1] and "violation" in r[1], r and r[1][-800:])


def nt_winsock_hostile():
    """The same endpoints from a Windows and a Linux program under one policy: the same answers."""
    if nt_tests.skipped_without_programs("winsock hostile"):
        return
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    try:
        loop = f"tcp-connect:127.0.0.1:{listener.getsockname()[1]}"
        want = {loop: "allowed", "tcp-bind:127.0.0.1:0": "allowed", "udp-bind:127.0.0.1:0": "allowed",
                "tcp-connect:192.0.2.1:80": "EACCES", "udp-send:192.0.2.1:9": "EACCES", "tcp-bind:0.0.0.0:0": "EACCES"}
        refused = [k for k, v in want.items() if v != "allowed"]

        def answers(r):
            return {spec: what for spec, _, what in (l.rpartition(" ") for l in r[0].splitlines())} if r else None

        native = answers(in_dir("ws2_probe.exe", refused))
        not_let_out = [k for k in refused if not native or native.get(k) not in ALLOWED]
        check("nt winsock hostile: what the policy refuses, the NT program reaches without one (so the test can fail)",
              native is not None and not not_let_out, f"  not let out natively: {not_let_out}\n  {native}")
        r = in_dir("ws2_probe.exe", list(want), LOOPBACK_POLICY)
        if no_landlock(r):
            h.report("nt winsock hostile", None, "the kernel has no Landlock for ci's path rules")
            return
        got = answers(r)
        wrong = [f"{k}: {got.get(k) if got else None}, expected {v}" for k, v in want.items()
                 if not got or (got.get(k) not in ALLOWED if v == "allowed" else got.get(k) != v)]
        check("nt winsock hostile (net loopback): a connect, sendto or bind the policy refuses fails with WSAEACCES "
              "(EACCES), loopback reached", r is not None and not wrong, "  " + "\n  ".join(wrong) + f"\n  {r}")
        d = nt_tests.scratch()
        try:
            linux = nt_tests.run([h.pv(), "run", "--policy", "ci", "--net", "loopback", "--", h.prog("net_probe"),
                                  *want], d)
        finally:
            shutil.rmtree(d, ignore_errors=True)
        lgot = answers(linux)
        differ = [k for k in want if not got or not lgot or
                  (got.get(k) != lgot.get(k) and not (got.get(k) in ALLOWED and lgot.get(k) in ALLOWED))]
        check("nt winsock hostile: the Windows program gets the Linux program's answers under the same policy",
              linux is not None and not differ, f"  differ: {differ}\n  nt {got}\n  linux {lgot}\n  {linux}")
    finally:
        listener.close()


def groups(harness):
    global h
    h = harness
    return [nt_winsock, nt_winsock_hostile]
