"""``zwgk batch``: a folder of tables into a Parquet dataset, resumably, with a progress bar.

Files are found (:func:`find_files`), hashed, skipped when their content is already in the
dataset, read and validated in worker processes (:func:`zwgk.corpus.read_document`), and their rows
written a chunk at a time (:class:`zwgk.corpus.Dataset`) by a process of its own
(:mod:`zwgk.corpus._store`), so this one never imports pyarrow. At the end the corpus-level unit
registry is written as ``OUT/units.toml`` (and to ``--units-toml``), and a summary line is printed.
"""

from __future__ import annotations

import contextlib
import fnmatch
import hashlib
import importlib.util
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import Any

import attrs

from zwgk import _registered
from zwgk.corpus._rows import DUPLICATE, FAILED, READ, DocumentRows, SealedRows, readable, seal
from zwgk.corpus._store import UNITS_FILE, DatasetProcess
from zwgk.errors import ZwgkError

__all__ = [
    "ENGINES", "EXIT_FAILED", "UNITS_FILE", "BatchOptions", "Stopped", "batch", "find_files", "readable_suffixes",
]

EXIT_OK = 0
EXIT_FAILED = 1  # some file could not be read
_BAR_COLUMNS = 80  # width of the progress bar on a terminal that does not say its width
_BAR_REFRESH = 0.2  # seconds between redraws of the progress bar


def readable_suffixes() -> frozenset[str]:
    """Suffixes (``.docx``) of the registered readers and of the files LibreOffice converts for
    zwgk (``.doc``, ``.rtf``, ``.xls`` …): what a folder walk picks up."""
    from zwgk.readers.convert import CONVERTIBLE_SUFFIXES

    return frozenset(s.lower() for r in _registered.get_readers().values() for s in r.suffixes) | CONVERTIBLE_SUFFIXES


def _matches(rel: str, patterns: Sequence[str]) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(name, p) for p in patterns)


def _walk_error(error: OSError) -> None:
    raise ZwgkError(f"cannot read folder {readable(os.fsdecode(error.filename or ''))}: {error.strerror or error}")


def find_files(inputs: Sequence[str], include: Sequence[str] = (), exclude: Sequence[str] = ()) -> list[str]:
    """The files to read: files given by name, and in each folder (recursively, in name order)
    those a reader reads or matching ``include``, minus those matching ``exclude``.

    Globs match a path relative to the folder (``2021/*.docx``) or a file name (``*.docx``). A file
    found twice (named, and in a folder named) is read once.
    """
    suffixes = readable_suffixes()
    out: dict[str, None] = {}
    for given in inputs:
        p = Path(given)
        if not p.exists() and not p.is_symlink():
            raise ZwgkError(f"{readable(given)}: no such file or folder")
        if not p.is_dir():
            if not os.access(p, os.R_OK) and p.exists():
                raise ZwgkError(f"{readable(given)}: cannot read file (permission denied)")
            out[given] = None
            continue
        if not os.access(p, os.R_OK | os.X_OK):
            raise ZwgkError(f"cannot read folder {readable(given)} (permission denied)")
        for folder, dirs, files in os.walk(p, onerror=_walk_error):
            dirs.sort()
            for name in sorted(files):
                full = os.path.join(folder, name)
                rel = os.path.relpath(full, p).replace(os.sep, "/")
                if include:
                    wanted = _matches(rel, include)
                else:
                    wanted = Path(name).suffix.lower() in suffixes and not name.startswith((".", "~$"))
                if wanted and not _matches(rel, exclude):
                    out[full] = None
    return list(out)


@attrs.frozen
class BatchOptions:
    """What a batch reads and how (the arguments of :func:`batch`)."""

    inputs: tuple[str, ...]
    output: str
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    jobs: int | None = None
    fail_fast: bool = False
    force: bool = False
    units_toml: str | None = None
    input_format: str | None = None
    convert: bool = True
    engine: str = "local"
    scheduler: str | None = None
    limit: int | None = None


ENGINES = ("local", "dask")
"""Where a batch reads: ``local`` worker processes, or a ``dask`` distributed cluster."""


class Stopped(KeyboardInterrupt):
    """Ctrl-C (SIGINT) or SIGTERM during a batch: what was read is committed, then the batch ends
    with exit code ``128 + signal`` (130, 143)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class _Held:
    """Whether Ctrl-C and SIGTERM are held (:func:`_signals_held` blocks open), and the one that came."""

    depth = 0
    pending: int | None = None


_HELD = _Held()


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until the block ends, then raise :class:`Stopped`: what was read is
    committed first. A flag the handler reads, not a signal mask: a mask holds a signal for the
    thread that set it only, and the kernel may hand a signal to any other thread of the process
    (the worker pool's), whose handler would then raise in the middle of the commit."""
    _HELD.depth += 1
    try:
        yield
    finally:
        _HELD.depth -= 1
        pending = _HELD.pending if _HELD.depth == 0 else None
        if pending is not None:
            _HELD.pending = None
    if pending is not None:
        raise Stopped(pending)


