"""The HTML and xlsx readers against the usual way to read the same table, timed in the same run.

Writes one task table (the sample's task rows repeated to ``--rows`` rows of seven columns, a
category column merged over its tasks as the exporters write it) as clean HTML markup and as an
.xlsx workbook, then measures the CPU time of each (``time.process_time``: steadier than the clock on
a shared machine), best of ``--repeat`` runs each, alternating so that other load on the machine
weighs on both alike:

- ``zwgk html``: :func:`zwgk.readers.html.read_html`, the page to grids (text tidied, spans
  resolved, every cell's position kept), against ``pandas.read_html(path, flavor="lxml")``
  (target: at most 1.0x).
- ``zwgk xlsx``: the ``zwgk-xlsx`` plugin's reader (limits checked, merged ranges as spans), against
  openpyxl's read-only mode reading every value (``iter_rows(values_only=True)``; target: at most 1.5x).
  Timed twice: the workbook as openpyxl writes it (text as inline strings), and the same workbook
  with its text in a shared string table, as Excel, WPS and LibreOffice write it.

    PYTHONPATH=src python benchmarks/bench_readers.py [--rows 3000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import functools
import gc
import html
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HEADER = ("序号", "工作类别", "工作任务", "具体任务", "牵头单位", "责任单位", "完成时限")


def _rows(n: int) -> list[tuple[str, ...]]:
    import zwgk

    plan = zwgk.load_sample()
    out: list[tuple[str, ...]] = []
    tasks = plan.tasks
    for i in range(n):
        t = tasks[i % len(tasks)]
        out.append((str(i + 1), t.path[0] if t.path else "", t.path[-1] if t.path else "", f"{t.text}（{i}）",
                    "、".join(u.as_written for u in t.leads), "、".join(u.as_written for u in t.responsible),
                    t.deadline or ""))
    return out


def _groups(rows: list[tuple[str, ...]]) -> list[int]:
    """The rowspan of the category cell starting at each row (0: covered by the one above)."""
    spans = [0] * len(rows)
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i][1] != rows[start][1]:
            spans[start] = i - start
            start = i
    return spans


def write_html(path: Path, rows: list[tuple[str, ...]]) -> None:
    spans = _groups(rows)
    out = ['<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>任务分解表</title></head><body>\n',
           "<table border=\"1\">\n<thead><tr>", *(f"<th>{h}</th>" for h in HEADER), "</tr></thead>\n<tbody>\n"]
    for row, span in zip(rows, spans, strict=True):
        cells = [f"<td>{html.escape(row[0])}</td>"]
        if span:
            cells.append(f'<td rowspan="{span}">{html.escape(row[1])}</td>' if span > 1 else
                         f"<td>{html.escape(row[1])}</td>")
        cells += [f"<td>{html.escape(v)}</td>" for v in row[2:]]
        out.append("<tr>" + "".join(cells) + "</tr>\n")
    out.append("</tbody>\n</table>\n</body></html>\n")
    path.write_text("".join(out), encoding="utf-8")


def write_xlsx(path: Path, rows: list[tuple[str, ...]]) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "任务分解"
    ws.append(list(HEADER))
    for row in rows:
        ws.append(list(row))
    for i, span in enumerate(_groups(rows)):
        if span > 1:
            ws.merge_cells(start_row=i + 2, start_column=2, end_row=i + 1 + span, end_column=2)
    wb.save(path)


def shared_strings(path: Path, out: Path) -> None:
    """The workbook at ``path`` written to ``out`` with every inline string moved to a shared string
    table (``t="s"``), as Excel, WPS and LibreOffice store text."""
    import zipfile

    from lxml import etree

    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    table = etree.Element(f"{{{ns}}}sst", nsmap={None: ns})
    for name in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
        root = etree.fromstring(parts[name])
        for c in root.iter(f"{{{ns}}}c"):
            inline = c.find(f"{{{ns}}}is")
            if c.get("t") == "inlineStr" and inline is not None:
                etree.SubElement(table, f"{{{ns}}}si").extend(list(inline))
                c.remove(inline)
                c.set("t", "s")
                etree.SubElement(c, f"{{{ns}}}v").text = str(len(table) - 1)
        parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    parts["xl/sharedStrings.xml"] = etree.tostring(table, xml_declaration=True, encoding="UTF-8")
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kind}"/></Types>'.encode())
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return min(times)


def pair(ours: Callable[[], object], theirs: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Best times of both, run alternately (one of each per round)."""
    a: list[float] = []
    b: list[float] = []
    for _ in range(repeat):
        a.append(best(ours, 1))
        b.append(best(theirs, 1))
    return min(a), min(b)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rows = _rows(args.rows)
    with tempfile.TemporaryDirectory(prefix="zwgk-bench-readers-") as tmp:
        page, book = Path(tmp) / "t.html", Path(tmp) / "t.xlsx"
        write_html(page, rows)
        write_xlsx(book, rows)
        print(f"{args.rows} task rows x {len(HEADER)} columns: {page.stat().st_size / 1024:.0f} KiB of HTML, "
              f"{book.stat().st_size / 1024:.0f} KiB of xlsx; CPU time, best of {args.repeat}, alternating "
              f"(load average {os.getloadavg()[0]:.1f})")

        import pandas as pd

        from zwgk.readers.html import read_html

        def ours_html() -> None:
            grids = read_html(page).tables
            assert sum(len(g.rows) for g in grids) == args.rows + 1

        def pandas_html() -> None:
            (frame,) = pd.read_html(page, flavor="lxml")
            assert len(frame) == args.rows

        ours_html(), pandas_html()  # imports and caches warmed, answers checked
        z, p = pair(ours_html, pandas_html, args.repeat)
        print(f"html: zwgk read_html {1000 * z:.0f} ms, pandas.read_html {1000 * p:.0f} ms: "
              f"{z / p:.2f}x (target <= 1.0x)")

        from openpyxl import load_workbook
        from zwgk_xlsx import read_xlsx

        def ours_xlsx(book: Path) -> None:
            (grid,) = read_xlsx(book).tables
            assert len(grid.rows) == args.rows + 1

        def openpyxl_read_only(book: Path) -> None:
            wb = load_workbook(book, read_only=True)
            try:
                n = sum(1 for _ in wb.active.iter_rows(values_only=True))
            finally:
                wb.close()
            assert n == args.rows + 1

        shared_strings(book, Path(tmp) / "shared.xlsx")
        for storage, workbook in (("inline strings", book), ("shared strings", Path(tmp) / "shared.xlsx")):
            ours, theirs = functools.partial(ours_xlsx, workbook), functools.partial(openpyxl_read_only, workbook)
            ours(), theirs()
            z, o = pair(ours, theirs, args.repeat)
            print(f"xlsx ({storage}): zwgk-xlsx read_xlsx {1000 * z:.0f} ms, openpyxl read-only "
                  f"{1000 * o:.0f} ms: {z / o:.2f}x (target <= 1.5x)")


if __name__ == "__main__":
    main()
