"""Units set bold: a table that says its bold units lead (责任单位（加粗的为牵头单位）, 注：字体加粗的为牵头
单位, 黑体字为牵头单位) gives each unit set bold that role, in every form whose reader sees type (Word,
OpenDocument, HTML); where the reader cannot see it, a warning says the units were read in the
column's role."""

from __future__ import annotations

import html
import shutil
import warnings
from collections.abc import Sequence
from pathlib import Path

import docx
import pytest

import zwgk
from tests.fixtures import kinds
from tests.fixtures.layouts import odt_package
from tests.fixtures.pdfgen import lo_convert
from zwgk.model import Plan
from zwgk.table.grid import emphasised
from zwgk.vocabulary import EMPHASIS, ColumnRole, classify, marked_roles

TITLE = "2023年某某市政务公开工作要点任务分解表"
#: Each task: its serial, text and unit cell as runs (text, set bold).
TASKS: list[tuple[str, str, list[tuple[str, bool]]]] = [
    ("1", "推进财政预决算公开。", [("市财政局", True), ("、", False), ("市审计局", False)]),
    ("2", "做好政策解读。", [("市政府办公室", False), ("、", False), ("市司法局", True)]),
    ("3", "推进一网通办。", [("市行政审批服务局", False)]),
    ("4", "公开审计结果。", [("市审计局", True)]),
]
#: What the tasks read as where the bold units lead: (leads, responsible) of each.
BOLD_LED = [(["市财政局"], ["市审计局"]), (["市司法局"], ["市政府办公室"]), ([], ["市行政审批服务局"]),
            (["市审计局"], [])]
#: What they read as where nothing is said of bold: every unit responsible.
NONE_LED = [([], ["市财政局", "市审计局"]), ([], ["市政府办公室", "市司法局"]), ([], ["市行政审批服务局"]),
            ([], ["市审计局"])]
HEADING = "责任单位（加粗的为牵头单位）"


def _who(plan: Plan) -> list[tuple[list[str], list[str]]]:
    return [([u.name for u in t.leads], [u.name for u in t.responsible]) for t in plan.tasks]


def _load(path: Path) -> tuple[Plan, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plan = zwgk.load(path)
    return plan, [str(w.message) for w in caught if issubclass(w.category, zwgk.ReadWarning)]


def write_docx(path: Path, heading: str = HEADING, note: str | None = None) -> Path:
    """The tasks as a Word table, the bold units set bold in their own runs (as Word writes them)."""
    document = docx.Document()
    document.add_paragraph(TITLE)
    table = document.add_table(rows=1 + len(TASKS), cols=3)
    table.style = "Table Grid"
    for c, text in enumerate(("序号", "工作任务", heading)):
        table.cell(0, c).paragraphs[0].add_run(text).bold = True  # a bold header says nothing of units
    for r, (serial, task, runs) in enumerate(TASKS, 1):
        table.cell(r, 0).text = serial
        table.cell(r, 1).text = task
        paragraph = table.cell(r, 2).paragraphs[0]
        for text, bold in runs:
            paragraph.add_run(text).bold = bold or None
    if note is not None:
        document.add_paragraph(note)
    document.save(str(path))
    return path


def write_html(path: Path, heading: str = HEADING, how: Sequence[str] = ("b",)) -> Path:
    """The tasks as an HTML table, each bold unit set bold by the next of ``how`` in turn (a tag, or a
    ``font-weight`` style)."""
    ways = iter(how * len(TASKS))

    def bold(text: str) -> str:
        way = next(ways)
        if way.startswith("font-weight"):
            return f'<span style="{way}">{html.escape(text)}</span>'
        return f"<{way}><span>{html.escape(text)}</span></{way}>"

    rows = [f"<tr><th>序号</th><th>工作任务</th><th>{html.escape(heading)}</th></tr>"]
    for serial, task, runs in TASKS:
        units = "".join(bold(t) if b else html.escape(t) for t, b in runs)
        rows.append(f"<tr><td>{serial}</td><td><p>{html.escape(task)}</p></td><td><p>{units}</p></td></tr>")
    path.write_text(f"<html><head><meta charset='utf-8'></head><body><p>{TITLE}</p><table border=1>"
                    f"{''.join(rows)}</table></body></html>", encoding="utf-8")
    return path


def write_odt(path: Path, heading: str = HEADING) -> Path:
    """The tasks as an OpenDocument table, each bold unit in a span of an automatic bold style (as
    Writer writes direct formatting), one of them by its Asian font weight."""
    styles = ('<style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/>'
              '</style:style><style:style style:name="T2" style:family="text">'
              '<style:text-properties style:font-weight-asian="bold"/></style:style>'
              '<style:style style:name="T3" style:family="text"><style:text-properties fo:font-style="italic"/>'
              '</style:style>')
    names = iter(["T1", "T2"] * len(TASKS))

    def cell(inner: str) -> str:
        return f"<table:table-cell><text:p>{inner}</text:p></table:table-cell>"

    rows = ["<table:table-row>" + "".join(cell(html.escape(t)) for t in ("序号", "工作任务", heading)) +
            "</table:table-row>"]
    for serial, task, runs in TASKS:
        units = "".join(f'<text:span text:style-name="{next(names)}">{html.escape(t)}</text:span>' if b else
                        f'<text:span text:style-name="T3">{html.escape(t)}</text:span>' for t, b in runs)
        rows.append(f"<table:table-row>{cell(serial)}{cell(html.escape(task))}{cell(units)}</table:table-row>")
    body = f"<text:p>{TITLE}</text:p><table:table table:name='T'>{''.join(rows)}</table:table>"
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
          'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"')
    return odt_package(path, body, ns=ns, styles=styles)


