"""Name shapes: what the beginning and the end of a unit name say about it, with no registry.

One table, :data:`SUFFIXES`, lists every name ending zwgk knows and what each one is used for:
ending a complete name (the cell splitter), naming the type of body (near-duplicate blocking),
suggesting a kind (:func:`guess_kind`) and marking a department name that cannot stand without its
level (``教育厅`` after ``省财政厅、`` is ``省教育厅``: :func:`needs_level`). The level a name is of
(:func:`unit_level`) comes from its level prefix or, for a collective, from its pattern
(``省直有关单位``, ``各区属企业``, ``中央驻省有关单位``). Suffixes are written as match keys (brackets folded to
``()``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from attrs import frozen

from zwgk.model import UnitKind
from zwgk.units._normalize import match_key

__all__ = [
    "BARE_SUFFIXES",
    "LEVEL_PREFIXES",
    "NOT_A_LEVEL",
    "STANDALONE_SUFFIXES",
    "SUFFIXES",
    "TYPE_SUFFIXES",
    "UNIT_STARTS",
    "UNIT_SUFFIXES",
    "Suffix",
    "begins_like_unit",
    "collective_level",
    "ends_like_unit",
    "guess_kind",
    "is_section",
    "level_of_cells",
    "needs_level",
    "prevailing_level",
    "unit_level",
    "written_level",
]


@frozen
class Suffix:
    """One way a unit name may end."""

    text: str
    completes: bool = False  # a name ending so is a complete unit name (the splitter)
    names_type: bool = False  # it says what type of body the unit is (near-duplicate blocking)
    kind: UnitKind | None = None  # the kind it suggests for a unit nobody described
    bare: bool = False  # a department name so ending names no body without its level (教育厅)


_C, _T, _L = "complete", "type", "needs-level"
_D, _P, _S = UnitKind.DEPARTMENT, UnitKind.PUBLIC_INSTITUTION, UnitKind.SCHOOL
_E, _G, _B = UnitKind.ENTERPRISE, UnitKind.COUNTY_GOVERNMENT, UnitKind.PARTY_BODY


def _s(text: str, *uses: str, kind: UnitKind | None = None) -> Suffix:
    return Suffix(text, _C in uses, _T in uses, kind, _L in uses)


#: Every name ending zwgk knows, with what it is used for.
SUFFIXES: tuple[Suffix, ...] = (
    _s("部门(单位)", _C, _T), _s("(单位)", _C, _T), _s("(市、区)", _C, _T), _s("(县、市、区)", _C), _s("(市区)", _C),
    _s("办公室", _C, _T, _L, kind=_D), _s("委员会", _C, _T, _L, kind=_D), _s("人民政府", _C, _T, kind=_G),
    _s("政府", _C, _T), _s("县政府", kind=_G), _s("区政府", kind=_G), _s("市政府", kind=_G),
    _s("服务中心", _T), _s("中心", _C, _T, kind=_P), _s("有限公司", _T), _s("公司", _C, _T, kind=_E),
    _s("集团", _C, _T, kind=_E), _s("银行", kind=_E),
    _s("职业技术学院", _T), _s("职业学院", _T), _s("学院", _C, _T, kind=_S), _s("大学", _C, _T, kind=_S),
    _s("中学", _T, kind=_S), _s("小学", _T, kind=_S), _s("学校", _C, _T, kind=_S), _s("幼儿园", kind=_S),
    _s("医院", _C, _T), _s("研究院", _T), _s("研究所", _T), _s("管理处", _T),
    _s("宣传部", kind=_B), _s("组织部", kind=_B), _s("统战部", kind=_B), _s("政法委", kind=_B),
    _s("编办", kind=_B), _s("网信办", kind=_B),
    _s("局", _C, _T, _L, kind=_D), _s("委", _C, _T, _L, kind=_D), _s("办", _C, _T, _L, kind=_D),
    _s("院", _C, _T, kind=_P),
    _s("所", _C, _T, kind=_P), _s("站", _C, _T, kind=_P), _s("队", _C, _T), _s("会", _C, _T), _s("社", _C, _T),
    _s("部", _C, _T, kind=_D), _s("厅", _C, _T, _L, kind=_D), _s("处", _C, _T), _s("科", _C, _T), _s("室", _C, _T),
    _s("馆", _C, _T, kind=_P), _s("行", _C, _T), _s("团", _C, _T), _s("组", _C, _T), _s("台", _C, _T),
    _s("署", _C, _T), _s("庭", _C, _T), _s("司", _C, _T), _s("厂", _C, _T), _s("场", _C, _T), _s("校", _C, _T),
    _s("园", _C, _T), _s("区", _C, kind=_G), _s("县", _C, kind=_G), _s("市", _C), _s("街道", _C), _s("镇", _C),
    _s("乡", _C), _s("部门", _C), _s("单位", _C), _s("机关", _C), _s("机构", _C), _s("系统", _C), _s("企业", _C),
    _s("分局", _C), _s("支队", _C), _s("大队", _C), _s("总队", _C), _s("协会", _C), _s("联合会", _C),
)


def _longest_first(suffixes: list[str]) -> tuple[str, ...]:
    return tuple(sorted(set(suffixes), key=lambda s: (-len(s), s)))


#: A complete unit name ends with one of these, longest first.
UNIT_SUFFIXES: tuple[str, ...] = _longest_first([s.text for s in SUFFIXES if s.completes])
#: Endings that are complete unit names on their own as well: a body's own office (办公室 in a
#: bureau's table of its sections), where a bare 局 or 部门 names nothing.
STANDALONE_SUFFIXES: frozenset[str] = frozenset({"办公室", "办公厅"})
#: Endings that say what type of body a name is, longest first (the first that matches is the longest).
TYPE_SUFFIXES: tuple[str, ...] = _longest_first([s.text for s in SUFFIXES if s.names_type])
_KIND_SUFFIXES: tuple[Suffix, ...] = tuple(s for s in SUFFIXES if s.kind is not None)
#: Endings of a department name that cannot stand without its level (厅, 局, 委, 办, ...).
BARE_SUFFIXES: tuple[str, ...] = _longest_first([s.text for s in SUFFIXES if s.bare])

#: A name that begins with one of these starts a new unit (match keys).
UNIT_STARTS: tuple[str, ...] = ("各", "市", "省", "县", "区", "中共", "共青团", "团市委", "国家", "国网", "驻")
#: Level prefixes: a unit of the city (市), a county (县), a district (区), a province (省), ...
LEVEL_PREFIXES: tuple[str, ...] = ("市", "县", "区", "省", "镇", "乡")

_COLLECTIVE_WORDS = ("各部门", "有关部门", "相关部门", "有关单位", "相关单位", "各单位", "各有关", "各相关")
#: Words starting with a level character that are no level prefix (市场监管局 is 市场…, not 市…).
NOT_A_LEVEL: tuple[str, ...] = ("市场", "区块链", "区域", "县域", "省级", "市级", "县级", "区级")
# Collectives by pattern, each with the level of the units it stands for: 省直有关单位, 县直各部门,
# 省政府各部门, 各区属事业单位, 区属企业, 各地级市（政府）, 各乡镇人民政府（街道办事处）, 各镇（街道）,
# 中央驻省有关单位 (central units stationed in the province: the province's level).
_LEVEL_CLASS = "[" + "".join(LEVEL_PREFIXES) + "]"
_COLLECTIVE_PATTERNS: tuple[tuple[re.Pattern[str], str | None], ...] = (
    (re.compile(f"^(?:各)?({_LEVEL_CLASS})(?:直|属|政府(?:各|有关|相关)|委(?:各|有关|相关))"), None),
    (re.compile(f"^中央驻({_LEVEL_CLASS})"), None),
    (re.compile("^各地级(市)"), None),
    (re.compile("^各(?:乡镇|镇乡)"), "镇"),
    (re.compile(f"^各({_LEVEL_CLASS})"), None),
)
_PARTY_STARTS = ("市委", "县委", "区委", "省委", "中共", "市纪委", "共青团", "团市委")
#: When a name suggests several kinds, the first of this order wins.
_KIND_ORDER = (_S, _E, _B, _G, _P, _D)
#: A collective written by pattern (区属企业, 省直机关) ends with one of these.
_COLLECTIVE_ENDS = ("单位", "部门", "机关", "企业", "机构", "学校", "医院")
_MIN_BARE_COUNTY = 3  # a name ending in 县 or 区 is a county only from this length (宁阳县, not 某县)


@lru_cache(maxsize=1 << 16)
def written_level(name: str) -> str | None:
    """The level prefix a name is written with (``省财政厅`` → ``省``), or ``None``.

    A collective (``各区属企业``) and a word that only starts like a level (``市场监管局``) have none.
    """
    key = match_key(name)
    if len(key) < 2 or key.startswith(NOT_A_LEVEL) or guess_kind(key) is UnitKind.COLLECTIVE:
        return None
    return key[0] if key[0] in LEVEL_PREFIXES else None


@lru_cache(maxsize=1 << 16)
def collective_level(name: str) -> str | None:
    """The level of the units a collective written by pattern stands for, or ``None``.

    >>> collective_level("省直有关单位"), collective_level("各区属企业"), collective_level("各地级市政府")
    ('省', '区', '市')
    """
    key = match_key(name)
    for pattern, level in _COLLECTIVE_PATTERNS:
        m = pattern.match(key)
        if m:
            return level or m.group(1)
    return None


def unit_level(name: str) -> str | None:
    """The level of government a unit name is of: its level prefix, or its collective pattern's."""
    return written_level(name) or collective_level(name)


