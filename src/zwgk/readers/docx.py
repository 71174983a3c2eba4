"""Word documents (.docx): every table of the main document as a :class:`~zwgk.table.grid.Grid`.

The reader streams ``word/document.xml`` once with :func:`lxml.etree.iterparse` and frees each
table row as soon as it has been read, so memory stays proportional to the text, not the XML.
It never builds python-docx's per-cell objects.

What it understands:

- ``w:gridSpan`` (a cell spanning columns), ``w:vMerge`` (``restart`` opens a vertically merged
  cell; a bare ``<w:vMerge/>`` as Word writes it and ``w:val="continue"`` as LibreOffice writes it
  both continue it), ``w:gridBefore`` (a row starting to the right);
- several paragraphs and ``w:br``/``w:cr`` in a cell (kept as line breaks), ``w:tab``;
- tracked changes: text inside ``w:del``/``w:moveFrom`` is left out, ``w:ins`` is read; rows marked
  deleted (``w:trPr/w:del``) are skipped;
- hyperlinks, simple and complex fields (the shown result, not the instruction), content controls
  (``w:sdt``) around text, cells or rows;
- nested tables: read as lines of text of the outer cell;
- header rows marked ``w:tblHeader`` (the grid's ``header_rows``);
- the paragraphs before a table (the title) and after the last one.

Safety: the package is checked against :class:`~zwgk.readers._zipsafe.ZipLimits` before anything is
inflated, and a damaged entry is a :class:`~zwgk.errors.ParseError` naming it; the XML is parsed
with entity resolution, DTD loading and network access off, and a document whose parser saw a DTD
(``<!DOCTYPE``, wherever it stands and whatever the encoding) is refused. ``w:gridSpan`` and
``w:gridBefore`` must be whole numbers up to :data:`~zwgk.table.grid.MAX_SPAN`, and a row may not
reach past :data:`~zwgk.table.grid.MAX_COLUMNS` grid columns.
"""

from __future__ import annotations

import itertools
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from zwgk._gc import paused_gc
from zwgk.errors import ParseError, Position, UnsupportedFormatError
from zwgk.hookspecs import hookimpl
from zwgk.model import Metadata
from zwgk.readers import Reader
from zwgk.readers._sniff import is_converted_only, is_ole, is_zip, legacy_error
from zwgk.readers._zipsafe import DEFAULT_LIMITS, ZipLimits, open_member, open_package, read_member
from zwgk.table.grid import MAX_COLUMNS, MAX_SPAN, Cell, Grid

__all__ = ["DEFAULT_LIMITS", "ZipLimits", "read_docx", "sniff_docx"]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_STRICT_NS = b"http://purl.oclc.org/ooxml/wordprocessingml/main"


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


_BODY, _TBL, _TR, _TC, _P, _T = _w("body"), _w("tbl"), _w("tr"), _w("tc"), _w("p"), _w("t")
_BR, _CR, _TAB, _DEL, _MOVE_FROM = _w("br"), _w("cr"), _w("tab"), _w("del"), _w("moveFrom")
_TRPR, _GRID_SPAN, _VMERGE, _HMERGE = _w("trPr"), _w("gridSpan"), _w("vMerge"), _w("hMerge")
_GRID_BEFORE, _TBL_HEADER, _VAL = _w("gridBefore"), _w("tblHeader"), _w("val")
_SDT, _SDT_CONTENT, _CUSTOM_XML, _SMART_TAG = _w("sdt"), _w("sdtContent"), _w("customXml"), _w("smartTag")
# A shape's text box is written twice: in mc:Choice (DrawingML) and mc:Fallback (VML); read it once.
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_TEXT_TAGS = (_P, _T, _BR, _CR, _TAB, _DEL, _MOVE_FROM, _FALLBACK)
_TABS = _w("tabs")
_ROW_TAGS = (_TC, _GRID_SPAN, _VMERGE, _HMERGE, *_TEXT_TAGS)
_WRAPPERS = frozenset({_SDT, _SDT_CONTENT, _CUSTOM_XML, _SMART_TAG, _w("ins")})
_OFF = frozenset({"0", "false", "off"})
_PROLOG_BYTES = 65536


class _Guarded:
    """The document stream, with a look at its start for the Strict Open XML namespace."""

    def __init__(self, raw: Any, where: Position) -> None:
        self._raw = raw
        self._where = where
        self._head: bytes | None = None
        self.strict = False  # ISO/IEC 29500 Strict namespaces, which this reader does not read

    def read(self, n: int = -1) -> bytes:
        if self._head is None:
            self._head = self._raw.read(_PROLOG_BYTES)
            head = self._head
            if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head[:4]:
                head = head.decode("utf-16", "ignore").encode("utf-8")
            self.strict = _STRICT_NS in head
        if self._head:
            if n < 0 or n >= len(self._head):
                data, self._head = self._head, b""
                return data + (self._raw.read(n - len(data)) if n > len(data) else b"")
            data, self._head = self._head[:n], self._head[n:]
            return data
        chunk: bytes = self._raw.read(n)
        return chunk


