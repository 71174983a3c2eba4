"""Page furniture of a scan is told apart and reported by the page stage, as a PDF's is (slow: a
table printed by Chromium with a running header and page numbers, read from its text layer and
from its pages rendered at 200 dpi through OCR)."""

from __future__ import annotations

import warnings
from pathlib import Path

import attrs
import pytest

import zwgk
from zwgk.errors import ReadWarning

pytestmark = pytest.mark.slow

HEADER = "政务公开工作任务分解表"


def _read(path: Path) -> tuple[zwgk.Plan, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plan = zwgk.load(path)
    return plan, [str(w.message) for w in caught if isinstance(w.message, ReadWarning)]


def _furniture(messages: list[str], source: Path) -> list[str]:
    return sorted(m.removeprefix(f"{source}: ") for m in messages if "(page furniture;" in m)


@pytest.mark.parametrize("number", ['"- " counter(page) " -"', '"第" counter(page) "页"'])
def test_a_scans_page_numbers_and_running_header_are_reported_as_a_pdfs(tmp_path: Path, number: str) -> None:
    from tests.fixtures.pdfgen import CHROMIUM
    from tests.fixtures.scans import chromium_table, render, write_tiff

    if CHROMIUM is None:
        pytest.skip("Chromium is not installed")
    pytest.importorskip("rapidocr_onnxruntime")
    sample = zwgk.load_sample()
    plan = attrs.evolve(sample, tasks=sample.tasks[:24])
    _, pdf = chromium_table(plan, tmp_path, header=HEADER, page_number=number)
    printed, said = _read(pdf)
    tif = write_tiff(render(pdf, 200), tmp_path / "scan.tif", 200)
    scanned, scan_said = _read(tif)
    import pypdfium2 as pdfium

    count = len(pdfium.PdfDocument(str(pdf)))
    assert count > 1
    every = ", ".join(str(n) for n in range(1, count + 1))
    after = ", ".join(str(n) for n in range(2, count + 1))  # a running header is known from its second page
    expected = [f"page numbers left out (page furniture; pages {every})",
                f"the running header or footer 「{HEADER}」 left out (page furniture; pages {after})"]
    assert _furniture(said, pdf) == sorted(expected)
    assert _furniture(scan_said, tif) == sorted(expected)
    assert len(scanned.tasks) == len(printed.tasks) == 24  # one table over the pages, no furniture in it
    for got in (printed, scanned):
        text = "".join(t.text for t in got.tasks) + "".join(got.preamble) + "".join(got.epilogue)
        assert "- 2 -" not in text and "第2页" not in text
