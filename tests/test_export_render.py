"""The sample's DOCX export rendered by LibreOffice: landscape pages holding the title and the tasks."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

import zwgk

pytestmark = pytest.mark.slow

SOFFICE = shutil.which("libreoffice") or shutil.which("soffice")
TOOLS = [shutil.which(t) for t in ("pdfinfo", "pdftotext", "pdftoppm")]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if SOFFICE is None or not all(TOOLS):
        pytest.skip("LibreOffice or poppler-utils is not installed")
    out = tmp_path_factory.mktemp("render")
    docx = out / "sample.docx"
    zwgk.export(zwgk.load_sample(), "docx", docx)
    profile = out / "profile"  # a private profile: no clash with a running LibreOffice
    env = {**os.environ, "HOME": str(out)}
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), str(docx)],
        check=True, capture_output=True, timeout=240, env=env,
    )
    pdf = out / "sample.pdf"
    assert pdf.exists(), "LibreOffice wrote no PDF"
    return pdf


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_pages_are_a4_landscape(rendered: Path) -> None:
    info = subprocess.run(["pdfinfo", str(rendered)], check=True, capture_output=True, text=True).stdout
    m = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert m is not None
    width, height = float(m.group(1)), float(m.group(2))
    assert width > height
    assert abs(width - 841.9) < 2 and abs(height - 595.3) < 2
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    assert 5 <= pages <= 60


def test_title_header_and_a_known_task_appear(rendered: Path) -> None:
    text = subprocess.run(["pdftotext", "-layout", str(rendered), "-"], check=True, capture_output=True,
                          text=True).stdout
    pages = text.split("\f")
    plan = zwgk.load_sample()
    assert plan.title is not None and plan.title in _squash(pages[0])
    task = plan.tasks[0].text
    assert _squash(task[:20]) in _squash(text)
    # The header row is repeated at the top of every page.
    filled = [p for p in pages if p.strip()]
    assert len(filled) > 1
    assert all("牵头单位" in p and "具体任务" in p for p in filled)


def test_first_page_renders_as_a_landscape_image(rendered: Path) -> None:
    prefix = rendered.with_name("page")
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(rendered), str(prefix)],
                   check=True, capture_output=True, timeout=120)
    (png,) = rendered.parent.glob("page*.png")
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width > height