#: The share of a plan's levelled unit names one level must have to be the plan's level.
MIN_LEVEL_SHARE = 0.5


@lru_cache(maxsize=1 << 16)
def _counted_level(name: str) -> str | None:
    """The level :func:`prevailing_level` counts ``name`` as written with (a plan names most units many times)."""
    key = match_key(name)
    return written_level(key) or (collective_level(key) if not key.startswith("各") else None)


def prevailing_level(names: Iterable[str]) -> str | None:
    """The level most of ``names`` are written with (``省`` for 省财政厅, 省直有关单位, …), or ``None``.

    Collectives of the units below a plan (各县（市、区）, 各地级市) do not count: they name the
    level under the plan's own. ``None`` when no level has at least :data:`MIN_LEVEL_SHARE` of the
    names that have one, or when two levels are written equally often (a tie is no evidence, and
    the order the names come in must not decide).
    """
    counts: dict[str, int] = {}
    for name in names:
        level = _counted_level(name)
        if level is not None:
            counts[level] = counts.get(level, 0) + 1
    if not counts:
        return None
    level, count = max(counts.items(), key=lambda kv: kv[1])
    if sum(1 for c in counts.values() if c == count) > 1:
        return None  # two levels as often: the order of the cells must not decide
    return level if count >= MIN_LEVEL_SHARE * sum(counts.values()) else None


