#!/usr/bin/env bash
# installed.sh BUILD_DIR SRC WORK: install jzsim from BUILD_DIR into WORK/prefix, build saf.c
# outside the tree against the installed <jzsim/policy.h> only (this folder's CMakeLists.txt on
# its own, as README.md says), and check that the installed jzsim runs it to the hand-computed
# schedule of expected/saf-low.txt.
set -euo pipefail
build=$1 src=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
cmake --install "$build" --prefix "$work/prefix" > "$work/install.log"
test -f "$work/prefix/include/jzsim/policy.h"
# Only the installed header: the source tree's sim/ is not on the include path.
cmake -S "$src/tests/plugins" -B "$work/b" -DCMAKE_PREFIX_PATH="$work/prefix" > "$work/configure.log"
cmake --build "$work/b" --target saf > "$work/build.log"
cd "$src"
"$work/prefix/bin/jzsim" run --platform tests/plugins/data/two-nodes.yaml --workload tests/plugins/data/five.swf \
  --policy-plugin "$work/b/libsaf.so" --out "$work/out" --quiet > /dev/null
cut -d, -f1,8,14 "$work/out/jobs.csv" | diff -u tests/plugins/expected/saf-low.txt -
