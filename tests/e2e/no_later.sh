#!/usr/bin/env bash
# no_later.sh JZSIM TRACE|CASE_DIR WORKDIR
# Conservative backfilling's guarantee on a real trace (or on a golden case of
# tests/e2e/cases, run with its args): no reservation ever moves later.
# jzsim writes every placement (JZSIM_CONSERVATIVE_LOG: "row,time,reserved_start", row being
# the job's row in jobs.csv, 1 for the first job: ids repeat across workloads; a start being a
# placement at its own time); this script checks, apart from jzsim, that each job's
# reserved starts never increase, that its last one is its starting_time in jobs.csv, and
# that every job that ran was placed (its first reservation is the promise it got on arrival).
set -euo pipefail
jzsim=$1 trace=$2 work=$(realpath -m "$3")
if [ -d "$trace" ]; then
  # A golden case: its args, run from the repository root (where its paths start).
  rm -rf "$work"
  mkdir -p "$work"
  args=$(sed "s|@OUT@|$work/out|" "$trace/args")
  # shellcheck disable=SC2086 # the case's args are words
  (cd "$(dirname "$0")/../.." && JZSIM_CONSERVATIVE_LOG="$work.placements.csv" "$jzsim" $args \
    --quiet > "$work/stdout.txt")
else
  # The replay on a flat platform of the trace's MaxProcs one-core nodes (exactness.sh's).
  JZSIM_CONSERVATIVE_LOG="$work.placements.csv" "$(dirname "$0")/exactness.sh" "$jzsim" - "$trace" \
    conservative "$work"
fi
awk -F, '
  FNR == 1 && NR != 1 { injobs = 1; next }   # jobs.csv header
  !injobs {
    if ($3 == "held") { delete last[$1]; next }
    if (($1 in last) && $3 + 0 > last[$1] + 0) {
      printf "job in row %s: reservation moved later at t=%s: %s -> %s\n", $1, $2, last[$1], $3; bad++
    }
    if (!($1 in first)) first[$1] = $3
    last[$1] = $3; moves += ($1 in seen); seen[$1] = 1; next
  }
  $7 == "REJECTED" { next }
  {
    n++; row = FNR - 1
    if (!(row in last)) { printf "job %s: started without a placement\n", $1; bad++; next }
    if ($8 + 0 != last[row] + 0) { printf "job %s: starts at %s, last reserved %s\n", $1, $8, last[row]; bad++ }
    if ($8 + 0 < first[row] + 0) earlier++
  }
  END {
    printf "%d jobs, %d re-placements, %d started before their first reservation, %d violations\n", n, moves, earlier, bad
    exit bad > 0
  }' "$work.placements.csv" "$work/out/jobs.csv"
