"""``zwgk batch`` throughput, overhead, scaling and parent memory on a generated corpus.

Generates documents (the sample reshuffled; .txt, .docx and .html in turn), then runs the batch in
fresh processes and prints: the CPU the batch spends (its parent, forkserver, workers and writer together)
against bare ``zwgk.load`` of the same files in one process (target <= 1.2x), documents/s with 1 and
2 worker processes over the 2,000-document corpus and their ratio (target >= 1.8x on 2 idle cores),
the time for the small and the large corpus
and their ratio per document (near 1 means linear), and the parent's peak memory (max RSS) at
three sizes (the parent holds no rows: it forwards each document's packed rows to the writer
process as they come, so its memory should not grow with the number of documents).

The machine's load varies (other processes share its cores), so bare, ``-j 1`` and ``-j 2`` runs are
interleaved ``--repeat`` times and every run's figures are printed; each ratio is given per repeat
(each run against the other runs of its repeat), as their median and spread, as the ratio of the
best runs, and with the number of repeats meeting the target: a target met in every repeat is met,
one whose spread straddles it is noise as much as code. Every run reads zwgk's modules from a
bytecode cache filled by untimed runs first, as an installed package does (see :func:`_child_env`).

    PYTHONPATH=src python benchmarks/bench_batch.py [--small 200] [--medium 1000] [--large 2000] [--speed 2000]
        [--repeat 3] [--counties N]

``--counties N`` spreads the documents over N made-up counties instead of the generated corpus's
14 regions, as a folder of every county's downloads is: each region and year then holds a few
documents (in a dataset partitioned by region as well, as format ``zwgk.dataset/2`` is, each costs
the writer a part file per table whatever its size).

With ``--instructions N`` it prints instead, under ``valgrind --tool=callgrind`` (which counts
instructions whatever else the machine runs), the instructions per document of a bare
``zwgk.load`` and of a worker's per-file step (read, validate, flatten, pack and pickle,
:data:`~zwgk.corpus._pool.MAX_BATCH_SIZE` files at a time, as in a large run), over N generated documents after
``--warm`` documents have filled the caches: only what runs inside ``functools.reduce`` is counted.

    PYTHONPATH=src python benchmarks/bench_batch.py --instructions 24 [--warm 16]

With ``--whole SIZE SIZE`` it counts, under callgrind too, every instruction of whole runs (bare,
``-j 1``, ``-j 2``: the parent, forkserver, workers, writer, resource tracker, from interpreter
start to exit) over two corpus sizes, and from the two sizes each run's fixed instructions and its
instructions per document; the ratio to the bare run is then given at both sizes and at
``--speed`` documents. The CPU target stated in instructions: what the timed runs measure, without
the machine's load (slow: about 100 M instructions a second under valgrind).

    PYTHONPATH=src python benchmarks/bench_batch.py --whole 200 600 [--speed 2000]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _adopt_descendants() -> bool:
    """Make this process the reaper of its orphaned descendants (Linux), so the CPU of the
    forkserver's workers is counted in its children's usage once they are reaped."""
    try:
        import ctypes

        return bool(ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


def _reap_all() -> None:
    from multiprocessing import forkserver, resource_tracker

    with contextlib.suppress(Exception):
        forkserver._forkserver._stop()  # type: ignore[attr-defined]
    with contextlib.suppress(Exception):  # it ends when the last process holding its pipe lets go
        resource_tracker._resource_tracker._stop()  # type: ignore[attr-defined]
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def _peak_rss_mib(usage: resource.struct_rusage) -> float:
    """This process's peak resident memory in MiB: the kernel's high-water mark of its own memory
    (``VmHWM``). Not ``ru_maxrss`` where ``/proc`` has it: Linux carries the ``ru_maxrss`` of the
    process that forked this one over ``exec``, so it would report this benchmark's own memory."""
    with contextlib.suppress(OSError, IndexError, ValueError):
        status = Path("/proc/self/status").read_text(encoding="ascii")
        return int(status.split("VmHWM:")[1].split()[0]) / 1024
    return usage.ru_maxrss / 1024


