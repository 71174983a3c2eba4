"""The per-file step of a batch: one file in, its rows for every table of the dataset out.

:func:`read_document` is a pure function of one file (its path, bytes and the reading options):
it reads, validates and flattens the plan into columns. It is what worker processes run, and what
any map engine (Dask ``bag.map``, Spark ``mapPartitions``, Ray) runs to spread a corpus over a
cluster. :data:`COLUMNS` fixes each table's columns and their types; the rows are plain Python
lists.

:func:`pack` turns one file's rows into the buffers of Arrow arrays (validity bitmaps, offsets,
values: plain ``bytes``, laid out as the Arrow columnar format lays them out), built in pure Python
where the file was read. A batch's workers send those back (:func:`read_packed`), and the process
writing Parquet wraps them as Arrow arrays without converting a single Python value
(:mod:`zwgk.corpus._arrow`). So neither the workers nor the batch's parent convert rows with
``pyarrow.array``, which imports pandas (60 MiB, a second) on first use, and only the parent, which
writes the Parquet files, imports pyarrow at all.

Every input file is one ``documents`` row, whose ``status`` is :data:`READ`, :data:`FAILED` (the
one-line error in ``error``) or :data:`DUPLICATE` (the same bytes as a file read, named in
``duplicate_of``). A path that is not valid UTF-8 is recorded in a readable escaped form
(:func:`readable`): ``b"\\xff.txt"`` as ``\\xff.txt``.
"""

from __future__ import annotations

import hashlib
import os
import stat
from array import array
from collections.abc import Sequence
from itertools import accumulate
from pathlib import Path
from typing import Any

import attrs

from zwgk import _api
from zwgk.corpus._many import load_job
from zwgk.errors import ZwgkError
from zwgk.model import Plan, Role

__all__ = [
    "COLUMNS",
    "DUPLICATE",
    "FAILED",
    "PARTITION_COLUMNS",
    "READ",
    "TABLES",
    "DocumentRows",
    "FileJob",
    "PackedColumn",
    "PackedRows",
    "content_hash",
    "duplicate_rows",
    "error_rows",
    "not_regular",
    "pack",
    "pack_column",
    "plan_rows",
    "read_document",
    "read_packed",
    "readable",
]

_HASH_BLOCK = 1 << 20  # bytes read at a time while hashing a file

PARTITION_COLUMNS = ("region", "year")
"""Every table is partitioned by the document's region and year (hive-style directories)."""

READ = "read"  # the file was read: its rows are in every table
FAILED = "failed"  # the file could not be read: ``error`` says why
DUPLICATE = "duplicate"  # the same bytes as the file named in ``duplicate_of``, read once

_STR, _INT, _BOOL, _STRS = "string", "int32", "bool", "list<string>"

COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "documents": (
        ("doc_id", _STR), ("path", _STR), ("title", _STR), ("level", _STR), ("format", _STR),
        ("tasks", _INT), ("assignments", _INT), ("findings", _INT), ("status", _STR), ("error", _STR),
        ("duplicate_of", _STR), ("zwgk_version", _STR), ("warnings", _STRS),
    ),
    "tasks": (
        ("doc_id", _STR), ("task_id", _STR), ("seq", _INT), ("path", _STRS), ("depth", _INT),
        ("text", _STR), ("requirement", _STR), ("serial", _STR), ("deadline", _STR), ("notes", _STR),
        ("n_leads", _INT), ("n_responsible", _INT), ("n_cooperating", _INT), ("row", _INT), ("line", _INT),
    ),
    "assignments": (
        ("doc_id", _STR), ("task_id", _STR), ("role", _STR), ("seq", _INT), ("unit", _STR),
        ("as_written", _STR), ("kind", _STR), ("resolved", _BOOL), ("note", _STR),
    ),
    "units": (
        ("doc_id", _STR), ("unit", _STR), ("kind", _STR), ("spellings", _STRS), ("lead", _INT),
        ("responsible", _INT), ("cooperating", _INT), ("tasks", _INT), ("resolved", _BOOL),
    ),
    "findings": (
        ("doc_id", _STR), ("code", _STR), ("slug", _STR), ("severity", _STR), ("message", _STR),
        ("task_id", _STR), ("row", _INT), ("line", _INT), ("units", _STRS), ("hint", _STR),
    ),
}
"""Columns of each table and their Arrow types (``region`` and ``year`` come from the directories)."""

TABLES = tuple(COLUMNS)

Columns = dict[str, list[Any]]


def readable(text: str) -> str:
    """``text`` as valid UTF-8: the bytes of a name that is not UTF-8 (which Python keeps as escapes)
    written ``\\xff``, so the name can be stored, printed and recognised."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a lone surrogate that is no escaped byte
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


_NOT_REGULAR = {stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFCHR: "a character device",
                stat.S_IFBLK: "a block device", stat.S_IFSOCK: "a socket"}


def not_regular(path: str | os.PathLike[str]) -> str | None:
    """What ``path`` is when it is not a regular file (following symbolic links): ``"a named pipe
    (FIFO)"``, ``"a character device"`` …, found without opening it; ``None`` for a regular file or
    one that cannot be examined (reading it names why)."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None
    if stat.S_ISREG(mode):
        return None
    return _NOT_REGULAR.get(stat.S_IFMT(mode), "not a regular file")


