"""The page stage (zwgk.readers.page) on hand-made pages: ruling drawn every way, tables over pages,
page furniture, paragraphs, text past the page's edge, and pixel units."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pytest

from zwgk.errors import ParseError
from zwgk.readers.page import Glyph, PageInput, PageRead, PageSettings, Segment, read_pages
from zwgk.readers.page._ruling import TooManySegments, find_tables
from zwgk.readers.page._text import CJK_VARIANTS, line_text, need

SIZE = 10.0


def text(s: str, x: float, y: float, size: float = SIZE, tag: int | None = None) -> list[Glyph]:
    """A line of CJK glyphs starting at ``(x, y)`` (top), each ``size`` wide."""
    return [Glyph(ch, x + i * size, y, x + (i + 1) * size, y + size, size, tag=tag) for i, ch in enumerate(s)]


def lines_grid(xs: Sequence[float], ys: Sequence[float]) -> list[Segment]:
    return [Segment(xs[0], y, xs[-1], y) for y in ys] + [Segment(x, ys[0], x, ys[-1]) for x in xs]


def rects_grid(xs: Sequence[float], ys: Sequence[float], gap: float = 0.75) -> list[Segment]:
    """Each cell drawn as its own rectangle, the neighbours' edges ``gap`` apart (Chromium's
    collapsed borders)."""
    out: list[Segment] = []
    for x0, x1 in itertools.pairwise(xs):
        for y0, y1 in itertools.pairwise(ys):
            a, b, c, d = x0 + gap / 2, y0 + gap / 2, x1 - gap / 2, y1 - gap / 2
            out += [Segment(a, b, c, b), Segment(c, b, c, d), Segment(c, d, a, d), Segment(a, d, a, b)]
    return out


def thin_rects_grid(xs: Sequence[float], ys: Sequence[float], w: float = 0.75) -> list[Segment]:
    """Borders drawn as thin filled rectangles (their outlines as the PDF side hands them over
    once a rectangle is found thin: one line along its middle)."""
    out: list[Segment] = []
    for y in ys:
        out += [Segment(xs[0], y - w / 2, xs[-1], y - w / 2), Segment(xs[0], y + w / 2, xs[-1], y + w / 2)]
    for x in xs:
        out += [Segment(x - w / 2, ys[0], x - w / 2, ys[-1]), Segment(x + w / 2, ys[0], x + w / 2, ys[-1])]
    return out


XS = [50.0, 150.0, 400.0, 500.0]
YS = [50.0, 80.0, 120.0, 160.0]


def page_with(segments: list[Segment], number: int = 1, extra: Sequence[Glyph] = ()) -> PageInput:
    glyphs = [*text("工作任务", 160, 60), *text("牵头单位", 410, 60), *text("序号", 60, 60),
              *text("推进公开", 160, 95), *text("市司法局", 410, 95), *text("一", 60, 95),
              *text("推进解读", 160, 135), *text("市财政局", 410, 135), *text("二", 60, 135), *extra]
    return PageInput(number, 600, 800, glyphs, segments)


@pytest.mark.parametrize("draw", [lines_grid, rects_grid, thin_rects_grid],
                         ids=["lines", "rect-per-cell", "thin-rects"])
def test_a_table_reads_the_same_however_its_borders_are_drawn(draw: object) -> None:
    read = read_pages([page_with(draw(XS, YS))], "t.pdf")  # type: ignore[operator]
    assert [[c.text for c in row] for row in read.tables[0].rows] == [
        ["序号", "工作任务", "牵头单位"], ["一", "推进公开", "市司法局"], ["二", "推进解读", "市财政局"]]
    assert read.warnings == ()


def test_a_missing_inner_border_merges_cells_and_a_cell_background_closes_them() -> None:
    segs = [s for s in lines_grid(XS, YS) if not (s.x0 == s.x1 == 150.0)]
    segs.append(Segment(150, 50, 150, 80))  # the border drawn in the header only
    (table,) = find_tables(segs, PageSettings())
    assert (1, 2, 0, 2) in table.cells and (0, 1, 0, 1) in table.cells
    # a filled background of the second row gives its edges: the border is closed again
    segs += [Segment(50, 80, 150, 80), Segment(150, 80, 150, 120), Segment(150, 120, 50, 120)]
    (table,) = find_tables(segs, PageSettings())
    assert (1, 2, 0, 1) in table.cells and (1, 2, 1, 2) in table.cells


def test_a_frame_around_a_table_is_dropped_for_the_table() -> None:
    frame = lines_grid([20, 580], [20, 780])
    tables = find_tables([*frame, *lines_grid(XS, YS)], PageSettings())
    assert len(tables) == 1 and tables[0].xs == tuple(XS)


def test_too_much_ruling_is_refused_before_it_is_sorted_out() -> None:
    dots = [Segment(x, y, x + 4, y) for x in range(0, 600, 10) for y in range(0, 800, 4)]
    with pytest.raises(TooManySegments):
        find_tables(dots, PageSettings(max_segments=1000))


def test_pixel_units_scale_every_distance() -> None:
    k = 300 / 72

    def px(segs: list[Segment]) -> list[Segment]:
        return [Segment(s.x0 * k, s.y0 * k, s.x1 * k, s.y1 * k) for s in segs]

    page = page_with(rects_grid(XS, YS, gap=2.5))
    scaled = PageInput(1, 600 * k, 800 * k, [Glyph(g.text, g.x0 * k, g.y0 * k, g.x1 * k, g.y1 * k, g.size * k)
                                            for g in page.glyphs], px(list(page.segments)))
    assert len(read_pages([scaled], "s.png", PageSettings(unit_size=k)).tables[0].rows) == 3
    # without the scale, 2.5 pt gaps become 10 px and the borders no longer meet as one
    assert len(read_pages([scaled], "s.png", PageSettings()).tables[0].rows) != 3


def _two_pages(second_rows: list[tuple[str, str, str]], header: bool, ys: Sequence[float] = YS) -> PageRead:
    first = page_with(lines_grid(XS, YS))
    glyphs: list[Glyph] = []
    rows = [("序号", "工作任务", "牵头单位")] if header else []
    rows += second_rows
    for (a, b, c), y in zip(rows, ys, strict=False):
        glyphs += [*text(a, 60, y + 10), *text(b, 160, y + 10), *text(c, 410, y + 10)]
    n = len(rows)
    second = PageInput(2, 600, 800, glyphs, lines_grid(XS, list(ys[:n + 1])))
    return read_pages([first, second], "t.pdf")


@pytest.mark.parametrize("header", [True, False], ids=["header-repeated", "no-header"])
def test_a_continuation_is_found_by_its_columns_with_or_without_a_repeated_header(header: bool) -> None:
    read = _two_pages([("三", "推进服务", "市民政局")], header)
    (grid,) = read.tables
    assert [r[1].text for r in grid.rows] == ["工作任务", "推进公开", "推进解读", "推进服务"]


def test_a_repeated_header_is_dropped_whatever_its_spacing() -> None:
    first = page_with(lines_grid(XS, YS))
    spaced = [*text("序号", 60, 60), *text("牵 头 单 位", 410, 60),
              *[Glyph(ch, 160 + i * 25, 60, 170 + i * 25, 70, SIZE) for i, ch in enumerate("工作任务")],
              *text("三", 60, 95), *text("推进服务", 160, 95), *text("市民政局", 410, 95)]
    second = PageInput(2, 600, 800, spaced, lines_grid(XS, YS[:3]))
    (grid,) = read_pages([first, second], "t.pdf").tables
    assert len(grid.rows) == 4 and grid.rows[3][1].text == "推进服务"


def test_a_table_repeated_whole_on_every_page_is_read_whole() -> None:
    pages = [page_with(lines_grid(XS, YS), n) for n in (1, 2, 3)]
    (grid,) = read_pages(pages, "t.pdf").tables
    assert [r[1].text for r in grid.rows].count("推进公开") == 3


def test_page_furniture_is_left_out_and_reported() -> None:
    def furnished(n: int) -> PageInput:
        p = page_with(lines_grid(XS, YS), n, extra=[*text("政务公开工作通报", 200, 20), *text(f"- {n} -", 290, 770)])
        return p

    read = read_pages([furnished(1), furnished(2), furnished(3)], "t.pdf")
    (grid,) = read.tables
    assert len(grid.rows) == 7  # one table: the furniture did not break it
    assert any("page numbers left out" in w and "pages 1, 2, 3" in w for w in read.warnings)
    assert any("政务公开工作通报" in w and "pages 2, 3" in w for w in read.warnings)
    assert all("政务公开工作通报" not in p for p, _ in read.paragraphs)


def test_a_running_footer_under_a_table_does_not_end_it_and_is_reported_from_its_first_page() -> None:
    pages = [page_with(lines_grid(XS, YS), n, extra=text("某某市人民政府办公室印发", 240, 770)) for n in (1, 2, 3)]
    read = read_pages(pages, "t.pdf")
    (grid,) = read.tables
    assert len(grid.rows) == 7 and grid.preamble == grid.epilogue == ()
    assert read.warnings == ("t.pdf: the running header or footer 「某某市人民政府办公室印发」 left out "
                             "(page furniture; pages 1, 2, 3)",)
    assert all("印发" not in p for p, _ in read.paragraphs)


@pytest.mark.parametrize(("mark", "joined"), [("-l-", True), ("—ii—", True), ("注：下页续表", False)])
def test_a_page_mark_read_wrong_between_two_parts_of_a_table_is_said_and_text_there_ends_it(
        mark: str, joined: bool) -> None:
    first = page_with(lines_grid(XS, YS), 1, extra=text(mark, 290, 770))
    read = read_pages([first, page_with(lines_grid(XS, YS), 2)], "t.pdf")
    if joined:
        (grid,) = read.tables
        assert len(grid.rows) == 5
        assert read.warnings == (f"t.pdf, table 1, page 1: 「{mark}」 in the page's margin between two parts of "
                                 "the table left out (a page number or footer read wrong?)",)
    else:  # Chinese text between the parts is text: the second part is a table of its own, the text before it
        assert [g.preamble for g in read.tables] == [(), (mark,)] and read.warnings == ()


def test_paragraphs_in_reading_order_over_a_page_break() -> None:
    one = [*text("一、工作任务", 50, 100), *text("1.推进决策公开" + "做" * 22, 70, 115),  # indented, to the edge
           *text("到" * 32, 50, 130)]  # the page's last line reaches the edge: it runs on over the page
    two = [*text("的全过程。", 50, 100), *text("牵头单位：市司法局", 50, 115)]
    read = read_pages([PageInput(1, 600, 800, one, []), PageInput(2, 600, 800, two, [])], "p.pdf")
    assert [p for p, _ in read.paragraphs] == ["一、工作任务", "1.推进决策公开" + "做" * 22 + "到" * 32 + "的全过程。",
                                               "牵头单位：市司法局"]
    assert read.paragraphs[2][1].page == 2 and read.paragraphs[1][1].page == 1


def test_text_past_the_page_edge_is_read_inside_a_table_drawn_past_it_and_refused_outside() -> None:
    xs = [50.0, 150.0, 400.0, 700.0]  # the last column runs past the 600 pt page
    wide = PageInput(1, 600, 800, [*text("工作任务", 160, 60), *text("牵头单位", 610, 60)], lines_grid(xs, YS[:2]))
    read = read_pages([wide], "w.pdf")
    assert read.tables[0].rows[0][2].text == "牵头单位"
    assert any("runs past the page's edge" in w for w in read.warnings)
    cut = PageInput(1, 600, 800, [*text("工作任务", 160, 60), *text("牵头单位", 610, 60)], lines_grid(XS, YS[:2]))
    with pytest.raises(ParseError, match="page 1: text lies outside the page"):
        read_pages([cut], "c.pdf")


def test_a_stub_of_ruling_joined_to_nothing_is_no_table() -> None:
    segs = [*lines_grid(XS, YS), Segment(450, 200, 450, 260)]  # a stub below, joined by nothing
    read = read_pages([page_with(segs)], "t.pdf")
    assert read.warnings == ()  # the stub is no table
    assert len(read.tables) == 1


def test_radicals_and_compatibility_ideographs_become_unified_ideographs() -> None:
    assert line_text(text("⼯作⾏动部⻔", 0, 0)) == "工作行动部门"
    assert CJK_VARIANTS[0x2ED4] == "门" and CJK_VARIANTS[0x2F2F] == "工" and CJK_VARIANTS[0xF900] == "\u8c48"
    assert all(0x2E80 <= k <= 0x2EF3 or 0x2F00 <= k <= 0x2FD5 or 0xF900 <= k <= 0xFAFF or 0x2F800 <= k <= 0x2FA1F
               for k in CJK_VARIANTS if k != 0x301C)
    assert line_text(text("（一）：，", 0, 0)) == "（一）：，"  # full-width punctuation kept


def test_radicals_of_traditional_forms_and_the_wave_dash_read_as_a_simplified_font_draws_them() -> None:
    # cairo's mapping of a Chinese font's glyphs: 户 as the radical DOOR (decomposing to 戶), 网 as
    # the radical NET, ～ as the wave dash
    assert line_text(text("政府门⼾⽹站", 0, 0)) == "政府门户网站"
    assert line_text(text("⿈⾭，3〜5个", 0, 0)) == "黄青，3～5个"
    assert line_text(text("戶", 0, 0)) == "戶"  # an ideograph is kept as written


# A table whose first two columns are categories merged down the rows, drawn as an HTML engine
# (Chromium) draws a merged cell split over a page break: its end misplaced inside a row, its
# borders running on to the page's end or starting above the page's top.
CAT_XS = [50.0, 150.0, 250.0, 450.0, 550.0]


def _cat_header(y: float = 60) -> list[Glyph]:
    return [*text("一级任务", 60, y), *text("二级任务", 160, y), *text("工作任务", 260, y), *text("牵头单位", 460, y)]


def _h(y: float, x0: float = CAT_XS[0], x1: float = CAT_XS[-1]) -> Segment:
    return Segment(x0, y, x1, y)


def _v(x: float, y0: float, y1: float) -> Segment:
    return Segment(x, y0, x, y1)


def test_a_merged_cell_ended_inside_a_row_makes_no_row_of_its_own() -> None:
    # 二级任务 「甲类」 drawn ending at 140, inside the second task's row (120–160); below it, down
    # to that row's bottom, an empty sliver; 「乙类」 starts with the third row
    segs = [_h(50), _h(80), _h(120, 250), _h(140, 150, 250), _h(160, 150), _h(200),
            *(_v(x, 50, 200) for x in CAT_XS)]
    glyphs = [*_cat_header(), *text("总体", 60, 90), *text("甲类", 160, 90), *text("乙类", 160, 170),
              *text("任务一", 260, 90), *text("任务二", 260, 125), *text("任务三", 260, 170),
              *text("市司法局", 460, 90), *text("市财政局", 460, 125), *text("市民政局", 460, 170)]
    read = read_pages([PageInput(1, 600, 800, glyphs, segs)], "t.pdf")
    (grid,) = read.tables
    assert [[c.text for c in row if c.text] for row in grid.rows] == [
        ["一级任务", "二级任务", "工作任务", "牵头单位"], ["总体", "甲类", "任务一", "市司法局"],
        ["任务二", "市财政局"], ["乙类", "任务三", "市民政局"]]
    assert read.warnings == ()


def test_a_continuation_drawn_from_above_the_page_keeps_its_repeated_header_and_no_empty_row() -> None:
    first = PageInput(1, 600, 800, [*_cat_header(), *text("总体", 60, 90), *text("甲类", 160, 90),
                                    *text("任务一", 260, 90), *text("市司法局", 460, 90)],
                      [_h(50), _h(80), *(_v(x, 50, 120) for x in CAT_XS), _h(120, 250)])
    # page 2: the lead column's borders drawn from above the page's top down to the repeated header
    second = PageInput(2, 600, 800, [*_cat_header(), *text("任务二", 260, 90), *text("市财政局", 460, 90)],
                       [_v(450, -10, 49.5), _v(550, -10, 49.5), _h(50), _h(80), _h(120),
                        *(_v(x, 50, 120) for x in CAT_XS)])
    read = read_pages([first, second], "t.pdf")
    (grid,) = read.tables
    assert grid.header_rows == 1
    assert [[c.text for c in row if c.text] for row in grid.rows] == [
        ["一级任务", "二级任务", "工作任务", "牵头单位"], ["总体", "甲类", "任务一", "市司法局"],
        ["任务二", "市财政局"]]


def test_a_row_closed_while_the_merged_cells_run_on_ended_on_its_page() -> None:
    # the last row's task fills its cell to the right edge and the bottom, as a row cut by the page
    # break would; but its bottom border is drawn while the category columns run on to the page's
    # end (an engine that leaves a cut row open): it ended there
    full = "推进政务公开" * 3 + "工作"  # 20 characters: to the cell's right edge
    first = PageInput(1, 600, 800, [*_cat_header(), *text("总体", 60, 90), *text("甲类", 160, 90),
                                    *text("任务一", 252, 90), *text("市司法局", 460, 90),
                                    *text(full, 252, 122), *text(full[:-1], 252, 136), *text("市财政局", 460, 125)],
                      [_h(50), _h(80), _h(120, 250), _h(150, 250), *(_v(x, 50, 190) for x in CAT_XS[:3]),
                       *(_v(x, 50, 150) for x in CAT_XS[3:])])
    second = PageInput(2, 600, 800, [*text("任务三", 252, 60)],
                       [_h(50), _h(80), *(_v(x, 50, 80) for x in CAT_XS)])
    read = read_pages([first, second], "t.pdf")
    (grid,) = read.tables
    assert [c.text for row in grid.rows for c in row if c.column == 2] == [
        "工作任务", "任务一", full + full[:-1], "任务三"]
    assert read.warnings == ()


# Rows cut by a page break, told apart by what the cells say: a table of 工作任务 (9 characters to a
# line), 牵头单位, 责任单位 and the widest, 工作要求 (19 to a line); the last row on page 1 is three
# lines tall, page 2 starts with the row in question (no repeated header).
CUT_XS = [50.0, 150.0, 250.0, 350.0, 550.0]


def _cells_at(y: float, cells: Sequence[Sequence[str]]) -> list[Glyph]:
    """Each cell's lines, one under another from ``y`` (13 pt apart), 2 pt right of its left edge."""
    return [g for x, lines in zip(CUT_XS, cells, strict=False) for i, ln in enumerate(lines)
            for g in text(ln, x + 2, y + 13 * i)]


