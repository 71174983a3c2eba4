"""PDFium's functions as handles that pass plain addresses (one set, made on first use).

PDFium is called per character, per path segment and per structure element: a page costs
thousands of calls, and pypdfium2's own functions box every pointer they pass or return in a
ctypes object, which cost more than the calls. :func:`_fast` makes a second handle on a function
that takes and gives plain numbers; :class:`_Api` holds the ones the reader calls.
"""

from __future__ import annotations

import ctypes
from typing import Any

__all__: list[str] = []


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
        self.text_font = _fast(c.FPDFTextObj_GetFont, p, p)
        self.font_weight = _fast(c.FPDFFont_GetWeight, i, p)
        self.render_mode = _fast(c.FPDFTextObj_GetTextRenderMode, i, p)
        # the font's PostScript name (NotoSansCJKjp-Bold): in PDFium builds of 2024 and later
        named = getattr(c, "FPDFFont_GetBaseFontName", None)
        self.font_name = _fast(named, ctypes.c_size_t, p, p, ctypes.c_size_t) if named is not None else None


_API: list[_Api] = []


def _api() -> _Api:
    if not _API:
        _API.append(_Api(_raw()))
    return _API[0]


def _address(handle: Any) -> int:
    """The address a pypdfium2 handle holds."""
    return ctypes.cast(handle, ctypes.c_void_p).value or 0
