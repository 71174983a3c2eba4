"""The bridge from page images to the page stage every PDF page goes through too.

Each page image is read (:func:`~zwgk.readers.scan._read.read_page_image`), its characters and
ruling turned into points (:func:`page_input`) and handed to :func:`zwgk.readers.page.read_pages`;
the cells of the tables that come back get the pixel box and confidence of their lines
(:func:`with_boxes`). :func:`read_image` is the reader of image files; a PDF page without a text
layer comes in through :func:`recognise_pdf_page`.
"""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attrs import evolve

from zwgk.errors import ParseError, Position, ReadWarning
from zwgk.readers import Source
from zwgk.readers.page import is_ideograph
from zwgk.readers.scan._extra import require as _require
from zwgk.readers.scan._image import DEFAULT_LIMITS, ScanError, ScanLimits

if TYPE_CHECKING:
    from zwgk.readers.page import PageInput, PageRead, Segment
    from zwgk.readers.scan._engine import Line
    from zwgk.readers.scan._image import PageImage
    from zwgk.readers.scan._read import OcrSettings, ScanPage
    from zwgk.table.document import Document

__all__ = ["RULING_DPI", "page_input", "read_image", "read_page_images", "read_scan_pages", "recognise_pdf_page",
           "ruling_in_images", "with_boxes"]


#: The share of the em square the ink of a line of Chinese characters fills, top to bottom
#: (measured on renders of the corpus: 27 pixels of ink for 10.5 pt at 200 dpi, 0.93).
INK_SHARE = 0.92


