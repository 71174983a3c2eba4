"""Tables laid out without ruling (``zwgk.readers.page._aligned``): hand-made pages, and Word and
HTML tables with their borders hidden printed by LibreOffice and Chromium (slow)."""

from __future__ import annotations

import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, Phase, given, settings

import zwgk
from tests.fixtures import borderless, pdfgen
from tests.strategies import examples, realistic_plans
from tests.test_read_pdf import _joined_only, key
from zwgk.model import Plan
from zwgk.readers.page import Glyph, PageInput, PageRead, Segment, read_pages

SIZE = 10.0
PITCH = 15.0
TASK_X, TASK_CHARS = 100.0, 28  # the task column: x 100–380
LEAD_X, RESP_X = 400.0, 500.0


def text(s: str, x: float, y: float, size: float = SIZE) -> list[Glyph]:
    """A line of CJK glyphs starting at ``(x, y)`` (top), each ``size`` wide."""
    return [Glyph(ch, x + i * size, y, x + (i + 1) * size, y + size, size) for i, ch in enumerate(s)]


def header(y: float = 100.0, serial: bool = True) -> list[Glyph]:
    return [*(text("序号", 50, y) if serial else []), *text("工作任务", 200, y), *text("牵头单位", 420, y),
            *text("责任单位", 510, y)]


def task_lines(s: str, y: float) -> tuple[list[Glyph], float]:
    """``s`` wrapped in the task column from ``y``: its glyphs and the top of the line below."""
    out: list[Glyph] = []
    while s:
        out += text(s[:TASK_CHARS], TASK_X, y)
        s, y = s[TASK_CHARS:], y + PITCH
    return out, y


def two_tasks() -> tuple[list[Glyph], float]:
    """A header and two numbered one-line tasks naming a lead and a responsible unit, and the line
    below them."""
    glyphs = header()
    y = 125.0
    for n, task in enumerate([T2, T2.replace("做好", "加强")]):
        glyphs += [*text(str(n + 1), 55, y), *text(task, TASK_X, y), *text("市财政局", LEAD_X, y),
                   *text("市审计局", RESP_X, y)]
        y += 2 * PITCH
    return glyphs, y


def page(glyphs: Sequence[Glyph], number: int = 1, segments: Sequence[Segment] = ()) -> PageInput:
    return PageInput(number, 600, 800, list(glyphs), list(segments))


def rows(read: PageRead, table: int = 0) -> list[list[str]]:
    return [[c.text for c in row] for row in read.tables[table].rows]


T1 = "推进政务公开标准化规范化建设，围绕重点领域编制公开目录，及时发布政策文件和解读材料。"  # 42: two lines
T2 = "做好政策解读和回应关切。"
T3 = "加强政府网站和政务新媒体建设，提升平台集约化水平，推动政务服务“一网通办”，方便企业群众。"


def test_a_table_without_ruling_is_read_from_its_header_and_columns() -> None:
    # rows apart, every cell at its row's top
    glyphs = [*text("附件", 50, 60), *header()]
    y = 125.0
    for n, (task, lead, resp) in enumerate([(T1, "市司法局", "各县（市、区）"), (T2, "市财政局", ""),
                                             (T3, "市大数据局", "市政府各部门")]):
        lines, below = task_lines(task, y)
        glyphs += [*text(str(n + 1), 55, y), *lines, *text(lead, LEAD_X, y), *text(resp, RESP_X, y)]
        y = below + PITCH  # a blank line's space between rows
    read = read_pages([page(glyphs)], "t.pdf")
    assert rows(read) == [["序号", "工作任务", "牵头单位", "责任单位"], ["1", T1, "市司法局", "各县（市、区）"],
                          ["2", T2, "市财政局", ""], ["3", T3, "市大数据局", "市政府各部门"]]
    assert read.tables[0].preamble == ("附件",)
    assert read.warnings == ()


def test_rows_with_no_space_between_them_are_told_apart_by_their_cells_alignment() -> None:
    # a Word table without cell margins: every line at the pitch; the short cells are centred in their rows
    glyphs = header()
    lines1, y = task_lines(T1, 120.0)  # row 1: 120–145 (two lines), its middle at 132.5
    glyphs += [*lines1, *text("1", 55, 127.5), *text("市司法局", LEAD_X, 127.5), *text("各县", RESP_X, 127.5)]
    lines2, y2 = task_lines(T2, y)  # row 2: one line
    glyphs += [*lines2, *text("2", 55, y), *text("市财政局", LEAD_X, y)]
    lines3, _ = task_lines(T3, y2)  # row 3: 165–190 (two lines), a unit list of two lines beside it
    glyphs += [*lines3, *text("3", 55, y2 + 7.5), *text("市大数据局", LEAD_X, y2 + 7.5),
               *text("市审计局、", RESP_X, y2), *text("市统计局", RESP_X, y2 + PITCH)]
    read = read_pages([page(glyphs)], "t.pdf")
    assert rows(read)[1:] == [["1", T1, "市司法局", "各县"], ["2", T2, "市财政局", ""],
                              ["3", T3, "市大数据局", "市审计局、市统计局"]]


