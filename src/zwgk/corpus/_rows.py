"""The per-file step of a batch: one file in, its rows for every table of the dataset out.

:func:`read_document` is a pure function of one file (its path, bytes and the reading options):
it reads, validates and flattens the plan into columns. It is what worker processes run, and what
any map engine (Dask ``bag.map``, Spark ``mapPartitions``, Ray) runs to spread a corpus over a
cluster. :data:`SCHEMAS` fixes each table's columns and types.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
import pyarrow as pa

from zwgk import _api
from zwgk.corpus._many import load_job
from zwgk.errors import ZwgkError
from zwgk.model import Plan, Role

__all__ = [
    "PARTITION_COLUMNS",
    "SCHEMAS",
    "TABLES",
    "DocumentRows",
    "FileJob",
    "content_hash",
    "error_rows",
    "plan_rows",
    "read_document",
]

_HASH_BLOCK = 1 << 20  # bytes read at a time while hashing a file

PARTITION_COLUMNS = ("region", "year")
"""Every table is partitioned by the document's region and year (hive-style directories)."""

_STR = pa.string()
_INT = pa.int32()
_STRS = pa.list_(pa.string())

SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema([
        ("doc_id", _STR), ("path", _STR), ("title", _STR), ("level", _STR), ("format", _STR),
        ("tasks", _INT), ("assignments", _INT), ("findings", _INT), ("status", _STR), ("error", _STR),
        ("zwgk_version", _STR), ("warnings", _STRS),
    ]),
    "tasks": pa.schema([
        ("doc_id", _STR), ("task_id", _STR), ("seq", _INT), ("path", _STRS), ("depth", _INT),
        ("text", _STR), ("requirement", _STR), ("serial", _STR), ("deadline", _STR), ("notes", _STR),
        ("n_leads", _INT), ("n_responsible", _INT), ("n_cooperating", _INT), ("row", _INT), ("line", _INT),
    ]),
    "assignments": pa.schema([
        ("doc_id", _STR), ("task_id", _STR), ("role", _STR), ("seq", _INT), ("unit", _STR),
        ("as_written", _STR), ("kind", _STR), ("resolved", pa.bool_()), ("note", _STR),
    ]),
    "units": pa.schema([
        ("doc_id", _STR), ("unit", _STR), ("kind", _STR), ("spellings", _STRS), ("lead", _INT),
        ("responsible", _INT), ("cooperating", _INT), ("tasks", _INT), ("resolved", pa.bool_()),
    ]),
    "findings": pa.schema([
        ("doc_id", _STR), ("code", _STR), ("slug", _STR), ("severity", _STR), ("message", _STR),
        ("task_id", _STR), ("row", _INT), ("line", _INT), ("units", _STRS), ("hint", _STR),
    ]),
}
"""Columns of each table (the partition columns ``region`` and ``year`` come from the directories)."""

TABLES = tuple(SCHEMAS)

Columns = dict[str, list[Any]]


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
    return {name: {f: [] for f in schema.names} for name, schema in SCHEMAS.items()}


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
              assignments: int, findings: int, error: str | None, warned: Sequence[str] = ()) -> None:
    for key, value in (("doc_id", doc_id), ("path", path), ("title", title), ("level", level),
                       ("format", _format_of(path)), ("tasks", tasks), ("assignments", assignments),
                       ("findings", findings), ("status", "ok" if error is None else "error"), ("error", error),
                       ("zwgk_version", _api.version()), ("warnings", list(warned))):
        t["documents"][key].append(value)


def error_rows(doc_id: str, path: str, error: ZwgkError) -> DocumentRows:
    """The one documents row of a file that could not be read, holding its error."""
    t = _empty()
    _document(t, doc_id, path, None, None, 0, 0, 0, str(error))
    return DocumentRows(doc_id, None, None, t, error=str(error))


def read_document(job: FileJob) -> DocumentRows:
    """The per-file step: read ``job``'s file, validate it, and return its rows (or its error row)."""
    try:
        plan, said = load_job(job.path, job.read_from, dict(job.options))
    except ZwgkError as e:
        return error_rows(job.doc_id, job.path, e)
    return plan_rows(plan, job.doc_id, job.path, [str(w) for w in said])
