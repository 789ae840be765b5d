#!/usr/bin/env bash
# bench.sh: speed and memory of jzsim on real traces (Release build). Prints Markdown tables
# for docs/performance.md. Needs ../shared/traces beside the repository.
#   scripts/bench.sh [REPEATS] [all|cases|logs|flow|sweep|plugin]   (default 3 all)
# "cases": the engineered cases (best wall time of the repeats). "logs": every whole SWF log of
# ../shared/traces/swf on the shipped platform (cpu_p1 of platforms/jean-zay-2024.yaml, its
# real QoS), FCFS and EASY (median wall time of the repeats). "flow": 10,000 real GPU jobs
# (the shipped Philly week) as delays and as ai_training work on the full Jean Zay platform.
# "sweep": the 1,728-variant `jzsim sweep` of scripts/sweep-bench.yaml, once (several minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
jz_install_deps
repeats=${1:-3}
what=${2:-all}
case $what in all|cases|logs|flow|sweep|plugin) ;; *) echo "bench.sh: unknown part '$what' (all, cases, logs, flow, sweep, plugin)" >&2; exit 2;; esac
traces=../shared/traces/swf
[ -d "$traces" ] || { echo "bench.sh: $traces not found" >&2; exit 2; }
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)" --target jzsim jzsim-fcfs >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

flat() { # name nodes cores
  cat > "$work/$1.yaml" <<YAML
name: $1
node_types:
  n: {cores: $3, core_speed: 1Gf}
fabrics:
  net: {bandwidth: 100Gbps, latency: 1us}
partitions:
  all: {node_type: n, nodes: $2, fabric: net}
YAML
}
flat kth-100x1 100 1
flat curie-5832x16 5832 16

# run LABEL PLATFORM TRACE POLICY [extra args]: best wall time and peak RSS over the repeats.
run() {
  local label=$1 plat=$2 trace=$3 policy=$4; shift 4
  local best="" rss="" jobs
  for ((k = 0; k < repeats; k++)); do
    local t0 t1
    t0=$(date +%s.%N)
    local inputs=(--platform "$plat" --workload "$trace")
    [ -n "$trace" ] || inputs=(--experiment "$plat")
    /usr/bin/time -f "%M" -o "$work/time" build/jzsim run "${inputs[@]}" \
      --policy "$policy" --out "$work/out" --quiet --timings "$@" > "$work/stdout" 2> "$work/stderr"
    t1=$(date +%s.%N)
    wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b - a}')
    read -r kb < "$work/time"
    if [ -z "$best" ] || awk "BEGIN{exit !($wall < $best)}"; then best=$wall; rss=$kb; cp "$work/stderr" "$work/best-timings"; fi
  done
  jobs=$(sed -n 's/^jobs *\([0-9]*\) read.*/\1/p' "$work/stdout")
  local lines sim loop
  lines=$(sed -n 's/.*"job_lines": \([0-9]*\).*/\1/p' "$work/out/summary.json" | awk '{s += $1} END {print s}')
  sim=$(sed -n 's/.*simulate \([0-9.]*\) s.*/\1/p' "$work/best-timings")
  loop=$(sed -n 's/.*(loop \([0-9.]*\) s.*/\1/p' "$work/best-timings")
  printf "| %s | %s | %s | %s | %s | %.0f | %.0f | %s | %.0f | %.1f |\n" "$label" "$policy" "$lines" "$jobs" \
    "$best" "$(awk "BEGIN{print $lines / $best}")" "$(awk "BEGIN{print $jobs / $best}")" "$loop" \
    "$(awk "BEGIN{print $jobs / ($loop > 0 ? $loop : 0.001)}")" "$(awk "BEGIN{print $rss / 1024}")"
  echo "$label $policy $jobs $rss" >> "$work/rss"
}

