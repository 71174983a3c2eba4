"""What the name checks derive from a registry alone, kept across the plans checked against it.

A batch checks thousands of plans, each against a copy of the same registry (the default one, plus
the units the plan says were resolved when it was read: usually none). Whether a name resolves,
the written name of a spelling, the registry serving a region: each depends on the registry and
the name only, so it is worked out once per registry state and name (:func:`memo`), not once per
plan.

A registry's state is told by its memo of parsed cells, which the registry replaces at every
change and shares with its copies until one of them changes (see
:class:`~zwgk.units.UnitRegistry`): two registries holding the same memo object read every name
alike. The memos of the last :data:`STATES` states are kept (each holding its memo object, so the
identity stays that state's), each with at most :data:`ENTRIES` names per kind of lookup.

Two more things depend on names alone, not on a plan:

- whether two names written in plans of one region are near duplicates
  (:func:`~zwgk.units.similar.similar`): :func:`near_pairs` keeps, for each region, every name
  seen with its near duplicates among the names seen, so a plan's pairs are looked up rather than
  found by indexing its names anew;
- the registry a plan is checked against when none is given (the default one plus the units the
  plan says were resolved when it was read): :func:`plan_registry` asks whether each resolved name
  is known through the registry's memo, and copies the registry only when one is not.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from typing import Any, Generic, TypeVar

from zwgk.model import Plan, Unit
from zwgk.units import UnitRegistry
from zwgk.units.similar import SimilarityIndex, SimilarPair
from zwgk.units.written import written_name

__all__ = ["ENTRIES", "REGIONS", "STATES", "RegistryMemo", "memo", "near_pairs", "plan_registry"]

STATES = 64  # registry states whose lookups are kept: a batch uses the default one and one per region its plans
# are checked for (the registry serving a region is a registry of its own), so as many as REGIONS
ENTRIES = 100_000  # names kept per kind of lookup and state; past this the lookups start over
REGIONS = 64  # regions whose names' near duplicates are kept (a batch of one province meets a few dozen)

K = TypeVar("K")
V = TypeVar("V")


class _Bounded(dict[K, V], Generic[K, V]):
    """A dict that starts over when it holds :data:`ENTRIES` entries."""

    def put(self, key: K, value: V) -> V:
        if len(self) >= ENTRIES:
            self.clear()
        self[key] = value
        return value


class _Tables:
    """The lookups of one registry state."""

    def __init__(self) -> None:
        self.units: _Bounded[str, Unit | None] = _Bounded()
        self.written: _Bounded[str, str] = _Bounded()
        self.served: _Bounded[tuple[str | None, str | None], UnitRegistry | None] = _Bounded()  # None: itself
        self.similar: _Bounded[str | None, tuple[dict[str, str], SimilarityIndex]] = _Bounded()
        self.derived: dict[str, _Bounded[Hashable, Any]] = {}  # a check's own lookups, by the check's name


class RegistryMemo:
    """Lookups against ``registry``, kept for every registry in its state (see the module docs).

    What is not known yet is asked of ``registry`` itself: no other registry object is used, so a
    registry changed after it was memoised (a new state) is never asked on another's behalf.
    """

    __slots__ = ("_tables", "registry")

    def __init__(self, registry: UnitRegistry, tables: _Tables) -> None:
        self.registry = registry
        self._tables = tables

    def resolve(self, name: str) -> Unit | None:
        """``registry.resolve(name)``."""
        units = self._tables.units
        try:
            return units[name]
        except KeyError:
            return units.put(name, self.registry.resolve(name))

    def written_name(self, as_written: str) -> str:
        """:func:`~zwgk.units.written.written_name` of ``as_written`` read through the registry."""
        written = self._tables.written
        try:
            return written[as_written]
        except KeyError:
            return written.put(as_written, written_name(as_written, self.registry))

    def serving(self, region: str | None, level: str | None) -> UnitRegistry:
        """``registry.serving(region, level)`` (only read, never changed, by the checks)."""
        served, key = self._tables.served, (region, level)
        try:
            other = served[key]
        except KeyError:
            got = self.registry.serving(region, level)
            other = served.put(key, None if got is self.registry else got)
        return self.registry if other is None else other

    def derived(self, check: str) -> _Bounded[Hashable, Any]:
        """The table of what ``check`` derives from the registry and a key alone (a name, how it
        was written), kept for every registry in this state: ``get`` it, else work it out and
        ``put`` it (the table starts over past :data:`ENTRIES` entries)."""
        tables = self._tables.derived
        table = tables.get(check)
        if table is None:
            table = tables[check] = _Bounded()
        return table

    def similarity(self, region: str | None) -> tuple[dict[str, str], SimilarityIndex]:
        """Every name and alias of the registry with its canonical name, and a
        :class:`~zwgk.units.similar.SimilarityIndex` of them for a plan of ``region``."""
        similar = self._tables.similar
        try:
            return similar[region]
        except KeyError:
            canonical: dict[str, str] = {}
            for unit in self.registry:
                for known in (unit.name, *unit.aliases):
                    canonical.setdefault(known, unit.name)
            return similar.put(region, (canonical, SimilarityIndex(canonical, region=region)))


_memos: OrderedDict[int, tuple[object, _Tables]] = OrderedDict()
_lock = threading.Lock()


_last: tuple[UnitRegistry, object, RegistryMemo] | None = None  # the last registry asked for, in its state


def memo(registry: UnitRegistry) -> RegistryMemo:
    """The lookups of ``registry``'s state (shared with every registry in the same state)."""
    global _last
    state = registry._cells  # replaced at every change of the registry, shared by unchanged copies
    last = _last
    if last is not None and last[0] is registry and last[1] is state:  # the checks of a run ask again and again
        return last[2]
    with _lock:
        entry = _memos.get(id(state))
        if entry is not None and entry[0] is state:
            _memos.move_to_end(id(state))
            tables = entry[1]
        else:
            tables = _Tables()
            _memos[id(state)] = (state, tables)
            while len(_memos) > STATES:
                _memos.popitem(last=False)
        found = RegistryMemo(registry, tables)
        _last = (registry, state, found)
        return found


