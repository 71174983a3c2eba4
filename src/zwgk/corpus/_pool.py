"""Running one pure function over many files in worker processes, losing none of them.

:func:`map_files` calls ``fn(item)`` for every item in a pool of processes and yields
``(item, result or ZwgkError)``. Work is handed out in small batches (fewer round trips per file)
and at most a bounded number of batches are in flight, so memory stays flat however many files
there are. Any exception ``fn`` raises becomes a :class:`~zwgk.errors.ZwgkError` for that item.
When a worker dies (a crash, the out-of-memory killer), the pool is rebuilt and the items that were
in flight are retried one at a time, so the culprit is named and the innocent ones are read.

Workers never outlive the process that started them: each asks the kernel for SIGKILL when its
parent dies (Linux) and watches its parent besides (every :data:`PARENT_POLL` seconds); the
forkserver exits when its parent does. So a ``kill -9`` of a batch leaves no worker, forkserver or
resource tracker behind. Workers leave Ctrl-C to the parent, log nothing to the terminal (a
library's log records go nowhere; zwgk's own warnings are sent back as results), and are stopped
at once when the caller stops (an exception, Ctrl-C, SIGTERM, closing the iterator early).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import Generic, TypeVar, cast

from zwgk.errors import Position, ZwgkError

__all__ = [
    "BATCHES_PER_WORKER", "BATCH_SIZE", "IN_FLIGHT_PER_WORKER", "MAX_BATCH_SIZE", "PARENT_POLL", "WARM_MODULES",
    "WORKER_GC_ALLOCATIONS", "WORKER_WATCH", "Gather", "batch_size_for", "map_files", "start_workers",
    "tie_to_parent", "worker_count",
]

T = TypeVar("T")
R = TypeVar("R")

BATCH_SIZE = 8  # items sent to a worker at once: amortises the pickling round trip of ~10 ms files
# a large run sends more at once: a batch's rows are packed, pickled and wrapped as Arrow arrays as one,
# so each file's share of the fixed costs shrinks (see batch_size_for)
MAX_BATCH_SIZE = 32
BATCHES_PER_WORKER = 16  # a large run still gives each worker this many batches, for an even finish
IN_FLIGHT_PER_WORKER = 3  # batches queued per worker: keeps workers busy while bounding memory
WORKER_GC_ALLOCATIONS = 10_000  # allocations between a worker's youngest-generation collections
PARENT_POLL = 0.5  # seconds between a worker's checks that its parent is still alive
WORKER_WATCH = 1.0  # seconds between the checks, while waiting for a result, that no worker died unseen
_PR_SET_PDEATHSIG = 1  # prctl option (linux/prctl.h): a signal for this process when its parent dies


def batch_size_for(items: int, workers: int) -> int:
    """Items to send to a worker at once in a run of ``items`` over ``workers`` processes:
    :data:`BATCH_SIZE`, more in a large run (at most :data:`MAX_BATCH_SIZE`, and each worker still
    gets :data:`BATCHES_PER_WORKER` batches).

    >>> batch_size_for(100, 2), batch_size_for(400, 2), batch_size_for(2000, 2), batch_size_for(2000, 1)
    (8, 12, 32, 32)
    """
    return max(BATCH_SIZE, min(MAX_BATCH_SIZE, items // (max(1, workers) * BATCHES_PER_WORKER)))


def worker_count(jobs: int | None) -> int:
    """``jobs`` checked, or the number of CPUs when ``None``."""
    if jobs is None:
        return max(1, os.cpu_count() or 1)
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ZwgkError(f"jobs must be a whole number of processes, at least 1, not {jobs!r}")
    return jobs


def _name(item: object) -> str:
    return os.fspath(item) if isinstance(item, (str, os.PathLike)) else str(item)


def as_zwgk_error(item: object, error: BaseException) -> ZwgkError:
    """``error`` if it is a zwgk error, else a ZwgkError naming the item and what was raised."""
    if isinstance(error, ZwgkError):
        return error
    return ZwgkError(f"unexpected {type(error).__name__} while reading: {error}", Position(file=_name(item)))


class _Outcome(Generic[R]):
    """What one call gave: a result or the error, picklable either way."""

    __slots__ = ("error", "value")

    def __init__(self, value: R | None, error: ZwgkError | None) -> None:
        self.value = value
        self.error = error


Gather = Callable[[list[R]], list[R]]
"""``gather(results)``: what a worker makes of the results of one batch of items before sending
them back (as many, in the same order): e.g. the rows of several files packed as one payload."""


def _apply_each(fn: Callable[[T], R], items: list[T], gather: Gather[R] | None = None) -> list[_Outcome[R]]:
    """In a worker: ``fn`` on each item, every exception caught as that item's error; then
    ``gather`` over the results (an exception there is the error of each of them)."""
    out: list[_Outcome[R]] = []
    for item in items:
        try:
            out.append(_Outcome(fn(item), None))
        except Exception as e:
            out.append(_Outcome(None, as_zwgk_error(item, e)))
    if gather is not None:
        done = [i for i, o in enumerate(out) if o.error is None]
        try:
            gathered = gather([cast(R, out[i].value) for i in done])
            if len(gathered) != len(done):
                raise ValueError(f"gather gave {len(gathered)} results for {len(done)}")
        except Exception as e:
            for i in done:
                out[i] = _Outcome(None, as_zwgk_error(items[i], e))
        else:
            for i, value in zip(done, gathered, strict=True):
                out[i] = _Outcome(value, None)
    return out


def tie_to_parent(sig: int = signal.SIGKILL) -> None:
    """End this worker process (with ``sig``) as soon as the process that started it dies.

    A worker's parent may be a forkserver, which itself lives as long as any worker holds its
    pipe; so the worker watches the process that asked for it: multiprocessing's parent sentinel,
    a pipe that reaches its end when that process dies, waited on by a daemon thread. Without a
    sentinel (a process not started by multiprocessing) the parent is checked every
    :data:`PARENT_POLL` seconds, and on Linux the kernel sends ``sig`` when the parent dies.
    """
    me = os.getpid()
    parent = multiprocessing.parent_process()
    sentinel = getattr(parent, "sentinel", None) if parent is not None else None
    if sentinel is not None:
        def watch() -> None:
            from multiprocessing.connection import wait

            wait([sentinel])
            os.kill(me, sig)
    else:
        ppid = os.getppid()
        if sys.platform.startswith("linux"):
            with contextlib.suppress(OSError, AttributeError, TypeError):
                import ctypes

                ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0)

        def watch() -> None:
            while os.getppid() == ppid:  # a parent that died before the prctl is seen here too
                time.sleep(PARENT_POLL)
            os.kill(me, sig)

    threading.Thread(target=watch, name="zwgk-parent-watch", daemon=True).start()


def _init_worker() -> None:
    """Workers leave Ctrl-C to the parent (which stops the batch and stops them), die with their
    parent, and send library log records nowhere (the terminal is the parent's).

    What a worker starts with (the modules, plugins and registry the forkserver loaded) lives as
    long as the worker: it is moved out of the garbage collector's sight (``gc.freeze``), and the
    collector runs every :data:`WORKER_GC_ALLOCATIONS` allocations (net of those freed) rather than every 700, since
    what one file's reading allocates is freed when its plan is (a collection every 700 allocations
    costs about 5% of the CPU of reading a typical file).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    tie_to_parent()
    logging.getLogger().addHandler(logging.NullHandler())
    _collect_as_a_worker()


