"""Task breakdowns written as paragraphs: numbered task paragraphs with 牵头单位：/责任单位： lines → a Grid.

Many task breakdowns are no table: each task is a numbered paragraph (十二、…, 1.…, （3）…) followed
by labelled lines (``牵头单位：…``, ``配合单位：…``, ``责任单位：…``, ``完成时限：…``; a full-width or
ASCII colon, or the label in 【】), or ending in a bracket (``（责任单位：市教育局、市卫健委）``,
``（牵头单位：X；配合单位：Y）``, ``（X牵头，Y配合）``). Headings (一、/（一）/1.) above the tasks give
the hierarchy. :func:`paragraph_grid` turns a document's body paragraphs into a :class:`Grid` with
the column headings a table would have (一级任务 …, 具体任务, 工作要求, 牵头单位, 责任单位,
配合单位, 完成时限, 备注, then one per label naming people: 责任人 …), so layout, builder,
validators and exporters work unchanged. The label
words are the column keywords of :mod:`zwgk.vocabulary`; unit text goes to the unit columns as
written and is split by the builder, as a table cell is.

The rules, in order:

1. A paragraph that starts with a label is a **label line**; several labels may share it
   (``牵头单位：X；配合单位：Y``). A label naming people (``责任人：``, ``联系人：``, ``联系电话：``:
   :func:`label_of`) gives the task an extra cell under that heading; it attaches to a block as
   any label does, but carries none (rule 3), starts no block and closes no bracket of labels.
   A paragraph whose number style is one of 一、 （一） 1. （1） ① 第一 is **numbered**; its depth
   is the style's rank among the styles the document uses (第一 above 一、 above （一） above 1. above （1） above ①).
2. A **block** is a numbered paragraph with the unnumbered paragraphs after it (more lines of its
   text) and the label lines after those. An unnumbered paragraph right before a label line (or
   ending in a labelled bracket) starts a block of its own. After a label line, an unnumbered
   paragraph continues the unit list when the list ends in 、 or ，, or when it is a short list of
   names (no sentence punctuation) and no label line follows it.
3. A block **carries labels** when it has label lines naming a column (not people only) or ends
   in a labelled bracket. A block is a
   **task** when it carries labels, or when it has no numbered paragraphs below it and sits in a
   list whose siblings carry labels (a later sibling does, or, below the top level, the one
   before it does). A block that is no task but has tasks below it is a **heading**: its text is
   a level of the path of the tasks below it. Every other paragraph is **prose**: the cover letter,
   一、工作目标, 三、保障措施 and its （一）…（四）, 附件, 抄送, dates.
4. A task's text is its paragraph without the labelled bracket. Without a 工作要求 label, text after
   the first 。 is the requirement and the text is the title before it (``1.加大宣传力度。围绕…`` →
   ``1.加大宣传力度`` and ``围绕…``); a paragraph whose only 。 ends it keeps it whole.
5. A heading paragraph carrying an introductory sentence (``（二）加强重点领域信息公开。围绕群众关切，
   重点做好以下工作：``) names its category by the text before the first 。; the rest is the
   category's note (:class:`~zwgk.model.CategoryNote`), not part of its name.
6. Prose before the first task is the preamble (the title is chosen among it); every other prose
   paragraph is the epilogue, in document order. No paragraph is dropped: each task's and each
   heading's paragraphs are checked against what they handed on
   (:func:`~zwgk.table.ledger.lost_characters`), and what is missing is said when the plan is built.

A cell's :class:`~zwgk.errors.Position` names its paragraph in ``line``: the 1-based number of the
paragraph in the document body as the reader counts it (in the text form, the line number).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs
from attrs import define, field, frozen

from zwgk._deadline import readable_deadline
from zwgk._numbering import split_numbering
from zwgk.errors import ParseError, Position
from zwgk.model import CategoryNote, Metadata
from zwgk.table.grid import Cell, Grid, Paragraph, ReadLayout
from zwgk.table.ledger import Missing, lost_characters
from zwgk.vocabulary import (
    HEADING,
    LABELS,
    LEVEL_HEADINGS,
    ColumnRole,
    classify,
    header_key,
    looks_like_units,
    names_people,
    says_how_units_read,
)

__all__ = [
    "LOOKED_FOR",
    "Found",
    "Label",
    "ListTask",
    "Paragraph",
    "ReadLayout",
    "extra_headings",
    "find_tasks",
    "grid_of",
    "label_of",
    "names_people_as_label",
    "paragraph_grid",
    "people_columns",
    "trailing_units",
]


#: What the paragraph path looks for, said in the error when a document holds none of it.
LOOKED_FOR = ("no task paragraphs either: looked for numbered paragraphs (一、 （一） 1. （1）) followed by "
              "labelled lines such as 牵头单位：… / 责任单位：… / 配合单位：… or ending in （责任单位：…）")

#: The grid's columns after the levels, in order; each heading is one a table would have.
_AFTER_LEVELS = (ColumnRole.TASK, ColumnRole.REQUIREMENT, ColumnRole.LEAD, ColumnRole.RESPONSIBLE,
                 ColumnRole.COOPERATING, ColumnRole.DEADLINE, ColumnRole.NOTES)
_HEADINGS = tuple(HEADING[r] for r in _AFTER_LEVELS)
_COLUMN_OF = {r: k for k, r in enumerate(_AFTER_LEVELS) if r is not ColumnRole.TASK}
_UNIT_ROLES = (ColumnRole.LEAD, ColumnRole.RESPONSIBLE, ColumnRole.COOPERATING)

# Numbering styles from the outermost in; a document's depths are the ranks of the styles it uses.
_STYLE_RANK = ("cn-di", "cn-dun", "cn-paren", "arabic-dot", "arabic-paren", "circled")

#: A label is at most this many characters (牵头责任单位 is 6).
MAX_LABEL_CHARS = 8


# A label in 【】 closes itself and may stand anywhere (…办公室【完成时限】…); one ending in a colon
# starts the text or follows a separator.
_LABEL_RE = re.compile(
    rf"【\s*(?P<b>[^】\n]{{1,{MAX_LABEL_CHARS * 2}}}?)\s*】\s*[：:]?|"
    rf"(?:^|(?<=[；;，,。\s]))(?P<c>[\u4e00-\u9fff\u3000 ]{{1,{MAX_LABEL_CHARS * 2}}}?)\s*[：:]"
)
# A unit list written with role words inside a bracket: X牵头，Y配合 / X负责.
_ROLE_WORD_RE = re.compile(r"(?:牵头|配合|负责|参与|协助|协办|主办|落实)(?:单位|部门)?\s*$")
_SEGMENT = re.compile(r"[^；;，,]+")
_SENTENCE_END = ("。", "；", ";")
_TRIM = "；;，,。 \t\u3000"
_UNIT_LIST_END = ("、", "，", ",")
_SENTENCE = re.compile(r"[。；;：:！？!?]")
_OPEN, _CLOSE = "（(", "）)"
_OPEN_AS_SEPARATOR = str.maketrans(dict.fromkeys(_OPEN, "；"))


#: What a label fills: a column's role (牵头单位：), or, for a label naming people (责任人：, 联系人：),
#: the heading of the task's extra cell it gives, as written.
Label = ColumnRole | str


def label_of(word: str) -> Label | None:
    """What the label ``word`` (a :func:`~zwgk.vocabulary.header_key`) fills, or ``None``: the column
    of its keyword (:data:`~zwgk.vocabulary.LABELS`), else, for a word naming people and no other
    kind of heading (:func:`~zwgk.vocabulary.names_people`: 责任人, 联系人, 分管领导, 联系电话), the
    word itself, the heading of an extra cell."""
    if not word or len(word) > MAX_LABEL_CHARS:
        return None
    role = LABELS.get(word)
    if role is not None:
        return role
    return word if names_people(word) and classify(word)[0] is ColumnRole.EXTRA else None


def _carries(labels: Sequence[tuple[Label, str] | tuple[Label, str, int]]) -> bool:
    """Whether labels name a column of the task (a unit, a deadline …): labels naming people only
    attach to a task, they make none."""
    return any(isinstance(label[0], ColumnRole) for label in labels)


def _labels_in(text: str) -> list[tuple[Label, str, int, int]] | None:
    """The labels in ``text`` as ``(label, value, start, end of label)``, when it starts with one."""
    found: list[tuple[Label, int, int]] = []
    for m in _LABEL_RE.finditer(text):
        role = label_of(header_key(m.group("b") or m.group("c") or ""))
        if role is None:
            continue
        found.append((role, m.start(), m.end()))
    if not found or text[: found[0][1]].strip():
        return None
    out = []
    for k, (role, start, end) in enumerate(found):
        stop = found[k + 1][1] if k + 1 < len(found) else len(text)
        out.append((role, text[end:stop].strip().rstrip(_TRIM).strip(), start, end))
    if len(out) == 1 and out[0][0] is ColumnRole.NOTES and says_how_units_read(out[0][1]):
        return None  # 说明：标*的为牵头单位: the document's note on its units, not a task's 备注
    return out


def names_people_as_label(heading: str) -> bool:
    """Whether a line ``heading：…`` reads as one label naming people whose heading is ``heading``
    as written (责任人, 联系人): how the paragraph form writes a task's extra cell naming people."""
    found = _labels_in(f"{heading}：")
    return found is not None and len(found) == 1 and found[0][0] == heading and not isinstance(found[0][0], ColumnRole)


