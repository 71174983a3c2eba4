"""Word 97–2003 binary documents (.doc), read natively after [MS-DOC], without LibreOffice.

:func:`zwgk.load` tries this reader first for a legacy Word document and converts the file with
LibreOffice (:mod:`zwgk.readers.convert`) only when it steps aside. It reads:

- the compound file (:mod:`zwgk.readers._cfb`), the FIB (Word 97 and later: ``nFib`` ≥ 193) and the
  table stream it names (``0Table``/``1Table``);
- the text of the main document through the piece table (the ``Clx``): compressed (cp1252) and
  UTF-16 pieces, fast-saved files included;
- paragraph boundaries and properties from ``PlcBtePapx`` and its PAPX FKPs, ``sprmPHugePapx``
  properties from the ``Data`` stream;
- tables: paragraphs in a table (``sprmPFInTable``) at their depth (``sprmPItap``/``sprmPDtap``), cell
  marks, row ends (``sprmPFTtp``, ``sprmPFInnerTtp`` and ``sprmPFInnerTableCell`` for tables inside
  cells) and each row's ``sprmTDefTable``: its cell boundaries give the grid columns and spans, its
  ``TC80`` flags the vertical (``fVertMerge``/``fVertRestart``) and horizontal
  (``fFirstMerged``/``fMerged``) merges, read as the DOCX reader reads ``w:vMerge`` and ``w:hMerge``;
  rows marked ``sprmTTableHeader`` are the grid's header rows;
- fields: the code between ``\\x13`` and ``\\x14`` is left out, the result up to ``\\x15`` kept (a
  hyperlink's text); ``\\x0b`` (line break) and a page break inside a paragraph are line breaks,
  ``\\x1e`` (non-breaking hyphen) is ``-``, ``\\x1f`` (optional hyphen) and the anchors of pictures,
  drawings, notes and comments (``\\x01``–``\\x08``) hold no text and are left out;
- tables inside cells: their paragraphs are lines of the outer cell, and the document is handed
  over read the other way too (:attr:`~zwgk.table.document.Document.inner`), as the DOCX reader does.

What it does not understand for sure makes it step aside with :class:`NotUnderstood` (an
:class:`~zwgk.errors.UnsupportedFormatError` naming the file and what): Word 6/95 files, encrypted
or obfuscated ones, pieces with paragraph or table properties of their own (``Prm``), text with
tracked deletions, a table whose rows disagree with their ``sprmTDefTable`` or are edited after it,
a field that never ends, tables nested past :data:`MAX_DEPTH`, any offset or count outside its
stream. Every offset and count is checked
against the stream it points into, every loop is bounded by the bytes it walks.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from attrs import define, field

from zwgk.errors import Position, UnsupportedFormatError
from zwgk.model import Metadata
from zwgk.readers import Document, Paragraph, Source
from zwgk.readers._cfb import CompoundFile, CompoundFileError
from zwgk.readers._docfile import (
    FIRST_MERGED,
    MAX_DEPTH,
    MERGED,
    VERT_MERGE,
    VERT_RESTART,
    Stop,
    TableDef,
    WordParagraph,
    paragraphs_of,
)
from zwgk.readers._sniff import is_ole, legacy_error, ole_kind
from zwgk.readers._wordml import joined
from zwgk.table.grid import Cell, Grid, emphasised

__all__ = ["MAX_DEPTH", "NotUnderstood", "read_doc"]

_CELL, _PARA, _SECTION = "\x07", "\r", "\x0c"
_MARKS = (_PARA, _CELL, _SECTION)
_FIELD_BEGIN, _FIELD_SEP, _FIELD_END = "\x13", "\x14", "\x15"
#: Characters that stand for something else in the text of a paragraph.
_SPECIAL = str.maketrans({
    "\x0b": "\n",  # line break
    "\x0c": "\n",  # page or column break inside a paragraph
    "\x0e": "\n",  # column break
    "\x1e": "-",  # non-breaking hyphen
    "\x1f": None,  # optional hyphen: shown only where a line breaks
    "\x00": None,
    "\x01": None,  # picture anchor
    "\x02": None,  # footnote or endnote reference (auto-numbered)
    "\x03": None,  # note separators
    "\x04": None,
    "\x05": None,  # comment anchor
    "\x06": None,
    "\x08": None,  # drawn object anchor
    "\x07": None,  # a cell mark not at a paragraph's end (no text)
    "\r": "\n",
})


class NotUnderstood(UnsupportedFormatError):
    """The native reader steps aside: the document holds something it does not read for sure.

    :func:`zwgk.load` then converts the file with LibreOffice; without LibreOffice this is the error.
    """


# --- paragraphs into blocks -------------------------------------------------------------------


class _Fields:
    """The field state across paragraphs: code (left out) or result (kept) at each nesting level."""

    def __init__(self) -> None:
        self.stack: list[bool] = []  # True: in the code part
        self.in_code = 0  # how many of them are

    def visible(self, text: str) -> str:
        if not self.stack and _FIELD_BEGIN not in text and _FIELD_END not in text and _FIELD_SEP not in text:
            return text
        out: list[str] = []
        for ch in text:
            if ch == _FIELD_BEGIN:
                self.stack.append(True)
                self.in_code += 1
            elif ch == _FIELD_SEP:
                if self.stack and self.stack[-1]:
                    self.stack[-1] = False
                    self.in_code -= 1
            elif ch == _FIELD_END:
                if self.stack:
                    self.in_code -= self.stack.pop()
            elif not self.in_code:
                out.append(ch)
        return "".join(out)


@define
class _Row:
    cells: list[list[_Block]]
    header: bool
    bold: list[list[str]]  # each cell's texts set bold


@define
class _Table:
    rows: list[_Row] = field(factory=list)
    open: list[list[_Block]] = field(factory=list)  # the cells of the row being read
    current: list[_Block] = field(factory=list)  # the blocks of the cell being read
    open_bold: list[list[str]] = field(factory=list)  # the texts set bold of the cells of the row
    bold: list[str] = field(factory=list)  # those of the cell being read

    def holds_tables(self) -> bool:
        return any(isinstance(b, _Table) for r in self.rows for c in r.cells for b in c)


_Block = str | _Table


def _blocks(paragraphs: Sequence[WordParagraph]) -> tuple[list[_Block], dict[int, list[TableDef]]]:
    """The body as paragraphs and tables (tables in cells inside them); each table's row definitions
    by ``id``."""
    body: list[_Block] = []
    stack: list[_Table] = []
    defs: dict[int, list[TableDef]] = {}
    fields = _Fields()

    def close() -> None:
        t = stack.pop()
        if t.open or t.current:
            raise Stop("a table ends inside a row (cells with no row end)")
        (stack[-1].current if stack else body).append(t)

    for raw, props, bold in paragraphs:
        depth = props.depth
        while len(stack) > depth:
            close()
        while len(stack) < depth:
            stack.append(_Table())
            defs[id(stack[-1])] = []
        mark = raw[-1:] if raw[-1:] in _MARKS else ""
        text = fields.visible(raw[:len(raw) - len(mark)]).translate(_SPECIAL)
        if not stack:
            body.append(text)
            continue
        table = stack[-1]
        if props.row_end():
            if text.strip():
                raise Stop("a table's row end holds text")
            if table.current:
                raise Stop("a table row ends inside a cell")
            tdef = props.table_def
            if tdef is None:
                raise Stop("a table row has no table definition (sprmTDefTable)")
            if len(tdef.flags) != len(table.open):
                raise Stop(f"a table row has {len(table.open)} cells but its definition (sprmTDefTable) "
                            f"{len(tdef.flags)}")
            table.rows.append(_Row(table.open, props.header, table.open_bold))
            defs[id(table)].append(tdef)
            table.open, table.open_bold = [], []
            continue
        table.current.append(text)
        table.bold.extend(b.translate(_SPECIAL) for b in bold)
        if (mark == _CELL) if depth == 1 else props.inner_cell:
            table.open.append(table.current)
            table.open_bold.append(table.bold)
            table.current, table.bold = [], []
    if fields.stack:  # all the text after its start would be left out as field code
        raise Stop("a field never ends (a field start with no field end)")
    while stack:
        close()
    return body, defs


# --- blocks into grids ------------------------------------------------------------------------


def _lines(blocks: list[_Block]) -> list[str]:
    """A cell's lines: its paragraphs, and those of the tables inside it (row ends left out)."""
    out: list[str] = []
    for b in blocks:
        if isinstance(b, str):
            out.append(b)
        else:
            for row in b.rows:
                for cell in row.cells:
                    out.extend(_lines(cell))
    return out


