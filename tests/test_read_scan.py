"""Scans as files like any other: the reader plugin, positions with boxes, findings, the core's correction.

Fast tests use no recognition model; the end-to-end reads of rendered tables are slow.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import zwgk
from zwgk import plugins
from zwgk.errors import Position, ReadWarning, UnsupportedFormatError
from zwgk.readers import Reader
from zwgk.readers.scan import INSTALL_HINT, sniff_image
from zwgk.readers.scan._engine import Char, Line
from zwgk.readers.scan._positions import locate
from zwgk.table.grid import Cell, Grid

HEADER = ("序号", "工作任务", "牵头单位")


def _grid(rows: list[tuple[str, str, str]], confidence: float | None = None, page: int = 1) -> Grid:
    def cell(text: str, col: int, r: int) -> Cell:
        box = (10 * col, 10 * r, 10 * col + 9, 10 * r + 9) if confidence is not None else None
        return Cell(text, column=col, position=Position("scan.tif", page=page, box=box,
                                                          confidence=confidence if r == 2 else None))
    out = [tuple(Cell(h, column=i) for i, h in enumerate(HEADER))]
    out += [tuple(cell(t, i, r) for i, t in enumerate(row)) for r, row in enumerate(rows, start=1)]
    return Grid(tuple(out), source="scan.tif")


def test_images_are_sniffed() -> None:
    assert sniff_image(b"\x89PNG\r\n\x1a\n....")
    assert sniff_image(b"\xff\xd8\xff\xe0")
    assert sniff_image(b"II*\x00") and sniff_image(b"MM\x00*")
    assert not sniff_image(b"%PDF-1.7")
    reader = zwgk.get_readers()["image"]
    assert {".png", ".jpg", ".jpeg", ".tif", ".tiff"} == set(reader.suffixes)


def test_without_the_extra_one_line_names_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from zwgk.readers.scan import _extra

    monkeypatch.setattr(_extra, "available", lambda: False)
    p = tmp_path / "scan.png"
    p.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    with pytest.raises(UnsupportedFormatError) as err:
        zwgk.load(p)
    assert 'pip install ".[ocr]"' in str(err.value) and "\n" not in str(err.value)
    assert INSTALL_HINT in str(err.value)


def _line(text: str, box: tuple[int, int, int, int], conf: float) -> Line:
    return Line(box, tuple(Char(ch, box[0], box[1], box[2], box[3], conf) for ch in text))


def test_cells_get_the_box_and_confidence_of_their_lines() -> None:
    grid = _grid([("1", "加强政务公开", "市财政局"), ("2", "推进决策公开", "市财政局")])
    lines = {1: [
        _line("加强政务", (100, 50, 300, 80), 0.99), _line("公开", (100, 85, 160, 115), 0.42),
        _line("市财政局", (400, 50, 520, 80), 0.97),
        _line("推进决策公开", (100, 150, 300, 180), 0.95), _line("市财政局", (400, 150, 520, 180), 0.9),
    ]}
    (out,) = locate([grid], lines)
    task1, unit1 = out.rows[1][1].position, out.rows[1][2].position
    assert task1.box == (100, 50, 300, 115) and task1.confidence == 0.42
    assert unit1.box == (400, 50, 520, 80)
    assert out.rows[2][2].position.box == (400, 150, 520, 180)  # the second 市财政局 is the second line
    assert out.rows[0][0].position.box is None  # the header's 序号 was read from no line here


class _FakeScans:
    """A reader of ``.fake`` files handing over grids as the scan reader does (positions with boxes)."""

    def __init__(self, grid: Grid) -> None:
        self.grid = grid

    @zwgk.hookimpl
    def register_readers(self, register: Callable[[Reader], None]) -> None:
        def read(path: str | Path) -> Iterator[Grid]:
            yield self.grid

        register(Reader("fake-scan", (".fake",), read))


@pytest.fixture
def fake_scan(tmp_path: Path) -> Iterator[Callable[[Grid], Path]]:
    names: list[str] = []

    def make(grid: Grid) -> Path:
        names.append(plugins.register(_FakeScans(grid), name=f"fake-scan-{len(names)}"))
        p = tmp_path / "scan.fake"
        p.write_text("x", encoding="utf-8")
        return p

    yield make
    for n in names:
        plugins.unregister(n)


def test_a_recognised_plan_is_corrected_and_checked(fake_scan: Callable[[Grid], Path]) -> None:
    rows = [("1", "加强政务公开", "市行政审批服务届"), ("2", "推进决策公开", "市财政局"),
            ("7", "深化政策解读", "市财政局"), ("4", "回应社会关切", "市财政局")]
    p = fake_scan(_grid(rows, confidence=0.35))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plan = zwgk.load(p)
    lead = plan.tasks[0].leads[0]
    assert (lead.as_written, lead.name, lead.resolved) == ("市行政审批服务届", "市行政审批服务局", True)
    messages = [str(w.message) for w in caught if issubclass(w.category, ReadWarning)]
    assert any("serial 7 follows 2" in m for m in messages)
    assert plan.tasks[1].source is not None and plan.tasks[1].source.confidence == 0.35
    report = zwgk.validate(plan, select="ZW4")
    codes = sorted((f.code, f.task_id) for f in report.findings)
    assert codes == sorted([("ZW401", plan.tasks[1].id), ("ZW402", plan.tasks[0].id)])
    uncertain = next(f for f in report.findings if f.code == "ZW401")
    assert "page 1, box (10, 20, 19, 29)" in (uncertain.hint or "")


def test_text_read_from_a_file_is_neither_corrected_nor_reported(fake_scan: Callable[[Grid], Path]) -> None:
    p = fake_scan(_grid([("1", "加强政务公开", "市行政审批服务届")]))
    plan = zwgk.load(p)
    assert plan.tasks[0].leads[0].name == "市行政审批服务届"
    assert zwgk.validate(plan, select="ZW4").findings == ()


def test_positions_with_boxes_survive_json(fake_scan: Callable[[Grid], Path]) -> None:
    plan = zwgk.load(fake_scan(_grid([("1", "加强政务公开", "市财政局"), ("2", "推进", "市财政局")], 0.5)))
    back = zwgk.loads(zwgk.dumps(plan))
    assert back.tasks[1].source == plan.tasks[1].source
    assert plan.tasks[1].source is not None and "box (10, 20, 19, 29)" in plan.tasks[1].source.describe()


# End to end through the recognition model (slow) ---------------------------------------------


def _rows(plan: zwgk.Plan) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    return [("".join(t.text.split()), tuple(u.name for u in t.leads), tuple(u.name for u in t.responsible))
            for t in plan.tasks]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[zwgk.Plan, list[object]]:
    """The first 14 tasks of the sample as a Word table, printed to PDF and rendered at 200 dpi."""
    import attrs

    from tests.fixtures.pdfgen import SOFFICE, to_pdf
    from tests.fixtures.scans import render

    if SOFFICE is None:
        pytest.skip("LibreOffice is not installed")
    pytest.importorskip("rapidocr_onnxruntime")
    folder = tmp_path_factory.mktemp("scan")
    sample = zwgk.load_sample()
    plan = attrs.evolve(sample, tasks=sample.tasks[:14])
    docx = folder / "plan.docx"
    zwgk.export(plan, "docx", docx)
    pdf = to_pdf(docx)
    return zwgk.load(docx), render(pdf, 200)


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["clean", "degraded"])
def test_rendered_table_reads_back(rendered: tuple[zwgk.Plan, list[object]], damage: str, tmp_path: Path) -> None:
    from tests.fixtures.scans import degrade, write_tiff

    expected, pages = rendered
    if damage == "degraded":
        pages = [degrade(p, seed=n) for n, p in enumerate(pages)]  # type: ignore[arg-type]
    tif = write_tiff(pages, tmp_path / "scan.tif", 200)  # type: ignore[arg-type]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReadWarning)
        got = zwgk.load(tif)
    want, have = _rows(expected), _rows(got)
    right = sum(1 for row in have if row in want)
    assert len(have) == len(want)
    assert right >= 0.9 * len(want), (right, len(want))
    assert all(t.source is not None and t.source.page is not None and t.source.box is not None for t in got.tasks)


@pytest.mark.slow
@pytest.mark.parametrize("turns", [1, 2, 3], ids=["on-its-left", "upside-down", "on-its-right"])
def test_a_page_scanned_on_its_side_or_upside_down_reads_as_upright(rendered: tuple[zwgk.Plan, list[object]],
                                                                      turns: int, tmp_path: Path) -> None:
    np = pytest.importorskip("numpy")
    from tests.fixtures.scans import degrade, write_tiff

    page = degrade(rendered[1][0], seed=7)  # type: ignore[arg-type]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReadWarning)
        upright = zwgk.load(write_tiff([page], tmp_path / "upright.tif", 200))
    lies = r"page 1: the page lies (on its side \(turned [a-z-]+\)|upside down); it was turned upright"
    with pytest.warns(ReadWarning, match=lies):
        turned = zwgk.load(write_tiff([np.rot90(page, turns)], tmp_path / "turned.tif", 200))
    assert _rows(turned) == _rows(upright) and len(upright.tasks) >= 3


# Hostile images, through zwgk.load in a child bounded in CPU time and memory ------------------


def _bomb(tmp_path: Path, kind: str) -> Path:
    np = pytest.importorskip("numpy")
    from PIL import Image

    from tests.test_scan_pixels import _png_header

    if kind == "huge.png":  # declares 60,000 × 60,000 pixels (10 GB decoded) in a few bytes
        data = _png_header(60_000, 60_000)
    elif kind == "bomb.png":  # 8,500 × 8,500 blank pixels in 70 KB: decoded, shrunk, and no text found
        import io

        buf = io.BytesIO()
        Image.fromarray(np.full((8_500, 8_500), 255, np.uint8)).save(buf, "PNG")
        data = buf.getvalue()
    else:  # truncated.jpg: a real page cut in the middle
        import io

        buf = io.BytesIO()
        Image.fromarray(np.full((800, 600, 3), 255, np.uint8)).save(buf, "JPEG")
        data = buf.getvalue()[: len(buf.getvalue()) // 2]
    p = tmp_path / kind
    p.write_bytes(data)
    return p


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["huge.png", "bomb.png", "truncated.jpg"])
def test_hostile_images_are_errors_within_bounds(tmp_path: Path, kind: str) -> None:
    pytest.importorskip("cv2")
    from tests.bounded import load_bounded

    outcome = load_bounded(_bomb(tmp_path, kind), cpu_seconds=20, memory_bytes=1024 * 1024 * 1024)
    assert outcome.kind == "error", str(outcome)
    assert "PluginError" not in outcome.error_types, str(outcome)


@pytest.mark.slow
def test_pdf_with_a_scanned_page_reads_both(rendered: tuple[zwgk.Plan, list[object]], tmp_path: Path) -> None:
    """A PDF whose second page is an image of the page (a scan) reads as one table over both pages."""
    import pypdfium2 as pdfium
    from PIL import Image

    from tests.fixtures.pdfgen import to_pdf

    expected, pages = rendered
    docx = tmp_path / "plan.docx"
    zwgk.export(expected, "docx", docx)
    text_pdf = pdfium.PdfDocument(str(to_pdf(docx)))
    scan = tmp_path / "scan.pdf"
    Image.fromarray(pages[1]).save(scan, resolution=200.0)  # type: ignore[call-overload]
    mixed = pdfium.PdfDocument.new()
    mixed.import_pages(text_pdf, [0])
    mixed.import_pages(pdfium.PdfDocument(str(scan)), [0])
    for n in range(2, len(text_pdf)):
        mixed.import_pages(text_pdf, [n])
    out = tmp_path / "mixed.pdf"
    mixed.save(str(out))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReadWarning)
        got = zwgk.load(out)
    want, have = _rows(expected), _rows(got)
    assert len(have) == len(want)
    assert sum(1 for row in have if row in want) >= 0.9 * len(want)
    assert any(t.source is not None and t.source.page == 2 and t.source.box is not None for t in got.tasks)


# What OCR gets wrong by kind, on a generated plan printed and rendered (slow) ------------------

#: Task texts holding what the recogniser takes for something else: a narrow comma and a
#: full-width one, curly quotes, a document number's 〔〕, marks at a line's end.
_HARD = (
    "推进“政务服务”，落实十项措施",
    "公开实施情况,积极开展决策公开",
    "落实《通知》（闽政办〔2018〕25号）要求",
    "加大行政处罚力度，开展关键领域、重点环节、重点群体执法",
)


@pytest.fixture(scope="module")
def hard(tmp_path_factory: pytest.TempPathFactory) -> tuple[zwgk.Plan, list[object]]:
    """The sample's first tasks with :data:`_HARD` for texts, as a Word table printed and rendered at 200 dpi."""
    import attrs

    from tests.fixtures.pdfgen import SOFFICE, to_pdf
    from tests.fixtures.scans import render

    if SOFFICE is None:
        pytest.skip("LibreOffice is not installed")
    pytest.importorskip("rapidocr_onnxruntime")
    folder = tmp_path_factory.mktemp("hard")
    sample = zwgk.load_sample()
    tasks = tuple(attrs.evolve(t, text=text) for t, text in zip(sample.tasks, _HARD, strict=False))
    plan = attrs.evolve(sample, tasks=tasks)
    docx = folder / "hard.docx"
    zwgk.export(plan, "docx", docx)
    return zwgk.load(docx), render(to_pdf(docx), 200)


@pytest.mark.slow
def test_marks_the_recogniser_confuses_read_as_printed(hard: tuple[zwgk.Plan, list[object]],
                                                       tmp_path: Path) -> None:
    from tests.fixtures.scans import write_tiff

    expected, pages = hard
    tif = write_tiff(pages, tmp_path / "hard.tif", 200)  # type: ignore[arg-type]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReadWarning)
        got = zwgk.load(tif)
    assert ["".join(t.text.split()) for t in got.tasks] == ["".join(t.text.split()) for t in expected.tasks]