def child(files_list: str, out: str, jobs: int) -> None:
    """Run the batch (jobs >= 1), or bare zwgk.load of each file (jobs 0), over the listed files
    in this process; print seconds, peak RSS and CPU (this process, and all of its descendants)."""
    adopted = _adopt_descendants()
    batch_as_for = os.environ.get(_BATCH_AS_FOR)
    if batch_as_for:  # send files in batches as a run of that many documents does (see whole())
        from zwgk.corpus import _pool

        size = _pool.batch_size_for(int(batch_as_for), jobs)
        _pool.batch_size_for = lambda items, workers: size
    files = Path(files_list).read_text(encoding="utf-8").split("\n")
    started = time.perf_counter()
    if jobs:
        from zwgk.cli import main

        code = main(["batch", *files, "-o", out, "-j", str(jobs)])
    else:
        import zwgk

        for f in files:
            zwgk.load(f)
        code = 0
    elapsed = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak = _peak_rss_mib(usage)
    _reap_all()
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"seconds": elapsed, "rss_mib": peak, "code": code,
                      "cpu": usage.ru_utime + usage.ru_stime,
                      "cpu_all": usage.ru_utime + usage.ru_stime + kids.ru_utime + kids.ru_stime,
                      "counted": adopted}))


def counted(files_list: str, warm: int, mode: str) -> None:
    """Under callgrind: ``warm`` documents read uncounted, then the rest read inside
    ``functools.reduce``, the only code counted (``--toggle-collect=functools_reduce``), bare
    (``mode`` "bare") or as a worker's step ("step")."""
    import functools

    import zwgk
    from zwgk.corpus._pool import MAX_BATCH_SIZE
    from zwgk.corpus._rows import FileJob, content_hash, read_document, seal_together

    jobs = [FileJob(f, f, content_hash(f)) for f in Path(files_list).read_text(encoding="utf-8").split("\n")]

    def read(some: list[FileJob]) -> None:
        for i in range(0, len(some), MAX_BATCH_SIZE):
            group = some[i:i + MAX_BATCH_SIZE]
            if mode == "bare":
                for job in group:
                    zwgk.load(job.path)
            else:
                seal_together(list(map(read_document, group)))

    read(jobs[:warm])
    functools.reduce(lambda _, some: read(some), [jobs[warm:]], None)


def _callgrind_total(out: Path) -> int:
    """The instructions a callgrind output file counted (its ``summary:`` line, or ``totals:``)."""
    for line in out.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    raise ValueError(f"no total in {out}")


def instructions(files: list[Path], warm: int, work: Path) -> None:
    """Print the instructions per document of a bare load and of a worker's step (:func:`counted`)."""
    listing = work / "files.txt"
    listing.write_text("\n".join(map(str, files)), encoding="utf-8")
    per: dict[str, float] = {}
    for mode in ("bare", "step"):
        out = work / f"callgrind.{mode}"
        subprocess.run(["valgrind", "--tool=callgrind", "--collect-atstart=no", "--toggle-collect=functools_reduce",
                        f"--callgrind-out-file={out}", sys.executable, __file__, "--counted", str(listing), str(warm),
                        mode], capture_output=True, check=True, env={**os.environ, "TQDM_DISABLE": "1"})
        per[mode] = _callgrind_total(out) / (len(files) - warm) / 1e6
    print(f"instructions per document over {len(files) - warm} documents after {warm}: bare zwgk.load "
          f"{per['bare']:.1f} M, a worker's step (read, validate, flatten, pack, pickle) {per['step']:.1f} M "
          f"({per['step'] / per['bare']:.3f}x)")


def _run_instructions(listing: Path, out: Path, jobs: int, work: Path, speed: int) -> float:
    """Every instruction of one run (:func:`child`) and of every process it starts, in millions.

    A worker forked by the forkserver starts with a copy of the forkserver's counts; they are
    zeroed where a forked child starts (``PyOS_AfterFork_Child``), so each process counts its own.
    Files are sent to workers in batches as a run of ``speed`` documents sends them (a larger run
    sends more at once, :func:`zwgk.corpus._pool.batch_size_for`), so both sizes project that run.
    """
    counts = work / f"whole-{jobs}-{out.name}"
    shutil.rmtree(counts, ignore_errors=True)
    counts.mkdir()
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run(["valgrind", "--tool=callgrind", "--trace-children=yes", "--zero-before=PyOS_AfterFork_Child",
                    f"--callgrind-out-file={counts}/cg.%p", sys.executable, __file__, "--child", str(listing),
                    out.as_posix(), str(jobs)], capture_output=True, check=True,
                   env={**_child_env(work), _BATCH_AS_FOR: str(speed)})
    shutil.rmtree(out, ignore_errors=True)
    total = sum(map(_callgrind_total, counts.iterdir()))  # a file per process
    shutil.rmtree(counts, ignore_errors=True)
    return total / 1e6


