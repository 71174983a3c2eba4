"""PDF files (the 全真版 of a task table): read through PDFium (pypdfium2) and the page stage.

Needs the ``pdf`` extra (pypdfium2: PDFium, the engine in Chrome, in the wheel). Each page's glyphs
(with boxes and font sizes), ruling (from path objects) and tags (from the structure tree) are taken
from PDFium (:mod:`._pdfium`) and handed to the page stage (:mod:`zwgk.readers.page`), which knows
nothing of PDFs: tables from the ruling, cells' text rebuilt, tables over several pages joined by
their column edges, and the text outside tables rebuilt into paragraphs (for documents that write
their tasks as paragraphs). Pages are read one at a time and let go before the next.

A scanned page (no text layer), and a page whose fonts give no Unicode for most of its characters
(a PDF made through a PostScript print driver: byte codes where characters should be), are read
as images through OCR where the ``ocr`` extra is installed, and refused naming it where it is not.
Refused, each with a :class:`PdfError`: an encrypted PDF that needs a password, a damaged or
truncated file, and a file over the limits of :class:`PdfLimits` (pages, inflated
stream bytes, objects on a page, seconds), the first two checked before PDFium parses a page.
"""

from __future__ import annotations

import mmap
import os
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from attrs import evolve

from zwgk.errors import ParseError, Position, ReadWarning, UnsupportedFormatError, cannot_read
from zwgk.readers import Document, Source
from zwgk.readers.page import PageInput, PageRead, PageSettings, read_pages
from zwgk.readers.pdf._guard import DEFAULT_LIMITS, PdfLimits, inflated_size
from zwgk.readers.scan import available as ocr_available

__all__ = ["DEFAULT_LIMITS", "OCR_HINT", "PdfError", "PdfLimits", "read_pdf", "sniff_pdf"]

PDF_MAGIC = b"%PDF-"
#: How far into the file the ``%PDF-`` header may stand (some writers put junk before it).
MAGIC_WINDOW = 1024
INSTALL_HINT = 'pypdfium2 is not installed; install zwgk with the pdf extra: pip install "zwgk[pdf]" ' \
               '(from a checkout: pip install ".[pdf]")'
#: What a scanned page needs.
OCR_HINT = 'reading it needs OCR: pip install ".[ocr]" (from a checkout of zwgk)'
#: A page where more than this share of the characters have no Unicode mapping is refused (fewer
#: are left out with a warning).
MAX_UNMAPPED_SHARE = 0.5
_LIMIT_NAMES = ("max_pages", "max_inflated_bytes", "max_page_objects", "max_seconds")


class PdfError(ParseError):
    """A PDF zwgk cannot read: scanned, encrypted, damaged, or over a limit."""


def sniff_pdf(head: bytes) -> bool:
    """``%PDF-`` near the start of the file."""
    return PDF_MAGIC in head[:MAGIC_WINDOW]


def _limits(limits: PdfLimits | None, options: dict[str, Any], where: Position) -> PdfLimits:
    lim = limits if limits is not None else DEFAULT_LIMITS
    changes: dict[str, Any] = {}
    for name in _LIMIT_NAMES:
        if name in options:
            value = options.pop(name)
            kind = (int, float) if name == "max_seconds" else int
            if isinstance(value, bool) or not isinstance(value, kind) or value <= 0:
                raise ParseError(f"{name} must be a positive number, not {value!r}", where)
            changes[name] = value
    if not changes:
        return lim
    return PdfLimits(**{**{n: getattr(lim, n) for n in _LIMIT_NAMES}, **changes})


