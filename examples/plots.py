"""Render the analysis plots of the bundled sample to PNG files (the pictures in docs/analysis.md).

    python examples/plots.py docs/img

The comparison uses an edited copy of the sample standing for the year before: one task removed,
one added, one reworded, one lead swapped, and 市卫生健康委 under its pre-2018 name 市卫计委; the
trend adds the year before that, with ten tasks fewer.
"""

from __future__ import annotations

import sys
from pathlib import Path

import attrs

import zwgk
from zwgk import analysis
from zwgk.model import Plan, UnitRef

#: Resolution of the PNGs: enough for the labels, small enough for the docs (each under 150 KB).
DPI = 85


def last_year(plan: Plan) -> Plan:
    """An edited copy of ``plan`` standing for the year before."""
    reg = zwgk.unit_registry()
    tasks = list(plan.tasks)
    tasks[10] = attrs.evolve(tasks[10], leads=(reg.ref("市财政局"),))
    tasks[20] = attrs.evolve(tasks[20], text=tasks[20].text.replace("公开", "主动公开", 1))
    del tasks[3]

    def old_names(refs: tuple[UnitRef, ...]) -> tuple[UnitRef, ...]:
        return tuple(attrs.evolve(r, name="市卫计委", as_written="市卫计委") if r.name == "市卫生健康委" else r
                     for r in refs)

    tasks = [attrs.evolve(t, leads=old_names(t.leads), responsible=old_names(t.responsible)) for t in tasks]
    return attrs.evolve(plan, title="2019年（示例：改编的上一年）", tasks=tuple(tasks),
                        metadata=attrs.evolve(plan.metadata, year=2019))


def two_years_before(plan: Plan) -> Plan:
    """The year before :func:`last_year`: ten of its tasks were not there yet."""
    before = last_year(plan)
    return attrs.evolve(before, title="2018年（示例）", tasks=before.tasks[:60] + before.tasks[70:],
                        metadata=attrs.evolve(plan.metadata, year=2018))


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    plan = zwgk.load_sample()
    figures = {
        "workload.png": analysis.plot_workload(plan),
        "co-assignment.png": analysis.plot_co_assignment(plan),
        "categories.png": analysis.plot_categories(plan),
        "compare.png": analysis.plot_compare(last_year(plan), plan, lineage=True),
        "trend.png": analysis.plot_trend([two_years_before(plan), last_year(plan), plan], lineage=True),
    }
    for name, fig in figures.items():
        fig.savefig(out / name, dpi=DPI)
        print(out / name, (out / name).stat().st_size // 1024, "KB")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "."))
