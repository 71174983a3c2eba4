"""What a page image shows before any character is recognised: ink, ruling, regions and text lines.

All in pixels of the page image (top-left origin, y down), with OpenCV and NumPy:

- :func:`drop_seal` turns red ink (a 公章 stamped over text) into paper, so the seal neither hides
  the characters under it nor is read as characters;
- :func:`ink` binarises the page (Otsu on a lightly blurred grey image: a grey background, JPEG
  noise and speckles stay paper);
- :func:`skew_angle` and :func:`rotate` straighten a page scanned or photographed slightly askew,
  from the angle of its long horizontal strokes (table rules, text lines);
- :func:`ruling` finds the table rules by morphology (an opening with a long thin kernel keeps only
  strokes much longer than any character) and returns them as segments;
- :func:`text_lines` finds each line of text inside the areas the rules enclose (a cell, a merged
  cell, or the page around the table), by the rows and gaps of its ink, so no line box ever
  crosses a rule and no rule or seal is sent to the recogniser.

Every size is relative to the page's resolution through :class:`PixelSettings` (pixels per point).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from attrs import frozen

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Image = npt.NDArray[np.uint8]
else:
    Image = Any

__all__ = [
    "Box",
    "PixelSettings",
    "Rule",
    "drop_seal",
    "grown",
    "ink",
    "paper_level",
    "rotate",
    "ruling",
    "skew_angle",
    "text_lines",
]

#: A box in pixels: left, top, right, bottom (right and bottom exclusive).
Box = tuple[int, int, int, int]


@frozen
class Rule:
    """A ruling line found in the pixels: from ``(x0, y0)`` to ``(x1, y1)``, horizontal or vertical."""

    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def horizontal(self) -> bool:
        return self.y1 - self.y0 < self.x1 - self.x0


@frozen
class PixelSettings:
    """The sizes the pixel stage works with, in points (1/72 inch) unless said otherwise.

    ``dpi`` turns points into pixels; an image file that does not say its resolution is taken at
    :data:`DEFAULT_DPI`.
    """

    dpi: float = 200.0
    #: A rule is a stroke at least this long: far longer than any character (a 10.5 pt 一 is 9 pt).
    min_rule: float = 28.0
    #: A shorter stroke is a rule too when both its ends meet rules across it: the borders of a low
    #: header row, or of a narrow column, between the rules above and below (a character's stroke
    #: never runs from one rule to the next). Shorter than a text line, longer than a thick rule.
    min_bridge: float = 7.0
    #: Gaps in a rule up to this long are closed (a rule broken by noise, JPEG or a faint scan).
    rule_gap: float = 4.0
    #: Ink thicker than this is no rule (a filled box, a seal's outline, a black bar).
    max_rule_thickness: float = 4.0
    #: Skew angles below this (degrees) are left alone; above :attr:`max_skew` the page is not turned.
    min_skew: float = 0.15
    max_skew: float = 5.0
    #: A gap between two ink runs on a text row wider than this many line heights splits the row
    #: into two line boxes (two columns of text in a region the rules do not divide).
    split_gap: float = 1.6
    #: Rows of ink lower than this share of the region's typical line height join the line next
    #: to them (a 一 or the dots of 三 alone on a row of pixels).
    min_line_share: float = 0.45
    #: A line box lower than :attr:`min_line_share` of the page's typical line and narrower than
    #: this share of it is a mark, not a character (an underlined space, a stub of a rule): no
    #: character stands alone on a line that small (a lone 一 is most of a line wide).
    lone_mark: float = 0.5
    #: Ink components smaller than this (pixels of area) are speckles, not text.
    min_speck: int = 6
    #: Margin added above and below a line box before recognition, as a share of its height: the
    #: recogniser was trained on lines with about this much paper around the ink.
    line_margin: float = 0.18

    def px(self, points: float) -> int:
        """``points`` in pixels at this resolution, at least 1."""
        return max(1, round(points * self.dpi / 72.0))


def _cv2() -> Any:
    import cv2

    return cv2


def drop_seal(image: Image) -> Image:
    """The grey page with red ink (a seal, red handwriting) turned to paper.

    ``image`` is RGB (h, w, 3) or grey (h, w); a grey image is returned unchanged.

    Red ink is nearly transparent in the red channel: under a seal, the red channel still shows
    what was printed there (black text stays dark in it), darkened only by the ink's own
    transmission. That transmission is measured on the page (the red channel of clearly red pixels
    against the paper), and each reddish pixel is lifted towards its red channel divided by it,
    never above the paper. How far a pixel is lifted grows with how red it is, from
    :data:`RED_FROM` to :data:`RED_FULL` (red minus the larger of green and blue): the rims of a
    seal's strokes, blurred and with their colour smeared by JPEG's halved chroma, are lifted too,
    while black and grey text, red only where JPEG bleeds a little colour onto it, keeps its ink.
    """
    import numpy as np

    if image.ndim == 2:
        return image
    rgb = image.astype(np.float32)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    grey = 0.299 * r + 0.587 * g + 0.114 * b
    redness = r - np.maximum(g, b)
    if not (redness > RED_FROM).any():
        out: Image = grey.astype(np.uint8)
        return out
    paper = float(np.percentile(grey, _PAPER_PERCENTILE))
    clear = redness > RED_CLEAR
    transmission = 1.0
    if int(clear.sum()) >= _RED_SAMPLE and paper > 0:
        transmission = float(np.clip(np.median(r[clear]) / paper, *_TRANSMISSION))
    weight = np.clip((redness - RED_FROM) / (RED_FULL - RED_FROM), 0.0, 1.0)
    under = np.minimum(paper, r / transmission)
    lifted = grey + weight * np.maximum(0.0, under - grey)
    out = np.clip(lifted, 0, 255).astype(np.uint8)
    return out


#: Redness (red minus the larger of green and blue) where lifting a pixel towards paper begins,
#: and where it is lifted fully (to what its red channel shows under the ink).
RED_FROM = 15
RED_FULL = 45
#: Pixels this red are certainly red ink: the ink's transmission in the red channel is measured on them.
RED_CLEAR = 60
#: Clearly red pixels needed to measure the transmission (fewer: taken as 1, the red channel as is).
_RED_SAMPLE = 100
#: The range the measured transmission is believed in (a seal's red passes most of the red light).
_TRANSMISSION = (0.6, 1.0)
#: The grey level of the paper: this percentile of the page (most of a page is paper).
_PAPER_PERCENTILE = 90


def grown(mask: Image, points: float, dpi: float = 72.0) -> Image:
    """``mask`` grown by ``points`` at ``dpi`` each way (at least a pixel)."""
    cv2 = _cv2()

    k = 2 * max(1, round(points * dpi / 72.0)) + 1
    out: Image = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    return out


def paper_level(grey: Image) -> int:
    """The grey level of the page's paper (most of a page is paper)."""
    import numpy as np

    return int(np.percentile(grey[::4, ::4], _PAPER_PERCENTILE))


