"""The native .doc reader (Word 97–2003 binary documents): tables, merges, fields, nested tables,
stepping aside for what it does not understand, hostile bytes.

The fast tests write .doc files with :mod:`tests.fixtures.docgen` and compare the reader with the
DOCX reader given the same document as .docx, and read the small committed .doc files LibreOffice
wrote (``tests/fixtures/doc``). The slow tests export generated plans and hand-built layouts as
.docx, convert them all to .doc in one LibreOffice call and compare the native read with the DOCX
read.
"""

from __future__ import annotations

import os
import random
import shutil
import stat
import struct
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import zwgk
from tests.bounded import load_bounded
from tests.fixtures.docgen import DocTable, cell, doc_bytes, docx_of, write_doc
from tests.strategies import cell_texts, examples, realistic_plans, unit_names
from zwgk.errors import ParseError, UnsupportedFormatError, ZwgkError
from zwgk.model import Plan
from zwgk.readers import Document, Grid
from zwgk.readers.doc import NotUnderstood, read_doc
from zwgk.readers.docx import read_docx

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
FIXTURES = Path(__file__).parent / "fixtures" / "doc"
TITLE = "2020年某某市政务公开工作任务分解表"
HEADER = (cell("序号"), cell("工作任务"), cell("牵头单位"), cell("责任单位"))


def grid_key(g: Grid) -> tuple[object, ...]:
    return (g.table, g.preamble, g.epilogue, g.header_rows,
            tuple(tuple((c.text, c.rowspan, c.colspan, c.column) for c in row) for row in g.rows))


def document_key(d: Document) -> tuple[object, ...]:
    return (tuple(grid_key(g) for g in d.tables), d.count, tuple(t for t, _ in d.body()),
            tuple(grid_key(g) for g in d.inner_tables()))


def plan_key(plan: Plan) -> tuple[object, ...]:
    return (plan.title, tuple((t.path, t.text, tuple(u.name for u in t.leads),
                               tuple(u.name for u in t.responsible), tuple(u.name for u in t.cooperating))
                              for t in plan.tasks))


def merged_categories() -> DocTable:
    return DocTable((
        (cell("类别"), *HEADER[1:]),
        (cell("一、公开重点", restart=True), cell("1.推进财政预算公开。"), cell("市财政局"), cell("各县（市、区）")),
        (cell(cont=True), cell("2.做好政策解读。"), cell("市政府办公室"), cell("市直各部门")),
        (cell("二、平台建设", restart=True), cell("3.加强政府网站管理。"), cell("市大数据局"), cell("市委网信办")),
        (cell(cont=True), cell("4.办好政务新媒体。"), cell("市政府办公室"), cell("各县（市、区）")),
    ), header_rows=1)


def two_line_header() -> DocTable:
    return DocTable((
        (cell("序号", restart=True), cell("工作任务", restart=True), cell("责任分工", span=2)),
        (cell(cont=True), cell(cont=True), cell("牵头单位"), cell("责任单位")),
        (cell("1"), cell("推进决策公开。"), cell("市政府办公室"), cell("市司法局")),
        (cell("2"), cell("推进执行公开。"), cell("市发展改革委"), cell("各县（市、区）")),
    ), header_rows=2)


def several_paragraphs() -> DocTable:
    return DocTable((
        HEADER,
        (cell("1"), cell("做好重大建设项目信息公开。", "按季度公开进展情况。"),
         cell("市发展改革委", "市住房城乡建设局"), cell("各县（市、区）")),
        (cell("2"), cell("加强政策解读\n（图文、视频）。"), cell("市政府办公室"), cell("")),
    ))


def hyperlink() -> DocTable:
    return DocTable((
        HEADER,
        (cell("1"), cell('在\x13 HYPERLINK "http://www.gov.cn/" \x14政府网站\x15公开年报。'),
         cell("市政府办公室"), cell("市直各部门")),
    ))


def nested_fields() -> DocTable:
    """A field inside a field's code (LibreOffice keeps only the inner one when it writes .doc)."""
    return DocTable((
        HEADER,
        (cell("2"), cell("嵌套\x13 IF \x13 PAGE \x141\x15 = 1 \"是\" \x14是\x15字段。"), cell("市统计局"), cell("")),
    ))


