"""Units: the registry of canonical names, aliases and collectives, and the reading of unit cells.

Rooms, one idea each: ``_normalize`` (display and match forms of a name), ``_abbrev``
(interchangeable spellings), ``_shapes`` (what a name's beginning and end say), ``_covers`` (what a
collective covers), ``_split`` (cutting a cell into pieces), ``_grammar`` (role words, 等 and the
roles of a cell), ``_registry`` (the store and lookups), ``_cells`` (reading cells against a
registry), ``_regions`` (the region and level each unit serves), ``_written`` (the written name of a
unit and lists written back as cells), ``_bundled`` (the registries shipped with zwgk), ``_toml``
(registry files), ``_similar`` (near-duplicate names), ``_summary`` (``zwgk units``). Everything
another package needs is imported from here.
"""

from zwgk.units._abbrev import Abbreviations
from zwgk.units._bundled import bundled_registry, default_registry
from zwgk.units._covers import Covers, parse_covers
from zwgk.units._grammar import ROLE_LABELS, ROLE_VERBS, ParsedCell, elided, note_prefix
from zwgk.units._misread import correct_misreads, misread_of, sequence_breaks
from zwgk.units._normalize import clean_name, match_key
from zwgk.units._regions import same_region
from zwgk.units._registry import UnitRegistry
from zwgk.units._shapes import (
    begins_like_unit,
    collective_level,
    ends_like_unit,
    guess_kind,
    level_of_cells,
    needs_level,
    prevailing_level,
    unit_level,
    written_level,
)
from zwgk.units._similar import SimilarityIndex, SimilarPair, bounded_distance, near_duplicates, similar, suggestions
from zwgk.units._split import Piece, Verdict, split_pieces
from zwgk.units._summary import UnitSummary, format_summaries, summarize_units
from zwgk.units._written import closes_list, list_separators, written_name

__all__ = [
    "ROLE_LABELS",
    "ROLE_VERBS",
    "Abbreviations",
    "Covers",
    "ParsedCell",
    "Piece",
    "SimilarPair",
    "SimilarityIndex",
    "UnitRegistry",
    "UnitSummary",
    "Verdict",
    "begins_like_unit",
    "bounded_distance",
    "bundled_registry",
    "clean_name",
    "closes_list",
    "collective_level",
    "correct_misreads",
    "default_registry",
    "elided",
    "ends_like_unit",
    "format_summaries",
    "guess_kind",
    "level_of_cells",
    "list_separators",
    "match_key",
    "misread_of",
    "near_duplicates",
    "needs_level",
    "note_prefix",
    "parse_covers",
    "prevailing_level",
    "same_region",
    "sequence_breaks",
    "similar",
    "split_pieces",
    "suggestions",
    "summarize_units",
    "unit_level",
    "written_level",
    "written_name",
]