def ink(grey: Image, settings: PixelSettings) -> Image:
    """The ink of a grey page as a 0/255 mask (255 = ink), speckles removed."""
    cv2 = _cv2()
    import numpy as np

    blurred = cv2.GaussianBlur(grey, (3, 3), 0)
    _, mask = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    if settings.min_speck > 1:
        _, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        small = stats[:, cv2.CC_STAT_AREA] < settings.min_speck
        small[0] = False
        if small.any():
            mask[small[labels]] = 0
    return np.ascontiguousarray(mask)


def skew_angle(mask: Image, settings: PixelSettings) -> float:
    """The page's skew in degrees (positive: lines rise to the right in the image), 0 when unsure.

    The projection-profile method: the ink, shrunk and with its characters joined into lines, is
    turned by each candidate angle, and the angle whose rows of ink are sharpest (the largest
    variance of the row sums) wins; first in coarse steps, then finely around the best.
    """
    cv2 = _cv2()
    import numpy as np

    h, w = mask.shape
    shrink = max(1, round(max(h, w) / _SKEW_SIDE))
    small = cv2.resize(mask, (max(1, w // shrink), max(1, h // shrink)), interpolation=cv2.INTER_AREA)
    small = cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, settings.px(8) // shrink), 1)))
    sh, sw = small.shape
    centre = (sw / 2.0, sh / 2.0)

    def sharpness(angle: float) -> float:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        turned = cv2.warpAffine(small, m, (sw, sh), flags=cv2.INTER_NEAREST)
        rows = turned.sum(axis=1, dtype=np.float64)
        return float(np.var(rows))

    limit = settings.max_skew
    coarse = np.arange(-limit, limit + 1e-9, _SKEW_COARSE)
    scores = [sharpness(float(a)) for a in coarse]
    best = float(coarse[int(np.argmax(scores))])
    fine = np.arange(best - _SKEW_COARSE, best + _SKEW_COARSE + 1e-9, _SKEW_FINE)
    scores = [sharpness(float(a)) for a in fine]
    if max(scores) <= 0:
        return 0.0
    angle = float(fine[int(np.argmax(scores))])
    return angle if settings.min_skew <= abs(angle) <= settings.max_skew else 0.0


#: The long side of the shrunk page the skew is measured on (pixels).
_SKEW_SIDE = 1200
#: Coarse and fine steps of the skew search (degrees).
_SKEW_COARSE = 0.25
_SKEW_FINE = 0.05


def rotate(image: Image, angle: float) -> Image:
    """``image`` turned by ``-angle`` degrees about its centre (undoing a skew of ``angle``), the
    corners filled with white paper; the size is kept."""
    cv2 = _cv2()

    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), angle, 1.0)
    border = (255, 255, 255) if image.ndim == 3 else 255
    out: Image = cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                                borderValue=border)
    return out


