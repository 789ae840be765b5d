#!/usr/bin/env python3
"""selftest.py JZCHECK DATA_DIR WORK_DIR: jzcheck must accept data/base and catch every
corruption of it.

data/base holds a small run's inputs and outputs, checked by hand (README of data/). Each other
folder data/<case>/ holds `edits` (lines `FILE<TAB>OLD<TAB>NEW`: replace the one occurrence of
OLD in a copy of base's FILE; `\\n` in OLD/NEW is a newline) and `expect` (exit status on the
first line, then substrings that must each appear in jzcheck's output). A case whose OLD text is
not found exactly once is a broken test, not a pass.
"""
import os
import shutil
import subprocess
import sys


def run_case(jzcheck, data, work, case):
    dst = os.path.join(work, case)
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(os.path.join(data, "base"), dst)
    cdir = os.path.join(data, case)
    if case != "base":
        with open(os.path.join(cdir, "edits")) as f:
            for n, line in enumerate(f, 1):
                if not line.strip() or line.startswith("#"):
                    continue
                fname, old, new = line.rstrip("\n").split("\t")
                old, new = old.replace("\\n", "\n"), new.replace("\\n", "\n")
                path = os.path.join(dst, fname)
                if new == "<DELETE>":
                    os.remove(path)
                    continue
                text = open(path).read()
                if text.count(old) != 1:
                    return "%s/edits:%d: %r occurs %d times in %s" % (case, n, old, text.count(old), fname)
                open(path, "w").write(text.replace(old, new))
        with open(os.path.join(cdir, "expect")) as f:
            lines = f.read().splitlines()
        status, wanted = int(lines[0]), [x for x in lines[1:] if x]
    else:
        status, wanted = 0, []
    p = subprocess.run([sys.executable, jzcheck, os.path.join(dst, "platform.yaml"), dst,
                        "--experiment", os.path.join(dst, "experiment.yaml")],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    out = p.stdout + p.stderr
    if p.returncode != status:
        return "%s: exit %d, expected %d\n%s" % (case, p.returncode, status, out)
    missing = [w for w in wanted if w not in out]
    if missing:
        return "%s: output lacks %r\n%s" % (case, missing, out)
    return None


def main():
    jzcheck, data, work = sys.argv[1:4]
    cases = sorted(d for d in os.listdir(data) if os.path.isdir(os.path.join(data, d)))
    failed = 0
    for case in cases:
        err = run_case(jzcheck, data, work, case)
        if err:
            failed += 1
            print("FAIL " + err)
        else:
            print("ok   " + case)
    print("%d passed, %d failed" % (len(cases) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
