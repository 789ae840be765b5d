#!/bin/sh
# jzsim sweep status without a real Slurm: the run markers, a stale marker, and a Slurm sweep
# whose queue is a stand-in squeue (first on PATH) answering what a hand-written slurm.json
# array's tasks are doing. Each count below follows from the markers and tasks set up here.
# Usage: status.sh JZSIM SRC WORKDIR
set -eu
JZSIM=$1
SRC=$2
W=$3
rm -rf "$W"
mkdir -p "$W/bin"
cd "$SRC"
fail() { echo "FAIL: $*" >&2; exit 1; }
# status DIR DONE RUNNING FAILED PENDING: the four counts of `jzsim sweep status DIR`.
status() {
  "$JZSIM" sweep status "$1" > "$W/status.out" || fail "status exit $?"
  got=$(awk 'NF == 2 && ($1 == "done" || $1 == "running" || $1 == "failed" || $1 == "pending") { printf "%s ", $2 }' "$W/status.out")
  [ "$got" = "$2 $3 $4 $5 " ] || { cat "$W/status.out" >&2; fail "$1: done running failed pending = $got, expected $2 $3 $4 $5"; }
}
S=$W/s
"$JZSIM" sweep tests/data/sweep/nodes.yaml --out "$S" --no-run > /dev/null
# 1. Nothing ran: 10 pending. Run 0 done by hand: 1 done.
status "$S" 0 0 0 10
"$JZSIM" sweep run-variant "$S" 0
status "$S" 1 0 0 9
# 2. A live jzsim on this host (a copy of sleep named jzsim) holds run 1's marker: running;
#    once it is gone the marker is stale (killed outright) and the run is pending again.
cp "$(command -v sleep)" "$W/bin/jzsim"
"$W/bin/jzsim" 60 &
pid=$!
echo "$(hostname) $pid" > "$S/runs/0001/running"
status "$S" 1 1 0 8
kill $pid
wait $pid 2> /dev/null || true
status "$S" 1 0 0 9
# 3. A failed marker (as the runner leaves one): failed, named with its run log.
echo "exit status 2: what went wrong" > "$S/runs/0005/failed"
status "$S" 1 0 1 8
grep -qxF "failed run        $S/runs/0005 (run log $S/runs/0005/run.log): exit status 2: what went wrong" "$W/status.out" ||
  { cat "$W/status.out" >&2; fail "failed run line"; }
# 4. A Slurm sweep: array 42 of 5 tasks of 2 runs. squeue says task 0 runs, tasks 2-4 wait (as
#    one unsplit record), and lists another array's task 1. Run 0 done; run 1 (task 0) marked
#    running on another host: running; runs 2-3 (task 1, gone from the queue, no marker):
#    failed with Slurm log 42_1.out; runs 4-9 pending, run 5's failed marker included (its task
#    is queued and will try it again). So 1 done, 1 running, 2 failed, 6 pending.
printf '{"job_id": "42", "per_task": 2, "tasks": 5, "array_limit": 0}\n' > "$S/slurm.json"
echo "elsewhere 1" > "$S/runs/0001/running"
cat > "$W/bin/squeue" <<'EOS'
#!/bin/sh
[ -n "${FAKE_SQUEUE_FAIL:-}" ] && { echo "slurm_load_jobs error: Unable to contact slurm controller" >&2; exit 1; }
printf '42 0 RUNNING\n43 1 RUNNING\n42 [2-4%%2] PENDING\n'
EOS
chmod +x "$W/bin/squeue"
PATH=$W/bin:$PATH
export PATH
status "$S" 1 1 2 6
grep -qF "slurm             array job 42, 5 tasks of 2 runs: 1 running, 3 pending in squeue" "$W/status.out" ||
  { cat "$W/status.out" >&2; fail "slurm line"; }
grep -qxF "failed run        $S/runs/0003 (run log $S/runs/0003/run.log, Slurm log $S/slurm/42_1.out): its Slurm task ended without finishing it (see the Slurm log)" "$W/status.out" ||
  { cat "$W/status.out" >&2; fail "failed Slurm run line"; }
# collect names both failed runs with their Slurm logs, then refuses.
if "$JZSIM" sweep collect "$S" --no-plot > /dev/null 2> "$W/collect.err"; then fail "collect of an unfinished sweep"; fi
grep -qF "jzsim: failed run $S/runs/0002 (run log $S/runs/0002/run.log, Slurm log $S/slurm/42_1.out): " "$W/collect.err" ||
  { cat "$W/collect.err" >&2; fail "collect: run 0002"; }
grep -qF "jzsim: failed run $S/runs/0003 " "$W/collect.err" || { cat "$W/collect.err" >&2; fail "collect: run 0003"; }
# 5. squeue does not answer: the markers alone (run 1 running elsewhere, run 5 failed).
FAKE_SQUEUE_FAIL=1 status "$S" 1 1 1 7
grep -qF "squeue did not answer" "$W/status.out" || fail "no squeue note"
# 6. The runner's own markers: fails.yaml's run 1 fails when it runs (failed, with its exit
#    status and error line), run 0 succeeds; no `running` marker outlives its run.
if "$JZSIM" sweep tests/data/sweep/fails.yaml --out "$W/f" -j 2 --quiet --no-plot > /dev/null 2>&1; then fail "fails.yaml passed"; fi
status "$W/f" 1 0 1 0
grep -qF "failed run        $W/f/runs/0001 (run log $W/f/runs/0001/run.log): exit status 2: $SRC/tests/data/sweep/four.swf:1:1: " "$W/status.out" ||
  { cat "$W/status.out" >&2; fail "runner's failed marker"; }
if ls "$W"/f/runs/*/running 2> /dev/null; then fail "a running marker left after the sweep"; fi
# 7. Usage errors.
if "$JZSIM" sweep status 2> /dev/null; then fail "status without DIR"; fi
if "$JZSIM" sweep tests/data/sweep/nodes.yaml --out "$W/x" --per-task 2 2> "$W/usage.err"; then fail "--per-task without --slurm"; fi
grep -qF -- "--per-task, --array-limit, --sbatch-args and --dry-run go with --slurm" "$W/usage.err" || fail "usage message"
# A sweep directory a batch script cannot name ('%' is an --output pattern): refused before
# anything is written.
if "$JZSIM" sweep tests/data/sweep/nodes.yaml --out "$W/a%b" --slurm --dry-run 2> "$W/pct.err"; then fail "'%' in DIR accepted"; fi
grep -qxF "jzsim: error: --slurm: the sweep directory '$W/a%b' holds '%', which a batch script cannot carry unquoted (move it)" "$W/pct.err" ||
  { cat "$W/pct.err" >&2; fail "'%' message"; }
[ ! -e "$W/a%b" ] || fail "'%' in DIR: something was written"
echo "status.sh: all passed"