def _rule_mask(mask: Image, settings: PixelSettings, horizontal: bool, shortest: float | None = None) -> Image:
    cv2 = _cv2()

    # odd kernels: centred, so nothing shifts
    length = settings.px(settings.min_rule if shortest is None else shortest) | 1
    gap = settings.px(settings.rule_gap) | 1
    if horizontal:
        close = cv2.getStructuringElement(cv2.MORPH_RECT, (gap, 1))
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1))
    else:
        close = cv2.getStructuringElement(cv2.MORPH_RECT, (1, gap))
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (1, length))
    # Opened first, so that strokes of neighbouring characters at one height (bold text set
    # tight) are never closed into a rule; the gaps of a broken rule are closed afterwards.
    opened = cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)
    out: Image = cv2.morphologyEx(opened, cv2.MORPH_CLOSE, close)
    return out


def ruling(mask: Image, settings: PixelSettings) -> tuple[list[Rule], Image]:
    """The ruling lines of a page's ink mask, and the mask of their pixels (0/255).

    Each rule is one connected run of rule pixels, horizontal or vertical, reported by its centre
    line; a run thicker than :attr:`PixelSettings.max_rule_thickness` (a filled area) is none.
    Strokes of at least :attr:`PixelSettings.min_rule` are rules; shorter ones down to
    :attr:`PixelSettings.min_bridge` are when both their ends meet a rule across them.
    """
    import numpy as np

    rules: list[Rule] = []
    both = np.zeros_like(mask)
    long: dict[bool, list[Rule]] = {}
    for horizontal in (True, False):
        found, pixels = _strokes(mask, settings, horizontal, None)
        long[horizontal] = found
        rules.extend(found)
        both |= pixels
    # a stroke ending in a rule overlaps it: its end lies within the rule's half thickness or so
    reach = settings.px(settings.max_rule_thickness * _MEET_SHARE)
    # only rules of the table's frame hold a bridge: a rule meeting a rule across it (an underline
    # meets none, and the strokes of underlined characters run from it to the rule above)
    framed = {h: [r for r in long[h] if any(_crosses(r, o, reach) for o in long[not h])] for h in (True, False)}
    for horizontal in (True, False):
        found, pixels = _strokes(mask, settings, horizontal, settings.min_bridge, keep=lambda r, h=horizontal:
                                 _bridges(r, framed[not h], reach) and not _within(r, long[h], reach))
        rules.extend(found)
        both |= pixels
    return rules, both


