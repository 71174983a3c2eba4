"""The one vocabulary of task tables: column roles, the headings zwgk writes, the keywords it reads.

Every module that reads or writes a heading, a label (``牵头单位：``) or a role takes it from here:
the readers' layout (:func:`classify`), the paragraph form (:data:`LABELS`), the exporters
(:data:`HEADING`, :data:`LEVEL_HEADINGS`, :data:`WRITTEN_HEADINGS`) and the model
(:attr:`zwgk.model.Role.label`). :class:`ColumnRole` names what a column holds; its three unit
roles are the :class:`zwgk.model.Role` of the units in it (``Role.of(column_role)``).

Header text may be letter-spaced (``工 作 任 务``), contain full-width spaces or footnote stars;
:func:`header_key` removes them before the keywords are looked for. :func:`looks_like_units` is the
one test of whether a text reads as a list of unit names rather than a sentence.
"""

from __future__ import annotations

import enum
import re
from typing import NamedTuple

from zwgk._numbering import numbering_style

__all__ = [
    "BODY_WORDS",
    "DEADLINE_WORDS",
    "EMPHASIS",
    "FIRST_LEADS",
    "HEADING",
    "KEYWORDS",
    "LABELS",
    "LEVEL_ENDINGS",
    "LEVEL_HEADINGS",
    "LEVEL_KEYWORDS",
    "MARKED_ROLE",
    "MAX_UNIT_LIST_CHARS",
    "PERSON_ENDINGS",
    "QUALIFIER_HEADINGS",
    "REQUIREMENT_KEYWORDS",
    "SERIAL_WORDS",
    "TASK_KEYWORDS",
    "UNIT_MARKS",
    "UNIT_ROLES",
    "WRITTEN_HEADINGS",
    "ColumnRole",
    "MarkedRole",
    "classify",
    "first_leads",
    "fold_mark",
    "header_key",
    "looks_like_units",
    "marked_role",
    "marked_roles",
    "names_people",
    "says_how_units_read",
    "says_marks",
    "two_roles",
]


class ColumnRole(str, enum.Enum):
    SERIAL = "serial"
    LEVEL = "level"
    TASK = "task"
    REQUIREMENT = "requirement"
    LEAD = "lead"
    RESPONSIBLE = "responsible"
    COOPERATING = "cooperating"
    DEADLINE = "deadline"
    NOTES = "notes"
    EXTRA = "extra"


UNIT_ROLES = frozenset({ColumnRole.LEAD, ColumnRole.RESPONSIBLE, ColumnRole.COOPERATING})


_SPACES = re.compile(r"[\s\u3000\u00a0\u200b\u200c\u200d\ufeff:：*＊]+")


def header_key(text: str) -> str:
    """Header text with spaces, colons and footnote stars removed: ``工 作 任 务`` → ``工作任务``."""
    return _SPACES.sub("", text.replace("_x000D_", ""))


#: What a unit column's heading calls the bodies it lists (单位, 部门, 科室 …): a role word followed
#: by one of them names the role (协同处室, 参与部门), where the role word alone may be prose.
BODY_WORDS = ("单位", "部门", "科室", "处室", "股室", "机构", "处（科）室", "处(科)室")


def _with_bodies(*stems: str) -> tuple[str, ...]:
    return tuple(stem + body for stem in stems for body in BODY_WORDS)


# (role, keywords); the first keyword found in a header decides. Order matters: a lead or a
# co-operating heading often holds 责任 as well (牵头责任单位, 配合责任单位).
KEYWORDS: tuple[tuple[ColumnRole, tuple[str, ...]], ...] = (
    (ColumnRole.SERIAL, ("序号", "编号", "序列号", "项次")),
    # 牵头 and 主办 name the lead however the heading goes on (牵头部门, 主办处室, 区委区政府牵头部门);
    # the words with a body word after them are listed too: they are the paragraph form's labels
    (ColumnRole.LEAD, ("牵头", "主办", "牵头责任单位", *_with_bodies("牵头", "主办"))),
    (ColumnRole.COOPERATING, ("配合", "协办",
                              *_with_bodies("配合", "协办", "协助", "参与", "协同", "参加", "支持"))),
    # 责任, 承办 and 主责 name the responsible bodies (责任处室, 本局承办科室), and 分工 the division
    # of the work (任务分工, 职责分工: cells that name their roles, 牵头单位：X；配合单位：Y, or the units
    # responsible); the others only with a body word (负责单位, 落实部门)
    (ColumnRole.RESPONSIBLE, ("责任", "承办", "主责", "分工", "责任主体", "具体负责单位", "实施主体", "落实主体",
                              "工作主体",
                              *_with_bodies("责任", "承办", "主责", "负责", "落实", "实施", "执行", "办理"))),
    (ColumnRole.DEADLINE, ("完成时限", "时限要求", "完成时间", "时间节点", "时限", "进度安排",
                           "完成期限", "时间要求", "期限", "完成日期", "截止时间", "截止日期", "时间安排",
                           "进度要求", "完成节点")),
    (ColumnRole.NOTES, ("备注", "说明")),
)