def nested() -> DocTable:
    inner = DocTable((HEADER, (cell("1"), cell("推进政务公开标准化。"), cell("市政府办公室"), cell("市财政局"))))
    return DocTable(((cell("附件", inner),),))


def horizontal_merge() -> DocTable:
    return DocTable((
        HEADER,
        (cell("一、重点领域", hmerge="first"), cell(hmerge="merged"), cell(hmerge="merged"), cell(hmerge="merged")),
        (cell("1"), cell("做好就业信息公开。"), cell("市人力资源社会保障局"), cell("")),
    ))


def grid_before() -> DocTable:
    return DocTable((HEADER, (cell("推进审批服务公开。", span=2), cell("市行政审批服务局"), cell("")),
                     (cell("市场监管信息公开。"), cell("市市场监管局"), cell(""))), before=(0, 0, 1))


#: Written by this module as .doc, and as .docx converted to .doc by LibreOffice.
LAYOUTS = {
    "merged categories": merged_categories,
    "two-line header": two_line_header,
    "several paragraphs": several_paragraphs,
    "hyperlink": hyperlink,
    "nested": nested,
    "horizontal merge": horizontal_merge,
    "grid before": grid_before,
}
#: Written as .doc by this module only.
FAST_LAYOUTS = {**LAYOUTS, "nested fields": nested_fields}
#: LibreOffice writes a row starting to the right (w:gridBefore) with an empty cell before it: the
#: plan is the same, the grid has that cell.
LO_CELLS_ADDED = {"grid before"}
VARIANTS = {
    "one UTF-16 piece": {},
    "three pieces": {"pieces": 3},
    "compressed where it can": {"pieces": 4, "compressed": None},
    "properties in the Data stream": {"huge": True},
    "vertical merges as sprmTVertMerge": {"vmerge_sprms": True, "huge": True},
}


def blocks(table: DocTable) -> list[str | DocTable]:
    return ["附件", TITLE, table, "说明：本表由市政务公开办负责解释。", ""]


# --- fast: generated .doc against the same .docx ----------------------------------------------


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("layout", FAST_LAYOUTS)
def test_a_generated_doc_reads_as_its_docx(tmp_path: Path, layout: str, variant: str) -> None:
    spec = blocks(FAST_LAYOUTS[layout]())
    doc = write_doc(tmp_path / "plan.doc", spec, **VARIANTS[variant])
    docx = docx_of(tmp_path / "plan.docx", spec)
    assert document_key(read_doc(doc)) == document_key(read_docx(docx))
    assert plan_key(zwgk.load(doc, convert=False)) == plan_key(zwgk.load(docx))


def test_merged_categories_are_row_spans(tmp_path: Path) -> None:
    doc = write_doc(tmp_path / "plan.doc", blocks(merged_categories()))
    grid = read_doc(doc).tables[0]
    firsts = [(c.text, c.rowspan) for c in (grid.rows[1][0], grid.rows[3][0])]
    assert firsts == [("一、公开重点", 2), ("二、平台建设", 2)]
    assert grid.header_rows == 1 and grid.preamble == ("附件", TITLE)
    plan = zwgk.load(doc, convert=False)
    assert [t.path for t in plan.tasks] == [("一、公开重点",)] * 2 + [("二、平台建设",)] * 2


def test_nested_tables_are_lines_of_the_outer_cell_and_read_as_inner_tables(tmp_path: Path) -> None:
    doc = read_doc(write_doc(tmp_path / "plan.doc", blocks(nested())))
    assert doc.tables[0].rows[0][0].text.split("\n")[:3] == ["附件", "序号", "工作任务"]
    (inner,) = doc.inner_tables()
    assert [c.text for c in inner.rows[1]] == ["1", "推进政务公开标准化。", "市政府办公室", "市财政局"]
    plan = zwgk.load(tmp_path / "plan.doc", convert=False)
    assert [t.text for t in plan.tasks] == ["推进政务公开标准化。"]


def test_special_characters(tmp_path: Path) -> None:
    text = "甲\x0b乙\x1e丙\x1f丁\x01\x08戊\x02己\x0c庚\x13 PAGE \x15辛\x13 REF x \x14\x15壬"
    path = tmp_path / "plan.doc"
    path.write_bytes(doc_bytes([], paras=[(text + "\r", b""), ("末段\x0c", b"")]))  # a section mark ends it
    doc = read_doc(path)
    assert [t for t, _ in doc.body()] == ["甲\n乙-丙丁戊己\n庚辛壬", "末段"]


