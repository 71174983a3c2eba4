"""Paragraphs of a tagged PDF, read from its structure tree.

A tagged PDF (Word's "Save as PDF" writes one by default; LibreOffice with ``UseTaggedPDF``)
marks every run of text with a marked-content id (MCID) and files it under a structure element
(``P`` for a paragraph, ``H1``, ``LI``...). Where geometry cannot tell a wrapped line from a
paragraph that ends on a line filled exactly to the cell's edge, the structure can: two lines
belong to one paragraph when their text sits under the same paragraph element.

Only the page's own entry in the structure's ``ParentTree`` (MCID → the element owning it) and the
chain of parents above each element are read, not the whole tree, so the cost is a few objects
per line. Anything unexpected in the structure (a damaged tree, a loop, an unknown layout) gives
no tags for that page, and its lines are read by geometry alone, as in an untagged PDF.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["PARAGRAPH_TYPES", "Tags"]

#: Standard structure types that hold one paragraph of text (PDF 1.7, 14.8.4).
PARAGRAPH_TYPES = frozenset({"P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "Lbl", "LBody", "Caption", "TOCI",
                             "BlockQuote"})
#: Parents followed up from an MCID's element before giving up (a loop or an absurd depth).
MAX_DEPTH = 32
#: Entries read from the ParentTree number tree at most (a PDF bomb meets this, not the memory).
MAX_ENTRIES = 1_000_000


def _name(value: Any) -> str | None:
    from pdfminer.psparser import PSLiteral

    if isinstance(value, PSLiteral):
        return str(value.name)
    return value if isinstance(value, str) else None


class Tags:
    """The paragraph structure of one tagged PDF document (see :meth:`of`)."""

    def __init__(self, parent_tree: Any, role_map: Mapping[str, Any]) -> None:
        self._parent_tree = parent_tree
        self._role_map = role_map
        # each page's StructParents key → the object ids owning its MCIDs (or a reference to that array)
        self._nums: dict[int, Any] | None = None
        self._doc: Any = None  # the document the object ids are in
        self._paragraph: dict[int, int | None] = {}  # element object id → its paragraph's (one page's worth)

    @classmethod
    def of(cls, doc: Any) -> Tags | None:
        """The tags of a pdfminer document, or ``None`` when it is not tagged (or its tags are unusable)."""
        from pdfminer.pdftypes import resolve1

        try:
            catalog = doc.catalog
            mark = resolve1(catalog.get("MarkInfo"))
            root = resolve1(catalog.get("StructTreeRoot"))
            if not isinstance(root, dict) or not (isinstance(mark, dict) and resolve1(mark.get("Marked"))):
                return None
            parent_tree = root.get("ParentTree")
            if parent_tree is None:
                return None
            role_map = resolve1(root.get("RoleMap"))
            return cls(parent_tree, role_map if isinstance(role_map, dict) else {})
        except Exception:  # unusable tags: the document is read as untagged
            return None

    def _flatten(self) -> dict[int, Any]:
        from pdfminer.pdftypes import resolve1

        nums: dict[int, Any] = {}
        stack = [(self._parent_tree, 0)]
        while stack:
            node, depth = stack.pop()
            node = resolve1(node)
            if not isinstance(node, dict) or depth > MAX_DEPTH:
                continue
            pairs = resolve1(node.get("Nums"))
            if isinstance(pairs, list):
                for key, value in zip(pairs[::2], pairs[1::2], strict=False):
                    if isinstance(key, int):
                        nums[key] = self._ids(value) if isinstance(value, list) else value
            kids = resolve1(node.get("Kids"))
            if isinstance(kids, list):
                stack.extend((kid, depth + 1) for kid in kids)
            if len(nums) > MAX_ENTRIES:
                raise ValueError("structure parent tree too large")
        return nums

    def _ids(self, owners: list[Any]) -> tuple[int | None, ...]:
        """The object ids of an MCID → owner array (kept instead of pdfminer's reference objects)."""
        from pdfminer.pdftypes import PDFObjRef

        out: list[int | None] = []
        for ref in owners:
            if isinstance(ref, PDFObjRef):
                self._doc = self._doc or ref.doc
                out.append(ref.objid)
            else:
                out.append(None)
        return tuple(out)

    def _type(self, element: dict[str, Any]) -> str | None:
        kind = _name(element.get("S"))
        for _ in range(MAX_DEPTH):  # a role map may map a custom type to another custom type
            mapped = _name(self._role_map.get(kind)) if kind is not None else None
            if mapped is None or mapped == kind:
                break
            kind = mapped
        return kind

    def _paragraph_of(self, objid: int | None) -> int | None:
        from pdfminer.pdftypes import PDFObjRef, resolve1

        chain: list[int] = []
        found: int | None = None
        while objid is not None and len(chain) < MAX_DEPTH:
            if objid in self._paragraph:
                found = self._paragraph[objid]
                break
            chain.append(objid)
            element = resolve1(self._doc.getobj(objid))
            if not isinstance(element, dict):
                break
            if self._type(element) in PARAGRAPH_TYPES:
                found = objid
                break
            parent = element.get("P")
            objid = parent.objid if isinstance(parent, PDFObjRef) else None
        for seen in chain:
            self._paragraph[seen] = found
        return found

    def paragraphs(self, page: Any) -> dict[int, int]:
        """MCID → paragraph (an id shared by the MCIDs of one paragraph) for a pdfplumber page;
        empty when the page's tags cannot be read."""
        from pdfminer.pdftypes import resolve1

        try:
            key = resolve1(page.page_obj.attrs.get("StructParents"))
            if not isinstance(key, int):
                return {}
            if self._nums is None:
                self._nums = self._flatten()
            owners = self._nums.get(key)
            if not isinstance(owners, tuple):
                owners = resolve1(owners)
                if not isinstance(owners, list):
                    return {}
                owners = self._ids(owners)
            if self._doc is None:
                return {}
            self._paragraph.clear()  # a cache for this page: memory stays flat over the pages
            out: dict[int, int] = {}
            for mcid, objid in enumerate(owners):
                paragraph = self._paragraph_of(objid)
                if paragraph is not None:
                    out[mcid] = paragraph
            return out
        except Exception:  # unreadable tags on this page: geometry alone
            return {}
