#!/usr/bin/env bash
# test.sh: install what is missing, build with -Wall -Wextra -Werror plus ASan/UBSan, run ctest.
# A Release build of jzsim beside it (build-test-release) runs the end-to-end cases again: its
# outputs must equal the sanitizer build's byte for byte (docs/checking.md).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
jz_install_deps
build=${JZ_BUILD_DIR:-build-test}
release=${JZ_RELEASE_BUILD_DIR:-build-test-release}
cmake -S . -B "$release" -DCMAKE_BUILD_TYPE=Release -DJZ_WERROR=ON -DJZ_TESTS=OFF >/dev/null
cmake --build "$release" -j "$(nproc)" --target jzsim
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DJZ_WERROR=ON -DJZ_SANITIZE=ON \
  -DJZ_RELEASE_JZSIM="$PWD/$release/jzsim" >/dev/null
cmake --build "$build" -j "$(nproc)"
# SimGrid's raw contexts switch stacks behind ASan's back; it warns once and works (DESIGN §1).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_stack_use_after_return=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
