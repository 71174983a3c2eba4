"""Splitting a unit cell (``市司法局、各县（市、区）``) into the names it lists.

The splitter works on the text as written and never rewrites it: each :class:`Piece` is a span of
the cell (``as_written`` is ``text[start:end]``), trimmed of layout noise at both ends.

A cell is cut in two steps:

1. at *hard* separators (``、 ， , ； ; ／ /``) outside brackets, brackets nested to any depth
   (full- and half-width alike; an unmatched bracket is reported and then ignored);
2. inside each part, at *soft* boundaries, runs of spaces or line breaks outside brackets, which
   may separate two names (``市行政审批服务局⏎市公共资源交易中心``) or sit inside one
   (``市自然资源和⏎规划局``). Every way of cutting at the soft boundaries is a *reading*; the
   reading chosen is the best by, in order: every piece resolves in the registry; fewest pieces
   that are not complete unit names; fewest cuts before a piece that does not begin like a unit
   name; most pieces that resolve; most pieces. A cut at a line break between two complete
   names is not counted against a reading when the name before it is a section, a body with no
   bodies of its own written after it (:func:`~zwgk.units.shapes.is_section`: 法规科, 信息站, 办公室
   alone): a cell listing one section a line (``办公室⏎法规科``) lists two units, though 法规科
   does not begin like a name of any level, where ``市政府⏎办公室`` is one name.

How a piece is judged (resolves, complete, begins like a name) is passed in as a :class:`Judge`,
so that the registry can bring what it knows; :func:`generic_judge` knows only name shapes
(:mod:`~zwgk.units.shapes`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from attrs import frozen

from zwgk.units._normalize import CLOSE, EXCEL_CR, HARD_SEPARATORS, OPEN, SPACES, clean_name
from zwgk.units.shapes import begins_like_unit, ends_like_unit, is_section

__all__ = ["Judge", "Piece", "Verdict", "generic_judge", "split_pieces", "split_spans"]

_MAX_EXHAUSTIVE = 10  # soft boundaries in one part beyond which readings are chosen greedily


@frozen
class Verdict:
    """How a piece of text looks as a unit name."""

    resolves: bool  # the registry knows it
    complete: bool  # it ends like a unit name
    begins: bool  # it begins like a unit name
    section: bool = False  # it names a section (法规科): what follows it on a new line is another unit


Judge = Callable[[str], Verdict]


@frozen
class Piece:
    """One name-sized span of a cell: ``as_written == text[start:end]``."""

    as_written: str
    start: int
    end: int


def generic_judge(text: str) -> Verdict:
    """A judge that knows no registry: only the shapes of names."""
    return Verdict(False, ends_like_unit(text), begins_like_unit(text), is_section(text))


_BRACKET_RE = re.compile("[" + re.escape(OPEN + CLOSE) + "]")
_NOISE_RE = re.compile("(?:" + re.escape(EXCEL_CR) + "|[" + re.escape("".join(sorted(SPACES))) + "])+")
# What the scanner stops at: a bracket, a separator, or a run of layout noise.
_TOKEN_RE = re.compile(
    "[" + re.escape(OPEN + CLOSE + "".join(sorted(HARD_SEPARATORS))) + "]|" + _NOISE_RE.pattern
)

# Layout noise that ends a line (a paragraph or line break in the cell, Excel's escaped CR).
_LINE_BREAK_RE = re.compile("[\n\r\v\f\u2028\u2029]|" + re.escape(EXCEL_CR))

_Part = tuple[int, int, list[tuple[int, int]]]  # start, end, segments


def _matched_brackets(text: str, warnings: list[str]) -> set[int]:
    """Offsets of the brackets that pair up (any opening with any closing); the others are reported."""
    stack: list[int] = []
    matched: set[int] = set()
    for m in _BRACKET_RE.finditer(text):
        i = m.start()
        if text[i] in OPEN:
            stack.append(i)
        elif stack:
            matched.add(stack.pop())
            matched.add(i)
        else:
            warnings.append(f"unmatched closing bracket {text[i]!r} at offset {i} in {_excerpt(text)}")
    for i in stack:
        warnings.append(f"unmatched opening bracket {text[i]!r} at offset {i} in {_excerpt(text)}")
    return matched


def _scan(text: str, warnings: list[str]) -> list[_Part]:
    """The hard parts of a cell, each with its segments (text between noise outside brackets)."""
    matched = _matched_brackets(text, warnings) if _BRACKET_RE.search(text) else set()
    parts: list[_Part] = []
    segments: list[tuple[int, int]] = []
    part_start = seg_start = 0
    depth = 0
    for m in _TOKEN_RE.finditer(text):
        i, j = m.span()
        ch = text[i]
        if ch in OPEN:
            depth += i in matched
        elif ch in CLOSE:
            depth -= i in matched
        elif depth:
            continue
        elif ch in HARD_SEPARATORS:
            if i > seg_start:
                segments.append((seg_start, i))
            parts.append((part_start, i, segments))
            segments = []
            part_start = seg_start = j
        else:  # layout noise
            if i > seg_start:
                segments.append((seg_start, i))
            seg_start = j
    if len(text) > seg_start:
        segments.append((seg_start, len(text)))
    parts.append((part_start, len(text), segments))
    return parts


def _excerpt(text: str, limit: int = 30) -> str:
    flat = clean_name(text)
    return repr(flat if len(flat) <= limit else flat[:limit] + "…")


def split_pieces(
    text: str,
    judge: Judge = generic_judge,
    joinable: Callable[[str], bool] | None = None,
) -> tuple[list[Piece], list[str]]:
    """Split a cell into name-sized pieces; returns the pieces and warnings.

    ``joinable(span)`` may say that a span holding hard separators is nevertheless one registered
    name; such spans are kept whole.
    """
    spans, warnings = split_spans(text, judge, joinable)
    return [Piece(text[s:e], s, e) for s, e in spans], warnings


def split_spans(
    text: str,
    judge: Judge = generic_judge,
    joinable: Callable[[str], bool] | None = None,
) -> tuple[list[tuple[int, int]], list[str]]:
    """:func:`split_pieces` as ``(start, end)`` offsets only."""
    warnings: list[str] = []
    if not text:
        return [], warnings
    parts = _scan(text, warnings)
    if joinable is not None and len(parts) > 1:
        parts = _join_registered(text, parts, joinable)
    spans: list[tuple[int, int]] = []
    for _a, _b, segments in parts:
        if len(segments) == 1:
            spans.append(segments[0])
        elif segments:
            spans.extend(_choose(text, segments, judge))
    if not spans and not _NOISE_RE.fullmatch(text):
        warnings.append(f"no unit name in {_excerpt(text)}: only separators")
    return spans, warnings


def _join_registered(text: str, parts: list[_Part], joinable: Callable[[str], bool]) -> list[_Part]:
    """Keep together neighbouring parts whose text (separators included) is one registered name."""
    out: list[_Part] = []
    i = 0
    while i < len(parts):
        for width in (3, 2):
            j = i + width - 1
            if j < len(parts) and parts[i][2] and parts[j][2]:
                first, last = parts[i][2][0][0], parts[j][2][-1][1]
                if joinable(text[first:last]):
                    out.append((parts[i][0], parts[j][1], [(first, last)]))
                    i = j + 1
                    break
        else:
            out.append(parts[i])
            i += 1
    return out


def _choose(text: str, segments: list[tuple[int, int]], judge: Judge) -> list[tuple[int, int]]:
    """The best reading of one hard part: which soft boundaries between ``segments`` cut."""
    n = len(segments)
    if n == 1:
        return segments
    cache: dict[tuple[int, int], Verdict] = {}

    def verdict(i: int, j: int) -> Verdict:
        v = cache.get((i, j))
        if v is None:
            v = cache[(i, j)] = judge(text[segments[i][0]:segments[j][1]])
        return v

    def spans(cuts: tuple[bool, ...]) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        first = 0
        for k, cut in enumerate(cuts):
            if cut:
                out.append((first, k))
                first = k + 1
        out.append((first, n - 1))
        return out

    # whether the boundary after segment k is a line break (rather than spaces only)
    line_break = [_LINE_BREAK_RE.search(text, segments[k][1], segments[k + 1][0]) is not None for k in range(n - 1)]

    def score(cuts: tuple[bool, ...]) -> tuple[bool, int, int, int, int]:
        groups = spans(cuts)
        vs = [verdict(i, j) for i, j in groups]
        all_resolved = all(v.resolves for v in vs)
        incomplete = sum(1 for v in vs if not (v.resolves or v.complete))
        bad_cuts = sum(1 for g, v, before in zip(groups[1:], vs[1:], vs, strict=False)
                       if not (v.resolves or v.begins or (line_break[g[0] - 1] and v.complete and before.section)))
        resolved = sum(1 for v in vs if v.resolves)
        return (all_resolved, -incomplete, -bad_cuts, resolved, len(groups))

    if n - 1 <= _MAX_EXHAUSTIVE:
        best = max(itertools.product((False, True), repeat=n - 1), key=score)
    else:
        # Greedy: cut where the text so far is a complete name and what follows begins one.
        cuts: list[bool] = []
        first = 0
        for k in range(n - 1):
            left = verdict(first, k)
            right = verdict(k + 1, k + 1)
            cut = (left.resolves or left.complete) and (
                right.resolves or right.begins or (line_break[k] and right.complete and left.section))
            cuts.append(cut)
            if cut:
                first = k + 1
        best = tuple(cuts)
    return [(segments[i][0], segments[j][1]) for i, j in spans(best)]
