"""Registry files in TOML, read and written by plain functions (errors name the file and the entry).

:func:`load_registry` reads a file, :func:`loads_registry` text; :func:`dumps_registry` writes a
registry as text, :func:`save_registry` to a file. The format::

    [registry]                          # optional: the region and level it serves
    region = "泰安市"                   # a plan from another region does not resolve against it
    level = "市"                        # 省, 市, 区, 县, 镇 or 乡

    level_prefixes = ["市"]            # a name written without one is tried with each
    open_tails = ["部门", "单位"]       # what may follow a closing 等 and names no unit

    [[abbreviations]]                   # interchangeable anywhere in a name
    forms = ["发展和改革委员会", "发展改革委", "发改委"]

    [[prefixes]]                        # interchangeable at the start of a name
    forms = ["泰安市", "市"]

    [[units]]
    name = "各县（市、区）"
    kind = "collective"
    aliases = ["各县(市、区)"]
    covers = ["kind:county-government"]
"""

from __future__ import annotations

import os
import re
import sys
from typing import Any

import tomli_w

from zwgk.errors import Position, UnitError
from zwgk.model import Unit, UnitKind
from zwgk.units._covers import parse_covers
from zwgk.units._normalize import match_key
from zwgk.units._registry import UnitRegistry

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]

__all__ = ["dumps_registry", "load_registry", "loads_registry", "save_registry"]

_TOP_KEYS = {"registry", "level_prefixes", "open_tails", "abbreviations", "prefixes", "units"}
_UNIT_KEYS = {"name", "kind", "aliases", "covers"}
_REGISTRY_KEYS = {"region", "level"}
#: The levels a registry may declare it serves.
LEVELS = ("省", "市", "区", "县", "镇", "乡")
_KINDS = ", ".join(k.value for k in UnitKind)


