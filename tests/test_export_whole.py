"""Exporters write everything a plan holds, or refuse with an ExportError naming task and field.

The property: for any plan a reader produces, exporting to each table format that reads back and
loading the file again gives an equal plan, or the exporter refused.
"""

from __future__ import annotations

import random
import warnings
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

import zwgk
from tests.strategies import examples, reader_plans
from zwgk.errors import ExportError
from zwgk.exporters.docx import MAX_CELL_CHARS
from zwgk.exporters.text import columns_for, row_cells
from zwgk.model import Plan, Role, Task, task_id


def _renamed(task: Task, **changes: object) -> Task:
    """The task changed, with the id a reader gives it (a hash of path and text)."""
    task = attrs.evolve(task, **changes)
    return attrs.evolve(task, id=task_id(task.path, task.text, set()))


READ_BACK = (("text", ".txt"), ("docx", ".docx"), ("json", ".json"))


def _round_trip(plan: Plan, fmt: str, suffix: str, path: Path) -> Plan | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a replaced character would be a silent change
            data = zwgk.export(plan, fmt)
    except ExportError:
        return None
    assert data is not None
    path.write_bytes(data)
    return zwgk.load(path)


@settings(max_examples=examples(120), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(reader_plans())
def test_reader_plans_round_trip_or_are_refused(tmp_path_factory: pytest.TempPathFactory, plan: Plan) -> None:
    folder = tmp_path_factory.mktemp("rt")
    for fmt, suffix in READ_BACK:
        back = _round_trip(plan, fmt, suffix, folder / f"plan{suffix}")
        if back is not None:
            assert back.tasks == plan.tasks, fmt
            assert back == plan, fmt


@pytest.mark.parametrize(("fmt", "suffix"), READ_BACK)
def test_a_name_over_lines_reads_back_as_written_or_is_refused(tmp_path: Path, fmt: str, suffix: str) -> None:
    # read from its own cell, 业局⏎市业局 is one name wrapped over two lines; written after 市财政局、
    # the splitter would cut it in two
    plan = _load_text(tmp_path, "\t具体任务\n\t牵头单位\n\n\t任务一。\n\t市财政局\n业局\n市业局\n\n")
    assert [u.as_written for u in plan.tasks[0].leads] == ["市财政局", "业局\n市业局"]
    back = _round_trip(plan, fmt, suffix, tmp_path / f"out{suffix}")
    assert back is None if fmt != "json" else back == plan
    wrapped = _load_text(tmp_path, "\t具体任务\n\t牵头单位\n\n\t任务一。\n\t市自然资源和\n规划局\n\n")
    assert _round_trip(wrapped, fmt, suffix, tmp_path / f"wrapped{suffix}") == wrapped


def _flat(*rows: str) -> str:
    return "".join("\n".join("\t" + c for c in row.split("|")) + "\n\n" for row in rows)


def _load_text(tmp_path: Path, text: str) -> Plan:
    path = tmp_path / "in.txt"
    path.write_text(text, encoding="utf-8")
    return zwgk.load(path)


@pytest.mark.parametrize(("fmt", "suffix"), READ_BACK)
def test_repeated_and_unnamed_extra_headings_keep_every_value(tmp_path: Path, fmt: str, suffix: str) -> None:
    plan = _load_text(tmp_path, _flat("具体任务|牵头单位|责任单位|考核|考核|", "任务一。|市财政局||甲|乙|丙",
                                      "任务二。|市教育局||||丁"))
    assert plan.tasks[0].extra == (("考核", "甲"), ("考核", "乙"), ("", "丙"))
    back = _round_trip(plan, fmt, suffix, tmp_path / f"out{suffix}")
    assert back == plan


def test_extra_cells_in_different_orders_get_columns_that_hold_both(tmp_path: Path) -> None:
    sample = zwgk.load_sample()
    a = attrs.evolve(sample.tasks[0], extra=(("甲", "1"), ("乙", "2")))
    b = attrs.evolve(sample.tasks[1], extra=(("乙", "3"), ("甲", "4")))
    plan = attrs.evolve(sample, tasks=(a, b))
    assert columns_for(plan)[-3:] == ["甲", "乙", "甲"]
    for fmt, suffix in READ_BACK:
        assert _round_trip(plan, fmt, suffix, tmp_path / f"out{suffix}") == plan


def test_an_extra_heading_a_reader_takes_for_a_role_is_refused() -> None:
    sample = zwgk.load_sample()
    task = attrs.evolve(sample.tasks[3], extra=(("配合部门", "市统计局"),))
    plan = attrs.evolve(sample, tasks=(*sample.tasks[:3], task))
    for fmt in ("text", "docx"):
        with pytest.raises(ExportError, match=rf"task {task.id}, extra column '配合部门'.*cooperating"):
            zwgk.export(plan, fmt)


def test_an_extra_heading_repeating_a_known_one_gets_the_known_column_first(tmp_path: Path) -> None:
    sample = zwgk.load_sample()
    task = attrs.evolve(sample.tasks[0], extra=(("完成时限", "年底前"),))
    plan = attrs.evolve(sample, tasks=(task, *sample.tasks[1:5]))
    assert columns_for(plan)[-2:] == ["完成时限", "完成时限"]
    for fmt, suffix in READ_BACK:
        back = _round_trip(plan, fmt, suffix, tmp_path / f"out{suffix}")
        assert back == plan and back.tasks[0].deadline is None


def test_a_carriage_return_survives_docx(tmp_path: Path) -> None:
    sample = zwgk.load_sample()
    task = _renamed(sample.tasks[0], text="第一行\r第二行。", notes="备\r注", extra=(("说明", "甲\r乙"),))
    plan = attrs.evolve(sample, tasks=(task, *sample.tasks[1:]))
    assert _round_trip(plan, "docx", ".docx", tmp_path / "out.docx") == plan
    with pytest.raises(ExportError, match=rf"task {task.id}, 具体任务: holds a carriage return"):
        zwgk.export(plan, "text")


@pytest.mark.parametrize(("fmt", "suffix"), READ_BACK)
def test_a_deng_in_the_middle_of_a_unit_list_is_not_doubled(tmp_path: Path, fmt: str, suffix: str) -> None:
    plan = _load_text(tmp_path, _flat("具体任务|牵头单位|责任单位", "任务一。|市财政局等、市教育局|"))
    assert plan.tasks[0].is_open(Role.LEAD)
    assert row_cells(plan.tasks[0], columns_for(plan), None)[1].text == "市财政局等、市教育局"
    assert _round_trip(plan, fmt, suffix, tmp_path / f"out{suffix}") == plan


def test_an_empty_task_cell_spanning_categories_is_refused_by_the_text_form(tmp_path: Path) -> None:
    sample = zwgk.load_sample()
    task = _renamed(sample.tasks[1], path=(), text="")
    plan = attrs.evolve(sample, tasks=(sample.tasks[0], task))
    with pytest.raises(ExportError, match=rf"task {task.id}, text: the task text is empty"):
        zwgk.export(plan, "text")
    assert _round_trip(plan, "docx", ".docx", tmp_path / "out.docx") == plan


@pytest.mark.parametrize("value", ["", " 前后有空格 "])
def test_an_extra_cell_readers_would_not_keep_is_refused(value: str) -> None:
    sample = zwgk.load_sample()
    task = attrs.evolve(sample.tasks[2], extra=(("考核", value),))
    plan = attrs.evolve(sample, tasks=(*sample.tasks[:2], task))
    for fmt in ("text", "docx"):
        with pytest.raises(ExportError, match=rf"task {task.id}, (extra column )?'?考核"):
            zwgk.export(plan, fmt)


def test_trailing_spaces_in_a_line_are_refused_by_the_text_form() -> None:
    sample = zwgk.load_sample()
    task = attrs.evolve(sample.tasks[0], text="第一行  \n第二行。")
    with pytest.raises(ExportError, match=rf"task {task.id}, 具体任务: a line ends in spaces"):
        zwgk.export(attrs.evolve(sample, tasks=(task,)), "text")


@pytest.mark.parametrize("fmt", ["json", "text", "markdown"])
@pytest.mark.parametrize("where", ["text", "extra", "unit"])
def test_a_lone_surrogate_is_an_export_error_naming_task_and_field(fmt: str, where: str) -> None:
    sample = zwgk.load_sample()
    task = sample.tasks[4]
    if where == "text":
        task = attrs.evolve(task, text="坏\ud800字。")
        field = "text"
    elif where == "extra":
        task = attrs.evolve(task, extra=(("说明", "坏\udfff"),))
        field = "extra column '说明'"
    else:
        task = attrs.evolve(task, leads=(attrs.evolve(task.leads[0], as_written="市\udc80局"),))
        field = "牵头单位 as written"
    plan = attrs.evolve(sample, tasks=(*sample.tasks[:4], task))
    with pytest.raises(ExportError, match=rf"task {task.id}, {field}: holds a lone surrogate"):
        zwgk.export(plan, fmt)


def test_a_docx_cell_over_the_limit_is_refused_by_name() -> None:
    sample = zwgk.load_sample()
    task = attrs.evolve(sample.tasks[0], text="长" * (MAX_CELL_CHARS + 1))
    with pytest.raises(ExportError, match=rf"task {task.id}, 具体任务: .*MAX_CELL_CHARS = 1,000,000"):
        zwgk.export(attrs.evolve(sample, tasks=(task,)), "docx")


def test_a_docx_cell_at_the_limit_reads_back(tmp_path: Path) -> None:
    sample = zwgk.load_sample()
    rng = random.Random(0)
    han = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    task = _renamed(sample.tasks[0], text="".join(rng.choice(han) for _ in range(MAX_CELL_CHARS)))
    plan = attrs.evolve(sample, tasks=(task,))
    assert _round_trip(plan, "docx", ".docx", tmp_path / "big.docx") == plan


def test_markdown_summary_counts_tasks_without_a_category(tmp_path: Path) -> None:
    plan = _load_text(tmp_path, _flat("具体任务|牵头单位|责任单位", "任务一。|市财政局|", "任务二。|市教育局|"))
    text = zwgk.export(plan, "markdown").decode("utf-8")
    assert "- （未分级）：2 项" in text
    assert "- （：" not in text
    sample = zwgk.load_sample()
    mixed = attrs.evolve(sample, tasks=(*sample.tasks[:3], _renamed(sample.tasks[3], path=())))
    summary = zwgk.export(mixed, "markdown").decode("utf-8").split("## 汇总")[1]
    assert f"- {sample.tasks[0].path[0]}：3 项" in summary and "- （未分级）：1 项" in summary
