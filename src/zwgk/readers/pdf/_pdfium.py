"""A PDF page through PDFium (pypdfium2): its glyphs, its ruling and its tags, as a page-stage input.

- **Glyphs** come from PDFium's text page: each character's code point, its loose box (the
  advance width across; up and down its baseline less :data:`ASCENT` and plus :data:`DESCENT`
  of the font size, so the glyphs of a line share their top and bottom whatever their fonts: a
  fallback font's ascent would move a comma off its line) and its font size as drawn: the font
  size scaled by the character's matrix (Chromium writes 16 px fonts scaled by 0.75 to
  points). Characters PDFium generates (spaces and line ends it infers) are left out: spaces are
  read from the gaps (see :mod:`zwgk.readers.page._text`). Characters whose font gives no Unicode are counted.
- **Ruling** comes from the path objects, form XObjects followed (:data:`MAX_FORM_DEPTH`): every
  straight horizontal or vertical piece of a stroked or filled path, transformed to the page; a
  filled rectangle thinner than ``max_line_thickness`` (how Chromium draws a border) is one line
  along its middle; a filled rectangle (a cell background) gives its four edges; a filled path
  that is near white and not stroked draws nothing visible on paper and gives none.
- **Tags**: in a tagged PDF each glyph's marked-content id (through its text object) is looked up
  in the page's structure tree, read through PDFium's structure API, and the glyph gets the
  paragraph element (``P``, ``H1``… ``LBody``, role-mapped by PDFium) it sits under as its
  :attr:`~zwgk.readers.page.Glyph.tag`. The walk is bounded
  (:mod:`._structure`); an unusable tree leaves the page untagged. What the walk learns of an
  element whose kids run through the whole document (a table's rows) is kept over the pages
  (:class:`~zwgk.readers.pdf._structure.Structure`): one call a kid a page rather than two.

PDFium is called per character, per path segment and per structure element through handles that
pass plain addresses (:mod:`._api`): a page costs thousands of calls, and boxing each pointer in
a ctypes object cost more than the calls.

Coordinates are turned to the page stage's, as the page is displayed: its ``/Rotate`` applied
(a landscape table drawn sideways on a portrait page and turned upright by ``/Rotate 90`` reads
upright), origin at the top left of the crop box, ``y`` down; a page whose text still runs
sideways or upside down as displayed (a landscape table printed sideways with no ``/Rotate``, as
print drivers do) is turned further until most of its text runs left to right (:func:`_turn`).
"""

from __future__ import annotations

import ctypes
import itertools
import math
from collections.abc import Set as AbstractSet
from typing import Any, NamedTuple

from zwgk.readers.page import Glyph, PageInput, PageSettings, Segment
from zwgk.readers.pdf._api import _address, _Api, _api, _raw
from zwgk.readers.pdf._structure import Structure

__all__ = ["ASCENT", "DESCENT", "INVISIBLE", "MAX_FORM_DEPTH", "TURN_SAMPLE", "WHITE", "PdfPage", "Structure",
           "page_input"]

#: A glyph's line box above and below its baseline, in font sizes (pdfminer's, for CJK body fonts).
ASCENT = 0.88
DESCENT = 0.12
#: Form XObjects nested deeper than this are not followed (a loop, or absurd nesting).
MAX_FORM_DEPTH = 8
#: A simple font with no Unicode mapping (no ToUnicode, a custom encoding: what a PostScript print
#: driver writes) gives its byte codes as characters, all below this: PDFium flags each such
#: character, and only characters below it are asked about (a CJK page has few).
BYTE_CODES = 0x100
#: How many of a page's characters :func:`_turn` looks at to tell which way its text runs.
TURN_SAMPLE = 200
#: A fill whose red, green and blue are all at least this (of 255) is white on paper.
WHITE = 250
#: A font of at least this weight (its descriptor's ``/FontWeight``) is bold.
BOLD_WEIGHT = 600
#: Words of a font's name that say it is bold (NotoSansCJKjp-Bold, SourceHanSerifSC-Heavy).
BOLD_NAMES = (b"Bold", b"Heavy", b"Black", b"Semibold", b"SemiBold", b"Demi")
#: The text render mode that fills and strokes a glyph: how a bold is made of a regular font.
FILL_STROKE = 2
#: The text render mode that draws nothing: the text layer OCR software lays over a scanned image.
INVISIBLE = 3


