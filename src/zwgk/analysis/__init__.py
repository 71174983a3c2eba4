"""pandas views of plans, for notebooks. Needs the ``analysis`` extra (``pip install ".[analysis]"`` in a checkout).

    import zwgk
    from zwgk import analysis

    plan = zwgk.load_sample()
    analysis.workload(plan).head()          # who carries the load (tasks, not cells)
    analysis.co_assignment(plan)            # who works together
    analysis.category_matrix(plan)          # how each unit's work spreads over the categories
    analysis.compare(last_year, plan)       # what changed (lineage=True maps 市卫计委 → 市卫生健康委)
    analysis.compare_many([p2016, p2017, p2018])  # tasks kept, added, removed and each unit's load per year
    analysis.plot_workload(plan)            # the plots need the ``plot`` extra (matplotlib)

Each function returns a fresh ``DataFrame`` in table order (categories, roles and units as ordered
categoricals); text columns hold the text exactly as in the plan. Rooms: ``_frames`` (tasks,
assignments, categories, findings, changes), ``_load`` (workload, category matrix,
co-assignment), ``_compare`` (year over year), ``plot`` (matplotlib figures and the CJK font).
"""

from __future__ import annotations

from typing import Any

from zwgk.analysis._compare import CATEGORY_OVERLAP, REWORD_THRESHOLD, Comparison, Trend, compare, compare_many
from zwgk.analysis._frames import assignments, categories, changes, findings, tasks
from zwgk.analysis._load import NO_CATEGORY, category_matrix, co_assignment, workload

__all__ = [
    "CATEGORY_OVERLAP",
    "NO_CATEGORY",
    "REWORD_THRESHOLD",
    "Comparison",
    "Trend",
    "assignments",
    "categories",
    "category_matrix",
    "changes",
    "co_assignment",
    "compare",
    "compare_many",
    "findings",
    "plot_categories",
    "plot_co_assignment",
    "plot_compare",
    "plot_trend",
    "plot_workload",
    "tasks",
    "workload",
]

_PLOTS = ("plot_categories", "plot_compare", "plot_co_assignment", "plot_trend", "plot_workload")


def __getattr__(name: str) -> Any:
    """The plot functions, imported from :mod:`zwgk.analysis.plot` (and matplotlib) on first use."""
    if name in _PLOTS:
        from zwgk.analysis import plot

        value = getattr(plot, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'zwgk.analysis' has no attribute {name!r}")


def __dir__() -> list[str]:
    """Every public name, the plot functions too (imported on first use), for tab completion."""
    return sorted({*globals(), *__all__})
