"""Nothing read is lost: every cell's text ends in the plan, or a ReadWarning names where it was.

The check runs inside the builder (:mod:`zwgk.table.ledger`); these tests make it fail by taking a
column's text out of the builder's output, and show it holds on generated documents of every kind,
in every reader, and on the real documents of the development corpus.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

import zwgk
from tests.fixtures import kinds
from tests.strategies import IntroDocument, SpannedTable, examples, intro_paragraph_docs, spanned_tables
from zwgk.model import Task

build_module = importlib.import_module("zwgk.table.build")  # the module (zwgk.table.build is also a function)

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
if not CORPUS.is_dir():
    CORPUS = Path("/work/shared/corpus")


def read_warnings(path: Path, **options: object) -> list[str]:
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        zwgk.load(path, **options)
    return [str(w.message) for w in seen if issubclass(w.category, zwgk.ReadWarning)]


Drop = Callable[[dict[str, Any]], dict[str, Any]]
DROPS: dict[str, tuple[Drop, str]] = {
    "requirement": (lambda kw: {**kw, "requirement": None}, "read as the task's requirement"),
    "serial": (lambda kw: {**kw, "serial": None}, "read as the task's serial"),
    "text": (lambda kw: {**kw, "text": kw["text"][:-2]}, "read as the task's text"),
    "responsible": (lambda kw: {**kw, "responsible": kw["responsible"][:-1]}, "read as units"),
    "path": (lambda kw: {**kw, "path": ()}, "read as a category"),
}


@pytest.mark.parametrize("form", sorted(kinds.TABLE_FORMS))
@pytest.mark.parametrize("drop", sorted(DROPS))
def test_a_column_taken_out_of_the_builders_output_is_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, form: str, drop: str
) -> None:
    path = kinds.write_table(tmp_path, form, kinds.CATEGORY_TITLE, kinds.CATEGORY_ROWS)
    assert read_warnings(path) == []
    change, said = DROPS[drop]

    def losing_task(**kw: Any) -> Task:
        return Task(**change(kw))

    monkeypatch.setattr(build_module, "Task", losing_task)
    found = read_warnings(path)
    assert found, "the invariant did not notice"
    assert all(said in w and "the plan does not hold all of this cell" in w for w in found), found
    assert any(", row 2, " in w or ", row 3, " in w for w in found)


def test_a_shifted_column_cannot_balance_a_dropped_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The requirement moved into the text and the text dropped: as many characters, in the wrong cells.
    path = kinds.write_table(tmp_path, "docx", kinds.CATEGORY_TITLE, kinds.CATEGORY_ROWS)

    def shifted(**kw: Any) -> Task:
        return Task(**{**kw, "text": kw["requirement"] or "", "requirement": kw["text"] + "。"})

    monkeypatch.setattr(build_module, "Task", shifted)
    found = read_warnings(path)
    assert len(found) == 2 * 4  # each task's text and requirement cell


def test_a_row_with_only_a_serial_is_said(tmp_path: Path) -> None:
    rows = [["序号", "工作任务", "责任单位"], ["1", "推进决策公开。", "区司法局"], ["2", "", ""]]
    path = kinds.write_table(tmp_path, "html", kinds.NO_METADATA_TITLE, rows)
    (said,) = read_warnings(path)
    assert "row 3, column 1" in said and "「2」" in said and "no task" in said


@settings(max_examples=examples(80), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(table=spanned_tables())
@pytest.mark.parametrize("form", sorted(kinds.TABLE_FORMS))
def test_generated_spanned_tables_read_right_and_lose_nothing(
    tmp_path_factory: pytest.TempPathFactory, form: str, table: SpannedTable
) -> None:
    tmp = tmp_path_factory.mktemp("spanned")
    path = kinds.write_table(tmp, form, table.title, table.rows)  # type: ignore[arg-type]
    with warnings.catch_warnings():
        warnings.simplefilter("error", zwgk.ReadWarning)
        plan = zwgk.load(path)
    assert [t.path for t in plan.tasks] == table.paths
    assert [t.serial for t in plan.tasks] == table.serials
    assert [t.text for t in plan.tasks] == table.texts
    assert [t.requirement for t in plan.tasks] == table.requirements
    got_leads = [[u.name for u in (*t.leads, *t.responsible)] for t in plan.tasks]
    assert got_leads == table.leads
    assert [[u.name for u in t.cooperating] for t in plan.tasks] == table.cooperating


CORPUS_FILES = sorted(p for p in CORPUS.glob("*/*") if p.suffix in (".html", ".docx", ".odt", ".xlsx")
                      and not p.name.endswith("pdf")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not CORPUS_FILES, reason="the development corpus is not on this machine")
@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_every_corpus_file_loses_nothing(path: Path) -> None:
    assert read_warnings(path) == []


LEGACY = sorted(p for p in CORPUS.glob("*/*") if p.suffix in (".doc", ".xls")) if CORPUS.is_dir() else []


@pytest.mark.slow
@pytest.mark.skipif(not LEGACY, reason="the development corpus is not on this machine")
@pytest.mark.parametrize("path", LEGACY, ids=lambda p: p.name)
def test_every_converted_corpus_file_loses_nothing(path: Path) -> None:
    try:
        assert read_warnings(path) == []
    except zwgk.ZwgkError as e:  # a .doc whose table LibreOffice itself cannot read back
        assert "no table found" in str(e) and path.suffix == ".doc"
        assert "LibreOffice did not read it" in str(e) and "save it as .docx from Word or WPS" in str(e)


def test_the_ledger_counts_per_cell() -> None:
    from zwgk.errors import Position
    from zwgk.table.ledger import Ledger

    ledger = Ledger()
    where = Position("f", 1, 2, 1)
    ledger.field(where, "甲乙", 0, "text")
    ledger.field(attrs.evolve(where, column=2), "甲乙", 0, "requirement")
    task = Task(id="t", path=(), text="甲乙", requirement="甲乙")
    assert ledger.unaccounted([task], ()) == []
    # The same characters in the other field do not stand in for a dropped one.
    (missing,) = ledger.unaccounted([attrs.evolve(task, requirement=None)], ())
    assert missing.where.column == 2 and missing.lost == "甲乙"


@settings(max_examples=examples(80), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(doc=intro_paragraph_docs())
@pytest.mark.parametrize("form", ["docx", "html", "text"])
def test_generated_paragraph_headings_with_intros_read_right(
    tmp_path_factory: pytest.TempPathFactory, form: str, doc: IntroDocument
) -> None:
    path = kinds.write_paragraphs(tmp_path_factory.mktemp("intro"), form, doc.lines)
    with warnings.catch_warnings():
        warnings.simplefilter("error", zwgk.ReadWarning)
        plan = zwgk.load(path)
    assert [t.path for t in plan.tasks] == doc.paths
    assert [t.text for t in plan.tasks] == doc.texts
    prose = (*plan.preamble, *plan.epilogue)
    assert all(intro in prose for intro in doc.intros)
    assert {n.path: n.text for n in plan.category_notes} == doc.notes


paragraphs_module = importlib.import_module("zwgk.table.paragraphs")


@pytest.mark.parametrize("form", ["docx", "html", "text"])
def test_the_paragraph_step_is_checked_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, form: str) -> None:
    """Task paragraphs become a grid before the builder sees a cell: text the paragraph step drops
    from a title is said, naming the paragraph's line; the labels are its form, not lost text."""
    path = kinds.write_paragraphs(tmp_path, form, kinds.INTRO_PARAGRAPHS)
    assert read_warnings(path) == []
    real = paragraphs_module._title_and_requirement

    def drop_two(lines: list[str]) -> tuple[str, str | None]:
        title, requirement = real(lines)
        return title.rstrip("。")[:-2], requirement

    monkeypatch.setattr(paragraphs_module, "_title_and_requirement", drop_two)
    said = read_warnings(path)
    assert len(said) == 3 and all("this paragraph" in w for w in said)
    assert any("line " in w and "1.推进财政信息公开" in w and "missing: 「公开」" in w for w in said)


