"""The Parquet dataset on disk: written in committed chunks, so it always reads and a re-run resumes.

Layout of an output folder::

    OUT/_zwgk/dataset.json                     the marker: this folder is a zwgk dataset
    OUT/_zwgk/commits/<chunk>.json             one per chunk whose part files are all in place
    OUT/<table>/year=<y>/part-<chunk>.parquet  rows sorted by region, a column of every table

A dataset of the earlier format ``zwgk.dataset/2`` is partitioned by region and year
(``OUT/<table>/region=<r>/year=<y>/…``, no region column in the files); it is read and extended in
its own layout. The marker names the partition columns (:attr:`Dataset.partitioning`).

Rows are buffered a chunk at a time (documents and rows bounded by :data:`CHUNK_DOCUMENTS` and
:data:`CHUNK_ROWS`), each part file is written under a hidden temporary name and renamed, and the
chunk's commit file is written last. Opening the dataset removes what an interrupted run left:
temporary files and part files of chunks without a commit. The documents of committed chunks are
the files a re-run skips. ``--force`` first notes the documents it redoes in ``_zwgk/dropping.json``,
then removes their rows from every part file; an interrupted drop is finished on the next open.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from zwgk.corpus._arrow import SCHEMAS, TYPES, column_array, record_batches, string_array
from zwgk.corpus._rows import (
    DOCUMENT_COLUMNS,
    DUPLICATE,
    FAILED,
    TABLES,
    DocumentRows,
    Known,
    PackedDocument,
    PackedRows,
    pack,
    pack_column,
)
from zwgk.errors import ZwgkError

__all__ = [
    "CHUNK_DOCUMENTS", "CHUNK_ROWS", "DATASET_FORMAT", "PARTITIONING", "SCHEMAS", "WRITE_THREADS", "Dataset",
    "partition_dir",
]

# 2: a documents row for every file (status read/failed/duplicate, duplicate_of), partitioned by region and year;
# 3: partitioned by year only, the region a column of every table (rows sorted by it)
DATASET_FORMAT = "zwgk.dataset/3"
# the partition columns of a new dataset. By year only: a part file costs about 1 ms of CPU whatever
# its size, and a folder of downloads often holds one document per county and year, which
# partitioned by region too costs five part files per document (about 8 ms, as much as reading it)
PARTITIONING = ("year",)
_LAYOUTS = {"zwgk.dataset/2": ("region", "year"), DATASET_FORMAT: None}  # None: as the marker says
# documents per chunk: each chunk is one commit and one file per table and partition. Each part file
# costs about 1 ms of CPU whatever its size (a Parquet file's and its column chunks' fixed costs), so
# larger chunks cost less per document; a chunk of 2,000 typical documents is about 100 MiB of rows
CHUNK_DOCUMENTS = 2000
CHUNK_ROWS = 400_000  # task and assignment rows per chunk at most, so a chunk of huge tables still fits in memory
WRITE_THREADS = 2  # threads writing a chunk's part files
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"  # hive's (and pyarrow's, DuckDB's, Spark's) name for a null value
_META = "_zwgk"
_UNSAFE = set('/\\=%:*?"<>|#') | {chr(c) for c in range(32)}  # percent-encoded in directory names


def _escape(value: object) -> str:
    if value is None:
        return NULL_PARTITION
    return "".join(f"%{ord(c):02X}" if c in _UNSAFE else c for c in str(value)) or NULL_PARTITION


def partition_dir(values: Mapping[str, object], partitioning: Iterable[str]) -> str:
    """The hive-style directory of a partition, e.g. ``year=2020`` (or ``region=泰安市/year=2020``
    partitioned by both)."""
    return "/".join(f"{key}={_escape(values[key])}" for key in partitioning)


def _sort_key(value: object) -> tuple[bool, object]:
    return (value is None, "" if value is None else value)  # unknown last


def _repeated(runs: list[tuple[object, int]], kind: str) -> pa.Array:
    """An array of each ``(value, times)`` run's value repeated, in order (without ``pyarrow.array``)."""
    indices = array("i")
    for i, (_, times) in enumerate(runs):
        indices += array("i", [i]) * times
    dictionary = column_array(pack_column([value for value, _ in runs], kind), kind)
    take = pa.Array.from_buffers(pa.int32(), len(indices), [None, pa.py_buffer(indices.tobytes())])
    return pa.DictionaryArray.from_arrays(take, dictionary).dictionary_decode()


_KINDS = dict(DOCUMENT_COLUMNS)  # region and year, each with its kind of column


def _field(column: str) -> pa.Field:
    """The Arrow field of a document column (``region`` or ``year``)."""
    return pa.field(column, TYPES[_KINDS[column]])


