"""Validation time per task on generated plans of 2,000 and 20,000 tasks.

The plans grow their vocabulary of unit names with the number of tasks (one distinct name per four
tasks, some of them misspelt), so near-duplicate detection has real work at both sizes. Prints the
time per task for the whole run and for each validator, and the ratio between the two sizes: a
ratio near 1 means validation is linear in the number of tasks.

    PYTHONPATH=src python benchmarks/bench_validate.py [--small 2000] [--large 20000]
"""

from __future__ import annotations

import argparse
import gc
import random
import time

import zwgk
from zwgk.errors import Position
from zwgk.model import Metadata, Plan, Role, Task, Unit, UnitKind, UnitRef
from zwgk.units import UnitRegistry
from zwgk.units.similar import SimilarityIndex

_CJK = "".join(chr(c) for c in range(0x4E00, 0x4E00 + 400))
_SUFFIXES = ("局", "委", "办", "中心", "学院", "公司", "办公室", "管理处")
_DEADLINES = ("2020年6月底前", "长期坚持", "每季度", "年底前", "持续推进", "2020年12月31日")
_COLLECTIVE = Unit("市政府各部门（单位）", UnitKind.COLLECTIVE, (), ("kind:department",))


def _names(rng: random.Random, count: int) -> list[str]:
    names: dict[str, None] = {}
    while len(names) < count:
        core = "".join(rng.choice(_CJK) for _ in range(rng.randint(2, 8)))
        names["市" + core + rng.choice(_SUFFIXES) if rng.random() < 0.7 else core + rng.choice(_SUFFIXES)] = None
    out = list(names)
    for i in range(0, len(out), 50):  # a misspelling or a dropped prefix now and then
        name = out[i]
        out.append(name[1:] if name.startswith("市") else name[:2] + rng.choice(_CJK) + name[3:])
    return out


def generate(n_tasks: int, seed: int = 2020) -> tuple[Plan, UnitRegistry]:
    rng = random.Random(seed)
    names = _names(rng, max(50, n_tasks // 4))
    registry = UnitRegistry.of([_COLLECTIVE, *(Unit(n, UnitKind.DEPARTMENT) for n in names[::2])])

    def ref(name: str) -> UnitRef:
        unit = registry.resolve(name)
        return UnitRef(name, name, UnitKind.DEPARTMENT, unit is not None)

    tasks: list[Task] = []
    for i in range(n_tasks):
        leads = tuple(ref(n) for n in dict.fromkeys(rng.sample(names, rng.randint(0 if i % 97 == 0 else 1, 3))))
        responsible = tuple(ref(n) for n in rng.sample(names, rng.randint(0, 4)))
        if i % 13 == 0:
            responsible += (UnitRef(_COLLECTIVE.name, _COLLECTIVE.name, UnitKind.COLLECTIVE, True),)
        text = f"第{i}项：" + "".join(rng.choice(_CJK) for _ in range(40)) if i % 211 else "做好政务公开工作。"
        tasks.append(Task(
            id=f"t{i}",
            path=(f"一级任务{i // 500}", f"二级任务{i // 50}"),
            text=text,
            deadline=rng.choice(_DEADLINES) if i % 301 else "市财政局",
            leads=leads,
            responsible=responsible,
            open_roles=frozenset({Role.LEAD}) if i % 89 == 0 else frozenset(),
            source=Position("generated.txt", 1, i + 2, 2, i * 6 + 4),
        ))
    return Plan("2020年泰安市政务公开重点工作任务分解表", tuple(tasks), Metadata("泰安市", 2020)), registry


def _time(fn: object, repeat: int) -> float:
    """Best of ``repeat`` runs, with the cyclic garbage collector paused as :mod:`timeit` does."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            fn()  # type: ignore[operator]
            best = min(best, time.perf_counter() - start)
        finally:
            gc.enable()
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--small", type=int, default=2000)
    parser.add_argument("--large", type=int, default=20000)
    args = parser.parse_args()
    codes = [c for c in zwgk.get_validators() if c.startswith("ZW")]
    per_task: dict[int, dict[str, float]] = {}
    for n in (args.small, args.large):
        plan, registry = generate(n)
        repeat = 5 if n <= 5000 else 3
        row: dict[str, float] = {}
        report = zwgk.validate(plan, registry=registry)
        row["all"] = _time(lambda p=plan, r=registry: zwgk.validate(p, registry=r), repeat) / n
        for code in codes:
            row[code] = _time(lambda p=plan, r=registry, c=code: zwgk.validate(p, select=c, registry=r), repeat) / n
        per_task[n] = row
        index = SimilarityIndex({u.name: None for u in plan.units()}, region=plan.metadata.region)
        pairs = index.pairs()
        print(f"{n:>6} tasks, {len(index)} unit names: {len(report)} findings {report.by_code}")
        print(f"{'':>6} near-duplicate search: {index.compared} candidate pairs checked "
              f"({index.compared / len(index):.2f} per name; all pairs would be {len(index) * (len(index) - 1) // 2}), "
              f"{len(pairs)} found")
    small, large = args.small, args.large
    print()
    print(f"{'check':<8} {f'µs/task @{small}':>16} {f'µs/task @{large}':>17} {'ratio':>7}")
    for key in ["all", *codes]:
        a, b = per_task[small][key], per_task[large][key]
        print(f"{key:<8} {a * 1e6:>16.1f} {b * 1e6:>17.1f} {b / a:>7.2f}")


if __name__ == "__main__":
    main()
