"""The xlsx reader: merged ranges, several sheets, formulas, bad input, and the exporter read back."""

from __future__ import annotations

import shutil
import subprocess
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path

import attrs
import openpyxl
import pytest
import zwgk_xlsx
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st
from zwgk_xlsx import FormulaWarning, read_xlsx

import zwgk
from zwgk import plugins
from zwgk.errors import ExportError, ParseError, UnsupportedFormatError
from zwgk.exporters import Exporter
from zwgk.model import Metadata, Plan
from zwgk.testing import assert_same_tasks

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
HEADER = ["一级任务", "具体任务", "牵头单位", "配合单位"]
TITLE = "2021年某市政务公开工作任务分解表"




def workbook(path: Path, *, contacts_first: bool = True, formula: bool = False) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "联系人"
    ws.append(["姓名", "电话"])
    ws.append(["张三", "123"])
    tasks = wb.create_sheet("任务")
    tasks.append([TITLE])
    tasks.merge_cells("A1:D1")
    tasks.append(HEADER)
    tasks.append(["公开财政信息", "公开预算\n和决算", "市财政局", "各县（市、区）"])
    tasks.append([None, "=CONCATENATE(\"公开\",\"审计\")" if formula else "公开审计结果", "市审计局", None])
    tasks.append(["做好政策解读。", None, "市政府办公室", "市政府各部门"])
    tasks.merge_cells("A3:A4")
    tasks.merge_cells("A5:B5")
    if not contacts_first:
        wb.move_sheet("任务", offset=-1)
    wb.save(path)
    return path


def test_merges_and_the_task_sheet_by_its_header(xlsx: Exporter, tmp_path: Path) -> None:
    path = workbook(tmp_path / "t.xlsx")
    contacts, grid = read_xlsx(path).tables
    assert contacts.table == 1 and grid.table == 2 and grid.preamble == (TITLE,)
    assert (grid.rows[1][0].text, grid.rows[1][0].rowspan) == ("公开财政信息", 2)
    assert [c.column for c in grid.rows[2]] == [1, 2, 3]
    assert grid.rows[3][0].colspan == 2
    assert (grid.rows[1][1].position.row, grid.rows[1][1].position.column) == (3, 2)
    # A sheet that is no task table is said, as every format's other tables are, never dropped silently.
    with pytest.warns(zwgk.ReadWarning, match=r"sheet 1 「联系人」: not a task table"):
        plan = zwgk.load(path)
    assert [t.text for t in plan.tasks] == ["公开预算\n和决算", "公开审计结果", "做好政策解读。"]
    assert plan.tasks[1].path == ("公开财政信息",) and plan.tasks[2].path == ()
    assert plan.title == TITLE
    with pytest.raises(Exception, match="header"):
        zwgk.load(path, table=1)  # the contacts sheet, asked for by number
    assert len(zwgk.load(path, table=2).tasks) == 3
    with pytest.raises(ParseError, match=r"2 sheets; there is no table 3"):
        zwgk.load(path, table=3)


