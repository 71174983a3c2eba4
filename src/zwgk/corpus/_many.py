"""``load_many``: many files read in parallel processes, each ending as a plan or a recorded error.

The batch conversion hook
-------------------------
Formats that need LibreOffice first (``.doc``, ``.wps``, ...) are cheapest converted many files per
``soffice`` call. :func:`load_many` (and ``zwgk batch``) take a ``convert`` callable of type
:data:`BatchConverter`: it receives a window of input paths and a scratch folder and returns, for
the paths it converted, the path of the converted file. Those files are read instead, and every
result and error still names the original path. Paths it leaves out are read as they are. Without
``convert``, :data:`batch_converter` is used (``None`` until a converter is installed there).
"""

from __future__ import annotations

import contextlib
import functools
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import islice
from pathlib import Path
from typing import Literal

import attrs

from zwgk import _api
from zwgk.errors import ZwgkError
from zwgk.model import Plan

__all__ = ["CONVERT_WINDOW", "BatchConverter", "Job", "batch_converter", "load_many", "prepared_jobs", "relabel"]

BatchConverter = Callable[[Sequence[Path], Path], Mapping[Path, Path]]
"""``convert(paths, scratch_dir) -> {original: converted}`` for the paths it converted."""

batch_converter: BatchConverter | None = None
"""The converter used when ``convert`` is not given (install one here to plug conversion in)."""

CONVERT_WINDOW = 64  # files handed to one conversion call: one soffice start per this many files


@attrs.frozen
class Job:
    """One file to read: ``path`` as given, ``read_from`` the file actually read (a converted copy)."""

    path: str
    read_from: str

    def __fspath__(self) -> str:
        return self.path


def prepared_jobs(paths: Iterable[str | os.PathLike[str]], convert: BatchConverter | None,
                  scratch: Path | None) -> Iterator[Job]:
    """Jobs for ``paths``, converting them a window at a time when there is a converter."""
    it = (os.fspath(p) for p in paths)
    if convert is None or scratch is None:
        yield from (Job(p, p) for p in it)
        return
    while window := list(islice(it, CONVERT_WINDOW)):
        converted = convert([Path(p) for p in window], scratch)
        for p in window:
            target = converted.get(Path(p))
            yield Job(p, os.fspath(target) if target is not None else p)


def relabel(error: ZwgkError, path: str, read_from: str) -> ZwgkError:
    """``error``, naming the original ``path`` where it named the converted copy ``read_from``."""
    if read_from != path and error.position is not None and error.position.file == read_from:
        error.position = attrs.evolve(error.position, file=path)
    return error


def _load_job(options: dict[str, object], job: Job) -> Plan:
    """In a worker: the plan of one file."""
    try:
        plan = _api.load(job.read_from, **options)  # type: ignore[arg-type]
    except ZwgkError as e:
        raise relabel(e, job.path, job.read_from) from None
    return attrs.evolve(plan, source=job.path) if job.read_from != job.path else plan


def load_many(
    paths: Iterable[str | os.PathLike[str]],
    jobs: int | None = None,
    on_error: Literal["collect", "raise"] = "collect",
    ordered: bool = True,
    *,
    convert: BatchConverter | None = None,
    **load_options: object,
) -> Iterator[tuple[str, Plan | ZwgkError]]:
    """Read many files in parallel; yield ``(path, plan)`` or ``(path, error)`` for every one.

    ``jobs`` processes read the files (default: one per CPU; ``jobs=1`` reads in this process).
    Results come in input order (``ordered=True``) or as they complete. A file that cannot be read,
    a reader raising something unexpected, or a worker process dying becomes a
    :class:`~zwgk.ZwgkError` for that file and the batch goes on; ``on_error="raise"`` raises the
    first instead. Only a bounded number of files are in flight, so ``paths`` may be a generator
    over any number of files. ``load_options`` go to :func:`zwgk.load` (``format=``, ``table=``);
    ``convert`` is the batch conversion hook described in the module docstring.

    >>> import zwgk
    >>> list(zwgk.load_many([], jobs=1))
    []
    """
    if on_error not in ("collect", "raise"):  # checked now, not at the first next()
        raise ZwgkError(f"on_error must be 'collect' or 'raise', not {on_error!r}")
    if "registry" in load_options:
        raise ZwgkError("load_many reads each file with the default unit registry; registry= is not supported")
    from zwgk.corpus._pool import worker_count

    worker_count(jobs)
    return _load_many(paths, jobs, on_error, ordered, convert if convert is not None else batch_converter,
                      dict(load_options))


def _load_many(paths: Iterable[str | os.PathLike[str]], jobs: int | None, on_error: str, ordered: bool,
               converter: BatchConverter | None, load_options: dict[str, object],
               ) -> Iterator[tuple[str, Plan | ZwgkError]]:
    from zwgk.corpus._pool import map_files

    scratch_dir = tempfile.TemporaryDirectory(prefix="zwgk-convert-") if converter is not None else None
    with scratch_dir if scratch_dir is not None else contextlib.nullcontext(""):
        scratch = scratch_dir.name if scratch_dir is not None else ""
        source = prepared_jobs(paths, converter, Path(scratch) if scratch else None)
        fn = functools.partial(_load_job, load_options)
        for job, result in map_files(fn, source, jobs=jobs, ordered=ordered):
            if isinstance(result, ZwgkError):
                result = relabel(result, job.path, job.read_from)
                if on_error == "raise":
                    raise result
            yield job.path, result

