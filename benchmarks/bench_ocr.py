"""Scans through OCR: rows right, character error rate, speed against a bare RapidOCR pass, memory.

The documents of the corpus (``../shared/corpus``, or ``--corpus DIR``) are rendered from their PDF
(``--formats``, default the LibreOffice PDF; ``chromium.pdf`` for Chromium's print) with PDFium, or
Poppler's ``pdftoppm`` (``--renderer pdftoppm``, as a scanning workflow often does), at ``--dpi``
(default 200), clean and
degraded (0.5–2° rotation, grey paper, a red seal, blur, noise, JPEG at quality 60:
``tests/fixtures/scans.py``), written as multi-page TIFFs and read with ``zwgk.load``, each in a
fresh process (its peak memory measured). For each it prints, in the same run:

- task rows entirely right (the corpus scorer: content, units as written, categories), with the
  registry's correction of misread unit names off (as written) and on (the units' resolved names);
- the same for the PDF's own text layer read by zwgk (what the scan can at best reach);
- CER: the edit distance between the task rows' text (content and units, as the scorer builds
  them) read from the scan and from the truth, over the truth's length;
- per page: zwgk's whole read of a page image, and a bare RapidOCR pass (detection, direction,
  recognition) over the same image, and their ratio (``--speed-pages`` pages, alternated).

    python benchmarks/bench_ocr.py                          # every document, clean and degraded
    python benchmarks/bench_ocr.py --only pingtan_2022 --modes clean --speed-pages 1
    python benchmarks/bench_ocr.py --formats chromium.pdf --renderer pdftoppm --speed-pages 0

Targets: clean ≥ 95% rows right and CER ≤ 0.5%, degraded ≥ 90%; ratio ≤ 1.0 (aim 0.5); peak
memory ≤ 1.5 GB. Needs the ocr extra and rapidfuzz.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent.parent / "shared" / "corpus"
if not CORPUS.exists():
    CORPUS = Path("/work/shared/corpus")


def _scorer(corpus: Path) -> Any:
    spec = importlib.util.spec_from_file_location("corpus_score", corpus / "score.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _resolved(plan: Any) -> Any:
    """The plan with each unit written as the name it resolved to (the registry's correction on)."""
    import attrs

    def fix(refs: Any) -> Any:
        return tuple(attrs.evolve(r, as_written=r.name) if r.note and "by OCR" in r.note else r for r in refs)

    tasks = tuple(attrs.evolve(t, leads=fix(t.leads), responsible=fix(t.responsible), cooperating=fix(t.cooperating))
                  for t in plan.tasks)
    return attrs.evolve(plan, tasks=tasks)


def _row_text(rows: list[dict[str, Any]]) -> str:
    return "\n".join(r["content"] + "|" + r["lead"] + "|" + r["other"] for r in rows)


def child(path: str, truth_path: str, corpus: str, dump: str = "") -> None:
    """Read one file in this process and print what it got as JSON (one line); with ``dump``, the
    rows the scorer built from the plan (as read and corrected) are written there as JSON."""
    import zwgk
    from zwgk.units.misread import correct_misreads

    score = _scorer(Path(corpus))
    truth = score.truth_rows(json.loads(Path(truth_path).read_text(encoding="utf-8")))
    started = time.perf_counter()
    error = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            plan = zwgk.load(path)
        except zwgk.ZwgkError as e:
            plan, error = None, str(e)
    seconds = time.perf_counter() - started
    out: dict[str, Any] = {"seconds": seconds, "error": error, "warnings": len(caught),
                           "low_confidence": sum("low confidence" in str(w.message) for w in caught)}
    if plan is not None:
        from rapidfuzz.distance import Levenshtein

        registry = zwgk.unit_registry()
        corrected = correct_misreads(plan, registry)
        rows: dict[str, Any] = {}
        for key, p in (("off", plan), ("on", _resolved(corrected))):
            got = score.plan_rows(p)
            rows[key] = got
            right, notes = score.score(truth, got)
            out[key] = {"right": right, "found": len(got), "notes": notes[:4]}
        if dump:
            Path(dump).write_text(json.dumps({"truth": truth, **rows}, ensure_ascii=False), encoding="utf-8")
        expected, got_text = _row_text(truth), _row_text(score.plan_rows(plan))
        out["cer"] = Levenshtein.distance(expected, got_text) / max(1, len(expected))
        out["corrected"] = sum(1 for t in corrected.tasks for r in t.units() if r.note and "by OCR" in r.note)
    out["total"] = len(truth)
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out, ensure_ascii=False))


