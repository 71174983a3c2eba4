"""``zwgk units``: the canonical units of a table with their kind, spellings and task counts, or the
names two tables write two ways (``--suggest-aliases``)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

import zwgk
from zwgk import ZwgkError
from zwgk.cli._commands import Command, add_input_options
from zwgk.cli._common import EXIT_OK, check_input, read_options, write_output
from zwgk.hookspecs import hookimpl
from zwgk.model import Unit

if TYPE_CHECKING:
    from zwgk.units import UnitRegistry

# The unit registry's module and the alias matcher are imported by the command when it runs, not
# when the parser is built (every command's module is imported then).

__all__ = ["add_arguments", "cmd_units", "register_commands"]


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_input_options(p)
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


def _suggest_aliases(args: argparse.Namespace, registry: UnitRegistry) -> int:
    """``zwgk units --suggest-aliases OLD NEW``: a registry file naming each new spelling with the old as its alias."""
    if args.file or getattr(args, "sample", False):
        raise ZwgkError("--suggest-aliases takes the two tables itself; give no FILE or --sample beside it")
    from zwgk._aliases import suggest_aliases
    from zwgk.units import UnitRegistry, dumps_registry

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


def cmd_units(args: argparse.Namespace) -> int:
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


@hookimpl
def register_commands(register: Callable[[Command], None]) -> None:
    register(Command("units", "list the canonical units of a table with their kind, spellings and task counts",
                     add_arguments, cmd_units))
