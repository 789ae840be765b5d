#!/usr/bin/env bash
# checked_run.sh MODE JZSIM OTHERS PYTHON JZCHECK SRC WORKDIR NEEDS ARGS...
# Runs `jzsim ARGS` from SRC, @OUT@ in ARGS replaced by an output folder, then
#   MODE check:   tests/check/jzcheck.py on the outputs (the platform and experiment of ARGS);
#   MODE compare: the same run with each jzsim of OTHERS (':'-separated: the Release build, a
#                 plain Debug build) must write byte-identical outputs: a read of stale memory
#                 shows up as a difference (issue 7).
# Exits 77 (skipped) when NEEDS (a path, or '-') is missing, or OTHERS is empty in compare.
set -euo pipefail
mode=$1 jzsim=$2 other=$3 python=$4 jzcheck=$5 src=$6 work=$7 needs=$8
shift 8
if [ "$needs" != "-" ] && [ ! -e "$needs" ]; then
  echo "SKIP: $needs not found (this test needs ../shared beside the repository)"
  exit 77
fi
cd "$src"
run() {  # run BINARY OUTDIR
  local a args=()
  for a in "${@:3}"; do args+=("${a//@OUT@/$2}"); done
  rm -rf "$2"
  mkdir -p "$(dirname "$2")"
  "$1" "${args[@]}" --quiet > "$2.stdout"
}
case $mode in
  check)
    run "$jzsim" "$work/out" "$@"
    platform=- experiment=()
    while [ $# -gt 0 ]; do
      case $1 in
        --platform) platform=$2; shift ;;
        --experiment) experiment=(--experiment "$2"); shift ;;
      esac
      shift
    done
    "$python" "$jzcheck" "$platform" "$work/out" "${experiment[@]}" --max-violations 5
    echo "1 passed, 0 failed"
    ;;
  compare)
    if [ -z "$other" ]; then
      echo "SKIP: no other jzsim (configure with -DJZ_RELEASE_JZSIM=PATH, as scripts/test.sh does)"
      exit 77
    fi
    run "$jzsim" "$work/this" "$@"
    status=0 k=0
    IFS=: read -r -a others <<< "$other"
    for bin in "${others[@]}"; do
      k=$((k + 1))
      run "$bin" "$work/other$k" "$@"
      for f in jobs.csv summary.json queues.csv utilisation.csv; do
        if ! cmp -s "$work/this/$f" "$work/other$k/$f"; then
          echo "$f differs between $jzsim and $bin:"
          diff "$work/this/$f" "$work/other$k/$f" | head -n 20 || true
          status=1
        fi
      done
    done
    [ $status -eq 0 ] && echo "1 passed, 0 failed"
    exit $status
    ;;
  *) echo "checked_run.sh: unknown mode '$mode'" >&2; exit 2 ;;
esac