def _line(text: str) -> str:
    """A paragraph as a line above or below a table: a line break inside it is layout."""
    return "".join(part.strip() for part in text.split("\n"))


@define
class _Rec:
    """A cell as its row is read: it grows down and right with the merges."""

    text: str
    rowspan: int
    colspan: int
    column: int
    row: int
    bold: list[str]

    def add(self, text: str, bold: list[str]) -> None:
        if text.strip():
            self.text = f"{self.text}\n{text}" if self.text else text
            self.bold += bold


def _grid(table: _Table, tdefs: list[TableDef], source: str, number: int, preamble: list[str],
          epilogue: list[str]) -> Grid:
    bounds = sorted({b for d in tdefs for b in d.bounds})
    column = {b: i for i, b in enumerate(bounds)}
    rows: list[list[_Rec]] = []
    opened: dict[int, _Rec] = {}
    header_rows = 0
    in_header = True
    for r, (row, tdef) in enumerate(zip(table.rows, tdefs, strict=True)):
        if in_header:
            if row.header:
                header_rows += 1
            else:
                in_header = False
        out: list[_Rec] = []
        now_open: dict[int, _Rec] = {}
        for i, cell in enumerate(row.cells):
            text = joined(_lines(cell))
            col = column[tdef.bounds[i]]
            span = column[tdef.bounds[i + 1]] - col
            flags = tdef.flags[i]
            if flags & MERGED and not flags & FIRST_MERGED and out and out[-1].column + out[-1].colspan == col:
                out[-1].colspan += span  # a horizontal merge: the cell to the left grows
                out[-1].add(text, row.bold[i])
                continue
            if flags & VERT_MERGE and not flags & VERT_RESTART:
                origin = opened.get(col)
                if origin is not None and origin.colspan == span:
                    origin.rowspan += 1
                    origin.add(text, row.bold[i])  # text in a continued cell: kept rather than lost
                    now_open[col] = origin
                    continue
            rec = _Rec(text, 1, span, col, r, list(row.bold[i]))
            out.append(rec)
            if flags & VERT_MERGE:
                now_open[col] = rec
        opened = now_open
        rows.append(out)
    cells = tuple(
        tuple(Cell(c.text, c.rowspan, c.colspan, c.column,
                   Position(file=source, table=number, row=c.row + 1, column=c.column + 1),
                   emphasised(c.text, c.bold) if c.bold else ()) for c in row)
        for row in rows)
    return Grid(cells, source=source, table=number, title=Metadata.title_of(preamble), preamble=tuple(preamble),
                epilogue=tuple(epilogue), header_rows=header_rows or None)


