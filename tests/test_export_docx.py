"""The DOCX exporter: the table's XML structure, page setup, fonts, and a read-back to an equal plan."""

from __future__ import annotations

import io
import tempfile
import warnings
from pathlib import Path

import attrs
import docx
import pytest
from hypothesis import HealthCheck, given, settings

import zwgk
from tests.fixtures.docxgen import W, docx_body, paragraph_text
from tests.strategies import examples
from tests.strategies import plans as adversarial_plans
from tests.strategies import realistic_plans as plans
from zwgk.errors import ExportError
from zwgk.exporters import ExportWarning
from zwgk.exporters.docx import TEXT_WIDTH, column_widths
from zwgk.exporters.text import columns_for, row_cells
from zwgk.model import Metadata, Plan, Task, task_id
from zwgk.vocabulary import LEVEL_HEADINGS


@pytest.fixture(scope="module")
def sample_docx(sample: Plan) -> bytes:
    data = zwgk.export(sample, "docx")
    assert data is not None
    return data


def _export(plan: Plan) -> bytes:
    data = zwgk.export(plan, "docx")
    assert data is not None
    return data


def read_back(data: bytes) -> Plan:
    """The plan zwgk's DOCX reader reads from an exported document."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.docx"
        path.write_bytes(data)
        return zwgk.load(path)


def _rows(data: bytes) -> list:
    tables = docx_body(data).findall(f"{W}tbl")
    assert len(tables) == 1
    return tables[0].findall(f"{W}tr")


def _vmerge(tc) -> str | None:
    vm = tc.find(f"{W}tcPr/{W}vMerge")
    if vm is None:
        return None
    return vm.get(f"{W}val") or "continue"


def test_sample_reads_back_equal_through_the_pipeline(sample: Plan, sample_docx: bytes) -> None:
    back = read_back(sample_docx)
    assert back == sample


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_generated_plans_read_back_equal(plan: Plan) -> None:
    back = read_back(_export(plan))
    assert back == plan


def test_reads_back_through_the_docx_reader(sample: Plan, tmp_path) -> None:
    if "docx" not in zwgk.get_readers():
        pytest.skip("no DOCX reader is registered")
    path = tmp_path / "sample.docx"
    zwgk.export(sample, "docx", path)
    assert zwgk.load(path) == sample


def test_only_the_first_row_is_a_repeated_header(sample: Plan, sample_docx: bytes) -> None:
    rows = _rows(sample_docx)
    assert len(rows) == len(sample.tasks) + 1
    flagged = [i for i, tr in enumerate(rows) if tr.find(f"{W}trPr/{W}tblHeader") is not None]
    assert flagged == [0]
    headers = ["\n".join(paragraph_text(p) for p in tc.findall(f"{W}p")) for tc in rows[0].findall(f"{W}tc")]
    assert headers == columns_for(sample)


def _check_merges(plan: Plan, data: bytes) -> None:
    rows = [tr.findall(f"{W}tc") for tr in _rows(data)[1:]]
    tasks = plan.tasks
    first = columns_for(plan).index("一级任务") if any(t.path for t in tasks) else 0
    for i, (task, cells) in enumerate(zip(tasks, rows, strict=True)):
        for k in range(len(task.path)):
            above = tasks[i - 1].path if i else ()
            below = tasks[i + 1].path if i + 1 < len(tasks) else ()
            continues = len(above) > k and above[: k + 1] == task.path[: k + 1]
            continued = len(below) > k and below[: k + 1] == task.path[: k + 1]
            expected = "continue" if continues else ("restart" if continued else None)
            assert _vmerge(cells[first + k]) == expected, (i, k)
            ps = cells[first + k].findall(f"{W}p")
            if continues:  # a continued cell holds one empty paragraph
                assert len(ps) == 1 and paragraph_text(ps[0]) == ""
            else:
                assert "\n".join(paragraph_text(p) for p in ps) == task.path[k]


def test_category_cells_merge_vertically_over_their_tasks(sample: Plan, sample_docx: bytes) -> None:
    _check_merges(sample, sample_docx)
    restarts = sum(_vmerge(tr.findall(f"{W}tc")[0]) == "restart" for tr in _rows(sample_docx)[1:])
    assert restarts == len(sample.categories(level=1))


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_merges_of_generated_plans(plan: Plan) -> None:
    _check_merges(plan, _export(plan))


def test_a_shallow_task_spans_the_missing_category_columns(sample: Plan) -> None:
    deep = sample.tasks[0]
    taken = {deep.id}
    shallow = attrs.evolve(sample.tasks[1], path=deep.path[:1],
                           id=task_id(deep.path[:1], sample.tasks[1].text, taken))
    top = attrs.evolve(sample.tasks[2], path=(), id=task_id((), sample.tasks[2].text, taken))
    plan = attrs.evolve(sample, tasks=(deep, shallow, top))
    data = _export(plan)
    rows = _rows(data)
    cells = [tr.findall(f"{W}tc") for tr in rows[1:]]
    assert [len(c) for c in cells] == [5, 4, 3]
    assert cells[1][1].find(f"{W}tcPr/{W}gridSpan").get(f"{W}val") == "2"
    assert cells[2][0].find(f"{W}tcPr/{W}gridSpan").get(f"{W}val") == "3"
    assert _vmerge(cells[0][0]) == "restart" and _vmerge(cells[1][0]) == "continue"
    assert _vmerge(cells[2][0]) is None
    # Spanning cells are as wide as the grid columns they cover.
    grid = [int(g.get(f"{W}w")) for g in docx_body(data).iter(f"{W}gridCol")]
    assert int(cells[2][0].find(f"{W}tcPr/{W}tcW").get(f"{W}w")) == sum(grid[:3])
    assert read_back(data) == plan


def test_page_is_a4_landscape_with_the_title_above_the_table(sample: Plan, sample_docx: bytes) -> None:
    document = docx.Document(io.BytesIO(sample_docx))
    section = document.sections[0]
    assert section.orientation == 1  # WD_ORIENT.LANDSCAPE
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    assert [p.text for p in document.paragraphs] == list(sample.preamble)
    assert document.paragraphs[1].alignment == 1  # centred title
    assert document.core_properties.title == sample.title
    assert len(document.tables) == 1 and len(document.tables[0].rows) == len(sample.tasks) + 1


def test_east_asian_font_is_set(sample_docx: bytes) -> None:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(sample_docx)) as z:
        styles = z.read("word/styles.xml").decode("utf-8")
        document = z.read("word/document.xml").decode("utf-8")
    assert 'w:eastAsia="仿宋_GB2312"' in styles
    assert 'w:eastAsia="zh-CN"' in styles
    assert 'w:eastAsia="方正小标宋简体"' in document  # the title
    assert "asciiTheme" not in styles.split("</w:docDefaults>")[0]  # no theme font overriding ours


def test_font_options(sample: Plan) -> None:
    data = zwgk.export(sample, "docx", font="宋体", title_font="黑体", font_size=12)
    assert data is not None
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        styles = z.read("word/styles.xml").decode("utf-8")
    assert 'w:eastAsia="宋体"' in styles and '<w:sz w:val="24"/>' in styles


def test_no_empty_paragraphs_outside_merged_cells(sample: Plan, sample_docx: bytes) -> None:
    body = docx_body(sample_docx)
    top = [el for el in body if el.tag != f"{W}sectPr"]
    assert top[-1].tag == f"{W}tbl"  # nothing trails the table
    assert all(paragraph_text(p).strip() for p in top if p.tag == f"{W}p")
    for tc in body.iter(f"{W}tc"):
        ps = tc.findall(f"{W}p")
        # An empty cell holds the one paragraph every cell must hold; a filled one no empty paragraph.
        assert len(ps) == 1 or all(paragraph_text(p) for p in ps)


def test_epilogue_follows_the_table(sample: Plan) -> None:
    plan = attrs.evolve(sample, epilogue=("注：各单位于每季度末报送进展情况。",))
    body = docx_body(_export(plan))
    top = [el for el in body if el.tag != f"{W}sectPr"]
    assert top[-2].tag == f"{W}tbl" and paragraph_text(top[-1]) == plan.epilogue[0]
    assert read_back(_export(plan)).tasks == plan.tasks


def test_column_widths_fill_the_page_and_favour_the_task_text(sample: Plan, sample_docx: bytes) -> None:
    grid = [int(g.get(f"{W}w")) for g in docx_body(sample_docx).iter(f"{W}gridCol")]
    assert sum(grid) == TEXT_WIDTH
    cols = columns_for(sample)
    assert grid[cols.index("具体任务")] == max(grid)
    assert grid[cols.index("具体任务")] > 0.35 * TEXT_WIDTH
    # Every heading fits on one line of its column.
    assert all(w >= len(c) * 210 for c, w in zip(cols, grid, strict=True))


def test_column_widths_follow_the_content() -> None:
    from zwgk.exporters.text import RowCell

    cols = ["一级任务", "具体任务", "牵头单位", "完成时限"]
    narrow = [[RowCell("一级任务", "甲"), RowCell("具体任务", "任务。"), RowCell("牵头单位", "市财政局"),
               RowCell("完成时限", "长期")]]
    wide = [[RowCell("一级任务", "甲" * 30), RowCell("具体任务", "任务。" * 50),
             RowCell("牵头单位", "市财政局、市教育局、市自然资源和规划局"), RowCell("完成时限", "2021年12月底前")]]
    small, large = column_widths(cols, narrow), column_widths(cols, wide)
    assert sum(small) == sum(large) == TEXT_WIDTH
    assert large[0] > small[0] and large[2] > small[2] and large[3] > small[3]
    # Many columns of long content still leave the task text room.
    many = ["序号", *LEVEL_HEADINGS[:4], "具体任务", "工作要求", "牵头单位", "责任单位", "配合单位", "完成时限", "备注"]
    row = [RowCell(c, "很长的内容" * 10) for c in many]
    widths = column_widths(many, [row])
    assert sum(widths) == TEXT_WIDTH and min(widths) > 0
    assert widths[many.index("具体任务")] >= 14 * 210


def test_control_characters_are_refused_naming_task_and_field(sample: Plan) -> None:
    bad = attrs.evolve(sample.tasks[0], text="含有\x00控制\x0b字符\x1f的任务。")
    plan = attrs.evolve(sample, tasks=(bad, *sample.tasks[1:]))
    with pytest.raises(ExportError, match=rf"task {bad.id}, 具体任务: holds U\+0000 at character 3, "
                                               r"which DOCX cannot hold.*replace_invalid=True"):
        _export(plan)
    title = attrs.evolve(sample, title="标题\x0c")
    with pytest.raises(ExportError, match=r"the plan, title: holds U\+000C"):
        _export(title)


def test_control_characters_are_replaced_and_reported_when_asked(sample: Plan) -> None:
    bad = attrs.evolve(sample.tasks[0], text="含有\x00控制\x0b字符\x1f的任务。")
    plan = attrs.evolve(sample, tasks=(bad, *sample.tasks[1:]))
    with pytest.warns(ExportWarning, match=rf"3 character.*{bad.id} 具体任务"):
        data = zwgk.export(plan, "docx", replace_invalid=True)
    assert data is not None
    document = docx.Document(io.BytesIO(data))  # a valid document
    assert document.tables[0].rows[1].cells[2].text == "含有\ufffd控制\ufffd字符\ufffd的任务。"


def test_long_cells_pipes_and_markup_are_kept_exactly(sample: Plan) -> None:
    long_text = "很长的任务内容，" * 5000 + "。"
    tricky = "<w:p>&amp; | 管道 | ]]> \"引号\" 'x'\n第二行。"
    tasks = (attrs.evolve(sample.tasks[0], text=long_text), attrs.evolve(sample.tasks[1], text=tricky),
             *sample.tasks[2:])
    plan = attrs.evolve(sample, tasks=tasks)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        data = _export(plan)
    table = docx.Document(io.BytesIO(data)).tables[0]
    assert table.rows[1].cells[2].text == long_text
    assert table.rows[2].cells[2].text == tricky


def test_tabs_are_word_tabs(sample: Plan) -> None:
    plan = attrs.evolve(sample, tasks=(attrs.evolve(sample.tasks[0], text="甲\t乙。"),))
    body = docx_body(_export(plan))
    tc = _rows(_export(plan))[1].findall(f"{W}tc")[2]
    assert tc.find(f".//{W}tab") is not None and paragraph_text(tc.find(f"{W}p")) == "甲\t乙。"
    assert body is not None


def test_same_columns_as_the_text_form(sample: Plan, sample_docx: bytes) -> None:
    cols = columns_for(sample)
    rows = _rows(sample_docx)[1:]
    prev = None
    for task, tr in zip(sample.tasks, rows, strict=True):
        cells = row_cells(task, cols, prev)
        assert len(tr.findall(f"{W}tc")) == len(cells)
        prev = task.path


def test_empty_plan_is_a_header_only_table() -> None:
    plan = Plan(title="空表", tasks=())
    rows = _rows(_export(plan))
    assert len(rows) == 1


@pytest.fixture(scope="module")
def docx_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if "docx" not in zwgk.get_readers():
        pytest.skip("no DOCX reader is registered")
    return tmp_path_factory.mktemp("docx")


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=plans())
def test_generated_plans_read_back_through_the_docx_reader(docx_dir: Path, plan: Plan) -> None:
    path = docx_dir / "plan.docx"
    zwgk.export(plan, "docx", path)
    assert zwgk.load(path) == plan


def test_font_names_and_document_properties_are_safe(sample: Plan) -> None:
    data = zwgk.export(sample, "docx", font='Odd "Font" & <Co>')
    assert data is not None
    document = docx.Document(io.BytesIO(data))
    assert document.core_properties.author == ""
    assert "python-docx" not in (document.core_properties.comments or "")
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        styles = z.read("word/styles.xml").decode("utf-8")
    assert 'w:eastAsia="Odd &quot;Font&quot; &amp; &lt;Co&gt;"' in styles


@given(adversarial_plans())
def test_plans_with_unusual_text_and_unit_names_read_back_equal(plan: Plan) -> None:
    """Punctuation of every kind, pipes, brackets holding 、, 0–3 levels, optional columns."""
    assert read_back(_export(plan)) == plan


@pytest.mark.parametrize("text", ["0", "0。"])
def test_identical_tasks_in_one_category_read_back(text: str) -> None:
    """Four tasks with the same text "0" under one category: four tasks with distinct ids, none a serial."""
    registry = zwgk.unit_registry()
    taken: set[str] = set()
    path = ("推进决策公开",)
    tasks = tuple(Task(id=task_id(path, text, taken), path=path, text=text,
                       leads=registry.parse_cell(lead).refs)
                  for lead in ("市财政局", "市财政局", "市教育局", "市财政局"))
    plan = Plan(title=None, tasks=tasks, metadata=Metadata.from_title(None))
    assert len({t.id for t in tasks}) == 4
    back = read_back(zwgk.export(plan, "docx") or b"")
    assert back == plan
    assert [(t.text, t.serial, t.path) for t in back.tasks] == [(text, None, path)] * 4
