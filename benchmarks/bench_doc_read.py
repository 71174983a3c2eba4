"""Reading a .doc natively against converting it with LibreOffice first, timed in the same run.

Both go through :func:`zwgk.load`, the whole read to a plan: natively (the ``doc`` reader,
:mod:`zwgk.readers.doc`) and the way zwgk read every .doc before it, LibreOffice converting the
file to .odt and the ODT reader reading that (the native reader switched off for the run,
``zwgk.readers.convert.READ_WORD_NATIVELY``). The native time includes knowing it needs no converting
(``kind_of``, which reads it and keeps the document for the read). The time is the wall clock
(``time.perf_counter``), as the conversion runs in another process; best of ``--repeat`` runs for the native read, of
``--repeat-lo`` for the conversion (each a fresh LibreOffice start, as :func:`zwgk.load` does).

The inputs: the sample's 143 tasks exported as .docx and converted to .doc by LibreOffice in this
run, and every ``*.doc`` under ``--corpus DIR`` when given (the real documents of the scorer).
Files LibreOffice reads without their table are timed all the same, and marked.

    PYTHONPATH=src python benchmarks/bench_doc_read.py [--corpus ../shared/corpus] [--repeat 5] [--repeat-lo 2]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path


def _best(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    best = float("inf")
    result: object = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        try:
            result = fn()
        except Exception as e:  # a .doc LibreOffice reads without its table: timed all the same
            result = e
        best = min(best, time.perf_counter() - t0)
    return best, result


def _sample_doc(work: Path, soffice: str) -> Path:
    import zwgk

    src = work / "sample.docx"
    zwgk.export(zwgk.load_sample(), "docx", src)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation={(work / 'profile').as_uri()}",
                    "--convert-to", "doc:MS Word 97", "--outdir", str(work), str(src)],
                   check=True, capture_output=True, timeout=600)
    return work / "sample.doc"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=None, help="a folder whose *.doc files are timed too")
    parser.add_argument("--repeat", type=int, default=5, help="runs of the native read (best taken)")
    parser.add_argument("--repeat-lo", type=int, default=2, help="runs through LibreOffice (best taken)")
    args = parser.parse_args()

    import zwgk
    from zwgk.readers import convert

    soffice = convert.find_soffice()
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is needed for the baseline")
    warnings.simplefilter("ignore")
    work = Path(tempfile.mkdtemp(prefix="bench-doc-"))
    try:
        files = [_sample_doc(work, soffice)]
        if args.corpus is not None:
            files += sorted(args.corpus.glob("**/*.doc"))
        print(f"{'file':<28} {'KiB':>6} {'native ms':>10} {'LibreOffice ms':>15} {'ratio':>7}  tasks native/LO")
        total_native = total_lo = 0.0
        for path in files:
            native, plan = _best(lambda p=path: zwgk.load(p), args.repeat)
            convert.READ_WORD_NATIVELY = False
            try:
                lo, lo_plan = _best(lambda p=path: zwgk.load(p), args.repeat_lo)
            finally:
                convert.READ_WORD_NATIVELY = True
            total_native += native
            total_lo += lo
            got = len(plan.tasks) if isinstance(plan, zwgk.Plan) else "error"
            lo_got = len(lo_plan.tasks) if isinstance(lo_plan, zwgk.Plan) else "no table"
            print(f"{path.name[:28]:<28} {path.stat().st_size / 1024:>6.0f} {native * 1000:>10.1f} "
                  f"{lo * 1000:>15.0f} {lo / native:>6.0f}x  {got}/{lo_got}")
        print(f"{'all':<28} {'':>6} {total_native * 1000:>10.1f} {total_lo * 1000:>15.0f} "
              f"{total_lo / total_native:>6.0f}x  (LibreOffice time / native time)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
