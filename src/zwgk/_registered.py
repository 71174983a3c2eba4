"""What the plugins register, looked up: readers, exporters and validators by name, and the unit registry.

The unit registry is the default one with what ``register_units`` plugins add.

Apart from :mod:`zwgk._api` so that a process that only looks at what is registered imports
nothing that reads, builds or validates: the ``zwgk`` command building its parser (the formats its
help names), the parent of ``zwgk batch`` walking a folder (the suffixes the readers claim).
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

from zwgk import plugins
from zwgk.errors import ExportError

if TYPE_CHECKING:
    from zwgk.exporters import Exporter
    from zwgk.readers import Reader
    from zwgk.units import UnitRegistry
    from zwgk.validators import Validator

__all__ = ["get_exporter", "get_exporters", "get_readers", "get_validators", "shared_unit_registry", "unit_registry"]


def _reader_owners() -> dict[str, tuple[Reader, str]]:
    return plugins.collect("register_readers", lambda r: r.name)


def get_readers() -> dict[str, Reader]:
    """The registered readers by name (formats zwgk only recognises, such as .wps and .rtf, are not listed)."""
    return dict(plugins.cached("readers", lambda: {k: v for k, (v, _) in _reader_owners().items()}))


def _exporter_owners() -> dict[str, tuple[Exporter, str]]:
    return plugins.collect("register_exporters", lambda e: e.name)


def get_exporters() -> dict[str, Exporter]:
    """The registered exporters by name (each with its suffixes and description)."""
    return {k: v for k, (v, _) in _exporter_owners().items()}


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


def get_validators() -> dict[str, Validator]:
    """The registered validators by code, in registration order (built-ins first)."""
    return dict(plugins.cached("validators", lambda: {
        k: v for k, (v, _) in plugins.collect("register_validators", lambda v: v.code).items()}))


def _build_unit_registry() -> UnitRegistry:
    from zwgk.units import default_registry

    reg = default_registry()
    plugins.call_each("register_units", registry=reg)
    return reg


def unit_registry() -> UnitRegistry:
    """A fresh copy of the default unit registry, with what ``register_units`` plugins add."""
    return shared_unit_registry().copy()


def shared_unit_registry() -> UnitRegistry:
    """The default unit registry itself, not a copy: to be read only (the validators check plans
    against it). Whatever may add to a registry (reading a plan learns its units) takes
    :func:`unit_registry`'s copy; copying it for every plan checked would cost a batch about 1%."""
    return plugins.cached("unit_registry", _build_unit_registry)
