"""Whether a part's first row goes on with the row the page break cut at the end of the part before
(:func:`row_goes_on`), weighed from its single-row cells against the cells above them; and the cells
of the grid being built over the pages (:class:`_Rec`) that the weighing reads. :mod:`._stitch` joins
the parts by the verdict; :mod:`._evidence` reads what a cell's text says.
"""

from __future__ import annotations

import re

from attrs import define, field

from zwgk.readers.page._cells import PageCell
from zwgk.readers.page._evidence import list_closed, name_cut, names_end, next_number, own_serial
from zwgk.readers.page._text import MID_SENTENCE, SENTENCE_END, wraps

__all__ = ["row_goes_on"]


@define
class _Rec:
    """A cell of the grid being built."""

    paras: list[str]
    rowspan: int
    colspan: int
    column: int
    row: int
    page: int
    open_end: bool
    page_rows: int  # rows it spans on the page it was last extended on
    at_bottom: bool = False  # its text fills it down to its bottom on that page
    near: bool = False  # on the page's last row, its text ends near the row's lowest text (``PageCell.near``)
    spare: float = 0.0  # on the page's last row, the lines of room its text leaves in the row (``PageCell.spare``)
    bottom: bool = False  # reaches the bottom of the last part read
    word_cut: bool = False  # its last line was cut inside a word
    room: float = 0.0  # the room its last line leaves, and the font size there
    size: float = 0.0
    last_tag: int | None = None  # the structure tree's paragraph its text ends in (tagged documents)
    bold: list[str] = field(factory=list)  # its texts set bold, in order, over the pages


def _same_paragraph(above: _Rec, here: PageCell) -> bool | None:
    """Whether the text of ``here`` goes on with the paragraph the cell ``above`` ended with, as a
    tagged document's structure says (a paragraph keeps its number over the pages: the tags are
    the reader's); ``None`` where either is empty or untagged."""
    if not above.paras or not here.paras or above.last_tag is None or here.first_tag is None:
        return None
    return above.last_tag == here.first_tag


#: A 序号 cell's text: a bare number.
_BARE_NUMBER = re.compile(r"[0-9]{1,4}")
#: A cell ending near the cut had room for the first paragraph of the cell below it when its row left
#: that many lines beside its text and this many more: the space a writer puts between paragraphs
#: (a paragraph's margin: Word's 8 pt after, LibreOffice's HTML 0.1 in, half a line or so), short of a line.
FIT_SLACK = 0.9


def _had_room(here: PageCell, above: _Rec) -> bool:
    """Whether the cell ``above`` (on the page's last row) left room in its row for the first paragraph
    of ``here``: an engine moves a paragraph over the page whole only where it does not fit, so that one
    is no paragraph of it moved along (:data:`FIT_SLACK`)."""
    return here.lead_lines > 0 and here.lead_lines + FIT_SLACK <= above.spare