def test_fields_spanning_paragraphs_keep_their_result(tmp_path: Path) -> None:
    doc = read_doc(write_doc(tmp_path / "plan.doc", ["目录\x13 TOC \\o \x14第一章", "第二章\x15完"]))
    assert [t for t, _ in doc.body()] == ["目录第一章", "第二章完"]


def test_task_paragraphs_are_read_from_a_doc_without_a_table(tmp_path: Path) -> None:
    lines = [TITLE, "一、推进决策公开", "1.做好重大决策预公开。", "牵头单位：市政府办公室", "责任单位：市直各部门"]
    doc = write_doc(tmp_path / "plan.doc", lines)
    docx = docx_of(tmp_path / "plan.docx", lines)
    assert plan_key(zwgk.load(doc, convert=False)) == plan_key(zwgk.load(docx))
    assert [t.text for t in zwgk.load(doc, convert=False).tasks] == ["1.做好重大决策预公开。"]


@st.composite
def tables(draw: st.DrawFn) -> DocTable:
    """A task table with categories merged down the first column, tasks over one or more paragraphs."""
    rows = [HEADER]
    for k in range(draw(st.integers(1, 3))):
        n = draw(st.integers(1, 3))
        for i in range(n):
            paras = draw(cell_texts()).split("\n")
            rows.append((cell(f"{'一二三'[k]}、{draw(cell_texts(multiline=False))}", restart=n > 1) if i == 0
                         else cell(cont=True),
                         cell(*paras), cell(draw(unit_names())), cell(draw(unit_names()))))
    return DocTable(tuple(rows), header_rows=1)


@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=tables(), variant=st.sampled_from(sorted(VARIANTS)))
def test_generated_tables_read_as_their_docx(tmp_path: Path, table: DocTable, variant: str) -> None:
    spec = blocks(table)
    doc = write_doc(tmp_path / "g.doc", spec, **VARIANTS[variant])
    docx = docx_of(tmp_path / "g.docx", spec)
    assert document_key(read_doc(doc)) == document_key(read_docx(docx))


# --- stepping aside ---------------------------------------------------------------------------


def _mismatched_row() -> bytes:
    from tests.fixtures.docgen import paragraphs

    paras = paragraphs(blocks(several_paragraphs()))
    k = next(i for i, (t, _) in enumerate(paras) if t == "\x07")
    del paras[k - 1]  # a row with one cell fewer than its sprmTDefTable
    return doc_bytes([], paras=paras)


def _unterminated_row() -> bytes:
    from tests.fixtures.docgen import paragraphs

    paras = paragraphs(blocks(several_paragraphs()))
    k = max(i for i, (t, _) in enumerate(paras) if t == "\x07")
    del paras[k]  # the last row end gone: the table ends inside a row
    return doc_bytes([], paras=paras)


def _edited_row() -> bytes:
    from tests.fixtures.docgen import paragraphs

    paras = paragraphs(blocks(several_paragraphs()))
    k = next(i for i, (t, _) in enumerate(paras) if t == "\x07")
    paras[k] = (paras[k][0], paras[k][1] + bytes.fromhex("2456") + b"\x00\x00\x00")  # sprmTMerge
    return doc_bytes([], paras=paras)