#: Where a cell is cut into pieces that may be unit names, for :func:`level_of_cells`.
_CELL_PIECES = re.compile(r"[、，,；;／/\s]+")
#: A piece of a cell longer than this is no unit name (for :func:`level_of_cells`).
MAX_NAME_CHARS = 30


def level_of_cells(texts: Iterable[str]) -> str | None:
    """The level (:func:`prevailing_level`) of the unit names among ``texts`` (a table's cells, cut at
    separators and blanks; a piece is a name when it ends like one): a plan's level when its title
    names neither region nor level (省财政厅、教育厅 … → ``省``)."""
    return prevailing_level(p for t in texts for p in _CELL_PIECES.split(t)
                            if 1 < len(p) <= MAX_NAME_CHARS and ends_like_unit(p))


@lru_cache(maxsize=1 << 16)
def needs_level(name: str) -> bool:
    """True for a department name that names no body without its level (``教育厅``, ``经济发展局``).

    A name that begins like a unit (a level, 各, 中共, 国家 …), a collective and a name ending in a
    bracket are not such names.
    """
    key = match_key(name)
    if begins_like_unit(key) and not key.startswith(NOT_A_LEVEL):
        return False
    if key.endswith(")") or guess_kind(key) is UnitKind.COLLECTIVE:
        return False
    return any(key.endswith(s) and len(key) > len(s) for s in BARE_SUFFIXES)


