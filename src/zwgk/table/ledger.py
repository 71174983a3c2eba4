"""Nothing read is lost: what each cell of a task table handed over, and where it ended in the plan.

The builder enters every cell with text as it reads it (:class:`Ledger`): the task field it filled
(text, requirement, serial, deadline, notes), the extra column it went to, the unit references read
from it, or the category it named. The task's cells are checked against the task as soon as it is
made (:meth:`Ledger.settle`: a task is final once made), the categories once the plan is built
(:meth:`Ledger.unaccounted`), cell by cell: a cell's non-blank characters must all stand in the
place it was entered for (unit cells: in the ``as_written`` of its references, which the task must
hold; list separators between names are the list itself). Counting per cell, a shifted column
cannot balance a dropped one. What is missing is said in a :class:`~zwgk.errors.ReadWarning` naming
the file, table, row and column, in the order the cells were read. A settled cell whose text is
held is let go at once, so what the ledger holds does not grow with the table: the category cells
and what is missing.

Categories no task is put under are said by the builder itself (its own warning); text outside the
task tables (other tables, preamble, epilogue) is the readers' and the core's to hand over.

Task paragraphs pass one more step before the builder: :mod:`zwgk.table.paragraphs` turns them into
a grid, and checks each task's and each heading's paragraphs against what it handed on
(:func:`lost_characters`), before the builder checks the grid's cells as above.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Literal, NamedTuple

from zwgk.errors import Position
from zwgk.model import Task, UnitRef

__all__ = ["Entry", "Ledger", "Missing", "lost_characters", "visible"]

_BLANKS = " \t\r\n\u3000\u00a0\u200b\u200c\u200d\u2028\u2029\ufeff\x0b\x0c"
_NO_BLANKS = str.maketrans("", "", _BLANKS)
#: Separators between unit names: the list itself, not text of any name (``zwgk.units``' splitter).
_UNIT_LIST = str.maketrans("", "", _BLANKS + "、，,；;／/")
#: At most this many characters of a cell are quoted in a warning.
QUOTE_CHARS = 24

Field = Literal["text", "requirement", "serial", "deadline", "notes"]


def visible(text: str) -> str:
    """``text`` without blanks (spaces of every width, line breaks): what is counted."""
    return text.translate(_NO_BLANKS).replace("_x000D_", "")


class Entry(NamedTuple):
    """One cell and where the builder put its text."""

    where: Position
    text: str
    task: int | None  # index of the task it went to; None: a category, or left out
    place: str  # "text", "requirement", …, "extra", "units", "category", "left out"
    header: str = ""  # the column's heading (extra columns are kept under it); why, for "left out"
    refs: tuple[UnitRef, ...] = ()
    #: A category heading's name and introductory sentence (its category's note), when split.
    parts: tuple[str, str | None] | None = None


class Missing(NamedTuple):
    """A cell (or a paragraph) whose text the plan does not hold in full."""

    where: Position
    text: str
    place: str
    lost: str  # the characters not found, in the cell's order
    what: str = "cell"

    def message(self) -> str:
        quoted = self.text.strip().replace("\n", " ")
        if len(quoted) > QUOTE_CHARS:
            quoted = quoted[:QUOTE_CHARS] + "…"
        lost = self.lost if len(self.lost) <= QUOTE_CHARS else self.lost[:QUOTE_CHARS] + "…"
        return (f"{self.where.describe()}: the plan does not hold all of this {self.what} 「{quoted}」 "
                f"(read as {self.place}; missing: 「{lost}」)")


def lost_characters(given: Iterable[str], handed: Iterable[str]) -> str:
    """The letters, digits and ideographs of ``given`` that ``handed`` does not hold, in ``given``'s
    order (each character of ``handed`` answers for one of ``given``).

    For task paragraphs: their labels (牵头单位：, 【责任单位】) and the punctuation around label
    values are the paragraphs' form, as a table's borders are, so only these characters count.
    """
    have = Counter(ch for text in handed for ch in text if ch.isalnum())
    lost: list[str] = []
    for text in given:
        for ch in text:
            if ch.isalnum():
                if have[ch] > 0:
                    have[ch] -= 1
                else:
                    lost.append(ch)
    return "".join(lost)


class Ledger:
    """The cells of the task tables read so far, with where each one's text went.

    ``entries`` holds, in the order the cells were read, the cells still to check (categories, cells
    left out, task cells not settled yet) and what a settled cell was found missing.
    """

    def __init__(self) -> None:
        self.entries: list[Entry | Missing] = []
        self._split_ok: dict[str, str] = {}  # unit cell text -> characters its references lost
        self._unsettled = 0  # entries from here on may hold task cells not settled yet

    def field(self, where: Position, text: str, task: int, place: Field) -> None:
        if text.strip():
            self.entries.append(Entry(where, text, task, place))

    def extra(self, where: Position, text: str, task: int, header: str) -> None:
        if text.strip():
            self.entries.append(Entry(where, text, task, "extra", header))

    def units(self, where: Position, text: str, task: int, refs: Iterable[UnitRef]) -> None:
        if text.strip():
            self.entries.append(Entry(where, text, task, "units", refs=tuple(refs)))

    def category(self, where: Position, text: str, name: str | None = None, note: str | None = None) -> None:
        """A cell naming a category; a heading split into its ``name`` and an introductory sentence,
        the category's ``note``, is checked for both, and a cell that is a part of its category's
        name (the number of a heading written in the columns: 一 | 推进决策公开) for the name."""
        if text.strip():
            parts = (name, note) if name is not None and (note is not None or name != text.strip()) else None
            self.entries.append(Entry(where, text, None, "category", parts=parts))

    def left_out(self, where: Position, text: str, why: str) -> None:
        """A cell the builder puts nowhere, and why (``why`` is said in the warning)."""
        if text.strip():
            self.entries.append(Entry(where, text, None, "left out", why))

    def settle(self, index: int, task: Task) -> None:
        """Check the cells entered for task ``index`` since the last call against ``task`` (the task
        as the plan will hold it): a cell it holds is let go, one it does not is kept as
        :class:`Missing`, in its place among the entries."""
        entries = self.entries
        recent = entries[self._unsettled:]
        del entries[self._unsettled:]
        ids: set[int] | None = None
        for e in recent:
            if isinstance(e, Missing) or e.task != index or e.place in ("category", "left out"):
                entries.append(e)
                continue
            if ids is None and e.place == "units":
                ids = _ref_ids(task)
            missing = self._check(e, task, ids)
            if missing is not None:
                entries.append(missing)
        self._unsettled = len(entries)

    def _split_lost(self, text: str, refs: Sequence[UnitRef]) -> str:
        """The characters of a unit cell that none of its references' ``as_written`` holds."""
        lost = self._split_ok.get(text)
        if lost is None:
            have = Counter("".join(r.as_written for r in refs).translate(_UNIT_LIST))
            want = text.translate(_UNIT_LIST)
            missing = Counter(want) - have
            kept: list[str] = []
            for ch in want:
                if missing[ch] > 0:
                    kept.append(ch)
                    missing[ch] -= 1
            lost = self._split_ok[text] = "".join(kept)
        return lost

    def _check(self, e: Entry, task: Task, ids: set[int] | None) -> Missing | None:
        """What of task cell ``e`` the ``task`` it went to does not hold (``ids``: the ids of the task's
        unit references, for a unit cell)."""
        want = visible(e.text)
        if e.place == "units":
            held = ids if ids is not None else _ref_ids(task)
            lost = "".join(r.as_written.translate(_UNIT_LIST) for r in e.refs if id(r) not in held)
            lost += self._split_lost(e.text, e.refs)
            return Missing(e.where, e.text, "units", lost) if lost else None
        if e.place == "extra":
            if not any(h == e.header and want in visible(v) for h, v in task.extra):
                return Missing(e.where, e.text, f"the extra column {e.header}", want)
            return None
        value: str | None = getattr(task, e.place)
        if want not in visible(value or ""):
            return Missing(e.where, e.text, f"the task's {e.place}", want)
        return None

    def unaccounted(self, tasks: Sequence[Task], categories: Iterable[str], notes: Iterable[str] = ()) -> list[Missing]:
        """The cells whose text ``tasks`` do not hold (``categories``: category texts said otherwise,
        such as those no task is put under; ``notes``: the category notes the plan holds or says)."""
        in_paths = {level for t in tasks for level in t.path}
        in_paths.update(categories)
        noted = set(notes)
        held: dict[int, set[int]] = {}  # task index -> ids of the references it holds
        out: list[Missing] = []
        for e in self.entries:
            if isinstance(e, Missing):
                out.append(e)
                continue
            if e.place == "left out":
                out.append(Missing(e.where, e.text, e.header, visible(e.text)))
                continue
            if e.place == "category":
                if e.parts is not None:
                    name, note = e.parts
                    kept = [p for p, ok in ((name, name in in_paths), (note, note in noted)) if ok and p is not None]
                    lost = lost_characters([e.text], kept)
                    if lost:
                        out.append(Missing(e.where, e.text, "a category and its note" if note else "a category", lost))
                elif e.text.strip() not in in_paths:
                    out.append(Missing(e.where, e.text, "a category", visible(e.text)))
                continue
            if e.task is None or e.task >= len(tasks):
                out.append(Missing(e.where, e.text, e.place, visible(e.text)))
                continue
            ids = None
            if e.place == "units":
                ids = held.get(e.task)
                if ids is None:
                    ids = held[e.task] = _ref_ids(tasks[e.task])
            missing = self._check(e, tasks[e.task], ids)
            if missing is not None:
                out.append(missing)
        return out


def _ref_ids(task: Task) -> set[int]:
    """The ids of the unit references ``task`` holds (a unit cell's references must be among them)."""
    return {id(r) for r in (*task.leads, *task.responsible, *task.cooperating)}
