"""How big a workbook really is, measured from its XML before openpyxl builds a single cell.

openpyxl in normal mode builds a Python object for every cell of a sheet's extent and for every
cell a merged range covers, and parses a sheet part once for each sheet naming it. A 1.6 KB file can
therefore ask for billions of cells (a merge over the whole sheet, one cell at ``A1048576``), thousands
of parses (2,000 sheets sharing one part) or gigabytes of text (every cell referring to one large
shared string). :func:`survey` streams the workbook's parts once with lxml, keeping only counters, and
refuses a workbook beyond the limits below with a :class:`~zwgk.errors.ParseError` naming the sheet.
The limits are module attributes read at each call, so a program that must read larger workbooks
may raise them (``zwgk_xlsx._survey.MAX_SHEET_CELLS = 10_000_000``).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from typing import Any

import attrs
from lxml import etree

from zwgk.errors import ParseError, Position
from zwgk.readers.package import ZipLimits, open_member
from zwgk.table import MAX_COLUMNS

__all__ = ["MAX_SHEETS", "MAX_SHEET_CELLS", "MAX_TEXT_CHARS", "Extent", "survey"]

#: Most sheets a workbook may hold. Task workbooks have one to a few dozen.
MAX_SHEETS = 255
#: Most grid cells one sheet may span: rows × columns up to its last cell or merged range. A task sheet
#: of 5,000 rows × 20 columns spans 100,000; openpyxl holds about 300 bytes per cell.
MAX_SHEET_CELLS = 500_000
#: Most characters the cells of a workbook may hold once each shared string is put in every cell that
#: refers to it (the real tables hold well under a million).
MAX_TEXT_CHARS = 64 * 1024 * 1024

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")


def _ref(text: str | None) -> tuple[int, int] | None:
    """(row, column), 1-based, of a cell reference such as ``B7``; None when it is not one."""
    m = _REF.match(text or "")
    if m is None:
        return None
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


@attrs.frozen
class Extent:
    """What a sheet spans: its last row and column (1-based; 0 for a sheet without cells) and its
    merged ranges as ``(first row, first column, last row, last column)``, as openpyxl counts them."""

    rows: int = 0
    cols: int = 0
    merges: tuple[tuple[int, int, int, int], ...] = ()


def _row_number(text: str) -> int | None:
    """A row element's ``r``, as openpyxl reads it (a whole number, possibly written ``7.0``)."""
    try:
        return int(text)
    except ValueError:
        try:
            value = float(text)
        except ValueError:
            return None
        return int(value) if value.is_integer() else None


def _events(zf: zipfile.ZipFile, name: str, where: Position, limits: ZipLimits,
            tags: tuple[str, ...]) -> Iterator[tuple[str, Any]]:
    stream = open_member(zf, name, where, limits)
    try:
        yield from etree.iterparse(stream, events=("end",), tag=[_MAIN + t for t in tags], resolve_entities=False,
                                   no_network=True, load_dtd=False, huge_tree=True)
    except etree.XMLSyntaxError as e:
        raise ParseError(f"the workbook part {name} is damaged XML: {e.msg}", where) from None
    finally:
        stream.close()


def _sheet_parts(zf: zipfile.ZipFile, where: Position, limits: ZipLimits) -> list[tuple[str, str]]:
    """(sheet name, part name) of each sheet the workbook lists, in order."""
    names = set(zf.namelist())
    if "xl/workbook.xml" not in names:
        return []
    targets: dict[str, str] = {}
    if "xl/_rels/workbook.xml.rels" in names:
        stream = open_member(zf, "xl/_rels/workbook.xml.rels", where, limits)
        try:
            for _, el in etree.iterparse(stream, events=("end",), resolve_entities=False, no_network=True,
                                         load_dtd=False):
                if el.tag.endswith("}Relationship") and el.get("Id") and el.get("Target"):
                    target = el.get("Target").lstrip("/")
                    targets[el.get("Id")] = target if target.startswith("xl/") else posixpath.normpath(
                        posixpath.join("xl", target))
                el.clear()
        except etree.XMLSyntaxError as e:
            raise ParseError(f"the workbook part xl/_rels/workbook.xml.rels is damaged XML: {e.msg}", where) from None
        finally:
            stream.close()
    sheets: list[tuple[str, str]] = []
    for _, el in _events(zf, "xl/workbook.xml", where, limits, ("sheet",)):
        sheets.append((el.get("name") or "", targets.get(el.get(_REL) or "", "")))
        el.clear()
        if len(sheets) > MAX_SHEETS:
            raise ParseError(f"the workbook has more than {MAX_SHEETS:,} sheets "
                             "(zwgk_xlsx._survey.MAX_SHEETS); no task workbook holds that many", where)
    return sheets