_PUNCT = set("，。、；：！？（）()[]【】《》“”‘’\"',.;:!?-—－～~·…/／")


def _edits(expected: str, got: str) -> list[str]:
    """The character edits turning ``expected`` into ``got``, each as ``'old→new'``."""
    import difflib

    sm = difflib.SequenceMatcher(a=expected, b=got, autojunk=False)
    return [f"{expected[a0:a1] or '∅'}→{got[b0:b1] or '∅'}" for op, a0, a1, b0, b1 in sm.get_opcodes() if op != "equal"]


def _kind(expected: str, got: str, unit: bool) -> str:
    """What kind of error turns ``expected`` into ``got``."""
    import difflib

    if not got:
        return "lost"
    if not expected:
        return "extra"
    ops = [o for o in difflib.SequenceMatcher(a=expected, b=got, autojunk=False).get_opcodes() if o[0] != "equal"]
    changed = "".join(expected[a0:a1] + got[b0:b1] for _, a0, a1, b0, b1 in ops)
    if changed and all(c in _PUNCT for c in changed):
        return "punctuation"
    if got in expected:
        return "cut (text lost)"
    if expected in got:
        return "joined (text added)"
    if all(o[0] == "replace" and o[2] - o[1] == o[4] - o[3] for o in ops):
        return "unit misread" if unit else "character misread"
    if all(o[0] == "delete" for o in ops):
        return "text lost inside"
    if all(o[0] == "insert" for o in ops):
        return "text added inside"
    return "unit mixed edits" if unit else "mixed edits"


def misses(truth: list[dict[str, Any]], got: list[dict[str, Any]]) -> list[tuple[int, str, str, str]]:
    """Every wrong task row as (row, field, kind, edits), aligned as the scorer aligns them."""
    import difflib

    sm = difflib.SequenceMatcher(a=[t["content"] for t in truth], b=[g["content"] for g in got], autojunk=False)
    pairs: dict[int, int] = {}
    for a, b, n in sm.get_matching_blocks():
        for k in range(n):
            pairs[a + k] = b + k
    free = [j for j in range(len(got)) if j not in pairs.values()]
    out = []
    for i, t in enumerate(truth):
        j = pairs.get(i)
        if j is None:
            # the unmatched row read most like it, near its place
            near = sorted(free, key=lambda j: -difflib.SequenceMatcher(a=t["content"], b=got[j]["content"],
                                                                        autojunk=False).ratio())
            j = near[0] if near else None
            g = got[j] if j is not None else {"content": "", "lead": "", "other": "", "l1": None, "l2": None}
            out.append((i + 1, "content", _kind(t["content"], g["content"], False),
                        "; ".join(_edits(t["content"], g["content"])[:4])))
        else:
            g = got[j]
        for f in ("lead", "other", "l1", "l2"):
            if t[f] is None or t[f] == g[f]:
                continue
            field = "units" if f in ("lead", "other") else "category"
            out.append((i + 1, f"{field}:{f}", _kind(t[f], g[f] or "", f in ("lead", "other")),
                        "; ".join(_edits(t[f], g[f] or "")[:4])))
    return out


