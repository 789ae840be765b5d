#!/usr/bin/env bash
# fuzz.sh: build the fuzz harnesses of tests/fuzz/ with clang's libFuzzer and run them.
#
#   scripts/fuzz.sh HARNESS [SECONDS] [LIBFUZZER OPTIONS...]   one harness (default 60 s)
#   scripts/fuzz.sh all [SECONDS] [LIBFUZZER OPTIONS...]       every harness, one after the other
#   scripts/fuzz.sh --list                                     the harnesses
#   scripts/fuzz.sh --check                                    exit 0 if clang and libFuzzer work
#
# Builds in ${JZ_FUZZ_BUILD_DIR:-build-fuzz} (clang, -DJZ_FUZZ=ON: ASan + UBSan + libFuzzer).
# Each run starts from the seeds (tests/fuzz/seeds.txt, rebuilt each time), the regression
# corpus tests/fuzz/regress/HARNESS/ and what earlier runs found (BUILD/corpus/HARNESS/, kept:
# a long campaign goes on where the last one stopped). A crash, leak, UB, timeout (25 s per
# input) or broken property leaves its input in BUILD/artifacts/HARNESS/ and makes this script
# exit 1 naming it; replay it with `BUILD/tests/fuzz/fuzz_HARNESS FILE`, and once fixed copy it
# into tests/fuzz/regress/HARNESS/ so that ctest replays it. Prefix with `nice` on a shared
# machine. docs/reliability.md has the harnesses, the figures and what they found.
set -euo pipefail
cd "$(dirname "$0")/.."
HARNESSES="units platform experiment swf itp philly openb sacct jobs_csv jobs_yaml detect pipeline plot_csv"
build=${JZ_FUZZ_BUILD_DIR:-build-fuzz}
cc=${JZ_FUZZ_CC:-clang}

check() {
  command -v "$cc" >/dev/null 2>&1 || return 1
  local t
  t=$(mktemp -d)
  printf '%s\n' 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n);' \
    'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }' \
    > "$t/f.c"
  local ok=0
  "$cc" -fsanitize=fuzzer,address,undefined "$t/f.c" -o "$t/f" >/dev/null 2>&1 || ok=1
  rm -rf "$t"
  return $ok
}

case "${1:-}" in
  --list) echo "$HARNESSES"; exit 0 ;;
  --check) check; exit $? ;;
  ""|-h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
what=$1
secs=${2:-60}
shift $(( $# >= 2 ? 2 : 1 ))
if [ "$what" = all ]; then
  list=$HARNESSES
else
  case " $HARNESSES " in *" $what "*) list=$what ;; *)
    echo "fuzz.sh: unknown harness '$what' (harnesses: $HARNESSES)" >&2; exit 2 ;; esac
fi
case "$secs" in ''|*[!0-9]*) echo "fuzz.sh: SECONDS must be a whole number, got '$secs'" >&2; exit 2 ;; esac
if ! check; then
  echo "fuzz.sh: '$cc' cannot build a libFuzzer program (Debian 12: apt-get install clang libclang-rt-14-dev)" >&2
  exit 2
fi

cmake -S . -B "$build" -DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE=Debug -DJZ_FUZZ=ON -DJZ_TESTS=OFF >/dev/null
targets=()
for h in $list; do targets+=(--target "fuzz_$h"); done
cmake --build "$build" -j "$(nproc)" "${targets[@]}" >/dev/null

# SimGrid is linked but never started by the harnesses; keep ASan's defaults otherwise.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_stack_use_after_return=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
for h in $list; do
  seeds="$build/seeds/$h" corpus="$build/corpus/$h" art="$build/artifacts/$h"
  rm -rf "$seeds"
  mkdir -p "$corpus" "$art"
  sh tests/fuzz/corpus.sh . "$seeds" "$h"
  dirs=("$corpus" "$seeds")
  [ -d "tests/fuzz/regress/$h" ] && dirs+=("tests/fuzz/regress/$h")
  log="$build/fuzz-$h.log"
  touch "$log.start" # artifacts newer than this are this run's findings
  rc=0
  "$build/tests/fuzz/fuzz_$h" -max_total_time="$secs" -max_len=16384 -timeout=25 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$art/" "$@" "${dirs[@]}" \
    >"$log" 2>&1 || rc=$?
  # The final statistics, or with -fork the last status line "#RUNS: cov: N ...".
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1) || true
  [ -n "$runs" ] || runs=$(sed -n 's/^#\([0-9]*\):* .*/\1/p' "$log" | tail -1) || true
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2) || true
  size=$(find "$corpus" -type f | wc -l)
  found=$(find "$art" -type f -newer "$log.start" | sort | tr '\n' ' ') || true
  line="fuzz: $h: ${secs} s, ${runs:-?} runs ($(( ${runs:-0} / (secs > 0 ? secs : 1) ))/s), coverage ${cov:-?} edges, corpus $size inputs"
  if [ "$rc" -eq 0 ] && [ -z "$found" ]; then
    echo "$line: ok"
  else
    status=1
    echo "$line: FAILED; inputs: ${found:-none saved}; log: $log" >&2
    grep -m3 -E "ERROR: |runtime error|property failed|SUMMARY" "$log" >&2 || true
  fi
  rm -f "$log.start"
done
exit $status