# Task-like headers, most specific first: the most specific one present becomes the task column,
# the less specific ones to its left become hierarchy levels.
TASK_KEYWORDS: tuple[tuple[str, ...], ...] = (
    ("具体任务", "任务及要求", "工作任务及要求", "具体工作任务", "主要任务及要求", "具体措施", "任务内容",
     "工作内容", "主要内容", "具体内容", "工作措施", "具体工作", "工作事项", "公开内容", "公开事项",
     "主要措施", "推进措施", "工作举措", "具体举措", "主要举措", "重点举措", "任务措施", "工作要点", "具体事项",
     "重点事项"),
    ("工作任务", "重点任务", "主要任务", "重点工作", "任务"),
)
LEVEL_KEYWORDS = ("一级任务", "二级任务", "三级任务", "四级任务", "一级", "二级", "三级", "任务类别",
               "类别", "分类", "工作领域", "领域", "项目", "板块", "事项类别", "目标任务")
#: Level headings that may follow a qualifier (工作类别, 重点领域, 任务分类): a heading ending in one
#: of them is a level too.
LEVEL_ENDINGS = ("类别", "领域", "板块", "分类")
REQUIREMENT_KEYWORDS = ("工作要求", "具体要求", "要求", "工作标准", "目标要求", "完成标准")


#: How a heading naming people ends (责任人, 联系人, 责任领导, 分管领导, 经办人员, 联系电话): such a
#: column lists people or how to reach them, never units.
PERSON_ENDINGS = ("人", "人员", "领导", "领导同志", "联系方式", "联系电话", "电话", "手机")
#: A heading naming bodies and then people (责任单位及责任人) is a unit column: the bodies come first.
_BODIES_THEN_PEOPLE = re.compile(rf"(?:{'|'.join(map(re.escape, BODY_WORDS))})[及和与、/（(]")


#: Sub-headings that name no role of their own but what the heading above them lists (责任主体 over
#: 单位 | 责任人): a body word, alone or with 名称. Under a spanning heading they take its role.
QUALIFIER_HEADINGS = frozenset((*BODY_WORDS, *(word + "名称" for word in BODY_WORDS)))


#: Words saying the first unit named in each cell leads (责任单位（排在第一位的为牵头单位）, under a
#: title 注：第一个单位为牵头单位, 牵头单位为列在首位的单位): the column lists the responsible units, the
#: first of each cell the lead.
FIRST_LEADS = re.compile(
    r"(?:第一|首位|首个|首家|最前)[^，。；,;（）()]{0,8}?(?:为|是)(?:牵头|主办)"
    r"|(?:牵头|主办)(?:单位|部门|科室|处室)?(?:为|是)[^，。；,;（）()]{0,4}?(?:第一|首位|首个|首家|最前)"
)
_FIRST_LEADS_ASIDE = re.compile(r"[（(][^（）()]*?(?:" + FIRST_LEADS.pattern + r")[^（）()]*[）)]")


def first_leads(text: str) -> bool:
    """Whether ``text`` (a heading, a note above or below a table) says the first unit of each cell
    leads (:data:`FIRST_LEADS`)."""
    return FIRST_LEADS.search(header_key(text)) is not None


#: The marks a table puts before or after a unit's name to give it a role its column does not
#: (带*号的为牵头单位): half- and full-width stars, ★ ☆ ▲ △ ※ ● ○ ◆ ◇ ■ □ ◎ and #.
UNIT_MARKS = "*＊★☆▲△※●○◆◇■□◎#＃"
_MARK_FOLD = str.maketrans({"＊": "*", "＃": "#"})
_MARK = "[" + re.escape(UNIT_MARKS) + "]"
_QUOTE = "[“”\"'‘’「」『』【】（）()]?"
# the role words a note gives the marked (or the other) units, and the role each names
_MARK_ROLE_WORDS = {"牵头": ColumnRole.LEAD, "主办": ColumnRole.LEAD,
                    "配合": ColumnRole.COOPERATING, "协办": ColumnRole.COOPERATING,
                    "协助": ColumnRole.COOPERATING, "参与": ColumnRole.COOPERATING,
                    "责任": ColumnRole.RESPONSIBLE, "主责": ColumnRole.RESPONSIBLE, "承办": ColumnRole.RESPONSIBLE}