_DTD_REFUSED = (
    "the document XML declares a DTD (<!DOCTYPE), which Word never writes; refusing to read it "
    "(its entities could point at external files)"
)


def _check_no_dtd(el: Any, where: Position) -> None:
    """Refuse a document whose parser saw a ``<!DOCTYPE`` (the tree's DTD, not a scan of bytes)."""
    if el is not None and el.getroottree().docinfo.internalDTD is not None:
        raise ParseError(_DTD_REFUSED, where)


def _main_part(zf: zipfile.ZipFile, where: Position) -> str:
    """The name of the main document part, from ``_rels/.rels`` (normally ``word/document.xml``)."""
    names = set(zf.namelist())
    if "_rels/.rels" in names:
        data = read_member(zf, "_rels/.rels", where)
        try:
            parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
            root = etree.fromstring(data, parser)
            _check_no_dtd(root, where)
            for rel in root.iter(f"{{{_REL_NS}}}Relationship"):
                if rel.get("Type") == _OFFICE_DOC:
                    target = (rel.get("Target") or "").lstrip("/")
                    if target in names:
                        return target
        except (etree.XMLSyntaxError, ValueError):
            pass  # an unreadable list of parts: look for the usual main part
    if "word/document.xml" in names:
        return "word/document.xml"
    raise ParseError(
        "this zip file is not a Word document (it has no word/document.xml)", where
    )


def _text(el: Any) -> str:
    """The text of a paragraph (or any block outside a table), read as :func:`_row_cells` reads a cell."""
    return _row_cells(el)[0][0]


def _child(el: Any, tag: str) -> Any:
    """The first child of ``el`` with ``tag`` (properties come first: usually the first child)."""
    for child in el:
        if child.tag == tag:
            return child
        if child.tag == _TC:
            return None
    return None


def _is_top(tr: Any) -> bool:
    """True when the row belongs to a table in the body, not a table nested in a cell."""
    p = tr.getparent()
    while p is not None:
        tag = p.tag
        if tag == _TC:
            return False
        if tag == _BODY:
            return True
        p = p.getparent()
    return True


def _span_value(value: str | None, what: str, least: int, where: Position) -> int:
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


def _joined(lines: list[str]) -> str:
    if len(lines) == 1:
        return lines[0]
    while lines and not lines[-1].strip():
        lines.pop()
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    return "\n".join(lines[start:])


def _row_cells(tr: Any) -> list[tuple[str, str | None, str | None, bool]]:
    """``(text, gridSpan as written, vMerge, hMerge continues)`` of each cell of a row, in one walk.

    Paragraphs, ``w:br`` and ``w:cr`` give line breaks, ``w:tab`` a tab (not the tab stops of
    ``w:tabs``); text inside ``w:del``, ``w:moveFrom`` and ``mc:Fallback`` is left out. Cells of a
    table nested in a cell only add lines to that cell's text. Given an element that is not a row
    (a paragraph), the whole of its text comes back as one cell.
    """
    out: list[tuple[str, str | None, str | None, bool]] = []
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
                    out.append((_joined(lines), span, merge, hcont))
                tc, span, merge, hcont, lines, cur, started = node, None, None, False, [], [], False
        elif tag in (_GRID_SPAN, _VMERGE, _HMERGE):
            if node.getparent().getparent() is tc:
                if tag == _GRID_SPAN:
                    span = node.get(_VAL)
                elif tag == _VMERGE:
                    merge = node.get(_VAL) or "continue"
                else:  # legacy horizontal merge (files converted from .doc)
                    hcont = (node.get(_VAL) or "continue") != "restart"
        elif tag in (_BR, _CR):
            if tag == _CR or node.get(_w("type")) in (None, "textWrapping", "page"):
                cur.append("\n")
        elif tag == _TAB:
            if node.getparent().tag != _TABS:
                cur.append("\t")
        else:  # w:del, w:moveFrom, mc:Fallback: leave their text out
            if skip is None:
                skip = set()
            skip.update(node.iter(_TEXT_TAGS))
    if tc is not None or tr.tag != _TR:
        lines.append("".join(cur))
        out.append((_joined(lines), span, merge, hcont))
    return out


