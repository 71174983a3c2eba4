"""Text of a cell (or a line outside tables) from its glyphs.

The source (a PDF's text layer, OCR) gives one glyph at a time with its box. Characters are grouped into lines by their
vertical position; a line that ends short of the cell's right edge, by more than the next line's
first unbreakable piece would have needed, ends a paragraph (the writer broke it there); any other
line was wrapped and runs on into the next. Spaces come from gaps between characters, and are
kept only between two Latin letters or digits: a gap next to a Chinese character is the
justification or Asian/Latin spacing of the layout, not text (``〕65 号`` → ``〕65号``).

Kangxi radicals (U+2F00–U+2FD5), the CJK radicals supplement (U+2E80–U+2EF3, ``⻔`` for 门: Chromium's
fonts map glyphs to them) and CJK compatibility ideographs (U+F900–U+FAFF, U+2F800–U+2FA1F) are what some PDF fonts map
ordinary characters to; they are mapped to the unified ideographs by :data:`CJK_VARIANTS`, a table
of those blocks only (a radical whose decomposition is a traditional form, ``⼾`` 戶, to the mainland
form a simplified-Chinese font draws for it, 户), and the wave dash to the full-width tilde (3〜5 →
3～5). NFKC is not used: it would also turn full-width punctuation (，：（）) into ASCII.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from zwgk.readers.page._model import Glyph
from zwgk.vocabulary import LABELS

__all__ = [
    "CJK_VARIANTS",
    "CUT_LINE_ROOM",
    "CUT_WORD_ROOM",
    "CUT_WORD_TOLERANCE",
    "LINE_TOLERANCE",
    "MID_SENTENCE",
    "NEVER_LINE_START",
    "PARAGRAPH_GAP",
    "SENTENCE_END",
    "SPACE_GAP",
    "WRAP_TOLERANCE",
    "CellText",
    "is_cjk",
    "joiner",
    "line_pitch",
    "line_text",
    "lines_of",
    "need",
    "padding",
    "paragraphs",
    "pitches",
    "starts_paragraph",
    "wraps",
]

#: Characters whose tops differ by less than this fraction of the font size are on one line (a
#: Latin font and a CJK font on one baseline report tops up to a quarter of the size apart).
LINE_TOLERANCE = 0.5
#: A gap between two characters wider than this fraction of the font size is a space (between
#: Latin letters and digits; never next to a Chinese character).
SPACE_GAP = 0.2
#: A line counts as wrapped (not a paragraph end) unless the room left at its right end exceeds
#: what the next line's first piece needed by more than this fraction of the font size.
WRAP_TOLERANCE = 0.25
#: A cell's last line that leaves less room than this many font sizes at its right end may have
#: been cut by a page break (two: a character and the closing punctuation that may not start the
#: next line travel together).
CUT_LINE_ROOM = 2.25
#: A line that is one token (no space, no CJK character) and leaves less room at its right end than
#: the next line's first character needs (plus this many font sizes) was cut inside the token: a
#: word or number longer than the line, which writers break anywhere, so the next line runs on
#: without a space. A cell's last line (the next character is on the next page) is taken as cut
#: when it leaves less than this many font sizes: about one Latin character.
CUT_WORD_ROOM = 0.6
#: How much more room than the next character needs (in font sizes) still counts as none: the
#: cell's padding is estimated, not read.
CUT_WORD_TOLERANCE = 0.1

#: Two lines further apart than the table's line pitch by more than this many font sizes are two
#: paragraphs: the writer put space between paragraphs (LibreOffice's HTML gives each paragraph a
#: bottom margin, Word a space after), and a wrapped line never stands further down than the
#: pitch (a line of other fonts than the one before it may stand a few tenths of a size lower).
PARAGRAPH_GAP = 0.6

#: Characters that may not start a line (closing punctuation): a line break before one of them
#: takes the character before it along.
NO_LINE_START = frozenset("，。、；：？！）》」』】〕〉”’…—·%,.;:?!)]}")
#: The characters of :data:`NO_LINE_START` that the writers never put at the start of a wrapped
#: line (LibreOffice, measured by wrapping each before it in a narrow cell, lets only ``%``, ``—``
#: and ``…`` start one): a line starting with one of them starts a paragraph.
NEVER_LINE_START = NO_LINE_START - frozenset("%—…")
#: Punctuation no cell's text ends with (a sentence or a list of units goes on after it): a cell
#: whose text stops at one, on the last row of a page, goes on over the page break.
MID_SENTENCE = ("，", "、", ",")
#: Punctuation that ends a sentence: a line ending with one, before a line opening with a role
#: label, ends its paragraph (:func:`starts_paragraph`).
SENTENCE_END = ("。", "！", "？", "；")
_LABEL_START = re.compile("^(?:" + "|".join(re.escape(k) for k in sorted(LABELS, key=len, reverse=True)) + ")[:：]")
_LABEL_CHARS = 1 + max(len(k) for k in LABELS)
#: Characters that may not end a line (opening punctuation): they go to the next line with the
#: character after them.
NO_LINE_END = frozenset("（《「『【〔〈“‘([{")
#: Quotation marks: some writers (Pango, after UAX #14) break no line before or after one, so a
#: line's first piece runs on through them.
QUOTES = frozenset("“”‘’")


#: The CJK radicals supplement (U+2E81–U+2E99, U+2E9B–U+2EF3) has no decompositions: the unified
#: ideograph each radical stands for, in code point order (Unicode's EquivalentUnifiedIdeograph.txt).
_SUPPLEMENT = (
    (0x2E81, "厂乛乚乙亻冂几刀刂卜㔾小小尢尣尢尣巳幺彑彐忄心扌攵"),
    (0x2E9B, "旡日月歺母民氵氺灬爫爫丬牛犭王疋目示礻竹糹纟罓罒网网网羊羊羋耂肀聿肉臼艹艹艹虎衤覀西见角角讠贝足车辶辶辶"
             "邑钅長镸长门阜阝雨青韦页风飞食食飠饣首马骨鬼鱼鸟卤麦黄黾斉齐歯齿竜龙龜亀龟"),
)


#: Kangxi radicals whose decomposition is a traditional form encoded apart from the mainland one
#: (戶/户, 靑/青, 黃/黄): a simplified-Chinese font draws the radical with the glyph of the mainland
#: form, and a writer mapping that glyph back to a code point may give the radical for it
#: (``⼾`` in 门户网站), so the radical stands for the mainland form.
_MAINLAND_FORMS = {0x2F3E: "户", 0x2FAD: "青", 0x2FC8: "黄"}
#: The wave dash (U+301C), the Japanese code point of the glyph a Chinese font draws for the full-width
#: tilde of ranges (3～5): a writer mapping the glyph back may give it for ～ (U+FF5E), as other
#: readers keep it.
_LOOKALIKE_PUNCTUATION = {0x301C: "～"}


def _variants() -> dict[int, str]:
    table: dict[int, str] = {}
    blocks = ((0x2F00, 0x2FDF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F))
    for lo, hi in blocks:
        for cp in range(lo, hi + 1):
            dec = unicodedata.decomposition(chr(cp)).split()
            if dec and dec[0] == "<compat>":
                dec = dec[1:]
            if len(dec) == 1:
                target = int(dec[0], 16)
                if 0x3400 <= target <= 0x9FFF or 0x20000 <= target <= 0x3FFFF:
                    table[cp] = chr(target)
    for first, targets in _SUPPLEMENT:
        table.update((first + i, t) for i, t in enumerate(targets))
    table.update(_MAINLAND_FORMS)
    table.update(_LOOKALIKE_PUNCTUATION)
    return table


#: Kangxi radicals, the CJK radicals supplement and CJK compatibility ideographs → the unified
#: ideograph (only these blocks), and the wave dash → the full-width tilde.
CJK_VARIANTS: dict[int, str] = _variants()


def is_cjk(ch: str) -> bool:
    """A Chinese character or CJK/full-width punctuation (anything next to which a gap is layout)."""
    o = ord(ch)
    return (0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFE30 <= o <= 0xFE4F
            or 0xFF00 <= o <= 0xFFEF or 0x20000 <= o <= 0x3FFFF or ch in "“”‘’…—·")


def is_ideograph(ch: str) -> bool:
    """A Chinese character (CJK unified or compatibility ideograph), no punctuation."""
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\U00020000" <= ch <= "\U0003ffff"


Char = Glyph


def _latin(ch: str) -> bool:
    return ch.isalnum() and not is_cjk(ch)


def lines_of(chars: Sequence[Char]) -> list[list[Char]]:
    """Characters grouped into lines, top to bottom, each line left to right."""
    out: list[list[Char]] = []
    line: list[Char] = []
    top = 0.0
    for c in sorted(chars, key=lambda c: (c.y0, c.x0)):
        if line and c.y0 - top > LINE_TOLERANCE * c.size:
            out.append(sorted(line, key=lambda c: c.x0))
            line = []
        if not line:
            top = c.y0
        line.append(c)
    if line:
        out.append(sorted(line, key=lambda c: c.x0))
    return out


def _visible(line: Sequence[Char]) -> list[Char]:
    return [c for c in line if c.text.strip()]


def line_text(line: Sequence[Char]) -> str:
    """The text of one line: characters joined, spaces only between Latin letters and digits."""
    parts: list[str] = []
    prev: Char | None = None
    pending_space = False
    for c in line:
        t: str = c.text
        if not t.strip():
            pending_space = prev is not None
            continue
        t = t.translate(CJK_VARIANTS)
        if prev is not None:
            gap = c.x0 - prev.x1
            if (pending_space or gap > SPACE_GAP * c.size) and not is_cjk(prev.text[-1]) \
                    and not is_cjk(t[0]):
                parts.append(" ")
        parts.append(t)
        prev = c
        pending_space = False
    return "".join(parts)


def _first_piece(line: Sequence[Char]) -> float:
    """The width the line's first unbreakable piece needs at the end of the line before."""
    vis = _visible(line)
    if not vis:
        return 0.0
    first = vis[0]
    size = float(first.size)
    if not is_cjk(first.text[0]):  # a Latin word, the punctuation after it, and the space before it
        n = 1
        while n < len(vis) and vis[n].x0 - vis[n - 1].x1 <= SPACE_GAP * vis[n].size \
                and (not is_cjk(vis[n].text[0]) or vis[n].text in NO_LINE_START):
            n += 1
        # a quotation mark right after the word travels with it as after a CJK character (0“好。)
        if n < len(vis) and vis[n].x0 - vis[n - 1].x1 <= SPACE_GAP * vis[n].size:
            n = _through_quotes(vis, n)
        return float(vis[n - 1].x1 - first.x0) + SPACE_GAP * size
    n = 1
    if first.text in NO_LINE_END and len(vis) > 1:
        n = 2
        # An opening bracket before a Latin word (（2-1）): the word, a hyphen between digits within it
        # (writers that follow UAX #14 keep 2-1 whole; LibreOffice breaks after the hyphen, and its
        # line then starts with the 1）, whose piece is measured as any other).
        while n < len(vis) and not is_cjk(vis[n - 1].text[0]) and not is_cjk(vis[n].text[0]) \
                and (vis[n - 1].text != "-" or (n >= 2 and vis[n - 2].text.isdigit() and vis[n].text.isdigit())) \
                and vis[n].x0 - vis[n - 1].x1 <= SPACE_GAP * vis[n].size:
            n += 1
    return float(vis[_through_quotes(vis, n) - 1].x1 - first.x0)


