#!/usr/bin/env bash
# test.sh: install what is missing, build with -Wall -Wextra -Werror plus ASan/UBSan, run ctest.
# A Release build of jzsim (build-test-release) and a plain Debug one (build-test-debug) run the
# end-to-end cases again: their outputs must equal the sanitizer build's byte for byte, so that
# a read of stale memory shows up (docs/checking.md).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
jz_install_deps
build=${JZ_BUILD_DIR:-build-test}
release=${JZ_RELEASE_BUILD_DIR:-build-test-release}
debug=${JZ_DEBUG_BUILD_DIR:-build-test-debug}
for kind in Release Debug; do
  dir=$release
  [ "$kind" = Debug ] && dir=$debug
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=$kind -DJZ_WERROR=ON -DJZ_TESTS=OFF >/dev/null
  cmake --build "$dir" -j "$(nproc)" --target jzsim
done
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DJZ_WERROR=ON -DJZ_SANITIZE=ON \
  -DJZ_RELEASE_JZSIM="$PWD/$release/jzsim" -DJZ_DEBUG_JZSIM="$PWD/$debug/jzsim" >/dev/null
cmake --build "$build" -j "$(nproc)"
# SimGrid's raw contexts switch stacks behind ASan's back; it warns once and works (DESIGN §1).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_stack_use_after_return=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