@contextlib.contextmanager
def _stopped_by_signals() -> Iterator[None]:
    """SIGINT and SIGTERM raise :class:`Stopped` (the first one; later ones are ignored while what
    was read is committed). Installed before anything else of the batch starts."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        for sig in previous:
            signal.signal(sig, signal.SIG_IGN)
        if _HELD.depth:  # what was read is being committed: stop once it is
            _HELD.pending = signum
            return
        raise Stopped(signum)

    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    for sig in previous:
        signal.signal(sig, stop)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler if handler is not None else signal.SIG_DFL)


def _special_id(kind: str, path: str) -> str:
    """The document id of a file whose bytes are not read (a pipe, a device, a file that cannot be opened)."""
    return hashlib.sha256(f"{kind}:{readable(os.path.abspath(path))}".encode()).hexdigest()


def _quiet_logging() -> None:
    """Library log records (pdfminer's per-glyph font complaints) go nowhere: the terminal shows
    zwgk's own one-line warnings and errors only."""
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.NullHandler())


def batch(
    inputs: Sequence[str | os.PathLike[str]],
    output: str | os.PathLike[str],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    jobs: int | None = None,
    fail_fast: bool = False,
    force: bool = False,
    units_toml: str | os.PathLike[str] | None = None,
    input_format: str | None = None,
    convert: bool = True,
    engine: str = "local",
    scheduler: str | None = None,
    limit: int | None = None,
) -> int:
    """Read files and folders (walked, see :func:`find_files`) into the Parquet dataset ``output``,
    as ``zwgk batch`` does, with its progress bar and summary line on stderr.

    Every file ends as one ``documents`` row (read, failed or a duplicate); a re-run reads only what
    is missing. ``jobs`` worker processes read the files (default: one per CPU), or with
    ``engine="dask"`` the workers of the Dask distributed cluster at ``scheduler`` (an address such
    as ``tcp://10.0.0.5:8786``; the files must be readable there under the same paths), writing the
    same rows; ``limit`` reads only the first so many files found. Returns the exit status of
    ``zwgk batch``: 0 when every file was read, 1 when some
    failed (now or in an earlier run, or ``fail_fast`` stopped the batch), 130 after Ctrl-C and 143
    after SIGTERM (what was read is committed). Bad usage raises :class:`~zwgk.ZwgkError`.
    """
    if engine not in ENGINES:
        raise ZwgkError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    if engine == "dask" and not scheduler:
        raise ZwgkError("the dask engine needs the address of a scheduler (--scheduler tcp://HOST:8786)")
    if scheduler and engine != "dask":
        raise ZwgkError("--scheduler is for the dask engine (--engine dask)")
    return _batch(BatchOptions(
        tuple(os.fspath(i) for i in inputs), os.fspath(output), tuple(include), tuple(exclude), jobs, fail_fast,
        force, None if units_toml is None else os.fspath(units_toml), input_format, convert, engine, scheduler,
        limit))


def _batch(args: BatchOptions) -> int:
    with _stopped_by_signals():  # first: a signal at any moment stops the batch cleanly
        bar: Any = None
        store: Any = None
        try:
            bar = _progress()
            if importlib.util.find_spec("pyarrow") is None:
                raise ZwgkError("zwgk batch needs pyarrow: pip install 'zwgk[corpus]'")
            if args.jobs is not None and (isinstance(args.jobs, bool) or args.jobs < 1):
                raise ZwgkError(f"--jobs must be at least 1, not {args.jobs}")
            _quiet_logging()
            if args.engine == "dask":
                from zwgk.corpus._dask import check_dask

                check_dask()
            else:
                from zwgk.corpus._pool import start_workers

                start_workers(args.jobs, ("zwgk.corpus._rows",))  # the workers warm up while this process sets up
            store = DatasetProcess(args.output)  # the writer loads pyarrow meanwhile too
            files = find_files(args.inputs, args.include, args.exclude)[:args.limit]
            bar.reset(total=len(files))
            return _Run(args, files, bar, store).run()
        except Stopped as e:
            if bar is not None:
                bar.close()
            print(f"zwgk batch: stopped by {signal.Signals(e.signum).name} before reading began; nothing written",
                  file=sys.stderr)
            return 128 + e.signum
        finally:
            if store is not None:
                store.abort()
            if bar is not None:
                bar.close()