def _through_quotes(vis: Sequence[Char], n: int) -> int:
    """How many of the glyphs ``vis`` a line's first piece holds, its first ``n`` taken: it goes on
    through closing punctuation and through quotation marks."""
    while n < len(vis):
        if vis[n].text in NO_LINE_START:
            n += 1
        elif vis[n].text in QUOTES or vis[n - 1].text in QUOTES:
            # no break before or after a quotation mark (UAX #14's rule, as Pango applies it:
            # 略”、“重 and 障”（不 travel whole); an opening mark takes the character after it along
            n += 1
            if vis[n - 1].text in NO_LINE_END and n < len(vis):
                n += 1
        else:
            break
    return n


def starts_paragraph(line: Sequence[Char] | str, before: str = "") -> bool:
    """Whether a line (its characters or its text) can only start a paragraph: it starts with a
    character no wrapped line starts with (:data:`NEVER_LINE_START`), or, after a line ending a
    sentence (``before`` ends with :data:`SENTENCE_END`), with a role label (``责任单位：``: the
    labels of :data:`zwgk.vocabulary.LABELS`, as the paragraph form writes them)."""
    text = line if isinstance(line, str) else line_text(_visible(line)[:_LABEL_CHARS])
    if text[:1] in NEVER_LINE_START:
        return True
    return before.endswith(SENTENCE_END) and _LABEL_START.match(text) is not None