def _run_child(path: Path, truth: Path, corpus: Path, dump: Path | None = None) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", str(path), str(truth), str(corpus)] + ([str(dump)] if dump else [])
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        return {"error": f"crash: {proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else proc.returncode}",
                "total": 0, "peak_mb": 0.0, "seconds": 0.0}
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def _first_page(tif: Path) -> Any:
    import numpy as np
    from PIL import Image

    with Image.open(tif) as im:
        return np.array(im.convert("RGB"))


def _page_count(tif: Path) -> int:
    from PIL import Image

    with Image.open(tif) as im:
        return int(getattr(im, "n_frames", 1))


def _pdftoppm(pdf: Path, dpi: float) -> list[Any]:
    """The pages of ``pdf`` as RGB arrays at ``dpi``, drawn by Poppler's ``pdftoppm``."""
    import numpy as np
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", f"{dpi:g}", "-png", str(pdf), str(Path(tmp) / "p")], check=True,
                       capture_output=True)
        out = []
        for png in sorted(Path(tmp).glob("p-*.png"), key=lambda q: int(q.stem.rsplit("-", 1)[1])):
            with Image.open(png) as im:
                out.append(np.array(im.convert("RGB")))
        return out


def _speed(images: list[Any], dpi: float) -> list[tuple[float, float]]:
    """(bare RapidOCR seconds, zwgk seconds) per page image, alternated in this process."""
    from rapidocr_onnxruntime import RapidOCR

    import zwgk
    from tests.fixtures.scans import write_tiff

    engine = RapidOCR()
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, img in enumerate(images):
            page = write_tiff([img], Path(tmp) / f"p{i}.tif", dpi)
            zwgk.load(page) if i == 0 else None  # warm the model once, as a long run would
            t = time.perf_counter()
            engine(img)
            bare = time.perf_counter() - t
            t = time.perf_counter()
            with warnings.catch_warnings(), contextlib.suppress(zwgk.ZwgkError):
                warnings.simplefilter("ignore")
                zwgk.load(page)
            ours = time.perf_counter() - t
            out.append((bare, ours))
            print(f"  page {i + 1}: bare RapidOCR {bare:6.1f} s   zwgk {ours:6.1f} s   ratio {ours / bare:.2f}",
                  flush=True)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--only", help="comma-separated document names")
    ap.add_argument("--formats", default="libreoffice.pdf")
    ap.add_argument("--modes", default="clean,degraded")
    ap.add_argument("--dpi", type=float, default=200.0)
    ap.add_argument("--renderer", choices=("pdfium", "pdftoppm"), default="pdfium")
    ap.add_argument("--speed-pages", type=int, default=3, help="pages timed against a bare RapidOCR pass")
    ap.add_argument("--keep", type=Path, help="keep the generated TIFFs (and the rows read) in this folder")
    ap.add_argument("--misses", action="store_true", help="list every wrong row: field, kind of error, edits")
    ap.add_argument("--reuse", action="store_true", help="read the TIFFs already kept in --keep (no rendering)")
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return 0
    from tests.fixtures.scans import degrade, render, write_tiff

    corpus: Path = args.corpus
    names = sorted(p.parent.name for p in corpus.glob("*/truth.json"))
    if args.only:
        names = [n for n in names if n in args.only.split(",")]
    modes = args.modes.split(",")
    tmp = tempfile.TemporaryDirectory()
    folder = args.keep if args.keep is not None else Path(tmp.name)
    folder.mkdir(parents=True, exist_ok=True)
    totals: dict[tuple[str, str], list[float]] = {}
    kinds: dict[tuple[str, str, str], int] = {}
    speed_images: list[Any] = []
    peak = 0.0
    print(f"{'document':<34}{'mode':<10}{'rows (as read)':>15}{'(corrected)':>12}{'text layer':>11}"
          f"{'CER':>8}{'s/page':>8}{'peak MB':>9}")
    for name in names:
        truth = corpus / name / "truth.json"
        for fmt in args.formats.split(","):
            pdf = corpus / name / f"{name}.{fmt}"
            if not pdf.exists():
                continue
            layer = _run_child(pdf, truth, corpus)
            stem = f"{name}.{fmt}.{args.renderer}.{args.dpi:g}dpi"
            kept = {mode: folder / f"{stem}.{mode}.tif" for mode in modes}
            reuse = args.reuse and all(t.exists() for t in kept.values())
            draw = _pdftoppm if args.renderer == "pdftoppm" else render
            clean = [] if reuse else draw(pdf, args.dpi)
            if len(speed_images) < args.speed_pages:
                speed_images.append(clean[0] if clean else _first_page(kept[modes[0]]))
            for mode in modes:
                tif = kept[mode]
                if not reuse:
                    pages = clean if mode == "clean" else [degrade(p, seed=i, dpi=args.dpi)
                                                           for i, p in enumerate(clean)]
                    write_tiff(pages, tif, args.dpi)
                    del pages
                dump = folder / f"{stem}.{mode}.rows.json"
                r = _run_child(tif, truth, corpus, dump)
                pages_read = max(1, len(clean) or _page_count(tif))
                total = r.get("total", 0)
                off = r.get("off", {}).get("right", 0)
                on = r.get("on", {}).get("right", 0)
                base = layer.get("off", {}).get("right", 0)
                cer = r.get("cer")
                per_page = r.get("seconds", 0.0) / pages_read
                peak = max(peak, r.get("peak_mb", 0.0))
                t = totals.setdefault((mode, "rows"), [0, 0, 0, 0, 0.0, 0])
                t[0] += off
                t[1] += on
                t[2] += total
                t[3] += base
                if cer is not None:
                    t[4] += cer * total
                    t[5] += total
                cer_text = f"{cer:.2%}" if cer is not None else "-"
                print(f"{name + '.' + fmt:<34}{mode:<10}{off:>9}/{total:<5}{on:>8}/{total:<3}{base:>7}/{total:<3}"
                      f"{cer_text:>8}{per_page:>8.1f}{r.get('peak_mb', 0.0):>9.0f}"
                      + (f"  {r['error'][:80]}" if r.get("error") else ""), flush=True)
                notes = r.get("on", {}).get("notes")
                if args.misses and dump.exists():
                    rows = json.loads(dump.read_text(encoding="utf-8"))
                    for row, field, kind, edits in misses(rows["truth"], rows["off"]):
                        print(f"    row {row:>3}  {field:<15} {kind:<22} {edits}")
                        kinds[(mode, field.split(":")[0], kind)] = kinds.get((mode, field.split(":")[0], kind), 0) + 1
                elif notes:
                    print(f"    {'; '.join(notes[:3])}")
    for mode in modes:
        t = totals.get((mode, "rows"))
        if not t or not t[2]:
            continue
        cer = t[4] / t[5] if t[5] else float("nan")
        print(f"TOTAL {mode}: {t[0]}/{t[2]} rows right as read ({t[0] / t[2]:.1%}), {t[1]}/{t[2]} with the "
              f"registry's correction ({t[1] / t[2]:.1%}); text layer {t[3]}/{t[2]}; CER {cer:.2%}")
    if kinds:
        print("wrong fields by kind (as read):")
        for (mode, field, kind), n in sorted(kinds.items(), key=lambda kv: (kv[0][0], -kv[1])):
            print(f"  {mode:<10}{field:<10}{kind:<24}{n:>4}")
    print(f"peak memory of a read: {peak:.0f} MB (target ≤ 1536)")
    if speed_images:
        print(f"speed, {len(speed_images)} page(s) at {args.dpi:g} dpi:")
        pairs = _speed(speed_images, args.dpi)
        bare = sum(b for b, _ in pairs)
        ours = sum(o for _, o in pairs)
        print(f"per page: bare RapidOCR {bare / len(pairs):.1f} s, zwgk {ours / len(pairs):.1f} s; "
              f"ratio {ours / bare:.2f} (target ≤ 1.0, aim 0.5)")
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
