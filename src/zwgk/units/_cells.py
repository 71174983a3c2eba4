"""Reading unit cells against a registry: judging pieces, parsing cells into references, learning names.

A :class:`CellReader` reads for one registry in one state of it and keeps what it has read (pieces
and whole cells). The registry replaces it whenever it changes; copies share it until one of them
changes. It cuts cells with the splitter (:mod:`~zwgk.units._split`) and reads them with the cell
grammar (:mod:`~zwgk.units._grammar`), looking names up in the registry it reads for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from attrs import evolve

from zwgk.model import Unit, UnitRef
from zwgk.units._grammar import ParsedCell, Reading, complete_entries, parsed_cell, read_entries, read_piece
from zwgk.units._normalize import clean_name, match_key
from zwgk.units._shapes import begins_like_unit, ends_like_unit, guess_kind
from zwgk.units._split import Verdict, split_spans

if TYPE_CHECKING:
    from zwgk.units._registry import UnitRegistry

__all__ = ["CellReader"]


class CellReader:
    """Reads unit cells against ``registry``, with memos of the pieces read and the cells parsed.

    ``readings`` and ``cells`` may be shared with the reader of another registry that holds the
    same units (a copy), until either registry changes.
    """

    __slots__ = ("_lookup", "_registry", "cells", "readings")

    def __init__(self, registry: UnitRegistry, readings: dict[str, Reading] | None = None,
                 cells: dict[str, tuple[ParsedCell, bool]] | None = None) -> None:
        self._registry = registry
        self._lookup = registry._lookup
        #: Piece text -> how the grammar reads it.
        self.readings: dict[str, Reading] = readings if readings is not None else {}
        #: Cell text -> the parsed cell, and whether a learning parse may use it (it names no unknown unit).
        self.cells: dict[str, tuple[ParsedCell, bool]] = cells if cells is not None else {}

    def sharing(self, registry: UnitRegistry) -> CellReader:
        """A reader for ``registry`` (a copy of this one's) that shares these memos."""
        return CellReader(registry, self.readings, self.cells)

    def reading(self, text: str) -> Reading:
        """How the cell grammar reads one piece of a cell."""
        r = self.readings.get(text)
        if r is None:
            r = self.readings[text] = read_piece(text, self._unit_of, self._registry._open_tail_keys)
        return r

    def _unit_of(self, name: str) -> Unit | None:
        hit = self._lookup(name)
        return hit.unit if hit is not None else None

    def _judge(self, text: str) -> Verdict:
        r = self.reading(text)
        if not r.name:
            # Only role words or a collective after 等: it resolves when the collective does.
            return Verdict(r.tail is not None, r.tail is not None, r.label or r.tail is not None)
        resolves = self._lookup(r.name) is not None
        begins = resolves or r.label or begins_like_unit(r.name, self._registry._starts)
        return Verdict(resolves, resolves or ends_like_unit(r.name), begins)

    def _joinable(self, text: str) -> bool:
        return match_key(text) in self._registry._separated_keys()

    def _known(self, name: str) -> bool:
        """Whether ``name`` is registered as written (without adding a level prefix)."""
        key = match_key(name)
        return bool(key) and self._registry._find(key) is not None

    def _learn(self, name: str, alias: str | None = None) -> None:
        registry = self._registry
        if name and self._lookup(name) is None:
            canonical = clean_name(name)
            if canonical and registry.get(canonical) is None:
                aliases = (alias,) if alias is not None and self._lookup(alias) is None else ()
                registry.add(Unit(canonical, guess_kind(canonical), aliases))
                registry._learned.add(canonical)

    def read_cell(self, text: str, learn: bool) -> ParsedCell:
        """The cell parsed (see :meth:`~zwgk.UnitRegistry.parse_cell`, which looks in ``cells`` first)."""
        registry = self._registry
        joinable = self._joinable if registry._separated_keys() else None
        spans, warnings = split_spans(text, self._judge, joinable)
        entries = complete_entries(text, read_entries(text, spans, self.reading, warnings), self._known)
        refs: list[UnitRef] = []
        for e in entries:
            if learn:
                self._learn(e.name, e.alias)
            ref = registry.ref(text[e.start:e.end], e.name)
            note = e.note if e.alias is None else f"{e.alias} in brackets is another name of {ref.name}"
            refs.append(ref if note is None or ref.note is not None else evolve(ref, note=note))
        parsed = parsed_cell(refs, entries, warnings)
        if registry._reader is self:  # nothing was learned: the same text parses the same way
            # Whether a later learning parse may use it: only when it names no unknown unit.
            knows_all = learn or all(self._lookup(e.name) is not None for e in entries if e.name)
            self.cells[text] = (parsed, knows_all)
        return parsed
