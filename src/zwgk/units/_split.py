"""Splitting a unit cell (``市司法局、各县（市、区）``) into the names it lists.

The splitter works on the text as written and never rewrites a name: each piece keeps the exact
characters of the cell (``as_written``); the clean name used for matching is derived from it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from attrs import frozen

__all__ = ["Piece", "clean_name", "ends_like_unit", "split_pieces"]

OPEN = "（(〔［[【{｛《〈"
CLOSE = "）)〕］]】}｝》〉"
SEPARATORS = frozenset("、，,；;／/")
LINE_BREAKS = "\n\r\u2028\u2029\v\f"
_SPACE_RE = re.compile(r"[\s\u3000\u00a0\u200b\u200c\u200d\u2060\ufeff]+")

# A complete unit name ends with one of these (longest first where it matters).
UNIT_SUFFIXES: tuple[str, ...] = (
    "部门（单位）", "部门(单位)", "（单位）", "(单位)", "（市、区）", "(市、区)", "（市区）",
    "办公室", "委员会", "人民政府", "政府", "中心", "公司", "集团", "学院", "大学", "学校", "医院",
    "局", "委", "办", "院", "所", "站", "队", "会", "社", "部", "厅", "处", "科", "室", "馆", "行",
    "团", "组", "台", "署", "庭", "司", "厂", "场", "校", "园", "区", "县", "市", "街道", "镇", "乡",
    "部门", "单位", "机关", "机构", "系统", "企业",
)


@frozen
class Piece:
    """One name-sized piece of a cell: the exact text, and whether a trailing 等 closed it."""

    as_written: str
    start: int  # offset of the piece in the cell text


def clean_name(text: str) -> str:
    """The name without layout noise: whitespace and line breaks removed, ``_x000D_`` dropped."""
    return _SPACE_RE.sub("", text.replace("_x000D_", ""))


def ends_like_unit(text: str) -> bool:
    """True when ``text`` (cleaned) ends the way a complete unit name does."""
    name = clean_name(text)
    if name.endswith("等"):
        name = name[:-1]
    return bool(name) and name.endswith(UNIT_SUFFIXES)


def split_pieces(
    text: str,
    is_complete: Callable[[str], bool] = ends_like_unit,
) -> tuple[list[Piece], list[str]]:
    """Split a cell into pieces at separators outside brackets and at line breaks between names.

    A line break splits only when the text before it (since the last split) is a complete unit name
    by ``is_complete``; otherwise it is a break inside a name (市自然资源和⏎规划局) and joins.
    Returns the pieces (empty ones dropped) and warnings (e.g. unbalanced brackets).
    """
    warnings: list[str] = []
    pieces: list[Piece] = []
    depth = 0
    start = 0
    i = 0
    n = len(text)

    def flush(end: int) -> None:
        chunk = text[start:end]
        if clean_name(chunk):
            lead = len(chunk) - len(chunk.lstrip())
            pieces.append(Piece(chunk.strip(), start + lead))

    while i < n:
        ch = text[i]
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            if depth == 0:
                warnings.append(f"unbalanced closing bracket {ch!r} at offset {i}")
            else:
                depth -= 1
        elif depth == 0 and ch in SEPARATORS:
            flush(i)
            start = i + 1
        elif ch in LINE_BREAKS:
            current = text[start:i]
            rest = text[i + 1:].lstrip()
            if depth > 0:
                pass  # a break inside brackets never separates
            elif clean_name(current) and rest and is_complete(current):
                flush(i)
                start = i + 1
        i += 1
    if depth > 0:
        warnings.append(f"unbalanced opening bracket: {depth} not closed")
    flush(n)
    return pieces, warnings
