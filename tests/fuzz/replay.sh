#!/bin/sh
# replay.sh BIN SRC HARNESS: ctest's replay of a fuzz harness without libFuzzer: its seed
# corpus (corpus.sh) and its regression corpus tests/fuzz/regress/HARNESS/, if any.
set -eu
bin=$1 src=$2 h=$3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/jz-replay-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
sh "$src/tests/fuzz/corpus.sh" "$src" "$tmp" "$h"
set -- "$tmp"
[ -d "$src/tests/fuzz/regress/$h" ] && set -- "$@" "$src/tests/fuzz/regress/$h"
"$bin" "$@" 2>"$tmp.log" || { cat "$tmp.log" >&2; rm -f "$tmp.log"; exit 1; }
tail -1 "$tmp.log"
rm -f "$tmp.log"
