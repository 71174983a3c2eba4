"""Reading large .docx task tables: zwgk against python-docx, docx2python and a bare lxml walk.

Generates tables of 150, 1,500 and 15,000 task rows (first- and second-level categories vertically
merged, as Word writes them) and times, on the same files in the same run:

- ``lxml-floor``: ``etree.fromstring`` of ``word/document.xml`` and the text of every ``w:tc``;
  no merges, no structure. No reader can be much faster than this.
- ``zwgk-grid``: zwgk's DOCX reader to :class:`~zwgk.table.grid.Grid` (merges resolved).
- ``zwgk-plan``: ``zwgk.load`` — the grid, the layout, the builder and unit splitting, to a Plan.
- ``python-docx``: ``for row in table.rows: [c.text for c in row.cells]``.
- ``docx2python``: ``docx2python(path).body``.

The summary also times the floor and zwgk-plan alternately in one process (best of five each), so
that other load on the machine weighs on both alike; zwgk is a little slower there than in a fresh
process, as it runs in the heap the floor's 190 MiB tree has just left behind.

Each measurement runs in a fresh process, so that its peak memory (the peak resident set size,
VmHWM, above what the process held before reading) is its own. Times are the best of several runs.

Usage (``pip install -e ".[bench]"`` adds docx2python; without it that reader is skipped)::

    python benchmarks/bench_docx_read.py                  # all sizes, all readers
    python benchmarks/bench_docx_read.py --sizes 150 1500 --skip docx2python
    python benchmarks/bench_docx_read.py --units random   # every unit cell different (stress)

``--units sample`` (default) fills the unit columns with the sample's unit cells in turn, as real
tables repeat a few dozen unit lists; ``--units random`` makes nearly every unit cell different,
which measures the unit splitter more than the reader.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

METHODS = ("lxml-floor", "zwgk-grid", "zwgk-plan", "python-docx", "docx2python")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _status_kib(field: str) -> int:
    """A memory figure of this process from /proc (VmRSS: now; VmHWM: the peak)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    # elsewhere: ru_maxrss (on Linux it would include the parent's size inherited through exec)
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _runner(method: str) -> Callable[[Path], int]:
    """The function that reads a file with ``method`` and returns how many rows/tasks it saw."""
    if method == "lxml-floor":
        from lxml import etree

        def floor(path: Path) -> int:
            with zipfile.ZipFile(path) as zf:
                root = etree.fromstring(zf.read("word/document.xml"))
            n = 0
            for tc in root.iter(W + "tc"):
                "".join(tc.itertext(W + "t"))
                n += 1
            return n

        return floor
    if method == "zwgk-grid":
        from zwgk.readers.docx import read_docx

        return lambda path: sum(len(g.rows) for g in read_docx(path).tables)
    if method == "zwgk-plan":
        import zwgk

        zwgk.unit_registry()  # load the registry and plugins before timing
        return lambda path: len(zwgk.load(path).tasks)
    if method == "python-docx":
        import docx

        def python_docx(path: Path) -> int:
            n = 0
            for table in docx.Document(str(path)).tables:
                for row in table.rows:
                    [c.text for c in row.cells]
                    n += 1
            return n

        return python_docx
    if method == "docx2python":
        from docx2python import docx2python

        def d2p(path: Path) -> int:
            with docx2python(str(path)) as doc:
                return sum(len(t) for t in doc.body)

        return d2p
    raise SystemExit(f"unknown method {method}")


def child(method: str, path: Path, repeat: int) -> None:
    """Run one measurement in this process and print it as JSON."""
    run = _runner(method)
    before = _status_kib("VmRSS")
    best = float("inf")
    count = 0
    for _ in range(repeat):
        t = time.perf_counter()
        count = run(path)
        best = min(best, time.perf_counter() - t)
    peak = _status_kib("VmHWM")
    print(json.dumps({"seconds": best, "peak_kib": max(0, peak - before), "count": count}))


def child_ratio(path: Path, repeat: int) -> None:
    """Time the lxml floor and zwgk-plan alternately in one process (load on the machine hits both)."""
    floor, plan = _runner("lxml-floor"), _runner("zwgk-plan")
    best = {"floor": float("inf"), "plan": float("inf")}
    for _ in range(repeat):
        for name, run in (("floor", floor), ("plan", plan)):
            t = time.perf_counter()
            run(path)
            best[name] = min(best[name], time.perf_counter() - t)
    print(json.dumps(best))


