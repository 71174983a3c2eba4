"""Readers: one per file format, each turning a file into :class:`~zwgk.table.grid.Grid` objects.

A reader knows its format and nothing about tasks; :func:`zwgk.table.build.build_plan` turns the
grids into a plan. Readers are registered through the ``register_readers`` plugin hook, the
built-in ones too; :func:`choose` picks the one for a file. Formats zwgk recognises but does not
read (legacy .doc/.wps, RTF, MHT, encrypted .docx) are no readers: :func:`choose` answers them with
the command that converts them, unless an installed plugin reads them.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from attrs import frozen

from zwgk._options import unknown_options
from zwgk.errors import ParseError, Position, UnsupportedFormatError
from zwgk.readers._hints import missing_plugin
from zwgk.readers._sniff import (
    REFUSED_NAMES,
    REFUSED_SUFFIXES,
    is_converted_only,
    is_ole,
    is_zip,
    legacy_error,
    ole_kind,
)
from zwgk.table.grid import Cell, Grid

if TYPE_CHECKING:
    from zwgk.model import Plan

__all__ = ["Cell", "Grid", "Reader", "choose", "is_ole", "is_zip", "ole_kind"]


@frozen
class Reader:
    """A file format zwgk can read.

    :param name: short name (``"docx"``), used by ``zwgk.load(path, format=...)``.
    :param suffixes: file suffixes, lower case with the dot (``(".docx",)``).
    :param read: ``read(path, **options)`` yielding the file's grids; a format that already holds a
        finished plan (zwgk's own JSON) returns the :class:`~zwgk.Plan` instead. Its keyword
        parameters are the reader's options: ``zwgk.load`` refuses any other.
    :param sniff: ``sniff(head)`` given the first 8 KiB of a file: True when the content is this
        format whatever the suffix says. Optional.
    :param description: one line for ``zwgk plugins``.
    """

    name: str
    suffixes: tuple[str, ...]
    read: Callable[..., Iterable[Grid] | Plan]
    sniff: Callable[[bytes], bool] | None = None
    description: str = ""

    def accepts(self, path: str | Path) -> bool:
        return Path(path).suffix.lower() in self.suffixes

    def options(self) -> tuple[str, ...] | None:
        """The names of the options ``read`` takes after the path; ``None`` when it takes any (``**kwargs``)."""
        params = list(inspect.signature(self.read).parameters.values())[1:]
        if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
            return None
        return tuple(p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY))

    def check_options(self, options: Mapping[str, object], file: str | None = None) -> None:
        """Raise :class:`~zwgk.errors.ParseError` naming an option ``read`` does not take."""
        message = unknown_options("reader", self.name, options, self.options())
        if message is not None:
            raise ParseError(message, Position(file=file))


def choose(available: Mapping[str, Reader], path: Path, head: bytes, fmt: str | None = None) -> Reader:
    """The reader for ``path`` (whose first bytes are ``head``): by ``fmt``, else content, else suffix.

    Among readers whose ``sniff`` recognises the content, one claiming the file's suffix comes
    first, then the first registered. A format zwgk only recognises (by name, content or suffix) is
    an :class:`~zwgk.errors.UnsupportedFormatError` with the command that converts it, unless a
    reader claims the suffix and recognises the content.
    """
    where = Position(file=str(path))
    if fmt is not None:
        if fmt in available:
            return available[fmt]
        if fmt in REFUSED_NAMES:
            raise legacy_error(path)
        raise UnsupportedFormatError(f"no reader named {fmt!r}; available: {', '.join(sorted(available))}", where)
    suffix = path.suffix.lower()
    by_suffix = [r for r in available.values() if suffix in r.suffixes]
    sniffed = [r for r in available.values() if r.sniff is not None and r.sniff(head)]
    sniffed.sort(key=lambda r: r not in by_suffix)
    if is_converted_only(head) and not (sniffed and sniffed[0] in by_suffix):
        raise legacy_error(path)
    if sniffed:
        return sniffed[0]
    if by_suffix:
        return by_suffix[0]
    if suffix in REFUSED_SUFFIXES:
        raise legacy_error(path)
    hint = missing_plugin(path, head, set(available))
    if hint is not None:
        raise hint
    known = sorted({s for r in available.values() for s in r.suffixes})
    raise UnsupportedFormatError(f"cannot tell the format of this file; zwgk reads {', '.join(known)}", where)
