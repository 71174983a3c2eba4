"""Corpus scale: many documents read in parallel, into a Parquet dataset for DuckDB, Polars or Spark.

- :func:`load_many`: many files in worker processes, each ending as a plan or a recorded error.
- :func:`read_document`: the per-file step of ``zwgk batch`` (a pure function of one file, for any
  map engine), and :data:`SCHEMAS`, the columns of each table it fills.
- :class:`Dataset`: the partitioned, resumable Parquet dataset; :class:`CorpusUnits`: the units
  learned over it, writable as a registry TOML file.
- :func:`batch`: what ``zwgk batch`` does (files and folders into a dataset, locally or on a Dask
  cluster).

Each is imported on first use (the parts built on pyarrow need the optional ``corpus`` extra).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zwgk._lazy import lazy_dir, lazy_getattr

if TYPE_CHECKING:
    from zwgk.corpus._batch import ENGINES, UNITS_FILE, batch, find_files
    from zwgk.corpus._dataset import SCHEMAS, Dataset
    from zwgk.corpus._many import BatchConverter, load_many
    from zwgk.corpus._rows import FileJob, content_hash, read_document
    from zwgk.corpus._units import CorpusUnits

__all__ = [
    "ENGINES",
    "SCHEMAS",
    "UNITS_FILE",
    "BatchConverter",
    "CorpusUnits",
    "Dataset",
    "FileJob",
    "batch",
    "content_hash",
    "find_files",
    "load_many",
    "read_document",
]

_LAZY = {  # nothing is imported with the package: the process writing a dataset needs only the rows' modules
    "ENGINES": "zwgk.corpus._batch",
    "UNITS_FILE": "zwgk.corpus._batch",
    "batch": "zwgk.corpus._batch",
    "find_files": "zwgk.corpus._batch",
    "BatchConverter": "zwgk.corpus._many",
    "load_many": "zwgk.corpus._many",
    "SCHEMAS": "zwgk.corpus._dataset",
    "FileJob": "zwgk.corpus._rows",
    "content_hash": "zwgk.corpus._rows",
    "read_document": "zwgk.corpus._rows",
    "Dataset": "zwgk.corpus._dataset",
    "CorpusUnits": "zwgk.corpus._units",
}


__getattr__ = lazy_getattr("zwgk.corpus", _LAZY, globals())
__dir__ = lazy_dir(_LAZY, globals())