# The engineered cases (heredocs inside: not indented).
bench_cases() {
echo "| case | policy | trace jobs | replayed jobs | wall s | trace jobs/s | replayed jobs/s | event loop s | loop jobs/s | peak RSS MiB |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for policy in fcfs easy; do
  run "KTH-SP2 whole log, 100 x 1 core" "$work/kth-100x1.yaml" "$traces/KTH-SP2-1996-2.1-cln.swf.gz" $policy
  run "CEA-Curie first 100,000 lines, 5,832 x 16" "$work/curie-5832x16.yaml" "$traces/CEA-Curie-2011-2.1-cln.swf.gz" $policy --max-jobs 100000
  run "CEA-Curie whole log, 5,832 x 16" "$work/curie-5832x16.yaml" "$traces/CEA-Curie-2011-2.1-cln.swf.gz" $policy
done
# Conservative backfilling (CPU partitions only: the Jean Zay cases below have GPU partitions
# and a dedicated allocation, which it refuses).
run "KTH-SP2 whole log, 100 x 1 core" "$work/kth-100x1.yaml" "$traces/KTH-SP2-1996-2.1-cln.swf.gz" conservative
run "CEA-Curie first 100,000 lines, 5,832 x 16" "$work/curie-5832x16.yaml" "$traces/CEA-Curie-2011-2.1-cln.swf.gz" conservative --max-jobs 100000
# The converged machine at full size: the whole Curie log on cpu_p1, the whole ITP cluster 4 on
# the V100 partition and the whole Philly table on the H100 partition, with Jean Zay's queues
# and a dedicated allocation (no --baseline, which would double the work). Curie was a 93,312-
# core machine: on cpu_p1's 28,800 cores its arrivals are slowed to 0.3x in the first case; the
# second keeps them as recorded, a 3x overload whose queue grows past 100,000 jobs (a stress).
mixed() { # name curie-scale
  cat > "$work/$1.yaml" <<YAML
platform: $PWD/platforms/jean-zay-2024.yaml
workloads:
  - {partition: cpu_p1, file: $PWD/$traces/CEA-Curie-2011-2.1-cln.swf.gz, scale: $2}
  - {partition: gpu_p13, file: $PWD/../shared/traces/gpu/microsoft-itp-elasticflow-2021/cluster04.csv}
  - {partition: gpu_p6, file: $PWD/../shared/traces/gpu/philly-pollux-2017/philly.csv.gz}
reservations:
  strategic-ai: {partition: gpu_p6, nodes: 96, accounts: [11cb48], start: 0s, end: 365d}
options: {split_long_jobs: true}
YAML
}
mixed mixed 0.3
mixed overload 1
for policy in fcfs easy; do
  run "Jean Zay mixed: Curie (0.3x) + ITP c4 + Philly, QoS, 1 allocation" "$work/mixed.yaml" "" $policy
done
for policy in fcfs easy; do
  run "Jean Zay overload: Curie (1x) + ITP c4 + Philly, QoS, 1 allocation" "$work/overload.yaml" "" $policy
done
echo
echo "Phase times of the last case (stderr of --timings):"
sed 's/^/    /' "$work/best-timings"
echo
# Memory slope between the two Curie sizes under EASY.
small=$(grep "first 100,000" "$work/rss" | grep " easy " | awk '{print $(NF-1), $NF}')
large=$(grep "whole log, 5,832" "$work/rss" | grep " easy " | awk '{print $(NF-1), $NF}')
read -r j1 r1 <<< "$small"
read -r j2 r2 <<< "$large"
awk -v j1="$j1" -v r1="$r1" -v j2="$j2" -v r2="$r2" 'BEGIN {
  printf "Memory slope (EASY, Curie): (%.1f MiB - %.1f MiB) / (%d - %d jobs) = %.0f bytes per job\n",
         r2 / 1024, r1 / 1024, j2, j1, (r2 - r1) * 1024 / (j2 - j1) }'
}

# Every whole SWF log on the shipped platform: wall time of the whole process (median of the
# repeats: the machine may be shared), CPU time (user + system, both threads; mean of the
# repeats) and peak RSS from GNU time. Jobs/s counts the trace's job lines, as the targets do.
bench_logs() {
  echo "| trace | policy | trace jobs | replayed jobs | wall s (median of $repeats) | trace jobs/s | CPU s | peak RSS MiB |"
  echo "|---|---|---|---|---|---|---|---|"
  local log policy
  for log in KTH-SP2-1996-2.1-cln NASA-iPSC-1993-3.1-cln LLNL-Thunder-2007-1.1-cln \
             HPC2N-2002-2.1-cln SDSC-BLUE-2000-4.2-cln CEA-Curie-2011-2.1-cln \
             METACENTRUM-2009-2 RICC-2010-2; do
    for policy in fcfs easy; do
      : > "$work/walls"
      local k rss=0 cpu=0
      local cmd=(build/jzsim run --platform platforms/jean-zay-2024.yaml
                 --workload "cpu_p1=$traces/$log.swf.gz" --policy "$policy" --out "$work/out" --quiet)
      # Wall time of jzsim alone (not under /usr/bin/time, whose own fork and exec add a few ms,
      # a tenth of NASA's run); CPU and peak RSS from separate runs under /usr/bin/time.
      for ((k = 0; k < repeats; k++)); do
        local t0 t1 kb u sy
        t0=$(date +%s.%N)
        "${cmd[@]}" > "$work/stdout"
        t1=$(date +%s.%N)
        awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.4f\n", b - a}' >> "$work/walls"
        /usr/bin/time -f "%M %U %S" -o "$work/time" "${cmd[@]}" > /dev/null
        read -r kb u sy < "$work/time"
        [ "$kb" -gt "$rss" ] && rss=$kb
        cpu=$(awk -v c="$cpu" -v u="$u" -v s="$sy" 'BEGIN{print c + u + s}')
      done
      local med lines jobs
      med=$(sort -n "$work/walls" | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}')
      lines=$(sed -n 's/.*"job_lines": \([0-9]*\).*/\1/p' "$work/out/summary.json" | awk '{s += $1} END {print s}')
      jobs=$(sed -n 's/^jobs *\([0-9]*\) read.*/\1/p' "$work/stdout")
      printf "| %s | %s | %s | %s | %.4f | %.0f | %.2f | %.1f |\n" "$log" "$policy" "$lines" "$jobs" "$med" \
        "$(awk "BEGIN{print $lines / $med}")" "$(awk "BEGIN{print $cpu / $repeats}")" "$(awk "BEGIN{print $rss / 1024}")"
    done
  done
  echo
}

