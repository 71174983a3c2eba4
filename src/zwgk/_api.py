"""The small public API: load, load_sample, export and validate.

The lists of what is registered (``get_readers`` …) are :mod:`zwgk._registered`'s, used here.

``import zwgk`` does not load this module until one of its names is first used; then it brings the
builder, the unit registry and the validators it needs. Only the LibreOffice converter is imported
when a file is first read, as the ``zwgk`` command would otherwise pay for it in every command.
"""

from __future__ import annotations

import io
import os
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from zwgk import plugins
from zwgk._registered import (
    _exporter_owners,
    _reader_owners,
    get_exporter,
    get_exporters,
    get_readers,
    get_validators,
    shared_unit_registry,
    unit_registry,
)
from zwgk._version import __version__
from zwgk.errors import ExportError, ParseError, PluginError, Position, ReadWarning, ZwgkError
from zwgk.exporters import Exporter
from zwgk.model import Plan
from zwgk.readers import Document, Reader, ReadLayout, Source, choose
from zwgk.readers.text import decode_text, parse_text
from zwgk.table.build import Built, build
from zwgk.table.document import check_choice, grids_of
from zwgk.table.settle import check_given
from zwgk.units import UnitRegistry
from zwgk.units.misread import correct_misreads, sequence_breaks
from zwgk.validators import Report, plan_registry, run, select_validators

__all__ = [
    "SAMPLE_NAME",
    "export",
    "get_exporter",
    "get_exporters",
    "get_readers",
    "get_validators",
    "load",
    "load_sample",
    "unit_registry",
    "validate",
]

SAMPLE_NAME = "taian-2020-zwgk-tasks.txt"


def _read(reader: Reader, source: Source, options: dict[str, object]) -> Document | Plan:
    """Run the reader; anything it raises that is not a :class:`ZwgkError` becomes a PluginError."""
    try:
        return reader.document(source, options)
    except ZwgkError:
        raise
    except Exception as e:
        owner = _reader_owners().get(reader.name, (None, None))[1]
        by = f" (plugin {owner!r})" if owner else ""
        raise PluginError(f"reader {reader.name!r}{by} failed: {type(e).__name__}: {e}", source.where) from e


def load(
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    registry: UnitRegistry | None = None,
    table: int | None = None,
    layout: ReadLayout | None = None,
    region: str | None = None,
    year: int | None = None,
    **options: object,
) -> Plan:
    """Read a task-breakdown table (or a zwgk JSON file) into a :class:`~zwgk.Plan`; what the plan
    does not hold (other tables, categories with no task) is issued as a :class:`~zwgk.ReadWarning`
    each. The same as :func:`read` (see there), for the plan alone."""
    built = read(path, format=format, registry=registry, table=table, layout=layout, region=region, year=year,
                 **options)
    for warning in built.warnings:
        warnings.warn(warning, stacklevel=2)
    return built.plan


