"""``zwgk plugins`` and ``zwgk units``: what is installed, and the units a table names."""

from __future__ import annotations

import argparse
import json
import operator
from typing import TYPE_CHECKING

import zwgk
from zwgk import ZwgkError, plugins
from zwgk.cli._common import EXIT_OK, check_input, read_options, warn, write_output
from zwgk.exporters import OptionSpec

if TYPE_CHECKING:
    from zwgk.units import UnitRegistry

__all__ = ["cmd_plugins", "cmd_units"]

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


def _suggest_aliases(args: argparse.Namespace, registry: UnitRegistry) -> int:
    """``zwgk units --suggest-aliases OLD NEW``: a registry file naming each new spelling with the old as its alias."""
    from zwgk._aliases import suggest_aliases
    from zwgk.model import Unit
    from zwgk.units import UnitRegistry, dumps_registry

    if args.file or getattr(args, "sample", False):
        raise ZwgkError("--suggest-aliases takes the two tables itself; give no FILE or --sample beside it")
    old_path, new_path = args.suggest_aliases
    old, new = (zwgk.load(p, format=args.input_format, registry=registry, **read_options(args))
                for p in (old_path, new_path))
    found = suggest_aliases(old, new)
    kinds = {u.name: u.kind for t in new.tasks for u in t.units()}
    own = UnitRegistry(region=new.metadata.region, level=new.metadata.level)
    for s in found:
        known = registry.get(s.new)
        aliases = tuple(dict.fromkeys((*(known.aliases if known is not None else ()), s.old)))
        own.add(Unit(s.new, kinds[s.new], aliases, known.covers if known is not None else ()))
    head = [f"# Names {old_path} and {new_path} write two ways ({len(found)}), suggested by zwgk units "
            "--suggest-aliases:"]
    head += [f"# {s.old} → {s.new}: {s.evidence}" for s in found]
    head += ["# Check each, then use the file with --registry FILE."]
    write_output(("\n".join(head) + "\n" + dumps_registry(own)).encode("utf-8"), args.output)
    return EXIT_OK


def cmd_formats(args: argparse.Namespace) -> int:
    """``zwgk formats``: what zwgk reads (readers, and what LibreOffice converts) and writes (exporters)."""
    from zwgk.readers.convert import CONVERTIBLE_SUFFIXES

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


def cmd_units(args: argparse.Namespace) -> int:
    from zwgk.model import Unit
    from zwgk.units import UnitRegistry, dumps_registry, format_summaries, load_registry, summarize_units

    registry = zwgk.unit_registry()
    for path in args.registry or ():
        registry.merge(load_registry(path))
    if args.suggest_aliases:
        return _suggest_aliases(args, registry)
    check_input(args)
    if args.sample:
        plan = zwgk.load_sample(registry=registry)
    else:
        plan = zwgk.load(args.file, format=args.input_format, registry=registry, **read_options(args))
    rows = summarize_units(plan, registry)
    if args.sort != "first":
        rows.sort(key=lambda r: (-getattr(r, args.sort), r.name))
    if args.format == "toml":
        own = UnitRegistry(region=plan.metadata.region, level=plan.metadata.level)
        for r in rows:
            known = registry.get(r.name)
            covers = known.covers if known is not None else ()
            aliases = tuple(dict.fromkeys((*(known.aliases if known is not None else ()), *r.aliases)))
            own.add(Unit(r.name, r.kind, aliases, covers))
        text = dumps_registry(own)
    else:
        text = format_summaries(rows, args.format)
    write_output(text.encode("utf-8"), args.output)
    return EXIT_OK
