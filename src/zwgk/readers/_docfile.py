"""The text and paragraph properties of a Word 97–2003 document ([MS-DOC]), every offset checked.

Out of the compound file's streams: the FIB, the piece table (compressed cp1252 and UTF-16
pieces), the paragraphs with their marks as ``PlcBtePapx`` and the PAPX FKPs cut them (with
``sprmPHugePapx`` properties from the Data stream), and of each paragraph's properties what places
it in a table: ``sprmPFInTable``, ``sprmPItap``/``sprmPDtap``, ``sprmPFTtp``,
``sprmPFInnerTableCell``/``sprmPFInnerTtp``, ``sprmTTableHeader`` and the row's ``sprmTDefTable``.
What is not understood for sure raises :class:`Stop` with what: :mod:`zwgk.readers.doc` turns it
into the error that makes :func:`zwgk.load` convert the file with LibreOffice instead.
"""

from __future__ import annotations

import bisect
import struct
from collections.abc import Iterator, Sequence
from itertools import pairwise

from attrs import define

from zwgk.readers._cfb import CompoundFile, CompoundFileError
from zwgk.table.grid import MAX_COLUMNS

__all__ = ["FIRST_MERGED", "MAX_DEPTH", "MERGED", "VERT_MERGE", "VERT_RESTART", "Props", "Stop", "TableDef",
           "paragraphs_of"]

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
_T_VERT_MERGE = 0xD62B
#: Table properties that change a row's cells after its sprmTDefTable (Word 6 style edits).
_T_EDITS = {0xD606: "sprmTDefTable10", 0x7621: "sprmTInsert", 0x5622: "sprmTDelete", 0x7623: "sprmTDxaCol",
            0x5624: "sprmTMerge", 0x5625: "sprmTSplit"}
_C_RMARK_DEL = 0x0800
#: sprmCFBold: a run set bold (1; 0x81: the opposite of its style, which a table cell's style is not).
_C_BOLD, _BOLD_ON = 0x0835, frozenset({1, 0x81})
# TC80 flags
FIRST_MERGED, MERGED, VERT_MERGE, VERT_RESTART = 0x0001, 0x0002, 0x0020, 0x0040
_TC80 = 20

class Stop(Exception):
    """Raised inside the reader with what was not understood; becomes a :class:`NotUnderstood`."""


def _u16(data: bytes, at: int) -> int:
    if at < 0 or at + 2 > len(data):
        raise Stop("a structure reaches past the end of its stream")
    return int.from_bytes(data[at:at + 2], "little")


def _u32(data: bytes, at: int) -> int:
    if at < 0 or at + 4 > len(data):
        raise Stop("a structure reaches past the end of its stream")
    return int.from_bytes(data[at:at + 4], "little")


def _i32(data: bytes, at: int) -> int:
    v = _u32(data, at)
    return v - (1 << 32) if v & 0x80000000 else v


def _slice(data: bytes, at: int, size: int, what: str) -> bytes:
    if at < 0 or size < 0 or at + size > len(data):
        raise Stop(f"{what} lies outside its stream (bytes {at:,} to {at + size:,} of {len(data):,})")
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
        raise Stop("a property list ends inside a property")
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
            raise Stop(f"property 0x{sprm:04X} reaches past the end of its list")
        yield sprm, grpprl[at + 2:at + 2 + size]
        at += 2 + size


@define
class TableDef:
    """A row's ``sprmTDefTable``: its cells' boundaries (twips) and TC80 flags."""

    bounds: tuple[int, ...]
    flags: tuple[int, ...]


def _table_def(operand: bytes) -> TableDef:
    body = operand[2:]
    if not body:
        raise Stop("a row's table definition (sprmTDefTable) is empty")
    count = body[0]
    if count == 0 or count > MAX_COLUMNS:
        raise Stop(f"a row's table definition (sprmTDefTable) has {count} cells")
    raw = _slice(body, 1, 2 * (count + 1), "a row's cell boundaries (sprmTDefTable)")
    bounds = struct.unpack(f"<{count + 1}h", raw)
    tcs = body[1 + 2 * (count + 1):]
    flags = tuple(_u16(tcs, i * _TC80) if (i + 1) * _TC80 <= len(tcs) else 0 for i in range(count))
    if any(b <= a for a, b in pairwise(bounds)):
        raise Stop("a row's cell boundaries (sprmTDefTable) do not increase")
    return TableDef(bounds, flags)


