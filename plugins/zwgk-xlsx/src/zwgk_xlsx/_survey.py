"""A workbook read in one pass over its XML: each sheet's cells, merged ranges and extent, within limits.

Every part the reader needs (the workbook and its relationships, the shared strings, the number
formats of the styles, each sheet) is streamed once with lxml, entities off, no DTD, nothing fetched
(:func:`zwgk.readers.package.iterparse`), and each cell and row leaves the tree once read. A
cell's text is what the file stores, as openpyxl reads it (shared and inline strings with their rich
text runs, numbers, booleans, errors, dates from a date number format), never a formula's result:
a formula keeps its text as written (``=A1&B1``).

A 1.6 KB file can ask for billions of cells (a merge over the whole sheet, one cell at
``A1048576``), thousands of sheets (2,000 sheets sharing one part) or gigabytes of text (every cell
referring to one large shared string). The limits below are checked while the parts stream, before
any grid is built, and a workbook beyond them is a :class:`~zwgk.errors.ParseError` naming the
sheet. They are module attributes read at each call, so a program that must read larger workbooks
may raise them (``zwgk_xlsx._survey.MAX_SHEET_CELLS = 10_000_000``).
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import warnings
import zipfile
from collections.abc import Iterator
from typing import Any

import attrs
from lxml import etree

from zwgk.errors import ParseError, Position, ReadWarning
from zwgk.readers.package import ZipLimits, iterparse, open_member
from zwgk.table import MAX_COLUMNS
from zwgk_xlsx._values import (
    BUILTIN_DATES,
    EPOCH_1900,
    EPOCH_1904,
    MAIN,
    OFF,
    bold_runs,
    cast_number,
    content,
    date_format,
    date_text,
    formula,
    iso_text,
    number_text,
)

__all__ = ["MAX_SHEETS", "MAX_SHEET_CELLS", "MAX_TEXT_CHARS", "Sheet", "read_sheets"]

#: Most sheets a workbook may hold. Task workbooks have one to a few dozen.
MAX_SHEETS = 255
#: Most grid cells one sheet may span: rows × columns up to its last cell or merged range (and most
#: cells its merged ranges may cover together). A task sheet of 5,000 rows × 20 columns spans 100,000.
MAX_SHEET_CELLS = 500_000
#: Most characters the cells of a workbook may hold once each shared string is put in every cell that
#: refers to it (the real tables hold well under a million).
MAX_TEXT_CHARS = 64 * 1024 * 1024

_MAIN = MAIN
_RID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_ROW, _C, _V, _F, _IS, _T, _R = (_MAIN + t for t in ("row", "c", "v", "f", "is", "t", "r"))
_MERGE = _MAIN + "mergeCell"
_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")

_COLUMNS: dict[str, int] = {}  # column letters -> number, filled as met (at most 18,278 entries)


@attrs.frozen
class Sheet:
    """One worksheet as its XML holds it.

    ``rows`` and ``cols`` are its last row and column (1-based; 0 for a sheet without cells), up to
    its last cell or merged range; ``cells`` maps a row to its cells' texts by column (a cell not
    there is empty); ``merges`` are its merged ranges as ``(first row, first column, last row, last
    column)``; ``formulas`` the reference and text of each formula cell, in the order read;
    ``bold`` the texts set bold of each cell that has any, by ``(row, column)``: the whole text of a
    cell whose style's font is bold, or its rich text runs set bold.
    """

    title: str
    rows: int
    cols: int
    cells: dict[int, dict[int, str]]
    merges: tuple[tuple[int, int, int, int], ...]
    formulas: tuple[tuple[str, str], ...]
    bold: dict[tuple[int, int], list[str]] = attrs.field(factory=dict)


def _column(letters: str) -> int:
    col = _COLUMNS.get(letters)
    if col is None:
        col = 0
        for ch in letters.upper():
            col = col * 26 + ord(ch) - 64
        _COLUMNS[letters] = col
    return col


def _ref(text: str) -> tuple[int, int] | None:
    """(row, column), 1-based, of a cell reference such as ``B7``; None when it is not one."""
    m = _REF.match(text)
    if m is None:
        return None
    return int(m.group(2)), _column(m.group(1))


def _letters(col: int) -> str:
    out = ""
    while col > 0:
        col, rest = divmod(col - 1, 26)
        out = chr(65 + rest) + out
    return out


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


def _damaged(name: str, e: etree.XMLSyntaxError, where: Position) -> ParseError:
    return ParseError(f"the workbook part {name} is damaged XML: {e.msg}", where)


def _events(zf: zipfile.ZipFile, name: str, where: Position, limits: ZipLimits,
            tags: tuple[str, ...]) -> Iterator[tuple[str, Any]]:
    """The ``tags`` elements of the part ``name`` as each ends, ``("end", element)`` (its DTD, if
    any, refused first)."""
    stream = open_member(zf, name, where, limits, "an .xlsx workbook")
    try:
        yield from iterparse(stream, where, tags)
    except etree.XMLSyntaxError as e:
        raise _damaged(name, e, where) from None
    finally:
        stream.close()


def _drop(el: Any) -> None:
    """Empty an element read and take it and the siblings before it out of the tree, so that a long
    part holds no more than the element being read."""
    el.clear()
    while el.getprevious() is not None:
        del el.getparent()[0]


def _relationships(zf: zipfile.ZipFile, part: str, names: set[str], where: Position,
                   limits: ZipLimits) -> dict[str, tuple[str, str]]:
    """Id -> (type, part name) of the relationships of ``part`` (external targets left out). A
    target is resolved against the part's folder, or from the package root when only that names a
    part (some writers give ``xl/worksheets/sheet1.xml`` for ``worksheets/sheet1.xml``)."""
    folder, base = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", base + ".rels")
    out: dict[str, tuple[str, str]] = {}
    if rels not in names:
        return out
    for _, el in _events(zf, rels, where, limits, ("{*}Relationship",)):
        rid, target = el.get("Id"), el.get("Target")
        if rid and target and el.get("TargetMode") != "External":
            resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join(folder, target))
            if resolved not in names and target.lstrip("/") in names:
                resolved = target.lstrip("/")
            out[rid] = (el.get("Type") or "", resolved)
        el.clear()
    return out


def _of_type(rels: dict[str, tuple[str, str]], kind: str, default: str) -> str:
    return next((part for t, part in rels.values() if t.endswith("/" + kind)), default)


def _styles(zf: zipfile.ZipFile, part: str, names: set[str], where: Position,
            limits: ZipLimits) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The cell styles (``s``, as written) whose number format shows a date or time, those of them
    showing a duration (``[h]:mm``), as openpyxl tells them, and those whose font is bold."""
    if part not in names:
        return frozenset(), frozenset(), frozenset()
    custom: dict[int, str] = {}
    dates: set[str] = set()
    durations: set[str] = set()
    bold_fonts: set[int] = set()
    bold: set[str] = set()
    for _, el in _events(zf, part, where, limits, (_MAIN + "numFmt", _MAIN + "fonts", _MAIN + "cellXfs")):
        if el.tag == _MAIN + "numFmt":
            fmt_id = _row_number(el.get("numFmtId") or "")
            if fmt_id is not None:
                custom[fmt_id] = el.get("formatCode") or ""
        elif el.tag == _MAIN + "fonts":
            for index, font in enumerate(x for x in el if x.tag == _MAIN + "font"):
                b = font.find(_MAIN + "b")
                if b is not None and b.get("val", "1") not in OFF:
                    bold_fonts.add(index)
        else:
            for index, xf in enumerate(x for x in el if x.tag == _MAIN + "xf"):
                fmt_id = _row_number(xf.get("numFmtId") or "0")
                code = custom[fmt_id] if fmt_id in custom else BUILTIN_DATES.get(fmt_id or 0)
                date, duration = date_format(code) if code is not None else (False, False)
                if date:
                    dates.add(str(index))
                if duration:
                    durations.add(str(index))
                if bold_fonts and _row_number(xf.get("fontId") or "0") in bold_fonts:
                    bold.add(str(index))
            break
        el.clear()
    return frozenset(dates), frozenset(durations), frozenset(bold)


