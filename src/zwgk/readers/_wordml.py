"""WordprocessingML tables, one row at a time: cells, spans, merges and text out of ``w:tr`` elements.

:mod:`zwgk.readers.docx` streams the document and hands each table row here; :class:`TableRows`
turns the rows of one table into a :class:`~zwgk.table.grid.Grid`. What a row's cells hold is
described in the docx reader's docstring.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from zwgk.errors import ParseError, Position
from zwgk.model import Metadata
from zwgk.table.grid import MAX_COLUMNS, MAX_SPAN, Cell, Grid, emphasised

__all__ = ["BODY", "TBL", "TR", "TableRows", "W", "body_paragraphs", "free_before", "inner_grids", "is_top",
           "paragraph_lines", "preceding"]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

def w(name: str) -> str:
    return f"{{{W}}}{name}"


BODY, TBL, TR, _TC, _P, _T = w("body"), w("tbl"), w("tr"), w("tc"), w("p"), w("t")
_BR, _CR, _TAB, _DEL, _MOVE_FROM = w("br"), w("cr"), w("tab"), w("del"), w("moveFrom")
_TRPR, _GRID_SPAN, _VMERGE, _HMERGE = w("trPr"), w("gridSpan"), w("vMerge"), w("hMerge")
_GRID_BEFORE, _TBL_HEADER, _VAL = w("gridBefore"), w("tblHeader"), w("val")
_BOLD, _RPR, _R = w("b"), w("rPr"), w("r")
_SDT, _SDT_CONTENT, _CUSTOM_XML, _SMART_TAG = w("sdt"), w("sdtContent"), w("customXml"), w("smartTag")
# A shape's text box is written twice: in mc:Choice (DrawingML) and mc:Fallback (VML); read it once.
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_TEXT_TAGS = (_P, _T, _BR, _CR, _TAB, _DEL, _MOVE_FROM, _FALLBACK)
_TABS = w("tabs")
_ROW_TAGS = (_TC, _GRID_SPAN, _VMERGE, _HMERGE, _BOLD, *_TEXT_TAGS)
_WRAPPERS = frozenset({_SDT, _SDT_CONTENT, _CUSTOM_XML, _SMART_TAG, w("ins")})
_OFF = frozenset({"0", "false", "off"})


def block_text(el: Any) -> str:
    """The text of a paragraph (or any block outside a table), read as :func:`row_cells` reads a cell."""
    return row_cells(el)[0][0]


def first_child(el: Any, tag: str) -> Any:
    """The first child of ``el`` with ``tag`` (properties come first: usually the first child)."""
    for child in el:
        if child.tag == tag:
            return child
        if child.tag == _TC:
            return None
    return None


def is_top(tr: Any) -> bool:
    """True when the row belongs to a table in the body, not a table nested in a cell."""
    p = tr.getparent()
    while p is not None:
        tag = p.tag
        if tag == _TC:
            return False
        if tag == BODY:
            return True
        p = p.getparent()
    return True


def span_value(value: str | None, what: str, least: int, where: Position) -> int:
    """``w:gridSpan``/``w:gridBefore`` as a number from ``least`` to ``MAX_SPAN``, else a ParseError."""
    if value is None:
        return least
    try:
        n = int(value)
    except ValueError:
        n = None
    if n is None or n < 0 or n > MAX_SPAN:
        raise ParseError(
            f"{what} {value[:20]!r} is not a whole number from {least} to {MAX_SPAN} "
            "(zwgk.table.grid.MAX_SPAN): the document is damaged",
            where,
        )
    return max(n, least)


def joined(lines: list[str]) -> str:
    if len(lines) == 1:
        return lines[0]
    while lines and not lines[-1].strip():
        lines.pop()
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    return "\n".join(lines[start:])


RowCell = tuple[str, str | None, str | None, bool, list[str]]


def row_cells(tr: Any) -> list[RowCell]:
    """``(text, gridSpan as written, vMerge, hMerge continues, bold texts)`` of each cell of a row,
    in one walk.

    Paragraphs, ``w:br`` and ``w:cr`` give line breaks, ``w:tab`` a tab (not the tab stops of
    ``w:tabs``); text inside ``w:del``, ``w:moveFrom`` and ``mc:Fallback`` is left out. Cells of a
    table nested in a cell only add lines to that cell's text. The bold texts are those of runs
    set bold (``w:b``), in order. Given an element that is not a row (a paragraph), the whole of its
    text comes back as one cell.
    """
    out: list[RowCell] = []
    bold_run: Any = None
    bold: list[str] = []
    tc: Any = None
    span: str | None = None
    merge: str | None = None
    hcont = False
    lines: list[str] = []
    cur: list[str] = []
    started = False
    skip: set[Any] | None = None
    for node in tr.iter(_ROW_TAGS):
        tag = node.tag
        if skip is not None and node in skip:
            continue
        if tag == _T:
            t = node.text
            if t:
                cur.append(t)
                if bold_run is not None and node.getparent() is bold_run:
                    bold.append(t)
        elif tag == _P:
            if started:
                lines.append("".join(cur))
                cur = []
            started = True
        elif tag == _TC:
            parent = node.getparent()
            while parent is not None and parent.tag in _WRAPPERS:
                parent = parent.getparent()
            if parent is tr:  # a cell of this row (not of a nested table)
                if tc is not None:
                    lines.append("".join(cur))
                    out.append((joined(lines), span, merge, hcont, bold))
                tc, span, merge, hcont, lines, cur, started, bold = node, None, None, False, [], [], False, []
        elif tag in (_GRID_SPAN, _VMERGE, _HMERGE):
            if node.getparent().getparent() is tc:
                if tag == _GRID_SPAN:
                    span = node.get(_VAL)
                elif tag == _VMERGE:
                    merge = node.get(_VAL) or "continue"
                else:  # legacy horizontal merge (files converted from .doc)
                    hcont = (node.get(_VAL) or "continue") != "restart"
        elif tag == _BOLD:
            props = node.getparent()
            if node.get(_VAL) not in _OFF and props.tag == _RPR and props.getparent().tag == _R:
                bold_run = props.getparent()  # its text is bold (the run's own property, not a style's)
        elif tag in (_BR, _CR):
            if tag == _CR or node.get(w("type")) in (None, "textWrapping", "page"):
                cur.append("\n")
        elif tag == _TAB:
            if node.getparent().tag != _TABS:
                cur.append("\t")
        else:  # w:del, w:moveFrom, mc:Fallback: leave their text out
            if skip is None:
                skip = set()
            skip.update(node.iter(_TEXT_TAGS))
    if tc is not None or tr.tag != TR:
        lines.append("".join(cur))
        out.append((joined(lines), span, merge, hcont, bold))
    return out


class TableRows:
    """Rows of one table as they are read; vertical merges counted on the open cell."""

    __slots__ = ("deleted", "element", "header_rows", "in_header", "open", "preamble", "rows", "where")

    def __init__(self, element: Any, preamble: list[str], where: Position) -> None:
        self.element = element
        self.where = where
        self.preamble = preamble
        self.rows: list[list[list[Any]]] = []  # each cell: [text, rowspan, colspan, column, row, bold texts]
        self.open: dict[int, list[Any]] = {}
        self.header_rows = 0
        self.in_header = True
        self.deleted = 0

    def add_row(self, tr: Any) -> None:
        col = 0
        header = False
        r = len(self.rows)
        trpr = first_child(tr, _TRPR)
        if trpr is not None:
            for prop in trpr:
                tag = prop.tag
                if tag == _GRID_BEFORE:
                    col = span_value(prop.get(_VAL), "w:gridBefore", 0, at(self.where, r))
                elif tag == _TBL_HEADER:
                    header = prop.get(_VAL) not in _OFF
                elif tag == _DEL:
                    self.deleted += 1
                    return  # a row deleted with tracked changes
        if self.in_header:
            if header:
                self.header_rows += 1
            else:
                self.in_header = False
        row: list[list[Any]] = []
        now_open: dict[int, list[Any]] = {}
        for text, written, merge, hcont, bold in row_cells(tr):
            span = 1 if written is None else span_value(written, "w:gridSpan", 1, at(self.where, r, col))
            if col + span > MAX_COLUMNS:
                raise ParseError(
                    f"the row reaches past {MAX_COLUMNS} grid columns (zwgk.table.grid.MAX_COLUMNS): "
                    "no task table is that wide; the document is damaged",
                    at(self.where, r, col),
                )
            if hcont and row and row[-1][3] + row[-1][2] == col:
                left = row[-1]  # a legacy horizontal merge: the cell to the left grows
                left[2] += span
                if text.strip():
                    left[0] = f"{left[0]}\n{text}" if left[0] else text
                    left[5] += bold
                col += span
                continue
            if merge is not None and merge != "restart":
                origin = self.open.get(col)
                if origin is not None and origin[2] == span:
                    origin[1] += 1
                    if text.strip():  # text in a continued cell: keep it rather than lose it
                        origin[0] = f"{origin[0]}\n{text}" if origin[0] else text
                        origin[5] += bold
                    now_open[col] = origin
                    col += span
                    continue
            rec = [text, 1, span, col, r, bold]
            row.append(rec)
            if merge == "restart":
                now_open[col] = rec
            col += span
        self.open = now_open
        self.rows.append(row)

    def grid(self, source: str, number: int, epilogue: list[str]) -> Grid:
        rows = tuple(
            tuple(
                Cell(text, rowspan, colspan, column,
                     Position(file=source, table=number, row=r + 1, column=column + 1), emphasised(text, bold))
                for text, rowspan, colspan, column, r, bold in row
            )
            for row in self.rows
        )
        return Grid(rows, source=source, table=number, title=Metadata.title_of(self.preamble),
                    preamble=tuple(self.preamble), epilogue=tuple(epilogue),
                    header_rows=self.header_rows or None)


def at(where: Position, r: int, col: int | None = None) -> Position:
    """The position of row ``r`` (0-based) and grid column ``col`` (0-based) of the table ``where``."""
    return Position(file=where.file, table=where.table, row=r + 1, column=None if col is None else col + 1)


def paragraph_lines(elements: list[Any]) -> list[str]:
    out: list[str] = []
    for el in elements:
        if el.tag == TBL:
            continue
        # a line break inside a paragraph is layout (a title broken over two lines), not a new line
        line = "".join(part.strip() for part in block_text(el).split("\n"))
        if line:
            out.append(line)
    return out


def _blocks(body: Any, layout: bool = False) -> Iterator[Any]:
    """The body's paragraphs in document order, those inside content controls and custom XML at
    body level in their place; with ``layout``, also its tables holding no table, the rows and
    cells of the tables holding tables walked as the body is."""
    stack = [iter(body)]
    while stack:
        el = next(stack[-1], None)
        if el is None:
            stack.pop()
            continue
        tag = el.tag
        if tag == _P or (layout and tag == TBL and next(el.iterdescendants(TBL), None) is None):
            yield el
        elif tag in _WRAPPERS or (layout and tag in (TBL, TR, _TC)):
            stack.append(iter(el))


def body_paragraphs(body: Any, source: str | None) -> list[tuple[str, Position]]:
    """The paragraphs of the body outside tables, each with its number (``line``, from 1; empty
    paragraphs counted) and its text (a line break inside a paragraph kept as ``\\n``). Paragraphs
    inside content controls and custom XML at body level are read in their place."""
    out: list[tuple[str, Position]] = []
    for el in _blocks(body):
        out.append((block_text(el), Position(file=source, line=len(out) + 1)))
    return out


def inner_grids(body: Any, source: str) -> tuple[Grid, ...]:
    """The body read with every table that holds tables taken as layout (a one-cell box around the
    content, a layout grid): the tables holding none, in document order and numbered so, each with
    the paragraphs above it (the layout tables' among them) as its preamble, the last with those
    after it as its epilogue (:attr:`zwgk.table.document.Document.inner`)."""
    tables: list[TableRows] = []
    lines: list[str] = []
    for el in _blocks(body, layout=True):
        if el.tag == _P:
            lines.extend(paragraph_lines([el]))
            continue
        rows = TableRows(el, lines, Position(file=source, table=len(tables) + 1))
        for tr in el.iter(TR):
            rows.add_row(tr)
        tables.append(rows)
        lines = []
    return tuple(t.grid(source, k, lines if k == len(tables) else []) for k, t in enumerate(tables, start=1))


def preceding(el: Any) -> list[Any]:
    """Siblings before ``el`` back to the previous table, in document order."""
    out: list[Any] = []
    for sib in el.itersiblings(preceding=True):
        if sib.tag == TBL:
            break
        out.append(sib)
    out.reverse()
    return out


def free_before(el: Any) -> None:
    """Drop the siblings before ``el`` (already read) so the tree does not grow."""
    parent = el.getparent()
    if parent is None:
        return
    while el.getprevious() is not None:
        del parent[0]
