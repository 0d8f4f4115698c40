"""End-to-end tests of Landlock's refusals read back from the kernel's audit log (docs/policy.md, "Every
refusal seen"), imported by run.py (which passes itself as h and runs every group as root and as nobody).

The kernel's audit is a setting of the whole machine, off by default: as root the group turns it on for
its own cases and puts it back as it found it. As nobody, picovisor cannot read the log, and the report must
say so. SKIP where the kernel cannot log Landlock's refusals (Landlock ABI < 7, no audit)."""
import ctypes
import json
import os
import shutil
import socket
import struct
import subprocess
import tempfile

h = None

NETLINK_AUDIT = 9
AUDIT_GET, AUDIT_SET = 1000, 1001
AUDIT_STATUS_ENABLED = 1
NLM_F_REQUEST, NLM_F_ACK = 1, 4


def check(name, ok, detail=""):
    h.report(name, bool(ok), detail)


def audit_status():
    """The kernel's audit_enabled (0, 1, 2), or None if it cannot be asked (no audit, no right)."""
    try:
        s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_AUDIT)
    except OSError:
        return None
    try:
        s.settimeout(2)
        s.sendto(struct.pack("=IHHII", 16, AUDIT_GET, NLM_F_REQUEST, 1, 0), (0, 0))
        for _ in range(4):
            data = s.recv(8192)
            length, kind = struct.unpack("=IH", data[:6])
            if kind == AUDIT_GET:
                return struct.unpack("=II", data[16:24])[1]  # mask, enabled
            if kind == 2 and struct.unpack("=i", data[16:20])[0] != 0:  # NLMSG_ERROR
                return None
    except OSError:
        return None
    finally:
        s.close()
    return None


def audit_set(enabled):
    """Ask the kernel to turn audit on or off; whether it did, audit_status() says."""
    try:
        s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_AUDIT)
    except OSError:
        return
    try:
        body = struct.pack("=10I", AUDIT_STATUS_ENABLED, enabled, 0, 0, 0, 0, 0, 0, 0, 0)
        s.sendto(struct.pack("=IHHII", 16 + len(body), AUDIT_SET, NLM_F_REQUEST | NLM_F_ACK, 1, 0) + body, (0, 0))
        s.settimeout(2)
        s.recv(8192)
    except OSError:
        pass
    finally:
        s.close()


def landlock_abi():
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.syscall(444, None, 0, 1)  # landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION)


def load_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def script(secret):
    """Three refusals Landlock makes under ci: two reads outside every rule, one file made in /etc."""
    return (f"cat {secret}/a /etc/hostname >/dev/null; echo x > /etc/pv-audit-e2e; "
            f"sh -c 'exec cat {secret}/b' >/dev/null; exit 0")


