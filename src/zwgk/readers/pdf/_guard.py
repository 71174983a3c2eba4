"""Limits checked before a PDF is parsed, and pdfminer's exceptions turned into zwgk errors.

A PDF bomb is a small file whose compressed streams inflate to gigabytes. Before pdfminer reads
anything, every ``stream … endstream`` of the file is inflated here with a bound on the output
(``zlib`` with ``max_length``), so the file is refused after at most the limit has been inflated,
never after it has all been inflated into memory. Streams that are not Flate-compressed (or are
encrypted, which only pdfminer can undo) are not counted.
"""

from __future__ import annotations

import re
import zlib

from attrs import frozen

__all__ = ["DEFAULT_LIMITS", "PdfLimits", "inflated_size"]

_STREAM_RE = re.compile(rb"stream\r?\n")
_END = b"endstream"
_CHUNK = 1 << 20


@frozen
class PdfLimits:
    """What a PDF may hold before zwgk refuses to read it.

    :param max_pages: pages in the document (task tables run to tens of pages).
    :param max_inflated_bytes: the Flate streams of the file inflated, together.
    :param max_seconds: time spent reading the pages, checked after each page.
    """

    #: Pages: a 300-task table is about 30 pages; a thousand is no task table.
    max_pages: int = 1000
    #: Inflated stream bytes, all streams together: text-only pages hold tens of kilobytes each,
    #: fonts a few megabytes.
    max_inflated_bytes: int = 512 * 1024 * 1024
    #: Seconds for the whole document (pages read at about 30 ms each).
    max_seconds: float = 300.0


#: The limits used when the caller gives none (reader options ``max_pages``, ``max_inflated_bytes``,
#: ``max_seconds`` override them one by one).
DEFAULT_LIMITS = PdfLimits()


def inflated_size(data: bytes, limit: int) -> int:
    """The inflated size of the file's Flate streams, counted up to ``limit + 1`` at most."""
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
        if start >= len(data) or data[start] & 0x0F != 8:  # no zlib header (CM = 8, deflate)
            continue
        d = zlib.decompressobj()
        buf = data[start:end]
        try:
            while buf and total <= limit:
                out = d.decompress(buf, min(_CHUNK, limit + 1 - total))
                total += len(out)
                buf = d.unconsumed_tail
                if d.eof:
                    break
        except zlib.error:
            continue
    return total
