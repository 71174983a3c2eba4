"""The per-file step of a batch: one file in, its rows for every table of the dataset out.

:func:`read_document` is a pure function of one file (its path, bytes and the reading options):
it reads, validates and flattens the plan into columns. It is what worker processes run, and what
any map engine (Dask ``bag.map``, Spark ``mapPartitions``, Ray) runs to spread a corpus over a
cluster. :data:`COLUMNS` fixes each table's columns and their types; the rows are plain Python
lists.

:func:`pack` turns one file's rows into the buffers of Arrow arrays (validity bitmaps, offsets,
values: plain ``bytes``, laid out as the Arrow columnar format lays them out), built in pure Python
where the files were read. A batch's workers send those of the files they read in one go back as
one pickled payload (:func:`seal_together`); the batch's parent forwards them unopened to the
process writing the dataset
(:mod:`zwgk.corpus._store`), which wraps them as Arrow arrays without converting a single Python
value (:mod:`zwgk.corpus._arrow`). So no process of a batch converts rows with ``pyarrow.array``,
which imports pandas (60 MiB, a second) on first use, and only the writer imports pyarrow at all.

Every input file is one ``documents`` row, whose ``status`` is :data:`READ`, :data:`FAILED` (the
one-line error in ``error``) or :data:`DUPLICATE` (the same bytes as a file read, named in
``duplicate_of``). A path that is not valid UTF-8 is recorded in a readable escaped form
(:func:`readable`): ``b"\\xff.txt"`` as ``\\xff.txt``.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
from array import array
from collections.abc import Iterable, Sequence
from itertools import accumulate, chain, repeat
from operator import attrgetter, is_not
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, cast

import attrs

from zwgk._version import __version__
from zwgk.errors import ZwgkError
from zwgk.model import Plan, Role, Task, UnitRef

if TYPE_CHECKING:
    from zwgk.validators import Finding

# Reading and validating (zwgk._api, the readers and validators) are imported where a file is read,
# not with this module: the process writing the dataset only unpacks rows (see zwgk.corpus._store).

__all__ = [
    "COLUMNS",
    "DOCUMENT_COLUMNS",
    "DUPLICATE",
    "FAILED",
    "READ",
    "TABLES",
    "DocumentRows",
    "FileJob",
    "Known",
    "PackedColumn",
    "PackedDocument",
    "PackedRows",
    "SealedRows",
    "content_hash",
    "duplicate_rows",
    "error_rows",
    "not_regular",
    "pack",
    "pack_column",
    "plan_rows",
    "read_document",
    "read_sealed",
    "readable",
    "seal",
    "seal_together",
]

_HASH_BLOCK = 1 << 20  # bytes read at a time while hashing a file

READ = "read"  # the file was read: its rows are in every table
FAILED = "failed"  # the file could not be read: ``error`` says why
DUPLICATE = "duplicate"  # the same bytes as the file named in ``duplicate_of``, read once

_STR, _INT, _BOOL, _STRS = "string", "int32", "bool", "list<string>"

DOCUMENT_COLUMNS: tuple[tuple[str, str], ...] = (("region", _STR), ("year", _INT))
"""The document's columns every table carries, with their kinds: ``year`` as hive-style
directories, ``region`` a column of the files (both as directories in a dataset of format
``zwgk.dataset/2``)."""

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
    are the warnings reading it raised (kept in the documents row).

    Each column is built in one pass over the plan (no per-value dictionary lookups): flattening
    costs a small part of reading the plan.
    """
    from zwgk import _api

    report = _api.validate(plan)  # against the default registry and what the plan resolved
    tasks = plan.tasks
    n = len(tasks)
    sources = [t.source for t in tasks]
    leads = [len(t.leads) for t in tasks]
    responsible = [len(t.responsible) for t in tasks]
    cooperating = [len(t.cooperating) for t in tasks]
    t: dict[str, Columns] = {
        "tasks": {
            "doc_id": [doc_id] * n, "task_id": [t.id for t in tasks], "seq": list(range(n)),
            "path": [list(t.path) for t in tasks], "depth": [len(t.path) for t in tasks],
            "text": [t.text for t in tasks], "requirement": [t.requirement for t in tasks],
            "serial": [t.serial for t in tasks], "deadline": [t.deadline for t in tasks],
            "notes": [t.notes for t in tasks], "n_leads": leads, "n_responsible": responsible,
            "n_cooperating": cooperating, "row": [s.row if s else None for s in sources],
            "line": [s.line if s else None for s in sources],
        },
        "assignments": _assignment_columns(doc_id, tasks),
        "units": _unit_columns(doc_id, tasks),
        "findings": _finding_columns(doc_id, report.findings),
        "documents": {name: [] for name, _ in COLUMNS["documents"]},
    }
    meta = plan.metadata
    _document(t, doc_id, path, plan.title, meta.level, n, sum(leads) + sum(responsible) + sum(cooperating),
              len(report.findings), None, warned)
    return DocumentRows(doc_id, meta.region, meta.year, t)