NOT_UNDERSTOOD = {
    "Word 6/95": (lambda: doc_bytes(blocks(merged_categories()), nfib=105), "Word 6/95"),
    "encrypted": (lambda: doc_bytes(blocks(merged_categories()), flags=0x0100), "encrypted"),
    "obfuscated": (lambda: doc_bytes(blocks(merged_categories()), flags=0x8100), "obfuscated"),
    "piece property by index (Prm0)": (lambda: doc_bytes(blocks(merged_categories()), prm=0x0002), "Prm"),
    "piece paragraph properties (Prm1)": (lambda: doc_bytes(blocks(merged_categories()), prm=0x0001,
                                                            prc=bytes.fromhex("162401")), "0x2416"),
    "piece marked deleted (Prm1)": (lambda: doc_bytes(blocks(merged_categories()), prm=0x0001,
                                                      prc=bytes.fromhex("000801")), "0x0800"),
    "nested too deep": (lambda: doc_bytes([], paras=[("深\r", bytes.fromhex("162401") + bytes.fromhex("4966")
                                                      + struct.pack("<i", 65))]), "table depth 65"),
    "tracked deletion": (lambda: doc_bytes(blocks(merged_categories()), deleted=(3, 6)), "tracked deletions"),
    "row against its definition": (_mismatched_row, "sprmTDefTable"),
    "table ending inside a row": (_unterminated_row, "inside a row"),
    "row edited after its definition": (_edited_row, "sprmTMerge"),
    "field never ending": (lambda: doc_bytes(["正文\x13 HYPERLINK \"x\" \x14链接", "其余的正文"]), "field never ends"),
    "truncated": (lambda: doc_bytes(blocks(merged_categories()))[:3000], "longer than the whole file"),
}


@pytest.mark.parametrize("case", NOT_UNDERSTOOD)
def test_the_reader_steps_aside_naming_what(tmp_path: Path, case: str) -> None:
    make, said = NOT_UNDERSTOOD[case]
    path = tmp_path / "plan.doc"
    path.write_bytes(make())
    with pytest.raises(NotUnderstood, match=said) as e:
        read_doc(path)
    assert str(path) in str(e.value)
    with pytest.raises(UnsupportedFormatError, match=said) as e2:  # the refusal says why it needs converting
        zwgk.load(path, convert=False)
    assert "convert=False" in str(e2.value) and "--convert-to" in str(e2.value)


def test_without_libreoffice_the_error_names_what_was_not_understood(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ZWGK_SOFFICE", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice anywhere
    path = tmp_path / "old.doc"
    path.write_bytes(doc_bytes(blocks(merged_categories()), nfib=105))
    with pytest.raises(UnsupportedFormatError, match="libreoffice-writer") as e:
        zwgk.load(path)
    assert "Word 6/95 document (nFib 105)" in str(e.value) and str(path) in str(e.value)


def _script(path: Path, body: str) -> Path:
    path.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_libreoffice_runs_only_when_the_reader_steps_aside(tmp_path: Path) -> None:
    fake = _script(tmp_path / "soffice", f"touch {tmp_path}/was-run; exit 1")
    good = write_doc(tmp_path / "good.doc", blocks(merged_categories()))
    assert len(zwgk.load(good, soffice=str(fake)).tasks) == 4
    assert not (tmp_path / "was-run").exists()
    old = tmp_path / "old.doc"
    old.write_bytes(doc_bytes(blocks(merged_categories()), nfib=105))
    with pytest.raises(ZwgkError, match="could not convert"):
        zwgk.load(old, soffice=str(fake))
    assert (tmp_path / "was-run").exists()


def test_pieces_with_character_formatting_of_their_own_are_read(tmp_path: Path) -> None:
    spec = blocks(merged_categories())
    bold = bytes.fromhex("350801")  # sprmCFBold: a fast save's formatting, no place in a table
    doc = write_doc(tmp_path / "bold.doc", spec, pieces=3, prm=0x0001, prc=bold)
    assert document_key(read_doc(doc)) == document_key(read_docx(docx_of(tmp_path / "bold.docx", spec)))


def test_with_the_native_reader_switched_off_libreoffice_converts(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from zwgk.readers import convert

    fake = _script(tmp_path / "soffice", f"touch {tmp_path}/was-run; exit 1")
    good = write_doc(tmp_path / "good.doc", blocks(merged_categories()))
    monkeypatch.setattr(convert, "READ_WORD_NATIVELY", False)
    assert convert.kind_of(good, good.read_bytes()[:8192]) is convert.WRITER
    with pytest.raises(ZwgkError, match="could not convert"):
        zwgk.load(good, soffice=str(fake))
    assert (tmp_path / "was-run").exists()


def test_an_option_the_reader_does_not_take_is_named(tmp_path: Path) -> None:
    good = write_doc(tmp_path / "good.doc", blocks(merged_categories()))
    with pytest.raises(ParseError, match="reader 'doc' has no option limits"):
        zwgk.load(good, limits=None)


def test_a_word_document_under_another_name_is_read_natively_too(tmp_path: Path) -> None:
    fake = _script(tmp_path / "soffice", f"touch {tmp_path}/was-run; exit 1")
    path = write_doc(tmp_path / "download.bin", blocks(merged_categories()))
    assert len(zwgk.load(path, soffice=str(fake)).tasks) == 4
    assert not (tmp_path / "was-run").exists()


def test_an_ole_file_that_is_no_word_document_keeps_its_message(tmp_path: Path) -> None:
    path = tmp_path / "secret.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le"))
    with pytest.raises(UnsupportedFormatError, match="password-protected"):
        zwgk.load(path)


