"""``zwgk export``: write a table in another format (docx, markdown, json, text, ...)."""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import zwgk
from zwgk import ZwgkError, get_exporter
from zwgk.cli._commands import Command, add_input_options
from zwgk.cli._common import (
    EXIT_ERROR,
    EXIT_OK,
    STDIN,
    expand_inputs,
    load_plan,
    read_options,
    refuse_binary_on_terminal,
    to_stdout,
    write_output,
)
from zwgk.hookspecs import hookimpl

# The exporters' package is imported by the command when it runs (with the exporter it uses), not
# when the parser is built (every command's module is imported then).

__all__ = ["add_arguments", "cmd_export", "register_commands"]


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_input_options(p)  # FILE may be a folder: each file in it is written under -o DIR
    p.add_argument("--to", metavar="FORMAT",
                   help="exporter name or suffix (default: from -o's suffix); chooses between exporters "
                        "that write the same suffix")
    p.add_argument("-o", "--output", metavar="PATH",
                   help="write to PATH (default: stdout); for a FILE that is a folder, the folder to write "
                        "each file into, at its path in FILE")
    p.add_argument("--option", metavar="KEY=VALUE", action="append",
                   help="an option for the exporter, e.g. --option font=宋体 (repeatable); the value is "
                        "read as the type the exporter declares (true/false, numbers, None, text)")


def _export_format(args: argparse.Namespace) -> str:
    if args.to:
        return str(args.to)
    if not to_stdout(args.output):
        name = Path(args.output).name.lower()
        exporters = zwgk.get_exporters().values()
        known = sorted({s.lower() for e in exporters for s in e.suffixes})
        # The longest suffix the name ends with: report.workload.csv is a .workload.csv before a .csv.
        fitting = [s for s in known if name.endswith(s) and len(name) > len(s)]
        if fitting:
            return get_exporter(max(fitting, key=len)).name
        given = "".join(Path(args.output).suffixes) or "no suffix"
        raise ZwgkError(f"no exporter writes {args.output!r} ({given}); the suffixes are {', '.join(known)}, "
                        f"or give --to ({', '.join(sorted(zwgk.get_exporters()))})")
    raise ZwgkError("give --to FORMAT or -o PATH with a known suffix")


def _option_pairs(pairs: Sequence[str]) -> dict[str, str]:
    """``KEY=VALUE`` texts by key; each is parsed later by the type the exporter declares."""
    options: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ZwgkError(f"--option takes KEY=VALUE, not {pair!r}")
        if key in options:
            raise ZwgkError(f"--option {key} is given twice ({options[key]!r} and {value!r})")
        options[key] = value
    return options


def _export_folder(args: argparse.Namespace) -> int:
    """``zwgk export DIR --to FORMAT -o OUT``: each readable file under DIR written under OUT at the same
    path, with the exporter's suffix; a file that cannot be read is reported and the rest go on (exit 2)."""
    from zwgk.exporters import ExportWarning

    if not args.to or to_stdout(args.output):
        raise ZwgkError(f"a folder ({args.file}) is exported file by file: give --to FORMAT and -o DIR")
    exporter = get_exporter(args.to)
    options = exporter.parse_options(_option_pairs(args.option or ()))
    files = expand_inputs([args.file])
    out = Path(args.output)
    if out.exists() and not out.is_dir():
        raise ZwgkError(f"-o {args.output} is a file; a folder is exported into a folder")
    targets = {f: (out / os.path.relpath(f, args.file)).with_suffix(exporter.suffixes[0]) for f in files}
    clash = [f for f, t in targets.items() if t.resolve() in {Path(g).resolve() for g in files}]
    if clash:
        raise ZwgkError(f"exporting {clash[0]} would overwrite a file being exported; give another -o DIR")
    unreadable = False
    for f, target in targets.items():
        try:
            plan = zwgk.load(f, format=args.input_format, **read_options(args))
        except ZwgkError as e:
            print(f"zwgk: error: {e}", file=sys.stderr)
            unreadable = True
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ExportWarning)
            zwgk.export(plan, exporter.name, target, **options)
        for w in caught:
            print(f"zwgk: warning: {f}: {w.message}", file=sys.stderr)
    return EXIT_ERROR if unreadable else EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from zwgk.exporters import ExportWarning

    if args.file and args.file != STDIN and not args.sample and Path(args.file).is_dir():
        return _export_folder(args)
    exporter = get_exporter(_export_format(args))
    options = exporter.parse_options(_option_pairs(args.option or ()))
    plan = load_plan(args)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ExportWarning)
        if not to_stdout(args.output):
            zwgk.export(plan, exporter.name, args.output, **options)
        else:
            data = zwgk.export(plan, exporter.name, **options)
            assert data is not None
            refuse_binary_on_terminal(data, exporter.name)
            write_output(data, None)
    for w in caught:
        print(f"zwgk: warning: {w.message}", file=sys.stderr)
    return EXIT_OK


@hookimpl
def register_commands(register: Callable[[Command], None]) -> None:
    register(Command("export", "write a table in another format (docx, markdown, json, text, ...)", add_arguments,
                     cmd_export))