def _top_grids(body: list[_Block], defs: dict[int, list[TableDef]], source: str) -> list[Grid]:
    grids: list[Grid] = []
    lines: list[str] = []
    pending: _Table | None = None
    preamble: list[str] = []
    for b in body:
        if isinstance(b, str):
            if line := _line(b):
                lines.append(line)
            continue
        if pending is not None:
            grids.append(_grid(pending, defs[id(pending)], source, len(grids) + 1, preamble, lines))
        pending, preamble, lines = b, lines, []
    if pending is not None:
        grids.append(_grid(pending, defs[id(pending)], source, len(grids) + 1, preamble, lines))
    return grids


def _inner_grids(body: list[_Block], defs: dict[int, list[TableDef]], source: str) -> tuple[Grid, ...]:
    """The body read with every table holding tables taken as layout (as the DOCX reader's
    :func:`~zwgk.readers._wordml.inner_grids`)."""
    found: list[tuple[_Table, list[str]]] = []
    lines: list[str] = []

    def walk(blocks: list[_Block]) -> None:
        nonlocal lines
        for b in blocks:
            if isinstance(b, str):
                if line := _line(b):
                    lines.append(line)
            elif b.holds_tables():
                for row in b.rows:
                    for cell in row.cells:
                        walk(cell)
            else:
                found.append((b, lines))
                lines = []

    walk(body)
    return tuple(_grid(t, defs[id(t)], source, k, pre, lines if k == len(found) else [])
                 for k, (t, pre) in enumerate(found, start=1))


