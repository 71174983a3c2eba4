"""One header, two meanings: a 工作任务 column read from its content as categories or as task titles.

Each table is written as .docx, as HTML (merges as rowspans) and in the text form (merges as empty
cells below the first), and each form must give the same plan.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import zwgk
from tests.fixtures import layouts
from tests.fixtures.layouts import C, Spec, write_docx, write_html
from tests.strategies import examples
from zwgk._api import read_sample
from zwgk.cli import main
from zwgk.errors import LayoutError
from zwgk.model import Metadata, Plan, Task, UnitRef, task_id
from zwgk.table import ColumnRole, Grid, detect_layout
from zwgk.table.content import MIN_CATEGORY_SIGNALS

TITLE = "2021年某某省政务公开工作要点任务分解表"
HEADER = ["工作任务", "工作要求", "牵头单位", "配合/责任单位"]


def write_text(path: Path, title: str, rows: Spec) -> Path:
    """The text form of ``rows`` (:func:`tests.fixtures.layouts.write_text`), with a provincial note."""
    return layouts.write_text(path, title, rows, epilogue="说明：本表未尽事项由省政务公开办负责解释。")


Writer = Callable[[Path, str, Spec], Path]
FORMS: dict[str, tuple[str, Writer]] = {
    "docx": ("t.docx", write_docx),
    "html": ("t.html", write_html),
    "text": ("t.txt", write_text),
}
FORM = pytest.mark.parametrize("form", sorted(FORMS))


def read(tmp: Path, form: str, rows: Spec) -> Plan:
    name, writer = FORMS[form]
    return zwgk.load(writer(tmp / name, TITLE, rows))


def names(refs: tuple[UnitRef, ...]) -> list[str]:
    return [u.name for u in refs]


# Table A: 工作任务 holds the categories, merged over their tasks; each 工作要求 cell is one task.
TABLE_A: Spec = [
    HEADER,
    [C("一、加强重点领域信息公开", rowspan=3), "1.全面公开财政预决算信息。", "省财政厅", "省直有关单位"],
    ["2.及时发布重大项目批准和实施信息。", "省发展改革委", "各地级市"],
    ["3.做好公共资源配置领域信息公开。", "省公共资源交易中心", ""],
    [C("二、提升政策解读质量", rowspan=2), "1.落实政策解读与政策文件同步起草。", "省政府办公厅", "省直有关单位"],
    ["2.丰富解读形式。", "省政府办公厅", ""],
]
A_PATHS = [("一、加强重点领域信息公开",)] * 3 + [("二、提升政策解读质量",)] * 2
A_TEXTS = ["1.全面公开财政预决算信息。", "2.及时发布重大项目批准和实施信息。", "3.做好公共资源配置领域信息公开。",
           "1.落实政策解读与政策文件同步起草。", "2.丰富解读形式。"]
A_LEADS = [["省财政厅"], ["省发展改革委"], ["省公共资源交易中心"], ["省政府办公厅"], ["省政府办公厅"]]

# Table B, the same header: 工作任务 is each row's own task title, with its own requirement.
TABLE_B: Spec = [
    HEADER,
    ["3.做好政策解读工作", "围绕重大政策开展解读，解读材料与政策文件同步发布。", "省政府办公厅", "省直有关单位"],
    ["4.做好政务舆情回应工作", "及时回应社会关切。", "省委宣传部", "各地级市"],
    ["5.做好政府信息公开审查工作", "健全公开前审查机制。", "省司法厅", ""],
]


@FORM
def test_categories_in_the_task_column_are_read_as_categories(tmp_path: Path, form: str) -> None:
    plan = read(tmp_path, form, TABLE_A)
    assert [t.path for t in plan.tasks] == A_PATHS
    assert [t.text for t in plan.tasks] == A_TEXTS
    assert [t.requirement for t in plan.tasks] == [None] * 5
    assert [names(t.leads) for t in plan.tasks] == A_LEADS
    assert [names(t.cooperating) for t in plan.tasks] == [["省直有关单位"], ["各地级市"], [], ["省直有关单位"], []]
    assert len({t.id for t in plan.tasks}) == 5


@FORM
def test_per_row_task_titles_stay_task_titles(tmp_path: Path, form: str) -> None:
    plan = read(tmp_path, form, TABLE_B)
    assert [t.path for t in plan.tasks] == [(), (), ()]
    assert [t.text for t in plan.tasks] == [
        "3.做好政策解读工作", "4.做好政务舆情回应工作", "5.做好政府信息公开审查工作"]
    assert [t.requirement for t in plan.tasks] == [
        "围绕重大政策开展解读，解读材料与政策文件同步发布。", "及时回应社会关切。", "健全公开前审查机制。"]
    assert [t.serial_number for t in plan.tasks] == [3, 4, 5]
    assert [names(t.leads) for t in plan.tasks] == [["省政府办公厅"], ["省委宣传部"], ["省司法厅"]]
    assert [names(t.cooperating) for t in plan.tasks] == [["省直有关单位"], ["各地级市"], []]


@FORM
def test_a_merge_broken_in_the_source_is_one_category(tmp_path: Path, form: str) -> None:
    # 一、 is written in two vertically adjacent cells with the same text (a page break, a merge
    # lost in copying): still one category, not two, and its tasks are not split.
    rows: Spec = [
        HEADER,
        [C("一、加强重点领域信息公开", rowspan=2), "1.全面公开财政预决算信息。", "省财政厅", ""],
        ["2.及时发布重大项目信息。", "省发展改革委", ""],
        ["一、加强重点领域信息公开", "3.做好公共资源配置领域信息公开。", "省公共资源交易中心", ""],
        [C("二、提升政策解读质量", rowspan=2), "1.落实政策解读。", "省政府办公厅", ""],
        ["2.丰富解读形式。", "省政府办公厅", ""],
    ]
    plan = read(tmp_path, form, rows)
    assert [t.path for t in plan.tasks] == [("一、加强重点领域信息公开",)] * 3 + [("二、提升政策解读质量",)] * 2
    assert [t.text for t in plan.tasks] == ["1.全面公开财政预决算信息。", "2.及时发布重大项目信息。",
                                            "3.做好公共资源配置领域信息公开。", "1.落实政策解读。", "2.丰富解读形式。"]
    # The same category's cells are one cell of the evidence: 2 cells, both covering several rows.
    grid = _grid(tmp_path, form, rows)
    (decision,) = detect_layout(grid).decisions
    assert "2 of 2 cells cover several rows (2–3 rows)" in decision


@FORM
def test_a_category_split_in_two_identical_cells_without_numbering(tmp_path: Path, form: str) -> None:
    # Unnumbered categories repeated cell by cell (no merge at all): the repeated text is the merge.
    rows: Spec = [
        HEADER,
        ["加强重点领域信息公开", "1.全面公开财政预决算信息。", "省财政厅", ""],
        ["加强重点领域信息公开", "2.及时发布重大项目信息。", "省发展改革委", ""],
        ["提升政策解读质量", "1.落实政策解读。", "省政府办公厅", ""],
        ["提升政策解读质量", "2.丰富解读形式。", "省政府办公厅", ""],
    ]
    plan = read(tmp_path, form, rows)
    assert [t.path for t in plan.tasks] == [("加强重点领域信息公开",)] * 2 + [("提升政策解读质量",)] * 2
    assert [t.text for t in plan.tasks] == ["1.全面公开财政预决算信息。", "2.及时发布重大项目信息。",
                                            "1.落实政策解读。", "2.丰富解读形式。"]


@pytest.mark.parametrize("form", ["docx", "html"])
def test_one_task_with_several_unnumbered_requirement_rows_stays_a_task(tmp_path: Path, form: str) -> None:
    # A merged 工作任务 over unnumbered requirements is one signal only: not enough to re-read it.
    # (The text form shows the merge as an empty task cell, which is not filled down.)
    rows: Spec = [
        HEADER,
        [C("做好政策解读工作", rowspan=2), "围绕重大政策开展解读。", "省政府办公厅", ""],
        ["解读材料与政策文件同步发布。", "省政府办公厅", ""],
    ]
    assert MIN_CATEGORY_SIGNALS > 1
    plan = read(tmp_path, form, rows)
    assert [t.text for t in plan.tasks] == ["做好政策解读工作", "做好政策解读工作"]
    assert [t.requirement for t in plan.tasks] == ["围绕重大政策开展解读。", "解读材料与政策文件同步发布。"]
    assert [t.path for t in plan.tasks] == [(), ()]


def _grid(tmp: Path, form: str, rows: Spec) -> Grid:
    name, writer = FORMS[form]
    path = writer(tmp / name, TITLE, rows)
    reader = {"docx": "docx", "html": "html", "text": "text"}[form]
    (grid,) = zwgk.get_readers()[reader].read(path).tables
    return grid


@FORM
def test_the_decision_is_recorded_for_both_readings(tmp_path: Path, form: str) -> None:
    a = detect_layout(_grid(tmp_path, form, TABLE_A))
    assert [(c.role, c.level) for c in a.columns[:2]] == [(ColumnRole.LEVEL, 1), (ColumnRole.TASK, None)]
    (decision,) = a.decisions
    assert decision.startswith("column 1 工作任务 read as a category level and column 2 工作要求 as the task text")
    assert "2 of 2 cells cover several rows (2–3 rows)" in decision
    assert "2 of 2 are numbered as categories" in decision
    assert "5 of 5 cells of 工作要求 are numbered as items" in decision
    assert "from its content" in a.columns[0].reason and "from its content" in a.columns[1].reason
    assert a.explain()[0].startswith("column 1 工作任务: level 1 (a category level, from its content")

    b = detect_layout(_grid(tmp_path, form, TABLE_B))
    assert [c.role for c in b.columns[:2]] == [ColumnRole.TASK, ColumnRole.REQUIREMENT]
    (decision,) = b.decisions
    assert decision.startswith("column 1 工作任务 read as the task text and column 2 工作要求 as its requirement")
    assert "3 of 3 as items" in decision


def test_a_specific_task_heading_is_never_re_read(tmp_path: Path) -> None:
    rows = [["具体任务", *HEADER[1:]], *TABLE_A[1:]]
    layout = detect_layout(_grid(tmp_path, "html", rows))
    assert layout.decisions == ()
    assert [c.role for c in layout.columns[:2]] == [ColumnRole.TASK, ColumnRole.REQUIREMENT]


def test_the_sample_layout_is_decided_by_its_headings_alone() -> None:
    built = read_sample()  # the builder hands over the layouts it took, beside the plan
    assert len(built.plan.tasks) == 143 and built.warnings == ()
    ((source, table, layout),) = built.layouts
    assert (source, table, layout.decisions) == ("taian-2020-zwgk-tasks.txt", 1, ())
    assert [c.role for c in layout.columns] == [ColumnRole.LEVEL, ColumnRole.LEVEL, ColumnRole.TASK,
                                                ColumnRole.LEAD, ColumnRole.RESPONSIBLE]
    assert all(c.reason for c in layout.columns)


@FORM
def test_a_header_naming_no_task_column_is_a_layout_error_with_its_row(tmp_path: Path, form: str) -> None:
    rows: Spec = [[C("某某省任务分解表", colspan=3)], ["序号", "牵头单位", "责任单位"], ["1", "省财政厅", "各地级市"]]
    name, writer = FORMS[form]
    path = writer(tmp_path / name, TITLE, rows)
    with pytest.raises(LayoutError, match="no task column") as caught:
        zwgk.load(path)
    assert caught.value.position is not None
    assert caught.value.position.file == str(path)
    assert caught.value.position.row == 2


def test_parse_explain_prints_the_decisions_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_docx(tmp_path / "a.docx", TITLE, TABLE_A)
    assert main(["parse", str(path), "--explain"]) == 0
    captured = capsys.readouterr()
    assert zwgk.loads(captured.out).tasks == zwgk.load(path).tasks  # stdout is the plan alone
    said = captured.err.splitlines()
    assert said[:3] == [f"zwgk: metadata: {what} (from the title 「{TITLE}」)"
                        for what in ("region 某某省", "level 省", "year 2021")]
    lines = said[3:]
    assert lines[0] == f"zwgk: layout: {path}, table 1: header row 1, 4 columns"
    assert lines[1].startswith(f"zwgk: layout: {path}, table 1: column 1 工作任务: level 1 (a category level")
    assert lines[2].startswith(f"zwgk: layout: {path}, table 1: column 2 工作要求: task (the task text")
    assert lines[3] == f"zwgk: layout: {path}, table 1: column 3 牵头单位: lead (named by its heading)"
    assert lines[-1].startswith(f"zwgk: layout: {path}, table 1: decided from content: column 1 工作任务 read as "
                                "a category level")
    assert main(["parse", str(path)]) == 0
    assert capsys.readouterr().err == ""


# Generated plans in the shape of table A, through the text and DOCX exporters (their headings
# renamed to the shared header) and an HTML table written here.

_CHARS = "公开政务信息决策执行管理服务结果推进落实重点领域平台建设规范标准制度数据网站栏目解读回应关切"
_CN = "一二三四五六七八九十"
UNITS = ("省财政厅", "省司法厅", "省政府办公厅", "省发展改革委", "省委宣传部", "各地级市", "省直有关单位")


@st.composite
def table_a_plans(draw: st.DrawFn) -> Plan:
    n_categories = draw(st.integers(1, 4))
    paren = draw(st.booleans())
    tasks: list[Task] = []
    taken: set[str] = set()
    for k in range(n_categories):
        number = f"（{_CN[k]}）" if paren else f"{_CN[k]}、"
        category = number + draw(st.text(alphabet=_CHARS, min_size=2, max_size=10))
        for i in range(draw(st.integers(1, 4))):
            item = f"（{i + 1}）" if draw(st.booleans()) else f"{i + 1}."
            text = item + draw(st.text(alphabet=_CHARS, min_size=2, max_size=20)) + "。"
            leads = draw(st.lists(st.sampled_from(UNITS), min_size=1, max_size=2, unique=True))
            path = (category,)
            tasks.append(Task(id=task_id(path, text, taken), path=path, text=text,
                              leads=tuple(UnitRef(u, u) for u in leads)))
    return Plan(TITLE, tuple(tasks), Metadata.from_title(TITLE), preamble=("附件", TITLE))


_RENAME = {"一级任务": "工作任务", "具体任务": "工作要求"}


def _as_text(plan: Plan, tmp: Path) -> Path:
    text = zwgk.export(plan, "text")
    assert text is not None
    path = tmp / "a.txt"
    path.write_bytes(re.sub(r"(?m)^\t(一级任务|具体任务)$", lambda m: "\t" + _RENAME[m[1]], text.decode()).encode())
    return path


def _as_docx(plan: Plan, tmp: Path) -> Path:
    data = zwgk.export(plan, "docx")
    assert data is not None
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "word/document.xml":
                xml = body.decode("utf-8")
                for old, new in _RENAME.items():
                    assert xml.count(f">{old}<") == 1
                    xml = xml.replace(f">{old}<", f">{new}<")
                body = xml.encode("utf-8")
            dst.writestr(info, body)
    path = tmp / "a.docx"
    path.write_bytes(out.getvalue())
    return path


def _as_html(plan: Plan, tmp: Path) -> Path:
    rows: list[list[str | C]] = [list(HEADER[:3])]
    for k, task in enumerate(plan.tasks):
        if k == 0 or plan.tasks[k - 1].path != task.path:
            span = sum(1 for t in plan.tasks[k:] if t.path == task.path)  # the tasks are grouped
            rows.append([C(task.path[0], rowspan=span), task.text, "、".join(names(task.leads))])
        else:
            rows.append([task.text, "、".join(names(task.leads))])
    return write_html(tmp / "a.html", TITLE, rows)


@pytest.mark.parametrize("write", [_as_text, _as_docx, _as_html], ids=["text", "docx", "html"])
@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=table_a_plans())
def test_table_a_plans_read_back_with_their_categories(
    tmp_path: Path, write: Callable[[Plan, Path], Path], plan: Plan
) -> None:
    back = zwgk.load(write(plan, tmp_path))
    assert [t.path for t in back.tasks] == [t.path for t in plan.tasks]
    assert [t.text for t in back.tasks] == [t.text for t in plan.tasks]
    assert [t.requirement for t in back.tasks] == [None] * len(plan.tasks)
    assert [names(t.leads) for t in back.tasks] == [names(t.leads) for t in plan.tasks]
    assert [t.id for t in back.tasks] == [t.id for t in plan.tasks]