def test_formulas_are_kept_as_written_and_reported(xlsx: Exporter, tmp_path: Path) -> None:
    path = workbook(tmp_path / "f.xlsx", formula=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plan = zwgk.load(path)
    assert plan.tasks[1].text == '=CONCATENATE("公开","审计")'
    (w,) = [w for w in caught if issubclass(w.category, FormulaWarning)]
    assert "B4" in str(w.message) and "任务" in str(w.message) and str(path) in str(w.message)


def test_without_the_plugin_the_error_names_it(tmp_path: Path) -> None:
    path = workbook(tmp_path / "t.xlsx")
    name = next((n for n, p in plugins.get_plugin_manager().list_name_plugin() if p is zwgk_xlsx), None)
    if name is not None:
        plugins.unregister(name)
    try:
        with pytest.raises(UnsupportedFormatError, match="zwgk-xlsx") as e:
            zwgk.load(path)
        assert "pip install . ./plugins/zwgk-xlsx" in str(e.value)
    finally:
        if name is not None:
            plugins.register(zwgk_xlsx, name=name)


@pytest.mark.parametrize("bad,match", [
    ("truncated", "damaged or truncated"),
    ("bomb", "zip bomb"),
    ("dtd", "DTD"),
    ("encrypted", "password-protected"),
    ("garbage", "not an .xlsx"),
])
def test_bad_input(xlsx: Exporter, tmp_path: Path, bad: str, match: str) -> None:
    path = tmp_path / "bad.xlsx"
    if bad == "truncated":
        workbook(path)
        path.write_bytes(path.read_bytes()[:300])
    elif bad == "bomb":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("[Content_Types].xml", "<Types/>")
            zf.writestr("xl/worksheets/sheet1.xml", b"<a>" + b" " * (50 * 1024 * 1024) + b"</a>")
    elif bad == "dtd":
        src = workbook(tmp_path / "ok.xlsx")
        with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w") as zout:
            for item in zin.infolist():
                data = zin.read(item)
                if item.filename == "xl/workbook.xml":
                    dtd = b'<!DOCTYPE workbook [<!ENTITY x "y">]>'
                    data = data.replace(b"?>", b"?>" + dtd, 1) if data.startswith(b"<?xml") else dtd + data
                    assert dtd in data
                zout.writestr(item, data)
    elif bad == "encrypted":
        data = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\xfe\xff\x09\x00" + b"\0" * 500)
        data += "EncryptedPackage".encode("utf-16-le") + b"\0" * 1024
        path.write_bytes(bytes(data))
    else:
        path.write_bytes(b"this is no workbook at all")
    with pytest.raises(ParseError, match=match) as e:
        zwgk.load(path, format="xlsx") if bad == "garbage" else zwgk.load(path)
    assert str(path) in str(e.value)


def test_the_export_reads_back(xlsx: Exporter, tmp_path: Path) -> None:
    sample = zwgk.load_sample()
    path = tmp_path / "s.xlsx"
    zwgk.export(sample, "xlsx", path)
    plan = zwgk.load(path)
    assert plan.tasks == sample.tasks
    assert_same_tasks(plan, sample)


@pytest.fixture
def reader() -> Iterator[None]:
    registered = None
    if "xlsx" not in zwgk.get_readers():
        registered = plugins.register(zwgk_xlsx, name="xlsx")
    yield
    if registered is not None:
        plugins.unregister(registered)


try:
    from tests.strategies import cell_texts, examples, plans, realistic_plans
except ImportError:  # run from the plugin's folder
    plans = cell_texts = realistic_plans = None


@pytest.mark.skipif(plans is None, reason="zwgk's test strategies are not importable")
@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(plan=plans(), epilogue=st.lists(cell_texts(), max_size=3) if cell_texts else st.none())  # type: ignore[misc]
def test_exported_plans_read_back_equal(reader: None, tmp_path: Path, plan: Plan, epilogue: list[str]) -> None:
    plan = attrs.evolve(plan, epilogue=tuple(epilogue))
    path = tmp_path / "p.xlsx"
    zwgk.export(plan, "xlsx", path)
    back = zwgk.load(path)
    assert back.tasks == plan.tasks
    assert (back.title, back.preamble, back.epilogue) == (plan.title, plan.preamble, plan.epilogue)


def test_preamble_and_epilogue_read_back(xlsx: Exporter, tmp_path: Path) -> None:
    sample = zwgk.load_sample()
    plan = attrs.evolve(sample, preamble=("附件2", *sample.preamble),
                        epilogue=("注：各单位于每季度末报送进展。", "市政府办公室\n2020年5月"))
    path = tmp_path / "e.xlsx"
    zwgk.export(plan, "xlsx", path)
    ws = openpyxl.load_workbook(path)["任务分解"]
    assert [ws.cell(r, 1).value for r in range(1, len(plan.preamble) + 1)] == list(plan.preamble)
    back = zwgk.load(path)
    assert back == plan
    assert (back.preamble, back.epilogue, back.title) == (plan.preamble, plan.epilogue, plan.title)
    assert back.tasks == plan.tasks


@pytest.mark.parametrize(("field", "lines", "match"), [
    ("preamble", ("附件", "", TITLE), "preamble line 2: an empty line"),
    ("epilogue", ("注", " "), "epilogue line 2"),
])
def test_what_a_sheet_cannot_hold_is_refused(xlsx: Exporter, tmp_path: Path, field: str, lines: tuple[str, ...],
                                             match: str) -> None:
    plan = attrs.evolve(zwgk.load_sample(), **{field: lines})
    if field == "preamble":
        title = Metadata.title_of(lines)
        plan = attrs.evolve(plan, title=title, metadata=Metadata.from_title(title))
    with pytest.raises(ExportError, match=match):
        zwgk.export(plan, "xlsx", tmp_path / "x.xlsx")


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_the_sample_through_calc_as_xlsx_and_xls(xlsx: Exporter, tmp_path: Path) -> None:
    """The sample as an HTML table (from the .docx), imported by Calc and saved as .xlsx and .xls."""
    assert SOFFICE is not None
    sample = zwgk.load_sample()
    src = tmp_path / "sample.docx"
    zwgk.export(sample, "docx", src)
    profile = f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}"
    run = [SOFFICE, "--headless", profile]
    subprocess.run([*run, "--convert-to", "html", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=180)
    html = tmp_path / "sample.html"
    for to in ("xlsx", "xls"):
        subprocess.run([*run, '--infilter=HTML (StarCalc)', "--convert-to", to, "--outdir", str(tmp_path / to),
                        str(html)], check=True, capture_output=True, timeout=180)
        path = tmp_path / to / f"sample.{to}"
        with warnings.catch_warnings():
            warnings.simplefilter("error", FormulaWarning)
            assert_same_tasks(zwgk.load(path), sample)


def _calc_xlsx(docx: Path, out: Path) -> Path:
    """The .docx's table through Writer's HTML export and Calc's HTML import, saved as .xlsx."""
    assert SOFFICE is not None
    run = [SOFFICE, "--headless", f"-env:UserInstallation={(out / 'profile').as_uri()}"]
    subprocess.run([*run, "--convert-to", "html", "--outdir", str(out), str(docx)],
                   check=True, capture_output=True, timeout=180)
    subprocess.run([*run, "--infilter=HTML (StarCalc)", "--convert-to", "xlsx", "--outdir", str(out / "xlsx"),
                    str(out / f"{docx.stem}.html")], check=True, capture_output=True, timeout=180)
    return out / "xlsx" / f"{docx.stem}.xlsx"


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None or realistic_plans is None, reason="needs LibreOffice and zwgk's strategies")
@settings(max_examples=examples(5), deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])  # no shrinking: each example is a LibreOffice run
@given(plan=realistic_plans(max_tasks=8) if realistic_plans else st.nothing())  # type: ignore[misc]
def test_generated_plans_read_back_through_calc(plan: Plan) -> None:
    import tempfile

    if "xlsx" not in zwgk.get_readers():
        pytest.skip("zwgk-xlsx is not registered")
    with tempfile.TemporaryDirectory() as d:
        docx = Path(d) / "plan.docx"
        zwgk.export(plan, "docx", docx)
        back = zwgk.load(_calc_xlsx(docx, Path(d)))
    key = [(t.path, t.text, [u.name for u in t.leads], [u.name for u in t.responsible],
            [u.name for u in t.cooperating]) for t in plan.tasks]
    assert [(t.path, t.text, [u.name for u in t.leads], [u.name for u in t.responsible],
             [u.name for u in t.cooperating]) for t in back.tasks] == key
    assert back.title == plan.title



