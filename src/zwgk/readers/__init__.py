"""Readers: one per file format, each turning a file (its :class:`Source`) into a :class:`Document`.

A reader knows its format and nothing about tasks: it hands over the file's tables
(:class:`~zwgk.table.grid.Grid`) and body paragraphs as a :class:`Document`, and the format-blind
core (:func:`zwgk.table.document.grids_of`, then :func:`zwgk.table.build.build_plan`) decides the
rest: ``table=``, ``layout=``, tables or paragraphs, the title, every "no table" message. Readers
are registered through the ``register_readers`` plugin hook, the built-in ones too; :func:`choose`
picks the one for a file. Formats zwgk recognises but does not
read (legacy .doc/.wps, RTF, MHT, encrypted .docx) are no readers: :func:`choose` answers them with
the command that converts them, unless an installed plugin reads them.
"""

from __future__ import annotations

import functools
import inspect
import os
import stat
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from attrs import frozen

from zwgk._lazy import lazy_dir, lazy_getattr
from zwgk._options import unknown_options
from zwgk.errors import ParseError, Position, UnsupportedFormatError, cannot_read
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

if TYPE_CHECKING:
    from zwgk.model import Plan
    from zwgk.table.document import Document, Paragraph, ReadLayout
    from zwgk.table.grid import Cell, Grid

__all__ = [
    "CORE_OPTIONS",
    "HEAD_BYTES",
    "Cell",
    "Document",
    "Grid",
    "Paragraph",
    "ReadLayout",
    "Reader",
    "Source",
    "choose",
    "is_ole",
    "is_zip",
    "ole_kind",
]

#: How much of a file :meth:`Source.open` reads for telling its format: every sniffer looks at this.
HEAD_BYTES = 8192
#: The options :func:`zwgk.load` takes for every format and decides itself (never passed to a reader).
CORE_OPTIONS = ("table", "layout")
#: How many readers' options (:meth:`Reader.options`) are kept once read from their signatures.
OPTIONS_CACHED = 256


@frozen
class Source:
    """A file as a reader is given it: where to read it, the name positions give, and its first bytes.

    :func:`zwgk.load` opens the file once to read ``head`` (the first :data:`HEAD_BYTES` bytes),
    chooses the reader by it and hands the reader this. ``name`` is what the reader puts in every
    :class:`~zwgk.errors.Position`: the path as the caller wrote it, or, for a file LibreOffice
    converted, the original's name while ``path`` is the converted copy. A ``Source`` is a path-like
    object (``open(source)``, ``Path(source)`` open ``path``), and ``str(source)`` is ``name``.
    """

    path: Path
    name: str
    head: bytes

    @classmethod
    def open(cls, path: str | os.PathLike[str], name: str | None = None) -> Source:
        """The source of ``path``, its first bytes read (an error naming the file when it cannot be,
        or when it is no regular file: a named pipe would block, a device such as /dev/zero would
        never end)."""
        shown = name if name is not None else os.fspath(path)
        p = Path(path)
        try:
            if not stat.S_ISREG(p.stat().st_mode) and not p.is_dir():
                raise ParseError("not a regular file (a named pipe, a device or a socket), so zwgk does not read it",
                                 Position(file=shown))
            with p.open("rb") as f:
                head = f.read(HEAD_BYTES)
        except FileNotFoundError:
            raise ParseError("no such file", Position(file=shown)) from None
        except OSError as e:
            raise cannot_read(e, shown) from None
        return cls(p, shown, head)

    @classmethod
    def of(cls, source: Source | str | os.PathLike[str]) -> Source:
        """``source`` itself, or the source of a path (for calling a reader directly)."""
        return source if isinstance(source, Source) else cls.open(source)

    @property
    def where(self) -> Position:
        """The position naming the file."""
        return Position(file=self.name)

    def read_bytes(self) -> bytes:
        """The whole file (an error naming the file when it cannot be read)."""
        try:
            return self.path.read_bytes()
        except OSError as e:
            raise cannot_read(e, self.name) from None

    def __fspath__(self) -> str:
        return os.fspath(self.path)

    def __str__(self) -> str:
        return self.name


@frozen
class Reader:
    """A file format zwgk can read.

    :param name: short name (``"docx"``), used by ``zwgk.load(path, format=...)``.
    :param suffixes: file suffixes, lower case with the dot (``(".docx",)``).
    :param read: ``read(source, **options)`` given the file's :class:`Source`, returning its
        :class:`Document` (tables and paragraphs); a format that already holds a finished plan
        (zwgk's own JSON) returns the :class:`~zwgk.Plan` instead. Its keyword parameters are the
        reader's own options (``limits=``); ``table=`` and ``layout=`` are the core's
        (:data:`CORE_OPTIONS`), never passed to it. ``zwgk.load`` refuses any other option, naming it.
        (A reader returning an iterable of grids is read as a document of those tables.)
    :param sniff: ``sniff(head)`` given the first 8 KiB of a file: True when the content is this
        format whatever the suffix says. Optional.
    :param description: one line for ``zwgk plugins``.
    """

    name: str
    suffixes: tuple[str, ...]
    read: Callable[..., Document | Plan | Iterable[Grid]]
    sniff: Callable[[bytes], bool] | None = None
    description: str = ""

    def accepts(self, path: str | Path) -> bool:
        return Path(path).suffix.lower() in self.suffixes

    def options(self) -> tuple[str, ...] | None:
        """The reader's own options: what ``read`` takes after the source; ``None`` when it takes
        any (``**kwargs``). Read from its signature once (every file read asks)."""
        try:
            return _options_of(self.read)
        except TypeError:  # a ``read`` that cannot be hashed, so not kept
            return _options_of.__wrapped__(self.read)

    def check_options(self, options: Mapping[str, object], file: str | None = None) -> None:
        """Raise :class:`~zwgk.errors.ParseError` naming an option neither the core
        (:data:`CORE_OPTIONS`) nor ``read`` takes."""
        own = self.options()
        known = None if own is None else (*CORE_OPTIONS, *own)
        message = unknown_options("reader", self.name, options, known)
        if message is not None:
            raise ParseError(message, Position(file=file))

    def document(self, source: Source, options: Mapping[str, object]) -> Document | Plan:
        """Run ``read`` on ``source`` with the reader's own ``options``: its document (or plan)."""
        from zwgk.model import Plan
        from zwgk.table.document import Document

        result = self.read(source, **options)
        if isinstance(result, (Document, Plan)):
            return result
        return Document(tuple(result))


@functools.lru_cache(maxsize=OPTIONS_CACHED)
def _options_of(read: Callable[..., object]) -> tuple[str, ...] | None:
    """:meth:`Reader.options` of a reader whose ``read`` is ``read`` (kept: inspecting a signature
    costs about as much as the rest of choosing and calling a reader)."""
    params = list(inspect.signature(read).parameters.values())[1:]
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        return None
    return tuple(p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
                 and p.name not in CORE_OPTIONS)


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


_LAZY = {  # what a reader builds, imported on first use: listing the readers needs none of it
    "Cell": "zwgk.table.grid",
    "Grid": "zwgk.table.grid",
    "Document": "zwgk.table.document",
    "Paragraph": "zwgk.table.document",
    "ReadLayout": "zwgk.table.document",
}

__getattr__ = lazy_getattr("zwgk.readers", _LAZY, globals())
__dir__ = lazy_dir(_LAZY, globals())
