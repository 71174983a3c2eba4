"""What a value stored in a sheet's XML reads as: the text of a string, a number, a date, a formula.

Each as openpyxl reads it (so a workbook reads as it always has), except where openpyxl alters what
was written: ``_xHHHH_`` escapes are the characters they stand for, the East Asian number formats
Excel knows by number (``yyyy"年"m"月"d"日"`` is 31) show dates, a date beyond Python's dates is kept
as its number (openpyxl writes ``#VALUE!``), and a data table formula reads as Excel shows it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from zwgk.errors import ParseError, Position

__all__ = ["BUILTIN_DATES", "EPOCH_1900", "EPOCH_1904", "MAIN", "OFF", "bold_runs", "cast_number", "content",
           "date_format", "date_text", "formula", "iso_text", "number_text", "unescape"]

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_T, _R = MAIN + "t", MAIN + "r"
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")

#: Number formats Excel knows by number alone that show a date or a time: the ones every locale
#: shares (ECMA-376 Part 1, 18.8.30) and the East Asian ones (27–36, 50–58; the Chinese codes).
BUILTIN_DATES = {
    14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM",
    20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm", 45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0",
    27: 'yyyy"年"m"月"', 28: 'm"月"d"日"', 29: 'm"月"d"日"', 30: "m-d-yy", 31: 'yyyy"年"m"月"d"日"',
    32: 'h"时"mm"分"', 33: 'h"时"mm"分"ss"秒"', 34: '上午/下午h"时"mm"分"', 35: '上午/下午h"时"mm"分"ss"秒"',
    36: 'yyyy"年"m"月"', 50: 'yyyy"年"m"月"', 51: 'm"月"d"日"', 52: 'yyyy"年"m"月"', 53: 'm"月"d"日"',
    54: 'm"月"d"日"', 55: '上午/下午h"时"mm"分"', 56: '上午/下午h"时"mm"分"ss"秒"', 57: 'yyyy"年"m"月"',
    58: 'm"月"d"日"',
}
_QUOTED = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')  # literal text and [colour]/[$-locale] parts
_DATE_PART = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_DURATION = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)
EPOCH_1900 = dt.datetime(1899, 12, 30)
EPOCH_1904 = dt.datetime(1904, 1, 1)


def date_format(code: str) -> tuple[bool, bool]:
    """Whether a number format shows a date or time, and whether it shows a duration (``[h]:mm``),
    as openpyxl tells them (only the format's first section counts)."""
    first = code.split(";")[0]
    if not _DATE_PART.search(_QUOTED.sub("", first)):
        return False, False
    return True, _DURATION.search(first) is not None


def unescape(text: str) -> str:
    """A string with its ``_xHHHH_`` escapes (ECMA-376 ST_Xstring: ``_x000D_`` a carriage return,
    ``_x005F_`` the underscore of a literal ``_xHHHH_``) as the characters they stand for."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def content(el: Any) -> str:
    """The text of a shared string (``si``) or an inline string (``is``): its own ``t`` and the ``t``
    of each rich text run (``r``), phonetic guides (``rPh``) left out, as openpyxl reads it."""
    if len(el) == 1 and el[0].tag == _T:
        return unescape(el[0].text or "")
    plain: str | None = None
    runs: list[str] = []
    for child in el:
        if child.tag == _T:
            plain = child.text
        elif child.tag == _R:
            run = None
            for t in child:
                if t.tag == _T:
                    run = t.text
            if run is not None:
                runs.append(run)
    return unescape((plain or "") + "".join(runs))


_RPR, _B = MAIN + "rPr", MAIN + "b"
#: The values of a boolean property (``<b val="0"/>``) that turn it off.
OFF = frozenset({"0", "false", "off"})


def bold_runs(el: Any) -> list[str]:
    """The texts of the rich text runs (``r``) of a shared or inline string set bold (``rPr/b``), in
    order (:attr:`zwgk.table.grid.Cell.emphasis`); empty for a plain string."""
    out: list[str] = []
    for child in el:
        if child.tag != _R:
            continue
        props = child.find(_RPR)
        bold = props is not None and (b := props.find(_B)) is not None and b.get("val", "1") not in OFF
        if bold:
            out.extend(unescape(t.text or "") for t in child if t.tag == _T)
    return out


def cast_number(text: str) -> int | float:
    """A stored number, as openpyxl casts it (a whole number without ``.`` or exponent is an int)."""
    return float(text) if "." in text or "E" in text or "e" in text else int(text)


def number_text(value: int | float) -> str:
    """A number as text: a whole float without its ``.0`` (``2.0`` is ``2``), any other as Python writes it."""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def date_text(value: int | float, epoch: dt.datetime, duration: bool) -> str:
    """A serial date number as ISO text (a date alone at midnight, a time alone below one day), as
    openpyxl converts it; a duration as ``H:MM:SS`` (with days before it)."""
    if duration:
        span = dt.timedelta(days=value)
        if span.microseconds:
            span = dt.timedelta(seconds=span.total_seconds() // 1, microseconds=round(span.microseconds, -3))
        return str(span)
    day, fraction = divmod(value, 1)
    diff = dt.timedelta(milliseconds=round(fraction * 86_400_000))
    if 0 <= value < 1 and diff.days == 0:
        minutes, seconds = divmod(diff.seconds, 60)
        return dt.time(minutes // 60, minutes % 60, seconds, diff.microseconds).isoformat()
    if 0 < value < 60 and epoch == EPOCH_1900:
        day += 1  # Excel's 1900 counts a 29 February that never was
    stamp = epoch + dt.timedelta(days=day) + diff
    return stamp.date().isoformat() if stamp.time() == dt.time() else stamp.isoformat(sep=" ")


def iso_text(text: str) -> str:
    """A date cell stored as ISO 8601 text (``t="d"``), written as the other dates are; kept as
    written when Python does not read it."""
    try:
        stamp = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    if stamp.tzinfo is None and stamp.time() == dt.time():
        return stamp.date().isoformat()
    return stamp.isoformat(sep=" ")


def formula(f: Any, coordinate: str, shared: dict[str, tuple[str, str]], where: Position) -> str:
    """A formula cell's text as written (``=`` and the formula); a shared formula's other cells
    translated from its first by openpyxl's translator (imported only then), a data table as Excel
    shows it (``=TABLE(r1,r2)``)."""
    text = "=" + (f.text or "")
    kind = f.get("t")
    if kind == "shared":
        si = f.get("si") or ""
        if si in shared:
            from openpyxl.formula.translate import Translator

            origin, at = shared[si]
            try:
                return str(Translator(origin, at).translate_formula(coordinate))
            except Exception as e:  # the tokenizer's complaint about a damaged formula
                raise ParseError(f"cell {coordinate}: the shared formula {origin!r} cannot be translated ({e})",
                                 where) from None
        if text != "=":
            shared[si] = (text, coordinate)
    elif kind == "dataTable" and text == "=":
        text = f"=TABLE({f.get('r1') or ''},{f.get('r2') or ''})"
    return text