def _shared_strings(zf: zipfile.ZipFile, part: str, names: set[str], where: Position,
                    limits: ZipLimits) -> tuple[list[str], dict[int, list[str]]]:
    """The shared strings, and the texts set bold of each that has rich text runs set bold."""
    strings: list[str] = []
    bold: dict[int, list[str]] = {}
    if part not in names:
        return strings, bold
    for _, el in _events(zf, part, where, limits, (_MAIN + "si",)):
        strings.append(content(el))
        if len(el) > 1 and (runs := bold_runs(el)):
            bold[len(strings) - 1] = runs
        _drop(el)
    return strings, bold


@attrs.define
class _Book:
    """What every sheet's cells refer to: the shared strings, the date styles and the epoch."""

    shared: list[str]
    dates: frozenset[str]
    durations: frozenset[str]
    epoch: dt.datetime
    source: str
    bold: frozenset[str] = frozenset()  # the cell styles whose font is bold
    shared_bold: dict[int, list[str]] = attrs.field(factory=dict)  # shared strings with runs set bold


def _sheet(zf: zipfile.ZipFile, part: str, title: str, number: int, book: _Book, times: int, text_before: int,
           where: Position, limits: ZipLimits) -> tuple[Sheet, int]:
    """The sheet stored in ``part`` and the characters it holds (counted ``times``, once for each
    sheet naming the part); refused beyond the limits."""
    here = Position(file=book.source, table=number, sheet=title)  # the sheet, by its number and its name
    at = here.describe()
    max_cells, max_text = MAX_SHEET_CELLS, MAX_TEXT_CHARS
    shared, dates, durations, epoch = book.shared, book.dates, book.durations, book.epoch
    bold_styles, shared_bold = book.bold, book.shared_bold
    bold: dict[tuple[int, int], list[str]] = {}
    cells: dict[int, dict[int, str]] = {}
    merges: dict[tuple[int, int, int, int], None] = {}
    formulas: list[tuple[str, str]] = []
    shared_formulas: dict[str, tuple[str, str]] = {}
    rows = cols = chars = merged = 0
    row_at = 0  # where openpyxl puts a row without ``r``: after the row before
    ref_match, columns = _REF.match, _COLUMNS

    def check() -> None:
        if cols > MAX_COLUMNS:
            raise ParseError(f"the sheet reaches column {cols:,}, more than {MAX_COLUMNS:,} "
                             "(zwgk.table.grid.MAX_COLUMNS)", here)
        if rows * cols > max_cells:
            raise ParseError(f"the sheet spans {rows:,} rows × {cols:,} columns = {rows * cols:,} "
                             f"cells, more than {max_cells:,} (zwgk_xlsx._survey.MAX_SHEET_CELLS)", here)
        if text_before + chars * times > max_text:
            raise ParseError(f"the cells hold more than {max_text:,} characters once shared strings are put "
                             "in place (zwgk_xlsx._survey.MAX_TEXT_CHARS)", here)

    def bad(what: str, row: int | None = None) -> ParseError:
        return ParseError(f"{what}; the workbook is damaged (open it in Excel, WPS or LibreOffice and save it "
                          "again)", Position(file=book.source, table=number, row=row, sheet=title))

    def next_row(row: Any) -> int:
        """The number of a row element: its ``r``, or the one after the row before, as openpyxl counts."""
        r = row.get("r")
        if r is None:
            return row_at + 1
        n = _row_number(r)
        if n is None or n < 1:
            raise bad(f"a row numbered {r[:20]!r}")
        return n

    row_el: Any = None
    outside = 0  # cells outside any row, which openpyxl does not read either
    for _, el in _events(zf, part, where, limits, (_C, _ROW, _MERGE)):
        tag = el.tag
        if tag == _ROW:  # its cells are read (each as it ends); a row without cells still counts
            if el is not row_el:
                row_at = next_row(el)
            _drop(el)
        elif tag == _C:
            c = el
            parent = c.getparent()
            if parent is not row_el:
                if parent is None or parent.tag != _ROW:
                    outside += 1
                    _drop(c)
                    continue
                row_at = next_row(parent)
                row_el, col_at = parent, 0  # a cell without ``r`` goes after the cell before in its row
            ref = c.get("r")
            if ref:
                m = ref_match(ref)
                if m is None:
                    raise bad(f"a cell with the reference {ref[:20]!r}", row_at)
                letters, digits = m.groups()
                rr, cc = int(digits), columns.get(letters) or _column(letters)
                if rr < 1:
                    raise bad(f"a cell with the reference {ref[:20]!r}", row_at)
            else:
                rr, cc = row_at, col_at + 1
            col_at = cc
            if rr > rows or cc > cols:
                rows, cols = max(rows, rr), max(cols, cc)
                check()
            v = f = inline = None
            for child in c:
                tag = child.tag
                if tag == _V:
                    if v is None:
                        v = child.text or ""
                elif tag == _F:
                    if f is None:
                        f = child
                elif tag == _IS and inline is None:
                    inline = child
            t = c.get("t")
            try:
                if f is not None:
                    coordinate = ref or f"{_letters(cc)}{rr}"
                    text = formula(f, coordinate, shared_formulas, here)
                    formulas.append((coordinate, text))
                elif t == "inlineStr":
                    text = content(inline) if inline is not None else ""
                elif not v:
                    text = ""
                elif t == "s":
                    k = int(v)
                    if k < 0:
                        raise IndexError(k)
                    text = shared[k]
                elif t is None or t == "n":
                    value = cast_number(v)
                    s = c.get("s")
                    if s in dates:
                        try:
                            text = date_text(value, epoch, s in durations)
                        except (OverflowError, ValueError):
                            text = number_text(value)
                            warnings.warn(f"{at}, cell {ref or _letters(cc) + str(rr)}: "
                                          f"the date number {v} is beyond the dates Python holds; kept as "
                                          "the number", ReadWarning, stacklevel=2)
                    else:
                        text = number_text(value)
                elif t == "b":
                    text = "TRUE" if int(v) else "FALSE"
                elif t == "d":
                    text = iso_text(v)
                else:  # "str" (a formula's text result kept without its formula), "e" (an error such as #N/A)
                    text = v
            except (ValueError, IndexError):
                raise bad(f"the cell {ref or _letters(cc) + str(rr)} of type {t or 'n'!r} holds {v[:20]!r}"
                          if v else f"the cell {ref or _letters(cc) + str(rr)} cannot be read", rr) from None
            line = cells.get(rr)
            if text and (bold_styles or shared_bold or inline is not None):
                if c.get("s") in bold_styles:
                    bold[(rr, cc)] = [text]  # the whole cell set bold by its style's font
                elif f is None and (runs := shared_bold.get(int(v or -1)) if t == "s" else
                                    bold_runs(inline) if inline is not None else None):
                    bold[(rr, cc)] = runs  # its rich text runs set bold
            if text:
                if line is None:
                    line = cells[rr] = {}
                line[cc] = text
                chars += len(text)
                if text_before + chars * times > max_text:
                    check()
            elif line is not None and cc in line:
                line[cc] = text  # a later cell at the same place, empty, as openpyxl keeps the last
            c.clear()  # and the cell before it out of the row: a long row holds one cell at a time
            if c.getprevious() is not None:
                del parent[0]
        else:
            span = el.get("ref") or ""
            _drop(el)
            first, _, last = span.partition(":")
            start, end = _ref(first), _ref(last or first)
            if start is None or end is None or min(*start, *end) < 1:
                warnings.warn(f"{at}: the merged range {span[:40]!r} "
                              "names no cells; its cells are read one by one", ReadWarning, stacklevel=2)
                continue
            r0, r1 = sorted((start[0], end[0]))
            c0, c1 = sorted((start[1], end[1]))
            if (r0, c0, r1, c1) in merges:
                continue
            merges[(r0, c0, r1, c1)] = None
            rows, cols = max(rows, r1), max(cols, c1)
            check()
            merged += (r1 - r0 + 1) * (c1 - c0 + 1)
            if merged > max_cells:
                raise ParseError(f"the merged ranges of the sheet cover more than {max_cells:,} cells "
                                 "(they overlap; zwgk_xlsx._survey.MAX_SHEET_CELLS)", here)
    check()
    if outside:
        warnings.warn(f"{at}: cells outside any row are not read ({outside:,} of them)",
                      ReadWarning, stacklevel=2)
    sheet = Sheet(title, rows, cols, cells, tuple(merges), tuple(formulas), bold)
    return sheet, chars * times


