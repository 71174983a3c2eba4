"""Every analysis frame on a 15,000-task plan: each frame under half a second, ``compare`` under one.

    python benchmarks/bench_analysis.py [TASKS]

The plan is the sample repeated (each copy's tasks get their own ids and texts), so units,
categories and collectives are those of a real table. Each figure is also given as a ratio to a
baseline measured in the same run: a bare ``pandas.DataFrame`` of the tasks' ids and texts.
The last line (500 tasks reworded and moved to a new category, so scored across categories) shows
how the matching scales; it has no target.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

import attrs

import zwgk
from zwgk import analysis

#: Tasks in the benchmark plan, and the time each frame and ``compare`` should stay under (seconds).
TASKS = 15_000
TARGET = 0.5
COMPARE_TARGET = 1.0


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
    moved = attrs.evolve(plan, tasks=plan.tasks[: n - 500] + tuple(
        attrs.evolve(t, path=("新的类别",), text=t.text.replace("公开", "主动公开", 1)) for t in plan.tasks[n - 500:]))
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
        "diff (50 reworded)": lambda: zwgk.diff(plan, edited),
    }
    untimed: dict[str, Callable[[], Any]] = {"compare (500 reworded, moved)": lambda: analysis.compare(plan, moved)}
    pandas = analysis.workload(plan) is not None and __import__("pandas")  # import pandas and numpy before timing
    baseline = min(timed(lambda: pandas.DataFrame({"id": [t.id for t in plan.tasks],
                                                    "text": [t.text for t in plan.tasks]})) for _ in range(3))
    over: list[str] = []
    print(f"{len(plan.tasks):,} tasks, {len(plan.units())} units, {len(report.findings):,} findings; "
          f"baseline (DataFrame of ids and texts) {baseline * 1000:.1f} ms")
    for name, fn in {**frames, **untimed}.items():
        seconds = min(timed(fn) for _ in range(3))
        target = COMPARE_TARGET if name.startswith(("compare", "diff")) else TARGET
        verdict = "" if name in untimed else f"  ({seconds / target:.0%} of the {target} s target)"
        if name not in untimed and seconds > target:
            over.append(name)
        print(f"  {name:30s} {seconds * 1000:8.1f} ms  {seconds / baseline:6.1f}× baseline{verdict}")
    print("every frame within its target" if not over else f"OVER the target: {', '.join(over)}")
    return 0 if not over else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else TASKS))