def test_paragraph_form_stays_paragraphs() -> None:
    # labels with their values laid out on one line look like headings: never a header
    glyphs = [*text("一、推进决策公开", 50, 100), *text("1.推进政务公开标准化规范化建设。", 50, 120),
              *text("牵头单位：市司法局", 50, 140), *text("责任单位：各县（市、区）", 200, 140),
              *text("完成时限：长期", 400, 140), *text("2.做好政策解读。", 50, 160),
              *text("牵头单位：市财政局", 50, 180), *text("责任单位：市审计局", 200, 180),
              *text("完成时限：年底", 400, 180)]
    read = read_pages([page(glyphs)], "t.pdf")
    assert read.tables == () and read.warnings == ()
    assert [p for p, _ in read.paragraphs][:2] == ["一、推进决策公开", "1.推进政务公开标准化规范化建设。"]


def test_a_header_line_over_prose_is_no_table_and_is_reported() -> None:
    glyphs = [*header(serial=False),
              *text("本表所列工作任务由各牵头单位会同责任单位抓好落实，确保按时完成。", 50, 125),
              *text("各单位要高度重视，细化工作措施，明确责任分工，加强协调配合，确保取得实效。", 50, 140)]
    read = read_pages([page(glyphs, number=3)], "t.pdf")
    assert read.tables == ()
    assert len(read.warnings) == 1 and "t.pdf, page 3" in read.warnings[0] and "read as paragraphs" in read.warnings[0]
    assert any("确保按时完成" in p for p, _ in read.paragraphs)


def test_prose_below_the_table_ends_it() -> None:
    glyphs, y = two_tasks()
    glyphs += text("说明：本表由市政务公开办负责解释，各单位要抓好落实，确保取得实效。", 50, y)
    read = read_pages([page(glyphs)], "t.pdf")
    assert len(rows(read)) == 3
    assert read.tables[0].epilogue == ("说明：本表由市政务公开办负责解释，各单位要抓好落实，确保取得实效。",)


def test_text_in_the_columns_that_cuts_into_no_row_is_left_to_the_body_and_reported() -> None:
    glyphs, y = two_tasks()
    glyphs += text("联系人张三", LEAD_X, y)  # in the lead column alone: no row
    read = read_pages([page(glyphs, number=2)], "t.pdf")
    assert len(rows(read)) == 3 and read.tables[0].epilogue == ("联系人张三",)
    assert len(read.warnings) == 1 and read.warnings[0].startswith("t.pdf, page 2: the table under the header")
    assert "「联系人张三」" in read.warnings[0]


def test_a_heading_row_spans_the_table_and_category_labels_span_their_rows() -> None:
    # a heading written across the first columns; a category column whose labels are centred over their rows
    glyphs = [*text("类别", 40, 100), *text("工作任务", 200, 100), *text("牵头单位", 420, 100),
              *text("责任单位", 510, 100)]
    glyphs += text("一、重点领域信息公开", 40, 125)
    y = 150.0
    for n in range(4):
        glyphs += [*text(f"做好第{n + 1}项重点工作。", TASK_X, y), *text("市财政局", LEAD_X, y),
                   *text("市审计局", RESP_X, y)]
        y += 2 * PITCH
    glyphs += [*text("财政", 40, 150 + PITCH), *text("审计", 40, 150 + 5 * PITCH)]  # each between its two rows
    read = read_pages([page(glyphs)], "t.pdf")
    grid = read.tables[0]
    assert [c.text for c in grid.rows[1]] == ["一、重点领域信息公开"] and grid.rows[1][0].colspan == 4
    labels = [(c.text, c.rowspan) for row in grid.rows[2:] for c in row if c.column == 0]
    assert labels == [("财政", 2), ("审计", 2)]