def read(
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    registry: UnitRegistry | None = None,
    table: int | None = None,
    layout: ReadLayout | None = None,
    region: str | None = None,
    year: int | None = None,
    **options: object,
) -> Built:
    """Read a task-breakdown table (or a zwgk JSON file): the plan with the layout taken for each
    task table and the warnings of what the plan does not hold (:class:`~zwgk.table.build.Built`,
    returned rather than issued).

    ``region`` (a place name: 某某省, 泰安市) and ``year`` set the plan's metadata where the title
    does not give it (given, they win over the title's): the units are read as that region sees them
    (:func:`zwgk.table.settle.settle_metadata`). A zwgk JSON file keeps the metadata it holds.

    The reader is chosen by ``format``, else by the file's content, else by its suffix.
    ``registry`` resolves unit names (default: :func:`unit_registry`); units the plan names that it
    does not know are added to it as they are met. ``table=N`` reads only the N-th table of the
    file; ``layout="table"`` reads only its tables, ``layout="list"`` only its task paragraphs
    (by default the paragraphs are read when no table is a task table); both are decided the same
    way for every format (:func:`zwgk.table.document.grids_of`). Other ``options`` go to the
    reader; one it does not take is a :class:`~zwgk.errors.ParseError` naming it. A reader failing
    with anything but a zwgk error is reported as a :class:`~zwgk.errors.PluginError` naming it and
    its plugin. Legacy Office files and RTF (``.doc``, ``.wps``, ``.rtf``, ``.xls``, ``.et`` …) are
    converted through LibreOffice first; the options ``convert=False`` (refuse them instead),
    ``soffice=`` (the program) and ``convert_timeout=`` (seconds) steer that step
    (:mod:`zwgk.readers.convert`).
    """
    name = os.fspath(path)
    check_choice(table, layout, Position(file=name))
    source = Source.open(path)
    if not source.head.strip():
        raise ParseError("the file is empty", source.where)
    from zwgk.readers.convert import (  # LibreOffice's subprocess machinery: ~14 ms `zwgk --help` would pay
        ConversionOptions,
        kind_of,
        read_converted,
    )

    conversion = ConversionOptions.pop_from(options)
    check_given(region, year, name)  # what the title leaves out: the core's options, not a reader's
    target = kind_of(source.path, source.head) if format in (None, "doc") else None
    got: Document | Plan
    if target is not None:  # a legacy Office file or RTF: converted by LibreOffice, or refused
        got = read_converted(source, target, conversion, get_readers(), options)
    else:
        reader = choose(get_readers(), source.path, source.head, format)
        reader.check_options(options, name)
        got = _read(reader, source, options)
    if isinstance(got, Plan):
        if table is not None or layout is not None:
            raise ParseError("this file holds a finished plan (zwgk JSON), not tables or paragraphs: "
                             "table= and layout= do not apply", source.where)
        return Built(got)
    try:
        grids = grids_of(got, table=table, layout=layout, source=name)
    except ZwgkError as e:
        if target is None:
            raise
        from zwgk.readers.convert import converted_error

        raise converted_error(e, source, target) from None
    reg = registry if registry is not None else unit_registry()
    built = build(grids, reg, source=name, region=region, year=year)
    plan = built.plan
    if any(t.source is not None and t.source.confidence is not None for t in plan.tasks):
        plan, said = _recognised(plan, reg)
        built = Built(plan, built.layouts, (*built.warnings, *said))
    return built


def _recognised(plan: Plan, registry: UnitRegistry) -> tuple[Plan, list[ReadWarning]]:
    """A plan read (in part) through OCR: misread unit names resolved, numbering checked for sequence
    (each break a warning, returned)."""
    said: list[ReadWarning] = []
    for task, message in sequence_breaks(plan.tasks):
        where = task.source.describe() if task.source is not None else plan.source or ""
        said.append(ReadWarning(f"{where}: {message}: a number misread by OCR, or a row missing"))
    return correct_misreads(plan, registry), said


def load_sample(registry: UnitRegistry | None = None) -> Plan:
    """The bundled sample: the 2020 Tai'an 政务公开 task-breakdown table (143 tasks).

    Positions name the file as ``taian-2020-zwgk-tasks.txt`` (the copy inside the package).
    """
    return read_sample(registry).plan


def read_sample(registry: UnitRegistry | None = None) -> Built:
    """:func:`load_sample` with the layout the builder took (as :func:`read` gives it)."""
    from importlib import resources

    data = (resources.files("zwgk") / "data" / SAMPLE_NAME).read_bytes()
    grid = parse_text(decode_text(data, SAMPLE_NAME), SAMPLE_NAME)
    reg = registry if registry is not None else unit_registry()
    return build([grid], reg, source=SAMPLE_NAME)


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
    """The default registry, plus the units the plan itself says were resolved when it was read
    (:func:`~zwgk.validators.plan_registry`: copied only when the plan resolved a unit it lacks;
    the validators only read it)."""
    return plan_registry(plan, shared_unit_registry())


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
    chosen = select_validators(list(get_validators().values()), select, ignore)
    reg = registry if registry is not None else _registry_for(plan)
    return run(plan, chosen, reg, strict=strict, on_error=plugins.report_error)


def version() -> str:
    """The installed zwgk's version (``zwgk.__version__``)."""
    return __version__
