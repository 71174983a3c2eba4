"""The unit registry: the store of canonical units and the names they go by, and lookups in it.

It also holds what looking up costs to redo (memos of lookups, dropped whenever the registry
changes). Cells are read against it by its :class:`~zwgk.units._cells.CellReader`; which region
each unit serves is kept by :class:`~zwgk.units._regions.Origins`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence

from attrs import define, evolve, field, frozen

from zwgk.model import Unit, UnitKind, UnitRef
from zwgk.units._abbrev import Abbreviations
from zwgk.units._cells import CellReader
from zwgk.units._covers import parse_covers
from zwgk.units._grammar import PREFIX_NOTE, ParsedCell
from zwgk.units._normalize import clean_name, match_key
from zwgk.units._regions import Origins
from zwgk.units._shapes import UNIT_STARTS, guess_kind

__all__ = ["UnitRegistry"]


def _has_top_level_separator(key: str) -> bool:
    depth = 0
    for ch in key:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == "、" and depth == 0:
            return True
    return False


@frozen
class _Hit:
    unit: Unit
    note: str | None = None


@define
class UnitRegistry:
    """Canonical units and the names they go by.

    Lookups match on :func:`~zwgk.units.match_key` (spaces, widths, brackets folded), then on the
    abbreviation-reduced key (``发展和改革委员会 → 发改委``, rules from data), then with a level
    prefix added (``生态环境局 → 市生态环境局``, noted on the reference). Display always uses the
    canonical name; every :class:`~zwgk.UnitRef` keeps what was written.
    """

    _units: dict[str, Unit] = field(factory=dict, alias="units")
    _keys: dict[str, str] = field(factory=dict, alias="keys")  # match key -> canonical name
    abbreviations: Abbreviations = field(factory=Abbreviations)
    #: Prefixes a unit of this registry's own level starts with (``市``); a name written without one
    #: is tried with each.
    level_prefixes: list[str] = field(factory=list)
    #: What may follow 等 at the end of a list and names no unit (``部门``, ``单位``).
    open_tails: list[str] = field(factory=list)
    _learned: set[str] = field(factory=set, alias="learned")
    #: The region this registry serves (``泰安市``), as its file declares (``[registry]``).
    region: str | None = None
    #: The level of government it serves (``市``), as its file declares.
    level: str | None = None
    # Where each unit and prefix group came from: the (region, level) its registry declared.
    _origins: Origins = field(factory=Origins, alias="origins")
    _reduced: dict[str, str | None] | None = field(default=None, init=False, repr=False, eq=False)
    _sep_keys: frozenset[str] | None = field(default=None, init=False, repr=False, eq=False)
    # What the public settings (level_prefixes, open_tails, abbreviations) give, kept by _fresh.
    _settings: tuple[object, ...] = field(default=(), init=False, repr=False, eq=False)
    _starts: tuple[str, ...] = field(default=UNIT_STARTS, init=False, repr=False, eq=False)
    _open_tail_keys: frozenset[str] = field(default=frozenset(), init=False, repr=False, eq=False)
    # Memos, dropped whenever the registry changes (see _touch): lookups, and the cell reader with
    # its pieces read and parsed cells.
    _lookups: dict[str, _Hit | None] = field(factory=dict, init=False, repr=False, eq=False)
    _reader: CellReader | None = field(default=None, init=False, repr=False, eq=False)  # made when first asked

    def _touch(self) -> None:
        """Forget every memo: the registry has changed.

        Copies share their memos with the registry they were copied from until one of them
        changes, so they are let go here (new ones made when next needed) rather than cleared.
        """
        self._lookups = {}
        self._reader = None

    def _fresh(self) -> None:
        """Notice changes made to the public attributes directly."""
        abbreviations = self.abbreviations
        settings = (tuple(self.level_prefixes), tuple(self.open_tails), id(abbreviations),
                    len(abbreviations.forms), len(abbreviations.prefixes))
        if settings != self._settings:
            self._settings = settings
            self._starts = UNIT_STARTS + tuple(match_key(p) for p in self.level_prefixes) + tuple(
                f for group in abbreviations.prefixes for f in group
            )
            self._open_tail_keys = frozenset(match_key(t) for t in self.open_tails)
            self._reduced = None
            self._touch()

    # -- building -------------------------------------------------------------------------------

    def add(self, unit: Unit) -> Unit:
        """Add a canonical unit (replacing one of the same name) and index its name and aliases.

        An alias another unit already had moves to this one.
        """
        old = self._units.get(unit.name)
        if old is not None:
            for key in [k for k, v in self._keys.items() if v == unit.name]:
                del self._keys[key]
            self._reduced = None
            self._sep_keys = None
        self._learned.discard(unit.name)
        self._units[unit.name] = unit
        self._claim(unit.name, unit.name)
        for alias in unit.aliases:
            self._claim(alias, unit.name)
        self._touch()
        return self._units[unit.name]

    def alias(self, alias: str, canonical: str) -> None:
        """Make ``alias`` resolve to the unit ``canonical`` (a canonical name or any name it resolves)."""
        self._fresh()
        hit = self._lookup(canonical)
        if hit is None:
            raise KeyError(canonical)
        unit = hit.unit
        if alias != unit.name and alias not in unit.aliases:
            self._units[unit.name] = evolve(unit, aliases=(*unit.aliases, alias))
        self._claim(alias, unit.name)
        self._touch()

    def _claim(self, written: str, canonical: str) -> None:
        key = match_key(written)
        if not key:
            return
        previous = self._keys.get(key)
        if previous is not None and previous != canonical and previous in self._units:
            other = self._units[previous]
            if written in other.aliases:
                self._units[previous] = evolve(other, aliases=tuple(a for a in other.aliases if a != written))
            self._reduced = None
        self._keys[key] = canonical
        if self._sep_keys is not None and _has_top_level_separator(key):
            self._sep_keys = None
        if self._reduced is not None:
            self._index_reduced(key, canonical)

    def add_abbreviation(self, forms: Sequence[str]) -> None:
        """Declare spellings that may stand for one another anywhere in a name (``委员会``, ``委``)."""
        self.abbreviations.add_forms(forms)
        self._reduced = None
        self._touch()

    def add_prefix(self, forms: Sequence[str]) -> None:
        """Declare spellings that may stand for one another at the start of a name (``泰安市``, ``市``)."""
        self.abbreviations.add_prefixes(forms)
        self._reduced = None
        self._touch()

    def declare(self, region: str | None, level: str | None) -> None:
        """Say that this registry serves ``region`` (and ``level``): every unit and prefix group it
        holds now is that region's, and a plan from another region does not resolve against them
        (:meth:`serving`). Its abbreviation rules stay general."""
        self.region, self.level = region, level
        self._origins.declare((region, level), self._units, self.abbreviations.prefixes)

    @property
    def regions(self) -> frozenset[str]:
        """The regions the registries merged into this one declare they serve."""
        return self._origins.regions

    def serves(self, region: str | None, level: str | None = None) -> bool:
        """Whether a registry for a plan of ``region`` (or, its region unknown, of ``level``) is here.

        A registry whose files declare no region serves every plan, and so does any registry for a
        plan that says neither its region nor its level.
        """
        return self._origins.serves(region, level)

    def serving(self, region: str | None, level: str | None = None) -> UnitRegistry:
        """The registry a plan of ``region`` and ``level`` is read against.

        Units and prefix groups declared for another region (or another level) are left out; the
        level prefixes tried for a name written without one become ``level``'s. When nothing is
        left out this registry itself is returned (what a plan teaches it stays with it).
        """
        self._fresh()
        dropped, dropped_groups = self._origins.left_out(region, level)
        prefixes = [level] if level is not None and self.level_prefixes and level not in self.level_prefixes else None
        if not dropped and not dropped_groups and prefixes is None:
            return self
        abbreviations = Abbreviations(list(self.abbreviations.forms),
                                      [g for g in self.abbreviations.prefixes if g not in dropped_groups])
        other = UnitRegistry(abbreviations=abbreviations,
                             level_prefixes=prefixes if prefixes is not None else list(self.level_prefixes),
                             open_tails=list(self.open_tails), region=self.region, level=self.level)
        for unit in self._units.values():
            if unit.name not in dropped:
                other.add(unit)
        for key, canonical in self._keys.items():
            if canonical in other._units:
                other._keys.setdefault(key, canonical)
        other._learned = {n for n in self._learned if n in other._units}
        other._origins = self._origins.kept(other._units, dropped_groups)
        other._sep_keys = None
        other._touch()
        return other

    def merge(self, other: UnitRegistry) -> None:
        """Add everything ``other`` knows; for a unit both have, ``other``'s description wins and
        the aliases are combined. What ``other`` declares it serves goes with its units."""
        self._origins.merge(other._origins, [u.name for u in other if u.name not in self._units])
        for unit in other:
            mine = self._units.get(unit.name)
            if mine is not None and unit.name not in other._learned:
                aliases = tuple(dict.fromkeys((*mine.aliases, *unit.aliases)))
                unit = evolve(unit, aliases=aliases)
            elif mine is not None:
                continue
            self.add(unit)
            if unit.name in other._learned:
                self._learned.add(unit.name)
        for key, canonical in other._keys.items():
            if key not in self._keys and canonical in self._units:
                self._keys[key] = canonical
        self._sep_keys = None
        self.abbreviations.merge(other.abbreviations)
        for p in other.level_prefixes:
            if p not in self.level_prefixes:
                self.level_prefixes.append(p)
        for t in other.open_tails:
            if t not in self.open_tails:
                self.open_tails.append(t)
        self._reduced = None
        self._touch()

    def copy(self) -> UnitRegistry:
        """An independent copy (what is learned or added to it leaves this one alone)."""
        self._fresh()
        self._reduced_index()  # built once here rather than once per copy
        self._separated_keys()
        other = UnitRegistry(
            dict(self._units), dict(self._keys), self.abbreviations.copy(), list(self.level_prefixes),
            list(self.open_tails), set(self._learned), self.region, self.level, self._origins.copy(),
        )
        # The memos hold for the copy as long as neither changes.
        other._fresh()
        other._reduced = dict(self._reduced) if self._reduced is not None else None
        other._sep_keys = self._sep_keys
        other._lookups = self._lookups
        other._reader = self._cell_reader().sharing(other)
        return other

    @classmethod
    def of(cls, units: Iterable[Unit]) -> UnitRegistry:
        """A registry holding ``units`` (and nothing else: no abbreviation rules)."""
        reg = cls()
        for u in units:
            reg.add(u)
        return reg

    # -- looking up ---------------------------------------------------------------------------

    def __iter__(self) -> Iterator[Unit]:
        return iter(list(self._units.values()))

    def __len__(self) -> int:
        return len(self._units)

    def __contains__(self, name: object) -> bool:
        self._fresh()
        return isinstance(name, str) and self._lookup(name) is not None

    def get(self, name: str) -> Unit | None:
        """The unit whose canonical name is exactly ``name``."""
        return self._units.get(name)

    def units(self, kind: UnitKind | None = None) -> tuple[Unit, ...]:
        """The canonical units, optionally of one kind, in the order they were added."""
        return tuple(u for u in self._units.values() if kind is None or u.kind is kind)

    @property
    def learned(self) -> frozenset[str]:
        """Canonical names of the units added while reading plans (``parse_cell(..., learn=True)``)."""
        return frozenset(self._learned)

    def resolve(self, name: str) -> Unit | None:
        """The canonical unit ``name`` stands for, or ``None``."""
        self._fresh()
        hit = self._lookup(name)
        return hit.unit if hit is not None else None

    def members(self, unit: str | Unit) -> tuple[tuple[Unit, ...], bool]:
        """The registered units a collective stands for, and whether it stands for only some of them.

        ``covers`` is read by :func:`~zwgk.units.parse_covers`. A unit that is no collective stands
        for itself.
        """
        u = self.resolve(unit) if isinstance(unit, str) else unit
        if u is None:
            return (), False
        if not u.covers:
            return (u,), False
        covers = parse_covers(u.covers)
        out: dict[str, Unit] = {}
        for member in covers.members:
            if isinstance(member, UnitKind):
                for other in self._units.values():
                    if other.kind is member and other.name != u.name:
                        out.setdefault(other.name, other)
            else:
                covered = self.resolve(member)
                if covered is not None:
                    out.setdefault(covered.name, covered)
        return tuple(out.values()), covers.partial

    def _reduced_index(self) -> dict[str, str | None]:
        if self._reduced is None:
            self._reduced = {}
            for key, canonical in self._keys.items():
                self._index_reduced(key, canonical)
        return self._reduced

    def _index_reduced(self, key: str, canonical: str) -> None:
        assert self._reduced is not None
        red = self.abbreviations.reduce(key)
        prev = self._reduced.get(red, canonical)
        self._reduced[red] = canonical if prev == canonical else None  # None: ambiguous

    def _find(self, key: str) -> str | None:
        canonical = self._keys.get(key)
        if canonical is None and self.abbreviations:
            canonical = self._reduced_index().get(self.abbreviations.reduce(key))
        return canonical

    def _lookup(self, name: str) -> _Hit | None:
        try:
            return self._lookups[name]
        except KeyError:
            pass
        hit = self._lookups[name] = self._lookup_uncached(name)
        return hit

    def _lookup_uncached(self, name: str) -> _Hit | None:
        key = match_key(name)
        if not key:
            return None
        canonical = self._find(key)
        if canonical is not None:
            return _Hit(self._units[canonical])
        prefixes = [match_key(p) for p in self.level_prefixes]
        if not key.startswith(tuple(p for p in prefixes if p)):
            found: dict[str, str] = {}
            for p in prefixes:
                c = self._find(p + key)
                if c is not None:
                    found.setdefault(c, p)
            if len(found) == 1:
                canonical, prefix = next(iter(found.items()))
                return _Hit(self._units[canonical], PREFIX_NOTE.format(prefix))
        return None

    def ref(self, as_written: str, name: str | None = None) -> UnitRef:
        """A reference for one written name, resolved against the registry.

        ``name`` is the name to look up when it differs from what was written (role words or 等
        removed). A unit learned from a plan gives a reference with ``resolved=False`` carrying the
        learned canonical name.
        """
        self._fresh()
        key = name if name is not None else clean_name(as_written)
        hit = self._lookup(key)
        if hit is None:
            return UnitRef(as_written, clean_name(key), guess_kind(key), False)
        unit = hit.unit
        return UnitRef(as_written, unit.name, unit.kind, unit.name not in self._learned, hit.note)

    # -- parsing cells ------------------------------------------------------------------------

    def _cell_reader(self) -> CellReader:
        """The reader of cells against the registry as it is now."""
        self._fresh()
        reader = self._reader
        if reader is None:
            reader = self._reader = CellReader(self)
        return reader

    def _separated_keys(self) -> frozenset[str]:
        """Keys of registered names that hold a separator outside brackets (rare)."""
        if self._sep_keys is None:
            self._sep_keys = frozenset(k for k in self._keys if _has_top_level_separator(k))
        return self._sep_keys

    def parse_cell(self, text: str, *, learn: bool = False) -> ParsedCell:
        """Split a unit cell into :class:`UnitRef` objects with the roles and open lists it writes.

        With ``learn=True`` every name the registry does not know is added to it (kind guessed from
        the name) as it is met, so that later cells of the same plan resolve against it.
        Never raises on odd text: unbalanced brackets, stray separators and leftovers become
        ``warnings``, and every character that is not a separator or a space lands in some
        reference's ``as_written``.
        """
        if not isinstance(text, str):
            raise TypeError(f"a unit cell is text, not {type(text).__name__}")
        self._fresh()
        reader = self._reader or self._cell_reader()
        cached = reader.cells.get(text)  # the memo is consulted here: most cells of a plan were read before
        if cached is not None and (cached[1] or not learn):
            return cached[0]
        return reader.read_cell(text, learn)

    def split(self, text: str) -> list[UnitRef]:
        """The unit references a cell names (see :meth:`parse_cell` for roles and open lists)."""
        return list(self.parse_cell(text).refs)

    # -- data files ---------------------------------------------------------------------------

    @classmethod
    def from_toml(cls, path: str | os.PathLike[str]) -> UnitRegistry:
        """A registry read from a TOML data file (see ``docs/units.md`` for the format)."""
        from zwgk.units._toml import read_registry_file

        return read_registry_file(path)

    @classmethod
    def from_toml_string(cls, text: str, *, source: str | None = None) -> UnitRegistry:
        """A registry read from TOML text; ``source`` names it in error messages."""
        from zwgk.units._toml import read_registry_text

        return read_registry_text(text, source)

    def to_toml(self, path: str | os.PathLike[str] | None = None) -> str:
        """The registry as TOML text (also written to ``path`` when given)."""
        from zwgk.units._toml import registry_to_text

        text = registry_to_text(self)
        if path is not None:
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
        return text

