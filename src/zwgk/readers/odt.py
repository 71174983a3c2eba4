"""OpenDocument text (.odt): every table of the document body as a :class:`~zwgk.table.grid.Grid`.

The reader parses ``content.xml`` of the package. What it understands:

- ``table:table-row`` (also inside ``table:table-header-rows``, ``table:table-rows`` and
  ``table:table-row-group``), ``table:table-cell`` with ``table:number-columns-spanned`` and
  ``table:number-rows-spanned``; ``table:covered-table-cell`` (the places a merged cell covers)
  holds no cell of the grid; ``table:number-columns-repeated`` and ``table:number-rows-repeated``;
- rows inside ``table:table-header-rows`` are the grid's ``header_rows``;
- ``text:p`` and ``text:h`` (one line each), ``text:line-break`` (a line break), ``text:tab`` (a
  tab), ``text:s`` (``text:c`` spaces), ``text:span``, links, lists and sections around text;
- tracked changes: ``text:tracked-changes`` (where OpenDocument keeps deleted text) is left out,
  and so are the ``text:change`` markers; inserted text is read, so the table reads as it would
  after accepting all changes. Notes (``text:note``) and comments (``office:annotation``) are not
  cell text;
- nested tables: read as lines of text of the outer cell; a document whose tables hold tables (a
  one-cell box around its content) is also handed over read with those taken as layout
  (``Document.inner``), the tables holding none as its tables;
- the paragraphs before a table (the title and preamble) and after the last one (the epilogue);
- the body paragraphs (``text:p``, ``text:h``, list items, in sections and text boxes too, in
  document order; tables left out), read by :mod:`zwgk.table.paragraphs` (numbered task paragraphs
  with 牵头单位：/责任单位： lines) when the document has no task table or with ``layout="list"``.
  The same walk of ``content.xml`` collects the tables and the paragraphs.

Safety is the Word reader's: the package is checked against
:class:`~zwgk.readers.package.ZipLimits` before anything is inflated, ``content.xml`` is read
through a bounded stream, the XML is parsed with entity resolution, DTD loading and network access
off, and a document whose parser saw a DTD is refused. Spans and repeats must be whole numbers up
to :data:`~zwgk.table.grid.MAX_SPAN`, a row may not reach past
:data:`~zwgk.table.grid.MAX_COLUMNS` grid columns, and a table's repeats multiplied out may not
exceed :data:`MAX_TABLE_CELLS` cells.
"""

from __future__ import annotations

import copy
import os
import zipfile
from collections.abc import Iterator
from typing import Any, NoReturn

from lxml import etree

from zwgk.errors import ParseError, Position, UnsupportedFormatError
from zwgk.readers import Document, Paragraph, Source
from zwgk.readers._sniff import is_ole, is_zip
from zwgk.readers._wordml import joined as _joined
from zwgk.readers._wordml import span_value as _span_value
from zwgk.readers.package import (
    DEFAULT_LIMITS,
    ZipLimits,
    check_no_dtd,
    open_member,
    open_package,
    read_member,
)
from zwgk.table.grid import MAX_COLUMNS, Cell, Grid, emphasised

__all__ = ["MAX_TABLE_CELLS", "ODT_MIMETYPE", "read_odt", "sniff_odt"]

ODT_MIMETYPE = "application/vnd.oasis.opendocument.text"
#: Most cells one table may expand to once ``number-rows-repeated`` and ``number-columns-repeated`` are
#: multiplied out (each count alone is capped at MAX_SPAN, but 1,000 rows × 900 columns is not a table:
#: it is 900,000 cells from a 1 KB file). A 10,000-row task table of 20 columns holds 200,000.
MAX_TABLE_CELLS = 200_000
_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_DRAW_NS = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
_SVG_NS = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
#: How far into the file the sniffer looks for the ``mimetype`` entry (ODF stores it first).
_MIMETYPE_SNIFF_BYTES = 128


def _t(name: str) -> str:
    return f"{{{_TABLE_NS}}}{name}"


