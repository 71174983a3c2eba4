"""The registry data files shipped in ``zwgk/data``, each read once and handed out as fresh copies."""

from __future__ import annotations

from functools import cache
from importlib import resources

from zwgk.units._registry import UnitRegistry
from zwgk.units._toml import loads_registry

__all__ = ["DEFAULT_REGISTRY_FILE", "bundled_registry", "default_registry"]

#: The base of every registry: generic collectives, abbreviation rules and open-list words.
DEFAULT_REGISTRY_FILE = "units-default.toml"


@cache
def _bundled(name: str) -> UnitRegistry:
    ref = resources.files("zwgk") / "data" / name
    return loads_registry(ref.read_text(encoding="utf-8"), source=f"zwgk/data/{name}")


def bundled_registry(name: str) -> UnitRegistry:
    """A fresh copy of a registry data file shipped in ``zwgk/data``."""
    return _bundled(name).copy()


def default_registry() -> UnitRegistry:
    """A fresh registry with the generic collectives, abbreviation rules and open-list words."""
    return bundled_registry(DEFAULT_REGISTRY_FILE)
