#!/usr/bin/env bash
# demo.sh: install what is missing, build in Release, replay the converged Jean Zay case
# (workloads/converged-demo.yaml: a real HPC slice on cpu_p1 and real AI-training slices on the
# V100 and H100 partitions, Jean Zay's queues, one dedicated allocation and its baseline),
# print the summary and draw the plots.  Usage: scripts/demo.sh [OUT_DIR]  (default out/demo)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
jz_install_deps
out=${1:-out/demo}
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)" --target jzsim >/dev/null
build/jzsim platform show platforms/jean-zay-2024.yaml | tail -n 3
echo
build/jzsim run --experiment workloads/converged-demo.yaml --out "$out" --quiet
build/jzsim plot "$out"