def _anchor(line: Sequence[Char], cjk: bool) -> Char | None:
    """The first visible glyph of ``line`` that is (``cjk``) or is not a Chinese character or CJK
    punctuation: a line's place is measured by glyphs of one kind (a Latin font and a CJK font on
    one line report tops apart)."""
    return next((c for c in _visible(line) if is_cjk(c.text[0]) == cjk), None)


def _step(above: Sequence[Char], below: Sequence[Char]) -> tuple[float, float] | None:
    """How far ``below`` stands under ``above``, in font sizes, and the size: measured between
    glyphs of one kind (CJK where both lines hold one, else Latin: a line of digits above a line
    ending with ``。``) and one size; ``None`` where the lines share no kind or the sizes differ."""
    for cjk in (True, False):
        a, b = _anchor(above, cjk), _anchor(below, cjk)
        if a is not None and b is not None:
            if a.size != b.size or b.size <= 0:
                return None
            return float(b.size), float(b.y0 - a.y0) / float(b.size)
    return None


def line_pitch(cells: Sequence[Sequence[Sequence[Char]]]) -> float | None:
    """The least step between two consecutive lines of one cell (:func:`_step`): the pitch of a
    wrapped line, the one distance no paragraph break shortens. ``None`` where no cell holds two
    such lines."""
    return min(pitches(cells).values(), default=None)