def load_registry(path: str | os.PathLike[str]) -> UnitRegistry:
    """A registry read from a TOML file (see ``docs/units.md`` for the format)."""
    name = os.fspath(path)
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        raise UnitError("no such registry file", Position(file=name)) from None
    except OSError as e:
        raise UnitError(f"cannot read registry file: {e.strerror}", Position(file=name)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise UnitError(f"a registry file must be UTF-8 (byte {e.start} is not)", Position(file=name)) from None
    return loads_registry(text, source=name)


def loads_registry(text: str, *, source: str | None = None) -> UnitRegistry:
    """A registry read from TOML text; ``source`` names it in error messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+)", str(e))
        raise UnitError(f"not valid TOML: {e}", Position(file=source, line=int(m.group(1)) if m else None)) from None
    where = Position(file=source)
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise UnitError(f"unknown key(s) {', '.join(unknown)}; expected {', '.join(sorted(_TOP_KEYS))}", where)
    reg = UnitRegistry(level_prefixes=_strings(data, "level_prefixes", "", where),
                       open_tails=_strings(data, "open_tails", "", where))
    for key, adder in (("abbreviations", reg.add_abbreviation), ("prefixes", reg.add_prefix)):
        for i, entry in enumerate(_tables(data, key, where)):
            what = f"{key}[{i + 1}]"
            if set(entry) != {"forms"}:
                raise UnitError(f"{what}: expected exactly one key, 'forms'", where)
            forms = _strings(entry, "forms", what + ".", where)
            if len(forms) < 2:
                raise UnitError(f"{what}: 'forms' needs at least two spellings", where)
            adder(forms)
    claimed: dict[str, str] = {}
    for i, entry in enumerate(_tables(data, "units", where)):
        unit = _unit(entry, f"units[{i + 1}]", where)
        for written in (unit.name, *unit.aliases):
            key = match_key(written)
            other = claimed.get(key)
            if other is not None and other != unit.name:
                raise UnitError(f"{written!r} names both {other!r} and {unit.name!r}", where)
            claimed[key] = unit.name
        if reg.get(unit.name) is not None:
            raise UnitError(f"unit {unit.name!r} is listed twice", where)
        reg.add(unit)
    region, level = _declaration(data, where)
    reg.declare(region, level)
    return reg


def _declaration(data: dict[str, Any], where: Position) -> tuple[str | None, str | None]:
    """The ``[registry]`` table: the region and level the file serves."""
    table = data.get("registry", {})
    if not isinstance(table, dict):
        raise UnitError("'registry' must be a table ([registry]) with region and level", where)
    unknown = sorted(set(table) - _REGISTRY_KEYS)
    if unknown:
        raise UnitError(f"registry: unknown key(s) {', '.join(unknown)}; expected region, level", where)
    values: list[str | None] = []
    for key in ("region", "level"):
        value = table.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise UnitError(f"registry.{key} must be a non-empty string", where)
        values.append(value.strip() if value is not None else None)
    region, level = values
    if level is not None and level not in LEVELS:
        raise UnitError(f"registry.level {level!r} is not a level; levels are {', '.join(LEVELS)}", where)
    return region, level


def _tables(data: dict[str, Any], key: str, where: Position) -> list[dict[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise UnitError(f"{key!r} must be an array of tables ([[{key}]])", where)
    return value


def _strings(data: dict[str, Any], key: str, prefix: str, where: Position) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise UnitError(f"{prefix}{key} must be a list of non-empty strings", where)
    return list(value)


def _unit(entry: dict[str, Any], what: str, where: Position) -> Unit:
    unknown = sorted(set(entry) - _UNIT_KEYS)
    if unknown:
        raise UnitError(f"{what}: unknown key(s) {', '.join(unknown)}", where)
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise UnitError(f"{what}: 'name' must be a non-empty string", where)
    what = f"{what} ({name})"
    kind_value = entry.get("kind", UnitKind.OTHER.value)
    try:
        kind = UnitKind(kind_value)
    except ValueError:
        raise UnitError(f"{what}: unknown kind {kind_value!r}; kinds are {_KINDS}", where) from None
    aliases = tuple(_strings(entry, "aliases", what + ": ", where))
    covers = tuple(_strings(entry, "covers", what + ": ", where))
    for c in parse_covers(covers).unknown:
        raise UnitError(f"{what}: covers {c!r}: unknown kind; kinds are {_KINDS}", where)
    if covers and kind is not UnitKind.COLLECTIVE:
        raise UnitError(f"{what}: only a collective covers other units (kind is {kind.value!r})", where)
    return Unit(name, kind, aliases, covers)


def dumps_registry(reg: UnitRegistry) -> str:
    """The registry as TOML text, which :func:`loads_registry` reads back as the same registry."""
    data: dict[str, Any] = {}
    declared = {k: v for k, v in (("region", reg.region), ("level", reg.level)) if v is not None}
    if declared:
        data["registry"] = declared
    if reg.level_prefixes:
        data["level_prefixes"] = list(reg.level_prefixes)
    if reg.open_tails:
        data["open_tails"] = list(reg.open_tails)
    if reg.abbreviations.forms:
        data["abbreviations"] = [{"forms": list(g)} for g in reg.abbreviations.forms]
    if reg.abbreviations.prefixes:
        data["prefixes"] = [{"forms": list(g)} for g in reg.abbreviations.prefixes]
    units: list[dict[str, Any]] = []
    for u in reg:
        entry: dict[str, Any] = {"name": u.name, "kind": u.kind.value}
        if u.aliases:
            entry["aliases"] = list(u.aliases)
        if u.covers:
            entry["covers"] = list(u.covers)
        units.append(entry)
    if units:
        data["units"] = units
    return "# zwgk unit registry\n" + tomli_w.dumps(data)


def save_registry(reg: UnitRegistry, path: str | os.PathLike[str]) -> None:
    """Write the registry to ``path`` as a TOML file (UTF-8, ``\\n`` line ends; :func:`dumps_registry`)."""
    text = dumps_registry(reg)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
