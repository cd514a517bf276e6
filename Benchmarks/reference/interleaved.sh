#!/bin/bash
# Two-thread training and meta-step figures, interleaved with PyTorch's so both see the same
# machine: ROUNDS rounds (default 3) of `taalm-bench --json train meta`, then (if given) a second
# taalm-bench binary to compare with, then the three PyTorch reference scripts. Quote the median
# of the rounds. Needs a release build (`swift build -c release`) and python3 with torch.
# TORCH_PYTHONS lists the interpreters to run the PyTorch scripts with, one after another in
# each round (default python3), to compare PyTorch versions on the same machine state; each
# line ends with the torch version that printed it.
#
#     Benchmarks/reference/interleaved.sh [other-taalm-bench] [rounds]
#     TORCH_PYTHONS="python3 /opt/torch215/bin/python" Benchmarks/reference/interleaved.sh "" 5
set -euo pipefail
cd "$(dirname "$0")/../.."
other="${1:-}"
rounds="${2:-3}"
for r in $(seq 1 "$rounds"); do
  echo "## round $r $(date +%T) load $(cut -d' ' -f1 /proc/loadavg)"
  .build/release/taalm-bench --json train meta 2>&1 | grep '"section"' | sed 's/^/this /'
  if [ -n "$other" ]; then "$other" --json train meta 2>&1 | grep '"section"' | sed 's/^/other /'; fi
  for py in ${TORCH_PYTHONS:-python3}; do
    "$py" Benchmarks/reference/train_torch.py small 2 2>&1 | tail -1
    "$py" Benchmarks/reference/train_torch.py tiny 2 2>&1 | tail -1
    "$py" Benchmarks/reference/meta_torch.py 2 2>&1 | tail -1
  done
done
