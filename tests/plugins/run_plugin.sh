#!/usr/bin/env bash
# run_plugin.sh: the test suite's runs of tests/plugins.
#   run_plugin.sh schedule JZSIM PLUGIN_DIR SRC CASE SPEC
#     runs the worked example (data/) under --policy-plugin SPEC and compares job_id,
#     starting_time, allocated_resources with expected/CASE.txt, computed by hand; checks that
#     summary.json names the plugin with the SHA-256 of its file (computed by sha256sum).
#   run_plugin.sh experiment JZSIM PLUGIN_DIR SRC CASE SPEC
#     the same through an experiment file beside a copy of the plugin, naming it relatively
#     (policy_plugin: libsaf.so:...): the path is relative to the experiment file.
#   run_plugin.sh sweep JZSIM PLUGIN_DIR SRC CASE SPEC
#     the same through two sweeps of one run each over such an experiment file, one with the
#     plugin in the base (relative to the base), one with it as an axis value (relative to the
#     sweep file): every run's experiment.yaml must name it so that it loads from runs/NAME/.
#   run_plugin.sh bad JZSIM PLUGIN_DIR SRC CASE
#     runs `jzsim` with bad/CASE.args and expects exit status 2, exactly bad/CASE.err on stderr
#     (@DIR@ in both stands for PLUGIN_DIR) and no outputs.
set -euo pipefail
mode=$1 jzsim=$2 dir=$3 src=$4 case=$5
here=$src/tests/plugins
work=$dir/work/$mode-$case   # per mode: plugins/experiment-file and plugins/saf-high share a case
rm -rf "$work"
mkdir -p "$work"
cd "$src"
case $mode in
schedule|experiment)
  spec=$6
  if [ "$mode" = schedule ]; then
    "$jzsim" run --platform "$here/data/two-nodes.yaml" --workload "$here/data/five.swf" \
      --policy-plugin "$spec" --out "$work/out" --quiet > "$work/stdout"
  else
    cp "${spec%%:*}" "$work/libsaf.so"
    spec=$work/libsaf.so:${spec#*:}
    printf 'platform: %s\npolicy_plugin: libsaf.so:%s\nworkloads:\n  - {file: %s}\n' \
      "$here/data/two-nodes.yaml" "${spec#*:}" "$here/data/five.swf" > "$work/exp.yaml"
    "$jzsim" run --experiment "$work/exp.yaml" --out "$work/out" --quiet > "$work/stdout"
  fi
  cut -d, -f1,8,14 "$work/out/jobs.csv" > "$work/got.txt"
  diff -u "$here/expected/$case.txt" "$work/got.txt"
  lib=${spec%%:*}
  sum=$(sha256sum "$lib" | cut -d' ' -f1)
  python3 - "$work/out/summary.json" "$lib" "$sum" "${spec#*:}" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
p = s["inputs"]["policy_plugin"]
assert s["inputs"]["policy"] == "saf", s["inputs"]["policy"]
assert p == {"file": sys.argv[2], "bytes": p["bytes"], "sha256": sys.argv[3], "name": "saf",
             "params": sys.argv[4]}, p
PY
  ;;
sweep)
  spec=$6
  mkdir -p "$work/base"
  cp "${spec%%:*}" "$work/base/libsaf.so"
  cp "$here/data/two-nodes.yaml" "$here/data/five.swf" "$work/base/"
  printf 'platform: two-nodes.yaml\npolicy_plugin: libsaf.so:%s\nworkloads:\n  - {file: five.swf}\n' \
    "${spec#*:}" > "$work/base/exp.yaml"
  printf 'base: base/exp.yaml\naxes:\n  platform.partitions.all.nodes: [2]\n' > "$work/in-base.yaml"
  printf 'base: base/exp.yaml\naxes:\n  policy_plugin: ["base/libsaf.so:%s"]\n' "${spec#*:}" > "$work/as-axis.yaml"
  for s in in-base as-axis; do
    "$jzsim" sweep "$work/$s.yaml" --out "$work/$s" -j 1 --quiet --no-plot > "$work/$s.stdout"
    cut -d, -f1,8,14 "$work/$s/runs/0000/out/jobs.csv" > "$work/got-$s.txt"
    diff -u "$here/expected/$case.txt" "$work/got-$s.txt"
  done
  ;;
bad)
  args=$(sed "s|@DIR@|$dir|g" "$here/bad/$case.args")
  expected=$(sed "s|@DIR@|$dir|g" "$here/bad/$case.err")
  set +e
  # shellcheck disable=SC2086 # the arguments are words
  "$jzsim" $args --out "$work/out" --quiet > "$work/stdout" 2> "$work/stderr"
  rc=$?
  set -e
  # Under ASan (scripts/test.sh), SimGrid's contexts make ASan print a three-line warning
  # (DESIGN §1) once the simulation runs: not jzsim's output.
  got=$(grep -v -e '^==[0-9]*==WARNING: ASan is ignoring requested __asan_handle_no_return' \
          -e '^False positive error reports may follow$' \
          -e '^For details see https://github.com/google/sanitizers/issues/189$' "$work/stderr" || true)
  [ "$rc" = 2 ] || { echo "exit status $rc, expected 2; stderr: $got"; exit 1; }
  [ "$got" = "$expected" ] || { printf 'stderr differs\n  got:      %s\n  expected: %s\n' "$got" "$expected"; exit 1; }
  for f in jobs.csv summary.json queues.csv utilisation.csv; do
    [ ! -e "$work/out/$f" ] || { echo "$f written despite the error"; exit 1; }
  done
  ;;
esac
