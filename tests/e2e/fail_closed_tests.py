"""End-to-end tests of what happens when picovisor itself dies (imported by run.py, which passes itself as h).
The kernel kills every tracee when its tracer dies (PTRACE_O_EXITKILL): a run never goes on unsupervised.
The first child of a run also has a parent-death signal, which would hide a missing EXITKILL, so these tests
look at processes that do not have one: a daemon that left its session, and a grandchild."""
import os
import signal
import subprocess
import time

h = None


def check(name, ok, detail=""):
    h.report(name, bool(ok), detail)


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def exitkill():
    d = h.fresh_dir(None)
    script = ("setsid sleep 1000 </dev/null >/dev/null 2>&1 & echo $! > daemon.pid; "
              "(sleep 1000 & echo $! > grandchild.pid; wait) & "
              "i=0; while [ ! -s grandchild.pid ] && [ $i -lt 1000 ]; do sleep 0.01; i=$((i+1)); done; "
              "echo ready; exec sleep 1000")
    for policy, label in (([], "linux personality"), (["--policy", "ci"], "--policy ci")):
        for f in ("daemon.pid", "grandchild.pid"):
            if os.path.exists(os.path.join(d, f)):
                os.unlink(os.path.join(d, f))
        p = subprocess.Popen((h.NOBODY if h.AS_USER else []) + [h.pv(), "run", *policy, "--", "sh", "-c", script],
                             cwd=d, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        pids = []
        try:
            ready = p.stdout.readline()
            for f in ("daemon.pid", "grandchild.pid"):
                with open(os.path.join(d, f)) as fh:
                    pids.append(int(fh.read()))
            running = [pid for pid in pids if alive(pid)]
            os.kill(p.pid, signal.SIGKILL)  # setpriv execs picovisor: the pid is picovisor's
            p.wait(timeout=20)
            deadline = time.time() + 5
            while time.time() < deadline and any(alive(pid) for pid in pids):
                time.sleep(0.05)
            left = [pid for pid in pids if alive(pid)]
            check(f"EXITKILL ({label}): a daemon and a grandchild die with picovisor (no parent-death signal)",
                  ready == b"ready\n" and len(running) == 2 and not left,
                  f"  ready {ready!r}, running before {running}, still alive after picovisor's death {left}")
        except (OSError, ValueError, subprocess.TimeoutExpired) as e:
            check(f"EXITKILL ({label}): a daemon and a grandchild die with picovisor (no parent-death signal)",
                  False, f"  {e!r}")
        finally:
            for pid in pids:
                if alive(pid):
                    os.kill(pid, signal.SIGKILL)
            if p.poll() is None:
                p.kill()
                p.wait()
    subprocess.run(["rm", "-rf", d])


def groups(harness):
    global h
    h = harness
    return [exitkill]
