"""``zwgk batch``: a folder of tables into a Parquet dataset, resumably, with a progress bar.

Files are found (:func:`find_files`), hashed, skipped when their content is already in the
dataset, read and validated in worker processes (:func:`zwgk.corpus.read_document`), and their rows
written a chunk at a time (:class:`zwgk.corpus.Dataset`). At the end the corpus-level unit registry
is written as ``OUT/units.toml`` (and to ``--units-toml``), and a summary line is printed.
"""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import importlib.util
import os
import signal
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import Any

from zwgk import _api
from zwgk.errors import ZwgkError

__all__ = ["EXIT_FAILED", "UNITS_FILE", "find_files", "readable_suffixes", "run_batch"]

EXIT_OK = 0
EXIT_FAILED = 1  # some file could not be read
UNITS_FILE = "units.toml"  # the corpus registry inside OUT


def readable_suffixes() -> frozenset[str]:
    """Suffixes (``.docx``) of the registered readers and of the files LibreOffice converts for
    zwgk (``.doc``, ``.rtf``, ``.xls`` …): what a folder walk picks up."""
    from zwgk.readers.convert import CONVERTIBLE_SUFFIXES

    return frozenset(s.lower() for r in _api.get_readers().values() for s in r.suffixes) | CONVERTIBLE_SUFFIXES


def _matches(rel: str, patterns: Sequence[str]) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(name, p) for p in patterns)


def _walk_error(error: OSError) -> None:
    raise ZwgkError(f"cannot read folder {error.filename}: {error.strerror or error}")


def find_files(inputs: Sequence[str], include: Sequence[str] = (), exclude: Sequence[str] = ()) -> list[str]:
    """The files to read: files given by name, and in each folder (recursively, in name order)
    those a reader reads or matching ``include``, minus those matching ``exclude``.

    Globs match a path relative to the folder (``2021/*.docx``) or a file name (``*.docx``).
    """
    suffixes = readable_suffixes()
    out: list[str] = []
    for given in inputs:
        p = Path(given)
        if not p.exists():
            raise ZwgkError(f"{given}: no such file or folder")
        if not p.is_dir():
            if not os.access(p, os.R_OK):
                raise ZwgkError(f"{given}: cannot read file (permission denied)")
            out.append(given)
            continue
        if not os.access(p, os.R_OK | os.X_OK):
            raise ZwgkError(f"cannot read folder {given} (permission denied)")
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
                    out.append(full)
    return out