def _shared_lengths(zf: zipfile.ZipFile, where: Position, limits: ZipLimits) -> list[int]:
    if "xl/sharedStrings.xml" not in zf.namelist():
        return []
    lengths: list[int] = []
    for _, el in _events(zf, "xl/sharedStrings.xml", where, limits, ("si",)):
        lengths.append(sum(len(t.text or "") for t in el.iter(_MAIN + "t")))
        el.clear()
    return lengths


def survey(zf: zipfile.ZipFile, where: Position, limits: ZipLimits) -> dict[str, Extent]:
    """Refuse a workbook whose sheets, extent or text go beyond the limits, before openpyxl opens it;
    else each sheet's :class:`Extent`, by sheet name.

    A cell without a reference (``r``) is placed as openpyxl places it: after the cell before it in
    its row, in the row after the row before (or the row its ``<row r>`` names)."""
    sheets = _sheet_parts(zf, where, limits)
    extents: dict[str, Extent] = {}
    surveyed: dict[str, Extent] = {}
    uses = Counter(part for _, part in sheets)
    shared = _shared_lengths(zf, where, limits)
    names = set(zf.namelist())
    text = 0
    for title, part in sheets:
        if part in surveyed:
            extents[title] = surveyed[part]
        if part not in names or uses[part] == 0:
            continue
        times, uses[part] = uses[part], 0  # each part is surveyed once, counted for every sheet naming it
        rows = cols = chars = 0
        merges: list[tuple[int, int, int, int]] = []
        row_el: Any = None
        row_at = col_at = 0  # where openpyxl puts a cell without a reference
        for _, el in _events(zf, part, where, limits, ("c", "mergeCell")):
            if el.tag == _MAIN + "c":
                parent = el.getparent()
                if parent is not row_el:  # the first cell of a row
                    row_el, col_at = parent, 0
                    r = parent.get("r") if parent is not None else None
                    row_at = (_row_number(r) or row_at) if r is not None else row_at + 1
                at = _ref(el.get("r"))
                if at is None and not el.get("r"):
                    at = (row_at, col_at + 1)
                if at is not None:
                    col_at = at[1]
            else:
                first, _, last = (el.get("ref") or "").partition(":")
                at = _ref(last or first)
                start = _ref(first)
                if at is not None and start is not None:
                    merges.append((start[0], start[1], at[0], at[1]))
            if at is not None:
                rows, cols = max(rows, at[0]), max(cols, at[1])
            if el.tag == _MAIN + "c":
                if el.get("t") == "s":
                    v = el.findtext(_MAIN + "v") or ""
                    chars += shared[int(v)] if v.isdigit() and int(v) < len(shared) else 0
                else:
                    chars += sum(len(t) for t in el.itertext())
            el.clear()
        here = Position(file=where.file, table=sheets.index((title, part)) + 1)
        if cols > MAX_COLUMNS:
            raise ParseError(f"the sheet {title!r} reaches column {cols:,}, more than {MAX_COLUMNS:,} "
                             "(zwgk.table.grid.MAX_COLUMNS)", here)
        if rows * cols > MAX_SHEET_CELLS:
            raise ParseError(f"the sheet {title!r} spans {rows:,} rows × {cols:,} columns = {rows * cols:,} cells, "
                             f"more than {MAX_SHEET_CELLS:,} (zwgk_xlsx._survey.MAX_SHEET_CELLS)", here)
        text += chars * times
        if text > MAX_TEXT_CHARS:
            raise ParseError(f"the cells hold more than {MAX_TEXT_CHARS:,} characters once shared strings are "
                             f"put in place (zwgk_xlsx._survey.MAX_TEXT_CHARS; sheet {title!r})", here)
        extents[title] = surveyed[part] = Extent(rows, cols, tuple(merges))
    return extents
