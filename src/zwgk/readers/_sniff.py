"""Telling file formats apart by their first bytes, and the errors for formats zwgk cannot read.

The refused formats are no readers: :func:`zwgk.readers.choose` answers a file of theirs (or
``format="doc"``) with :func:`legacy_error`, which names the command that converts it.
"""

from __future__ import annotations

import re
from pathlib import Path

from zwgk.errors import Position, UnsupportedFormatError

__all__ = [
    "OLE_MAGIC",
    "REFUSED_NAMES",
    "REFUSED_SUFFIXES",
    "RTF_MAGIC",
    "ZIP_MAGIC",
    "convert_command",
    "is_converted_only",
    "is_html",
    "is_mht",
    "is_ole",
    "is_zip",
    "legacy_error",
]

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
RTF_MAGIC = b"{\\rtf"
_MHT_RE = re.compile(rb"^(?:[\w-]+:[^\n]*\r?\n)*?MIME-Version:.*?multipart/related", re.IGNORECASE | re.DOTALL)
_HTML_RE = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|table|meta)[\s>/]", re.IGNORECASE)
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_WPS_STREAM = "WpsDocument".encode("utf-16-le")
_OLE_SCAN_LIMIT = 4 * 1024 * 1024

#: ``format=`` names that ask for a refused format's conversion hint (``zwgk.load(p, format="doc")``).
REFUSED_NAMES: tuple[str, ...] = ("doc",)
#: Suffixes of the formats zwgk recognises and refuses with the command to convert them.
REFUSED_SUFFIXES: tuple[str, ...] = (".doc", ".wps", ".dot", ".wpt", ".rtf")


def is_zip(head: bytes) -> bool:
    return head.startswith(ZIP_MAGIC)


def is_ole(head: bytes) -> bool:
    """An OLE compound file: legacy .doc/.wps/.xls, or an encrypted Office 2007+ document."""
    return head.startswith(OLE_MAGIC)


def is_converted_only(head: bytes) -> bool:
    """A format zwgk recognises but reads only once converted: OLE (.doc, .wps, encrypted .docx), RTF."""
    return is_ole(head) or head.lstrip().startswith(RTF_MAGIC)


def is_mht(head: bytes) -> bool:
    """A single-file web page (MHT): MIME headers declaring ``multipart/related``."""
    return _MHT_RE.match(head[:4096]) is not None


def is_html(head: bytes) -> bool:
    """Markup: an HTML tag near the start of a file that is neither a zip, an OLE file nor an MHT
    (whose HTML is inside MIME parts)."""
    if is_zip(head) or is_ole(head) or is_mht(head):
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            head = head.decode("utf-16").encode("utf-8", "replace")
        except UnicodeDecodeError:
            return False
    elif b"\x00" in head:
        return False
    return _HTML_RE.search(head) is not None


def convert_command(path: Path, to: str = "docx") -> str:
    """The LibreOffice command that converts ``path`` to ``to`` next to it."""
    return f'libreoffice --headless --convert-to {to} --outdir "{path.parent}" "{path}"'


def ole_kind(path: Path) -> str:
    """What an OLE file holds: ``encrypted``, ``wps``, ``doc`` or ``other`` (by its stream names)."""
    try:
        with path.open("rb") as f:
            data = f.read(_OLE_SCAN_LIMIT)
    except OSError:
        return "other"
    if _ENCRYPTED in data:
        return "encrypted"
    if _WPS_STREAM in data or path.suffix.lower() in (".wps", ".wpt"):
        return "wps"
    if _WORD_STREAM in data:
        return "doc"
    return "other"


def legacy_error(path: Path) -> UnsupportedFormatError:
    """The error for a file to convert first: a legacy .doc/.wps, an encrypted .docx or RTF."""
    where = Position(file=str(path))
    try:
        with path.open("rb") as f:
            head = f.read(4096)
    except OSError:
        head = b""
    if head.lstrip().startswith(RTF_MAGIC):
        return UnsupportedFormatError(
            f"this is an RTF document, not a .docx; convert it first with: {convert_command(path)}", where
        )
    kind = ole_kind(path)
    if kind == "encrypted":
        return UnsupportedFormatError(
            "this document is password-protected (encrypted), so its table cannot be read; open it "
            "in Word, remove the password (File › Info › Protect Document › Encrypt with Password, "
            "clear the box) and save it again as .docx",
            where,
        )
    if kind == "wps":
        what = "a WPS Writer (.wps) document"
    elif kind == "doc":
        what = "a legacy binary Word (.doc) document"
    else:
        what = "a legacy binary Office file (OLE compound document), not a .docx"
    return UnsupportedFormatError(
        f"this is {what}; zwgk reads .docx. Convert it first with: {convert_command(path)}",
        where,
    )