def measure(method: str, path: Path, repeat: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", method, str(path), "--repeat", str(repeat)],
        check=True, capture_output=True, text=True, env={**os.environ, "ZWGK_DISABLE_PLUGINS": "1"},
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[150, 1500, 15000])
    ap.add_argument("--skip", nargs="*", default=[], choices=METHODS)
    ap.add_argument("--units", choices=("sample", "random"), default="sample")
    ap.add_argument("--repeat", type=int, default=3, help="runs per fast measurement (best is kept)")
    ap.add_argument("--child", nargs=2, metavar=("METHOD", "PATH"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        if args.child[0] == "ratio":
            child_ratio(Path(args.child[1]), args.repeat)
        else:
            child(args.child[0], Path(args.child[1]), args.repeat)
        return

    from tests.fixtures.docxgen import write_generated

    methods = [m for m in METHODS if m not in args.skip]
    if "docx2python" in methods and importlib.util.find_spec("docx2python") is None:
        print("docx2python is not installed: skipped (pip install -e \".[bench]\" installs it)")
        methods.remove("docx2python")
    results: dict[int, dict[str, dict[str, float]]] = {}
    xml_sizes: dict[int, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            path = write_generated(Path(tmp) / f"tasks-{n}.docx", n, units=args.units)
            with zipfile.ZipFile(path) as zf:
                xml_sizes[n] = zf.getinfo("word/document.xml").file_size
            print(f"\n{n:,} rows: {path.stat().st_size / 1024:,.0f} KiB .docx, "
                  f"word/document.xml {xml_sizes[n] / 2**20:,.1f} MiB (unit cells: {args.units})")
            print(f"  {'reader':<12} {'seconds':>9} {'peak MiB':>9} {'× floor':>8} {'peak/xml':>9}")
            results[n] = {}
            if "lxml-floor" in methods and "zwgk-plan" in methods:
                results[n]["interleaved"] = measure("ratio", path, max(args.repeat, 5))
            for m in methods:
                slow = m in ("python-docx", "docx2python") and n >= 15000
                r = measure(m, path, 1 if slow else args.repeat)
                results[n][m] = r
                floor = results[n].get("lxml-floor", {}).get("seconds")
                ratio = f"{r['seconds'] / floor:8.2f}" if floor else f"{'':8}"
                peak_mib = r["peak_kib"] / 1024
                print(f"  {m:<12} {r['seconds']:9.3f} {peak_mib:9.1f} {ratio} "
                      f"{r['peak_kib'] * 1024 / xml_sizes[n]:9.2f}")

    print("\nSummary")
    for n, res in results.items():

        def target(bound: str, n: int = n) -> str:
            return f" (target at 15,000 rows: {bound.strip()})" if n >= 15000 else ""

        plan = res.get("zwgk-plan")
        if plan is None:
            continue
        parts = [f"{n:,} rows: zwgk-plan {plan['seconds']:.3f} s"]
        if "lxml-floor" in res:
            text = f"{plan['seconds'] / res['lxml-floor']['seconds']:.2f}× the lxml floor{target(' ≤ 2')}"
            if "interleaved" in res:
                both = res["interleaved"]
                text += (f" ({both['plan'] / both['floor']:.2f}× when both are timed alternately in one "
                         f"process: {both['plan']:.3f} s against {both['floor']:.3f} s)")
            parts.append(text)
        for other in ("python-docx", "docx2python"):
            if other in res:
                parts.append(f"{res[other]['seconds'] / plan['seconds']:.1f}× faster than {other}")
        parts.append(f"peak memory {plan['peak_kib'] * 1024 / xml_sizes[n]:.2f}× document.xml{target(' < 5')}")
        print("  " + "; ".join(parts))
    sizes = sorted(results)
    for a, b in itertools.pairwise(sizes):
        if "zwgk-plan" in results[a] and "zwgk-plan" in results[b]:
            growth = results[b]["zwgk-plan"]["seconds"] / results[a]["zwgk-plan"]["seconds"]
            print(f"  growth {a:,} → {b:,} rows ({b / a:.0f}× the rows): {growth:.2f}× the time"
                  + (" (target < 12)" if b / a == 10 else ""))


if __name__ == "__main__":
    main()
