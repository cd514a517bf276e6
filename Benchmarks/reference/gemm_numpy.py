"""The taalm-bench `gemm` shapes in numpy's BLAS (OpenBLAS here), for comparison.

    OPENBLAS_NUM_THREADS=1 python3 Benchmarks/reference/gemm_numpy.py
    OPENBLAS_NUM_THREADS=2 python3 Benchmarks/reference/gemm_numpy.py 512x512x512   # only these shapes

Each shape MxKxN: float32 A[M,K] @ B[K,N] into a preallocated C; the median of 9 samples,
each long enough (about 0.2 s of work in all) to time; GFLOP/s = 2·M·K·N / time.
"""
import os
import statistics
import sys
import time

import numpy as np

SHAPES = [(64, 64, 64), (128, 128, 128), (256, 256, 256), (512, 512, 512),
          (1024, 1024, 1024), (1024, 128, 512), (64, 128, 128)]

if len(sys.argv) > 1:
    SHAPES = [tuple(int(d) for d in arg.split("x")) for arg in sys.argv[1:]]

rng = np.random.default_rng(0)
threads = os.environ.get("OPENBLAS_NUM_THREADS", "?")
for m, k, n in SHAPES:
    a = rng.standard_normal((m, k), dtype=np.float32)
    b = rng.standard_normal((k, n), dtype=np.float32)
    c = np.empty((m, n), np.float32)
    flops = 2.0 * m * k * n
    reps = max(1, int(2e8 // flops))
    np.matmul(a, b, out=c)
    samples = []
    for _ in range(9):
        t = time.perf_counter()
        for _ in range(reps):
            np.matmul(a, b, out=c)
        samples.append((time.perf_counter() - t) / reps)
    print(f"gemm  {m}x{k}x{n:<6} threads {threads}  {flops / statistics.median(samples) / 1e9:7.1f} gflops")
