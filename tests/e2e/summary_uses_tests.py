"""End-to-end tests of `picovisor summary --files` and `--net` (what a traced run touched, per process, with the
first and last call that touched each file or endpoint), imported by run.py (which passes itself as h)."""
import json
import os

h = None


def check(name, ok, detail=""):
    h.report(name, bool(ok), detail)


SCRIPT = """
cat in.txt > out.txt
cat in.txt in.txt >/dev/null
mkdir sub && cd sub && echo x > rel.txt && cd .. && rm sub/rel.txt && rmdir sub
exec python3 -c 'import socket; s = socket.socket(); s.connect_ex(("127.0.0.1", 9)); u = socket.socket(type=socket.SOCK_DGRAM); u.sendto(b"x", ("127.0.0.1", 9))'
"""


def uses_of(doc, pred):
    return [(p, u) for p in doc.get("processes", []) for u in p["uses"] if pred(p, u)]


def summary_files_net():
    d = h.fresh_dir(lambda d: h.write(d, "in.txt", "hello\n", 0o644))
    trace = os.path.join(d, "t.jsonl")
    r = h.run_in(d, [h.pv(), "trace", "-o", trace, "--", "/bin/sh", "-c", SCRIPT])
    if not r or r[2] != 0:
        check("summary --files: the traced script ran", False, str(r)[:600])
        return
    r = h.run_in(d, [h.pv(), "summary", "--files", "--json", trace])
    try:
        doc = json.loads(r[0]) if r and r[2] == 0 else {}
    except ValueError:
        doc = {}
    where = lambda name: "<DIR>/" + name  # run_in shows the test's directory as <DIR>
    out = uses_of(doc, lambda p, u: u.get("path") == where("out.txt"))
    check("--files: the file the shell's redirection made: written and created, by the shell's process (1)",
          len(out) == 1 and out[0][1].get("written") and out[0][1].get("created") and not out[0][1].get("read")
          and out[0][0]["pid"] == 1, json.dumps(out)[:600])
    reads = uses_of(doc, lambda p, u: u.get("path") == where("in.txt"))
    twice = [u for p, u in reads if u["calls"] == 2]
    check("--files: in.txt read by each cat, per process; the one that opened it twice counts 2 calls, "
          "first before last", len(reads) == 2 and all(u.get("read") and not u.get("written") for p, u in reads)
          and len(twice) == 1 and twice[0]["first"] < twice[0]["last"], json.dumps(reads)[:800])
    rel = uses_of(doc, lambda p, u: u.get("path") == where("sub/rel.txt"))
    check("--files: a relative name after cd is the file in that directory; created by one process, deleted by "
          "another", sorted((bool(u.get("created")), bool(u.get("deleted"))) for p, u in rel) == [(False, True), (True, False)],
          json.dumps(rel)[:600])
    subdir = uses_of(doc, lambda p, u: u.get("path") == where("sub"))
    check("--files: the directory made and removed", any(u.get("created") for p, u in subdir)
          and any(u.get("deleted") for p, u in subdir), json.dumps(subdir)[:600])
    execd = uses_of(doc, lambda p, u: u.get("executed") and u.get("path", "").endswith("/cat"))
    check("--files: executed images are listed (x)", len(execd) >= 2, json.dumps(execd)[:400])
    check("--files alone lists no endpoints", not uses_of(doc, lambda p, u: "endpoint" in u), "")
    r = h.run_in(d, [h.pv(), "summary", "--net", "--json", trace])
    try:
        net = json.loads(r[0]) if r and r[2] == 0 else {}
    except ValueError:
        net = {}
    eps = sorted(u["endpoint"] for p, u in uses_of(net, lambda p, u: True))
    check("--net: the connect and the sendto, each with its endpoint, and no files",
          eps == ["connect 127.0.0.1:9", "sendto 127.0.0.1:9"], json.dumps(net)[:600])
    r = h.run_in(d, [h.pv(), "summary", "--files", "--net", trace])
    text = r[0].decode(errors="replace") if r else ""
    check("text: a block per process with rwcdx letters, times and the name",
          r and r[2] == 0 and "-wc--" in text and "net " in text and "connect 127.0.0.1:9" in text
          and where("in.txt") in text and "process 1: " in text, text[:800])
    r = h.run_in(d, [h.pv(), "summary", "--json", trace])
    check("summary --json without --files or --net is bad usage (125), said plainly",
          r and r[2] == 125 and b"--files or --net" in r[1], str(r)[:300])
    lines = open(trace).read().splitlines()
    with open(os.path.join(d, "cut.jsonl"), "w") as f:
        f.write("\n".join(lines[:-1]) + "\n")
    r = h.run_in(d, [h.pv(), "summary", "--files", os.path.join(d, "cut.jsonl")])
    check("a trace without its end record: listed, and said", r and r[2] == 0 and b"no end record" in r[1]
          and b"in.txt" in r[0], str(r)[-300:])
    h.shutil.rmtree(d, ignore_errors=True)


def groups(harness):
    global h
    h = harness
    return [summary_files_net]
