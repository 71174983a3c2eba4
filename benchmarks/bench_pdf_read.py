"""PDF → Plan: zwgk against pdfplumber's own extract_tables() on the same pages, 16 vs 160 pages.

Makes the sample's PDF (16 A4 landscape pages: DOCX exporter → LibreOffice) and a 160-page one (the
sample's tasks ten times over), each untagged and tagged (``16t``, ``160t``: with a structure tree,
as Word writes them), then times, in the same run:

- pdfplumber alone: open, ``extract_tables()`` on every page, pages closed as they go;
- zwgk: ``zwgk.load(pdf)`` (tables found, cell text rebuilt, pages stitched, plan built).

Targets: zwgk at most 1.3× pdfplumber; per-page time on 160 pages no worse than on 16; peak
memory (tracemalloc) on 160 pages within 1.5× that on 16. Needs LibreOffice.

    python benchmarks/bench_pdf_read.py
"""

from __future__ import annotations

import gc
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import attrs

import zwgk

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.fixtures.pdfgen import to_pdf  # noqa: E402

REPEAT = 3


def _plumber(pdf: Path) -> int:
    import pdfplumber

    n = 0
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            n += len(page.extract_tables())
            page.close()
    return n


def _best(fn: object, pdf: Path) -> float:
    best = float("inf")
    for _ in range(REPEAT):
        t = time.perf_counter()
        fn(pdf)  # type: ignore[operator]
        best = min(best, time.perf_counter() - t)
    return best


def _peak(fn: object, pdf: Path) -> tuple[int, int]:
    """Peak traced memory of ``fn(pdf)``, and the part of it still held by the plan it returns."""
    tracemalloc.start()
    plan = fn(pdf)  # type: ignore[operator]
    gc.collect()  # what the plan holds, not pdfminer's cyclic garbage awaiting collection
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del plan
    return peak, held


def main() -> None:
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        sys.exit("LibreOffice is not installed")
    sample = zwgk.load_sample()
    big = attrs.evolve(sample, tasks=tuple(
        attrs.evolve(t, path=(f"{t.path[0]}（{k}）", *t.path[1:]), id=f"{t.id}-{k}")
        for k in range(10) for t in sample.tasks))
    import pdfplumber

    with tempfile.TemporaryDirectory() as d:
        pdfs = {}
        for name, plan, tagged in (("16", sample, False), ("160", big, False), ("16t", sample, True),
                                   ("160t", big, True)):
            docx = Path(d) / f"p{name}.docx"
            zwgk.export(plan, "docx", docx)
            pdfs[name] = to_pdf(docx, tagged=tagged)
        zwgk.load(pdfs["16"])  # imports and caches warmed
        rows = []
        for name, pdf in pdfs.items():
            with pdfplumber.open(pdf) as doc:
                pages = len(doc.pages)
            tasks = len(zwgk.load(pdf).tasks)
            t_plumber = _best(_plumber, pdf)
            t_zwgk = _best(zwgk.load, pdf)
            rows.append((name, pages, tasks, t_plumber, t_zwgk, _peak(zwgk.load, pdf)))
    print(f"{'pdf':>5} {'pages':>5} {'tasks':>6} {'pdfplumber s':>12} {'zwgk s':>8} {'ratio':>6} "
          f"{'zwgk ms/page':>12} {'peak MiB':>9} {'plan MiB':>9} {'work MiB':>9}")
    for name, pages, tasks, tp, tz, (peak, held) in rows:
        print(f"{name:>5} {pages:>5} {tasks:>6} {tp:12.3f} {tz:8.3f} {tz / tp:6.2f} {1000 * tz / pages:12.1f} "
              f"{peak / 2**20:9.1f} {held / 2**20:9.1f} {(peak - held) / 2**20:9.1f}")
    (_, p16, _, _, z16, (m16, h16)), (_, p160, _, _, z160, (m160, h160)) = rows[:2]
    print(f"per-page time 160 vs 16 pages: {(z160 / p160) / (z16 / p16):.2f}x (target <= 1.0)")
    print(f"peak memory 160 vs 16 pages: {m160 / m16:.2f}x (target <= 1.5); the plan returned grows "
          f"{h160 / h16:.1f}x with its tasks; the reader's working memory beyond it {(m160 - h160) / (m16 - h16):.2f}x")
    print(f"zwgk vs pdfplumber extract_tables(): {rows[0][4] / rows[0][3]:.2f}x, {rows[1][4] / rows[1][3]:.2f}x "
          "(target <= 1.3)")
    print(f"tagged PDFs (t: paragraphs from the structure tree): zwgk vs pdfplumber {rows[2][4] / rows[2][3]:.2f}x, "
          f"{rows[3][4] / rows[3][3]:.2f}x; zwgk tagged vs untagged {rows[2][4] / rows[0][4]:.2f}x, "
          f"{rows[3][4] / rows[1][4]:.2f}x")


if __name__ == "__main__":
    main()