class _Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: what is read is committed, the dataset stays readable."""


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise _Terminated()


def _unreadable_id(path: str) -> str:
    return hashlib.sha256(f"unreadable:{os.path.abspath(path)}".encode()).hexdigest()


def run_batch(args: argparse.Namespace) -> int:
    """Run ``zwgk batch``; 0 when every file was read, 1 when some failed (2: raised as ZwgkError)."""
    for needed in ("pyarrow", "tqdm"):
        if importlib.util.find_spec(needed) is None:
            raise ZwgkError(f"zwgk batch needs {needed}: pip install 'zwgk[corpus]'")
    if args.jobs is not None and args.jobs < 1:
        raise ZwgkError(f"--jobs must be at least 1, not {args.jobs}")
    if args.limit is not None and args.limit < 1:
        raise ZwgkError(f"--limit must be at least 1, not {args.limit}")
    if args.dry_run:
        files = find_files(args.inputs, args.include, args.exclude)[:args.limit]
        sys.stdout.write("".join(f"{f}\n" for f in files))
        print(f"zwgk: batch: {len(files)} files would be read into {args.output}", file=sys.stderr)
        return 0
    from zwgk.corpus._pool import start_workers

    start_workers(args.jobs, ("zwgk.corpus._rows",))  # the workers warm up while this process sets up
    files = find_files(args.inputs, args.include, args.exclude)[:args.limit]
    previous = signal.signal(signal.SIGTERM, _on_sigterm) if _main_thread() else None
    try:
        return _run(args, files)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _run(args: argparse.Namespace, files: list[str]) -> int:
    from tqdm import tqdm  # type: ignore[import-untyped]

    from zwgk.corpus._dataset import Dataset
    from zwgk.corpus._many import default_converter, prepared_jobs
    from zwgk.corpus._pool import map_files
    from zwgk.corpus._rows import FileJob, content_hash, error_rows, read_document
    from zwgk.corpus._units import UNIT_COLUMNS, CorpusUnits

    dataset = Dataset(args.output)
    known = dataset.known()
    if args.force:
        redo = set()
        for f in files:
            try:
                redo.add(content_hash(f))
            except OSError:
                redo.add(_unreadable_id(f))
        dataset.drop(redo & known.keys())
        known = dataset.known()
    stats = {"read": 0, "failed": 0, "skipped": 0, "skipped_failed": 0, "duplicates": 0, "warnings": 0}
    digests: dict[str, str] = {}
    seen: set[str] = set()
    bar = tqdm(total=len(files), unit="file", desc="batch", disable=None, dynamic_ncols=True)

    def to_read() -> Iterator[str]:
        for f in files:
            try:
                digest = content_hash(f)
            except OSError:  # read anyway: the reader records why it cannot be read
                digest = _unreadable_id(f)
            if digest in known or digest in seen:
                stats["duplicates" if digest in seen else "skipped"] += 1
                stats["skipped_failed"] += known.get(digest) == "error"
                bar.update(1)
                continue
            seen.add(digest)
            digests[f] = digest
            yield f

    options: tuple[tuple[str, object], ...] = (("format", args.input_format),) if args.input_format else ()
    if getattr(args, "no_convert", False):
        options += (("convert", False),)
    converter = default_converter(None, dict(options))
    # the units of the documents already in OUT, then those of each chunk as it is committed
    units = CorpusUnits.from_batches(dataset.batches("units", list(UNIT_COLUMNS)))
    writer = dataset.writer(on_commit=lambda tables: units.add_rows(tables["units"]) if "units" in tables else None)
    started = time.perf_counter()

    def record(rows: Any) -> bool:
        writer.add(rows)
        failed = not rows.ok
        stats["failed" if failed else "read"] += 1
        stats["warnings"] += sum(len(w) for w in rows.tables["documents"]["warnings"])
        if failed:
            bar.write(f"zwgk: error: {rows.error}", file=sys.stderr)
        bar.update(1)
        bar.set_postfix(failed=stats["failed"], refresh=False)
        return failed

    stopped = False
    try:
        with _scratch(converter is not None) as scratch:
            jobs = (FileJob(j.path, j.read_from, digests.pop(j.path), options)
                    for j in prepared_jobs(to_read(), converter, scratch))
            for job, result in map_files(read_document, jobs, jobs=args.jobs, ordered=False):
                rows = error_rows(job.doc_id, job.path, result) if isinstance(result, ZwgkError) else result
                if record(rows) and args.fail_fast:
                    stopped = True
                    break
    finally:
        writer.close()  # on Ctrl-C/SIGTERM too: what was read is committed
        bar.close()
    units.to_toml(dataset.root / UNITS_FILE)
    if args.units_toml:
        try:
            units.to_toml(args.units_toml)
        except OSError as e:
            raise ZwgkError(f"cannot write {args.units_toml}: {e.strerror or e}") from None
    elapsed = time.perf_counter() - started
    rate = stats["read"] + stats["failed"]
    parts = [f"{len(files)} files", f"{stats['read']} read", f"{stats['failed']} failed"]
    if stats["skipped"]:
        earlier = f", {stats['skipped_failed']} of them failed before" if stats["skipped_failed"] else ""
        parts.append(f"{stats['skipped']} already in {args.output}{earlier}")
    if stats["warnings"]:
        n = stats["warnings"]
        parts.append(f"{n} warning{'s' * (n != 1)} (in the documents table's warnings column)")
    if stats["duplicates"]:
        parts.append(f"{stats['duplicates']} duplicates of files read")
    if stopped:
        parts.append("stopped at the first failure (--fail-fast)")
    print(f"zwgk batch: {', '.join(parts)} in {elapsed:.1f} s ({rate / elapsed if elapsed else 0:.0f} files/s); "
          f"{units.documents} documents, {len(units.units)} units in {args.output}", file=sys.stderr)
    return EXIT_FAILED if stats["failed"] or stats["skipped_failed"] or stopped else EXIT_OK


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
