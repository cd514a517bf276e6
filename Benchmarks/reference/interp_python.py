"""The taalm-bench `interp` programs in CPython, for comparison (taalm does not need Python).

    python3 Benchmarks/reference/interp_python.py        # medians of 7 runs after a warm-up, ms
"""
import statistics
import sys
import time


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def sum_squares(n):
    total = 0
    for i in range(n):
        total += i * i
    return total


TOP = compile("total = 0\nfor i in range(1000000):\n    total += i * i\n", "<top>", "exec")


def median_ms(body, runs=7):
    body()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        body()
        times.append((time.perf_counter() - t) * 1e3)
    return statistics.median(times)


for name, body in [("fib25", lambda: fib(25)),
                   ("loop_1m_fn", lambda: sum_squares(1_000_000)),
                   ("loop_1m_top", lambda: exec(TOP, {}))]:
    print(f"interp  {name:<14} python {sys.version.split()[0]}  {median_ms(body):8.2f} ms")
