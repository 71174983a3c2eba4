"""Kinds of layout from documents of other bureaus, provinces and years, each read from .docx, HTML
and the text form (:mod:`tests.fixtures.kinds`), and every character of each accounted for."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

import zwgk
from tests.fixtures import kinds
from tests.fixtures.layouts import C, Spec
from tests.strategies import (
    HeadingIntroTable,
    MetadataTable,
    OpenTailTable,
    TrailingEmptyTable,
    UnitSpanTable,
    examples,
    heading_intro_tables,
    metadata_tables,
    open_tail_tables,
    trailing_empty_tables,
    unit_span_tables,
)
from zwgk._api import read
from zwgk.model import Plan, Role, UnitKind, UnitRef
from zwgk.table.build import build_plan
from zwgk.table.grid import Cell, Grid
from zwgk.units._registry import TAIL_UNSERVED

FORMS = pytest.mark.parametrize("form", sorted(kinds.TABLE_FORMS))


def names(refs: tuple[UnitRef, ...]) -> list[str]:
    return [u.name for u in refs]


def load_quietly(path: Path, **options: object) -> Plan:
    """Load ``path``; no ReadWarning may be raised (nothing left out)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", zwgk.ReadWarning)
        return zwgk.load(path, **options)


def explained(path: Path) -> str:
    """The layout ``zwgk parse --explain`` prints for the first table of ``path``."""
    built = read(path)
    assert built.warnings == ()
    return "\n".join(built.layouts[0].layout.explain())


@FORMS
def test_a_heading_over_a_serial_and_a_text_column(tmp_path: Path, form: str) -> None:
    path = kinds.write_table(tmp_path, form, kinds.SPANNED_TITLE, kinds.SPANNED)
    plan = load_quietly(path)
    want = kinds.SPANNED_READ
    assert [t.path for t in plan.tasks] == want["paths"]
    assert [t.serial for t in plan.tasks] == want["serials"]
    assert [t.text for t in plan.tasks] == want["texts"]
    assert [t.requirement for t in plan.tasks] == [None] * 4
    assert [names(t.leads) for t in plan.tasks] == want["leads"]
    assert [names(t.cooperating) for t in plan.tasks] == want["cooperating"]
    assert all(not t.extra for t in plan.tasks)
    said = explained(path)
    assert "serial" in said and "per-row numbers" in said


@FORMS
def test_a_unit_heading_over_two_columns_of_names_reads_both(tmp_path: Path, form: str) -> None:
    path = kinds.write_table(tmp_path, form, kinds.UNIT_SPAN_TITLE, kinds.UNIT_SPAN_NAMES)
    plan = load_quietly(path)
    assert [names(t.responsible) for t in plan.tasks] == [["区司法局", "区政府办公室"], ["区政府办公室", "各街道"],
                                                          ["区审计局"]]
    assert [t.text for t in plan.tasks] == ["推进决策公开。", "推进执行公开。", "推进结果公开。"]
    assert all(not t.extra for t in plan.tasks)
    said = explained(path)
    assert said.count("responsible (units, from its content") == 2


@FORMS
def test_a_unit_heading_over_names_and_text_keeps_the_text_as_an_extra_column(tmp_path: Path, form: str) -> None:
    path = kinds.write_table(tmp_path, form, kinds.UNIT_SPAN_TITLE, kinds.UNIT_SPAN_TEXT)
    plan = load_quietly(path)
    assert [names(t.responsible) for t in plan.tasks] == [["区司法局"], ["区政府办公室"], ["区审计局"]]
    assert [t.extra for t in plan.tasks] == [(("责任单位", row[3]),) for row in kinds.UNIT_SPAN_TEXT[1:]]
    assert [t.deadline for t in plan.tasks] == ["2021年底前", "长期坚持", "长期坚持"]
    said = explained(path)
    assert "column 3 责任单位: responsible (units, from its content" in said
    assert "column 4 责任单位: extra (text, not units, from its content" in said


@FORMS
def test_a_merged_category_column_a_title_column_and_serials(tmp_path: Path, form: str) -> None:
    path = kinds.write_table(tmp_path, form, kinds.CATEGORY_TITLE, kinds.CATEGORY_ROWS)
    plan = load_quietly(path)
    want = kinds.CATEGORY_READ
    assert [t.path for t in plan.tasks] == want["paths"]
    assert [t.serial for t in plan.tasks] == want["serials"]
    assert [t.text for t in plan.tasks] == want["texts"]
    assert [t.requirement for t in plan.tasks] == want["requirements"]
    assert "per-row numbers" in explained(path)


@FORMS
def test_role_phrases_inside_one_cell_decide_the_roles(tmp_path: Path, form: str) -> None:
    path = kinds.write_table(tmp_path, form, kinds.ROLE_PHRASE_TITLE, kinds.ROLE_PHRASE_ROWS)
    plan = load_quietly(path)
    first, second, third = plan.tasks
    assert names(first.leads) == ["区发展改革局", "办公室"]
    assert names(first.cooperating) == ["各科室", "站所"]
    assert first.responsible == ()
    assert [u.as_written for u in first.cooperating] == ["各科室", "站所配合落实"]
    assert all("配合" not in u.name and "落实" not in u.name for u in first.cooperating)
    office = first.leads[1]
    assert office.note == "lead: the role word written with it decides the role"
    assert names(second.responsible) == ["政策法规科"]
    assert names(third.responsible) == ["信息中心"] and third.responsible[0].note is None


@FORMS
def test_open_tails_are_no_units_of_another_region(tmp_path: Path, form: str) -> None:
    path = kinds.write_table(tmp_path, form, kinds.OPEN_TAIL_TITLE, kinds.OPEN_TAIL_ROWS)
    plan = load_quietly(path)
    assert plan.metadata.level == "省"
    first, second = plan.tasks
    assert names(first.cooperating)[:2] == ["省财政厅", "省教育厅"]
    assert Role.COOPERATING in first.open_roles
    for task in plan.tasks:
        for ref in task.cooperating:
            assert not ref.name.startswith("市"), ref
    assert Role.COOPERATING in second.open_roles


PARAGRAPH_FORMS = pytest.mark.parametrize("form", ["docx", "html", "text"])


@PARAGRAPH_FORMS
def test_paragraph_headings_with_an_introductory_sentence(tmp_path: Path, form: str) -> None:
    plan = load_quietly(kinds.write_paragraphs(tmp_path, form, kinds.INTRO_PARAGRAPHS))
    want = kinds.INTRO_READ
    assert [t.path for t in plan.tasks] == want["paths"]
    assert [t.text for t in plan.tasks] == want["texts"]
    assert {n.path: n.text for n in plan.category_notes} == want["notes"]
    assert [n.path for n in plan.category_notes] == list(want["notes"])  # in document order
    assert plan.preamble == want["preamble"]
    assert plan.epilogue == want["epilogue"]
    assert zwgk.loads(zwgk.dumps(plan)) == plan  # the notes go through JSON


@PARAGRAPH_FORMS
def test_a_heading_is_never_glued_to_the_paragraph_after_it(tmp_path: Path, form: str) -> None:
    plan = load_quietly(kinds.write_paragraphs(tmp_path, form, kinds.GLUED_PARAGRAPHS))
    assert [t.path for t in plan.tasks] == [("三、重点任务",)] * 2
    assert "按照上级部署，结合本区实际，做好以下工作。" in plan.preamble
    first, second = plan.tasks
    # a title that is its own paragraph keeps its closing punctuation
    assert (first.text, first.requirement) == ("1.推进决策公开。", "全面推行重大行政决策事项目录管理。")
    assert (second.text, second.requirement) == ("2.推进执行公开", None)