def _progress() -> Any:
    """The progress bar: drawn at once on a terminal (files/s, failures), nothing elsewhere."""
    from tqdm import tqdm  # type: ignore[import-untyped]

    try:
        sized = os.get_terminal_size(sys.stderr.fileno()).columns > 0
    except (OSError, ValueError, AttributeError):  # no terminal (no bar), or stderr replaced
        sized = False
    # a terminal that gives no width (a fresh pseudo-terminal) gets a bar of the usual width
    return tqdm(total=None, unit="file", desc="batch", disable=None, dynamic_ncols=sized,
                ncols=None if sized else _BAR_COLUMNS, mininterval=_BAR_REFRESH)


class _Run:
    """One run of ``zwgk batch`` over ``files``: every file one documents row (read, failed or a
    duplicate of a file read), rows committed a chunk at a time."""

    def __init__(self, args: BatchOptions, files: list[str], bar: Any, store: Any) -> None:
        self.args, self.files, self.bar, self.store = args, files, bar, store
        self.stats = {"read": 0, "failed": 0, "skipped": 0, "skipped_failed": 0, "duplicates": 0, "warnings": 0}
        self.in_flight: dict[str, str] = {}  # doc_id → the file being read for it
        self.held: dict[str, list[str]] = {}  # doc_id → files with the same bytes, waiting for its outcome
        self.read_from: dict[str, str] = {}  # doc_id → the file it was read from
        self.failed: set[str] = set()  # doc_ids whose file could not be read
        self.again: list[str] = []  # files with the bytes of a file that failed: read on their own
        self.stopped_at_failure = False
        self.shown_failed: int | None = None  # the failures the progress bar shows

    def run(self) -> int:
        from zwgk.corpus._many import default_converter
        args, store = self.args, self.store
        known = store.known()
        if args.force:
            redo = {self._identity(f)[0] for f in self.files}
            known = store.drop(redo & {doc_id for doc_id, _ in known.files.values()})
        self.known = known
        self.read_from.update((doc_id, path) for doc_id, path in known.read.items())
        self.failed.update(doc_id for doc_id, status in known.files.values() if status == FAILED)
        self.failed -= known.read.keys()
        options: tuple[tuple[str, object], ...] = (("format", args.input_format),) if args.input_format else ()
        if not args.convert:
            options += (("convert", False),)
        self.options = options
        # on a cluster each worker converts what it reads: a converted copy here would not be seen there
        converter = default_converter(None, dict(options)) if args.engine == "local" else None
        store.begin()
        started = time.perf_counter()
        signum = 0
        try:
            try:
                with _scratch(converter is not None) as scratch:
                    self._read(self.files, converter, scratch, hold=True)
                    if self.again and not self.stopped_at_failure:  # copies of failed files: each read itself
                        again, self.again = self.again, []
                        self._read(again, converter, scratch, hold=False)
            except Stopped as e:
                signum = e.signum
            finally:
                with _signals_held():  # on Ctrl-C/SIGTERM too: what was read is committed first
                    self.bar.close()
                    written = store.close(args.units_toml)
        except Stopped as e:  # a signal during the commit, delivered once it is done
            signum = signum or e.signum
        self._summary(time.perf_counter() - started, written, signum)
        if signum:
            return 128 + signum
        stats = self.stats
        return EXIT_FAILED if stats["failed"] or stats["skipped_failed"] or self.stopped_at_failure else EXIT_OK

    def _identity(self, path: str) -> tuple[str, str | None]:
        """The document id of a file (its content hash), and what it is when it is no regular file."""
        from zwgk.corpus._rows import content_hash, not_regular

        what = not_regular(path)
        if what is not None:
            return _special_id("not-regular", path), what
        try:
            return content_hash(path), None
        except OSError:  # read anyway: the reader records why it cannot be read
            return _special_id("unreadable", path), None

    def _jobs(self, files: list[str], hold: bool) -> Iterator[tuple[str, str]]:
        """The files to read, recording at once those that need no reading (already in the
        dataset, duplicates, pipes and devices) and holding back copies of a file being read."""
        from zwgk.corpus._rows import duplicate_rows, error_rows

        for f in files:
            doc_id, what = self._identity(f)
            recorded = self.known.files.get(readable(f))
            if recorded is not None and recorded[0] == doc_id:
                self.stats["skipped"] += 1
                self.stats["skipped_failed"] += recorded[1] == FAILED
                self.bar.update(1)
            elif what is not None:  # never opened: a pipe would block, a device never end
                self._record(error_rows(doc_id, f, f"{readable(f)}: {what}, not a regular file: not read"))
            elif doc_id in self.read_from:
                self._record(duplicate_rows(doc_id, f, self.read_from[doc_id]))
            elif hold and doc_id in self.in_flight:
                self.held.setdefault(doc_id, []).append(f)
            elif hold and doc_id in self.failed:
                self.again.append(f)
            else:
                self.in_flight.setdefault(doc_id, f)
                yield f, doc_id

    def _read(self, files: list[str], converter: Any, scratch: Path | None, *, hold: bool) -> None:
        from zwgk.corpus._many import prepared_jobs
        from zwgk.corpus._pool import Gather, batch_size_for, map_files, worker_count
        from zwgk.corpus._rows import FileJob, duplicate_rows, error_rows, read_document, seal_together

        ids: dict[str, str] = {}

        def named() -> Iterator[str]:
            for f, doc_id in self._jobs(files, hold):
                ids[f] = doc_id
                yield f

        jobs = (FileJob(j.path, j.read_from, ids.pop(j.path), self.options)
                for j in prepared_jobs(named(), converter, scratch))
        results: Iterator[tuple[FileJob, DocumentRows | SealedRows | ZwgkError]]
        gather: Gather[DocumentRows | SealedRows] = seal_together  # a worker's files packed as one
        if self.args.engine == "dask":
            from zwgk.corpus._dask import map_on_dask

            remote = map_on_dask(read_document, jobs, scheduler=str(self.args.scheduler), gather=gather)
            results = remote
        else:
            unread = sum(readable(f) not in self.known.files for f in files)  # those already in it are skipped
            size = batch_size_for(unread, worker_count(self.args.jobs))
            local = map_files(read_document, jobs, jobs=self.args.jobs, ordered=not hold, batch_size=size,
                              gather=gather)
            results = local
        for job, result in results:
            rows = error_rows(job.doc_id, job.path, result) if isinstance(result, ZwgkError) else result
            if self.in_flight.get(job.doc_id) == job.path:
                del self.in_flight[job.doc_id]
            if rows.ok and job.doc_id in self.read_from:  # read again after a copy failed: a duplicate
                rows = duplicate_rows(job.doc_id, job.path, self.read_from[job.doc_id])
            packed = self._record(rows)
            if packed.ok and packed.status == READ:
                self.read_from[job.doc_id] = job.path
                for copy in self.held.pop(job.doc_id, []):
                    self._record(duplicate_rows(job.doc_id, copy, job.path))
            elif not packed.ok:
                self.failed.add(job.doc_id)
                self.again.extend(self.held.pop(job.doc_id, []))
                if self.args.fail_fast:
                    self.stopped_at_failure = True
                    return

    def _record(self, rows: DocumentRows | SealedRows) -> SealedRows:
        """Write one file's rows (packed and sealed here when they come from this process) and count
        its outcome."""
        if isinstance(rows, DocumentRows):
            rows = seal(rows)[0]
        self.store.add(rows)
        status = rows.status
        stats = self.stats
        stats["failed" if status == FAILED else "duplicates" if status == DUPLICATE else "read"] += 1
        stats["warnings"] += rows.warnings
        if status == FAILED:
            self.bar.write(f"zwgk: error: {rows.error}", file=sys.stderr)
        self.bar.update(1)
        if stats["failed"] != self.shown_failed:  # formatting the postfix costs more than the rest of this
            self.shown_failed = stats["failed"]
            self.bar.set_postfix(failed=stats["failed"], refresh=False)
        return rows

    def _summary(self, elapsed: float, written: Any, signum: int) -> None:
        args, stats = self.args, self.stats
        rate = stats["read"] + stats["failed"]
        parts = [f"{len(self.files)} files", f"{stats['read']} read", f"{stats['failed']} failed"]
        if stats["skipped"]:
            earlier = f", {stats['skipped_failed']} of them failed before" if stats["skipped_failed"] else ""
            parts.append(f"{stats['skipped']} already in {args.output}{earlier}")
        if stats["warnings"]:
            n = stats["warnings"]
            parts.append(f"{n} warning{'s' * (n != 1)} (in the documents table's warnings column)")
        if stats["duplicates"]:
            parts.append(f"{stats['duplicates']} duplicates of files read")
        if self.stopped_at_failure:
            parts.append("stopped at the first failure (--fail-fast)")
        if signum:
            parts.append(f"stopped by {signal.Signals(signum).name}: what was read is committed, "
                         "run the same command again to read the rest")
        print(f"zwgk batch: {', '.join(parts)} in {elapsed:.1f} s ({rate / elapsed if elapsed else 0:.0f} files/s); "
              f"{written.documents} documents, {written.units} units in {args.output}", file=sys.stderr)


class _scratch:
    """A temporary folder for converted copies while there is a converter, else ``None``."""

    def __init__(self, needed: bool) -> None:
        self._dir: Any = None
        if needed:
            import tempfile

            self._dir = tempfile.TemporaryDirectory(prefix="zwgk-convert-")

    def __enter__(self) -> Path | None:
        return Path(self._dir.name) if self._dir is not None else None

    def __exit__(self, *exc: object) -> None:
        if self._dir is not None:
            self._dir.cleanup()