def _collect_as_a_worker() -> tuple[int, int, int]:
    """Set the garbage collector as a worker runs it (see :func:`_init_worker`); the thresholds before."""
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(WORKER_GC_ALLOCATIONS, *before[1:])
    return before


class _Collector:
    """How many in-process runs of :func:`map_files` are going, and the collector's threshold before
    the first of them (restored when the last ends)."""

    depth = 0
    threshold: tuple[int, int, int] = (700, 10, 10)


_COLLECTOR = _Collector()


@contextlib.contextmanager
def _collected_as_a_worker() -> Iterator[None]:
    """While files are read in this process (one job), the garbage collector runs as in a worker
    (:func:`_init_worker`): what the process held before is frozen out of its sight and the youngest
    generation is collected every :data:`WORKER_GC_ALLOCATIONS` allocations. Both are undone when
    the last such run ends (the objects frozen are collected again as before)."""
    if _COLLECTOR.depth == 0:
        _COLLECTOR.threshold = _collect_as_a_worker()
    _COLLECTOR.depth += 1
    try:
        yield
    finally:
        _COLLECTOR.depth -= 1
        if _COLLECTOR.depth == 0:
            gc.set_threshold(*_COLLECTOR.threshold)
            gc.unfreeze()


WARM_MODULES = ("zwgk.corpus._warm",)
"""Modules the forkserver imports before forking workers (see :func:`start_workers`)."""


