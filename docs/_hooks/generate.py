"""Pages of the documentation site made from the code at build time, so that they cannot drift.

MkDocs loads this file as a hook (``hooks:`` in ``mkdocs.yml``): ``on_files`` adds

- ``reference/cli.md``: every command and option of ``zwgk``, walked from its argument parser;
- ``reference/validators.md``: one section per built-in check, from the validators' own metadata;
- ``reference/api.md``: one mkdocstrings entry per name in ``zwgk.__all__`` and in ``zwgk.units.__all__``,
  and one per public module of ``zwgk.units``.

The tests import the same functions (``tests/test_docs_site.py``), so what they check is what the
site shows.
"""

from __future__ import annotations

import argparse
import inspect
from typing import Any

import zwgk
import zwgk.units
from zwgk import plugins
from zwgk.cli import build_parser

GENERATED = "This page is generated from the code when the site is built."


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _help_of(parser: argparse.ArgumentParser) -> dict[str, str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return {a.dest: a.help or "" for a in action._choices_actions}
    return {}


def _argument_rows(parser: argparse.ArgumentParser) -> list[str]:
    rows = ["| argument | value | default | meaning |", "| --- | --- | --- | --- |"]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            continue
        names = ", ".join(f"`{o}`" for o in action.option_strings) or f"`{action.metavar or action.dest}`"
        if action.choices is not None:
            value = " \\| ".join(f"`{c}`" for c in action.choices)
        elif action.nargs == 0:
            value = ""
        else:
            value = f"`{action.metavar or action.dest.upper()}`"
        if action.nargs in ("*", "+"):
            value += " …"
        default = action.default
        shown_default = "" if default in (None, False, argparse.SUPPRESS) or action.nargs == 0 else f"`{default}`"
        meaning = action.help if action.help not in (None, argparse.SUPPRESS) else ""
        if isinstance(action, argparse._AppendAction):
            meaning = f"{meaning} (repeatable)" if "repeat" not in str(meaning) else str(meaning)
        rows.append(f"| {names} | {value} | {shown_default} | {_cell(str(meaning))} |")
    return rows


def cli_reference() -> str:
    """Markdown for every command and option of ``zwgk``, walked from :func:`zwgk.cli.build_parser`."""
    parser = build_parser()
    lines = ["# Command reference", "", GENERATED + " The guide is [The `zwgk` command](../cli.md).", "",
             "```text", parser.format_usage().strip(), "```", "", *(_argument_rows(parser)), ""]
    _commands(parser, "zwgk", lines, level=2)
    return "\n".join(lines)


def _commands(parser: argparse.ArgumentParser, prog: str, lines: list[str], level: int) -> None:
    """A section for each subcommand of ``parser``, and for theirs in turn (``zwgk plugin new``)."""
    helps = _help_of(parser)
    for name, sub in _subcommands(parser).items():
        lines += [f"{'#' * level} {prog} {name}", "", helps.get(name, "").rstrip(".") + ".", "",
                  "```text", sub.format_usage().strip(), "```", ""]
        lines += _argument_rows(sub)
        lines.append("")
        _commands(sub, f"{prog} {name}", lines, level + 1)


def builtin_validators() -> list[Any]:
    """The validators the built-in plugins register, in registration order."""
    found = plugins.collect("register_validators", lambda v: v.code)
    return [v for v, owner in found.values() if owner in plugins.DEFAULT_PLUGINS]


def validators_reference() -> str:
    """Markdown with one section per built-in validator: code, slug, severity, description, docstring."""
    lines = ["# Validator reference", "",
             GENERATED + " The checks with examples and fixes are in [Validators](../validators.md).", "",
             "| code | slug | severity | checks |", "| --- | --- | --- | --- |"]
    validators = builtin_validators()
    for v in validators:
        lines.append(f"| [{v.code}](#{v.code.lower()}) | `{v.slug}` | {v.severity.value} | {_cell(v.description)} |")
    lines.append("")
    for v in validators:
        lines += [f"## {v.code}", "", f"**Slug:** `{v.slug}` · **Severity:** {v.severity.value}"
                  + (f" ({v.strict_severity.value} with `--strict`)" if v.strict_severity else ""), ""]
        if v.description:
            lines += [v.description[0].upper() + v.description[1:].rstrip(".") + ".", ""]
        doc = inspect.getdoc(v.check)
        if doc:
            lines += [doc, ""]
        module = getattr(v.check, "__module__", "")
        lines += [f"Implemented by `{module}.{getattr(v.check, '__qualname__', '')}`.", ""]
    return "\n".join(lines)


#: The public modules of ``zwgk.units``, each described in the API reference after the package's own names.
UNITS_MODULES = ("shapes", "written", "similar", "misread", "lineage")


def _entry(path: str, level: int) -> list[str]:
    return [f"::: {path}", "    options:", f"      heading_level: {level}", "      show_root_heading: true",
            "      show_root_full_path: true", ""]


def api_reference() -> str:
    """Markdown with one mkdocstrings entry per name in ``zwgk.__all__`` and in ``zwgk.units.__all__``."""
    lines = ["# API reference", "",
             GENERATED + " It lists every name `import zwgk` makes public (`zwgk.__all__`), then every "
             "name `zwgk.units` exports; the sub-packages `zwgk.readers`, `zwgk.exporters`, "
             "`zwgk.validators` and `zwgk.plugins` are described on their own pages; the public modules of "
             "`zwgk.units` close this page.", ""]
    for name in zwgk.__all__:
        if name == "__version__":
            lines += ["## `zwgk.__version__`", "",
                      "The version of the installed package, a string such as "
                      f"`{zwgk.__version__!r}`; `zwgk --version` prints it.", ""]
            continue
        lines += _entry(f"zwgk.{name}", 2)
    lines += ["## `zwgk.units`", "", "What `zwgk.units` exports ([Units](../units.md) describes them); "
              "`zwgk.UnitRegistry` above is `zwgk.units.UnitRegistry`.", ""]
    for name in zwgk.units.__all__:
        if name != "UnitRegistry":
            lines += _entry(f"zwgk.units.{name}", 3)
    for module in UNITS_MODULES:
        lines += _entry(f"zwgk.units.{module}", 2)
    return "\n".join(lines)


PAGES = {
    "reference/cli.md": cli_reference,
    "reference/validators.md": validators_reference,
    "reference/api.md": api_reference,
}


def on_files(files: Any, config: Any) -> Any:
    """MkDocs hook: add the generated pages to the site."""
    from mkdocs.structure.files import File

    for uri, make in PAGES.items():
        files.append(File.generated(config, uri, content=make()))
    return files
