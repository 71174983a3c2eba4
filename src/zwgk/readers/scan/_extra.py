"""Whether the ``ocr`` extra is installed, and the one line that says how to install it."""

from __future__ import annotations

import importlib.util

from zwgk.errors import Position, UnsupportedFormatError

__all__ = ["INSTALL_HINT", "available", "require"]

#: The one line a scan gets when the ``ocr`` extra is not installed.
INSTALL_HINT = ('reading a scan needs OCR, which is not installed: pip install ".[ocr]" '
                "(from the root of a zwgk checkout)")
_MODULES = ("cv2", "numpy", "onnxruntime", "PIL", "rapidocr_onnxruntime")


def available() -> bool:
    """Whether the ``ocr`` extra is installed (every package it needs can be imported)."""
    return all(importlib.util.find_spec(m) is not None for m in _MODULES)


def require(where: Position) -> None:
    """Raise the :class:`~zwgk.errors.UnsupportedFormatError` naming the extra when it is missing."""
    if not available():
        raise UnsupportedFormatError(INSTALL_HINT, where)
