"""The Arrow side of the dataset: each table's schema, and packed rows wrapped as record batches.

Rows reach the process writing Parquet already laid out as Arrow buffers
(:func:`zwgk.corpus._rows.pack`); here they become arrays with ``pyarrow.Array.from_buffers``, which
copies nothing and converts no Python value. ``pyarrow.array`` and ``RecordBatch.from_pydict`` are
never called: their first call imports pandas (about 60 MiB and a second) to check whether the
values are pandas objects.
"""

from __future__ import annotations

import pyarrow as pa

from zwgk.corpus._rows import COLUMNS, PackedColumn, PackedRows, pack_column

__all__ = ["SCHEMAS", "TYPES", "column_array", "record_batches", "string_array"]

TYPES: dict[str, pa.DataType] = {"string": pa.string(), "int32": pa.int32(), "bool": pa.bool_(),
                                 "list<string>": pa.list_(pa.string())}
"""The Arrow type of each kind of column in :data:`zwgk.corpus._rows.COLUMNS`."""

SCHEMAS: dict[str, pa.Schema] = {table: pa.schema([(name, TYPES[kind]) for name, kind in columns])
                                 for table, columns in COLUMNS.items()}
"""The Arrow schema of each table (:data:`zwgk.corpus._rows.COLUMNS` typed)."""


def _buffer(data: bytes | None) -> pa.Buffer | None:
    return None if data is None else pa.py_buffer(data)


def column_array(column: PackedColumn, kind: str) -> pa.Array:
    """The Arrow array of a packed column of type ``kind`` (checked, not copied)."""
    n, nulls, validity, values, data = column
    typ = TYPES[kind]
    if kind == "list<string>":
        array = pa.Array.from_buffers(typ, n, [_buffer(validity), pa.py_buffer(values)], null_count=nulls,
                                      children=[column_array(data, "string")])
    elif kind == "string":
        array = pa.Array.from_buffers(typ, n, [_buffer(validity), pa.py_buffer(values), pa.py_buffer(data)],
                                      null_count=nulls)
    else:
        array = pa.Array.from_buffers(typ, n, [_buffer(validity), pa.py_buffer(values)], null_count=nulls)
    array.validate(full=True)  # bytes from another process: offsets and UTF-8 checked before writing
    return array


def string_array(values: list[str]) -> pa.Array:
    """A string array of ``values`` (without ``pyarrow.array``)."""
    return column_array(pack_column(values, "string"), "string")


def record_batches(rows: PackedRows) -> dict[str, pa.RecordBatch]:
    """The record batch of each non-empty table of ``rows``."""
    return {table: pa.RecordBatch.from_arrays(
        [column_array(c, kind) for c, (_, kind) in zip(columns, COLUMNS[table], strict=True)],
        schema=SCHEMAS[table]) for table, columns in rows.columns.items()}