_ROLES = tuple(role.value for role in Role)  # in table order: lead, responsible, cooperating
_NAME, _WRITTEN, _KIND, _RESOLVED, _NOTE = (attrgetter(a) for a in ("name", "as_written", "kind", "resolved", "note"))


def _by_role(task: Task) -> tuple[tuple[UnitRef, ...], tuple[UnitRef, ...], tuple[UnitRef, ...]]:
    """A task's units of each role, in :data:`_ROLES` order."""
    return task.leads, task.responsible, task.cooperating


def _kind_values(refs: Iterable[UnitRef]) -> list[str]:
    return [k._value_ for k in map(_KIND, refs)]  # ``_value_``: the value without the enum's descriptor


def _assignment_columns(doc_id: str, tasks: Sequence[Task]) -> Columns:
    """The assignments rows: each task's units, role by role, in the order written."""
    task_ids: list[str] = []
    roles: list[str] = []
    seqs: list[int] = []
    refs: list[UnitRef] = []
    for task in tasks:
        for value, these in zip(_ROLES, _by_role(task), strict=True):
            if these:
                k = len(these)
                task_ids += [task.id] * k
                roles += [value] * k
                seqs += range(k)
                refs += these
    return {"doc_id": [doc_id] * len(refs), "task_id": task_ids, "role": roles, "seq": seqs,
            "unit": list(map(_NAME, refs)), "as_written": list(map(_WRITTEN, refs)),
            "kind": _kind_values(refs), "resolved": list(map(_RESOLVED, refs)), "note": list(map(_NOTE, refs))}


def _unit_columns(doc_id: str, tasks: Sequence[Task]) -> Columns:
    """The units rows: each canonical unit once, in order of first mention (as :meth:`Plan.units`
    and :meth:`Plan.workload` give them), with its spellings and how many tasks name it in each role.

    One pass over the references, one record per unit name (no set per task): a unit is counted
    once per task and role where the task and role differ from the last ones counted for it."""
    # unit → [first reference, spellings, resolved, lead, responsible, cooperating, tasks,
    #         the last task counted (its index), the last task and role counted (3 × task + role)]
    seen: dict[str, list[Any]] = {}
    get = seen.get
    for t, task in enumerate(tasks):
        for i, refs in enumerate(_by_role(task)):
            at = 3 * t + i
            for ref in refs:
                name = ref.name
                record = get(name)
                if record is None:
                    record = seen[name] = [ref, {}, ref.resolved, 0, 0, 0, 0, -1, -1]
                elif ref.resolved:
                    record[2] = True
                if ref.as_written != name:
                    record[1][ref.as_written] = None
                if record[8] != at:
                    record[8] = at
                    record[3 + i] += 1
                    if record[7] != t:
                        record[7] = t
                        record[6] += 1
    records = list(seen.values())
    return {"doc_id": [doc_id] * len(records), "unit": list(seen), "kind": _kind_values(r[0] for r in records),
            "spellings": [list(r[1]) for r in records], "lead": [r[3] for r in records],
            "responsible": [r[4] for r in records], "cooperating": [r[5] for r in records],
            "tasks": [r[6] for r in records], "resolved": [r[2] for r in records]}