@FORMS
def test_metadata_the_title_does_not_give(tmp_path: Path, form: str) -> None:
    path = kinds.write_table(tmp_path, form, kinds.NO_METADATA_TITLE, kinds.NO_METADATA_ROWS)
    plain = load_quietly(path)
    assert (plain.metadata.region, plain.metadata.year) == (None, None)
    assert plain.metadata.level is None  # the units are read as 区's (区司法局, 区政府办公室), said by --explain
    given = load_quietly(path, region="某某区", year=2021)
    assert (given.metadata.region, given.metadata.level, given.metadata.year) == ("某某区", "区", 2021)
    assert [t.text for t in given.tasks] == [t.text for t in plain.tasks]


def test_a_given_year_and_region_win_over_the_title(tmp_path: Path) -> None:
    path = kinds.write_table(tmp_path, "html", kinds.OPEN_TAIL_TITLE, kinds.OPEN_TAIL_ROWS)
    plan = load_quietly(path, year=2022, region="另一省")
    assert (plan.metadata.region, plan.metadata.level, plan.metadata.year) == ("另一省", "省", 2022)


@pytest.mark.parametrize(("option", "value"), [("year", "2021"), ("year", 1800), ("year", True),
                                               ("region", ""), ("region", 3)])
def test_a_given_region_or_year_that_is_none_is_refused(tmp_path: Path, option: str, value: object) -> None:
    path = kinds.write_table(tmp_path, "html", kinds.NO_METADATA_TITLE, kinds.NO_METADATA_ROWS)
    with pytest.raises(zwgk.ParseError, match=option):
        zwgk.load(path, **{option: value})