def _cut_row(last: Sequence[Sequence[str]], first: Sequence[Sequence[str]]) -> PageRead:
    head = _cells_at(55, [["工作任务"], ["牵头单位"], ["责任单位"], ["工作要求"]])
    one = PageInput(1, 600, 800, [*head, *_cells_at(85, last)],
                    [_h(50), _h(80), _h(125), *(_v(x, 50, 125) for x in CUT_XS)])
    two = PageInput(2, 600, 800, _cells_at(55, first), [_h(50), _h(80), *(_v(x, 50, 80) for x in CUT_XS)])
    return read_pages([one, two], "t.pdf")


FULL_REQ = ["推动政务服务事项办理由实体政务大厅向网", "上办事大厅延伸推动政务服务事项办理由实",
            "体政务大厅向网上办事大厅延伸，逐步实现"]


def test_a_cell_stopped_at_a_comma_goes_on_over_the_page() -> None:
    # 责任单位 ends its paragraph short of the cell's bottom, but at a comma: its next paragraph
    # (the next unit) went over the page with the rest of the 工作要求
    read = _cut_row([["8.推进公开"], ["省发改委"], ["省直各部门，"], FULL_REQ],
                    [[], [], ["各设区市"], ["服务事项在线咨询。"]])
    (grid,) = read.tables
    assert len(grid.rows) == 2
    assert grid.rows[1][2].text == "省直各部门，\n各设区市"
    assert grid.rows[1][3].text == "".join(FULL_REQ) + "服务事项在线咨询。"
    assert read.warnings == ()


