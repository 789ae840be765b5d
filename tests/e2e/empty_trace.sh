#!/usr/bin/env bash
# empty_trace.sh JZSIM SRC WORKDIR: a trace with no job (the smallest: a file holding ";")
# replays nothing, exits 0 and warns on stderr (issue 8, item 9). Before the fix the mapping
# sorted its (absent) notes with qsort(NULL, 0, ...), undefined behaviour that the sanitizer
# build (scripts/test.sh) stops on; and nothing said the run had no job.
set -euo pipefail
jzsim=$1 src=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
cd "$src"
# stderr without the sanitizer build's notice about SimGrid's stack switching (DESIGN §1).
errors() {
  grep -v -e '^==[0-9]*==WARNING: ASan is ignoring' -e '^False positive error reports may follow' \
    -e '^For details see https://github.com/google/sanitizers/issues/189' "$1" || true
}
fail() { echo "FAIL: $*"; exit 1; }
pass=0
check() { # $1 trace, $2 expected warning
  local rc=0
  "$jzsim" run --quiet --platform tests/data/good/mixed.yaml --workload "$1" --out "$work/out" \
    >/dev/null 2>"$work/err" || rc=$?
  [ "$rc" -eq 0 ] || { cat "$work/err"; fail "$1: exit status $rc"; }
  [ "$(errors "$work/err")" = "$2" ] || fail "$1: stderr is '$(errors "$work/err")'"
  [ "$(cat "$work/out/jobs.csv" | wc -l)" -eq 1 ] || fail "$1: jobs.csv has rows"
  grep -q '"read": 0' "$work/out/summary.json" || fail "$1: summary.json does not say 0 jobs read"
  pass=$((pass + 1))
}
printf ';\n' > "$work/semicolon.swf"
check "$work/semicolon.swf" "jzsim: warning: $work/semicolon.swf: no job to replay (0 job records read, none kept)"
# Job records, none kept (runtime <= 0): the same, with the count.
printf '1 0 0 0 4 -1 -1 4 60 -1 1 1 1 -1 1 -1 -1 -1\n2 5 0 -1 4 -1 -1 4 60 -1 1 1 1 -1 1 -1 -1 -1\n' > "$work/skipped.swf"
check "$work/skipped.swf" "jzsim: warning: $work/skipped.swf: no job to replay (2 job records read, none kept)"
echo "$pass passed, 0 failed"
