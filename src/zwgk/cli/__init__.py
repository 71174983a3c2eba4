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

import zwgk
from zwgk._match import REWORD_THRESHOLD
from zwgk.cli import batch, completion, plugin
from zwgk.cli._commands import Command, add_input_options, add_plugin_commands
from zwgk.cli._common import EXIT_ERROR, EXIT_OK, quiet, warn, warned
from zwgk.cli.check import cmd_validate
from zwgk.cli.info import cmd_formats, cmd_plugins, cmd_units
from zwgk.cli.stats import add_parser as add_stats_parser
from zwgk.cli.tables import cmd_diff, cmd_export, cmd_parse
from zwgk.errors import PluginError, ZwgkError

__all__ = ["Command", "add_input_options", "build_parser", "main"]

def _add_input(p: argparse.ArgumentParser, *, sample: bool = True) -> None:
    add_input_options(p, sample=sample)


class _Parser(argparse.ArgumentParser):
    """argparse with its usage errors on one line, like every other zwgk error."""

    def error(self, message: str) -> typing.NoReturn:
        print(f"zwgk: error: {self.prog}: {message} (see {self.prog} --help)", file=sys.stderr)
        raise SystemExit(EXIT_ERROR)


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.0 <= value <= 1.0:  # rejects NaN too
        raise argparse.ArgumentTypeError(f"{text!r} is not between 0 and 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="zwgk",
        description="Read Chinese government task-breakdown tables (任务分解表) into typed data.",
    )
    parser.add_argument("--version", action="version", version=f"zwgk {zwgk.__version__}")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="print no warnings and no progress bars (errors still print)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("parse", help="read a table and print it as JSON (or another format)")
    _add_input(p)
    p.add_argument("-f", "--format", "--to", dest="format", default="json", metavar="FORMAT",
                   help="output format: json (default), markdown (md), text (txt), docx, or any installed "
                        "exporter, by name or suffix")
    p.add_argument("-o", "--output", metavar="PATH", help="write to PATH instead of stdout")
    p.add_argument("--explain", action="store_true",
                   help="print each table's column roles and why (the layout decisions) on stderr")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("diff", help="what changed between two tables (e.g. last year's and this year's); "
                                    "exits 1 when they differ")
    p.add_argument("old", nargs="?", metavar="OLD", help="the earlier table (the sample with --sample)")
    p.add_argument("new", nargs="?", metavar="NEW", help="the later table")
    p.add_argument("--sample", action="store_true", help="compare the bundled 2020 Tai'an sample (as OLD) with NEW")
    add_input_options(p, file=False, sample=False)
    p.add_argument("-f", "--format", choices=["text", "json"], default="text")
    p.add_argument("--threshold", type=_fraction, default=REWORD_THRESHOLD,
                   help=f"least text similarity (0-1) for a reworded task to count as changed "
                        f"(default {REWORD_THRESHOLD})")
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even when the tables differ")
    p.add_argument("-o", "--output", metavar="PATH",
                   help="write to PATH instead of stdout; a .html/.htm PATH gets a report page with the "
                        "changes marked character by character")
    p.set_defaults(func=cmd_diff)

    add_stats_parser(sub)

    p = sub.add_parser("export", help="write a table in another format (docx, markdown, json, text, ...)")
    _add_input(p)
    p.add_argument("--to", metavar="FORMAT",
                   help="exporter name or suffix (default: from -o's suffix); chooses between exporters "
                        "that write the same suffix")
    p.add_argument("-o", "--output", metavar="PATH", help="write to PATH (default: stdout)")
    p.add_argument("--option", metavar="KEY=VALUE", action="append",
                   help="an option for the exporter, e.g. --option font=宋体 (repeatable); the value is "
                        "read as the type the exporter declares (true/false, numbers, None, text)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("formats", help="list the formats zwgk reads and writes, with their suffixes")
    p.add_argument("-f", "--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_formats)

    p = sub.add_parser("plugins", help="list the loaded plugins, where they come from and what they add")
    p.add_argument("-f", "--format", choices=("text", "json"), default="text",
                   help="text (default) or json (name, package, version, hooks and what each adds)")
    p.set_defaults(func=cmd_plugins)

    p = sub.add_parser("units", help="list the canonical units of a table with their kind, spellings and task counts")
    _add_input(p)
    p.add_argument("-f", "--format", default="text", choices=("text", "json", "csv", "toml"),
                   help="text (default), json, csv, or toml (a registry file of the table's units to edit)")
    p.add_argument("--registry", action="append", metavar="TOML",
                   help="a unit registry file merged into the default one (may be repeated)")
    p.add_argument("--sort", default="first", choices=("first", "lead", "responsible", "total"),
                   help="order: first mention (default) or most tasks in a role")
    p.add_argument("--suggest-aliases", nargs=2, metavar=("OLD", "NEW"),
                   help="instead of FILE: names two tables (e.g. two years) write two ways, as a registry file "
                        "with the evidence in comments (各设区市 → 各设区市政府)")
    p.add_argument("-o", "--output", metavar="PATH", help="write to PATH instead of stdout")
    p.set_defaults(func=cmd_units)

    p = sub.add_parser("validate", help="check tables for missing leads, role conflicts, unit name typos, ...")
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="tables in any readable format (zwgk formats), folders (read recursively); "
                        "- reads standard input")
    p.add_argument("--sample", action="store_true", help="check the bundled 2020 Tai'an sample")
    add_input_options(p, file=False, sample=False, table=False)
    p.add_argument("-f", "--format", "--output-format", dest="format", choices=("text", "json", "github"),
                   default="text",
                   help="text (default, grouped by task), json, or github (GitHub Actions annotations)")
    p.add_argument("-o", "--output", metavar="PATH", help="write the report to PATH instead of stdout")
    p.add_argument("--select", action="append", metavar="CODES",
                   help="run only these checks: codes (ZW101), code prefixes (ZW1) or slugs, comma-separated; "
                        "ALL runs every check")
    p.add_argument("--ignore", action="append", metavar="CODES", help="skip these checks (same forms as --select)")
    p.add_argument("--fail-on", choices=("error", "warning", "info"), default="error",
                   help="exit 1 when a finding is at least this severe (default: error)")
    p.add_argument("--strict", action="store_true", help="treat unknown units as errors")
    p.add_argument("--registry", action="append", metavar="TOML",
                   help="a unit registry file (e.g. from `zwgk units FILE -f toml`) merged into the default one; "
                        "names are checked against it (may be repeated)")
    p.add_argument("--statistics", action="store_true",
                   help="print how many findings each check made, over every file, instead of the findings")
    p.add_argument("--exit-zero", action="store_true",
                   help="exit 0 even when findings reach --fail-on (unreadable files still exit 2)")
    p.set_defaults(func=cmd_validate)

    batch.add_parser(sub)
    plugin.add_parser(sub)
    add_plugin_commands(sub)
    completion.add_parser(sub, parser)
    parser.set_defaults(commands=tuple(sub.choices))
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