def test_a_table_goes_on_over_the_page_without_its_header() -> None:
    def part(number: int, first: int, top: float, with_header: bool) -> PageInput:
        glyphs = header(y=top) if with_header else []
        y = top + 25
        for n in range(first, first + 3):
            glyphs += [*text(str(n), 55, y), *text(f"做好第{n}项重点工作。", TASK_X, y), *text("市财政局", LEAD_X, y),
                       *text("市审计局", RESP_X, y)]
            y += 2 * PITCH
        return page([*glyphs, *text(f"- {number} -", 290, 770)], number=number)

    read = read_pages([part(1, 1, 610, True), part(2, 4, 60, False)], "t.pdf")
    assert len(read.tables) == 1
    assert [r[0] for r in rows(read)] == ["序号", "1", "2", "3", "4", "5", "6"]


def _rows_at(first: int, y: float, count: int) -> tuple[list[Glyph], float]:
    """``count`` rows from ``y`` with no space between them (a table printed without cell padding),
    each a task of two lines beside units of two, its serial centred: alone on a line between them."""
    glyphs: list[Glyph] = []
    for n in range(first, first + count):
        glyphs += [*text(str(n), 55, y + PITCH / 2), *text(f"做好第{n}项重点工作，", TASK_X, y),
                   *text("及时公开有关信息。", TASK_X, y + PITCH), *text("市财政局、", LEAD_X, y),
                   *text("市税务局", LEAD_X, y + PITCH), *text("市审计局、", RESP_X, y),
                   *text("各县", RESP_X, y + PITCH)]
        y += 2 * PITCH
    return glyphs, y


def test_a_serial_in_a_margin_band_between_its_rows_lines_is_no_page_number() -> None:
    # page 1's last row stands in the bottom band (below 720 of 800): its serial 「8」 alone on its line
    # reads as a page number; the real footers 「- 1 -」 (centred) and 「2」 go
    first, y = _rows_at(1, 495, 8)
    assert y == 735 and [g.y1 > 720 for g in first if g.text == "8" and g.x0 == 55] == [True]
    second, _ = _rows_at(9, 50, 2)  # the table goes on from page 2's top band, its serial 「9」 in it
    read = read_pages([page([*header(y=450), *first, *text("- 1 -", 290, 770)], number=1),
                       page([*second, *text("2", 295, 770)], number=2)], "t.pdf")
    assert [r[0] for r in rows(read)] == ["序号", *map(str, range(1, 11))]
    assert rows(read)[8] == ["8", "做好第8项重点工作，及时公开有关信息。", "市财政局、市税务局", "市审计局、各县"]
    assert read.warnings == ("t.pdf: page numbers left out (page furniture; pages 1, 2)",)
    assert [p for p, _ in read.paragraphs] == []


def test_a_number_in_line_with_the_serials_but_apart_from_the_rows_is_kept_with_a_warning() -> None:
    # 「5」 at the page's foot, where the serials stand, nothing beside it: a serial whose row's text
    # went over to the next page, or a page number set at the left margin; kept, and said
    glyphs, y = _rows_at(1, 575, 4)
    read = read_pages([page([*header(y=550), *glyphs, *text("5", 55, y + 40)], number=3)], "t.pdf")
    assert [r[0] for r in rows(read)] == ["序号", "1", "2", "3", "4"]
    assert [p for p, _ in read.paragraphs] == ["5"] and read.tables[0].epilogue == ("5",)
    assert read.warnings[0].startswith("t.pdf, page 3: 「5」 in the page's bottom margin reads as a page number but "
                                       "stands in the table's serial column")
    assert "stops above 「5」" in read.warnings[1] and len(read.warnings) == 2
    # the same at the page's centre, under the task column: a page number
    read = read_pages([page([*header(y=550), *glyphs, *text("5", 295, y + 40)], number=3)], "t.pdf")
    assert read.warnings == ("t.pdf: page numbers left out (page furniture; pages 3)",)
    assert read.tables[0].epilogue == ()


def test_a_page_number_beside_a_footer_across_the_columns_is_left_out() -> None:
    # 「3」 shares its band with the office's name, set lower and across the columns: no line of the table
    glyphs, _ = _rows_at(1, 640, 4)  # down to 755
    footer = [*text("3", 520, 765), *text("某某市人民政府办公室二〇二〇年四月印发", 230, 771)]
    read = read_pages([page([*header(y=615), *glyphs, *footer], number=3)], "t.pdf")
    assert [r[0] for r in rows(read)] == ["序号", "1", "2", "3", "4"]
    assert read.warnings == ("t.pdf: page numbers left out (page furniture; pages 3)",)
    assert read.tables[0].epilogue == ("某某市人民政府办公室二〇二〇年四月印发",)


