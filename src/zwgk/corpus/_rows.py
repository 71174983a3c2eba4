"""The per-file step of a batch: one file in, its rows for every table of the dataset out.

:func:`read_document` is a pure function of one file (its path, bytes and the reading options):
it reads, validates and flattens the plan into columns. It is what worker processes run, and what
any map engine (Dask ``bag.map``, Spark ``mapPartitions``, Ray) runs to spread a corpus over a
cluster. :data:`COLUMNS` fixes each table's columns and their types; the rows are plain Python
lists, so a worker never imports pyarrow (:data:`zwgk.corpus.SCHEMAS`, the Arrow schemas, are built
where Parquet is written).

Every input file is one ``documents`` row, whose ``status`` is :data:`READ`, :data:`FAILED` (the
one-line error in ``error``) or :data:`DUPLICATE` (the same bytes as a file read, named in
``duplicate_of``). A path that is not valid UTF-8 is recorded in a readable escaped form
(:func:`readable`): ``b"\\xff.txt"`` as ``\\xff.txt``.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Sequence
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
    "content_hash",
    "duplicate_rows",
    "error_rows",
    "not_regular",
    "plan_rows",
    "read_document",
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
