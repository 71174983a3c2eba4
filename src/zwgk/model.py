"""The domain model: a :class:`Plan` of :class:`Task` rows, each naming units by :class:`UnitRef`.

All classes are frozen, slotted ``attrs`` classes. Source positions are kept on every task but do
not take part in equality: the same plan read from a ``.txt`` and from a ``.docx`` compares equal.
"""

from __future__ import annotations

import enum
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

from attrs import field, frozen

from zwgk._numbering import parse_number, split_numbering
from zwgk.errors import Position
from zwgk.vocabulary import HEADING, ColumnRole

__all__ = [
    "Assignment",
    "CategoryNote",
    "Metadata",
    "Plan",
    "Role",
    "Task",
    "Unit",
    "UnitKind",
    "UnitRef",
]


class Role(str, enum.Enum):
    """The part a unit plays in a task."""

    LEAD = "lead"  #: 牵头单位
    RESPONSIBLE = "responsible"  #: 责任单位
    COOPERATING = "cooperating"  #: 配合单位

    @property
    def label(self) -> str:
        """The Chinese column heading for this role (:data:`zwgk.vocabulary.HEADING`)."""
        return HEADING[self.column]

    @property
    def column(self) -> ColumnRole:
        """The role of a table column holding units of this role."""
        return ColumnRole(self.value)

    @classmethod
    def of(cls, column: ColumnRole) -> Role:
        """The role of the units in a column of ``column`` (a unit role: lead, responsible, cooperating)."""
        return cls(column.value)


class UnitKind(str, enum.Enum):
    """What sort of body a unit is."""

    DEPARTMENT = "department"  #: a government department (市财政局)
    COLLECTIVE = "collective"  #: a group of units (各县（市、区）, 市政府各部门（单位）)
    COUNTY_GOVERNMENT = "county-government"  #: a county-level government (泰山区政府)
    ENTERPRISE = "enterprise"  #: a company (市供电公司)
    SCHOOL = "school"  #: a school or college (泰山职业技术学院)
    PARTY_BODY = "party-body"  #: a Party organ (市委编办)
    PUBLIC_INSTITUTION = "public-institution"  #: 事业单位 (市公共资源交易中心)
    OTHER = "other"


@frozen
class Unit:
    """A canonical unit: one body, however it was written.

    ``covers`` is used by collectives: what the collective stands for, each entry a canonical unit
    name, ``kind:<UnitKind value>`` (every unit of that kind, e.g. ``kind:county-government``) or
    ``some:kind:<UnitKind value>`` (some of them, e.g. 市政府有关部门（单位）).
    """

    name: str
    kind: UnitKind = UnitKind.OTHER
    aliases: tuple[str, ...] = ()
    covers: tuple[str, ...] = ()


@frozen
class UnitRef:
    """A unit as named in one cell: what was written and the canonical unit it resolved to.

    ``as_written`` is the exact text of the cell the reference came from (role words such as 牵头
    and a closing 等 included). ``name`` is the canonical name of the unit it resolved to, or, for a
    name nobody registered, the written name with layout noise removed (spaces, line breaks).
    ``resolved`` is true when the registry knew the unit before the plan was read; a unit the
    registry learned from the plan itself keeps ``resolved`` false but still carries one canonical
    name for all its spellings. ``note`` explains a non-obvious resolution (a name written without
    its level prefix, a collective named by 等相关部门（单位）).
    """

    as_written: str
    name: str
    kind: UnitKind = UnitKind.OTHER
    resolved: bool = False
    note: str | None = None

    @property
    def unit(self) -> Unit | None:
        """The canonical :class:`Unit`, or ``None`` when the name did not resolve."""
        return Unit(self.name, self.kind) if self.resolved else None

    def __str__(self) -> str:
        return self.name


