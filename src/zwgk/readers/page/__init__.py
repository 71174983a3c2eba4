"""The page stage: glyphs with boxes and ruling segments in, tables and paragraphs out.

It knows nothing of where its input came from: the PDF reader feeds it the text layer's glyphs and
the ruling drawn by vector paths, and a reader of scans can feed it OCR boxes and ruling found in
the pixels (:class:`PageSettings` ``unit_size`` scales every distance to pixels).

    >>> from zwgk.readers.page import Glyph, PageInput, PageSettings, Segment, read_pages
    >>> box = [Segment(10, 10, 110, 10), Segment(10, 40, 110, 40),
    ...        Segment(10, 10, 10, 40), Segment(110, 10, 110, 40)]
    >>> glyphs = [Glyph("任", 14, 18, 26, 30, 12), Glyph("务", 26, 18, 38, 30, 12)]
    >>> read = read_pages([PageInput(1, 200, 100, glyphs, box)], "x.pdf", PageSettings())
    >>> read.tables[0].rows[0][0].text
    '任务'

Per page (:mod:`._cells`): tables found from the ruling (:mod:`._ruling`), each glyph put in the
cell under its centre, each cell's lines rebuilt into paragraphs by the CJK line-breaking rules
(:mod:`._text`); on a page without ruling, a table laid out in columns under a task table's
header is read from its text's alignment (:mod:`._aligned`). Over the pages: a table continued on
the next page, recognised by its column edges, is joined into one grid, repeated header rows
dropped and rows cut by the page break joined (:mod:`._stitch`); the text outside tables loses its
page furniture (page numbers, running headers and footers, reported in :attr:`PageRead.warnings`)
and becomes the tables' preamble and epilogue and the body's paragraphs in reading order
(:mod:`._body`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from attrs import field, frozen

from zwgk.errors import ParseError, Position
from zwgk.readers.page._body import is_page_number
from zwgk.readers.page._model import Glyph, PageInput, PageSettings, Segment
from zwgk.readers.page._text import is_ideograph
from zwgk.table.document import Document
from zwgk.table.grid import Grid

__all__ = ["Glyph", "PageInput", "PageRead", "PageSettings", "Segment", "is_ideograph", "is_page_number", "read_pages"]

Paragraph = tuple[str, Position]


@frozen
class PageRead:
    """What the page stage read from a document's pages.

    :param tables: the tables, a table over several pages joined into one grid, in page order.
    :param paragraphs: the body's paragraphs outside tables, in reading order (page furniture
        left out), each with its position (page; ``line`` is its number in the body).
    :param warnings: what was read but is in neither (page furniture, text inside a table's frame
        but in no cell) or was read with doubt (a row that may or may not continue over a page
        break), each naming where.
    :param chars: visible glyphs read; ``images``: images on the pages.
    """

    tables: tuple[Grid, ...]
    paragraphs: tuple[Paragraph, ...]
    warnings: tuple[str, ...] = ()
    chars: int = 0
    images: int = 0
    pages_without_text: tuple[int, ...] = field(default=())

    def document(self, kind: str = "document", tables_are: str = "tables") -> Document:
        """The :class:`~zwgk.table.document.Document` a reader hands over (warnings aside)."""
        return Document(self.tables, self.paragraphs, kind=kind, tables_are=tables_are)


def read_pages(
    pages: Iterable[PageInput],
    source: str,
    settings: PageSettings | None = None,
    *,
    check: Callable[[PageInput], None] | None = None,
) -> PageRead:
    """Read ``pages`` (in order) into tables and body paragraphs.

    Text past a page's edge is read, with a warning, where a table drawn past the edge holds it; text
    past the edge outside any table (a table cut off at the edge when the file was made) is a
    :class:`~zwgk.errors.ParseError` naming the page.

    :param source: the file the pages come from, for positions and warnings.
    :param check: called with each page before it is read (a reader's limits, or its refusal of a
        page it cannot read); what it raises propagates.
    """
    from zwgk.readers.page._aligned import Follow, find_aligned
    from zwgk.readers.page._body import Body
    from zwgk.readers.page._cells import read_page, set_outside
    from zwgk.readers.page._stitch import Stitcher

    s = settings if settings is not None else PageSettings()
    body = Body(source)
    stitcher = Stitcher(source, s, body)
    grids: list[Grid] = []
    warnings: list[str] = []
    chars = images = 0
    empty: list[int] = []
    follow = Follow()  # an aligned table running to a page's end, for the next page
    for page in pages:
        if check is not None:
            check(page)
        content = read_page(page, s)
        if not content.tables:  # no ruling: a table laid out in columns under a header?
            aligned = find_aligned([g for _, ln in content.glyph_lines for g in ln], page.height, follow)
            if aligned.tables:
                content.tables.extend(aligned.tables)
                set_outside(content, aligned.rest)
            content.notes.extend(aligned.notes)
            content.kept |= aligned.kept
        else:
            follow.open = False  # a ruled table follows: no aligned one goes on over this page
        if content.cut:
            raise ParseError(f"text lies outside the page ({content.cut!r}): the table was wider than the page "
                             "and was cut off when the file was made; make it again from the Word file with the "
                             "table fitted to the page", Position(file=source, page=page.number))
        if content.beyond:
            warnings.append(f"{source}, page {page.number}: the table runs past the page's edge; the text there "
                            f"was read ({content.beyond!r}…), though a printout would not show it")
        chars += content.chars
        images += content.images
        if not content.chars:
            empty.append(page.number)
        if content.stray:
            warnings.append(f"{source}, page {page.number}: text inside a table's frame but in no cell "
                            f"(its ruling leaves the area open), not in the table: "
                            + " / ".join(content.stray))
        warnings.extend(f"{source}, page {page.number}: {note}" for note in content.notes)
        lines = body.feed(page.number, page.height, content.glyph_lines, content.kept)
        grids.extend(t.grid(source) for t in stitcher.feed(content, lines))
        warnings.extend(stitcher.take_warnings())
        del page, content, lines  # let the page's glyphs and cells go before the next page is read
    grids.extend(t.grid(source) for t in stitcher.finish())
    warnings.extend(stitcher.take_warnings())
    warnings.extend(body.warnings())
    return PageRead(tuple(grids), tuple(body.paragraphs()), tuple(warnings), chars, images, tuple(empty))
