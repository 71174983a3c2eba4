"""The DOCX exporter: the table as an official attachment looks.

A4 landscape; the preamble (附件, the title) above the table; a header row repeated on every page
(``w:tblHeader``); one row per task, one column per category level, the task and the unit columns
(the columns of :func:`zwgk.exporters.text.columns_for`); category cells merged vertically over
their tasks (``w:vMerge`` restart, then bare ``w:vMerge``); a task with fewer levels than the table
has written with its text spanning the missing category columns (``w:gridSpan``); column widths
from the content; a CJK font for East Asian text (``w:eastAsia``); no empty paragraphs.

The table is written as XML text and parsed once, so the time grows linearly with the rows
(python-docx's ``cell()``/``merge()`` are quadratic). A character XML cannot hold is an
:class:`~zwgk.errors.ExportError` naming the task and column; ``replace_invalid=True`` writes U+FFFD
in its place and reports it as an :class:`~zwgk.exporters.ExportWarning`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from typing import Any, BinaryIO, Literal
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from zwgk.errors import ExportError
from zwgk.exporters import Exporter, TextCleaner
from zwgk.exporters._fields import category_cell_notes, lines_above
from zwgk.exporters._paragraphs import plan_paragraphs
from zwgk.exporters.text import RowCell, check_cells, check_columns, column_kinds, columns_for, row_cells
from zwgk.hookspecs import hookimpl
from zwgk.model import Plan
from zwgk.vocabulary import LEVEL_HEADINGS

__all__ = ["MAX_CELL_CHARS", "column_widths", "write_docx"]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

#: The most characters one cell may hold. A line of a cell is one XML text node, and the XML
#: parser refuses a text node over 10,000,000 bytes (about 3.3 million Chinese characters in
#: UTF-8); a real cell holds a few hundred. Longer text is an ExportError, not a broken file.
MAX_CELL_CHARS = 1_000_000

PAGE_WIDTH = 16838  # A4 landscape, twips (1/20 pt)
PAGE_HEIGHT = 11906
MARGIN_TOP = MARGIN_BOTTOM = 1417  # 25 mm
MARGIN_LEFT = MARGIN_RIGHT = 1134  # 20 mm
CELL_MARGIN = 57  # 1 mm each side
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT

_FLEX = {"具体任务": 3.0, "工作要求": 2.0}
_CAPS = {"序号": 4.0, "牵头单位": 10.0, "责任单位": 10.0, "配合单位": 10.0, "完成时限": 7.0, "备注": 7.0}
_LEVEL_CAP = 7.0
_OTHER_CAP = 9.0
_MIN_FLEX = 14.0
_CENTRED = {"序号", "牵头单位", "责任单位", "配合单位", "完成时限", "备注", *LEVEL_HEADINGS}


def _display_width(text: str) -> float:
    """Width in CJK character cells: full-width characters count 1, others ½."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.5 for ch in text)


def _natural(texts: Sequence[str]) -> float:
    """The display width of the widest line. A line is never wider than its length, so only lines
    longer than the widest found so far are measured (measuring is per character, and slow)."""
    best = 0.0
    for t in texts:
        for line in t.split("\n"):
            if len(line) > best:
                best = max(best, _display_width(line))
    return best


