"""The HTML reader: Word-exported pages and hand-made tables, in GB18030/GBK and UTF-8."""

from __future__ import annotations

import warnings
from pathlib import Path

import lxml.html
import pytest

import zwgk
from zwgk.errors import ParseError
from zwgk.readers.html import cell_text, decode_html, parse_html, read_html

WORD_PAGE = """<html xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">
<head><meta http-equiv=Content-Type content="text/html; charset={charset}">
<meta name=Generator content="Microsoft Word 15">
<title>附件</title>
<!--[if gte mso 9]><xml><w:WordDocument><w:View>Print</w:View></w:WordDocument></xml><![endif]-->
<style><!-- p.MsoNormal {{font-size:10.5pt;font-family:宋体}} --></style></head>
<body lang=ZH-CN style='tab-interval:21.0pt;text-justify-trim:punctuation'>
<div class=WordSection1 style='layout-grid:15.6pt'>
<p class=MsoNormal><span style='font-family:黑体'>附件<span lang=EN-US><o:p></o:p></span></span></p>
<p class=MsoNormal align=center style='text-align:center'><b><span style='font-size:18.0pt'>2020年泰安市政务公开
重点工作<br>任务分解表<o:p></o:p></span></b></p>
<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse'>
 <tr style='mso-yfti-irow:0;mso-yfti-firstrow:yes'>
  <td width=80 colspan=2><p class=MsoNormal align=center><b><span>工&nbsp;作&nbsp;任&nbsp;务</span></b></p></td>
  <td width=300><p class=MsoNormal align=center><b><span>具体任务</span></b></p></td>
  <td width=80><p class=MsoNormal align=center><b><span>牵头单位</span></b></p></td>
  <td width=80><p class=MsoNormal align=center><b><span>责任单位</span></b></p></td>
 </tr>
 <tr style='mso-yfti-irow:1'>
  <td rowspan=3 valign=top><p class=MsoNormal><span style='font-family:宋体'>推进决策、执行、管理、
  服务和结果全过程公开</span></p></td>
  <td rowspan=2><p class=MsoNormal><span>推进决策公开</span></p></td>
  <td><p class=MsoNormal><span style='font-family:宋体'>各级政府要制定发布重大行政决策事项
  目录、标准，做好重大</span><span
  style='font-family:宋体'>决策预公开工作。</span></p></td>
  <td><p class=MsoNormal><span>市司法局</span></p></td>
  <td><p class=MsoNormal><span>各县（市、区）<span lang=EN-US><o:p></o:p></span></span></p>
  <p class=MsoNormal><span>市政府各部门（单位）</span></p></td>
 </tr>
 <tr style='mso-yfti-irow:2'>
  <td><p class=MsoNormal><span>涉及公共利益的重大事项，<br>
  决策前应当公开。</span></p></td>
  <td><p class=MsoNormal><span>市政府办公室</span></p></td>
  <td><p class=MsoNormal><![if !supportEmptyParas]>&nbsp;<![endif]><o:p></o:p></p></td>
 </tr>
 <tr style='mso-yfti-irow:3;mso-yfti-lastrow:yes'>
  <td><p class=MsoNormal><span>推进执行公开</span></p></td>
  <td><p class=MsoNormal><span lang=EN-US>Open data</span><span> and </span><span>执行情况。</span></p></td>
  <td><p class=MsoNormal><span>市财政局</span></p></td>
  <td><p class=MsoNormal><span>市审计局</span></p></td>
 </tr>
</table>
<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>
</div></body></html>
"""

TITLE = "2020年泰安市政务公开重点工作任务分解表"


def check_word_plan(plan: zwgk.Plan) -> None:
    assert plan.title == TITLE
    assert plan.metadata.region == "泰安市"
    assert [t.text for t in plan.tasks] == [
        "各级政府要制定发布重大行政决策事项目录、标准，做好重大决策预公开工作。",
        "涉及公共利益的重大事项，\n决策前应当公开。",
        "Open data and 执行情况。",
    ]
    top = "推进决策、执行、管理、服务和结果全过程公开"
    assert [t.path for t in plan.tasks] == [(top, "推进决策公开"), (top, "推进决策公开"), (top, "推进执行公开")]
    assert [u.name for u in plan.tasks[0].responsible] == ["各县（市、区）", "市政府各部门（单位）"]
    assert plan.tasks[1].responsible == ()
    assert [u.name for u in plan.tasks[2].leads] == ["市财政局"]


@pytest.mark.parametrize("charset,codec", [("gb2312", "gb18030"), ("gbk", "gbk"), ("utf-8", "utf-8"),
                                           ("GB18030", "gb18030")])
def test_word_exported_page(tmp_path: Path, charset: str, codec: str) -> None:
    path = tmp_path / "plan.htm"
    path.write_bytes(WORD_PAGE.format(charset=charset).encode(codec))
    check_word_plan(zwgk.load(path))