def pitches(blocks: Sequence[Sequence[Sequence[Char]]]) -> dict[float, float]:
    """:func:`line_pitch` by font size, over blocks of consecutive lines (a page's body text): a
    title set larger may be set closer than its body text, so each size is measured by its own lines."""
    found: dict[float, float] = {}
    for lines in blocks:
        for a, b in itertools.pairwise(lines):
            if (st := _step(a, b)) is not None:
                size, step = st
                found[size] = min(step, found.get(size, step))
    return found


def padding(cells: Sequence[tuple[float, Sequence[Sequence[Char]]]], most: float) -> float:
    """The cell padding of a table: the least gap between a cell's left edge and its text.

    ``cells`` holds each cell's left edge and lines. Writers pad every cell of a table alike; the
    least gap is that of a left-aligned or full line (centred short lines show more).
    """
    gaps = [_visible(ln)[0].x0 - left for left, lines in cells for ln in lines if _visible(ln)]
    return max(0.0, min(min(gaps, default=0.0), most))


class CellText(NamedTuple):
    """A cell's text as :func:`paragraphs` rebuilds it."""

    paras: list[str]
    runs_on: bool  # the last line was wrapped: what follows (over a page break) continues its paragraph
    word_cut: bool = False  # the last line was cut inside a word: what follows joins without a space
    room: float = 0.0  # the room the last line leaves (both sides where a left edge is given)
    size: float = 0.0  # the font size at the last line's end
    need: float = 0.0  # what the first line's first piece needs at the end of a line before (:func:`need`)
    bold: tuple[str, ...] = ()  # the texts set bold, in order (:func:`bold_runs`)
    lead_lines: int = 0  # the lines its first paragraph takes


def need(line: Sequence[Char], width: float) -> float:
    """The room the first unbreakable piece of ``line`` needs at the end of the line before it,
    in a cell whose lines are ``width`` wide. A piece wider than a whole line would not have fitted
    on any line, so it was not moved for want of room: only its first character counts."""
    piece = _first_piece(line)
    if piece > width:
        first = _visible(line)[0]
        piece = float(first.x1 - first.x0)
    return piece


def wraps(room: float, size: float, needed: float) -> bool:
    """Whether a line leaving ``room`` (its font ``size``) was wrapped before a line whose first
    piece needs ``needed`` (:func:`need`): the piece did not fit (:data:`WRAP_TOLERANCE`)."""
    return room < needed + WRAP_TOLERANCE * size


def joiner(before: str, after: str, word_cut: bool) -> str:
    """What joins a wrapped line's text to the next line's: a space between Latin letters or digits
    (such text wraps at a space), nothing after a word cut at the edge (:data:`CUT_WORD_ROOM`) or
    beside CJK text."""
    return " " if not word_cut and before and after and _latin(before[-1]) and _latin(after[0]) else ""


