"""Loading zwgk's JSON form: tasks per second for plans of the sample's tasks repeated.

The sample plan (143 tasks) is repeated with fresh ids up to each size, written with
:func:`zwgk.dumps`, and read back with :func:`zwgk.loads`; the time is the best of ``--repeat``
runs. The target: 200,000 tasks in well under 10 s.

Usage::

    python benchmarks/bench_json_load.py                    # 20,000 and 200,000 tasks
    python benchmarks/bench_json_load.py --sizes 2000 --repeat 5
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import attrs

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src")]

import zwgk  # noqa: E402

TARGET_TASKS = 200_000
TARGET_SECONDS = 10.0


def plan_of(n: int) -> zwgk.Plan:
    sample = zwgk.load_sample()
    tasks = [attrs.evolve(t, id=f"{t.id}-{i}")
             for i in range(n // len(sample.tasks) + 1) for t in sample.tasks][:n]
    return attrs.evolve(sample, tasks=tuple(tasks))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[20_000, TARGET_TASKS])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print(f"{'tasks':>9}  {'MiB':>7}  {'seconds':>8}  {'tasks/s':>9}")
    for n in args.sizes:
        text = zwgk.dumps(plan_of(n), indent=None)
        best = float("inf")
        for _ in range(args.repeat):
            t = time.perf_counter()
            plan = zwgk.loads(text)
            best = min(best, time.perf_counter() - t)
        assert len(plan) == n
        print(f"{n:>9,}  {len(text.encode()) / 2**20:>7.1f}  {best:>8.2f}  {n / best:>9,.0f}")
        if n == TARGET_TASKS:
            ratio = best / TARGET_SECONDS
            print(f"  {TARGET_TASKS:,} tasks: {best:.2f} s, {ratio:.2f}× the {TARGET_SECONDS:.0f} s target")


if __name__ == "__main__":
    main()
