"""Round trips: text form and JSON, on the sample and on generated plans."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import given, reject
from hypothesis import strategies as st

import zwgk
from tests.strategies import plans
from zwgk.errors import ExportError, ZwgkError
from zwgk.exporters.text import plan_to_text
from zwgk.model import Plan
from zwgk.readers.text import parse_text
from zwgk.table.build import build_plan


def read_text_form(text: str) -> Plan:
    return build_plan([parse_text(text, "generated.txt")], zwgk.unit_registry())


def test_sample_text_round_trip(sample: Plan) -> None:
    again = read_text_form(plan_to_text(sample))
    assert again == sample
    assert [t.id for t in again.tasks] == [t.id for t in sample.tasks]


def test_sample_json_round_trip(sample: Plan) -> None:
    text = zwgk.dumps(sample)
    data = json.loads(text)
    assert data["schema"] == "zwgk.plan/1"
    assert "政务公开" in text  # UTF-8 kept, not \\u escapes
    again = zwgk.loads(text)
    assert again == sample
    assert again.tasks[0].source == sample.tasks[0].source


def test_json_file_loads_through_load(sample: Plan, tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    zwgk.export(sample, "json", path)
    assert zwgk.load(path) == sample


@given(plans())
def test_generated_text_round_trip(plan: Plan) -> None:
    try:
        text = plan_to_text(plan)
    except ExportError:  # a plan the text form cannot show (a path shallower than the others): refused
        reject()
    assert read_text_form(text) == plan


@given(plans())
def test_generated_json_round_trip(plan: Plan) -> None:
    assert zwgk.loads(zwgk.dumps(plan)) == plan
    assert zwgk.loads(zwgk.dumps(plan, indent=None)) == plan


@given(st.text())
def test_reader_raises_only_zwgk_errors_on_arbitrary_text(text: str) -> None:
    with contextlib.suppress(ZwgkError):
        read_text_form(text)


@given(st.lists(st.sampled_from(["\t", "\n", "\r\n", " ", "牵头单位", "责任单位", "工作任务", "x", "、",
                                  "（", "）", "等", "\t\t", "一、", "\ufeff"]), max_size=60))
def test_reader_raises_only_zwgk_errors_on_table_like_text(parts: list[str]) -> None:
    with contextlib.suppress(ZwgkError):
        read_text_form("".join(parts))


@given(st.binary(max_size=300))
def test_load_raises_only_zwgk_errors_on_arbitrary_bytes(tmp_path_factory: pytest.TempPathFactory,
                                                         data: bytes) -> None:
    path = tmp_path_factory.mktemp("bytes") / "x.txt"
    path.write_bytes(data)
    with contextlib.suppress(ZwgkError):
        zwgk.load(path)