class _Table:
    """Rows of one table as they are read; vertical merges counted on the open cell."""

    __slots__ = ("deleted", "element", "header_rows", "in_header", "open", "preamble", "rows", "where")

    def __init__(self, element: Any, preamble: list[str], where: Position) -> None:
        self.element = element
        self.where = where
        self.preamble = preamble
        self.rows: list[list[list[Any]]] = []  # each cell: [text, rowspan, colspan, column, row]
        self.open: dict[int, list[Any]] = {}
        self.header_rows = 0
        self.in_header = True
        self.deleted = 0

    def add_row(self, tr: Any) -> None:
        col = 0
        header = False
        r = len(self.rows)
        trpr = _child(tr, _TRPR)
        if trpr is not None:
            for prop in trpr:
                tag = prop.tag
                if tag == _GRID_BEFORE:
                    col = _span_value(prop.get(_VAL), "w:gridBefore", 0, _at(self.where, r))
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
        for text, written, merge, hcont in _row_cells(tr):
            span = 1 if written is None else _span_value(written, "w:gridSpan", 1, _at(self.where, r, col))
            if col + span > MAX_COLUMNS:
                raise ParseError(
                    f"the row reaches past {MAX_COLUMNS} grid columns (zwgk.table.grid.MAX_COLUMNS): "
                    "no task table is that wide; the document is damaged",
                    _at(self.where, r, col),
                )
            if hcont and row and row[-1][3] + row[-1][2] == col:
                left = row[-1]  # a legacy horizontal merge: the cell to the left grows
                left[2] += span
                if text.strip():
                    left[0] = f"{left[0]}\n{text}" if left[0] else text
                col += span
                continue
            if merge is not None and merge != "restart":
                origin = self.open.get(col)
                if origin is not None and origin[2] == span:
                    origin[1] += 1
                    if text.strip():  # text in a continued cell: keep it rather than lose it
                        origin[0] = f"{origin[0]}\n{text}" if origin[0] else text
                    now_open[col] = origin
                    col += span
                    continue
            rec = [text, 1, span, col, r]
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
                     Position(file=source, table=number, row=r + 1, column=column + 1))
                for text, rowspan, colspan, column, r in row
            )
            for row in self.rows
        )
        return Grid(rows, source=source, table=number, title=Metadata.title_of(self.preamble),
                    preamble=tuple(self.preamble), epilogue=tuple(epilogue),
                    header_rows=self.header_rows or None)


def _at(where: Position, r: int, col: int | None = None) -> Position:
    """The position of row ``r`` (0-based) and grid column ``col`` (0-based) of the table ``where``."""
    return Position(file=where.file, table=where.table, row=r + 1, column=None if col is None else col + 1)


def _paragraph_lines(elements: list[Any]) -> list[str]:
    out: list[str] = []
    for el in elements:
        if el.tag == _TBL:
            continue
        # a line break inside a paragraph is layout (a title broken over two lines), not a new line
        line = "".join(part.strip() for part in _text(el).split("\n"))
        if line:
            out.append(line)
    return out


def _preceding(el: Any) -> list[Any]:
    """Siblings before ``el`` back to the previous table, in document order."""
    out: list[Any] = []
    for sib in el.itersiblings(preceding=True):
        if sib.tag == _TBL:
            break
        out.append(sib)
    out.reverse()
    return out


def _free_before(el: Any) -> None:
    """Drop the siblings before ``el`` (already read) so the tree does not grow."""
    parent = el.getparent()
    if parent is None:
        return
    while el.getprevious() is not None:
        del parent[0]


def read_docx(
    path: str | Path,
    *,
    table: int | None = None,
    limits: ZipLimits | None = None,
    **_: object,
) -> Iterator[Grid]:
    """Read the tables of a .docx file, in document order.

    :param table: read only the ``table``-th table of the body (1-based); by default every table is
        returned and the builder keeps those whose header it recognises.
    :param limits: package limits (default :data:`DEFAULT_LIMITS`); see :class:`ZipLimits`.
    """
    p = Path(path)
    source = str(path)
    where = Position(file=source)
    if table is not None and (not isinstance(table, int) or table < 1):
        raise ParseError(f"table must be a number from 1 up, not {table!r}", where)
    try:
        with p.open("rb") as f:
            head = f.read(8)
    except OSError as e:
        raise ParseError(f"cannot read file: {e.strerror}", where) from None
    if is_ole(head):
        raise legacy_error(p)
    if not is_zip(head):
        raise ParseError("not a .docx file (a .docx is a zip package starting with PK)", where)
    lim = limits if limits is not None else DEFAULT_LIMITS
    seen = [0]  # tables in the document, counted by the parser
    yielded = 0
    with open_package(p, lim) as zf:
        part = _main_part(zf, where)
        stream = open_member(zf, part, where, lim)
        try:
            guarded = _Guarded(stream, where)
            for grid in _parse(guarded, source, table, seen):
                yielded += 1
                yield grid
        except etree.XMLSyntaxError as e:
            raise ParseError(f"the document XML is damaged: {e.msg}", Position(file=source, line=e.lineno)) from None
        except (zipfile.BadZipFile, EOFError, OSError) as e:
            raise ParseError(
                f"the .docx is damaged or truncated ({e}); open it in Word or LibreOffice and save it again",
                where,
            ) from None
        finally:
            stream.close()
    if table is not None and not yielded:
        raise ParseError(f"there is no table {table} in this document (it has {_count_note(seen[0])})", where)
    if not yielded and guarded.strict:
        raise UnsupportedFormatError(
            "this document is saved as Strict Open XML, which zwgk does not read; save it again in Word "
            "as a standard Word Document (.docx)",
            where,
        )
    if not yielded:
        raise ParseError("no table found in this document: zwgk reads task tables (Word tables)", where)


