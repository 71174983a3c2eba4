"""Generated plans → producer → PDF → ``zwgk.load``: how often the plan comes back, per producer.

The property of ``tests/test_read_pdf_producers.py``, measured over many plans at once: seeded
``realistic_plans`` (tests/strategies.py) are exported to Word, printed to PDF by each producer
and read back, and each read is compared with the plan read from the file the PDF was printed from
(the Word file for LibreOffice and Ghostscript, LibreOffice's HTML of it for Chromium and
WeasyPrint, as sites publish it). Producers: ``libreoffice`` (untagged), ``libreoffice-tagged``,
``ghostscript`` (LibreOffice's PDF re-distilled), ``chromium`` (headless print), ``weasyprint``,
``cairo`` (Chromium's PDF drawn again by poppler's pdftocairo: untagged, Type 3 fonts).

Per producer it prints how many plans read

- **equal**: the same tasks (path, text, units per role as written, deadline, serial, open roles);
- **joined**: equal but for the documented limit of untagged PDFs, two paragraphs of a cell (or two
  unit names) read as one, run together without a separator (between Latin letters or digits, with
  the space a line wrapped at a space leaves);
- **differ**: anything else, with the first difference of each (plan number, task, field);

and of those, the reads that are wrong without a word: a **silent fragment** (a task read whose text
is a proper piece of a true task's, no unsure-row warning) and a **silent merge** (a task read whose
text holds two true tasks', or fewer tasks than the plan, no unsure-row warning); **warned right**
counts plans read equal or joined that still came with an unsure-row warning (noise); **failed**
counts reads that raised. ``seconds`` is the reading time alone (``zwgk.load`` of the PDFs); the
printing is timed apart.

    python benchmarks/bench_pdf_producers.py [--plans N] [--seed S] [--max-tasks K]
        [--producers libreoffice,chromium,...] [--keep DIR]

``--keep DIR`` writes each plan that did not read equal, or warned (``pNNN.json``, the plan as
generated; ``pNNN.<producer>.pdf``) for pinning as a fixture. Needs LibreOffice; Chromium,
Ghostscript and WeasyPrint where installed (a producer that is missing is said and skipped).
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

from attrs import define, field
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed

import zwgk
from zwgk.errors import ReadWarning
from zwgk.model import Plan

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.fixtures import pdfgen  # noqa: E402
from tests.strategies import realistic_plans  # noqa: E402
from tests.test_read_pdf import _joined_only, key  # noqa: E402

PRODUCERS = ("libreoffice", "libreoffice-tagged", "ghostscript", "chromium", "weasyprint", "cairo")
#: What a read says where it is not sure where a row (or a merged cell) ends at a page break.
UNSURE = ("the page break may cut a row", "the page break may cut a merged cell")
FIELDS = ("path", "text", "leads", "responsible", "cooperating", "deadline", "serial", "open_roles")


def generated(n: int, seed: int, max_tasks: int) -> list[Plan]:
    """``n`` plans of ``realistic_plans(max_tasks)``, the same for the same seed."""
    out: list[Plan] = []

    @hypothesis_seed(seed)
    @settings(max_examples=n, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(realistic_plans(max_tasks=max_tasks))
    def collect(plan: Plan) -> None:
        out.append(plan)

    collect()
    return out[:n]


def _soffice(files: Sequence[Path], target: str, outdir: Path) -> None:
    """Convert ``files`` with one LibreOffice run (its start is most of the time of a small file)."""
    assert pdfgen.SOFFICE is not None
    env = {**os.environ, "HOME": str(outdir)}
    subprocess.run([pdfgen.SOFFICE, f"-env:UserInstallation=file://{outdir / '.lo-profile'}", "--headless",
                    "--convert-to", target, "--outdir", str(outdir), *map(str, files)],
                   check=True, capture_output=True, timeout=60 * max(5, len(files)), env=env)


def produce(docs: list[Path], producers: Sequence[str], d: Path) -> tuple[dict[str, list[tuple[Path, Path]]],
                                                                          dict[str, float]]:
    """Each producer's PDF of each Word file, with the file it was printed from; seconds per producer."""
    out: dict[str, list[tuple[Path, Path]]] = {}
    took: dict[str, float] = {}
    wanted = set(producers)
    t = time.perf_counter()
    if wanted & {"libreoffice", "ghostscript"}:
        (d / "lo").mkdir()
        _soffice(docs, "pdf", d / "lo")
    took["libreoffice"] = time.perf_counter() - t
    out["libreoffice"] = [(d / "lo" / f"{p.stem}.pdf", p) for p in docs]
    if "libreoffice-tagged" in wanted:
        t = time.perf_counter()
        (d / "tagged").mkdir()
        _soffice(docs, pdfgen.TAGGED_PDF, d / "tagged")
        out["libreoffice-tagged"] = [(d / "tagged" / f"{p.stem}.pdf", p) for p in docs]
        took["libreoffice-tagged"] = time.perf_counter() - t
    if "ghostscript" in wanted:
        t = time.perf_counter()
        out["ghostscript"] = [(pdfgen.gs_pdf(pdf, d / "lo" / f"{pdf.stem}.gs.pdf"), src)
                              for pdf, src in out["libreoffice"]]
        took["ghostscript"] = time.perf_counter() - t
    if wanted & {"chromium", "weasyprint", "cairo"}:
        t = time.perf_counter()
        (d / "html").mkdir()
        _soffice(docs, "html", d / "html")
        html = [d / "html" / f"{p.stem}.html" for p in docs]
        html_took = time.perf_counter() - t
        for name, make in (("chromium", pdfgen.chromium_pdf), ("weasyprint", pdfgen.weasyprint_pdf)):
            if name in wanted or (name == "chromium" and "cairo" in wanted):
                t = time.perf_counter()
                out[name] = [(make(h, h.with_suffix(f".{name}.pdf")), h) for h in html]
                took[name] = html_took + time.perf_counter() - t
        if "cairo" in wanted:
            t = time.perf_counter()
            out["cairo"] = [(pdfgen.cairo_pdf(pdf, pdf.with_suffix(".cairo.pdf")), h) for pdf, h in out["chromium"]]
            took["cairo"] = took["chromium"] + time.perf_counter() - t
    return {k: v for k, v in out.items() if k in wanted}, took


