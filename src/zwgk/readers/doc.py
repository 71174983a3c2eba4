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
or obfuscated ones, text with tracked deletions, a table whose rows disagree with their
``sprmTDefTable``, any offset or count outside its stream. Every offset and count is checked
against the stream it points into, every loop is bounded by the bytes it walks.
"""

from __future__ import annotations

import bisect
import os
import struct
from collections.abc import Callable, Iterator, Sequence
from itertools import pairwise
from pathlib import Path

from attrs import define, field

from zwgk.errors import Position, UnsupportedFormatError
from zwgk.hookspecs import hookimpl
from zwgk.model import Metadata
from zwgk.readers import Document, Paragraph, Reader, Source
from zwgk.readers._cfb import CompoundFile, CompoundFileError
from zwgk.readers._sniff import legacy_error
from zwgk.readers._wordml import joined
from zwgk.table.grid import MAX_COLUMNS, Cell, Grid

__all__ = ["MAX_DEPTH", "NotUnderstood", "read_doc"]

#: The deepest table inside a table this reader follows (Word itself stops at 63).
MAX_DEPTH = 64
#: The first nFib of Word 97: earlier files (Word 6/95) are another format.
_WORD97 = 193
_WIDENT = 0xA5EC
_F_COMPLEX, _F_ENCRYPTED, _F_WHICH_TABLE, _F_OBFUSCATED = 0x0004, 0x0100, 0x0200, 0x8000
_FKP = 512
# fibRgFcLcb97 indices
_FC_PLCF_BTE_PAPX, _FC_PLCF_BTE_CHPX, _FC_CLX = 13, 12, 33
_CCP_TEXT = 3  # in fibRgLw97

# sprms
_P_IN_TABLE, _P_TTP, _P_ITAP, _P_DTAP = 0x2416, 0x2417, 0x6649, 0x664A
_P_INNER_CELL, _P_INNER_TTP, _P_HUGE = 0x244B, 0x244C, 0x6646
_T_DEF_TABLE, _T_HEADER, _P_CHG_TABS = 0xD608, 0x3404, 0xC615
_C_RMARK_DEL = 0x0800
# TC80 flags
_FIRST_MERGED, _MERGED, _VERT_MERGE, _VERT_RESTART = 0x0001, 0x0002, 0x0020, 0x0040
_TC80 = 20

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


class _Stop(Exception):
    """Raised inside the reader with what was not understood; becomes a :class:`NotUnderstood`."""


def _u16(data: bytes, at: int) -> int:
    if at < 0 or at + 2 > len(data):
        raise _Stop("a structure reaches past the end of its stream")
    return int.from_bytes(data[at:at + 2], "little")


def _u32(data: bytes, at: int) -> int:
    if at < 0 or at + 4 > len(data):
        raise _Stop("a structure reaches past the end of its stream")
    return int.from_bytes(data[at:at + 4], "little")


def _i32(data: bytes, at: int) -> int:
    v = _u32(data, at)
    return v - (1 << 32) if v & 0x80000000 else v


def _slice(data: bytes, at: int, size: int, what: str) -> bytes:
    if at < 0 or size < 0 or at + size > len(data):
        raise _Stop(f"{what} lies outside its stream (bytes {at:,} to {at + size:,} of {len(data):,})")
    return data[at:at + size]


# --- properties -------------------------------------------------------------------------------


def _operand_size(sprm: int, data: bytes, at: int) -> int:
    """The size of the operand of ``sprm`` starting at ``at`` in ``data``."""
    spra = sprm >> 13
    if spra in (0, 1):
        return 1
    if spra in (2, 4, 5):
        return 2
    if spra == 3:
        return 4
    if spra == 7:
        return 3
    if sprm in (_T_DEF_TABLE, 0xD606):  # sprmTDefTable(10): a 2-byte count, one more than what follows
        return 1 + _u16(data, at)
    if at >= len(data):
        raise _Stop("a property list ends inside a property")
    cb = data[at]
    if sprm == _P_CHG_TABS and cb == 255:  # PChgTabsDelClose then PChgTabsAdd
        deleted = _slice(data, at + 1, 1, "a tab list")[0]
        add_at = at + 2 + 4 * deleted
        added = _slice(data, add_at, 1, "a tab list")[0]
        return 1 + (1 + 4 * deleted) + (1 + 3 * added)
    return 1 + cb


def _sprms(grpprl: bytes) -> Iterator[tuple[int, bytes]]:
    """The ``(sprm, operand)`` pairs of a property list."""
    at = 0
    while at + 2 <= len(grpprl):
        sprm = _u16(grpprl, at)
        size = _operand_size(sprm, grpprl, at + 2)
        if at + 2 + size > len(grpprl):
            raise _Stop(f"property 0x{sprm:04X} reaches past the end of its list")
        yield sprm, grpprl[at + 2:at + 2 + size]
        at += 2 + size


@define
class _TableDef:
    """A row's ``sprmTDefTable``: its cells' boundaries (twips) and TC80 flags."""

    bounds: tuple[int, ...]
    flags: tuple[int, ...]


def _table_def(operand: bytes) -> _TableDef:
    body = operand[2:]
    if not body:
        raise _Stop("a row's table definition (sprmTDefTable) is empty")
    count = body[0]
    if count == 0 or count > MAX_COLUMNS:
        raise _Stop(f"a row's table definition (sprmTDefTable) has {count} cells")
    raw = _slice(body, 1, 2 * (count + 1), "a row's cell boundaries (sprmTDefTable)")
    bounds = struct.unpack(f"<{count + 1}h", raw)
    tcs = body[1 + 2 * (count + 1):]
    flags = tuple(_u16(tcs, i * _TC80) if (i + 1) * _TC80 <= len(tcs) else 0 for i in range(count))
    if any(b <= a for a, b in pairwise(bounds)):
        raise _Stop("a row's cell boundaries (sprmTDefTable) do not increase")
    return _TableDef(bounds, flags)


@define
class _Props:
    """What a paragraph's properties say of its place in a table."""

    in_table: bool = False
    ttp: bool = False
    itap: int | None = None
    inner_cell: bool = False
    inner_ttp: bool = False
    header: bool = False
    table_def: _TableDef | None = None

    @property
    def depth(self) -> int:
        if not self.in_table:
            return 0
        return 1 if self.itap is None else self.itap

    def row_end(self) -> bool:
        return self.ttp if self.depth <= 1 else self.inner_ttp


