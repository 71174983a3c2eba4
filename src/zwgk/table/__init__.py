"""The format-blind core: a :class:`Grid` (what every reader produces) becomes a :class:`~zwgk.model.Plan`.

:mod:`~zwgk.table.grid` holds the table form with its limits, :mod:`~zwgk.table.layout` decides
which column plays which role, and :mod:`~zwgk.table.build` fills categories, headings and unit
cells into tasks. Nothing here knows a file format.

The grid is imported with the package (every reader needs it); layout and builder, which bring in
the unit registry, are imported on first use, so importing a reader (or ``zwgk``) stays quick.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zwgk._lazy import lazy_getattr
from zwgk.table.grid import MAX_COLUMNS, MAX_SPAN, Cell, Grid

if TYPE_CHECKING:
    from zwgk.table.build import Built, SeenLayout, build, build_plan
    from zwgk.table.layout import Column, Layout, detect_layout
    from zwgk.vocabulary import ColumnRole

__all__ = [
    "MAX_COLUMNS",
    "MAX_SPAN",
    "Built",
    "Cell",
    "Column",
    "ColumnRole",
    "Grid",
    "Layout",
    "SeenLayout",
    "build",
    "build_plan",
    "detect_layout",
]

_LAZY = {
    "SeenLayout": "zwgk.table.build",
    "build_plan": "zwgk.table.build",
    "Built": "zwgk.table.build",
    "build": "zwgk.table.build",
    "Column": "zwgk.table.layout",
    "Layout": "zwgk.table.layout",
    "detect_layout": "zwgk.table.layout",
    "ColumnRole": "zwgk.vocabulary",
}


__getattr__ = lazy_getattr("zwgk.table", _LAZY, globals())