WRITERS = {"docx": lambda p, h: write_docx(p / "t.docx", h), "html": lambda p, h: write_html(p / "t.html", h),
           "odt": lambda p, h: write_odt(p / "t.odt", h)}


@pytest.mark.parametrize("form", sorted(WRITERS))
def test_the_heading_says_bold_units_lead(tmp_path: Path, form: str) -> None:
    plan, said = _load(WRITERS[form](tmp_path, HEADING))
    assert _who(plan) == BOLD_LED
    assert said == []
    lead = plan.tasks[0].leads[0]
    assert lead.as_written == "市财政局"
    assert lead.note is not None and "marked bold" in lead.note and HEADING in lead.note


@pytest.mark.parametrize("form", sorted(WRITERS))
def test_bold_says_nothing_where_the_table_says_nothing_of_it(tmp_path: Path, form: str) -> None:
    """Bold type alone (a header row, a unit set bold for no stated reason) gives no role and no
    warning."""
    plan, said = _load(WRITERS[form](tmp_path, "责任单位"))
    assert _who(plan) == NONE_LED
    assert said == []


@pytest.mark.parametrize("note", ["注：字体加粗的为牵头单位。", "说明：黑体字为牵头单位", "注：牵头单位用粗体标注。"])
def test_a_note_by_the_table_says_bold_units_lead(tmp_path: Path, note: str) -> None:
    plan, said = _load(write_docx(tmp_path / "t.docx", "责任单位", note))
    assert _who(plan) == BOLD_LED
    assert said == []
    assert note in plan.epilogue


@pytest.mark.parametrize("how", [("strong",), ("font-weight: bold",), ("font-weight:700",), ("b", "strong")])
def test_html_bold_by_tag_or_style(tmp_path: Path, how: tuple[str, ...]) -> None:
    plan, said = _load(write_html(tmp_path / "t.html", HEADING, how))
    assert (_who(plan), said) == (BOLD_LED, [])


def test_html_bold_by_a_class_of_the_pages_style_sheet(tmp_path: Path) -> None:
    """LibreOffice's HTML sets a run bold by a class its style sheet makes bold (``.T1 { font-weight:
    bold; }``); a class set otherwise is not bold."""
    page = write_html(tmp_path / "t.html", HEADING, ("b",)).read_text(encoding="utf-8")
    page = page.replace("<b><span>", '<span class="T1 x">').replace("</span></b>", "</span>")
    page = page.replace("<head>", "<head><style>p.P1 { color: red } .T1, td.T9 { font-weight:bold; }</style>")
    (tmp_path / "t.html").write_text(page, encoding="utf-8")
    plan, said = _load(tmp_path / "t.html")
    assert (_who(plan), said) == (BOLD_LED, [])
    (tmp_path / "t.html").write_text(page.replace("font-weight:bold", "font-style:italic"), encoding="utf-8")
    plan, said = _load(tmp_path / "t.html")
    assert _who(plan) == NONE_LED and len(said) == 1


def test_a_form_that_shows_no_type_says_the_bold_units_were_not_seen(tmp_path: Path) -> None:
    """The text form cannot set a unit bold: the table's word is said, and its units keep the
    column's role, never a guess."""
    rows = [["序号", "工作任务", HEADING], *([s, t, "".join(x for x, _ in runs)] for s, t, runs in TASKS)]
    plan, said = _load(kinds.write_table(tmp_path, "text", TITLE, rows))
    assert _who(plan) == NONE_LED
    assert len(said) == 1
    assert "a unit set bold is its task's lead" in said[0] and "column 3" in said[0]
    assert "read in the column's role (responsible)" in said[0]


