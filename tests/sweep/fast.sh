#!/bin/sh
# The sweep's fast path (sweep/runner.c: runs forked without exec, each distinct trace read once
# in the sweep process, workload/cache.h) gives byte for byte the outputs `jzsim run` gives on
# the same experiment in a process of its own, for variants that change what the readers read
# (max_jobs) and what is done to the jobs afterwards (a workload's scale): tests/data/sweep/
# fast.yaml. Also with -j 1 and through `run-variant DIR FIRST LAST` (a Slurm task's runs).
# Usage: fast.sh JZSIM SRC WORKDIR
set -eu
JZSIM=$1
SRC=$2
W=$3
rm -rf "$W"
mkdir -p "$W"
cd "$SRC"
fail() { echo "FAIL: $*" >&2; exit 1; }

$JZSIM sweep tests/data/sweep/fast.yaml --out "$W/s" -j 2 --quiet --no-plot > /dev/null
n=0
for r in "$W"/s/runs/*; do
  $JZSIM run --experiment "$r/experiment.yaml" --out "$W/ref" --quiet > /dev/null
  for f in jobs.csv summary.json queues.csv utilisation.csv; do
    cmp "$r/out/$f" "$W/ref/$f" || fail "$r: $f differs from jzsim run's"
  done
  n=$((n + 1))
done
[ $n = 8 ] || fail "$n runs, expected 8"
# The variants differ where they should: max_jobs and scale change jobs.csv.
cmp -s "$W/s/runs/0000/out/jobs.csv" "$W/s/runs/0002/out/jobs.csv" && fail "scale=4 gave scale=1's jobs.csv"
cmp -s "$W/s/runs/0000/out/jobs.csv" "$W/s/runs/0004/out/jobs.csv" && fail "max_jobs=3000 gave max_jobs=1500's jobs.csv"

# run-variant over a range (one process, runs one after the other), -j 1 order: same bytes.
$JZSIM sweep tests/data/sweep/fast.yaml --out "$W/v" --no-run > /dev/null
$JZSIM sweep run-variant "$W/v" 1 6
for i in 0 7; do [ ! -e "$W/v/runs/000$i/done" ] || fail "run-variant 1 6 ran run $i"; done
for i in 1 2 3 4 5 6; do
  [ -e "$W/v/runs/000$i/done" ] || fail "run-variant 1 6 did not run run $i"
  for f in jobs.csv summary.json queues.csv utilisation.csv; do
    # Only the run's own paths differ between the two sweep directories.
    sed "s|$W/v/|DIR/|g" "$W/v/runs/000$i/out/$f" > "$W/a"
    sed "s|$W/s/|DIR/|g" "$W/s/runs/000$i/out/$f" > "$W/b"
    cmp "$W/a" "$W/b" || fail "run-variant: run $i $f differs"
  done
done
if $JZSIM sweep run-variant "$W/v" 6 8 2> "$W/range.err"; then fail "LAST 8 of 8 runs accepted"; fi
grep -qF "jzsim: error: sweep run-variant: INDEX 8 out of range (the sweep has 8 runs)" "$W/range.err" ||
  fail "range error: $(cat "$W/range.err")"
if $JZSIM sweep run-variant "$W/v" 5 4 2> /dev/null; then fail "LAST before INDEX accepted"; fi
echo "fast.sh: all passed"
