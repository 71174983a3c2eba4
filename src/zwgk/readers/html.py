"""HTML pages (Word's "save as web page" and hand-made pages): every table as a Grid.

The page is decoded with the charset it declares (``<meta charset>`` or ``http-equiv``), GB2312
and GBK read as GB18030 (their superset); a page that declares nothing, or whose bytes do not fit
the declaration, is tried as UTF-8 and then as GB18030. Cell text keeps paragraphs (``<p>``,
``<div>``, ``<br>``) as line breaks; the line wrapping Word puts into its HTML source is not text
(a source line break between two Chinese characters disappears, elsewhere it is a space), and
``&nbsp;`` is a space. ``rowspan``/``colspan`` become spans on the grid; a table nested in a cell
is read as lines of that cell's text. A page whose tables hold tables (a site's layout table around
its content) is also handed over read the other way (``Document.inner``): the tables holding no
table as the tables, the layout tables' other text as the lines around them; the core reads that
way when no outer table is a task table.

Parsing uses :mod:`lxml.html` with network access off; HTML has no external entities and no DTD
is loaded. The parser's size limits are lifted (deep nesting, text nodes over 10 MB), so a page is
read whole; a page the parser still cannot read to its end (nested deeper than libxml2's hard limit
of 2,048 levels) is refused, never read in part. A declared charset that is not a text encoding
(``base64``, ``rot13``, ``undefined``) counts as no declaration. ``colspan``/``rowspan`` must be
whole numbers up to :data:`~zwgk.table.grid.MAX_SPAN`, and a row may not reach past
:data:`~zwgk.table.grid.MAX_COLUMNS` columns.

The page's paragraphs (``<p>``, ``<h1>``…``<h6>``, ``<li>`` and ``<div>`` holding text directly,
outside tables) are handed over beside the tables, read by :mod:`zwgk.table.paragraphs` when the
page has no task table (or with ``layout="list"``); a ``<br>`` inside a paragraph is a line break
of its text.
"""

from __future__ import annotations

import codecs
import itertools
import os
import re
from collections.abc import Iterator
from typing import Any

import lxml.html
from lxml import etree

from zwgk.errors import ParseError, Position
from zwgk.readers import Document, Paragraph, Source
from zwgk.readers._sniff import is_ole, is_zip, legacy_error
from zwgk.table.grid import MAX_COLUMNS, MAX_SPAN, Cell, Grid, emphasised

__all__ = ["decode_html", "parse_html", "read_html"]

_META_RE = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_XML_ENC_RE = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_DOWNLEVEL_RE = re.compile(r"<!\[\s*(?:if\s[^\]]*|endif)\s*\]>", re.IGNORECASE)
_GB_ALIASES = frozenset({"gb2312", "gbk", "x-gbk", "gb_2312-80", "cp936", "ms936", "euc-cn", "csgb2312",
                         "windows-936", "gb18030"})
_BLOCKS = frozenset({"p", "div", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
                     "blockquote", "pre", "td", "th", "dd", "dt", "section", "article", "center"})
_SKIP = frozenset({"script", "style", "head", "title", "template", "noscript"})
_WS_RE = re.compile(r"[ \t\r\n\f]+")
# What makes a text need more than stripping: source wrapping, runs of spaces, &nbsp;, a break marker.
_UNTIDY = re.compile(r"[\t\r\n\f\xa0\x00]|  ")
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
_BREAK = "\x00"
_CELLS = frozenset({"td", "th"})
_HEADINGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6")
#: How deep libxml2 lets elements nest even with its size limits lifted (``huge_tree``).
LIBXML_MAX_DEPTH = 2048
# Codecs Python can decode bytes with that are not character encodings of a page: their output is
# not the page's text (escape sequences read as characters, domain-name labels).
_NOT_PAGE_CODECS = frozenset({"unicode_escape", "raw_unicode_escape", "idna", "punycode", "undefined"})


def _codec(name: str) -> str | None:
    low = name.strip().lower()
    if low in _GB_ALIASES:
        return "gb18030"
    try:
        name = codecs.lookup(low).name
        b"a".decode(name)  # a bytes-to-bytes codec (base64, rot13, zlib) is no text encoding
    except (LookupError, UnicodeError):
        return None
    return None if name.replace("-", "_") in _NOT_PAGE_CODECS else name


