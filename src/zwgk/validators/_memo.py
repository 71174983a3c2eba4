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
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Generic, TypeVar

from zwgk.model import Unit
from zwgk.units import UnitRegistry
from zwgk.units.similar import SimilarityIndex
from zwgk.units.written import written_name

__all__ = ["ENTRIES", "STATES", "RegistryMemo", "memo"]

STATES = 8  # registry states whose lookups are kept (a batch uses one or two)
ENTRIES = 100_000  # names kept per kind of lookup and state; past this the lookups start over

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


def memo(registry: UnitRegistry) -> RegistryMemo:
    """The lookups of ``registry``'s state (shared with every registry in the same state)."""
    state = registry._cells  # replaced at every change of the registry, shared by unchanged copies
    with _lock:
        entry = _memos.get(id(state))
        if entry is not None and entry[0] is state:
            _memos.move_to_end(id(state))
            return RegistryMemo(registry, entry[1])
        tables = _Tables()
        _memos[id(state)] = (state, tables)
        while len(_memos) > STATES:
            _memos.popitem(last=False)
        return RegistryMemo(registry, tables)
