"""The grammar of a unit cell: role words, a closing 等, the collective after it, stray pieces.

The splitter (:mod:`zwgk.units._split`) cuts a cell into name-sized pieces; this module reads each
piece (:func:`read_piece`: the name, the role and 等 written with it), turns the pieces of a cell
into :class:`Entry` records (a collective after 等 becomes an entry of its own, a piece naming no
unit joins its neighbour, ``X会同Y`` becomes X leading and Y cooperating), gives a name written
without the level prefix of the unit before it that prefix (:func:`complete_entries`: ``省财政厅、
教育厅`` → ``省教育厅``; an alias in brackets, ``市委编办（市审改办）``, is the unit's other name) and
gives each entry its role (:func:`parsed_cell`). What a name is comes from outside, as a ``find``
function (the registry's lookup).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType

from attrs import evolve, field, frozen

from zwgk.model import Role, Unit, UnitKind, UnitRef
from zwgk.units._normalize import CLOSE, HARD_SEPARATORS, OPEN, clean_name, match_key
from zwgk.units.shapes import (
    LEVEL_PREFIXES,
    NOT_A_LEVEL,
    begins_like_unit,
    ends_like_unit,
    guess_kind,
    needs_level,
    written_level,
)
from zwgk.vocabulary import LABELS, UNIT_MARKS, UNIT_ROLES, fold_mark

__all__ = [
    "ELIDED_NOTE",
    "LABEL_RE",
    "NAMED_BY_DENG",
    "PREFIX_NOTE",
    "ROLE_LABELS",
    "ROLE_VERBS",
    "Entry",
    "Marking",
    "ParsedCell",
    "Reading",
    "complete_entries",
    "cut_after_role_words",
    "parsed_cell",
    "read_entries",
    "read_piece",
]

OPEN_LIST = "等"
#: The note on a collective named after 等 (``等相关部门（单位）``).
NAMED_BY_DENG = "named by the 等 that closes the list"
#: Role labels written before the units of a role inside one cell (牵头单位：…；责任单位：…): the
#: unit column headings of :data:`zwgk.vocabulary.LABELS` that name a body (a bare role word with a
#: colon is a role verb's label, below).
ROLE_LABELS: dict[str, Role] = {word: Role.of(role) for word, role in LABELS.items()
                                if role in UNIT_ROLES and len(word) > 2}
#: Role verbs written after the units of a role (X牵头，Y配合).
ROLE_VERBS: dict[str, Role] = {
    "牵头负责": Role.LEAD, "负责牵头": Role.LEAD, "牵头": Role.LEAD, "主办": Role.LEAD,
    "负责": Role.RESPONSIBLE,
    "配合": Role.COOPERATING, "协助": Role.COOPERATING, "协办": Role.COOPERATING, "参与": Role.COOPERATING,
    "会同": Role.LEAD,
}
#: Words that may follow a role verb and add nothing to the role (站所配合落实).
ROLE_VERB_TAILS = ("落实", "实施", "执行", "完成", "推进", "办理")
#: ``X会同Y``: X leads and Y (and the units after it in the cell) cooperate.
JOINTLY = "会同"
#: The note on a reference whose role a role word written with it decides (站所配合落实), not its column.
ROLE_NOTE = "{}: the role word written with it decides the role"
#: What a role label may be: a label word (牵头单位：) or a role verb with a colon (牵头：X；配合：Y).
_LABEL_WORDS: dict[str, Role] = {**{w: r for w, r in ROLE_VERBS.items() if w != JOINTLY}, **ROLE_LABELS}
_LABEL_ALTERNATIVES = "|".join(map(re.escape, sorted(_LABEL_WORDS, key=len, reverse=True)))
_LABEL_RE = re.compile("^(?:" + _LABEL_ALTERNATIVES + ")[:：]")
#: A role label at a given position (``LABEL_RE.match(text, start)``): 牵头单位：, 配合：.
LABEL_RE = re.compile("(?:" + _LABEL_ALTERNATIVES + ")[:：]")
# A label written straight after a unit name, with no separator (牵头单位：市财政局配合单位：市审计局, as a
# Word page's HTML gives two lines of a cell joined): the match starts the next piece.
_LABEL_INSIDE_RE = LABEL_RE
#: How a role verb may be qualified before it, adding nothing to the role (市财政局按职责分工负责,
#: 市教育局、市财政局分别负责): taken off the name with the verb.
ROLE_VERB_MANNERS = ("根据职责分工", "按照职责分工", "按照各自职责", "按职责分工", "按职能分工", "按各自职责",
                     "依职责分工", "根据职责", "按照职责", "按职责", "按职能", "依职责", "分别", "共同", "各自")
_VERB_RE = re.compile("(?:" + "|".join(ROLE_VERB_MANNERS) + ")?("
                      + "|".join(sorted(ROLE_VERBS, key=len, reverse=True)) + ")(?:"
                      + "|".join(ROLE_VERB_TAILS) + ")?[。.]*$")
_ROLE_WORDS = {**ROLE_VERBS, **ROLE_LABELS}
# A role verb (bracketed or not) followed by a line break or spaces and more text (办公室牵头⏎法规科配合,
# 法规科（牵头） 信息中心): the unit ends there.
_CUT_VERBS = "|".join(sorted((w for w in ROLE_VERBS if w != JOINTLY), key=len, reverse=True))
_ROLE_BEFORE_SPACE_RE = re.compile(
    "(?:" + _CUT_VERBS + ")(?:" + "|".join(ROLE_VERB_TAILS) + r")?[）)]?(\s+)(?=\S)")
# A role verb written straight after a unit name, bracketed or not (办公室牵头法规科配合,
# 办公室（牵头）法规科（配合）): the match is the role word, its end where the next piece starts.
_ROLE_INSIDE_RE = re.compile(
    "([（(])?(?:" + _CUT_VERBS + ")(?:" + "|".join(ROLE_VERB_TAILS) + ")?(?(1)[）)]|[）)]?)")
_BRACKETED_ROLE_RE = re.compile(
    "[（(](" + "|".join(map(re.escape, sorted(_ROLE_WORDS, key=len, reverse=True))) + ")(?:"
    + "|".join(ROLE_VERB_TAILS) + ")?[）)][。.]*$"
)
_OPEN_UNMARKED: frozenset[Role | None] = frozenset({None})
# A mark written before or after a name (*市教育局, 市教育局★, 市教育局（▲）): not part of the name.
_MARK_CLASS = "[" + re.escape(UNIT_MARKS) + "]"
_MARK_FRONT_RE = re.compile(f"^{_MARK_CLASS}+")
_MARK_BACK_RE = re.compile(f"(?:{_MARK_CLASS}+|[（(]{_MARK_CLASS}+[）)])$")
_MARK_SET = frozenset(UNIT_MARKS)
_MARK_CLOSE = frozenset("）)")  # a name with a mark in brackets after it ends so, the mark before


@frozen
class Marking:
    """What a mark on a unit in a cell says (the table's note: 带*号的为牵头单位): a unit marked
    ``mark`` (:func:`~zwgk.vocabulary.fold_mark`; ``None``: any mark) with no role word of its own
    is of ``role``, and says ``note`` (``{mark}`` in it: the mark); with ``others``, an unmarked unit
    with no role word in a cell that marks some unit is of that role (其余为配合单位), and says
    ``others_note``: a cell marking none (one unit alone, most often) keeps its column's role."""

    mark: str | None
    role: Role
    note: str
    others: Role | None = None
    others_note: str = ""

    def covers(self, mark: str | None) -> bool:
        return mark is not None and (self.mark is None or self.mark == mark)


def take_marks(name: str) -> tuple[str, str | None]:
    """``name`` without the marks written before or after it, and the first mark (folded), or
    ``None`` when it has none: ``*市教育局`` → ``("市教育局", "*")``."""
    if not name or (name[0] not in UNIT_MARKS and name[-1] not in UNIT_MARKS
                    and (name[-1] not in _MARK_CLOSE or name[-2:-1] not in _MARK_SET)):
        return name, None  # no mark first, last, or last in brackets (市委编办（市审改办）): most names
    mark: str | None = None
    front = _MARK_FRONT_RE.match(name)
    if front is not None and front.end() == len(name):
        return "", fold_mark(name[0])  # a mark alone: it names no unit, and goes with its neighbour
    if front is not None:
        mark, name = fold_mark(name[0]), name[front.end():]
    back = _MARK_BACK_RE.search(name)
    if back is not None and back.start() > 0:
        mark = mark or fold_mark(back.group().strip("（()）")[0])
        name = name[:back.start()]
    return name, mark

#: A cell's references by role, each with whether its list is open (:meth:`ParsedCell.by_role`).
ByRole = Mapping[Role, tuple[tuple[UnitRef, ...], bool]]
#: What a name stands for, or ``None`` (the registry's lookup).
Find = Callable[[str], "Unit | None"]


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
    #: The mark written with each ref (``*市教育局``: ``"*"``) or ``None``; empty when none has one.
    marks: tuple[str | None, ...] = ()
    # What by_role gave for each column role: the cell is a value, so it never changes.
    _by_role: dict[tuple[Role, tuple[Marking, ...]], ByRole] = field(factory=dict, init=False, repr=False,
                                                                     eq=False)

    def role_of(self, index: int) -> Role | None:
        """The role written for ``refs[index]`` inside the cell, or ``None``."""
        return self.roles[index] if self.roles else None

    def mark_of(self, index: int) -> str | None:
        """The mark written with ``refs[index]`` (``*市教育局``: ``"*"``), or ``None``."""
        return self.marks[index] if self.marks else None

    def by_role(self, default: Role, markings: tuple[Marking, ...] = ()) -> ByRole:
        """``{role: (refs, open)}``, with ``default`` (the column's role) for refs the cell gives no role.

        A ref whose own role word decides its role says so in its note (:data:`ROLE_NOTE`), in any column.
        A ref with no role word and a mark takes the role of the first of ``markings`` that covers
        its mark (:class:`Marking`), and says so in its note; an unmarked one the ``others`` role of
        the first marking that names one.
        Worked out once per column role and markings (tables repeat their unit cells).
        """
        key = (default, markings)
        found = self._by_role.get(key)
        if found is None:
            found = self._by_role[key] = MappingProxyType(self._sort_by_role(default, markings))
        return found

    def _sort_by_role(self, default: Role, markings: tuple[Marking, ...]) \
            -> dict[Role, tuple[tuple[UnitRef, ...], bool]]:
        open_roles = self.open_roles or (frozenset({None}) if self.open_list else frozenset())
        refs: dict[Role, list[UnitRef]] = {}
        others = next((m for m in markings if m.others is not None), None) if markings else None
        for i, ref in enumerate(self.refs):
            written = self.role_of(i)
            said: str | None = None
            if written is not None and _has_role_word(ref.as_written):
                said = ROLE_NOTE.format(written.value)
            elif written is None and markings:
                mark = self.mark_of(i)
                marking = next((m for m in markings if m.covers(mark)), None)
                if marking is not None and mark is not None:
                    written, said = marking.role, marking.note.replace("{mark}", mark)
                elif mark is None and others is not None:
                    written, said = others.others, others.others_note
            if said is not None:
                ref = evolve(ref, note=f"{ref.note}; {said}" if ref.note else said)
            refs.setdefault(written or default, []).append(ref)
        is_open = {r or default for r in open_roles}
        for role in is_open:
            refs.setdefault(role, [])
        return {role: (tuple(rs), role in is_open) for role, rs in refs.items()}


@frozen
class Reading:
    """One piece of a cell understood: the name, the role and 等 written with it."""

    name: str  # the name with role words and 等 removed (cleaned), "" when there is none
    role: Role | None = None
    label: bool = False  # the role came from a label (牵头单位：) and carries on to later pieces
    open: bool = False
    tail: str | None = None  # the collective named after 等 (相关部门（单位）), cleaned
    cut: int | None = None  # where the tail starts in the piece text
    mark: str | None = None  # a mark written before or after the name (*市教育局: "*")

    @property
    def written_name(self) -> str:
        """The name the piece writes: the name, else the collective after 等, else ``""``."""
        return clean_name(self.name or self.tail or "")


@frozen
class Entry:
    """One unit a cell names: its span of the cell, the name to look up, and what is written with it."""

    start: int
    end: int
    name: str  # "" for a piece naming no unit (a stray 等 or role word)
    role: Role | None = None
    label: bool = False
    open: bool = False
    note: str | None = None
    alias: str | None = None  # another name written in brackets after the name (市委编办（市审改办）)
    mark: str | None = None  # a mark written with the name (*市教育局: "*"; :class:`Marking`)


def cut_after_role_words(
    text: str, span: tuple[int, int], known: Callable[[str], bool] | None = None
) -> list[tuple[int, int]]:
    """``span`` of ``text`` cut after each role word that ends a unit name and is followed by more
    text: no unit name goes on past its role word.

    - A role label written straight after a unit name (``牵头单位：办公室配合单位：法规科``) starts a
      new piece.
    - A role word followed by a line break or spaces (``办公室牵头⏎法规科配合`` → ``办公室牵头``,
      ``法规科配合``) always ends its piece; the spaces between belong to neither piece.
    - A role word followed straight by more text (``办公室牵头法规科配合``, ``办公室（牵头）法规科
      （配合）``) ends its piece when the text before it and the text after it (up to the next such
      role word, its own role words and 等 aside) both end like unit names, and ``known`` (the
      registry) does not know the whole span as one name.
    """
    out: list[tuple[int, int]] = []
    for start, end in _cut_before_labels(text, span):
        for m in _ROLE_BEFORE_SPACE_RE.finditer(text, start, end):
            out.append((start, m.start(1)))
            start = m.end(1)
        out.append((start, end))
    if not _ROLE_INSIDE_RE.search(text, span[0], span[1]):
        return out
    return [cut for piece in out for cut in _cut_inside(text, piece, known)]


def _cut_before_labels(text: str, span: tuple[int, int]) -> list[tuple[int, int]]:
    """``span`` cut before each role label (``配合单位：``) that follows text of its own outside
    brackets: a label starts the units of its role, so no unit name runs into it."""
    start, end = span
    if text.find("：", start, end) < 0 and text.find(":", start, end) < 0:  # no label without its colon
        return [span]
    out: list[tuple[int, int]] = []
    for m in _LABEL_INSIDE_RE.finditer(text, start + 1, end):
        if text[start:m.start()].strip() and _outside_brackets(text[start:end], m.start() - start):
            out.append((start, m.start()))
            start = m.start()
    out.append((start, end))
    return out


def _cut_inside(text: str, span: tuple[int, int], known: Callable[[str], bool] | None) -> list[tuple[int, int]]:
    """``span`` cut after each role word written straight before another unit name (see
    :func:`cut_after_role_words`)."""
    start, end = span
    if known is not None and known(text[start:end]):
        return [span]
    heads = [(m.start(), m.end()) for m in _ROLE_INSIDE_RE.finditer(text, start, end)]
    out: list[tuple[int, int]] = []
    for k, (verb, after) in enumerate(heads):
        if after >= end:
            break
        following = heads[k + 1][0] if k + 1 < len(heads) else end
        head, rest = _bare(text[start:verb]), _bare(text[after:following])
        if ends_like_unit(head) and ends_like_unit(rest) and _outside_brackets(text[start:verb], verb - start):
            out.append((start, after))
            start = after
    out.append((start, end))
    return out


def _bare(piece: str) -> str:
    """A piece without the 由 before it, the role words and 等 after it (what names the unit)."""
    c = clean_name(piece)
    if c.startswith("由"):
        c = c[1:]
    while True:
        m = _VERB_RE.search(c) or _BRACKETED_ROLE_RE.search(c)
        if m and m.start() > 0:
            c = c[: m.start()]
        elif len(c) > 1 and c.endswith(OPEN_LIST):
            c = c[:-1]
        else:
            return c


def _has_role_word(written: str) -> bool:
    """Whether a piece carries a label (first) or a role word (last, before 等) as :func:`read_piece` reads them."""
    c = clean_name(written)
    m = _BRACKETED_ROLE_RE.search(c.rstrip(OPEN_LIST)) or _VERB_RE.search(c.rstrip(OPEN_LIST))
    return _LABEL_RE.match(c) is not None or (m is not None and m.start() > 0)


def read_piece(text: str, find: Find, open_tail_keys: frozenset[str]) -> Reading:
    """Role words, 等 and the collective after it, taken off one piece of a cell.

    ``open_tail_keys`` are the match keys of what may follow 等 and names no unit (``部门``).
    """
    cleaned = c = clean_name(text)
    role: Role | None = None
    label = False
    m = _LABEL_RE.match(c)
    if m:
        role, label, c = _LABEL_WORDS[m.group()[:-1]], True, c[m.end():]
    c, mark = take_marks(c)  # ★市教育局, 市教育局*
    if c.startswith("由") and len(c) > 1 and find(c) is None:
        c = c[1:]
    front = len(cleaned) - len(c)  # characters taken off the front
    is_open = False
    # Role words and a closing 等 come in either order, and sometimes twice (X等配合等).
    while len(c) > 1 and find(c) is None:
        m = _BRACKETED_ROLE_RE.search(c) or _VERB_RE.search(c)  # 市财政局（牵头）, 市财政局牵头
        if m and m.start() > 0:
            word = m.group(1)
            role, label, c = _ROLE_WORDS[word], False, c[: m.start()]
        elif c.endswith(OPEN_LIST):
            is_open, c = True, c[:-1]
        elif mark is None and (marked := take_marks(c))[1] is not None and marked[0]:
            c, mark = marked  # 市教育局★等
        else:
            break
    if OPEN_LIST not in c or find(c) is not None:
        return Reading(c, role, label, open=is_open, mark=mark)
    i = c.rfind(OPEN_LIST)
    head, tail = c[:i], c[i + 1:]
    if not tail:
        return Reading(head, role, label, open=True, mark=mark)
    unit = find(tail)
    # A collective after 等, known (等相关部门（单位）) or not (等有关单位), is an open tail, never part of the name.
    if (unit.kind if unit is not None else head and guess_kind(tail)) is UnitKind.COLLECTIVE:
        # The same 等 in the text as written (layout noise never holds a 等).
        nth = cleaned[: front + i].count(OPEN_LIST)
        cut = -1
        for _ in range(nth + 1):
            cut = text.index(OPEN_LIST, cut + 1)
        return Reading(head, role, label, open=True, tail=tail, cut=cut, mark=mark)
    if match_key(tail) in open_tail_keys:
        return Reading(head, role, label, open=True, mark=mark)
    return Reading(c, role, label, open=is_open, mark=mark)


def read_entries(
    text: str, spans: Sequence[tuple[int, int]], reading: Callable[[str], Reading], warnings: list[str]
) -> list[Entry]:
    """The entries of a cell cut at ``spans``; a piece naming no unit joins its neighbour."""
    entries: list[Entry] = []
    any_stray = False
    cut = _joint_spans(text, spans, reading) if JOINTLY in text else [(s, e, None) for s, e in spans]
    for start, end, forced in cut:
        written = text[start:end]
        r = reading(written)
        if forced is not None and r.role is None:
            r = evolve(r, role=forced, label=True)
        if r.tail is not None and r.cut is not None:
            head_end = start + len(written[: r.cut].rstrip())
            if r.name:
                entries.append(Entry(start, head_end, r.name, r.role, r.label, True, mark=r.mark))
            tail_start = start + r.cut if r.name else start
            entries.append(Entry(tail_start, end, r.tail, r.role, r.label, True, NAMED_BY_DENG))
        else:
            any_stray = any_stray or not r.name
            entries.append(Entry(start, end, r.name, r.role, r.label, r.open, mark=r.mark))
    return _attach_strays(text, entries, warnings) if any_stray else entries


def _joint_spans(
    text: str, spans: Sequence[tuple[int, int]], reading: Callable[[str], Reading]
) -> list[tuple[int, int, Role | None]]:
    """The spans with each ``X会同Y`` cut after 会同: Y (and what follows) cooperates.

    The cut is made only outside brackets, where what comes before 会同 is a unit name (it ends like
    one) and something follows.
    """
    out: list[tuple[int, int, Role | None]] = []
    for start, end in spans:
        written = text[start:end]
        i = written.find(JOINTLY)
        if i <= 0 or not _outside_brackets(written, i):
            out.append((start, end, None))
            continue
        cut = i + len(JOINTLY)
        head = reading(written[:cut])
        if not head.name or not written[cut:].strip() or not ends_like_unit(head.name):
            out.append((start, end, None))
            continue
        out.append((start, start + cut, None))
        out.append((start + cut, end, Role.COOPERATING))
    return out


def _outside_brackets(text: str, i: int) -> bool:
    depth = 0
    for ch in text[:i]:
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(0, depth - 1)
    return depth == 0


#: The note on a name the registry read with a level prefix it was written without.
PREFIX_NOTE = "written without the level prefix {!r}"
#: The note on a name given the level prefix of the unit before it in its cell (省财政厅、教育厅).
ELIDED_NOTE = "written without the level prefix {!r} of the unit before it"
_LEVEL_CHARS = frozenset(LEVEL_PREFIXES)
_NOT_LEVEL_STARTS = frozenset(w[:2] for w in NOT_A_LEVEL)
#: Separators after which a name takes no level prefix from the name before it (省财政厅；教育厅).
LIST_BREAKS = frozenset("；;")


def complete_entries(text: str, entries: Sequence[Entry], known: Callable[[str], bool]) -> list[Entry]:
    """Names written without a level prefix or with an alias in brackets, read as the names they are.

    - A bracketed alias after a name (``市委编办（市审改办）``, ``市农业农村局（市委农办）``) is the
      unit's other name: the name is looked up without it and the alias kept on the entry, unless
      ``known`` knows the whole as written.
    - A department name that cannot stand alone (``教育厅``; :func:`~zwgk.units.shapes.needs_level`)
      right after a unit of the same role written with a level prefix, or itself given one, in
      the same cell (``省财政厅、教育厅、科技厅``) takes that prefix (``省教育厅``, ``省科技厅``),
      unless ``known`` knows it as written. Any other name between them, or a ``；``, ends the
      run. The prefix carries within one role's list only (``省财政厅牵头，教育厅配合`` leaves
      教育厅 to the registry), so that each role's list, written on its own, reads the same
      (:func:`list_separator`).

    ``known(name)`` says whether a name is registered as written (not by adding a prefix).
    """
    if not _may_complete(entries):
        return list(entries)
    roles = entry_roles(entries) if any(e.role is not None for e in entries) else [None] * len(entries)
    out: list[Entry] = []
    prefixes: dict[Role | None, str | None] = {}
    previous_end = 0
    for e, role in zip(entries, roles, strict=True):
        if e.start > previous_end and not LIST_BREAKS.isdisjoint(text[previous_end:e.start]):
            prefixes.clear()
        previous_end = e.end
        if not e.name:
            out.append(e)
            continue
        alias = _bracket_alias(e.name)
        if alias is not None and not known(e.name):
            e = evolve(e, name=alias[0], alias=alias[1])
        level = written_level(e.name)
        prefix = prefixes.get(role)
        if level is None and prefix is not None and needs_level(e.name) and not known(e.name):
            e = evolve(e, name=prefix + e.name, note=e.note or ELIDED_NOTE.format(prefix))
            level = prefix
        prefixes[role] = level  # any other name ends the run
        out.append(e)
    return out


def _may_complete(entries: Sequence[Entry]) -> bool:
    """Whether any entry may be completed: a bracket at a name's end, or (with another name) a
    name not written with its level; a collective written 各… is neither."""
    several = len(entries) > 1
    for e in entries:
        name = e.name
        if not name or name[0] == "各":
            continue
        if name[-1] in CLOSE and guess_kind(name) is not UnitKind.COLLECTIVE:
            return True
        if several and (name[0] not in _LEVEL_CHARS or name[:2] in _NOT_LEVEL_STARTS):
            return True
    return False


def _bracket_alias(name: str) -> tuple[str, str] | None:
    """``(name, alias)`` for a name followed by another unit name in brackets, else ``None``."""
    key = clean_name(name)
    if not key or key[-1] not in CLOSE or guess_kind(key) is UnitKind.COLLECTIVE:
        return None
    depth = 0
    for i in range(len(key) - 1, -1, -1):
        if key[i] in CLOSE:
            depth += 1
        elif key[i] in OPEN:
            depth -= 1
            if depth == 0:
                head, inner = key[:i], key[i + 1:-1]
                # another name is one name: a bracket listing places (县、乡) qualifies, it is no alias
                if (head and inner and ends_like_unit(head) and begins_like_unit(inner)
                        and ends_like_unit(inner) and not HARD_SEPARATORS.intersection(inner)):
                    return head, inner
                return None
    return None


def _attach_strays(text: str, entries: list[Entry], warnings: list[str]) -> list[Entry]:
    """A piece naming no unit (a lone 等 or role word) joins the span of its neighbour."""
    if not any(e.name for e in entries):
        for e in entries:
            warnings.append(f"{text[e.start:e.end]!r} names no unit")
        return []
    out: list[Entry] = []
    carry: Entry | None = None  # the strays before the next named entry, merged
    for k, e in enumerate(entries):
        if not e.name:
            forward = e.label and any(later.name for later in entries[k + 1:])
            if out and not forward:
                last = out[-1]
                out[-1] = evolve(last, end=e.end, role=e.role or last.role, label=e.label or last.label,
                                 open=last.open or e.open, mark=last.mark or e.mark)
            elif carry is None:
                carry = e
            else:
                carry = evolve(carry, role=e.role or carry.role, label=e.label or carry.label,
                               open=e.open or carry.open, mark=carry.mark or e.mark)
            continue
        if carry is not None:
            e = evolve(e, start=carry.start, role=e.role or carry.role, label=e.label or carry.label,
                       open=e.open or carry.open, mark=e.mark or carry.mark)
            carry = None
        out.append(e)
    return out


def parsed_cell(refs: Sequence[UnitRef], entries: Sequence[Entry], warnings: Sequence[str]) -> ParsedCell:
    """The :class:`ParsedCell` of ``refs`` (one per entry): roles given by role words and labels,
    and the marks written with the names."""
    written = [e.mark for e in entries]  # a mark is a character, never empty
    marks = tuple(written) if any(written) else ()
    if not any(e.role is not None for e in entries):
        is_open = any(e.open for e in entries)
        return ParsedCell(tuple(refs), is_open, tuple(warnings), (), _OPEN_UNMARKED if is_open else frozenset(),
                          marks)
    roles = entry_roles(entries)
    # A 等 follows its ref into the role a later role word gives it.
    open_roles = frozenset(roles[i] for i, e in enumerate(entries) if e.open)
    return ParsedCell(tuple(refs), bool(open_roles), tuple(warnings), tuple(roles), open_roles, marks)


def entry_roles(entries: Sequence[Entry]) -> list[Role | None]:
    """The role each entry gets from the role words and labels of its cell (``None``: the column's)."""
    roles: list[Role | None] = []
    pending: list[int] = []  # refs since the last role word, waiting for one
    current_label: Role | None = None
    for e in entries:
        if e.label:
            current_label = e.role
            roles.append(e.role)
            pending = []
        elif e.role is not None:  # a role word after the units: it covers the units before it
            for k in pending:
                roles[k] = e.role
            roles.append(e.role)
            pending = []
            current_label = None
        else:
            roles.append(current_label)
            if current_label is None:
                pending.append(len(roles) - 1)
    return roles