_NO_PROPS = _Props()


def _paragraph_props(grpprl: bytes, data_stream: bytes | None, huge: bool = True) -> _Props:
    props = _Props()
    for sprm, op in _sprms(grpprl):
        if sprm == _P_IN_TABLE:
            props.in_table = op[0] != 0
        elif sprm == _P_TTP:
            props.ttp = op[0] != 0
        elif sprm == _P_ITAP:
            props.itap = _i32(op, 0)
        elif sprm == _P_DTAP:
            props.itap = (props.itap if props.itap is not None else 1 if props.in_table else 0) + _i32(op, 0)
        elif sprm == _P_INNER_CELL:
            props.inner_cell = op[0] != 0
        elif sprm == _P_INNER_TTP:
            props.inner_ttp = op[0] != 0
        elif sprm == _T_HEADER:
            props.header = op[0] != 0
        elif sprm == _T_DEF_TABLE:
            props.table_def = _table_def(op)
        elif sprm == _P_HUGE:
            if not huge or data_stream is None:
                raise _Stop("paragraph properties held in the Data stream (sprmPHugePapx) cannot be found")
            at = _u32(op, 0)
            size = _u16(data_stream, at)
            more = _paragraph_props(_slice(data_stream, at + 2, size, "sprmPHugePapx properties"), None, False)
            props = _merge(props, more)
    if props.itap is not None and not 0 <= props.itap <= MAX_DEPTH:
        raise _Stop(f"a paragraph lies at table depth {props.itap} (this reader follows {MAX_DEPTH})")
    return props


def _merge(a: _Props, b: _Props) -> _Props:
    return _Props(a.in_table or b.in_table, a.ttp or b.ttp, b.itap if b.itap is not None else a.itap,
                  a.inner_cell or b.inner_cell, a.inner_ttp or b.inner_ttp, a.header or b.header,
                  b.table_def or a.table_def)


# --- the file's structure ---------------------------------------------------------------------


@define
class _Piece:
    cp: int  # first character
    count: int  # characters
    fc: int  # byte offset of the first in the WordDocument stream
    width: int  # bytes per character: 1 (compressed cp1252) or 2 (UTF-16)


@define
class _Fib:
    flags: int
    ccp_text: int
    fc_lcb: list[tuple[int, int]]


