"""Excel for zwgk, shipped as its own package: a reader and an exporter, the template for plugin authors.

Installing the package registers the ``xlsx`` reader and exporter through the ``zwgk`` entry point
(see ``pyproject.toml``); ``zwgk.load("tasks.xlsx")``, ``zwgk.export(plan, "xlsx", "plan.xlsx")``
and ``zwgk export TABLE.docx -o plan.xlsx`` then use it. The reader is in :mod:`zwgk_xlsx._read`
(merged ranges as spans, formulas kept as written and reported, never evaluated), the exporter in
:mod:`zwgk_xlsx._write` (the layout of the workbook).

zwgk imports this module whenever it loads its plugins, even in a process that only lists what is
registered (the suffixes ``zwgk batch`` walks a folder for): so it imports neither of them. The
reader's and the exporter's functions are registered with :func:`zwgk.plugins.lazy_function`,
imported when first called, and the public names below are imported from their modules on first
use.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import zwgk
from zwgk.exporters import Exporter
from zwgk.plugins import lazy_function
from zwgk.readers import Reader

if TYPE_CHECKING:
    from zwgk_xlsx._read import PREAMBLE_HEADER, PREAMBLE_ROWS, PREAMBLE_SHEET, FormulaWarning, read_xlsx
    from zwgk_xlsx._read import preamble_line as preamble_line
    from zwgk_xlsx._write import MAX_CELL, write_xlsx

__all__ = ["MAX_CELL", "PREAMBLE_HEADER", "PREAMBLE_ROWS", "PREAMBLE_SHEET", "FormulaWarning", "read_xlsx",
           "write_xlsx"]

_WHERE = {  # the public names, and the module each is imported from on first use
    "PREAMBLE_HEADER": "zwgk_xlsx._read",
    "PREAMBLE_ROWS": "zwgk_xlsx._read",
    "PREAMBLE_SHEET": "zwgk_xlsx._read",
    "FormulaWarning": "zwgk_xlsx._read",
    "preamble_line": "zwgk_xlsx._read",
    "read_xlsx": "zwgk_xlsx._read",
    "MAX_CELL": "zwgk_xlsx._write",
    "write_xlsx": "zwgk_xlsx._write",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'zwgk_xlsx' has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


@zwgk.hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    register(Exporter("xlsx", (".xlsx",), lazy_function("zwgk_xlsx._write", "write_xlsx"),
                      "Excel workbook: merged categories, frozen header, autofilter, unit workload sheet"))


@zwgk.hookimpl
def register_readers(register: Callable[[Reader], None]) -> None:
    register(Reader("xlsx", (".xlsx", ".xlsm", ".xltx"), lazy_function("zwgk_xlsx._read", "read_xlsx"),
                    lazy_function("zwgk_xlsx._read", "sniff_xlsx"),
                    "Excel workbooks (.xlsx): the task sheet, merged ranges kept, formulas never evaluated"))