def _x(name: str) -> str:
    return f"{{{_TEXT_NS}}}{name}"


_TABLE, _ROW, _CELL, _COVERED = _t("table"), _t("table-row"), _t("table-cell"), _t("covered-table-cell")
_HEADER_ROWS = _t("table-header-rows")
_ROW_CONTAINERS = frozenset({_t("table-rows"), _t("table-row-group"), _HEADER_ROWS})
_COLS_SPANNED, _ROWS_SPANNED = _t("number-columns-spanned"), _t("number-rows-spanned")
_COLS_REPEATED, _ROWS_REPEATED = _t("number-columns-repeated"), _t("number-rows-repeated")
_P, _H, _SPAN, _S, _C = _x("p"), _x("h"), _x("span"), _x("s"), _x("c")
_TAB, _LINE_BREAK = _x("tab"), _x("line-break")
_BLOCKS = frozenset({_P, _H})
# Never cell or paragraph text: deleted text of tracked changes, change markers, notes, comments,
# the alternative text of drawings, and the automatic tables of contents' hidden source.
_LEFT_OUT = frozenset({
    _x("tracked-changes"), _x("change"), _x("change-start"), _x("change-end"), _x("note"),
    f"{{{_OFFICE_NS}}}annotation", f"{{{_OFFICE_NS}}}annotation-end", f"{{{_SVG_NS}}}title",
    f"{{{_SVG_NS}}}desc", _x("sequence-decls"), _x("variable-decls"), _x("user-field-decls"),
    _t("table-columns"), _t("table-column"), _t("table-header-columns"), _t("table-column-group"),
})
_BODY, _OFFICE_TEXT = f"{{{_OFFICE_NS}}}body", f"{{{_OFFICE_NS}}}text"


class _Lines:
    """Lines of text being collected: each paragraph one line, line breaks kept."""

    __slots__ = ("cur", "lines")

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.cur: list[str] = []

    def end_line(self) -> None:
        self.lines.append("".join(self.cur))
        self.cur = []


def _inline(el: Any, out: _Lines, where: Position) -> None:
    """Add the text inside a paragraph element ``el`` (its text, children and their tails)."""
    if el.text:
        out.cur.append(el.text)
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in _LEFT_OUT:
            pass
        elif tag == _S:
            out.cur.append(" " * _count(child.get(_C), "text:c", where))
        elif tag == _TAB:
            out.cur.append("\t")
        elif tag == _LINE_BREAK:
            out.cur.append("\n")
        elif tag in _BLOCKS or tag == _TABLE:  # a text box's paragraphs, a table in a frame
            _block_lines(child, out, where)
        else:  # text:span, text:a, fields, draw:frame and draw:text-box, ...
            _inline(child, out, where)
        if child.tail:
            out.cur.append(child.tail)


def _block_lines(el: Any, out: _Lines, where: Position) -> None:
    """The lines of a block: a paragraph, a nested table (each of its paragraphs), a list, a section."""
    tag = el.tag
    if not isinstance(tag, str) or tag in _LEFT_OUT:
        return
    if tag in _BLOCKS:
        if out.cur:
            out.end_line()
        _inline(el, out, where)
        out.end_line()
        return
    for child in el:
        _block_lines(child, out, where)


def _count(value: str | None, what: str, where: Position) -> int:
    """A repeat count (``text:c``, ``number-*-repeated``) as a number from 1 to ``MAX_SPAN``."""
    return _span_value(value, what, 1, where)


def _cell_text(cell: Any, where: Position) -> str:
    out = _Lines()
    for child in cell:
        _block_lines(child, out, where)
    if out.cur:
        out.end_line()
    return _joined(out.lines) if out.lines else ""


_STYLE_NAME, _AUTOMATIC_STYLES = _x("style-name"), f"{{{_OFFICE_NS}}}automatic-styles"
_STYLE_NS = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_FO_NS = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
_STYLE, _TEXT_PROPERTIES = f"{{{_STYLE_NS}}}style", f"{{{_STYLE_NS}}}text-properties"
_STYLE_OWN_NAME, _FONT_WEIGHTS = f"{{{_STYLE_NS}}}name", (f"{{{_FO_NS}}}font-weight",
                                                           f"{{{_STYLE_NS}}}font-weight-asian")
