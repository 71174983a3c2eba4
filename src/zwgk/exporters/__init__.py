"""Exporters: each writes a plan in one format. Registered through ``register_exporters``.

An exporter that cannot hold some characters of the plan (XML forbids most control characters)
replaces them with U+FFFD and reports each replacement as an :class:`ExportWarning` naming the
task and the field; the file it writes is always valid. :class:`TextCleaner` does that for any
exporter, built-in or not.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from typing import BinaryIO

from attrs import frozen

from zwgk.model import Plan, Task

__all__ = ["XML_INVALID", "ExportWarning", "Exporter", "TextCleaner", "WriteFn"]

WriteFn = Callable[..., None]
"""``write(plan, stream, **options)``: write ``plan`` to the binary ``stream``."""

XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 cannot hold (so neither can DOCX or XLSX)."""


class ExportWarning(UserWarning):
    """Something in the plan was written differently from how it is held (the file is still valid)."""


@frozen
class Exporter:
    """An output format.

    :param name: short name (``"markdown"``) used by ``zwgk.export(plan, name, path)``.
    :param suffixes: file suffixes with the dot; the first is the default (``(".md",)``).
    :param write: ``write(plan, stream, **options)`` writing bytes to a binary stream.
    :param description: one line for ``zwgk plugins`` and ``zwgk.exporters()``.
    """

    name: str
    suffixes: tuple[str, ...]
    write: WriteFn
    description: str = ""

    def __call__(self, plan: Plan, stream: BinaryIO, **options: object) -> None:
        self.write(plan, stream, **options)


class TextCleaner:
    """Replace the characters a format cannot hold, remembering where, and report them once.

    ::

        clean = TextCleaner("DOCX")
        cell_text = clean(task.text, task, "text")
        ...
        clean.report()   # one ExportWarning listing every replacement, if there was any
    """

    def __init__(self, format_name: str, pattern: re.Pattern[str] = XML_INVALID,
                 replacement: str = "\ufffd") -> None:
        self.format_name = format_name
        self.pattern = pattern
        self.replacement = replacement
        self.replaced: list[tuple[str, str, int]] = []  # (task id or "plan", field, count)

    def __call__(self, text: str, task: Task | None, field: str) -> str:
        cleaned, n = self.pattern.subn(self.replacement, text)
        if n:
            self.replaced.append((task.id if task is not None else "plan", field, n))
        return cleaned

    def message(self) -> str | None:
        """The report as one line, or ``None`` when nothing was replaced."""
        if not self.replaced:
            return None
        total = sum(n for _, _, n in self.replaced)
        where = "; ".join(f"{tid} {field} ({n})" for tid, field, n in self.replaced[:10])
        more = f"; and {len(self.replaced) - 10} more cells" if len(self.replaced) > 10 else ""
        return (f"{total} character(s) that {self.format_name} cannot hold were replaced with "
                f"{self.replacement!r}: {where}{more}")

    def report(self, stacklevel: int = 3) -> None:
        """Issue one :class:`ExportWarning` when something was replaced."""
        msg = self.message()
        if msg is not None:
            warnings.warn(msg, ExportWarning, stacklevel=stacklevel)
