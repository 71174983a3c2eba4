"""The small public API: load, load_sample, export, and the format lists."""

from __future__ import annotations

import io
import os
import warnings
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import BinaryIO

from zwgk import plugins
from zwgk._serialize import loads
from zwgk.errors import ExportError, ParseError, Position, UnsupportedFormatError, ZwgkError
from zwgk.exporters import Exporter
from zwgk.model import Plan, Unit
from zwgk.readers import Reader
from zwgk.readers._hints import missing_plugin
from zwgk.readers.build import build_plan
from zwgk.readers.convert import ConversionOptions, kind_of, read_converted
from zwgk.readers.text import decode_text, parse_text
from zwgk.units import UnitRegistry, default_registry
from zwgk.validators import Report, Validator, run, select_validators

__all__ = [
    "SAMPLE_NAME",
    "export",
    "exporters",
    "get_exporter",
    "load",
    "load_sample",
    "readers",
    "unit_registry",
    "validate",
    "validators",
]

SAMPLE_NAME = "taian-2020-zwgk-tasks.txt"
_SNIFF_BYTES = 8192


def readers() -> dict[str, Reader]:
    """The registered readers by name."""
    return {k: v for k, (v, _) in plugins.collect("register_readers", lambda r: r.name).items()}


def exporters() -> dict[str, Exporter]:
    """The registered exporters by name (each with its suffixes and description)."""
    return {k: v for k, (v, _) in plugins.collect("register_exporters", lambda e: e.name).items()}


def validators() -> dict[str, Validator]:
    """The registered validators by code, in registration order (built-ins first)."""
    return {k: v for k, (v, _) in plugins.collect("register_validators", lambda v: v.code).items()}


def _build_unit_registry() -> UnitRegistry:
    reg = default_registry()
    plugins.call_each("register_units", registry=reg)
    return reg


def unit_registry() -> UnitRegistry:
    """A fresh copy of the default unit registry, with what ``register_units`` plugins add."""
    return plugins.cached("unit_registry", _build_unit_registry).copy()


def _pick_reader(path: Path, head: bytes, fmt: str | None) -> Reader:
    available = readers()
    if fmt is not None:
        if fmt not in available:
            raise UnsupportedFormatError(
                f"no reader named {fmt!r}; available: {', '.join(sorted(available))}",
                Position(file=str(path)),
            )
        return available[fmt]
    suffix = path.suffix.lower()
    by_suffix = [r for r in available.values() if suffix in r.suffixes]
    sniffed = [r for r in available.values() if r.sniff is not None and r.sniff(head)]
    sniffed.sort(key=lambda r: r not in by_suffix)
    if sniffed:
        return sniffed[0]
    if by_suffix:
        return by_suffix[0]
    hint = missing_plugin(path, head, set(available))
    if hint is not None:
        raise hint
    known = sorted({s for r in available.values() for s in r.suffixes} | {".json"})
    raise UnsupportedFormatError(
        f"cannot tell the format of this file; zwgk reads {', '.join(known)}",
        Position(file=str(path)),
    )


def load(
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    registry: UnitRegistry | None = None,
    **options: object,
) -> Plan:
    """Read a task-breakdown table (or a zwgk JSON file) into a :class:`~zwgk.Plan`.

    The reader is chosen by ``format``, else by the file's content, else by its suffix.
    ``registry`` resolves unit names (default: :func:`unit_registry`); units the plan names that it
    does not know are added to it as they are met. ``options`` go to the reader, except those
    steering the conversion of legacy files through LibreOffice (``convert=False`` refuses them,
    ``soffice=`` names the program, ``convert_timeout=`` the seconds it may take; see
    :mod:`zwgk.readers.convert`).
    """
    p = Path(path)
    name = str(path)
    try:
        with p.open("rb") as f:
            head = f.read(_SNIFF_BYTES)
    except FileNotFoundError:
        raise ParseError("no such file", Position(file=name)) from None
    except OSError as e:
        raise ParseError(f"cannot read file: {e.strerror}", Position(file=name)) from None
    if not head.strip():
        raise ParseError("the file is empty", Position(file=name))
    body = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if format == "json" or (format is None and (
        p.suffix.lower() == ".json" or (body.startswith(b"{") and not body.startswith(b"{\\rtf"))
    )):
        return loads(p.read_bytes(), source=name)
    conversion = ConversionOptions.pop_from(options)
    target = kind_of(p, head) if format in (None, "doc") else None
    if target is not None:  # a legacy Office file or RTF: converted by LibreOffice, or refused
        grids = read_converted(p, head, target, conversion, readers(), **options)
        return build_plan(grids, registry if registry is not None else unit_registry(), source=name)
    reader = _pick_reader(p, head, format)
    reg = registry if registry is not None else unit_registry()
    grids = list(reader.read(p, **options))
    return build_plan(grids, reg, source=name)