def _context() -> multiprocessing.context.BaseContext:
    # fork in a process with threads (a progress bar's monitor) can deadlock; forkserver cannot
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def start_workers(jobs: int | None, preload: Sequence[str] = ()) -> None:
    """Start the forkserver now, loading :data:`WARM_MODULES` and ``preload`` in it, so that the
    workers :func:`map_files` forks later (for ``jobs`` processes) start warm and the loading
    overlaps this process's own setup.

    With one job (read in this process), without a forkserver (platforms that only spawn), this
    does nothing; when the forkserver is already running (an earlier batch in this process) it is
    used as it is.
    """
    if worker_count(jobs) == 1 or _context().get_start_method() != "forkserver":
        return
    from multiprocessing import forkserver

    forkserver.set_forkserver_preload(["__main__", *WARM_MODULES, *preload])
    forkserver.ensure_running()


def _new_pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=_init_worker)


def _workers(pool: ProcessPoolExecutor) -> list[multiprocessing.process.BaseProcess]:
    return list((getattr(pool, "_processes", None) or {}).values())


def _end_workers(workers: list[multiprocessing.process.BaseProcess], results: object) -> None:
    """End a pool's ``workers`` now, and close this process's end for writing of its result pipe
    (``results``, the pool's result queue).

    A worker ended while it was sending a result leaves the start of a message in that pipe, and
    the pool's manager thread waits for the rest for ever, seeing neither the worker's death nor
    the pool's shutdown (and the interpreter's exit waits on that thread). With this process's copy
    of the writing end closed, the pipe ends once the workers are gone: the manager thread reads
    the end, marks the pool broken (its futures fail with ``BrokenProcessPool``) and stops.
    """
    for process in workers:
        with contextlib.suppress(Exception):
            process.terminate()
    writer = getattr(results, "_writer", None)
    if writer is not None:
        with contextlib.suppress(Exception):
            writer.close()


def _stop(pool: ProcessPoolExecutor) -> None:
    """Shut ``pool`` down without waiting, and end its workers now (they may be in a long file)."""
    workers, results = _workers(pool), getattr(pool, "_result_queue", None)  # shutdown drops the queue
    pool.shutdown(wait=False, cancel_futures=True)
    _end_workers(workers, results)


def _first_done(pool: ProcessPoolExecutor, futures: Iterable[Future[T]]) -> set[Future[T]]:
    """Wait until one of ``futures`` (of ``pool``) is done.

    Every :data:`WORKER_WATCH` seconds the workers are looked at: one that died while sending its
    result is never seen by the pool (see :func:`_end_workers`), so the pool's other workers are
    ended too, and its futures fail with ``BrokenProcessPool`` as when the pool sees a death itself.
    """
    futures = list(futures)
    while True:
        done, _ = wait(futures, timeout=WORKER_WATCH, return_when=FIRST_COMPLETED)
        if done:
            return done
        workers = _workers(pool)
        if any(process.exitcode is not None for process in workers):
            _end_workers(workers, getattr(pool, "_result_queue", None))


