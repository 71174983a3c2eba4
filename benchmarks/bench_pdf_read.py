"""PDF → Plan: zwgk (PDFium) against pdfplumber's own extract_tables() on the same pages.

Makes the sample's PDF (16 A4 landscape pages: DOCX exporter → LibreOffice) and a 157-page one (the
sample's tasks ten times over), each untagged and tagged (``16t``, ``160t``: with a structure tree,
as Word writes them), and the same two tables printed by Chromium from LibreOffice's HTML of them
(``16c``, ``160c``: borders drawn as a rectangle per cell, other fonts), then times, in the same run:

- pdfplumber alone: open, ``extract_tables()`` on every page, pages closed as they go;
- zwgk: ``zwgk.load(pdf)`` (tables found, cell text rebuilt, pages stitched, plan built).

A larger table (the sample's tasks ``--large`` times over: 5,434 tasks, 875 pages as Chromium prints
it by default; LibreOffice takes tens of minutes on it) is read for its memory alone.

Targets: zwgk at most 0.3× pdfplumber on 16 and 157 pages; per-page time on 157 pages no worse than
on 16; working memory (tracemalloc) flat in the page count: on 157 and on 875 pages at most 1.2×
that on 16 (``TARGET``), printed per page count and producer for each step and said met or not:
the reader's peak beyond the document (tables and paragraphs) it hands over, the builder's beyond
that document and the plan it returns, and the whole reading's beyond the plan (which grows with
its tasks and is shown apart; the document, as large as the table, is held while the plan is
built). Chromium's PDFs within 1.5× LibreOffice's per page. Needs LibreOffice, Chromium and
pdfplumber (``pip install -e ".[bench]"``).

    python benchmarks/bench_pdf_read.py [--repeat N] [--large K]   # best of N timings (3); K=0: no large table

Each PDF's figures are printed as soon as they are measured (pdfplumber takes minutes on 157 pages).
"""

from __future__ import annotations

import argparse
import gc
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
import warnings
from pathlib import Path
from typing import NamedTuple

import attrs

import zwgk
from zwgk.readers.pdf import read_pdf
from zwgk.table.build import build
from zwgk.table.document import grids_of

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.fixtures.pdfgen import CHROMIUM, chromium_pdf, to_html, to_pdf  # noqa: E402

REPEAT = 3
#: The large table: the sample's tasks this many times over (875 pages as Chromium prints it).
LARGE = 38
#: Working memory on more pages at most this many times that on 16.
TARGET = 1.2
#: The reader's time limit while its memory is traced (tracing slows it several times over: the
#: large table under load takes longer than the default ``max_seconds``).
MEMORY_SECONDS = 3600.0


def _plumber(pdf: Path) -> int:
    import pdfplumber

    n = 0
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            n += len(page.extract_tables())
            page.close()
    return n


def _best(fn: object, pdf: Path, repeat: int = REPEAT) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn(pdf)  # type: ignore[operator]
        best = min(best, time.perf_counter() - t)
    return best


class Memory(NamedTuple):
    """Traced memory (bytes) of reading a PDF to a plan, as ``zwgk.load`` does, in its two steps."""

    peak: int  # the peak of the whole reading
    plan: int  # what the plan returned holds
    reading: int  # the reader's peak beyond the document (tables and paragraphs) it hands over
    building: int  # the builder's peak beyond that document and the plan it returns

    @property
    def work(self) -> int:
        """The peak beyond the plan: the document is held whole while the plan is built."""
        return self.peak - self.plan