def test_explain_says_the_region_level_and_year_and_why(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from zwgk.cli import main

    path = kinds.write_table(tmp_path, "text", kinds.NO_METADATA_TITLE, kinds.NO_METADATA_ROWS)
    assert main(["parse", str(path), "--explain", "--year", "2021"]) == 0
    err = capsys.readouterr().err
    title = "the title 「政务公开工作要点任务分解表」"
    assert f"zwgk: metadata: region unknown ({title} names none; give it with --region)" in err
    assert (f"zwgk: metadata: level unknown ({title} names none); units read as of level 区 (most unit names "
            "are written with 区…)") in err
    assert "zwgk: metadata: year 2021 (given)" in err
    assert main(["parse", str(path), "--explain", "--region", "某某区"]) == 0
    err = capsys.readouterr().err
    assert "region 某某区 (given)" in err and "level 区 (from the region given)" in err
    assert "year unknown" in err


def test_category_notes_are_written_by_every_form(tmp_path: Path) -> None:
    plan = load_quietly(kinds.write_paragraphs(tmp_path, "text", kinds.INTRO_PARAGRAPHS))
    assert plan.category_notes
    for fmt, suffix, options in (("text", ".txt", {"form": "list"}), ("docx", ".docx", {"form": "list"}),
                                 ("json", ".json", {})):
        out = tmp_path / f"back{suffix}"
        zwgk.export(plan, fmt, out, **options)
        assert load_quietly(out) == plan, fmt
    markdown = (zwgk.export(plan, "markdown") or b"").decode("utf-8")
    report = (zwgk.export(plan, "html") or b"").decode("utf-8")
    for note in plan.category_notes:
        assert note.text in markdown
        assert f"<dd>{note.text}</dd>" in report
    # the table forms write a note in its category's cell, after the name and a 。
    for fmt, suffix in (("text", ".txt"), ("docx", ".docx"), ("xlsx", ".xlsx")):
        out = tmp_path / f"table{suffix}"
        zwgk.export(plan, fmt, out)
        back = load_quietly(out)
        assert back.category_notes == plan.category_notes, fmt
        assert [(t.path, t.text, t.leads, t.cooperating) for t in back.tasks] == [
            (t.path, t.text, t.leads, t.cooperating) for t in plan.tasks], fmt


def test_diff_says_which_category_notes_differ(tmp_path: Path) -> None:
    old = load_quietly(kinds.write_paragraphs(tmp_path, "text", kinds.INTRO_PARAGRAPHS))
    first, second = old.category_notes
    new = attrs.evolve(old, category_notes=(attrs.evolve(first, text="围绕群众关切，做好以下工作："),))
    result = zwgk.diff(old, new)
    assert result.differs and not result.changed
    assert [(n.path, n.old, n.new) for n in result.notes] == [
        (first.path, first.text, "围绕群众关切，做好以下工作："), (second.path, second.text, None)]
    assert not zwgk.diff(old, old).notes


#: Unit names standing for a level other than ``level``'s, by how they start.
OTHER_LEVELS = {"省": ("市", "区", "县"), "市": ("省", "区", "县"), "区": ("省", "市", "县"), "县": ("省", "市", "区")}


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(table=open_tail_tables())
@FORMS
def test_generated_open_tails_are_no_units(tmp_path_factory: pytest.TempPathFactory, form: str,
                                           table: OpenTailTable) -> None:
    path = kinds.write_table(tmp_path_factory.mktemp("tail"), form, table.title, table.rows)
    plan = load_quietly(path)
    assert plan.metadata.level == table.level
    for task, named, tail in zip(plan.tasks, table.named, table.tails, strict=True):
        assert Role.COOPERATING in task.open_roles
        got = list(task.cooperating)
        assert [u.name for u in got[: len(named)]] == named
        rest = got[len(named):]
        # the tail is kept as written: no unit, or a collective no registry resolves (the plan is of
        # a region no registry serves: 市政府各相关部门（单位） answers only for the bundled city's)
        assert [u.as_written for u in rest] in ([tail], [])
        for ref in rest:
            assert not ref.resolved and ref.kind is UnitKind.COLLECTIVE, ref
        for ref in got:
            assert not ref.name.startswith(OTHER_LEVELS[table.level]) and "泰安" not in ref.name, ref
        # nothing in the plan resolves to a unit of another region (the bundled city's 市财政局)
        assert not any(u.resolved for u in task.units()), task


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(table=metadata_tables())
@FORMS
def test_generated_metadata_the_title_does_not_give(tmp_path_factory: pytest.TempPathFactory, form: str,
                                                    table: MetadataTable) -> None:
    path = kinds.write_table(tmp_path_factory.mktemp("meta"), form, table.title, table.rows)
    plain = load_quietly(path)
    assert (plain.metadata.region, plain.metadata.year) == (None, None)
    given_ = load_quietly(path, region=table.region, year=table.year)
    assert (given_.metadata.region, given_.metadata.level, given_.metadata.year) == (
        table.region, table.level, table.year)
    assert [t.text for t in given_.tasks] == [t.text for t in plain.tasks] == [str(r[1]) for r in table.rows[1:]]
    for task, row in zip(given_.tasks, table.rows[1:], strict=True):
        assert [u.as_written for u in task.responsible] == [row[2]]
        assert not any(u.name.startswith(OTHER_LEVELS[table.level]) for u in task.responsible)


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(table=unit_span_tables())
@FORMS
def test_generated_unit_headings_over_two_columns_are_read_by_content(
    tmp_path_factory: pytest.TempPathFactory, form: str, table: UnitSpanTable
) -> None:
    path = kinds.write_table(tmp_path_factory.mktemp("span"), form, kinds.UNIT_SPAN_TITLE, table.rows)
    plan = load_quietly(path)
    assert [[u.as_written for u in t.responsible] for t in plan.tasks] == table.responsible
    assert [t.extra for t in plan.tasks] == table.extra
    assert "from its content" in explained(path)


def test_zwgk_diff_prints_the_category_notes_that_differ(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from zwgk.cli import main

    old = load_quietly(kinds.write_paragraphs(tmp_path, "text", kinds.INTRO_PARAGRAPHS))
    first = old.category_notes[0]
    new = attrs.evolve(old, category_notes=(attrs.evolve(first, text="做好以下工作："), *old.category_notes[1:]))
    zwgk.export(old, "json", tmp_path / "old.json")
    zwgk.export(new, "json", tmp_path / "new.json")
    assert main(["diff", str(tmp_path / "old.json"), str(tmp_path / "new.json")]) == 1
    out = capsys.readouterr().out
    assert f"~ note of {' / '.join(first.path)}: {first.text} → 做好以下工作：" in out
    assert main(["diff", str(tmp_path / "old.json"), str(tmp_path / "new.json"), "-f", "json"]) == 1
    (change,) = json.loads(capsys.readouterr().out)["category_notes"]
    assert change == {"path": list(first.path), "old": first.text, "new": "做好以下工作："}


def test_the_diff_page_shows_the_category_notes_that_differ(tmp_path: Path) -> None:
    from zwgk._report import diff_page

    old = load_quietly(kinds.write_paragraphs(tmp_path, "text", kinds.INTRO_PARAGRAPHS))
    new = attrs.evolve(old, category_notes=old.category_notes[1:])
    page = diff_page(old, new, zwgk.diff(old, new))
    removed = old.category_notes[0]
    assert "类别说明的变化" in page and f"<del>{removed.text}</del>" in page
    assert "类别说明的变化" not in diff_page(old, old, zwgk.diff(old, old))


# A category heading row (merged across the table) carrying an introductory sentence: the heading
# names the category, the sentence is the category's note, as for a heading paragraph.
HEADING_INTRO_TITLE = "2021年某某市政务公开工作要点任务分解表"
HEADING_INTRO_ROWS: Spec = [
    ["序号", "工作任务", "牵头单位", "配合单位"],
    [C("一、重点任务", colspan=4)],
    [C("（一）加强重点领域信息公开。围绕群众关切，重点做好以下工作：", colspan=4)],
    ["1", "推进财政信息公开。", "市财政局", "市审计局"],
    ["2", "推进重大项目信息公开。", "市发展改革委", ""],
    [C("（二）提升政策解读质量。", colspan=4)],
    ["3", "做好政策解读。", "市政府办公室", ""],
    [C("（三）优化政务服务。按照“谁起草、谁解读”的原则，做好以下工作。", colspan=4)],
    ["4", "推进政务服务事项公开。", "市政府办公室", "市司法局"],
]


@FORMS
def test_a_heading_row_with_an_introductory_sentence(tmp_path: Path, form: str) -> None:
    plan = load_quietly(kinds.write_table(tmp_path, form, HEADING_INTRO_TITLE, HEADING_INTRO_ROWS))
    top = "一、重点任务"
    first = (top, "（一）加强重点领域信息公开")
    second = (top, "（二）提升政策解读质量。")
    third = (top, "（三）优化政务服务")
    assert [t.path for t in plan.tasks] == [first, first, second, third]
    # the heading ending in its only 。 keeps it: a name with no sentence after it
    assert [(n.path, n.text) for n in plan.category_notes] == [
        (first, "围绕群众关切，重点做好以下工作："), (third, "按照“谁起草、谁解读”的原则，做好以下工作。")]
    assert zwgk.loads(zwgk.dumps(plan)) == plan


def test_a_heading_rows_note_with_no_task_under_it_is_said(tmp_path: Path) -> None:
    rows = [*HEADING_INTRO_ROWS, [C("（四）加强组织保障。各单位要高度重视。", colspan=4)]]
    with pytest.warns(zwgk.ReadWarning) as said:
        plan = zwgk.load(kinds.write_table(tmp_path, "html", HEADING_INTRO_TITLE, rows))
    messages = [str(w.message) for w in said]
    assert any("「（四）加强组织保障」 has no task under it" in m for m in messages), messages
    assert any("the note 「各单位要高度重视。」" in m and "no task is in that category" in m for m in messages)
    assert len(plan.category_notes) == 2


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(table=heading_intro_tables())
@FORMS
def test_generated_heading_rows_with_introductory_sentences(tmp_path_factory: pytest.TempPathFactory, form: str,
                                                            table: HeadingIntroTable) -> None:
    path = kinds.write_table(tmp_path_factory.mktemp("intro"), form, table.title, table.rows)
    plan = load_quietly(path)
    assert [t.path for t in plan.tasks] == table.paths
    assert [t.text for t in plan.tasks] == table.texts
    assert {n.path: n.text for n in plan.category_notes} == table.notes
    for path_ in table.paths:  # no category name holds a sentence of its note
        assert all("。" not in level[:-1] for level in path_)


# Open tails in the plan of a city no registry serves: kept as written, no other city's collective.
OTHER_CITY_ROWS: Spec = [
    ["序号", "工作任务", "牵头单位", "配合单位"],
    ["1", "推进教育领域信息公开。", "市教育局", "市财政局、教育局等相关部门"],
    ["2", "推进医疗卫生领域信息公开。", "市卫生健康委", "市医保局等有关单位"],
]


@FORMS
def test_open_tails_in_another_citys_plan_stay_as_written(tmp_path: Path, form: str) -> None:
    plan = load_quietly(kinds.write_table(tmp_path, form, "2021年某某市政务公开工作要点任务分解表", OTHER_CITY_ROWS))
    assert (plan.metadata.region, plan.metadata.level) == ("某某市", "市")
    first, second = plan.tasks
    tails = [first.cooperating[-1], second.cooperating[-1]]
    assert [(u.as_written, u.name, u.kind, u.resolved) for u in tails] == [
        ("等相关部门", "相关部门", UnitKind.COLLECTIVE, False), ("等有关单位", "有关单位", UnitKind.COLLECTIVE, False)]
    assert all(u.note is not None and TAIL_UNSERVED in u.note for u in tails)
    # the bundled city's departments (泰安市's 市教育局 …) answer for no other city's plan either
    assert not any(u.resolved for t in plan.tasks for u in t.units())
    assert all(Role.COOPERATING in t.open_roles for t in plan.tasks)


def test_open_tails_in_the_registrys_own_city_resolve(tmp_path: Path) -> None:
    plan = load_quietly(kinds.write_table(tmp_path, "html", "2021年泰安市政务公开工作要点任务分解表", OTHER_CITY_ROWS))
    first, second = plan.tasks
    assert [u.name for u in (first.cooperating[-1], second.cooperating[-1])] == [
        "市政府各相关部门（单位）", "市政府有关部门（单位）"]
    assert all(u.resolved for t in plan.tasks for u in t.units())


# Empty trailing cells (an empty 配合单位): the text form shows them as empty cells, or not at all
# when an editor dropped their TAB lines; either way they read as empty cells.
TRAILING_EMPTY_ROWS: Spec = [
    [C("工作任务", colspan=3), "工作要求", "责任单位"],
    [C("一、深化重点领域信息公开", rowspan=2), "做好财政信息公开", "1", "全面公开财政预决算信息。", "区财政局"],
    ["做好重大项目信息公开", "2", "及时发布重大项目批准和实施信息。", ""],
    [C("二、提升政务公开质量", rowspan=2), "完善政策解读", "3", "解读材料与政策文件同步发布。", "区政府办公室"],
    ["规范依申请公开", "4", "依法依规做好依申请公开答复。", ""],
]
TRAILING_FORMS = pytest.mark.parametrize("form", [*sorted(kinds.TABLE_FORMS), "text-dropped"])


def write_trailing(tmp: Path, form: str, title: str, rows: Spec) -> Path:
    """``rows`` as ``form``; ``text-dropped``: the text form with the TAB lines of each row's empty
    last cells dropped (what an editor that strips trailing blanks leaves)."""
    if form != "text-dropped":
        return kinds.write_table(tmp, form, title, rows)
    path = kinds.write_table(tmp, "text", title, rows)
    lines = path.read_text(encoding="utf-8").split("\n")
    kept: list[str] = []
    for line in lines:
        if line == "":
            while kept and kept[-1] == "\t":
                kept.pop()
        kept.append(line)
    path.write_text("\n".join(kept), encoding="utf-8")
    return path


@TRAILING_FORMS
def test_an_empty_trailing_unit_cell_reads_as_an_empty_cell(tmp_path: Path, form: str) -> None:
    plan = load_quietly(write_trailing(tmp_path, form, kinds.CATEGORY_TITLE, TRAILING_EMPTY_ROWS))
    want = kinds.CATEGORY_READ
    assert [t.path for t in plan.tasks] == want["paths"]
    assert [t.serial for t in plan.tasks] == want["serials"]
    assert [t.text for t in plan.tasks] == want["texts"]
    assert [t.requirement for t in plan.tasks] == want["requirements"]
    assert [names(t.responsible) for t in plan.tasks] == [["区财政局"], [], ["区政府办公室"], []]


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(table=trailing_empty_tables())
@TRAILING_FORMS
def test_generated_empty_trailing_cells_read_as_empty_cells(tmp_path_factory: pytest.TempPathFactory, form: str,
                                                            table: TrailingEmptyTable) -> None:
    path = write_trailing(tmp_path_factory.mktemp("trail"), form, "2021年某某市政务公开工作要点任务分解表", table.rows)
    plan = load_quietly(path)
    assert [t.path for t in plan.tasks] == table.paths
    assert [t.text for t in plan.tasks] == table.texts
    assert [[u.as_written for u in t.leads] for t in plan.tasks] == table.leads
    assert [[u.as_written for u in t.cooperating] for t in plan.tasks] == table.cooperating
    assert [t.deadline for t in plan.tasks] == table.deadlines


# 工作要求 over a per-row serial with no sub-heading and the text with one of its own (具体内容):
# the serial is named by its content all the same.
PARTIAL_SUBHEADING_ROWS: Spec = [
    ["工作任务", C("工作要求", colspan=2), "牵头单位"],
    ["", "", "具体内容", ""],
    [C("一、推进决策公开", rowspan=2), "1", "全面推行重大行政决策事项目录管理。", "办公室"],
    ["2", "做好决策草案公开征求意见工作。", "法规科"],
    [C("二、推进执行公开", rowspan=2), "3", "加大督查结果公开力度。", "督查科"],
    ["4", "完善政策执行情况公开机制。", "办公室"],
]


@FORMS
def test_a_spanned_heading_with_a_sub_heading_over_only_its_text_column(tmp_path: Path, form: str) -> None:
    path = kinds.write_table(tmp_path, form, kinds.SPANNED_TITLE, PARTIAL_SUBHEADING_ROWS)
    plan = load_quietly(path)
    assert [t.path for t in plan.tasks] == [("一、推进决策公开",)] * 2 + [("二、推进执行公开",)] * 2
    assert [t.serial for t in plan.tasks] == ["1", "2", "3", "4"]
    assert [t.text for t in plan.tasks] == [str(row[-2]) for row in PARTIAL_SUBHEADING_ROWS[2:]]
    assert [names(t.leads) for t in plan.tasks] == [["办公室"], ["法规科"], ["督查科"], ["办公室"]]
    said = explained(path)
    assert "serial (per-row numbers, from its content: 4 of 4 cells" in said
    if form != "text":  # the text form shows no spans: there 工作任务 is taken to span the serial column
        assert "under 工作要求 with no sub-heading of its own" in said


# A category column (工作任务, merged down) beside a title column with no heading, or one no
# vocabulary knows (事项明细) or a specific one (具体事项), and a serial column: the title column holds
# the task text.
def category_rows_headed(title_heading: str) -> Spec:
    return [
        ["工作任务", title_heading, "", "工作要求", "责任单位"],
        *(list(row) for row in kinds.CATEGORY_ROWS[1:]),
    ]


@FORMS
@pytest.mark.parametrize("title_heading", ["", "事项明细", "具体事项"])
def test_a_category_column_beside_a_title_column_the_headings_do_not_name(
    tmp_path: Path, form: str, title_heading: str
) -> None:
    path = kinds.write_table(tmp_path, form, kinds.CATEGORY_TITLE, category_rows_headed(title_heading))
    plan = load_quietly(path)
    want = kinds.CATEGORY_READ
    assert [t.path for t in plan.tasks] == want["paths"]
    assert [t.serial for t in plan.tasks] == want["serials"]
    assert [t.text for t in plan.tasks] == want["texts"]
    assert [t.requirement for t in plan.tasks] == want["requirements"]
    assert all(not t.extra for t in plan.tasks)
    if title_heading == "具体事项":
        assert f"column 2 {title_heading}: task (named by its heading)" in explained(path)
    else:
        assert "task (the task text, from its content: 4 cells of one row each" in explained(path)


# Category columns whose cells carry an introductory sentence: the same reading as a heading row.
LEVEL_INTRO_ROWS: Spec = [
    ["一级任务", "二级任务", "具体任务", "牵头单位"],
    [C("一、推进决策公开。围绕重大决策，做好以下工作：", rowspan=3), C("（一）目录管理。按要求做好：", rowspan=2),
     "全面推行重大行政决策事项目录管理。", "市司法局"],
    ["按时公开目录。", "市政府办公室"],
    ["（二）意见征集", "做好决策草案公开征求意见工作。", "市司法局"],
    ["二、推进执行公开", "（一）督查。", "加大督查结果公开力度。", "市政府办公室"],
    ["二、推进执行公开", "（一）督查。", "完善政策执行情况公开机制。", "市政府办公室"],  # a merge broken
]


@FORMS
def test_category_cells_with_an_introductory_sentence(tmp_path: Path, form: str) -> None:
    plan = load_quietly(kinds.write_table(tmp_path, form, HEADING_INTRO_TITLE, LEVEL_INTRO_ROWS))
    decision, catalogue = "一、推进决策公开", ("一、推进决策公开", "（一）目录管理")
    assert [t.path for t in plan.tasks] == [catalogue, catalogue, (decision, "（二）意见征集"),
                                            ("二、推进执行公开", "（一）督查。"), ("二、推进执行公开", "（一）督查。")]
    assert [(n.path, n.text) for n in plan.category_notes] == [
        ((decision,), "围绕重大决策，做好以下工作："), (catalogue, "按要求做好：")]


@FORMS
def test_a_column_of_scores_between_the_categories_and_the_requirements_is_no_title(tmp_path: Path, form: str) -> None:
    rows: Spec = [
        ["工作任务", "考核分值", "工作要求", "责任单位"],
        [C("一、深化重点领域信息公开", rowspan=2), "10分", "全面公开财政预决算信息。", "区财政局"],
        ["5分", "及时发布重大项目批准和实施信息。", "区发展改革局"],
        [C("二、提升政务公开质量", rowspan=2), "5分", "解读材料与政策文件同步发布。", "区政府办公室"],
        ["10分", "依法依规做好依申请公开答复。", "区司法局"],
    ]
    plan = load_quietly(kinds.write_table(tmp_path, form, kinds.CATEGORY_TITLE, rows))
    want = kinds.CATEGORY_READ
    assert [t.path for t in plan.tasks] == want["paths"]
    assert [t.text for t in plan.tasks] == want["requirements"]  # 工作要求 is the task text
    assert [t.extra for t in plan.tasks] == [(("考核分值", s),) for s in ("10分", "5分", "5分", "10分")]


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(table=heading_intro_tables())
@pytest.mark.parametrize(("fmt", "suffix"), [("text", ".txt"), ("docx", ".docx"), ("xlsx", ".xlsx")])
def test_generated_category_notes_go_through_the_table_forms(tmp_path_factory: pytest.TempPathFactory, fmt: str,
                                                             suffix: str, table: HeadingIntroTable) -> None:
    tmp = tmp_path_factory.mktemp("notes")
    plan = load_quietly(kinds.write_table(tmp, "html", table.title, table.rows))
    out = tmp / f"back{suffix}"
    zwgk.export(plan, fmt, out)
    back = load_quietly(out)
    assert back.category_notes == plan.category_notes
    assert [(t.path, t.serial, t.text, t.leads, t.cooperating) for t in back.tasks] == [
        (t.path, t.serial, t.text, t.leads, t.cooperating) for t in plan.tasks]


@pytest.mark.parametrize(("name", "note", "said"), [
    ("（一）督查。", "按要求做好：", "cannot write so that it reads back"),  # a name holding a 。
    ("（一）督查", " 按要求做好：", "cannot write so that it reads back"),  # a note blank at its start
])
def test_a_category_note_a_table_cannot_carry_back_is_refused(tmp_path: Path, name: str, note: str,
                                                               said: str) -> None:
    plan = load_quietly(kinds.write_table(tmp_path, "html", HEADING_INTRO_TITLE, HEADING_INTRO_ROWS))
    task = plan.tasks[0]
    moved = attrs.evolve(task, path=(name,))
    bad = attrs.evolve(plan, tasks=(moved, *plan.tasks[1:]), category_notes=(zwgk.CategoryNote((name,), note),))
    for fmt in ("text", "docx", "xlsx"):
        with pytest.raises(zwgk.ExportError, match=said):
            zwgk.export(bad, fmt)
    orphan = attrs.evolve(plan, category_notes=(zwgk.CategoryNote(("（九）无任务",), "说明。"),))
    with pytest.raises(zwgk.ExportError, match="has a note but no task"):
        zwgk.export(orphan, "docx")


# Headings no keyword names as the task (工作要点, 主要工作, 考核内容) beside unit columns: the first
# column naming no other role holds the tasks; a heading ending in 类别/领域 is a category level.
@FORMS
@pytest.mark.parametrize(("headings", "levels"), [
    (["序号", "工作要点", "责任单位", "完成时限"], 0),
    (["序号", "主要工作", "责任单位", "完成时限"], 0),
    (["序号", "考核内容", "牵头单位", "完成时限"], 0),
    (["", "落实举措", "牵头单位", "完成时限"], 0),
    (["序号", "工作类别", "主要工作", "责任单位", "完成时限"], 1),
    (["序号", "重点领域", "考核内容", "牵头单位", "完成时限"], 1),
])
def test_a_task_column_no_keyword_names(tmp_path: Path, form: str, headings: list[str], levels: int) -> None:
    data = [["1", "推进财政预决算公开。", "市财政局", "2023年6月底前"],
            ["2", "做好政策解读。", "市政府办公室", "长期坚持"],
            ["3", "推进一网通办。", "市行政审批服务局", "2023年底前"]]
    if levels:  # 政务公开 merged over the first two rows
        placed: list[list[str | C]] = [[data[0][0], C("政务公开", rowspan=2), *data[0][1:]], data[1],
                                       [data[2][0], "政务服务", *data[2][1:]]]
    else:
        placed = [list(r) for r in data]
    path = kinds.write_table(tmp_path, form, "2023年某某市政务公开工作要点任务分解表", [headings, *placed])
    plan = load_quietly(path)
    assert [t.text for t in plan.tasks] == [r[1] for r in data]
    assert [names(t.units()) for t in plan.tasks] == [[r[2]] for r in data]
    assert [t.deadline for t in plan.tasks] == [r[3] for r in data]
    assert [t.path for t in plan.tasks] == ([("政务公开",)] * 2 + [("政务服务",)] if levels else [()] * 3)
    task = headings[1 + levels]
    assert f"column {2 + levels} {task}: task (" in explained(path)
    if levels:
        assert f"column 2 {headings[1]}: level 1 (named by its heading)" in explained(path)


@FORMS
def test_a_table_naming_no_unit_column_is_no_task_table(tmp_path: Path, form: str) -> None:
    """A list of contacts has no task column to find, whatever its first free column holds; the note
    under it (说明：…) makes no task of the title above it either."""
    path = kinds.write_table(tmp_path, form, "2023年某某市政务公开工作要点任务分解表",
                             [["序号", "单位", "联系人", "联系电话"], ["1", "市财政局", "张三", "0538-1234567"]])
    with pytest.raises(zwgk.LayoutError):
        zwgk.load(path)


def test_a_table_beside_task_paragraphs_is_said(tmp_path: Path) -> None:
    """A 方案 read as task paragraphs with a table of contacts after it: the table is not in the
    plan, and a warning says so, naming it."""
    import docx

    document = docx.Document()
    for line in ["某某区2022年政务公开重点任务分工方案", "一、重点任务", "1.推进决策公开。", "牵头单位：区司法局",
                 "2.推进执行公开", "牵头单位：区政府办公室", "附：联系人名单"]:
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=3)
    for r, row in enumerate([["单位", "联系人", "电话"], ["区司法局", "张三", "0538-1234567"]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    path = tmp_path / "mixed.docx"
    document.save(str(path))
    with pytest.warns(zwgk.ReadWarning, match=r"table 1: not read \(the document is read as task paragraphs\); "
                                              r"its text is not in the plan: 2 rows, the first 「单位」 「联系人」"):
        plan = zwgk.load(path)
    assert [t.text for t in plan.tasks] == ["1.推进决策公开。", "2.推进执行公开"]


# Heading rows written in the columns rather than across them (tables made in Excel or WPS): the row
# names nothing but a task text numbered as a category, or a serial so numbered.
@FORMS
@pytest.mark.parametrize(("first", "second", "paths"), [
    # 、 joins a bare number to its text
    (["一", "推进决策公开"], ["二", "推进执行公开"], ["一、推进决策公开", "二、推进执行公开"]),
    (["一、", "推进决策公开"], ["二、", "推进执行公开"], ["一、推进决策公开", "二、推进执行公开"]),
    (["", "一、推进决策公开"], ["", "二、推进执行公开"], ["一、推进决策公开", "二、推进执行公开"]),
    (["（一）", "推进决策公开"], ["（二）", "推进执行公开"], ["（一）推进决策公开", "（二）推进执行公开"]),
])
def test_heading_rows_written_in_the_columns(tmp_path: Path, form: str, first: list[str], second: list[str],
                                             paths: list[str]) -> None:
    rows = [["序号", "工作任务", "责任单位", "完成时间"],
            [*first, "", ""],
            ["1", "推进财政预决算公开。", "市财政局", "2023年6月底前"],
            ["2", "做好政策解读。", "市政府办公室", ""],  # no deadline: still a task (it names a unit)
            [*second, "", ""],
            ["3", "推进一网通办。", "", "2023年底前"]]  # no unit: still a task (it has a deadline)
    plan = load_quietly(kinds.write_table(tmp_path, form, "2023年某某市政务公开工作要点任务分解表", rows))
    assert [t.text for t in plan.tasks] == ["推进财政预决算公开。", "做好政策解读。", "推进一网通办。"]
    assert [t.path for t in plan.tasks] == [(paths[0],), (paths[0],), (paths[1],)]
    assert [t.serial for t in plan.tasks] == ["1", "2", "3"]
    assert [t.deadline for t in plan.tasks] == ["2023年6月底前", None, "2023年底前"]


@FORMS
def test_a_task_numbered_in_arabic_with_nothing_else_stays_a_task(tmp_path: Path, form: str) -> None:
    """Only a category's numbering makes a heading of a row naming nothing else: a task numbered 1,
    2 with no unit is a task naming no unit (reported by the missing-lead validator)."""
    rows = [["序号", "工作任务", "责任单位", "时间"],
            ["1", "推进财政预决算公开。", "市财政局", "2023年6月底前"],
            ["2", "做好政策解读。", "", ""],
            ["3", "推进一网通办。", "市行政审批服务局", "长期坚持"]]
    plan = load_quietly(kinds.write_table(tmp_path, form, "2023年某某市政务公开工作要点任务分解表", rows))
    assert [t.text for t in plan.tasks] == ["推进财政预决算公开。", "做好政策解读。", "推进一网通办。"]
    assert [t.path for t in plan.tasks] == [()] * 3
    assert [t.deadline for t in plan.tasks] == ["2023年6月底前", None, "长期坚持"]  # 时间 alone is a deadline


# A table with no unit column whose task cells end in their units, as task paragraphs write them.
INLINE_ROWS: Spec = [
    ["序号", "工作任务", "完成时限"],
    ["1", "推进财政预决算公开。（市财政局牵头，市审计局配合）", "2023年6月底前"],
    ["2", "做好政策解读。责任单位：市政府办公室", "长期坚持"],
    ["3", "推进一网通办。（牵头单位：市行政审批服务局；配合单位：市大数据局）", "2023年底前"],
]


@FORMS
def test_units_at_the_end_of_each_task_in_a_table_with_no_unit_column(tmp_path: Path, form: str) -> None:
    path = kinds.write_table(tmp_path, form, "2023年某某市政务公开工作要点任务分解表", INLINE_ROWS)
    plan = load_quietly(path)
    assert [t.text for t in plan.tasks] == ["推进财政预决算公开。", "做好政策解读。", "推进一网通办。"]
    assert [names(t.leads) for t in plan.tasks] == [["市财政局"], [], ["市行政审批服务局"]]
    assert [names(t.responsible) for t in plan.tasks] == [[], ["市政府办公室"], []]
    assert [names(t.cooperating) for t in plan.tasks] == [["市审计局"], [], ["市大数据局"]]
    assert [t.deadline for t in plan.tasks] == ["2023年6月底前", "长期坚持", "2023年底前"]
    assert "no unit column: the units written at the end of each task's text" in explained(path)


@FORMS
def test_a_table_with_no_unit_column_and_few_units_in_its_tasks_is_still_refused(tmp_path: Path, form: str) -> None:
    rows = [INLINE_ROWS[0], INLINE_ROWS[1], ["2", "做好政策解读。", "长期坚持"], ["3", "推进一网通办。", "2023年底前"]]
    with pytest.raises(zwgk.LayoutError, match="no unit column found"):
        zwgk.load(kinds.write_table(tmp_path, form, "2023年某某市政务公开工作要点任务分解表", rows))


@FORMS
def test_a_task_numbered_as_the_other_tasks_are_stays_a_task(tmp_path: Path, form: str) -> None:
    """Tasks numbered （一）（二） in the serial column: one naming nothing else is a task naming no unit,
    not a heading, since the rows naming units are numbered so too."""
    rows = [["序号", "工作任务", "责任单位", "完成时限"],
            ["（一）", "推进财政预决算公开。", "市财政局", "2023年6月底前"],
            ["（二）", "做好政策解读。", "", ""],
            ["（三）", "推进一网通办。", "市行政审批服务局", "长期坚持"]]
    plan = load_quietly(kinds.write_table(tmp_path, form, "2023年某某市政务公开工作要点任务分解表", rows))
    assert [t.serial for t in plan.tasks] == ["（一）", "（二）", "（三）"]
    assert [t.path for t in plan.tasks] == [()] * 3


@pytest.mark.parametrize("form", ["docx", "html", "odt"])
def test_a_title_typed_into_the_tables_first_row_is_the_title(tmp_path: Path, form: str) -> None:
    """The title in a row of the table above its header (common in tables made in WPS or Excel) is
    the plan's title, and gives its metadata; the rows keep their numbers."""
    title = "2023年某某市政务公开工作要点任务分解表"
    rows: Spec = [[C(title, colspan=4)], ["序号", "工作任务", "责任单位", "完成时限"],
                  ["1", "推进财政预决算公开。", "市财政局", "2023年6月底前"]]
    plan = load_quietly(kinds.write_table(tmp_path, form, "附件", rows))
    assert plan.title == title
    assert (plan.metadata.region, plan.metadata.year, plan.metadata.level) == ("某某市", 2023, "市")
    assert plan.preamble[-1] == title
    assert plan.tasks[0].source is not None and plan.tasks[0].source.row == 3


SECTIONS = [("一、推进决策公开", [["1", "推进财政预决算公开。", "市财政局"], ["2", "做好政策解读。", "市政府办公室"]]),
            ("二、推进执行公开", [["3", "推进一网通办。", "市行政审批服务局"]])]


def _sections_file(tmp_path: Path, form: str, sections: list[tuple[str | None, list[list[str]]]]) -> Path:
    """A title, then for each section its heading line (if any) and a table of its tasks."""
    import html

    import docx

    header = ["序号", "工作任务", "责任单位"]
    if form == "docx":
        document = docx.Document()
        document.add_paragraph("2023年某某市政务公开工作要点任务分解表")
        for heading, rows in sections:
            if heading:
                document.add_paragraph(heading)
            table = document.add_table(rows=1 + len(rows), cols=3)
            for r, row in enumerate([header, *rows]):
                for c, text in enumerate(row):
                    table.cell(r, c).text = text
        path = tmp_path / "s.docx"
        document.save(str(path))
        return path
    parts = ["<html><body><p>2023年某某市政务公开工作要点任务分解表</p>"]
    for heading, rows in sections:
        if heading:
            parts.append(f"<p>{html.escape(heading)}</p>")
        parts.append("<table border=1>" + "".join(
            "<tr>" + "".join(f"<td>{html.escape(t)}</td>" for t in row) + "</tr>" for row in [header, *rows])
            + "</table>")
    path = tmp_path / "s.html"
    path.write_text("".join(parts) + "</body></html>", encoding="utf-8")
    return path


@pytest.mark.parametrize("form", ["docx", "html"])
def test_a_numbered_heading_above_each_task_table_is_its_tasks_category(tmp_path: Path, form: str) -> None:
    plan = load_quietly(_sections_file(tmp_path, form, list(SECTIONS)))  # nothing said: the headings are held
    assert [t.path for t in plan.tasks] == [("一、推进决策公开",)] * 2 + [("二、推进执行公开",)]
    assert [t.text for t in plan.tasks] == ["推进财政预决算公开。", "做好政策解读。", "推进一网通办。"]


@pytest.mark.parametrize("form", ["docx", "html"])
def test_a_heading_above_only_some_tables_makes_no_category(tmp_path: Path, form: str) -> None:
    """Only several tables each under a numbered heading are sections: a heading above one table
    alone may be the cover letter's (二、任务分工), and stays where it was."""
    plan = zwgk.load(_sections_file(tmp_path, form, [SECTIONS[0], (None, SECTIONS[1][1])]))
    assert [t.path for t in plan.tasks] == [()] * 3
    plan = zwgk.load(_sections_file(tmp_path, form, [SECTIONS[0]]))
    assert [t.path for t in plan.tasks] == [()] * 2 and plan.preamble[-1] == "一、推进决策公开"


@FORMS
def test_notes_typed_into_the_tables_last_rows_are_its_epilogue(tmp_path: Path, form: str) -> None:
    """注：… and 说明：… rows under the tasks (one cell spanning the table) are the table's notes: lines of
    the plan's epilogue, before the lines below the table; never a category, never a task's text."""
    notes = ["注：各单位于每季度末报送进展情况。", "说明：本表由市政府办公室负责解释。"]
    rows: Spec = [["序号", "工作任务", "责任单位", "完成时限"],
                  ["1", "推进财政预决算公开。", "市财政局", "2023年6月底前"],
                  ["2", "做好政策解读。", "市政府办公室", "长期坚持"],
                  *([C(note, colspan=4)] for note in notes)]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plan = zwgk.load(kinds.write_table(tmp_path, form, "2023年某某市政务公开工作要点任务分解表", rows))
    assert [(t.path, t.text) for t in plan.tasks] == [((), "推进财政预决算公开。"), ((), "做好政策解读。")]
    assert list(plan.epilogue[:2]) == notes
    assert not [w for w in caught if issubclass(w.category, zwgk.ReadWarning)]


def test_a_note_under_a_table_that_is_not_the_last_is_said(tmp_path: Path) -> None:
    """The notes under the first of two task tables are not the plan's epilogue (the last table's
    are): each is said in a warning naming the table, and the second table's tasks take no category
    from them."""
    note = "说明：本表由市政府办公室负责解释。"
    def row(*texts: str) -> tuple[Cell, ...]:
        return tuple(Cell(t, column=c) for c, t in enumerate(texts))

    head = row("序号", "工作任务", "责任单位")
    grids = [Grid((head, row("1", "推进财政预决算公开。", "市财政局"), (Cell(note, colspan=3, column=0),)),
                  source="g.docx", table=1),
             Grid((head, row("2", "做好政策解读。", "市政府办公室")), source="g.docx", table=2)]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plan = build_plan(grids)
    assert [t.path for t in plan.tasks] == [(), ()]
    said = [str(w.message) for w in caught if issubclass(w.category, zwgk.ReadWarning)]
    assert len(said) == 1 and "table 1" in said[0] and f"「{note}」" in said[0]


def test_a_row_only_merged_cells_run_through_is_no_second_task() -> None:
    """A row that holds nothing of its own (each cell with text merged down into it from the row
    above) repeats that row: one task, not two with the same text. A row of its own under a merged
    task cell (another deadline) is a task of its own, as before."""
    head = (Cell("工作任务", column=0), Cell("牵头单位", column=1), Cell("完成时限", column=2))
    rows = (head,
            (Cell("推进决策公开", rowspan=2, column=0), Cell("市司法局", rowspan=2, column=1), Cell("6月", column=2)),
            (Cell("12月", column=2),),
            (Cell("推进执行公开", rowspan=3, column=0), Cell("市财政局", rowspan=3, column=1),
             Cell("长期坚持", rowspan=2, column=2)),
            (),
            (Cell("", column=2),))
    plan = build_plan([Grid(rows, source="g")])
    assert [(t.text, t.deadline) for t in plan.tasks] == [
        ("推进决策公开", "6月"), ("推进决策公开", "12月"), ("推进执行公开", "长期坚持")]


@pytest.mark.parametrize("form", ["docx", "html", "text"])
def test_a_note_on_marks_after_the_last_task_paragraph_is_the_documents(tmp_path: Path, form: str) -> None:
    """说明：标*的为牵头单位 after the last task of the paragraph form is the document's note on its
    units (it explains the marks, the plan's epilogue holds it), not that task's 备注."""
    lines = ["2023年某某市政务公开工作任务分工方案", "一、推进决策公开", "1.完善重大行政决策公开制度。",
             "责任单位：市司法局*、市财政局", "2.推进执行公开。", "责任单位：市审计局*、市财政局",
             "说明：标*的为牵头单位。"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plan = zwgk.load(kinds.write_paragraphs(tmp_path, form, lines))
    assert [([u.name for u in t.leads], [u.name for u in t.responsible], t.notes) for t in plan.tasks] == [
        (["市司法局"], ["市财政局"], None), (["市审计局"], ["市财政局"], None)]
    assert plan.epilogue == ("说明：标*的为牵头单位。",)
    assert not [w for w in caught if issubclass(w.category, zwgk.ReadWarning)]


TWO_ROLE_ROWS = [["1", "推进财政预决算公开。", "市财政局/市审计局、市统计局"],
                 ["2", "做好政策解读。", "市政府办公室（市司法局、市委宣传部）"],
                 ["3", "推进一网通办。", "市行政审批服务局"],
                 ["4", "公开审计结果。", "市审计局、市财政局"],
                 ["5", "推进基层政务公开。", "各县（市、区）"],
                 ["6", "办好政务新媒体。", "牵头：市委网信办；配合：市政府办公室"]]
TWO_ROLES_READ = [(["市财政局"], ["市审计局", "市统计局"]), (["市政府办公室"], ["市司法局", "市委宣传部"]),
                  (["市行政审批服务局"], []), (["市审计局"], ["市财政局"]), (["各县（市、区）"], []),
                  (["市委网信办"], ["市政府办公室"])]


@FORMS
@pytest.mark.parametrize("heading", ["牵头单位/配合单位", "牵头单位（配合单位）", "牵头（配合）单位",
                                     "主办单位及协办单位"])
def test_a_column_whose_heading_names_two_roles(tmp_path: Path, form: str, heading: str) -> None:
    """牵头单位/配合单位 in one column: the units before a slash or a bracket of units lead, the others
    cooperate; a cell with nothing between its units names its lead first; a bracket of short names
    (各县（市、区）) is part of the name; a cell naming roles in words keeps what it says."""
    rows = [["序号", "工作任务", heading], *TWO_ROLE_ROWS]
    plan = load_quietly(kinds.write_table(tmp_path, form, "2023年某某市政务公开工作要点任务分解表", rows))
    assert [(names(t.leads), names(t.cooperating)) for t in plan.tasks] == TWO_ROLES_READ
    assert not any(t.responsible for t in plan.tasks)
    assert plan.tasks[1].cooperating[0].as_written == "（市司法局"  # the bracket is written with its units
    note = plan.tasks[0].cooperating[0].note or ""
    assert "after the slash" in note and heading in note


@pytest.mark.parametrize("form", ["docx", "html", "odt"])
def test_a_two_role_column_may_put_the_second_role_on_the_next_lines(tmp_path: Path, form: str) -> None:
    rows: Spec = [["序号", "工作任务", "牵头单位及配合单位"],
                  ["1", "推进财政预决算公开。", C(("市财政局", "市审计局、市统计局"))]]
    plan = load_quietly(kinds.write_table(tmp_path, form, "2023年某某市政务公开工作要点任务分解表", rows))
    assert [(names(t.leads), names(t.cooperating)) for t in plan.tasks] == [(["市财政局"], ["市审计局", "市统计局"])]


@pytest.mark.parametrize(("heading", "roles"), [
    ("牵头单位/配合单位", ("lead", "cooperating")), ("牵头单位、责任单位", ("lead", "responsible")),
    ("责任单位/配合单位", ("responsible", "cooperating")), ("牵头部门（协办部门）", ("lead", "cooperating")),
    ("牵头责任单位", None), ("配合责任单位", None), ("责任单位（排在第一位的为牵头单位）", None),
    ("配合/责任单位", None), ("主办/协办单位", None),
    ("责任单位（带*号的为牵头单位）", None), ("牵头单位", None), ("责任单位/责任人", None),
])
def test_which_headings_name_two_roles(heading: str, roles: tuple[str, str] | None) -> None:
    from zwgk.vocabulary import two_roles

    found = two_roles(heading)
    assert (tuple(r.value for r in found) if found else None) == roles


@FORMS
@pytest.mark.parametrize("heading", ["任务分工", "职责分工", "分工"])
def test_a_column_dividing_the_work_names_its_roles_in_its_cells(tmp_path: Path, form: str, heading: str) -> None:
    """A 任务分工 column: each cell names its roles (牵头单位：X；配合单位：Y, or X牵头，Y配合); units
    named with no role are responsible. Such tables were refused (no unit column)."""
    rows: Spec = [["序号", "重点任务", heading, "时间"],
                  ["1", "做好重大决策预公开工作。", "牵头单位：市发展改革委；配合单位：市财政局", "2023年12月底前"],
                  ["2", "推进政策解读。", "市政府办公室牵头，市司法局、市财政局配合", "2023年6月底前"],
                  ["3", "公开审计结果。", "市审计局", "2023年12月底前"]]
    plan = load_quietly(kinds.write_table(tmp_path, form, "2023年某某市政务公开工作要点任务分解表", rows))
    assert [(names(t.leads), names(t.responsible), names(t.cooperating), t.deadline) for t in plan.tasks] == [
        (["市发展改革委"], [], ["市财政局"], "2023年12月底前"),
        (["市政府办公室"], [], ["市司法局", "市财政局"], "2023年6月底前"),
        ([], ["市审计局"], [], "2023年12月底前")]


def test_implementing_bodies_are_responsible() -> None:
    from zwgk.vocabulary import ColumnRole, classify

    assert [classify(h)[0] for h in ("实施主体", "落实主体", "工作主体")] == [ColumnRole.RESPONSIBLE] * 3


@pytest.mark.parametrize("heading", ["序", "No.", "NO", "№", "#"])
def test_a_serial_heading_of_one_word_names_the_serial_column(heading: str) -> None:
    from zwgk.vocabulary import ColumnRole, classify

    assert classify(heading)[0] is ColumnRole.SERIAL
    rows = (tuple(Cell(t, column=c) for c, t in enumerate((heading, "工作任务", "责任单位"))),
            (Cell("1", column=0), Cell("推进财政预决算公开。", column=1), Cell("市财政局", column=2)))
    plan = build_plan([Grid(rows, source="g")])
    assert [(t.serial, t.path, t.text) for t in plan.tasks] == [("1", (), "推进财政预决算公开。")]


@pytest.mark.parametrize("heading", ["Notes", "No. of units", "序言"])
def test_a_longer_heading_holding_those_words_is_no_serial(heading: str) -> None:
    from zwgk.vocabulary import ColumnRole, classify

    assert classify(heading)[0] is not ColumnRole.SERIAL


@FORMS
def test_an_unnumbered_heading_in_the_task_column_of_a_numbered_table(tmp_path: Path, form: str) -> None:
    """A row holding only a short text in the task column, no serial, in a table that numbers every
    row naming units, is a heading (as Excel and WPS tables write one); a sentence there, or a row
    the units above are merged down into, stays a task; so does such a row where some task is not
    numbered."""
    rows: Spec = [["序号", "工作任务", "责任单位"],
                  ["", "推进决策公开", ""],
                  ["1", "完善重大行政决策公开制度。", "市司法局"],
                  ["2", "推进政策解读。", "市政府办公室"],
                  ["", "做好年度报告工作。", ""],
                  ["", "推进执行公开", ""],
                  ["3", "公开审计结果。", "市审计局"]]
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        plan = zwgk.load(kinds.write_table(tmp_path, form, "2023年某某市政务公开工作要点任务分解表", rows))
    assert [(t.path, t.text) for t in plan.tasks] == [
        (("推进决策公开",), "完善重大行政决策公开制度。"), (("推进决策公开",), "推进政策解读。"),
        (("推进决策公开",), "做好年度报告工作。"), (("推进执行公开",), "公开审计结果。")]
    rows[3][0] = ""  # a task naming units with no serial: the table does not number its tasks
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        plan = zwgk.load(kinds.write_table(tmp_path, form, "2023年某某市政务公开工作要点任务分解表", rows))
    assert [t.text for t in plan.tasks][:2] == ["推进决策公开", "完善重大行政决策公开制度。"]


@FORMS
@pytest.mark.parametrize("across", [True, False], ids=["heading-across", "two-in-the-column"])
def test_unnumbered_headings_in_the_task_column_of_a_table_numbering_none(
        tmp_path: Path, form: str, across: bool) -> None:
    """In a table that numbers no row, a row holding only a short text in the task column is a
    heading where every other row names units and the table writes another heading across its
    columns, or holds two such rows."""
    first: list[str | C] = [C("推进决策公开", colspan=4)] if across else ["推进决策公开", "", "", ""]
    rows: Spec = [["工作任务", "牵头单位", "配合单位", "完成时限"], first,
                  ["完善重大行政决策公开制度。", "市司法局", "市政府办公室", "2023年12月底前"],
                  ["推进政策解读。", "市政府办公室", "", "2023年6月底前"],
                  ["推进执行公开", "", "", ""],
                  ["公开审计结果。", "市审计局", "", "2023年12月底前"]]
    plan = load_quietly(kinds.write_table(tmp_path, form, "2023年某某市政务公开工作要点任务分解表", rows))
    assert [(t.path, t.text) for t in plan.tasks] == [
        (("推进决策公开",), "完善重大行政决策公开制度。"), (("推进决策公开",), "推进政策解读。"),
        (("推进执行公开",), "公开审计结果。")]


@FORMS
@pytest.mark.parametrize("case", ["alone", "a-task-without-units", "a-sentence"])
def test_an_unnumbered_short_row_that_may_be_a_task_lacking_its_unit_stays_a_task(
        tmp_path: Path, form: str, case: str) -> None:
    """In a table numbering none, one short row naming nothing, with no other heading, may be a task
    that lacks its unit (what an audit looks for): it stays a task. So do such rows where another
    task names no unit, and a sentence."""
    rows: Spec = [["工作任务", "牵头单位", "完成时限"],
                  ["完善重大行政决策公开制度。", "市司法局", "2023年12月底前"],
                  ["推进政务公开标准化", "", ""],
                  ["推进政策解读。", "市政府办公室", "2023年6月底前"]]
    if case != "alone":
        rows.append(["推进执行公开。" if case == "a-sentence" else "推进执行公开", "", ""])
        rows.append(["公开审计结果。", "" if case == "a-task-without-units" else "市审计局", "2023年12月底前"])
    plan = load_quietly(kinds.write_table(tmp_path, form, "2023年某某市政务公开工作要点任务分解表", rows))
    assert all(t.path == () for t in plan.tasks)
    assert "推进政务公开标准化" in [t.text for t in plan.tasks]


def test_an_unnumbered_row_under_units_merged_down_stays_a_task() -> None:
    def row(*texts: str) -> tuple[Cell, ...]:
        return tuple(Cell(t, column=c) for c, t in enumerate(texts))

    rows = (row("序号", "工作任务", "责任单位"), row("1", "推进财政预决算公开。", "市财政局"),
            (Cell("2", column=0), Cell("推进政策解读。", column=1), Cell("市政府办公室", rowspan=2, column=2)),
            (Cell("", column=0), Cell("做好年度报告", column=1)),
            row("3", "公开审计结果。", "市审计局"))
    plan = build_plan([Grid(rows, source="g")])
    assert [(t.path, t.text, names(t.responsible)) for t in plan.tasks][2] == ((), "做好年度报告", ["市政府办公室"])