# What the policy seam costs: FCFS built in against the same source (sim/sched/fcfs.c) loaded as
# a plugin, on the first 100,000 Curie jobs (5,832 x 16), runs interleaved, nice'd; medians of
# the event loop (policy and engine: where the seam is crossed) and of the whole process.
bench_plugin() {
  : > "$work/plugin"
  local k v
  for ((k = 0; k < repeats; k++)); do
    for v in builtin plugin; do
      local pol=(--policy fcfs)
      [ $v = plugin ] && pol=(--policy-plugin build/libjzsim-fcfs.so)
      local t0 t1
      t0=$(date +%s.%N)
      nice build/jzsim run --platform "$work/curie-5832x16.yaml" --workload "$traces/CEA-Curie-2011-2.1-cln.swf.gz" \
        --max-jobs 100000 "${pol[@]}" --out "$work/out-$v" --quiet --timings > /dev/null 2> "$work/stderr"
      t1=$(date +%s.%N)
      echo "$v $(sed -n 's/.*(loop \([0-9.]*\) s.*/\1/p' "$work/stderr") $(awk -v a="$t0" -v b="$t1" 'BEGIN{print b - a}')" >> "$work/plugin"
    done
  done
  cmp -s "$work/out-builtin/jobs.csv" "$work/out-plugin/jobs.csv" || { echo "bench.sh: the plugin's jobs.csv differs" >&2; exit 1; }
  median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
  local lb lp wb wp
  lb=$(awk '$1 == "builtin" {print $2}' "$work/plugin" | median)
  lp=$(awk '$1 == "plugin" {print $2}' "$work/plugin" | median)
  wb=$(awk '$1 == "builtin" {print $3}' "$work/plugin" | median)
  wp=$(awk '$1 == "plugin" {print $3}' "$work/plugin" | median)
  echo "| FCFS, CEA-Curie first 100,000 lines, 5,832 x 16 | event loop s (median of $repeats) | whole run s (median of $repeats) |"
  echo "|---|---|---|"
  printf "| built in (--policy fcfs) | %.3f | %.3f |\n" "$lb" "$wb"
  printf "| plugin (--policy-plugin build/libjzsim-fcfs.so) | %.3f | %.3f |\n" "$lp" "$wp"
  printf "| plugin / built in | %.2f | %.2f |\n" "$(awk "BEGIN{print $lp / $lb}")" "$(awk "BEGIN{print $wp / $wb}")"
  echo
}

