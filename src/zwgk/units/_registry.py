"""The unit registry: canonical units and the names they go by, lookups in it, and unit cells read against it.

One idea: what a registry knows, and a cell read with that knowledge. A :class:`UnitRegistry`
changes only through its methods (:meth:`~UnitRegistry.add`, :meth:`~UnitRegistry.alias`,
:meth:`~UnitRegistry.add_abbreviation`, :meth:`~UnitRegistry.add_prefix`,
:meth:`~UnitRegistry.add_level_prefix`, :meth:`~UnitRegistry.add_open_tail`,
:meth:`~UnitRegistry.merge`, and a learning :meth:`~UnitRegistry.parse_cell`); its settings are
read-only from outside. So it knows exactly when it has changed, and keeps one memo, of the cells
it has parsed, dropped at every change; copies share it until one of them changes.

A cell is cut by the splitter (:mod:`~zwgk.units._split`), each piece read by the cell grammar
(:mod:`~zwgk.units._grammar`) with the registry's lookup as what a name is. Which region each unit
serves is kept by :class:`~zwgk.units._regions.Origins`. Registry files are read and written by the
functions of :mod:`~zwgk.units._toml`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from attrs import define, evolve, field, frozen

from zwgk.model import Unit, UnitKind, UnitRef
from zwgk.units._abbrev import Abbreviations
from zwgk.units._covers import parse_covers
from zwgk.units._grammar import (
    NAMED_BY_DENG,
    PREFIX_NOTE,
    ParsedCell,
    Reading,
    complete_entries,
    cut_after_role_words,
    parsed_cell,
    read_entries,
    read_piece,
)
from zwgk.units._normalize import clean_name, match_key
from zwgk.units._people import people_split
from zwgk.units._regions import Origins
from zwgk.units._split import Verdict, split_spans
from zwgk.units.shapes import UNIT_STARTS, begins_like_unit, ends_like_unit, guess_kind, is_section

__all__ = ["TAIL_UNSERVED", "UnitRegistry"]

#: The note on a collective (an open tail after 等, or one on its own) in a plan of a region no
#: registry serves.
TAIL_UNSERVED = "no registry serves the plan's region, so it stays as written"


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


def _words(values: Iterable[str]) -> tuple[str, ...]:
    """``values`` in order, each once."""
    return tuple(dict.fromkeys(values))


@frozen
class _Hit:
    unit: Unit
    note: str | None = None


#: A parsed cell, and whether a learning parse may use it (it names no unit the registry does not know).
_Memo = dict[str, tuple[ParsedCell, bool]]


@define
class UnitRegistry:
    """Canonical units and the names they go by.

    Lookups match on :func:`~zwgk.units._normalize.match_key` (spaces, widths, brackets folded),
    then on the abbreviation-reduced key (``发展和改革委员会 → 发改委``, rules from data), then with
    a level prefix added (``生态环境局 → 市生态环境局``, noted on the reference). Display always
    uses the canonical name; every :class:`~zwgk.UnitRef` keeps what was written.

    ``UnitRegistry(abbreviations=..., level_prefixes=..., open_tails=..., region=..., level=...)``
    starts one with those settings and no units (add them with :meth:`add`, or start from
    :meth:`of`); afterwards every setting changes through a method only.
    """

    _abbreviations: Abbreviations = field(factory=Abbreviations, alias="abbreviations")
    _level_prefixes: tuple[str, ...] = field(default=(), converter=_words, alias="level_prefixes")
    _open_tails: tuple[str, ...] = field(default=(), converter=_words, alias="open_tails")
    _region: str | None = field(default=None, alias="region")
    _level: str | None = field(default=None, alias="level")
    _units: dict[str, Unit] = field(factory=dict, init=False)
    _keys: dict[str, str] = field(factory=dict, init=False)  # match key -> canonical name
    _learned: set[str] = field(factory=set, init=False)
    # Where each unit and prefix group came from: the (region, level) its registry declared.
    _origins: Origins = field(factory=Origins, init=False)
    # Whether a collective resolves, after a closing 等 (等相关部门) or on its own (市直各部门): not
    # for a plan of a region no registry here serves (:meth:`serving`), whose departments no
    # registry knows, so that no collective answers for what it does not cover.
    _collectives_resolve: bool = field(default=True, init=False)
    # Indexes of the above, kept up to date by the methods that change it.
    _reduced: dict[str, str | None] | None = field(default=None, init=False, repr=False, eq=False)
    _sep_keys: frozenset[str] | None = field(default=None, init=False, repr=False, eq=False)
    _starts: tuple[str, ...] = field(default=UNIT_STARTS, init=False, repr=False, eq=False)
    _prefix_keys: tuple[str, ...] = field(default=(), init=False, repr=False, eq=False)
    _open_tail_keys: frozenset[str] = field(default=frozenset(), init=False, repr=False, eq=False)
    # The memo: cell text -> the parsed cell. Dropped at every change; shared by copies until one changes.
    _cells: _Memo = field(factory=dict, init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        self._settings_changed()

    def _touch(self) -> None:
        """Forget the parsed cells: the registry has changed.

        A copy shares the memo of the registry it was copied from until one of them changes, so
        the memo is let go here (a new one started) rather than cleared.
        """
        self._cells = {}

    def _settings_changed(self) -> None:
        """Index the settings again (abbreviations, level prefixes, open tails) and forget the parsed cells."""
        self._prefix_keys = tuple(k for k in (match_key(p) for p in self._level_prefixes) if k)
        self._starts = UNIT_STARTS + self._prefix_keys + tuple(
            f for group in self._abbreviations.prefixes for f in group
        )
        self._open_tail_keys = frozenset(match_key(t) for t in self._open_tails)
        self._reduced = None
        self._touch()

    # -- settings, read-only ------------------------------------------------------------------

    @property
    def abbreviations(self) -> Abbreviations:
        """The abbreviation rules (a value: change them with :meth:`add_abbreviation` and :meth:`add_prefix`)."""
        return self._abbreviations

    @property
    def level_prefixes(self) -> tuple[str, ...]:
        """Prefixes a unit of this registry's own level starts with (``市``); a name written without
        one is tried with each (:meth:`add_level_prefix`)."""
        return self._level_prefixes

    @property
    def open_tails(self) -> tuple[str, ...]:
        """What may follow 等 at the end of a list and names no unit (``部门``, ``单位``; :meth:`add_open_tail`)."""
        return self._open_tails

    @property
    def region(self) -> str | None:
        """The region this registry serves (``泰安市``), as its file declares (``[registry]``; :meth:`declare`)."""
        return self._region

    @property
    def level(self) -> str | None:
        """The level of government it serves (``市``), as its file declares."""
        return self._level

    @property
    def regions(self) -> frozenset[str]:
        """The regions the registries merged into this one declare they serve."""
        return self._origins.regions

    @property
    def learned(self) -> frozenset[str]:
        """Canonical names of the units added while reading plans (``parse_cell(..., learn=True)``)."""
        return frozenset(self._learned)

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
        unit = self._unit_of(canonical)
        if unit is None:
            raise KeyError(canonical)
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
        self._abbreviations = self._abbreviations.with_forms(forms)
        self._settings_changed()

    def add_prefix(self, forms: Sequence[str]) -> None:
        """Declare spellings that may stand for one another at the start of a name (``泰安市``, ``市``)."""
        self._abbreviations = self._abbreviations.with_prefixes(forms)
        self._settings_changed()

    def add_level_prefix(self, prefix: str) -> None:
        """Try ``prefix`` (``市``) before a name written without a level prefix (see :attr:`level_prefixes`)."""
        self._level_prefixes = _words((*self._level_prefixes, prefix))
        self._settings_changed()

    def add_open_tail(self, word: str) -> None:
        """Let ``word`` (``部门``) follow a closing 等 and name no unit (see :attr:`open_tails`)."""
        self._open_tails = _words((*self._open_tails, word))
        self._settings_changed()

    def declare(self, region: str | None, level: str | None) -> None:
        """Say that this registry serves ``region`` (and ``level``): every unit and prefix group it
        holds now is that region's, and a plan from another region does not resolve against them
        (:meth:`serving`). Its abbreviation rules stay general."""
        self._region, self._level = region, level
        self._origins.declare((region, level), self._units, self._abbreviations.prefixes)

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
        dropped, dropped_groups = self._origins.left_out(region, level)
        own = self._level_prefixes
        prefixes = (level,) if level is not None and own and level not in own else None
        tails = self._collectives_resolve and self._origins.serves(region, level)
        if not dropped and not dropped_groups and prefixes is None and tails == self._collectives_resolve:
            return self
        other = UnitRegistry(self._abbreviations.without_prefixes(dropped_groups),
                             prefixes if prefixes is not None else self._level_prefixes,
                             self._open_tails, self._region, self._level)
        for unit in self._units.values():
            if unit.name not in dropped:
                other.add(unit)
        for key, canonical in self._keys.items():
            if canonical in other._units:
                other._keys.setdefault(key, canonical)
        other._learned = {n for n in self._learned if n in other._units}
        other._origins = self._origins.kept(other._units, dropped_groups)
        other._collectives_resolve = tails
        other._sep_keys = None
        other._reduced = None
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
        self._abbreviations = self._abbreviations.merged(other._abbreviations)
        self._level_prefixes = _words((*self._level_prefixes, *other._level_prefixes))
        self._open_tails = _words((*self._open_tails, *other._open_tails))
        self._settings_changed()

    def copy(self) -> UnitRegistry:
        """An independent copy (what is learned or added to it leaves this one alone)."""
        other = UnitRegistry(self._abbreviations, self._level_prefixes, self._open_tails, self._region, self._level)
        other._units = dict(self._units)
        other._keys = dict(self._keys)
        other._learned = set(self._learned)
        other._origins = self._origins.copy()
        other._collectives_resolve = self._collectives_resolve
        # The indexes are built once here rather than once per copy, and the memo holds for the
        # copy as long as neither changes.
        other._reduced = dict(self._reduced_index())
        other._sep_keys = self._separated_keys()
        other._cells = self._cells
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
        return isinstance(name, str) and self._unit_of(name) is not None

    def get(self, name: str) -> Unit | None:
        """The unit whose canonical name is exactly ``name``."""
        return self._units.get(name)

    def units(self, kind: UnitKind | None = None) -> tuple[Unit, ...]:
        """The canonical units, optionally of one kind, in the order they were added."""
        return tuple(u for u in self._units.values() if kind is None or u.kind is kind)

    def resolve(self, name: str) -> Unit | None:
        """The canonical unit ``name`` stands for, or ``None``."""
        return self._unit_of(name)

    def members(self, unit: str | Unit) -> tuple[tuple[Unit, ...], bool]:
        """The registered units a collective stands for, and whether it stands for only some of them.

        ``covers`` is read by :func:`~zwgk.units._covers.parse_covers`. A unit that is no collective
        stands for itself.
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
        red = self._abbreviations.reduce(key)
        prev = self._reduced.get(red, canonical)
        self._reduced[red] = canonical if prev == canonical else None  # None: ambiguous

    def _find(self, key: str) -> str | None:
        canonical = self._keys.get(key)
        if canonical is None and self._abbreviations:
            canonical = self._reduced_index().get(self._abbreviations.reduce(key))
        return canonical

    def _lookup(self, name: str) -> _Hit | None:
        key = match_key(name)
        if not key:
            return None
        canonical = self._find(key)
        if canonical is not None:
            return _Hit(self._units[canonical])
        return self._prefixed(key)

    def _prefixed(self, key: str) -> _Hit | None:
        """The unit ``key`` names with one of the level prefixes added, when exactly one is found."""
        prefixes = self._prefix_keys
        if not key.startswith(prefixes):
            found: dict[str, str] = {}
            for p in prefixes:
                c = self._find(p + key)
                if c is not None:
                    found.setdefault(c, p)
            if len(found) == 1:
                canonical, prefix = next(iter(found.items()))
                return _Hit(self._units[canonical], PREFIX_NOTE.format(prefix))
        return None

    def _unit_of(self, name: str) -> Unit | None:
        """:meth:`resolve` without the note (what the cell grammar asks, often)."""
        key = match_key(name)
        if not key:
            return None
        canonical = self._find(key)
        if canonical is not None:
            return self._units[canonical]
        hit = self._prefixed(key)
        return hit.unit if hit is not None else None

    def ref(self, as_written: str, name: str | None = None) -> UnitRef:
        """A reference for one written name, resolved against the registry.

        ``name`` is the name to look up when it differs from what was written (role words or 等
        removed). A unit learned from a plan gives a reference with ``resolved=False`` carrying the
        learned canonical name. A collective (``市直各部门``) in a registry serving a plan of a region
        no registry here serves (:meth:`serving`) gives an unresolved reference as written, with the
        note :data:`TAIL_UNSERVED`: what it covers there is not known.
        """
        key = name if name is not None else clean_name(as_written)
        hit = self._lookup(key)
        if hit is None:
            return UnitRef(as_written, clean_name(key), guess_kind(key), False)
        unit = hit.unit
        if unit.kind is UnitKind.COLLECTIVE and not self._collectives_resolve and unit.name not in self._learned:
            # a collective in a plan of a region no registry serves: kept as written (市直各部门),
            # never another region's collective
            return UnitRef(as_written, clean_name(key), UnitKind.COLLECTIVE, False, TAIL_UNSERVED)
        return UnitRef(as_written, unit.name, unit.kind, unit.name not in self._learned, hit.note)

    # -- reading cells ------------------------------------------------------------------------

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
        cached = self._cells.get(text)  # most cells of a plan were read before
        if cached is not None and (cached[1] or not learn):
            return cached[0]
        return self._read_cell(text, learn)

    def split(self, text: str) -> list[UnitRef]:
        """The unit references a cell names (see :meth:`parse_cell` for roles and open lists)."""
        return list(self.parse_cell(text).refs)

    def _reading(self, piece: str) -> Reading:
        """How the cell grammar reads one piece of a cell (the name, the role and 等 written with it)."""
        return read_piece(piece, self._unit_of, self._open_tail_keys)

    def _read_cell(self, text: str, learn: bool) -> ParsedCell:
        memo = self._cells
        # The pieces of this one cell: the splitter judges them, then the grammar reads them.
        readings: dict[str, Reading] = {}

        def reading(piece: str) -> Reading:
            r = readings.get(piece)
            if r is None:
                r = readings[piece] = self._reading(piece)
            return r

        def judge(piece: str) -> Verdict:
            r = reading(piece)
            if not r.name:
                # Only role words or a collective after 等: it resolves when the collective does.
                return Verdict(r.tail is not None, r.tail is not None, r.label or r.tail is not None)
            resolves = self._unit_of(r.name) is not None
            begins = resolves or r.label or begins_like_unit(r.name, self._starts)
            return Verdict(resolves, resolves or ends_like_unit(r.name), begins, is_section(r.name))

        joinable = self._joinable if self._separated_keys() else None
        spans, warnings = split_spans(text, judge, joinable)
        # a role word ends its unit when another follows (办公室牵头⏎法规科配合, 办公室牵头法规科配合)
        spans = [cut for span in spans for cut in cut_after_role_words(text, span, self._known)]
        entries = complete_entries(text, read_entries(text, spans, reading, warnings), self._known)
        entries = people_split(text, entries)  # 市财政局（张三）: the person is no part of the name
        refs: list[UnitRef] = []
        for e in entries:
            if e.note == NAMED_BY_DENG and not self._collectives_resolve:
                # an open tail in a plan of a region no registry serves: what it covers is not
                # known, and no other region's collective answers for it
                refs.append(UnitRef(text[e.start:e.end], clean_name(e.name), UnitKind.COLLECTIVE, False,
                                    f"{NAMED_BY_DENG}; {TAIL_UNSERVED}"))
                continue
            if learn:
                self._learn(e.name, e.alias)
            ref = self.ref(text[e.start:e.end], e.name)
            note = e.note if e.alias is None else f"{e.alias} in brackets is another name of {ref.name}"
            refs.append(ref if note is None or ref.note is not None else evolve(ref, note=note))
        parsed = parsed_cell(refs, entries, warnings)
        if self._cells is memo:  # nothing was learned: the same text parses the same way
            # Whether a later learning parse may use it: only when it names no unknown unit.
            knows_all = learn or all(self._unit_of(e.name) is not None for e in entries if e.name)
            memo[text] = (parsed, knows_all)
        return parsed

    def _separated_keys(self) -> frozenset[str]:
        """Keys of registered names that hold a separator outside brackets (rare)."""
        if self._sep_keys is None:
            self._sep_keys = frozenset(k for k in self._keys if _has_top_level_separator(k))
        return self._sep_keys

    def _joinable(self, span: str) -> bool:
        return match_key(span) in self._separated_keys()

    def _known(self, name: str) -> bool:
        """Whether ``name`` is registered as written (without adding a level prefix)."""
        key = match_key(name)
        return bool(key) and self._find(key) is not None

    def _learn(self, name: str, alias: str | None = None) -> None:
        if name and self._unit_of(name) is None:
            canonical = clean_name(name)
            if canonical and self.get(canonical) is None:
                aliases = (alias,) if alias is not None and self._unit_of(alias) is None else ()
                self.add(Unit(canonical, guess_kind(canonical), aliases))
                self._learned.add(canonical)