def test_a_heading_note_of_a_category_no_task_is_in_is_said() -> None:
    from zwgk.model import CategoryNote
    from zwgk.table.build import build
    from zwgk.table.grid import Cell, Grid

    grid = Grid(((Cell("工作任务"), Cell("牵头单位")), (Cell("推进决策公开。"), Cell("市财政局"))),
                category_notes=(CategoryNote(("一、其他",), "做好以下工作："),))
    built = build([grid])
    assert built.plan.category_notes == ()
    (warning,) = built.warnings
    assert "做好以下工作：" in str(warning) and "一、其他" in str(warning)


def test_a_heading_rows_note_taken_out_of_the_plan_is_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A heading row split into its name and its introductory sentence: both are checked against the plan.
    from tests.test_kinds import HEADING_INTRO_ROWS, HEADING_INTRO_TITLE

    path = kinds.write_table(tmp_path, "html", HEADING_INTRO_TITLE, HEADING_INTRO_ROWS)
    assert read_warnings(path) == []
    real = build_module._category_notes

    def losing_notes(*args: Any) -> Any:
        kept, said, said_texts = real(*args)
        return kept[1:], said, said_texts  # the first note neither held nor said

    monkeypatch.setattr(build_module, "_category_notes", losing_notes)
    found = read_warnings(path)
    assert len(found) == 1, found
    assert "read as a category and its note" in found[0] and "missing: 「围绕群众关切" in found[0]
    assert ", row 3, column 1" in found[0]