def test_a_row_cut_by_the_page_may_centre_its_cells_in_the_room_below_its_text() -> None:
    # no cell margins, the short cells centred; the page cuts row 2 after three lines of its task, and
    # its serial and units stand centred in the row's part down to the page's end (665–750, as
    # WeasyPrint lays them out), lower than the middle of its text: still its row, its task going on
    # at the next page's top
    long = T3 + T1 + T3  # five lines: three on page 1
    glyphs = header(y=610)
    lines1, y = task_lines(T1, 635.0)
    glyphs += [*lines1, *text("1", 55, 642.5), *text("市司法局", LEAD_X, 642.5), *text("各县", RESP_X, 642.5)]
    glyphs += [g for i in range(3) for g in text(long[i * TASK_CHARS:(i + 1) * TASK_CHARS], TASK_X, y + i * PITCH)]
    glyphs += [*text("2", 55, 702.5), *text("市财政局", LEAD_X, 702.5), *text("市审计局", RESP_X, 702.5)]
    rest, y2 = task_lines(long[3 * TASK_CHARS:], 60.0)
    two = [*rest, *text("3", 55, y2), *text(T2, TASK_X, y2), *text("市大数据局", LEAD_X, y2),
           *text("市统计局", RESP_X, y2)]
    read = read_pages([page(glyphs), page(two, number=2)], "t.pdf")
    assert rows(read)[1:] == [["1", T1, "市司法局", "各县"], ["2", long, "市财政局", "市审计局"],
                              ["3", T2, "市大数据局", "市统计局"]]
    assert read.warnings == ()


def test_a_page_with_a_ruled_table_is_read_from_its_ruling_alone() -> None:
    box = [Segment(40, 90, 590, 90), Segment(40, 115, 590, 115), Segment(40, 90, 40, 115), Segment(590, 90, 590, 115)]
    glyphs = [*header(), *text("1", 55, 130), *text(T2, TASK_X, 130), *text("市财政局", LEAD_X, 130),
              *text("市审计局", RESP_X, 130), *text("2", 55, 160), *text(T2, TASK_X, 160),
              *text("市财政局", LEAD_X, 160)]
    read = read_pages([page(glyphs, segments=box)], "t.pdf")
    assert len(read.tables) == 1 and len(read.tables[0].rows) == 1  # the ruled frame only


# -- printed by LibreOffice and Chromium --------------------------------------------------------------------

needs_soffice = pytest.mark.skipif(not pdfgen.producer_available("libreoffice"), reason="LibreOffice is not installed")

@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("borderless")


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize("producer", ["libreoffice", "chromium-lo-html", "chromium-html"])
@pytest.mark.parametrize("layout", list(borderless.LAYOUTS))
def test_a_borderless_table_reads_as_its_source(printed: Path, layout: str, producer: str) -> None:
    if producer != "libreoffice" and not pdfgen.producer_available("chromium"):
        pytest.skip("Chromium is not installed")
    plan = borderless.LAYOUTS[layout]()
    d = printed / f"{layout}-{producer}"
    d.mkdir()
    if producer == "chromium-html":
        source = borderless.borderless_html(plan, d / "t.html", serial=any(t.serial for t in plan.tasks))
        pdf = pdfgen.chromium_pdf(source, d / "t.pdf")
    else:
        source = borderless.borderless_docx(plan, d / "t.docx")
        pdf = pdfgen.to_pdf(source) if producer == "libreoffice" else \
            pdfgen.chromium_pdf(pdfgen.to_html(source), d / "t.pdf")
    assert key(zwgk.load(pdf)) == key(zwgk.load(source))


@pytest.mark.slow
@pytest.mark.parametrize("producer", ["chromium", "weasyprint"])
@pytest.mark.parametrize("layout", ["one-level", "two-levels-6-columns", "two-pages"])
def test_a_borderless_table_without_cell_padding_reads_as_its_html(printed: Path, layout: str, producer: str) -> None:
    """Cells with no padding, headings at their cells' left edges: a column's full lines run right
    up to the next column's text, and the column edge is the heading's left edge."""
    if not pdfgen.producer_available(producer):
        pytest.skip(f"{producer} is not installed")
    plan = borderless.LAYOUTS[layout]()
    d = printed / f"unpadded-{layout}-{producer}"
    d.mkdir()
    html = borderless.borderless_html(plan, d / "t.html", serial=any(t.serial for t in plan.tasks), padding=0,
                                      align="left", justify=True)
    pdf = (pdfgen.chromium_pdf if producer == "chromium" else pdfgen.weasyprint_pdf)(html, d / "t.pdf")
    assert key(zwgk.load(pdf)) == key(zwgk.load(html))


