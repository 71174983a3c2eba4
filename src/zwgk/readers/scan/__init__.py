"""Scans and photographed tables: page images read through OCR (the ``ocr`` extra).

A page image goes through three steps of its own before the page stage every PDF page goes
through too: the pixels (:mod:`._pixels`: red seal dropped, skew undone, ruling found by
morphology, text lines found inside the areas the ruling encloses), recognition of those lines
(:mod:`._engine`: RapidOCR's PP-OCRv4 recognition model, batched, no detection pass), and the
characters with their boxes and confidences (:mod:`._read`). Image files (PNG, JPEG, TIFF with
all its pages) are opened under limits (:mod:`._image`: a decompression bomb or a truncated file
is a :class:`~zwgk.readers.scan._image.ScanError`).
"""
from __future__ import annotations

import os
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attrs import evolve

from zwgk.errors import ParseError, Position, ReadWarning, UnsupportedFormatError
from zwgk.hookspecs import hookimpl
from zwgk.readers import Reader, Source
from zwgk.readers.scan._image import DEFAULT_LIMITS, IMAGE_SUFFIXES, ScanError, ScanLimits, sniff_image

if TYPE_CHECKING:
    from zwgk.readers.page import PageInput, PageRead
    from zwgk.readers.scan._engine import Line
    from zwgk.readers.scan._image import PageImage
    from zwgk.readers.scan._read import OcrSettings
    from zwgk.table.document import Document

__all__ = [
    "DEFAULT_LIMITS",
    "IMAGE_SUFFIXES",
    "INSTALL_HINT",
    "ScanError",
    "ScanLimits",
    "available",
    "read_image",
    "read_page_images",
    "read_scan_pages",
    "recognise_pdf_page",
    "sniff_image",
    "with_boxes",
]

#: The one line a scan gets when the ``ocr`` extra is not installed.
INSTALL_HINT = ('reading a scan needs OCR, which is not installed: pip install "zwgk[ocr]" '
                '(from a checkout: pip install ".[ocr]")')
_MODULES = ("cv2", "numpy", "onnxruntime", "PIL", "rapidocr_onnxruntime")


def available() -> bool:
    """Whether the ``ocr`` extra is installed (every package it needs can be imported)."""
    import importlib.util

    return all(importlib.util.find_spec(m) is not None for m in _MODULES)


def _require(where: Position) -> None:
    if not available():
        raise UnsupportedFormatError(INSTALL_HINT, where)


def read_page_images(images: Iterable[PageImage], source: str, settings: OcrSettings | None = None,
                     limits: ScanLimits = DEFAULT_LIMITS,
                     lines: dict[int, Sequence[Line]] | None = None) -> Iterator[PageInput]:
    """Each page image read through OCR, as the page stage's input (in points), one at a time.

    The time limit is checked before each page. ``lines``, when given, collects each page's
    recognised lines (in pixels) by page number.
    """
    from zwgk.readers.scan._read import page_input, read_page_image

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


def read_scan_pages(path: str | Path, limits: ScanLimits = DEFAULT_LIMITS,
                    settings: OcrSettings | None = None, name: str | None = None) -> PageRead:
    """An image file's pages read through OCR and the page stage: its tables and paragraphs.

    ``name`` is the file's name in positions and messages (by default ``path``).
    """
    from zwgk.readers.page import PageSettings, read_pages
    from zwgk.readers.scan._image import image_pages

    source = name if name is not None else str(path)
    _require(Position(file=source))
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


@hookimpl
def register_readers(register: Callable[[Reader], None]) -> None:
    register(Reader("image", IMAGE_SUFFIXES, read_image, sniff_image,
                    "scans and photos of tables: PNG, JPEG, TIFF (needs the ocr extra)"))
