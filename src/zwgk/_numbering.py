"""Numbering styles of headings and serials: 一、 （一） 1. （1） ① 第一 ..."""

from __future__ import annotations

import re

__all__ = ["CATEGORY_STYLES", "ITEM_STYLES", "numbering_style", "parse_number", "split_numbering", "strip_numbering"]

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CIRCLED = {chr(0x2460 + i): i + 1 for i in range(20)}  # ① .. ⑳

_CN = "零〇一二两三四五六七八九十百千"
# (style, pattern); the number is group "n". Order matters: the first match wins.
_STYLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cn-paren", re.compile(rf"^[（(]\s*(?P<n>[{_CN}]+)\s*[）)]\s*")),
    ("cn-dun", re.compile(rf"^(?P<n>[{_CN}]+)\s*[、.．]\s*")),
    ("cn-di", re.compile(rf"^第(?P<n>[{_CN}\d]+)[条项部分章节]?[、.．，,：:\s]*")),
    ("arabic-paren", re.compile(r"^[（(]\s*(?P<n>\d+)\s*[）)]\s*")),
    ("arabic-dot", re.compile(r"^(?P<n>\d+)\s*(?:[.．、]|\s)(?!\d)\s*")),
    ("circled", re.compile(r"^(?P<n>[\u2460-\u2473])\s*")),
)
#: Styles that number categories (一、 （一） 第一部分): a heading over several items.
CATEGORY_STYLES = frozenset({"cn-dun", "cn-paren", "cn-di"})
#: Styles that number items within a category (1. （1） ①).
ITEM_STYLES = frozenset({"arabic-dot", "arabic-paren", "circled"})

# Any of the styles, in one pattern (the rest of the text must not be empty, as for split_numbering).
_ANY = re.compile("|".join(f"(?:{p.pattern[1:].replace('(?P<n>', '(')})" for _, p in _STYLES))
_BARE = re.compile(rf"^\s*(?:(?P<a>\d+)|(?P<c>[{_CN}]+))\s*$")


def _cn_to_int(s: str) -> int | None:
    total, current = 0, 0
    for ch in s:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[ch]
            current = 0
        else:
            return None
    return total + current


def _to_int(s: str) -> int | None:
    if s.isdecimal():
        return int(s)
    if s in _CIRCLED:
        return _CIRCLED[s]
    return _cn_to_int(s)


def split_numbering(text: str) -> tuple[str | None, str | None, str]:
    """Split a leading number off ``text``: ``(style, numbering as written, rest)``.

    >>> split_numbering("（三）推进管理和服务公开")
    ('cn-paren', '（三）', '推进管理和服务公开')
    >>> split_numbering("推进管理和服务公开")
    (None, None, '推进管理和服务公开')
    """
    stripped = text.lstrip()
    for style, pattern in _STYLES:
        m = pattern.match(stripped)
        if m and m.end() < len(stripped):
            return style, stripped[: m.end()].rstrip(), stripped[m.end():]
    return None, None, text


def strip_numbering(text: str) -> str:
    """``text`` without its leading number, as :func:`split_numbering` finds it (one pattern: faster)."""
    if _ANY.match(text.lstrip()) is None:
        return text
    return split_numbering(text)[2]


def numbering_style(text: str) -> str | None:
    """The numbering style a heading starts with (``"cn-dun"`` for 一、, ...), or ``None``."""
    return split_numbering(text)[0]


def parse_number(text: str) -> int | None:
    """The number a serial or heading starts with: ``"12"`` → 12, ``"（三）…"`` → 3, ``"①"`` → 1."""
    m = _BARE.match(text)
    if m:
        return int(m["a"]) if m["a"] else _cn_to_int(m["c"])
    stripped = text.strip()
    for _, pattern in _STYLES:
        m = pattern.match(stripped + " ")
        if m:
            return _to_int(m["n"])
    return None
