"""Every exporter writes every field a plan holds, or refuses the plan with an ExportError.

Plans are generated as readers produce them and given what a table alone does not show: notes on
categories (some of a category no task is in), an epilogue, metadata the title does not give (a
region and level given to ``zwgk.load``) and units whose resolution carries a note. Each registered
exporter is checked by what its format allows: the formats zwgk reads back (JSON, the text form,
DOCX, xlsx, and the paragraph forms of text and DOCX) read back to an equal plan; the CSV holds
every text of each task in that task's row and the plan's own texts in the first row; the HTML
report's data holds every text; the Markdown shows every text written in the document (its ids,
canonical names and resolution notes are derived by reading, and it has no reader).
"""

from __future__ import annotations

import ast
import csv
import io
import json
import re
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import zwgk
from tests.strategies import INTRO_SENTENCES, cell_texts, examples, reader_plans, regional_plans
from zwgk.errors import ExportError
from zwgk.exporters._fields import plan_texts
from zwgk.exporters.markdown import escape_inline
from zwgk.model import CategoryNote, Metadata, Plan, Role, Task

EPILOGUES = ((), ("抄送：市政府办公室。",), ("附件：联系人名单", "2021年3月1日"))


@st.composite
def rich_plans(draw: st.DrawFn) -> Plan:
    """A plan as a reader produces it, with category notes, an epilogue and metadata beyond the table."""
    plan = draw(st.one_of(reader_plans(), regional_plans()))
    categories = plan.categories()
    noted = draw(st.lists(st.sampled_from(categories), unique=True, max_size=3)) if categories else []
    note_text = st.one_of(st.sampled_from([s for s in INTRO_SENTENCES if s]), cell_texts(multiline=False))
    notes = [CategoryNote(path, draw(note_text)) for path in categories if path in noted]
    if draw(st.integers(0, 5)) == 0:  # a note of a category no task is in: no table row carries it
        notes.append(CategoryNote(("没有任务的类别",), draw(note_text)))
    metadata = plan.metadata
    if draw(st.integers(0, 3)) == 0:  # a region given to zwgk.load, which the title does not name
        metadata = Metadata("某某县", metadata.year, None, "县")
    return attrs.evolve(plan, category_notes=tuple(notes), epilogue=draw(st.sampled_from(EPILOGUES)),
                        metadata=metadata)


def _export(plan: Plan, name: str, **options: object) -> bytes | None:
    """The exported bytes, or ``None`` when the exporter refused the plan."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a replaced character would be a silent change
            data = zwgk.export(plan, name, **options)
    except ExportError:
        return None
    assert data is not None
    return data


def _reads_back(plan: Plan, name: str, folder: Path, **options: object) -> None:
    data = _export(plan, name, **options)
    if data is None:
        return
    path = folder / f"plan{zwgk.get_exporters()[name].suffixes[0]}"
    path.write_bytes(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # what a reader says of the file is not the exporter's business
        back = zwgk.load(path)
    assert back.tasks == plan.tasks, (name, options)
    assert back == plan, (name, options)


#: What the formats without a reader may leave to be derived again by reading: a task's id, a unit's
#: canonical name and the note on its resolution (Markdown writes units as written).
DERIVED = re.compile(r"^(id|.* name|.* note)$")


def _expected(plan: Plan, *, derived: bool) -> Iterator[tuple[Task | None, str, str]]:
    for task, field, text in plan_texts(plan):
        if derived or not DERIVED.match(field) or field.startswith("the note of category"):
            yield task, field, text


def _csv_column(field: str) -> str:
    """The CSV column that holds a task's field, as :func:`~zwgk.exporters._fields.plan_texts` names it."""
    for role in Role:
        for suffix, column in ((" as written", f"{role.value}_as_written"), (" name", role.value),
                               (" note", "unit_notes")):
            if field == role.label + suffix:
                return column
    level = re.fullmatch(r"category level (\d+)", field)
    if level:
        return f"level{level.group(1)}"
    extra = re.fullmatch(r"extra column (?:heading )?(.*)", field, re.S)  # the heading as its repr
    return f"extra:{ast.literal_eval(extra.group(1))}" if extra else field


