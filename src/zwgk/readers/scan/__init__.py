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

from zwgk.readers.scan._extra import INSTALL_HINT, available
from zwgk.readers.scan._image import DEFAULT_LIMITS, ScanError, ScanLimits, sniff_image
from zwgk.readers.scan._stage import (
    read_image,
    read_page_images,
    read_scan_pages,
    recognise_pdf_page,
    ruling_in_images,
    with_boxes,
)

__all__ = [
    "DEFAULT_LIMITS",
    "INSTALL_HINT",
    "ScanError",
    "ScanLimits",
    "available",
    "read_image",
    "read_page_images",
    "read_scan_pages",
    "recognise_pdf_page",
    "ruling_in_images",
    "sniff_image",
    "with_boxes",
]
