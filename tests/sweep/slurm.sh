#!/bin/bash
# A sweep through a real single-node Slurm: scripts/slurm/start.sh brings up munged, slurmctld
# and slurmd (state in a fresh directory under /tmp), `jzsim sweep --slurm` submits the job
# array, `jzsim sweep status` is polled until nothing runs or waits (bounded), and the collected
# results.csv must equal a local sweep's byte for byte; a sweep with a failing run must be named
# by collect with its Slurm log. The daemons this test started are stopped whatever happens.
# Exit 77 (skipped) only when the Slurm packages are missing and cannot be installed, or when
# not root (slurmd must run as root).
# Usage: slurm.sh JZSIM SRC WORKDIR
set -euo pipefail
JZSIM=$1
SRC=$2
W=$3
T0=$SECONDS
cd "$SRC"
fail() { echo "FAIL: $*" >&2; exit 1; }
if [ "$(id -u)" -ne 0 ]; then echo "slurm.sh: not root: skipped"; exit 77; fi
. scripts/deps.sh
if ! jz_install_slurm; then echo "slurm.sh: Slurm packages cannot be installed: skipped"; exit 77; fi
rm -rf "$W"
mkdir -p "$W"
RUN=$(mktemp -d /tmp/jzsim-slurm.XXXXXX)
stop() { scripts/slurm/stop.sh "$RUN" --purge > "$W/stop.log" 2>&1 || cat "$W/stop.log" >&2; }
trap stop EXIT
trap 'exit 1' INT TERM HUP
scripts/slurm/start.sh "$RUN" > "$W/start.log" 2>&1 || { cat "$W/start.log" >&2; fail "start.sh"; }
. "$RUN/env.sh"

# wait_sweep DIR: poll `jzsim sweep status` until no run is running or pending (at most 240 s).
wait_sweep() {
  local deadline=$((SECONDS + 240))
  while :; do
    "$JZSIM" sweep status "$1" > "$W/status.out"
    awk 'NF == 2 && ($1 == "running" || $1 == "pending") && $2 != 0 { busy = 1 } END { exit busy }' "$W/status.out" && return 0
    [ $SECONDS -lt $deadline ] || { cat "$W/status.out" >&2; squeue >&2 || true; fail "$1: not finished after 240 s"; }
    sleep 0.5
  done
}

# 1. nodes.yaml (10 runs) as 4 tasks of 3 runs, 2 at once, with extra sbatch options.
"$JZSIM" sweep tests/data/sweep/nodes.yaml --out "$W/slurm" --slurm --per-task 3 --array-limit 2 \
  --sbatch-args '--partition=debug --time=10' > "$W/submit.out"
job=$(sed -n 's/^slurm *array job \([0-9]*\):.*/\1/p' "$W/submit.out")
[ -n "$job" ] || { cat "$W/submit.out" >&2; fail "no array job id printed"; }
grep -q "\"job_id\": \"$job\"" "$W/slurm/slurm.json" || fail "slurm.json does not hold job $job"
grep -qx '#SBATCH --array=0-3%2' "$W/slurm/sweep.sbatch" || fail "sweep.sbatch: --array"
"$JZSIM" sweep tests/data/sweep/nodes.yaml --out "$W/local" -j 2 --quiet --no-plot > /dev/null
wait_sweep "$W/slurm"
grep -qx "done *10" "$W/status.out" || { cat "$W/status.out" >&2; fail "not 10 runs done"; }
for t in 0 1 2 3; do [ -s "$W/slurm/slurm/${job}_$t.out" ] || fail "no Slurm log of task $t"; done
"$JZSIM" sweep collect "$W/slurm" --no-plot > /dev/null
cmp "$W/local/results.csv" "$W/slurm/results.csv" || fail "results.csv of the Slurm sweep differs from the local one"
cmp "$W/local/results.md" "$W/slurm/results.md" || fail "results.md differs"
cmp "$W/local/target.csv" "$W/slurm/target.csv" || fail "target.csv differs"

# 2. fails.yaml: run 1 fails when it runs; collect names it with its task's Slurm log.
"$JZSIM" sweep tests/data/sweep/fails.yaml --out "$W/fails" --slurm > "$W/fsubmit.out"
fjob=$(sed -n 's/^slurm *array job \([0-9]*\):.*/\1/p' "$W/fsubmit.out")
wait_sweep "$W/fails"
grep -qx "failed *1" "$W/status.out" || { cat "$W/status.out" >&2; fail "fails.yaml: not 1 failed"; }
if "$JZSIM" sweep collect "$W/fails" --no-plot > /dev/null 2> "$W/collect.err"; then fail "collect of a failed sweep"; fi
grep -qF "jzsim: failed run $W/fails/runs/0001 (run log $W/fails/runs/0001/run.log, Slurm log $W/fails/slurm/${fjob}_1.out): exit status 2: " "$W/collect.err" ||
  { cat "$W/collect.err" >&2; fail "collect did not name the failed run with its Slurm log"; }
grep -qF "jzsim sweep: run 1 on " "$W/fails/slurm/${fjob}_1.out" || fail "Slurm log of task 1"
echo "slurm.sh: all passed in $((SECONDS - T0)) s"