def read_pdf(
    source: Source | str | os.PathLike[str],
    *,
    limits: PdfLimits | None = None,
    max_pages: int | None = None,
    max_inflated_bytes: int | None = None,
    max_page_objects: int | None = None,
    max_seconds: float | None = None,
    settings: PageSettings | None = None,
) -> Document:
    """Read a PDF's tables (a table over several pages is one) and its paragraphs outside tables.

    :param limits: see :class:`PdfLimits`; ``max_pages=``, ``max_inflated_bytes=``,
        ``max_page_objects=`` and ``max_seconds=`` override single limits.
    :param settings: the page stage's distances (:class:`~zwgk.readers.page.PageSettings`).
    """
    src = Source.of(source)
    where = src.where
    given = {k: v for k, v in (("max_pages", max_pages), ("max_inflated_bytes", max_inflated_bytes),
                               ("max_page_objects", max_page_objects), ("max_seconds", max_seconds))
             if v is not None}
    lim = _limits(limits, given, where)
    read = read_document(src, lim, settings if settings is not None else PageSettings())
    if not read.chars:
        raise PdfError("this PDF holds no text", where)
    for message in read.warnings:
        warnings.warn(ReadWarning(message), stacklevel=2)
    return read.document(kind="PDF", tables_are="tables drawn with ruling lines, or set in columns under a header")


def read_document(src: Source, limits: PdfLimits, settings: PageSettings) -> PageRead:
    """Read a PDF's pages through PDFium into the page stage's tables and paragraphs."""
    source = src.name
    where = src.where
    try:
        import pypdfium2 as pdfium
    except ImportError:
        raise UnsupportedFormatError(INSTALL_HINT, where) from None
    if not sniff_pdf(src.head[:MAGIC_WINDOW]):
        raise PdfError("not a PDF file (a PDF starts with %PDF-)", where)
    inflated = _inflated(src, limits.max_inflated_bytes)
    if inflated > limits.max_inflated_bytes:
        raise PdfError(
            f"the PDF's compressed streams inflate to more than {limits.max_inflated_bytes:,} bytes "
            "(max_inflated_bytes): refusing to read it (a PDF bomb?)",
            where,
        )
    started = time.monotonic()
    try:
        # PDFium reads the file itself, as it needs it: the file's bytes are never all held here.
        doc = pdfium.PdfDocument(Path(src.path))
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower():
            raise PdfError(
                "this PDF is encrypted with a password; open it with the password and save or print "
                "it again as a PDF without one (e.g. qpdf --decrypt --password=… in.pdf out.pdf)",
                where,
            ) from None
        raise PdfError(f"the PDF is damaged or truncated ({_describe(e)})", where) from None
    try:
        count = len(doc)
        if count > limits.max_pages:
            raise PdfError(f"the PDF has {count:,} pages, more than {limits.max_pages:,} (max_pages)", where)
        if count == 0:
            raise PdfError("the PDF is damaged or truncated (it has no pages)", where)
        tagged = _is_tagged(doc)
        lines: dict[int, Any] = {}  # the recognised lines of pages read through OCR, by page
        read = read_pages(_pages(doc, count, source, limits, settings, tagged, started, lines), source, settings,
                          check=lambda page: _check_text_layer(page, source))
        if lines:
            from zwgk.readers.scan import with_boxes

            read = with_boxes(read, lines)
        return read
    finally:
        doc.close()