def row_goes_on(top: list[PageCell], bottoms: dict[tuple[int, int], _Rec], gaps: set[int],
           stretched: bool = False, task: int | None = None,
           carried: frozenset[int] = frozenset()) -> tuple[bool, bool]:
    """Whether the first data row of a part continues the last row of the part before. The task's
    cell is the one in column ``task`` (a row of headings names it), else the widest.

    The evidence is the row's single-row cells (a cell spanning several rows here or above is a merged cell,
    continued by its own rule): a cell with text here under one that ended short of its bottom above is a
    fresh row; one under a cell cut mid-line (filled to its bottom, its last line wrapped: it runs to the
    edge, or leaves less room than the first piece of the line here needs,
    :func:`~zwgk.readers.page._text.wraps`) or stopped mid-sentence (its text ends with
    :data:`MID_SENTENCE`, as no cell's text ends: the rest of the cell was moved over the page) or mid-name
    (:func:`~zwgk.readers.page._evidence.name_cut`) continues it, whatever cells that ended at their bottom
    say; one under a cell that ended a paragraph at its bottom could be either; one whose text starts with a
    number in the style of the single paragraph above (25. then 26.) is a fresh row; so is one with text
    under a merged cell (here or above) whose text ended short of its bottom: a cell of that column begins
    here, so a row does (a cut row's merged cell would go on, empty). A cell whose text above is a list of
    whole unit names, under a cell here that begins like a unit name, says nothing either way
    (:func:`~zwgk.readers.page._evidence.names_end`: the list ended on a full line, or goes on with a name
    on the next line, as unit cells list them); one repeating the whole text above it (the same deadline a
    row down) is a fresh row's, as a serial is; a list of whole names above text here opening with the 等
    that closes a list (:func:`~zwgk.readers.page._evidence.list_closed`) goes on. When the cells disagree,
    a column a fresh row would fill left empty here decides (a split row), else the task's cell.
    ``gaps`` holds the columns rows have left empty, a column where data cells have spanned several rows
    among them (a merged label goes on: a fresh row need not fill it). A row under one whose single-row
    cells are all empty continues it (the engine moved it over whole). A task's cell empty here under one
    with text continues the row, unless a cell numbers itself after the one above. When no cell was cut
    mid-line, the row continues if a cell filled above is empty here in a column no row has left empty so
    far (a serial number, a lead unit: a fresh row would fill it), or if the row holds text only in the
    task's cell and another cell filled above is empty here (the task split between two paragraphs);
    otherwise it is a fresh row. A task's cell empty above, with text here, where the cells with text above
    (not the first column's alone: a heading row) are empty here, continues the row: the task went over the
    page whole.

    A cell near the cut (``near``: it ends a few lines above the row's lowest text, as an engine
    that moves lines along to the next page leaves it) that ended short of its bottom, its row leaving
    no room beside its text for the paragraph here (:func:`_had_room`: where it did, the cell ended
    there; it still leaves the row unsure beside a cell cut mid-sentence), is weaker evidence of a
    fresh row: stopped inside a name, it goes on; its last line wrapped before the text
    here (a list of whole names over a name aside), it is taken for a cell that may have gone on (the others
    decide, and where nothing does, a fresh row is doubtful); ending a paragraph, a fresh row is
    doubtful when another cell was cut. The second value says the evidence was ambiguous (the
    cells disagreed).
    """
    pairs = [(c, bottoms.get((c.c0, c.c1 - c.c0))) for c in top]
    if not any(c.paras for c in top):
        return False, False
    widest, above = next((p for p in pairs if task is not None and p[0].c0 <= task < p[0].c1), None) \
        or max(pairs, key=lambda p: p[0].x1 - p[0].x0)
    own = [a for _, a in pairs if a is not None and a.page_rows == 1]
    if own and not any(a.paras for a in own):
        return True, False  # the row above holds no text of its own: the engine moved it over whole
    tags = {id(c): _same_paragraph(a, c) for c, a in pairs if a is not None}
    if tags.get(id(widest)):
        return True, False  # the task's paragraph goes on over the page (the tags say so)
    single = [(c, a) for c, a in pairs if a is not None and c.r1 - c.r0 == 1 and a.page_rows == 1]
    went_on = [(c, a) for c, a in single if c.paras and a.paras]
    mid = [c for c, a in went_on if a.paras[-1].endswith(MID_SENTENCE)
           or ((a.at_bottom or a.near) and (name_cut(a.paras[-1], c.paras[0])
                                            or list_closed(a.paras[-1], c.paras[0])))]
    # a cell numbering itself after the one above, or repeating its whole text (the same deadline or
    # unit a row down: the rest of a cut text is not the text again), is a fresh row's own
    serial = [c for c, a in went_on if (len(a.paras) == 1 and own_serial(a.paras[0], c.paras[0]))
              or c.paras == a.paras]
    if above is not None and above.paras and not widest.paras and not serial:
        return True, False  # the task's cell of a fresh row is never empty
    vacated = [c for c, a in single if not c.paras and a.paras]
    if above is not None and not above.paras and widest.paras and not went_on and any(c.c0 for c in vacated):
        return True, False  # the row above left its task empty (a label alone in the first column aside)
    fresh = [c for c, a in went_on if (not a.at_bottom or c in serial) and c not in mid and not tags[id(c)]]
    fresh += [c for c, a in pairs if a is not None and (c.r1 - c.r0 > 1 or a.page_rows > 1) and c.paras
              and a.paras and not a.at_bottom and not a.paras[-1].endswith(MID_SENTENCE) and not tags[id(c)]
              and id(a) not in carried]  # carried to the page's end by an empty area: it may have ended above
    near = [(c, a) for c, a in went_on if c in fresh and c not in serial and a.near and not _had_room(c, a)]
    wrapped = [(c, a) for c, a in near if wraps(a.room, a.size, c.need) and tags[id(c)] is None
               and not a.paras[-1].endswith(SENTENCE_END)]  # a sentence ended there: as likely the cell did
    fresh = [c for c in fresh if not any(c is n and names_end(a.paras[-1], c.paras[0]) for n, a in wrapped)]
    moved = [c for c, _ in wrapped if c in fresh]  # its last line wrapped near the cut: it may have gone on
    strong = [c for c in fresh if c not in moved]
    either = [c for c, a in went_on if c is not widest and c not in mid and names_end(a.paras[-1], c.paras[0])]
    cut = [c for c, a in went_on if c in mid or tags[id(c)] or (
        (a.open_end or wraps(a.room, a.size, c.need)) and a.at_bottom and tags[id(c)] is None
        and c not in fresh and c not in either)]
    if strong and not mid:  # a cell that ended short of its bottom above, or a serial of its own: a fresh row;
        # unsure where a cell may have gone on, or where the cells ending all ended near the cut as another was
        # cut, unless a 序号 counts on (a bare number is never cut)
        close = all(any(c is n for n, _ in near) for c in strong)
        # by distance alone: one that had room for the paragraph here (not moved for want of it) still
        # leaves it unsure beside a cell cut mid-sentence
        ended_near = all(any(c is n and a.near and n not in serial for n, a in went_on) for c in strong)
        stopped = [c for c, a in went_on if c in cut and not a.paras[-1].endswith(SENTENCE_END)]
        counted = any(len(a.paras) == 1 and next_number(a.paras[0], c.paras[0]) for c, a in went_on)
        left = [(c, a) for c, a in single if not c.paras and a.paras and c.c0 not in gaps]
        numbered = any(len(a.paras) == 1 and _BARE_NUMBER.fullmatch(a.paras[0].strip()) for _, a in left)
        if close and not counted and (numbered or any(c.c0 >= widest.c1 for c, _ in left)):
            # every cell ending ended near the cut (an engine moves a short paragraph over whole), while a
            # column a fresh row fills is empty here (a 序号, or one of the task's units or deadline: the
            # labels before the task a row may leave empty): the row went on; sure where a 序号 was left
            return True, not numbered
        return False, not counted and (bool(moved) or (ended_near and bool(stopped)))
    if mid and not strong:
        return True, False  # a cell stopped mid-list or mid-name goes on, whatever the others could be
    ended = [c for c, _ in went_on if c not in cut and c not in either]
    vacated_own = any(c.c0 not in gaps for c in vacated)  # a column a fresh row would fill is empty here
    if cut and ended:  # the cells disagree: a column a fresh row would fill, else the task cell, decides
        return (True, False) if vacated_own else (widest in cut, True)
    if cut:
        return True, False
    if vacated_own:
        return True, False
    if [c for c, _ in went_on] == [widest] and vacated:
        return True, False
    filled = [c for c, a in single if c.paras and not a.paras and c.c0 not in gaps]
    if filled and not any(a.paras for c, a in pairs if a is not None and a.page_rows == 1 and c is not widest):
        # the row above held its task alone (merged labels over it aside), leaving empty a column
        # no row has left empty so far (a lead unit): its other cells went over the page (an
        # engine centring them moves them whole). Sure where the page ended that row
        # (stretched); otherwise said
        return True, not stretched
    return False, bool(moved)
