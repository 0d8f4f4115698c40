"""End-to-end tests of diff's equivalences (docs/trace-format.md, "How diff compares two traces"): two runs of
`make -j4` of a small generated C project diff as the same (temporary names, pids, parallel children ending in
any order, fds, the run's cwd); changing one source file shows that file's compile and the link, nothing else.
And a real fork chain 1000 deep: traced, and diffed (imported by run.py, which passes itself as h)."""
import json
import os
import re
import shutil

h = None


def check(name, ok, detail=""):
    h.report(name, bool(ok), detail)


SOURCES = {
    "f1.c": "int f1(int x) { return x + 1; }\n",
    "f2.c": "int f2(int x) { return x + 2; }\n",
    "f3.c": "int f3(int x) { return x + 3; }\n",
    "main.c": "int f1(int); int f2(int); int f3(int);\nint main(void) { return f1(0) + f2(0) + f3(0) - 6; }\n",
    "Makefile": "OBJS = main.o f1.o f2.o f3.o\nprog: $(OBJS)\n\tcc -o $@ $(OBJS)\n"
                "%.o: %.c\n\tcc -O1 -c -o $@ $<\nclean:\n\trm -f $(OBJS) prog\n",
}


def project(d):
    os.mkdir(os.path.join(d, "proj"))
    for name, text in SOURCES.items():
        with open(os.path.join(d, "proj", name), "w") as f:
            f.write(text)


def build(d, out):
    """A clean build of proj under trace, the trace written outside the project."""
    proj = os.path.join(d, "proj")
    for name in os.listdir(proj):
        if name.endswith(".o") or name == "prog":
            os.unlink(os.path.join(proj, name))
    return h.run_in(proj, [h.pv(), "trace", "-o", os.path.join(d, out), "--", "make", "-s", "-j4"])


def make_twice():
    if not shutil.which("make") or not shutil.which("cc"):
        h.report("diff: make -j4 twice", None, "make or cc is missing")
        return
    d = h.fresh_dir(project)
    runs = [build(d, "a.jsonl"), build(d, "b.jsonl")]
    if not all(r and r[2] == 0 for r in runs):
        check("diff: make -j4 twice", False, str(runs))
        return
    r = h.run_in(d, [h.pv(), "diff", "a.jsonl", "b.jsonl"])
    text = r[0].decode(errors="replace") if r else ""
    check("diff: two runs of make -j4 of a C project are the same", r and r[2] == 0 and "the runs did the same" in text,
          text[-4000:])
    # The same source, one line longer: its compile differs, and what uses its object (the link); make itself
    # sees f2.c, f2.o and prog with other sizes.
    with open(os.path.join(d, "proj", "f2.c"), "a") as f:
        f.write("int g2(void) { return 5; }\n")
    r = build(d, "c.jsonl")
    r = r and h.run_in(d, [h.pv(), "diff", "--json", "a.jsonl", "c.jsonl"])
    rep = json.loads(r[0]) if r and r[2] == 1 else {}
    changed = [p for p in rep.get("processes", []) if p["hunks"] or p["exit_a"] != p["exit_b"]]
    labels = [p["label"] for p in changed]
    related = lambda label: re.search(r"\bf2\.[co]\b|-o prog\b|\bprog\b", label)
    make_lines = [ln for p in changed if p["label"].startswith("/usr/bin/make") for hk in p["hunks"]
                  for op, ln in hk["lines"] if op != " "]
    beh = {k: v for k, v in rep.get("behaviour", {}).items() if v["only_in_a"] or v["only_in_b"]}
    check("diff: one changed source shows its compile and the link, nothing else",
          rep and not rep["only_in_a"] and not rep["only_in_b"] and not beh
          and any("cc1" in lab and "f2.c" in lab for lab in labels)
          and any(re.search(r"\bld\b|collect2", lab) for lab in labels)
          and all(related(lab) or lab.startswith("/usr/bin/make") for lab in labels)
          and all(re.search(r"/f2\.[co]\"|/prog\"", ln) for ln in make_lines),
          "\n".join(labels) + "\n" + "\n".join(make_lines) + "\n" + json.dumps(beh)[:2000])
    h.shutil.rmtree(d, ignore_errors=True)


