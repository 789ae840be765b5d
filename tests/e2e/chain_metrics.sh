#!/usr/bin/env bash
# chain_metrics.sh JZSIM SRC WORKDIR: summary.json's `chains` section and the echoed
# options.restart_cost on a schedule computed by hand (issue 11, study 1: the long jobs'
# turnaround). tests/e2e/chain-metrics/: one 2-core node, queue q of 1 h (M = 3600 s), FCFS,
# restart_cost 10 min (C = 600 s): a chain of a job of W s has k = 1 + ceil((W - M) / (M - C))
# segments, the first running M, the middle ones M (C reloading + M - C of work), the last
# C + what is left.
#   A: submit 0,   W 6000, 2 cores -> k 2: A/1 3600, A/2 600 + 2400 = 3000
#   B: submit 100, 1000 s, 2 cores (no chain)
#   C: submit 200, W 9000, 1 core  -> k 3: C/1 3600, C/2 3600, C/3 600 + 2400 = 3000
#   D: submit 300, W 4000, 1 core  -> k 2: D/1 3600, D/2 600 + 400 = 1000
# FCFS (each job waits for all before it): A/1 0-3600; B 3600-4600 (A/2 is submitted at 3600,
# behind B, C/1, D/1); C/1 and D/1 4600-8200; A/2 8200-11200 (first in the queue, 2 cores);
# C/2 and D/2 (submitted at 8200) 11200-14800 and 11200-12200; C/3 14800-17800.
# Turnarounds (last end - first submit): A 11200, C 17600, D 12200 - 300 = 11900.
# Waits (sum over segments): A 0 + 4600 = 4600; C 4400 + 3000 + 0 = 7400; D 4300 + 3000 = 7300.
# Before the section existed this failed on the missing keys.
set -euo pipefail
jzsim=$1 src=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
cd "$src"
"$jzsim" run --quiet --experiment tests/e2e/chain-metrics/experiment.yaml --out "$work/out" >/dev/null
python3 - "$work/out/summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
want = {
    "inputs.options.restart_cost": 600,
    "jobs.chains": 3, "jobs.chain_segments": 7,
    "chains.count": 3,
    "chains.turnaround.mean": (11200 + 17600 + 11900) / 3, "chains.turnaround.median": 11900,
    "chains.turnaround.p95": 17600, "chains.turnaround.max": 17600,
    "chains.wait.mean": (4600 + 7400 + 7300) / 3, "chains.wait.median": 7300,
    "chains.wait.p95": 7400, "chains.wait.max": 7400,
}
bad = 0
for path, v in want.items():
    cur = s
    for k in path.split("."):
        cur = cur.get(k) if isinstance(cur, dict) else None
    if not isinstance(cur, (int, float)) or abs(cur - v) > 1e-9 * max(1, abs(v)):
        print("FAIL: %s is %r, expected %r" % (path, cur, v))
        bad += 1
sys.exit(1 if bad else 0)
PY
echo "chain metrics: ok"