def decode_html(data: bytes, source: str | None = None, charset: str | None = None) -> str:
    """Decode an HTML page: BOM, else the declared charset (``charset``, as a MIME part declares
    it, before the page's own), else UTF-8, else GB18030."""
    where = Position(file=source)
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as e:
                raise ParseError(
                    f"the page starts with a {codec.upper().replace('-SIG', '')} byte-order mark but is not "
                    f"valid {codec.upper().replace('-SIG', '')} ({e.reason} at byte {e.start})",
                    where,
                ) from None
    head = data[:8192]
    m = _META_RE.search(head) or _XML_ENC_RE.search(head)
    declared = _codec(charset) if charset else None
    declared = declared or (_codec(m.group(1).decode("ascii", "replace")) if m else None)
    tried: list[str] = []
    for enc in dict.fromkeys(e for e in (declared, "utf-8", "gb18030") if e):
        try:
            return data.decode(enc)
        except (UnicodeError, LookupError):  # UnicodeDecodeError, or a codec's own complaint
            tried.append(enc)
    raise ParseError(
        f"cannot decode the page: it is not valid {' or '.join(tried)}"
        + (f" (it declares charset {m.group(1).decode('ascii', 'replace')})" if m else ""),
        where,
    )


def _tidy(raw: str) -> str:
    """Raw text with break markers → lines: source wrapping removed, ``&nbsp;`` a space."""
    if not _UNTIDY.search(raw):  # most cells of clean markup: one line, single spaces
        return raw.strip()

    def ws(m: re.Match[str]) -> str:
        run = m.group()
        if "\n" in run or "\r" in run:
            s, e = m.start(), m.end()
            before = raw[s - 1] if s > 0 else ""
            after = raw[e] if e < len(raw) else ""
            if before == _BREAK or after == _BREAK or (_CJK.match(before) and _CJK.match(after)):
                return ""
        return " "

    # only a run holding a line break needs looking at its neighbours
    text = (_WS_RE.sub(ws, raw) if "\n" in raw or "\r" in raw else _WS_RE.sub(" ", raw)).replace("\xa0", " ")
    lines = [line.strip() for line in text.split(_BREAK)]
    return "\n".join(line for line in lines if line)


def _collect(el: Any, out: list[str], leaves: list[tuple[int, Any]] | None = None) -> None:
    """Append the text of ``el`` (and its tail-less subtree) to ``out``, breaks marked. With
    ``leaves``, a table holding no table is not text: it is appended to ``leaves`` with the length
    ``out`` had there (what :func:`_inner_grids` cuts the text at).

    Walks with its own stack, not by recursion: a page may nest thousands of elements deep.
    """
    stack: list[tuple[Any, bool]] = [(el, False)]  # (element, closing): closing emits block end + tail
    while stack:
        node, closing = stack.pop()
        tag = node.tag if isinstance(node.tag, str) else ""
        if closing:
            if tag in _BLOCKS:
                out.append(_BREAK)
            if node is not el and node.tail:
                out.append(node.tail)
            continue
        leaf = leaves is not None and tag == "table" and not _holds_table(node)
        if tag in _SKIP or leaf:
            if leaf and leaves is not None:
                out.append(_BREAK)
                leaves.append((len(out), node))
                out.append(_BREAK)
            if node is not el and node.tail:
                out.append(node.tail)
            continue
        if tag == "br":
            out.append(_BREAK)
            if node is not el and node.tail:
                out.append(node.tail)
            continue
        if tag in _BLOCKS:
            out.append(_BREAK)
        if node.text and tag:
            out.append(node.text)
        stack.append((node, True))
        for child in reversed(node):
            stack.append((child, False))


def cell_text(el: Any) -> str:
    """The text of an element, with paragraphs and ``<br>`` as line breaks."""
    if not len(el):  # no child elements: the text itself
        return _tidy(el.text or "")
    out: list[str] = []
    if el.text:
        out.append(el.text)
    for child in el:
        _collect(child, out)
        if child.tail:
            out.append(child.tail)
    return _tidy("".join(out))


#: What sets an element's text bold: its tag, or a ``font-weight`` of bold, bolder or 600 to 900.
_BOLD_TAGS = frozenset({"b", "strong"})
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|bolder|[6-9]00)\b", re.IGNORECASE)


_CSS_CLASS = re.compile(r"^[a-zA-Z0-9]*\.([\w-]+)$")


def _bold_classes(doc: Any) -> frozenset[str]:
    """The classes the page's style sheets set bold with a plain class selector (``.T1 { font-weight:
    bold }``, ``span.T1``: how LibreOffice's HTML sets a run bold). Each rule is cut at its braces
    (in one pass: a style sheet of any size costs its length)."""
    found: set[str] = set()
    for style in doc.iter("style"):
        for rule in (style.text or "").split("}"):
            selectors, brace, declarations = rule.rpartition("{")
            if brace and _BOLD_STYLE.search(declarations):
                found.update(m.group(1) for s in selectors.split(",") if (m := _CSS_CLASS.match(s.strip())))
    return frozenset(found)