#: A cover letter above the title, as a 方案 issued with a notice has it (文号, issuer, subject,
#: salutation, body, signature, date), then the title and the sentence leading into the tasks.
COVER_LETTER = ("某综管办〔2019〕61号", "某某综合实验区管委会办公室", "关于印发《某某任务分解方案》的通知",
                "各有关单位：", "经管委会研究同意，现将《某某任务分解方案》印发给你们，请认真组织实施。",
                "某某综合实验区管委会办公室", "2019年7月18日")
INTRO = "为扎实推进有关措施落到实处，对有关任务分工如下："


def _with_preamble(lines: tuple[str, ...]) -> Plan:
    """The sample with ``lines`` before its title (and, if they end so, :data:`INTRO` after it)."""
    sample = zwgk.load_sample()
    assert sample.title is not None
    return attrs.evolve(sample, preamble=lines)


def test_a_long_preamble_is_written_in_its_own_sheet_up_to_the_title(xlsx: Exporter, tmp_path: Path) -> None:
    title = zwgk.load_sample().title
    plan = _with_preamble((*COVER_LETTER, title, INTRO))
    assert Metadata.title_of(plan.preamble) == plan.title == title
    path = tmp_path / "long.xlsx"
    zwgk.export(plan, "xlsx", path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["任务分解", zwgk_xlsx.PREAMBLE_SHEET, "单位任务量"]
    front = wb[zwgk_xlsx.PREAMBLE_SHEET]
    assert [front.cell(r, 1).value for r in range(1, front.max_row + 1)] == [zwgk_xlsx.PREAMBLE_HEADER, *COVER_LETTER]
    tasks = wb["任务分解"]
    assert (tasks.cell(1, 1).value, tasks.cell(2, 1).value, tasks.cell(3, 1).value) == (title, INTRO, "一级任务")
    back = zwgk.load(path)
    assert back == plan


@pytest.mark.skipif(cell_texts is None, reason="zwgk's test strategies are not importable")
@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(lines=st.lists(cell_texts() if cell_texts else st.none(), max_size=12),  # type: ignore[misc]
       intro=st.booleans())
def test_any_preamble_reads_back(xlsx: Exporter, tmp_path: Path, lines: list[str], intro: bool) -> None:
    """Preambles of any length, lines with line breaks and spaces at their ends before the title (and
    a sentence after it, or not): the rows above the header hold what they can, the preamble sheet
    the rest."""
    title = zwgk.load_sample().title
    assert title is not None
    preamble = (*lines, title, *((INTRO,) if intro else ()))
    assume(Metadata.title_of(preamble) == title)
    plan = _with_preamble(preamble)
    path = tmp_path / "any.xlsx"
    zwgk.export(plan, "xlsx", path)
    sheets = openpyxl.load_workbook(path, read_only=True).sheetnames
    fits = len(preamble) <= zwgk_xlsx.PREAMBLE_ROWS and all(
        line.strip() and zwgk_xlsx.preamble_line(line) == line for line in preamble)
    assert (zwgk_xlsx.PREAMBLE_SHEET in sheets) is (not fits)
    assert zwgk.load(path) == plan


def test_a_sheet_named_as_the_preamble_sheet_holding_more_is_read_as_a_sheet(xlsx: Exporter, tmp_path: Path) -> None:
    path = workbook(tmp_path / "named.xlsx")
    wb = openpyxl.load_workbook(path)
    sheet = wb.create_sheet(zwgk_xlsx.PREAMBLE_SHEET)
    sheet.append([zwgk_xlsx.PREAMBLE_HEADER, "说明"])
    sheet.append(["附件1", "见下表"])
    wb.save(path)
    doc = read_xlsx(path)
    assert [g.table for g in doc.tables] == [1, 2, 3]
    assert doc.tables[1].preamble == (TITLE,)  # nothing taken from it: it is read as a sheet of its own


def test_a_sheet_of_lines_alone_beside_the_task_sheet_is_said_not_dropped(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    tasks = book.active
    tasks.append(["2023年某某市政务公开工作要点任务分解表"])
    tasks.append(["序号", "工作任务", "牵头单位"])
    tasks.append(["1", "推进决策公开。", "市政府办公室"])
    book.create_sheet("说明").append(["本表由市政府办公室负责解释"])
    path = tmp_path / "two-sheets.xlsx"
    book.save(path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plan = zwgk.load(path)
    assert [t.text for t in plan.tasks] == ["推进决策公开。"]
    said = [str(w.message) for w in caught if issubclass(w.category, zwgk.ReadWarning)]
    assert any("「本表由市政府办公室负责解释」" in w for w in said), said