Affine = tuple[float, float, float, float, float, float]


def _display(box: tuple[float, float, float, float], rotation: int) -> Affine:
    """``(a, b, c, d, e, f)`` taking a point ``(x, y)`` of the page's user space to the page as
    displayed (its ``/Rotate`` applied, clockwise), origin at the top left, ``y`` down:
    ``(a·x + c·y + e, b·x + d·y + f)``."""
    left, bottom, right, top = box
    return {90: (0.0, 1.0, 1.0, 0.0, -bottom, -left), 180: (-1.0, 0.0, 0.0, 1.0, right, -bottom),
            270: (0.0, -1.0, -1.0, 0.0, top, right)}.get(rotation % 360, (1.0, 0.0, 0.0, -1.0, -left, top))


def _turn(textpage: int, to: Affine) -> int:
    """The quarter turns (clockwise, in degrees) that bring the page's text upright as ``to``
    displays it: 0 for a page whose text runs left to right, 90 for one whose text runs up (a
    landscape table printed sideways on a portrait page with no ``/Rotate``), and so on. Decided by
    the direction most of the first :data:`TURN_SAMPLE` characters' matrices run in; a page
    without a majority, or with no text, is not turned."""
    api = _api()
    n = min(api.count_chars(textpage), TURN_SAMPLE)
    matrix = (ctypes.c_float * 6)()
    matrix_p = ctypes.addressof(matrix)
    votes = [0, 0, 0, 0]  # running right, down, left, up as displayed (y down)
    for i in range(n):
        if api.generated(textpage, i) == 1 or not api.matrix(textpage, i, matrix_p):
            continue
        a, b = matrix[0], matrix[1]
        dx, dy = to[0] * a + to[2] * b, to[1] * a + to[3] * b
        if dx or dy:
            votes[round(math.atan2(dy, dx) / (math.pi / 2)) % 4] += 1
    best = max(range(4), key=votes.__getitem__)
    return 0 if votes[best] * 2 <= sum(votes) else (360 - 90 * best) % 360


def _codes(api: _Api, textpage: int, n: int) -> list[int]:
    """The code unit of each of the text page's ``n`` characters: in one call where PDFium gives
    one unit per character (it leaves out characters without a Unicode mapping), else one by one."""
    buf = (ctypes.c_ushort * (n + 1))()
    if n and api.get_text(textpage, 0, n, ctypes.addressof(buf)) == n + 1:
        return list(buf)[:n]
    return [api.unicode(textpage, i) for i in range(n)]