def load_sample(registry: UnitRegistry | None = None) -> Plan:
    """The bundled sample: the 2020 Tai'an 政务公开 task-breakdown table (143 tasks).

    Positions name the file as ``taian-2020-zwgk-tasks.txt`` (the copy inside the package).
    """
    data = (resources.files("zwgk") / "data" / SAMPLE_NAME).read_bytes()
    grid = parse_text(decode_text(data, SAMPLE_NAME), SAMPLE_NAME)
    reg = registry if registry is not None else unit_registry()
    return build_plan([grid], reg, source=SAMPLE_NAME)


def _exporter_owners() -> dict[str, tuple[Exporter, str]]:
    return plugins.collect("register_exporters", lambda e: e.name)


def get_exporter(name: str) -> Exporter:
    """The exporter called ``name``, or the one writing the suffix ``name`` (``.md`` or ``md``).

    Names are matched first, in any case; then suffixes, with or without the dot. When two
    exporters claim one suffix the first registered is used and a ``RuntimeWarning`` names both:
    ask for the other by its name.
    """
    owners = _exporter_owners()
    key = name.strip().lower()
    for exporter_name, (exporter, _) in owners.items():
        if exporter_name.lower() == key:
            return exporter
    suffix = key if key.startswith(".") else "." + key
    claiming = [(e, owner) for e, owner in owners.values() if suffix in (s.lower() for s in e.suffixes)]
    if claiming:
        if len(claiming) > 1:
            others = ", ".join(f"{e.name!r} (plugin {owner!r})" for e, owner in claiming)
            warnings.warn(f"exporters {others} all write {suffix}; using {claiming[0][0].name!r}: "
                          f"name the exporter to choose another", RuntimeWarning, stacklevel=2)
        return claiming[0][0]
    raise ExportError(f"no exporter named {name!r}; available: {', '.join(sorted(owners))}")


def _write(exporter: Exporter, plan: Plan, stream: BinaryIO, options: dict[str, object]) -> None:
    """Run the exporter; anything it raises that is not a :class:`ZwgkError` becomes an ExportError."""
    try:
        exporter.write(plan, stream, **options)
    except ZwgkError:
        raise
    except Exception as e:
        owner = _exporter_owners().get(exporter.name, (None, None))[1]
        by = f" (plugin {owner!r})" if owner else ""
        raise ExportError(f"exporter {exporter.name!r}{by} failed: {type(e).__name__}: {e}") from e


def export(
    plan: Plan,
    format: str,
    dest: str | os.PathLike[str] | BinaryIO | None = None,
    **options: object,
) -> bytes | None:
    """Write ``plan`` with the exporter ``format`` to a path or binary stream.

    Without ``dest`` the bytes are returned. The file is written whole or not at all. An exporter
    that fails with anything but a zwgk error is reported as an :class:`ExportError` naming it and
    the plugin it comes from.
    """
    exporter = get_exporter(format)
    exporter.check_options(options)
    if dest is None:
        buf = io.BytesIO()
        _write(exporter, plan, buf, options)
        return buf.getvalue()
    if isinstance(dest, (str, os.PathLike)):
        target = Path(dest)
        buf = io.BytesIO()
        _write(exporter, plan, buf, options)
        tmp = target.with_name(target.name + ".tmp")
        try:
            tmp.write_bytes(buf.getvalue())
            os.replace(tmp, target)
        except OSError as e:
            tmp.unlink(missing_ok=True)
            raise ExportError(f"cannot write {target}: {e.strerror}") from None
        return None
    _write(exporter, plan, dest, options)
    return None


def _registry_for(plan: Plan) -> UnitRegistry:
    """The default registry, plus the units the plan itself says were resolved when it was read."""
    reg = unit_registry()
    for a in plan.assignments():
        if a.unit.resolved and reg.resolve(a.unit.name) is None:
            reg.add(Unit(a.unit.name, a.unit.kind))
    return reg


def validate(
    plan: Plan,
    select: Iterable[str] | str | None = None,
    ignore: Iterable[str] | str | None = None,
    registry: UnitRegistry | None = None,
    *,
    strict: bool = False,
) -> Report:
    """Check ``plan`` with the registered validators and return a :class:`~zwgk.validators.Report`.

    ``select`` and ``ignore`` name validators by code (``ZW101``), code prefix (``ZW1``) or slug
    (``missing-lead``), as a list or a comma-separated string. ``registry`` is the unit registry the
    checks resolve names against; without it, a name counts as known when it resolved when the plan
    was read. ``strict`` raises checks that have a strict severity (unknown units become errors).
    A validator that raises is reported as a :class:`~zwgk.errors.PluginError` warning and skipped.
    """
    chosen = select_validators(list(validators().values()), select, ignore)
    reg = registry if registry is not None else _registry_for(plan)
    return run(plan, chosen, reg, strict=strict, on_error=plugins._report)