_MARK_ROLE = "(?:" + "|".join(_MARK_ROLE_WORDS) + ")"
#: Words saying the units a mark is put on are of one role (带*号的为牵头单位, 标*的为牵头单位,
#: 加★者为牵头单位, 注：标注▲的单位为牵头单位, 前面标有“※”的为牵头单位, 打△号的为牵头单位,
#: 标*的为配合单位; or the role first: 牵头单位以★标注): the mark is group ``mark`` (or ``mark2``), the
#: role word ``role`` (or ``role2``). Searched in a text with its spaces removed (:func:`marked_role`).
#: The mark of a unit set in bold type (字体加粗的为牵头单位, 黑体字为牵头单位, 牵头单位用粗体标注): readers
#: that see type (Word, OpenDocument, HTML) say where a cell's text is bold
#: (:attr:`zwgk.table.grid.Cell.emphasis`), and a unit set bold carries this mark.
EMPHASIS = "bold"
_BOLD_WORDS = "(?:加粗|加黑|粗体|黑体)"
MARKED_ROLE = re.compile(
    rf"{_QUOTE}(?P<mark>{_MARK}){_QUOTE}(?:号|符号|标记|标志)?(?:的|者)?(?:单位|部门|科室|处室)?"
    rf"(?:为|是|表示|系)(?P<role>{_MARK_ROLE})"
    rf"|(?P<role2>{_MARK_ROLE})(?:单位|部门|科室|处室)(?:名称)?(?:前|后)?(?:以|用|标有|标注|标记|加|带|标|注)"
    rf"{_QUOTE}(?P<mark2>{_MARK}){_QUOTE}"
    rf"|(?:用|以)?(?:字体|文字)?(?P<bold>{_BOLD_WORDS})(?:字体|字|文字|标注|标记|显示)?(?:的|者)?"
    rf"(?:单位|部门|科室|处室)?(?:名称)?(?:为|是|表示|系)(?P<role3>{_MARK_ROLE})"
    rf"|(?P<role4>{_MARK_ROLE})(?:单位|部门|科室|处室)(?:名称)?(?:以|用|为)?(?:字体)?(?P<bold2>{_BOLD_WORDS})"
)
# what the same note may say of the units not marked: 其余为配合单位, 未标注的为责任单位
_OTHERS_ROLE = re.compile(
    rf"(?:其余|其他|其它|未标|未加|不带|没有标)[^，。；,;]{{0,8}}?(?:为|是)(?P<role>{_MARK_ROLE})")
# a heading's aside declaring marks (责任单位（带*号的为牵头单位）), as header_key leaves it: its
# stars are gone, the words around them say what it is
_MARKED_ASIDE = re.compile(
    rf"[（(][^（）()]*?(?:带|标|加|打|号|黑|粗|{_MARK})[^（）()]*?(?:为|是|表示){_MARK_ROLE}[^（）()]*[）)]")
_NO_SPACES = re.compile(r"[\s\u3000\u00a0\u200b\u200c\u200d\ufeff]+")


def fold_mark(mark: str) -> str:
    """One spelling of a mark: the full-width star (＊) is the half-width one (*), ＃ is #."""
    return mark.translate(_MARK_FOLD)


class MarkedRole(NamedTuple):
    """What a note or heading says of marked units: those marked ``mark`` (:func:`fold_mark`) are of
    ``role``; the others of ``others``, when it says so (其余为配合单位)."""

    mark: str
    role: ColumnRole
    others: ColumnRole | None


def marked_roles(text: str) -> tuple[MarkedRole, ...]:
    """What ``text`` (a heading, a note above or below a table) says the units marked in a cell are
    (:data:`MARKED_ROLE`), one mark after another (注：★为牵头单位，☆为配合单位: ★ lead, ☆
    cooperating); what it says of the units not marked (其余为责任单位) goes with each. Empty when it
    says nothing of marks; a mark said twice counts the first time."""
    flat = _NO_SPACES.sub("", text)
    found: dict[str, ColumnRole] = {}
    end = 0
    for m in MARKED_ROLE.finditer(flat):
        mark = m.group("mark") or m.group("mark2")
        found.setdefault(fold_mark(mark) if mark else EMPHASIS,
                         _MARK_ROLE_WORDS[m.group("role") or m.group("role2") or m.group("role3") or m.group("role4")])
        end = m.end()
    if not found:
        return ()
    rest = _OTHERS_ROLE.search(flat, end)
    others = _MARK_ROLE_WORDS[rest.group("role")] if rest is not None else None
    return tuple(MarkedRole(mark, role, others) for mark, role in found.items())