def _memory(pdf: Path) -> Memory:
    """:class:`Memory` of reading ``pdf``: the reader (``read_pdf``) and the builder (the steps of
    ``zwgk.read``: the document's task tables, then the plan) measured apart in one pass."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tracemalloc.start()
        document = read_pdf(pdf, max_seconds=MEMORY_SECONDS)
        gc.collect()  # what the document holds, not cyclic garbage awaiting collection
        held_document, peak_reading = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        built = build(grids_of(document, source=str(pdf)), zwgk.unit_registry(), source=str(pdf))
        gc.collect()
        held_both, peak_building = tracemalloc.get_traced_memory()
        del document
        gc.collect()
        held_plan = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
    del built
    return Memory(max(peak_reading, peak_building), held_plan, peak_reading - held_document,
                  peak_building - held_both)


def _rss(pdf: Path) -> int:
    """Peak resident memory (KiB) of a fresh process while it reads ``pdf``, beyond what it held after
    importing zwgk and pypdfium2 (the peak is reset after the imports): PDFium's own memory, which
    tracemalloc does not see, counted. Linux only (``/proc/self/clear_refs``)."""
    code = ("import sys, zwgk, pypdfium2\n"
            "def hwm():\n"
            "    return next(int(line.split()[1]) for line in open('/proc/self/status') if line.startswith('VmHWM'))\n"
            "def rss():\n"
            "    return next(int(line.split()[1]) for line in open('/proc/self/status') if line.startswith('VmRSS'))\n"
            "open('/proc/self/clear_refs', 'w').write('5')\n"
            "base = rss()\n"
            "zwgk.load(sys.argv[1])\n"
            "print(hwm() - base)\n")
    out = subprocess.run([sys.executable, "-W", "ignore", "-c", code, str(pdf)], check=True, capture_output=True,
                         text=True)
    return int(out.stdout.strip())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--repeat", type=int, default=REPEAT, help=f"best of this many timings of each (default {REPEAT})")
    ap.add_argument("--large", type=int, default=LARGE,
                    help=f"the large table: the sample's tasks this many times over (default {LARGE}; 0: none)")
    args = ap.parse_args()
    repeat, large = max(1, args.repeat), max(0, args.large)
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        sys.exit("LibreOffice is not installed")
    if CHROMIUM is None:
        sys.exit("Chromium is not installed")
    try:
        import pdfplumber
    except ImportError:
        sys.exit('pdfplumber (the baseline) is not installed: pip install -e ".[bench]"')
    sample = zwgk.load_sample()
    def times(n: int) -> zwgk.Plan:
        return attrs.evolve(sample, tasks=tuple(
            attrs.evolve(t, path=(f"{t.path[0]}（{k}）", *t.path[1:]), id=f"{t.id}-{k}")
            for k in range(n) for t in sample.tasks))

    big = times(10)
    with tempfile.TemporaryDirectory() as d:
        pdfs = {}
        for name, plan, tagged in (("16", sample, False), ("160", big, False), ("16t", sample, True),
                                   ("160t", big, True)):
            docx = Path(d) / f"p{name}.docx"
            zwgk.export(plan, "docx", docx)
            pdfs[name] = to_pdf(docx, tagged=tagged)
            if not tagged:
                pdfs[name + "c"] = chromium_pdf(to_html(docx), Path(d) / f"p{name}c.pdf")
        large_pdf = None
        if large:
            docx = Path(d) / "large.docx"
            zwgk.export(times(large), "docx", docx)
            large_pdf = chromium_pdf(to_html(docx), Path(d) / "largec.pdf")
        zwgk.load(pdfs["16"])  # imports and caches warmed
        rows = []
        rss: dict[str, int] = {}
        for name, pdf in pdfs.items():
            with pdfplumber.open(pdf) as doc:
                pages = len(doc.pages)
            tasks = len(zwgk.load(pdf).tasks)
            t_plumber = _best(_plumber, pdf, repeat)
            t_zwgk = _best(zwgk.load, pdf, repeat)
            rows.append((name, pages, tasks, t_plumber, t_zwgk, _memory(pdf)))
            rss[name] = _rss(pdf)
            print(f"{name}: {pages} pages, {tasks} tasks: pdfplumber {t_plumber:.3f} s, zwgk {t_zwgk:.3f} s "
                  f"({t_zwgk / t_plumber:.2f}x)", flush=True)
        large_row = None
        if large_pdf is not None:
            with pdfplumber.open(large_pdf) as doc:
                large_pages = len(doc.pages)
            large_row = (large_pages, _memory(large_pdf))
    print(f"{'pdf':>5} {'pages':>5} {'tasks':>6} {'pdfplumber s':>12} {'zwgk s':>8} {'ratio':>6} "
          f"{'zwgk ms/page':>12} {'peak MiB':>9} {'plan MiB':>9} {'work MiB':>9}")
    for name, pages, tasks, tp, tz, mem in rows:
        print(f"{name:>5} {pages:>5} {tasks:>6} {tp:12.3f} {tz:8.3f} {tz / tp:6.2f} {1000 * tz / pages:12.1f} "
              f"{mem.peak / 2**20:9.1f} {mem.plan / 2**20:9.1f} {mem.work / 2**20:9.1f}")
    by = {r[0]: r for r in rows}

    def per_page(name: str) -> float:
        return by[name][4] / by[name][1]

    (_, p16, _, _, z16, m16), (_, p160, _, _, z160, m160) = by["16"], by["160"]
    print(f"per-page time 160 vs 16 pages: {(z160 / p160) / (z16 / p16):.2f}x (target <= 1.0)")
    print(f"peak memory 160 vs 16 pages: {m160.peak / m16.peak:.2f}x; the plan returned grows "
          f"{m160.plan / m16.plan:.1f}x with its tasks")
    print(f"working memory by page count, ratio to the same producer's print of the sample (16 pages, "
          f"Chromium's 24; target <= {TARGET}):")
    for what, label in (("reading", "reading, beyond the document it hands over"),
                        ("building", "building, beyond the document and the plan"),
                        ("work", "whole, beyond the plan (the document held while the plan is built)")):
        print(f"  {label}:")
        for producer, suffix in (("LibreOffice", ""), ("LibreOffice tagged", "t"), ("Chromium", "c")):
            m0 = getattr(by["16" + suffix][5], what)
            sizes = [(by[n + suffix][1], by[n + suffix][5]) for n in ("16", "160")]
            if suffix == "c" and large_row is not None:
                sizes.append(large_row)
            figures = [f"{sizes[0][0]} pages {m0 / 2**20:.2f} MiB"]
            for pages, mem in sizes[1:]:
                m = getattr(mem, what)
                ratio = m / max(m0, 1)
                figures.append(f"{pages} pages {m / 2**20:.2f} MiB ({ratio:.2f}x, "
                               f"{'met' if ratio <= TARGET else 'NOT met'})")
            print(f"    {producer:>18}: " + ", ".join(figures))
    print(f"peak resident memory of a process reading them (PDFium's included), beyond its imports: "
          f"{rss['16'] / 1024:.1f} MiB on 16 pages, {rss['160'] / 1024:.1f} MiB on 157 "
          f"({rss['160'] / max(rss['16'], 1):.2f}x, the plan included)")
    print(f"zwgk vs pdfplumber extract_tables(): {z16 / by['16'][3]:.2f}x, {z160 / by['160'][3]:.2f}x "
          "(target <= 0.3)")
    print(f"tagged PDFs (t): zwgk vs pdfplumber {by['16t'][4] / by['16t'][3]:.2f}x, "
          f"{by['160t'][4] / by['160t'][3]:.2f}x; zwgk tagged vs untagged per page "
          f"{per_page('16t') / per_page('16'):.2f}x, {per_page('160t') / per_page('160'):.2f}x")
    print(f"Chromium PDFs (c): zwgk vs pdfplumber {by['16c'][4] / by['16c'][3]:.2f}x, "
          f"{by['160c'][4] / by['160c'][3]:.2f}x; per page vs LibreOffice's {per_page('16c') / per_page('16'):.2f}x, "
          f"{per_page('160c') / per_page('160'):.2f}x (target <= 1.5)")


if __name__ == "__main__":
    main()