# jzsim sweep: the 1,728-variant sweep of scripts/sweep-bench.yaml (the converged case, 21,358
# jobs per run) on this machine's cores: wall and CPU time (user + system, the sweep process and
# its children). The per-variant overhead, everything but the event loops, is measured paired:
# `--timings` adds up each run's event loop CPU time (both replays: the allocation and
# --baseline), taken in the run's own process while the sweep runs; overhead = (sweep CPU - those
# loops) / 1,728, so the sweep process's own work counts as overhead too. A loaded or noisy
# machine slows loops and the rest alike, and the difference keeps only the rest. Then, as a
# cross-check, the older unpaired measure: a systematic sample of 247 variants (every 7th: 7 is
# prime to every axis length, so the sample meets every value of every axis) replayed by `jzsim
# run --timings` one at a time, later; overhead = sweep CPU / 1,728 - the sample's mean loop CPU.
# The same sample gives a standalone `jzsim run` process's CPU time (what each variant cost when
# the sweep exec'ed one). Last, the sweep's own bookkeeping (spec checks, variant files read
# back by the real readers, hashes) with --no-run on a fresh directory.
bench_sweep() {
  local swall suser ssys nwall nuser nsys n=1728
  sweepdir="$work/sweep"
  /usr/bin/time -f "%e %U %S" -o "$work/sweep-time" build/jzsim sweep scripts/sweep-bench.yaml \
    --out "$sweepdir" -j "$(nproc)" --no-plot --quiet --timings > "$work/sweep-out"
  read -r swall suser ssys < "$work/sweep-time"
  local scpu sloops
  scpu=$(awk "BEGIN{print $suser + $ssys}")
  sloops=$(sed -n 's/^timings .* event loops \([0-9.]*\) s;.*/\1/p' "$work/sweep-out")
  echo "Sweep of $n variants, -j $(nproc): ${swall} s wall, $(awk "BEGIN{printf \"%.1f\", $scpu}") s CPU" \
    "($(awk "BEGIN{printf \"%.1f\", $scpu * 1000 / $n}") ms CPU per variant; user $suser s, system $ssys s)," \
    "load average $(cut -d' ' -f1-3 /proc/loadavg)"
  sed -n 's/^timings  */jzsim sweep --timings: /p' "$work/sweep-out"
  echo "Event loops of those runs (paired, --timings): ${sloops} s CPU ($(awk "BEGIN{printf \"%.1f\", $sloops * 1000 / $n}") ms per variant)"
  echo "Per-variant overhead, paired ((sweep CPU - their event loops) / $n): $(awk "BEGIN{printf \"%.1f\", ($scpu - $sloops) * 1000 / $n}") ms CPU"
  : > "$work/sample"
  local i
  for ((i = 0; i < n; i += 7)); do
    /usr/bin/time -f "%U %S" -o "$work/run-time" build/jzsim run --experiment "$sweepdir/runs/$(printf %04d $i)/experiment.yaml" \
      --out "$work/sample-out" --quiet --timings > /dev/null 2> "$work/run-timings"
    echo "$(sed -n 's/.*; CPU \([0-9.]*\) s).*/\1/p' "$work/run-timings") $(cat "$work/run-time")" >> "$work/sample"
  done
  awk -v scpu="$scpu" -v n="$n" '{loop += $1; run += $2 + $3} END {
    printf "Event loops, unpaired (sample of %d, jzsim run --timings, later): %.1f ms CPU per variant\n", NR, loop * 1000 / NR
    printf "Per-variant overhead, unpaired (sweep CPU per variant - the sample'"'"'s loops): %.1f ms CPU\n", scpu * 1000 / n - loop * 1000 / NR
    printf "A standalone jzsim run of the same sample: %.1f ms CPU per variant\n", run * 1000 / NR }' "$work/sample"
  /usr/bin/time -f "%e %U %S" -o "$work/sweep-time" build/jzsim sweep scripts/sweep-bench.yaml \
    --out "$work/sweep-norun" --no-run > /dev/null
  read -r nwall nuser nsys < "$work/sweep-time"
  echo "Sweep bookkeeping alone (--no-run): ${nwall} s wall for $n variants" \
    "($(awk "BEGIN{printf \"%.2f\", ($nuser + $nsys) * 1000 / $n}") ms CPU per variant)"
}

# Jobs as work (docs/models.md): the first 10,000 jobs of the shipped Philly week on the full
# Jean Zay platform, as recorded (delay) and as ai_training work derived from their run times
# (recorded on V100), replayed on the V100 partition and re-targeted to the H100 partition.
bench_flow() {
  local philly=workloads/philly-2017-10-09-1w.csv.gz jz=platforms/jean-zay-2024.yaml
  local rule=profile=ai_training,recorded_on=V100
  echo "| case | policy | trace jobs | replayed jobs | wall s | trace jobs/s | replayed jobs/s | event loop s | loop jobs/s | peak RSS MiB |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  run "Philly 10,000 jobs on gpu_p13, delay (trace run times)" $jz "gpu_p13=$philly" easy --max-jobs 10000
  run "same, ai_training (split 85/15/0: compute + all-reduce)" $jz "gpu_p13=$philly:$rule,split=85/15/0" easy --max-jobs 10000
  run "same, re-targeted to gpu_p6 (H100)" $jz "gpu_p6=$philly:$rule,split=85/15/0" easy --max-jobs 10000
  run "same on gpu_p13, default split 80/15/5 (dataset reads from flash)" $jz "gpu_p13=$philly:$rule" easy --max-jobs 10000
  echo
}

case $what in
  all) bench_cases; bench_logs; bench_flow; bench_sweep; bench_plugin ;;
  cases) bench_cases ;;
  logs) bench_logs ;;
  flow) bench_flow ;;
  sweep) bench_sweep ;;
  plugin) bench_plugin ;;
esac
echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB"
