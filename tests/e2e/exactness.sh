#!/usr/bin/env bash
# exactness.sh JZSIM REFSCHED TRACE POLICY WORKDIR
# Replays a cleaned trace of ../shared/traces/swf/prepared on a flat platform of MaxProcs
# one-core nodes and compares every job's start time with the independent refsched (REFSCHED
# "-": only the replay, into WORKDIR/out, for a script that checks it another way).
set -euo pipefail
jzsim=$1 ref=$2 trace=$3 policy=$4 work=$5
if [ ! -f "$trace" ]; then
  echo "SKIP: $trace not found (the exactness tests need ../shared beside the repository)"
  exit 77
fi
maxprocs=$( (gzip -dc -f "$trace" 2>/dev/null || true) | sed -n 's/^;[[:space:]]*MaxProcs:[[:space:]]*\([0-9]*\).*/\1/p' | head -n 1)
[ -n "$maxprocs" ] || { echo "no MaxProcs header in $trace"; exit 1; }
rm -rf "$work"
mkdir -p "$work"
cat > "$work/flat.yaml" <<YAML
name: flat-$maxprocs
node_types:
  one-core: {cores: 1, core_speed: 1Gf}
fabrics:
  net: {bandwidth: 10Gbps, latency: 1us}
partitions:
  all: {node_type: one-core, nodes: $maxprocs, fabric: net}
YAML
"$jzsim" run --platform "$work/flat.yaml" --workload "$trace" --policy "$policy" \
  --out "$work/out" --quiet > "$work/stdout.txt"
[ "$ref" = - ] || "$ref" "$policy" "$trace" "$work/out/jobs.csv"
