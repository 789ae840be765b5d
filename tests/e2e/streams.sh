#!/usr/bin/env bash
# streams.sh JZSIM SRC WORKDIR: traces that can be read only once (pipes, process
# substitution, FIFOs) replay exactly as the same trace read from a file (issue 8, item 3).
# Before the fix detection consumed the stream's head and the reader reopened it: a small
# piped trace read 0 jobs, a larger one failed at the wrong place, a FIFO blocked for ever.
set -euo pipefail
jzsim=$1 src=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
cd "$src"
mixed=tests/data/good/mixed.yaml jz=platforms/jean-zay-2024.yaml
small=tests/data/good/small.swf curie=workloads/curie-2012-5k.swf.gz
pass=0
# stderr without the sanitizer build's notice about SimGrid's stack switching (DESIGN §1).
errors() {
  grep -v -e '^==[0-9]*==WARNING: ASan is ignoring' -e '^False positive error reports may follow' \
    -e '^For details see https://github.com/google/sanitizers/issues/189' "$1" || true
}
fail() { echo "FAIL: $*"; exit 1; }
# jobs.csv without the columns derived from the file name (workload_name, and account,
# which defaults to it): /dev/fd/63 and a FIFO have other names than the file.
norm() { awk -F, -v OFS=, '{$2 = ""; $18 = ""; print}' "$1"; }
same_jobs() { # $1 reference dir, $2 dir
  diff <(norm "$1/jobs.csv") <(norm "$2/jobs.csv") >/dev/null || fail "$2/jobs.csv differs from $1"
  cmp -s "$1/queues.csv" "$2/queues.csv" || fail "$2/queues.csv differs"
  pass=$((pass + 1))
}
run() { timeout 120 "$jzsim" run --quiet "$@" >/dev/null; }

# Reference runs from the files themselves.
run --platform $mixed --workload $small --out "$work/ref-small"
run --platform $jz --workload $curie --out "$work/ref-curie"
[ "$(wc -l < "$work/ref-small/jobs.csv")" -eq 6 ] || fail "small.swf: expected 5 jobs"

# A small trace through a pipe, plain and gzipped: the whole of it fits the 4 KiB head.
run --platform $mixed --workload <(cat $small) --out "$work/pipe-small"
same_jobs "$work/ref-small" "$work/pipe-small"
run --platform $mixed --workload <(cat $small.gz) --out "$work/pipe-small-gz"
same_jobs "$work/ref-small" "$work/pipe-small-gz"
# A pipe is not reopened to be hashed: summary.json names it with no bytes or sha256.
grep -q '"file": "/dev/fd/' "$work/pipe-small/summary.json" || fail "pipe not named in summary.json"
[ "$(grep -c '"sha256"' "$work/pipe-small/summary.json")" -eq 1 ] || fail "a pipe was hashed"
pass=$((pass + 1))

# 467 KB of SWF (past the 4 KiB head and zlib's 256 KiB buffer), plain and gzipped.
run --platform $jz --workload <(zcat $curie) --out "$work/pipe-curie"
same_jobs "$work/ref-curie" "$work/pipe-curie"
run --platform $jz --workload <(cat $curie) --out "$work/pipe-curie-gz"
same_jobs "$work/ref-curie" "$work/pipe-curie-gz"

# A FIFO opened before its writer: jzsim waits as cat does, and says so on stderr.
fifo_run() { # $1 fifo, $2 out dir, then writes with the command in $3
  rm -f "$1"
  mkfifo "$1"
  timeout 120 "$jzsim" run --quiet --platform $mixed --workload "$1" --out "$2" \
    >/dev/null 2>"$2.err" &
  local pid=$! i
  for i in $(seq 300); do # up to 30 s for the line (it comes after 1 s)
    grep -q 'waiting for its writer' "$2.err" && break
    sleep 0.1
  done
  if ! grep -q 'waiting for its writer' "$2.err"; then
    kill "$pid" 2>/dev/null || true
    exec 3<>"$1" # unblock a reader stuck in open()
    wait "$pid" || true
    fail "$1: no 'waiting' line on stderr"
  fi
  eval "$3"
  local rc=0
  wait "$pid" || rc=$?
  [ "$rc" -eq 0 ] || { cat "$2.err"; fail "$1: exit status $rc"; }
}
fifo_run "$work/trace-fifo" "$work/fifo" "cat $small > '$work/trace-fifo'"
same_jobs "$work/ref-small" "$work/fifo"
[ "$(errors "$work/fifo.err" | head -1)" = "jzsim: $work/trace-fifo: a FIFO with nothing to read yet: waiting for its writer (Ctrl-C stops)" ] ||
  fail "unexpected wait line: $(errors "$work/fifo.err" | head -1)"
pass=$((pass + 1))

# A writer that opens the FIFO and closes it without a byte: an empty trace (the name says
# SWF), which replays nothing, with a warning, and exits 0.
fifo_run "$work/empty.swf" "$work/fifo-empty" ": > '$work/empty.swf'"
[ "$(errors "$work/fifo-empty.err" | tail -1)" = "jzsim: warning: $work/empty.swf: no job to replay (0 job records read, none kept)" ] ||
  fail "unexpected warning: $(errors "$work/fifo-empty.err" | tail -1)"
[ "$(wc -l < "$work/fifo-empty/jobs.csv")" -eq 1 ] || fail "empty FIFO: jobs.csv has rows"
pass=$((pass + 1))

echo "$pass passed, 0 failed"