def audit_refusals():
    abi = landlock_abi()
    if abi < 7:
        h.report("Landlock's refusals read from the audit log", None,
                 f"this kernel's Landlock (ABI {abi}) writes no audit records (ABI 7, Linux 6.15)")
        return
    d = h.fresh_dir(None)
    rep = os.path.join(d, "r.json")
    secret = tempfile.mkdtemp(prefix="pv-audit-", dir="/var/tmp")  # outside every rule of ci
    os.chmod(secret, 0o755)
    for name in ("a", "b"):
        with open(os.path.join(secret, name), "w") as f:
            f.write("secret\n")
        os.chmod(os.path.join(secret, name), 0o644)
    SCRIPT = script(secret)
    try:
        if h.AS_USER:
            r = h.run_in(d, [h.pv(), "run", "--policy", "ci", "--report", rep, "--", "sh", "-c", SCRIPT])
            doc = load_json(rep)
            unseen = " ".join(doc.get("unseen_refusals", []))
            check("as an ordinary user the audit log is not read, and the report says why (CAP_AUDIT_READ)",
                  r and r[2] == 0 and doc.get("policy", {}).get("landlock_refusals_read") is False
                  and "CAP_AUDIT_READ" in unseen and doc.get("counts", {}).get("violations") == 0, str(doc)[:600])
            return
        before = audit_status()
        if before is None:
            h.report("Landlock's refusals read from the audit log", None,
                     "the kernel's audit cannot be asked (no CONFIG_AUDIT, or not in the initial namespaces)")
            return
        if before == 2:
            h.report("Landlock's refusals read from the audit log", None,
                     "the kernel's audit settings are locked (enabled=2): the test cannot turn it on and off")
            return
        try:
            if before == 0:  # never turned off here where the machine's own audit is on (auditd)
                r = h.run_in(d, [h.pv(), "run", "--policy", "ci", "--report", rep, "--", "true"])
                doc = load_json(rep)
                check("audit disabled: nothing is read, and unseen_refusals says the audit is disabled",
                      r and r[2] == 0 and doc.get("policy", {}).get("landlock_refusals_read") is False
                      and any("audit is disabled" in u for u in doc.get("unseen_refusals", [])), str(doc)[:600])
                audit_set(1)
            if audit_status() != 1:
                h.report("Landlock's refusals read from the audit log", None,
                         "the kernel's audit cannot be turned on here (no CAP_AUDIT_CONTROL in this namespace)")
                return
            r = h.run_in(d, [h.pv(), "run", "--policy", "ci", "--report", rep, "--", "sh", "-c", SCRIPT])
            doc = load_json(rep)
            err = r[1].decode(errors="replace") if r else ""
            vs = doc.get("violations", [])
            by_path = {v.get("args", {}).get("path"): v for v in vs}
            check("plain ci with audit: the three refusals Landlock made are each reported, none unseen",
                  r and r[2] == 0 and doc.get("policy", {}).get("landlock_refusals_read") is True
                  and doc.get("policy", {}).get("paths_checked_by") == "landlock"
                  and doc.get("counts", {}).get("violations") == 3 and err.count("Permission denied") == 3
                  and not any("path refusals" in u for u in doc.get("unseen_refusals", [])),
                  err[-900:] + str(doc)[:600])
            prof, etc, rc = by_path.get(secret + "/a", {}), by_path.get("/etc", {}), by_path.get(secret + "/b", {})
            check("each names the call, the right Landlock found missing, the errno and the process (exe, argv)",
                  prof.get("syscall") in ("openat", "open") and "fs.read_file" in prof.get("rule", "")
                  and prof.get("err") == "EACCES" and prof.get("exe", "").endswith("/cat")
                  and prof.get("argv", [])[:2] == ["cat", secret + "/a"] and prof.get("pid", 0) >= 1
                  and "fs.make_reg" in etc.get("rule", "") and etc.get("exe", "").endswith("sh"), str(vs)[:900])
            check("a refusal by a process that exec'd and ended at once is the run's too (its domain, not its pid)",
                  rc.get("argv", [])[:2] == ["cat", secret + "/b"] and "fs.read_file" in rc.get("rule", ""),
                  str(vs)[:900])
            r = h.run_in(d, [h.pv(), "run", "--policy", "ci", "--fail-on-violation", "--report", rep, "--",
                             "sh", "-c", f"cat {secret}/a; exit 0"])
            doc = load_json(rep)
            check("--fail-on-violation with audit: 123, Landlock still deciding paths (no supervisor checks)",
                  r and r[2] == 123 and doc.get("policy", {}).get("paths_checked_by") == "landlock"
                  and doc.get("counts", {}).get("violations") == 1, str(doc)[:600])
            # A refusal outside the run, made while the run goes on, is not the run's.
            outside = os.path.join(d, "outside.py")
            h.write(d, "outside.py", "import ctypes, os, struct\n"
                    "libc = ctypes.CDLL(None, use_errno=True)\n"
                    "attr = struct.pack('=QQQ', 1 << 2, 0, 0)\n"  # handle read_file, allow nothing
                    "fd = libc.syscall(444, attr, 24, 0)\n"
                    "libc.prctl(38, 1, 0, 0, 0)\n"
                    "libc.syscall(446, fd, 2)\n"  # LOG_NEW_EXEC_ON
                    "try:\n    open('/etc/hostname').read()\n    print('not refused')\nexcept OSError:\n    pass\n", 0o644)
            beside = subprocess.Popen(["sh", "-c", f"sleep 0.3; exec /usr/bin/python3 {outside}"], stdout=subprocess.PIPE)
            r = h.run_in(d, [h.pv(), "run", "--policy", "ci", "--report", rep, "--", "sh", "-c",
                             "sleep 1; exit 0"])
            shown = beside.communicate()[0]
            doc = load_json(rep)
            check("a refusal by another program's Landlock domain (refused, shown) is not reported as the run's",
                  r and b"not refused" not in shown and doc.get("counts", {}).get("violations") == 0, str(doc)[:600])
        finally:
            if audit_status() != before:
                audit_set(before)
    finally:
        shutil.rmtree(d, ignore_errors=True)
        shutil.rmtree(secret, ignore_errors=True)


def groups(harness):
    global h
    h = harness
    return [audit_refusals]