# A real chain: every process alive at once. 5000 deep takes minutes on a loaded 2-core machine even natively
# (the kernel's cost of that many live tasks); the 5000-deep and 5000-wide cases are synthetic traces in
# tests/unit/test_diff_tree.c.
CHAIN = 1000


def fork_chain():
    d = h.fresh_dir(None)
    out = os.path.join(d, "chain.jsonl")
    r = h.run_in(d, [h.pv(), "trace", "-e", "trace=%process", "-o", out, "--", h.prog("forkchain"), str(CHAIN)], timeout=300)
    spawns = sum(1 for line in open(out) if '"type":"spawn"' in line) if os.path.exists(out) else 0
    if r and r[2] != 0 and b"fork: Resource temporarily unavailable" in r[1]:
        h.report(f"diff: a {CHAIN}-deep fork chain", None, "the machine refuses that many processes: " + r[1].decode()[-200:])
        return
    check(f"trace: a {CHAIN}-deep fork chain", r and r[2] == 0 and spawns == CHAIN - 1, f"{r and r[1][-500:]}, {spawns} spawns")
    r = h.run_in(d, [h.pv(), "diff", out, out], timeout=300)
    check(f"diff: a {CHAIN}-deep fork chain against itself", r and r[2] == 0 and b"the runs did the same" in r[0],
          r and r[1][-1000:])
    h.shutil.rmtree(d, ignore_errors=True)


def env_ignored():
    """--no-abbrev records the environment in a JSON trace; --ignore reaches its variables as it reaches argv."""
    d = h.fresh_dir(None)
    prog = ["sh", "-c", "exec /bin/true"]
    runs = [h.run_in(d, [h.pv(), "trace", "--no-abbrev", "-e", "trace=execve", "-o", os.path.join(d, name), "--",
                         "env", f"PV_RUN_ID={rid}", "PV_SAME=1", *prog]) for name, rid in (("a.jsonl", "1"), ("b.jsonl", "2"))]
    if not all(r and r[2] == 0 for r in runs):
        check("diff: --ignore on the environment", False, str(runs))
        return
    recorded = [json.loads(line) for line in open(os.path.join(d, "a.jsonl")) if '"execve"' in line]
    envp = recorded[-1]["args"].get("envp") if recorded else None
    check("trace --no-abbrev: the environment is recorded in the JSON trace, as argv is",
          isinstance(envp, list) and "PV_RUN_ID=1" in envp and "PV_SAME=1" in envp, str(envp)[:400])
    r = h.run_in(d, [h.pv(), "diff", "a.jsonl", "b.jsonl"])
    text = r[0].decode(errors="replace") if r else ""
    check("diff: a variable that differs in the environment shows", r and r[2] == 1 and "PV_RUN_ID" in text, text[-1500:])
    r = h.run_in(d, [h.pv(), "diff", "--ignore", "^PV_RUN_ID=", "a.jsonl", "b.jsonl"])
    text = r[0].decode(errors="replace") if r else ""
    check("diff --ignore '^PV_RUN_ID=': the runs are the same (the variable is left out of envp)",
          r and r[2] == 0 and "the runs did the same" in text, text[-1500:])
    r = h.run_in(d, [h.pv(), "trace", "-e", "trace=execve", "-o", os.path.join(d, "c.jsonl"), "--", "env", "PV_X=1",
                     *prog])
    plain = [json.loads(line) for line in open(os.path.join(d, "c.jsonl")) if '"execve"' in line]
    check("trace without --no-abbrev keeps only the environment's length (its values can be secrets)",
          plain and plain[-1]["args"].get("envp", {}).get("vars", 0) > 0, str(plain[-1:])[:300])
    h.shutil.rmtree(d, ignore_errors=True)


def groups(harness):
    global h
    h = harness
    return [make_twice, fork_chain, env_ignored]