@frozen
class Metadata:
    """What the document says about itself, where it can be read from the title.

    The one home of the title heuristics: :meth:`title_of` picks the title among the lines above
    a table, :meth:`from_title` reads the year, the region and its level from it. ``level`` is the
    level of government the plan is written for (``省``, ``市``, ``区``, ``县``); the builder fills
    it from the level prefixes the plan's units use when the title names none.

    >>> Metadata.from_title("2020年泰安市政务公开重点工作任务分解表")
    Metadata(region='泰安市', year=2020, issuer=None, level='市')
    >>> Metadata.from_title("某某省2021年政务公开工作要点任务分解表")
    Metadata(region='某某省', year=2021, issuer=None, level='省')
    """

    region: str | None = None
    year: int | None = None
    issuer: str | None = None
    level: str | None = None

    @staticmethod
    def title_of(preamble: Sequence[str]) -> str | None:
        """The document's title among the lines before its tasks (above a table, or before the first
        numbered task paragraph): of the title-like lines, the last that names a task breakdown
        (任务, 分工, 方案, …), else the longest.

        A title-like line is one line of at most :data:`MAX_TITLE_CHARS` characters; it is no sentence
        or salutation (it does not end in 。 ： ， ；), no attachment label (附件1：), 抄送/主送/联系人
        line, 文号 or date, and it is not numbered (一、 (1) 1.).

        >>> Metadata.title_of(["附件1", "2020年泰安市政务公开重点工作任务分解表"])
        '2020年泰安市政务公开重点工作任务分解表'
        >>> Metadata.title_of(["关于印发要点的通知", "各县（市、区）人民政府：", "2021年政务公开工作要点"])
        '2021年政务公开工作要点'
        """
        likely = [p for p in preamble if _title_like(p)]
        named = [p for p in likely if any(w in p for w in _TITLE_WORDS)]
        if named:
            return named[-1]
        return max(likely, key=len) if likely else None

    @classmethod
    def from_title(cls, title: str | None) -> Metadata:
        """Region, level and year read from a title.

        The region is the place named at the start of the title or right after its year
        (2020年泰安市…, 某某省2021年…, 某某市某某区…: the most specific place named); its level comes
        from how the place name ends (省 and 自治区 → 省; 市, 州, 盟 → 市; 区 → 区; 县, 旗 → 县).
        A title speaking of 全省/全市/全区/全县 gives the level alone. Years may be written in
        full-width digits (２０２３年) or Chinese numerals (二〇二三年), and a cover letter's title
        (关于印发《泰安市2023年政务公开工作要点》任务分解的通知) is read for the title it quotes.

        >>> Metadata.from_title("二〇二三年东平县政务公开工作任务分解表")
        Metadata(region='东平县', year=2023, issuer=None, level='县')
        >>> Metadata.from_title("关于印发《泰安市2023年政务公开工作要点》任务分解表的通知").region
        '泰安市'
        """
        if not title:
            return cls()
        title = _reading_form(title)
        y = _YEAR_RE.search(title)
        year = int(y.group()) if y else None
        m = _LEAD_REGION_RE.match(title)
        if m is None and y is not None:
            m = _REGION_RE.match(title, y.end() + 1 + (title[y.end() + 1:y.end() + 2] == "度"))
        if m is not None and not _WHOLE_RE.fullmatch(m.group()):
            region = _most_specific(m.group())
            return cls(region=region, year=year, level=level_of_place(region))
        w = _WHOLE_RE.search(title)
        return cls(year=year, level=level_of_place(w.group()) if w else None)

    def with_level(self, level: str | None) -> Metadata:
        """This metadata with ``level`` where the title gave none (the title's level wins)."""
        if self.level is not None or level is None:
            return self
        return Metadata(self.region, self.year, self.issuer, level)


