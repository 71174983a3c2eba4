"""One vocabulary (zwgk.vocabulary): headings, keywords and the role maps written once."""

from __future__ import annotations

import pytest

from zwgk.exporters.text import columns_for
from zwgk.model import Role
from zwgk.table import paragraphs
from zwgk.vocabulary import (
    HEADING,
    LABELS,
    LEVEL_HEADINGS,
    UNIT_ROLES,
    WRITTEN_HEADINGS,
    classify,
    header_key,
    looks_like_units,
)


def test_the_headings_zwgk_writes_are_read_back_as_their_roles() -> None:
    for role, heading in HEADING.items():
        assert classify(header_key(heading))[0] is role
    assert set(WRITTEN_HEADINGS) == {*HEADING.values(), *LEVEL_HEADINGS}


def test_model_roles_and_column_roles_are_one_map() -> None:
    assert {r.column for r in Role} == set(UNIT_ROLES)
    for role in Role:
        assert Role.of(role.column) is role and role.label == HEADING[role.column]
        assert LABELS[role.label] is role.column  # the paragraph form's label is the heading


def test_the_writers_use_the_vocabulary(sample: object) -> None:
    cols = columns_for(sample)  # type: ignore[arg-type]
    assert all(c in WRITTEN_HEADINGS for c in cols)
    assert paragraphs.LEVEL_HEADINGS is LEVEL_HEADINGS  # one tuple of level headings, not two


@pytest.mark.parametrize(("text", "units"), [
    ("市财政局、市审计局", True),
    ("市财政局\n市审计局", True),
    ("各县（市、区）政府", True),
    ("", False),
    ("公开预算。", False),  # a sentence
    ("市财政局；市审计局", False),  # sentence punctuation: a unit cell and a unit line agree now
    ("牵头单位：市财政局", False),  # a label, not a list
    ("1.市财政局", False),  # numbered: an item, not a list
    ("市" * 201, False),  # longer than a list of names
])
def test_one_definition_of_a_list_of_units(text: str, units: bool) -> None:
    assert looks_like_units(text) is units
