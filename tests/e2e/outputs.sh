#!/usr/bin/env bash
# outputs.sh JZSIM SRC WORKDIR: a run's four outputs are committed as one unit (issue 8,
# items 4-6). A run killed at any point of its commit (SIGKILL included) leaves the previous
# run's complete outputs or the new run's, never a mix; SIGTERM and SIGINT leave no stray
# file and exit 143 and 130; an --out the run cannot replace whole is refused before
# anything is written; a symlink planted in --out is never written through.
# The kill points come from the test-only hook JZSIM_TEST_PAUSE=open|written|swapped
# (sim/outfile.c): the run says "jzsim: test pause at POINT" on stderr and waits there.
set -euo pipefail
jzsim=$1 src=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
cd "$src"
mixed=tests/data/good/mixed.yaml
old_args=(--platform $mixed --workload gpu=tests/data/good/itp-small.csv)
new_args=(--platform $mixed --workload tests/data/good/small.swf)
files="jobs.csv summary.json queues.csv utilisation.csv"
pass=0
# stderr without the sanitizer build's notice about SimGrid's stack switching (DESIGN §1).
errors() {
  grep -v -e '^==[0-9]*==WARNING: ASan is ignoring' -e '^False positive error reports may follow' \
    -e '^For details see https://github.com/google/sanitizers/issues/189' "$1" || true
}
fail() { echo "FAIL: $*"; exit 1; }
run() { timeout 120 "$jzsim" run --quiet "$@" >/dev/null; }
same_run() { # $1 reference dir, $2 dir: the same four files, byte for byte, and nothing else
  local f
  for f in $files; do cmp -s "$1/$f" "$2/$f" || fail "$2/$f is not the one of $1"; done
  [ "$(ls -A "$2" | wc -l)" -eq 4 ] || fail "$2 holds more than the outputs: $(ls -A "$2")"
}
no_stray() { # $1 parent: only out/ (and our own err file), no work directory
  local left
  left=$(ls -A "$1" | grep -v -x -e out -e err || true)
  [ -z "$left" ] || fail "stray entries in $1: $left"
}

# References: the previous run (an ITP trace) and the new one (SWF), each alone.
run "${old_args[@]}" --out "$work/ref-old/out"
run "${new_args[@]}" --out "$work/ref-new/out"
cmp -s "$work/ref-old/out/jobs.csv" "$work/ref-new/out/jobs.csv" && fail "references equal"

# A second run over a previous one replaces it whole.
run "${old_args[@]}" --out "$work/again/out"
run "${new_args[@]}" --out "$work/again/out"
same_run "$work/ref-new/out" "$work/again/out"
no_stray "$work/again"
pass=$((pass + 1))

# Kill the new run at each point of its commit with each signal.
for point in open written swapped; do
  for sig in TERM INT KILL; do
    d="$work/kill-$point-$sig"
    run "${old_args[@]}" --out "$d/out"
    JZSIM_TEST_PAUSE=$point "$jzsim" run --quiet "${new_args[@]}" --out "$d/out" \
      >/dev/null 2>"$d/err" &
    pid=$!
    for i in $(seq 300); do grep -q "test pause at $point" "$d/err" && break; sleep 0.1; done
    if ! grep -q "test pause at $point" "$d/err"; then
      kill -KILL "$pid" 2>/dev/null || true
      wait "$pid" || true
      fail "$point: the run never paused"
    fi
    kill -"$sig" "$pid"
    rc=0
    wait "$pid" || rc=$?
    want=$((128 + $(kill -l "$sig")))
    [ "$rc" -eq "$want" ] || fail "$point $sig: exit status $rc, expected $want"
    # Before the swap DIR is still the previous run; from the swap on it is the new one.
    if [ "$point" = swapped ]; then same_run "$work/ref-new/out" "$d/out"
    else same_run "$work/ref-old/out" "$d/out"; fi
    if [ "$sig" = KILL ]; then
      # Nothing could clean up: the work directory stays, hidden beside out/, until the next
      # run with the same --out removes it.
      [ -n "$(ls -A "$d" | grep '^\.out\.jzsim-')" ] || fail "$point KILL: no work directory?"
      run "${new_args[@]}" --out "$d/out"
      same_run "$work/ref-new/out" "$d/out"
    fi
    no_stray "$d"
    pass=$((pass + 1))
  done
