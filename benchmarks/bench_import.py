"""How long ``import zwgk`` takes over a bare interpreter: the median of paired runs.

Each round starts two fresh interpreters one after the other, in alternating order, ``python -c
pass`` and ``python -c "import zwgk"``, and keeps the difference of their wall times; the figure
is the median difference (pairing cancels most of the noise of a shared machine). The target is
under 50 ms on a 2-core machine. ``-X importtime`` of one run names the costliest modules.

``import zwgk`` itself loads almost nothing (each public name is imported on first use), so the
first uses are timed the same way, for information: ``from zwgk import Plan`` (the model: attrs and
its classes) and building the ``zwgk`` command's parser (what every command pays before it starts:
the plugins are loaded to add theirs).

Usage::

    python benchmarks/bench_import.py               # 40 pairs
    python benchmarks/bench_import.py --pairs 10 --top 15
    python benchmarks/bench_import.py --baseline-src /tmp/old/src   # another checkout's src, same run
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 50.0
BARE = "pass"
IMPORT = "import zwgk"
#: First uses, timed like ``import zwgk`` and printed for information (no target).
FIRST_USES = ("from zwgk import Plan", "from zwgk.cli import build_parser; build_parser()")


def _run(code: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    return time.perf_counter() - started


def _costliest(env: dict[str, str], top: int) -> list[tuple[int, str]]:
    """The modules ``import zwgk`` spends most on, by ``-X importtime`` (cumulative microseconds)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", IMPORT], check=True, env=env,
                          capture_output=True, text=True)
    rows: list[tuple[int, str]] = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _self, cumulative, name = (part.strip() for part in line.removeprefix("import time:").split("|"))
        if name.startswith(" ") is False and not name.startswith("zwgk"):
            rows.append((int(cumulative), name.strip()))
        elif name.strip() == "zwgk":
            rows.append((int(cumulative), "zwgk (all)"))
    return sorted(rows, reverse=True)[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--pairs", type=int, default=40)
    parser.add_argument("--top", type=int, default=10, help="how many of the costliest imports to name")
    parser.add_argument("--baseline-src", metavar="DIR", help="also time the zwgk under DIR (a src folder)")
    args = parser.parse_args()
    over = _measure(ROOT / "src", args.pairs, args.top)
    if args.baseline_src:
        base = _measure(Path(args.baseline_src), args.pairs, 0)
        print(f"this checkout / baseline: {over / base:.2f}")


def _env(src: Path) -> dict[str, str]:
    # Bytecode is written on the warm-up run and used after, as in any installed package.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(src)
    return env


def _paired(code: str, env: dict[str, str], pairs: int) -> tuple[float, float, float]:
    """Median bare time, median time with ``code`` and the median paired difference, in ms."""
    _run(code, env)  # warm the file cache and write the bytecode
    bare: list[float] = []
    loaded: list[float] = []
    for k in range(pairs):
        order = (BARE, code) if k % 2 == 0 else (code, BARE)
        times = {c: _run(c, env) for c in order}
        bare.append(times[BARE])
        loaded.append(times[code])
    over = statistics.median(b - a for a, b in zip(bare, loaded, strict=True))
    return statistics.median(bare) * 1000, statistics.median(loaded) * 1000, over * 1000


def _measure(src: Path, pairs: int, top: int) -> float:
    """The median paired difference, in ms, for the zwgk under ``src`` (printed with its figures)."""
    env = _env(src)
    bare, loaded, over = _paired(IMPORT, env, pairs)
    print(f"zwgk from {src}")
    print(f"python -c pass       : median {bare:7.1f} ms ({pairs} runs)")
    print(f"python -c import zwgk: median {loaded:7.1f} ms")
    print(f"import zwgk over a bare interpreter: median of paired differences {over:.1f} ms "
          f"(target < {TARGET_MS:.0f} ms: {'met' if over < TARGET_MS else 'NOT met'}; "
          f"ratio to target {over / TARGET_MS:.2f})")
    for code in FIRST_USES:
        print(f"{code} over a bare interpreter: {_paired(code, env, pairs)[2]:.1f} ms")
    if top:
        print("costliest top-level imports (-X importtime, cumulative µs of one run):")
        for micros, name in _costliest(env, top):
            print(f"  {micros / 1000:7.1f} ms  {name}")
    return over


if __name__ == "__main__":
    main()
