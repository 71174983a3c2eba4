"""The text form of a Word table (what copying a Word table as text gives).

Each table row is a block of lines; a line starting with a TAB opens a new cell; a line that does
not start with a TAB continues the previous cell (a line break inside the cell); an empty line ends
the row. Trailing spaces and tabs at the end of a line are layout and are dropped; a TAB inside a
line is kept as part of the cell. Lines before the first row are the preamble (附件, the title);
lines after the last row that do not start with a TAB are the epilogue. Cells merged across rows
appear as empty cells; a cell spanning columns appears as one cell.

The reader accepts a UTF-8 BOM, CRLF line ends, and lines holding only spaces (read as empty).

The reader hands over the table (when a line starts with a TAB) and every line as a paragraph:
a file with no TAB line (or read with ``layout="list"``) is read as task paragraphs by the core
(:mod:`zwgk.table.paragraphs`): numbered task paragraphs with 牵头单位：/责任单位： lines.
"""

from __future__ import annotations

import codecs
import os

from zwgk.errors import ParseError, Position
from zwgk.readers import Document, Paragraph, Source
from zwgk.table.grid import Cell, Grid

__all__ = ["decode_text", "parse_text", "read_text", "sniff_text"]


def decode_text(data: bytes, source: str | None = None) -> str:
    """Decode a text file: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030."""
    where = Position(file=source)
    if not data.strip():
        raise ParseError("the file is empty", where)
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise ParseError(f"not valid UTF-16 text ({e.reason} at byte {e.start})", where) from None
    if b"\x00" in data[:4096]:
        raise ParseError("this is a binary file, not a text table", where)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        utf8_error = e
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise ParseError(
            f"not UTF-8 or GB18030 text (invalid byte at offset {utf8_error.start})", where
        ) from None
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f\v")
    if controls > max(2, len(text) // 100):
        raise ParseError("this is a binary file, not a text table", where)
    return text


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def parse_text(text: str, source: str | None = None) -> Grid:
    """Parse the text form into one :class:`Grid`."""
    lines = _lines(text)
    preamble: list[str] = []
    rows: list[tuple[Cell, ...]] = []
    epilogue: list[str] = []
    i = 0
    n = len(lines)
    while i < n and not lines[i].startswith("\t"):
        if lines[i].strip():
            preamble.append(lines[i].strip())
        i += 1
    if i >= n:
        raise ParseError(
            "no table found: table rows are lines starting with a TAB", Position(file=source)
        )
    row: list[tuple[list[str], int]] = []  # (cell lines, first line number)

    def end_row() -> None:
        if row:
            rows.append(
                tuple(
                    Cell("\n".join(ls), position=Position(file=source, row=len(rows) + 1,
                                                          column=k + 1, line=ln))
                    for k, (ls, ln) in enumerate(row)
                )
            )
            row.clear()

    while i < n:
        line = lines[i]
        if line.startswith("\t"):
            # Trailing spaces and tabs are layout; a TAB inside the line is content.
            row.append(([line[1:].rstrip(" \t")], i + 1))
        elif not line.strip():
            end_row()
        elif row:
            row[-1][0].append(line.rstrip(" \t"))
        else:
            # A non-TAB line where a row would start: text after the table.
            epilogue.extend(ln.strip() for ln in lines[i:] if ln.strip())
            if any(ln.startswith("\t") for ln in lines[i:]):
                raise ParseError(
                    "text between table rows: a row must start with a TAB line",
                    Position(file=source, line=i + 1),
                )
            break
        i += 1
    end_row()
    if not rows:
        raise ParseError("no table found: no row has any cell", Position(file=source))
    return Grid(tuple(rows), source=source, preamble=tuple(preamble), epilogue=tuple(epilogue))


def text_paragraphs(text: str, source: str | None = None) -> list[Paragraph]:
    """Each line of ``text`` as a paragraph, ``line`` its line number."""
    return [(line, Position(file=source, line=i + 1)) for i, line in enumerate(_lines(text))]


def read_text(source: Source | str | os.PathLike[str]) -> Document:
    """Read a text-form file (the reader plugin's entry point): its one table, when a line starts
    with a TAB, and every line as a paragraph."""
    src = Source.of(source)
    text = decode_text(src.read_bytes(), src.name)
    has_rows = any(line.startswith("\t") for line in _lines(text))
    tables = [parse_text(text, src.name)] if has_rows else []
    return Document(tables, text_paragraphs(text, src.name), table_count=len(tables),
                    tables_are="rows are lines starting with a TAB")


def sniff_text(head: bytes) -> bool:
    """Text form: decodable text with a line starting with a TAB."""
    if b"\x00" in head:
        return False
    return head.startswith(b"\t") or b"\n\t" in head