done

# summary.json a directory inside --out: refused before the run, nothing new written.
d="$work/dir-in-out"
run "${old_args[@]}" --out "$d/out"
rm "$d/out/summary.json"
mkdir "$d/out/summary.json"
rc=0
"$jzsim" run --quiet "${new_args[@]}" --out "$d/out" >/dev/null 2>"$d/err" || rc=$?
[ "$rc" -eq 2 ] || fail "summary.json directory: exit status $rc"
[ "$(errors "$d/err")" = "jzsim: error: $d/out: holds 'summary.json' (a directory), which jzsim did not write: a run replaces its output directory as a whole (choose another --out, or empty it)" ] ||
  fail "summary.json directory: $(errors "$d/err")"
for f in jobs.csv queues.csv utilisation.csv; do
  cmp -s "$work/ref-old/out/$f" "$d/out/$f" || fail "summary.json directory: $f was rewritten"
done
no_stray "$d"
pass=$((pass + 1))

# A file of the user's in --out: refused, kept.
d="$work/foreign"
run "${old_args[@]}" --out "$d/out"
echo "my notes" > "$d/out/notes.txt"
rc=0
"$jzsim" run --quiet "${new_args[@]}" --out "$d/out" >/dev/null 2>"$d/err" || rc=$?
[ "$rc" -eq 2 ] || fail "foreign file: exit status $rc"
[ "$(cat "$d/out/notes.txt")" = "my notes" ] || fail "foreign file changed"
cmp -s "$work/ref-old/out/jobs.csv" "$d/out/jobs.csv" || fail "foreign file: jobs.csv rewritten"
pass=$((pass + 1))

# Symlinks planted in --out under the temporary and final names: the run succeeds, writes
# through none of them, and their target stays as it was.
d="$work/symlink"
run "${old_args[@]}" --out "$d/out"
echo "must stay" > "$d/target"
for f in jobs.csv.tmp summary.json.tmp queues.csv utilisation.csv.tmp; do
  rm -f "$d/out/$f"
  ln -s "$d/target" "$d/out/$f"
done
run "${new_args[@]}" --out "$d/out"
[ "$(cat "$d/target")" = "must stay" ] || fail "symlink target overwritten"
same_run "$work/ref-new/out" "$d/out"
for f in $files; do [ -L "$d/out/$f" ] && fail "$f is a symlink"; done
pass=$((pass + 1))

# --out through a symlink to a directory: the link stays, its target gets the outputs.
d="$work/linked"
mkdir -p "$d/real"
ln -s real "$d/out"
run "${new_args[@]}" --out "$d/out"
[ -L "$d/out" ] || fail "--out symlink replaced"
same_run "$work/ref-new/out" "$d/real"
pass=$((pass + 1))

# The same with a trailing slash, as a shell's completion writes it ("out/"): lstat("out/")
# follows the link, and the run used to fail at its commit, after the simulation ("cannot
# rename to out: Not a directory", exit 2).
d="$work/linked-slash"
mkdir -p "$d/real"
ln -s real "$d/out"
run "${old_args[@]}" --out "$d/out/" || fail "--out LINK/ refused"
[ -L "$d/out" ] || fail "--out symlink/ replaced"
same_run "$work/ref-old/out" "$d/real"
run "${new_args[@]}" --out "$d/out//" || fail "--out LINK// refused"
same_run "$work/ref-new/out" "$d/real"
left=$(ls -A "$d" | grep -v -x -e out -e real || true)
[ -z "$left" ] || fail "stray entries in $d: $left"
pass=$((pass + 1))

echo "$pass passed, 0 failed"
