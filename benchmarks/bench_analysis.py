"""Every analysis frame on a 15,000-task plan: each should take under a second.

    python benchmarks/bench_analysis.py [TASKS]

The plan is the sample repeated (each copy's tasks get their own ids and texts), so units,
categories and collectives are those of a real table.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

import attrs

import zwgk
from zwgk import analysis

#: Tasks in the benchmark plan, and the time each frame should stay under (seconds).
TASKS = 15_000
TARGET = 1.0


def big_plan(n: int) -> zwgk.Plan:
    sample = zwgk.load_sample()
    tasks = []
    for i in range(n):
        t = sample.tasks[i % len(sample.tasks)]
        copy = i // len(sample.tasks)
        tasks.append(attrs.evolve(t, id=f"{t.id}-{copy}", text=f"{t.text}（{copy}）"))
    return attrs.evolve(sample, tasks=tuple(tasks))


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main(n: int) -> int:
    plan = big_plan(n)
    edited = attrs.evolve(plan, tasks=plan.tasks[: n - 50] + tuple(
        attrs.evolve(t, text=t.text.replace("公开", "主动公开", 1)) for t in plan.tasks[n - 50:]))
    report = zwgk.validate(plan)
    diff = zwgk.diff(plan, edited)
    frames: dict[str, Callable[[], Any]] = {
        "tasks": lambda: analysis.tasks(plan),
        "assignments": lambda: analysis.assignments(plan),
        "categories": lambda: analysis.categories(plan),
        "workload": lambda: analysis.workload(plan),
        "workload(by=kind)": lambda: analysis.workload(plan, by="kind"),
        "workload(long)": lambda: analysis.workload(plan, long=True),
        "workload(expand_collectives)": lambda: analysis.workload(plan, expand_collectives=True),
        "category_matrix": lambda: analysis.category_matrix(plan),
        "category_matrix(level=2)": lambda: analysis.category_matrix(plan, level=2),
        "co_assignment": lambda: analysis.co_assignment(plan),
        "co_assignment(long)": lambda: analysis.co_assignment(plan, long=True),
        "findings": lambda: analysis.findings(report),
        "changes": lambda: analysis.changes(diff),
        "compare (50 reworded)": lambda: analysis.compare(plan, edited),
        "compare(lineage=True)": lambda: analysis.compare(plan, edited, lineage=True),
    }
    analysis.workload(plan)  # import pandas and numpy before timing
    worst = 0.0
    print(f"{len(plan.tasks):,} tasks, {len(plan.units())} units, {len(report.findings):,} findings")
    for name, fn in frames.items():
        seconds = min(timed(fn) for _ in range(3))
        worst = max(worst, seconds)
        print(f"  {name:30s} {seconds * 1000:8.1f} ms  ({seconds / TARGET:.0%} of the {TARGET:.0f} s target)")
    print(f"slowest: {worst:.3f} s — {'within' if worst < TARGET else 'OVER'} the target")
    return 0 if worst < TARGET else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else TASKS))
