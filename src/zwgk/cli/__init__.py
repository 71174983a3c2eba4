"""The ``zwgk`` command.

Every command prints errors as one line on stderr (``zwgk: error: FILE, row 3: ...``) and exits
non-zero: 2 for unreadable input, bad usage or a file it cannot write, 1 for a failed check.
Warnings are one line each too (``zwgk: warning: ...``).
"""

from __future__ import annotations

import argparse
import sys
import typing
import warnings
from collections.abc import Callable, Sequence
from types import ModuleType

import zwgk
from zwgk.cli import (
    batch,
    completion,
    diff,
    export,
    formats,
    parse,
    plugin,
    stats,
    units,
    validate,
)
from zwgk.cli import plugins as plugins_command
from zwgk.cli._commands import Command, add_command, add_input_options, add_plugin_commands
from zwgk.cli._common import EXIT_ERROR, EXIT_OK, quiet, warn, warned
from zwgk.errors import PluginError, ZwgkError

__all__ = ["BUILTIN_COMMANDS", "Command", "add_input_options", "build_parser", "main"]

#: zwgk's own commands, in the order ``zwgk --help`` lists them: each a module of this package that
#: registers its :class:`Command` through the ``register_commands`` hook, as a plugin does.
BUILTIN_COMMANDS: tuple[ModuleType, ...] = (
    parse, diff, stats, export, formats, plugins_command, units, validate, batch, plugin, completion,
)


class _Parser(argparse.ArgumentParser):
    """argparse with its usage errors on one line, like every other zwgk error."""

    def error(self, message: str) -> typing.NoReturn:
        print(f"zwgk: error: {self.prog}: {message} (see {self.prog} --help)", file=sys.stderr)
        raise SystemExit(EXIT_ERROR)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="zwgk",
        description="Read Chinese government task-breakdown tables (任务分解表) into typed data.",
    )
    parser.add_argument("--version", action="version", version=f"zwgk {zwgk.__version__}")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="print no warnings and no progress bars (errors still print)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in BUILTIN_COMMANDS:
        module.register_commands(register=lambda command: add_command(sub, command))
    add_plugin_commands(sub)
    parser.set_defaults(commands=tuple(sub.choices), root=parser)
    return parser


def _show_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                  file: typing.TextIO | None = None, line: str | None = None) -> None:
    """Warnings as one line each: ``zwgk: warning: ...``, each said once."""
    warn(str(message))


def main(argv: Sequence[str] | None = None) -> int:
    try:
        parser = build_parser()
    except (ZwgkError, PluginError) as e:  # a plugin's command that cannot join (a name taken)
        print(f"zwgk: error: {e}", file=sys.stderr)
        return EXIT_ERROR
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse already printed its one-line message (or --help, --version)
        return int(e.code or 0) if isinstance(e.code, int) else EXIT_ERROR
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    if func is None:
        commands = ", ".join(args.commands)
        print(f"zwgk: error: give a command: {commands} (see zwgk --help)", file=sys.stderr)
        return EXIT_ERROR
    warned.clear()
    quiet["on"] = bool(getattr(args, "quiet", False))
    with warnings.catch_warnings():
        warnings.showwarning = _show_warning
        try:
            return func(args)
        except (ZwgkError, PluginError) as e:
            print(f"zwgk: error: {e}", file=sys.stderr)
            return EXIT_ERROR
        except BrokenPipeError:
            return EXIT_OK
        except OSError as e:  # a file the command could not read or write, named by the OS
            where = f"{e.filename}: " if e.filename else ""
            print(f"zwgk: error: {where}{e.strerror or e}", file=sys.stderr)
            return EXIT_ERROR
        except KeyboardInterrupt:
            print("zwgk: interrupted", file=sys.stderr)
            return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
