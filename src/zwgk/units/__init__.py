"""Units: the registry of canonical names, aliases and collectives, and the cell splitter."""

from zwgk.units._registry import ParsedCell, UnitRegistry, default_registry, guess_kind
from zwgk.units._split import clean_name

__all__ = ["ParsedCell", "UnitRegistry", "clean_name", "default_registry", "guess_kind"]
