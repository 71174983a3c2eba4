"""The one cattrs converter: every (de)serialisation of zwgk objects goes through it.

The JSON form of a plan carries a schema identifier (``"schema": "zwgk.plan/1"``). Fields holding
defaults are omitted to keep files small; source positions are kept.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from zwgk.errors import ParseError, Position
from zwgk.model import Plan, Role, Task, UnitRef

__all__ = ["SCHEMA", "converter", "dumps", "loads", "structure", "unstructure"]

SCHEMA = "zwgk.plan/1"

T = TypeVar("T")

converter = cattrs.Converter(omit_if_default=True, forbid_extra_keys=True)


def _frozenset_roles_unstructure(value: frozenset[Role]) -> list[str]:
    return sorted(r.value for r in value)


converter.register_unstructure_hook(frozenset, lambda v: sorted(converter.unstructure(x) for x in v))
converter.register_unstructure_hook(
    Task,
    make_dict_unstructure_fn(
        Task,
        converter,
        _cattrs_omit_if_default=True,
        open_roles=override(unstruct_hook=_frozenset_roles_unstructure),
    ),
)
converter.register_structure_hook(
    Task, make_dict_structure_fn(Task, converter, _cattrs_forbid_extra_keys=True)
)
converter.register_unstructure_hook(
    UnitRef, make_dict_unstructure_fn(UnitRef, converter, _cattrs_omit_if_default=True)
)
converter.register_unstructure_hook(
    Position, make_dict_unstructure_fn(Position, converter, _cattrs_omit_if_default=True)
)


def unstructure(obj: Any) -> Any:
    """Plain Python data (dicts, lists, strings, numbers) for any zwgk value."""
    return converter.unstructure(obj)


def structure(data: Any, cls: type[T]) -> T:
    """The zwgk value of type ``cls`` described by plain data."""
    return converter.structure(data, cls)


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    data: dict[str, Any] = {"schema": SCHEMA}
    data.update(converter.unstructure(plan))
    return data


def plan_from_dict(data: Any, source: str | None = None) -> Plan:
    where = Position(file=source)
    if not isinstance(data, dict):
        raise ParseError("a zwgk plan must be a JSON object", where)
    schema = data.get("schema")
    if schema != SCHEMA:
        raise ParseError(f"unsupported schema {schema!r}; this version reads {SCHEMA!r}", where)
    body = {k: v for k, v in data.items() if k != "schema"}
    try:
        plan = converter.structure(body, Plan)
    except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as e:
        detail = "; ".join(cattrs.transform_error(e)) if isinstance(e, cattrs.BaseValidationError) else str(e)
        raise ParseError(f"not a valid zwgk plan: {detail}", where) from None
    return plan if source is None else _with_source(plan, source)


def _with_source(plan: Plan, source: str) -> Plan:
    import attrs

    return attrs.evolve(plan, source=plan.source or source)


def dumps(plan: Plan, *, indent: int | None = 2) -> str:
    """The plan as JSON text (UTF-8 characters kept as they are)."""
    return json.dumps(plan_to_dict(plan), ensure_ascii=False, indent=indent)


def loads(text: str | bytes, *, source: str | None = None) -> Plan:
    """The plan described by JSON text written by :func:`dumps`."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        line = getattr(e, "lineno", None)
        raise ParseError(f"not valid JSON: {getattr(e, 'msg', e)}", Position(file=source, line=line)) from None
    return plan_from_dict(data, source)