def column_widths(cols: Sequence[str], rows: Sequence[Sequence[RowCell]], font_size: float = 10.5,
                  total: int = TEXT_WIDTH) -> list[int]:
    """Column widths in twips that suit the content and fill ``total``.

    Category, unit, deadline and serial columns get the width of their longest line, between
    their heading's width and a cap; the task (and requirement) columns share the rest.
    """
    char = font_size * 20
    per_col: dict[str, list[str]] = {c: [] for c in cols}
    for row in rows:
        for cell in row:
            if cell.span == 1:
                per_col[cell.header].append(cell.text)
    avail = (total - len(cols) * 2 * CELL_MARGIN) / char
    flex = [c for c in cols if c in _FLEX]
    fixed: dict[str, float] = {}
    floor: dict[str, float] = {}
    for c in cols:
        if c in _FLEX:
            continue
        cap = _LEVEL_CAP if c in LEVEL_HEADINGS else _CAPS.get(c, _OTHER_CAP)
        floor[c] = min(_display_width(c), cap)
        fixed[c] = max(floor[c], min(_natural(per_col[c]), cap))
    room = avail - _MIN_FLEX * len(flex)
    if sum(fixed.values()) > room and fixed:
        # Shrink the fixed columns towards their floors until the flexible ones fit.
        spare = sum(fixed[c] - floor[c] for c in fixed)
        excess = sum(fixed.values()) - max(room, sum(floor.values()))
        k = min(1.0, excess / spare) if spare else 0.0
        fixed = {c: fixed[c] - (fixed[c] - floor[c]) * k for c in fixed}
    rest = max(avail - sum(fixed.values()), _MIN_FLEX * len(flex))
    weights = {c: _FLEX[c] * max(1.0, _natural(per_col[c])) ** 0.5 for c in flex}
    chars = dict(fixed)
    for c in flex:
        chars[c] = rest * weights[c] / sum(weights.values())
    widths = [round(chars[c] * char) + 2 * CELL_MARGIN for c in cols]
    if flex:  # absorb rounding in the first flexible column so the table fills the width exactly
        i = cols.index(flex[0])
        widths[i] += total - sum(widths)
    return widths


