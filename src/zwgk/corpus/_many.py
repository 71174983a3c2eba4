"""``load_many``: many files read in parallel processes, each ending as a plan or a recorded error.

The batch conversion hook
-------------------------
Formats that need LibreOffice first (``.doc``, ``.wps``, ``.rtf``, ``.xls``, ``.et``, ...) are
cheapest converted many files per ``soffice`` call. :func:`load_many` (and ``zwgk batch``) take a
``convert`` callable of type :data:`BatchConverter`: it receives a window of input paths and a
scratch folder and returns, for the paths it converted, the path of the converted file. Those files
are read instead, and every result and error still names the original path. Paths it leaves out are
read as they are (so :func:`zwgk.load` converts or refuses them on its own). Without ``convert``,
:data:`batch_converter` is used: a :class:`LibreOfficeConverter`, which picks the files that need
converting by their content (:func:`zwgk.readers.convert.kind_of`) and converts each window's
Writer files in one ``soffice`` call and its Calc files in another
(:func:`zwgk.readers.convert.convert_many`). ``convert=False`` converts nothing, and such files end
as recorded errors naming the command that converts them.
"""

from __future__ import annotations

import contextlib
import functools
import os
import tempfile
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import islice
from pathlib import Path
from typing import Literal

import attrs

from zwgk import _registered
from zwgk.errors import ZwgkError
from zwgk.model import Plan

__all__ = [
    "CONVERT_WINDOW",
    "BatchConverter",
    "Job",
    "LibreOfficeConverter",
    "batch_converter",
    "default_converter",
    "load_job",
    "load_many",
    "prepared_jobs",
    "relabel",
    "renamed",
]

BatchConverter = Callable[[Sequence[Path], Path], Mapping[Path, Path]]
"""``convert(paths, scratch_dir) -> {original: converted}`` for the paths it converted."""

CONVERT_WINDOW = 64  # files handed to one conversion call: one soffice start per this many files
_HEAD_BYTES = 8192  # what is read of each file to tell whether it needs converting (as zwgk.load reads)


@attrs.frozen
class LibreOfficeConverter:
    """The default conversion step of a batch: legacy Office files and RTF converted by LibreOffice.

    Of a window of paths, those whose content needs converting (an OLE .doc/.wps/.xls/.et or RTF,
    whatever their suffix) are converted with one ``soffice`` call for the Writer documents (to
    .odt) and one for the spreadsheets (to .xlsx, when the ``zwgk-xlsx`` reader is there). Left
    out, and so read (converted or refused) file by file by :func:`zwgk.load`: files that need no
    converting, files with a damaged OLE header, every file when no LibreOffice is found, and the
    files of a call that failed as a whole (a hang past ``timeout``), so that each is tried alone
    and the culprit is named.
    """

    soffice: str | None = None
    timeout: float | None = None

    def __call__(self, paths: Sequence[Path], scratch: Path) -> dict[Path, Path]:
        from zwgk.readers.convert import CALC, CONVERT_TIMEOUT, Target, convert_many, damaged_ole, find_soffice, kind_of

        groups: dict[Target, list[Path]] = {}
        for p in paths:
            try:
                with open(p, "rb") as f:
                    head = f.read(_HEAD_BYTES)
            except OSError:
                continue  # zwgk.load names why it cannot be read
            target = kind_of(p, head)
            if target is None or damaged_ole(head) or (target is CALC and "xlsx" not in _registered.get_readers()):
                continue
            groups.setdefault(target, []).append(p)
        if not groups:
            return {}
        try:
            exe = find_soffice(self.soffice)
        except ZwgkError:
            return {}  # a named soffice that is not there: zwgk.load says so for each file
        if exe is None:
            return {}
        done: dict[Path, Path] = {}
        for target, group in groups.items():
            outdir = Path(tempfile.mkdtemp(prefix=f"{target.app.lower()}-", dir=scratch))
            try:
                results = convert_many(group, outdir, target=target, soffice=exe,
                                       timeout=self.timeout if self.timeout is not None else CONVERT_TIMEOUT)
            except ZwgkError:
                continue
            done.update((r.source, r.converted) for r in results if r.converted is not None)
        return done


batch_converter: BatchConverter | None = LibreOfficeConverter()
"""The converter used when ``convert`` is not given (replace it to plug another conversion in)."""


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


