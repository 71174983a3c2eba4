"""Property: generated plans written as HTML tables with random rowspans read back to equal plans."""

from __future__ import annotations

import html
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import zwgk
from tests.fixtures.plans import HEADER, plans, runs
from tests.strategies import examples
from zwgk.model import Plan

Rows = list[tuple[str, str, str, list[str], list[str], str]]


def _cell(text: str, rowspan: int = 1, *, colspan: int = 1, word: bool = False) -> str:
    span = (f" rowspan={rowspan}" if rowspan > 1 else "") + (f" colspan={colspan}" if colspan > 1 else "")
    if word:  # Word's way: a paragraph per line, spans around the text
        body = "".join(f"<p class=MsoNormal><span style='font-family:宋体'>{html.escape(line)}</span></p>"
                       for line in text.split("\n")) or "<p class=MsoNormal>&nbsp;</p>"
    else:
        body = "<br>".join(html.escape(line) for line in text.split("\n"))
    return f"<td{span}>{body}</td>"


def _html(rows: Rows, title: str, cuts: list[bool], word: bool, charset: str) -> str:
    """Category cells merged with rowspans; where ``cuts`` says so a run is split and the text repeated."""
    starts: dict[int, dict[int, int]] = {0: {}, 1: {}}
    for level, keys in ((0, [r[0] for r in rows]), (1, [f"{r[0]}\x1f{r[1]}" for r in rows])):
        for start, n in runs(keys):
            i = start
            while i < start + n:
                j = i + 1
                while j < start + n and not cuts[(j * 7 + level) % len(cuts)]:
                    j += 1
                starts[level][i] = j - i
                i = j
    out = ["<tr>" + "".join(f"<th>{h}</th>" for h in HEADER) + "</tr>"]
    for i, (l1, l2, text, leads, resp, sep) in enumerate(rows):
        cells = []
        if i in starts[0]:
            cells.append(_cell(l1, starts[0][i], word=word))
        if l2 and i in starts[1]:
            cells.append(_cell(l2, starts[1][i], word=word))
        cells.append(_cell(text, colspan=1 if l2 else 2, word=word))  # no second level: the text spans it
        cells += [_cell(sep.join(lst) if sep != "\n" else "\n".join(lst), word=word) for lst in (leads, resp)]
        out.append("<tr>" + "".join(cells) + "</tr>")
    return (f"<html><head><meta http-equiv=Content-Type content='text/html; charset={charset}'></head><body>"
            f"<p>{html.escape(title)}</p><table border=1>{''.join(out)}</table></body></html>")


@settings(max_examples=examples(60), deadline=None)
@given(data=plans(), cuts=st.lists(st.booleans(), min_size=1, max_size=8), word=st.booleans(),
       charset=st.sampled_from(["utf-8", "gb2312"]))
def test_html_round_trip(data: tuple[Plan, Rows], cuts: list[bool], word: bool, charset: str) -> None:
    plan, rows = data
    page = _html(rows, plan.title or "", cuts, word, charset)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "p.html"
        path.write_bytes(page.encode("gb18030" if charset == "gb2312" else "utf-8"))
        back = zwgk.load(path)
    assert back.tasks == plan.tasks
    assert back.title == plan.title and back.metadata == plan.metadata


def _tidy_reference(raw: str) -> str:
    """The cell-text tidying rule written plainly: every whitespace run looked at (no fast path)."""
    import re

    from zwgk.readers.html import _BREAK, _CJK, _WS_RE

    def ws(m: re.Match[str]) -> str:
        run = m.group()
        if "\n" in run or "\r" in run:
            s, e = m.start(), m.end()
            before = raw[s - 1] if s > 0 else ""
            after = raw[e] if e < len(raw) else ""
            if before == _BREAK or after == _BREAK or (_CJK.match(before) and _CJK.match(after)):
                return ""
        return " "

    lines = [line.strip() for line in _WS_RE.sub(ws, raw).replace("\xa0", " ").split(_BREAK)]
    return "\n".join(line for line in lines if line)


@given(st.text(alphabet=st.sampled_from(list(" \t\r\n\f\xa0\x00\u3000ab市局，")), max_size=30))
@settings(max_examples=300)
def test_cell_text_tidying_takes_shortcuts_without_changing_a_character(raw: str) -> None:
    from zwgk.readers.html import _tidy

    assert _tidy(raw) == _tidy_reference(raw)
