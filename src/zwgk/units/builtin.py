"""The built-in ``register_units`` plugin: the registry data shipped with zwgk.

The generic collectives and abbreviation rules are the base of every registry
(:func:`~zwgk.units.default_registry`); this plugin adds the registry of the bundled sample's city
(``zwgk/data/units-taian.toml``), built from the units that table names.
"""

from __future__ import annotations

from zwgk.hookspecs import hookimpl
from zwgk.units._bundled import bundled_registry
from zwgk.units._registry import UnitRegistry

__all__ = ["BUNDLED_REGISTRIES", "register_units"]

#: Registry data files in ``zwgk/data`` merged into the default registry.
BUNDLED_REGISTRIES: tuple[str, ...] = ("units-taian.toml",)


@hookimpl
def register_units(registry: UnitRegistry) -> None:
    for name in BUNDLED_REGISTRIES:
        registry.merge(bundled_registry(name))
