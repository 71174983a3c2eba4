"""Property: generated plans written as .docx read back to equal plans."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import zwgk
from tests.fixtures import docxgen as g
from tests.fixtures.plans import HEADER, plans, runs
from tests.strategies import examples
from zwgk.model import Plan


def _docx(rows: list[tuple[str, str, str, list[str], list[str], str]], title: str, style: str) -> str:
    """A table with the category cells vertically merged (continuations spelled ``style``)."""
    firsts = {s: n for s, n in runs([r[0] for r in rows])}
    seconds = {s: n for s, n in runs([(r[0], r[1]) for r in rows])}  # type: ignore[misc]
    out = [g.row([g.cell(h) for h in HEADER], header=True)]
    for i, (l1, l2, text, leads, resp, sep) in enumerate(rows):
        c1 = g.cell(l1, vmerge="restart") if i in firsts else g.cell(vmerge=style)
        units = [g.cell(lst if sep == "\n" else sep.join(lst)) for lst in (leads, resp)]
        if l2:
            c2 = g.cell(l2, vmerge="restart") if i in seconds else g.cell(vmerge=style)
            out.append(g.row([c1, c2, g.cell(text.split("\n")), *units]))
        else:  # no second level: the text spans that column
            out.append(g.row([c1, g.cell(text.split("\n"), span=2), *units]))
    return g.para("附件1") + g.para(title) + g.table(out, len(HEADER))


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=plans(), style=st.sampled_from(["bare", "continue"]))
def test_docx_round_trip(data: tuple[Plan, list[tuple[str, str, str, list[str], list[str], str]]],
                         style: str) -> None:
    plan, rows = data
    with tempfile.TemporaryDirectory() as d:
        path = g.write_docx(Path(d) / "p.docx", _docx(rows, plan.title or "", style))
        back = zwgk.load(path)
    assert back.tasks == plan.tasks
    assert back.title == plan.title and back.metadata == plan.metadata
    assert back.preamble == ("附件1", plan.title)


@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=plans())
def test_docx_export_round_trip(data: tuple[Plan, list[tuple[str, str, str, list[str], list[str], str]]]) -> None:
    if "docx" not in zwgk.get_exporters():
        pytest.skip("no docx exporter registered")
    plan, _ = data
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "p.docx"
        zwgk.export(plan, "docx", path)
        back = zwgk.load(path)
    assert back.tasks == plan.tasks
    assert back == plan
