"""What every command shares: exit codes, reading the input table, writing the output, warnings."""

from __future__ import annotations

import argparse
import sys
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

import zwgk
from zwgk.errors import ReadWarning, ZwgkError

if TYPE_CHECKING:
    from zwgk.model import Plan
    from zwgk.table.build import Built

# Reading (zwgk._api: the builder, the unit registry) is imported by the functions that read, not
# here: building the parser imports every command's module, and ``zwgk batch`` reads in its workers.

__all__ = [
    "EXIT_ERROR",
    "EXIT_FINDINGS",
    "EXIT_OK",
    "STDIN",
    "check_input",
    "load_plan",
    "load_stdin",
    "read_built",
    "read_options",
    "refuse_binary_on_terminal",
    "to_stdout",
    "warn",
    "warned",
    "write_output",
]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


def check_input(args: argparse.Namespace) -> None:
    """Exactly one of FILE and --sample."""
    sample, file = getattr(args, "sample", False), getattr(args, "file", None)
    if sample and file:
        raise ZwgkError(f"give a FILE or --sample, not both ({file!r} and --sample)")
    if not sample and not file:
        raise ZwgkError("give a FILE or --sample")


def load_plan(args: argparse.Namespace) -> Plan:
    check_input(args)
    if args.sample:
        return zwgk.load_sample()
    if args.file == STDIN:
        return load_stdin(args)
    return zwgk.load(args.file, format=getattr(args, "input_format", None), **read_options(args))


def read_built(args: argparse.Namespace) -> Built:
    """:func:`load_plan` with the layouts the builder took, its warnings issued (``-`` reads standard
    input, whose layouts name ``-`` as their source)."""
    from zwgk import _api

    check_input(args)
    if args.sample:
        return _api.read_sample()
    if args.file == STDIN:
        built = _read_stdin(args)
    else:
        built = _api.read(args.file, format=getattr(args, "input_format", None), **read_options(args))
    for warning in built.warnings:
        warnings.warn(warning, stacklevel=2)
    return built


def expand_inputs(files: Sequence[str]) -> list[str]:
    """The FILE arguments with each folder replaced by the readable files under it, recursively, in name
    order, as ``zwgk batch`` finds them (like ``ruff check DIR``); ``-`` and files stay as given."""
    out: list[str] = []
    for f in files:
        if f == STDIN or not Path(f).is_dir():
            out.append(f)
            continue
        from zwgk.corpus import find_files

        found = find_files([f])
        if not found:
            raise ZwgkError(f"{f}: no readable file in this folder (zwgk formats lists the suffixes read)")
        out.extend(found)
    return out


def to_stdout(output: str | None) -> bool:
    return output is None or output == "-"


def write_output(data: bytes, output: str | None) -> None:
    if to_stdout(output):
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    assert output is not None
    try:
        Path(output).write_bytes(data)
    except OSError as e:
        raise ZwgkError(f"cannot write {output}: {e.strerror or e}") from None


def is_binary(data: bytes) -> bool:
    """Bytes a terminal cannot show: a NUL, or not UTF-8 (a .docx or .xlsx is a zip archive)."""
    if b"\x00" in data:
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def refuse_binary_on_terminal(data: bytes, format_name: str) -> None:
    if sys.stdout.isatty() and is_binary(data):
        raise ZwgkError(f"{format_name} is a binary format and stdout is a terminal; give -o PATH "
                        f"(or redirect stdout to a file)")


STDIN = "-"  # the FILE that stands for standard input


def load_stdin(args: argparse.Namespace) -> Plan:
    """The table on standard input, its format sniffed from the content (or ``--input-format``), its
    warnings issued."""
    built = _read_stdin(args)
    for warning in built.warnings:
        warnings.warn(warning, stacklevel=2)
    return built.plan


def _read_stdin(args: argparse.Namespace) -> Built:
    """Standard input read as a file (readers take files: it is kept in a temporary one while read).
    Whatever names that file names ``-`` instead: the plan and its tasks, the layouts, the warnings
    and an error."""
    from zwgk import _api
    from zwgk.table.build import Built

    data = sys.stdin.buffer.read()
    with tempfile.TemporaryDirectory(prefix="zwgk-") as tmp:
        path = Path(tmp) / "stdin"
        path.write_bytes(data)
        name = str(path)
        try:
            built = _api.read(path, format=getattr(args, "input_format", None), **read_options(args))
        except ZwgkError as e:
            if e.position is not None and e.position.file == name:
                e.position = attrs.evolve(e.position, file=STDIN)
            raise
    plan = built.plan
    tasks = tuple(attrs.evolve(t, source=attrs.evolve(t.source, file=STDIN))
                  if t.source is not None and t.source.file == name else t for t in plan.tasks)
    plan = attrs.evolve(plan, source=STDIN if plan.source == name else plan.source, tasks=tasks)
    return Built(plan, tuple(seen._replace(source=STDIN) if seen.source == name else seen for seen in built.layouts),
                 tuple(ReadWarning(str(w).replace(name, STDIN)) for w in built.warnings))


def read_options(args: argparse.Namespace) -> dict[str, Any]:
    """Reader options given on the command line."""
    options: dict[str, Any] = {}
    if getattr(args, "table", None) is not None:
        options["table"] = args.table
    if getattr(args, "layout", None) is not None:
        options["layout"] = args.layout
    if getattr(args, "no_convert", False):
        options["convert"] = False
    for given in ("region", "year"):
        if getattr(args, given, None) is not None:
            options[given] = getattr(args, given)
    return options


warned: set[str] = set()
#: ``zwgk --quiet``: no warnings and no progress bars (errors still print).
quiet: dict[str, bool] = {"on": False}


def warn(message: str) -> None:
    if quiet["on"]:
        return
    if message not in warned:
        warned.add(message)
        print(f"zwgk: warning: {message}", file=sys.stderr)
