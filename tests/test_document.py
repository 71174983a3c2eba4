"""The Document hand-over: every reader gives its tables and paragraphs, and the core decides the rest.

The rules these tests hold, the same for every format (they differed by reader before):

- ``table=`` must be a whole number from 1 up (``table=True`` is refused, never read as table 1);
  ``layout=`` is ``"table"`` or ``"list"``; ``table=`` with ``layout="list"`` is refused. All three
  are checked before the file is read, with the same :class:`~zwgk.errors.ParseError`.
- ``table=N`` past the last table says how many the file holds, in one wording.
- An option neither the core nor the reader takes is a ParseError naming it (the PDF reader's
  limits are explicit keyword arguments, no longer ``**options`` that swallow a misspelling).
- The title is chosen by the core among the lines above the table, not by the reader.
"""

from __future__ import annotations

import base64
import importlib.util
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import zwgk
from zwgk.errors import ParseError
from zwgk.model import Plan
from zwgk.readers import Document, Source
from zwgk.table import Cell, Grid
from zwgk.table.document import grids_of
from zwgk.testing import registered

TITLE = "2020年某某市政务公开重点工作任务分解表"
HTML = ("<html><head><meta charset='utf-8'></head><body><p>附件</p><p>" + TITLE + "</p><table>"
        "<tr><th>序号</th><th>具体任务</th><th>牵头单位</th></tr>"
        "<tr><td>1</td><td>公开预算。</td><td>市财政局</td></tr></table></body></html>")


def _text(path: Path, sample: Plan) -> None:
    path.write_bytes(zwgk.export(sample, "text") or b"")


def _docx(path: Path, sample: Plan) -> None:
    zwgk.export(sample, "docx", path)


def _xlsx(path: Path, sample: Plan) -> None:
    zwgk.export(sample, "xlsx", path)


def _json(path: Path, sample: Plan) -> None:
    zwgk.export(sample, "json", path)


def _html(path: Path, sample: Plan) -> None:
    path.write_text(HTML, encoding="utf-8")