def _band_numbers(pdf: Path, number: int) -> list[str]:
    """The lines of page ``number`` in its top or bottom band that read as page numbers."""
    import pypdfium2

    from zwgk.readers.page import PageSettings, is_page_number
    from zwgk.readers.page._body import FURNITURE_BAND
    from zwgk.readers.page._text import line_text, lines_of
    from zwgk.readers.pdf._pdfium import page_input

    doc = pypdfium2.PdfDocument(pdf)
    try:
        got = page_input(doc, number - 1, PageSettings(), False, 100_000).input
    finally:
        doc.close()
    band = FURNITURE_BAND * got.height
    return [line_text(ln) for ln in lines_of(got.glyphs) if is_page_number(line_text(ln))
            and (ln[0].y0 < band or max(g.y1 for g in ln) > got.height - band)]


@pytest.mark.slow
@pytest.mark.parametrize("footer", [False, True])
@pytest.mark.parametrize("name", list(borderless.SERIAL_IN_BAND))
def test_a_serial_in_a_page_band_is_read_as_the_tables_not_as_a_page_number(printed: Path, name: str,
                                                                             footer: bool) -> None:
    """Printed without cell padding, a serial centred in its row stands alone on its line in a
    page's band; it was left out as a page number, its row read without it. A page number centred
    in the footer under the table is still left out."""
    import pypdfium2

    producer = name.split("-")[0]
    if not pdfgen.producer_available(producer):
        pytest.skip(f"{producer} is not installed")
    number, make = borderless.SERIAL_IN_BAND[name]
    plan = make()
    d = printed / f"band-{name}-{footer}"
    d.mkdir()
    html = borderless.borderless_html(plan, d / "t.html", serial=True, padding=0, align="left", justify=True,
                                      page_number="counter(page)" if footer else None)
    pdf = (pdfgen.chromium_pdf if producer == "chromium" else pdfgen.weasyprint_pdf)(html, d / "t.pdf")
    serials = [t.serial for t in plan.tasks]
    in_band = _band_numbers(pdf, number)
    # the layout this test is about: a serial in the band (and the page's number under it)
    assert len(in_band) == 1 + footer and in_band[0] in serials and (not footer or in_band[1] == str(number))
    doc = pypdfium2.PdfDocument(pdf)
    pages = len(doc)
    doc.close()
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        got = zwgk.load(pdf)
    assert key(got) == key(zwgk.load(html))
    numbers = f"{pdf}: page numbers left out (page furniture; pages {', '.join(map(str, range(1, pages + 1)))})"
    assert [str(w.message) for w in said] == ([numbers] if footer else [])

@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize("producer", ["libreoffice", "chromium-lo-html"])
@pytest.mark.parametrize("layout", list(borderless.WORD_LAYOUTS))
def test_a_borderless_word_table_reads_as_its_word_file(printed: Path, layout: str, producer: str) -> None:
    if producer != "libreoffice" and not pdfgen.producer_available("chromium"):
        pytest.skip("Chromium is not installed")
    d = printed / f"word-{layout}-{producer}"
    d.mkdir()
    docx = borderless.WORD_LAYOUTS[layout](d / "t.docx")
    pdf = pdfgen.to_pdf(docx) if producer == "libreoffice" else pdfgen.chromium_pdf(pdfgen.to_html(docx), d / "t.pdf")
    word = zwgk.load(docx)
    got = zwgk.load(pdf)
    assert key(got) == key(word) and got.title == word.title


def _one_paragraph_tasks(plan: Plan) -> Plan:
    return attrs.evolve(plan, tasks=tuple(attrs.evolve(t, text=t.text.replace("\n", "")) for t in plan.tasks))


@pytest.mark.slow
@needs_soffice
@settings(max_examples=examples(3), deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(plan=realistic_plans(max_tasks=8).map(_one_paragraph_tasks))
def test_generated_plans_survive_a_borderless_docx_to_pdf(plan: Plan) -> None:
    """As with ruled tables (``test_read_pdf``): equal, but for paragraphs of a cell run together
    where the first ends on an exactly full line. Tasks of one paragraph each: a task of several,
    in a table with no space between rows, may be read as several rows (a known limit, see
    docs/readers.md: the cells beside it need not say otherwise)."""
    with tempfile.TemporaryDirectory() as d:
        docx = borderless.borderless_docx(plan, Path(d) / "plan.docx")
        back = zwgk.load(pdfgen.to_pdf(docx))
    assert len(key(back)) == len(key(plan))
    for got, want in zip(key(back), key(plan), strict=True):
        assert all(_joined_only(g, w) for g, w in zip(got, want, strict=True)), (got, want)
    assert back.title == plan.title