@define
class Props:
    """What a paragraph's properties say of its place in a table."""

    in_table: bool = False
    ttp: bool = False
    itap: int | None = None
    inner_cell: bool = False
    inner_ttp: bool = False
    header: bool = False
    table_def: TableDef | None = None
    vmerges: tuple[tuple[int, int], ...] = ()  # sprmTVertMerge: (cell, how), applied to table_def

    @property
    def depth(self) -> int:
        if not self.in_table:
            return 0
        return 1 if self.itap is None else self.itap

    def row_end(self) -> bool:
        return self.ttp if self.depth <= 1 else self.inner_ttp


_NO_PROPS = Props()


def _paragraph_props(grpprl: bytes, data_stream: bytes | None, huge: bool = True) -> Props:
    props = Props()
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
        elif sprm == _T_VERT_MERGE:  # VerticalMergeOperand: cb, itc, 0 none / 1 continue / 3 restart
            if len(op) < 3:
                raise Stop("a cell's vertical merge (sprmTVertMerge) is too short")
            props.vmerges = (*props.vmerges, (op[1], op[2]))
        elif sprm in _T_EDITS:
            raise Stop(f"a table row is edited after its definition ({_T_EDITS[sprm]}), which this reader "
                       "does not apply")
        elif sprm == _P_HUGE:
            if not huge or data_stream is None:
                raise Stop("paragraph properties held in the Data stream (sprmPHugePapx) cannot be found")
            at = _u32(op, 0)
            size = _u16(data_stream, at)
            more = _paragraph_props(_slice(data_stream, at + 2, size, "sprmPHugePapx properties"), None, False)
            props = _merge(props, more)
    if props.itap is not None and not 0 <= props.itap <= MAX_DEPTH:
        raise Stop(f"a paragraph lies at table depth {props.itap} (this reader follows {MAX_DEPTH})")
    if huge and props.vmerges:
        props.table_def = _vertically_merged(props.table_def, props.vmerges)
    return props


def _vertically_merged(tdef: TableDef | None, vmerges: tuple[tuple[int, int], ...]) -> TableDef:
    """The row's definition with its sprmTVertMerge applied to the cells' TC80 flags."""
    if tdef is None:
        raise Stop("a cell's vertical merge (sprmTVertMerge) has no table definition to apply to")
    flags = list(tdef.flags)
    for itc, how in vmerges:
        if itc >= len(flags) or how not in (0, 1, 3):
            raise Stop("a cell's vertical merge (sprmTVertMerge) names no cell of its row")
        flags[itc] &= ~(VERT_MERGE | VERT_RESTART)
        flags[itc] |= {0: 0, 1: VERT_MERGE, 3: VERT_MERGE | VERT_RESTART}[how]
    return TableDef(tdef.bounds, tuple(flags))


def _merge(a: Props, b: Props) -> Props:
    return Props(a.in_table or b.in_table, a.ttp or b.ttp, b.itap if b.itap is not None else a.itap,
                  a.inner_cell or b.inner_cell, a.inner_ttp or b.inner_ttp, a.header or b.header,
                  b.table_def or a.table_def, a.vmerges + b.vmerges)


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
        raise Stop("the WordDocument stream does not start with a Word file header (FIB)")
    nfib = _u16(word, 2)
    flags = _u16(word, 0x0A)
    if nfib < _WORD97:
        raise Stop(f"this is a Word 6/95 document (nFib {nfib}), an older format than Word 97")
    if flags & _F_ENCRYPTED:
        raise Stop("the document is encrypted" if not flags & _F_OBFUSCATED else "the document is obfuscated")
    at = 32
    csw = _u16(word, at)
    at += 2 + 2 * csw
    cslw = _u16(word, at)
    lw = at + 2
    if cslw <= _CCP_TEXT:
        raise Stop("the file header (FIB) is too short")
    ccp_text = _i32(word, lw + 4 * _CCP_TEXT)
    at = lw + 4 * cslw
    count = _u16(word, at)
    if count <= _FC_CLX:
        raise Stop("the file header (FIB) is too short")
    raw = _slice(word, at + 2, 8 * count, "the file header (FIB)")
    pairs = list(struct.iter_unpack("<II", raw))
    if ccp_text < 0:
        raise Stop("the file header (FIB) gives a negative text length")
    return _Fib(flags, ccp_text, pairs)


_SGC_CHARACTER = 2


def _check_prm(prm: int, prcs: list[bytes]) -> None:
    """Step aside for a piece whose own properties (Prm, as fast saves write them) could place text
    in or out of a table or mark it deleted: anything but character formatting."""
    if prm & 1:  # Prm1: a property list of the Clx
        k = prm >> 1
        if k >= len(prcs):
            raise Stop("a piece of text names a property list (Prc) the piece table does not hold")
        for sprm, op in _sprms(prcs[k]):
            if sprm >> 10 & 7 != _SGC_CHARACTER or (sprm == _C_RMARK_DEL and op[0] not in (0, 0x80)):
                raise Stop(f"a piece of text carries property 0x{sprm:04X} of its own (Prm), which this "
                           "reader does not apply")
    elif prm >> 1 & 0x7F:  # Prm0: one property by its index
        raise Stop("a piece of text carries a property of its own (Prm), which this reader does not apply")


