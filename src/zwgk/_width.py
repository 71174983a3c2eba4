"""The width of text in a terminal: East Asian wide and full-width characters take two columns."""

from __future__ import annotations

import unicodedata

__all__ = ["display_width", "pad"]


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes (中 counts 2, ``a`` counts 1).

    >>> display_width("市财政局 A")
    10
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    """``text`` followed by spaces up to ``width`` terminal columns."""
    return text + " " * (width - display_width(text))