def read_sheets(zf: zipfile.ZipFile, where: Position, limits: ZipLimits) -> list[Sheet]:
    """Every worksheet of the workbook, in order, each read once (a part several sheets name is
    read once and counted for each); refused beyond the limits with a :class:`ParseError`.

    A sheet the workbook lists whose part is missing is left out with a
    :class:`~zwgk.errors.ReadWarning` naming it; a chart sheet holds no cells and is no table."""
    names = set(zf.namelist())
    source = where.file or ""
    root = _relationships(zf, "", names, where, limits) if "_rels/.rels" in names else {}
    main = _of_type(root, "officeDocument", "xl/workbook.xml")
    if main not in names:
        raise ParseError(f"the package has no workbook part ({main}): this is not an .xlsx workbook", where)
    rels = _relationships(zf, main, names, where, limits)
    listed: list[tuple[str, str | None]] = []
    epoch = EPOCH_1900
    for _, el in _events(zf, main, where, limits, (_MAIN + "sheet", _MAIN + "workbookPr")):
        if el.tag == _MAIN + "workbookPr":
            flag = el.get("date1904")
            if flag is not None and flag not in ("", "false", "f", "0"):
                epoch = EPOCH_1904
        else:
            listed.append((el.get("name") or "", el.get(_RID)))
            if len(listed) > MAX_SHEETS:
                raise ParseError(f"the workbook has more than {MAX_SHEETS:,} sheets "
                                 "(zwgk_xlsx._survey.MAX_SHEETS); no task workbook holds that many", where)
        el.clear()
    folder = posixpath.dirname(main)
    dates, durations, bold = _styles(zf, _of_type(rels, "styles", posixpath.join(folder, "styles.xml")), names,
                                     where, limits)
    shared, shared_bold = _shared_strings(
        zf, _of_type(rels, "sharedStrings", posixpath.join(folder, "sharedStrings.xml")), names, where, limits)
    book = _Book(shared, dates, durations, epoch, source, bold, shared_bold)
    parts: list[tuple[str, str]] = []
    for title, rid in listed:
        kind, part = rels.get(rid or "", ("", ""))
        if kind.endswith("/chartsheet"):
            continue
        if part not in names:
            warnings.warn(f"{source}: the workbook lists the sheet {title!r}, but its part "
                          f"({part or 'no relationship ' + repr(rid)}) is missing; the sheet is left out",
                          ReadWarning, stacklevel=2)
            continue
        parts.append((title, part))
    uses: dict[str, int] = {}
    for _, part in parts:
        uses[part] = uses.get(part, 0) + 1
    read: dict[str, Sheet] = {}
    sheets: list[Sheet] = []
    text = 0
    for number, (title, part) in enumerate(parts, start=1):
        if part not in read:
            read[part], chars = _sheet(zf, part, title, number, book, uses[part], text, where, limits)
            text += chars
        sheets.append(attrs.evolve(read[part], title=title))
    return sheets