def _trailing_bracket(text: str) -> tuple[str, list[tuple[Label, str]]] | None:
    """``(text before, labels)`` when ``text`` ends in a bracket holding labels (one naming a column,
    not people only) or role words."""
    body = text.rstrip()
    end = body.rstrip("。；;").rstrip()
    if not end or end[-1] not in _CLOSE:
        return None
    depth = 0
    for i in range(len(end) - 1, -1, -1):
        ch = end[i]
        if ch in _CLOSE:
            depth += 1
        elif ch in _OPEN:
            depth -= 1
            if depth == 0:
                inner = end[i + 1: -1].strip()
                before = end[:i].rstrip()
                labels = _labels_in(inner)
                if labels is not None:
                    pairs = [(role, value) for role, value, _, _ in labels]
                    return (before, pairs) if _carries(pairs) else None
                return (before, roles) if (roles := _role_words(inner)) else None
    return None


def _role_words(inner: str) -> list[tuple[Label, str]] | None:
    """A bracket's units written with role words (X牵头，Y配合 / X按职责分工负责), as one unit
    cell for the builder to sort by those words, and a deadline after them (…，2023年底前完成)."""
    parts = [m for m in _SEGMENT.finditer(inner) if m.group().strip()]
    deadline = parts[-1] if len(parts) > 1 and readable_deadline(parts[-1].group()) else None
    units = parts[:-1] if deadline is not None else parts
    if not units or not all(_ROLE_WORD_RE.search(p.group()) for p in units):
        return None
    if deadline is None:
        return [(ColumnRole.RESPONSIBLE, inner)]
    return [(ColumnRole.RESPONSIBLE, inner[:units[-1].end()]), (ColumnRole.DEADLINE, deadline.group().strip())]


