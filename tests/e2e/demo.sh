#!/usr/bin/env bash
# demo.sh JZSIM SRC WORKDIR: the converged demo experiment end to end through the CLI: all four
# outputs, a price of dedication (baseline run), every workload read with its own reader, and
# the plots drawn. Numbers are checked by the unit and golden tests; this checks the wiring.
set -euo pipefail
jzsim=$1 src=$2 work=$3
rm -rf "$work"
cd "$src"
"$jzsim" run --experiment workloads/converged-demo.yaml --out "$work" --quiet > "$work.stdout"
for f in jobs.csv summary.json queues.csv utilisation.csv; do [ -s "$work/$f" ] || { echo "no $f"; exit 1; }; done
grep -q '"price_of_dedication"' "$work/summary.json"
grep -q '"format": "swf"' "$work/summary.json"
grep -q '"format": "itp"' "$work/summary.json"
grep -q '"format": "philly"' "$work/summary.json"
grep -q '^price of dedication' "$work.stdout"
# Every job row has the 26 columns of the header.
awk -F, 'NR == 1 { n = NF } NF < n { bad++ } END { exit bad > 0 }' "$work/jobs.csv"
# Energy identity (sim/metrics/energy.h): the jobs' energies (last column) sum to the busy
# energy, and per partition and in all busy + idle = total, to 1e-9 relative.
jobs_j=$(awk -F, 'NR > 1 { s += $NF } END { printf "%.17g", s }' "$work/jobs.csv")
awk -v jobs="$jobs_j" '
  function num(x) { sub(/,$/, "", x); return x + 0 }
  function near(a, b) { d = a - b; if (d < 0) d = -d; return d <= 1e-9 * (b < 0 ? -b : b) }
  /^  "energy_busy_mwh"/ { if (!near(jobs / 3.6e9, num($2))) { print "sum of jobs.csv energy_joules", jobs / 3.6e9, "MWh != energy_busy_mwh", $2; bad++ } }
  /^ *"energy_mwh"/ { t = num($2) }
  /^ *"energy_busy_mwh"/ { b = num($2) }
  /^ *"energy_idle_mwh"/ { if ($2 != "null," && $2 != "null") { n++; if (!near(b + num($2), t)) { print "busy + idle != total:", b, $2, t; bad++ } } }
  END { if (n < 2) { print "no energy figures in summary.json"; bad++ } exit bad > 0 }' "$work/summary.json"
grep -q '"heat_reused_mwh": [0-9]' "$work/summary.json"
grep -q '^  heat reused ' "$work.stdout"
if command -v gnuplot > /dev/null; then
  "$jzsim" plot "$work" > /dev/null
  for f in queue_length utilisation waits; do
    head -c 8 "$work/$f.png" | od -An -tx1 | grep -q "89 50 4e 47" || { echo "bad $f.png"; exit 1; }
    grep -q "<svg" "$work/$f.svg" || { echo "bad $f.svg"; exit 1; }
  done
fi
echo "1 passed, 0 failed"