def _inflated(src: Source, limit: int) -> int:
    """:func:`~zwgk.readers.pdf._guard.inflated_size` of the file, read through a memory map (the
    operating system pages the file in and out: it is not copied into memory whole)."""
    try:
        with open(src.path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return inflated_size(data, limit)
    except ValueError:  # an empty file (emptied since it was opened): nothing to inflate
        return 0
    except OSError as e:
        raise cannot_read(e, src.name) from None


def _is_tagged(doc: Any) -> bool:
    """Whether the document says it is tagged (a /MarkInfo with /Marked true)."""
    import pypdfium2.raw as pdfium_c

    try:
        return bool(pdfium_c.FPDFCatalog_IsTagged(doc.raw))
    except Exception:  # an unusable catalog: read as untagged
        return False


def _pages(doc: Any, count: int, source: str, limits: PdfLimits, settings: PageSettings, tagged: bool,
           started: float, lines: dict[int, Any]) -> Iterator[PageInput]:
    import pypdfium2 as pdfium

    from zwgk.readers.pdf._pdfium import Structure, page_input

    structure = Structure() if tagged else None
    warned: list[int] = []  # pages whose ruling was not looked for in their images
    for i in range(count):
        at = Position(file=source, page=i + 1)
        if time.monotonic() - started > limits.max_seconds:
            raise PdfError(f"reading the PDF took longer than {limits.max_seconds:g} seconds (max_seconds); "
                           f"stopped before page {i + 1}", at)
        try:
            page, unmapped, over_image, turn = page_input(doc, i, settings, tagged, limits.max_page_objects,
                                                          structure)
        except OverflowError:
            raise PdfError(f"the page holds more than {limits.max_page_objects:,} drawing objects "
                           "(max_page_objects): refusing to read it", at) from None
        except pdfium.PdfiumError as e:
            raise PdfError(f"this page of the PDF is damaged ({_describe(e)})", at) from None
        unreadable = False
        if unmapped:
            visible = sum(1 for g in page.glyphs if g.text.strip())
            unreadable = unmapped > MAX_UNMAPPED_SHARE * (unmapped + visible)
            if unreadable and not ocr_available():
                raise PdfError("the PDF's fonts do not say which characters they draw (a PDF made through a "
                               "print driver?), so its text cannot be read: export the PDF again with fonts "
                               f"embedded as Unicode, or read the page as an image; {OCR_HINT}", at)
            if unreadable:
                warnings.warn(ReadWarning(f"{at.describe()}: the fonts do not say which characters they draw "
                                          f"({unmapped} characters): the page was read as an image, through "
                                          "OCR"), stacklevel=2)
            else:
                warnings.warn(ReadWarning(f"{at.describe()}: {unmapped} character(s) whose font gives no "
                                          "Unicode were left out"), stacklevel=2)
        if (unreadable or _is_scan(page)) and ocr_available():  # an image of text: read through OCR
            from zwgk.readers.scan import recognise_pdf_page

            image_page = doc[i]
            try:
                page = recognise_pdf_page(image_page, i + 1, source, lines=lines)
            finally:
                image_page.close()
        elif over_image and any(g.text.strip() for g in page.glyphs):
            page = _ruling_in_images(doc, page, turn, source, at, warned)
        yield page
        del page  # not held while the next page is read


def _ruling_in_images(doc: Any, page: PageInput, turn: int, source: str, at: Position, warned: list[int]) -> PageInput:
    """A page whose text lies over an image (a scan OCR software gave a text layer) with the
    ruling the image shows added to its own (:func:`~zwgk.readers.scan.ruling_in_images`); without
    the ``ocr`` extra, the page as it is, and one warning for the document (``warned`` collects
    the pages) saying that a table's ruling may be in the image."""
    if not ocr_available():
        if not warned:
            warnings.warn(ReadWarning(f"{at.describe()}: the text lies over an image (a scan with a text layer): "
                                      f"the table's ruling may be in the image, and was not looked for; "
                                      f"{OCR_HINT}"), stacklevel=3)
        warned.append(page.number)
        return page
    from zwgk.readers.scan import ruling_in_images

    image_page = doc[page.number - 1]
    try:
        found = ruling_in_images(image_page, page.number, source, turn)
    finally:
        image_page.close()
    return evolve(page, segments=[*page.segments, *found]) if found else page


def _is_scan(page: PageInput) -> bool:
    """The one place a page without a text layer is recognised: images and no visible glyph."""
    return bool(page.images) and not any(g.text.strip() for g in page.glyphs)


def _check_text_layer(page: PageInput, source: str) -> None:
    """A scanned page left without text (no OCR installed, or OCR found none) is refused here."""
    if _is_scan(page):
        if ocr_available():
            raise PdfError("no text layer: this page is a scan (an image of text), and OCR found no text on it",
                           Position(file=source, page=page.number))
        raise PdfError(f"no text layer: this page is a scan (an image of text); {OCR_HINT}",
                       Position(file=source, page=page.number))


def _describe(e: object) -> str:
    text = str(e).strip() or type(e).__name__
    return text if len(text) <= 120 else text[:117] + "..."
