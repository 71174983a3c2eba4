"""People and telephone numbers written with a unit in its cell (责任单位及责任人: ``市财政局（张三）``,
``市政府办公室 李四``, ``区司法局 王五 0538-1234567``): they are no part of the unit's name.

A unit cell's entry is cut where what follows a name that ends like a unit is *people*: each part
a personal name (a common surname and one or two characters, or a surname and a title: 张三, 欧阳明,
张局长, 李四同志) or a telephone number, optionally after a label (联系人：, 电话：). Written in
brackets, after spaces, a line break or a colon, any such part will do; written straight after the
name (``市财政局张三局长``), only a part that carries a title or a number. A piece of its own that is
only a telephone number or a name with a title (``市财政局 张三，13800000000``) joins the unit before
it. The name is the unit's; what was written stays in ``as_written`` and the note says what was
taken for people. Nothing else is touched: a short name after a unit with no such evidence (a
place: 王庄) stays part of the cell's units.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from attrs import evolve

from zwgk.units._grammar import LABEL_RE, Entry
from zwgk.units._normalize import CLOSE, OPEN, clean_name
from zwgk.units.shapes import ends_like_unit
from zwgk.vocabulary import BODY_WORDS

__all__ = ["CUT_CACHE", "NOT_NAMES", "PEOPLE_NOTE", "PERSON_TITLES", "SURNAMES", "people_split"]

#: Common surnames (single characters): a short name starting with one names a person.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向"
    "汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕"
    "单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦"
    "褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明"
    "佘池查麻苑迟邝"
)
_COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯", "长孙",
                      "宇文", "司徒", "端木")
#: Titles written after a person's name (张三局长, 李四同志).
PERSON_TITLES = (
    "同志", "秘书长", "副秘书长", "局长", "副局长", "主任", "副主任", "科长", "副科长", "处长", "副处长", "股长",
    "书记", "副书记", "部长", "副部长", "主席", "副主席", "厅长", "副厅长", "区长", "副区长", "县长", "副县长",
    "市长", "副市长", "镇长", "乡长", "所长", "站长", "馆长", "院长", "队长", "组长", "经理",
)
#: How many unit texts' readings (where people begin in them) are remembered: tables repeat them.
CUT_CACHE = 4096
#: Words that begin with a surname's character but name no person (全市, 单位 is a body word).
NOT_NAMES = ("全", "常务", "常态", "方面", "方案", "时间", "安全", "文件", "明确", "季度", "年度", "包括", "和")
#: The note on a reference written with people (the part taken for people is quoted).
PEOPLE_NOTE = "「{}」 written with the unit names people or how to reach them, not the unit"

_TITLE = "(?:" + "|".join(sorted(PERSON_TITLES, key=len, reverse=True)) + ")"
_SURNAME = "(?:" + "|".join(_COMPOUND_SURNAMES) + "|[" + "".join(sorted(SURNAMES)) + "])"
_LABEL = r"(?:联系人|责任人|负责人|联系电话|电话|手机|座机)[:：]?"
_PHONE = r"[0-9０-９][0-9０-９\-－—–()（）]{5,}[0-9０-９]"
_NAME = _SURNAME + r"[\u4e00-\u9fff]{1,2}?" + _TITLE + "?" + "|" + _SURNAME + _TITLE
_PART = re.compile(rf"(?:{_LABEL})?\s*(?:(?P<phone>{_PHONE})|(?P<name>{_NAME}))")
_PARTS_SEP = re.compile(r"[、，,；;/\s]+")
# What people written straight after a name must show: a title or a digit.
_STRONG = re.compile(_TITLE + "|[0-9０-９]")
# What any people written with a name show: a bracket, spaces, a colon, a title or a digit.
_MAYBE = re.compile("[" + re.escape(OPEN) + r"\s:：]|" + _STRONG.pattern)
# A character every text _MAYBE finds something in holds (a title's last one among them): one
# look for any of them passes over most names, which hold none, at a fraction of _MAYBE's cost.
_MAYBE_CHARS = re.compile("[" + re.escape(OPEN + "".join(sorted({t[-1] for t in PERSON_TITLES}))) + r"\s:：0-9０-９]")
# Where people may begin after a name: a bracket, spaces or a line break, a colon.
_BREAK = re.compile(r"[" + re.escape(OPEN) + r"]|\s+|[:：]")


def _people(text: str, *, strong: bool = False) -> bool:
    """Whether ``text`` is only people: names and numbers (each part; ``strong``: each part a name
    with a title, a number, or after a label)."""
    parts = [p for p in _PARTS_SEP.split(text.strip()) if p]
    if not parts:
        return False
    for part in parts:
        m = _PART.fullmatch(part)
        if m is None:
            return False
        name = m.group("name")
        if name is not None and (ends_like_unit(name) or name.startswith(NOT_NAMES)
                                 or any(w in name for w in BODY_WORDS)):
            return False  # 王庄镇: a place; 单位, 全市: words, not people
        if strong and name is not None and not (name.endswith(PERSON_TITLES) or m.start("name") > 0):
            return False
    return True


@lru_cache(maxsize=CUT_CACHE)
def _cut(segment: str) -> int | None:
    """Where people begin in ``segment`` (one unit's text), or ``None``."""
    for m in _BREAK.finditer(segment):
        head = segment[: m.start()]
        if not head.strip() or not ends_like_unit(clean_name(head)):
            continue
        tail = segment[m.start():].strip()
        if tail[:1] in OPEN:
            if tail[-1:] not in CLOSE:
                continue
            tail = tail[1:-1]
        else:
            tail = tail.lstrip(":：")
        if _people(tail):
            return m.start()
    # straight after the name: only a name with a title, or a number
    if _STRONG.search(segment) is None:
        return None
    for i in range(2, len(segment) - 1):
        if ends_like_unit(clean_name(segment[:i])) and _people(segment[i:], strong=True):
            return i
    return None


def people_split(text: str, entries: Sequence[Entry]) -> list[Entry]:
    """``entries`` of ``text`` with the people written after each unit taken off its name."""
    out: list[Entry] = []
    noted: dict[str, str] = {}  # note given here -> the people it quotes
    for e in entries:
        if not e.name or _MAYBE_CHARS.search(text, e.start, e.end) is None \
                or _MAYBE.search(text, e.start, e.end) is None:  # most names: no break, title or digit
            out.append(e)
            continue
        label = LABEL_RE.match(text, e.start, e.end)
        segment = text[label.end() if label else e.start:e.end]
        if out and out[-1].name and _people(segment, strong=True):
            prev = out[-1]  # a piece of its own: a number, or a name with a title
            said = text[prev.end:e.end].strip("、，,；; \t\n")
            if prev.note is not None and prev.note in noted:  # people after people: one note
                said = noted[prev.note] + text[prev.end:e.end].rstrip()
            elif prev.note is not None:
                out.append(e)
                continue
            note = PEOPLE_NOTE.format(said)
            noted[note] = said
            out[-1] = evolve(prev, end=e.end, note=note)
            continue
        at = _cut(segment)
        if at is None:
            out.append(e)
            continue
        if e.note is not None:  # a note of its own (an alias, a level prefix): left as it is
            out.append(e)
            continue
        said = segment[at:].strip()
        note = PEOPLE_NOTE.format(said)
        noted[note] = said
        out.append(evolve(e, name=clean_name(segment[:at]), note=note))
    return out