def renamed(plan: Plan, path: str, read_from: str) -> Plan:
    """``plan`` read from the converted copy ``read_from``, its source and positions naming ``path``."""
    if read_from == path:
        return plan
    tasks = tuple(attrs.evolve(t, source=attrs.evolve(t.source, file=path))
                  if t.source is not None and t.source.file == read_from else t for t in plan.tasks)
    return attrs.evolve(plan, source=path, tasks=tasks)


def load_job(path: str, read_from: str, options: Mapping[str, object]) -> tuple[Plan, list[Warning]]:
    """The plan of one file of a batch (``read_from``, a converted copy of ``path`` or ``path``
    itself) naming ``path``, and the warnings reading it raised (such as a :class:`~zwgk.ReadWarning`),
    recorded rather than shown, for a worker process to send back. Errors name ``path`` too."""
    from zwgk import _api  # reading: imported where files are read, not where they are handed out

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            plan = _api.load(read_from, **options)  # type: ignore[arg-type]
        except ZwgkError as e:
            raise relabel(e, path, read_from) from None
    said = [w.message if isinstance(w.message, Warning) else w.category(str(w.message)) for w in caught]
    return renamed(plan, path, read_from), said


def _load_job(options: dict[str, object], job: Job) -> tuple[Plan, list[Warning]]:
    """In a worker: :func:`load_job` for one job of :func:`load_many`."""
    return load_job(job.path, job.read_from, options)


def default_converter(convert: BatchConverter | bool | None, options: Mapping[str, object]) -> BatchConverter | None:
    """The conversion step for ``convert`` and the load options of a batch.

    A callable is used as it is; ``False`` (or the load option ``convert=False``) converts nothing;
    ``None`` or ``True`` is :data:`batch_converter`, built afresh from the ``soffice`` and
    ``convert_timeout`` load options when they are given. A ``format`` other than ``doc`` reads
    every file with that reader, so nothing is converted first.
    """
    if callable(convert):
        return convert
    if convert is False or options.get("convert") is False or options.get("format") not in (None, "doc"):
        return None
    if isinstance(batch_converter, LibreOfficeConverter) and ("soffice" in options or "convert_timeout" in options):
        soffice, timeout = options.get("soffice"), options.get("convert_timeout")
        # checked by zwgk.load for each file; a value of the wrong type converts nothing here
        return LibreOfficeConverter(
            os.fspath(soffice) if isinstance(soffice, (str, os.PathLike)) else None,
            float(timeout) if isinstance(timeout, (int, float)) and not isinstance(timeout, bool) else None)
    return batch_converter


def load_many(
    paths: Iterable[str | os.PathLike[str]],
    jobs: int | None = None,
    on_error: Literal["collect", "raise"] = "collect",
    ordered: bool = True,
    *,
    convert: BatchConverter | bool | None = None,
    **load_options: object,
) -> Iterator[tuple[str, Plan | ZwgkError]]:
    """Read many files in parallel; yield ``(path, plan)`` or ``(path, error)`` for every one.

    ``jobs`` processes read the files (default: one per CPU; ``jobs=1`` reads in this process).
    Results come in input order (``ordered=True``) or as they complete. A file that cannot be read,
    a reader raising something unexpected, or a worker process dying becomes a
    :class:`~zwgk.ZwgkError` for that file and the batch goes on; ``on_error="raise"`` raises the
    first instead. Only a bounded number of files are in flight, so ``paths`` may be a generator
    over any number of files. ``load_options`` go to :func:`zwgk.load` (``format=``, ``table=``);
    ``convert`` is the batch conversion hook described in the module docstring (``False``: convert
    nothing, so legacy Office files and RTF end as errors naming the command that converts them).

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
    if convert is False:
        load_options["convert"] = False
    elif convert is not None and convert is not True and not callable(convert):
        raise ZwgkError(f"convert must be True, False or a batch converter, not {convert!r}")
    return _load_many(paths, jobs, on_error, ordered, default_converter(convert, load_options), dict(load_options))


def _load_many(paths: Iterable[str | os.PathLike[str]], jobs: int | None, on_error: str, ordered: bool,
               converter: BatchConverter | None, load_options: dict[str, object],
               ) -> Iterator[tuple[str, Plan | ZwgkError]]:
    from zwgk.corpus._pool import map_files, start_workers

    start_workers(jobs)  # the workers warm up while the first files are converted
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
                continue
            plan, said = result
            for warning in said:  # raised here as zwgk.load raises them
                warnings.warn(warning, stacklevel=2)
            yield job.path, plan

