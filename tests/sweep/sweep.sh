#!/bin/sh
# jzsim sweep end to end (tests/data/sweep/): the hand-computed --target case, -j 1 = -j 2,
# resumption and reruns of changed inputs, replicas, and run-variant + collect.
# Usage: sweep.sh JZSIM SRC WORKDIR
set -eu
JZSIM=$1
SRC=$2
W=$3
rm -rf "$W"
mkdir -p "$W"
cd "$SRC"
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_line() { # file, text a line holds
  grep -qF "$2" "$1" || { cat "$1" >&2; fail "$1: no line '$2'"; }
}

# 1. nodes.yaml: four jobs of 100 s at time 0 on N one-core nodes under FCFS or EASY. Waits:
#    N=1: 0,100,200,300 (mean 150, max 300); N=2: 0,0,100,100 (50, 100); N=3: 0,0,0,100
#    (25, 100); N>=4: all 0. So 'max_wait <= 0' first holds at N=4, for both policies.
$JZSIM sweep tests/data/sweep/nodes.yaml --out "$W/j1" -j 1 --quiet --no-plot > "$W/j1.out"
cmp "$W/j1/results.md" tests/sweep/nodes.results.md || fail "results.md differs from tests/sweep/nodes.results.md"
printf 'policy,smallest platform.partitions.p.nodes\nfcfs,4\neasy,4\n' > "$W/target.want"
cmp "$W/j1/target.csv" "$W/target.want" || fail "target.csv"
expect_line "$W/j1.out" "  policy=fcfs: 4"
expect_line "$W/j1.out" "  policy=easy: 4"
head -1 "$W/j1/results.csv" | grep -q '^run,replica,platform.partitions.p.nodes,policy,wait.mean,wait.p95,wait.max,' ||
  fail "results.csv header: $(head -1 "$W/j1/results.csv")"