def _trailing_labels(text: str) -> tuple[str, list[tuple[Label, str]]] | None:
    """``(text before, labels)`` when ``text`` ends, after a sentence, in labels that name units
    (``5.持续做好重点领域信息公开。责任单位：市财政局、市生态环境局``): the labels written on the
    task's own line, as a label line would write them."""
    for m in _LABEL_RE.finditer(text):
        before = text[: m.start()].rstrip()
        if not before.endswith(_SENTENCE_END):
            continue
        labels = _labels_in(text[m.start():])
        if labels is not None and any(role in _UNIT_ROLES for role, _, _, _ in labels):
            return before, [(role, value) for role, value, _, _ in labels]
    return None


def trailing_units(text: str) -> tuple[str, list[tuple[Label, str]]] | None:
    """``(text before, labels)`` when ``text`` ends in the units of its task, in a bracket of labels
    or role words (``…。（市财政局牵头，市审计局配合）``) or in labels after its sentence (``…。责任单位：
    市政府办公室``): how a task paragraph, or a table's task cell, may name its units."""
    return _trailing_bracket(text) or _trailing_labels(text)


def _style(text: str) -> str | None:
    return split_numbering(text)[0]


@define
class _Block:
    head: int  # index of its first paragraph
    style: str | None
    lines: list[str]
    labels: list[tuple[Label, str, int]]  # label, value, paragraph index
    bracket: bool = False
    depth: int = 0
    parent: int | None = None
    children: list[int] = field(factory=list)
    kind: str = "prose"  # task, heading, prose
    paragraphs: list[int] = field(factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def carries(self) -> bool:
        """Whether the block carries labels naming a column (not people only)."""
        return _carries(self.labels)


@frozen
class ListTask:
    """One task as the paragraphs write it, before units are split: what a table row would hold."""

    path: tuple[tuple[str, Position], ...]
    text: str
    position: Position
    cells: tuple[tuple[ColumnRole, str], ...]  # requirement, units, deadline, notes as written
    #: The labels naming people (责任人：张三) as (heading, value), in the order first written; a
    #: heading written twice has its values joined by a line break.
    extra: tuple[tuple[str, str], ...] = ()

    def cell(self, role: ColumnRole) -> str | None:
        values = [v for r, v in self.cells if r is role]
        return "\n".join(values) if values else None


@frozen
class Found:
    """What :func:`find_tasks` found: the tasks, the prose around them, the notes of the headings
    that carry one, and the paragraphs whose text was not all handed on."""

    tasks: tuple[ListTask, ...]
    preamble: tuple[str, ...]
    epilogue: tuple[str, ...]
    notes: tuple[CategoryNote, ...] = ()
    missing: tuple[Missing, ...] = ()


def _segment(paras: Sequence[Paragraph]) -> tuple[list[_Block], list[int | None]]:
    """The blocks of the paragraphs, and for each paragraph the block it belongs to (None: prose)."""
    texts = [t.strip() for t, _ in paras]
    labels = [_labels_in(t) if t else None for t in texts]
    brackets = [(_trailing_bracket(t) or _trailing_labels(t)) if t and labels[i] is None else None
                for i, t in enumerate(texts)]
    blocks: list[_Block] = []
    owner: list[int | None] = [None] * len(paras)
    current: _Block | None = None

    def next_is_label(i: int) -> bool:
        """Whether the next paragraph holds labels that make paragraph ``i`` an unnumbered task: a
        note alone (说明：本表未尽事项… under a title) makes none."""
        for j in range(i + 1, len(texts)):
            if texts[j]:
                found = labels[j]
                return found is not None and _carries([(r, v) for r, v, _, _ in found if r is not ColumnRole.NOTES])
        return False

    def start(i: int, style: str | None) -> _Block:
        text = texts[i]
        block = _Block(i, style, [], [], paragraphs=[i])
        bracket = brackets[i]
        if bracket is not None:
            text = bracket[0]
            block.bracket = True
            block.labels.extend((role, value, i) for role, value in bracket[1])
        block.lines.append(text)
        blocks.append(block)
        owner[i] = len(blocks) - 1
        return block

    for i, text in enumerate(texts):
        if not text:
            continue
        found = labels[i]
        if found is not None:
            if current is None:
                continue  # a label with nothing before it to label: prose
            current.labels.extend((role, value, i) for role, value, _, _ in found)
            current.paragraphs.append(i)
            owner[i] = len(blocks) - 1
            continue
        style = _style(text)
        if style is not None:
            current = start(i, style)
            continue
        if current is not None and not current.labels and current.style is not None and not current.bracket:
            current.lines.append(text)  # more lines of a numbered paragraph
            current.paragraphs.append(i)
            owner[i] = len(blocks) - 1
            continue
        if current is not None and current.labels and not current.bracket:
            role, value, _ = current.labels[-1]
            if role in _UNIT_ROLES and (value.endswith(_UNIT_LIST_END) or (
                    looks_like_units(text) and not next_is_label(i) and brackets[i] is None)):
                current.labels[-1] = (role, f"{value}\n{text}" if value else text, current.labels[-1][2])
                current.paragraphs.append(i)
                owner[i] = len(blocks) - 1
                continue
        if brackets[i] is not None or next_is_label(i):
            current = start(i, None)  # an unnumbered task: the paragraph its labels follow
            continue
        current = None  # prose; a later unnumbered paragraph cannot continue what came before
    return blocks, owner


def _classify(blocks: list[_Block]) -> None:
    styles = sorted({b.style for b in blocks if b.style is not None}, key=_STYLE_RANK.index)
    rank = {s: k for k, s in enumerate(styles)}
    stack: list[int] = []
    for n, b in enumerate(blocks):
        if b.style is None:
            # An unnumbered task sits below the nearest numbered paragraph that carries no labels.
            while stack and blocks[stack[-1]].carries and blocks[stack[-1]].style is not None:
                stack.pop()
            while stack and blocks[stack[-1]].style is None:
                stack.pop()
            b.depth = blocks[stack[-1]].depth + 1 if stack else len(styles)
        else:
            b.depth = rank[b.style]
            while stack and blocks[stack[-1]].depth >= b.depth:
                stack.pop()
        b.parent = stack[-1] if stack else None
        if b.parent is not None:
            blocks[b.parent].children.append(n)
        stack.append(n)
    siblings: dict[int | None, list[int]] = {}
    for n, b in enumerate(blocks):
        siblings.setdefault(b.parent, []).append(n)
    for n, b in enumerate(blocks):
        if b.carries:
            b.kind = "task"
        elif not b.children:
            sib = [k for k in siblings[b.parent] if blocks[k].depth == b.depth]
            at = sib.index(n)
            later = any(blocks[k].carries for k in sib[at + 1:])
            before = at > 0 and blocks[sib[at - 1]].carries and b.depth > 0
            if later or before:
                b.kind = "task"
    for n in range(len(blocks) - 1, -1, -1):  # children come after their parent
        b = blocks[n]
        if b.kind != "task" and any(blocks[c].kind in ("task", "heading") for c in b.children):
            b.kind = "heading"


def _split_title(text: str) -> tuple[str, str | None]:
    """Title and requirement of a task paragraph: text after the first 。 is the requirement."""
    at = text.find("。")
    if at < 0:
        return text, None
    rest = text[at + 1:].strip()
    if not rest:
        return text, None
    return text[:at].rstrip(), rest


def _title_and_requirement(lines: Sequence[str]) -> tuple[str, str | None]:
    """A task block's title and requirement: a first paragraph ending in its only 。 is the whole
    title, punctuation kept, and the paragraphs after it the requirement; otherwise the text up to
    the first 。 is the title (:func:`_split_title`)."""
    first = lines[0]
    if len(lines) > 1 and first.endswith("。") and first.count("。") == 1:
        return first, "\n".join(lines[1:])
    return _split_title("\n".join(lines))


def heading_of(text: str) -> tuple[str, str | None]:
    """A heading paragraph's name and the introductory sentence after it
    (``（二）加强重点领域信息公开。围绕群众关切，重点做好以下工作：`` → the name before the 。, the
    rest the category's note; the 。 between them is where they part)."""
    return _split_title(text)


def _label_words(text: str) -> list[str]:
    """The labels (their words, colons and brackets) written in ``text``: the paragraphs' form."""
    # a label may open a bracket (（牵头单位：…）): read the opening bracket as a separator
    return [m.group() for m in _LABEL_RE.finditer(text.translate(_OPEN_AS_SEPARATOR))
            if label_of(header_key(m.group("b") or m.group("c") or "")) is not None]


def find_tasks(paragraphs: Sequence[Paragraph]) -> Found:
    """The tasks the paragraphs write, with their headings and notes, and the prose around them."""
    blocks, owner = _segment(paragraphs)
    _classify(blocks)
    tasks: list[ListTask] = []
    preamble: list[str] = []
    epilogue: list[str] = []
    notes: list[CategoryNote] = []
    missing: list[Missing] = []
    done: set[int] = set()

    def path_of(n: int | None) -> list[tuple[str, Position]]:
        path: list[tuple[str, Position]] = []
        while n is not None:
            head = blocks[n]
            # its own paragraph only, without an introductory sentence: never the paragraphs after it
            path.append((heading_of(head.lines[0])[0], paragraphs[head.head][1]))
            n = head.parent
        return path[::-1]

    def check(n: int, handed: Sequence[str], place: str) -> None:
        block = blocks[n]
        given = [paragraphs[i][0] for i in block.paragraphs]
        lost = lost_characters(given, [*handed, *(w for t in given for w in _label_words(t))])
        if lost:
            missing.append(Missing(paragraphs[block.head][1], given[0], place, lost, "paragraph"))

    for i, (raw, _pos) in enumerate(paragraphs):
        text = raw.strip()
        if not text:
            continue
        n = owner[i]
        if n is None or blocks[n].kind == "prose":
            (epilogue if tasks else preamble).append(text)
            continue
        block = blocks[n]
        if block.kind == "heading":
            if i != block.head:
                (epilogue if tasks else preamble).append(text)  # the prose under a heading
                continue
            name, intro = heading_of(text)
            if intro is not None:  # the heading's introductory sentence: the category's note
                notes.append(CategoryNote(tuple(p for p, _ in path_of(n)), intro))
            lost = lost_characters([text], [name, intro or ""])
            if lost:
                missing.append(Missing(paragraphs[i][1], text, "a category heading", lost, "paragraph"))
            continue
        if n in done:
            continue
        done.add(n)
        path = path_of(block.parent)
        cells: list[tuple[ColumnRole, str]] = [(role, value) for role, value, _ in block.labels
                                               if isinstance(role, ColumnRole)]
        people: dict[str, list[str]] = {}
        for role, value, _ in block.labels:
            if not isinstance(role, ColumnRole):  # (a ColumnRole is a str too)
                people.setdefault(role, []).append(value)
        title = block.text
        if not any(role is ColumnRole.REQUIREMENT for role, _ in cells):
            title, requirement = _title_and_requirement(block.lines)
            if requirement is not None:
                cells.insert(0, (ColumnRole.REQUIREMENT, requirement))
        extra = tuple((heading, "\n".join(values)) for heading, values in people.items())
        task = ListTask(tuple(path), title, paragraphs[block.head][1], tuple(cells), extra)
        tasks.append(task)
        check(n, [task.text, *(v for _, v in task.cells), *(v for _, vs in people.items() for v in vs)],
              "a task and its labelled lines")
    return Found(tuple(tasks), tuple(preamble), tuple(epilogue), tuple(notes), tuple(missing))


def paragraph_grid(paragraphs: Sequence[Paragraph], source: str | None = None) -> Grid:
    """The grid the paragraphs write: one header row of known headings, one row per task.

    A :class:`~zwgk.errors.ParseError` saying what was looked for when no paragraph is a task.
    """
    found = find_tasks(paragraphs)
    if not found.tasks:
        raise ParseError(LOOKED_FOR, Position(file=source))
    return grid_of(found, source)


def extra_headings(tasks: Sequence[ListTask]) -> list[str]:
    """The headings of the tasks' labels naming people, as the grid's extra columns: in an order
    each task's follow where the tasks allow it (each task matched leftmost against the columns so
    far, a heading not found inserted after the last one matched)."""
    out: list[str] = []
    for task in tasks:
        pos = 0
        for heading, _ in task.extra:
            k = out.index(heading, pos) if heading in out[pos:] else -1
            if k < 0:
                out.insert(pos, heading)
                k = pos
            pos = k + 1
    return out


def people_columns(task: ListTask, people: Sequence[str]) -> list[tuple[int, str]]:
    """``(column, value)`` of each of ``task``'s labels naming people among the headings ``people``
    (:func:`extra_headings`), matched as that function matched them: a heading written twice over
    the columns (in one order by one task, in another by the next) takes each value once."""
    out: list[tuple[int, str]] = []
    pos = 0
    for heading, value in task.extra:
        k = people.index(heading, pos) if heading in people[pos:] else people.index(heading)
        out.append((k, value))
        pos = k + 1
    return out


def grid_of(found: Found, source: str | None = None) -> Grid:
    depth = max(len(t.path) for t in found.tasks)
    if depth > len(LEVEL_HEADINGS):
        raise ParseError(f"the headings nest {depth} levels deep; at most {len(LEVEL_HEADINGS)} are read",
                         found.tasks[0].position)
    people = extra_headings(found.tasks)
    headings = (*LEVEL_HEADINGS[:depth], *_HEADINGS, *people)
    rows: list[tuple[Cell, ...]] = [tuple(Cell(h, column=k) for k, h in enumerate(headings))]
    for task in found.tasks:
        row: list[Cell] = [Cell(text, column=k, position=pos) for k, (text, pos) in enumerate(task.path)]
        n = len(task.path)
        row.append(Cell(task.text, colspan=depth - n + 1, column=n, position=task.position))
        for role, col in _COLUMN_OF.items():
            value = task.cell(role)
            if value is not None:
                row.append(Cell(value, column=depth + col, position=task.position))
        for k, value in people_columns(task, people):  # the people the task's labels name, as extra cells
            row.append(Cell(value, column=depth + len(_HEADINGS) + k, position=task.position))
        rows.append(tuple(row))
    said = tuple(m._replace(where=attrs.evolve(m.where, file=m.where.file or source)).message()
                 for m in found.missing)
    title = Metadata.title_of(found.preamble)
    return Grid(tuple(rows), source=source, table=None, title=title, preamble=found.preamble,
                epilogue=found.epilogue, header_rows=1, category_notes=found.notes, unaccounted=said)