def _fib(word: bytes) -> _Fib:
    if _u16(word, 0) != _WIDENT:
        raise _Stop("the WordDocument stream does not start with a Word file header (FIB)")
    nfib = _u16(word, 2)
    flags = _u16(word, 0x0A)
    if nfib < _WORD97:
        raise _Stop(f"this is a Word 6/95 document (nFib {nfib}), an older format than Word 97")
    if flags & _F_ENCRYPTED:
        raise _Stop("the document is encrypted" if not flags & _F_OBFUSCATED else "the document is obfuscated")
    at = 32
    csw = _u16(word, at)
    at += 2 + 2 * csw
    cslw = _u16(word, at)
    lw = at + 2
    if cslw <= _CCP_TEXT:
        raise _Stop("the file header (FIB) is too short")
    ccp_text = _i32(word, lw + 4 * _CCP_TEXT)
    at = lw + 4 * cslw
    count = _u16(word, at)
    if count <= _FC_CLX:
        raise _Stop("the file header (FIB) is too short")
    raw = _slice(word, at + 2, 8 * count, "the file header (FIB)")
    pairs = list(struct.iter_unpack("<II", raw))
    if ccp_text < 0:
        raise _Stop("the file header (FIB) gives a negative text length")
    return _Fib(flags, ccp_text, pairs)


def _pieces(table: bytes, fib: _Fib, word_size: int) -> list[_Piece]:
    fc, lcb = fib.fc_lcb[_FC_CLX]
    clx = _slice(table, fc, lcb, "the piece table (Clx)")
    at = 0
    while at < len(clx) and clx[at] == 1:  # Prc: property lists the pieces may name
        at += 3 + _u16(clx, at + 1)
    if at >= len(clx) or clx[at] != 2:
        raise _Stop("the piece table (Clx) is damaged")
    size = _u32(clx, at + 1)
    plc = _slice(clx, at + 5, size, "the piece table (PlcPcd)")
    n = (len(plc) - 4) // 12
    if n < 1 or 4 + 12 * n != len(plc):
        raise _Stop("the piece table (PlcPcd) has a size no piece count gives")
    cps = struct.unpack_from(f"<{n + 1}I", plc, 0)
    out: list[_Piece] = []
    for i in range(n):
        if cps[i + 1] < cps[i]:
            raise _Stop("the piece table's character positions go backwards")
        raw_fc = _u32(plc, 4 * (n + 1) + 8 * i + 2)
        prm = _u16(plc, 4 * (n + 1) + 8 * i + 6)
        if prm & 1 or prm >> 1 & 0x7F:
            # the piece carries properties of its own (Prm): they may place text in or out of a table
            raise _Stop("a piece of text carries properties of its own (Prm), which this reader does not apply")
        compressed = bool(raw_fc & 0x40000000)
        start = (raw_fc & 0x3FFFFFFF) // 2 if compressed else raw_fc & 0x3FFFFFFF
        width = 1 if compressed else 2
        count = cps[i + 1] - cps[i]
        if start + count * width > word_size:
            raise _Stop("a piece of text lies outside the WordDocument stream")
        out.append(_Piece(cps[i], count, start, width))
    return out


@define
class _Run:
    """A paragraph's stretch of the WordDocument stream (bytes) as an FKP gives it."""

    start: int
    end: int
    props: _Props


def _bte_pages(table: bytes, fc: int, lcb: int, word_size: int, what: str) -> list[int]:
    plc = _slice(table, fc, lcb, what)
    n = (len(plc) - 4) // 8
    if n < 0 or (lcb and 4 + 8 * n != len(plc)):
        raise _Stop(f"{what} has a size no entry count gives")
    pages = [v & 0x3FFFFF for v in struct.unpack_from(f"<{n}I", plc, 4 * (n + 1))] if n else []
    for pn in pages:
        if (pn + 1) * _FKP > word_size:
            raise _Stop(f"{what} names a page outside the WordDocument stream")
    return pages


def _runs(word: bytes, table: bytes, data_stream: bytes | None, fib: _Fib) -> list[_Run]:
    fc, lcb = fib.fc_lcb[_FC_PLCF_BTE_PAPX]
    runs: list[_Run] = []
    cache: dict[bytes, _Props] = {}
    for pn in _bte_pages(table, fc, lcb, len(word), "the paragraph property index (PlcBtePapx)"):
        page = word[pn * _FKP:(pn + 1) * _FKP]
        crun = page[_FKP - 1]
        if crun == 0 or 4 * (crun + 1) + 13 * crun > _FKP - 1:
            raise _Stop("a paragraph property page (FKP) has an impossible run count")
        fcs = struct.unpack_from(f"<{crun + 1}I", page, 0)
        for i in range(crun):
            if fcs[i + 1] <= fcs[i]:
                raise _Stop("a paragraph property page (FKP) has runs going backwards")
            offset = 2 * page[4 * (crun + 1) + 13 * i]
            props = _NO_PROPS
            if offset:
                if offset >= _FKP - 1:
                    raise _Stop("a paragraph property page (FKP) points past its end")
                cb = page[offset]
                if cb:
                    start, size = offset + 1, 2 * cb - 1
                else:
                    start, size = offset + 2, 2 * _slice(page, offset + 1, 1, "a PAPX")[0]
                body = _slice(page, start, size, "a paragraph's properties (PAPX)")
                grpprl = body[2:]
                props = cache.get(grpprl) or cache.setdefault(grpprl, _paragraph_props(grpprl, data_stream))
            runs.append(_Run(fcs[i], fcs[i + 1], props))
    runs.sort(key=lambda r: r.start)
    for a, b in pairwise(runs):
        if b.start < a.end:
            raise _Stop("paragraph property runs overlap")
    return runs


