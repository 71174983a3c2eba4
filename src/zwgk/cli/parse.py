"""``zwgk parse``: read a table and print it as JSON (or another format), with ``--explain`` the layout
decisions on stderr."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import zwgk
from zwgk import get_exporter
from zwgk.cli._commands import Command, add_input_options
from zwgk.cli._common import EXIT_OK, load_plan, read_built, refuse_binary_on_terminal, to_stdout, write_output
from zwgk.hookspecs import hookimpl

if TYPE_CHECKING:
    from zwgk.table.build import SeenLayout

__all__ = ["add_arguments", "cmd_parse", "register_commands"]


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_input_options(p)
    p.add_argument("-f", "--format", "--to", dest="format", default="json", metavar="FORMAT",
                   help="output format: json (default), markdown (md), text (txt), docx, or any installed "
                        "exporter, by name or suffix")
    p.add_argument("-o", "--output", metavar="PATH", help="write to PATH instead of stdout")
    p.add_argument("--explain", action="store_true",
                   help="print each table's column roles and why (the layout decisions) on stderr")


def cmd_parse(args: argparse.Namespace) -> int:
    exporter = get_exporter(args.format)
    if getattr(args, "explain", False):
        from zwgk.table.settle import explain_metadata

        built = read_built(args)
        plan = built.plan
        for line in explain_metadata(plan.title, plan.metadata, region=getattr(args, "region", None),
                                     year=getattr(args, "year", None),
                                     units=(u.as_written for t in plan.tasks for u in t.units())):
            print(f"zwgk: metadata: {line}", file=sys.stderr)
        _explain(built.layouts)
    else:
        plan = load_plan(args)
    data = zwgk.export(plan, exporter.name)
    assert data is not None
    if to_stdout(args.output):
        refuse_binary_on_terminal(data, exporter.name)
    write_output(data, args.output)
    return EXIT_OK


def _explain(seen: Sequence[SeenLayout]) -> None:
    """The layout of each table read, on stderr: one line per column, then each decision the
    content made (``zwgk: layout: FILE, table N: …``), so that stdout stays the plan."""
    for table in seen:
        where, layout = table.describe(), table.layout
        print(f"zwgk: layout: {where}: header row {table.header_row}"
              + (f"–{table.header_row + layout.header_rows - 1}" if layout.header_rows > 1 else "")
              + f", {layout.width} columns", file=sys.stderr)
        for line in layout.explain():
            print(f"zwgk: layout: {where}: {line}", file=sys.stderr)
        for decision in layout.decisions:
            print(f"zwgk: layout: {where}: decided from content: {decision}", file=sys.stderr)


@hookimpl
def register_commands(register: Callable[[Command], None]) -> None:
    register(Command("parse", "read a table and print it as JSON (or another format)", add_arguments, cmd_parse))