@define
class Tally:
    plans: int = 0
    equal: int = 0
    joined: list[str] = field(factory=list)
    differ: list[str] = field(factory=list)
    fragments: list[str] = field(factory=list)
    merges: list[str] = field(factory=list)
    warned_right: list[str] = field(factory=list)
    failed: list[str] = field(factory=list)
    seconds: float = 0.0
    printing: float = 0.0


def first_difference(back: Plan, want: Plan, joins: bool = True) -> str:
    """The first field that differs (beyond the documented join, unless ``joins`` is False)."""
    got, wanted = key(back), key(want)
    if len(got) != len(wanted):
        texts = [t.text[:16] for t in back.tasks]
        return f"{len(got)} tasks for {len(wanted)}: {texts}"
    for i, (g, w) in enumerate(zip(got, wanted, strict=True)):
        for name, a, b in zip(FIELDS, g, w, strict=True):
            if (not _joined_only(a, b)) if joins else a != b:
                return f"task {i + 1} {name}: {a!r} for {b!r}"
    return "?"


def _pieces(back: Plan, want: Plan) -> list[str]:
    """Tasks read whose text is a proper piece (the start or the end) of a true task's, where more
    tasks were read than the plan has: a row cut in two."""
    if len(back.tasks) <= len(want.tasks):
        return []
    truth = [t.text for t in want.tasks]
    return [t.text for t in back.tasks if t.text not in truth
            and any(w != t.text and (w.startswith(t.text) or w.endswith(t.text)) for w in truth)]


def _merged(back: Plan, want: Plan) -> list[str]:
    """Where fewer tasks were read than the plan has: the tasks read whose text runs two
    consecutive true tasks' texts together (or the count alone)."""
    if len(back.tasks) >= len(want.tasks):
        return []
    truth = [t.text for t in want.tasks]
    glued = [t.text for t in back.tasks if t.text not in truth and any(
        t.text.startswith(a) and t.text.endswith(b) for a, b in itertools.pairwise(truth))]
    return glued or [f"{len(back.tasks)} tasks for {len(want.tasks)}"]


def judge(tally: Tally, name: str, read: Callable[[], Plan], want: Plan) -> None:
    tally.plans += 1
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t = time.perf_counter()
        try:
            back = read()
        except Exception as e:  # a read that raises is counted and named, not fatal to the run
            tally.seconds += time.perf_counter() - t
            tally.failed.append(f"{name}: {type(e).__name__}: {str(e)[:160]}")
            return
        tally.seconds += time.perf_counter() - t
    said = [str(w.message) for w in caught if issubclass(w.category, ReadWarning)]
    unsure = any(u in s for s in said for u in UNSURE)
    got, wanted = key(back), key(want)
    right = got == wanted or (len(got) == len(wanted) and all(
        _joined_only(g, w) for a, b in zip(got, wanted, strict=True) for g, w in zip(a, b, strict=True)))
    if got == wanted:
        tally.equal += 1
    elif right:
        tally.joined.append(f"{name}: {first_difference(back, want, joins=False)}")
    else:
        tally.differ.append(f"{name}: {first_difference(back, want)}")
    if right and unsure:
        tally.warned_right.append(name)
    if not unsure and (pieces := _pieces(back, want)):
        tally.fragments.append(f"{name}: {pieces[0][:30]!r}")
    if not unsure and (glued := _merged(back, want)):
        tally.merges.append(f"{name}: {glued[0][:40]!r}")