def test_a_row_numbered_after_the_row_above_is_a_row_of_its_own() -> None:
    # the task above filled its cell to the bottom and the 工作要求 its last line: a cut row by the
    # geometry; but the row here numbers itself after the row above (25. then 26.)
    read = _cut_row([["25.推进政务公开", "推进政务公开推进政", "务公开"], ["省审改办"], [], FULL_REQ],
                    [["26.规范办事指南"], [], [], ["进一步规范和完善办事指南。"]])
    (grid,) = read.tables
    assert [row[0].text for row in grid.rows] == [
        "工作任务", "25.推进政务公开推进政务公开推进政务公开", "26.规范办事指南"]
    assert read.warnings == ()


def test_a_task_cut_mid_line_goes_on_when_the_widest_column_is_empty_on_both_sides() -> None:
    read = _cut_row([["19.推动国有企业", "改制重组、产权交易", "增资扩股等方面的信"], ["省国资委"], [], []],
                    [["息公开。"], [], [], []])
    (grid,) = read.tables
    assert [row[0].text for row in grid.rows] == [
        "工作任务", "19.推动国有企业改制重组、产权交易增资扩股等方面的信息公开。"]


def test_a_first_row_not_lining_up_with_the_row_above_is_a_row_of_its_own() -> None:
    # page 2's first row spans the first two columns (a task without a label): it cannot go on in the
    # two cells above it, whatever the 责任单位 left empty says
    head = _cells_at(55, [["工作任务"], ["牵头单位"], ["责任单位"], ["工作要求"]])
    one = PageInput(1, 600, 800, [*head, *_cells_at(85, [["推进公开"], ["省发改委"], ["省财政厅"], ["公开。"]])],
                    [_h(50), _h(80), _h(98), *(_v(x, 50, 98) for x in CUT_XS)])  # every cell full
    two = PageInput(2, 600, 800, [*text("规范办事指南。", 52, 55), *_cells_at(55, [[], [], [], ["规范指南。"]]),
                                  *_cells_at(85, [["推进解读"], ["省司法厅"], ["省财政厅"], ["解读。"]])],
                    [_h(50), _h(80), _h(110), *(_v(x, 50, 110) for x in CUT_XS if x != CUT_XS[1]),
                     _v(CUT_XS[1], 80, 110)])
    read = read_pages([one, two], "t.pdf")
    (grid,) = read.tables
    assert [[c.text for c in row] for row in grid.rows[1:]] == [
        ["推进公开", "省发改委", "省财政厅", "公开。"], ["规范办事指南。", "", "规范指南。"],
        ["推进解读", "省司法厅", "省财政厅", "解读。"]]


def test_two_labels_in_one_unruled_area_are_split_at_the_row_edge_between_them() -> None:
    # 「五、稳就业」 centred over rows 1–2, 「六、企事业」 over row 3, no border drawn between them in
    # the category column: one area, two labels numbered in sequence, far apart
    xs = [50.0, 150.0, 400.0]
    segs = [_h(50, 50, 400), _h(80, 50, 400), _h(120, 150, 400), _h(160, 150, 400), _h(200, 50, 400),
            *(_v(x, 50, 200) for x in xs)]
    body = [*text("工作任务", 60, 60), *text("工作要求", 160, 60), *text("13.加大政策解读。", 160, 95),
            *text("14.公开培训政策。", 160, 135), *text("15.执行公开制度。", 160, 175)]
    apart = [*text("五、稳就业", 60, 115), *text("六、企事业", 60, 175)]
    (grid,) = read_pages([PageInput(1, 600, 800, body + apart, segs)], "t.pdf").tables
    firsts = [(c.text, c.rowspan) for row in grid.rows for c in row if c.column == 0]
    assert firsts == [("工作任务", 1), ("五、稳就业", 2), ("六、企事业", 1)]
    # the same labels at the line pitch are one cell's two paragraphs: not split
    close = [*text("五、稳就业", 60, 115), *text("六、企事业", 60, 128)]
    (grid,) = read_pages([PageInput(1, 600, 800, body + close, segs)], "t.pdf").tables
    assert [(c.text, c.rowspan) for row in grid.rows for c in row if c.column == 0][1] == ("五、稳就业\n六、企事业", 3)


def test_a_role_label_after_a_full_sentence_starts_a_paragraph_on_the_page_and_over_it() -> None:
    # lines of 32 characters from x = 50 (the text block 50–370); the task's last line is full and
    # ends a sentence; the unit line after it is not indented: only its label says it is new
    one = [*text("3.统一证据判断标准。严格执行司法行政执法仲裁调解等不同渠道的", 50, 100),
           *text("证据标准。发挥联查机制作用推进行政执法和刑事司法立案标准衔接。", 50, 115),
           *text("责任单位：区法院", 50, 130),
           *text("4.加强知识产权诚信体系建设。实施市场主体信用分类监管严格依法依", 50, 145),
           *text("规公开知识产权案件信息公布知识产权侵权违法典型案例和目录等。", 50, 160)]
    two = [*text("责任单位：区市场监管局", 50, 100), *text("5.开展专项治理。", 60, 115)]
    read = read_pages([PageInput(1, 600, 800, one, []), PageInput(2, 600, 800, two, [])], "p.pdf")
    assert [p[:5] for p, _ in read.paragraphs] == ["3.统一证", "责任单位：", "4.加强知", "责任单位：", "5.开展专"]


def test_space_between_paragraphs_ends_one_on_a_full_line_each_size_by_its_own_pitch() -> None:
    # untagged: a title of 20-point glyphs set one size apart, body text of 10 set 1.8 apart,
    # paragraphs 2.8 apart: the full line before the heading ends its paragraph; the title's and
    # the body's own lines stay together (one pitch for both would split every body line)
    lines = [*text("题" * 15, 50, 40, size=20), *text("目" * 3, 50, 60, size=20),
             *text("做" * 30, 50, 100), *text("好" * 30, 50, 118),
             *text("二、重点任务", 50, 146), *text("推" * 30, 50, 174), *text("进。", 50, 192)]
    read = read_pages([PageInput(1, 600, 800, lines, [])], "p.pdf")
    assert [p for p, _ in read.paragraphs] == ["题" * 15 + "目" * 3, "做" * 30 + "好" * 30, "二、重点任务",
                                              "推" * 30 + "进。"]


