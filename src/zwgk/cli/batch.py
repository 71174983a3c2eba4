"""``zwgk batch``: many tables (folders walked) into a Parquet dataset, by :func:`zwgk.corpus.batch`."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from zwgk.cli._commands import Command
from zwgk.errors import ZwgkError
from zwgk.hookspecs import hookimpl

__all__ = ["add_arguments", "cmd_batch", "register_commands"]


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The arguments of ``zwgk batch``."""
    from zwgk.corpus import ENGINES, UNITS_FILE

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
    p.add_argument("--engine", choices=ENGINES, default="local",
                   help="where the files are read: local worker processes (default), or the workers of a Dask "
                        "distributed cluster (needs --scheduler and zwgk[corpus-dask])")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="the Dask scheduler of --engine dask, e.g. tcp://10.0.0.5:8786 (the files must be readable "
                        "by its workers under the same paths)")
    p.add_argument("--limit", type=int, metavar="N", help="read only the first N files found (in path order)")
    p.add_argument("--dry-run", action="store_true",
                   help="list the files that would be read, one a line, and read none")
    p.set_defaults(fail_fast=False)


@hookimpl
def register_commands(register: Callable[[Command], None]) -> None:
    register(Command("batch", "read many tables (folders walked) into a Parquet dataset for DuckDB, Polars or Spark",
                     add_arguments, cmd_batch))


def cmd_batch(args: argparse.Namespace) -> int:
    """Run ``zwgk batch``: 0 when every file was read, 1 when some failed, 130/143 when stopped by
    Ctrl-C/SIGTERM (what was read is committed); bad usage raises ZwgkError (exit 2)."""
    import os
    import sys

    from zwgk.corpus import batch, find_files

    if args.limit is not None and args.limit < 1:
        raise ZwgkError(f"--limit must be at least 1, not {args.limit}")
    if args.dry_run:
        files = find_files(args.inputs, args.include, args.exclude)[:args.limit]
        sys.stdout.flush()
        sys.stdout.buffer.write(b"".join(os.fsencode(f) + b"\n" for f in files))  # the names' own bytes
        sys.stdout.flush()
        print(f"zwgk: batch: {len(files)} files would be read into {args.output}", file=sys.stderr)
        return 0
    return batch(args.inputs, args.output, include=args.include, exclude=args.exclude, jobs=args.jobs, limit=args.limit,
                 fail_fast=args.fail_fast, force=args.force, units_toml=args.units_toml,
                 input_format=args.input_format, convert=not args.no_convert, engine=args.engine,
                 scheduler=args.scheduler)
