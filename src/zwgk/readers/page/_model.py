"""What the page stage takes: glyphs with boxes, ruling segments, and the settings that tune it."""

from __future__ import annotations

from collections.abc import Sequence

from attrs import field, frozen

__all__ = ["Glyph", "PageInput", "PageSettings", "Segment"]


@frozen
class Glyph:
    """One character drawn on a page, with its box.

    Coordinates have their origin at the page's top left, ``y`` growing downward, in the page's own
    unit (points for a PDF, pixels for a scan). ``y0`` is the top of the line the glyph sits on
    (its ascent), ``y1`` its bottom (descent), so the glyphs of one line share them closely.

    :param size: font size, or the glyph's height where no font size is known (OCR).
    :param confidence: how sure the source is of ``text`` (1.0 for a PDF's text layer).
    :param tag: the paragraph the glyph belongs to in a tagged document's structure (any number
        shared by the glyphs of one paragraph), or ``None``; where both lines are tagged it decides
        whether a line break ends a paragraph.
        :param bold: the glyph is set bold (a bold font, or a fill stroked to look bold), as the
        source tells; cells say where their text is bold (:attr:`zwgk.table.grid.Cell.emphasis`).
    """

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    confidence: float = 1.0
    tag: int | None = None
    bold: bool = False


@frozen
class Segment:
    """A ruling line (a drawn line, a thin rectangle, or one edge of a rectangle or cell background),
    in the same coordinates as :class:`Glyph`. Only horizontal and vertical segments make tables;
    others are ignored."""

    x0: float
    y0: float
    x1: float
    y1: float


@frozen
class PageInput:
    """One page: its size, glyphs and ruling.

    :param number: the page's number in its document, from 1.
    :param tagged: the glyphs carry :attr:`Glyph.tag` from a structure tree.
    :param images: images drawn on the page (a page with images and no glyphs is a scan).
    """

    number: int
    width: float
    height: float
    glyphs: Sequence[Glyph]
    segments: Sequence[Segment]
    tagged: bool = False
    images: int = 0


def _positive(instance: object, attribute: object, value: float) -> None:
    if not value > 0:
        raise ValueError(f"{getattr(attribute, 'name', 'value')} must be positive, not {value!r}")


@frozen
class PageSettings:
    """The tunable distances of the page stage, in points (1/72 inch).

    Every distance is multiplied by :attr:`unit_size`, the size of one point in the page's unit:
    1.0 for a PDF (whose unit is the point), ``dpi / 72`` for a scan measured in pixels. Ratios of
    the font size (line grouping, spaces, wrapping; see :mod:`zwgk.readers.page._text`) need no
    scaling. The names follow pdfplumber's table settings where the idea is the same.
    """

    #: Size of one point in the page's unit (``dpi / 72`` for pixels).
    unit_size: float = field(default=1.0, validator=_positive)
    #: Parallel ruling lines closer than this are one line (a double border, the two edges of a
    #: thin filled rectangle, the touching borders of two cells drawn each on its own).
    snap_tolerance: float = 3.0
    #: Collinear ruling pieces with a gap up to this are one line (borders drawn cell by cell).
    join_tolerance: float = 3.0
    #: A line ending this close to another still meets it (a corner not quite closed).
    intersection_tolerance: float = 3.0
    #: Ruling shorter than this (after joining) is no table border: a tick, an underline's end.
    min_edge_length: float = 3.0
    #: Rectangles thinner than this are drawn lines (Chromium draws borders as filled rectangles).
    max_line_thickness: float = 3.0
    #: Cell edges closer than this are one column or row edge.
    edge_snap: float = 2.0
    #: Column edges of two parts of one table (on consecutive pages) differ by at most this.
    column_match: float = 3.0
    #: The largest cell padding believed when finding the cells' right text edge.
    max_cell_padding: float = 8.0
    #: Ruling segments a page may hold (after joining) before it is refused: a real page holds
    #: hundreds; tens of thousands are a hostile or broken file.
    max_segments: int = 20_000

    def scaled(self, points: float) -> float:
        """A distance of ``points`` in the page's unit."""
        return points * self.unit_size
