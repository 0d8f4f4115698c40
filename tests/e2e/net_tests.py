"""End-to-end tests of the network rules (imported by run.py, which passes itself as h): `net none`,
`net loopback` and its `connect HOST:PORT` and `bind PORT` allow-lists. Each policy runs with Landlock (where
the kernel has it) and with --no-landlock (the supervisor alone); tests/progs/net_probe tries each endpoint and
says what happened. An allowed endpoint must be reached (or fail for the network's own reasons), every other
one refused with EACCES (docs/policy.md, "Refusal errnos") before anything leaves the machine.
192.0.2.0/24 (TEST-NET-1) is never routed: an allowed connect there gives EINPROGRESS or ENETUNREACH."""
import os
import shutil
import socket
import subprocess
import tempfile

h = None
ALLOWED = {"ok", "EINPROGRESS", "ENETUNREACH", "EHOSTUNREACH"}  # let out: what happens next is the network's
MODES = [("", []), (", --no-landlock", ["--no-landlock"])]


def check(name, ok, detail=""):
    h.report(name, bool(ok), detail)


def free_port():
    s = socket.socket()
    s.bind(("0.0.0.0", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def probe(cwd, argv):
    full = (h.NOBODY if h.AS_USER else []) + argv
    try:
        p = subprocess.run(full, cwd=cwd, capture_output=True, timeout=60)
    except subprocess.TimeoutExpired:
        return None, "timed out"
    got = {}
    for line in p.stdout.decode(errors="replace").splitlines():
        spec, _, what = line.rpartition(" ")
        got[spec] = what
    return got, f"status {p.returncode}\n{p.stdout.decode(errors='replace')}{p.stderr.decode(errors='replace')[-1500:]}"


def net_rules():
    d = tempfile.mkdtemp(prefix="pv-net-")
    os.chmod(d, 0o755)
    tcp = socket.socket()
    tcp.bind(("127.0.0.1", 0))
    tcp.listen(64)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    tcp6 = None
    try:
        tcp6 = socket.socket(socket.AF_INET6)
        tcp6.bind(("::1", 0))
        tcp6.listen(64)
    except OSError:
        tcp6 = None
    try:
        t, u, bport = tcp.getsockname()[1], udp.getsockname()[1], free_port()
        loop_tcp, loop_udp = f"tcp-connect:127.0.0.1:{t}", f"udp-send:127.0.0.1:{u}"
        far = "tcp-connect:192.0.2.1:80"
        # name, policy text, {probe: "allowed" or the errno}
        cases = [
            ("net none", "profile ci\npromise inet\n",
             {loop_tcp: "EACCES", loop_udp: "EACCES", "tcp-bind:127.0.0.1:0": "EACCES", far: "EACCES"}),
            ("net loopback", "profile ci\npromise inet\nnet loopback\n",
             {loop_tcp: "allowed", loop_udp: "allowed", "tcp-bind:127.0.0.1:0": "allowed",
              "udp-bind:127.0.0.1:0": "allowed", far: "EACCES", "udp-send:192.0.2.1:9": "EACCES",
              "tcp-bind:0.0.0.0:0": "EACCES",
              **({f"tcp-connect:[::1]:{tcp6.getsockname()[1]}": "allowed"} if tcp6 else {})}),
            ("net loopback with connect and bind rules",
             f"profile ci\npromise inet\nnet loopback\nconnect 192.0.2.1:80\nbind {bport}\n",
             {far: "allowed", "udp-send:192.0.2.1:80": "allowed", "tcp-connect:192.0.2.1:81": "EACCES",
              "tcp-connect:192.0.2.2:80": "EACCES", "udp-send:192.0.2.1:81": "EACCES",
              f"tcp-bind:0.0.0.0:{bport}": "allowed", f"udp-bind:0.0.0.0:{bport}": "allowed",
              f"tcp-bind:0.0.0.0:{bport + 1 if bport < 65535 else bport - 1}": "EACCES", loop_tcp: "allowed"}),
        ]
        for name, text, want in cases:
            pol = os.path.join(d, name.replace(" ", "-") + ".policy")
            with open(pol, "w") as f:
                f.write(text)
            os.chmod(pol, 0o644)
            native, detail = probe(d, [h.prog("net_probe"), *want])
            refused_natively = [k for k, v in want.items() if v != "allowed" and native and native.get(k) not in ALLOWED]
            check(f"net rules ({name}): what the policy refuses works natively (so the test can fail)",
                  native is not None and not refused_natively, f"  refused natively: {refused_natively}\n{detail}")
            for label, extra in MODES:
                got, detail = probe(d, [h.pv(), "run", "--policy", pol, *extra, "--", h.prog("net_probe"), *want])
                wrong = [f"{k}: {got.get(k) if got else None}, expected {v}" for k, v in want.items()
                         if not got or (got.get(k) not in ALLOWED if v == "allowed" else got.get(k) != v)]
                check(f"net rules ({name}{label}): allowed endpoints reached, the others refused with EACCES",
                      got is not None and not wrong, "  " + "\n  ".join(wrong) + "\n" + detail)
    finally:
        for s in (tcp, udp, tcp6):
            if s:
                s.close()
        shutil.rmtree(d, ignore_errors=True)


def groups(harness):
    global h
    h = harness
    return [net_rules]
