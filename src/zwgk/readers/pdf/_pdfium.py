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
  paragraph element (``P``, ``H1``… ``LBody``: :data:`PARAGRAPH_TYPES`, role-mapped by PDFium)
  it sits under as its :attr:`~zwgk.readers.page.Glyph.tag`. The walk is bounded
  (:data:`MAX_STRUCT_DEPTH`, :data:`MAX_STRUCT_ELEMENTS`); an unusable tree leaves the page untagged.

Coordinates are turned to the page stage's, as the page is displayed: its ``/Rotate`` applied
(a landscape table drawn sideways on a portrait page and turned upright by ``/Rotate 90`` reads
upright), origin at the top left of the crop box, ``y`` down.
"""

from __future__ import annotations

import ctypes
import itertools
import math
from typing import Any

from zwgk.readers.page import Glyph, PageInput, PageSettings, Segment

__all__ = ["ASCENT", "DESCENT", "MAX_FORM_DEPTH", "MAX_STRUCT_DEPTH", "MAX_STRUCT_ELEMENTS", "PARAGRAPH_TYPES",
           "WHITE", "page_input"]

#: A glyph's line box above and below its baseline, in font sizes (pdfminer's, for CJK body fonts).
ASCENT = 0.88
DESCENT = 0.12
#: Form XObjects nested deeper than this are not followed (a loop, or absurd nesting).
MAX_FORM_DEPTH = 8
#: Standard structure types that hold one paragraph of text (PDF 1.7, 14.8.4).
PARAGRAPH_TYPES = frozenset({"P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "Lbl", "LBody", "Caption", "TOCI",
                             "BlockQuote"})
#: Structure elements followed down from the page's tree before giving up.
MAX_STRUCT_DEPTH = 64
MAX_STRUCT_ELEMENTS = 200_000
#: A fill whose red, green and blue are all at least this (of 255) is white on paper.
WHITE = 250


def _raw() -> Any:
    import pypdfium2.raw as pdfium_c

    return pdfium_c


def _struct_type(pdfium_c: Any, element: Any, buf: Any) -> str:
    n = pdfium_c.FPDF_StructElement_GetType(element, buf, ctypes.sizeof(buf))
    if n <= 2 or n > ctypes.sizeof(buf):
        return ""
    return bytes(buf)[: n - 2].decode("utf-16-le", "replace")


def _tags(pdfium_c: Any, page: Any) -> dict[int, int]:
    """MCID → paragraph element number for one page (empty when untagged or unreadable).

    An element's kids may be marked content on other pages (a paragraph over a page break), whose
    MCIDs PDFium gives without their page: an MCID claimed by two elements is left out (its lines
    are read by geometry) rather than given to the wrong paragraph.
    """
    tree = pdfium_c.FPDF_StructTree_GetForPage(page)
    if not tree:
        return {}
    owner: dict[int, int | None] = {}
    clash: set[int] = set()
    buf = ctypes.create_string_buffer(128)

    def claim(mcid: int, para: int | None) -> None:
        if mcid < 0:
            return
        if mcid in owner and owner[mcid] != para:
            clash.add(mcid)
        owner[mcid] = para

    try:
        seen = 0
        stack: list[tuple[Any, int, int | None]] = []
        for i in range(pdfium_c.FPDF_StructTree_CountChildren(tree)):
            child = pdfium_c.FPDF_StructTree_GetChildAtIndex(tree, i)
            if child:
                stack.append((child, 0, None))
        while stack:
            element, depth, para = stack.pop()
            seen += 1
            if seen > MAX_STRUCT_ELEMENTS or depth > MAX_STRUCT_DEPTH:
                return {}
            if para is None and _struct_type(pdfium_c, element, buf) in PARAGRAPH_TYPES:
                para = seen
            kids = pdfium_c.FPDF_StructElement_CountChildren(element)
            for k in range(kids):
                child = pdfium_c.FPDF_StructElement_GetChildAtIndex(element, k)
                if child:
                    stack.append((child, depth + 1, para))
                else:
                    claim(pdfium_c.FPDF_StructElement_GetChildMarkedContentID(element, k), para)
            if kids <= 0:
                for k in range(pdfium_c.FPDF_StructElement_GetMarkedContentIdCount(element)):
                    claim(pdfium_c.FPDF_StructElement_GetMarkedContentIdAtIndex(element, k), para)
    finally:
        pdfium_c.FPDF_StructTree_Close(tree)
    return {mcid: para for mcid, para in owner.items() if para is not None and mcid not in clash}


Affine = tuple[float, float, float, float, float, float]


def _display(box: tuple[float, float, float, float], rotation: int) -> Affine:
    """``(a, b, c, d, e, f)`` taking a point ``(x, y)`` of the page's user space to the page as
    displayed (its ``/Rotate`` applied, clockwise), origin at the top left, ``y`` down:
    ``(a·x + c·y + e, b·x + d·y + f)``."""
    left, bottom, right, top = box
    return {90: (0.0, 1.0, 1.0, 0.0, -bottom, -left), 180: (-1.0, 0.0, 0.0, 1.0, right, -bottom),
            270: (0.0, -1.0, -1.0, 0.0, top, right)}.get(rotation % 360, (1.0, 0.0, 0.0, -1.0, -left, top))


def _glyphs(pdfium_c: Any, page: Any, textpage: Any, to: Affine, tags: dict[int, int]) -> tuple[list[Glyph], int]:
    """The page's glyphs (in display space: ``to``), and how many have no Unicode mapping."""
    ta, tb, tc, td, te, tf = to
    n = pdfium_c.FPDFText_CountChars(textpage)
    rect = pdfium_c.FS_RECTF()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    origin = pdfium_c.FPDFText_GetCharOrigin
    get_unicode = pdfium_c.FPDFText_GetUnicode
    generated = pdfium_c.FPDFText_IsGenerated
    loose = pdfium_c.FPDFText_GetLooseCharBox
    font_size = pdfium_c.FPDFText_GetFontSize
    map_error = pdfium_c.FPDFText_HasUnicodeMapError
    text_object = pdfium_c.FPDFText_GetTextObject
    mcid_of = pdfium_c.FPDFPageObj_GetMarkedContentID
    char_matrix = pdfium_c.FPDFText_GetMatrix
    matrix = pdfium_c.FS_MATRIX()
    matrix_ref = ctypes.byref(matrix)
    mcids: dict[int | None, int] = {}  # text object → its MCID (tagged pages only)
    out: list[Glyph] = []
    unmapped = 0
    pending_high = 0
    for i in range(n):
        cp = get_unicode(textpage, i)
        if cp <= 0x20 or cp in (0xFFFD, 0xFFFE, 0xFFFF) or 0xE000 <= cp <= 0xF8FF:
            if cp in (0x0D, 0x0A, 0x02) or generated(textpage, i) == 1:
                continue  # a line end or space PDFium infers
            if cp not in (0x20, 0x09) and (cp < 0xE000 or map_error(textpage, i) == 1):
                unmapped += 1
                continue
        elif 0xD800 <= cp < 0xE000:  # a surrogate pair: PDFium gives each half as a character
            if cp < 0xDC00:
                pending_high = cp
                continue
            if not pending_high:
                continue
            cp = 0x10000 + ((pending_high - 0xD800) << 10) + (cp - 0xDC00)
            pending_high = 0
        loose(textpage, i, rect)
        size = font_size(textpage, i)
        if char_matrix(textpage, i, matrix_ref):  # the font size as drawn: scaled by the text's matrix
            size *= math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c)) or 1.0
        if size <= 0:
            size = max(rect.top - rect.bottom, 1.0)
        tag: int | None = None
        if tags:
            obj = text_object(textpage, i)
            key = ctypes.cast(obj, ctypes.c_void_p).value
            mcid = mcids.get(key)
            if mcid is None:
                mcid = mcids[key] = mcid_of(obj) if obj else -1
            tag = tags.get(mcid) if mcid >= 0 else None
        origin(textpage, i, ox, oy)
        base = tb * ox.value + td * oy.value + tf
        xa, xb = ta * rect.left + tc * rect.bottom + te, ta * rect.right + tc * rect.top + te
        out.append(Glyph(chr(cp), min(xa, xb), base - ASCENT * size, max(xa, xb), base + DESCENT * size,
                         size, 1.0, tag))
    return out, unmapped