def test_an_indent_of_less_than_a_character_starts_a_paragraph() -> None:
    # a converted document indents its paragraphs by 0.8 characters; the line before is full
    lines = [*text("做" * 30, 50, 100), *text("到" * 30, 50, 115), *text("新的段落。", 58, 130)]
    read = read_pages([PageInput(1, 600, 800, lines, [])], "p.pdf")
    assert [p for p, _ in read.paragraphs] == ["做" * 30 + "到" * 30, "新的段落。"]


def test_a_line_repeated_in_the_margin_band_elsewhere_on_the_page_is_body_text() -> None:
    # 「牵头单位：海关」 ends a page's text in the bottom band twice, 12 pt apart: no footer
    def page(n: int, y: float) -> PageInput:
        lines = [*text(f"{n}.推进一项重要的工作。", 50, y - 30), *text("牵头单位：海关", 50, y)]
        return PageInput(n, 600, 800, lines, [])

    read = read_pages([page(1, 730), page(2, 742)], "p.pdf")
    assert [p for p, _ in read.paragraphs].count("牵头单位：海关") == 2
    assert read.warnings == ()


def test_a_row_numbered_after_the_row_above_is_its_own_though_its_widest_cell_is_empty() -> None:
    # the 工作要求 (the widest column) is empty in the row here: a continuation by that rule alone,
    # but its task numbers itself after the task above
    read = _cut_row([["29.强化公开"], ["省住建厅"], [], ["提高工作的精准化水平。"]],
                    [["30.推进住房公开"], ["省住建厅"], [], []])
    (grid,) = read.tables
    assert [row[0].text for row in grid.rows] == ["工作任务", "29.强化公开", "30.推进住房公开"]
    assert read.warnings == ()


@pytest.mark.parametrize(("above", "here", "doubt"), [
    (["市司法局、市财政局、", "市民政局、市商务局、", "市审计局、市统计局"], "市发展改革委", False),
    (["市司法局、市财政局、", "市民政局、市商务局、", "市审计局、市统计局"], "和有关单位", True),
], ids=["whole-names-then-a-name", "no-name-here"])
def test_a_full_unit_cell_listing_whole_names_says_nothing_of_a_cut(above: list[str], here: str,
                                                                    doubt: bool) -> None:
    # the 工作要求 (the widest) ends a sentence at the row's bottom, and the 牵头单位 fills its
    # cell to the bottom, as a cell cut by the page would. But a list of whole unit names on a full
    # line, over a name here, may as well have ended as gone on (unit cells list a name to a line):
    # the 工作要求 alone decides, and the row here is a row of its own, without doubt. Text here
    # that starts no name makes it a cut cell against an ended one: the doubt is said in a warning
    # (a list cut inside a name: test_a_unit_list_cut_inside_a_name_goes_on_over_the_page).
    read = _cut_row([[], above, [], [*FULL_REQ[:2], "体政务大厅向网上办事大厅延伸。"]],
                    [[], [here], [], ["进一步规范和完善办事指南。"]])
    (grid,) = read.tables
    assert [row[-1].text for row in grid.rows][2:] == ["进一步规范和完善办事指南。"]
    assert bool(read.warnings) == doubt
    assert all("read as a row of its own" in w for w in read.warnings)


def test_a_unit_cell_listing_whole_names_does_not_keep_a_cut_task_from_going_on() -> None:
    # the other way: the 工作要求 runs to the cell's edge at the bottom (cut mid-line), and the 牵头
    # 单位 lists whole names, the next name on the next page: one row, without doubt
    read = _cut_row([[], ["市司法局、市财政局、", "市民政局、市商务局、", "市审计局、市统计局"], [], FULL_REQ],
                    [[], ["市发展改革委"], [], ["服务事项在线咨询。"]])
    (grid,) = read.tables
    assert len(grid.rows) == 2
    assert grid.rows[1][-1].text == "".join(FULL_REQ) + "服务事项在线咨询。"
    assert read.warnings == ()


def test_a_new_label_in_a_merged_column_starts_a_row_of_its_own_over_the_page() -> None:
    # 「甲类」 labels two rows (its cell spans them) and ends far above its bottom; the second row's
    # 工作要求 ends a sentence at the bottom while its 牵头单位 fills its cell as a cut cell would.
    # On page 2 a new label, 「乙类」, opens the first row: a cell of the category column begins
    # there, so a row begins there; no doubt.
    segs = [_h(50, 50, 550), _h(80, 50, 550), _h(100, 150, 550), _h(140, 50, 550),
            *(_v(x, 50, 140) for x in CUT_XS)]
    units = ["市司法局、市财政局、", "市民政局、市商务局、", "市审计局、市自然资"]
    one = PageInput(1, 600, 800, [*_cells_at(55, [["工作任务"], ["牵头单位"], ["责任单位"], ["工作要求"]]),
                                  *_cells_at(85, [["甲类"], ["市司法局"], [], ["推进政务公开。"]]),
                                  *_cells_at(103, [[], units, [], [*FULL_REQ[:2], "体政务大厅延伸。"]])], segs)
    two = PageInput(2, 600, 800, _cells_at(55, [["乙类"], ["市民政局"], [], ["进一步规范和完善办事指南。"]]),
                    [_h(50, 50, 550), _h(80, 50, 550), *(_v(x, 50, 80) for x in CUT_XS)])
    read = read_pages([one, two], "t.pdf")
    (grid,) = read.tables
    assert [[c.text for c in row if c.text][:2] for row in grid.rows] == [
        ["工作任务", "牵头单位"], ["甲类", "市司法局"], ["市司法局、市财政局、市民政局、市商务局、市审计局、市自然资",
                                                    "".join(FULL_REQ[:2]) + "体政务大厅延伸。"], ["乙类", "市民政局"]]
    assert read.warnings == ()


@pytest.mark.parametrize(("here", "joined"), [
    ("（市、区）", "市司法局、市财政局市民政局、市商务局市审计局、各县（市、区）"),
    ("市财政局", "市司法局、市财政局市民政局、市商务局市审计局、各县\n市财政局")],
    ids=["piece-too-wide-for-the-room", "piece-would-have-fitted"])
def test_a_cut_cell_goes_on_as_its_lines_wrap_over_the_page(here: str, joined: str) -> None:
    # a row cut by the page (the 工作要求 runs to the edge); the 牵头单位's last line on page 1 leaves
    # 2.6 characters of room, short of a full line: the next line's first piece, 「（市、」, needs
    # three (an opening bracket goes with the character after it, a comma with the one before), so
    # the line was wrapped, the cell was cut as the 工作要求 was, and the name runs on over the page.
    # 「市财政局」 would have fitted: a paragraph of its own, as within a cell on one page
    read = _cut_row([[], ["市司法局、市财政局", "市民政局、市商务局", "市审计局、各县"], [], FULL_REQ],
                    [[], [here], [], ["服务事项在线咨询。"]])
    (grid,) = read.tables
    assert len(grid.rows) == 2
    assert grid.rows[1][1].text == joined
    assert read.warnings == ()


def test_a_cell_whose_last_line_wrapped_is_cut_evidence_over_the_page() -> None:
    # the 工作要求 ends a sentence at the bottom (it may have ended); the 责任单位's last line leaves
    # room short of 「（市、」, the next page's first piece there: it wrapped, so the cell was cut, and
    # the cells disagree: the 工作要求 decides (a row of its own), and a warning says so
    read = _cut_row([[], [], ["省直各部门", "平潭综合实验区", "各设区市、各县"], [*FULL_REQ[:2], "体政务大厅延伸。"]],
                    [[], [], ["（市、区）"], ["进一步规范和完善办事指南。"]])
    (grid,) = read.tables
    assert [row[-1].text for row in grid.rows][2:] == ["进一步规范和完善办事指南。"]
    assert len(read.warnings) == 1 and "pages 1–2" in read.warnings[0]


LIST_CUT = ["市司法局、市民政局、", "市商务局、市审计局、", "市公安局、市财政"]


@pytest.mark.parametrize(("above", "here", "joined"), [
    (LIST_CUT, "局、市市场监管局", "市公安局、市财政局、市市场监管局"),
    (["省直各部门", "平潭综合实验区", "市人力资源社会保障"], "局、市卫生健康委",
     "\n市人力资源社会保障局、市卫生健康委"),
    (LIST_CUT, "市审计局", None),
], ids=["rest-of-a-name-in-a-list", "rest-of-a-name", "a-name-of-its-own"])
def test_a_unit_list_cut_inside_a_name_goes_on_over_the_page(above: list[str], here: str, joined: str | None) -> None:
    # the 工作要求 (the widest) ends a paragraph at the bottom: it may have ended, or have more
    # paragraphs. The 牵头单位 stops inside a name (市财政, 市人力资源社会保障: they begin like a
    # name and do not end like one) and the text here, which does not begin like a name, ends it
    # (市财政局): the rest of that name, so the row goes on, without doubt. Text here that begins
    # a name of its own leaves the cells disagreeing: a warning.
    read = _cut_row([[], above, [], [*FULL_REQ[:2], "体政务大厅向网上办事大厅延伸。"]],
                    [[], [here], [], ["规范办事指南。"]])
    (grid,) = read.tables
    assert len(grid.rows) == (3 if joined is None else 2)
    if joined is not None:
        assert grid.rows[1][1].text.endswith(joined)
        assert grid.rows[1][-1].text.endswith("延伸。\n规范办事指南。")
    assert bool(read.warnings) == (joined is None)


