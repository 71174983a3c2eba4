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
  What the walk learns of an element whose kids run through the whole document (a table's rows)
  is kept over the pages (:class:`Structure`): one call a kid a page rather than two.

PDFium is called per character, per path segment and per structure element through handles that
pass plain addresses (:func:`_fast`): a page costs thousands of calls, and boxing each pointer in
a ctypes object cost more than the calls.

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

__all__ = ["ASCENT", "DESCENT", "MANY_KIDS", "MAX_FORM_DEPTH", "MAX_STRUCT_DEPTH", "MAX_STRUCT_ELEMENTS",
           "PARAGRAPH_TYPES", "WHITE", "Structure", "page_input"]

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
#: An element with this many kids or more has their kinds remembered over the pages (:class:`Structure`).
MANY_KIDS = 32
#: A fill whose red, green and blue are all at least this (of 255) is white on paper.
WHITE = 250


def _raw() -> Any:
    import pypdfium2.raw as pdfium_c

    return pdfium_c


def _fast(fn: Any, restype: Any, *argtypes: Any) -> Any:
    """A second handle on the PDFium function ``fn`` that takes and gives plain addresses and
    numbers: pypdfium2's own boxes every pointer it passes or returns in a ctypes object, which
    on a page's thousands of calls costs more than the calls. ``fn`` itself is left as it is."""
    f = type(fn)(ctypes.cast(fn, ctypes.c_void_p).value)
    f.restype = restype
    f.argtypes = argtypes
    return f


class _Api:
    """The PDFium functions called per character and per structure element, as :func:`_fast`
    handles (made once)."""

    def __init__(self, c: Any) -> None:
        p, i, d, u = ctypes.c_void_p, ctypes.c_int, ctypes.c_double, ctypes.c_ulong
        self.count_chars = _fast(c.FPDFText_CountChars, i, p)
        self.get_text = _fast(c.FPDFText_GetText, i, p, i, i, p)
        self.unicode = _fast(c.FPDFText_GetUnicode, ctypes.c_uint, p, i)
        self.generated = _fast(c.FPDFText_IsGenerated, i, p, i)
        self.map_error = _fast(c.FPDFText_HasUnicodeMapError, i, p, i)
        self.loose_box = _fast(c.FPDFText_GetLooseCharBox, i, p, i, p)
        self.font_size = _fast(c.FPDFText_GetFontSize, d, p, i)
        self.matrix = _fast(c.FPDFText_GetMatrix, i, p, i, p)
        self.origin = _fast(c.FPDFText_GetCharOrigin, i, p, i, p, p)
        self.text_object = _fast(c.FPDFText_GetTextObject, p, p, i)
        self.mcid = _fast(c.FPDFPageObj_GetMarkedContentID, i, p)
        self.tree = _fast(c.FPDF_StructTree_GetForPage, p, p)
        self.close_tree = _fast(c.FPDF_StructTree_Close, None, p)
        self.tree_count = _fast(c.FPDF_StructTree_CountChildren, i, p)
        self.tree_child = _fast(c.FPDF_StructTree_GetChildAtIndex, p, p, i)
        self.element_type = _fast(c.FPDF_StructElement_GetType, u, p, p, u)
        self.count_kids = _fast(c.FPDF_StructElement_CountChildren, i, p)
        self.kid = _fast(c.FPDF_StructElement_GetChildAtIndex, p, p, i)
        self.kid_mcid = _fast(c.FPDF_StructElement_GetChildMarkedContentID, i, p, i)
        self.mcid_count = _fast(c.FPDF_StructElement_GetMarkedContentIdCount, i, p)
        self.mcid_at = _fast(c.FPDF_StructElement_GetMarkedContentIdAtIndex, i, p, i)
        self.count_objects = _fast(c.FPDFPage_CountObjects, i, p)
        self.page_object = _fast(c.FPDFPage_GetObject, p, p, i)
        self.form_count = _fast(c.FPDFFormObj_CountObjects, i, p)
        self.form_object = _fast(c.FPDFFormObj_GetObject, p, p, u)
        self.object_type = _fast(c.FPDFPageObj_GetType, i, p)
        self.object_matrix = _fast(c.FPDFPageObj_GetMatrix, i, p, p)
        self.fill_color = _fast(c.FPDFPageObj_GetFillColor, i, p, p, p, p, p)
        self.draw_mode = _fast(c.FPDFPath_GetDrawMode, i, p, p, p)
        self.count_segments = _fast(c.FPDFPath_CountSegments, i, p)
        self.segment = _fast(c.FPDFPath_GetPathSegment, p, p, i)
        self.point = _fast(c.FPDFPathSegment_GetPoint, i, p, p, p)
        self.segment_type = _fast(c.FPDFPathSegment_GetType, i, p)
        self.segment_close = _fast(c.FPDFPathSegment_GetClose, i, p)


_API: list[_Api] = []


def _api() -> _Api:
    if not _API:
        _API.append(_Api(_raw()))
    return _API[0]


def _address(handle: Any) -> int:
    """The address a pypdfium2 handle holds."""
    return ctypes.cast(handle, ctypes.c_void_p).value or 0


def _struct_type(api: _Api, element: int, buf: Any) -> str:
    n = api.element_type(element, ctypes.addressof(buf), ctypes.sizeof(buf))
    if n <= 2 or n > ctypes.sizeof(buf):
        return ""
    return bytes(buf)[: n - 2].decode("utf-16-le", "replace")


class Structure:
    """A tagged document's structure tree, read page by page: :meth:`tags` gives a page's MCIDs
    their paragraph elements.

    PDFium builds each page's tree afresh, every element with all its kids, though only the kids
    on that page are loaded: an element whose kids run through the whole document (a table's rows,
    a repeated header cell's marked content on every page) is walked again on every page. Its kids'
    kinds (an element, or marked content) are the document's, the same on every page, and are
    remembered for such an element (by its path of kid indices from the root), so each kid costs
    one call a page rather than two; and marked content, which lies on one page, is not asked
    for again once it was found on a page read before (pages are read in order).
    """

    def __init__(self) -> None:
        self.api = _api()
        self.buf = ctypes.create_string_buffer(128)
        #: element path → (indices of kids that are elements, of kids that are marked content)
        self.kinds: dict[tuple[int, ...], tuple[list[int], list[int]]] = {}

    def _kinds(self, element: int, n: int, path: tuple[int, ...]) -> tuple[list[int], list[int]]:
        kinds = self.kinds.get(path)
        if kinds is None:
            mcid_at = self.api.mcid_at
            content = [k for k in range(n) if mcid_at(element, k) >= 0]
            taken = set(content)
            kinds = self.kinds[path] = ([k for k in range(n) if k not in taken], content)
        return kinds

    def tags(self, page: int) -> dict[int, int]:
        """MCID → paragraph element number for one page (empty when untagged or unreadable).

        An element's kids may be marked content on other pages (a paragraph over a page break),
        whose MCIDs PDFium may give without their page: an MCID claimed by two elements is left
        out (its lines are read by geometry) rather than given to the wrong paragraph.
        """
        api = self.api
        tree = api.tree(page)
        if not tree:
            return {}
        owner: dict[int, int | None] = {}
        clash: set[int] = set()
        kid, kid_mcid = api.kid, api.kid_mcid

        def claim(mcid: int, para: int | None) -> None:
            if mcid in owner and owner[mcid] != para:
                clash.add(mcid)
            owner[mcid] = para

        try:
            seen = 0
            stack: list[tuple[int, tuple[int, ...], int | None]] = []
            for i in range(api.tree_count(tree)):
                child = api.tree_child(tree, i)
                if child:
                    stack.append((child, (i,), None))
            while stack:
                element, path, para = stack.pop()
                seen += 1
                if seen > MAX_STRUCT_ELEMENTS or len(path) > MAX_STRUCT_DEPTH + 1:
                    return {}
                if para is None and _struct_type(api, element, self.buf) in PARAGRAPH_TYPES:
                    para = seen
                n = api.count_kids(element)
                if n >= MANY_KIDS:
                    elements, content = self._kinds(element, n, path)
                    for k in elements:
                        child = kid(element, k)
                        if child:
                            stack.append((child, (*path, k), para))
                    found = [(k, mcid) for k in content if (mcid := kid_mcid(element, k)) >= 0]
                    for _, mcid in found:
                        claim(mcid, para)
                    if found:
                        done = {k for k, _ in found}
                        content[:] = [k for k in content if k not in done]
                    continue
                for k in range(n):
                    child = kid(element, k)
                    if child:
                        stack.append((child, (*path, k), para))
                    elif (mcid := kid_mcid(element, k)) >= 0:
                        claim(mcid, para)
                if n <= 0:
                    for k in range(api.mcid_count(element)):
                        if (mcid := api.mcid_at(element, k)) >= 0:
                            claim(mcid, para)
        finally:
            api.close_tree(tree)
        return {mcid: para for mcid, para in owner.items() if para is not None and mcid not in clash}


Affine = tuple[float, float, float, float, float, float]


def _display(box: tuple[float, float, float, float], rotation: int) -> Affine:
    """``(a, b, c, d, e, f)`` taking a point ``(x, y)`` of the page's user space to the page as
    displayed (its ``/Rotate`` applied, clockwise), origin at the top left, ``y`` down:
    ``(a·x + c·y + e, b·x + d·y + f)``."""
    left, bottom, right, top = box
    return {90: (0.0, 1.0, 1.0, 0.0, -bottom, -left), 180: (-1.0, 0.0, 0.0, 1.0, right, -bottom),
            270: (0.0, -1.0, -1.0, 0.0, top, right)}.get(rotation % 360, (1.0, 0.0, 0.0, -1.0, -left, top))


def _codes(api: _Api, textpage: int, n: int) -> list[int]:
    """The code unit of each of the text page's ``n`` characters: in one call where PDFium gives
    one unit per character (it leaves out characters without a Unicode mapping), else one by one."""
    buf = (ctypes.c_ushort * (n + 1))()
    if n and api.get_text(textpage, 0, n, ctypes.addressof(buf)) == n + 1:
        return list(buf)[:n]
    return [api.unicode(textpage, i) for i in range(n)]


def _glyphs(textpage: int, to: Affine, tags: dict[int, int]) -> tuple[list[Glyph], int]:
    """The page's glyphs (in display space: ``to``), and how many have no Unicode mapping."""
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
        if tags:
            obj = text_object(textpage, i)
            mcid = mcids.get(obj)
            if mcid is None:
                mcid = mcids[obj] = mcid_of(obj) if obj else -1
            tag = tags.get(mcid) if mcid >= 0 else None
        origin(textpage, i, ox_p, oy_p)
        base = tb * ox.value + td * oy.value + tf
        xa, xb = ta * left + tc * bottom + te, ta * right + tc * top + te
        out.append(Glyph(chr(cp), min(xa, xb), base - ASCENT * size, max(xa, xb), base + DESCENT * size,
                         size, 1.0, tag))
    return out, unmapped


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
        self._ints = (ctypes.c_int * 2)()  # fill mode, stroke
        self._xy = (ctypes.c_float * 2)()
        self._rgba = (ctypes.c_uint * 4)()
        self._m = (ctypes.c_float * 6)()  # FS_MATRIX: a, b, c, d, e, f

    def walk(self, count: int, get: Any, matrix: tuple[float, ...], depth: int) -> None:
        """Objects ``get(i)`` for ``i`` below ``count`` (each an address), under ``matrix``."""
        c, api = self.c, self.api
        object_type = api.object_type
        path_type, image_type, form_type = c.FPDF_PAGEOBJ_PATH, c.FPDF_PAGEOBJ_IMAGE, c.FPDF_PAGEOBJ_FORM
        for i in range(count):
            self.objects += 1
            if self.objects > self.limit:
                raise OverflowError(self.objects)
            obj = get(i)
            kind = object_type(obj)
            if kind == path_type:
                self._path(obj, matrix)
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


def page_input(doc: Any, index: int, settings: PageSettings, tagged: bool, max_objects: int,
               structure: Structure | None = None) -> tuple[PageInput, int]:
    """Page ``index`` (0-based) as a page-stage input, and its count of characters without a
    Unicode mapping. Raises :class:`OverflowError` for a page with more than ``max_objects``
    objects. ``structure``: the document's, shared by its pages read in order (a fresh one when
    not given)."""
    pdfium_c = _raw()
    page = doc[index]
    try:
        box = page.get_cropbox()
        left, bottom, right, top = (float(v) for v in box)
        rotation = page.get_rotation() % 360
        to = _display((left, bottom, right, top), rotation)
        width, height = (top - bottom, right - left) if rotation in (90, 270) else (right - left, top - bottom)
        raw = page.raw
        api = _api()
        at = _address(raw)
        count = api.count_objects(at)
        if count > max_objects:
            raise OverflowError(max_objects)
        paths = _Paths(pdfium_c, to, settings, max_objects)
        paths.walk(count, lambda j: api.page_object(at, j), (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), 0)
        tags = (structure if structure is not None else Structure()).tags(at) if tagged else {}
        textpage = page.get_textpage()
        try:
            glyphs, unmapped = _glyphs(_address(textpage.raw), to, tags)
        finally:
            textpage.close()
        return PageInput(index + 1, width, height, glyphs, paths.segments, bool(tags),
                         paths.images), unmapped
    finally:
        page.close()