#: The elements that may set text bold, found by libxml2 (a page with none costs one search).
_MAY_BE_BOLD = etree.XPath('.//*[self::b or self::strong or contains(@style, "font-weight")]')
_MAY_BE_BOLD_OR_CLASSED = etree.XPath('.//*[self::b or self::strong or contains(@style, "font-weight") or @class]')


def _bold_by_cell(table: Any, classes: frozenset[str]) -> dict[Any, list[str]]:
    """The texts set bold in each cell of ``table`` that has any, in order, line by line as
    :func:`cell_text` reads them (:attr:`~zwgk.table.grid.Cell.emphasis`): by a tag, a ``style`` or
    one of the bold ``classes`` (:func:`_bold_classes`). One search of the table, by libxml2."""
    by_cell: dict[Any, list[str]] = {}
    chosen: set[Any] = set()
    found: Any = (_MAY_BE_BOLD_OR_CLASSED if classes else _MAY_BE_BOLD)(table)  # elements, in document order
    for node in found:
        style = node.get("style")
        if not (node.tag in _BOLD_TAGS or (style is not None and _BOLD_STYLE.search(style)) or
                (classes and not classes.isdisjoint((node.get("class") or "").split()))):
            continue
        up = node.getparent()
        while up is not None and up not in chosen and up.tag not in _CELLS:
            up = up.getparent()
        if up is None or up in chosen:
            continue  # outside any cell, or inside a bold element already read
        chosen.add(node)
        by_cell.setdefault(up, []).extend(line for line in cell_text(node).split("\n") if line)
    return by_cell


def _rows(table: Any) -> Iterator[tuple[Any, bool]]:
    """The table's own rows (not those of nested tables), each with whether it is in ``<thead>``."""
    for child in table:
        tag = child.tag
        if tag == "tr":
            yield child, False
        elif tag in ("thead", "tbody", "tfoot"):
            for tr in child:
                if tr.tag == "tr":
                    yield tr, tag == "thead"


def _span(value: str | None, what: str, where: Position) -> int:
    """A ``colspan``/``rowspan`` value: a whole number up to ``MAX_SPAN`` (0 and empty read as 1)."""
    text = (value or "").strip()
    if not text:
        return 1
    try:
        n = int(text)
    except ValueError:
        n = -1
    if n < 0 or n > MAX_SPAN:
        raise ParseError(
            f"{what}={text[:20]!r} is not a whole number from 1 to {MAX_SPAN} (zwgk.table.grid.MAX_SPAN)",
            where,
        )
    return max(n, 1)


def _grid(table: Any, source: str | None, number: int, preamble: list[str],
          bold: frozenset[str] | None = frozenset()) -> Grid:
    """The grid of ``table``; ``bold``: the classes the page sets bold (:func:`_bold_classes`), or
    ``None`` where nothing on the page is bold."""
    bold_texts = _bold_by_cell(table, bold) if bold is not None else {}
    trs = list(_rows(table))
    n = len(trs)
    occupied: dict[int, int] = {}  # column -> rows still covered below the current row
    rows: list[tuple[Cell, ...]] = []
    header_rows = 0
    for r, (tr, in_head) in enumerate(trs):
        if in_head and header_rows == r:
            header_rows += 1
        col = 0
        cells: list[Cell] = []
        placed: dict[int, int] = {}
        for td in tr:
            if td.tag not in _CELLS:
                continue
            if occupied:
                while occupied.get(col, 0) > 0:
                    col += 1
            at = Position(source, number, r + 1, col + 1, td.sourceline)  # file, table, row, column, line
            colspan = rowspan = 1
            if td.attrib:  # most cells have no attributes at all
                colspan = _span(td.get("colspan"), "colspan", at)
                rowspan = min(_span(td.get("rowspan"), "rowspan", at), n - r)
            if col + colspan > MAX_COLUMNS:
                raise ParseError(
                    f"the row reaches past {MAX_COLUMNS} columns (zwgk.table.grid.MAX_COLUMNS): "
                    "no task table is that wide",
                    at,
                )
            text = cell_text(td)
            emphasis = emphasised(text, bold_texts[td]) if td in bold_texts else ()  # the text set bold
            cells.append(Cell(text, rowspan, colspan, col, at, emphasis))
            if rowspan > 1:
                for k in range(col, col + colspan):
                    placed[k] = rowspan
            col += colspan
        occupied = {k: v - 1 for k, v in occupied.items() if v > 1}
        for k in placed:  # the rows below this one that the new cells cover
            occupied[k] = placed[k] - 1
        rows.append(tuple(cells))
    return Grid(tuple(rows), source=source, table=number, preamble=tuple(preamble),
                header_rows=header_rows or None)


def _in_table(el: Any) -> bool:
    return next(el.iterancestors("table"), None) is not None


_PARAGRAPHS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "div")