# Rows cut by an engine that leaves room below a cut row (WeasyPrint: the line that would not fit,
# and the lines it moves along to keep two lines of a paragraph together on the next page). Page 1
# holds the header, a row of two lines and the row in question; every row's fullest cell ends its
# text 4 pt above the row's bottom, but the last row's fullest cell may end ``room`` above it.

BETWEEN = ((), ("省发改委",), ("省直各部门",), ("推进政务公开。", "做好解读。"))


def _cut_with_room(last: Sequence[Sequence[str]], first: Sequence[Sequence[str]], room: float = 4.0,
                   between: Sequence[Sequence[str]] = BETWEEN) -> PageRead:
    bottom = 101 + 5 + 13 * (max(len(c) for c in last) - 1) + 10 + room
    head = _cells_at(55, [["工作任务"], ["牵头单位"], ["责任单位"], ["工作要求"]])
    one = PageInput(1, 600, 800, [*head, *_cells_at(74, between), *_cells_at(106, last)],
                    [_h(50), _h(69), _h(101), _h(bottom), *(_v(x, 50, bottom) for x in CUT_XS)])
    two = PageInput(2, 600, 800, _cells_at(55, first), [_h(50), _h(80), *(_v(x, 50, 80) for x in CUT_XS)])
    return read_pages([one, two], "t.pdf")


@pytest.mark.parametrize("room", [4.0, 24.0], ids=["filled", "stretched"])
def test_a_row_whose_height_the_page_set_is_cut_whatever_room_it_leaves(room: float) -> None:
    # the 工作要求 (the widest) runs to its cell's edge on its last line, the 牵头单位 stops at a comma.
    # Filled to the bottom, the row was cut. Leaving 24 pt where every other row of the page leaves
    # 4, it was cut too: no text ended it, the page did (it would have been read as a row of its own)
    read = _cut_with_room([[], ["市司法局、"], [], FULL_REQ[:2]], [[], ["市财政局"], [], ["体政务大厅延伸。"]], room)
    (grid,) = read.tables
    assert len(grid.rows) == 3
    assert grid.rows[2][-1].text == "".join(FULL_REQ[:2]) + "体政务大厅延伸。"
    assert grid.rows[2][1].text == "市司法局、\n市财政局"
    assert read.warnings == ()


def test_a_row_that_ended_before_the_page_did_is_not_stretched() -> None:
    # every row of the page leaves 24 pt below its fullest cell's text (a least row height): so does
    # the last, which is no evidence of a cut; the 工作要求 ended a sentence short of the bottom
    between = [[], ["省发改委"], [], ["推进政务公开。", "做好解读。"]]
    read = _cut_with_room([[], ["市司法局"], [], [FULL_REQ[0], "体政务大厅延伸。"]],
                          [[], ["市财政局"], [], ["规范办事指南。"]], 24.0, between)
    assert [row[-1].text for row in read.tables[0].rows][-1] == "规范办事指南。"


@pytest.mark.parametrize(("above", "here", "rows", "doubt"), [
    (["市司法局、市民政局、", "市公安局、市财政"], "局、市市场监管局", 2, False),
    (["19.推动国有企业", "改制重组、产权交易"], "增资扩股。", 2, True),
], ids=["a-name-cut", "a-line-run-to-the-edge"])
def test_a_cell_ending_a_line_or_two_above_the_cut_may_have_gone_on(above: list[str], here: str, rows: int,
                                                                    doubt: bool) -> None:
    # the 工作要求 fills its cell to the bottom, cut mid-line; the cell in the first column ends a
    # line above (an engine moved its last lines along to keep them together): not the end of the
    # row it would be on a page filled otherwise. Cut inside a unit name, the row goes on, sure; a
    # line run to the edge says it may have, and the 工作要求 decides, with a warning naming the pages.
    column = 1 if above[0].startswith("市") else 0
    last: list[Sequence[str]] = [[], [], [], FULL_REQ]
    first: list[Sequence[str]] = [[], [], [], ["服务事项在线咨询。"]]
    last[column], first[column] = above, [here]
    read = _cut_with_room(last, first)
    (grid,) = read.tables
    assert len(grid.rows) == 1 + rows
    assert grid.rows[-1][-1].text == "".join(FULL_REQ) + "服务事项在线咨询。"
    assert grid.rows[-1][column].text == "".join(above) + here
    assert bool(read.warnings) == doubt
    assert all("pages 1–2" in w and "joined to the row above" in w for w in read.warnings)


def test_a_cell_ending_a_paragraph_near_the_cut_of_another_leaves_the_row_unsure() -> None:
    # the 工作要求 is cut mid-line at the bottom; the 责任单位 ends a paragraph a line above it, and
    # has a paragraph here: a fresh row's, or its own next one moved over the page whole by an engine
    # that would not split it. Read as a row of its own (as before), and said
    read = _cut_with_room([[], [], ["省直各部门"], FULL_REQ], [[], [], ["各设区市"], ["服务事项在线咨询。"]])
    assert len(read.tables[0].rows) == 4
    assert len(read.warnings) == 1 and "pages 1–2" in read.warnings[0] and "row of its own" in read.warnings[0]


@pytest.mark.parametrize(("line", "chars"), [
    ("（6-0）工作", 5), ("（6-", 3), ("0）工作", 2.2), ("略”、“重点", 5), ("障”（不愁", 4), ("重点“放管服”", 1),
    ("点“放管服”", 3), ("0“好。", 4.2), ("0”好", 3.2)])
def test_a_lines_first_piece_is_what_any_writer_keeps_together(line: str, chars: float) -> None:
    # a number's hyphen within brackets, and a quotation mark, break no line in writers after UAX #14
    # (Pango): what such a line starts with needed that much room at the end of the line before (a
    # Latin word: and a space before it)
    assert need(text(line, 0, 0), 1000) == pytest.approx(chars * SIZE)


def test_a_task_moved_over_the_page_whole_joins_the_units_left_behind() -> None:
    # the row's task (the widest) was too short to split and went over the page whole, its units
    # left on page 1; columns 牵头单位 and 责任单位 have been empty in a row before, so their being
    # empty here says nothing: the empty task above does (a row's widest cell is never empty)
    between = [["1.推进公开"], [], [], ["推进政务公开。", "做好解读。"]]
    read = _cut_with_room([[], ["市体育局"], ["各县"], []], [["2.推进文体"], [], [], ["公开体育设施信息。"]],
                          between=between)
    (grid,) = read.tables
    assert [[c.text for c in row] for row in grid.rows[2:]] == [
        ["2.推进文体", "市体育局", "各县", "公开体育设施信息。"]]
    assert read.warnings == ()


def _tagged_cells(y: float, cells: Sequence[tuple[str, int]]) -> list[Glyph]:
    """One line a cell, each cell's glyphs under the structure paragraph numbered beside it."""
    return [g for x, (line, tag) in zip(CAT_XS, cells, strict=False) if line
            for g in text(line, x + 2, y, tag=tag)]


@pytest.mark.parametrize("tag", [7, 12], ids=["same-paragraph", "another-paragraph"])
def test_a_tagged_paragraph_going_on_over_the_page_keeps_its_cell(tag: int) -> None:
    # a category label merged over two rows, one on each page, wrapped after its hyphen at the
    # page's end: 「推进（6-」 and 「0）」 are one paragraph by the structure tree (a paragraph keeps its
    # number over the pages), so one cell over both rows, the tasks a row each. Another paragraph
    # there is a label of its own
    head = [*_cat_header(55)]
    one = PageInput(1, 600, 800, [*head, *_tagged_cells(85, [("总体", 5), ("推进（6-", 7), ("任务一。", 8),
                                                              ("市财政局", 9)])],
                    [_h(50), _h(80), _h(130), *(_v(x, 50, 130) for x in CAT_XS)], tagged=True)
    two = PageInput(2, 600, 800, [*head, *_tagged_cells(85, [("", 0), ("0）", tag), ("任务二。", 10),
                                                              ("市审计局", 11)])],
                    [_h(50), _h(80), _h(130), *(_v(x, 50, 130) for x in CAT_XS)], tagged=True)
    (grid,) = read_pages([one, two], "t.pdf").tables
    labels = [(c.text, c.rowspan) for row in grid.rows[1:] for c in row if c.column == 1]
    assert labels == ([("推进（6-0）", 2)] if tag == 7 else [("推进（6-", 1), ("0）", 1)])
    assert [c.text for row in grid.rows[1:] for c in row if c.column == 2] == ["任务一。", "任务二。"]


