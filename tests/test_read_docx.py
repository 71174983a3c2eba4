"""The DOCX reader: every construct Word and LibreOffice write, read into the Grid the builder expects."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

import zwgk
from tests.fixtures import docxgen as g
from zwgk.errors import ParseError, UnsupportedFormatError, ZwgkError
from zwgk.readers.docx import ZipLimits, read_docx
from zwgk.table.document import grids_of

HEADER = ("一级任务", "二级任务", "具体任务", "牵头单位", "责任单位")
TITLE = "2020年泰安市政务公开重点工作任务分解表"


def header_row() -> str:
    return g.row([g.cell(h) for h in HEADER], header=True)


def merged_table(style: str) -> str:
    """Two tasks under one first-level and one second-level category, merged with ``style``."""
    rows = [
        header_row(),
        g.row([g.cell("推进决策公开", vmerge="restart"), g.cell("（一）决策预公开", vmerge="restart"),
               g.cell("制定发布重大行政决策事项目录。"), g.cell("市司法局"), g.cell("各县（市、区）")]),
        g.row([g.cell(vmerge=style), g.cell(vmerge=style),
               g.cell("决策前应当公开征求意见。"), g.cell("市政府办公室"), g.cell("市政府各部门（单位）")]),
        g.row([g.cell(vmerge=style), g.cell("（二）执行公开"),
               g.cell("公开执行情况。"), g.cell("市财政局"), g.cell("")]),
    ]
    return g.para("附件") + g.para(TITLE) + g.table(rows, 5)


def grid_of(path: Path, **options: object) -> zwgk.readers.Grid:  # type: ignore[name-defined]
    grids = grids_of(read_docx(path), **options)  # type: ignore[arg-type]
    assert len(grids) == 1
    return grids[0]


@pytest.mark.parametrize("style", ["bare", "continue"])
def test_vertical_merge_both_spellings(tmp_path: Path, style: str) -> None:
    path = g.write_docx(tmp_path / f"{style}.docx", merged_table(style))
    grid = grid_of(path)
    first = grid.rows[1]
    assert [(c.text, c.rowspan, c.column) for c in first[:2]] == [("推进决策公开", 3, 0), ("（一）决策预公开", 2, 1)]
    # covered rows hold no cell for the merged columns
    assert [c.column for c in grid.rows[2]] == [2, 3, 4]
    assert [c.column for c in grid.rows[3]] == [1, 2, 3, 4]
    assert grid.header_rows == 1
    assert grid.preamble == ("附件", TITLE)
    plan = zwgk.load(path)
    paths = [("推进决策公开", "（一）决策预公开")] * 2 + [("推进决策公开", "（二）执行公开")]
    assert [t.path for t in plan.tasks] == paths
    assert plan.metadata.year == 2020 and plan.metadata.region == "泰安市"


def test_bare_and_continue_read_the_same(tmp_path: Path) -> None:
    a = zwgk.load(g.write_docx(tmp_path / "a.docx", merged_table("bare")))
    b = zwgk.load(g.write_docx(tmp_path / "b.docx", merged_table("continue")))
    assert a == b
    assert len(a.tasks) == 3


def test_grid_span_and_grid_before(tmp_path: Path) -> None:
    rows = [
        header_row(),
        # the task text spans the second-level column: the task has one level only
        g.row([g.cell("推进决策公开"), g.cell("各县（市、区）要公开决策目录。", span=2),
               g.cell("市司法局"), g.cell("")]),
        # a row starting one column to the right (w:gridBefore)
        g.row([g.cell("（一）执行公开"), g.cell("公开执行情况。"), g.cell("市财政局"), g.cell("市审计局")],
              grid_before=1),
    ]
    path = g.write_docx(tmp_path / "span.docx", g.table(rows, 5))
    grid = grid_of(path)
    assert [(c.column, c.colspan) for c in grid.rows[1]] == [(0, 1), (1, 2), (3, 1), (4, 1)]
    assert [c.column for c in grid.rows[2]] == [1, 2, 3, 4]
    plan = zwgk.load(path)
    assert plan.tasks[0].path == ("推进决策公开",)
    assert plan.tasks[0].text == "各县（市、区）要公开决策目录。"
    assert plan.tasks[1].path == ("推进决策公开", "（一）执行公开")
    assert [u.name for u in plan.tasks[1].responsible] == ["市审计局"]


def test_legacy_horizontal_merge(tmp_path: Path) -> None:
    def hcell(text: str, val: str) -> str:
        return f'<w:tc><w:tcPr><w:hMerge w:val="{val}"/></w:tcPr>{g.para(text)}</w:tc>'

    rows = [header_row(),
            g.row([g.cell("推进决策公开"), hcell("各县（市、区）要公开决策目录。", "restart"), hcell("", "continue"),
                   g.cell("市司法局"), g.cell("")])]
    grid = grid_of(g.write_docx(tmp_path / "hm.docx", g.table(rows, 5)))
    assert [(c.text, c.column, c.colspan) for c in grid.rows[1]][:2] == [
        ("推进决策公开", 0, 1), ("各县（市、区）要公开决策目录。", 1, 2)]
    (task,) = zwgk.load(tmp_path / "hm.docx").tasks
    assert task.path == ("推进决策公开",) and [u.name for u in task.leads] == ["市司法局"]


def test_paragraphs_breaks_and_tabs_in_a_cell(tmp_path: Path) -> None:
    tabbed = ('<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr>'  # a tab stop, not text
              "<w:r><w:t>甲</w:t><w:tab/><w:t>乙</w:t><w:cr/><w:t>丙</w:t></w:r></w:p>")
    text_cell = g.cell(raw=g.para(raw=g.run("第一段\n换行")) + g.para("第二段") + tabbed + g.para(""))
    rows = [header_row(), g.row([g.cell("类"), g.cell("子类"), text_cell, g.cell(["市财政局", "市审计局"]), g.cell()])]
    grid = grid_of(g.write_docx(tmp_path / "p.docx", g.table(rows, 5)))
    assert grid.rows[1][2].text == "第一段\n换行\n第二段\n甲\t乙\n丙"
    plan = zwgk.load(tmp_path / "p.docx")
    assert [u.name for u in plan.tasks[0].leads] == ["市财政局", "市审计局"]


def test_two_header_rows_marked_tbl_header(tmp_path: Path) -> None:
    rows = [
        g.row([g.cell("序号", vmerge="restart"), g.cell("工作任务", vmerge="restart"), g.cell("责任单位", span=2)],
              header=True),
        g.row([g.cell(vmerge="bare"), g.cell(vmerge="bare"), g.cell("牵头单位"), g.cell("配合单位")], header=True),
        g.row([g.cell("1"), g.cell("公开预算。"), g.cell("市财政局"), g.cell("市审计局")]),
    ]
    path = g.write_docx(tmp_path / "h2.docx", g.table(rows, 4))
    assert grid_of(path).header_rows == 2
    (task,) = zwgk.load(path).tasks
    assert (task.serial, task.text) == ("1", "公开预算。")
    assert [u.name for u in task.leads] == ["市财政局"] and [u.name for u in task.cooperating] == ["市审计局"]


def test_tracked_changes_hyperlinks_fields_and_content_controls(tmp_path: Path) -> None:
    tracked = g.para(raw=(
        '<w:r><w:t>公开</w:t></w:r>'
        '<w:del w:id="1" w:author="a"><w:r><w:delText>删除的</w:delText></w:r></w:del>'
        '<w:del w:id="2" w:author="a"><w:r><w:t>旧文字</w:t></w:r></w:del>'
        '<w:ins w:id="3" w:author="a"><w:r><w:t>新增的</w:t></w:r></w:ins>'
        '<w:moveFrom w:id="4" w:author="a"><w:r><w:t>移走</w:t></w:r></w:moveFrom>'
        '<w:hyperlink r:id="rId9"><w:r><w:t>政府网站</w:t></w:r></w:hyperlink>'
        '<w:fldSimple w:instr=" PAGE "><w:r><w:t>栏目</w:t></w:r></w:fldSimple>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> HYPERLINK "x" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>链接</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        '<w:sdt><w:sdtPr/><w:sdtContent><w:r><w:t>内容控件</w:t></w:r></w:sdtContent></w:sdt>'
        '<w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        '<mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p>'
        '</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r>'
        '<w:t>文本框</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>'
    ))
    lead_in_sdt = '<w:sdt><w:sdtPr/><w:sdtContent>' + g.cell("市大数据局") + "</w:sdtContent></w:sdt>"
    rows = [
        header_row(),
        g.row([g.cell("类"), g.cell("子类"), g.cell(raw=tracked), lead_in_sdt, g.cell("")]),
        g.row([g.cell("类"), g.cell("子类"), g.cell("整行删除"), g.cell("市财政局"), g.cell("")], deleted=True),
    ]
    wrapped = "<w:sdt><w:sdtContent>" + g.table(rows, 5) + "</w:sdtContent></w:sdt>"
    path = g.write_docx(tmp_path / "t.docx", wrapped)
    grid = grid_of(path)
    assert len(grid.rows) == 2
    assert grid.rows[1][2].text == "公开新增的政府网站栏目链接内容控件\n文本框"  # a text box read once
    assert grid.rows[1][3].text == "市大数据局" and grid.rows[1][3].column == 3


def test_nested_table_is_text_of_the_outer_cell(tmp_path: Path) -> None:
    inner = g.table([g.row([g.cell("子项一"), g.cell("子项二")]), g.row([g.cell("子项三"), g.cell("子项四")])], 2)
    rows = [header_row(), g.row([g.cell("类"), g.cell("子类"), g.cell(raw=g.para("总述") + inner + g.para()),
                                 g.cell("市财政局"), g.cell("")])]
    grid = grid_of(g.write_docx(tmp_path / "n.docx", g.table(rows, 5)))
    assert len(grid.rows) == 2
    assert grid.rows[1][2].text == "总述\n子项一\n子项二\n子项三\n子项四"
    assert grid.rows[1][3].text == "市财政局"


def test_header_repeated_by_hand_after_a_page_break(tmp_path: Path) -> None:
    body = [
        g.row([g.cell("工 作 任 务", span=2), g.cell("具体任务"), g.cell("牵头单位"), g.cell("责任单位")]),
        g.row([g.cell("推进决策公开", vmerge="restart"), g.cell("（一）预公开"), g.cell("任务一。"),
               g.cell("市司法局"), g.cell("")]),
        g.row([g.cell("工 作 任 务", span=2), g.cell("具体任务"), g.cell("牵头单位"), g.cell("责任单位")]),
        g.row([g.cell("推进决策公开"), g.cell("（一）预公开"), g.cell("任务二。"), g.cell("市财政局"), g.cell("")]),
    ]
    plan = zwgk.load(g.write_docx(tmp_path / "h.docx", g.table(body, 5)))
    assert [t.text for t in plan.tasks] == ["任务一。", "任务二。"]
    assert plan.tasks[0].path == plan.tasks[1].path == ("推进决策公开", "（一）预公开")


def test_several_tables_pick_by_header_and_by_number(tmp_path: Path) -> None:
    contacts = g.table([g.row([g.cell("姓名"), g.cell("电话")]), g.row([g.cell("张三"), g.cell("123")])], 2)
    body = g.para("联系人") + contacts + g.para(TITLE) + g.table(
        [header_row(), g.row([g.cell("类"), g.cell("子类"), g.cell("任务。"), g.cell("市财政局"), g.cell("")])], 5)
    path = g.write_docx(tmp_path / "multi.docx", body)
    grids = read_docx(path).tables
    assert [gr.table for gr in grids] == [1, 2]
    assert grids[1].preamble == (TITLE,) and grids[0].preamble == ("联系人",)
    plan = zwgk.load(path)
    assert [t.text for t in plan.tasks] == ["任务。"]
    assert plan.title == TITLE
    assert zwgk.load(path, table=2) == plan
    with pytest.raises(ZwgkError, match="no header row"):
        zwgk.load(path, table=1)
    with pytest.raises(ParseError, match="no table 3"):
        zwgk.load(path, table=3)


def test_table_continued_after_a_section_break(tmp_path: Path) -> None:
    first = g.table([header_row(), g.row([g.cell("推进决策公开", vmerge="restart"), g.cell("（一）预公开"),
                                          g.cell("任务一。"), g.cell("市司法局"), g.cell("")])], 5)
    # the categories cannot stay merged across two tables: the continuation starts with empty cells
    second = g.table([header_row(), g.row([g.cell(), g.cell(), g.cell("任务二。"), g.cell("市财政局"), g.cell("")]),
                      g.row([g.cell("推进执行公开"), g.cell("（一）执行"), g.cell("任务三。"), g.cell("市审计局"),
                             g.cell("")])], 5)
    body = g.para(TITLE) + first + '<w:p><w:pPr><w:sectPr/></w:pPr></w:p>' + second
    plan = zwgk.load(g.write_docx(tmp_path / "two.docx", body))
    assert [(t.text, t.path) for t in plan.tasks] == [
        ("任务一。", ("推进决策公开", "（一）预公开")),
        ("任务二。", ("推进决策公开", "（一）预公开")),
        ("任务三。", ("推进执行公开", "（一）执行")),
    ]
    assert plan.title == TITLE


def test_sniffs_a_docx_by_content(tmp_path: Path) -> None:
    path = g.write_docx(tmp_path / "download.bin", merged_table("bare"))
    assert len(zwgk.load(path).tasks) == 3
    assert "docx" in zwgk.get_readers()


# ---- round trips --------------------------------------------------------------------------------

def _docx_exporter() -> None:
    if "docx" not in zwgk.get_exporters():
        pytest.skip("no docx exporter registered")


def test_sample_docx_export_reads_like_its_text_export(tmp_path: Path) -> None:
    _docx_exporter()
    sample = zwgk.load_sample()
    zwgk.export(sample, "docx", tmp_path / "sample.docx")
    zwgk.export(sample, "text", tmp_path / "sample.txt")
    from_docx = zwgk.load(tmp_path / "sample.docx")
    assert len(from_docx.tasks) == 143
    assert from_docx == zwgk.load(tmp_path / "sample.txt")
    assert sum(1 for a, b in zip(from_docx.tasks, sample.tasks, strict=True) if a != b) <= 1


def test_sample_docx_export_reads_back_equal(tmp_path: Path) -> None:
    _docx_exporter()
    sample = zwgk.load_sample()
    path = tmp_path / "sample.docx"
    zwgk.export(sample, "docx", path)
    back = zwgk.load(path)
    assert back.tasks == sample.tasks
    assert back.title == sample.title
    assert back == sample


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("libreoffice") is None and shutil.which("soffice") is None,
                    reason="LibreOffice is not installed")
def test_libreoffice_docx_from_html_rowspans(tmp_path: Path) -> None:
    html = tmp_path / "t.html"
    html.write_text(
        "<html><head><meta charset='utf-8'></head><body><p>2021年某市政务公开任务分解表</p><table border=1>"
        "<tr><td>一级任务</td><td>二级任务</td><td>具体任务</td><td>牵头单位</td><td>责任单位</td></tr>"
        "<tr><td rowspan=3>推进决策公开</td><td rowspan=2>（一）预公开</td><td>任务一。</td><td>市司法局</td>"
        "<td>各县（市、区）</td></tr>"
        "<tr><td>任务二。</td><td>市财政局</td><td></td></tr>"
        "<tr><td>（二）执行公开</td><td>任务三。</td><td>市审计局</td><td>市财政局</td></tr>"
        "</table></body></html>",
        encoding="utf-8",
    )
    exe = shutil.which("libreoffice") or shutil.which("soffice")
    assert exe is not None
    subprocess.run([exe, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
                    "docx:MS Word 2007 XML", "--outdir", str(tmp_path), str(html)],
                   check=True, capture_output=True, timeout=120)
    path = tmp_path / "t.docx"
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    assert 'w:vMerge w:val="continue"' in xml  # LibreOffice's spelling of a continuation
    grid = grid_of(path)
    merged = {c.text: c.rowspan for row in grid.rows for c in row if c.rowspan > 1}
    assert merged == {"推进决策公开": 3, "（一）预公开": 2}
    plan = zwgk.load(path)
    assert [t.path for t in plan.tasks] == [("推进决策公开", "（一）预公开")] * 2 + [("推进决策公开", "（二）执行公开")]
    assert [u.name for u in plan.tasks[2].responsible] == ["市财政局"]


# ---- bad input ----------------------------------------------------------------------------------

def test_truncated_docx(tmp_path: Path) -> None:
    whole = g.write_generated(tmp_path / "whole.docx", 150).read_bytes()
    cut = tmp_path / "cut.docx"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(ParseError, match="damaged or truncated") as e:
        zwgk.load(cut)
    assert "cut.docx" in str(e.value)


def test_docx_with_no_table(tmp_path: Path) -> None:
    path = g.write_docx(tmp_path / "none.docx", g.para("通知") + g.para("正文没有表格。"))
    with pytest.raises(ParseError, match="no table found in this document"):
        zwgk.load(path)


def test_zip_bomb_fails_fast(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", g.CONTENT_TYPES)
        zf.writestr("_rels/.rels", g.ROOT_RELS)
        with zf.open("word/document.xml", "w", force_zip64=True) as f:
            block = b"\0" * (1 << 20)
            for _ in range(64):  # 64 MiB of zeros, about 64 KiB compressed
                f.write(block)
    assert path.stat().st_size < 1 << 20
    with pytest.raises(ParseError, match="zip bomb"):
        zwgk.load(path)


def test_zip_limits_are_configurable(tmp_path: Path) -> None:
    path = g.write_generated(tmp_path / "g.docx", 150)
    with pytest.raises(ParseError, match="entries"):
        zwgk.load(path, limits=ZipLimits(max_entries=3))
    with pytest.raises(ParseError, match="expands to"):
        zwgk.load(path, limits=ZipLimits(max_total_size=10_000))
    with pytest.raises(ParseError, match="compressed"):
        zwgk.load(path, limits=ZipLimits(max_ratio=2, ratio_threshold=1000))
    assert len(zwgk.load(path, limits=ZipLimits(max_entries=10)).tasks) == 150


def test_external_entity_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("市秘密局", encoding="utf-8")
    prolog = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    rows = [header_row(), g.row([g.cell("类"), g.cell("子类"), g.cell("任务。"),
                                 g.cell(raw=g.para(raw="<w:r><w:t>&xxe;</w:t></w:r>")), g.cell("")])]
    path = g.write_docx(tmp_path / "xxe.docx", g.table(rows, 5), prolog=prolog)
    with pytest.raises(ParseError, match="DTD") as e:
        zwgk.load(path)
    assert "市秘密局" not in str(e.value)


def test_damaged_xml(tmp_path: Path) -> None:
    path = g.write_docx(tmp_path / "bad.docx", "", document_xml=g.document(header_row())[:-40])
    with pytest.raises(ParseError, match="document XML is damaged"):
        zwgk.load(path)


def _ole(path: Path, stream: str) -> Path:
    data = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    data += stream.encode("utf-16-le") + b"\0" * 2048
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("name", ["plan.doc", "plan.wps", "plan.docx", "download"])
def test_legacy_binary_doc(tmp_path: Path, name: str) -> None:
    stream = "WpsDocument" if name.endswith(".wps") else "WordDocument"
    path = _ole(tmp_path / name, stream)
    with pytest.raises(UnsupportedFormatError) as e:
        zwgk.load(path)
    msg = str(e.value)
    assert f"libreoffice --headless --convert-to docx --outdir \"{tmp_path}\" \"{path}\"" in msg
    assert (".wps" in msg) if name.endswith(".wps") else (".doc" in msg)


def test_encrypted_docx(tmp_path: Path) -> None:
    path = _ole(tmp_path / "secret.docx", "EncryptedPackage")
    with pytest.raises(UnsupportedFormatError, match="password-protected"):
        zwgk.load(path)


def test_cli_parse_table_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from zwgk.cli import main

    contacts = g.table([g.row([g.cell("姓名"), g.cell("电话")]), g.row([g.cell("张三"), g.cell("123")])], 2)
    tasks = g.table([header_row(), g.row([g.cell("类"), g.cell("子类"), g.cell("任务。"), g.cell("市财政局"),
                                          g.cell("")])], 5)
    path = g.write_docx(tmp_path / "multi.docx", contacts + g.para(TITLE) + tasks)
    assert main(["parse", str(path), "--table", "2", "-f", "json"]) == 0
    assert "任务。" in capsys.readouterr().out
    assert main(["parse", str(path), "--table", "1"]) == 2
    assert "no header row" in capsys.readouterr().err
    assert main(["parse", str(path), "--table", "5"]) == 2
    err = capsys.readouterr().err
    assert "multi.docx" in err and "no table 5" in err and "2 tables" in err


@pytest.mark.parametrize("name,content,what", [
    ("plan.doc", b"{\\rtf1\\ansi\\deff0 {\\fonttbl}}", "RTF"),
])
def test_rtf_is_refused_with_the_command(tmp_path: Path, name: str, content: bytes, what: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnsupportedFormatError, match=what) as e:
        # RTF starts with "{", which zwgk.load takes for JSON unless a format is named; RTF is
        # converted with LibreOffice when one is installed: convert=False asks for the refusal
        zwgk.load(path, format="doc" if what == "RTF" else None, convert=False)
    assert "libreoffice --headless --convert-to docx" in str(e.value)


def test_html_saved_as_doc_reads_as_html(tmp_path: Path) -> None:
    path = tmp_path / "plan.doc"
    path.write_text("<html><body><table><tr><td>工作任务</td><td>牵头单位</td></tr>"
                    "<tr><td>公开预算。</td><td>市财政局</td></tr></table></body></html>", encoding="utf-8")
    (task,) = zwgk.load(path).tasks
    assert task.text == "公开预算。"


def test_dtd_in_a_utf16_document_is_refused(tmp_path: Path) -> None:
    xml = g.document(g.table([header_row()], 5), prolog='<!DOCTYPE w:document [<!ENTITY a "b">]>')
    xml = xml.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    path = tmp_path / "u16.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", g.CONTENT_TYPES)
        zf.writestr("word/document.xml", xml.encode("utf-16"))
    with pytest.raises(ParseError, match="DTD"):
        zwgk.load(path)


def test_strict_open_xml_is_named(tmp_path: Path) -> None:
    xml = g.document(g.table([header_row()], 5)).replace(
        g.W_NS, "http://purl.oclc.org/ooxml/wordprocessingml/main")
    path = g.write_docx(tmp_path / "strict.docx", "", document_xml=xml)
    with pytest.raises(UnsupportedFormatError, match="Strict Open XML"):
        zwgk.load(path)


def test_garbage_collector_state_is_restored(tmp_path: Path) -> None:
    import gc

    path = g.write_docx(tmp_path / "m.docx", merged_table("bare") + merged_table("continue"))
    assert gc.isenabled()
    assert len(read_docx(path).tables) == 2
    assert gc.isenabled()  # paused only while rows are read
    assert len(zwgk.load(path).tasks) == 6 and gc.isenabled()
    gc.disable()
    try:
        zwgk.load(path)
        assert not gc.isenabled()
    finally:
        gc.enable()


def _libreoffice(tmp_path: Path, src: Path, to: str) -> Path:
    exe = shutil.which("libreoffice") or shutil.which("soffice")
    assert exe is not None
    out = tmp_path / "out"
    subprocess.run([exe, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", to,
                    "--outdir", str(out), str(src)], check=True, capture_output=True, timeout=180)
    return out / f"{src.stem}.{to.split(':')[0]}"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("libreoffice") is None and shutil.which("soffice") is None,
                    reason="LibreOffice is not installed")
def test_sample_rewritten_by_libreoffice(tmp_path: Path) -> None:
    _docx_exporter()
    sample = zwgk.load_sample()
    src = tmp_path / "sample.docx"
    zwgk.export(sample, "docx", src)
    rewritten = _libreoffice(tmp_path, src, "docx:MS Word 2007 XML")
    with zipfile.ZipFile(rewritten) as zf:
        assert b'w:vMerge w:val="continue"' in zf.read("word/document.xml")
    assert zwgk.load(rewritten) == sample
    assert zwgk.load(_libreoffice(tmp_path, src, "html")) == sample
    legacy = _libreoffice(tmp_path, src, "doc")  # read by the doc reader: no converting needed
    assert zwgk.load(legacy, convert=False) == sample


def _boxed(path: Path, tables: int = 1, box_columns: int = 1) -> Path:
    """A document whose content stands in a layout table (a one-cell box, or a box beside a column
    of its own): the title, the task tables and the signature in one cell."""
    import docx

    document = docx.Document()
    document.add_paragraph("附件")
    box = document.add_table(rows=1, cols=box_columns)
    if box_columns > 1:
        box.cell(0, 0).paragraphs[0].text = "附件目录"
    cell = box.cell(0, box_columns - 1)
    cell.paragraphs[0].text = "2023年某某市政务公开工作要点任务分解表"
    for n in range(tables):
        inner = cell.add_table(rows=3, cols=4)
        for i, row in enumerate([["序号", "工作任务", "牵头单位", "责任单位"],
                                 [str(2 * n + 1), f"推进决策公开{n}。", "市政府办公室", "市司法局"],
                                 [str(2 * n + 2), f"加强政策解读{n}。", "市委宣传部", "各县区政府"]]):
            for j, text in enumerate(row):
                inner.cell(i, j).text = text
        cell.add_paragraph(f"（表{n + 1}完）")
    document.add_paragraph("某某市人民政府办公室")
    document.save(str(path))
    return path


@pytest.mark.parametrize("box_columns", [1, 2], ids=["one-cell box", "box beside a column"])
def test_task_tables_inside_a_layout_table_are_read_with_the_text_around_them(tmp_path: Path,
                                                                              box_columns: int) -> None:
    import warnings

    path = _boxed(tmp_path / "boxed.docx", tables=2, box_columns=box_columns)
    assert len(read_docx(path).tables) == 1  # handed over as written: one table, the box
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plan = zwgk.load(path)
    # every character in the plan but the line between the two tables, which is said
    assert [str(w.message) for w in caught if issubclass(w.category, zwgk.ReadWarning)] == [
        f"{path}, table 2: the text above it is not in the plan, which holds the text above its first task "
        "table and below its last: 「（表1完）」"]
    assert [t.text for t in plan.tasks] == ["推进决策公开0。", "加强政策解读0。", "推进决策公开1。", "加强政策解读1。"]
    assert [t.source.table for t in plan.tasks if t.source is not None] == [1, 1, 2, 2]
    assert [u.name for u in plan.tasks[0].leads] == ["市政府办公室"]
    assert plan.title == "2023年某某市政务公开工作要点任务分解表"
    assert plan.preamble == ("附件", *(("附件目录",) if box_columns > 1 else ()), plan.title)
    assert plan.epilogue == ("（表2完）", "某某市人民政府办公室")


def test_text_between_two_task_tables_is_said_not_dropped(tmp_path: Path) -> None:
    import warnings

    import docx

    document = docx.Document()
    document.add_paragraph("2023年某某市政务公开工作要点任务分解表")
    for n in range(2):
        table = document.add_table(rows=2, cols=3)
        for i, row in enumerate([["序号", "工作任务", "牵头单位"], [str(n + 1), f"任务{n}。", "市政府办公室"]]):
            for j, text in enumerate(row):
                table.cell(i, j).text = text
        document.add_paragraph(f"附件{n + 2}说明")
    path = tmp_path / "two.docx"
    document.save(str(path))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plan = zwgk.load(path)
    assert plan.epilogue == ("附件3说明",)
    said = [str(w.message) for w in caught if issubclass(w.category, zwgk.ReadWarning)]
    assert said == [f"{path}, table 2: the text above it is not in the plan, which holds the text above its first "
                    "task table and below its last: 「附件2说明」"]
