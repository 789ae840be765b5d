#!/usr/bin/env bash
# update-golden.sh JZSIM CASE: rewrite tests/e2e/cases/CASE/expected from a fresh run, only if
# tests/e2e/GOLDEN_CHANGES.md names CASE in a line added since the expected files last changed.
set -euo pipefail
jzsim=$1 case=$2
cd "$(dirname "$0")/../.."
dir=tests/e2e/cases/$case
[ -d "$dir" ] || { echo "no case $case" >&2; exit 2; }
if ! git diff HEAD -- tests/e2e/GOLDEN_CHANGES.md | grep -q "^+.*$case"; then
  echo "update-golden: add a line naming '$case' and the reason to tests/e2e/GOLDEN_CHANGES.md first" >&2
  exit 2
fi
args=$(sed "s|@OUT@|$dir/expected.new|" "$dir/args")
rm -rf "$dir/expected.new"
# shellcheck disable=SC2086
"$jzsim" $args --quiet > /dev/null
for f in "$dir"/expected/*; do cp "$dir/expected.new/$(basename "$f")" "$f"; done
rm -rf "$dir/expected.new"
git diff --stat -- "$dir/expected"