# --- hostile bytes ----------------------------------------------------------------------------

_SEED = doc_bytes(blocks(merged_categories()), pieces=2, huge=True)


def _regions(data: bytes) -> list[tuple[int, int]]:
    """Where the structures of a generated .doc lie: the OLE header, FAT and directory, the FIB,
    the text and FKPs, the table stream's piece table and indexes, the Data stream."""
    out = [(0, 512), (512, 512 * (2 + struct.unpack_from("<I", data, 0x2C)[0]))]
    directory = 512 * (1 + struct.unpack_from("<I", data, 0x30)[0])
    for k in range(1, 4):
        start, size = struct.unpack_from("<II", data, directory + 128 * k + 0x74)
        if size:
            at = 512 * (1 + start)
            out += [(at, at + min(size, 1024)), (at + min(size, 1024), at + size)]
    return out


_REGIONS = _regions(_SEED)
fuzz = settings(max_examples=examples(60), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


_offsets = st.sampled_from(_REGIONS).flatmap(lambda r: st.integers(r[0], r[1] - 1))


@fuzz
@given(cut=st.integers(0, len(_SEED)), flips=st.lists(st.tuples(_offsets, st.integers(1, 255)), max_size=8))
def test_damaged_doc_bytes_end_as_a_plan_or_a_zwgk_error(tmp_path: Path, cut: int,
                                                         flips: list[tuple[int, int]]) -> None:
    data = bytearray(_SEED)
    for at, mask in flips:
        data[at] ^= mask
    path = tmp_path / "damaged.doc"
    path.write_bytes(bytes(data[:cut] if cut >= 8 else data))
    try:
        plan = zwgk.load(path, convert=False)
    except ZwgkError as e:
        assert str(path) in str(e)
    else:
        assert isinstance(plan, Plan)


def test_structure_bytes_flipped_stay_bounded(tmp_path: Path) -> None:
    """Flips in the FIB, the piece table, the FKPs and the OLE header, read in a child under the
    CPU and memory bounds of the hostile tests (a 40 KB input)."""
    rng = random.Random(7)
    seed = bytearray(_SEED)
    assert len(seed) <= 40 * 1024
    for k in range(2):
        data = bytearray(seed)
        for _ in range(12):
            lo, hi = rng.choice(_REGIONS)
            data[rng.randrange(lo, hi)] = rng.randrange(256)
        path = tmp_path / f"flipped-{k}.doc"
        path.write_bytes(bytes(data))
        outcome = load_bounded(path, options={"convert": False})
        assert outcome.kind in ("plan", "error"), str(outcome)


# --- committed .doc files LibreOffice wrote (fast, no LibreOffice needed) ------------------------

COMMITTED = sorted(FIXTURES.glob("*.doc")) if FIXTURES.is_dir() else []


@pytest.mark.parametrize("path", COMMITTED, ids=[p.name for p in COMMITTED])
def test_committed_doc_reads_as_its_docx(path: Path) -> None:
    assert path.stat().st_size < 30 * 1024
    docx = path.with_suffix(".docx")
    assert document_key(read_doc(path)) == document_key(read_docx(docx))
    assert plan_key(zwgk.load(path, convert=False)) == plan_key(zwgk.load(docx))


# --- slow: through LibreOffice ----------------------------------------------------------------


def _generated_plans(n: int) -> list[Plan]:
    found: list[Plan] = []

    @settings(max_examples=n, database=None, derandomize=True, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(plan=realistic_plans(max_tasks=10))
    def collect(plan: Plan) -> None:
        found.append(plan)

    collect()
    return found[:n]


@pytest.fixture(scope="session")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[Path, Path]]]:
    """Generated plans and the layouts above as .docx, and each as .doc from one LibreOffice call."""
    if SOFFICE is None:
        pytest.skip("LibreOffice is not installed")
    base = tmp_path_factory.mktemp("lo-doc")
    src = base / "docx"
    src.mkdir()
    names: list[str] = []
    for k, plan in enumerate(_generated_plans(12)):
        zwgk.export(plan, "docx", src / f"plan-{k}.docx")
        names.append(f"plan-{k}")
    for k, layout in enumerate(LAYOUTS.values()):
        docx_of(src / f"layout-{k}.docx", blocks(layout()))
        names.append(f"layout-{k}")
    out = base / "doc"
    subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={(base / 'profile').as_uri()}",
                    "--convert-to", "doc:MS Word 97", "--outdir", str(out),
                    *(str(src / f"{n}.docx") for n in names)],
                   check=True, capture_output=True, timeout=600, env={**os.environ, "TMPDIR": str(base)})
    yield {n: (src / f"{n}.docx", out / f"{n}.doc") for n in names}