def _check_deletions(word: bytes, table: bytes, fib: _Fib) -> None:
    """Step aside for text marked deleted with tracked changes (which Word does not show)."""
    fc, lcb = fib.fc_lcb[_FC_PLCF_BTE_CHPX]
    for pn in _bte_pages(table, fc, lcb, len(word), "the character property index (PlcBteChpx)"):
        page = word[pn * _FKP:(pn + 1) * _FKP]
        crun = page[_FKP - 1]
        if 4 * (crun + 1) + crun > _FKP - 1:
            raise _Stop("a character property page (FKP) has an impossible run count")
        for i in range(crun):
            offset = 2 * page[4 * (crun + 1) + i]
            if not offset:
                continue
            size = _slice(page, offset, 1, "a CHPX")[0]
            grpprl = _slice(page, offset + 1, size, "a run's character properties (CHPX)")
            for sprm, op in _sprms(grpprl):
                if sprm == _C_RMARK_DEL and op[0] not in (0, 0x80):
                    raise _Stop("the document holds tracked deletions (text Word does not show)")


def _decode(raw: bytes, width: int) -> str:
    if width == 2:
        return raw.decode("utf-16-le", "surrogatepass")
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined stand for themselves
        return "".join(bytes([b]).decode("cp1252", "ignore") or chr(b) for b in raw)