def test_a_tagged_task_going_on_over_the_page_is_one_row_and_one_paragraph() -> None:
    # the task's last line on page 1 ends short of the edge (a paragraph's end, by the geometry);
    # the structure says the paragraph goes on: one row, one paragraph
    head = [*_cat_header(55)]
    one = PageInput(1, 600, 800, [*head, *_tagged_cells(85, [("总体", 5), ("甲类", 6), ("推进政务公开", 8),
                                                              ("市财政局", 9)])],
                    [_h(50), _h(80), _h(100), *(_v(x, 50, 100) for x in CAT_XS)], tagged=True)
    two = PageInput(2, 600, 800, [*head, *_tagged_cells(85, [("", 0), ("", 0), ("标准化。", 8), ("", 0)])],
                    [_h(50), _h(80), _h(100), *(_v(x, 50, 100) for x in CAT_XS)], tagged=True)
    read = read_pages([one, two], "t.pdf")
    (grid,) = read.tables
    assert [c.text for row in grid.rows[1:] for c in row if c.column == 2] == ["推进政务公开标准化。"]
    assert read.warnings == ()


def test_merged_cells_not_drawn_past_a_page_break_run_on_under_one_empty_cell() -> None:
    # WeasyPrint draws a cell spanning rows only on the page it starts on: on page 2 the category
    # columns show as one empty cell a row, no border between them; they run on. An empty area that
    # takes in the task column (the widest) continues nothing: the task above it stays one row.
    first = PageInput(1, 600, 800, [*_cat_header(), *text("总体", 60, 90), *text("甲类", 160, 90),
                                    *text("任务一", 260, 90), *text("市司法局", 460, 90)],
                      [_h(50), _h(80), _h(120), *(_v(x, 50, 120) for x in CAT_XS)])
    second = PageInput(2, 600, 800, [*_cat_header(), *text("任务二", 260, 90), *text("市财政局", 460, 90),
                                     *text("任务三", 260, 130), *text("市民政局", 460, 130)],
                       [_h(50), _h(80), _h(120), _h(160), _h(190), _v(50, 50, 190), _v(150, 50, 80),
                        _v(250, 50, 190), _v(450, 50, 160), _v(550, 50, 190)])
    read = read_pages([first, second], "t.pdf")
    (grid,) = read.tables
    assert [(c.text, c.rowspan) for c in grid.rows[1]] == [("总体", 4), ("甲类", 4), ("任务一", 1), ("市司法局", 1)]
    assert [[(c.text, c.rowspan) for c in row] for row in grid.rows[2:]] == [
        [("任务二", 1), ("市财政局", 1)], [("任务三", 1), ("市民政局", 1)], [("", 1)]]


def test_a_label_cell_drawn_one_line_deep_inside_a_task_row_makes_no_row_of_its_own() -> None:
    # WeasyPrint draws 「总体」's cell only as deep as its text, inside the first task's row; below it
    # its column is one empty cell down to the table's end. The task crosses that edge: one row, the
    # label reaching down over both tasks as the cell it was.
    segs = [_h(50), _h(80), _h(110, 50, 150), _h(140, 250, 550), _h(180), *(_v(x, 50, 180) for x in CAT_XS)]
    glyphs = [*_cat_header(), *text("总体", 60, 90), *text("甲类", 160, 90), *text("任务一", 260, 90),
              *text("任务一续", 260, 118), *text("市司法局", 460, 90), *text("任务二", 260, 150),
              *text("市财政局", 460, 150)]
    read = read_pages([PageInput(1, 600, 800, glyphs, segs)], "t.pdf")
    (grid,) = read.tables
    assert [[(c.text, c.rowspan) for c in row] for row in grid.rows[1:]] == [
        [("总体", 2), ("甲类", 2), ("任务一\n任务一续", 1), ("市司法局", 1)], [("任务二", 1), ("市财政局", 1)]]


def test_merged_cells_not_drawn_past_a_page_break_run_on_beside_a_row_cut_there() -> None:
    # the task stopped at a comma: the row goes on over the page, where the category columns show
    # as one empty cell a row; the categories reach over the joined row and the next one
    first = PageInput(1, 600, 800, [*_cat_header(), *text("总体", 60, 90), *text("甲类", 160, 90),
                                    *text("任务一，", 260, 90), *text("市司法局", 460, 90)],
                      [_h(50), _h(80), _h(120), *(_v(x, 50, 120) for x in CAT_XS)])
    second = PageInput(2, 600, 800, [*_cat_header(), *text("继续推进", 260, 90), *text("任务二", 260, 120),
                                     *text("市财政局", 460, 120)],
                       [_h(50), _h(80), _h(110), _h(140), _v(50, 50, 140), _v(150, 50, 80),
                        *(_v(x, 50, 140) for x in CAT_XS[2:])])
    read = read_pages([first, second], "t.pdf")
    (grid,) = read.tables
    assert [[(c.text, c.rowspan) for c in row] for row in grid.rows[1:]] == [
        [("总体", 2), ("甲类", 2), ("任务一，\n继续推进", 1), ("市司法局", 1)], [("任务二", 1), ("市财政局", 1)]]


FILLED_HERE = [["2.推进文体"], ["市体育局"], ["各县"], ["公开体育设施信息。"]]


@pytest.mark.parametrize(("room", "doubt"), [(4.0, True), (24.0, False), (1.5, False)],
                         ids=["filled", "stretched", "squeezed"])
def test_a_task_left_alone_at_the_page_end_goes_on_with_the_cells_it_left_empty(room: float, doubt: bool) -> None:
    # the row at the page's end holds its 工作要求 alone, a paragraph ending short of the edge; its
    # other columns, filled in every row so far, are empty: those cells went over the page whole (an
    # engine centring them moves them along), with the task's next paragraph. One row: sure where the
    # page ended the row (stretched: 24 pt below its text where every row leaves 4; or squeezed:
    # 1.5 pt, the cell's bottom padding cut off with the row), said otherwise
    between = [["1.推进公开"], ["省发改委"], ["省直各部门"], ["推进政务公开。", "做好解读。"]]
    read = _cut_with_room([[], [], [], ["做好政务公开"]], FILLED_HERE,
                          room, between)
    (grid,) = read.tables
    assert [[c.text for c in row] for row in grid.rows[2:]] == [
        ["2.推进文体", "市体育局", "各县", "做好政务公开\n公开体育设施信息。"]]
    assert len(read.warnings) == doubt
    if doubt:
        assert "pages 1–2: the page break may cut a row" in read.warnings[0]


def test_a_task_alone_in_a_table_whose_rows_leave_those_columns_empty_ends_its_row() -> None:
    # the same, but a row before left the other columns empty too: their being empty says nothing,
    # and the row on page 2 is a row of its own
    between = [[], [], [], ["推进政务公开。", "做好解读。"]]
    read = _cut_with_room([[], [], [], ["做好政务公开"]], FILLED_HERE,
                          between=between)
    (grid,) = read.tables
    assert [[c.text for c in row] for row in grid.rows[2:]] == [
        ["", "", "", "做好政务公开"], ["2.推进文体", "市体育局", "各县", "公开体育设施信息。"]]
    assert read.warnings == ()


@pytest.mark.parametrize(("above", "here", "here_y", "parent", "joined"), [
    ("推进政务新（6-", "0）", 82, "", True),
    ("推进新（5-0）", "持续做好（6-0）", 82, "", False),
    ("推进政务新（6-", "0）", 95, "", True),
    ("推进政务新（6-", "0）", 82, "乙总", False),
], ids=["cut-mid-line", "room-for-the-next-label", "centred-lower-in-its-cell", "under-a-new-parent"])
def test_a_merged_label_at_the_page_end_goes_on_only_where_its_last_line_had_no_room(
        above: str, here: str, here_y: float, parent: str, joined: bool) -> None:
    # a label at the bottom of page 1 whose last line comes near the cell's edge, and a label merged
    # over two rows at the top of page 2: the label above was cut mid-line only if the text here
    # would not have fitted on its last line (0） needs more room than 「（6-」 leaves; 持 fits after
    # 「（5-0）」: a label of its own begins), wherever it stands in its cell (LibreOffice centres the
    # rest of a label it cuts in the cell's part on the next page); 总体 written again in each row
    # beside it is the same parent, no new one; a new parent merged over both rows (乙总) begins
    # here, and so does every label under it
    head = [*_cat_header(55)]
    one = PageInput(1, 600, 800, [*head, *text("总体", 52, 85), *text(above, 152, 85), *text("任务一。", 252, 85),
                                  *text("市财政局", 452, 85)],
                    [_h(50), _h(80), _h(100), *(_v(x, 50, 100) for x in CAT_XS)])
    parents = [*text(parent, 52, 95)] if parent else [*text("总体", 52, 85), *text("总体", 52, 105)]
    two = PageInput(2, 600, 800, [*head, *parents, *text(here, 152, here_y), *text("任务二。", 252, 85),
                                  *text("市审计局", 452, 85), *text("任务三。", 252, 105), *text("市审计局", 452, 105)],
                    [_h(50), _h(80), *([] if parent else [_h(100, CAT_XS[0], CAT_XS[1])]), _h(100, CAT_XS[2]),
                     _h(120), *(_v(x, 50, 120) for x in CAT_XS)])
    read = read_pages([one, two], "t.pdf")
    (grid,) = read.tables
    labels = [c.text for row in grid.rows[1:] for c in row if c.column == 1]
    assert labels == ([above + here] if joined else [above, here])
    assert [c.text for row in grid.rows[1:] for c in row if c.column == 2] == ["任务一。", "任务二。", "任务三。"]
    # joined, it is said: one row of the label on page 1, it may as well have ended with that row
    assert [w.split(", ", 1)[1] for w in read.warnings] == ([
        f"table 1, pages 1–2: the page break may cut a merged cell (column 2: 「{above}」 then 「{here}」 on page 2); "
        "it was read as one cell"] if joined else [])