def _count_note(found: int) -> str:
    return "no table" if found == 0 else f"{found} table{'s' if found > 1 else ''}"


def _parse(stream: _Guarded, source: str, only: int | None, seen: list[int]) -> Iterator[Grid]:
    """The grids of the body's tables (only the ``only``-th when given); ``seen[0]`` counts tables.

    The garbage collector is paused while rows are read, not while the caller holds a grid.
    """
    steps = _parse_steps(stream, source, only, seen)
    while True:
        with paused_gc():
            grid = next(steps, None)
        if grid is None:
            return
        yield grid


def _parse_steps(stream: _Guarded, source: str, only: int | None, seen: list[int]) -> Iterator[Grid]:
    events = etree.iterparse(
        stream,
        events=("end",),
        tag=(_TR, _TBL, _BODY),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
    )
    current: _Table | None = None
    number = 0
    pending: Grid | None = None  # the last table read, waiting for the text after it
    adding = False  # whether the rows of the current table are wanted
    where = Position(file=source)
    first = next(events, None)
    if first is None:  # no row, table or body: still refuse a DTD before anything else is said
        _check_no_dtd(events.root, where)
        return
    _check_no_dtd(first[1], where)  # the DTD comes before the root, so before the first event
    for _event, el in itertools.chain((first,), events):
        tag = el.tag
        if tag == _TR:
            parent = el.getparent()
            if current is not None and parent is current.element:  # the common case: the next row
                if adding:
                    current.add_row(el)
                el.clear(keep_tail=True)
                while el.getprevious() is not None:
                    del parent[0]
                continue
            if not _is_top(el):
                continue
            tbl = parent
            while tbl is not None and tbl.tag != _TBL:
                tbl = tbl.getparent()
            if current is None or current.element is not tbl:
                number += 1
                seen[0] = number
                preamble = _paragraph_lines(_preceding(tbl)) if tbl is not None else []
                if pending is not None:
                    yield _with_epilogue(pending, preamble)
                    pending = None
                current = _Table(tbl, preamble, Position(file=source, table=number))
                adding = only is None or number == only
            if adding:
                current.add_row(el)
            el.clear(keep_tail=True)
            _free_before(el)
        elif tag == _TBL:
            if current is None or current.element is not el:
                if _is_top(el) and el.getparent() is not None and el.getparent().tag == _BODY:
                    number += 1  # a table with no rows
                    seen[0] = number
                continue
            if only is None or number == only:
                pending = current.grid(source, number, [])
            current = None
            el.clear(keep_tail=True)
        else:  # w:body: the paragraphs after the last table
            if pending is not None:
                children = list(el)
                last = max((i for i, c in enumerate(children) if c.tag == _TBL), default=-1)
                tail = children[last + 1:]
                yield _with_epilogue(pending, _paragraph_lines(tail))
                pending = None
    if pending is not None:
        yield pending


def _with_epilogue(grid: Grid, lines: list[str]) -> Grid:
    return Grid(grid.rows, grid.source, grid.table, grid.title, grid.preamble, tuple(lines),
                grid.header_rows)


def sniff_docx(head: bytes) -> bool:
    """A zip package whose first entries name Word parts."""
    return is_zip(head) and (b"word/" in head or (b"[Content_Types].xml" in head and b"xl/" not in head))


def _sniff_legacy(head: bytes) -> bool:
    return is_converted_only(head)


def _read_legacy(path: str | Path, **_: object) -> Iterator[Grid]:
    raise legacy_error(Path(path))
    yield  # pragma: no cover


@hookimpl
def register_readers(register: Callable[[Reader], None]) -> None:
    register(Reader("docx", (".docx", ".docm", ".dotx"), read_docx, sniff_docx,
                    "Word documents (.docx): every table, merged cells kept"))
    register(Reader("doc", (".doc", ".wps", ".dot", ".wpt", ".rtf", ".mht", ".mhtml"), _read_legacy, _sniff_legacy,
                    "Legacy .doc/.wps, RTF, MHT and encrypted .docx: recognised, with the command to convert them"))
