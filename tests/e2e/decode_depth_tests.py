"""Decoding depth against strace (issue 19 item 5; docs/trace.md "Decoding depth against strace"): the program
tests/progs/decode_depth.c makes calls whose arguments are structures and flag words; it runs once under strace and
once under `picovisor trace -F text`, and each call's line (arguments and result) must read as strace's after the
normalisation below, except the calls listed in KNOWN_GAPS, which must still differ (a gap that closes fails the test
until it is taken off the list, so the list stays true). Imported by run.py, which passes itself as h."""
import os
import re
import shutil

h = None

# Calls that do not yet decode as strace's, keyed as call_key() names them, with what differs. The same list is in
# docs/trace.md under "Decoding depth against strace": keep the two together.
KNOWN_GAPS = {
    "getpeername AF_UNIX": "a length the call changed: strace shows [110 => 2], picovisor only what it became, [2]",
}


def call_key(name, rest):
    """A call's key: its name and its first symbolic argument (an upper-case word but NULL: the command, family or
    flag)."""
    m = re.search(r"\b(?!NULL\b)([A-Z][A-Z0-9_]{2,})\b", rest)
    return f"{name} {m.group(1)}" if m else name


def normalise(rest):
    """What may differ between two runs of the same program and is not decoding: addresses (mmap's, handlers' and
    buffers'), the pty number the kernel hands out, random bytes shown in hex (getrandom's: their form is kept), ppoll's and select's time left, and strace's padding before " = "."""
    rest = re.sub(r"\)\s+= ", ") = ", rest)
    rest = re.sub(r"^\(\d+, (\[\{W.*) = \d+$", r"(PID, \1 = PID", rest)  # wait4's child, numbered by each
    rest = re.sub(r"^\(\) = \d+$", "() = PID", rest)  # vfork's
    rest = re.sub(r"0x[0-9a-f]{6,}", "ADDR", rest)
    rest = re.sub(r"TIOCGPTN, \[\d+\]", "TIOCGPTN, [N]", rest)
    rest = re.sub(r'^\("(\\x[0-9a-f]{2})+"', lambda m: '("' + r"\xNN" * ((len(m.group(0)) - 2) // 4) + '"', rest)
    rest = re.sub(r"left \{tv_sec=\d+, tv_[nu]sec=\d+\}", "left {LEFT}", rest)
    return rest


def calls(text):
    """(name, rest) of each call line from the program's own first call (its f.txt) on, pid prefixes dropped."""
    out, started = [], False
    for line in text.splitlines():
        line = re.sub(r"^\[pid +\d+\] ", "", line)
        m = re.match(r"([a-z0-9_]+)\((.*)$", line)
        if not m:
            continue
        started = started or '"f.txt"' in line
        if started and m.group(1) not in ("exit_group", "exit"):
            out.append((m.group(1), "(" + m.group(2)))
    return out


def run_both():
    d = h.fresh_dir(None)
    prog = h.prog("decode_depth")
    os.mkdir(os.path.join(d, "s"))
    os.mkdir(os.path.join(d, "p"))
    if h.AS_USER:
        shutil.chown(os.path.join(d, "s"), 65534, 65534)
        shutil.chown(os.path.join(d, "p"), 65534, 65534)
    a = h.run_in(os.path.join(d, "s"), ["strace", "-o", "../s.txt", prog])
    b = h.run_in(os.path.join(d, "p"), [h.pv(), "trace", "-F", "text", "-o", "../p.txt", "--", prog])
    def read(n):  # the two runs' directories (getcwd's answer) read the same
        if not os.path.exists(os.path.join(d, n)):
            return ""
        text = open(os.path.join(d, n), errors="replace").read()
        return text.replace(os.path.join(d, "s"), "<DIR>").replace(os.path.join(d, "p"), "<DIR>")
    return a, b, read("s.txt"), read("p.txt")


def decode_depth():
    name = "decode depth: each call of decode_depth reads as strace's"
    if not shutil.which("strace"):
        h.report(name, None, "strace is not installed (GNUmakefile's TEST_PACKAGES has it)")
        return
    a, b, theirs, ours = run_both()
    if a and a[2] == 2:  # the program could not set up (no pty, no sockets): nothing to compare
        h.report(name, None, "decode_depth could not set up its calls here (exit 2 under strace)")
        return
    if not (a and a[2] == 0 and b and b[2] == 0):
        h.report(name, False, f"strace: {a and a[2]} {a and a[1][-500:]}\npicovisor: {b and b[2]} {b and b[1][-500:]}")
        return
    s, p = calls(theirs), calls(ours)
    if [n for n, _ in s] != [n for n, _ in p]:
        h.report(name, False, "the two runs made different calls:\n  strace    " + " ".join(n for n, _ in s) +
                 "\n  picovisor " + " ".join(n for n, _ in p))
        return
    differ, closed, matched = [], set(), 0
    gaps_seen = set()
    for (n, x), (_, y) in zip(s, p):
        key = call_key(n, x)
        same = normalise(x) == normalise(y)
        gap = key if key in KNOWN_GAPS else n if n in KNOWN_GAPS else None
        if gap:
            gaps_seen.add(gap)
            if same:
                closed.add(gap)
            continue
        if same:
            matched += 1
        else:
            differ.append(f"  {key}:\n    strace    {n}{normalise(x)}\n    picovisor {n}{normalise(y)}")
    h.report(f"decode depth: {matched} calls decoded as strace decodes them, none differs outside the known gaps",
             matched > 0 and not differ, "\n".join(differ))
    h.report("decode depth: every known gap is still made by the program and still differs (else take it off "
             "KNOWN_GAPS and docs/trace.md)", not closed and gaps_seen == set(KNOWN_GAPS),
             f"  closed: {sorted(closed)}\n  not made: {sorted(set(KNOWN_GAPS) - gaps_seen)}")


def groups(harness):
    global h
    h = harness
    return [decode_depth]