@lru_cache(maxsize=1 << 16)
def ends_like_unit(name: str) -> bool:
    """True when ``name`` ends the way a complete unit name does (``市财政局``, ``各县（市、区）``) or
    is one on its own (``办公室``; :data:`STANDALONE_SUFFIXES`)."""
    key = match_key(name)
    if key.endswith("等"):
        key = key[:-1]
    while True:
        for suffix in UNIT_SUFFIXES:
            if key.endswith(suffix):
                return len(key) > len(suffix) or key in STANDALONE_SUFFIXES
        stripped = _strip_trailing_group(key)
        if stripped == key or not stripped:
            return False
        key = stripped  # 市某某局（筹）: judge the name before the bracket


#: Endings of a section: a body whose own bodies are never written after its name (法规科, 信息站,
#: 派出所, 执法大队), so that a name on the next line of a cell is another unit.
SECTION_SUFFIXES = ("科", "股", "站", "所", "队")


@lru_cache(maxsize=1 << 16)
def is_section(name: str) -> bool:
    """True for a complete name of a section (``法规科``, ``执法大队``) or a body's own office
    written alone (``办公室``): nothing written after it on a new line belongs to its name."""
    key = match_key(name)
    return key in STANDALONE_SUFFIXES or (ends_like_unit(key) and key.endswith(SECTION_SUFFIXES))


def _strip_trailing_group(key: str) -> str:
    """``key`` without a balanced bracket group at its end (``市某局(含A(B))`` → ``市某局``)."""
    if not key.endswith(")"):
        return key
    depth = 0
    for i in range(len(key) - 1, -1, -1):
        if key[i] == ")":
            depth += 1
        elif key[i] == "(":
            depth -= 1
            if depth == 0:
                return key[:i]
    return key


def begins_like_unit(name: str, starts: tuple[str, ...] = UNIT_STARTS) -> bool:
    """True when ``name`` begins the way a unit name does (a level prefix, 各, 中共, ..., or a place
    name: 泰山区政府, 高新区管委会)."""
    key = match_key(name)
    return key.startswith(starts) or _PLACE_START_RE.match(key) is not None


#: A name starting with a place (two or three characters and 省, 市, 区 or 县) and going on.
_PLACE_START_RE = re.compile(r"[\u4e00-\u9fff]{2,3}[省市区县][\u4e00-\u9fff]{2}")


@lru_cache(maxsize=1 << 16)
def guess_kind(name: str) -> UnitKind:
    """A kind for a unit nobody described, from the shape of its name (a trailing bracket aside)."""
    key = match_key(name)
    if key.startswith("各") or any(w in key for w in _COLLECTIVE_WORDS):
        return UnitKind.COLLECTIVE
    if collective_level(key) and key.endswith(_COLLECTIVE_ENDS):  # 区属企业, 省直机关
        return UnitKind.COLLECTIVE
    head = _strip_trailing_group(key)
    if head and head != key and ends_like_unit(head):
        key = head
    kinds = {UnitKind.PARTY_BODY} if key.startswith(_PARTY_STARTS) else set()
    for s in _KIND_SUFFIXES:
        if s.kind is None or not key.endswith(s.text):
            continue
        if s.kind is _G and (key.startswith("市") or (len(s.text) == 1 and len(key) < _MIN_BARE_COUNTY)):
            continue
        kinds.add(s.kind)
    return next((k for k in _KIND_ORDER if k in kinds), UnitKind.OTHER)
