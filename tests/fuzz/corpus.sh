#!/bin/sh
# corpus.sh SRC OUT HARNESS: write the seed corpus of HARNESS (tests/fuzz/seeds.txt) into OUT,
# one file per seed, named after its source. Decompresses .gz and cuts each seed at a line end
# to at most 16 KiB; a path written "=path" is copied as it is. pipeline seeds are written once as they are and once per platform with
# the option bytes "\0 P 0" in front (fuzz_pipeline.c).
set -eu
src=$1 out=$2 h=$3
mkdir -p "$out"
globs=$(sed -n "s/^$h: //p" "$src/tests/fuzz/seeds.txt")
[ -n "$globs" ] || { echo "corpus.sh: no seeds for '$h'" >&2; exit 2; }
cd "$src"
for f in $globs; do
  case "$f" in
    =*) # "=path": copied as it is (a gzip file stays compressed: the reader's zlib path).
      f=${f#=}
      [ -f "$f" ] && cp "$f" "$out/raw_$(echo "$f" | tr '/' '_')"
      continue ;;
  esac
  [ -f "$f" ] || continue
  name=$(echo "$f" | tr '/' '_')
  case "$f" in
    *.gz) gzip -dc "$f" ;;
    *) cat "$f" ;;
  esac | head -c 16384 > "$out/$name.tmp"
  # Drop a last line cut in the middle (keep a file that is one long line).
  if [ "$(wc -c < "$out/$name.tmp")" -eq 16384 ] && [ "$(grep -c '' "$out/$name.tmp")" -gt 1 ]; then
    sed '$d' "$out/$name.tmp" > "$out/$name"
    rm "$out/$name.tmp"
  else
    mv "$out/$name.tmp" "$out/$name"
  fi
  if [ "$h" = pipeline ]; then
    for p in 1 2 3 4 5 6 7 9 10 66 82; do
      { printf '\000'; printf "\\$(printf '%03o' "$p")"; printf '\000'; cat "$out/$name"; } > "$out/$name.p$p"
    done
    # The GPU partitions of gpu2, mixed and Jean Zay (gpu_p13).
    { printf '\000\001\001'; cat "$out/$name"; } > "$out/$name.gpu2"
    { printf '\000\002\002'; cat "$out/$name"; } > "$out/$name.mixed-gpu"
    { printf '\000\007\002'; cat "$out/$name"; } > "$out/$name.jz-gpu"
  fi
done