def page_input(page: ScanPage) -> PageInput:
    """``page`` as the page stage's :class:`~zwgk.readers.page.PageInput`, in points.

    Pixels are turned into points (1/72 inch) at the page's resolution, so a scanned page reads
    with the same settings as a PDF page, and a PDF whose pages are partly scans reads as one
    document, its tables continued across both kinds of page.

    OCR finds the ink of a line; the page stage, like a PDF's text layer, counts in em squares (a
    glyph's box is its line's ascent to descent, its size the font size). Each line's box is
    grown to the em square its Chinese characters fill :data:`INK_SHARE` of, about its middle; a
    line without a Chinese character (digits, Latin, a lone mark), whose ink says little of the
    size, takes the page's typical em.
    """
    from zwgk.readers.page import Glyph, PageInput, Segment

    k = 72.0 / page.dpi
    cjk = sorted(ln.box[3] - ln.box[1] for ln in page.lines if any(is_ideograph(c.text[:1]) for c in ln.chars))
    typical = cjk[len(cjk) // 2] / INK_SHARE if cjk else None
    glyph_list = []
    for line in page.lines:
        ink = line.box[3] - line.box[1]
        em = ink / INK_SHARE if typical is None or any(is_ideograph(c.text[:1]) for c in line.chars) \
            else max(ink, typical)
        middle = (line.box[1] + line.box[3]) / 2
        top, bottom = middle - em / 2, middle + em / 2
        for c in line.chars:
            glyph_list.append(Glyph(c.text, c.x0 * k, top * k, c.x1 * k, bottom * k, em * k, c.confidence))
    segments = [Segment(r.x0 * k, r.y0 * k, r.x1 * k, r.y1 * k) for r in page.rules]
    return PageInput(page.number, page.width * k, page.height * k, glyph_list, segments)


def read_page_images(images: Iterable[PageImage], source: str, settings: OcrSettings | None = None,
                     limits: ScanLimits = DEFAULT_LIMITS,
                     lines: dict[int, Sequence[Line]] | None = None) -> Iterator[PageInput]:
    """Each page image read through OCR, as the page stage's input (in points), one at a time.

    The time limit is checked before each page. ``lines``, when given, collects each page's
    recognised lines (in pixels) by page number.
    """
    from zwgk.readers.scan._read import read_page_image

    started = time.monotonic()
    for image in images:
        if time.monotonic() - started > limits.max_seconds:
            raise ScanError(f"reading the scan took longer than {limits.max_seconds:g} seconds (max_seconds); "
                            f"stopped before page {image.number}", Position(file=source, page=image.number))
        page = read_page_image(image, settings, source)
        if lines is not None:
            lines[image.number] = page.lines
        yield page_input(page)


def recognise_pdf_page(page: Any, number: int, source: str, settings: OcrSettings | None = None,
                       lines: dict[int, Sequence[Line]] | None = None) -> PageInput:
    """A PDF page without a text layer (a ``pypdfium2`` page), rendered and read through OCR.

    Raises :class:`~zwgk.errors.UnsupportedFormatError` naming the ``ocr`` extra when it is not
    installed. ``lines`` collects the page's recognised lines, as for :func:`read_page_images`.
    """
    from zwgk.readers.scan._image import render_page
    from zwgk.readers.scan._read import OcrSettings as Settings

    _require(Position(file=source, page=number))
    s = settings if settings is not None else Settings()
    return next(read_page_images([render_page(page, number, s.dpi, source)], source, s, DEFAULT_LIMITS, lines))


#: The resolution a PDF page is rendered at to find the ruling drawn in its images (a scan with
#: a text layer): rules are found by their length, so less than OCR needs.
RULING_DPI = 150.0


def ruling_in_images(page: Any, number: int, source: str, turn: int = 0) -> list[Segment]:
    """The table rules a PDF page (a ``pypdfium2`` page) shows in its images, in points as the page
    stage counts them: the ruling of a scan that OCR software gave a text layer, whose vector
    content is text alone. ``turn``: the quarter turns given to the page beyond its ``/Rotate``.

    Raises :class:`~zwgk.errors.UnsupportedFormatError` naming the ``ocr`` extra when it is not
    installed.
    """
    from zwgk.readers.page import Segment
    from zwgk.readers.scan import _pixels
    from zwgk.readers.scan._image import render_page

    _require(Position(file=source, page=number))
    image = render_page(page, number, RULING_DPI, source, turn=turn)
    px = _pixels.PixelSettings(dpi=image.dpi)
    rules, _ = _pixels.ruling(_pixels.ink(_pixels.drop_seal(image.pixels), px), px)
    k = 72.0 / image.dpi
    return [Segment(r.x0 * k, r.y0 * k, r.x1 * k, r.y1 * k) for r in rules]


def read_scan_pages(path: str | Path, limits: ScanLimits = DEFAULT_LIMITS,
                    settings: OcrSettings | None = None, name: str | None = None) -> PageRead:
    """An image file's pages read through OCR and the page stage: its tables and paragraphs.

    ``name`` is the file's name in positions and messages (by default ``path``).
    """
    source = name if name is not None else str(path)
    _require(Position(file=source))
    from zwgk.readers.page import PageSettings, read_pages
    from zwgk.readers.scan._image import image_pages

    lines: dict[int, Sequence[Line]] = {}
    read = read_pages(read_page_images(image_pages(Path(path), limits, source), source, settings, limits, lines),
                      source, PageSettings())
    return with_boxes(read, lines)


def with_boxes(read: PageRead, lines: dict[int, Sequence[Line]]) -> PageRead:
    """``read`` with the cells of pages read through OCR given their pixel box and confidence
    (from the ``lines`` collected by :func:`read_page_images` or :func:`recognise_pdf_page`)."""
    from attrs import evolve

    from zwgk.readers.scan._positions import locate

    if not lines:
        return read
    return evolve(read, tables=tuple(locate(read.tables, lines)))


def read_image(
    source: Source | str | os.PathLike[str],
    *,
    max_pixels: int | None = None,
    max_pages: int | None = None,
    max_seconds: float | None = None,
) -> Document:
    """Read a scan or photo of a task table (PNG, JPEG, TIFF with all its pages) through OCR.

    ``max_pixels=``, ``max_pages=`` and ``max_seconds=`` override single :class:`ScanLimits`.
    """
    from zwgk.table.document import Document as Doc

    src = Source.of(source)
    changes: dict[str, Any] = {}
    for name, value in (("max_pixels", max_pixels), ("max_pages", max_pages), ("max_seconds", max_seconds)):
        if value is None:
            continue
        kind = (int, float) if name == "max_seconds" else int
        if isinstance(value, bool) or not isinstance(value, kind) or value <= 0:
            raise ParseError(f"{name} must be a positive number, not {value!r}", src.where)
        changes[name] = value
    lim = evolve(DEFAULT_LIMITS, **changes) if changes else DEFAULT_LIMITS
    read = read_scan_pages(src.path, lim, name=src.name)
    if not read.chars:
        raise ScanError("no text was found in this image", src.where)
    for message in read.warnings:
        warnings.warn(ReadWarning(message), stacklevel=2)
    return Doc(read.tables, read.paragraphs, kind="scan", tables_are="tables drawn with ruling lines")