def _reading_form(title: str) -> str:
    """``title`` as :meth:`Metadata.from_title` reads it (the title itself is kept as written):
    without spaces, full-width digits as digits, a year in Chinese numerals (二〇二三年) in digits,
    and a cover letter's title (关于印发《…》的通知) as the title it quotes, followed by the rest."""
    title = "".join(title.split()).translate(_FULL_WIDTH_DIGITS)
    title = _CN_YEAR_RE.sub(lambda m: m.group(1).translate(_CN_DIGITS) + "年", title)
    quoted = _QUOTED_RE.search(title)
    if quoted is not None and title.startswith("关于"):
        return quoted.group(1) + title[quoted.end():]
    return title


def level_of_place(place: str) -> str | None:
    """The level of government a place name stands for (泰安市 → 市, 某某省 → 省, 泰山区 → 区)."""
    for ending, level in _PLACE_LEVELS:
        if place.endswith(ending):
            return level
    return None


def _most_specific(places: str) -> str:
    """The last place of a run such as 山东省泰安市 (泰安市)."""
    segments = _SEGMENT_RE.findall(places)
    return segments[-1] if segments else places


#: How a place name ends, and the level of government it names (longest endings first).
_PLACE_LEVELS: tuple[tuple[str, str], ...] = (
    ("自治区", "省"), ("自治州", "市"), ("自治县", "县"), ("省", "省"), ("市", "市"), ("州", "市"),
    ("盟", "市"), ("区", "区"), ("县", "县"), ("旗", "县"),
)
_PLACE_END = "(?:自治区|自治州|自治县|[省市州盟区县旗])"
#: One place name: up to this many characters before its ending (内蒙古自治区 is the longest kind).
_MAX_PLACE_CHARS = 8
_SEGMENT_RE = re.compile(rf"[\u4e00-\u9fff]{{1,{_MAX_PLACE_CHARS}}}?{_PLACE_END}")
#: A run of one or two place names (某某市某某区), the second only after a province or a city.
_REGION_RE = re.compile(
    rf"[\u4e00-\u9fff]{{1,{_MAX_PLACE_CHARS}}}?(?:(?:自治区|省|市|州)(?:[\u4e00-\u9fff]{{1,6}}?[市区县旗])?|{_PLACE_END})"
)
#: A title starting with its place, before or without a year: 某某省2021年…, 某某区政务公开….
_LEAD_REGION_RE = re.compile(
    _REGION_RE.pattern + r"(?=(?:19|20)\d\d|政务|政府|人民政府|[\u4e00-\u9fff]{0,4}(?:工作|公开))"
)
#: 全省, 全市, 全区, 全县: the level without a place.
_WHOLE_RE = re.compile(r"全(?:省|市|区|县)")
#: A year: 2020年.
_YEAR_RE = re.compile(r"(?:19|20)\d\d(?=\s*年)")
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_CN_DIGITS = str.maketrans("〇零○Ｏ一二三四五六七八九", "0000123456789")
#: A year in Chinese numerals, digit by digit (二〇二三年, 二零二三年).
_CN_YEAR_RE = re.compile("([一二][〇零○Ｏ一二三四五六七八九]{3})年")
#: The title a cover letter quotes (关于印发《…》的通知).
_QUOTED_RE = re.compile("《([^《》]+)》")
#: A title is at most this many characters: a longer line is a sentence of the cover letter.
MAX_TITLE_CHARS = 80
#: Lines that are not the title: an attachment label (附件, 附件1：), 抄送/主送/联系人, a (此件…) note,
#: a line with a 文号 (〔2020〕12号) or a date (2020年3月1日).
_NOT_TITLE = re.compile(r"^(?:附件[\s\d一二三四五六七八九十]*[：:]?$|抄送|主送|联系人|[（(]此件|.*〔\d{4}〕\s*\d+\s*号|"
                        r".*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)")
#: Words of a task breakdown's title; of several title-like lines, the last naming one is the title.
_TITLE_WORDS = ("任务", "分工", "分解", "方案", "要点", "清单", "措施", "计划", "台账")