@pytest.mark.parametrize(("text", "role"), [
    ("加粗的为牵头单位", ColumnRole.LEAD), ("注：字体加粗的为牵头单位。", ColumnRole.LEAD),
    ("黑体字为牵头单位", ColumnRole.LEAD), ("加黑的单位为配合单位", ColumnRole.COOPERATING),
    ("粗体表示牵头", ColumnRole.LEAD), ("牵头单位用粗体标注", ColumnRole.LEAD), ("牵头单位加粗", ColumnRole.LEAD),
])
def test_what_says_bold_units_have_a_role(text: str, role: ColumnRole) -> None:
    assert [(m.mark, m.role) for m in marked_roles(text)] == [(EMPHASIS, role)]


@pytest.mark.parametrize("text", ["加粗", "牵头单位", "各单位要加强领导，粗略统计", "黑龙江省财政厅"])
def test_bold_words_alone_say_nothing(text: str) -> None:
    assert marked_roles(text) == ()


@pytest.mark.parametrize("heading", [HEADING, "责任单位（黑体为牵头单位）", "责任单位(字体加粗的为牵头单位)"])
def test_a_heading_saying_bold_units_lead_is_a_responsible_column(heading: str) -> None:
    assert classify(heading)[0] is ColumnRole.RESPONSIBLE


def test_emphasis_is_where_the_bold_pieces_are_in_order() -> None:
    assert emphasised("市财政局、市审计局、市财政局", ["市财政局", "市财政局"]) == ((0, 4), (10, 14))
    assert emphasised("市财政局、市审计局", ["市审计", "局"]) == ((5, 9),)
    assert emphasised("市财政局", ["不在"]) == ()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
@pytest.mark.parametrize("target", ["odt", "html", "doc", "pdf"])
def test_bold_units_survive_libreoffice_conversions(tmp_path: Path, target: str) -> None:
    """Word's bold runs as LibreOffice writes them in OpenDocument, HTML (a class its style sheet
    sets bold), Word 97-2003 (a run's sprmCFBold) and PDF (a bold font) read the same."""
    source = write_docx(tmp_path / "t.docx", HEADING)
    converted = lo_convert(source, "html:XHTML Writer File:UTF8" if target == "html" else target, f".{target}")
    plan, said = _load(converted)
    assert (_who(plan), said) == (BOLD_LED, [])


def test_a_style_sheet_without_braces_or_a_cell_of_many_bold_pieces_costs_its_length(tmp_path: Path) -> None:
    """Hostile sizes: a style sheet of a megabyte with no rule, and bold pieces that never match,
    are read in one pass each (the work is bounded, not timed: the misses stop the search)."""
    from zwgk.table import grid

    page = write_html(tmp_path / "t.html", HEADING).read_text(encoding="utf-8")
    page = page.replace("<head>", "<head><style>" + "x" * 1_000_000 + "</style>")
    (tmp_path / "t.html").write_text(page, encoding="utf-8")
    plan, said = _load(tmp_path / "t.html")
    assert (_who(plan), said) == (BOLD_LED, [])
    looked: list[int] = []

    class Text(str):
        def find(self, sub: str, *args: object) -> int:  # type: ignore[override]
            looked.append(len(sub))
            return super().find(sub, *args)  # type: ignore[arg-type]

    assert grid.emphasised(Text("市财政局" * 1000), ["不在"] * 10_000) == ()
    assert len(looked) == grid.EMPHASIS_MISSES + 1


def test_bold_glyphs_are_the_cells_emphasis() -> None:
    """The page stage: glyphs set bold (a PDF's bold font, :attr:`Glyph.bold`) are where the cell's
    text is bold."""
    from zwgk.readers.page import Glyph, PageInput, PageSettings, Segment, read_pages

    box = [Segment(10, 10, 310, 10), Segment(10, 40, 310, 40), Segment(10, 10, 10, 40), Segment(310, 10, 310, 40)]
    text = "市审计局、市财政局"
    glyphs = [Glyph(ch, 14 + 12 * k, 18, 26 + 12 * k, 30, 12, bold=k >= 5) for k, ch in enumerate(text)]
    read = read_pages([PageInput(1, 400, 100, glyphs, box)], "x.pdf", PageSettings())
    cell = read.tables[0].rows[0][0]
    assert (cell.text, cell.emphasis) == (text, ((5, 9),))


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("chromium") is None,
                    reason="needs LibreOffice and Chromium")
def test_a_pdf_whose_fonts_do_not_say_bold_says_the_bold_units_were_not_seen(tmp_path: Path) -> None:
    """Chromium names no CJK font in its PDFs, nor their weight: the bold cannot be seen there, and
    the warning says so rather than reading every unit in the column's role without a word."""
    from tests.fixtures.pdfgen import chromium_pdf, to_html

    pdf = chromium_pdf(to_html(write_docx(tmp_path / "t.docx", HEADING)), tmp_path / "t.pdf")
    plan, said = _load(pdf)
    assert _who(plan) == NONE_LED
    assert len(said) == 1 and "no unit of column 3" in said[0]