def content_hash(path: str | os.PathLike[str]) -> str:
    """The sha256 of a file's bytes, in hex: a document's identity in the dataset."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(_HASH_BLOCK):
            h.update(block)
    return h.hexdigest()


@attrs.frozen
class FileJob:
    """What the per-file step needs: the file as named, the file to read, its hash, reader options."""

    path: str
    read_from: str
    doc_id: str
    options: tuple[tuple[str, object], ...] = ()

    def __fspath__(self) -> str:
        return self.path


@attrs.frozen
class DocumentRows:
    """One file's rows: its partition (region, year) and, for each table, columns of equal length."""

    doc_id: str
    region: str | None
    year: int | None
    tables: dict[str, Columns]
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def count(self, table: str) -> int:
        cols = self.tables.get(table)
        return len(cols["doc_id"]) if cols else 0


def _empty() -> dict[str, Columns]:
    return {name: {f: [] for f, _ in columns} for name, columns in COLUMNS.items()}


def _format_of(path: str) -> str | None:
    return Path(path).suffix.lower().lstrip(".") or None


def plan_rows(plan: Plan, doc_id: str, path: str, warned: Sequence[str] = ()) -> DocumentRows:
    """The rows of a plan read from ``path`` (``doc_id`` its content hash), validated; ``warned``
    are the warnings reading it raised (kept in the documents row)."""
    t = _empty()
    report = _api.validate(plan)
    tasks, assignments, units, findings = t["tasks"], t["assignments"], t["units"], t["findings"]
    n_assignments = 0
    for seq, task in enumerate(plan.tasks):
        src = task.source
        for key, value in (("doc_id", doc_id), ("task_id", task.id), ("seq", seq), ("path", list(task.path)),
                           ("depth", len(task.path)), ("text", task.text), ("requirement", task.requirement),
                           ("serial", task.serial), ("deadline", task.deadline), ("notes", task.notes),
                           ("n_leads", len(task.leads)), ("n_responsible", len(task.responsible)),
                           ("n_cooperating", len(task.cooperating)), ("row", src.row if src else None),
                           ("line", src.line if src else None)):
            tasks[key].append(value)
        for role in Role:
            for k, ref in enumerate(task.units(role)):
                n_assignments += 1
                for key, value in (("doc_id", doc_id), ("task_id", task.id), ("role", role.value), ("seq", k),
                                   ("unit", ref.name), ("as_written", ref.as_written), ("kind", ref.kind.value),
                                   ("resolved", ref.resolved), ("note", ref.note)):
                    assignments[key].append(value)
    resolved: dict[str, bool] = {}
    for a in plan.assignments():
        resolved[a.unit.name] = resolved.get(a.unit.name, False) or a.unit.resolved
    work = plan.workload()
    tasks_of: dict[str, int] = {}
    for task in plan.tasks:
        for name in {u.name for u in task.units()}:
            tasks_of[name] = tasks_of.get(name, 0) + 1
    for unit in plan.units():
        counts = work.get(unit.name)
        for key, value in (("doc_id", doc_id), ("unit", unit.name), ("kind", unit.kind.value),
                           ("spellings", list(unit.aliases)),
                           ("lead", counts[Role.LEAD] if counts else 0),
                           ("responsible", counts[Role.RESPONSIBLE] if counts else 0),
                           ("cooperating", counts[Role.COOPERATING] if counts else 0),
                           ("tasks", tasks_of.get(unit.name, 0)), ("resolved", resolved.get(unit.name, False))):
            units[key].append(value)
    for f in report.findings:
        for key, value in (("doc_id", doc_id), ("code", f.code), ("slug", f.slug), ("severity", f.severity.value),
                           ("message", f.message), ("task_id", f.task_id), ("row", f.row), ("line", f.line),
                           ("units", list(f.units)), ("hint", f.hint)):
            findings[key].append(value)
    meta = plan.metadata
    _document(t, doc_id, path, plan.title, meta.level, len(plan.tasks), n_assignments,
              len(report.findings), None, warned)
    return DocumentRows(doc_id, meta.region, meta.year, t)


def _document(t: dict[str, Columns], doc_id: str, path: str, title: str | None, level: str | None, tasks: int,
              assignments: int, findings: int, error: str | None, warned: Sequence[str] = (),
              duplicate_of: str | None = None) -> None:
    status = DUPLICATE if duplicate_of is not None else READ if error is None else FAILED
    for key, value in (("doc_id", doc_id), ("path", readable(path)), ("title", title), ("level", level),
                       ("format", _format_of(readable(path))), ("tasks", tasks), ("assignments", assignments),
                       ("findings", findings), ("status", status),
                       ("error", None if error is None else readable(error)),
                       ("duplicate_of", duplicate_of), ("zwgk_version", _api.version()),
                       ("warnings", [readable(w) for w in warned])):
        t["documents"][key].append(value)


