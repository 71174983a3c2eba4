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
- nested tables: read as lines of text of the outer cell; a document whose tables hold tables (a
  one-cell box around its content) is also handed over read the other way (``Document.inner``, in
  a second pass when the core asks: no outer table is a task table), the tables holding none as its
  tables and the layout tables' paragraphs as the lines around them;
- header rows marked ``w:tblHeader`` (the grid's ``header_rows``);
- the paragraphs before a table (the title) and after the last one;
- the body paragraphs, collected (in a second pass, only when the core asks for them: the
  document has no task table, or is read with ``layout="list"``) for :mod:`zwgk.table.paragraphs`
  (numbered task paragraphs with 牵头单位：/责任单位： lines); a document with no table gives
  them in the one pass.

Safety comes from :mod:`zwgk.readers.package`, the gate of every zip-based format: the package is
checked against :class:`~zwgk.readers.package.ZipLimits` before anything is inflated, a damaged
entry is a :class:`~zwgk.errors.ParseError` naming it, and the XML is parsed with entities, DTDs and
network access off, a document with a DTD refused. ``w:gridSpan`` and
``w:gridBefore`` must be whole numbers up to :data:`~zwgk.table.grid.MAX_SPAN`, and a row may not
reach past :data:`~zwgk.table.grid.MAX_COLUMNS` grid columns.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from typing import Any

from lxml import etree

from zwgk._gc import paused_gc
from zwgk.errors import ParseError, Position, UnsupportedFormatError
from zwgk.readers import Document, Paragraph, Source
from zwgk.readers._sniff import is_ole, is_zip, legacy_error
from zwgk.readers._wordml import (
    BODY,
    TBL,
    TR,
    TableRows,
    body_paragraphs,
    free_before,
    inner_grids,
    is_top,
    paragraph_lines,
    preceding,
)
from zwgk.readers.package import (
    DEFAULT_LIMITS,
    ZipLimits,
    iterparse,
    open_member,
    open_package,
    parse_xml,
    read_member,
)
from zwgk.table.grid import Grid

__all__ = ["DEFAULT_LIMITS", "ZipLimits", "read_docx", "sniff_docx"]

_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_STRICT_NS = b"http://purl.oclc.org/ooxml/wordprocessingml/main"

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


def _main_part(zf: zipfile.ZipFile, where: Position) -> str:
    """The name of the main document part, from ``_rels/.rels`` (normally ``word/document.xml``)."""
    names = set(zf.namelist())
    if "_rels/.rels" in names:
        data = read_member(zf, "_rels/.rels", where)
        try:
            root = parse_xml(data, where)
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


def read_docx(source: Source | str | os.PathLike[str], *, limits: ZipLimits | None = None) -> Document:
    """Read the tables of a .docx file, in document order, and (when asked for) its body paragraphs.

    :param limits: package limits (default :data:`DEFAULT_LIMITS`); see :class:`ZipLimits`.
    """
    src = Source.of(source)
    p, where, head, name = src.path, src.where, src.head, src.name
    if is_ole(head):
        raise legacy_error(p)
    if not is_zip(head):
        raise ParseError("not a .docx file (a .docx is a zip package starting with PK)", where)
    lim = limits if limits is not None else DEFAULT_LIMITS
    seen = [0, 0]  # tables in the document, counted by the parser, and rows of tables inside tables

    def parse(only_paragraphs: bool) -> tuple[list[Grid], list[Paragraph] | None]:
        grids: list[Grid] = []
        found: list[list[Paragraph]] = []
        with open_package(p, lim) as zf:
            part = _main_part(zf, where)
            stream = open_member(zf, part, where, lim)
            try:
                guarded = _Guarded(stream, where)
                grids.extend(_parse(guarded, name, -1 if only_paragraphs else None, seen, found))
            except etree.XMLSyntaxError as e:
                raise ParseError(f"the document XML is damaged: {e.msg}",
                                 Position(file=name, line=e.lineno)) from None
            except (zipfile.BadZipFile, EOFError, OSError) as e:
                raise ParseError(
                    f"the .docx is damaged or truncated ({e}); open it in Word or LibreOffice and save it again",
                    where,
                ) from None
            finally:
                stream.close()
        if guarded.strict:
            raise UnsupportedFormatError(
                "this document is saved as Strict Open XML, which zwgk does not read; save it again in "
                "Word as a standard Word Document (.docx)",
                where,
            )
        return grids, found[0] if found else None

    grids, paragraphs = parse(False)

    def body() -> list[Paragraph]:
        return paragraphs if paragraphs is not None else parse(True)[1] or []

    def inner() -> tuple[Grid, ...]:
        with open_package(p, lim) as zf:
            data = read_member(zf, _main_part(zf, where), where, lim)
        try:
            root = parse_xml(data, where)
        except (etree.XMLSyntaxError, ValueError):
            return ()  # nested past the parser's depth: the tables as handed over stand
        found = next(root.iter(BODY), None)
        return inner_grids(found, name) if found is not None else ()

    return Document(grids, body, table_count=seen[0], tables_are="Word tables", inner=inner if seen[1] else ())


def _parse(stream: _Guarded, source: str, only: int | None, seen: list[int],
           paragraphs: list[list[Paragraph]]) -> Iterator[Grid]:
    """The grids of the body's tables (only the ``only``-th when given; none when ``only`` is -1);
    ``seen[0]`` counts tables. The body's paragraphs are appended to ``paragraphs`` when the
    document has no table or ``only`` is -1 (the whole body is then held at its end anyway).

    The garbage collector is paused while rows are read, not while the caller holds a grid.
    """
    steps = _parse_steps(stream, source, only, seen, paragraphs)
    while True:
        with paused_gc():
            grid = next(steps, None)
        if grid is None:
            return
        yield grid


def _parse_steps(stream: _Guarded, source: str, only: int | None, seen: list[int],
                 paragraphs: list[list[Paragraph]]) -> Iterator[Grid]:
    current: TableRows | None = None
    number = 0
    pending: Grid | None = None  # the last table read, waiting for the text after it
    adding = False  # whether the rows of the current table are wanted
    for _event, el in iterparse(stream, Position(file=source), (TR, TBL, BODY)):
        tag = el.tag
        if tag == TR:
            if only == -1:
                continue  # only the paragraphs are wanted: keep the body whole
            parent = el.getparent()
            if current is not None and parent is current.element:  # the common case: the next row
                if adding:
                    current.add_row(el)
                el.clear(keep_tail=True)
                while el.getprevious() is not None:
                    del parent[0]
                continue
            if not is_top(el):
                seen[1] += 1
                continue
            tbl = parent
            while tbl is not None and tbl.tag != TBL:
                tbl = tbl.getparent()
            if current is None or current.element is not tbl:
                number += 1
                seen[0] = number
                preamble = paragraph_lines(preceding(tbl)) if tbl is not None else []
                if pending is not None:
                    yield _with_epilogue(pending, preamble)
                    pending = None
                current = TableRows(tbl, preamble, Position(file=source, table=number))
                adding = only is None or number == only
            if adding:
                current.add_row(el)
            el.clear(keep_tail=True)
            free_before(el)
        elif tag == TBL:
            if only == -1:
                continue
            if current is None or current.element is not el:
                if is_top(el) and el.getparent() is not None and el.getparent().tag == BODY:
                    number += 1  # a table with no rows
                    seen[0] = number
                continue
            if only is None or number == only:
                pending = current.grid(source, number, [])
            current = None
            el.clear(keep_tail=True)
        else:  # w:body: the paragraphs after the last table
            if number == 0 or only == -1:
                paragraphs.append(body_paragraphs(el, source))
            if pending is not None:
                children = list(el)
                last = max((i for i, c in enumerate(children) if c.tag == TBL), default=-1)
                tail = children[last + 1:]
                yield _with_epilogue(pending, paragraph_lines(tail))
                pending = None
    if pending is not None:
        yield pending


def _with_epilogue(grid: Grid, lines: list[str]) -> Grid:
    return Grid(grid.rows, grid.source, grid.table, grid.title, grid.preamble, tuple(lines),
                grid.header_rows)


def sniff_docx(head: bytes) -> bool:
    """A zip package whose first entries name Word parts."""
    return is_zip(head) and (b"word/" in head or (b"[Content_Types].xml" in head and b"xl/" not in head))