def _pieces(table: bytes, fib: _Fib, word_size: int) -> list[_Piece]:
    fc, lcb = fib.fc_lcb[_FC_CLX]
    clx = _slice(table, fc, lcb, "the piece table (Clx)")
    at = 0
    prcs: list[bytes] = []
    while at < len(clx) and clx[at] == 1:  # Prc: property lists the pieces may name
        size = _u16(clx, at + 1)
        prcs.append(_slice(clx, at + 3, size, "a piece's property list (Prc)"))
        at += 3 + size
    if at >= len(clx) or clx[at] != 2:
        raise Stop("the piece table (Clx) is damaged")
    size = _u32(clx, at + 1)
    plc = _slice(clx, at + 5, size, "the piece table (PlcPcd)")
    n = (len(plc) - 4) // 12
    if n < 1 or 4 + 12 * n != len(plc):
        raise Stop("the piece table (PlcPcd) has a size no piece count gives")
    cps = struct.unpack_from(f"<{n + 1}I", plc, 0)
    out: list[_Piece] = []
    for i in range(n):
        if cps[i + 1] < cps[i]:
            raise Stop("the piece table's character positions go backwards")
        raw_fc = _u32(plc, 4 * (n + 1) + 8 * i + 2)
        _check_prm(_u16(plc, 4 * (n + 1) + 8 * i + 6), prcs)
        compressed = bool(raw_fc & 0x40000000)
        start = (raw_fc & 0x3FFFFFFF) // 2 if compressed else raw_fc & 0x3FFFFFFF
        width = 1 if compressed else 2
        count = cps[i + 1] - cps[i]
        if start + count * width > word_size:
            raise Stop("a piece of text lies outside the WordDocument stream")
        out.append(_Piece(cps[i], count, start, width))
    return out


@define
class _Run:
    """A paragraph's stretch of the WordDocument stream (bytes) as an FKP gives it."""

    start: int
    end: int
    props: Props


def _bte_pages(table: bytes, fc: int, lcb: int, word_size: int, what: str) -> list[int]:
    if lcb == 0:
        return []
    plc = _slice(table, fc, lcb, what)
    n = (len(plc) - 4) // 8
    if n < 0 or 4 + 8 * n != len(plc):
        raise Stop(f"{what} has a size no entry count gives")
    pages = [v & 0x3FFFFF for v in struct.unpack_from(f"<{n}I", plc, 4 * (n + 1))] if n else []
    if len(set(pages)) != len(pages):
        raise Stop(f"{what} names one page twice")
    for pn in pages:
        if (pn + 1) * _FKP > word_size:
            raise Stop(f"{what} names a page outside the WordDocument stream")
    return pages


def _runs(word: bytes, table: bytes, data_stream: bytes | None, fib: _Fib) -> list[_Run]:
    fc, lcb = fib.fc_lcb[_FC_PLCF_BTE_PAPX]
    runs: list[_Run] = []
    cache: dict[bytes, Props] = {}
    for pn in _bte_pages(table, fc, lcb, len(word), "the paragraph property index (PlcBtePapx)"):
        page = word[pn * _FKP:(pn + 1) * _FKP]
        crun = page[_FKP - 1]
        if crun == 0 or 4 * (crun + 1) + 13 * crun > _FKP - 1:
            raise Stop("a paragraph property page (FKP) has an impossible run count")
        fcs = struct.unpack_from(f"<{crun + 1}I", page, 0)
        for i in range(crun):
            if fcs[i + 1] <= fcs[i]:
                raise Stop("a paragraph property page (FKP) has runs going backwards")
            offset = 2 * page[4 * (crun + 1) + 13 * i]
            props = _NO_PROPS
            if offset:
                if offset >= _FKP - 1:
                    raise Stop("a paragraph property page (FKP) points past its end")
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
            raise Stop("paragraph property runs overlap")
    return runs