def _partitioning(root: Path, value: object) -> tuple[str, ...]:
    """The partition columns a dataset's marker names (in the order of ``DOCUMENT_COLUMNS``)."""
    if not (isinstance(value, list) and all(isinstance(v, str) for v in value)
            and value == [c for c in _KINDS if c in value]):
        raise ZwgkError(f"output {root}: {_META}/dataset.json is damaged "
                        f"(partitioning {value!r} is not a list of {', '.join(_KINDS)} in that order)")
    return tuple(value)


def _atomic_json(path: Path, data: object) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def _one_chunk(batches: list[pa.RecordBatch], schema: pa.Schema) -> pa.Table:
    """``batches`` as a table of one array per column: concatenated as batches where pyarrow can
    (``pyarrow.concat_batches``, pyarrow 19 and later: a third of the work of combining a table's chunks)."""
    concat = getattr(pa, "concat_batches", None)
    if concat is None:
        return pa.Table.from_batches(batches, schema=schema).combine_chunks()
    return pa.Table.from_batches([concat(batches)], schema=schema)


def _chunk_of(part: Path) -> str:
    return part.stem.removeprefix("part-")


class Dataset:
    """A zwgk Parquet dataset in ``root`` (created when the folder is new or empty)."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self._meta = self.root / _META
        self._folders: set[Path] = set()  # partition folders known to exist
        self.partitioning: tuple[str, ...] = PARTITIONING
        """The columns the tables are partitioned by, as directories (``year``; ``region`` and
        ``year`` in a dataset of format ``zwgk.dataset/2``)."""
        self._check_or_create()
        self.stored: tuple[str, ...] = tuple(c for c in _KINDS if c not in self.partitioning)
        """The document's columns (of ``region`` and ``year``) that are columns of every table's files."""
        self._pattern = "/".join([*(f"{key}=*" for key in self.partitioning), ""])
        self._recover()

    # -- opening ---------------------------------------------------------------------------

    def _check_or_create(self) -> None:
        root, marker = self.root, self._meta / "dataset.json"
        if root.exists() and not root.is_dir():
            raise ZwgkError(f"output {root} is a file, not a folder")
        try:
            if marker.is_file():
                data = json.loads(marker.read_text(encoding="utf-8"))
                got = data.get("format") if isinstance(data, dict) else None
                if not isinstance(got, str) or got not in _LAYOUTS:
                    raise ZwgkError(f"output {root} holds a dataset of format {got!r}; "
                                    f"this zwgk writes {DATASET_FORMAT} and extends zwgk.dataset/2")
                self.partitioning = _LAYOUTS[got] or _partitioning(root, data.get("partitioning"))
            elif root.exists() and any(root.iterdir()):
                raise ZwgkError(f"output {root} is not empty and is not a zwgk dataset "
                                f"(no {_META}/dataset.json); give a new or empty folder")
            else:
                (self._meta / "commits").mkdir(parents=True, exist_ok=True)
                _atomic_json(marker, {"format": DATASET_FORMAT, "tables": list(TABLES),
                                      "partitioning": list(PARTITIONING), "hive": True})
            (self._meta / "commits").mkdir(exist_ok=True)
        except json.JSONDecodeError:
            raise ZwgkError(f"output {root}: {_META}/dataset.json is damaged (not JSON)") from None
        except OSError as e:
            raise ZwgkError(f"cannot use output {root}: {e.strerror or e}") from None

    def parts(self, table: str) -> Iterator[Path]:
        """The committed-or-not part files of ``table``, in path order."""
        base = self.root / table
        if base.is_dir():
            yield from sorted(base.glob(f"{self._pattern}part-*.parquet"))

    def _committed(self) -> set[str]:
        return {p.stem for p in (self._meta / "commits").glob("*.json")}

    def _recover(self) -> None:
        """Remove what an interrupted run left: temporary files and parts of uncommitted chunks."""
        committed = self._committed()
        for table in TABLES:
            base = self.root / table
            if not base.is_dir():
                continue
            for tmp in base.glob(f"{self._pattern}.*.tmp"):
                tmp.unlink(missing_ok=True)
            for part in self.parts(table):
                if _chunk_of(part) not in committed:
                    part.unlink(missing_ok=True)
        for tmp in self._meta.glob("**/.*.tmp"):
            tmp.unlink(missing_ok=True)
        journal = self._meta / "dropping.json"
        if journal.is_file():
            self.drop(json.loads(journal.read_text(encoding="utf-8")))

    # -- reading ---------------------------------------------------------------------------

    def read(self, table: str, columns: list[str] | None = None) -> pa.Table:
        """The whole ``table``, ending with the columns ``region`` and ``year`` (for tests and small
        datasets)."""
        import pyarrow.dataset as ds

        parts = [str(p) for p in self.parts(table)]
        schema = pa.schema([*SCHEMAS[table], *map(_field, _KINDS)])
        if not parts:
            empty = schema.empty_table()
            return empty if columns is None else empty.select(columns)
        keys = pa.schema(list(map(_field, self.partitioning)))
        data = ds.dataset(parts, schema=schema, format="parquet", partitioning=ds.HivePartitioning(keys),
                          partition_base_dir=str(self.root / table))
        return data.to_table(columns=columns)

    def batches(self, table: str, columns: list[str]) -> Iterator[pa.RecordBatch]:
        """``table``'s rows a part file at a time (memory bounded by one part)."""
        for part in self.parts(table):
            yield from pq.ParquetFile(part).iter_batches(columns=columns)

    def known(self) -> Known:
        """The files already in the dataset: each path's document and status, and the file each
        document was read from."""
        known = Known({}, {})
        for batch in self.batches("documents", ["doc_id", "path", "status"]):
            for doc_id, path, status in zip(*(c.to_pylist() for c in batch.columns), strict=True):
                known.files[path] = (doc_id, status)
                if status not in (DUPLICATE, FAILED):
                    known.read.setdefault(doc_id, path)
        return known

    # -- writing ---------------------------------------------------------------------------

    def drop(self, doc_ids: Iterable[str]) -> int:
        """Remove every row of these documents from every table; the number of documents rows removed."""
        ids = sorted(set(doc_ids))
        if not ids:
            return 0
        import pyarrow.compute as pc  # here only: its kernels' wrappers cost a batch's parent about 9 MiB

        journal = self._meta / "dropping.json"
        _atomic_json(journal, ids)
        wanted = string_array(ids)
        removed = 0
        for table in reversed(TABLES):  # documents last: until then the documents still count as done
            for part in list(self.parts(table)):
                data = pq.ParquetFile(part).read()
                hit = pc.is_in(data.column("doc_id"), value_set=wanted)
                n = pc.sum(hit).as_py() or 0
                if not n:
                    continue
                if table == "documents":
                    removed += n
                kept = data.filter(pc.invert(hit))
                if kept.num_rows:
                    self._write_part(part, kept)
                else:
                    part.unlink()
        journal.unlink()
        return removed

    def _write_part(self, target: Path, data: pa.Table) -> None:
        if target.parent not in self._folders:  # one mkdir per partition folder and run, not per part
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        tmp = target.with_name(f".{target.name}.tmp")
        pq.write_table(data, tmp, compression="zstd")
        os.replace(tmp, target)

    def writer(self, on_commit: Callable[[dict[str, pa.Table]], object] | None = None) -> ChunkWriter:
        """A :class:`ChunkWriter` into this dataset; ``on_commit`` is called with each chunk's rows
        (by table) once the chunk is committed, in the writer's thread."""
        return ChunkWriter(self, on_commit)

    def commit(self, chunk: str, tables: Mapping[str, Iterable[tuple[str, pa.Table]]]) -> None:
        """Write a chunk's tables (each as ``(partition directory, rows)`` pairs, the rows with the
        :attr:`Dataset.stored` columns), then its commit file.

        The part files are written by :data:`WRITE_THREADS` threads (Parquet encoding runs outside
        the GIL), with only a few parts taken out of the chunk ahead of the writes.
        """
        documents = 0
        parts = ((table, self.root / table / pdir / f"part-{chunk}.parquet", data)
                 for table, by_partition in tables.items() for pdir, data in by_partition)
        with ThreadPoolExecutor(WRITE_THREADS, thread_name_prefix="zwgk-part-writer") as pool:
            pending: deque[Future[None]] = deque()
            for table, target, data in parts:
                if len(pending) >= 2 * WRITE_THREADS:
                    pending.popleft().result()
                pending.append(pool.submit(self._write_part, target, data))
                documents += data.num_rows if table == "documents" else 0
            for future in pending:
                future.result()
        _atomic_json(self._meta / "commits" / f"{chunk}.json",
                     {"documents": documents, "written": time.strftime("%Y-%m-%dT%H:%M:%S%z")})


