"""Marked units: a table whose note or heading says what a mark on a unit means (注：带*号的为牵头单位,
标★的为配合单位, 责任单位（标注▲的为牵头单位）) gives each unit marked so that role.

The registry reads a mark off the name it is written with (``*市教育局`` is 市教育局, its
``as_written`` keeps the mark; :attr:`zwgk.units.ParsedCell.marks`); this module decides what the
marks of one table's unit columns say (:class:`TableMarks`), as :class:`~zwgk.units.Marking` records
the cell's :meth:`~zwgk.units.ParsedCell.by_role` applies:

- the column's heading says it (:func:`~zwgk.vocabulary.marked_roles`), or else a line around any
  table of the document, or a row of a table holding that line alone (above the header, or spanning
  the table below its last task), does (:func:`said_of_marks`: a note is written once, for every
  table). Such a row is a note, not a category (:func:`~zwgk.vocabulary.says_marks`);
- a mark nothing explains (no note, or a note naming another mark) is read as the lead in the
  responsible column of a table with no lead column (the meaning a mark on a unit almost always
  has), in its column's role anywhere else; put alike on every unit of a cell of several units
  (●市教育局⏎●市财政局) it sets none apart and is read as a list's bullet, in the column's role.
  Either way a warning names the column, its first such cell and how many there are, and each
  unit's note says how it was read.

Each column the marks give roles says so in its reason (``zwgk parse --explain``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from attrs import define, evolve, field, frozen

from zwgk.errors import Position, ReadWarning
from zwgk.model import Role, UnitRef
from zwgk.table.columns import Layout
from zwgk.table.grid import Cell, Grid
from zwgk.units import Marking, ParsedCell
from zwgk.vocabulary import EMPHASIS, UNIT_ROLES, ColumnRole, MarkedRole, marked_roles, says_marks

__all__ = ["BULLET_NOTE", "MARKED_NOTE", "NOTE_ROW", "UNDECLARED_KEPT_NOTE", "UNDECLARED_LEAD_NOTE", "UNMARKED_NOTE",
           "TableMarks", "emphasis_marks", "said_of_marks"]

#: The note of a unit whose mark gives it its role (``{said}``: where the table says what the mark
#: means, and its words: 带*号的为牵头单位).
MARKED_NOTE = "{role}: marked {mark} in its cell, as the table's {said} says"
#: The note of a unit not marked, in a table whose note gives the other units a role (其余为配合单位).
UNMARKED_NOTE = "{role}: not marked in its cell, as the table's {said} says of the units not marked"
#: The note of a unit marked where nothing in the document says what the mark means, in the
#: responsible column of a table with no lead column: read as the lead.
UNDECLARED_LEAD_NOTE = ("lead: marked {mark} in its cell; nothing in the document says what the mark means, "
                        "and a marked unit among responsible ones is read as the lead")
#: The same, in any other unit column: read in the column's role.
UNDECLARED_KEPT_NOTE = ("{role}: marked {mark} in its cell; nothing in the document says what the mark means, "
                        "so it is read in its column's role")
#: The note of a unit marked alike with every other unit of its cell, the mark unexplained: a bullet.
BULLET_NOTE = ("{role}: marked {mark} as every unit of its cell is, and nothing in the document says what the "
               "mark means: read as a list's bullet, in its column's role")

#: Why the plan does not hold a row of a table that is a note saying how its units are read (what
#: the marks mean, or that the first unit leads).
NOTE_ROW = "a note saying how the units are read, which they are read by; it names no category"

#: What a line says of marked units (a mark after another), and the line as written.
Said = tuple[tuple[MarkedRole, ...], str]
#: A cell's references by role, each with whether its list is open (:meth:`ParsedCell.by_role`).
ByRole = Mapping[Role, tuple[tuple[UnitRef, ...], bool]]


def said_of_marks(grids: Iterable[Grid]) -> Said | None:
    """What the first note of any of ``grids`` (:meth:`~zwgk.table.grid.Grid.note_lines`) saying
    what a mark on a unit means says (注：带*号的为牵头单位), with the note; ``None`` when none does."""
    return next(((marked, line) for g in grids for line in g.note_lines()
                 if says_marks(line) and (marked := marked_roles(line))), None)


@frozen
class _Unexplained:
    """The cells of one column marking units with a mark nothing explains."""

    cells: int  # how many
    first: Position  # the first of them
    marks: frozenset[str]
    bullets: int = 0  # how many mark every unit alike (read as bullets)


@define
class TableMarks:
    """What the marks in each unit column of one table say (:meth:`of`), and the marks met that
    nothing explains, to be said (:meth:`warnings`)."""

    markings: dict[int, tuple[Marking, ...]]  # unit column → what its marks say, the fallback last
    reasons: dict[int, str]  # unit column → what its reason adds
    # unit column → the cells marking units with a mark nothing explains
    unexplained: dict[int, _Unexplained] = field(factory=dict)
    # unit columns where some unit was read as set bold (:meth:`emphasis`)
    bold_met: set[int] = field(factory=set)

    @classmethod
    def of(cls, layout: Layout, said: Said | None) -> TableMarks:
        """The marks of ``layout``'s unit columns: what each heading says, else what ``said`` (the
        document's note) says, then what a mark nothing explains is read as."""
        markings: dict[int, tuple[Marking, ...]] = {}
        reasons: dict[int, str] = {}
        lead_column = layout.find(ColumnRole.LEAD) is not None
        for c in layout.columns:
            if c.role not in UNIT_ROLES:
                continue
            by_heading = marked_roles(c.header)
            declared: Said | None = (by_heading, f"heading 「{c.header}」") if by_heading else \
                (said[0], f"note 「{said[1]}」") if said is not None else None
            found: list[Marking] = []
            if declared is not None:
                marked, where = declared
                for mark, role, others in marked:
                    found.append(Marking(mark, Role.of(role),
                                         MARKED_NOTE.format(role=role.value, mark=mark, said=where),
                                         Role.of(others) if others is not None else None,
                                         UNMARKED_NOTE.format(role=others.value, said=where) if others else ""))
                others = marked[0].others
                reasons[c.index] = ("; ".join(f"a unit marked {m.mark} is its task's {m.role.value}" for m in marked)
                                    + (f", the others {others.value}" if others is not None else "")
                                    + f", as the table's {where} says")
            if c.role is ColumnRole.RESPONSIBLE and not lead_column:
                found.append(Marking(None, Role.LEAD, UNDECLARED_LEAD_NOTE))
            else:
                found.append(Marking(None, Role.of(c.role), UNDECLARED_KEPT_NOTE.format(role=c.role.value,
                                                                                       mark="{mark}")))
            markings[c.index] = tuple(found)
        return cls(markings, reasons)

    def reads_emphasis(self, column: int) -> bool:
        """Whether what the table says gives units set bold in unit column ``column`` a role
        (加粗的为牵头单位: :data:`~zwgk.vocabulary.EMPHASIS`)."""
        return any(m.mark == EMPHASIS for m in self.markings.get(column, ())[:-1])

    def emphasis(self, parsed: ParsedCell, text: str, cell: Cell, column: int) -> ParsedCell:
        """``parsed`` (the reading of ``cell``'s ``text``, in unit column ``column``) with its units set
        bold marked so (:func:`emphasis_marks`), where the table gives bold units a role."""
        if not cell.emphasis or not self.reads_emphasis(column):
            return parsed
        marked = emphasis_marks(parsed, text, cell.emphasis)
        if marked is not parsed:
            self.bold_met.add(column)
        return marked

    def unseen_emphasis(self, layout: Layout, grid: Grid) -> list[ReadWarning]:
        """A warning for each unit column that the table says sets units of a role in bold, where
        no unit was read as set bold (a reader that does not see type, or bold set by a style)."""
        said: list[ReadWarning] = []
        for c in layout.columns:
            if c.index in self.bold_met or not self.reads_emphasis(c.index):
                continue
            at = Position(file=grid.source, table=grid.table, sheet=grid.sheet).describe()
            how = " or ".join(f"its task's {m.role.value}" for m in self.markings[c.index][:-1] if m.mark == EMPHASIS)
            said.append(ReadWarning(
                f"{at}: the table says a unit set bold is {how}, and no unit of column {c.index + 1} "
                f"({c.header or c.role.value}) is read as set bold (this form shows no type to zwgk, or the "
                f"bold comes from a style): its units are read in the column's role ({c.role.value})"))
        return said

    def explained(self, layout: Layout) -> Layout:
        """``layout`` with the reason of each column whose marks a heading or note explains saying so."""
        return _with_reasons(layout, self.reasons)

    def by_role(self, parsed: ParsedCell, column: int, role: Role, where: Callable[[], Position]) -> ByRole:
        """``parsed`` (a cell of unit column ``column``, of ``role``) by role, its marks read;
        a mark nothing explains is noted, at ``where()``."""
        if not parsed.marks:
            return parsed.by_role(role)
        markings = self.markings[column]
        declared = markings[:-1]  # the last one reads the marks nothing explains
        unexplained = {m for i, m in enumerate(parsed.marks)
                       if m is not None and parsed.role_of(i) is None and not any(d.covers(m) for d in declared)}
        if not unexplained:
            return parsed.by_role(role, markings)
        bullets = len(parsed.refs) > 1 and len(set(parsed.marks)) == 1  # every unit marked alike
        seen = self.unexplained.get(column) or _Unexplained(0, where(), frozenset())
        self.unexplained[column] = _Unexplained(seen.cells + 1, seen.first, seen.marks | unexplained,
                                                seen.bullets + bullets)
        if bullets:
            markings = (*declared, Marking(None, role, BULLET_NOTE.format(role=role.value, mark="{mark}")))
        return parsed.by_role(role, markings)

    def warnings(self, layout: Layout) -> tuple[list[ReadWarning], Layout]:
        """A warning for each unit column whose cells mark units with a mark nothing explains, and
        ``layout`` with those columns' reasons saying how the marked units were read."""
        said: list[ReadWarning] = []
        reasons: dict[int, str] = {}
        for index, met in sorted(self.unexplained.items()):
            col = layout.columns[index]
            how = ("the marked units are read as the leads, the others as responsible"
                   if self.markings[index][-1].role is Role.LEAD and col.role is ColumnRole.RESPONSIBLE
                   else f"the marked units are read in the column's role ({col.role.value})")
            if met.bullets:
                how = (f"{how}, except in the {met.bullets} cell(s) marking every unit alike, where the mark is "
                       "read as a list's bullet" if met.bullets < met.cells else
                       f"every such cell marks all its units alike: the marks are read as a list's bullets, the "
                       f"units in the column's role ({col.role.value})")
            shown = " ".join(sorted(met.marks))
            said.append(ReadWarning(
                f"{met.first.describe()}: {met.cells} cell(s) of column {index + 1} ({col.header or col.role.value}) "
                f"mark units with {shown}, and nothing in the document (a heading or a note such as "
                f"带{min(met.marks)}号的为牵头单位) says what the mark means: {how}; each unit's as_written keeps "
                "its mark"))
            reasons[index] = f"units marked {shown} with nothing saying what the mark means: {how}"
        return said, _with_reasons(layout, reasons)


