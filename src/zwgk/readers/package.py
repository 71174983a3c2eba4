"""Zip packages and their XML, opened safely: the one gate every zip-based format goes through.

.docx today, and any format that is a zip of XML parts (OpenDocument, .xlsx) the same way:

- :func:`open_package` reads only the central directory and checks the number of entries, the total
  uncompressed size and each entry's compression ratio against :class:`ZipLimits`, refusing a zip
  bomb before a byte is inflated;
- :func:`open_member` streams one entry through a counter that stops at the declared size (so a
  lying directory cannot make a reader hold more than the limit), :func:`read_member` reads it whole;
- :func:`parse_xml` and :func:`iterparse` parse XML with entity resolution, DTD loading and network
  access off, and refuse a part whose parser saw a DTD (``<!DOCTYPE``, wherever it stands and
  whatever the encoding): office suites never write one, and its entities could point at files.

Every failure is a :class:`~zwgk.errors.ParseError` naming the file and, where it matters, the entry.
"""

from __future__ import annotations

import contextlib
import itertools
import lzma
import struct
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from attrs import frozen
from lxml import etree

from zwgk.errors import ParseError, Position, cannot_read

__all__ = [
    "DEFAULT_LIMITS",
    "DTD_REFUSED",
    "MEMBER_ERRORS",
    "ZipLimits",
    "check_no_dtd",
    "iterparse",
    "member_error",
    "open_member",
    "open_package",
    "parse_xml",
    "read_member",
]

_MiB = 1024 * 1024

#: What the zip layer raises on a damaged entry: bad deflate/bzip2/LZMA data (``zlib.error``,
#: ``OSError``, ``LZMAError``), a compression method or zip version it does not support
#: (``NotImplementedError``), a bad CRC or header (``BadZipFile``), a truncated stream (``EOFError``)
#: or a bad offset (``ValueError``, ``struct.error``). Each becomes a :class:`ParseError`.
MEMBER_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile, zlib.error, lzma.LZMAError, NotImplementedError, EOFError, OSError,
    ValueError, struct.error, RuntimeError,
)


def member_error(name: str, e: BaseException, where: Position) -> ParseError:
    """The error for a package entry the zip layer cannot inflate, naming the file and the entry."""
    detail = str(e) or type(e).__name__
    return ParseError(
        f"the package entry {name} is damaged and cannot be read ({detail}); open the file in Word "
        "or LibreOffice and save it again",
        where,
    )


@frozen
class ZipLimits:
    """Limits a zip package (.docx, .odt, .xlsx) must stay within before it is opened.

    :param max_entries: most entries (files) in the package. Word writes 10 to 30; images add one each.
    :param max_total_size: most bytes all entries may expand to together.
    :param max_entry_size: most bytes one entry may expand to (``word/document.xml`` of a
        15,000-row table is about 40 MiB).
    :param max_ratio: highest uncompressed/compressed ratio of an entry larger than
        ``ratio_threshold`` bytes. Word XML compresses 5 to 30 times; zip bombs 1,000 times and more.
    :param ratio_threshold: entries smaller than this are not ratio-checked (tiny XML parts
        compress very well and cannot hurt).
    """

    max_entries: int = 10_000
    max_total_size: int = 1024 * _MiB
    max_entry_size: int = 512 * _MiB
    max_ratio: float = 200.0
    ratio_threshold: int = 1 * _MiB


DEFAULT_LIMITS = ZipLimits()


def _damaged(kind: str, e: BaseException, where: Position) -> ParseError:
    return ParseError(
        f"not a readable {kind}: the zip container is damaged or truncated ({e}); "
        "open it in Word or LibreOffice and save it again",
        where,
    )


def open_package(path: Path, limits: ZipLimits = DEFAULT_LIMITS, kind: str = ".docx") -> zipfile.ZipFile:
    """Open ``path`` as a zip package after checking it against ``limits``.

    ``kind`` names the format in messages (``".docx"``, ``".odt"``).
    """
    where = Position(file=str(path))
    try:
        zf = zipfile.ZipFile(path)
    except OSError as e:
        if e.filename is not None:  # the file itself could not be opened
            raise cannot_read(e, path) from None
        raise _damaged(kind, e, where) from None
    except MEMBER_ERRORS as e:
        raise _damaged(kind, e, where) from None
    try:
        _check(zf, limits, where)
    except BaseException:
        zf.close()
        raise
    return zf