# 2. -j 2 gives the same results and the same jobs (with --timings, which changes no output:
# its line counts every run, the runs' CPU time holds their event loops', and both are there).
$JZSIM sweep tests/data/sweep/nodes.yaml --out "$W/j2" -j 2 --quiet --no-plot --timings > "$W/j2.out"
cmp "$W/j1/results.csv" "$W/j2/results.csv" || fail "-j 1 and -j 2 results differ"
for r in "$W"/j1/runs/*; do
  cmp "$r/out/jobs.csv" "$W/j2/runs/$(basename "$r")/out/jobs.csv" || fail "jobs.csv of $r differs"
done
nruns=$(ls "$W/j1/runs" | wc -l)
grep "^timings " "$W/j2.out" | awk -v n="$nruns" '{ if ($2 != n || $3 != "runs:") exit 1
  run = $4; loop = $14; if (!(loop > 0 && run > loop)) exit 1 }' ||
  fail "--timings line: $(grep '^timings' "$W/j2.out")"

# 3. Resumption: nothing changed, nothing runs.
$JZSIM sweep tests/data/sweep/nodes.yaml --out "$W/j1" -j 2 --quiet --no-plot > "$W/again.out"
expect_line "$W/again.out" "sweep             10 runs: 0 ran, 10 already done"

# 4. A changed input reruns what it touches: a new axis value (2 variants), then the trace (all).
cp -r tests/data/sweep "$W/in"
$JZSIM sweep "$W/in/nodes.yaml" --out "$W/res" -j 2 --quiet --no-plot > /dev/null
sed 's/\[1, 2, 3, 4, 5\]/[1, 2, 3, 4, 6]/' tests/data/sweep/nodes.yaml > "$W/in/nodes.yaml"
$JZSIM sweep "$W/in/nodes.yaml" --out "$W/res" -j 2 --quiet --no-plot > "$W/changed.out"
expect_line "$W/changed.out" "sweep             10 runs: 2 ran, 8 already done"
echo "; one more comment line" >> "$W/in/four.swf"
$JZSIM sweep "$W/in/nodes.yaml" --out "$W/res" -j 2 --quiet --no-plot > "$W/trace.out"
expect_line "$W/trace.out" "sweep             10 runs: 10 ran, 0 already done"
rm "$W/res/runs/0003/done" # as after a run killed before it completed
$JZSIM sweep "$W/in/nodes.yaml" --out "$W/res" -j 2 --quiet --no-plot > "$W/killed.out"
expect_line "$W/killed.out" "sweep             10 runs: 1 ran, 9 already done"

# 5. Replicas of days.swf on 2 nodes. Replica 0 is the trace: day 1's six jobs wait
#    0,0,1000,1000,2000,2000, the others 0: mean 6000/9. Replicas 1-3 draw days (splitmix64,
#    resample.h; drawn independently in Python): seed 1 -> days [1,0,0] (8 jobs, mean 750),
#    seed 2 -> [0,2,0] (4 jobs, 0), seed 3 -> [0,2,2] (5 jobs, 0).
$JZSIM sweep tests/data/sweep/replicas.yaml --out "$W/rep" -j 2 --quiet --no-plot > /dev/null
cut -d, -f1-4 "$W/rep/results.csv" > "$W/rep.got"
printf 'run,replica,platform.partitions.p.nodes,wait.mean\n0000-r0,0,2,666.6666666666666\n0000-r1,1,2,750\n0000-r2,2,2,0\n0000-r3,3,2,0\n' > "$W/rep.want"
cmp "$W/rep.got" "$W/rep.want" || { cat "$W/rep.got" >&2; fail "replica waits"; }
for r in 0 1 2 3; do
  n=$(($(wc -l < "$W/rep/runs/0000-r$r/out/jobs.csv") - 1))
  want=$(echo "9 8 4 5" | cut -d' ' -f$((r + 1)))
  [ "$n" = "$want" ] || fail "replica $r: $n jobs, expected $want"
done
$JZSIM sweep tests/data/sweep/replicas.yaml --out "$W/rep2" -j 1 --quiet --no-plot > /dev/null
for r in 0 1 2 3; do
  cmp "$W/rep/runs/0000-r$r/out/jobs.csv" "$W/rep2/runs/0000-r$r/out/jobs.csv" || fail "replica $r not deterministic"
done

# 6. An external launcher: write only, run each variant by index, collect.
$JZSIM sweep tests/data/sweep/nodes.yaml --out "$W/ext" --no-run > /dev/null
[ ! -e "$W/ext/runs/0000/out" ] || fail "--no-run ran something"
i=0
while [ $i -lt 10 ]; do
  $JZSIM sweep run-variant "$W/ext" $i
  i=$((i + 1))
done
$JZSIM sweep collect "$W/ext" --no-plot > /dev/null
cmp "$W/j1/results.csv" "$W/ext/results.csv" || fail "run-variant + collect differs from a local sweep"
if $JZSIM sweep run-variant "$W/ext" 10 2> "$W/range.err"; then fail "index 10 accepted"; fi
# 7. zip.yaml: nodes and the walltime limit move together, so the target table has one row per
#    policy (and the one scale), not per limit; max_wait <= 100 first holds at 2 nodes (waits
#    0,0,100,100; with 1 node the last job waits 300). Replicas of a one-day trace draw that day.
$JZSIM sweep tests/data/sweep/zip.yaml --out "$W/zip" -j 2 --quiet --no-plot --target 'max_wait <= 100' > /dev/null
printf 'policy,workloads.four.scale,smallest platform.partitions.p.nodes\nfcfs,1,2\neasy,1,2\n' > "$W/zip.want"
cmp "$W/zip/target.csv" "$W/zip.want" || { cat "$W/zip/target.csv" >&2; fail "zip target"; }
# 8. A run that fails when it runs: the others run, the failure is named with its log, exit 2,
#    and collect refuses an incomplete sweep.
if $JZSIM sweep tests/data/sweep/fails.yaml --out "$W/fails" -j 2 --quiet --no-plot > /dev/null 2> "$W/fails.err"; then
  fail "a failed run gave status 0"
fi
expect_line "$W/fails.err" "jzsim: error: 1 run failed, first $W/fails/runs/0001 (log: $W/fails/runs/0001/run.log): "
[ -e "$W/fails/runs/0000/done" ] || fail "the good run of fails.yaml did not complete"
if $JZSIM sweep collect "$W/fails" --no-plot > /dev/null 2> "$W/collect.err"; then fail "collect of an incomplete sweep"; fi
expect_line "$W/collect.err" "jzsim: error: $W/fails/runs/0001: not done (run it: jzsim sweep run-variant $W/fails 1)"
# 9. A misspelt metric stops the sweep after its first run (-j 1: one run done), with
#    `jzsim compare`'s message; next time it is caught on that done run before anything runs.
if $JZSIM sweep tests/data/sweep/nodes.yaml --out "$W/typo" -j 1 --quiet --no-plot --metric mean_wiat > /dev/null 2> "$W/typo.err"; then
  fail "a misspelt metric gave status 0"
fi
expect_line "$W/typo.err" "jzsim: error: $W/typo/runs/0000/out/summary.json: unknown metric 'mean_wiat': no 'mean_wiat' at the top level (did you mean 'mean_wait'?)"
[ "$(ls "$W"/typo/runs/*/done | wc -l)" = 1 ] || fail "a misspelt metric: $(ls "$W"/typo/runs/*/done | wc -l) runs done, expected 1"
if $JZSIM sweep tests/data/sweep/nodes.yaml --out "$W/typo" -j 1 --quiet --no-plot --target 'p95_wiat <= 1h' > /dev/null 2> "$W/typo2.err"; then
  fail "a misspelt target gave status 0"
fi
[ "$(ls "$W"/typo/runs/*/done | wc -l)" = 1 ] || fail "a misspelt target ran something"
echo "sweep.sh: all passed"