def _with_reasons(layout: Layout, reasons: dict[int, str]) -> Layout:
    if not reasons:
        return layout
    return evolve(layout, columns=tuple(
        evolve(c, reason=f"{c.reason}; {reasons[c.index]}") if c.index in reasons else c for c in layout.columns))


#: A unit counts as set bold when at least this share of its name's characters are.
EMPHASIS_SHARE = 0.5


def emphasis_marks(parsed: ParsedCell, text: str, emphasis: tuple[tuple[int, int], ...]) -> ParsedCell:
    """``parsed`` (the reading of a unit cell ``text``) with each unit set bold (``emphasis``:
    :attr:`~zwgk.table.grid.Cell.emphasis`) and written with no mark marked
    :data:`~zwgk.vocabulary.EMPHASIS` (``parsed`` itself when none is); each unit is found in ``text``
    as written, in order."""
    bold = [False] * len(text)
    for start, end in emphasis:
        bold[start:end] = [True] * (end - start)
    marks = list(parsed.marks or (None,) * len(parsed.refs))
    changed = False
    at = 0
    for i, ref in enumerate(parsed.refs):
        written = ref.as_written
        found = text.find(written, at) if written else -1
        if found < 0:
            continue
        at = found + len(written)
        letters = [k for k in range(found, at) if not text[k].isspace()]
        if marks[i] is None and letters and sum(bold[k] for k in letters) >= EMPHASIS_SHARE * len(letters):
            marks[i] = EMPHASIS
            changed = True
    return evolve(parsed, marks=tuple(marks)) if changed else parsed
