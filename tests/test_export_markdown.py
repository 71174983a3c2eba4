"""The Markdown exporter: headings, GFM tables that render as written, and the summary."""

from __future__ import annotations

import re

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from lxml import html
from markdown_it import MarkdownIt

import zwgk
from tests.strategies import examples
from tests.strategies import realistic_plans as plans
from zwgk.errors import ExportError
from zwgk.exporters import ExportWarning
from zwgk.exporters.markdown import escape_inline, plan_to_markdown
from zwgk.exporters.text import unit_text
from zwgk.model import Plan, Role

_md = MarkdownIt("commonmark").enable("table")


def _render(text: str) -> html.HtmlElement:
    return html.fromstring("<div>" + _md.render(text) + "</div>")


def _cell_text(td: html.HtmlElement) -> str:
    # <br> stands for a line break inside the cell.
    for br in td.iter("br"):
        br.tail = "\n" + (br.tail or "")
    return td.text_content()


@pytest.fixture(scope="module")
def sample_md(sample: Plan) -> str:
    data = zwgk.export(sample, "markdown")
    assert data is not None
    return data.decode("utf-8")


def _tables(doc: html.HtmlElement) -> list[html.HtmlElement]:
    return doc.findall(".//table")


def test_hierarchy_as_headings(sample: Plan, sample_md: str) -> None:
    doc = _render(sample_md)
    assert doc.findall(".//h1")[0].text_content() == sample.title
    h2 = [h.text_content() for h in doc.findall(".//h2")]
    assert h2[: len(sample.categories(level=1))] == [c[0] for c in sample.categories(level=1)]
    assert h2[-1] == "汇总"
    h3 = [h.text_content() for h in doc.findall(".//h3") if h.text_content() != "（未分级）"]
    assert [c[1] for c in sample.categories(level=2)] == h3[: len(sample.categories(level=2))]
    # The one task written straight under its first-level category, after a second-level one.
    assert sum(h.text_content() == "（未分级）" for h in doc.findall(".//h3")) == 1


def test_every_task_renders_in_a_table_cell_as_written(sample: Plan, sample_md: str) -> None:
    doc = _render(sample_md)
    rows = [tr for table in _tables(doc)[:-1] for tr in table.findall("./tbody/tr")]
    assert len(rows) == len(sample.tasks)
    for task, tr in zip(sample.tasks, rows, strict=True):
        cells = [_cell_text(td) for td in tr.findall("td")]
        assert cells[0] == task.text
        assert cells[1:] == [unit_text(task, Role.LEAD), unit_text(task, Role.RESPONSIBLE)]


def test_summary_counts_and_load(sample: Plan, sample_md: str) -> None:
    summary = sample_md.split("## 汇总", 1)[1]
    assert f"共 {len(sample.tasks)} 项任务" in summary
    for (name,) in sample.categories(level=1):
        assert f"- {name}：{len(sample.tasks_in((name,)))} 项" in summary
    load_table = _tables(_render(sample_md))[-1]
    rows = [[td.text_content() for td in tr.findall("td")] for tr in load_table.findall("./tbody/tr")]
    totals = [int(r[-1]) for r in rows]
    assert totals == sorted(totals, reverse=True)
    workload = sample.workload()
    assert {r[0] for r in rows} == set(workload)
    top = rows[0]
    assert int(top[-1]) == sum(workload[top[0]].values())


def test_summary_can_be_left_out(sample: Plan) -> None:
    assert "## 汇总" not in plan_to_markdown(sample, summary=False)
    assert "## 汇总" not in (zwgk.export(sample, "markdown", summary=False) or b"").decode()


TRICKY = [
    "管道|符号||两个",
    "换行\n第二行\r\n第三行",
    "反斜杠\\|和\\\\",
    "*星号* _下划线_ `代码` [链接](http://x) <b>标签</b> &amp; ~~删除~~",
    "# 不是标题",
    "| 表格 | 开头",
]


@pytest.mark.parametrize("text", TRICKY)
def test_cells_render_exactly_as_written(sample: Plan, text: str) -> None:
    task = attrs.evolve(sample.tasks[0], text=text)
    plan = attrs.evolve(sample, tasks=(task,))
    doc = _render(plan_to_markdown(plan, summary=False))
    (table,) = _tables(doc)
    (tr,) = table.findall("./tbody/tr")
    tds = tr.findall("td")
    assert len(tds) == 3
    expected = re.sub(r"\r\n|\r", "\n", text.strip())
    assert _cell_text(tds[0]) == expected


def test_control_characters_are_refused_naming_task_and_field(sample: Plan) -> None:
    task = attrs.evolve(sample.tasks[0], text="控制\x07字符\x1b。")
    plan = attrs.evolve(sample, tasks=(task,))
    with pytest.raises(ExportError, match=rf"task {task.id}, 具体任务: holds U\+0007 at character 3, "
                                               r"which Markdown cannot hold"):
        zwgk.export(plan, "markdown")
    with pytest.raises(ExportError, match=rf"task {task.id}, 具体任务: holds U\+0007"):
        plan_to_markdown(plan)


def test_control_characters_are_replaced_and_reported_when_asked(sample: Plan) -> None:
    task = attrs.evolve(sample.tasks[0], text="控制\x07字符\x1b。")
    plan = attrs.evolve(sample, tasks=(task,))
    with pytest.warns(ExportWarning, match=rf"2 character.*{task.id}"):
        data = zwgk.export(plan, "markdown", replace_invalid=True)
    assert data is not None
    text = data.decode("utf-8")
    assert "控制\ufffd字符\ufffd。" in text
    assert not re.search("[\x00-\x08\x0b-\x1f]", text)


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_generated_plans_render_one_row_per_task(plan: Plan) -> None:
    doc = _render(plan_to_markdown(plan, summary=False))
    rows = [tr for table in _tables(doc) for tr in table.findall("./tbody/tr")]
    assert [_cell_text(tr.findall("td")[1 if plan.tasks[0].serial else 0]) for tr in rows] == [
        t.text for t in plan.tasks
    ]
    widths = {len(tr.findall("td")) for tr in rows}
    assert len(widths) == 1


def test_escape_inline() -> None:
    assert escape_inline("a|b") == "a\\|b"
    assert escape_inline("x\ny") == "x<br>y"
    assert escape_inline("<br>") == "\\<br\\>"


def test_tasks_above_a_deeper_category_get_their_own_heading(sample: Plan) -> None:
    deep = sample.tasks[0]
    shallow = attrs.evolve(sample.tasks[1], path=deep.path[:1])
    top = attrs.evolve(sample.tasks[2], path=())
    text = plan_to_markdown(attrs.evolve(sample, tasks=(deep, shallow, top)), summary=False)
    headings = [ln for ln in text.splitlines() if ln.startswith("#")]
    assert headings == [f"# {sample.title}", f"## {deep.path[0]}", f"### {deep.path[1]}", "### （未分级）",
                        "## （未分级）"]
    # Each task sits in the table right under its own heading.
    doc = _render(text)
    assert [_cell_text(t.find("./tbody/tr/td")) for t in _tables(doc)] == [deep.text, shallow.text, top.text]