def _finding_columns(doc_id: str, findings: Sequence[Finding]) -> Columns:
    """The findings rows of a plan's report."""
    sources = [f.source for f in findings]
    return {"doc_id": [doc_id] * len(findings), "code": [f.code for f in findings],
            "slug": [f.slug for f in findings], "severity": [f.severity.value for f in findings],
            "message": [f.message for f in findings], "task_id": [f.task_id for f in findings],
            "row": [s.row if s is not None else None for s in sources],
            "line": [s.line if s is not None else None for s in sources],
            "units": [list(f.units) for f in findings], "hint": [f.hint for f in findings]}


def _document(t: dict[str, Columns], doc_id: str, path: str, title: str | None, level: str | None, tasks: int,
              assignments: int, findings: int, error: str | None, warned: Sequence[str] = (),
              duplicate_of: str | None = None) -> None:
    status = DUPLICATE if duplicate_of is not None else READ if error is None else FAILED
    for key, value in (("doc_id", doc_id), ("path", readable(path)), ("title", title), ("level", level),
                       ("format", _format_of(readable(path))), ("tasks", tasks), ("assignments", assignments),
                       ("findings", findings), ("status", status),
                       ("error", None if error is None else readable(error)),
                       ("duplicate_of", duplicate_of), ("zwgk_version", __version__),
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
    from zwgk.corpus._many import load_job

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


_BIT_DIGITS = bytes.maketrans(b"\x00\x01", b"01")  # flags as bytes 0/1 → the digits of a binary number


def _bitmap(flags: bytes) -> bytes:
    """An Arrow bitmap (least significant bit first) of ``flags`` (one byte 0 or 1 each)."""
    if not flags:
        return b""
    return int(flags[::-1].translate(_BIT_DIGITS), 2).to_bytes((len(flags) + 7) // 8, "little")


def _offsets(lengths: Iterable[int]) -> bytes:
    return array("i", list(accumulate(lengths, initial=0))).tobytes()  # from a list: faster than from an iterator


def pack_column(values: Sequence[Any], kind: str) -> PackedColumn:
    """``values`` (``None`` for a null) as the buffers of an Arrow array of type ``kind`` (one of
    ``string``, ``int32``, ``bool``, ``list<string>``): what ``pyarrow.array(values, type)`` holds.

    Each step is one call over the whole column (``map``, ``bytes``, ``array``), not a Python loop."""
    n = len(values)
    nulls = values.count(None)
    validity = _bitmap(bytes(map(is_not, values, repeat(None, n)))) if nulls else None
    if kind == _STR:
        joined = "".join(filter(None, values))  # a null adds nothing, as an empty string does
        if joined.isascii():  # one byte a character (ids, codes, roles): no string encoded alone
            lengths = map(len, values) if not nulls else [0 if v is None else len(v) for v in values]
            return n, nulls, validity, _offsets(lengths), joined.encode("ascii")
        data = list(map(str.encode, values)) if not nulls else \
            [b"" if v is None else v.encode("utf-8") for v in values]
        return n, nulls, validity, _offsets(map(len, data)), b"".join(data)
    if kind == _INT:
        ints = values if not nulls else [0 if v is None else v for v in values]
        return n, nulls, validity, array("i", ints).tobytes(), None
    if kind == _BOOL:
        return n, nulls, validity, _bitmap(bytes(map(bool, values))), None
    if kind == _STRS:
        if nulls:
            items = [x for v in values if v is not None for x in v]
            return n, nulls, validity, _offsets([0 if v is None else len(v) for v in values]), \
                pack_column(items, _STR)
        return n, 0, None, _offsets(map(len, values)), pack_column(list(chain.from_iterable(values)), _STR)
    raise ValueError(f"no packing for Arrow type {kind!r}")


@attrs.frozen
class PackedDocument:
    """One document of :class:`PackedRows`: its id, partition, and its rows in each table."""

    doc_id: str
    region: str | None
    year: int | None
    counts: tuple[int, ...]  # rows in each table, in TABLES order


@attrs.frozen
class PackedRows:
    """The rows of one or more files, ready to write: each document's partition and row counts,
    and each non-empty table's columns (the documents' rows one after the other) as Arrow buffers
    (:func:`pack`). A batch's worker sends the rows of the files it read together as one."""

    documents: tuple[PackedDocument, ...]
    columns: dict[str, tuple[PackedColumn, ...]]  # the non-empty tables, columns in COLUMNS order

    def count(self, table: str) -> int:
        """Rows of ``table``, all documents together."""
        i = TABLES.index(table)
        return sum(d.counts[i] for d in self.documents)


def pack(rows: DocumentRows | Sequence[DocumentRows]) -> PackedRows:
    """The rows of one document, or of several one after the other, with every table's columns
    packed as Arrow buffers (:func:`pack_column`): one column of each table for all of them."""
    many = [rows] if isinstance(rows, DocumentRows) else list(rows)
    documents: list[PackedDocument] = []
    for r in many:
        counts = []
        for table, spec in COLUMNS.items():
            cols = r.tables[table]
            n = len(cols["doc_id"])
            if any(len(cols[name]) != n for name, _ in spec):
                raise ValueError(f"the {table} columns of {r.doc_id} differ in length")
            counts.append(n)
        documents.append(PackedDocument(r.doc_id, r.region, r.year, tuple(counts)))
    columns: dict[str, tuple[PackedColumn, ...]] = {}
    for i, (table, spec) in enumerate(COLUMNS.items()):
        having = [r.tables[table] for r, d in zip(many, documents, strict=True) if d.counts[i]]
        if len(having) == 1:
            columns[table] = tuple(pack_column(having[0][name], kind) for name, kind in spec)
        elif having:
            columns[table] = tuple(pack_column(list(chain.from_iterable(cols[name] for cols in having)), kind)
                                   for name, kind in spec)
    return PackedRows(tuple(documents), columns)


@attrs.frozen
class SealedRows:
    """One file's rows pickled where they were made, with the little the batch's parent needs to
    know of them: it forwards the payload to the process writing the dataset without unpickling a
    single column. The files a worker read together share one payload (the same ``bytes``, pickled
    once), a :class:`PackedRows` of which this file is document ``part``."""

    doc_id: str
    status: str  # READ, FAILED or DUPLICATE
    error: str | None
    warnings: int  # warnings reading the file raised
    payload: bytes  # the pickled :class:`PackedRows`
    part: int = 0  # this file's document in it

    @property
    def ok(self) -> bool:
        return self.error is None


def seal(rows: DocumentRows | Sequence[DocumentRows]) -> list[SealedRows]:
    """Each document of ``rows`` sealed (:class:`SealedRows`), all of them packed together in one
    payload (:func:`pack`)."""
    many = [rows] if isinstance(rows, DocumentRows) else list(rows)
    payload = pickle.dumps(pack(many), protocol=pickle.HIGHEST_PROTOCOL)
    out = []
    for i, r in enumerate(many):
        docs = r.tables["documents"]
        out.append(SealedRows(r.doc_id, docs["status"][0], r.error, sum(len(w) for w in docs["warnings"]), payload, i))
    return out


def seal_together(results: list[DocumentRows | SealedRows]) -> list[DocumentRows | SealedRows]:
    """The rows of the files one worker read in one go, sealed together (:func:`seal`): what
    :func:`~zwgk.corpus._pool.map_files` runs where they were read (its ``gather``), so a batch of
    files is packed, pickled and forwarded as one payload."""
    loose = [i for i, r in enumerate(results) if isinstance(r, DocumentRows)]
    out = list(results)
    for i, sealed in zip(loose, seal([cast(DocumentRows, results[i]) for i in loose]), strict=True):
        out[i] = sealed
    return out


def read_sealed(job: FileJob) -> SealedRows:
    """:func:`read_document`, packed and sealed: the per-file step of an engine without ``gather``."""
    return seal(read_document(job))[0]


class Known(NamedTuple):
    """What a dataset already holds (:meth:`zwgk.corpus.Dataset.known`)."""

    files: dict[str, tuple[str, str]]  # path (as recorded) → (doc_id, status)
    read: dict[str, str]  # doc_id of each document read → the path it was read from