#: A heading naming two unit roles one after the other, each with its body word (牵头单位/配合单位,
#: 牵头单位（配合单位）, 主办单位及协办单位, 牵头单位、责任单位) or the second in a bracket (牵头（配合）单位):
#: the column lists the units of the first role, then, after a slash, a line break or in a bracket,
#: those of the second (:func:`two_roles`). Two role words sharing one body word (配合/责任单位) name
#: one role twice.
_TWO_ROLE_WORDS = {**_MARK_ROLE_WORDS, "协同": ColumnRole.COOPERATING}  # the role words of marks' notes, and 协同
_TWO_ROLE_STEM = "(" + "|".join(_TWO_ROLE_WORDS) + ")"
_BODY = "(?:" + "|".join(map(re.escape, BODY_WORDS)) + ")"
TWO_ROLES = re.compile(rf"{_TWO_ROLE_STEM}{_BODY}(?:[/／、]|及|和|与|[（(]){_TWO_ROLE_STEM}{_BODY}[）)]?"
                       rf"|{_TWO_ROLE_STEM}[（(]{_TWO_ROLE_STEM}[）)]{_BODY}")


def two_roles(heading: str) -> tuple[ColumnRole, ColumnRole] | None:
    """The two unit roles a heading names one after the other (牵头单位/配合单位: lead, then
    cooperating; :data:`TWO_ROLES`), or ``None``: a heading naming one role, or saying how its
    units are read (责任单位（排在第一位的为牵头单位）, 责任单位（带*号的为牵头单位）)."""
    key = header_key(heading)
    if not key or first_leads(key) or marked_roles(key) or _MARKED_ASIDE.search(key):
        return None
    m = TWO_ROLES.fullmatch(key)
    if m is None:
        return None
    first, second = _TWO_ROLE_WORDS[m.group(1) or m.group(3)], _TWO_ROLE_WORDS[m.group(2) or m.group(4)]
    return (first, second) if first is not second else None


def says_marks(text: str) -> bool:
    """Whether ``text`` (a line, a row's one cell) says what a mark on a unit means (a bold type
    included: :data:`EMPHASIS`)."""
    return (not _MARKLESS.isdisjoint(text) or _BOLD_SAID.search(text) is not None) and bool(marked_roles(text))


_MARKLESS = frozenset(UNIT_MARKS)  # a text holding none of these (nor a word for bold) says nothing of marks
_BOLD_SAID = re.compile(_BOLD_WORDS)


def says_how_units_read(text: str) -> bool:
    """Whether ``text`` (a note, a heading row) says how the units are read: what a mark on a unit
    means (:func:`says_marks`) or that the first unit of each cell leads (:func:`first_leads`). Such
    a note is the document's, wherever it is written: not a category, not a task's 备注."""
    return says_marks(text) or first_leads(text)


def marked_role(text: str) -> MarkedRole | None:
    """The first of :func:`marked_roles`: 带*号的为牵头单位 → ``("*", LEAD, None)``; ``None`` when
    ``text`` says nothing of marks."""
    said = marked_roles(text)
    return said[0] if said else None


def names_people(key: str) -> bool:
    """Whether a header key names people (or their telephone) rather than units: it ends in a person
    word (:data:`PERSON_ENDINGS`: 责任人, 牵头领导, 分管领导, 联系人, 联系电话, 责任单位负责人), unless it
    lists bodies before the people (责任单位及责任人, 牵头单位（联系人）)."""
    return key.endswith(PERSON_ENDINGS) and not _BODIES_THEN_PEOPLE.search(key)


def classify(key: str) -> tuple[ColumnRole | None, int]:
    """(role, specificity) of one header key; specificity orders task-like headers.

    A heading naming people (:func:`names_people`: 责任人, 责任领导, 牵头领导, 联系人, 分管领导) that
    is no other kind of heading (a task, a deadline …) is an extra column by its heading: people are
    not units, and their names are kept as the column's cells (``Task.extra``), wherever it stands.
    A heading saying which unit of a cell leads (:data:`FIRST_LEADS`) or what a mark on a unit says
    (:data:`MARKED_ROLE`, in an aside: 责任单位（带*号的为牵头单位）) is classified by its other words.
    """
    if FIRST_LEADS.search(key):  # 责任单位（排在第一位的为牵头单位）: the heading, not its aside
        key = _FIRST_LEADS_ASIDE.sub("", key)
        found = FIRST_LEADS.search(key)
        key = key[:found.start()] if found else key
    marked = _MARKED_ASIDE.search(key)
    if marked is not None:  # 责任单位（带*号的为牵头单位）: the heading, not its aside
        key = key[:marked.start()] + key[marked.end():]
    role, spec = _classify(key)
    if role is None and marked is not None and key in QUALIFIER_HEADINGS:
        return ColumnRole.RESPONSIBLE, 0  # 单位（标*的为牵头单位）: the units of each task, some marked
    if (role is None or role in UNIT_ROLES) and names_people(key):
        return ColumnRole.EXTRA, 0
    return role, spec


