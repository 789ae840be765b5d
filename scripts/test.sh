#!/usr/bin/env bash
# test.sh: install what is missing, build with -Wall -Wextra -Werror plus ASan/UBSan, run ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
jz_install_deps
build=${JZ_BUILD_DIR:-build-test}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DJZ_WERROR=ON -DJZ_SANITIZE=ON >/dev/null
cmake --build "$build" -j "$(nproc)"
# SimGrid's raw contexts switch stacks behind ASan's back; it warns once and works (DESIGN §1).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_stack_use_after_return=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
# A short fuzz pass (docs/reliability.md): every harness of tests/fuzz/ for JZ_FUZZ_SECONDS
# (default 10; 0 skips it) when clang can build libFuzzer programs. Debian 12's clang package
# alone does not bring libFuzzer (libclang-rt-14-dev, only recommended), so it is not a
# dependency: without it the pass is skipped, and ctest has already replayed every harness's
# seeds and regression corpus above.
fuzz_secs=${JZ_FUZZ_SECONDS:-10}
if [ "$fuzz_secs" != 0 ]; then
  if scripts/fuzz.sh --check; then
    nice scripts/fuzz.sh all "$fuzz_secs"
  else
    echo "test.sh: no clang with libFuzzer (apt-get install clang libclang-rt-14-dev): fuzz pass skipped" >&2
  fi
fi
