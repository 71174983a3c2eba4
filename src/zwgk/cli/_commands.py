"""How a command joins ``zwgk``: a :class:`Command` registered through the ``register_commands`` hook,
and the one helper for the options that choose how an input table is read.

Plugins add commands the way they add readers: ``register(Command(...))`` in their
``register_commands`` hook; each of zwgk's own commands is a module of :mod:`zwgk.cli` with the same
hook, and both are added by :func:`add_command`. A command's name may not be one of zwgk's own commands nor another
plugin's: either is a :class:`~zwgk.errors.PluginError` naming both.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from attrs import frozen

from zwgk import _registered, plugins
from zwgk.errors import PluginError

__all__ = ["Command", "add_command", "add_input_options", "add_plugin_commands"]


@frozen
class Command:
    """A subcommand of ``zwgk``.

    :param name: what is typed after ``zwgk`` (``zwgk NAME ...``).
    :param help: one line for ``zwgk --help``.
    :param add_arguments: ``add_arguments(parser)`` adds the command's arguments to its
        :class:`argparse.ArgumentParser` (:func:`add_input_options` adds zwgk's input options).
    :param run: ``run(args)`` does the work and returns the exit code (0 success, 1 a finding, 2 an
        error). A :class:`~zwgk.ZwgkError` it raises is printed as one line and exits 2.
    """

    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def _formats() -> str:
    readers = _registered.get_readers()
    suffixes = sorted({s for r in readers.values() for s in r.suffixes})
    return ", ".join(suffixes)


def add_input_options(p: argparse.ArgumentParser, *, file: bool = True, sample: bool = True,
                      table: bool = True) -> None:
    """The options that say how an input table is read, the same for every command: ``FILE``,
    ``--sample``, ``--input-format``, ``--table``, ``--layout``, ``--no-convert``, ``--region`` and
    ``--year``. Their help
    lists the formats the installed readers read."""
    if file:
        p.add_argument("file", nargs="?", metavar="FILE",
                       help=f"a table ({_formats()}) or zwgk .json; - for standard input")
    if sample:
        p.add_argument("--sample", action="store_true",
                       help="use the bundled 2020 Tai'an sample instead of FILE")
    p.add_argument("--input-format", metavar="NAME",
                   help=f"reader to use: {', '.join(_registered.get_readers())} (default: by content, then suffix)")
    if table:
        p.add_argument("--table", type=int, metavar="N",
                       help="read only the N-th table of the file, in any format (default: every task table)")
        p.add_argument("--layout", choices=("table", "list"),
                       help="read only tables, or only numbered task paragraphs with 牵头单位：/责任单位： lines "
                            "(default: the paragraphs when there is no task table)")
        p.add_argument("--no-convert", action="store_true",
                       help="refuse .doc/.wps/.rtf/.xls instead of converting them with LibreOffice")
        p.add_argument("--region", metavar="PLACE",
                       help="the region the document is of (某某省, 泰安市), where its title does not name it")
        p.add_argument("--year", type=int, metavar="YEAR",
                       help="the year the document is of, where its title does not name it")


def add_command(sub: Any, command: Command) -> argparse.ArgumentParser:
    """Add ``command`` to the ``zwgk`` subparsers ``sub``: zwgk's own commands and plugins' alike."""
    p: argparse.ArgumentParser = sub.add_parser(command.name, help=command.help)
    command.add_arguments(p)
    p.set_defaults(func=command.run)
    return p


def add_plugin_commands(sub: Any) -> None:
    """Add the commands plugins register to the ``zwgk`` subparsers ``sub``."""
    builtin = set(sub.choices)
    for name, (command, owner) in plugins.collect("register_commands", lambda c: c.name).items():
        if name in builtin:
            raise PluginError(f"plugin {owner!r} registers the command {name!r}, which is zwgk's own")
        add_command(sub, command)
