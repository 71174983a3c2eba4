"""A table that marks the units of one role (注：带*号的为牵头单位, 标★的为配合单位, or the column's
heading: 责任单位（标注▲的为牵头单位）) reads each marked unit in that role, its mark off the unit's
name and kept in ``as_written``, in every table form; a mark nothing explains is read as documented
(a lead among responsible units) and warned of; task text keeps any mark it holds."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import zwgk
from tests.fixtures import kinds
from tests.fixtures.layouts import C
from tests.fixtures.noted import print_pdf, write_noted
from tests.test_first_leads import _load, _who
from zwgk._api import read
from zwgk.model import Role
from zwgk.table.marks import BULLET_NOTE, NOTE_ROW, UNDECLARED_KEPT_NOTE, UNDECLARED_LEAD_NOTE
from zwgk.units import Marking, default_registry
from zwgk.vocabulary import ColumnRole, MarkedRole, classify, header_key, marked_role, marked_roles

TITLE = "2023年某某市政务公开工作要点任务分解表"
#: Each task's unit cell with ``{m}`` where the mark goes (before or after a name), and the task
#: text: the second holds a star of its own, which stays.
CELLS = ["{m}市政府办公室、市司法局、市财政局", "市发展改革委、市教育局{m}", "市卫生健康委",
         "牵头：市教育局；配合：市人力资源社会保障局、市财政局"]
TASKS = ["推进重大行政决策事项目录管理。", "做好政策解读工作（*号为重点任务）。", "推进卫生健康领域信息公开。",
         "推进教育领域信息公开。"]
WHO = ["市政府办公室", "市发展改革委", "市教育局", "市卫生健康委"]


def _rows(mark: str, heading: str = "责任单位", mark_after: bool = False) -> list[list[object]]:
    cells = [c.replace("{m}", "") for c in CELLS]
    first, second = (1, 0) if mark_after else (0, 1)
    cells[first] = CELLS[first].replace("{m}", mark)
    cells[second] = CELLS[second].replace("{m}", "")
    return [["序号", "工作任务", heading, "完成时限"],
            *[[str(n), task, cell, "2023年底前"] for n, (task, cell) in enumerate(zip(TASKS, cells, strict=True), 1)]]


def _both(mark: str) -> list[list[object]]:
    """Both marks: before the first task's lead, after the second's."""
    rows = _rows(mark)
    rows[2][2] = CELLS[1].replace("{m}", mark)
    return rows


MARKED_LED = [(["市政府办公室"], ["市司法局", "市财政局"], []), (["市教育局"], ["市发展改革委"], []),
              ([], ["市卫生健康委"], []), (["市教育局"], [], ["市人力资源社会保障局", "市财政局"])]
MARKED_COOPERATING = [([], ["市司法局", "市财政局"], ["市政府办公室"]), ([], ["市发展改革委"], ["市教育局"]),
                      ([], ["市卫生健康委"], []), (["市教育局"], [], ["市人力资源社会保障局", "市财政局"])]

#: (note, the mark the cells carry, what it says): the ways documents write it.
NOTES = [
    ("注：带*号的为牵头单位。", "*", (("*", ColumnRole.LEAD, None))),
    ("注：标*的为牵头单位", "＊", (("*", ColumnRole.LEAD, None))),  # full-width in the cells, half in the note
    ("加★者为牵头单位。", "★", (("★", ColumnRole.LEAD, None))),
    ("注：标注▲的单位为牵头单位。", "▲", (("▲", ColumnRole.LEAD, None))),
    ("注：单位名称前面标有“※”的为牵头单位。", "※", (("※", ColumnRole.LEAD, None))),
    ("打△号的为牵头单位，其余为责任单位。", "△", (("△", ColumnRole.LEAD, ColumnRole.RESPONSIBLE))),
    ("说明：1.带 ● 的单位是牵头单位；2.完成时限为最迟时间。", "●", (("●", ColumnRole.LEAD, None))),
    ("注：牵头单位以☆标注。", "☆", (("☆", ColumnRole.LEAD, None))),
]


@pytest.mark.parametrize(("note", "mark", "says"), NOTES, ids=[n[1] for n in NOTES])
def test_a_note_says_what_the_mark_on_a_unit_means(note: str, mark: str, says: tuple[object, ...]) -> None:
    assert marked_role(note) == MarkedRole(*says)


def test_a_note_may_say_what_two_marks_mean() -> None:
    assert marked_roles("注：★为牵头单位，☆为配合单位，其余为责任单位。") == (
        MarkedRole("★", ColumnRole.LEAD, ColumnRole.RESPONSIBLE),
        MarkedRole("☆", ColumnRole.COOPERATING, ColumnRole.RESPONSIBLE))


@pytest.mark.parametrize("form", sorted(kinds.TABLE_FORMS))
def test_two_marks_give_two_roles(tmp_path: Path, form: str) -> None:
    rows = _both("★")
    rows[1][2] = "★市政府办公室、☆市司法局、市财政局"
    path = write_noted(tmp_path, form, TITLE, rows, "注：★为牵头单位，☆为配合单位。")
    plan = _load(path)
    assert _who(plan)[0] == (["市政府办公室"], ["市财政局"], ["市司法局"])
    assert _who(plan)[1:] == MARKED_LED[1:]
    explained = "\n".join(read(path).layouts[0].layout.explain())
    assert "a unit marked ★ is its task's lead; a unit marked ☆ is its task's cooperating" in explained


@pytest.mark.parametrize("text", ["注：完成时限为最迟时间。", "责任单位", "推进第一批试点，由市政府牵头", "★★★",
                                  "2023年底前", "排在第一位的为牵头单位"])
def test_other_words_say_nothing_of_marks(text: str) -> None:
    assert marked_role(text) is None


@pytest.mark.parametrize("heading", ["责任单位（带*号的为牵头单位）", "责任单位（标注▲的为牵头单位）",
                                     "单位（标*的为牵头单位）", "责任单位(加★者为牵头单位)"])
def test_a_heading_saying_what_a_mark_means_is_a_responsible_column(heading: str) -> None:
    assert marked_role(heading) is not None
    assert classify(header_key(heading)) == (ColumnRole.RESPONSIBLE, 0)


@pytest.mark.parametrize("form", sorted(kinds.TABLE_FORMS))
@pytest.mark.parametrize(("note", "mark", "says"), NOTES, ids=[n[1] for n in NOTES])
def test_marked_units_lead_where_a_note_above_the_table_says_so(
        tmp_path: Path, form: str, note: str, mark: str, says: tuple[object, ...]) -> None:
    path = write_noted(tmp_path, form, TITLE, _both(mark), note)
    plan = _load(path)
    assert _who(plan) == MARKED_LED
    lead = plan.tasks[0].leads[0]
    assert (lead.as_written, lead.name) == (mark + "市政府办公室", "市政府办公室")
    assert plan.tasks[1].leads[0].as_written == "市教育局" + mark  # a mark after the name
    assert lead.note is not None and f"marked {says[0]}" in lead.note and "lead" in lead.note
    assert [t.text for t in plan.tasks] == TASKS  # the task's own star stays
    assert any(note.strip() == line for line in plan.preamble)  # the note itself stays in the plan
    explained = "\n".join(read(path).layouts[0].layout.explain())
    assert f"a unit marked {says[0]} is its task's lead" in explained


@pytest.mark.parametrize("form", sorted(kinds.TABLE_FORMS))
def test_a_note_below_the_table_says_it_too(tmp_path: Path, form: str) -> None:
    plan = _load(write_noted(tmp_path, form, TITLE, _both("*"), "注：带*号的为牵头单位。", below=True))
    assert _who(plan) == MARKED_LED
    assert "注：带*号的为牵头单位。" in plan.epilogue


@pytest.mark.parametrize("form", sorted(kinds.TABLE_FORMS))
@pytest.mark.parametrize("at", ["above the header", "below the tasks", "right under the header"])
def test_a_row_of_the_table_holding_the_note_says_it(tmp_path: Path, form: str, at: str) -> None:
    note = "注：带▲号的为牵头单位。"
    rows: list[list[object]] = _both("▲")
    where = {"above the header": 0, "below the tasks": len(rows), "right under the header": 1}[at]
    rows.insert(where, [C(note, colspan=4)])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plan = zwgk.load(kinds.write_table(tmp_path, form, TITLE, rows))
    assert _who(plan) == MARKED_LED
    assert all(t.path == () for t in plan.tasks)  # the note is no category
    said = [str(w.message) for w in caught if issubclass(w.category, zwgk.ReadWarning)]
    assert not any("mark units with" in m for m in said)  # the marks are explained
    if at == "right under the header":  # a row among the data: said, never a category
        assert len(said) == 1 and f"「{note}」 (read as {NOTE_ROW}" in said[0]
    elif at == "below the tasks":  # the table's last row: its note, under it (notes_last)
        assert note in plan.epilogue and not said


@pytest.mark.parametrize("form", sorted(kinds.TABLE_FORMS))
def test_the_heading_may_say_what_the_mark_means(tmp_path: Path, form: str) -> None:
    plan = _load(kinds.write_table(tmp_path, form, TITLE, _heading_rows("▲")))
    assert _who(plan) == MARKED_LED
    assert "heading" in (plan.tasks[0].leads[0].note or "")


def _heading_rows(mark: str) -> list[list[object]]:
    rows = _both(mark)
    rows[0][2] = f"责任单位（标注{mark}的为牵头单位）"
    return rows


@pytest.mark.parametrize("form", sorted(kinds.TABLE_FORMS))
@pytest.mark.parametrize("note", ["注：标*的为配合单位。", "注：标*的为协办单位，其余为责任单位。"])
def test_where_the_note_says_marked_units_cooperate_they_do(tmp_path: Path, form: str, note: str) -> None:
    plan = _load(write_noted(tmp_path, form, TITLE, _both("*"), note))
    assert _who(plan) == MARKED_COOPERATING
    helper = plan.tasks[0].cooperating[0]
    assert (helper.as_written, helper.name) == ("*市政府办公室", "市政府办公室")
    assert "cooperating: marked *" in (helper.note or "")


def test_the_units_not_marked_take_the_role_the_note_gives_them(tmp_path: Path) -> None:
    rows = _both("*")
    plan = _load(write_noted(tmp_path, "docx", TITLE, rows, "注：标*的为牵头单位，其余为配合单位。"))
    assert _who(plan)[:3] == [(["市政府办公室"], [], ["市司法局", "市财政局"]), (["市教育局"], [], ["市发展改革委"]),
                              ([], ["市卫生健康委"], [])]  # a cell marking none keeps its column's role
    assert "not marked" in (plan.tasks[0].cooperating[0].note or "")


@pytest.mark.parametrize("form", sorted(kinds.TABLE_FORMS))
def test_a_mark_nothing_explains_is_read_as_the_lead_and_warned_of(tmp_path: Path, form: str) -> None:
    path = kinds.write_table(tmp_path, form, TITLE, _both("★"))
    with pytest.warns(zwgk.ReadWarning, match=r"2 cell\(s\) of column 3 \(责任单位\) mark units with ★, and nothing "
                                              r"in the document .* says what the mark means: the marked units are "
                                              r"read as the leads") as said:
        plan = zwgk.load(path)
    assert "row 2" in str(said[0].message)  # the first such cell
    assert _who(plan) == MARKED_LED
    lead = plan.tasks[0].leads[0]
    assert lead.as_written == "★市政府办公室" and lead.note == UNDECLARED_LEAD_NOTE.format(mark="★")
    built = read(path)  # the warnings returned, not issued
    assert "nothing saying what the mark means" in "\n".join(built.layouts[0].layout.explain())
    assert len(built.warnings) == 1


def test_a_mark_nothing_explains_in_a_table_with_a_lead_column_keeps_the_columns_roles(tmp_path: Path) -> None:
    rows = [["序号", "工作任务", "牵头单位", "责任单位"],
            ["1", TASKS[0], "市政府办公室", "★市司法局、市财政局"],
            ["2", TASKS[2], "市卫生健康委★", "市财政局"]]
    path = kinds.write_table(tmp_path, "docx", TITLE, rows)
    with pytest.warns(zwgk.ReadWarning) as said:
        plan = zwgk.load(path)
    messages = [str(w.message) for w in said]
    assert sum("read in the column's role (responsible)" in m for m in messages) == 1
    assert sum("read in the column's role (lead)" in m for m in messages) == 1
    assert _who(plan) == [(["市政府办公室"], ["市司法局", "市财政局"], []), (["市卫生健康委"], ["市财政局"], [])]
    assert plan.tasks[0].responsible[0].note == UNDECLARED_KEPT_NOTE.format(role="responsible", mark="★")


@pytest.mark.parametrize("form", sorted(kinds.TABLE_FORMS))
def test_a_mark_on_every_unit_of_a_cell_alike_is_a_bullet(tmp_path: Path, form: str) -> None:
    rows = [["序号", "工作任务", "责任单位"],
            ["1", TASKS[0], ["●市政府办公室", "●市司法局"]],
            ["2", TASKS[2], "●市卫生健康委"]]
    with pytest.warns(zwgk.ReadWarning, match=r"2 cell\(s\) of column 3 \(责任单位\) mark units with ●.*except in "
                                              r"the 1 cell\(s\) marking every unit alike") as said:
        plan = zwgk.load(kinds.write_table(tmp_path, form, TITLE, rows))
    assert len(said) == 1
    assert _who(plan) == [([], ["市政府办公室", "市司法局"], []), (["市卫生健康委"], [], [])]
    assert plan.tasks[0].responsible[1].note == BULLET_NOTE.format(role="responsible", mark="●")
    assert plan.tasks[0].responsible[1].as_written == "●市司法局"


def test_a_mark_other_than_the_one_the_note_names_is_warned_of(tmp_path: Path) -> None:
    rows = _both("*")
    rows[3][2] = "▲市卫生健康委"
    with pytest.warns(zwgk.ReadWarning, match="mark units with ▲") as said:
        plan = zwgk.load(write_noted(tmp_path, "docx", TITLE, rows, "注：带*号的为牵头单位。"))
    assert len(said) == 1
    assert _who(plan)[2] == (["市卫生健康委"], [], [])


def test_a_cell_without_marks_reads_as_before(tmp_path: Path) -> None:
    plan = _load(write_noted(tmp_path, "docx", TITLE, _rows(""), "注：带*号的为牵头单位。"))
    assert _who(plan) == [([], ["市政府办公室", "市司法局", "市财政局"], []), ([], ["市发展改革委", "市教育局"], []),
                          ([], ["市卫生健康委"], []), (["市教育局"], [], ["市人力资源社会保障局", "市财政局"])]


@pytest.mark.parametrize("form", ["docx", "html", "text"])
def test_marks_on_the_lines_of_task_paragraphs(tmp_path: Path, form: str) -> None:
    lines = [TITLE, "注：带*号的为牵头单位。", "一、推进决策公开",
             "1.推进重大行政决策事项目录管理。", "责任单位：*市政府办公室、市司法局",
             "2.做好政策解读工作。", "责任单位：市发展改革委、市教育局*"]
    plan = _load(kinds.write_paragraphs(tmp_path, form, lines))
    assert _who(plan) == [(["市政府办公室"], ["市司法局"], []), (["市教育局"], ["市发展改革委"], [])]


def test_the_registry_reads_a_mark_off_the_name_and_keeps_it_written() -> None:
    cell = default_registry().parse_cell("*市教育局、市财政局（★）、▲ 市民政局等、市司法局")
    assert [(r.as_written, r.name) for r in cell.refs] == [
        ("*市教育局", "市教育局"), ("市财政局（★）", "市财政局"), ("▲ 市民政局等", "市民政局"),
        ("市司法局", "市司法局")]
    assert cell.marks == ("*", "★", "▲", None)
    assert cell.open_list
    lead = Marking("★", Role.LEAD, "lead: marked {mark}")
    found = cell.by_role(Role.RESPONSIBLE, (lead,))
    assert [(u.name, u.note) for u in found[Role.LEAD][0]] == [("市财政局", "lead: marked ★")]
    assert [u.name for u in found[Role.RESPONSIBLE][0]] == ["市教育局", "市民政局", "市司法局"]
    assert cell.by_role(Role.RESPONSIBLE) == {Role.RESPONSIBLE: (cell.refs, True)}  # no marking: as written


@pytest.mark.parametrize("fmt", ["docx", "html", "json"])
def test_a_plan_read_so_writes_and_reads_back_its_leads(tmp_path: Path, fmt: str) -> None:
    plan = _load(write_noted(tmp_path, "docx", TITLE, _both("*"), "注：带*号的为牵头单位。"))
    out = tmp_path / f"back.{fmt}"
    zwgk.export(plan, fmt, out)
    assert _who(_load(out)) == MARKED_LED


@pytest.mark.slow
def test_marked_units_lead_in_a_pdf_printed_by_libreoffice(tmp_path: Path) -> None:
    source = write_noted(tmp_path, "docx", TITLE, _both("★"), "注：带★号的为牵头单位。")
    plan = zwgk.load(print_pdf(source, tmp_path))
    assert _who(plan) == MARKED_LED
    assert plan.tasks[0].leads[0].as_written == "★市政府办公室"
