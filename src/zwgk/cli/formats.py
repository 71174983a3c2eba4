"""``zwgk formats``: what zwgk reads (readers, and what LibreOffice converts) and writes (exporters)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable

import zwgk
from zwgk.cli._commands import Command
from zwgk.cli._common import EXIT_OK, write_output
from zwgk.hookspecs import hookimpl

__all__ = ["add_arguments", "cmd_formats", "register_commands"]


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("-f", "--format", choices=("text", "json"), default="text")


def cmd_formats(args: argparse.Namespace) -> int:
    """``zwgk formats``: what zwgk reads (readers, and what LibreOffice converts) and writes (exporters)."""
    from zwgk.readers.convert import CONVERTIBLE_SUFFIXES  # the converter: ~14 ms every other command would pay

    readers = [{"name": r.name, "suffixes": list(r.suffixes), "description": r.description}
               for r in zwgk.get_readers().values()]
    readers.append({"name": "(converted)", "suffixes": sorted(CONVERTIBLE_SUFFIXES),
                    "description": "legacy Office and WPS files, read after LibreOffice converts them"})
    exporters = [{"name": e.name, "suffixes": list(e.suffixes), "description": e.description}
                 for e in zwgk.get_exporters().values()]
    if args.format == "json":
        text = json.dumps({"read": readers, "write": exporters}, ensure_ascii=False, indent=2) + "\n"
    else:
        lines: list[str] = []
        for heading, rows in (("Reads (zwgk parse FILE --input-format NAME)", readers),
                              ("Writes (zwgk export FILE --to NAME, or -o PATH with a suffix)", exporters)):
            width = max(len(r["name"]) for r in rows)
            lines += [heading] + [f"  {r['name']:<{width}}  {' '.join(r['suffixes']):<26} {r['description']}"
                                  for r in rows] + [""]
        text = "\n".join(lines)
    write_output(text.encode("utf-8"), None)
    return EXIT_OK


@hookimpl
def register_commands(register: Callable[[Command], None]) -> None:
    register(Command("formats", "list the formats zwgk reads and writes, with their suffixes",
                     add_arguments, cmd_formats))