def whole(paths: list[Path], sizes: tuple[int, int], speed: int, work: Path) -> None:
    """Print the instructions of whole runs at two sizes, fixed and per document, and their ratios."""
    small, large = sorted(sizes)
    totals: dict[int, dict[int, float]] = {}
    for jobs in (0, 2):  # uncounted: fills the bytecode cache (see _child_env)
        run(paths[:WARM_UP], jobs, work)
    for size in (small, large):
        listing = work / f"files-{size}.txt"
        listing.write_text("\n".join(map(str, paths[:size])), encoding="utf-8")
        totals[size] = {jobs: _run_instructions(listing, work / f"out-{size}", jobs, work, speed) for jobs in (0, 1, 2)}
    label = {0: "bare", 1: "-j 1", 2: "-j 2"}
    for jobs in (0, 1, 2):
        per = (totals[large][jobs] - totals[small][jobs]) / (large - small)
        fixed = totals[small][jobs] - small * per
        totals.setdefault(speed, {})[jobs] = fixed + speed * per
        print(f"{label[jobs]}: {totals[small][jobs]:.0f} M instructions at {small} documents, "
              f"{totals[large][jobs]:.0f} M at {large}: {fixed:.0f} M fixed, {per:.1f} M per document")
    for jobs in (1, 2):
        print(f"instructions -j {jobs} / bare (target <= {CPU_TARGET}x): " + ", ".join(
            f"{totals[n][jobs] / totals[n][0]:.3f}x at {n}" + (" documents (from the two sizes)" if n == speed else "")
            for n in sorted(totals)))


_BATCH_AS_FOR = "ZWGK_BENCH_BATCH_AS_FOR"  # environment: documents whose run's batch size the child uses
CPU_TARGET = 1.2  # the batch's CPU (all its processes) over bare zwgk.load's, at most
SPEEDUP_TARGET = 1.8  # documents/s with 2 worker processes over 1, at least
WARM_UP = 24  # documents of the untimed runs that fill the bytecode cache before the timed ones


def _ratios(what: str, ratios: list[float], *, best: float, target: float, at_most: bool) -> str:
    """One line: the median of the paired ratios (each repeat's runs against each other), their
    spread, the ratio of the best runs, and in how many repeats the target was met: a met target
    whose spread straddles it is the machine's noise as much as the code's."""
    ordered = sorted(ratios)
    mid = len(ordered) // 2
    median = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    met = sum(r <= target if at_most else r >= target for r in ratios)
    return (f"{what}: median {median:.2f}x (spread {ordered[0]:.2f}-{ordered[-1]:.2f}, runs "
            + ", ".join(f"{r:.2f}" for r in ratios) + f"), best runs {best:.2f}x; target {'<=' if at_most else '>='} "
            f"{target}x met in {met} of {len(ratios)} repeats")


