"""The text outside tables: page furniture told apart, body lines rebuilt into paragraphs.

**Page furniture** is a line in a page's top or bottom margin band (:data:`FURNITURE_BAND` of the
page height) that is a page number (``- 3 -``, ``第 3 页``, ``3/16``), or whose text (digits
aside) stood in the same place of an earlier page (:data:`FURNITURE_SHIFT`): a running header or
footer. It is no text around a table and no paragraph; it is left out and reported once, with the
pages, in a warning. A line a table's reading found its text (:mod:`._aligned`: a serial alone on
its line in the band) is none.

**Paragraphs** are rebuilt from the lines with the same rules as a cell's lines (:mod:`._text`),
the text block's left and right edges standing for the cell's: a line that ends short of the
right edge by more than the next line's first piece needed ends its paragraph, as does a line
before one indented by at least :data:`INDENT` font sizes (首行缩进), starting with closing
punctuation, or standing further below it than the body's wrapped lines of its size stand apart
(space between paragraphs: :func:`~._text.pitches`). A page's last paragraph runs on into the
next page's first when its last line reaches the right edge and the next page's first line is
not indented.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import NamedTuple

from attrs import define, field

from zwgk.errors import Position
from zwgk.readers.page._text import Char, joiner, line_text, paragraphs, pitches, starts_paragraph

__all__ = ["FURNITURE_BAND", "FURNITURE_SHIFT", "INDENT", "PAGE_NUMBER_RE", "Body", "BodyLine", "is_page_number"]

#: A line that is only a page number is page furniture, not text: ``- 3 -``, ``· 3 ·``, ``~3~``,
#: ``第3页``, ``3/16``, ``第3页共16页``, ``第3页/共16页``.
PAGE_NUMBER_RE = re.compile(
    r"^[-—－–~～·\s]*(?:第\s*)?\d{1,5}\s*页?(?:\s*(?:[/／]\s*(?:共\s*)?|[,，]?\s*共\s*)\d{1,5}\s*页?)?[-—－–~～·\s]*$"
)
#: The top and bottom bands of a page (this fraction of its height) where headers and footers stand.
FURNITURE_BAND = 0.1
#: A running header or footer stands where it stood on the page it was first seen, give or take
#: this many font sizes (a line of text that repeats in the band elsewhere is body text).
FURNITURE_SHIFT = 0.5
#: A line starting this many font sizes right of the text block's left edge is indented: it
#: starts a paragraph (首行缩进 is two characters; a converted document's may be less than one).
INDENT = 0.5
_DIGITS = re.compile(r"\d+")


def is_page_number(text: str) -> bool:
    """Whether ``text`` (a line) is only a page number (:data:`PAGE_NUMBER_RE`)."""
    return PAGE_NUMBER_RE.match(text) is not None


def _key(text: str) -> str:
    return _DIGITS.sub("#", re.sub(r"\s+", "", text))


class BodyLine(NamedTuple):
    """A line outside tables as the page gave it (page furniture known so far left out)."""

    top: float
    text: str
    margin: bool  # it stands in the page's top or bottom band (:data:`FURNITURE_BAND`)


@define
class _Line:
    page: int
    top: float
    glyphs: list[Char]
    margin_key: str | None  # the line stands in the margin band: its text with digits as #


@define
class Body:
    """Collects the lines outside tables, page by page."""

    source: str
    lines: list[_Line] = field(factory=list)
    _margin: dict[str, tuple[int, float]] = field(factory=dict)  # margin text key → first page, its top
    furniture: dict[str, list[int]] = field(factory=dict)  # what was left out → pages

    def feed(self, number: int, height: float, glyph_lines: Sequence[tuple[float, list[Char]]],
             keep: Collection[Char] = ()) -> list[BodyLine]:
        """Take a page's lines outside tables; returns them without its furniture. A line whose glyphs
        are in ``keep`` is no furniture, though in the band (a table's serial may stand there: :mod:`._aligned`).

        A running header on the first page it stands on is not known yet: it stays in the returned
        lines (text around a table), and is left out of the paragraphs only.
        """
        band = FURNITURE_BAND * height
        kept: list[BodyLine] = []
        for top, line in glyph_lines:
            vis = [i for i, g in enumerate(line) if g.text.strip()]
            if not vis:
                continue
            glyphs = line[vis[0]:vis[-1] + 1]
            text = line_text(glyphs)
            bottom = max(g.y1 for g in glyphs)
            key: str | None = None
            margin = top < band or bottom > height - band
            if margin and not any(g in keep for g in glyphs):
                if is_page_number(text):
                    self.furniture.setdefault("page numbers", []).append(number)
                    continue
                key = _key(text)
                first, at = self._margin.setdefault(key, (number, top))
                if first != number and abs(top - at) <= FURNITURE_SHIFT * glyphs[0].size:
                    self.furniture.setdefault(text, []).append(number)
                    continue
            kept.append(BodyLine(top, text, margin))
            self.lines.append(_Line(number, top, glyphs, key))
        return kept

    def _running(self, text: str) -> str | None:
        key = _key(text)
        return next((t for t in self.furniture if t != "page numbers" and _key(t) == key), None)

    def is_furniture(self, text: str) -> bool:
        """Whether ``text`` is a running header or footer found so far (on a page after the first
        it stood on)."""
        return self._running(text) is not None

    def left_out(self, text: str, page: int) -> None:
        """Report ``text``, a running header or footer (:meth:`is_furniture`), as left out on ``page`` too."""
        running = self._running(text)
        if running is not None:
            self.furniture[running].append(page)

    def warnings(self) -> list[str]:
        out = []
        for text, pages in self.furniture.items():
            seen = sorted(set(pages))
            shown = ", ".join(str(p) for p in seen[:12]) + ("…" if len(seen) > 12 else "")
            what = "page numbers" if text == "page numbers" else f"the running header or footer 「{text}」"
            out.append(f"{self.source}: {what} left out (page furniture; pages {shown})")
        return out

    def paragraphs(self) -> list[tuple[str, Position]]:
        """The body's paragraphs in reading order, each with its page and its number in the body."""
        repeated = {_key(t) for t in self.furniture}
        out: list[tuple[str, Position]] = []
        by_page: dict[int, list[_Line]] = {}
        for ln in self.lines:
            if ln.margin_key is None or ln.margin_key not in repeated:
                by_page.setdefault(ln.page, []).append(ln)
        for lines in by_page.values():
            lines.sort(key=lambda ln: ln.top)
        # the pitch of a wrapped line, by font size, over the whole body: a paragraph's lines stand
        # closer than two paragraphs' where the writer put space between paragraphs
        pitch = pitches([[ln.glyphs for ln in lines] for lines in by_page.values()])
        runs_on = False
        word_cut = False
        for page, lines in by_page.items():
            left = min(ln.glyphs[0].x0 for ln in lines)
            right = max(ln.glyphs[-1].x1 for ln in lines)
            blocks: list[list[_Line]] = []
            for ln in lines:
                indented = ln.glyphs[0].x0 - left >= INDENT * ln.glyphs[0].size
                if not blocks or indented:
                    blocks.append([ln])
                else:
                    blocks[-1].append(ln)
            for b, block in enumerate(blocks):
                text = paragraphs([ln.glyphs for ln in block], right, 0.0, pitch=pitch)  # an indent is no room left
                paras = text.paras
                first = block[0].glyphs[0]
                if b == 0 and runs_on and out and paras and first.x0 - left < INDENT * first.size \
                        and not starts_paragraph(paras[0], out[-1][0]):
                    before, where = out[-1]
                    out[-1] = (before + joiner(before, paras[0], word_cut) + paras[0], where)
                    paras = paras[1:]
                for p in paras:
                    out.append((p, Position(file=self.source, page=page, line=len(out) + 1)))
                runs_on, word_cut = text.runs_on, text.word_cut
        return out