def test_undeclared_gbk_page_falls_back(tmp_path: Path) -> None:
    page = WORD_PAGE.format(charset="x").replace('<meta http-equiv=Content-Type content="text/html; charset=x">', "")
    path = tmp_path / "plan.html"
    path.write_bytes(page.encode("gb18030"))
    check_word_plan(zwgk.load(path))


def test_wrong_declaration_falls_back_to_what_decodes() -> None:
    data = WORD_PAGE.format(charset="utf-8").encode("gb18030")
    assert "任务分解表" in decode_html(data)
    with pytest.raises(ParseError, match="cannot decode"):
        decode_html(b"<html><meta charset=utf-8>\x81\x20\xff\xfe\x80</html>")
    bom_wins = b"\xef\xbb\xbf<html><meta charset=gbk>\xe4\xbb\xbb</html>"
    assert decode_html(bom_wins) == "<html><meta charset=gbk>任</html>"
    assert decode_html("<p>任务</p>".encode("utf-16")) == "<p>任务</p>"
    with pytest.raises(ParseError, match="byte-order mark"):
        decode_html(b"\xef\xbb\xbf<html>\xff</html>")


def test_page_sniffed_by_markup(tmp_path: Path) -> None:
    path = tmp_path / "download"
    path.write_bytes(WORD_PAGE.format(charset="utf-8").encode("utf-8"))
    check_word_plan(zwgk.load(path))


def test_cell_text_keeps_paragraphs_and_breaks() -> None:
    grids = parse_html("<table><tr><td><p>甲<br>乙</p><p>丙\n  丁</p><div><p>戊</p></div>己 庚</td>"
                       "<td><p class=MsoNormal><p class=MsoNormal><span>市财政局</span></p></p>"
                       "<p class=MsoNormal><span style='mso-spacerun:yes'>&nbsp; </span>市审计局<o:p></o:p></p></td>"
                       "</tr></table>").tables
    assert grids[0].rows[0][0].text == "甲\n乙\n丙丁\n戊\n己 庚"
    assert grids[0].rows[0][1].text == "市财政局\n市审计局"  # nested <p>, spacerun spaces


def test_rowspan_colspan_positions() -> None:
    grids = parse_html(
        "<table><thead><tr><th rowspan=2>序号</th><th colspan=2>单位</th></tr>"
        "<tr><th>牵头单位</th><th>配合单位</th></tr></thead>"
        "<tbody><tr><td rowspan=2>1</td><td>甲</td><td rowspan=5>乙</td></tr><tr><td>丙</td></tr></tbody></table>"
    ).tables
    grid = grids[0]
    assert grid.header_rows == 2
    assert [[(c.text, c.column, c.rowspan, c.colspan) for c in row] for row in grid.rows] == [
        [("序号", 0, 2, 1), ("单位", 1, 1, 2)],
        [("牵头单位", 1, 1, 1), ("配合单位", 2, 1, 1)],
        [("1", 0, 2, 1), ("甲", 1, 1, 1), ("乙", 2, 2, 1)],  # a rowspan past the end is cut
        [("丙", 1, 1, 1)],
    ]


def test_th_headers_and_several_tables(tmp_path: Path) -> None:
    page = (
        "<html><head><meta charset='utf-8'><title>某页</title></head><body>"
        "<h3>联系方式</h3><table><tr><th>姓名</th><th>电话</th></tr><tr><td>张三</td><td>1</td></tr></table>"
        f"<p>{TITLE}</p>"
        "<table><tr><th>序号</th><th>工作任务</th><th>牵头单位</th><th>配合单位</th><th>完成时限</th></tr>"
        "<tr><td>1</td><td>公开预算。<table><tr><td>附表甲</td></tr></table></td><td>市财政局</td><td>市审计局</td>"
        "<td>2020年底</td></tr></table><p>说明文字</p></body></html>"
    )
    path = tmp_path / "p.html"
    path.write_text(page, encoding="utf-8")
    grids = list(read_html(path).tables)
    assert [g.preamble for g in grids] == [("联系方式",), (TITLE,)]
    plan = zwgk.load(path)
    assert plan.title == TITLE and plan.epilogue == ("说明文字",)
    (task,) = plan.tasks
    assert task.text == "公开预算。\n附表甲"  # the nested table is text of its cell
    assert (task.serial, task.serial_number, task.deadline) == ("1", 1, "2020年底")
    assert [u.name for u in task.cooperating] == ["市审计局"]
    assert zwgk.load(path, table=2) == plan
    with pytest.raises(ParseError, match="no table 3"):
        zwgk.load(path, table=3)


def test_page_with_no_table(tmp_path: Path) -> None:
    path = tmp_path / "none.html"
    path.write_text("<html><body><p>通知正文</p></body></html>", encoding="utf-8")
    with pytest.raises(ParseError, match="no table found in this page") as e:
        zwgk.load(path)
    assert "none.html" in str(e.value)


