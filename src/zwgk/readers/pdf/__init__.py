"""PDF files (the 全真版 of a task table): ruled tables read into :class:`~zwgk.table.grid.Grid`.

Needs the ``pdf`` extra (pdfplumber, on pdfminer.six). Pages are read one at a time and their
caches freed before the next, so memory does not grow with the page count. On each page the
ruled tables are found from their drawn lines (``_page``), each cell's text is rebuilt from its
characters (``_text``), and a table running over several pages is joined into one grid: repeated
header rows dropped, rows split by a page break joined, merged cells continued (``_stitch``).
Text above a table is its preamble (and title); text after the last table is the epilogue.

Refused, each with a :class:`~zwgk.errors.ParseError`: a scan with no text layer, an encrypted
PDF that needs a password, a PDF with text but no ruled table, a damaged or truncated file, and a
file over the limits of :class:`PdfLimits` (pages, inflated stream bytes, seconds), which are
checked before the pages are read.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

from zwgk.errors import ParseError, Position, UnsupportedFormatError
from zwgk.hookspecs import hookimpl
from zwgk.readers import Document, Reader, Source
from zwgk.readers.pdf._guard import DEFAULT_LIMITS, PdfLimits, inflated_size
from zwgk.table.grid import Grid

__all__ = ["DEFAULT_LIMITS", "PdfLimits", "read_pdf", "sniff_pdf"]

PDF_MAGIC = b"%PDF-"
#: How far into the file the ``%PDF-`` header may stand (some writers put junk before it).
MAGIC_WINDOW = 1024
#: Labels that show a document lists tasks as paragraphs rather than in a table.
_UNIT_LABELS = re.compile(r"牵头单位|责任单位|配合单位")
INSTALL_HINT = 'pdfplumber is not installed; install zwgk with the pdf extra: pip install "zwgk[pdf]" ' \
               '(from a checkout: pip install ".[pdf]")'


class PdfError(ParseError):
    """A PDF zwgk cannot read: scanned, encrypted, damaged, without a ruled table, or over a limit."""


def sniff_pdf(head: bytes) -> bool:
    """``%PDF-`` near the start of the file."""
    return PDF_MAGIC in head[:MAGIC_WINDOW]


def _limits(limits: PdfLimits | None, options: dict[str, Any], where: Position) -> PdfLimits:
    lim = limits if limits is not None else DEFAULT_LIMITS
    changes: dict[str, Any] = {}
    for name, kind in (("max_pages", int), ("max_inflated_bytes", int), ("max_seconds", (int, float))):
        if name in options:
            value = options[name]
            if isinstance(value, bool) or not isinstance(value, kind) or value <= 0:
                raise ParseError(f"{name} must be a positive number, not {value!r}", where)
            changes[name] = value
    if not changes:
        return lim
    return PdfLimits(**{"max_pages": lim.max_pages, "max_inflated_bytes": lim.max_inflated_bytes,
                        "max_seconds": lim.max_seconds, **changes})


def read_pdf(
    source: Source | str | os.PathLike[str],
    *,
    limits: PdfLimits | None = None,
    max_pages: int | None = None,
    max_inflated_bytes: int | None = None,
    max_seconds: float | None = None,
) -> Document:
    """Read the ruled tables of a PDF, in page order (a table over several pages is one).

    :param limits: see :class:`PdfLimits`; ``max_pages=``, ``max_inflated_bytes=`` and
        ``max_seconds=`` override single limits.
    """
    src = Source.of(source)
    p = src.path
    source = src.name
    where = src.where
    given = {k: v for k, v in (("max_pages", max_pages), ("max_inflated_bytes", max_inflated_bytes),
                               ("max_seconds", max_seconds)) if v is not None}
    lim = _limits(limits, given, where)
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFPasswordIncorrect
        from pdfplumber.utils.exceptions import PdfminerException
    except ImportError:
        raise UnsupportedFormatError(INSTALL_HINT, where) from None
    data = src.read_bytes()
    if not sniff_pdf(data[:MAGIC_WINDOW]):
        raise PdfError("not a PDF file (a PDF starts with %PDF-)", where)
    inflated = inflated_size(data, lim.max_inflated_bytes)
    if inflated > lim.max_inflated_bytes:
        raise PdfError(
            f"the PDF's compressed streams inflate to more than {lim.max_inflated_bytes:,} bytes "
            "(max_inflated_bytes): refusing to read it (a PDF bomb?)",
            where,
        )
    del data
    started = time.monotonic()
    try:
        pdf = pdfplumber.open(p)
    except PdfminerException as e:
        cause = e.args[0] if e.args else None
        if isinstance(cause, PDFPasswordIncorrect):
            raise PdfError(
                "this PDF is encrypted with a password; open it with the password and save or print "
                "it again as a PDF without one (e.g. qpdf --decrypt --password=… in.pdf out.pdf)",
                where,
            ) from None
        raise PdfError(f"the PDF is damaged or truncated ({_describe(cause)})", where) from None
    except Exception as e:  # pdfminer raises many kinds on a damaged file
        raise PdfError(f"the PDF is damaged or truncated ({_describe(e)})", where) from None
    try:
        grids = list(_read(pdf, source, None, lim, started))
    finally:
        pdf.close()
    return Document(grids, kind="PDF", tables_are="tables drawn with ruling lines")


def _describe(e: object) -> str:
    text = str(e).strip() or type(e).__name__
    return text if len(text) <= 120 else text[:117] + "..."


def _read(pdf: Any, source: str, only: int | None, lim: PdfLimits, started: float) -> Iterator[Grid]:
    from zwgk.readers.pdf._page import OffPageError, read_page
    from zwgk.readers.pdf._stitch import Stitcher
    from zwgk.readers.pdf._tags import Tags

    where = Position(file=source)
    try:
        count = _page_count(pdf)
    except Exception as e:
        raise PdfError(f"the PDF is damaged or truncated ({_describe(e)})", where) from None
    if count > lim.max_pages:
        raise PdfError(f"the PDF has {count:,} pages, more than {lim.max_pages:,} (max_pages)", where)
    stitcher = Stitcher(source)
    tags = Tags.of(pdf.doc)
    chars = images = 0
    labels = False
    yielded = 0
    for n, page in enumerate(_pages(pdf, where), start=1):
        if n > lim.max_pages:
            raise PdfError(f"the PDF has more than {lim.max_pages:,} pages (max_pages)", where)
        if time.monotonic() - started > lim.max_seconds:
            raise PdfError(f"reading the PDF took longer than {lim.max_seconds:g} seconds (max_seconds); "
                           f"stopped before page {n}", where)
        at = Position(file=source, page=n)
        try:
            content, stray = read_page(page, n, tags.paragraphs(page) if tags is not None else None)
        except ParseError:
            raise
        except OffPageError as e:
            raise PdfError(f"text lies outside the page ({e.text!r}): the table was wider than the "
                           "page and was cut off when the PDF was made; make the PDF again from the Word file "
                           "with the table fitted to the page", at) from None
        except Exception as e:
            raise PdfError(f"this page of the PDF is damaged ({_describe(e)})", at) from None
        finally:
            _free(pdf, page)
        if stray:
            text = "".join(c["text"] for c in stray[:40])
            raise PdfError(f"text inside a table but in no cell ({text!r}); the table's "
                           "ruling is incomplete", at)
        chars += content.chars
        images += content.images
        if not labels and not content.tables:
            labels = any(_UNIT_LABELS.search(t) for _, t in content.lines)
        _check_cid(content, at)
        for t in stitcher.feed(content):
            if only is None or t.number == only:
                yielded += 1
                yield t.grid(source)
    for t in stitcher.finish():
        if only is None or t.number == only:
            yielded += 1
            yield t.grid(source)
    if yielded:
        return
    if chars == 0:
        if images:
            raise PdfError("no text layer: this PDF is a scan; OCR it first, e.g. ocrmypdf -l chi_sim", where)
        raise PdfError("this PDF holds no text", where)
    if stitcher.tables == 0:
        hint = (" Its text has unit labels (牵头单位/责任单位): if the tasks are written as paragraphs, "
                "read the Word file or the text form instead" if labels else "")
        raise PdfError("no ruled table found in this PDF: zwgk reads tables drawn with ruling lines."
                       + hint, where)
    raise PdfError(f"there is no table {only} in this PDF (it has {stitcher.tables} "
                   f"table{'s' if stitcher.tables > 1 else ''})", where)


def _pages(pdf: Any, where: Position) -> Iterator[Any]:
    """The document's pages one at a time, each built when it is needed.

    pdfplumber's ``pdf.pages`` builds every page up front and keeps them; here the page tree is
    walked lazily and each page is let go (and its objects freed, see :func:`_free`) before the
    next is built, so memory does not grow with the page count.
    """
    from pdfminer.pdfpage import PDFPage
    from pdfplumber.page import Page

    tree = PDFPage.create_pages(pdf.doc)
    doctop = 0.0
    n = 0
    while True:
        try:
            obj = next(tree)
            n += 1
            page = Page(pdf, obj, page_number=n, initial_doctop=doctop)
        except StopIteration:
            return
        except Exception as e:
            raise PdfError(f"the PDF is damaged or truncated ({_describe(e)})",
                           Position(file=where.file, page=n or None)) from None
        doctop += page.height
        yield page


def _free(pdf: Any, page: Any) -> None:
    """Let go of what reading ``page`` parsed: pdfplumber's page caches and pdfminer's object caches.

    pdfminer keeps every object it has parsed (content streams, decoded, among them) for the whole
    document; objects still needed later (the page tree, fonts) are parsed again on demand, and
    fonts stay cached by the resource manager.
    """
    page.close()
    doc = pdf.doc
    for cache in ("_cached_objs", "_parsed_objs"):
        held = getattr(doc, cache, None)
        if isinstance(held, dict):
            held.clear()


def _page_count(pdf: Any) -> int:
    """The page count the page tree declares (read before any page is built)."""
    from pdfminer.pdftypes import resolve1

    catalog = pdf.doc.catalog
    pages = resolve1(catalog.get("Pages"))
    count = resolve1(pages.get("Count")) if isinstance(pages, dict) else None
    return count if isinstance(count, int) and not isinstance(count, bool) else 0


def _check_cid(content: Any, where: Position) -> None:
    for t in content.tables:
        for c in t.cells:
            for para in c.paras:
                if "(cid:" in para:
                    raise PdfError(
                        f"the PDF's fonts do not say which characters they draw ({para[:30]!r}); "
                        "the text cannot be read: export the PDF again with fonts embedded as Unicode, or OCR it",
                        where,
                    )


@hookimpl
def register_readers(register: Callable[[Reader], None]) -> None:
    register(Reader("pdf", (".pdf",), read_pdf, sniff_pdf,
                    "PDF files with ruled tables (needs the pdf extra: pdfplumber)"))