def _glyphs(textpage: int, to: Affine, tags: dict[int, int], bold: AbstractSet[int] = frozenset()) \
        -> tuple[list[Glyph], int]:
    """The page's glyphs (in display space: ``to``), and how many have no Unicode mapping; ``bold``:
    the page's text objects set bold (:meth:`_Paths.walk`)."""
    api = _api()
    ta, tb, tc, td, te, tf = to
    n = api.count_chars(textpage)
    rect = ctypes.c_float * 4  # FS_RECTF: left, top, right, bottom
    box = rect()
    box_p = ctypes.addressof(box)
    ox, oy = ctypes.c_double(), ctypes.c_double()
    ox_p, oy_p = ctypes.addressof(ox), ctypes.addressof(oy)
    matrix = (ctypes.c_float * 6)()  # FS_MATRIX: a, b, c, d, e, f
    matrix_p = ctypes.addressof(matrix)
    generated, map_error, loose, font_size = api.generated, api.map_error, api.loose_box, api.font_size
    char_matrix, origin, text_object, mcid_of = api.matrix, api.origin, api.text_object, api.mcid
    mcids: dict[int | None, int] = {}  # text object → its MCID (tagged pages only)
    out: list[Glyph] = []
    unmapped = 0
    pending_high = 0
    for i, cp in enumerate(_codes(api, textpage, n)):
        if cp <= 0x20 or cp in (0xFFFD, 0xFFFE, 0xFFFF) or 0xE000 <= cp <= 0xF8FF:
            if cp in (0x0D, 0x0A, 0x02) or generated(textpage, i) == 1:
                continue  # a line end or space PDFium infers
            if cp not in (0x20, 0x09) and (cp < 0xE000 or map_error(textpage, i) == 1):
                unmapped += 1
                continue
        elif cp < BYTE_CODES and map_error(textpage, i) == 1:
            unmapped += 1  # a byte code standing for a glyph, not a character (``A`` for 政)
            continue
        elif 0xD800 <= cp < 0xE000:  # a surrogate pair: PDFium gives each half as a character
            if cp < 0xDC00:
                pending_high = cp
                continue
            if not pending_high:
                continue
            cp = 0x10000 + ((pending_high - 0xD800) << 10) + (cp - 0xDC00)
            pending_high = 0
        loose(textpage, i, box_p)
        left, top, right, bottom = box
        size = font_size(textpage, i)
        if char_matrix(textpage, i, matrix_p):  # the font size as drawn: scaled by the text's matrix
            a, b, c, d = matrix[0], matrix[1], matrix[2], matrix[3]
            size *= math.sqrt(abs(a * d - b * c)) or 1.0
        if size <= 0:
            size = max(top - bottom, 1.0)
        tag: int | None = None
        obj = text_object(textpage, i) if tags or bold else None  # a page with no bold asks no more
        if tags:
            mcid = mcids.get(obj)
            if mcid is None:
                mcid = mcids[obj] = mcid_of(obj) if obj else -1
            tag = tags.get(mcid) if mcid >= 0 else None
        origin(textpage, i, ox_p, oy_p)
        base = tb * ox.value + td * oy.value + tf
        xa, xb = ta * left + tc * bottom + te, ta * right + tc * top + te
        out.append(Glyph(chr(cp), min(xa, xb), base - ASCENT * size, max(xa, xb), base + DESCENT * size,
                         size, 1.0, tag, obj in bold))
    return out, unmapped


_FONT_NAME = 128  # bytes of a font's name read


def _bold_font(api: _Api, font: int, buf: Any) -> bool:
    """Whether ``font`` is bold: its weight (:data:`BOLD_WEIGHT`) or its name (:data:`BOLD_NAMES`)
    says so."""
    if api.font_weight(font) >= BOLD_WEIGHT:
        return True
    if api.font_name is None or not api.font_name(font, ctypes.addressof(buf), _FONT_NAME):
        return False
    return any(word in buf.value for word in BOLD_NAMES)


