"""Corpus scale: many documents read in parallel, into a Parquet dataset for DuckDB, Polars or Spark.

- :func:`load_many`: many files in worker processes, each ending as a plan or a recorded error.
- :func:`read_document`: the per-file step of ``zwgk batch`` (a pure function of one file, for any
  map engine), and :data:`SCHEMAS`, the columns of each table it fills.
- :class:`Dataset`: the partitioned, resumable Parquet dataset; :class:`CorpusUnits`: the units
  learned over it, writable as a registry TOML file.
- :func:`run_batch`: what ``zwgk batch`` runs (its arguments are :mod:`zwgk.cli.batch`'s).

The parts built on pyarrow (the optional ``corpus`` extra) are imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zwgk._lazy import lazy_getattr
from zwgk.corpus._batch import UNITS_FILE, find_files, run_batch
from zwgk.corpus._many import BatchConverter, load_many

if TYPE_CHECKING:
    from zwgk.corpus._dataset import Dataset
    from zwgk.corpus._rows import SCHEMAS, FileJob, content_hash, read_document
    from zwgk.corpus._units import CorpusUnits

__all__ = [
    "SCHEMAS",
    "UNITS_FILE",
    "BatchConverter",
    "CorpusUnits",
    "Dataset",
    "FileJob",
    "content_hash",
    "find_files",
    "load_many",
    "read_document",
    "run_batch",
]

_LAZY = {
    "SCHEMAS": "zwgk.corpus._rows",
    "FileJob": "zwgk.corpus._rows",
    "content_hash": "zwgk.corpus._rows",
    "read_document": "zwgk.corpus._rows",
    "Dataset": "zwgk.corpus._dataset",
    "CorpusUnits": "zwgk.corpus._units",
}


__getattr__ = lazy_getattr("zwgk.corpus", _LAZY, globals())
