"""What a cell's text says of a row cut by a page break (:mod:`._stitch` weighs it with the
geometry): a number of its own after the one above (a fresh row), a unit list stopped inside a name
or closed by the 等 on the next page (it went on), a list of whole names over a name (either)."""

from __future__ import annotations

import re

from zwgk._numbering import numbering_style
from zwgk.readers.page._text import MID_SENTENCE
from zwgk.units.shapes import begins_like_unit, ends_like_unit

__all__ = ["LIST_CLOSE", "list_closed", "name_cut", "names_end", "next_number", "own_serial"]

_BARE_SERIAL = re.compile(r"[0-9]{1,4}")


def own_serial(above: str, here: str) -> bool:
    """Whether ``here`` starts with a number in the style of the one ``above`` starts with (a
    fresh row numbers itself as the row before did: 25. then 26.), or is the bare number after
    the one ``above`` is (a 序号 column: 4 then 5)."""
    style = numbering_style(above)
    if style is not None and numbering_style(here) == style:
        return True
    return next_number(above, here)


def next_number(above: str, here: str) -> bool:
    """Whether ``here`` is the bare number after the one ``above`` is (a 序号 column: 4 then 5). A
    cell holding a bare number is never cut by a page: the next one is the next row's, whatever the
    cells beside it say (unlike a numbered paragraph, which a cut cell may go on with)."""
    a, h = above.strip(), here.strip()
    return bool(_BARE_SERIAL.fullmatch(a) and _BARE_SERIAL.fullmatch(h)) and int(h) == int(a) + 1


#: What separates the names of a unit list, and the brackets inside which it does not.
_SEPARATORS = frozenset("、，,；;／/")
_OPEN, _CLOSE = frozenset("（(【[《〔"), frozenset("）)】]》〕")


def _pieces(text: str) -> list[str]:
    """``text`` cut at the separators outside brackets, as a unit cell lists its names (the unit
    splitter's first step, without its reading of line breaks), empty pieces left out."""
    out: list[str] = []
    depth = start = 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch in _SEPARATORS and depth == 0:
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    return [p.strip() for p in out if p.strip()]


def names_end(above: str, here: str) -> bool:
    """Whether a cell's text ``above`` is a list of whole unit names (every piece between its
    separators ends like one, none left open) and ``here`` begins like a unit name. Its last line
    filling the cell then says nothing of a cut: the list ended there, or goes on with the next
    name on the next line, as unit cells list names one to a line (and a list wrapped mid-line
    would have ended the line with its separator)."""
    if not above or not here or above.endswith(MID_SENTENCE) or not begins_like_unit(here):
        return False
    pieces = _pieces(above)
    return bool(pieces) and all(ends_like_unit(p) for p in pieces)


def name_cut(above: str, here: str) -> bool:
    """Whether a cell's text ``above`` ends inside a unit name that ``here`` finishes: its last piece
    begins like a unit name and does not end like one (every piece before it a whole name:
    ``市公安局、市财政``), the text here does not begin like one, and the two joined end like one
    (``局、市市场监管局``: ``市财政局``). The rest of the name went over the page, as surely as a
    list stopped at its separator (:data:`MID_SENTENCE`)."""
    if not above or not here or begins_like_unit(here):
        return False
    pieces, rest = _pieces(above), _pieces(here)
    if not pieces or not rest:
        return False
    last = pieces[-1]
    return all(ends_like_unit(p) for p in pieces[:-1]) and begins_like_unit(last) \
        and not ends_like_unit(last) and ends_like_unit(last + rest[0])


#: What closes a list of unit names (``市财政局等``, ``等相关部门（单位）``): no list begins with it.
LIST_CLOSE = "等"


def list_closed(above: str, here: str) -> bool:
    """Whether ``here`` closes the list of whole unit names ``above`` (it opens with the 等 that ends a
    list: ``市住房城乡建设局`` then ``等相关部门（单位）``): the list went on over the page, as surely
    as one stopped at its separator."""
    pieces = _pieces(above)
    return here.startswith(LIST_CLOSE) and bool(pieces) and all(ends_like_unit(p) for p in pieces)