def _title_like(line: str) -> bool:
    return (len(line) <= MAX_TITLE_CHARS and "\n" not in line and not line.endswith(tuple("。：:，,；;"))
            and not _NOT_TITLE.match(line) and split_numbering(line)[0] is None)


@frozen
class Task:
    """One row of the table: a concrete task with the units assigned to it.

    ``path`` holds the headings above the task (一级任务, 二级任务, ...) exactly as written. ``serial``
    is the 序号 as written; :attr:`serial_number` parses it. ``open_roles`` names the roles whose
    unit list ended in 等 (the list is not exhaustive). ``extra`` keeps the cells of columns zwgk
    has no role for, as ``(header, text)`` pairs.
    """

    id: str
    path: tuple[str, ...]
    text: str
    requirement: str | None = None
    serial: str | None = None
    deadline: str | None = None
    notes: str | None = None
    leads: tuple[UnitRef, ...] = ()
    responsible: tuple[UnitRef, ...] = ()
    cooperating: tuple[UnitRef, ...] = ()
    open_roles: frozenset[Role] = frozenset()
    extra: tuple[tuple[str, str], ...] = ()
    source: Position | None = field(default=None, eq=False)

    @property
    def serial_number(self) -> int | None:
        """The 序号 as a number (``"12"`` → 12, ``"（三）"`` → 3), or ``None``."""
        return parse_number(self.serial) if self.serial else None

    def units(self, role: Role | None = None) -> tuple[UnitRef, ...]:
        """The unit references of one role, or of all roles in the order lead, responsible, cooperating."""
        if role is Role.LEAD:
            return self.leads
        if role is Role.RESPONSIBLE:
            return self.responsible
        if role is Role.COOPERATING:
            return self.cooperating
        return self.leads + self.responsible + self.cooperating

    def roles_of(self, name: str) -> tuple[Role, ...]:
        """The roles the unit with canonical ``name`` plays in this task."""
        return tuple(r for r in Role if any(u.name == name for u in self.units(r)))

    def is_open(self, role: Role) -> bool:
        """True when the unit list of ``role`` ended in 等."""
        return role in self.open_roles


@frozen
class Assignment:
    """One (task, unit, role) triple; :meth:`Plan.assignments` lists them all."""

    task: Task
    unit: UnitRef
    role: Role


@frozen
class CategoryNote:
    """The sentence a category heading introduces its tasks with, kept apart from the category's name:
    ``（二）加强重点领域信息公开。围绕群众关切，重点做好以下工作：`` is the category
    ``（二）加强重点领域信息公开`` (as its tasks' paths hold it) with the note
    ``围绕群众关切，重点做好以下工作：``."""

    path: tuple[str, ...]  # the category: the path of its tasks up to it
    text: str


