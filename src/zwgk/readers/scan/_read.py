"""One page image in, the characters and ruling of the page out: what the page stage reads.

The steps, each in :mod:`~zwgk.readers.scan._pixels` or :mod:`~zwgk.readers.scan._engine`:
red seal dropped → ink → skew measured and undone → ruling found → text lines found in the
regions the ruling encloses → lines recognised in batches → each line's characters, with their
boxes and confidences, as glyphs. Page furniture (page numbers, running headers and footers) is
read like any text and left to the page stage, which tells it apart and reports it as it does a
PDF's (:mod:`zwgk.readers.page._body`).

A comma, colon, semicolon, bracket, question or exclamation mark beside Chinese characters takes
the form its measured width says (:attr:`~zwgk.readers.scan._engine.Char.wide`: the recogniser
often takes ``,`` for ``，`` and back), or, where it could not be measured, its full-width form
(what a Chinese document writes there); spaces are left to the page stage, which decides them
from the gaps.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import TYPE_CHECKING

from attrs import field, frozen

from zwgk.errors import Position, ReadWarning
from zwgk.readers.scan import _pixels
from zwgk.readers.scan._engine import Char, EngineSettings, Line, recogniser
from zwgk.readers.scan._image import PageImage
from zwgk.readers.scan._pixels import Box, PixelSettings, Rule

if TYPE_CHECKING:
    from zwgk.readers.scan._engine import Recogniser

__all__ = ["OcrSettings", "ScanPage", "low_confidence", "read_page_image"]


@frozen
class OcrSettings:
    """Everything tunable in reading a page image.

    :param dpi: resolution PDF pages without text are rendered at.
    :param min_confidence: a line whose least sure character is below this gives a
        :class:`~zwgk.errors.ReadWarning` naming its page and box.
    """

    dpi: float = 200.0
    min_confidence: float = 0.6
    engine: EngineSettings = field(factory=EngineSettings)


@frozen
class ScanPage:
    """What was read from one page image, in its pixels (top-left origin, y down)."""

    number: int
    width: int
    height: int
    dpi: float
    lines: tuple[Line, ...]
    rules: tuple[Rule, ...]
    skew: float = 0.0

    @property
    def chars(self) -> Iterable[Char]:
        for line in self.lines:
            yield from line.chars


def read_page_image(page: PageImage, settings: OcrSettings | None = None, source: str | None = None,
                    engine: Recogniser | None = None) -> ScanPage:
    """Read one page image: its text lines recognised, its ruling found."""
    s = settings if settings is not None else OcrSettings()
    px = PixelSettings(dpi=page.dpi)
    grey = _pixels.drop_seal(page.pixels)
    mask = _pixels.ink(grey, px)
    skew = _pixels.skew_angle(mask, px)
    if skew:
        grey = _pixels.rotate(grey, skew)
        mask = _pixels.ink(grey, px)
    rules, rule_mask = _pixels.ruling(mask, px)
    boxes = _pixels.text_lines(mask, rule_mask, px, rules)
    del mask, rule_mask
    rec = engine if engine is not None else recogniser(s.engine)
    lines = rec.read(grey, boxes, px.line_margin)
    h, w = grey.shape[:2]
    kept = tuple(_tidy(line) for line in lines)
    out = ScanPage(page.number, w, h, page.dpi, tuple(ln for ln in kept if ln.chars), tuple(rules), skew)
    where = Position(file=source, page=page.number)
    for line in kept:
        if not line.chars:  # ink the recogniser read as nothing: said, so a lost line is never silent
            warnings.warn(ReadWarning(f"{where.describe()}, box {_box(line.box)}: a line of ink read as no "
                                      f"character; check it against the scan"), stacklevel=2)
    for line in low_confidence(out, s.min_confidence):
        warnings.warn(ReadWarning(f"{where.describe()}, box {_box(line.box)}: read with low confidence "
                                  f"({line.confidence:.2f}): {line.text!r}; check it against the scan"),
                      stacklevel=2)
    return out


def low_confidence(page: ScanPage, threshold: float) -> list[Line]:
    """The lines of ``page`` with a character read less surely than ``threshold``."""
    return [line for line in page.lines if line.confidence < threshold]


def _box(box: Box) -> str:
    return "({}, {}, {}, {})".format(*box)


def _cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\u3000" <= ch <= "\u303f" \
        or "\uff00" <= ch <= "\uffef"


_FULL = {"(": "（", ")": "）", ",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}


def _tidy(line: Line) -> Line:
    """Spaces dropped; punctuation beside Chinese text in the form its measured width says
    (:attr:`~zwgk.readers.scan._engine.Char.wide`), or, unmeasured, in its full-width form."""
    chars = [c for c in line.chars if c.text.strip()]
    out: list[Char] = []
    for i, c in enumerate(chars):
        full = c.wide or _FULL.get(c.text)
        if full is not None:
            before = chars[i - 1].text if i > 0 else ""
            after = chars[i + 1].text if i + 1 < len(chars) else ""
            if (before and _cjk(before[-1])) or (after and _cjk(after[0])):
                c = Char(full, c.x0, c.y0, c.x1, c.y1, c.confidence)
        out.append(c)
    return Line(line.box, tuple(out))