def _strokes(mask: Image, settings: PixelSettings, horizontal: bool, shortest: float | None,
             keep: Any = None) -> tuple[list[Rule], Image]:
    """The strokes of one direction at least ``shortest`` long (``None``: a rule's length), thin
    enough for a rule and accepted by ``keep``, and the mask of their pixels."""
    cv2 = _cv2()
    import numpy as np

    thick = settings.px(settings.max_rule_thickness)
    lines = _rule_mask(mask, settings, horizontal, shortest)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
    chosen = np.zeros(n, dtype=bool)
    out: list[Rule] = []
    for i in range(1, n):
        x, y, w, h, _area = (int(v) for v in stats[i])
        across = h if horizontal else w
        if across > thick * _THICK_SLACK:
            continue
        rule = Rule(x, y + h // 2, x + w, y + h // 2) if horizontal else Rule(x + w // 2, y, x + w // 2, y + h)
        if keep is not None and not keep(rule):
            continue
        chosen[i] = True
        out.append(rule)
    pixels = np.zeros_like(mask)
    if chosen.any():
        pixels[chosen[labels]] = 255
    return out, pixels


def _crosses(a: Rule, b: Rule, reach: int) -> bool:
    """Whether two rules of different directions touch or cross."""
    return a.x0 - reach <= b.x1 and b.x0 - reach <= a.x1 and a.y0 - reach <= b.y1 and b.y0 - reach <= a.y1


def _meets(x: int, y: int, across: list[Rule], reach: int) -> bool:
    """Whether the point ``(x, y)`` lies on (within ``reach`` of) one of the rules ``across``."""
    return any(r.x0 - reach <= x <= r.x1 + reach and r.y0 - reach <= y <= r.y1 + reach for r in across)


def _bridges(rule: Rule, across: list[Rule], reach: int) -> bool:
    """Both ends of ``rule`` meet a rule across it."""
    return _meets(rule.x0, rule.y0, across, reach) and _meets(rule.x1, rule.y1, across, reach)


def _within(rule: Rule, along: list[Rule], reach: int) -> bool:
    """``rule`` is part of a rule already found in its direction."""
    return any(abs((r.y0 - rule.y0) if rule.horizontal else (r.x0 - rule.x0)) <= reach
               and (r.x0 - reach <= rule.x0 and rule.x1 <= r.x1 + reach if rule.horizontal
                    else r.y0 - reach <= rule.y0 and rule.y1 <= r.y1 + reach) for r in along)


#: How near (a share of the thickest rule) a stroke's end must come to a rule to meet it.
_MEET_SHARE = 0.6
#: A tilted rule covers a few rows more than its stroke is thick.
_THICK_SLACK = 3


def text_lines(mask: Image, rules: Image, settings: PixelSettings, segments: Sequence[Rule] = ()) -> list[Box]:
    """The boxes of the text lines on a page: ink that is not ruling, cut by the ruling into regions.

    The page's paper, divided by the rule pixels (thickened a little so that a rule broken by
    noise still divides), falls into connected regions: each cell, each merged cell, and the page
    around the table. A rule of ``segments`` whose end stops short of a rule across it, by no
    more than a gap :func:`ruling` closes along a rule (:attr:`PixelSettings.rule_gap`: a crossing
    faded under a seal or broken by noise), is drawn on to it, so two cells never join through the
    corner. In each region the rows of text are the runs of pixel rows holding ink;
    a run much lower than the region's typical line joins its neighbour (strokes of one character
    on rows of their own); a run's ink is split into separate boxes at gaps wider than
    :attr:`PixelSettings.split_gap` line heights. Boxes are returned top to bottom, left to right.
    """
    cv2 = _cv2()
    import numpy as np

    grow = cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3))
    walls = cv2.dilate(_closed_corners(rules, segments, settings), grow)
    text = mask.copy()
    text[walls > 0] = 0
    paper = (walls == 0).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(paper, connectivity=4)
    boxes: list[Box] = []
    for i in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[i])
        if area < settings.min_speck:
            continue
        region = text[y:y + h, x:x + w]
        if not region.any():
            continue
        inside = labels[y:y + h, x:x + w] == i
        own = np.where(inside, region, 0)
        boxes.extend((x + bx0, y + by0, x + bx1, y + by1) for bx0, by0, bx1, by1 in _lines_in(own, settings))
    if boxes:
        heights = sorted(b[3] - b[1] for b in boxes)
        typical = heights[len(heights) // 2]
        boxes = [b for b in boxes if b[3] - b[1] >= typical * settings.min_line_share
                 or b[2] - b[0] >= typical * settings.lone_mark]
    boxes.sort(key=lambda b: (b[1], b[0]))
    return boxes


def _closed_corners(rules: Image, segments: Sequence[Rule], settings: PixelSettings) -> Image:
    """The rule pixels, with each end of a segment that stops within reach of a segment across it
    drawn on to that segment's centre line."""
    cv2 = _cv2()

    reach = max(settings.px(settings.max_rule_thickness * _MEET_SHARE), settings.px(settings.rule_gap))
    out: Image = rules.copy()
    for r in segments:
        across = [o for o in segments if o.horizontal != r.horizontal]
        for x, y in ((r.x0, r.y0), (r.x1, r.y1)):
            for o in across:
                if not (o.x0 - reach <= x <= o.x1 + reach and o.y0 - reach <= y <= o.y1 + reach):
                    continue
                end = (x, o.y0) if o.horizontal else (o.x0, y)
                if end != (x, y):
                    cv2.line(out, (x, y), end, 255, 1)
    return out


def _runs(profile: Any) -> list[tuple[int, int]]:
    """The runs of nonzero entries of a 1-d profile as (start, end) pairs, end exclusive."""
    import numpy as np

    on = np.concatenate(([0], (profile > 0).astype(np.int8), [0]))
    edges = np.flatnonzero(np.diff(on))
    return list(zip(edges[0::2].tolist(), edges[1::2].tolist(), strict=True))


def _lines_in(region: Image, settings: PixelSettings) -> list[Box]:
    rows = _runs(region.sum(axis=1))
    if not rows:
        return []
    heights = sorted(e - s for s, e in rows)
    typical = heights[len(heights) // 2]
    tall = [hgt for hgt in heights if hgt >= typical]
    typical = max(typical, tall[len(tall) // 2] if tall else typical)
    merged: list[list[int]] = []
    for s, e in rows:
        if merged:
            ps, pe = merged[-1]
            small_here = e - s < typical * settings.min_line_share
            small_there = pe - ps < typical * settings.min_line_share
            close = s - pe < typical * settings.min_line_share
            if close and (small_here or small_there) and max(e, pe) - min(s, ps) <= typical * _MAX_LINE_GROWTH:
                merged[-1] = [min(s, ps), max(e, pe)]
                continue
        merged.append([s, e])
    out: list[Box] = []
    for s, e in merged:
        band = region[s:e]
        cols = _runs(band.sum(axis=0))
        if not cols:
            continue
        gap = max(2, round((e - s) * settings.split_gap))
        start, end = cols[0]
        for cs, ce in cols[1:]:
            if cs - end > gap:
                out.append((start, s, end, e))
                start = cs
            end = ce
        out.append((start, s, end, e))
    return out


#: A line joined from runs may grow to this many typical line heights, no more.
_MAX_LINE_GROWTH = 1.5
