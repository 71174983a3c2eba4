"""A tagged PDF's structure tree, read page by page through PDFium's structure API: each marked
content id (MCID) of a page given the paragraph element it sits under (``P``, ``H1``… ``LBody``:
:data:`PARAGRAPH_TYPES`, role-mapped by PDFium). The walk is bounded (:data:`MAX_STRUCT_DEPTH`,
:data:`MAX_STRUCT_ELEMENTS`); an unusable tree leaves the page untagged.
"""

from __future__ import annotations

import ctypes
from array import array
from typing import Any

from zwgk.readers.pdf._api import _Api, _api

__all__ = ["MANY_KIDS", "MAX_STRUCT_DEPTH", "MAX_STRUCT_ELEMENTS", "PARAGRAPH_TYPES", "Structure"]

#: Standard structure types that hold one paragraph of text (PDF 1.7, 14.8.4).
PARAGRAPH_TYPES = frozenset({"P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "Lbl", "LBody", "Caption", "TOCI",
                             "BlockQuote"})
#: Structure elements followed down from the page's tree before giving up.
MAX_STRUCT_DEPTH = 64
MAX_STRUCT_ELEMENTS = 200_000
#: An element with this many kids or more has their kinds remembered over the pages (:class:`Structure`).
MANY_KIDS = 32


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
        #: element path → (indices of kids that are elements, of kids that are marked content), as
        #: arrays of machine integers (a table's rows: a number each, not an object each)
        self.kinds: dict[tuple[int, ...], tuple[array[int], array[int]]] = {}
        #: paragraph element path → its number, for the paragraphs of the page read last: a paragraph
        #: keeps its number on the next page (one cut by the page break), and is let go after a page
        #: without it (numbers are never given twice, so one seen again gets a new number and reads as
        #: another paragraph; what is kept does not grow with the document)
        self.paragraphs: dict[tuple[int, ...], int] = {}
        self.numbered = 0

    def _kinds(self, element: int, n: int, path: tuple[int, ...]) -> tuple[array[int], array[int]]:
        kinds = self.kinds.get(path)
        if kinds is None:
            mcid_at = self.api.mcid_at
            content = array("l", (k for k in range(n) if mcid_at(element, k) >= 0))
            taken = set(content)
            kinds = self.kinds[path] = (array("l", (k for k in range(n) if k not in taken)), content)
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
        before: dict[tuple[int, ...], int] = self.paragraphs
        here: dict[tuple[int, ...], int] = {}
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
                    para = here.get(path)
                    if para is None:
                        para = before.get(path)
                        if para is None:
                            self.numbered += 1
                            para = self.numbered
                        here[path] = para
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
                        content[:] = array("l", (k for k in content if k not in done))
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
        self.paragraphs = here
        return {mcid: para for mcid, para in owner.items() if para is not None and mcid not in clash}