def _paragraphs(word: bytes, fib: _Fib, pieces: list[_Piece], runs: list[_Run]) -> list[tuple[str, _Props]]:
    """The main document's paragraphs, each its text (mark included) and properties."""
    out: list[tuple[str, _Props]] = []
    ends = [r.end for r in runs]
    parts: list[str] = []
    for piece in pieces:
        count = min(piece.count, fib.ccp_text - piece.cp)
        if count <= 0:
            continue
        i = 0
        while i < count:
            fc = piece.fc + i * piece.width
            k = bisect.bisect_right(ends, fc)
            if k >= len(runs) or runs[k].start > fc:
                raise _Stop(f"character {piece.cp + i:,} of the text has no paragraph properties")
            run = runs[k]
            stop = min(count, i + -(-(run.end - fc) // piece.width))
            parts.append(_decode(word[fc:piece.fc + stop * piece.width], piece.width))
            if piece.fc + stop * piece.width >= run.end:
                out.append((_text("".join(parts)), run.props))
                parts = []
            i = stop
    if parts:
        out.append((_text("".join(parts)), _NO_PROPS))
    return out


def _text(s: str) -> str:
    """UTF-16 pairs split between pieces joined; an unpaired half becomes U+FFFD."""
    return s.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


# --- paragraphs into blocks -------------------------------------------------------------------


class _Fields:
    """The field state across paragraphs: code (left out) or result (kept) at each nesting level."""

    def __init__(self) -> None:
        self.stack: list[bool] = []  # True: in the code part

    def visible(self, text: str) -> str:
        if not self.stack and _FIELD_BEGIN not in text and _FIELD_END not in text and _FIELD_SEP not in text:
            return text
        out: list[str] = []
        for ch in text:
            if ch == _FIELD_BEGIN:
                self.stack.append(True)
            elif ch == _FIELD_SEP:
                if self.stack:
                    self.stack[-1] = False
            elif ch == _FIELD_END:
                if self.stack:
                    self.stack.pop()
            elif not any(self.stack):
                out.append(ch)
        return "".join(out)


@define
class _Row:
    cells: list[list[_Block]]
    header: bool


@define
class _Table:
    rows: list[_Row] = field(factory=list)
    open: list[list[_Block]] = field(factory=list)  # the cells of the row being read
    current: list[_Block] = field(factory=list)  # the blocks of the cell being read

    def holds_tables(self) -> bool:
        return any(isinstance(b, _Table) for r in self.rows for c in r.cells for b in c)


_Block = str | _Table


def _blocks(paragraphs: Sequence[tuple[str, _Props]]) -> tuple[list[_Block], dict[int, list[_TableDef]]]:
    """The body as paragraphs and tables (tables in cells inside them); each table's row definitions
    by ``id``."""
    body: list[_Block] = []
    stack: list[_Table] = []
    defs: dict[int, list[_TableDef]] = {}
    fields = _Fields()

    def close() -> None:
        t = stack.pop()
        if t.open or t.current:
            raise _Stop("a table ends inside a row (cells with no row end)")
        (stack[-1].current if stack else body).append(t)

    for raw, props in paragraphs:
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
                raise _Stop("a table's row end holds text")
            if table.current:
                raise _Stop("a table row ends inside a cell")
            tdef = props.table_def
            if tdef is None:
                raise _Stop("a table row has no table definition (sprmTDefTable)")
            if len(tdef.flags) != len(table.open):
                raise _Stop(f"a table row has {len(table.open)} cells but its definition (sprmTDefTable) "
                            f"{len(tdef.flags)}")
            table.rows.append(_Row(table.open, props.header))
            defs[id(table)].append(tdef)
            table.open = []
            continue
        table.current.append(text)
        if (mark == _CELL) if depth == 1 else props.inner_cell:
            table.open.append(table.current)
            table.current = []
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

    def add(self, text: str) -> None:
        if text.strip():
            self.text = f"{self.text}\n{text}" if self.text else text


def _grid(table: _Table, tdefs: list[_TableDef], source: str, number: int, preamble: list[str],
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
            if flags & _MERGED and not flags & _FIRST_MERGED and out and out[-1].column + out[-1].colspan == col:
                out[-1].colspan += span  # a horizontal merge: the cell to the left grows
                out[-1].add(text)
                continue
            if flags & _VERT_MERGE and not flags & _VERT_RESTART:
                origin = opened.get(col)
                if origin is not None and origin.colspan == span:
                    origin.rowspan += 1
                    origin.add(text)  # text in a continued cell: kept rather than lost
                    now_open[col] = origin
                    continue
            rec = _Rec(text, 1, span, col, r)
            out.append(rec)
            if flags & _VERT_MERGE:
                now_open[col] = rec
        opened = now_open
        rows.append(out)
    cells = tuple(
        tuple(Cell(c.text, c.rowspan, c.colspan, c.column,
                   Position(file=source, table=number, row=c.row + 1, column=c.column + 1)) for c in row)
        for row in rows)
    return Grid(cells, source=source, table=number, title=Metadata.title_of(preamble), preamble=tuple(preamble),
                epilogue=tuple(epilogue), header_rows=header_rows or None)


def _top_grids(body: list[_Block], defs: dict[int, list[_TableDef]], source: str) -> list[Grid]:
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


def _inner_grids(body: list[_Block], defs: dict[int, list[_TableDef]], source: str) -> tuple[Grid, ...]:
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


def _parse(data: bytes, path: Path) -> tuple[list[_Block], dict[int, list[_TableDef]]]:
    try:
        cfb = CompoundFile(data)
    except CompoundFileError as e:
        raise _Stop(str(e)) from None
    if not cfb.has("WordDocument"):
        raise legacy_error(path)  # an encrypted .docx, a workbook, a WPS file of its own kind
    try:
        word = cfb.stream("WordDocument")
        fib = _fib(word)
        table_name = "1Table" if fib.flags & _F_WHICH_TABLE else "0Table"
        table = cfb.stream(table_name)
        data_stream = cfb.stream("Data") if cfb.has("Data") else None
    except CompoundFileError as e:
        raise _Stop(str(e)) from None
    pieces = _pieces(table, fib, len(word))
    runs = _runs(word, table, data_stream, fib)
    _check_deletions(word, table, fib)
    return _blocks(_paragraphs(word, fib, pieces, runs))


def read_doc(source: Source | str | os.PathLike[str]) -> Document:
    """Read the tables and body paragraphs of a Word 97–2003 binary document (.doc).

    Raises :class:`NotUnderstood` (naming the file and what) for what it does not read for sure;
    :func:`zwgk.load` then converts the file with LibreOffice instead.
    """
    src = Source.of(source)
    data = src.read_bytes()
    try:
        body, defs = _parse(data, src.path)
    except _Stop as e:
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


@hookimpl
def register_readers(register: Callable[[Reader], None]) -> None:
    # No sniffing: an OLE file is a .doc, a .wps, a workbook or an encrypted .docx; zwgk.load tries
    # this reader first for the Word documents it would otherwise convert (zwgk.readers.convert).
    register(Reader("doc", (".doc", ".dot"), read_doc, None,
                    "Word 97–2003 documents (.doc), read natively; LibreOffice converts what it does not read"))