def _runs(text: str, rpr: str) -> str:
    parts = text.split("\t")
    out = []
    for k, part in enumerate(parts):
        if k:
            out.append(f"<w:r>{rpr}<w:tab/></w:r>")
        if part:
            # A carriage return is written as a character reference: a literal one would be read
            # as a line end and normalised to a line feed.
            text = escape(part).replace("\r", "&#13;")
            out.append(f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>')
    return "".join(out)


def _paragraphs(text: str, ppr: str, rpr: str = "") -> str:
    return "".join(f"<w:p>{ppr}{_runs(line, rpr)}</w:p>" for line in text.split("\n"))


def _ppr(jc: str) -> str:
    return f'<w:pPr><w:jc w:val="{jc}"/></w:pPr>'


def _tc(width: int, body: str, *, span: int = 1, vmerge: str | None = None, valign: str = "center") -> str:
    props = [f'<w:tcW w:w="{width}" w:type="dxa"/>']
    if span > 1:
        props.append(f'<w:gridSpan w:val="{span}"/>')
    if vmerge == "restart":
        props.append('<w:vMerge w:val="restart"/>')
    elif vmerge == "continue":
        props.append("<w:vMerge/>")
    props.append(f'<w:vAlign w:val="{valign}"/>')
    return f"<w:tc><w:tcPr>{''.join(props)}</w:tcPr>{body}</w:tc>"


def _table_xml(plan: Plan, cols: list[str], clean: TextCleaner, font_size: float) -> str:
    rows: list[list[RowCell]] = []
    prev: tuple[str, ...] | None = None
    kinds = column_kinds(cols)
    notes = category_cell_notes(plan, "a Word table")
    for task in plan.tasks:
        cells = row_cells(task, cols, prev, kinds, notes)
        check_cells(task, cells)
        for c in cells:
            if len(c.text) > MAX_CELL_CHARS:
                raise ExportError(f"task {task.id}, {c.header}: the cell holds {len(c.text):,} characters; "
                                  f"a DOCX cell holds at most MAX_CELL_CHARS = {MAX_CELL_CHARS:,}",
                                  task.source)
        row = []
        for c in cells:
            text = clean(c.text, task, c.header)
            row.append(c if text == c.text else RowCell(c.header, text, c.span, c.continued, c.column))
        rows.append(row)
        prev = task.path
    widths = column_widths(cols, rows, font_size)
    index = {c: i for i, c in enumerate(cols)}
    ppr = {c: _ppr("center" if c in _CENTRED else "both") for c in cols}
    border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    borders = "".join(border.format(b) for b in ("top", "left", "bottom", "right", "insideH", "insideV"))
    out = [
        "<w:tbl><w:tblPr>",
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>',
        f"<w:tblBorders>{borders}</w:tblBorders>",
        '<w:tblLayout w:type="fixed"/>',
        f'<w:tblCellMar><w:left w:w="{CELL_MARGIN}" w:type="dxa"/>'
        f'<w:right w:w="{CELL_MARGIN}" w:type="dxa"/></w:tblCellMar>',
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0"'
        ' w:noHBand="0" w:noVBand="1"/>',
        "</w:tblPr><w:tblGrid>",
        "".join(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
        "<w:tr><w:trPr><w:tblHeader/></w:trPr>",
        "".join(_tc(w, _paragraphs(c, _ppr("center"), "<w:rPr><w:b/></w:rPr>"))
                for c, w in zip(cols, widths, strict=True)),
        "</w:tr>",
    ]
    for r, row in enumerate(rows):
        out.append("<w:tr>")
        following = {c.header for c in rows[r + 1] if c.continued} if r + 1 < len(rows) else set()
        for cell in row:
            i = cell.column if cell.column is not None else index[cell.header]
            start = i - (cell.span - 1)  # a spanning task cell starts in the first missing level column
            width = sum(widths[start: i + 1])
            vmerge: str | None = None
            if cell.continued:
                vmerge = "continue"
            elif cell.header in following:
                vmerge = "restart"
            body = "<w:p/>" if cell.continued else _paragraphs(cell.text, ppr[cell.header])
            out.append(_tc(width, body, span=cell.span, vmerge=vmerge))
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def _fonts(ascii_font: str, east_asia: str) -> str:
    latin, cjk = quoteattr(ascii_font), quoteattr(east_asia)
    return f"<w:rFonts w:ascii={latin} w:hAnsi={latin} w:cs={latin} w:eastAsia={cjk}/>"


def _preamble_xml(plan: Plan, clean: TextCleaner, title_font: str, label_font: str, latin_font: str) -> str:
    lines = lines_above(plan, "DOCX")
    out = []
    for line in lines:
        text = clean(line, None, "preamble")
        if line == plan.title:
            rpr = f'<w:rPr>{_fonts(latin_font, title_font)}<w:sz w:val="36"/><w:szCs w:val="36"/></w:rPr>'
            ppr = '<w:pPr><w:spacing w:before="120" w:after="240"/><w:jc w:val="center"/></w:pPr>'
        else:
            rpr = f'<w:rPr>{_fonts(latin_font, label_font)}<w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr>'
            ppr = _ppr("left")
        out.append(_paragraphs(text, ppr, rpr))
    return "".join(out)


def _epilogue_xml(plan: Plan, clean: TextCleaner) -> str:
    ppr = '<w:pPr><w:spacing w:before="120"/><w:jc w:val="left"/></w:pPr>'
    return "".join(_paragraphs(clean(line, None, "epilogue"), ppr) for line in plan.epilogue)


def _list_xml(plan: Plan, clean: TextCleaner, title_font: str, label_font: str, latin_font: str) -> str:
    """The plan as body paragraphs (:mod:`zwgk.exporters._paragraphs`), a line break as ``w:br``."""

    preamble = len(plan.preamble or ((plan.title,) if plan.title else ()))
    out = [_preamble_xml(plan, clean, title_font, label_font, latin_font)]
    ppr = '<w:pPr><w:ind w:firstLine="640"/><w:jc w:val="both"/></w:pPr>'
    for text in plan_paragraphs(plan, lines=False)[preamble:]:
        if len(text) > MAX_CELL_CHARS:
            raise ExportError(f"a paragraph holds {len(text):,} characters; at most MAX_CELL_CHARS = "
                              f"{MAX_CELL_CHARS:,}")
        text = clean(text, None, "paragraph")
        runs = "<w:r><w:br/></w:r>".join(_runs(line, "") for line in text.split("\n"))
        out.append(f"<w:p>{ppr}{runs}</w:p>")
    return "".join(out)


def _set_defaults(document: Any, font: str, latin_font: str, font_size: float) -> None:
    from docx.oxml import parse_xml

    styles = document.styles.element
    defaults = styles.find(f"{{{W_NS}}}docDefaults")
    if defaults is not None:
        styles.remove(defaults)
    half_points = round(font_size * 2)
    defaults = parse_xml(
        f'<w:docDefaults xmlns:w="{W_NS}"><w:rPrDefault><w:rPr>{_fonts(latin_font, font)}'
        f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
        "</w:docDefaults>"
    )
    styles.insert(0, defaults)


def write_docx(
    plan: Plan,
    stream: BinaryIO,
    *,
    font: str = "仿宋_GB2312",
    title_font: str = "方正小标宋简体",
    label_font: str = "黑体",
    latin_font: str = "Times New Roman",
    font_size: float = 10.5,
    replace_invalid: bool = False,
    form: Literal["table", "list"] = "table",
) -> None:
    """Write the plan as a Word document.

    :param font: East Asian font of the table (``w:eastAsia``).
    :param title_font: East Asian font of the title.
    :param label_font: East Asian font of other preamble lines (附件).
    :param latin_font: font for Latin letters and digits.
    :param font_size: table text size in points (10.5 is 五号).
    :param replace_invalid: write U+FFFD for a character XML cannot hold, with an
        :class:`~zwgk.exporters.ExportWarning`, instead of refusing the plan.
    :param form: ``"table"`` (A4 landscape, one row per task) or ``"list"`` (A4 portrait, numbered
        task paragraphs each followed by its 牵头单位：/责任单位： lines; a line break inside a text
        is a ``w:br``).
    """
    if form not in ("table", "list"):
        raise ExportError(f"form must be 'table' or 'list', not {form!r}")
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.oxml import parse_xml
    from docx.shared import Twips

    clean = TextCleaner("DOCX", replace=replace_invalid)
    if form == "table":
        cols = columns_for(plan)
        check_columns(plan, cols)
    document = docx.Document()
    _set_defaults(document, font, latin_font, font_size)
    section = document.sections[0]
    section.page_width, section.page_height = Twips(PAGE_WIDTH), Twips(PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = Twips(MARGIN_TOP), Twips(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Twips(MARGIN_LEFT), Twips(MARGIN_RIGHT)
    section.orientation = WD_ORIENT.LANDSCAPE
    if form == "list":
        section.page_width, section.page_height = Twips(PAGE_HEIGHT), Twips(PAGE_WIDTH)
        section.orientation = WD_ORIENT.PORTRAIT
    props = document.core_properties
    props.title = clean(plan.title, None, "title") if plan.title else ""
    props.author = clean(plan.metadata.issuer, None, "issuer") if plan.metadata.issuer else ""
    props.comments = props.subject = props.keywords = props.last_modified_by = ""
    body = document.element.body
    sect_pr = body.find(f"{{{W_NS}}}sectPr")
    for child in list(body):
        if child is not sect_pr:
            body.remove(child)
    if form == "list":
        content = _list_xml(plan, clean, title_font, label_font, latin_font)
    else:
        content = (_preamble_xml(plan, clean, title_font, label_font, latin_font)
                   + _table_xml(plan, cols, clean, font_size)
                   + _epilogue_xml(plan, clean))
    # Parse the whole part in one go: moving a large subtree into another lxml document costs
    # time quadratic in its size.
    template = etree.tostring(document.element, encoding="unicode")
    at = template.index("<w:body>") + len("<w:body>")
    document.part._element = parse_xml((template[:at] + content + template[at:]).encode("utf-8"))
    document.save(stream)
    clean.report()


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    register(Exporter("docx", (".docx",), write_docx,
                      "Word table as an official attachment: A4 landscape, merged categories"))