def plan_registry(plan: Plan, base: UnitRegistry) -> UnitRegistry:
    """``base`` plus the units ``plan`` says were resolved when it was read and ``base`` cannot
    resolve (in table order, each added once): the registry a plan is checked against when none is
    given. ``base`` itself when it resolves them all (the usual case): then nothing is copied.
    """
    resolve = memo(base).resolve
    if all(resolve(name) is not None for name in {ref.name for task in plan.tasks
                                                  for refs in (task.leads, task.responsible, task.cooperating)
                                                  for ref in refs if ref.resolved}):
        return base
    resolved = [(ref.name, ref.kind) for task in plan.tasks  # table order: lead, responsible, cooperating
                for refs in (task.leads, task.responsible, task.cooperating) for ref in refs if ref.resolved]
    reg = base.copy()
    for name, kind in resolved:
        if reg.resolve(name) is None:
            reg.add(Unit(name, kind))
    return reg


class _Neighbours:
    """The names seen in plans of one region, each with its near duplicates among them."""

    def __init__(self, region: str | None) -> None:
        self.region = region
        self.index = SimilarityIndex(region=region)
        self.near: dict[str, dict[str, SimilarPair]] = {}

    def make_room(self, names: int) -> None:
        """Start over when ``names`` more would pass :data:`ENTRIES` (near duplicates are found again)."""
        if len(self.near) + names > ENTRIES:
            self.index = SimilarityIndex(region=self.region)
            self.near.clear()

    def learn(self, name: str) -> None:
        """Index ``name`` (once) and note it among its near duplicates' (the relation is symmetric)."""
        if name in self.near:
            return
        mine: dict[str, SimilarPair] = {}
        for pair in self.index.query(name):
            other = pair.b if pair.a == name else pair.a
            mine[other] = pair
            self.near[other][name] = pair
        self.index.add(name)
        self.near[name] = mine


_neighbours: OrderedDict[str | None, _Neighbours] = OrderedDict()


def near_pairs(names: Sequence[str], region: str | None) -> list[SimilarPair]:
    """Every near-duplicate pair among ``names`` (distinct names, of a plan of ``region``): what
    ``SimilarityIndex(names, region=region).pairs()`` gives, in order of the first name, then of the
    second; each name's near duplicates are found once per region (see the module docs)."""
    with _lock:
        found = _neighbours.get(region)
        if found is None:
            found = _neighbours[region] = _Neighbours(region)
            while len(_neighbours) > REGIONS:
                _neighbours.popitem(last=False)
        else:
            _neighbours.move_to_end(region)
        found.make_room(len(names))
        near = found.near
        for name in names:
            if name not in near:
                found.learn(name)
        paired = [name for name in names if near[name]]  # most names have no near duplicate seen
        if not paired:
            return []
        position = {name: i for i, name in enumerate(names)}
        out: list[SimilarPair] = []
        for name in paired:
            i = position[name]
            later = [(position[other], pair) for other, pair in near[name].items()
                     if position.get(other, -1) > i]
            if later:  # most near duplicates seen are in other plans
                out += (pair for _, pair in sorted(later, key=lambda item: item[0]))
        return out
