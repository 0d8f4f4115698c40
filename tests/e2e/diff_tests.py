"""End-to-end tests of `picovisor diff` in both directions (imported by run.py, which passes itself as h).
tracing.py's diff tests give B the extra work; here A has it: a call only in A, a process only in A and a file
read only in A must be reported as such (with '-' lines), not lost because B lacks them."""
import json
import os
import re

h = None


def check(name, ok, detail=""):
    h.report(name, bool(ok), detail)


def scripts(d):
    # dash: no SIGCHLD handler, so its calls come in the same order every run. ": < FILE" opens FILE in the
    # shell itself (a call only in the matched process); "cat FILE" spawns a process.
    with open(os.path.join(d, "extra.sh"), "w") as f:
        f.write("""cat /etc/hostname >/dev/null
[ "$1" = call ] && : < /etc/passwd
[ "$1" = process ] && cat /etc/group >/dev/null
ls / >/dev/null
exit 0
""")


def diff_only_in_a():
    d = h.fresh_dir(scripts)

    def trace(out, arg):
        return h.run_in(d, [h.pv(), "trace", "-o", out, "--", "dash", "./extra.sh", arg])

    trace("plain.jsonl", "none")
    trace("call.jsonl", "call")
    trace("process.jsonl", "process")
    r = h.run_in(d, [h.pv(), "diff", "call.jsonl", "plain.jsonl"])
    text = r[0].decode(errors="replace") if r else ""
    check("diff: a call only in A is a '-' line of a hunk", r and r[2] == 1
          and re.search(r'^@@ -\d+,\d+ \+\d+,\d+ @@$', text, re.M)
          and re.search(r'^- openat\("AT_FDCWD", "/etc/passwd"', text, re.M)
          and not re.search(r'^\+ openat\("AT_FDCWD", "/etc/passwd"', text, re.M), text[-3000:])
    r = h.run_in(d, [h.pv(), "diff", "--json", "call.jsonl", "plain.jsonl"])
    rep = json.loads(r[0]) if r and r[2] == 1 else {}
    beh = rep.get("behaviour", {})
    lines = [ln for p in rep.get("processes", []) for hunk in p.get("hunks", []) for ln in hunk["lines"]]
    check("diff --json: the call and the file read only in A, under '-' and only_in_a",
          beh.get("files_read", {}).get("only_in_a") == ["/etc/passwd"] and not beh["files_read"]["only_in_b"]
          and any(op == "-" and text.startswith('openat("AT_FDCWD", "/etc/passwd"') for op, text in lines)
          and not any(op == "+" and "/etc/passwd" in text for op, text in lines),
          json.dumps(rep)[-3000:])
    r = h.run_in(d, [h.pv(), "diff", "process.jsonl", "plain.jsonl"])
    text = r[0].decode(errors="replace") if r else ""
    check("diff: a process only in A, with its calls as '-' lines and the fork that made it", r and r[2] == 1
          and re.search(r'^=== process \d+ only in A: /usr/bin/cat cat /etc/group', text, re.M)
          and re.search(r'^- (clone|vfork|fork)\(', text, re.M)
          and re.search(r'^- openat\("AT_FDCWD", "/etc/group"', text, re.M), text[-3000:])
    r = h.run_in(d, [h.pv(), "diff", "call.jsonl", "call.jsonl"])
    check("diff: a trace against itself is identical", r and r[2] == 0, r and r[0][-500:])
    h.shutil.rmtree(d, ignore_errors=True)


def groups(harness):
    global h
    h = harness
    return [diff_only_in_a]
