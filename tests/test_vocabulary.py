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
    ColumnRole,
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


@pytest.mark.parametrize(("heading", "role"), [
    # the responsible bodies: 承办 as well as 责任, the issuer's own (本局) as well as another's
    ("本局承办科室", ColumnRole.RESPONSIBLE), ("承办单位", ColumnRole.RESPONSIBLE),
    ("承办处室", ColumnRole.RESPONSIBLE),
    ("责任处室", ColumnRole.RESPONSIBLE), ("主责单位", ColumnRole.RESPONSIBLE), ("落实部门", ColumnRole.RESPONSIBLE),
    ("负责处室", ColumnRole.RESPONSIBLE), ("本局责任科室", ColumnRole.RESPONSIBLE),
    # the lead: 主办 as well as 牵头, whatever body word follows
    ("主办处室", ColumnRole.LEAD), ("牵头处室", ColumnRole.LEAD), ("区委区政府牵头部门", ColumnRole.LEAD),
    ("牵头责任单位", ColumnRole.LEAD),
    # the co-operating bodies: 协办, 参与, 协同, 参加 with a body word
    ("协办科室", ColumnRole.COOPERATING), ("配合处室", ColumnRole.COOPERATING), ("参与单位", ColumnRole.COOPERATING),
    ("参与部门", ColumnRole.COOPERATING), ("协同处室", ColumnRole.COOPERATING), ("参加单位", ColumnRole.COOPERATING),
    ("配合责任单位", ColumnRole.COOPERATING),
    ("完成时间", ColumnRole.DEADLINE), ("完成期限", ColumnRole.DEADLINE), ("时间节点", ColumnRole.DEADLINE),
    ("办理期限", ColumnRole.DEADLINE), ("截止时间", ColumnRole.DEADLINE), ("时间安排", ColumnRole.DEADLINE),
    ("工作措施", ColumnRole.TASK), ("具体措施", ColumnRole.TASK), ("主要举措", ColumnRole.TASK),
    ("序号", ColumnRole.SERIAL), ("编号", ColumnRole.SERIAL), ("项次", ColumnRole.SERIAL),
    # a role word with no body word after it may be prose, not a heading of units
    ("公众参与", None), ("执行情况", None),
])
def test_unit_and_other_headings_as_real_tables_word_them(heading: str, role: ColumnRole | None) -> None:
    assert classify(header_key(heading))[0] is role


def test_every_unit_heading_with_a_body_word_is_a_label_of_the_paragraph_form() -> None:
    for heading in ("承办单位", "承办科室", "主办处室", "协办部门", "参与单位", "责任处室"):
        role = classify(heading)[0]
        assert role is not None and LABELS[heading] is role
    from zwgk.units._grammar import ROLE_LABELS

    assert ROLE_LABELS["承办处室"] is Role.RESPONSIBLE and ROLE_LABELS["协办科室"] is Role.COOPERATING
