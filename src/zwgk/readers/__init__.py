"""Readers: one per file format, each turning a file into :class:`~zwgk.table.grid.Grid` objects.

A reader knows its format and nothing about tasks; :func:`zwgk.table.build.build_plan` turns the
grids into a plan. Readers are registered through the ``register_readers`` plugin hook.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from attrs import frozen

from zwgk.table import Cell, Grid

__all__ = ["Cell", "Grid", "Reader"]


@frozen
class Reader:
    """A file format zwgk can read.

    :param name: short name (``"docx"``), used by ``zwgk.load(path, format=...)``.
    :param suffixes: file suffixes, lower case with the dot (``(".docx",)``).
    :param read: ``read(path, **options)`` yielding the file's grids.
    :param sniff: ``sniff(head)`` given the first 8 KiB of a file: True when the content is this
        format whatever the suffix says. Optional.
    :param description: one line for ``zwgk plugins``.
    """

    name: str
    suffixes: tuple[str, ...]
    read: Callable[..., Iterable[Grid]]
    sniff: Callable[[bytes], bool] | None = None
    description: str = ""

    def accepts(self, path: str | Path) -> bool:
        return Path(path).suffix.lower() in self.suffixes
