"""A generated corpus: the sample's hierarchy and units reshuffled into many plausible documents.

Used by the tests, ``benchmarks/bench_batch.py`` and ``examples/corpus.ipynb`` to stand in for a
province's tables over several years. :func:`synthetic_plan` draws one plan from a seed;
:func:`write_corpus` writes ``n`` of them as ``.txt``, ``.docx`` and ``.html`` files in turn.
"""

from __future__ import annotations

import html
import random
from collections.abc import Sequence
from pathlib import Path

import attrs

from zwgk._api import export, load_sample
from zwgk.model import Metadata, Plan, Task, UnitKind, UnitRef

__all__ = ["FORMATS", "REGIONS", "YEARS", "counties", "plan_html", "synthetic_plan", "write_corpus"]

REGIONS = ("泰安市", "济南市", "青岛市", "淄博市", "烟台市", "潍坊市", "济宁市", "临沂市",
           "泰山区", "岱岳区", "新泰市", "肥城市", "宁阳县", "东平县")
YEARS = (2019, 2020, 2021, 2022, 2023)
FORMATS = ("txt", "docx", "html")
_TASK_SHARE = (0.15, 0.5)  # share of the sample's tasks one generated document keeps (low, high)
_LOCAL_SPELLING = 0.3  # chance a 市X unit is written with the region's name (泰安市X) in a document
_SHUFFLED_UNITS = 0.5  # share of department names swapped with another department's in a document


_SYLLABLES = "安宁平阳新山河城华东西南北中兴丰长永清和"  # counties()' names are two of these and 县


def counties(n: int) -> tuple[str, ...]:
    """``n`` made-up county names (``安宁县``, ``安平县`` …), at most 380: a corpus spread over
    many regions, as a folder of every county's downloads is (one partition per county and year).

    >>> counties(3)
    ('安宁县', '安平县', '安阳县')
    """
    names = tuple(a + b + "县" for a in _SYLLABLES for b in _SYLLABLES if a != b)
    if not 0 < n <= len(names):
        raise ValueError(f"between 1 and {len(names)} counties, not {n}")
    return names[:n]


def synthetic_plan(seed: int, sample: Plan | None = None, regions: Sequence[str] = REGIONS) -> Plan:
    """A plan drawn from the sample: a region (one of ``regions``) and year, a subset of its tasks in
    shuffled category order, department names swapped between tasks, and some names written with the
    region's prefix."""
    rng = random.Random(seed)
    base = sample if sample is not None else load_sample()
    region, year = rng.choice(regions), rng.choice(YEARS)
    tasks = [t for t in base.tasks if len(t.path) == 2]
    keep = rng.uniform(*_TASK_SHARE)
    chosen = [t for t in tasks if rng.random() < keep] or tasks[:1]
    order = list(dict.fromkeys(t.path[0] for t in chosen))
    rng.shuffle(order)
    chosen.sort(key=lambda t: order.index(t.path[0]))  # stable: keeps the sample's order inside a category
    departments = sorted({u.name for t in chosen for u in t.units() if u.kind is not UnitKind.COLLECTIVE})
    swapped = [d for d in departments if rng.random() < _SHUFFLED_UNITS]
    targets = swapped[:]
    rng.shuffle(targets)
    rename = dict(zip(swapped, targets, strict=False))
    local = region.endswith("市") and rng.random() < _LOCAL_SPELLING

    def ref(u: UnitRef) -> UnitRef:
        name = rename.get(u.name, u.name)
        written = region + name[1:] if local and name.startswith("市") and u.kind is not UnitKind.COLLECTIVE else name
        return UnitRef(written, written, u.kind)

    out = [Task(id=t.id, path=t.path, text=t.text, leads=tuple(dict.fromkeys(map(ref, t.leads))),
                responsible=tuple(dict.fromkeys(map(ref, t.responsible)))) for t in chosen]
    title = f"{year}年{region}政务公开重点工作任务分解表"
    return attrs.evolve(base, title=title, tasks=tuple(out), metadata=Metadata.from_title(title),
                        preamble=("附件", title), epilogue=(), source=None)


def plan_html(plan: Plan) -> str:
    """The plan as an HTML page with one table (category cells written where they change)."""
    depth = max((len(t.path) for t in plan.tasks), default=0)
    heads = [*["一级任务", "二级任务", "三级任务"][:depth], "具体任务", "牵头单位", "责任单位"]
    esc = html.escape
    rows = ["<tr>" + "".join(f"<th>{h}</th>" for h in heads) + "</tr>"]
    prev: tuple[str, ...] = ()
    for t in plan.tasks:
        changed = next((k for k in range(depth) if t.path[: k + 1] != prev[: k + 1]), depth)
        cells = [esc(t.path[k]) if k >= changed else "" for k in range(depth)]
        cells += [esc(t.text), esc("、".join(u.as_written for u in t.leads)),
                  esc("、".join(u.as_written for u in t.responsible))]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        prev = t.path
    title = esc(plan.title or "")
    return (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{title}</title></head><body>\n'
            f"<p>附件</p>\n<h1>{title}</h1>\n<table border=\"1\">\n" + "\n".join(rows) + "\n</table>\n</body></html>\n")


def write_corpus(folder: str | Path, n: int, *, seed: int = 0, formats: Sequence[str] = FORMATS,
                 sample: Plan | None = None, regions: Sequence[str] = REGIONS) -> list[Path]:
    """Write ``n`` generated documents into ``folder`` (by region and year subfolders), formats in
    turn, each of a region drawn from ``regions``."""
    root = Path(folder)
    base = sample if sample is not None else load_sample()
    paths: list[Path] = []
    for i in range(n):
        plan = synthetic_plan(seed * 1_000_003 + i, base, regions)
        fmt = formats[i % len(formats)]
        target = root / str(plan.metadata.region) / str(plan.metadata.year) / f"doc-{i:05d}.{fmt}"
        target.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "html":
            target.write_text(plan_html(plan), encoding="utf-8")
        else:
            export(plan, "text" if fmt == "txt" else fmt, target)
        paths.append(target)
    return paths
