"""Corpus scale: many documents read in parallel, into a Parquet dataset for DuckDB, Polars or Spark.

- :func:`load_many`: many files in worker processes, each ending as a plan or a recorded error.
- :func:`read_document`: the per-file step of ``zwgk batch`` (a pure function of one file, for any
  map engine), and :data:`SCHEMAS`, the columns of each table it fills.
- :class:`Dataset`: the partitioned, resumable Parquet dataset; :class:`CorpusUnits`: the units
  learned over it, writable as a registry TOML file.
- :func:`batch`: what ``zwgk batch`` does (files and folders into a dataset, locally or on a Dask
  cluster).

The parts built on pyarrow (the optional ``corpus`` extra) are imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zwgk._lazy import lazy_getattr
from zwgk.corpus._batch import ENGINES, UNITS_FILE, batch, find_files
from zwgk.corpus._many import BatchConverter, load_many

if TYPE_CHECKING:
    from zwgk.corpus._dataset import SCHEMAS, Dataset
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

_LAZY = {
    "SCHEMAS": "zwgk.corpus._dataset",
    "FileJob": "zwgk.corpus._rows",
    "content_hash": "zwgk.corpus._rows",
    "read_document": "zwgk.corpus._rows",
    "Dataset": "zwgk.corpus._dataset",
    "CorpusUnits": "zwgk.corpus._units",
}


__getattr__ = lazy_getattr("zwgk.corpus", _LAZY, globals())
