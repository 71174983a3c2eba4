"""Formats another package reads: the error naming the package when it is not installed."""

from __future__ import annotations

from pathlib import Path

from zwgk.errors import Position, UnsupportedFormatError
from zwgk.readers._sniff import is_zip

__all__ = ["XLSX_INSTALL", "XLSX_SUFFIXES", "missing_plugin", "xlsx_missing"]

#: Suffixes of the workbooks the ``zwgk-xlsx`` plugin reads.
XLSX_SUFFIXES = (".xlsx", ".xlsm", ".xltx")
#: How to install the plugin from a zwgk checkout (zwgk is not on a package index yet).
XLSX_INSTALL = "pip install . ./plugins/zwgk-xlsx (from the root of a zwgk checkout)"


def _is_workbook(path: Path, head: bytes) -> bool:
    return path.suffix.lower() in XLSX_SUFFIXES or (is_zip(head) and b"xl/" in head and b"word/" not in head)


def xlsx_missing(path: Path, what: str = "an Excel workbook (.xlsx)") -> UnsupportedFormatError:
    """The error for a workbook read without the ``zwgk-xlsx`` plugin installed."""
    return UnsupportedFormatError(
        f"this is {what}; spreadsheets are read by the zwgk-xlsx plugin, which is not installed: {XLSX_INSTALL}",
        Position(file=str(path)),
    )


def missing_plugin(path: Path, head: bytes, readers: set[str]) -> UnsupportedFormatError | None:
    """The error naming the plugin that would read ``path``, when that plugin is not registered."""
    if "xlsx" not in readers and _is_workbook(path, head):
        return xlsx_missing(path)
    return None