def _child_env(work: Path) -> dict[str, str]:
    """The environment of every timed run: Python's bytecode cached under ``work`` (as an installed
    package has it compiled), whatever ``PYTHONDONTWRITEBYTECODE`` says, so that no run pays for
    compiling zwgk's modules: a batch imports them in three processes (parent, forkserver, writer),
    the bare load in one, and compiling them costs about 0.3 s of CPU per process."""
    env = {**os.environ, "TQDM_DISABLE": "1", "PYTHONPYCACHEPREFIX": str(work / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run(files: list[Path], jobs: int, work: Path) -> dict[str, float]:
    listing = work / "files.txt"
    listing.write_text("\n".join(map(str, files)), encoding="utf-8")
    out = work / f"out-{len(files)}-{jobs}"
    shutil.rmtree(out, ignore_errors=True)
    done = subprocess.run([sys.executable, __file__, "--child", str(listing), out.as_posix(), str(jobs)],
                          capture_output=True, text=True, check=True, env=_child_env(work))
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    shutil.rmtree(out, ignore_errors=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", type=int, default=200)
    parser.add_argument("--medium", type=int, default=1000, help="a third size, for the parent's memory")
    parser.add_argument("--large", type=int, default=2000)
    parser.add_argument("--speed", type=int, default=2000, help="documents for the 1 vs 2 processes run")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the 1 vs 2 processes comparison")
    parser.add_argument("--counties", type=int, metavar="N",
                        help="draw each document's region from N made-up counties (at most 380), not the "
                        "14 regions of the generated corpus: many regions and years of a few documents each")
    parser.add_argument("--instructions", type=int, metavar="N",
                        help="count instructions per document under callgrind over N documents instead")
    parser.add_argument("--warm", type=int, default=16, help="documents read before counting (--instructions)")
    parser.add_argument("--whole", type=int, nargs=2, metavar=("SIZE", "SIZE"),
                        help="count every instruction of whole runs at two corpus sizes under callgrind instead")
    parser.add_argument("--child", nargs=3, metavar=("FILES", "OUT", "JOBS"), help=argparse.SUPPRESS)
    parser.add_argument("--counted", nargs=3, metavar=("FILES", "WARM", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], int(args.child[2]))
        return
    if args.counted:
        counted(args.counted[0], int(args.counted[1]), args.counted[2])
        return
    from zwgk.corpus._dataset import CHUNK_DOCUMENTS
    from zwgk.corpus.synthetic import REGIONS, counties, write_corpus

    regions = REGIONS if args.counties is None else counties(args.counties)
    with tempfile.TemporaryDirectory(prefix="zwgk-bench-") as tmp:
        work = Path(tmp)
        t0 = time.perf_counter()
        if args.instructions:
            documents = write_corpus(work / "in", args.warm + args.instructions, seed=1, regions=regions)
            instructions(documents, args.warm, work)
            return
        if args.whole:
            whole(write_corpus(work / "in", max(args.whole), seed=1, regions=regions), args.whole, args.speed, work)
            return
        paths = write_corpus(work / "in", max(args.large, args.speed), seed=1, regions=regions)
        speed = paths[: args.speed]
        print(f"generated {len(paths)} documents in {time.perf_counter() - t0:.1f} s (cores: {os.cpu_count()}); "
              f"{len({p.parent for p in speed})} regions and years among the {len(speed)} of the timed runs")
        for jobs in (0, 2):  # untimed: compiles what each kind of process imports (see _child_env)
            run(paths[:WARM_UP], jobs, work)
        times: dict[int, list[dict[str, float]]] = {0: [], 1: [], 2: []}
        for _ in range(args.repeat):  # interleaved, so each repeat's three runs see the same machine
            for jobs in (0, 1, 2):
                times[jobs].append(run(speed, jobs, work))
        n = len(speed)
        print(f"each run over {n} documents (interleaved: bare, -j 1, -j 2; seconds, CPU of all its processes, "
              "the parent's own CPU):")
        for i in range(args.repeat):
            print(f"  repeat {i + 1}: " + "; ".join(
                f"{label} {times[j][i]['seconds']:.2f} s, CPU {times[j][i]['cpu_all']:.2f} s"
                + (f" (parent {times[j][i]['cpu']:.2f} s)" if j else "")
                for j, label in ((0, "bare"), (1, "-j 1"), (2, "-j 2"))))
        bare = times[0]
        for j in (1, 2):  # each batch run against the bare run of its own repeat
            paired = [r["cpu_all"] / b["cpu_all"] for r, b in zip(times[j], bare, strict=True)]
            print(_ratios(f"CPU -j {j} / bare", paired,
                          best=min(r["cpu_all"] for r in times[j]) / min(b["cpu_all"] for b in bare),
                          target=CPU_TARGET, at_most=True)
                  + f"; per document: bare {1000 * min(b['cpu_all'] for b in bare) / n:.1f} ms, -j {j} "
                  f"{1000 * min(r['cpu_all'] for r in times[j]) / n:.1f} ms (best)"
                  + ("" if all(r["counted"] for r in times[j]) else " [workers' CPU not counted: no subreaper]"))
        speedups = [one["seconds"] / two["seconds"] for one, two in zip(times[1], times[2], strict=True)]
        one, two = (min(times[j], key=lambda r: r["seconds"]) for j in (1, 2))
        print(_ratios("documents/s 2 processes / 1", speedups, best=one["seconds"] / two["seconds"],
                      target=SPEEDUP_TARGET, at_most=False)
              + f"; best: 1 process {n / one['seconds']:.0f} docs/s, 2 processes {n / two['seconds']:.0f} docs/s")
        sizes = sorted({args.small, args.medium, args.large})
        runs = {size: two if size == n else run(paths[:size], 2, work) for size in sizes}
        small, large = runs[args.small], runs[args.large]
        per_small, per_large = small["seconds"] / args.small, large["seconds"] / args.large
        print(f"{args.small} documents {small['seconds']:.1f} s, {args.large} documents {large['seconds']:.1f} s; "
              f"time per document ratio {per_large / per_small:.2f} (near 1 or below: linear)")
        print("parent peak RSS (target <= 100 MiB): "
              + ", ".join(f"{r['rss_mib']:.0f} MiB at {size}" for size, r in runs.items())
              + f" (ratio {large['rss_mib'] / small['rss_mib']:.2f} from {args.small} to {args.large}; "
              f"the rows go to the writer process, chunks of {CHUNK_DOCUMENTS} documents; "
              f"{runs[sizes[-1]]['rss_mib'] / runs[sizes[-2]]['rss_mib']:.2f} from {sizes[-2]} to {sizes[-1]})")


if __name__ == "__main__":
    main()