@pytest.mark.parametrize(("above", "here", "own"), [
    ("25.推进政务公开", "26.规范办事指南", True), ("4", "5", True), ("4", "6", False), ("4", "4", False),
    ("2021", "2022年底前", False), ("12345", "12346", False),
])
def test_a_row_numbers_itself_after_the_row_above(above: str, here: str, own: bool) -> None:
    # a fresh row's serial follows the one above: in the style of its number (25. then 26.), or as
    # the next bare number of a 序号 column (4 then 5): never a cut cell's rest
    from zwgk.readers.page._evidence import own_serial as _own_serial

    assert _own_serial(above, here) is own


def _label_moved(page_end: Sequence[Sequence[str]], ends_at: float, first_rows: Sequence[Sequence[str]],
                 top_label: str = "总体") -> PageRead:
    # a table of two label columns merged down, 工作任务 and 牵头单位 (CAT_XS). Page 1: 「总体」 and
    # 「甲类」 label the first task's row alone (their bottom border drawn under it); the last row holds
    # ``page_end`` (task, lead) beside the label columns drawn as one empty area (no border between
    # them), as WeasyPrint draws the top of merged cells whose text it moved to the next page whole.
    # Page 2 (its header repeated): labels 「乙总」 and 「乙类」 merged over its two rows
    one = PageInput(1, 600, 800, [*_cat_header(), *text(top_label, 60, 90), *text("甲类", 160, 90),
                                  *text("任务一。", 260, 90), *text("市司法局", 460, 90),
                                  *_cells_at_x(130, [CAT_XS[2], CAT_XS[3]], page_end)],
                    [_h(50), _h(80), _h(120), _h(ends_at), _v(50, 50, ends_at), _v(150, 50, 120),
                     *(_v(x, 50, ends_at) for x in CAT_XS[2:])])
    two = PageInput(2, 600, 800, [*_cat_header(), *text("乙总", 60, 105), *text("乙类", 160, 105),
                                  *_cells_at_x(90, [CAT_XS[2], CAT_XS[3]], first_rows[0]),
                                  *_cells_at_x(120, [CAT_XS[2], CAT_XS[3]], first_rows[1])],
                    [_h(50), _h(80), _h(110, 250), _h(140), *(_v(x, 50, 140) for x in CAT_XS)])
    return read_pages([one, two], "t.pdf")


def _cells_at_x(y: float, xs: Sequence[float], cells: Sequence[str]) -> list[Glyph]:
    return [g for x, t in zip(xs, cells, strict=True) if t for g in text(t, x + 2, y)]


@pytest.mark.parametrize("top_label", ["总体", ""], ids=["labels-above", "a-label-cell-empty-above"])
def test_a_label_moved_whole_to_the_next_page_takes_in_the_cut_row_it_left_empty(top_label: str) -> None:
    # the task at page 1's end stops at a comma: the row goes on over the page, where 「乙总」/「乙类」
    # span the row going on: their cells began in the cut row, and the empty area above was their
    # top, not the rest of 「总体」/「甲类」 (ended under the first task; the first may be empty). No doubt
    read = _label_moved(["任务二，", ""], 150, [["继续推进。", "市财政局"], ["任务三。", "市民政局"]], top_label)
    (grid,) = read.tables
    assert [[(c.text, c.rowspan) for c in row] for row in grid.rows[1:]] == [
        [(top_label, 1), ("甲类", 1), ("任务一。", 1), ("市司法局", 1)],
        [("乙总", 2), ("乙类", 2), ("任务二，\n继续推进。", 1), ("市财政局", 1)],
        [("任务三。", 1), ("市民政局", 1)]]
    assert grid.rows[2][0].position is not None and grid.rows[2][0].position.page == 1  # it begins there
    assert read.warnings == ()


def test_a_label_beginning_the_next_page_over_an_empty_area_ending_a_row_of_its_own_is_said() -> None:
    # the row at page 1's end ended there (its task a sentence far above its bottom, its lead filled):
    # the empty area beside it is the rest of 「总体」/「甲类」 or the top of 「乙总」/「乙类」 moved over
    # the page whole; nothing says which: read as before (the rest), with a warning naming the pages
    read = _label_moved(["任务二。", "市财政局"], 170, [["任务三。", "市民政局"], ["任务四。", "市审计局"]])
    (grid,) = read.tables
    assert [[(c.text, c.rowspan) for c in row] for row in grid.rows[1:3]] == [
        [("总体", 2), ("甲类", 2), ("任务一。", 1), ("市司法局", 1)], [("任务二。", 1), ("市财政局", 1)]]
    assert [w.split(", ", 1)[1] for w in read.warnings] == [
        "table 1, pages 1–2: the page break may cut a merged cell (columns 1–2 left empty at the end of page 1, "
        "「乙总」 beginning page 2: its text may have been moved over the page whole); it was read as the end of "
        "the cells above it"]


@pytest.mark.parametrize("task_widest", [False, True], ids=["units-wider", "task-widest"])
def test_the_task_cell_is_the_one_the_header_names_whatever_its_width(task_widest: bool) -> None:
    # the row at page 1's end holds its task alone; its lead and responsible units, filled in every
    # row so far, begin page 2 beside the task's next paragraph: moved over whole, the row goes on
    # (said: the page did not visibly end the row). The header names the task's column: the evidence
    # is read the same where a unit column, listing long names, is wider than the task's
    xs = [50.0, 250.0, 350.0, 550.0] if task_widest else [50.0, 150.0, 250.0, 550.0]

    def cells(y: float, row: Sequence[str]) -> list[Glyph]:
        return [g for x, t in zip(xs, row, strict=False) if t for g in text(t, x + 2, y)]

    def frame(*ys: float) -> list[Segment]:
        return [*(Segment(xs[0], y, xs[-1], y) for y in ys), *(Segment(x, ys[0], x, ys[-1]) for x in xs)]

    one = PageInput(1, 600, 800, [*cells(55, ["工作任务", "牵头单位", "责任单位"]),
                                  *cells(85, ["推进政务公开。", "市司法局", "市民政局、市财政局"]),
                                  *cells(115, ["做好政务公开"])], frame(50, 70, 100, 130))
    two = PageInput(2, 600, 800, cells(85, ["公开体育设施信息。", "市体育局", "各县（市、区）人民政府"]),
                    frame(80, 100))
    read = read_pages([one, two], "t.pdf")
    (grid,) = read.tables
    assert [[c.text for c in row] for row in grid.rows[2:]] == [
        ["做好政务公开\n公开体育设施信息。", "市体育局", "各县（市、区）人民政府"]]
    assert len(read.warnings) == 1 and "pages 1–2: the page break may cut a row" in read.warnings[0]


@pytest.mark.parametrize("serial", [True, False], ids=["serial-counts-on", "no-serial"])
def test_a_serial_counting_on_over_the_page_settles_a_row_a_cell_may_have_gone_on_from(serial: bool) -> None:
    # the 责任单位 ends a line above the cut, its last line near its edge: 「增资扩股。」 would not have
    # fitted there, so it may have gone on; the 工作要求 ended a sentence at the bottom. A row of its
    # own, said; but a bare number counting on in the first column (6 then 7: a 序号 is never cut)
    # settles it
    read = _cut_with_room([["6"] if serial else [], [], ["19.推动国有企业", "改制重组、产权交易"],
                           [*FULL_REQ[:2], "体政务大厅延伸。"]],
                          [["7"] if serial else [], [], ["增资扩股。"], ["规范办事指南。"]])
    (grid,) = read.tables
    assert [row[-1].text for row in grid.rows][-1] == "规范办事指南。"
    assert len(read.warnings) == (0 if serial else 1)