class _Paths:
    """Collects the ruling of a page's path objects."""

    def __init__(self, pdfium_c: Any, to: Affine, settings: PageSettings, limit: int) -> None:
        self.c = pdfium_c
        self.to = to
        self.thin = settings.scaled(settings.max_line_thickness)
        self.limit = limit
        self.segments: list[Segment] = []
        self.images = 0
        self.objects = 0
        self._fill = ctypes.c_int()
        self._stroke = ctypes.c_int()
        self._x, self._y = ctypes.c_float(), ctypes.c_float()
        self._rgba = [ctypes.c_uint() for _ in range(4)]
        self._m = pdfium_c.FS_MATRIX()

    def walk(self, count: int, get: Any, matrix: tuple[float, ...], depth: int) -> None:
        c = self.c
        for i in range(count):
            self.objects += 1
            if self.objects > self.limit:
                raise OverflowError(self.objects)
            obj = get(i)
            kind = c.FPDFPageObj_GetType(obj)
            if kind == c.FPDF_PAGEOBJ_PATH:
                self._path(obj, matrix)
            elif kind == c.FPDF_PAGEOBJ_IMAGE:
                self.images += 1
            elif kind == c.FPDF_PAGEOBJ_FORM and depth < MAX_FORM_DEPTH:
                m = self._matrix(obj, matrix)
                self.walk(c.FPDFFormObj_CountObjects(obj), lambda j, o=obj: c.FPDFFormObj_GetObject(o, j),
                          m, depth + 1)

    def _matrix(self, obj: Any, outer: tuple[float, ...]) -> tuple[float, ...]:
        """The object's own matrix: PDFium reports it relative to the form it sits in."""
        if not self.c.FPDFPageObj_GetMatrix(obj, ctypes.byref(self._m)):
            return outer
        m = self._m
        a, b, cc, d, e, f = outer
        return (m.a * a + m.b * cc, m.a * b + m.b * d, m.c * a + m.d * cc, m.c * b + m.d * d,
                m.e * a + m.f * cc + e, m.e * b + m.f * d + f)

    def _path(self, obj: Any, outer: tuple[float, ...]) -> None:
        c = self.c
        if not c.FPDFPath_GetDrawMode(obj, ctypes.byref(self._fill), ctypes.byref(self._stroke)):
            return
        filled, stroked = self._fill.value != 0, bool(self._stroke.value)
        if not filled and not stroked:
            return
        if filled and not stroked:
            r, g, b, _ = self._rgba
            if c.FPDFPageObj_GetFillColor(obj, ctypes.byref(r), ctypes.byref(g), ctypes.byref(b),
                                          ctypes.byref(self._rgba[3])) \
                    and min(r.value, g.value, b.value) >= WHITE:
                return
        a, b_, cc, d, e, f = self._matrix(obj, outer)
        ta, tb, tc, td, te, tf = self.to
        n = c.FPDFPath_CountSegments(obj)
        points: list[tuple[float, float]] = []
        subpaths: list[list[tuple[float, float]]] = []
        for k in range(n):
            seg = c.FPDFPath_GetPathSegment(obj, k)
            if not seg:
                continue
            c.FPDFPathSegment_GetPoint(seg, ctypes.byref(self._x), ctypes.byref(self._y))
            x, y = self._x.value, self._y.value
            ux, uy = a * x + cc * y + e, b_ * x + d * y + f
            p = (ta * ux + tc * uy + te, tb * ux + td * uy + tf)
            kind = c.FPDFPathSegment_GetType(seg)
            if kind == c.FPDF_SEGMENT_MOVETO:
                if len(points) > 1:
                    subpaths.append(points)
                points = [p]
            elif kind == c.FPDF_SEGMENT_LINETO:
                points.append(p)
            else:  # a curve: no ruling; what follows starts afresh
                if len(points) > 1:
                    subpaths.append(points)
                points = [p]
            if c.FPDFPathSegment_GetClose(seg) and points:
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


