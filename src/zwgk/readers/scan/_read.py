"""One page image in, the characters and ruling of the page out: what the page stage reads.

The steps, each in :mod:`~zwgk.readers.scan._pixels` or :mod:`~zwgk.readers.scan._engine`:
red seal dropped → ink → skew measured and undone → ruling found → text lines found in the
regions the ruling encloses → a page lying on its side or upside down turned upright (its widest
lines read surely only one way up) → lines recognised in batches → each line's characters, with their
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
from zwgk.readers.scan._pixels import Box, Image, PixelSettings, Rule

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
    #: How many of a page's widest lines are read to tell whether it lies upright.
    orient_lines: int = 8
    #: A page whose sampled lines read at least this surely (``_sureness``: about 1 for Chinese text
    #: read upright, 0.3 or less read on its side or upside down) is upright.
    upright_reading: float = 0.6
    #: A page is turned only where it reads more surely turned by at least this much.
    turn_margin: float = 0.25


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
    turns: int = 0  # quarter turns (counter-clockwise) given to the image to read it upright

    @property
    def chars(self) -> Iterable[Char]:
        for line in self.lines:
            yield from line.chars


def read_page_image(page: PageImage, settings: OcrSettings | None = None, source: str | None = None,
                    engine: Recogniser | None = None) -> ScanPage:
    """Read one page image: turned upright where it lies sideways or upside down
    (:func:`_upright`), its text lines recognised, its ruling found."""
    s = settings if settings is not None else OcrSettings()
    px = PixelSettings(dpi=page.dpi)
    grey, skew, rules, boxes, turns, known = _upright(_pixels.drop_seal(page.pixels), px, engine, s)
    unread = [b for b in boxes if b not in known]
    rest = iter(_engine(engine, s).read(grey, unread, px.line_margin) if unread else [])
    lines = [known[b] if b in known else next(rest) for b in boxes]
    h, w = grey.shape[:2]
    kept = tuple(_tidy(line) for line in lines)
    out = ScanPage(page.number, w, h, page.dpi, tuple(ln for ln in kept if ln.chars), tuple(rules), skew, turns)
    where = Position(file=source, page=page.number)
    if turns:
        warnings.warn(ReadWarning(f"{where.describe()}: the page lies {_LIES[turns]}; it was turned upright to be "
                                  "read (boxes are in the turned page's pixels)"), stacklevel=2)
    for line in kept:
        if not line.chars:  # ink the recogniser read as nothing: said, so a lost line is never silent
            warnings.warn(ReadWarning(f"{where.describe()}, box {_box(line.box)}: a line of ink read as no "
                                      f"character; check it against the scan"), stacklevel=2)
    for line in low_confidence(out, s.min_confidence):
        warnings.warn(ReadWarning(f"{where.describe()}, box {_box(line.box)}: read with low confidence "
                                  f"({line.confidence:.2f}): {line.text!r}; check it against the scan"),
                      stacklevel=2)
    return out


#: How a page lies, by the quarter turns (counter-clockwise) that bring it upright.
_LIES = {1: "on its side (turned clockwise)", 2: "upside down", 3: "on its side (turned counter-clockwise)"}


def _layout(grey: Image, px: PixelSettings) -> tuple[Image, float, list[Rule], list[Box]]:
    """The page straightened (skew undone), its skew, its rules and its text line boxes."""
    mask = _pixels.ink(grey, px)
    skew = _pixels.skew_angle(mask, px)
    if skew:
        grey = _pixels.rotate(grey, skew)
        mask = _pixels.ink(grey, px)
    rules, rule_mask = _pixels.ruling(mask, px)
    return grey, skew, rules, _pixels.text_lines(mask, rule_mask, px, rules)


def _engine(engine: Recogniser | None, s: OcrSettings) -> Recogniser:
    """The recogniser given, or the shared one, loaded when a page first has lines to read (not
    before its pixels are done with: the model and a large page's arrays are not held at once)."""
    return engine if engine is not None else recogniser(s.engine)


def _sureness(grey: Image, boxes: list[Box], px: PixelSettings, engine: Recogniser | None,
              s: OcrSettings) -> tuple[float, dict[Box, Line]]:
    """How surely the recogniser reads the page's widest lines (:attr:`OcrSettings.orient_lines`)
    as lines of characters, and those lines as read: the share of each line's length its
    characters cover, each counted as square (a Chinese character) and weighed by its confidence,
    averaged over the lines. Read one way up, a line of Chinese text scores about 1; read on its
    side or upside down, a few characters read in a long box, or none, score little (a sideways
    page's lines are columns of characters side by side, each read as one wide line)."""
    sample = sorted(boxes, key=lambda b: b[2] - b[0], reverse=True)[:s.orient_lines]
    if not sample:
        return 0.0, {}
    lines = _engine(engine, s).read(grey, sample, px.line_margin)
    cover = [sum(c.confidence for c in line.chars) * (b[3] - b[1]) / max(1, b[2] - b[0])
             for line, b in zip(lines, sample, strict=True)]
    return sum(cover) / len(cover), dict(zip(sample, lines, strict=True))


def _upright(grey: Image, px: PixelSettings, engine: Recogniser | None, s: OcrSettings) \
        -> tuple[Image, float, list[Rule], list[Box], int, dict[Box, Line]]:
    """The page as it is read, with its skew, rules, text line boxes, the quarter turns
    (counter-clockwise) it was given and the lines already read to decide it. A page whose widest
    lines read surely (:func:`_sureness` at least :attr:`OcrSettings.upright_reading`) is upright;
    else it is tried on either side and upside down, and turned where one of those reads more
    surely by :attr:`OcrSettings.turn_margin`."""
    import numpy as np

    laid = _layout(grey, px)
    sure, known = _sureness(laid[0], laid[3], px, engine, s)
    if sure >= s.upright_reading or not laid[3]:
        return (*laid, 0, known)
    tried = {0: (laid, known)}
    best, best_sure = 0, sure
    for turns in (1, 3, 2):
        turned = _layout(np.ascontiguousarray(np.rot90(grey, turns)), px)
        other, read = _sureness(turned[0], turned[3], px, engine, s)
        tried[turns] = (turned, read)
        if other > best_sure:
            best, best_sure = turns, other
        if other >= s.upright_reading:
            break
    if best and best_sure < sure + s.turn_margin:
        best = 0
    return (*tried[best][0], best, tried[best][1])


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
