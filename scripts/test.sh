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
