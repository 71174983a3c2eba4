"""Units: the registry of canonical names, aliases and collectives, and the cell splitter."""

from zwgk.units._abbrev import Abbreviations
from zwgk.units._normalize import clean_name, match_key
from zwgk.units._registry import (
    ROLE_LABELS,
    ROLE_VERBS,
    ParsedCell,
    UnitRegistry,
    bundled_registry,
    default_registry,
    guess_kind,
)
from zwgk.units._split import Piece, Verdict, begins_like_unit, ends_like_unit, split_pieces

__all__ = [
    "ROLE_LABELS",
    "ROLE_VERBS",
    "Abbreviations",
    "ParsedCell",
    "Piece",
    "UnitRegistry",
    "Verdict",
    "begins_like_unit",
    "bundled_registry",
    "clean_name",
    "default_registry",
    "ends_like_unit",
    "guess_kind",
    "match_key",
    "split_pieces",
]