class _Paths:
    """Collects the ruling of a page's path objects."""

    def __init__(self, pdfium_c: Any, to: Affine, settings: PageSettings, limit: int) -> None:
        self.c = pdfium_c
        self.api = _api()
        self.to = to
        self.thin = settings.scaled(settings.max_line_thickness)
        self.limit = limit
        self.segments: list[Segment] = []
        self.images = 0
        self.objects = 0
        self.texts = 0  # text objects
        self.hidden = 0  # text objects drawn invisible (the text layer OCR lays over a scan)
        self._ints = (ctypes.c_int * 2)()  # fill mode, stroke
        self._xy = (ctypes.c_float * 2)()
        self._rgba = (ctypes.c_uint * 4)()
        self._m = (ctypes.c_float * 6)()  # FS_MATRIX: a, b, c, d, e, f
        #: the text objects set bold: filled and stroked, or in a bold font (:func:`_bold_font`)
        self.bold: set[int] = set()
        self._fonts: dict[int, bool] = {}  # font → bold
        self._name = ctypes.create_string_buffer(_FONT_NAME)

    def walk(self, count: int, get: Any, matrix: tuple[float, ...], depth: int) -> None:
        """Objects ``get(i)`` for ``i`` below ``count`` (each an address), under ``matrix``."""
        c, api = self.c, self.api
        object_type = api.object_type
        path_type, image_type, form_type = c.FPDF_PAGEOBJ_PATH, c.FPDF_PAGEOBJ_IMAGE, c.FPDF_PAGEOBJ_FORM
        text_type, fonts = c.FPDF_PAGEOBJ_TEXT, self._fonts
        for i in range(count):
            self.objects += 1
            if self.objects > self.limit:
                raise OverflowError(self.objects)
            obj = get(i)
            kind = object_type(obj)
            if kind == path_type:
                self._path(obj, matrix)
            elif kind == text_type:
                font = api.text_font(obj)
                bold = fonts.get(font)
                if bold is None:
                    bold = fonts[font] = bool(font) and _bold_font(api, font, self._name)
                mode = api.render_mode(obj)
                if bold or mode == FILL_STROKE:
                    self.bold.add(obj)
                self.texts += 1
                self.hidden += mode == INVISIBLE
            elif kind == image_type:
                self.images += 1
            elif kind == form_type and depth < MAX_FORM_DEPTH:
                m = self._matrix(obj, matrix)
                self.walk(api.form_count(obj), lambda j, o=obj: api.form_object(o, j), m, depth + 1)

    def _matrix(self, obj: int, outer: tuple[float, ...]) -> tuple[float, ...]:
        """The object's own matrix: PDFium reports it relative to the form it sits in."""
        if not self.api.object_matrix(obj, ctypes.addressof(self._m)):
            return outer
        ma, mb, mc, md, me, mf = self._m
        a, b, cc, d, e, f = outer
        return (ma * a + mb * cc, ma * b + mb * d, mc * a + md * cc, mc * b + md * d,
                me * a + mf * cc + e, me * b + mf * d + f)

    def _path(self, obj: int, outer: tuple[float, ...]) -> None:
        api = self.api
        ints = self._ints
        if not api.draw_mode(obj, ctypes.addressof(ints), ctypes.addressof(ints) + ctypes.sizeof(ctypes.c_int)):
            return
        filled, stroked = ints[0] != 0, bool(ints[1])
        if not filled and not stroked:
            return
        if filled and not stroked:
            rgba = self._rgba
            at, size = ctypes.addressof(rgba), ctypes.sizeof(ctypes.c_uint)
            if api.fill_color(obj, at, at + size, at + 2 * size, at + 3 * size) \
                    and min(rgba[0], rgba[1], rgba[2]) >= WHITE:
                return
        a, b_, cc, d, e, f = self._matrix(obj, outer)
        ta, tb, tc, td, te, tf = self.to
        segment, point, segment_type, segment_close = api.segment, api.point, api.segment_type, api.segment_close
        moveto, lineto = self.c.FPDF_SEGMENT_MOVETO, self.c.FPDF_SEGMENT_LINETO
        xy = self._xy
        x_at = ctypes.addressof(xy)
        y_at = x_at + ctypes.sizeof(ctypes.c_float)
        points: list[tuple[float, float]] = []
        subpaths: list[list[tuple[float, float]]] = []
        for k in range(api.count_segments(obj)):
            seg = segment(obj, k)
            if not seg:
                continue
            point(seg, x_at, y_at)
            x, y = xy
            ux, uy = a * x + cc * y + e, b_ * x + d * y + f
            p = (ta * ux + tc * uy + te, tb * ux + td * uy + tf)
            kind = segment_type(seg)
            if kind == moveto:
                if len(points) > 1:
                    subpaths.append(points)
                points = [p]
            elif kind == lineto:
                points.append(p)
            else:  # a curve: no ruling; what follows starts afresh
                if len(points) > 1:
                    subpaths.append(points)
                points = [p]
            if segment_close(seg) and points:
                points.append(points[0])
        if len(points) > 1:
            subpaths.append(points)
        for pts in subpaths:
            xs = [p[0] for p in pts]
            ys = [p[1] for p in pts]
            w, h = max(xs) - min(xs), max(ys) - min(ys)
            if filled and len(pts) >= 4 and (w <= self.thin or h <= self.thin) and _is_rect(pts):
                if w <= self.thin and h <= self.thin:
                    continue  # a dot
                if h <= self.thin:
                    my = (min(ys) + max(ys)) / 2
                    self.segments.append(Segment(min(xs), my, max(xs), my))
                else:
                    mx = (min(xs) + max(xs)) / 2
                    self.segments.append(Segment(mx, min(ys), mx, max(ys)))
                continue
            if filled and not stroked and not _is_rect(pts):
                continue  # a filled shape (a logo, a seal): no ruling
            for (x0, y0), (x1, y1) in itertools.pairwise(pts):
                if abs(x0 - x1) < 0.01 or abs(y0 - y1) < 0.01:
                    self.segments.append(Segment(x0, y0, x1, y1))


