"""The JSON exporter: the cattrs form, UTF-8, schema version, valid against the published schema."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator

import zwgk
from tests.strategies import examples
from tests.strategies import realistic_plans as plans
from zwgk._serialize import SCHEMA
from zwgk.errors import ParseError, Position
from zwgk.model import Metadata, Plan, Role, Task, UnitKind, UnitRef

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "docs" / "schema" / "zwgk.plan-1.schema.json"


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _json(plan: Plan) -> bytes:
    data = zwgk.export(plan, "json")
    assert data is not None
    return data


def test_sample_round_trips_through_a_file(sample: Plan, tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    zwgk.export(sample, "json", path)
    back = zwgk.load(path)
    assert back == sample
    assert [t.source for t in back.tasks] == [t.source for t in sample.tasks]


def test_utf8_with_schema_version(sample: Plan) -> None:
    data = _json(sample)
    text = data.decode("utf-8")
    assert sample.title is not None and sample.title in text  # Chinese kept, not \\u-escaped
    assert "\\u" not in text
    assert json.loads(text)["schema"] == SCHEMA == "zwgk.plan/1"
    assert data.endswith(b"\n")


def test_indent_option(sample: Plan) -> None:
    compact = zwgk.export(sample, "json", indent=None)
    assert compact is not None and compact.count(b"\n") == 1
    assert zwgk.loads(compact) == sample


def test_sample_is_valid_against_the_schema(sample: Plan, validator: Draft202012Validator) -> None:
    errors = list(validator.iter_errors(json.loads(_json(sample))))
    assert errors == []


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_generated_plans_round_trip_and_validate(plan: Plan) -> None:
    data = _json(plan)
    assert zwgk.loads(data) == plan
    Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))).validate(json.loads(data))


def test_every_field_validates(validator: Draft202012Validator) -> None:
    ref = UnitRef("市发改委", "市发展改革委", UnitKind.DEPARTMENT, True, "alias")
    task = Task(
        id="t1", path=("一", "二"), text="任务。", requirement="要求", serial="1", deadline="年底前",
        notes="备注", leads=(ref,), responsible=(ref,), cooperating=(ref,),
        open_roles=frozenset({Role.LEAD, Role.COOPERATING}), extra=(("责任人", "张三"),),
        source=Position("a.docx", 1, 2, 3, 4),
    )
    plan = Plan("标题", (task,), Metadata("泰安市", 2020, "市政府办公室"), ("附件",), ("注",), source="a.docx")
    data = json.loads(_json(plan))
    validator.validate(data)
    assert data["tasks"][0]["open_roles"] == ["cooperating", "lead"]
    assert zwgk.loads(json.dumps(data)) == plan


@pytest.mark.parametrize("change", [
    lambda d: d.pop("schema"),
    lambda d: d.update(schema="zwgk.plan/2"),
    lambda d: d["tasks"][0].update(colour="red"),
    lambda d: d["tasks"][0]["leads"][0].update(kind="ministry"),
    lambda d: d["tasks"][0].pop("text"),
    lambda d: d["tasks"][0].update(open_roles=["boss"]),
])
def test_schema_and_loader_reject_the_same_mistakes(sample: Plan, validator: Draft202012Validator, change) -> None:
    data = json.loads(_json(sample))
    change(data)
    assert list(validator.iter_errors(data))
    with pytest.raises(ParseError):
        zwgk.loads(json.dumps(data, ensure_ascii=False))


def test_schema_lists_every_model_field_and_enum_value() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    defs = schema["$defs"]
    assert set(schema["properties"]) == {"schema"} | {f.name for f in attrs.fields(Plan)}
    assert set(defs["task"]["properties"]) == {f.name for f in attrs.fields(Task)}
    assert set(defs["unit_ref"]["properties"]) == {f.name for f in attrs.fields(UnitRef)}
    assert set(defs["position"]["properties"]) == {f.name for f in attrs.fields(Position)}
    assert set(defs["metadata"]["properties"]) == {f.name for f in attrs.fields(Metadata)}
    assert defs["role"]["enum"] == [r.value for r in Role]
    assert defs["unit_kind"]["enum"] == [k.value for k in UnitKind]


def test_control_characters_long_cells_and_pipes_round_trip(sample: Plan, validator: Draft202012Validator) -> None:
    odd = "控制\x00\x01\x1f字符 | 管道\n换行\t制表" + "长" * 100_000
    plan = attrs.evolve(sample, tasks=(attrs.evolve(sample.tasks[0], text=odd), *sample.tasks[1:]))
    data = _json(plan)
    validator.validate(json.loads(data))
    assert zwgk.loads(data) == plan
