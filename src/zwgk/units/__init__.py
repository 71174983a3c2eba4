"""Units: the registry of canonical names, aliases and collectives, and the reading of unit cells.

What a user of zwgk needs is imported from here: the registry (:class:`UnitRegistry`, the
:class:`ParsedCell` it reads a cell into, the :class:`Marking` saying what a mark on a unit
means, the registries shipped with zwgk), registry files
(:func:`load_registry`, :func:`loads_registry`, :func:`dumps_registry`, :func:`save_registry`)
and the units of a plan (:func:`written_name`, :func:`summarize_units`, :func:`format_summaries`).

The public modules hold the rest, each one idea: :mod:`zwgk.units.shapes` (what a name's beginning
and end say, its level), :mod:`zwgk.units.written` (what a reference says was written: its written
name, the level prefix its note names, lists written back as cells), :mod:`zwgk.units.similar`
(near-duplicate names), :mod:`zwgk.units.misread` (names misread by OCR) and
:mod:`zwgk.units.lineage` (bodies across reforms). The private ones: ``_normalize`` (display and
match forms of a name), ``_abbrev`` (interchangeable spellings), ``_covers`` (what a collective
covers), ``_split`` (cutting a cell into pieces), ``_grammar`` (role words, 等 and the roles of a
cell), ``_registry`` (the store, lookups and cells read against it), ``_regions`` (the region and
level each unit serves), ``_toml`` (registry files), ``_bundled`` (the registries shipped) and
``_summary`` (``zwgk units``).
"""

from zwgk.units._bundled import default_registry
from zwgk.units._grammar import Marking, ParsedCell
from zwgk.units._registry import UnitRegistry
from zwgk.units._summary import UnitSummary, format_summaries, summarize_units
from zwgk.units._toml import dumps_registry, load_registry, loads_registry, save_registry
from zwgk.units.written import written_name

__all__ = [
    "Marking",
    "ParsedCell",
    "UnitRegistry",
    "UnitSummary",
    "default_registry",
    "dumps_registry",
    "format_summaries",
    "load_registry",
    "loads_registry",
    "save_registry",
    "summarize_units",
    "written_name",
]
