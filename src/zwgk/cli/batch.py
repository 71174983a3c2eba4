"""``zwgk batch``: many tables (folders walked) into a Parquet dataset; the work is :func:`zwgk.corpus.run_batch`."""

from __future__ import annotations

import argparse
from typing import Any

from zwgk.corpus import UNITS_FILE, run_batch

__all__ = ["add_parser"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``zwgk batch`` to the ``zwgk`` command's subparsers."""
    p: argparse.ArgumentParser = subparsers.add_parser(
        "batch", help="read many tables (folders walked) into a Parquet dataset for DuckDB, Polars or Spark")
    p.add_argument("inputs", nargs="+", metavar="DIR_OR_FILE", help="folders (walked) and files to read")
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="the dataset folder (created; a re-run skips the files already in it)")
    p.add_argument("--include", action="append", default=[], metavar="GLOB",
                   help="in folders, read only files matching GLOB (default: every suffix a reader reads)")
    p.add_argument("--exclude", action="append", default=[], metavar="GLOB", help="skip files matching GLOB")
    p.add_argument("-j", "--jobs", type=int, metavar="N", help="worker processes (default: one per CPU)")
    stop = p.add_mutually_exclusive_group()
    stop.add_argument("--keep-going", dest="fail_fast", action="store_false",
                      help="record a file that fails and go on (default)")
    stop.add_argument("--fail-fast", dest="fail_fast", action="store_true", help="stop at the first file that fails")
    p.add_argument("--force", action="store_true", help="read again the files already in OUT")
    p.add_argument("--units-toml", metavar="PATH",
                   help=f"also write the corpus unit registry to PATH (it is always written to OUT/{UNITS_FILE})")
    p.add_argument("--input-format", metavar="NAME", help="reader to use for every file (default: by content/suffix)")
    p.add_argument("--no-convert", action="store_true",
                   help="do not convert legacy Office files and RTF with LibreOffice: record them as errors")
    p.add_argument("--limit", type=int, metavar="N", help="read only the first N files found (in path order)")
    p.add_argument("--dry-run", action="store_true",
                   help="list the files that would be read, one a line, and read none")
    p.set_defaults(func=run_batch, fail_fast=False)
    return p