def _check(zf: zipfile.ZipFile, limits: ZipLimits, where: Position) -> None:
    infos = zf.infolist()
    if len(infos) > limits.max_entries:
        raise ParseError(
            f"refusing to open: the package has {len(infos)} entries, more than the limit of "
            f"{limits.max_entries} (a zip bomb?); raise ZipLimits.max_entries if the file is genuine",
            where,
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ParseError(
                f"the package entry {info.filename!r} is encrypted; remove the password in Word "
                "(File › Info › Protect Document › Encrypt with Password, clear it) and save again",
                where,
            )
        size = info.file_size
        total += size
        if size > limits.max_entry_size:
            raise ParseError(
                f"refusing to open: entry {info.filename!r} expands to {size:,} bytes, more than the "
                f"limit of {limits.max_entry_size:,} (a zip bomb?); raise ZipLimits.max_entry_size "
                "if the file is genuine",
                where,
            )
        if size > limits.ratio_threshold:
            ratio = size / max(1, info.compress_size)
            if ratio > limits.max_ratio:
                raise ParseError(
                    f"refusing to open: entry {info.filename!r} is compressed {ratio:,.0f} to 1, more "
                    f"than the limit of {limits.max_ratio:,.0f} (a zip bomb?); raise "
                    "ZipLimits.max_ratio if the file is genuine",
                    where,
                )
    if total > limits.max_total_size:
        raise ParseError(
            f"refusing to open: the package expands to {total:,} bytes, more than the limit of "
            f"{limits.max_total_size:,} (a zip bomb?); raise ZipLimits.max_total_size if the file "
            "is genuine",
            where,
        )


class _Bounded:
    """A read-only stream that fails once more than ``limit`` bytes have come through."""

    def __init__(self, raw: IO[bytes], limit: int, name: str, where: Position) -> None:
        self._raw = raw
        self._left = limit
        self._limit = limit
        self._name = name
        self._where = where

    def read(self, n: int = -1) -> bytes:
        try:
            data = self._raw.read(n if n >= 0 else self._left + 1)
        except MEMBER_ERRORS as e:
            raise member_error(self._name, e, self._where) from None
        self._left -= len(data)
        if self._left < 0:
            raise ParseError(
                f"refusing to read on: entry {self._name!r} expands beyond {self._limit:,} bytes",
                self._where,
            )
        return data

    def close(self) -> None:
        with contextlib.suppress(*MEMBER_ERRORS):  # a damaged entry: its read has failed already
            self._raw.close()


def open_member(
    zf: zipfile.ZipFile, name: str, where: Position, limits: ZipLimits = DEFAULT_LIMITS,
    kind: str = "a Word document",
) -> _Bounded:
    """Stream the entry ``name`` of a checked package, never yielding more than its declared size.

    ``kind`` says what a package holding the entry would be, for the error when it has none.
    """
    try:
        info = zf.getinfo(name)
    except KeyError:
        raise ParseError(f"the package has no {name} part: this is not {kind}", where) from None
    try:
        raw = zf.open(info)
    except MEMBER_ERRORS as e:
        raise member_error(name, e, where) from None
    return _Bounded(raw, min(info.file_size, limits.max_entry_size), name, where)


def read_member(
    zf: zipfile.ZipFile, name: str, where: Position, limits: ZipLimits = DEFAULT_LIMITS,
    kind: str = "a Word document",
) -> bytes:
    """The whole of the entry ``name``, read as :func:`open_member` streams it."""
    stream = open_member(zf, name, where, limits, kind)
    try:
        return stream.read()
    finally:
        stream.close()


DTD_REFUSED = (
    "the document XML declares a DTD (<!DOCTYPE), which office suites never write; refusing to read it "
    "(its entities could point at external files)"
)



def check_no_dtd(el: Any, where: Position) -> None:
    """Refuse a part whose parser saw a ``<!DOCTYPE`` (the tree's DTD, not a scan of bytes)."""
    if el is not None and el.getroottree().docinfo.internalDTD is not None:
        raise ParseError(DTD_REFUSED, where)


# Every parser here: no entities resolved, no DTD loaded, nothing fetched over the network.


def parse_xml(data: bytes, where: Position) -> Any:
    """The root element of a small XML part (``_rels/.rels``, ``content.xml`` headers), DTD refused.

    Malformed XML raises lxml's ``XMLSyntaxError`` for the caller to judge.
    """
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    check_no_dtd(root, where)
    return root


def iterparse(
    stream: Any, where: Position, tag: Sequence[str], events: Sequence[str] = ("end",)
) -> Iterator[tuple[str, Any]]:
    """Stream ``(event, element)`` pairs of the ``tag`` elements of a large part, DTD refused first.

    Comments and processing instructions are dropped. The DTD comes before the root, so it is
    refused before the first element reaches the caller (or at the end, for a part with none).
    Malformed XML raises lxml's ``XMLSyntaxError`` for the caller to judge.
    """
    parser = etree.iterparse(stream, events=tuple(events), tag=tuple(tag), remove_comments=True, remove_pis=True,
                             resolve_entities=False, no_network=True, load_dtd=False)
    first = next(parser, None)
    if first is None:
        check_no_dtd(parser.root, where)
        return
    check_no_dtd(first[1], where)
    yield from itertools.chain((first,), parser)
