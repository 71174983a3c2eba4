"""``zwgk plugins``: the loaded plugins, where they come from and what they add."""

from __future__ import annotations

import argparse
import json
import operator
from collections.abc import Callable
from typing import TYPE_CHECKING

import zwgk
from zwgk import plugins
from zwgk.cli._commands import Command
from zwgk.cli._common import EXIT_OK, warn, write_output
from zwgk.hookspecs import hookimpl

if TYPE_CHECKING:
    from zwgk.exporters import OptionSpec

__all__ = ["add_arguments", "cmd_plugins", "register_commands"]


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("-f", "--format", choices=("text", "json"), default="text",
                   help="text (default) or json (name, package, version, hooks and what each adds)")


def _describe_option(spec: OptionSpec) -> dict[str, object]:
    default = spec.default if isinstance(spec.default, (str, int, float, bool)) or spec.default is None else repr(
        spec.default)
    return {"name": spec.name, "type": spec.describe(), "default": default}


def _plugin_contents() -> dict[str, dict[str, list[dict[str, object]]]]:
    """What each plugin adds, by plugin name: readers, exporters (with options) and validators."""
    adds: dict[str, dict[str, list[dict[str, object]]]] = {}
    for name, (reader, owner) in plugins.collect("register_readers", operator.attrgetter("name")).items():
        adds.setdefault(owner, {}).setdefault("readers", []).append(
            {"name": name, "suffixes": list(reader.suffixes)})
    for name, (exporter, owner) in plugins.collect("register_exporters", operator.attrgetter("name")).items():
        specs = exporter.options()
        adds.setdefault(owner, {}).setdefault("exporters", []).append(
            {"name": name, "suffixes": list(exporter.suffixes), "description": exporter.description,
             "options": None if specs is None else [_describe_option(o) for o in specs.values()]})
    for code, (validator, owner) in plugins.collect("register_validators", operator.attrgetter("code")).items():
        adds.setdefault(owner, {}).setdefault("validators", []).append(
            {"code": code, "slug": validator.slug})
    return adds


def cmd_plugins(args: argparse.Namespace) -> int:
    adds = _plugin_contents()
    infos = plugins.plugins()
    if args.format == "json":
        rows = []
        for info in infos:
            package, _, version = (info.package or "").rpartition(" ")
            rows.append({"name": info.name, "builtin": info.builtin, "package": package or None,
                         "version": version or (zwgk.__version__ if info.builtin else None),
                         "hooks": list(info.hooks), "adds": adds.get(info.name, {})})
        text = json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    else:
        lines = []
        for info in infos:
            origin = "built-in" if info.builtin else (info.package or "registered in code")
            mine = adds.get(info.name, {})
            things = ", ".join([*(f"reader {r['name']}" for r in mine.get("readers", [])),
                                *(f"exporter {e['name']}" for e in mine.get("exporters", [])),
                                *(f"validator {v['code']}" for v in mine.get("validators", []))])
            lines.append(f"{info.name}  [{origin}]  {things or ', '.join(info.hooks)}")
        text = "\n".join(lines) + "\n"
    write_output(text.encode("utf-8"), None)
    for error in plugins.plugin_errors():
        warn(str(error))
    return EXIT_OK


@hookimpl
def register_commands(register: Callable[[Command], None]) -> None:
    register(Command("plugins", "list the loaded plugins, where they come from and what they add",
                     add_arguments, cmd_plugins))