def _is_rect(pts: list[tuple[float, float]]) -> bool:
    """Whether a closed polyline is an axis-aligned rectangle."""
    return all(abs(x0 - x1) < 0.01 or abs(y0 - y1) < 0.01 for (x0, y0), (x1, y1) in itertools.pairwise(pts))


class PdfPage(NamedTuple):
    """What :func:`page_input` reads of a page."""

    input: PageInput
    unmapped: int  # characters without a Unicode mapping
    over_image: bool  # its text is drawn invisible over an image, or it has images and no ruling
    turn: int  # the quarter turns (degrees, clockwise) given beyond its ``/Rotate`` (:func:`_turn`)


def page_input(doc: Any, index: int, settings: PageSettings, tagged: bool, max_objects: int,
               structure: Structure | None = None) -> PdfPage:
    """Page ``index`` (0-based) as a page-stage input, with what else the reader needs to know of
    it (:class:`PdfPage`). Raises :class:`OverflowError` for a page with more than ``max_objects``
    objects. ``structure``: the document's, shared by its pages read in order (a fresh one when
    not given)."""
    pdfium_c = _raw()
    page = doc[index]
    try:
        box = page.get_cropbox()
        left, bottom, right, top = (float(v) for v in box)
        raw = page.raw
        api = _api()
        at = _address(raw)
        count = api.count_objects(at)
        if count > max_objects:
            raise OverflowError(max_objects)
        textpage = page.get_textpage()
        try:
            text_at = _address(textpage.raw)
            rotation = page.get_rotation() % 360
            turn = _turn(text_at, _display((left, bottom, right, top), rotation))
            rotation = (rotation + turn) % 360
            to = _display((left, bottom, right, top), rotation)
            width, height = (top - bottom, right - left) if rotation in (90, 270) else (right - left, top - bottom)
            paths = _Paths(pdfium_c, to, settings, max_objects)
            paths.walk(count, lambda j: api.page_object(at, j), (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), 0)
            tags = (structure if structure is not None else Structure()).tags(at) if tagged else {}
            glyphs, unmapped = _glyphs(text_at, to, tags, paths.bold)
        finally:
            textpage.close()
        over_image = paths.images > 0 and (paths.hidden * 2 > paths.texts or not paths.segments)
        return PdfPage(PageInput(index + 1, width, height, glyphs, paths.segments, bool(tags), paths.images),
                       unmapped, over_image, turn)
    finally:
        page.close()
