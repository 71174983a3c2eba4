"""A table that says the first unit of each cell leads (责任单位（排在第一位的为牵头单位）, or a note
above or below it, or in a row of its own: 注：排在第一位的为牵头单位) reads that unit as its task's
lead, the others as responsible, in every table form; a table that says nothing keeps every unit
responsible."""

from __future__ import annotations

import warnings
from pathlib import Path

import docx
import pytest

import zwgk
from tests.fixtures import kinds
from tests.fixtures.layouts import C
from zwgk._api import read
from zwgk.model import Plan
from zwgk.table.build import FIRST_LEAD_NOTE
from zwgk.table.marks import NOTE_ROW
from zwgk.vocabulary import ColumnRole, classify, first_leads, header_key

TITLE = "2023年某某市政务公开工作要点任务分解表"
CELLS = ["市政府办公室、市司法局、市财政局", "市发展改革委", "牵头：市教育局；配合：市人力资源社会保障局、市财政局"]
TASKS = ["推进重大行政决策事项目录管理。", "做好政策解读工作。", "推进教育领域信息公开。"]


def _rows(heading: str) -> list[list[object]]:
    return [["序号", "工作任务", heading, "完成时限"],
            *[[str(n), task, cell, "2023年底前"] for n, (task, cell) in enumerate(zip(TASKS, CELLS, strict=True), 1)]]


def _load(path: Path) -> Plan:
    with warnings.catch_warnings():
        warnings.simplefilter("error", zwgk.ReadWarning)  # every character in the plan
        return zwgk.load(path)


def _who(plan: Plan) -> list[tuple[list[str], list[str], list[str]]]:
    return [([u.name for u in t.leads], [u.name for u in t.responsible], [u.name for u in t.cooperating])
            for t in plan.tasks]


FIRST_LED = [(["市政府办公室"], ["市司法局", "市财政局"], []), (["市发展改革委"], [], []),
             (["市教育局"], [], ["市人力资源社会保障局", "市财政局"])]
UNLED = [([], ["市政府办公室", "市司法局", "市财政局"], []), ([], ["市发展改革委"], []),
         (["市教育局"], [], ["市人力资源社会保障局", "市财政局"])]


@pytest.mark.parametrize("heading", ["责任单位（排在第一位的为牵头单位）", "责任单位(列第一位的为牵头单位)",
                                     "责任单位（第一个单位为牵头单位）", "责任单位（牵头单位为排在首位的单位）",
                                     "责任单位（排名第一的为牵头单位，其他为责任单位）"])
def test_a_heading_saying_the_first_unit_leads_is_a_responsible_column(heading: str) -> None:
    assert first_leads(heading)
    assert classify(header_key(heading)) == (ColumnRole.RESPONSIBLE, 0)


@pytest.mark.parametrize("text", ["牵头单位", "责任单位", "第一责任人", "推进第一批试点，由市政府牵头",
                                  "首先要牵头抓总"])
def test_other_words_say_nothing_of_the_first_unit(text: str) -> None:
    assert not first_leads(text)


@pytest.mark.parametrize("form", sorted(kinds.TABLE_FORMS))
def test_the_first_unit_of_each_cell_leads_where_the_heading_says_so(tmp_path: Path, form: str) -> None:
    path = kinds.write_table(tmp_path, form, TITLE, _rows("责任单位（排在第一位的为牵头单位）"))
    plan = _load(path)
    assert _who(plan) == FIRST_LED
    assert [u.as_written for u in plan.tasks[0].leads] == ["市政府办公室"]
    assert plan.tasks[0].leads[0].note == FIRST_LEAD_NOTE  # said on the unit, as a role word would be
    assert plan.tasks[2].leads[0].note != FIRST_LEAD_NOTE  # the cell named its lead in words: they decide
    explained = "\n".join(read(path).layouts[0].layout.explain())
    assert "the first unit of each cell is its task's lead, as its heading says" in explained


@pytest.mark.parametrize("form", sorted(kinds.TABLE_FORMS))
def test_a_plain_responsible_column_keeps_every_unit_responsible(tmp_path: Path, form: str) -> None:
    assert _who(_load(kinds.write_table(tmp_path, form, TITLE, _rows("责任单位")))) == UNLED


def _docx_with_note(path: Path, note: str, headings: list[str], below: bool = False) -> Path:
    document = docx.Document()
    document.add_paragraph(TITLE)
    if not below:
        document.add_paragraph(note)
    rows = [headings, *[[str(n), task, *(cell for _ in headings[2:])] for n, (task, cell)
                        in enumerate(zip(TASKS, CELLS, strict=True), 1)]]
    table = document.add_table(rows=len(rows), cols=len(headings))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    if below:
        document.add_paragraph(note)
    document.save(str(path))
    return path


@pytest.mark.parametrize("below", [False, True], ids=["above", "below"])
@pytest.mark.parametrize("note", ["注：责任单位中排在第一位的为牵头单位。", "（列第一位的为牵头单位，下同）"])
def test_a_note_by_the_table_saying_the_first_unit_leads_applies_to_its_responsible_column(
        tmp_path: Path, note: str, below: bool) -> None:
    plan = _load(_docx_with_note(tmp_path / "t.docx", note, ["序号", "工作任务", "责任单位"], below))
    assert _who(plan) == FIRST_LED
    assert note in (plan.epilogue if below else plan.preamble)  # the note itself stays in the plan


def test_a_note_does_not_override_a_lead_column(tmp_path: Path) -> None:
    plan = _load(_docx_with_note(tmp_path / "t.docx", "注：排在第一位的为牵头单位。",
                                 ["序号", "工作任务", "牵头单位", "责任单位"]))
    assert [[u.name for u in t.responsible] for t in plan.tasks][:2] == [
        ["市政府办公室", "市司法局", "市财政局"], ["市发展改革委"]]


@pytest.mark.parametrize("fmt", ["docx", "html", "json"])
def test_a_plan_read_so_writes_and_reads_back_its_leads(tmp_path: Path, fmt: str) -> None:
    plan = _load(kinds.write_table(tmp_path, "docx", TITLE, _rows("责任单位（排在第一位的为牵头单位）")))
    out = tmp_path / f"back.{fmt}"
    zwgk.export(plan, fmt, out)
    assert _who(_load(out)) == FIRST_LED


@pytest.mark.parametrize("form", sorted(kinds.TABLE_FORMS))
@pytest.mark.parametrize("at", [0, 1, -1], ids=["above the header", "right under the header", "under the tasks"])
def test_a_row_of_the_table_holding_the_note_says_it(tmp_path: Path, form: str, at: int) -> None:
    note = "注：责任单位中排在第一位的为牵头单位。"
    rows = _rows("责任单位")
    rows.insert(at if at >= 0 else len(rows), [C(note, colspan=4)])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plan = zwgk.load(kinds.write_table(tmp_path, form, TITLE, rows))
    assert _who(plan) == FIRST_LED
    assert all(t.path == () for t in plan.tasks)  # the note is no category
    said = [str(w.message) for w in caught if issubclass(w.category, zwgk.ReadWarning)]
    if at == 0:  # a row above the header is a line above the table: the plan's preamble holds it
        assert note in plan.preamble and said == []
    elif at == 1:  # a row among the data: said, never dropped
        assert len(said) == 1 and f"「{note}」" in said[0]
        assert f"(read as {NOTE_ROW}" in said[0]
    else:  # the table's last row: its note, under it (notes_last), as a line below the table
        assert note in plan.epilogue and said == []
