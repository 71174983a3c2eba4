"""Limits checked before and while a PDF is parsed.

A PDF bomb is a small file whose compressed streams inflate to gigabytes. Before PDFium reads
anything, every ``stream … endstream`` of the file is inflated here with a bound on the output
(``zlib`` with ``max_length``), so the file is refused after at most the limit has been inflated,
never after it has all been inflated into memory; a stream compressed twice is inflated through
both levels. Streams that are not Flate-compressed, images (PDFium reads text without decoding
them) and encrypted streams (which only PDFium can undo) are not counted.
"""

from __future__ import annotations

import mmap
import re
import zlib

from attrs import frozen

__all__ = ["DEFAULT_LIMITS", "PdfLimits", "inflated_size"]

_STREAM_RE = re.compile(rb"stream\r?\n")
_END = b"endstream"
_CHUNK = 1 << 20
#: Bytes before a stream searched for its dictionary's ``/Image``.
_DICT_WINDOW = 1024
#: Levels of nested Flate compression followed.
_MAX_LEVELS = 2


@frozen
class PdfLimits:
    """What a PDF may hold before zwgk refuses to read it.

    :param max_pages: pages in the document (task tables run to tens of pages).
    :param max_inflated_bytes: the Flate streams of the file inflated, together.
    :param max_page_objects: drawing objects (paths, text, images; inside forms too) on one page.
    :param max_seconds: time spent reading the pages, checked after each page.
    """

    #: Pages: a 300-task table is about 30 pages; a thousand is no task table.
    max_pages: int = 1000
    #: Inflated stream bytes, all streams but images together: a page's content stream holds tens
    #: of kilobytes, fonts a few megabytes (images are not counted: PDFium reads text without them).
    max_inflated_bytes: int = 128 * 1024 * 1024
    #: Drawing objects on one page: a dense table page draws a few thousand (Chromium, one path
    #: per cell border: about 500).
    max_page_objects: int = 50_000
    #: Seconds for the whole document (pages read at about 30 ms each).
    max_seconds: float = 300.0


#: The limits used when the caller gives none (reader options ``max_pages``, ``max_inflated_bytes``,
#: ``max_page_objects``, ``max_seconds`` override them one by one).
DEFAULT_LIMITS = PdfLimits()


def _zlib_header(head: bytes) -> bool:
    return len(head) >= 2 and head[0] & 0x0F == 8 and (head[0] << 8 | head[1]) % 31 == 0


def _is_image(data: bytes | mmap.mmap, start: int) -> bool:
    """Whether the stream starting at ``start`` is an image (its dictionary, just before, says so):
    PDFium decodes images only to draw them, never to read text."""
    head = data[max(0, start - _DICT_WINDOW):start]
    obj = head.rfind(b" obj")
    return b"/Image" in head[obj if obj >= 0 else 0:]


def inflated_size(data: bytes | mmap.mmap, limit: int) -> int:
    """The inflated size of the file's Flate streams (images aside), counted up to ``limit + 1`` at
    most. A stream compressed twice (``/Filter [/FlateDecode /FlateDecode]``) is inflated through
    every level, each level's output counted: what PDFium would hold."""
    total = 0
    pos = 0
    while total <= limit:
        m = _STREAM_RE.search(data, pos)
        if m is None:
            break
        start = m.end()
        end = data.find(_END, start)
        if end < 0:
            end = len(data)
        pos = end + len(_END)
        if not _zlib_header(data[start:start + 2]) or _is_image(data, m.start()):
            continue
        total = _inflate(data[start:end], total, limit, 0)
    return total


def _inflate(buf: bytes, total: int, limit: int, depth: int) -> int:
    """``total`` plus what ``buf`` inflates to (through nested levels), stopping past ``limit``."""
    d = zlib.decompressobj()
    inner: zlib._Decompress | None = None
    first = True
    try:
        while buf and total <= limit:
            out = d.decompress(buf, min(_CHUNK, limit + 1 - total))
            total += len(out)
            buf = d.unconsumed_tail
            if first and out:
                first = False
                if depth < _MAX_LEVELS and _zlib_header(out[:2]):
                    inner = zlib.decompressobj()
            if inner is not None and out:
                chunk = out
                while chunk and total <= limit:
                    more = inner.decompress(chunk, min(_CHUNK, limit + 1 - total))
                    total += len(more)
                    chunk = inner.unconsumed_tail
                    if inner.eof:
                        break
            if d.eof:
                break
    except zlib.error:
        pass
    return total
