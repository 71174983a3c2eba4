"""How long splitting the sample's unit cells takes, beside reading the file.

Run from the project root:  PYTHONPATH=src python benchmarks/bench_split.py [--repeat N]

Prints, for the bundled 2020 Tai'an table, each the median of ``--repeat`` runs:

- the time to read the file into grids (the text reader alone);
- the time to load it into a plan (read + layout + build, unit cells included);
- the time to parse every unit cell with a fresh copy of the default registry, as the builder
  does (``learn=True``): *cold*, with the registry's memos and the name caches emptied first, and *warm*, as every load
  after the first one in a process runs (copies of a registry share what it has parsed);

and the ratios of splitting to reading. Splitting should take well under reading.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from importlib import resources

import zwgk
from zwgk._api import SAMPLE_NAME
from zwgk.table.layout import detect_layout
from zwgk.units._normalize import clean_name, match_key
from zwgk.units.shapes import ends_like_unit
from zwgk.vocabulary import UNIT_ROLES


def median_seconds(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    ref = resources.files("zwgk") / "data" / SAMPLE_NAME
    with resources.as_file(ref) as path:
        reader = zwgk.get_readers()["text"]
        cells: list[str] = []
        for grid in reader.read(path).tables:
            layout = detect_layout(grid)
            unit_cols = {c.index for c in layout.columns if c.role in UNIT_ROLES}
            for row in grid.rows[layout.header_start + layout.header_rows:]:
                cells.extend(c.text for i, c in enumerate(row) if i in unit_cols and c.text.strip())
        template = zwgk.unit_registry()

        def split_cold() -> None:
            reg = template.copy()
            reg._touch()  # empty the registry's memos and the name caches: every cell from scratch
            match_key.cache_clear()
            clean_name.cache_clear()
            ends_like_unit.cache_clear()
            for text in cells:
                reg.parse_cell(text, learn=True)

        def split_warm() -> None:
            reg = template.copy()
            for text in cells:
                reg.parse_cell(text, learn=True)

        for text in cells:  # what the first load of a process leaves behind
            template.parse_cell(text)
        zwgk.load(path)  # warm up plugins and imports
        read = median_seconds(lambda: reader.read(path), args.repeat)
        load = median_seconds(lambda: zwgk.load(path), args.repeat)
        cold = median_seconds(split_cold, args.repeat)
        warm = median_seconds(split_warm, args.repeat)

    n = len(cells)
    print(f"sample: {SAMPLE_NAME}: {n} unit cells ({len(set(cells))} distinct), median of {args.repeat} runs")
    print(f"read file into grids   : {read * 1000:7.2f} ms")
    print(f"load plan (all steps)  : {load * 1000:7.2f} ms")
    print(f"split all cells, cold  : {cold * 1000:7.2f} ms  ({cold / n * 1e6:5.1f} µs per cell)")
    print(f"split all cells, warm  : {warm * 1000:7.2f} ms  ({warm / n * 1e6:5.1f} µs per cell)")
    print(f"cold split / read      : {cold / read:7.2f}")
    print(f"warm split / read      : {warm / read:7.2f}")
    print(f"cold split / load      : {cold / load:7.2f}")


if __name__ == "__main__":
    main()
