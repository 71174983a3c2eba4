"""Per-unit summaries of a plan: kind, spellings seen, and task counts by role (``zwgk units``)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from attrs import asdict, frozen

from zwgk._width import display_width, pad
from zwgk.model import Plan, Role, UnitKind
from zwgk.units._registry import UnitRegistry
from zwgk.units.written import written_name

__all__ = ["UnitSummary", "format_summaries", "summarize_units"]


@frozen
class UnitSummary:
    """One canonical unit of a plan: how it was written and how many tasks it has in each role."""

    name: str
    kind: UnitKind
    aliases: tuple[str, ...]  # spellings seen in the plan other than the canonical name
    lead: int  # tasks (not cells) naming the unit as lead
    responsible: int
    cooperating: int
    resolved: bool  # the registry the plan was read with knew the unit

    @property
    def total(self) -> int:
        """Tasks naming the unit in any role (a task counts once)."""
        return self.lead + self.responsible + self.cooperating


def summarize_units(plan: Plan, registry: UnitRegistry) -> list[UnitSummary]:
    """Each canonical unit of ``plan`` once, in order of first mention.

    The aliases are the spellings seen: :func:`~zwgk.units.written_name` read through ``registry``
    (the one the plan was read with), so ``市科技局等`` is not reported as a spelling of 市科技局.
    """
    resolved: dict[str, bool] = {}
    spellings: dict[str, dict[str, None]] = {}
    spelled: dict[str, str] = {}  # as written -> written name: a plan writes most names many times
    for a in plan.assignments():
        name = a.unit.name
        resolved[name] = resolved.get(name, False) or a.unit.resolved
        written = spelled.get(a.unit.as_written)
        if written is None:
            written = spelled[a.unit.as_written] = written_name(a.unit.as_written, registry)
        if written and written != name:
            spellings.setdefault(name, {}).setdefault(written, None)
    work = plan.workload()
    out: list[UnitSummary] = []
    for unit in plan.units():
        counts = work.get(unit.name)
        out.append(UnitSummary(
            unit.name, unit.kind, tuple(spellings.get(unit.name, {})),
            counts[Role.LEAD] if counts else 0,
            counts[Role.RESPONSIBLE] if counts else 0,
            counts[Role.COOPERATING] if counts else 0,
            resolved[unit.name],
        ))
    return out


def format_summaries(rows: Sequence[UnitSummary], fmt: str) -> str:
    """``rows`` as ``text`` (an aligned table), ``json`` or ``csv``."""
    if fmt == "json":
        data: list[dict[str, Any]] = []
        for r in rows:
            d = asdict(r)
            d["kind"] = r.kind.value
            d["aliases"] = list(r.aliases)
            data.append(d)
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    header = ["unit", "kind", "lead", "responsible", "cooperating", "aliases"]
    table = [
        [r.name, r.kind.value, str(r.lead), str(r.responsible), str(r.cooperating), " | ".join(r.aliases)]
        for r in rows
    ]
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(header)
        w.writerows(table)
        return buf.getvalue()
    widths = [max(display_width(row[i]) for row in [header, *table]) for i in range(len(header))]
    lines = []
    for row in [header, *table]:
        cells = [
            c.rjust(widths[i]) if i in (2, 3, 4) and row is not header else pad(c, widths[i])
            for i, c in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"