def missing_in_rows(plan: Plan, data: bytes) -> list[str]:
    """The plan's texts (task, field) that the CSV ``data`` does not hold where it belongs: a task's
    texts in that task's row under the field's column (an extra column's heading in the header),
    the category notes in every row of their category, the plan's own fields in the first row."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    header, body = rows[0], rows[1:]
    by_id = {row[header.index("id")]: dict(zip(header, row, strict=True)) for row in body}
    first = dict(zip(header, body[0], strict=True)) if body else {}
    missing = []
    for task, field, text in _expected(plan, derived=True):
        if task is not None:
            column = _csv_column(field)
            if field.startswith("extra column heading"):
                if column not in header:
                    missing.append(f"{task.id} {field}")
            elif text not in by_id[task.id].get(column, ""):
                missing.append(f"{task.id} {field}")
        elif field.startswith("the note of category"):
            note = next(n for n in plan.category_notes if n.text == text)
            cells = [by_id[t.id].get(f"level{len(note.path)}_note") for t in plan.tasks
                     if t.path[: len(note.path)] == note.path]
            if not cells or any(c != text for c in cells):
                missing.append(field)
        else:
            part = field.split()[0]
            column = {"metadata": field.split()[-1]}.get(part, part)
            if text not in first.get(column, ""):
                missing.append(f"plan {field}")
    for name in ("year", "level"):
        value = getattr(plan.metadata, name)
        if value is not None and first.get(name) != str(value):
            missing.append(f"metadata {name}")
    return missing


def _csv_keeps(plan: Plan, _: Path) -> None:
    data = _export(plan, "csv")
    if data is not None:
        assert missing_in_rows(plan, data) == []


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _html_keeps(plan: Plan, _: Path) -> None:
    data = _export(plan, "html", findings=False)
    if data is None:
        return
    page = data.decode("utf-8")
    m = re.search(r'<script type="application/json" id="zwgk-data">(.*?)</script>', page, re.S)
    assert m is not None
    page_data = json.loads(m.group(1))
    tasks = {t["id"]: "\x00".join(_strings(t)) for t in page_data["tasks"]}
    whole = "\x00".join(_strings({k: v for k, v in page_data.items() if k != "tasks"}))
    for task, field, text in _expected(plan, derived=True):
        assert text in (tasks[task.id] if task is not None else whole), (task and task.id, field)
    for name in ("region", "year", "level", "issuer"):
        assert page_data["metadata"][name] == getattr(plan.metadata, name)


def _markdown_keeps(plan: Plan, _: Path) -> None:
    data = _export(plan, "markdown")
    if data is None:
        return
    document = data.decode("utf-8")
    for task, field, text in _expected(plan, derived=False):
        shown = {escape_inline(text), escape_inline(text, line_break=" ")}
        assert any(s in document for s in shown), (task and task.id, field, text)
    given = [str(getattr(plan.metadata, n)) for n in ("region", "year", "level", "issuer")
             if getattr(plan.metadata, n) != getattr(Metadata.from_title(plan.title), n)]
    assert all(v in document for v in given), given


def _read_back(**options: object) -> Callable[[str], Callable[[Plan, Path], None]]:
    return lambda name: lambda plan, folder: _reads_back(plan, name, folder, **options)


#: How each exporter is checked; an exporter this test does not know fails it (add it here).
CHECKS: dict[str, list[Callable[[Plan, Path], None]]] = {
    "json": [_read_back()("json")],
    "text": [_read_back()("text"), _read_back(form="list")("text")],
    "docx": [_read_back()("docx"), _read_back(form="list")("docx")],
    "xlsx": [_read_back()("xlsx")],
    "csv": [_csv_keeps],
    "html": [_html_keeps],
    "markdown": [_markdown_keeps],
}


def test_every_registered_exporter_is_checked() -> None:
    assert set(zwgk.get_exporters()) <= set(CHECKS)


@settings(max_examples=examples(150), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(rich_plans())
def test_each_exporter_keeps_every_field_or_refuses(tmp_path_factory: pytest.TempPathFactory, plan: Plan) -> None:
    folder = tmp_path_factory.mktemp("fields")
    for name in zwgk.get_exporters():
        for check in CHECKS[name]:
            check(plan, folder)


def _noted_sample() -> Plan:
    sample = zwgk.load_sample()
    first = sample.tasks[0].path
    return attrs.evolve(sample, category_notes=(CategoryNote(first[:1], "围绕群众关切，做好以下工作："),),
                        epilogue=("抄送：市政府办公室。",))


def test_csv_writes_each_category_note_on_the_rows_of_its_category() -> None:
    plan = _noted_sample()
    data = zwgk.export(plan, "csv")
    assert data is not None
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    top = plan.category_notes[0].path
    for task, row in zip(plan.tasks, rows, strict=True):
        assert row["level1_note"] == ("围绕群众关切，做好以下工作：" if task.path[:1] == top else "")
    assert "level2_note" not in rows[0]
    assert rows[0]["title"] == plan.title and rows[0]["epilogue"] == "抄送：市政府办公室。"
    assert rows[0]["preamble"] == "\n".join(plan.preamble) and rows[1]["preamble"] == ""
    assert (rows[0]["region"], rows[0]["year"], rows[0]["level"]) == ("泰安市", "2020", "市")
    assert missing_in_rows(plan, data) == []


def test_the_csv_check_finds_a_dropped_column() -> None:
    plan = _noted_sample()
    data = zwgk.export(plan, "csv")
    assert data is not None
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    for drop in ("level1_note", "epilogue", "text", "lead_as_written", "title"):
        at = rows[0].index(drop)
        out = io.StringIO(newline="")
        csv.writer(out).writerows([r[:at] + r[at + 1:] for r in rows])
        assert missing_in_rows(plan, out.getvalue().encode("utf-8")) != [], drop


def test_csv_refuses_what_no_row_can_carry() -> None:
    plan = _noted_sample()
    orphan = attrs.evolve(plan, category_notes=(CategoryNote(("没有任务的类别",), "说明。"),))
    with pytest.raises(ExportError, match=r"没有任务的类别.*no task"):
        zwgk.export(orphan, "csv")
    with pytest.raises(ExportError, match=r"holds no task.*title"):
        zwgk.export(attrs.evolve(plan, tasks=(), category_notes=()), "csv")
    with pytest.raises(ExportError, match=r"epilogue line 1.*line break"):
        zwgk.export(attrs.evolve(plan, epilogue=("抄送：\n市政府办公室",)), "csv")


@pytest.mark.parametrize("fmt", ["text", "docx", "xlsx"])
def test_metadata_the_title_does_not_give_is_refused_by_the_document_forms(fmt: str) -> None:
    if fmt not in zwgk.get_exporters():
        pytest.skip("the xlsx plugin is not installed")
    sample = zwgk.load_sample()
    given = attrs.evolve(sample, metadata=Metadata("某某县", 2020, None, "县"))
    with pytest.raises(ExportError, match="metadata: region 某某县, level 县 is not what its title gives"):
        zwgk.export(given, fmt)


def test_markdown_writes_the_metadata_the_title_does_not_give() -> None:
    sample = zwgk.load_sample()
    text = (zwgk.export(attrs.evolve(sample, metadata=Metadata("某某县", 2020, None, "县")), "markdown") or b"")
    assert "地区：某某县；层级：县" in text.decode("utf-8")
    assert "地区：" not in (zwgk.export(sample, "markdown") or b"").decode("utf-8")
