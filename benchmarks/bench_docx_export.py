"""How the DOCX export scales: 1,500 rows against 15,000 rows, measured in one run.

Run from the project root: ``python benchmarks/bench_docx_export.py``. It prints the time per
export, the time per row and the ratio of the two times; linear growth gives a ratio near 10
(python-docx's ``cell()``/``merge()`` grow quadratically, which would give about 100). Then it
exports 100,000 rows once and prints the time against its 10 s target.
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import zwgk
from zwgk.model import Plan

LARGE = 100_000  # rows of the large export, far beyond any real table (a few hundred rows)
LARGE_TARGET_SECONDS = 10.0  # what the large export must stay under


def synthetic(n: int) -> Plan:
    """A plan of ``n`` tasks: the sample's tasks repeated, each copy under its own categories."""
    sample = zwgk.load_sample()
    tasks = []
    k = 0
    while len(tasks) < n:
        for t in sample.tasks:
            if len(tasks) == n:
                break
            path = (f"{t.path[0]}（{k + 1}）", *t.path[1:]) if t.path else t.path
            tasks.append(attrs.evolve(t, id=f"{t.id}-{k}", path=path))
        k += 1
    return attrs.evolve(sample, tasks=tuple(tasks))


def measure(n: int, repeat: int = 3) -> tuple[float, int]:
    plan = synthetic(n)
    best = float("inf")
    size = 0
    for _ in range(repeat):
        buf = io.BytesIO()
        start = time.perf_counter()
        zwgk.export(plan, "docx", buf)
        best = min(best, time.perf_counter() - start)
        size = len(buf.getvalue())
    return best, size


def main() -> None:
    results = {}
    for n in (1_500, 15_000):
        seconds, size = measure(n, repeat=3 if n <= 1_500 else 2)
        results[n] = seconds
        print(f"{n:>6} rows: {seconds:6.2f} s  ({seconds / n * 1e6:6.1f} µs/row, {size / 1e6:5.1f} MB)")
    ratio = results[15_000] / results[1_500]
    print(f"15,000 / 1,500 rows: time ratio {ratio:.1f} (10 is linear, 100 quadratic)")
    seconds, size = measure(LARGE, repeat=1)
    print(f"{LARGE:,} rows: {seconds:6.2f} s  ({seconds / LARGE * 1e6:6.1f} µs/row, {size / 1e6:5.1f} MB); "
          f"target under {LARGE_TARGET_SECONDS:.0f} s: {seconds / LARGE_TARGET_SECONDS:.0%} of it")


if __name__ == "__main__":
    main()
