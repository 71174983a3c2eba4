"""The format-blind core: a :class:`Grid` (what every reader produces) becomes a :class:`~zwgk.model.Plan`.

:mod:`~zwgk.table.grid` holds the table form with its limits, :mod:`~zwgk.table.layout` decides
which column plays which role, and :mod:`~zwgk.table.build` fills categories, headings and unit
cells into tasks. Nothing here knows a file format.
"""

from __future__ import annotations

from zwgk.table.build import SeenLayout, build_plan, recording_layouts
from zwgk.table.grid import MAX_COLUMNS, MAX_SPAN, Cell, Grid
from zwgk.table.layout import Column, Layout, detect_layout
from zwgk.table.roles import ColumnRole

__all__ = [
    "MAX_COLUMNS",
    "MAX_SPAN",
    "Cell",
    "Column",
    "ColumnRole",
    "Grid",
    "Layout",
    "SeenLayout",
    "build_plan",
    "detect_layout",
    "recording_layouts",
]