def _unpack(batch: list[T], outcomes: list[_Outcome[R]]) -> Iterator[tuple[T, R | ZwgkError]]:
    for item, o in zip(batch, outcomes, strict=False):
        result: R | ZwgkError = o.error if o.error is not None else o.value  # type: ignore[assignment]
        yield item, result


class _Solo(Generic[T, R]):
    """Items retried one at a time in a one-worker pool: a crash now is that item's own."""

    def __init__(self, fn: Callable[[T], R], gather: Gather[R] | None) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._fn, self._gather = fn, gather

    def __call__(self, item: T) -> tuple[T, R | ZwgkError]:
        if self._pool is None:
            self._pool = _new_pool(1)
        try:
            future = self._pool.submit(_apply_each, self._fn, [item], self._gather)
            _first_done(self._pool, [future])
            outcomes: list[_Outcome[R]] = future.result()
            o = outcomes[0]
            return (item, o.error) if o.error is not None else (item, cast(R, o.value))
        except BrokenProcessPool:
            self.close()
            return item, ZwgkError("the worker process reading this file died (a crash, or out of memory)",
                                   Position(file=_name(item)))
        except Exception as e:  # the result could not be sent back (not picklable)
            return item, as_zwgk_error(item, e)

    def close(self) -> None:
        if self._pool is not None:
            _stop(self._pool)
            self._pool = None


def map_files(
    fn: Callable[[T], R],
    items: Iterable[T],
    *,
    jobs: int | None = None,
    ordered: bool = True,
    batch_size: int = BATCH_SIZE,
    gather: Gather[R] | None = None,
) -> Iterator[tuple[T, R | ZwgkError]]:
    """``(item, fn(item))`` for every item, or ``(item, error)`` when ``fn`` raised.

    ``fn`` must be a module-level function (it is sent to worker processes). With ``jobs=1`` it
    runs in this process, with the garbage collector set as in a worker while the items are read
    (restored when the iterator ends or is closed). ``ordered`` yields in input order; otherwise as items complete.
    ``gather`` (a module-level function too) is run where ``fn`` ran, over the results of each
    batch of ``batch_size`` items (see :data:`Gather`); an item retried alone is gathered alone.
    """
    workers = worker_count(jobs)
    source = iter(items)
    if workers == 1:
        with _collected_as_a_worker():
            while batch := list(islice(source, batch_size if gather is not None else 1)):
                yield from _unpack(batch, _apply_each(fn, batch, gather))
        return
    window = workers * IN_FLIGHT_PER_WORKER
    pool = _new_pool(workers)
    pending: deque[tuple[Future[list[_Outcome[R]]], list[T]]] = deque()

    def refill() -> None:
        while len(pending) < window:
            batch = list(islice(source, batch_size))
            if not batch:
                return
            try:
                future = pool.submit(_apply_each, fn, batch, gather)
            except BrokenProcessPool as e:  # broke before its break was seen: handled as the others
                future = Future()
                future.set_exception(e)
            pending.append((future, batch))

    finished = False
    try:
        refill()
        while pending:
            done = _first_done(pool, [pending[0][0]] if ordered else [f for f, _ in pending])
            index = next(i for i, (f, _) in enumerate(pending) if f in done)
            future, batch = pending[index]
            del pending[index]
            try:
                outcomes = future.result()
            except BrokenProcessPool:
                stranded = [batch, *(b for _, b in pending)]
                pending.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                solo = _Solo(fn, gather)
                try:
                    for b in stranded:
                        for item in b:
                            yield solo(item)
                finally:
                    solo.close()
                pool = _new_pool(workers)
                refill()
                continue
            except Exception as e:  # a result that could not be sent back
                outcomes = [_Outcome(None, as_zwgk_error(item, e)) for item in batch]
            refill()
            yield from _unpack(batch, outcomes)
        finished = True
    finally:
        if finished:
            pool.shutdown(wait=False, cancel_futures=True)
        else:  # stopped early (an exception, Ctrl-C, SIGTERM, the caller closing the iterator)
            _stop(pool)