def error_rows(doc_id: str, path: str, error: ZwgkError | str) -> DocumentRows:
    """The one documents row of a file that could not be read, holding its error."""
    t = _empty()
    message = readable(str(error))
    _document(t, doc_id, path, None, None, 0, 0, 0, message)
    return DocumentRows(doc_id, None, None, t, error=message)


def duplicate_rows(doc_id: str, path: str, original: str) -> DocumentRows:
    """The one documents row of a file with the same bytes as ``original``, a file read (its rows
    are the original's, under the same ``doc_id``)."""
    t = _empty()
    _document(t, doc_id, path, None, None, 0, 0, 0, None, duplicate_of=readable(original))
    return DocumentRows(doc_id, None, None, t)


def read_document(job: FileJob) -> DocumentRows:
    """The per-file step: read ``job``'s file, validate it, and return its rows (or its error row)."""
    what = not_regular(job.read_from)
    if what is not None:  # a pipe or a device would block or never end: never opened
        return error_rows(job.doc_id, job.path, f"{readable(job.path)}: {what}, not a regular file: not read")
    try:
        plan, said = load_job(job.path, job.read_from, dict(job.options))
    except ZwgkError as e:
        return error_rows(job.doc_id, job.path, e)
    return plan_rows(plan, job.doc_id, job.path, [str(w) for w in said])


PackedColumn = tuple[int, int, bytes | None, bytes, Any]
"""One column as the buffers of an Arrow array: ``(length, null count, validity bitmap or None,
offsets or values, data)``, where data is the UTF-8 bytes of a string column, the packed strings
of a list column, and ``None`` for ``int32`` and ``bool``."""

if array("i").itemsize != 4:  # pragma: no cover - every platform CPython runs on today
    raise ImportError("zwgk.corpus needs a 4-byte C int for Arrow's int32 buffers")


def _bitmap(flags: list[bool]) -> bytes:
    """An Arrow bitmap (least significant bit first) of ``flags``."""
    if not flags:
        return b""
    return int("".join("1" if f else "0" for f in reversed(flags)), 2).to_bytes((len(flags) + 7) // 8, "little")


def _offsets(lengths: list[int]) -> bytes:
    return array("i", accumulate(lengths, initial=0)).tobytes()


def pack_column(values: Sequence[Any], kind: str) -> PackedColumn:
    """``values`` (``None`` for a null) as the buffers of an Arrow array of type ``kind`` (one of
    ``string``, ``int32``, ``bool``, ``list<string>``): what ``pyarrow.array(values, type)`` holds."""
    n = len(values)
    present = [v is not None for v in values]
    nulls = n - sum(present)
    validity = _bitmap(present) if nulls else None
    if kind == _STR:
        data = [b"" if v is None else v.encode("utf-8") for v in values]
        return n, nulls, validity, _offsets([len(d) for d in data]), b"".join(data)
    if kind == _INT:
        return n, nulls, validity, array("i", [0 if v is None else v for v in values]).tobytes(), None
    if kind == _BOOL:
        return n, nulls, validity, _bitmap([bool(v) for v in values]), None
    if kind == _STRS:
        items = [x for v in values if v is not None for x in v]
        return n, nulls, validity, _offsets([0 if v is None else len(v) for v in values]), pack_column(items, _STR)
    raise ValueError(f"no packing for Arrow type {kind!r}")


@attrs.frozen
class PackedRows:
    """One file's rows ready to write: its partition and outcome, and each non-empty table's
    columns as Arrow buffers (:func:`pack`); what a batch's worker sends back for a file."""

    doc_id: str
    region: str | None
    year: int | None
    status: str  # READ, FAILED or DUPLICATE
    error: str | None
    warnings: int  # warnings reading the file raised
    counts: dict[str, int]  # rows in each table
    columns: dict[str, tuple[PackedColumn, ...]]  # the non-empty tables, columns in COLUMNS order

    @property
    def ok(self) -> bool:
        return self.error is None

    def count(self, table: str) -> int:
        return self.counts.get(table, 0)


def pack(rows: DocumentRows) -> PackedRows:
    """``rows`` with every table's columns packed as Arrow buffers (:func:`pack_column`)."""
    columns: dict[str, tuple[PackedColumn, ...]] = {}
    counts: dict[str, int] = {}
    for table, spec in COLUMNS.items():
        cols = rows.tables[table]
        n = counts[table] = len(cols["doc_id"])
        if any(len(cols[name]) != n for name, _ in spec):
            raise ValueError(f"the {table} columns of {rows.doc_id} differ in length")
        if n:
            columns[table] = tuple(pack_column(cols[name], kind) for name, kind in spec)
    docs = rows.tables["documents"]
    return PackedRows(rows.doc_id, rows.region, rows.year, docs["status"][0], rows.error,
                      sum(len(w) for w in docs["warnings"]), counts, columns)


def read_packed(job: FileJob) -> PackedRows:
    """:func:`read_document`, packed (:func:`pack`): the per-file step a batch's workers run."""
    return pack(read_document(job))
