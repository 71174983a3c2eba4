"""The built-in ``register_readers`` plugin: zwgk's own readers, declared.

Each reader's name, suffixes and description are here; its ``read`` and ``sniff`` are imported
from the reader's module when first called (:func:`~zwgk._lazy.lazy_function`). So listing the
readers (the suffixes a folder walk picks up, the formats ``zwgk --help`` names) loads none of
their modules nor what they depend on (lxml, the page stage, PDFium): a process that only lists
them, such as the parent of ``zwgk batch``, never pays for them. Content sniffing tries the
readers in the order of :data:`BUILTIN_READERS`: markup before the text form.
"""

from __future__ import annotations

from collections.abc import Callable

from zwgk._lazy import lazy_function
from zwgk.hookspecs import hookimpl
from zwgk.readers import Reader
from zwgk.readers._sniff import is_html, is_mht

__all__ = ["BUILTIN_READERS", "DOC", "IMAGE_SUFFIXES", "register_readers"]

#: The suffixes of the image files the OCR reader reads.
IMAGE_SUFFIXES: tuple[str, ...] = (".png", ".jpg", ".jpeg", ".tif", ".tiff")

#: The native reader of Word 97–2003 files (:mod:`zwgk.readers.doc`): ``format="doc"``.
DOC = Reader("doc", (".doc", ".dot"), lazy_function("zwgk.readers.doc", "read_doc"),
             lazy_function("zwgk.readers.doc", "sniff_doc"),
             "Word 97–2003 documents (.doc), read natively; LibreOffice converts what it does not read")

BUILTIN_READERS: tuple[Reader, ...] = (
    Reader("docx", (".docx", ".docm", ".dotx"), lazy_function("zwgk.readers.docx", "read_docx"),
           lazy_function("zwgk.readers.docx", "sniff_docx"), "Word documents (.docx): every table, merged cells kept"),
    Reader("json", (".json",), lazy_function("zwgk.readers.json", "read_json"),
           lazy_function("zwgk.readers.json", "sniff_json"),
           "zwgk's own JSON (schema zwgk.plan/1), as zwgk.dumps and the json exporter write it"),
    Reader("odt", (".odt", ".ott"), lazy_function("zwgk.readers.odt", "read_odt"),
           lazy_function("zwgk.readers.odt", "sniff_odt"), "OpenDocument text (.odt): every table, merged cells kept"),
    # zwgk.load reads with it a .doc it understands (zwgk.readers.convert.kind_of) and tries it first
    # for every other Word document in an OLE file, before LibreOffice converts it.
    DOC,
    Reader("mht", (".mht", ".mhtml"), lazy_function("zwgk.readers.mht", "read_mht"), is_mht,
           "single-file web pages (MHT), Word's 'save as single file web page', also under a .doc name"),
    Reader("html", (".html", ".htm", ".xhtml"), lazy_function("zwgk.readers.html", "read_html"), is_html,
           "HTML pages, including Word's 'save as web page' (GB18030/GBK or UTF-8)"),
    Reader("pdf", (".pdf",), lazy_function("zwgk.readers.pdf", "read_pdf"),
           lazy_function("zwgk.readers.pdf", "sniff_pdf"),
           "PDF files: ruled tables or task paragraphs (needs the pdf extra: pypdfium2)"),
    Reader("image", IMAGE_SUFFIXES, lazy_function("zwgk.readers.scan", "read_image"),
           lazy_function("zwgk.readers.scan", "sniff_image"),
           "scans and photos of tables: PNG, JPEG, TIFF (needs the ocr extra)"),
    Reader("text", (".txt", ".tsv", ".text"), lazy_function("zwgk.readers.text", "read_text"),
           lazy_function("zwgk.readers.text", "sniff_text"),
           "Text form of a Word table (TAB opens a cell, blank line ends a row)"),
)
"""zwgk's own readers, in the order content sniffing tries them."""


@hookimpl
def register_readers(register: Callable[[Reader], None]) -> None:
    for reader in BUILTIN_READERS:
        register(reader)
