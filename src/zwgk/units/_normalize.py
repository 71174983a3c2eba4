"""Normalising unit names for matching (never for display).

Two forms are derived from what a cell says:

- :func:`clean_name` is the *display* form of a name nobody registered: layout noise removed
  (spaces of every kind, line breaks, zero-width characters, Excel's ``_x000D_``), nothing else.
- :func:`match_key` is the *matching* form: also folds full/half-width brackets and punctuation,
  maps the separators inside a name (``，`` ``,`` ``；``) to ``、`` and drops doubled or trailing
  ones, so that ``各县(市,区)`` and ``各县（市、区）`` meet.

``UnitRef.as_written`` always keeps the text exactly as written.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "CLOSE",
    "HARD_SEPARATORS",
    "LINE_BREAKS",
    "OPEN",
    "SPACES",
    "clean_name",
    "is_space",
    "match_key",
]

OPEN = "（(〔［[【{｛《〈「『"
CLOSE = "）)〕］]】}｝》〉」』"
#: Separators between unit names in a cell (outside brackets).
HARD_SEPARATORS = frozenset("、，,；;／/")
LINE_BREAKS = "\n\r\u2028\u2029\v\f\x85"
#: Characters that are layout, not text: every Unicode space, line breaks, zero-width characters.
SPACES = frozenset(
    " \t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
    "\u200b\u200c\u200d\u2060\ufeff\u180e" + LINE_BREAKS
)
EXCEL_CR = "_x000D_"

_NOISE_RE = re.compile("(?:" + re.escape(EXCEL_CR) + "|[" + re.escape("".join(sorted(SPACES))) + "])+")
_BRACKET_FOLD = str.maketrans({
    **{c: "(" for c in "（(〔［[【｛{"},
    **{c: ")" for c in "）)〕］]】｝}"},
    **dict.fromkeys("，,；;／/", "、"),
    "：": ":",
})
_DOUBLED_SEP_RE = re.compile("、{2,}")
_SEP_NEAR_BRACKET_RE = re.compile(r"\(、+|、+\)")


def is_space(ch: str) -> bool:
    """True for a character that is layout only (any space, line break or zero-width character)."""
    return ch in SPACES


@lru_cache(maxsize=1 << 16)
def clean_name(text: str) -> str:
    """The display form of a written name: spaces, line breaks, zero-width characters and ``_x000D_`` removed."""
    return _NOISE_RE.sub("", text)


@lru_cache(maxsize=1 << 16)
def match_key(text: str) -> str:
    """The form names are matched on: cleaned, width-folded, brackets and inner separators unified.

    >>> match_key("各县(市,区) ") == match_key("各县（市、区）")
    True
    """
    key = clean_name(text)
    if not key.isascii():
        key = unicodedata.normalize("NFKC", key)
        key = clean_name(key)  # NFKC turns U+3000 and NBSP into ordinary spaces
    key = key.translate(_BRACKET_FOLD)
    if "、" in key:
        key = _DOUBLED_SEP_RE.sub("、", key)
        key = _SEP_NEAR_BRACKET_RE.sub(lambda m: m.group().strip("、"), key)
        key = key.strip("、")
    return key