def _mht(path: Path, sample: Plan) -> None:
    part = base64.encodebytes(HTML.encode("utf-8")).decode("ascii")
    path.write_bytes(("MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"x\"\r\n\r\n--x\r\n"
                      "Content-Type: text/html; charset=\"utf-8\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                      f"{part}\r\n--x--\r\n").encode("ascii"))


def _odt(path: Path, sample: Plan) -> None:
    from tests.test_read_odt import merged_body, write_odt

    write_odt(path, merged_body())


def _pdf(path: Path, sample: Plan) -> None:
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


MAKERS: dict[str, Callable[[Path, Plan], None]] = {
    "txt": _text, "docx": _docx, "html": _html, "mht": _mht, "odt": _odt, "json": _json, "pdf": _pdf, "xlsx": _xlsx,
}


@pytest.fixture(params=sorted(MAKERS))
def any_file(request: pytest.FixtureRequest, tmp_path: Path, sample: Plan) -> Path:
    path = tmp_path / f"f.{request.param}"
    MAKERS[request.param](path, sample)
    return path


def _message(e: pytest.ExceptionInfo[ParseError], path: Path) -> str:
    return str(e.value).replace(str(path), "FILE")


def test_table_true_is_the_same_error_for_every_format(any_file: Path) -> None:
    with pytest.raises(ParseError) as e:
        zwgk.load(any_file, table=True)  # type: ignore[arg-type]
    assert _message(e, any_file) == "FILE: table must be a number from 1 up, not True"


@pytest.mark.parametrize(("options", "said"), [
    ({"table": 0}, "table must be a number from 1 up, not 0"),
    ({"layout": "grid"}, "layout must be 'table' or 'list', not 'grid'"),
    ({"table": 1, "layout": "list"}, "table= reads a table; layout='list' reads the paragraphs instead: give one"),
])
def test_table_and_layout_are_checked_once_for_every_format(any_file: Path, options: dict[str, object],
                                                            said: str) -> None:
    with pytest.raises(ParseError) as e:
        zwgk.load(any_file, **options)  # type: ignore[arg-type]
    assert _message(e, any_file) == f"FILE: {said}"


def test_an_unknown_option_is_named_for_every_format(any_file: Path) -> None:
    with pytest.raises(ParseError, match=r"has no option bogus; its options: table, layout"):
        zwgk.load(any_file, bogus=1)


def test_a_misspelt_pdf_limit_is_named(tmp_path: Path) -> None:
    path = tmp_path / "x.pdf"
    _pdf(path, zwgk.load_sample())
    with pytest.raises(ParseError, match=r"reader 'pdf' has no option max_page; its options: table, layout, "
                                         r"limits, max_pages, max_inflated_bytes, max_page_objects, "
                                         r"max_seconds, settings"):
        zwgk.load(path, max_page=3)


@pytest.mark.parametrize("suffix", ["txt", "docx", "html", "mht", "odt", "xlsx"])
def test_a_table_past_the_last_is_worded_once(tmp_path: Path, sample: Plan, suffix: str) -> None:
    path = tmp_path / f"f.{suffix}"
    MAKERS[suffix](path, sample)
    noun = "sheet" if suffix == "xlsx" else "table"
    with pytest.raises(ParseError, match=rf"this \w+ has (one|\d) {noun}s?; there is no table 9$"):
        zwgk.load(path, table=9)


def test_a_plan_file_takes_no_table_option(tmp_path: Path, sample: Plan) -> None:
    path = tmp_path / "p.json"
    _json(path, sample)
    with pytest.raises(ParseError, match="finished plan"):
        zwgk.load(path, table=1)
    assert zwgk.load(path) == sample


def test_load_reads_the_head_once_and_hands_the_reader_its_source(tmp_path: Path, sample: Plan) -> None:
    path = tmp_path / "t.txt"
    _text(path, sample)
    seen: list[Source] = []

    class Spy:
        @zwgk.hookimpl
        def register_readers(self, register: Callable[[zwgk.readers.Reader], None]) -> None:
            from zwgk.readers.text import read_text

            def read(source: Source) -> Document:
                seen.append(source)
                return read_text(source)

            register(zwgk.readers.Reader("spy", (".spy",), read))

    with registered(Spy(), name="spy-test"):
        plan = zwgk.load(path, format="spy")
    (source,) = seen
    assert source.name == str(path) and source.head == path.read_bytes()[:8192]
    assert plan == zwgk.load(path)


def test_the_title_is_chosen_by_the_core() -> None:
    grid = Grid(((Cell("序号"), Cell("具体任务"), Cell("牵头单位")), (Cell("1"), Cell("公开预算。"), Cell("市财政局"))),
                preamble=("附件1", TITLE))
    doc = Document((grid,))
    plan = zwgk.table.build_plan(grids_of(doc), zwgk.unit_registry())
    assert plan.title == TITLE and plan.metadata.year == 2020


def test_a_document_of_paragraphs_is_read_when_no_table_is_a_task_table() -> None:
    paragraphs = [(text, zwgk.Position(line=i)) for i, text in enumerate(
        ["关于印发工作要点的通知", "一、公开财政信息", "1.公开预算。", "牵头单位：市财政局"], 1)]
    contacts = Grid(((Cell("姓名"), Cell("电话")), (Cell("张三"), Cell("1"))))
    (grid,) = grids_of(Document((contacts,), paragraphs))
    assert grid.table is None  # the paragraphs' grid
    assert grids_of(Document((contacts,), paragraphs), layout="table") == [contacts]
    with pytest.raises(ParseError, match="no task paragraphs found"):
        grids_of(Document((contacts,), ()), layout="list")
    called: list[int] = []

    def lazy() -> list[tuple[str, zwgk.Position]]:
        called.append(1)
        return []

    task = Grid(((Cell("具体任务"), Cell("牵头单位")), (Cell("公开预算。"), Cell("市财政局"))))
    assert grids_of(Document((task,), lazy)) == [task] and not called  # paragraphs not collected


def _template_reader(tmp_path: Path) -> Iterator[object]:
    from zwgk.cli.plugin import new_plugin

    directory = new_plugin("tsvgen", "reader", tmp_path / "plugin")
    (init,) = directory.glob("src/*/__init__.py")
    spec = importlib.util.spec_from_file_location("zwgk_tsvgen_under_test", init)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[spec.name]


@pytest.fixture
def template_reader(tmp_path: Path) -> Iterator[object]:
    yield from _template_reader(tmp_path)


def test_a_generated_reader_supports_table_and_layout_with_no_code_of_its_own(template_reader: object,
                                                                               tmp_path: Path) -> None:
    path = tmp_path / "t.tsvgen"
    path.write_text("序号\t具体任务\t牵头单位\n1\t公开预算。\t市财政局\n", encoding="utf-8")
    with registered(template_reader, name="tsvgen-test"):
        plan = zwgk.load(path)
        assert [t.text for t in plan.tasks] == ["公开预算。"]
        assert zwgk.load(path, table=1) == plan == zwgk.load(path, layout="table")
        with pytest.raises(ParseError, match="this document has one table; there is no table 2"):
            zwgk.load(path, table=2)
        with pytest.raises(ParseError, match="no task paragraphs found"):
            zwgk.load(path, layout="list")
        with pytest.raises(ParseError, match="table must be a number from 1 up"):
            zwgk.load(path, table=True)  # type: ignore[arg-type]


def test_the_cli_table_option_reaches_a_generated_reader(template_reader: object, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    from zwgk.cli import main

    path = tmp_path / "t.tsvgen"
    path.write_text("序号\t具体任务\t牵头单位\n1\t公开预算。\t市财政局\n", encoding="utf-8")
    with registered(template_reader, name="tsvgen-test"):
        assert main(["parse", str(path), "--table", "1", "--layout", "table"]) == 0
        assert "公开预算。" in capsys.readouterr().out
        assert main(["parse", str(path), "--table", "2"]) != 0
    assert "there is no table 2" in capsys.readouterr().err