_BOLD_WEIGHTS = frozenset({"bold", "600", "700", "800", "900"})


def _bold_styles(root: Any) -> frozenset[str]:
    """The automatic styles of ``root`` (content.xml) that set text bold (``fo:font-weight`` or its
    Asian counterpart): how a Writer document sets a span or paragraph bold."""
    styles = root.find(_AUTOMATIC_STYLES)
    if styles is None:
        return frozenset()
    return frozenset(style.get(_STYLE_OWN_NAME) for style in styles.iter(_STYLE)
                     if any(props.get(w) in _BOLD_WEIGHTS for props in style.iter(_TEXT_PROPERTIES)
                            for w in _FONT_WEIGHTS))


def _bold_texts(cell: Any, bold: frozenset[str], where: Position) -> list[str]:
    """The texts of ``cell`` set bold by a style in ``bold``, in order, line by line as
    :func:`_cell_text` reads them (:attr:`~zwgk.table.grid.Cell.emphasis`)."""
    pieces: list[str] = []
    inside: set[Any] = set()
    for node in cell.iterdescendants(_P, _H, _SPAN):
        if node.getparent() in inside:
            inside.add(node)
            continue
        if node.get(_STYLE_NAME) in bold:
            inside.add(node)
            out = _Lines()
            _inline(node, out, where)
            out.end_line()
            pieces.extend(line for part in out.lines for line in part.split("\n") if line)
    return pieces


def _rows(table: Any) -> Iterator[tuple[Any, bool]]:
    """The rows of a table in order, each with whether it is a header row."""
    for child in table:
        tag = child.tag
        if tag == _ROW:
            yield child, False
        elif tag in _ROW_CONTAINERS:
            header = tag == _HEADER_ROWS
            for row, inner_header in _rows(child):
                yield row, header or inner_header


def _grid(table: Any, source: str, number: int, preamble: list[str], bold: frozenset[str] = frozenset()) -> Grid:
    rows: list[tuple[Cell, ...]] = []
    header_rows = 0
    in_header = True
    expanded = 0  # cells so far, repeats multiplied out: each count is capped, their product must be too
    for row, header in _rows(table):
        r = len(rows)
        at = Position(file=source, table=number, row=r + 1)
        repeat = _count(row.get(_ROWS_REPEATED), "table:number-rows-repeated", at)
        cells: list[Cell] = []
        col = 0
        for cell in row:
            tag = cell.tag
            if tag not in (_CELL, _COVERED):
                continue
            here = Position(file=source, table=number, row=r + 1, column=col + 1)
            times = _count(cell.get(_COLS_REPEATED), "table:number-columns-repeated", here)
            if tag == _COVERED:
                col += times
                if col > MAX_COLUMNS:
                    _too_wide(here)
                continue
            colspan = _span_value(cell.get(_COLS_SPANNED), "table:number-columns-spanned", 1, here)
            rowspan = _span_value(cell.get(_ROWS_SPANNED), "table:number-rows-spanned", 1, here)
            text = _cell_text(cell, here)
            emphasis = emphasised(text, _bold_texts(cell, bold, here)) if bold else ()
            for _ in range(times):
                if col + colspan > MAX_COLUMNS:
                    _too_wide(Position(file=source, table=number, row=r + 1, column=col + 1))
                cells.append(Cell(text, rowspan, colspan, col,
                                  Position(file=source, table=number, row=r + 1, column=col + 1), emphasis))
                col += 1
        if repeat > 1 and not any(c.text.strip() for c in cells):
            repeat = 1  # repeated empty rows are padding, and empty rows are skipped anyway
        expanded += len(cells) * repeat
        if expanded > MAX_TABLE_CELLS:
            raise ParseError(f"the repeated rows and columns expand the table to more than {MAX_TABLE_CELLS:,} "
                             "cells (zwgk.readers.odt.MAX_TABLE_CELLS); no task table is that large", at)
        for k in range(repeat):
            if k:
                rr = len(rows)
                cells = [Cell(c.text, c.rowspan, c.colspan, c.column,
                              Position(file=source, table=number, row=rr + 1, column=c.position.column), c.emphasis)
                         for c in cells]
            rows.append(tuple(cells))
        if in_header and header:
            header_rows += repeat
        elif not header:
            in_header = False
    return Grid(tuple(rows), source=source, table=number, preamble=tuple(preamble), header_rows=header_rows or None)