# --- the reader -------------------------------------------------------------------------------


def _parse(data: bytes, path: Path) -> tuple[list[_Block], dict[int, list[TableDef]]]:
    try:
        cfb = CompoundFile(data)
    except CompoundFileError as e:
        if ole_kind(path) != "doc":  # an encrypted .docx, a workbook, a WPS file: the usual message
            raise legacy_error(path) from None
        raise Stop(str(e)) from None
    if not cfb.has("WordDocument"):
        raise legacy_error(path)  # an encrypted .docx, a workbook, a WPS file of its own kind
    return _blocks(paragraphs_of(cfb))


#: The document :func:`read_doc` read last when asked to keep it (``keep=True``: whether zwgk reads a
#: file natively is known by reading it, :func:`zwgk.readers.convert.reads_natively`), by the file's
#: identity (path, size, modification time), for the read that follows: the file is parsed once.
_KEPT: dict[tuple[str, int, int, str], Document] = {}


def _identity(src: Source) -> tuple[str, int, int, str] | None:
    try:
        st = os.stat(src.path)
    except OSError:
        return None
    return os.fspath(src.path), st.st_size, st.st_mtime_ns, src.name


def read_doc(source: Source | str | os.PathLike[str], *, keep: bool = False) -> Document:
    """Read the tables and body paragraphs of a Word 97–2003 binary document (.doc).

    Raises :class:`NotUnderstood` (naming the file and what) for what it does not read for sure;
    :func:`zwgk.load` then converts the file with LibreOffice instead. With ``keep``, the document
    is kept for the next read of the same unchanged file, which takes it instead of parsing again.
    """
    src = Source.of(source)
    key = _identity(src)
    kept = _KEPT.pop(key, None) if key is not None and _KEPT else None
    if kept is not None and not keep:
        return kept
    document = kept if kept is not None else _read(src)
    if keep and key is not None:
        _KEPT.clear()
        _KEPT[key] = document
    return document


def _read(src: Source) -> Document:
    data = src.read_bytes()
    try:
        body, defs = _parse(data, src.path)
    except Stop as e:
        raise NotUnderstood(f"zwgk's .doc reader does not read this document: {e}", src.where) from None
    except RecursionError:
        raise NotUnderstood("zwgk's .doc reader does not read this document: tables nested too deep",
                            src.where) from None
    name = src.name
    grids = _top_grids(body, defs, name)
    paragraphs: list[Paragraph] = []
    for b in body:
        if isinstance(b, str):
            paragraphs.append((b, Position(file=name, line=len(paragraphs) + 1)))
    nested = any(isinstance(b, _Table) and b.holds_tables() for b in body)

    def inner() -> tuple[Grid, ...]:
        return _inner_grids(body, defs, name)

    inner_of: Callable[[], tuple[Grid, ...]] | tuple[Grid, ...] = inner if nested else ()
    return Document(grids, paragraphs, tables_are="Word tables", inner=inner_of)


def sniff_doc(head: bytes) -> bool:
    """An OLE compound file: a .doc, or another OLE file :func:`zwgk.load` tells apart before (a
    workbook, an encrypted .docx, a .wps), so the reader is chosen for a .doc by content and suffix."""
    return is_ole(head)