class ChunkWriter:
    """Buffers documents' rows and commits them a chunk at a time (call :meth:`close` at the end).

    The rows arrive packed as Arrow buffers (:class:`~zwgk.corpus._rows.PackedRows`, built where
    the files were read, those of several files together) and are wrapped as record batches at
    once, one per table for all the files of a payload; each document's rows (a slice, nothing
    copied) wait, grouped by partition and then by region, until the chunk is full. A full chunk is
    handed to a background thread, which writes a part file per table and partition (its rows
    sorted by region, a column added by runs) while the next chunk fills, so the batch keeps its
    workers busy during the write. One chunk is written at a time
    (memory stays bounded by two chunks); a failed write is raised by the next :meth:`add` or by
    :meth:`close`.
    """

    def __init__(self, dataset: Dataset, on_commit: Callable[[dict[str, pa.Table]], object] | None = None) -> None:
        self.dataset = dataset
        self._on_commit = on_commit
        # partition dir → stored values (the region) → each table's record batches (slices), documents
        # in the order they came
        self._parts: dict[str, dict[tuple[object, ...], dict[str, list[pa.RecordBatch]]]] = {}
        self._documents = 0
        self._rows = 0
        self._writing: Future[None] | None = None
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="zwgk-dataset-writer")
        self.chunks = 0

    def add(self, rows: PackedRows | DocumentRows, parts: Iterable[int] | None = None) -> None:
        """Buffer the rows of the documents ``parts`` of ``rows`` (all of them when ``None``),
        packed here when they are not yet."""
        packed = rows if isinstance(rows, PackedRows) else pack(rows)
        batches = record_batches(packed)
        starts: list[list[int]] = []  # each document's first row in each table
        at = [0] * len(TABLES)
        for doc in packed.documents:
            starts.append(list(at))
            at = [a + n for a, n in zip(at, doc.counts, strict=True)]
        rows_at = (TABLES.index("tasks"), TABLES.index("assignments"))
        for i in range(len(packed.documents)) if parts is None else parts:
            doc = packed.documents[i]
            tables = self._group(doc)
            for k, table in enumerate(TABLES):
                if doc.counts[k]:
                    tables.setdefault(table, []).append(batches[table].slice(starts[i][k], doc.counts[k]))
            self._documents += 1
            self._rows += sum(doc.counts[k] for k in rows_at)
            if self._documents >= CHUNK_DOCUMENTS or self._rows >= CHUNK_ROWS:
                self.flush()

    def _group(self, doc: PackedDocument) -> dict[str, list[pa.RecordBatch]]:
        """The buffered slices of ``doc``'s partition and region, by table."""
        values = {"region": doc.region, "year": doc.year}
        groups = self._parts.setdefault(partition_dir(values, self.dataset.partitioning), {})
        return groups.setdefault(tuple(values[c] for c in self.dataset.stored), {})

    def _wait(self) -> None:
        """Wait for the chunk being written, raising what its write raised."""
        if self._writing is not None:
            writing, self._writing = self._writing, None
            writing.result()

    def flush(self) -> None:
        """Hand the buffered chunk to the writer thread (after the previous chunk is written)."""
        self._wait()
        if not self._documents:
            return
        chunk = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:12]}"
        self._writing = self._thread.submit(self._commit, chunk, self._parts)
        self._parts = {}
        self._documents = self._rows = 0
        self.chunks += 1

    def _commit(self, chunk: str, parts: dict[str, dict[tuple[object, ...], dict[str, list[pa.RecordBatch]]]]) -> None:
        stored = self.dataset.stored
        by_table: dict[str, list[tuple[str, pa.Table]]] = {table: [] for table in TABLES}
        for pdir, groups in parts.items():
            order = sorted(groups, key=lambda key: [_sort_key(v) for v in key])  # engines prune by statistics
            for table in TABLES:
                got: list[pa.RecordBatch] = []
                runs: list[tuple[tuple[object, ...], int]] = []
                for key in order:
                    slices = groups[key].get(table)
                    if slices:
                        got += slices
                        runs.append((key, sum(len(b) for b in slices)))
                if not got:
                    continue
                # one array per column: written as many slices (one per document), each slice
                # costs the Parquet writer its own pass (levels, dictionary, statistics)
                data = _one_chunk(got, SCHEMAS[table])
                for k, column in enumerate(stored):
                    data = data.append_column(_field(column),
                                              _repeated([(key[k], n) for key, n in runs], _KINDS[column]))
                by_table[table].append((pdir, data))
        self.dataset.commit(chunk, by_table)
        if self._on_commit is not None:
            self._on_commit({table: pa.concat_tables([data for _, data in pairs])
                             for table, pairs in by_table.items() if pairs})

    def close(self) -> None:
        """Commit what is buffered and wait until every chunk is written."""
        try:
            self.flush()
            self._wait()
        finally:
            self._thread.shutdown(wait=True)