PLANS = [f"plan-{k}" for k in range(12)]
LAYOUT_FILES = {name: f"layout-{k}" for k, name in enumerate(LAYOUTS)}


@pytest.mark.slow
@pytest.mark.parametrize("name", PLANS)
def test_generated_plans_through_libreoffice_read_natively(converted: dict[str, tuple[Path, Path]], name: str) -> None:
    docx, doc = converted[name]
    native = zwgk.load(doc, convert=False)
    assert plan_key(native) == plan_key(zwgk.load(docx))


@pytest.mark.slow
@pytest.mark.parametrize("layout", LAYOUTS)
def test_layouts_through_libreoffice_read_natively(converted: dict[str, tuple[Path, Path]], layout: str) -> None:
    docx, doc = converted[LAYOUT_FILES[layout]]
    if layout not in LO_CELLS_ADDED:
        assert document_key(read_doc(doc)) == document_key(read_docx(docx))
    assert plan_key(zwgk.load(doc, convert=False)) == plan_key(zwgk.load(docx))


def test_runs_set_bold_are_the_cells_emphasis(tmp_path: Path) -> None:
    """A run set bold (sprmCFBold) is where its cell's text is bold: a table saying its bold units
    lead gives them that role, as the same table in Word's other forms does."""
    from tests.fixtures.docgen import paragraphs

    spec = blocks(DocTable((
        (cell("序号"), cell("工作任务"), cell("责任单位（加粗的为牵头单位）")),
        (cell("1"), cell("推进财政预算公开。"), cell("市财政局、市审计局")),
        (cell("2"), cell("做好政策解读。"), cell("市政府办公室、市司法局")),
    ), header_rows=1))
    text = "".join(t for t, _ in paragraphs(spec, False))
    bold = [(at, at + len(name)) for name in ("市财政局", "市司法局") if (at := text.find(name)) >= 0]
    doc = write_doc(tmp_path / "bold.doc", spec, bold=bold)
    cells = [row[2] for row in read_doc(doc).tables[0].rows[1:]]
    assert [c.emphasis for c in cells] == [((0, 4),), ((7, 11),)]
    plan = zwgk.load(doc, convert=False)
    assert [([u.name for u in t.leads], [u.name for u in t.responsible]) for t in plan.tasks] == [
        (["市财政局"], ["市审计局"]), (["市司法局"], ["市政府办公室"])]


def test_a_doc_is_parsed_once_per_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whether a .doc is read natively is known by reading it; the read that follows takes that
    document rather than parsing the file again. A file changed in between is parsed again."""
    import zwgk.readers.doc as doc_reader

    doc = write_doc(tmp_path / "plan.doc", blocks(merged_categories()))
    calls: list[object] = []
    parse = doc_reader._parse

    def counted(*args: Any) -> Any:
        calls.append(args)
        return parse(*args)

    monkeypatch.setattr(doc_reader, "_parse", counted)
    first = zwgk.load(doc, convert=False)
    assert len(calls) == 1
    assert plan_key(zwgk.load(doc, convert=False)) == plan_key(first) and len(calls) == 2
    read_doc(doc, keep=True)
    write_doc(doc, blocks(two_line_header()))  # changed after it was kept
    assert [t.text for t in zwgk.load(doc, convert=False).tasks] == ["推进决策公开。", "推进执行公开。"]
    assert len(calls) == 4
