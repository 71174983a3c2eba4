"""Units across reforms: which bodies became which (renames, merges, splits, transfers of work).

The relations are data (``zwgk/data/lineage.toml``, format described there), written without a
level prefix, so that one entry serves 市卫计委, 县卫计委 and 泰安市卫计委::

    from zwgk.units.lineage import bundled_lineage

    lineage = bundled_lineage()
    lineage.successor("市卫计委")               # Succession: 市卫计委 → 市卫生健康委 (2018 rename)
    plan2018, applied = lineage.apply(plan2018, prefer=new_plan_unit_names)

:meth:`Lineage.apply` gives a plan whose unit references carry their successors' names (what was
written stays in ``as_written``) and the :class:`Mapping` list of what it applied.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Collection, Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
from attrs import frozen

from zwgk.errors import UnitError
from zwgk.model import Plan, Task, UnitRef
from zwgk.units._normalize import clean_name

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]

__all__ = ["KINDS", "Change", "Lineage", "LineageWarning", "Mapping", "Succession", "bundled_lineage"]

#: The kinds of change; ``transfer`` moves part of a body's work and maps no name.
KINDS = ("rename", "merge", "split", "transfer")
#: What may stand before a body's name: nothing, or text ending in one of these (a level or a place).
LEVEL_ENDINGS = (*tuple("省市县区州盟旗"), "国家", "自治区")
#: A province's departments are 厅, not 局: an old name ending so is given a successor ending so.
PROVINCIAL_ENDING = "厅"
#: Longest chain of successive changes followed from one name (a guard against cycles in the data).
MAX_CHAIN = 8


class LineageWarning(UserWarning):
    """The newest plan compared has no year, so the reforms applied are not limited to the years compared."""


@frozen
class Change:
    """One change in the data: bodies (``sources``) that became others (``targets``) in ``year``."""

    year: int
    kind: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    primary: str | None = None
    note: str = ""


@frozen
class Succession:
    """Where a written name leads: the name it maps to (``None`` for a split without a primary successor)."""

    name: str
    successor: str | None
    changes: tuple[Change, ...]


@frozen
class Mapping:
    """One name mapped in one plan: ``old`` became ``new`` through ``changes``.

    ``new`` is ``None`` when the name could not be mapped (a split without a primary successor).
    """

    plan: str
    old: str
    new: str | None
    changes: tuple[Change, ...]

    @property
    def year(self) -> int:
        return self.changes[-1].year

    @property
    def kind(self) -> str:
        return "+".join(c.kind for c in self.changes)

    def __str__(self) -> str:
        target = self.new if self.new is not None else "(left as written: " + "、".join(self.changes[-1].targets) + ")"
        return f"{self.old} → {target} ({self.year} {self.kind})"


class Lineage:
    """Bodies, their spellings and the changes between them; names are matched without their level prefix."""

    def __init__(self, bodies: Iterable[Iterable[str]], changes: Iterable[Change]) -> None:
        self._spelling: dict[str, str] = {}  # any spelling -> the body's first name
        self._names: dict[str, tuple[str, ...]] = {}
        for names in bodies:
            names = tuple(names)
            for n in names:
                self._spelling.setdefault(n, names[0])
            self._names[names[0]] = names
        self.changes: tuple[Change, ...] = tuple(
            attrs.evolve(c, sources=tuple(self._body(s) for s in c.sources),
                         targets=tuple(self._body(t) for t in c.targets),
                         primary=self._body(c.primary) if c.primary else None)
            for c in changes
        )
        self._onward: dict[str, list[Change]] = {}
        for c in self.changes:
            for s in c.sources:
                if c.kind != "transfer" and c.targets != (s,):
                    self._onward.setdefault(s, []).append(c)
        for body in self._onward:
            self._onward[body].sort(key=lambda c: c.year)
        self._longest = max((len(s) for s in self._spelling), default=0)

    def _body(self, name: str) -> str:
        return self._spelling.get(name, name)

    def spellings(self, body: str) -> tuple[str, ...]:
        """Every spelling of ``body`` (its first name first)."""
        b = self._body(body)
        return self._names.get(b, (b,))

    def match(self, name: str) -> tuple[str, str] | None:
        """``(prefix, body)`` when ``name`` ends with a spelling of a known body after a level prefix."""
        text = clean_name(name)
        for i in range(max(0, len(text) - self._longest), len(text)):
            body = self._spelling.get(text[i:])
            if body is not None and (i == 0 or text[:i].endswith(LEVEL_ENDINGS)):
                return text[:i], body
        return None

    def history(self, name: str) -> tuple[Change, ...]:
        """Every change naming the body of ``name`` (as source or target), transfers included, by year."""
        hit = self.match(name)
        body = hit[1] if hit else self._body(name)
        return tuple(sorted((c for c in self.changes if body in c.sources or body in c.targets),
                            key=lambda c: c.year))

    def successor(self, name: str, *, until: int | None = None,
                  prefer: Collection[str] = ()) -> Succession | None:
        """Where ``name`` leads through changes up to year ``until`` (all of them without it).

        ``None`` when no change applies. The successor keeps the name's prefix (市, 泰安市 …) and is
        spelled as in ``prefer`` (e.g. the unit names of a later plan) when one of its spellings is
        there, else by the body's first name.
        """
        hit = self.match(name)
        if hit is None:
            return None
        prefix, body = hit
        taken: list[Change] = []
        seen = {body}
        while len(taken) < MAX_CHAIN:
            onward = [c for c in self._onward.get(body, ()) if until is None or c.year <= until]
            onward = [c for c in onward if not taken or c.year >= taken[-1].year]
            if not onward:
                break
            change = onward[0]
            taken.append(change)
            target = change.targets[0] if len(change.targets) == 1 else change.primary
            if target is None:
                return Succession(clean_name(name), None, tuple(taken))
            if target in seen:
                break
            seen.add(target)
            body = target
        if not taken:
            return None
        ending = clean_name(name)[-1:]
        return Succession(clean_name(name), self._spell(prefix, body, prefer, ending), tuple(taken))

    def _spell(self, prefix: str, body: str, prefer: Collection[str], ending: str) -> str:
        spellings = self.spellings(body)
        for spelling in spellings:
            if prefix + spelling in prefer:
                return prefix + spelling
        if ending == PROVINCIAL_ENDING:
            spellings = tuple(s for s in spellings if s.endswith(ending)) or spellings
        return prefix + spellings[0]

    def apply(self, plan: Plan, *, until: int | None = None, prefer: Collection[str] = (),
              label: str | None = None) -> tuple[Plan, tuple[Mapping, ...]]:
        """``plan`` with each unit reference renamed to its successor, and the mappings applied.

        ``until`` defaults to no limit. ``as_written`` keeps what the table says; a reference's
        ``note`` says which change renamed it. Two old names merging in one cell give one reference.
        """
        label = label or plan.title or plan.source or "plan"
        successions: dict[str, Succession] = {}
        for name in dict.fromkeys(u.name for t in plan.tasks for u in t.units()):
            s = self.successor(name, until=until, prefer=prefer)
            if s is not None:
                successions[name] = s
        if not successions:
            return plan, ()

        def rename(refs: tuple[UnitRef, ...]) -> tuple[UnitRef, ...]:
            out: dict[str, UnitRef] = {}
            for ref in refs:
                s = successions.get(ref.name)
                if s is not None and s.successor is not None and s.successor != ref.name:
                    note = f"{ref.name} → {s.successor} ({s.changes[-1].year} {s.changes[-1].kind})"
                    ref = attrs.evolve(ref, name=s.successor, note=note)
                out.setdefault(ref.name, ref)
            return tuple(out.values())

        tasks: list[Task] = []
        for t in plan.tasks:
            if any(u.name in successions for u in t.units()):
                t = attrs.evolve(t, leads=rename(t.leads), responsible=rename(t.responsible),
                                 cooperating=rename(t.cooperating))
            tasks.append(t)
        applied = tuple(Mapping(label, name, s.successor, s.changes) for name, s in successions.items())
        return attrs.evolve(plan, tasks=tuple(tasks)), applied

    @classmethod
    def from_toml(cls, path: str | os.PathLike[str]) -> Lineage:
        return cls.from_toml_string(Path(path).read_text(encoding="utf-8"), source=str(path))

    @classmethod
    def from_toml_string(cls, text: str, *, source: str | None = None) -> Lineage:
        """Read lineage data (the format of ``zwgk/data/lineage.toml``); errors name the entry."""
        where = source or "lineage data"
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise UnitError(f"{where}: not valid TOML: {e}") from None
        bodies = [_names(entry, f"{where}: bodies[{i}]") for i, entry in enumerate(data.get("bodies", []))]
        changes = [_change(entry, f"{where}: changes[{i}]") for i, entry in enumerate(data.get("changes", []))]
        return cls(bodies, changes)


def _strings(value: Any, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise UnitError(f"{what} must be a non-empty list of names")
    return tuple(v.strip() for v in value)


def _names(entry: Any, where: str) -> tuple[str, ...]:
    if not isinstance(entry, dict):
        raise UnitError(f"{where}: must be a table")
    return _strings(entry.get("names"), f"{where}: names")


def _change(entry: Any, where: str) -> Change:
    if not isinstance(entry, dict):
        raise UnitError(f"{where}: must be a table")
    unknown = set(entry) - {"year", "kind", "from", "to", "primary", "note"}
    if unknown:
        raise UnitError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    year, kind = entry.get("year"), entry.get("kind")
    if not isinstance(year, int) or not 1900 <= year <= 2100:
        raise UnitError(f"{where}: year must be a year such as 2018, not {year!r}")
    if kind not in KINDS:
        raise UnitError(f"{where}: kind must be one of {', '.join(KINDS)}, not {kind!r}")
    sources, targets = _strings(entry.get("from"), f"{where}: from"), _strings(entry.get("to"), f"{where}: to")
    primary = entry.get("primary")
    if kind == "rename" and (len(sources), len(targets)) != (1, 1):
        raise UnitError(f"{where}: a rename has one name in from and one in to")
    if kind == "merge" and len(targets) != 1:
        raise UnitError(f"{where}: a merge has one name in to")
    if primary is not None and primary not in targets:
        raise UnitError(f"{where}: primary {primary!r} is not one of to")
    note = entry.get("note", "")
    return Change(year, kind, sources, targets, primary, note if isinstance(note, str) else str(note))


@lru_cache(maxsize=1)
def bundled_lineage() -> Lineage:
    """The lineage data shipped with zwgk (``zwgk/data/lineage.toml``)."""
    text = resources.files("zwgk").joinpath("data/lineage.toml").read_text(encoding="utf-8")
    return Lineage.from_toml_string(text, source="zwgk/data/lineage.toml")