@frozen
class Plan:
    """A whole task-breakdown table."""

    title: str | None
    tasks: tuple[Task, ...]
    metadata: Metadata = Metadata()
    preamble: tuple[str, ...] = ()
    epilogue: tuple[str, ...] = ()
    source: str | None = field(default=None, eq=False)
    #: The notes of categories that carry one, in document order (at most one per category).
    category_notes: tuple[CategoryNote, ...] = ()

    def __iter__(self) -> Iterator[Task]:
        return iter(self.tasks)

    def __len__(self) -> int:
        return len(self.tasks)

    def task(self, task_id: str) -> Task:
        """The task with id ``task_id`` (``KeyError`` when there is none)."""
        for t in self.tasks:
            if t.id == task_id:
                return t
        raise KeyError(task_id)

    def categories(self, level: int | None = None) -> tuple[tuple[str, ...], ...]:
        """Distinct hierarchy paths in table order.

        ``level=1`` gives the first-level categories as 1-tuples, ``level=2`` the (一级, 二级) pairs,
        and so on; without ``level`` every distinct prefix of every task path is listed.
        """
        seen: dict[tuple[str, ...], None] = {}
        for t in self.tasks:
            depths = range(1, len(t.path) + 1) if level is None else [level]
            for depth in depths:
                if len(t.path) >= depth:
                    seen.setdefault(t.path[:depth], None)
        return tuple(seen)

    def note_of(self, path: tuple[str, ...]) -> str | None:
        """The note of the category ``path`` (:class:`CategoryNote`), or ``None``."""
        return next((n.text for n in self.category_notes if n.path == path), None)

    def tasks_in(self, path: tuple[str, ...]) -> tuple[Task, ...]:
        """Tasks whose path starts with ``path``."""
        n = len(path)
        return tuple(t for t in self.tasks if t.path[:n] == path)

    def assignments(self) -> Iterator[Assignment]:
        """Every (task, unit, role) triple in table order."""
        for t in self.tasks:
            for role in Role:
                for ref in t.units(role):
                    yield Assignment(t, ref, role)

    def units(self) -> tuple[Unit, ...]:
        """Each canonical unit once, in order of first mention, with what the plan holds for it.

        The aliases are the ``as_written`` texts of its references that differ from the canonical
        name, exactly as the plan holds them (role words, a closing 等 and line breaks included);
        :func:`zwgk.units.summarize_units` gives the spellings seen, read through a registry.
        """
        kinds: dict[str, UnitKind] = {}
        written: dict[str, dict[str, None]] = {}
        for a in self.assignments():
            name = a.unit.name
            kinds.setdefault(name, a.unit.kind)
            if a.unit.as_written != name:
                written.setdefault(name, {}).setdefault(a.unit.as_written, None)
        return tuple(Unit(n, k, tuple(written.get(n, {}))) for n, k in kinds.items())

    def tasks_for(self, unit: str | Unit | UnitRef, role: Role | None = None) -> tuple[Task, ...]:
        """Tasks naming ``unit`` (by canonical name), optionally only in ``role``."""
        name = unit if isinstance(unit, str) else unit.name
        return tuple(t for t in self.tasks if any(u.name == name for u in t.units(role)))

    def workload(self) -> dict[str, Counter[Role]]:
        """For each canonical unit, how many tasks it has in each role (tasks, not cells)."""
        out: dict[str, Counter[Role]] = {}
        for t in self.tasks:
            for role in Role:
                for name in dict.fromkeys(u.name for u in t.units(role)):
                    out.setdefault(name, Counter())[role] += 1
        return out


class TakenIds(set[str]):
    """The task ids given so far in one plan, remembering for each hash the next suffix to try, so
    that many identical tasks get their ids in linear time (``t…``, ``t…-2``, ``t…-3`` …)."""

    def __init__(self, ids: Iterable[str] = ()) -> None:
        super().__init__(ids)
        self.next_suffix: dict[str, int] = {}


def task_id(path: tuple[str, ...], text: str, taken: set[str]) -> str:
    """A stable id for a task: a short hash of its path and text, made unique within a plan.

    The id survives re-reading the same table from any format and inserting rows elsewhere. The
    n-th task with the same path and text gets ``-n`` after the hash; pass a :class:`TakenIds` as
    ``taken`` to give many of them in linear time.
    """
    import hashlib  # here, not at the top: importing hashlib (OpenSSL) costs ~3 ms of every start-up

    digest = hashlib.blake2b("\x1f".join((*path, text)).encode("utf-8"), digest_size=4).hexdigest()
    remembered = taken.next_suffix if isinstance(taken, TakenIds) else None
    k = remembered.get(digest, 1) if remembered is not None else 1  # the k-th: t…, then t…-2, t…-3 …
    candidate = f"t{digest}" if k == 1 else f"t{digest}-{k}"
    while candidate in taken:
        k += 1
        candidate = f"t{digest}-{k}"
    taken.add(candidate)
    if remembered is not None:
        remembered[digest] = k + 1
    return candidate