#: Headings that name a deadline only when they are the whole heading (时间 alone; 时间 in a longer
#: heading may be anything).
DEADLINE_WORDS = frozenset({"时间", "日期", "时间进度"})
#: Headings that name the 序号 column only when they are the whole heading (序 alone; No. in a longer
#: heading may be anything).
SERIAL_WORDS = frozenset({"序", "No", "No.", "NO", "NO.", "no.", "№", "#", "＃"})


def _classify(key: str) -> tuple[ColumnRole | None, int]:
    if not key:
        return None, 0
    if key in DEADLINE_WORDS:
        return ColumnRole.DEADLINE, 0
    if key in SERIAL_WORDS:
        return ColumnRole.SERIAL, 0
    for role, words in KEYWORDS:
        if any(w in key for w in words):
            return role, 0
    if (key.startswith(LEVEL_KEYWORDS) or key.endswith(LEVEL_ENDINGS)) and "具体" not in key:
        return ColumnRole.LEVEL, 0
    for rank, words in enumerate(TASK_KEYWORDS):
        if any(w in key for w in words):
            return ColumnRole.TASK, len(TASK_KEYWORDS) - rank
    if any(w in key for w in REQUIREMENT_KEYWORDS):
        return ColumnRole.REQUIREMENT, 0
    return None, 0


#: The heading zwgk writes for a column of each role (and the label of a line in the paragraph form).
HEADING: dict[ColumnRole, str] = {
    ColumnRole.SERIAL: "序号",
    ColumnRole.TASK: "具体任务",
    ColumnRole.REQUIREMENT: "工作要求",
    ColumnRole.LEAD: "牵头单位",
    ColumnRole.RESPONSIBLE: "责任单位",
    ColumnRole.COOPERATING: "配合单位",
    ColumnRole.DEADLINE: "完成时限",
    ColumnRole.NOTES: "备注",
}
#: The headings zwgk writes for the category levels, outermost first (at most this many levels).
LEVEL_HEADINGS = ("一级任务", "二级任务", "三级任务", "四级任务", "五级任务", "六级任务")
#: Every heading zwgk writes, in the order of its tables' columns.
WRITTEN_HEADINGS = (HEADING[ColumnRole.SERIAL], *LEVEL_HEADINGS,
                    *(HEADING[r] for r in (ColumnRole.TASK, ColumnRole.REQUIREMENT, ColumnRole.LEAD,
                                           ColumnRole.RESPONSIBLE, ColumnRole.COOPERATING, ColumnRole.DEADLINE,
                                           ColumnRole.NOTES)))


def _label_words() -> dict[str, ColumnRole]:
    words: dict[str, ColumnRole] = {}
    for role, keys in KEYWORDS:
        if role is not ColumnRole.SERIAL:
            for k in keys:
                words.setdefault(k, role)
    for k in REQUIREMENT_KEYWORDS:
        if len(k) > 2:  # 要求 alone is a word of prose, not a label
            words.setdefault(k, ColumnRole.REQUIREMENT)
    return words


#: Label text of the paragraph form (``牵头单位：``, as :func:`header_key` gives it) → the column it
#: fills: exactly the column keywords.
LABELS = _label_words()

#: A list of unit names is at most this long (a longer text is prose, whatever its punctuation).
MAX_UNIT_LIST_CHARS = 200
_SENTENCE = re.compile(r"[。；;：:！？!?]")


def looks_like_units(text: str) -> bool:
    """Whether ``text`` reads as a list of unit names: not empty, at most
    :data:`MAX_UNIT_LIST_CHARS` characters, with no sentence punctuation (。；：！？) and no numbering
    (一、 1.) at its start. The one test for a unit cell (placing a short row) and a unit line (the
    paragraph form)."""
    t = text.strip()
    return 0 < len(t) <= MAX_UNIT_LIST_CHARS and not _SENTENCE.search(t) and numbering_style(t) is None