def html_paragraphs(doc: Any, source: str | None) -> list[Paragraph]:
    """The page's paragraphs outside tables, numbered from 1 (``line``): ``<p>``, headings and
    ``<li>``, and a ``<div>`` only for the text it holds directly (not that of its own paragraphs)."""
    out: list[Paragraph] = []
    for el in doc.iter(*_PARAGRAPHS):
        if _in_table(el) or next(el.iterancestors(*_PARAGRAPHS[:-1]), None) is not None:
            continue
        if el.tag == "div" and any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in el.iter() if c is not el):
            continue  # a container: its paragraphs are read one by one
        out.append((cell_text(el), Position(file=source, line=len(out) + 1)))
    return out


def parse_html(text: str, source: str | None = None) -> Document:
    """Parse an HTML page into its tables' grids and its paragraphs."""
    where = Position(file=source)
    text = _DOWNLEVEL_RE.sub("", _XML_DECL_RE.sub("", text, count=1))
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=True)
    try:
        doc = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as e:
        raise ParseError(f"cannot parse the page as HTML: {e}", where) from None
    fatal = [e for e in parser.error_log if e.level >= etree.ErrorLevels.FATAL]
    if fatal:  # the parser stopped before the end: refuse rather than read part of the page
        raise ParseError(
            f"the HTML parser stopped at line {fatal[0].line} before the end of the page "
            f"({fatal[0].message.split(', use XML_PARSE_HUGE')[0].strip()}; the parser's hard limit is "
            f"{LIBXML_MAX_DEPTH:,} levels of nesting); zwgk does not read part of a page",
            where,
        )
    tops: list[Any] = []
    before: list[list[str]] = []
    lines: list[str] = []
    nested = False  # a table inside a table: the page may be laid out with tables
    for el in doc.iter("table", *_HEADINGS):
        if _in_table(el):
            nested = nested or el.tag == "table"
            continue
        if el.tag == "table":
            tops.append(el)
            before.append(lines)
            lines = []
        elif next(el.iterancestors(*_HEADINGS), None) is None:
            # a <br> inside a paragraph is layout (a title broken over two lines), not a new line
            line = "".join(cell_text(el).split("\n"))
            if line:
                lines.append(line)
    grids = _grids(doc, tops, before, lines, source)
    inner = (lambda: _inner_grids(doc, source)) if nested else ()
    return Document(grids, lambda: html_paragraphs(doc, source), kind="page", tables_are="<table>", inner=inner)


def _grids(doc: Any, tables: list[Any], before: list[list[str]], after: list[str], source: str | None) \
        -> tuple[Grid, ...]:
    """The grids of ``tables``, each with the lines ``before`` it, the last with the lines ``after``
    it; the page's ``<title>`` is the first one's preamble when no line stands above it."""
    grids: list[Grid] = []
    bold = _bold_classes(doc)
    sees_bold = bool(bold) or bool(_MAY_BE_BOLD(doc))  # no cell of a page with no bold is searched
    for i, t in enumerate(tables, start=1):
        preamble = before[i - 1]
        if i == 1 and not preamble:
            title = "".join(doc.findtext(".//title") or "").strip()
            if title:
                preamble = [title]
        grid = _grid(t, source, i, preamble, bold if sees_bold else None)
        if i == len(tables):
            grid = Grid(grid.rows, grid.source, grid.table, grid.title, grid.preamble, tuple(after),
                        grid.header_rows)
        grids.append(grid)
    return tuple(grids)


def _holds_table(table: Any) -> bool:
    return next(table.iterdescendants("table"), None) is not None


def _inner_grids(doc: Any, source: str | None) -> tuple[Grid, ...]:
    """The page read with every table that holds tables taken as page layout (a site's frame around
    its content): the tables holding none, in document order, each with the page's text above it
    (the layout table's cells among it: breadcrumbs, the title) as its preamble, the last with the
    text after it as its epilogue."""
    out: list[str] = []
    leaves: list[tuple[int, Any]] = []
    _collect(doc, out, leaves)
    cuts = [0, *(at for at, _ in leaves), len(out)]
    texts = [_lines(out[a:b]) for a, b in itertools.pairwise(cuts)]
    return _grids(doc, [t for _, t in leaves], texts[:-1], texts[-1], source)


def _lines(pieces: list[str]) -> list[str]:
    text = _tidy("".join(pieces))
    return text.split("\n") if text else []


def read_html(source: Source | str | os.PathLike[str]) -> Document:
    """Read the tables of an HTML page, in document order, and its paragraphs (see :func:`parse_html`)."""
    src = Source.of(source)
    if is_ole(src.head[:8]):
        raise legacy_error(src.path)
    if is_zip(src.head[:4]):
        raise ParseError("this is a zip package (a .docx?), not an HTML page", src.where)
    return parse_html(decode_html(src.read_bytes(), src.name), src.name)
