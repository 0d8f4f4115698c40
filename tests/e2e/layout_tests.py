"""The architecture's rules that the source itself shows (docs/architecture.md, "Personalities return
verdicts"): personalities reach the supervisor only through include/host.h and decide through verdicts."""
import os
import re

h = None


def code_lines(path):
    """The lines of a C file with strings and comments blanked (they may say what they like)."""
    with open(path, errors="replace") as src:
        in_comment = False
        for n, line in enumerate(src, 1):
            code = re.sub(r'"(\\.|[^"\\])*"', '""', line) if not line.lstrip().startswith("#include") else line
            if in_comment:
                if "*/" not in code:
                    continue
                code = code.split("*/", 1)[1]
                in_comment = False
            code = re.sub(r"/\*.*?\*/", "", code)
            if "/*" in code:
                code, in_comment = code.split("/*", 1)[0], True
            yield n, code.split("//")[0]


def sources(top):
    for dirpath, _, files in os.walk(os.path.join(h.ROOT, top)):
        if f"{os.sep}dlls" in dirpath:  # Windows DLL sources, built with mingw-w64 for the tracee
            continue
        for f in files:
            if f.endswith((".c", ".h")):
                yield os.path.join(dirpath, f)


def layout_rules():
    if h.AS_USER:  # a look at the source: nothing to repeat as another user
        return
    checks = [
        ("translate", re.compile(r'#include\s+"([^"]*tracer/|(event_loop|scratch|exec_job|options|own_filters|'
                                 r'proc_links|run_report|run_limits|signal_send|spawn|pe_image|cosched|'
                                 r'seccomp_guard)\.h")'),
         "no personality includes a header of the supervisor's (tracer/): they reach it through include/host.h"),
        ("translate", re.compile(r"(?<![A-Za-z0-9_])tracee_resume\s*\("),
         "no personality resumes a tracee: the event loop carries out its verdict"),
        ("translate", re.compile(r"(?<![A-Za-z0-9_])die\s*\("),
         "no personality ends the supervisor with die(): an error ends the call or the process"),
        ("policy", re.compile(r"(?<![A-Za-z0-9_])die\s*\("),
         "policy/ never ends the supervisor with die(): errors go back to the caller"),
        ("policy", re.compile(r'#include\s+"personality\.h"'),
         "policy/ compiles filters from class sets, not from a personality"),
    ]
    for top, pattern, name in checks:
        offenders = []
        for path in sources(top):
            for n, code in code_lines(path):
                if pattern.search(code):
                    offenders.append(f"{os.path.relpath(path, h.ROOT)}:{n}: {code.strip()}")
        h.report(name, not offenders, "\n".join("  " + o for o in offenders))


def groups(harness):
    global h
    h = harness
    return [layout_rules]