def _too_wide(here: Position) -> NoReturn:
    raise ParseError(
        f"the row reaches past {MAX_COLUMNS} grid columns (zwgk.table.grid.MAX_COLUMNS): "
        "no task table is that wide; the document is damaged",
        here,
    )


def _body_paragraph(el: Any, source: str, state: dict[str, Any]) -> None:
    """Read the paragraph ``el`` once: as lines of text around the tables (``state["text"]``) and
    as the next body paragraph (``state["paragraphs"]``, numbered from 1, empty ones counted)."""
    out = _Lines()
    _block_lines(el, out, Position(file=source))
    if out.cur:
        out.end_line()
    # a line break inside a paragraph is layout (a title broken over two lines), not a new line
    lines = ("".join(part.strip() for part in line.split("\n")) for line in out.lines)
    state["text"].extend(line for line in lines if line)
    paragraphs: list[Paragraph] = state["paragraphs"]
    # as a cell's text: its lines (a text box's paragraphs, line breaks) joined by \n
    paragraphs.append((_joined(list(out.lines)) if out.lines else "",
                       Position(file=source, line=len(paragraphs) + 1)))


def _walk(el: Any, source: str, state: dict[str, Any], layout: bool = False) -> Iterator[Grid]:
    """Tables of the body in document order (also inside sections and frames); text between them,
    and the body paragraphs outside tables. With ``layout``, a table that holds tables is layout:
    its rows and cells are walked as the body is (``Document.inner``)."""
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in _LEFT_OUT:
            continue
        if tag == _TABLE and layout and next(child.iterdescendants(_TABLE), None) is not None:
            yield from _walk(child, source, state, layout)
        elif tag == _TABLE:
            state["number"] += 1
            number = state["number"]
            preamble: list[str] = state["text"]
            state["text"] = []
            if state["pending"] is not None:
                yield _with_epilogue(state["pending"], preamble)
                state["pending"] = None
            state["pending"] = _grid(child, source, number, preamble, state.get("bold", frozenset()))
        elif tag in _BLOCKS:
            frames = _table_frames(child)
            if not frames:
                _body_paragraph(child, source, state)
                continue
            # a paragraph anchoring frames (text boxes) that hold tables: the paragraph's own text,
            # then each frame's paragraphs and tables, as a reader of the page meets them
            _body_paragraph(_without(child, frames), source, state)
            for frame in frames:
                yield from _walk(frame, source, state, layout)
        else:  # text:section, text:list, text:list-item, draw:frame, ... (a layout table's rows and cells)
            yield from _walk(child, source, state, layout)


_FRAME = f"{{{_DRAW_NS}}}frame"


def _table_frames(paragraph: Any) -> list[Any]:
    """The outermost frames inside ``paragraph`` that hold a table (not those inside another frame)."""
    if next(paragraph.iter(_TABLE), None) is None:
        return []
    frames: list[Any] = []
    for frame in paragraph.iter(_FRAME):
        if next(frame.iter(_TABLE), None) is None:
            continue
        if not any(frame in f.iterdescendants(_FRAME) for f in frames):
            frames.append(frame)
    return frames


def _without(paragraph: Any, frames: list[Any]) -> Any:
    """A copy of ``paragraph`` without ``frames`` (the text after each frame kept)."""
    twin = copy.deepcopy(paragraph)
    doomed = [dup for orig, dup in zip(paragraph.iter(), twin.iter(), strict=True) if orig in frames]
    for dup in doomed:
        _drop(dup)
    return twin