def _listed(items: list[str], shown: int) -> str:
    return "".join(f"\n      {x}" for x in items[:shown]) + (f"\n      … {len(items) - shown} more"
                                                            if len(items) > shown else "")


def report(name: str, t: Tally, shown: int, verbose: bool = False) -> str:
    def names(items: list[str]) -> str:
        return ", ".join(x.split(":")[0] for x in items)

    return (f"{name:20} {t.plans:4} plans  equal {t.equal:3}  joined {len(t.joined):3}  differ {len(t.differ):3}  "
            f"silent fragments {len(t.fragments)}  silent merges {len(t.merges)}  warned right "
            f"{len(t.warned_right):3}  failed {len(t.failed)}  read {t.seconds:6.1f} s  (printed in "
            f"{t.printing:.0f} s)"
            + (f"\n    joined:{_listed(t.joined, shown)}" if t.joined and verbose else "")
            + (f"\n    differ:{_listed(t.differ, shown)}" if t.differ else "")
            + (f"\n    silent fragments:{_listed(t.fragments, shown)}" if t.fragments else "")
            + (f"\n    silent merges:{_listed(t.merges, shown)}" if t.merges else "")
            + (f"\n    warned right: {names(t.warned_right)}" if t.warned_right else "")
            + (f"\n    failed:{_listed(t.failed, shown)}" if t.failed else ""))


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    ap.add_argument("--plans", type=int, default=80, help="generated plans (80)")
    ap.add_argument("--seed", type=int, default=101, help="the generator's seed (101)")
    ap.add_argument("--max-tasks", type=int, default=10, help="tasks per plan at most (10)")
    ap.add_argument("--producers", default=",".join(PRODUCERS), help=f"comma-separated, of {', '.join(PRODUCERS)}")
    ap.add_argument("--only", default="", help="comma-separated plan numbers to run (of the seeded set), e.g. 53")
    ap.add_argument("--keep", type=Path, help="write the plans that did not read back, and their PDFs, here")
    ap.add_argument("--shown", type=int, default=12, help="differences listed per producer (12)")
    ap.add_argument("--joins", action="store_true", help="list the reads that differ by the documented join too")
    args = ap.parse_args(argv)
    producers = [p.strip() for p in args.producers.split(",") if p.strip()]
    unknown = [p for p in producers if p not in PRODUCERS]
    if unknown:
        ap.error(f"unknown producer(s): {', '.join(unknown)}")
    if pdfgen.SOFFICE is None:
        print("LibreOffice is not installed: nothing to print PDFs with")
        return 1
    missing = [p for p in producers if not pdfgen.producer_available(p)]
    for p in missing:
        print(f"{p}: not installed, skipped")
    producers = [p for p in producers if p not in missing]

    t = time.perf_counter()
    plans = generated(args.plans, args.seed, args.max_tasks)
    chosen = {int(x) for x in args.only.split(",") if x.strip()}
    numbered = [(i, p) for i, p in enumerate(plans, start=1) if not chosen or i in chosen]
    print(f"{len(plans)} plans (seed {args.seed}, at most {args.max_tasks} tasks; "
          f"{sum(len(p.tasks) for _, p in numbered)} tasks in the {len(numbered)} run), "
          f"generated in {time.perf_counter() - t:.1f} s", flush=True)
    tallies = {p: Tally() for p in producers}
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        docs: list[Path] = []
        for i, plan in numbered:
            zwgk.export(plan, "docx", d / f"p{i:03d}.docx")
            docs.append(d / f"p{i:03d}.docx")
        made, took = produce(docs, producers, d)
        for name, pdfs in made.items():
            tally = tallies[name]
            tally.printing = took.get(name, 0.0)
            for (i, plan), (pdf, source) in zip(numbered, pdfs, strict=True):
                want = zwgk.load(source)
                before = (tally.equal, len(tally.warned_right))
                judge(tally, f"p{i:03d}", lambda pdf=pdf: zwgk.load(pdf), want)  # type: ignore[misc]
                if args.keep is not None and (tally.equal == before[0] or len(tally.warned_right) > before[1]):
                    _keep(args.keep, i, plan, name, pdf)
            print(report(name, tally, args.shown, args.joins), flush=True)
    return 0


def _keep(where: Path, i: int, plan: Plan, producer: str, pdf: Path) -> None:
    where.mkdir(parents=True, exist_ok=True)
    target = where / f"p{i:03d}.json"
    if not target.exists():
        zwgk.export(plan, "json", target)
    shutil.copy(pdf, where / f"p{i:03d}.{producer}.pdf")


if __name__ == "__main__":
    raise SystemExit(main())