def _word_cut(text: str, room: float, size: float, after: Sequence[Char] | None) -> bool:
    """A line that is one token without a space or CJK character, with no room left for the next
    line's first character (``after``; a cell's last line: :data:`CUT_WORD_ROOM`): a word or number
    longer than the line, which writers break anywhere."""
    if not text or " " in text or any(is_cjk(c) for c in text):
        return False
    vis = _visible(after) if after is not None else []
    need = float(vis[0].x1 - vis[0].x0) if vis else 0.0
    return room < need + CUT_WORD_TOLERANCE * size if vis else room < CUT_WORD_ROOM * size


def _spaced(line: Sequence[Char], below: Sequence[Char], pitch: float | Mapping[float, float] | None) -> bool:
    """Whether ``below`` stands further under ``line`` than a wrapped line would (:data:`PARAGRAPH_GAP`);
    ``pitch`` is one for every line, or one per font size (:func:`pitches`)."""
    st = _step(line, below)
    if st is None or pitch is None:
        return False
    size, step = st
    if isinstance(pitch, Mapping):
        pitch = pitch.get(size)
    return pitch is not None and step > pitch + PARAGRAPH_GAP


def paragraphs(lines: Sequence[Sequence[Char]], right: float, pad: float,
               left: float | None = None, pitch: float | Mapping[float, float] | None = None) -> CellText:
    """A cell's lines rebuilt into paragraphs, whether the last line was wrapped (runs on), and
    whether it was cut inside a word.

    ``right`` is the cell's right edge, ``left`` its left edge and ``pad`` the table's cell padding
    (:func:`padding`). The room a line leaves is counted on both sides: a centred line (a unit
    cell, a category label) that leaves room at its left has not been wrapped for want of room
    (a short centred line in a narrow column would otherwise look cut).

    The glyphs' :attr:`~zwgk.readers.page.Glyph.tag` (from a tagged PDF's structure) decides where
    both lines are tagged: they are one paragraph when their text sits under one paragraph element.
    That tells apart what geometry cannot: a paragraph ending on a line filled exactly to the edge.
    Untagged, so does the space a writer puts between paragraphs: a line standing further below
    the one before than the table's line ``pitch`` (:func:`line_pitch`; or the body text's, by
    font size: :func:`pitches`) by more than :data:`PARAGRAPH_GAP` starts a paragraph.
    """
    lines = [ln for ln in lines if _visible(ln)]
    if not lines:
        return CellText([], False)
    edge = right - pad
    paras: list[str] = []
    cur = ""
    wrapped = cut = False
    lead = len(lines)
    for i, ln in enumerate(lines):
        text = line_text(ln)
        if wrapped and cur and text:
            cur += joiner(cur, text, cut) + text
        else:
            if i:
                lead = min(lead, i)
                paras.append(cur)
            cur = text
        vis = _visible(ln)
        room = edge - vis[-1].x1
        if left is not None:
            room += max(0.0, vis[0].x0 - (left + pad))
        size = float(vis[-1].size)
        cut = _word_cut(text, room, size, lines[i + 1] if i + 1 < len(lines) else None)
        if i + 1 < len(lines):
            end, start = vis[-1].tag, _visible(lines[i + 1])[0].tag
            if end is not None and start is not None:
                wrapped = end == start
            elif _spaced(ln, lines[i + 1], pitch):
                wrapped = False
            else:
                piece = need(lines[i + 1], edge - (left + pad if left is not None else vis[0].x0))
                wrapped = not starts_paragraph(lines[i + 1], text) and wraps(room, size, piece)
        else:  # the cell's last line: does it reach the edge (cut by a page break)?
            wrapped = room < CUT_LINE_ROOM * size
    paras.append(cur)
    first = _visible(lines[0])
    needed = need(lines[0], edge - (left + pad if left is not None else first[0].x0))
    bold = tuple(run for ln in lines for run in bold_runs(ln)) if any(g.bold for ln in lines for g in ln) else ()
    return CellText(paras, wrapped, wrapped and cut, room, size, needed, bold, lead)


def bold_runs(line: Sequence[Char]) -> list[str]:
    """The texts of ``line`` set bold, each run of bold glyphs as :func:`line_text` writes it (a
    blank or a glyph not bold ends a run)."""
    runs: list[str] = []
    cur: list[str] = []
    for c in line:
        if c.bold and c.text.strip():
            cur.append(c.text.translate(CJK_VARIANTS))
        elif cur:
            runs.append("".join(cur))
            cur = []
    if cur:
        runs.append("".join(cur))
    return runs
