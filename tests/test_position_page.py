"""Position.page: shown by describe(), kept through JSON, omitted when unknown, old JSON still loads."""

from __future__ import annotations

from zwgk._serialize import structure, unstructure
from zwgk.errors import ParseError, Position


def test_describe_puts_the_page_after_the_file() -> None:
    pos = Position(file="plan.pdf", page=4, table=1, row=30, column=3)
    assert pos.describe() == "plan.pdf, page 4, table 1, row 30, column 3"
    assert str(ParseError("bad", Position(file="a.pdf", page=2))) == "a.pdf, page 2: bad"
    assert Position(file="a.docx", row=2).describe() == "a.docx, row 2"


def test_page_round_trips_and_is_omitted_when_unknown() -> None:
    pos = Position(file="plan.pdf", table=1, row=3, column=2, page=7)
    data = unstructure(pos)
    assert data["page"] == 7
    assert structure(data, Position) == pos
    assert "page" not in unstructure(Position(file="plan.docx", row=3))
    old = {"file": "plan.docx", "table": 1, "row": 3, "column": 2}  # written before pages were recorded
    assert structure(old, Position) == Position(file="plan.docx", table=1, row=3, column=2)