def _bold_runs(word: bytes, table: bytes, fib: _Fib) -> list[tuple[int, int]]:
    """The stretches of the WordDocument stream (bytes, in order) whose runs are set bold; steps
    aside for text marked deleted with tracked changes (which Word does not show)."""
    fc, lcb = fib.fc_lcb[_FC_PLCF_BTE_CHPX]
    bold: list[tuple[int, int]] = []
    for pn in _bte_pages(table, fc, lcb, len(word), "the character property index (PlcBteChpx)"):
        page = word[pn * _FKP:(pn + 1) * _FKP]
        crun = page[_FKP - 1]
        if 4 * (crun + 1) + crun > _FKP - 1:
            raise Stop("a character property page (FKP) has an impossible run count")
        fcs = struct.unpack_from(f"<{crun + 1}I", page, 0)
        for i in range(crun):
            offset = 2 * page[4 * (crun + 1) + i]
            if not offset:
                continue
            size = _slice(page, offset, 1, "a CHPX")[0]
            grpprl = _slice(page, offset + 1, size, "a run's character properties (CHPX)")
            for sprm, op in _sprms(grpprl):
                if sprm == _C_RMARK_DEL and op[0] not in (0, 0x80):
                    raise Stop("the document holds tracked deletions (text Word does not show)")
                if sprm == _C_BOLD and op[0] in _BOLD_ON and fcs[i] < fcs[i + 1]:
                    bold.append((fcs[i], fcs[i + 1]))
    bold.sort()
    return bold


def _decode(raw: bytes, width: int) -> str:
    if width == 2:
        return raw.decode("utf-16-le", "surrogatepass")
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined stand for themselves
        return "".join(bytes([b]).decode("cp1252", "ignore") or chr(b) for b in raw)


WordParagraph = tuple[str, Props, list[str]]
"""A paragraph of the main text: its text (mark included), properties and texts set bold."""


def _paragraphs(word: bytes, fib: _Fib, pieces: list[_Piece], runs: list[_Run],
                bold: Sequence[tuple[int, int]] = ()) -> list[WordParagraph]:
    """The main document's paragraphs, each its text (mark included), properties and the texts of
    it set bold (``bold``: :func:`_bold_runs`)."""
    out: list[WordParagraph] = []
    ends = [r.end for r in runs]
    bold_ends = [e for _, e in bold]
    parts: list[str] = []
    bold_parts: list[str] = []
    for piece in pieces:
        count = min(piece.count, fib.ccp_text - piece.cp)
        if count <= 0:
            continue
        i = 0
        while i < count:
            fc = piece.fc + i * piece.width
            k = bisect.bisect_right(ends, fc)
            if k >= len(runs) or runs[k].start > fc:
                raise Stop(f"character {piece.cp + i:,} of the text has no paragraph properties")
            run = runs[k]
            stop = min(count, i + -(-(run.end - fc) // piece.width))
            end = piece.fc + stop * piece.width
            parts.append(_decode(word[fc:end], piece.width))
            if bold:
                bold_parts.extend(_bold_in(word, fc, end, piece.width, bold, bold_ends))
            if end >= run.end:
                out.append((_text("".join(parts)), run.props, [_text(b) for b in bold_parts]))
                parts, bold_parts = [], []
            i = stop
    if parts:
        out.append((_text("".join(parts)), _NO_PROPS, [_text(b) for b in bold_parts]))
    return out


def _bold_in(word: bytes, start: int, end: int, width: int, bold: Sequence[tuple[int, int]],
             bold_ends: list[int]) -> Iterator[str]:
    """The texts of ``word[start:end]`` (characters ``width`` bytes wide) inside the bold runs."""
    k = bisect.bisect_right(bold_ends, start)
    while k < len(bold) and bold[k][0] < end:
        lo = max(start, bold[k][0])
        hi = min(end, bold[k][1])
        lo += (lo - start) % width  # whole characters only
        hi -= (hi - start) % width
        if lo < hi:
            yield _decode(word[lo:hi], width)
        k += 1


def _text(s: str) -> str:
    """UTF-16 pairs split between pieces joined; an unpaired half becomes U+FFFD."""
    return s.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def paragraphs_of(cfb: CompoundFile) -> list[WordParagraph]:
    """The main document's paragraphs (text with its mark, properties, texts set bold) of the Word
    document in ``cfb``; :class:`Stop` for anything not understood for sure."""
    try:
        word = cfb.stream("WordDocument")
        fib = _fib(word)
        table_name = "1Table" if fib.flags & _F_WHICH_TABLE else "0Table"
        table = cfb.stream(table_name)
        data_stream = cfb.stream("Data") if cfb.has("Data") else None
    except CompoundFileError as e:
        raise Stop(str(e)) from None
    pieces = _pieces(table, fib, len(word))
    runs = _runs(word, table, data_stream, fib)
    bold = _bold_runs(word, table, fib)
    return _paragraphs(word, fib, pieces, runs, bold)
