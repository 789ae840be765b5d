#!/usr/bin/env bash
# test.sh: install what is missing, build with -Wall -Wextra -Werror plus ASan/UBSan, run ctest.
# A Release build of jzsim (build-test-release) and a plain Debug one (build-test-debug) run the
# end-to-end cases again: their outputs must equal the sanitizer build's byte for byte, so that
# a read of stale memory shows up (docs/checking.md).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
jz_install_deps
# Optional: the Slurm packages for tests/sweep/slurm.sh (skipped, not failed, without them).
jz_install_slurm || echo "test.sh: Slurm packages not installed: the Slurm sweep test will be skipped" >&2
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
