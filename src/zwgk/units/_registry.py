"""The unit registry: canonical units, their aliases, collectives, and the parsing of unit cells."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from importlib import resources

from attrs import define, evolve, field, frozen

from zwgk.model import Role, Unit, UnitKind, UnitRef
from zwgk.units._abbrev import Abbreviations
from zwgk.units._normalize import clean_name, match_key
from zwgk.units._split import UNIT_STARTS, Verdict, begins_like_unit, ends_like_unit, split_spans

__all__ = ["DEFAULT_REGISTRY_FILE", "ParsedCell", "UnitRegistry", "default_registry", "guess_kind"]

DEFAULT_REGISTRY_FILE = "units-default.toml"

_OPEN = "等"
#: Role labels written before the units of a role inside one cell (牵头单位：…；责任单位：…).
ROLE_LABELS: dict[str, Role] = {
    "牵头单位": Role.LEAD, "牵头部门": Role.LEAD, "主办单位": Role.LEAD,
    "责任单位": Role.RESPONSIBLE, "责任部门": Role.RESPONSIBLE, "主责单位": Role.RESPONSIBLE,
    "配合单位": Role.COOPERATING, "配合部门": Role.COOPERATING, "协办单位": Role.COOPERATING,
    "协助单位": Role.COOPERATING, "参与单位": Role.COOPERATING,
}
#: Role verbs written after the units of a role (X牵头，Y配合).
ROLE_VERBS: dict[str, Role] = {
    "牵头负责": Role.LEAD, "负责牵头": Role.LEAD, "牵头": Role.LEAD, "主办": Role.LEAD,
    "负责": Role.RESPONSIBLE,
    "配合": Role.COOPERATING, "协助": Role.COOPERATING, "协办": Role.COOPERATING, "参与": Role.COOPERATING,
}
_LABEL_RE = re.compile("^(?:" + "|".join(sorted(ROLE_LABELS, key=len, reverse=True)) + ")[:：]")
_VERB_RE = re.compile("(?:" + "|".join(sorted(ROLE_VERBS, key=len, reverse=True)) + ")[。.]*$")
_ROLE_WORDS = {**ROLE_VERBS, **ROLE_LABELS}
_BRACKETED_ROLE_RE = re.compile(
    "[（(](" + "|".join(sorted(_ROLE_WORDS, key=len, reverse=True)) + ")[）)][。.]*$"
)


@frozen
class ParsedCell:
    """What a unit cell says.

    ``refs`` are the units in the order written. ``open_list`` is true when a list ended in 等.
    A cell may assign roles itself (``X牵头，Y配合``; ``牵头单位：X；责任单位：Y``): then ``roles``
    holds one entry per ref, the :class:`Role` written for it or ``None`` for the role of the
    column; ``roles`` is empty when the cell names no role. ``open_roles`` says which of those
    (``None`` again for the column's own role) ended in 等. :meth:`by_role` sorts it all out.
    """

    refs: tuple[UnitRef, ...]
    open_list: bool = False
    warnings: tuple[str, ...] = ()
    roles: tuple[Role | None, ...] = ()
    open_roles: frozenset[Role | None] = frozenset()

    def role_of(self, index: int) -> Role | None:
        """The role written for ``refs[index]`` inside the cell, or ``None``."""
        return self.roles[index] if self.roles else None

    def by_role(self, default: Role) -> dict[Role, tuple[tuple[UnitRef, ...], bool]]:
        """``{role: (refs, open)}``, with ``default`` (the column's role) for refs the cell gives no role."""
        open_roles = self.open_roles or (frozenset({None}) if self.open_list else frozenset())
        refs: dict[Role, list[UnitRef]] = {}
        for i, ref in enumerate(self.refs):
            refs.setdefault(self.role_of(i) or default, []).append(ref)
        is_open = {r or default for r in open_roles}
        for role in is_open:
            refs.setdefault(role, [])
        return {role: (tuple(rs), role in is_open) for role, rs in refs.items()}


def guess_kind(name: str) -> UnitKind:
    """A kind for a unit nobody described, from the shape of its name."""
    key = match_key(name)
    if key.startswith("各") or any(w in key for w in ("各部门", "有关部门", "相关部门", "有关单位", "相关单位")):
        return UnitKind.COLLECTIVE
    if key.endswith(("学院", "大学", "学校", "中学", "小学", "幼儿园")):
        return UnitKind.SCHOOL
    if key.endswith(("公司", "集团", "银行")):
        return UnitKind.ENTERPRISE
    if key.startswith(("市委", "县委", "区委", "省委", "中共", "市纪委", "共青团", "团市委")) or key.endswith(
        ("宣传部", "组织部", "统战部", "政法委", "编办", "网信办")
    ):
        return UnitKind.PARTY_BODY
    if not key.startswith("市") and (
        key.endswith(("县政府", "区政府", "市政府", "人民政府")) or (len(key) >= 3 and key.endswith(("县", "区")))
    ):
        return UnitKind.COUNTY_GOVERNMENT
    if key.endswith(("中心", "院", "所", "站", "馆")):
        return UnitKind.PUBLIC_INSTITUTION
    if key.endswith(("局", "委", "办", "厅", "部", "办公室", "委员会")):
        return UnitKind.DEPARTMENT
    return UnitKind.OTHER


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


_Entry = tuple[int, int, str, "Role | None", bool, bool, "str | None"]
_NAMED_BY_DENG = "named by the 等 that closes the list"
_OPEN_UNMARKED: frozenset[Role | None] = frozenset({None})


@frozen
class _Hit:
    unit: Unit
    note: str | None = None


@frozen
class _Reading:
    """One piece of a cell understood: the name, the role and 等 written with it."""

    name: str  # the name with role words and 等 removed (cleaned), "" when there is none
    role: Role | None = None
    label: bool = False  # the role came from a label (牵头单位：) and carries on to later pieces
    open: bool = False
    tail: str | None = None  # the collective named after 等 (相关部门（单位）), cleaned
    cut: int | None = None  # where the tail starts in the piece text


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
    _reduced: dict[str, str | None] | None = field(default=None, init=False, repr=False, eq=False)
    _sep_keys: frozenset[str] | None = field(default=None, init=False, repr=False, eq=False)
    # Memos, dropped whenever the registry changes (see _touch).
    _version: int = field(default=0, init=False, repr=False, eq=False)
    _settings: tuple[object, ...] = field(default=(), init=False, repr=False, eq=False)
    _lookups: dict[str, _Hit | None] = field(factory=dict, init=False, repr=False, eq=False)
    _cells: dict[tuple[str, bool], ParsedCell] = field(factory=dict, init=False, repr=False, eq=False)
    _readings: dict[str, _Reading] = field(factory=dict, init=False, repr=False, eq=False)
    _refs: dict[tuple[str, str, str | None], UnitRef] = field(factory=dict, init=False, repr=False, eq=False)
    _starts: tuple[str, ...] | None = field(default=None, init=False, repr=False, eq=False)

    def _touch(self) -> None:
        """Forget every memo: the registry has changed.

        Copies share their memos with the registry they were copied from until one of them
        changes, so new dictionaries are made here rather than the shared ones cleared.
        """
        self._version += 1
        self._lookups = {}
        self._cells = {}
        self._readings = {}
        self._refs = {}
        self._starts = None

    def _fresh(self) -> None:
        """Notice changes made to the public attributes directly."""
        abbreviations = self.abbreviations
        settings = (tuple(self.level_prefixes), tuple(self.open_tails), id(abbreviations),
                    len(abbreviations.forms), len(abbreviations.prefixes))
        if settings != self._settings:
            self._settings = settings
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

    def merge(self, other: UnitRegistry) -> None:
        """Add everything ``other`` knows; for a unit both have, ``other``'s description wins and
        the aliases are combined."""
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
            list(self.open_tails), set(self._learned),
        )
        # The memos hold for the copy as long as neither changes.
        other._fresh()
        other._reduced = dict(self._reduced) if self._reduced is not None else None
        other._sep_keys = self._sep_keys
        other._lookups = self._lookups
        other._cells = self._cells
        other._readings = self._readings
        other._refs = self._refs
        other._starts = self._starts
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

        ``covers`` entries name units, ``kind:<kind>`` (every unit of that kind) or
        ``some:kind:<kind>`` (some of them). A unit that is no collective stands for itself.
        """
        u = self.resolve(unit) if isinstance(unit, str) else unit
        if u is None:
            return (), False
        if not u.covers:
            return (u,), False
        out: dict[str, Unit] = {}
        partial = False
        for entry in u.covers:
            spec = entry
            if spec.startswith("some:"):
                partial = True
                spec = spec[len("some:"):]
            if spec.startswith("kind:"):
                kind = spec[len("kind:"):]
                for other in self._units.values():
                    if other.kind.value == kind and other.name != u.name:
                        out.setdefault(other.name, other)
            else:
                covered = self.resolve(spec)
                if covered is not None:
                    out.setdefault(covered.name, covered)
        return tuple(out.values()), partial

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
                return _Hit(self._units[canonical], f"written without the level prefix {prefix!r}")
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

    def _read_piece(self, text: str) -> _Reading:
        """Role words, 等 and the collective after it, taken off one piece of a cell."""
        cleaned = c = clean_name(text)
        role: Role | None = None
        label = False
        m = _LABEL_RE.match(c)
        if m:
            role, label, c = ROLE_LABELS[m.group()[:-1]], True, c[m.end():]
        if c.startswith("由") and len(c) > 1 and self._lookup(c) is None:
            c = c[1:]
        front = len(cleaned) - len(c)  # characters taken off the front
        is_open = False
        # Role words and a closing 等 come in either order, and sometimes twice (X等配合等).
        while len(c) > 1 and self._lookup(c) is None:
            m = _BRACKETED_ROLE_RE.search(c) or _VERB_RE.search(c)  # 市财政局（牵头）, 市财政局牵头
            if m and m.start() > 0:
                word = m.group(1) if m.re is _BRACKETED_ROLE_RE else m.group().rstrip("。.")
                role, label, c = _ROLE_WORDS[word], False, c[: m.start()]
            elif c.endswith(_OPEN):
                is_open, c = True, c[:-1]
            else:
                break
        if _OPEN not in c or self._lookup(c) is not None:
            return _Reading(c, role, label, open=is_open)
        i = c.rfind(_OPEN)
        head, tail = c[:i], c[i + 1:]
        if not tail:
            return _Reading(head, role, label, open=True)
        hit = self._lookup(tail)
        if hit is not None and hit.unit.kind is UnitKind.COLLECTIVE:
            # The same 等 in the text as written (layout noise never holds a 等).
            nth = cleaned[: front + i].count(_OPEN)
            cut = -1
            for _ in range(nth + 1):
                cut = text.index(_OPEN, cut + 1)
            return _Reading(head, role, label, open=True, tail=tail, cut=cut)
        if match_key(tail) in {match_key(t) for t in self.open_tails}:
            return _Reading(head, role, label, open=True)
        return _Reading(c, role, label, open=is_open)

    def _judge(self, text: str) -> Verdict:
        r = self._reading(text)
        if not r.name:
            # Only role words or a collective after 等: it resolves when the collective does.
            return Verdict(r.tail is not None, r.tail is not None, r.label or r.tail is not None)
        resolves = self._lookup(r.name) is not None
        starts = self._starts
        if starts is None:
            starts = self._starts = UNIT_STARTS + tuple(match_key(p) for p in self.level_prefixes) + tuple(
                f for group in self.abbreviations.prefixes for f in group
            )
        begins = resolves or r.label or begins_like_unit(r.name, starts)
        return Verdict(resolves, resolves or ends_like_unit(r.name), begins)

    def written_name(self, as_written: str) -> str:
        """The name in a piece of a cell as written: role words and a closing 等 removed, cleaned.

        >>> default_registry().written_name("市科技局等")
        '市科技局'
        """
        r = self._read_piece(as_written)
        return clean_name(r.name or r.tail or "")

    def _separated_keys(self) -> frozenset[str]:
        """Keys of registered names that hold a separator outside brackets (rare)."""
        if self._sep_keys is None:
            self._sep_keys = frozenset(k for k in self._keys if _has_top_level_separator(k))
        return self._sep_keys

    def _joinable(self, text: str) -> bool:
        return match_key(text) in self._separated_keys()

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
        cached = self._cells.get((text, learn))
        if cached is not None:
            return cached
        version = self._version
        parsed = self._parse_cell(text, learn)
        if self._version == version:  # nothing was learned: the same text parses the same way
            self._cells[(text, learn)] = parsed
        return parsed

    def _parse_cell(self, text: str, learn: bool) -> ParsedCell:
        joinable = self._joinable if self._separated_keys() else None
        spans, warnings = split_spans(text, self._judge, joinable)
        # Each entry: start, end, name ("" for a stray 等 or role word), role, label, open, note
        entries: list[_Entry] = []
        any_role = any_stray = False
        for start, end in spans:
            written = text[start:end]
            r = self._reading(written)
            if r.role is not None:
                any_role = True
            if r.tail is not None and r.cut is not None:
                head_end = start + len(written[: r.cut].rstrip())
                if r.name:
                    entries.append((start, head_end, r.name, r.role, r.label, True, None))
                entries.append((start + r.cut if r.name else start, end, r.tail, r.role, r.label, True, _NAMED_BY_DENG))
            else:
                if not r.name:
                    any_stray = True
                entries.append((start, end, r.name, r.role, r.label, r.open, None))
        if any_stray:
            entries = self._attach_strays(text, entries, warnings)

        refs: list[UnitRef] = []
        for start, end, name, _role, _label, _open, note in entries:
            if learn:
                self._learn(name)
            ref = self._ref_memo(text[start:end], name, note)
            refs.append(ref)
        if not any_role:
            is_open = any(e[5] for e in entries)
            return ParsedCell(tuple(refs), is_open, tuple(warnings), (), _OPEN_UNMARKED if is_open else frozenset())

        roles: list[Role | None] = []
        pending: list[int] = []  # refs since the last role word, waiting for one
        current_label: Role | None = None
        for _start, _end, _name, role, label, _open, _note in entries:
            if label:
                current_label = role
                roles.append(role)
                pending = []
            elif role is not None:  # a role word after the units: it covers the units before it
                for k in pending:
                    roles[k] = role
                roles.append(role)
                pending = []
                current_label = None
            else:
                roles.append(current_label)
                if current_label is None:
                    pending.append(len(roles) - 1)
        # A 等 follows its ref into the role a later role word gives it.
        open_roles = frozenset(roles[i] for i, e in enumerate(entries) if e[5])
        return ParsedCell(tuple(refs), bool(open_roles), tuple(warnings), tuple(roles), open_roles)

    def _reading(self, text: str) -> _Reading:
        r = self._readings.get(text)
        if r is None:
            r = self._readings[text] = self._read_piece(text)
        return r

    def _ref_memo(self, written: str, name: str, note: str | None) -> UnitRef:
        key = (written, name, note)
        ref = self._refs.get(key)
        if ref is None:
            ref = self.ref(written, name)
            if note is not None and ref.note is None:
                ref = evolve(ref, note=note)
            self._refs[key] = ref
        return ref

    def _attach_strays(self, text: str, entries: list[_Entry], warnings: list[str]) -> list[_Entry]:
        """A piece naming no unit (a lone 等 or role word) joins the span of its neighbour."""
        named = [e for e in entries if e[2]]
        if not named:
            for start, end, *_ in entries:
                warnings.append(f"{text[start:end]!r} names no unit")
            return []
        out: list[_Entry] = []
        carry: tuple[int, Role | None, bool, bool] | None = None  # start, role, label, open of strays before
        for k, (start, end, name, role, label, is_open, note) in enumerate(entries):
            if not name:
                forward = label and any(e[2] for e in entries[k + 1:])
                if out and not forward:
                    s, _end, n, rl, lb, op, nt = out[-1]
                    out[-1] = (s, end, n, role or rl, label or lb, op or is_open, nt)
                elif carry is None:
                    carry = (start, role, label, is_open)
                else:
                    carry = (carry[0], role or carry[1], label or carry[2], is_open or carry[3])
                continue
            if carry is not None:
                start = carry[0]
                role, label, is_open = role or carry[1], label or carry[2], is_open or carry[3]
                carry = None
            out.append((start, end, name, role, label, is_open, note))
        return out

    def _learn(self, name: str) -> None:
        if name and self._lookup(name) is None:
            canonical = clean_name(name)
            if canonical and canonical not in self._units:
                self.add(Unit(canonical, guess_kind(canonical)))
                self._learned.add(canonical)

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


@cache
def _bundled(name: str) -> UnitRegistry:
    from zwgk.units._toml import read_registry_text

    ref = resources.files("zwgk") / "data" / name
    return read_registry_text(ref.read_text(encoding="utf-8"), f"zwgk/data/{name}")


def bundled_registry(name: str) -> UnitRegistry:
    """A fresh copy of a registry data file shipped in ``zwgk/data``."""
    return _bundled(name).copy()


def default_registry() -> UnitRegistry:
    """A fresh registry with the generic collectives, abbreviation rules and open-list words."""
    return bundled_registry(DEFAULT_REGISTRY_FILE)