def test_a_task_ending_near_the_cut_beside_a_serial_left_behind_goes_on() -> None:
    # the 工作要求 (the task's cell) ends a sentence a line above the row's lowest text (near the cut:
    # an engine moves a short paragraph over whole); on page 2 its next paragraph stands alone, the
    # 序号 「6」 and the units left behind: a fresh row would number itself, so the row goes on, sure
    between = [["5"], ["省发改委"], ["省直各部门"], ["推进政务公开。", "做好解读。"]]
    read = _cut_with_room([["6"], ["省司法厅、", "省财政厅"], [], ["推进政务公开。"]],
                          [[], [], [], ["做好政策解读。"]], between=between)
    (grid,) = read.tables
    assert [[c.text for c in row] for row in grid.rows[2:]] == [
        ["6", "省司法厅、\n省财政厅", "", "推进政务公开。\n做好政策解读。"]]
    assert read.warnings == ()


@pytest.mark.parametrize(("left", "joined"), [(True, True), (False, False)], ids=["units-left", "units-filled"])
def test_a_task_ending_near_the_cut_beside_units_left_behind_goes_on_said(left: bool, joined: bool) -> None:
    # the task (its column named by the header) ends a line above the row's lowest text; page 2 holds
    # its next paragraph alone, the units (filled in every row so far) left behind: the row went on,
    # said (a task without units could begin there). Units filled there too make a row of its own
    xs = [50.0, 250.0, 350.0, 550.0]

    def cells(y: float, row: Sequence[Sequence[str]]) -> list[Glyph]:
        return [g for x, ls in zip(xs, row, strict=False) for i, t in enumerate(ls) for g in text(t, x + 2, y + 13 * i)]

    def frame(*ys: float) -> list[Segment]:
        return [*(Segment(xs[0], y, xs[-1], y) for y in ys), *(Segment(x, ys[0], x, ys[-1]) for x in xs)]

    one = PageInput(1, 600, 800, [*cells(55, [["工作任务"], ["牵头单位"], ["责任单位"]]),
                                  *cells(74, [["推进政务公开。", "做好解读。"], ["市司法局"], ["各县（市、区）"]]),
                                  *cells(106, [["推进公开。"], ["市民政局"], ["市财政局、", "市商务局"]])],
                    frame(50, 69, 101, 133))
    two = PageInput(2, 600, 800, cells(55, [["做好政策解读。"], ["市体育局"] if not left else [],
                                            ["各县"] if not left else []]), frame(50, 80))
    read = read_pages([one, two], "t.pdf")
    (grid,) = read.tables
    tasks = [row[0].text for row in grid.rows[2:]]
    assert tasks == (["推进公开。\n做好政策解读。"] if joined else ["推进公开。", "做好政策解读。"])
    assert len(read.warnings) == joined


def test_a_label_drawn_one_line_deep_beside_a_unit_column_wider_than_the_task_makes_no_row() -> None:
    # as above, but the 牵头单位 column is wider than the 工作任务 (and empty beside the first task):
    # the headings name the task's column, and the task crossing the label's misplaced end keeps the
    # row whole
    xs = [50.0, 150.0, 250.0, 350.0, 550.0]
    segs = [Segment(50, y, 550, y) for y in (50, 80, 180)] + [Segment(50, 110, 150, 110), Segment(250, 140, 550, 140),
                                                              *(Segment(x, 50, x, 180) for x in xs)]
    glyphs = [*text("一级任务", 60, 60), *text("二级任务", 160, 60), *text("工作任务", 260, 60),
              *text("牵头单位", 360, 60), *text("总体", 60, 90), *text("甲类", 160, 90),
              *text("任务一", 260, 90), *text("任务一续", 260, 118), *text("任务二", 260, 150),
              *text("市财政局", 360, 150)]
    read = read_pages([PageInput(1, 600, 800, glyphs, segs)], "t.pdf")
    (grid,) = read.tables
    assert [[(c.text, c.rowspan) for c in row] for row in grid.rows[1:]] == [
        [("总体", 2), ("甲类", 2), ("任务一\n任务一续", 1), ("", 1)], [("任务二", 1), ("市财政局", 1)]]


@pytest.mark.parametrize("gap", [False, True], ids=["labels-merged", "a-label-left-empty-before"])
def test_an_empty_label_cell_ending_a_page_under_a_label_beginning_the_next_is_said(gap: bool) -> None:
    # one label column: 「甲类」 merged over the first two tasks, then a label cell of its own left
    # empty beside the page's last task, which ended there; page 2 opens with 「乙类」 merged over two
    # rows. The empty cell is a task without a label (read so) or the top of 「乙类」, its text moved
    # over the page whole: said. Where a row before left its label cell empty too (「甲类」 over the
    # first task alone), such a cell is ordinary: nothing said
    xs = [50.0, 150.0, 350.0, 550.0]

    def cells(y: float, row: Sequence[str]) -> list[Glyph]:
        return [g for x, t in zip(xs, row, strict=False) if t for g in text(t, x + 2, y)]

    def ruling(*ys: float, label_cut: bool = False) -> list[Segment]:  # the rows at 80–110–140 (the label's)
        return [*(Segment(50, y, 550, y) for y in ys), Segment(50 if label_cut else 150, 110, 550, 110),
                *(Segment(x, 50, x, ys[-1]) for x in xs)]

    head = cells(55, ["一级任务", "工作任务", "牵头单位"])
    one = PageInput(1, 600, 800, [*head, *cells(85 if gap else 95, ["甲类"]), *cells(85, ["", "任务一。", "市司法局"]),
                                  *cells(115, ["", "任务二。", "市财政局"]), *cells(145, ["", "任务三。", "市民政局"])],
                    ruling(50, 80, 140, 180, label_cut=gap))
    two = PageInput(2, 600, 800, [*head, *cells(95, ["乙类"]), *cells(85, ["", "任务四。", "市审计局"]),
                                  *cells(115, ["", "任务五。", "市商务局"])], ruling(50, 80, 140))
    read = read_pages([one, two], "t.pdf")
    (grid,) = read.tables
    assert [c.text for row in grid.rows[1:] for c in row if c.column == 1] == [f"任务{n}。" for n in "一二三四五"]
    assert [(c.text, c.rowspan) for row in grid.rows[1:] for c in row if c.column == 0] == (
        [("甲类", 1), ("", 1), ("", 1), ("乙类", 2)] if gap else [("甲类", 2), ("", 1), ("乙类", 2)])
    assert [w.split(", ", 1)[1] for w in read.warnings] == ([] if gap else [
        "table 1, pages 1–2: the page break may cut a merged cell (column 1 left empty at the end of page 1, "
        "「乙类」 beginning page 2: its text may have been moved over the page whole); it was read as an empty cell"])


@pytest.mark.parametrize(("deadline", "joined"), [(["长期坚持"], False), (["2021年12", "月底前"], True)],
                         ids=["room-left", "no-room-left"])
def test_cells_that_left_room_for_the_paragraph_below_them_ended_their_row(deadline: list[str], joined: bool) -> None:
    # the page's last row: a task of three one-line paragraphs, its units and deadline ending within
    # a line or two of its lowest line (near the cut). Page 2 opens with a paragraph under each but the
    # 责任单位, left empty. A one-line unit and deadline left two lines of room beside the task: an
    # engine would have set a one-line paragraph there, so theirs here are a fresh row's (no doubt).
    # Cells of two lines left one: their next paragraphs may have gone over the page (an engine moves a
    # paragraph it cannot fit whole), the empty column a fresh row would fill decides, said
    xs = [50.0, 250.0, 350.0, 450.0, 550.0]

    def cells(y: float, row: Sequence[Sequence[str]]) -> list[Glyph]:
        return [g for x, ls in zip(xs, row, strict=False) for i, t in enumerate(ls) for g in text(t, x + 2, y + 13 * i)]

    def frame(*ys: float) -> list[Segment]:
        return [*(Segment(xs[0], y, xs[-1], y) for y in ys), *(Segment(x, ys[0], x, ys[-1]) for x in xs)]

    units = ["市司法局"] if len(deadline) == 1 else ["市司法局、", "市民政局"]
    last = [["推进公开。", "做好解读。", "回应关切。"], units, ["市审计局"], deadline]
    one = PageInput(1, 600, 800, [*cells(55, [["工作任务"], ["牵头单位"], ["责任单位"], ["完成时限"]]),
                                  *cells(74, [["推进政务公开。"], ["市财政局"], ["市审计局"], ["6月底前"]]),
                                  *cells(95, last)], frame(50, 69, 88, 135))
    two = PageInput(2, 600, 800, cells(55, [["做好政策解读。"], ["市体育局"], [], ["6月底前"]]), frame(50, 72))
    read = read_pages([one, two], "t.pdf")
    (grid,) = read.tables
    tasks = [row[0].text for row in grid.rows[2:]]
    assert tasks == (["推进公开。\n做好解读。\n回应关切。\n做好政策解读。"] if joined
                     else ["推进公开。\n做好解读。\n回应关切。", "做好政策解读。"])
    assert len(read.warnings) == joined
