"""Exceptions raised by zwgk.

Every error zwgk raises on purpose is a :class:`ZwgkError`. Errors about input carry the position
they refer to (file, table, row, column, line) and render it in ``str(error)`` so that a command
line tool can print the error as one readable line.
"""

from __future__ import annotations

import os

from attrs import frozen

__all__ = [
    "ExportError",
    "LayoutError",
    "ParseError",
    "PluginError",
    "Position",
    "ReadWarning",
    "UnitError",
    "UnsupportedFormatError",
    "ZwgkError",
    "cannot_read",
    "no_table",
]


@frozen
class Position:
    """Where something is in a source document.

    ``row`` and ``column`` are 1-based positions in the table (the header row counts); ``line`` is the
    1-based line in a text file; ``page`` the 1-based page of a PDF (where a table's cell was drawn,
    the page it starts on for a cell over several pages). Any of them may be unknown.

    Text recognised from an image (a scan, read through OCR) also has ``box``, where it stands on
    the page image in pixels (left, top, right, bottom), and ``confidence``, how sure the
    recogniser was of its least sure character (0 to 1); both are ``None`` for text read from a
    file's own text.

    A table that is a workbook's sheet also has ``sheet``, the sheet's name as its tab shows it:
    ``table`` is then the sheet's number (what ``table=N`` selects), and both are said
    (``plan.xlsx, sheet 2 「任务分解」, row 5, column 3``).
    """

    file: str | None = None
    table: int | None = None
    row: int | None = None
    column: int | None = None
    line: int | None = None
    page: int | None = None
    box: tuple[int, int, int, int] | None = None
    confidence: float | None = None
    sheet: str | None = None

    def describe(self) -> str:
        """A short human description such as ``plan.txt, line 12, row 3, column 2``
        (``plan.pdf, page 4, table 1, row 30, column 3``; ``plan.xlsx, sheet 2 「任务分解」, row 5``)."""
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.box is not None:
            parts.append("box ({}, {}, {}, {})".format(*self.box))
        if self.sheet is not None:
            number = f" {self.table}" if self.table is not None else ""
            parts.append(f"sheet{number} 「{self.sheet}」")
        elif self.table is not None:
            parts.append(f"table {self.table}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        return ", ".join(parts)


class ZwgkError(Exception):
    """Base class of every error raised by zwgk on purpose."""

    def __init__(self, message: str, position: Position | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position

    def __str__(self) -> str:
        where = self.position.describe() if self.position else ""
        return f"{where}: {self.message}" if where else self.message


class ParseError(ZwgkError):
    """The input could not be read as a table (empty, binary, truncated, no table, ...)."""


class UnsupportedFormatError(ParseError):
    """The input is in a format zwgk cannot read (with a hint on how to convert it)."""


class LayoutError(ParseError):
    """A table was found but its columns could not be mapped to task roles."""


class UnitError(ZwgkError):
    """A unit cell or registry file could not be understood."""


class ExportError(ZwgkError):
    """A plan could not be written in the requested format."""


class PluginError(ZwgkError):
    """A plugin is misbehaving: a hook raised, or two plugins registered the same name."""


class ReadWarning(UserWarning):
    """Something in the input that the plan does not hold, said where it is (for example a category
    row with no task under it). The command line prints each as ``zwgk: warning: ...``."""


def cannot_read(error: OSError, file: str | os.PathLike[str]) -> ParseError:
    """The error for a file the operating system would not let zwgk read (its reason kept)."""
    return ParseError(f"cannot read file: {error.strerror or error}", Position(file=str(file)))


def bad_table_number(table: object, where: Position) -> ParseError | None:
    """The error for a ``table=`` option that is not a whole number from 1 up, else ``None``."""
    if table is None or (isinstance(table, int) and not isinstance(table, bool) and table >= 1):
        return None
    return ParseError(f"table must be a number from 1 up, not {table!r}", where)


def _tables(found: int, noun: str = "table") -> str:
    return f"no {noun}" if found == 0 else f"one {noun}" if found == 1 else f"{found} {noun}s"


def no_table(number: object, found: int, where: Position, container: str, noun: str = "table") -> ParseError:
    """The error for ``table=number`` when the ``container`` (``"this document"``) holds ``found`` tables.

    ``noun`` names what ``table=N`` counts there (a workbook's ``"sheet"``).
    """
    return ParseError(f"{container} has {_tables(found, noun)}; there is no table {number!r}", where)
