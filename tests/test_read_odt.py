"""The OpenDocument text reader, on hand-made content.xml (no LibreOffice needed)."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest

import zwgk
from tests.fixtures.layouts import odt_package
from zwgk.errors import ParseError, UnsupportedFormatError
from zwgk.exporters.text import column_kinds, columns_for, row_cells
from zwgk.model import Plan
from zwgk.readers.odt import ODT_MIMETYPE, read_odt, sniff_odt
from zwgk.table.document import grids_of

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
      'xmlns:dc="http://purl.org/dc/elements/1.1/"')
TITLE = "2021年某市政务公开工作任务分解表"


def cell(*paras: str, rows: int = 1, cols: int = 1) -> str:
    attrs = (f' table:number-rows-spanned="{rows}"' if rows > 1 else "") + \
            (f' table:number-columns-spanned="{cols}"' if cols > 1 else "")
    body = "".join(p if p.startswith("<") else f"<text:p>{p}</text:p>" for p in paras)
    return f"<table:table-cell{attrs}>{body}</table:table-cell>"


COVERED = "<table:covered-table-cell/>"


def row(*cells: str) -> str:
    return f"<table:table-row>{''.join(cells)}</table:table-row>"


def table(*rows: str, header: int = 0) -> str:
    head = "".join(rows[:header])
    body = "".join(rows[header:])
    head = f"<table:table-header-rows>{head}</table:table-header-rows>" if header else ""
    return f'<table:table table:name="T"><table:table-column/>{head}{body}</table:table>'


def write_odt(path: Path, body: str, *, prolog: str = "", mimetype: str = ODT_MIMETYPE) -> Path:
    return odt_package(path, body, ns=NS, prolog=prolog, mimetype=mimetype)


HEADER = row(cell("一级任务"), cell("具体任务"), cell("牵头单位"), cell("配合单位"))


def merged_body() -> str:
    return table(
        HEADER,
        row(cell("公开财政信息", rows=2), cell("公开预算", "<text:p>和<text:s text:c=\"2\"/>决算<text:line-break/>"
                                                 "两项</text:p>"), cell("市财政局"), cell("各县（市、区）")),
        row(COVERED, cell("公开<text:span>审计</text:span>结果"), cell("市审计局"), cell("")),
        row(cell("做好政策解读，由办公室牵头。", cols=2), COVERED, cell("市政府办公室"), cell("市政府各部门")),
        header=1,
    )


def test_merges_header_rows_and_text(tmp_path: Path) -> None:
    path = write_odt(tmp_path / "t.odt", f"<text:p>附件1</text:p><text:h>{TITLE}</text:h>" + merged_body())
    (grid,) = read_odt(path).tables
    assert grid.header_rows == 1 and grid.preamble == ("附件1", TITLE)
    first = grid.rows[1][0]
    assert (first.text, first.rowspan, first.column) == ("公开财政信息", 2, 0)
    assert grid.rows[1][1].text == "公开预算\n和  决算\n两项"
    assert [c.column for c in grid.rows[2]] == [1, 2, 3]
    assert grid.rows[2][0].text == "公开审计结果"
    assert (grid.rows[3][0].colspan, grid.rows[3][1].column) == (2, 2)
    assert grid.rows[2][0].position.row == 3 and grid.rows[2][0].position.column == 2
    plan = zwgk.load(path)
    assert [t.text for t in plan.tasks] == ["公开预算\n和  决算\n两项", "公开审计结果", "做好政策解读，由办公室牵头。"]
    assert plan.tasks[1].path == ("公开财政信息",)
    assert [u.name for u in plan.tasks[0].cooperating] == ["各县（市、区）"]
    assert plan.title == TITLE


def odt_of(plan: Plan) -> str:
    """A plan as OpenDocument table XML laid out as the exporters lay it out (merged categories)."""
    cols = columns_for(plan)
    kinds = column_kinds(cols)
    grid: list[list[list[Any]]] = [[[h, 1, 1] for h in cols]]  # each place: [text, rowspan, colspan] or None
    above: dict[int, list[Any]] = {}
    prev: tuple[str, ...] | None = None
    for task in plan.tasks:
        line: list[Any] = [None] * len(cols)
        for rc in row_cells(task, cols, prev, kinds):
            end = rc.column if rc.column is not None else cols.index(rc.header)
            start = end - (rc.span - 1)
            if rc.continued:
                above[start][1] += 1
                continue
            line[start] = [rc.text, 1, rc.span]
            above[start] = line[start]
        grid.append(line)
        prev = task.path
    out = []
    for line in grid:
        cells = []
        for place in line:
            if place is None:
                cells.append(COVERED)
            else:
                cells.append(cell(*(escape(p) for p in place[0].split("\n")), rows=place[1], cols=place[2]))
        out.append(row(*cells))
    return f"<text:p>{escape(plan.title or '')}</text:p>" + table(*out, header=1)


def test_the_sample_as_hand_made_odt_reads_back_equal(tmp_path: Path) -> None:
    sample = zwgk.load_sample()
    path = write_odt(tmp_path / "s.odt", odt_of(sample))
    plan = zwgk.load(path)
    assert plan.tasks == sample.tasks
    assert plan.title == sample.title


def test_tracked_changes_notes_and_nested_tables(tmp_path: Path) -> None:
    changes = ('<text:tracked-changes><text:changed-region text:id="c1"><text:deletion>'
               "<text:p>删除的文字</text:p></text:deletion></text:changed-region></text:tracked-changes>")
    nested = table(row(cell("甲"), cell("乙")))
    body = changes + table(
        HEADER,
        row(cell("类"), cell('<text:p>保留<text:change text:change-id="c1"/>文字<text:note><text:note-body>'
                             "<text:p>脚注</text:p></text:note-body></text:note></text:p>"),
            cell("市财政局"), cell(nested)),
    )
    path = write_odt(tmp_path / "c.odt", body)
    (grid,) = read_odt(path).tables
    assert grid.rows[1][1].text == "保留文字"
    assert grid.rows[1][3].text == "甲\n乙"
    assert "删除" not in str(grid)


def test_several_tables_and_table_option(tmp_path: Path) -> None:
    contacts = table(row(cell("姓名"), cell("电话")), row(cell("张三"), cell("123")))
    body = contacts + f"<text:section><text:p>{TITLE}</text:p>{merged_body()}</text:section><text:p>附注</text:p>"
    path = write_odt(tmp_path / "m.odt", body)
    grids = list(read_odt(path).tables)
    assert [g.table for g in grids] == [1, 2]
    assert grids[1].preamble == (TITLE,) and grids[1].epilogue == ("附注",)
    (only,) = grids_of(read_odt(path), table=2)
    assert only.table == 2
    assert len(zwgk.load(path).tasks) == 3
    with pytest.raises(ParseError, match=r"2 tables; there is no table 3"):
        zwgk.load(path, table=3)


def test_a_table_in_a_frame_anchored_in_a_paragraph(tmp_path: Path) -> None:
    """A floating table or a table in a text box sits in a draw:frame inside a text:p: it is a table."""
    frame = f"<draw:frame><draw:text-box><text:p>{TITLE}</text:p>{merged_body()}</draw:text-box></draw:frame>"
    body = f"<text:p>附件</text:p><text:p>前文{frame}后文</text:p><text:p>附注</text:p>"
    (grid,) = read_odt(write_odt(tmp_path / "f.odt", body)).tables
    assert grid.preamble == ("附件", "前文后文", TITLE)
    assert zwgk.load(tmp_path / "f.odt").title == TITLE
    assert grid.epilogue == ("附注",)
    plan = zwgk.load(tmp_path / "f.odt")
    assert [t.text for t in plan.tasks] == ["公开预算\n和  决算\n两项", "公开审计结果", "做好政策解读，由办公室牵头。"]
    # a frame holding only text stays lines of text (as before)
    text_box = "<draw:frame><draw:text-box><text:p>框中文字</text:p></draw:text-box></draw:frame>"
    (grid,) = read_odt(write_odt(tmp_path / "g.odt", f"<text:p>前{text_box}</text:p>" + merged_body())).tables
    assert grid.preamble == ("前", "框中文字")


def test_repeated_cells_and_rows(tmp_path: Path) -> None:
    body = table(HEADER, '<table:table-row table:number-rows-repeated="2">' + cell("类") + cell("任务。") +
                 '<table:table-cell table:number-columns-repeated="2"><text:p>市财政局</text:p></table:table-cell>'
                 "</table:table-row>", '<table:table-row table:number-rows-repeated="1000"><table:table-cell '
                 'table:number-columns-repeated="4"/></table:table-row>', header=1)
    (grid,) = read_odt(write_odt(tmp_path / "r.odt", body)).tables
    assert [[c.text for c in r] for r in grid.rows[1:3]] == [["类", "任务。", "市财政局", "市财政局"]] * 2
    assert len(grid.rows) == 4  # the repeated empty row is read once


def test_sniffed_whatever_the_suffix(tmp_path: Path) -> None:
    path = write_odt(tmp_path / "download.bin", merged_body())
    assert sniff_odt(path.read_bytes()[:8192])
    assert len(zwgk.load(path).tasks) == 3


@pytest.mark.parametrize("bad,match", [
    ("truncate", "damaged or truncated"),
    ("dtd", "DTD"),
    ("bomb", "zip bomb"),
    ("span", "number-columns-spanned"),
    ("spreadsheet", "spreadsheet"),
    ("no-table", "no table found"),
    ("xml", "XML is damaged"),
])
def test_bad_input(tmp_path: Path, bad: str, match: str) -> None:
    path = tmp_path / "bad.odt"
    if bad == "truncate":
        write_odt(path, merged_body())
        path.write_bytes(path.read_bytes()[:200])
    elif bad == "dtd":
        secret = tmp_path / "secret.txt"
        secret.write_text("机密", encoding="utf-8")
        write_odt(path, table(HEADER, row(cell("&x;"))), prolog=f'<!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>')
    elif bad == "bomb":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(zipfile.ZipInfo("mimetype"), ODT_MIMETYPE)
            zf.writestr("content.xml", b"<a>" + b" " * (50 * 1024 * 1024) + b"</a>")
    elif bad == "span":
        write_odt(path, table(HEADER, row(cell("x", cols=10**9))))
    elif bad == "spreadsheet":
        write_odt(path, "", mimetype="application/vnd.oasis.opendocument.spreadsheet")
    elif bad == "no-table":
        write_odt(path, "<text:p>只有文字</text:p>")
    else:
        write_odt(path, "<text:p>")
    with pytest.raises(ParseError, match=match) as e:
        zwgk.load(path)
    assert str(path) in str(e.value)
    assert "机密" not in str(e.value)


def test_ole_file_named_odt_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.odt"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(UnsupportedFormatError):
        read_odt(path)


def test_an_option_the_reader_does_not_take_is_named(tmp_path: Path) -> None:
    path = write_odt(tmp_path / "m.odt", merged_body())
    with pytest.raises(ParseError, match="reader 'odt' has no option tabel; its options: table"):
        zwgk.load(path, tabel=2)
    with pytest.raises(ParseError, match="table must be a number from 1 up"):
        zwgk.load(path, table=0)


# --- task breakdowns written as paragraphs ---------------------------------------------------------

LABELLED = (Path(__file__).parent / "fixtures" / "paragraphs" / "labelled.txt").read_text(encoding="utf-8").splitlines()
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def paras(lines: list[str]) -> str:
    return "".join(f"<text:p>{escape(line)}</text:p>" for line in lines)


def _text_form(tmp_path: Path, lines: list[str]) -> Plan:
    txt = tmp_path / "same.txt"
    txt.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return zwgk.load(txt)


def test_paragraphs_read_as_the_text_form(tmp_path: Path) -> None:
    path = write_odt(tmp_path / "p.odt", paras(LABELLED))
    plan = zwgk.load(path)
    assert plan == _text_form(tmp_path, LABELLED)
    assert len(plan.tasks) == 6 and plan.title == "2021年全市政务公开工作要点任务分工"
    first = plan.tasks[0]
    assert first.source is not None and first.source.file == str(path)
    assert first.source.line == LABELLED.index("1.加大宣传力度。围绕重大决策开展多种形式的宣传解读。") + 1


def test_paragraphs_in_lists_sections_and_headings_with_changes_and_notes(tmp_path: Path) -> None:
    """List items, headings and sections are paragraphs in document order; deleted text and notes are not."""
    heading, rest = LABELLED.index("二、重点任务"), LABELLED.index("（二）推进管理和服务公开")
    changes = ('<text:tracked-changes><text:changed-region text:id="c1"><text:deletion>'
               "<text:p>7.删除的任务</text:p><text:p>牵头单位：市删除局</text:p></text:deletion>"
               "</text:changed-region></text:tracked-changes>")
    items = "".join(f"<text:list-item><text:p>{escape(line)}</text:p></text:list-item>"
                    for line in LABELLED[heading + 1:rest])
    first = LABELLED[heading + 2]  # 1.加大宣传力度。…: a note and a change marker inside it
    items = items.replace(escape(first), f'{escape(first[:4])}<text:change text:change-id="c1"/>'
                          f"<text:note><text:note-body><text:p>脚注：市脚注局</text:p></text:note-body></text:note>"
                          f"{escape(first[4:])}", 1)
    body = (changes + paras(LABELLED[:heading]) + f'<text:h text:outline-level="1">{escape(LABELLED[heading])}</text:h>'
            + f"<text:list>{items}</text:list>"
            + f"<text:section>{paras(LABELLED[rest:])}</text:section>")
    plan = zwgk.load(write_odt(tmp_path / "l.odt", body))
    assert plan == _text_form(tmp_path, LABELLED)
    assert "删除" not in repr(plan) and "脚注" not in repr(plan)
    assert [t.source.line for t in plan.tasks if t.source is not None] == [
        LABELLED.index(line) + 1 for line in LABELLED if line[:2] in ("1.", "2.", "3.", "4.", "5.", "6.")]


def test_a_task_table_wins_unless_layout_list(tmp_path: Path) -> None:
    path = write_odt(tmp_path / "both.odt", paras(["1.段落任务。", "牵头单位：市司法局"]) + merged_body())
    assert len(zwgk.load(path).tasks) == 3
    assert len(zwgk.load(path, layout="table").tasks) == 3
    listed = zwgk.load(path, layout="list")
    assert [t.text for t in listed.tasks] == ["1.段落任务。"]
    assert [u.name for u in listed.tasks[0].leads] == ["市司法局"]
    with pytest.raises(ParseError, match="give one"):
        zwgk.load(path, layout="list", table=1)
    with pytest.raises(ParseError, match="layout must be"):
        zwgk.load(path, layout="grid")
    # a table that is no task table gives way to the paragraphs
    contacts = table(row(cell("联系人"), cell("电话")), row(cell("张三"), cell("123")))
    assert len(zwgk.load(write_odt(tmp_path / "c.odt", paras(LABELLED) + contacts)).tasks) == 6


def test_neither_table_nor_task_paragraphs_says_what_was_looked_for(tmp_path: Path) -> None:
    path = write_odt(tmp_path / "n.odt", paras(["各县（市、区）人民政府：", "现将方案印发给你们。", "一、工作目标"]))
    with pytest.raises(ParseError, match=r"no table found.*looked for numbered paragraphs.*牵头单位") as e:
        zwgk.load(path)
    assert str(path) in str(e.value)
    with pytest.raises(ParseError, match="no task paragraphs found"):
        zwgk.load(write_odt(tmp_path / "t.odt", merged_body()), layout="list")


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_a_paragraph_form_doc_converted_by_libreoffice_reads_back_equal(tmp_path: Path) -> None:
    plan = _text_form(tmp_path, LABELLED)
    src = tmp_path / "list.docx"
    zwgk.export(plan, "docx", src, form="list")
    assert SOFFICE is not None
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                    "--convert-to", "doc", "--outdir", str(tmp_path / "doc"), str(src)],
                   check=True, capture_output=True, timeout=180)
    doc = tmp_path / "doc" / "list.doc"
    assert doc.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a legacy Word file, converted inside zwgk
    back = zwgk.load(doc)
    assert back == plan
    assert all(t.source is not None and t.source.file == str(doc) for t in back.tasks)


def test_a_task_table_inside_a_one_cell_box_is_read_with_the_boxs_text_around_it(tmp_path: Path) -> None:
    import warnings

    task_table = table(HEADER, row(cell("一、推进决策公开"), cell("推行目录管理。"), cell("市政府办公室"),
                                   cell("市司法局")))
    box = table(row(cell(TITLE, task_table, "某某市人民政府办公室")))
    path = write_odt(tmp_path / "box.odt", f"<text:p>附件</text:p>{box}<text:p>2021年3月</text:p>")
    assert len(read_odt(path).tables) == 1  # handed over as written: the box
    with warnings.catch_warnings():
        warnings.simplefilter("error", zwgk.ReadWarning)  # every character in the plan
        plan = zwgk.load(path)
    assert [(t.path, t.text, [u.name for u in t.leads]) for t in plan.tasks] == [
        (("一、推进决策公开",), "推行目录管理。", ["市政府办公室"])]
    assert plan.title == TITLE
    assert (plan.preamble, plan.epilogue) == (("附件", TITLE), ("某某市人民政府办公室", "2021年3月"))
