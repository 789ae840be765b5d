#!/usr/bin/env bash
# determinism.sh JZSIM SRC WORKDIR: two runs of the shipped Curie slice under EASY on the
# shipped Jean Zay platform must write byte-identical jobs.csv and summary.json.
set -euo pipefail
jzsim=$1 src=$2 work=$3
rm -rf "$work"
for k in 1 2; do
  "$jzsim" run --platform "$src/platforms/jean-zay-2024.yaml" \
    --workload "$src/workloads/curie-2012-5k.swf.gz" --policy easy --out "$work/$k" --quiet >/dev/null
done
cmp "$work/1/jobs.csv" "$work/2/jobs.csv"
cmp "$work/1/summary.json" "$work/2/summary.json"
rows=$(($(wc -l < "$work/1/jobs.csv") - 1))
[ "$rows" -gt 4000 ] || { echo "only $rows rows"; exit 1; }
echo "1 passed, 0 failed"