def test_no_network_no_entities(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("市秘密局", encoding="utf-8")
    page = (f'<!DOCTYPE html SYSTEM "file://{secret}" [<!ENTITY x SYSTEM "file://{secret}">]>'
            "<html><body><table><tr><td>工作任务</td><td>牵头单位</td></tr>"
            "<tr><td>任务&x;</td><td>市财政局</td></tr></table></body></html>")
    path = tmp_path / "x.html"
    path.write_text(page, encoding="utf-8")
    plan = zwgk.load(path)
    assert "市秘密局" not in plan.tasks[0].text


def test_cell_text_of_an_element() -> None:
    grid = parse_html("<table><tr><td> <span>市\n财政局</span> </td></tr></table>").tables[0]
    assert grid.rows[0][0].text == "市财政局"
    assert cell_text(lxml.html.fragment_fromstring("<div>x&nbsp;y\n z</div>")) == "x y z"


def test_tab_indented_page_without_suffix_reads_as_html(tmp_path: Path) -> None:
    path = tmp_path / "download"
    path.write_text("<html>\n<body>\n\t<table>\n\t<tr><td>工作任务</td><td>牵头单位</td></tr>\n"
                    "\t<tr><td>公开预算。</td><td>市财政局</td></tr>\n\t</table>\n</body>\n</html>\n", encoding="utf-8")
    (task,) = zwgk.load(path).tasks
    assert (task.text, [u.name for u in task.leads]) == ("公开预算。", ["市财政局"])


def test_every_built_in_reader_is_documented() -> None:
    doc = (Path(__file__).resolve().parents[1] / "docs" / "readers.md").read_text(encoding="utf-8")
    for name, reader in zwgk.get_readers().items():
        if reader.read.__module__.startswith("zwgk."):
            assert f"| `{name}`" in doc, f"docs/readers.md does not list the {name} reader"
            for suffix in reader.suffixes:
                assert f"`{suffix}`" in doc, f"docs/readers.md does not list {suffix}"


def _layout_page(*tables: str) -> str:
    """A site's page: a layout table with the breadcrumbs, the content (in a cell of its own, in a
    second layout table) and the page's foot."""
    content = "".join(f"<p>{TITLE}</p>{t}" for t in tables)
    return ("<html><head><meta charset='utf-8'><title>关于印发工作要点的通知</title></head><body>"
            "<table width='100%'><tr><td>首页 &gt; 政务公开 &gt; 通知公告</td></tr><tr><td>"
            f"<table><tr><td width='180'>栏目导航</td><td>{content}<p>某某市人民政府办公室</p></td></tr></table>"
            "</td></tr><tr><td>打印本页 | 关闭窗口</td></tr></table></body></html>")


TASK_TABLE = ("<table border='1'><tr><td>序号</td><td>工作任务</td><td>牵头单位</td></tr>"
              "<tr><td>1</td><td>推进决策公开。</td><td>市政府办公室</td></tr>"
              "<tr><td>2</td><td>加强政策解读。</td><td>市委宣传部</td></tr></table>")


def test_a_task_table_inside_a_sites_layout_tables_is_read_with_the_text_around_it(tmp_path: Path) -> None:
    path = tmp_path / "site.html"
    path.write_text(_layout_page(TASK_TABLE), encoding="utf-8")
    assert len(read_html(path).tables) == 1  # the outer layout table, handed over as before
    with warnings.catch_warnings():
        warnings.simplefilter("error", zwgk.ReadWarning)  # every character in the plan
        plan = zwgk.load(path)
    assert [(t.text, [u.name for u in t.leads]) for t in plan.tasks] == [
        ("推进决策公开。", ["市政府办公室"]), ("加强政策解读。", ["市委宣传部"])]
    assert plan.title == TITLE
    assert plan.preamble == ("首页 > 政务公开 > 通知公告", "栏目导航", TITLE)
    assert plan.epilogue == ("某某市人民政府办公室", "打印本页 | 关闭窗口")
    assert plan.tasks[0].source is not None and plan.tasks[0].source.table == 1


def test_two_task_tables_inside_layout_tables_are_tables_1_and_2(tmp_path: Path) -> None:
    second = TASK_TABLE.replace("推进决策公开。", "推进执行公开。").replace("加强政策解读。", "做好回应关切。")
    path = tmp_path / "site.html"
    path.write_text(_layout_page(TASK_TABLE, second), encoding="utf-8")
    plan = zwgk.load(path)
    assert [t.text for t in plan.tasks] == ["推进决策公开。", "加强政策解读。", "推进执行公开。", "做好回应关切。"]
    assert [t.source.table for t in plan.tasks if t.source is not None] == [1, 1, 2, 2]


def test_a_layout_table_around_no_task_table_is_said_as_before(tmp_path: Path) -> None:
    path = tmp_path / "site.html"
    path.write_text(_layout_page("<table><tr><td>姓名</td><td>电话</td></tr></table>"), encoding="utf-8")
    with pytest.raises(zwgk.ZwgkError, match="table 1: no header row found"):
        zwgk.load(path)
