#!/usr/bin/env bash
# policies.sh JZSIM SRC WORKDIR: `jzsim compare` on two real runs of a shipped trace, the first
# 1,000 jobs of KTH-SP2 on its own 100-processor machine, under FCFS and EASY. Backfilling
# can only help the waits of this trace's queue (KTH's waits: FCFS mean 15,655 s, EASY 2,835 s;
# the exactness tests check both schedules job by job), so the expected directions are known:
# FCFS -> EASY passes the default gate (exit 0), EASY -> FCFS fails it on the waits and the
# slowdown (exit 1), and the per-job comparison sees the same job set.
set -euo pipefail
jzsim=$1 src=$2 work=$3
rm -rf "$work"
for p in fcfs easy; do
  "$jzsim" run --platform "$src/tests/data/good/kth100.yaml" \
    --workload "$src/workloads/kth-sp2-1k.swf" --policy "$p" --out "$work/$p" --quiet >/dev/null
done
fails=0
check() { # check WANT_RC GREP_PATTERN... -- ARGS...: exit status and lines of stdout
  local want=$1; shift
  local pats=()
  while [ "$1" != "--" ]; do pats+=("$1"); shift; done
  shift
  local rc=0
  "$jzsim" compare "$@" >"$work/out.txt" 2>"$work/err.txt" || rc=$?
  if [ "$rc" -ne "$want" ]; then
    echo "FAIL: compare $*: exit $rc, expected $want"; cat "$work/err.txt"; fails=$((fails + 1)); return
  fi
  for p in "${pats[@]}"; do
    grep -Eq -- "$p" "$work/out.txt" || { echo "FAIL: compare $*: no line matching '$p'"; cat "$work/out.txt"; fails=$((fails + 1)); }
  done
}
check 0 '^policy +fcfs -> easy \(differs\)$' '^mean_wait .* ok$' '^result: ok, 4 gated metrics' \
  -- "$work/fcfs" "$work/easy"
check 1 '^mean_wait .*REGRESSION$' '^p95_wait .*REGRESSION$' '^mean_bounded_slowdown .*REGRESSION$' \
  '^jobs +1000 paired by workload_name and job_id, 1000 started in both runs$' '^most delayed$' \
  -- "$work/easy" "$work/fcfs" --jobs
# A run compared with itself: no change at all.
check 0 '^mean_wait .* 0 +\+5% +ok$' '^  later      0, mean delay 0 s$' '^  unchanged  1000$' \
  -- "$work/easy" "$work/easy" --jobs
[ "$fails" -eq 0 ] || exit 1
echo "3 passed, 0 failed"
