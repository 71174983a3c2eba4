"""Single-file web pages (.mht, .mhtml): Word's "save as single file web page" (单个文件网页).

Such a file is a MIME message (``multipart/related``): the page's HTML in one part, quoted-printable
or base64, beside its images and styles. The HTML part is taken out (the part the ``start``
parameter names, else the first ``text/html`` part), decoded by the charset its part declares
(else as an HTML page is: its ``<meta>`` charset, UTF-8, GB18030) and read by the HTML reader, so
everything said of HTML pages holds (tables, paragraphs, ``table=``, ``layout=``). Government sites
also publish such pages under a ``.doc`` name; they are told by their content and read here.

Positions give lines of the decoded HTML, not of the MIME file.
"""

from __future__ import annotations

import email.parser
import email.policy
import os
import re
from email.message import EmailMessage

from zwgk.errors import ParseError, Position
from zwgk.readers import Document, Source
from zwgk.readers.html import decode_html, parse_html

__all__ = ["MAX_MULTIPARTS", "html_of_mht", "read_mht"]

#: Most ``multipart/*`` containers a page may hold. Word writes one (the page and its images); the
#: parser walks nested containers recursively, so thousands of them nested would exhaust the stack.
MAX_MULTIPARTS = 64
_MULTIPART = re.compile(rb"^content-type:[ \t]*multipart/", re.IGNORECASE | re.MULTILINE)


def _root(message: EmailMessage) -> EmailMessage | None:
    """The page's HTML part: the one ``start`` names, else the first ``text/html`` part."""
    start = message.get_param("start")
    parts = [p for p in message.walk() if not p.is_multipart()]
    if isinstance(start, str) and start.strip():
        wanted = start.strip()
        for part in parts:
            if (part.get("Content-ID") or "").strip() == wanted:
                return part
    return next((p for p in parts if p.get_content_type() == "text/html"), None)


def html_of_mht(data: bytes, source: str | None = None) -> str:
    """The HTML page inside a single-file web page, decoded."""
    where = Position(file=source)
    containers = len(_MULTIPART.findall(data))
    if containers > MAX_MULTIPARTS:
        raise ParseError(f"this single-file web page (MHT) holds {containers:,} multipart containers, more than "
                         f"{MAX_MULTIPARTS} (zwgk.readers.mht.MAX_MULTIPARTS); Word writes one", where)
    try:
        message = email.parser.BytesParser(policy=email.policy.default).parsebytes(data)
    except RecursionError:
        raise ParseError("this single-file web page (MHT) nests its MIME parts too deeply to read", where) from None
    if not isinstance(message, EmailMessage) or not message.is_multipart():
        raise ParseError("this single-file web page (MHT) is damaged: it holds no MIME parts", where)
    part = _root(message)
    if part is None:
        raise ParseError("this single-file web page (MHT) holds no HTML part (text/html)", where)
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes) or not payload.strip():
        raise ParseError("the HTML part of this single-file web page (MHT) is empty", where)
    return decode_html(payload, source, part.get_content_charset())


def read_mht(source: Source | str | os.PathLike[str]) -> Document:
    """Read the tables and paragraphs of the HTML page inside a single-file web page."""
    src = Source.of(source)
    return parse_html(html_of_mht(src.read_bytes(), src.name), src.name)