def page_input(doc: Any, index: int, settings: PageSettings, tagged: bool, max_objects: int) \
        -> tuple[PageInput, int]:
    """Page ``index`` (0-based) as a page-stage input, and its count of characters without a
    Unicode mapping. Raises :class:`OverflowError` for a page with more than ``max_objects``
    objects."""
    pdfium_c = _raw()
    page = doc[index]
    try:
        box = page.get_cropbox()
        left, bottom, right, top = (float(v) for v in box)
        rotation = page.get_rotation() % 360
        to = _display((left, bottom, right, top), rotation)
        width, height = (top - bottom, right - left) if rotation in (90, 270) else (right - left, top - bottom)
        raw = page.raw
        if pdfium_c.FPDFPage_CountObjects(raw) > max_objects:
            raise OverflowError(max_objects)
        paths = _Paths(pdfium_c, to, settings, max_objects)
        paths.walk(pdfium_c.FPDFPage_CountObjects(raw), lambda j: pdfium_c.FPDFPage_GetObject(raw, j),
                   (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), 0)
        tags = _tags(pdfium_c, raw) if tagged else {}
        textpage = page.get_textpage()
        try:
            glyphs, unmapped = _glyphs(pdfium_c, raw, textpage.raw, to, tags)
        finally:
            textpage.close()
        return PageInput(index + 1, width, height, glyphs, paths.segments, bool(tags),
                         paths.images), unmapped
    finally:
        page.close()
