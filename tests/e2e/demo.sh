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
# Every job row has the 25 columns of the header.
awk -F, 'NR == 1 { n = NF } NF < n { bad++ } END { exit bad > 0 }' "$work/jobs.csv"
if command -v gnuplot > /dev/null; then
  "$jzsim" plot "$work" > /dev/null
  for f in queue_length utilisation waits; do
    head -c 8 "$work/$f.png" | od -An -tx1 | grep -q "89 50 4e 47" || { echo "bad $f.png"; exit 1; }
    grep -q "<svg" "$work/$f.svg" || { echo "bad $f.svg"; exit 1; }
  done
fi
echo "1 passed, 0 failed"
