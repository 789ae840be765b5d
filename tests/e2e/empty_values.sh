#!/usr/bin/env bash
# empty_values.sh JZSIM SRC WORKDIR: an option given an empty value ('' on the command line, a
# shell variable that expanded to nothing) is a one-line error naming the option, exit 2, and
# writes nothing. tests/data/bad/*.args cannot hold an empty argument (CMake drops it), hence
# this script. Before the fix `sweep --out ''` said ": cannot create: ..." and `--target ''`,
# `--metric ''`, `--gnuplot ''`, `--sbatch-args ''` were accepted.
set -euo pipefail
jzsim=$1 src=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
cd "$src"
fail() { echo "FAIL: $*"; exit 1; }
n=0
expect() { # expected stderr line, then the arguments
  local want=$1 rc=0
  shift
  "$jzsim" "$@" > "$work/stdout" 2> "$work/stderr" || rc=$?
  [ "$rc" -eq 2 ] || fail "jzsim $*: exit $rc, expected 2"
  local got
  got=$(grep -v -e '^==[0-9]*==WARNING: ASan' -e '^False positive error' -e 'google/sanitizers/issues/189' \
        "$work/stderr" || true)
  [ "$got" = "$want" ] || fail "jzsim $*: stderr '$got', expected '$want'"
  n=$((n + 1))
}
S=workloads/studies/longer-queues.yaml
expect "jzsim: error: sweep: option '--out' needs a value" sweep $S --out ''
expect "jzsim: error: sweep: option '--target' needs a value" sweep $S --out "$work/s" --target ''
expect "jzsim: error: sweep: option '--metric' needs a value" sweep $S --out "$work/s" --metric ''
expect "jzsim: error: sweep: option '--gnuplot' needs a value" sweep $S --out "$work/s" --gnuplot ''
expect "jzsim: error: sweep: option '--sbatch-args' needs a value" sweep $S --out "$work/s" --slurm --sbatch-args ''
expect "jzsim: error: sweep collect: option '--gnuplot' needs a value" sweep collect "$work/s" --gnuplot ''
expect "jzsim: error: plot: option '--gnuplot' needs a value" plot "$work/s" --gnuplot ''
expect "jzsim: error: run: option '--out' needs a value" run --platform tests/data/good/tiny.yaml \
  --workload tests/data/good/small.swf --out ''
[ ! -e "$work/s" ] || fail "a refused sweep wrote $work/s"
echo "ok: $n empty values refused"
