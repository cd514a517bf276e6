#!/usr/bin/env python3
"""Summarises the output of interleaved.sh: taalm's time over PyTorch's per round, the ratio of
the rounds' medians, and the ratio of the fastest steps seen over all rounds (each tool's
least-disturbed step: on a shared machine whose speed changes from one minute to the next,
the minima compare the two programs in the same machine state, the medians in whatever state
each round happened to catch). For comparison only: taalm does not need Python.

    Benchmarks/reference/interleaved.sh "" 7 > rounds.txt
    python3 Benchmarks/reference/summarize.py rounds.txt
"""
import json
import re
import statistics
import sys

CASES = [("small", "train small"), ("tiny", "train tiny"),
         ("forward", "meta create_graph"), ("second-order", "meta create_graph")]
TORCH = re.compile(r"torch (train small|train tiny|meta create_graph)[^:]*: median ms ([0-9.]+) "
                   r"\(min ([0-9.]+)\).*growth.*?([0-9.]+) MB")


def parse(text):
    rounds = []
    for block in text.split("## round")[1:]:
        r = {"title": block.splitlines()[0].strip()}
        for line in block.splitlines():
            if line.startswith("this "):
                j = json.loads(line[5:])
                r[j["case"]] = (j["ms"], j.get("min_ms"), j.get("growth_mb"))
            m = TORCH.match(line)
            if m:
                r["torch " + m.group(1)] = (float(m.group(2)), float(m.group(3)), float(m.group(4)))
        rounds.append(r)
    return rounds


def main(path):
    rounds = parse(open(path).read())
    for case, ref in CASES:
        pairs = [(r[case], r["torch " + ref]) for r in rounds if case in r and "torch " + ref in r]
        if not pairs:
            continue
        per = [ours[0] / theirs[0] for ours, theirs in pairs]
        ours_med = statistics.median(p[0][0] for p in pairs)
        theirs_med = statistics.median(p[1][0] for p in pairs)
        line = (f"{case:13s} taalm {ours_med:7.2f} ms, PyTorch {theirs_med:7.2f} ms (medians of {len(pairs)} rounds): "
                f"ratio {ours_med / theirs_med:.3f}; per round {min(per):.2f}-{max(per):.2f} (median {statistics.median(per):.2f})")
        mins = [p[0][1] for p in pairs if p[0][1] is not None]
        if mins:
            ours_min, theirs_min = min(mins), min(p[1][1] for p in pairs)
            line += f"; fastest steps {ours_min:.2f} vs {theirs_min:.2f} ms: {ours_min / theirs_min:.3f}"
        print(line)
    growth = [r["forward"][2] for r in rounds if "forward" in r and r["forward"][2] is not None]
    torch_growth = [r["torch meta create_graph"][2] for r in rounds if "torch meta create_graph" in r]
    if growth and torch_growth:
        print(f"meta-step working-set growth, forward engine: {statistics.median(growth):.1f} MB, "
              f"PyTorch {statistics.median(torch_growth):.1f} MB: {statistics.median(growth) / statistics.median(torch_growth):.2f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/dev/stdin")