def _drop(el: Any) -> None:
    parent = el.getparent()
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _with_epilogue(grid: Grid, lines: list[str]) -> Grid:
    return Grid(grid.rows, grid.source, grid.table, grid.title, grid.preamble, tuple(lines), grid.header_rows)


def _mimetype(zf: zipfile.ZipFile, where: Position, limits: ZipLimits) -> str | None:
    if "mimetype" not in zf.namelist():
        return None
    return read_member(zf, "mimetype", where, limits)[:200].decode("ascii", "replace").strip()


def read_odt(source: Source | str | os.PathLike[str], *, limits: ZipLimits | None = None) -> Document:
    """Read the tables of an .odt file, in document order (tables inside cells are cell text, not
    counted), and its body paragraphs.

    :param limits: package limits (default :data:`~zwgk.readers.package.DEFAULT_LIMITS`).
    """
    src = Source.of(source)
    p, where, head, source_name = src.path, src.where, src.head, src.name
    if is_ole(head):
        raise UnsupportedFormatError(
            "this is an OLE compound file (a legacy Office document or a password-protected one), not an .odt",
            where,
        )
    if not is_zip(head):
        raise ParseError("not an .odt file (an OpenDocument file is a zip package starting with PK)", where)
    lim = limits if limits is not None else DEFAULT_LIMITS
    with open_package(p, lim) as zf:
        kind = _mimetype(zf, where, lim)
        if kind is not None and kind.startswith("application/vnd.oasis.opendocument.") and \
                not kind.startswith(ODT_MIMETYPE):
            raise UnsupportedFormatError(
                f"this OpenDocument file is {kind}, not a text document (.odt); zwgk reads tables of "
                "text documents", where)
        if "content.xml" not in zf.namelist():
            raise ParseError("this zip file is not an OpenDocument text (it has no content.xml)", where)
        stream = open_member(zf, "content.xml", where, lim)
        try:
            parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                                     remove_comments=True, remove_pis=True, huge_tree=True)
            try:
                source_stream: Any = stream  # a bounded file-like object: read() is all lxml needs
                root = etree.parse(source_stream, parser).getroot()
            except etree.XMLSyntaxError as e:
                raise ParseError(f"the document XML is damaged: {e.msg}",
                                 Position(file=source_name, line=e.lineno)) from None
            except (zipfile.BadZipFile, EOFError, OSError) as e:
                raise ParseError(
                    f"the .odt is damaged or truncated ({e}); open it in LibreOffice and save it again", where
                ) from None
        finally:
            stream.close()
    check_no_dtd(root, where)
    body = root.find(_BODY)
    text = body.find(_OFFICE_TEXT) if body is not None else None
    if text is None:
        raise ParseError("this OpenDocument file has no text body (office:body/office:text)", where)
    state: dict[str, Any] = {"number": 0, "text": [], "pending": None, "paragraphs": [], "bold": _bold_styles(root)}
    grids = list(_walk(text, source_name, state))
    if state["pending"] is not None:
        grids.append(_with_epilogue(state["pending"], state["text"]))
    paragraphs: list[Paragraph] = state["paragraphs"]

    def inner() -> tuple[Grid, ...]:
        again: dict[str, Any] = {"number": 0, "text": [], "pending": None, "paragraphs": []}
        try:
            found = list(_walk(text, source_name, again, layout=True))
        except RecursionError:  # tables nested hundreds deep: the tables as handed over stand
            return ()
        if again["pending"] is not None:
            found.append(_with_epilogue(again["pending"], again["text"]))
        return tuple(found)

    nested = any(next(t.iterancestors(_TABLE), None) is not None for t in text.iter(_TABLE))  # a table in a table
    return Document(grids, paragraphs, table_count=state["number"], tables_are="tables of the text",
                    inner=inner if nested else ())


def sniff_odt(head: bytes) -> bool:
    """A zip package whose first entry is ``mimetype`` naming an OpenDocument text."""
    return is_zip(head) and ODT_MIMETYPE.encode() in head[:_MIMETYPE_SNIFF_BYTES]
