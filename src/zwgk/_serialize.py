"""The one cattrs converter: every (de)serialisation of zwgk objects goes through it.

The JSON form of a plan carries a schema identifier (``"schema": "zwgk.plan/1"``). Fields holding
defaults are omitted to keep files small; source positions are kept.

Reading is strict: a value of the wrong JSON type is refused, never converted (``["x"]`` is not the
text ``"['x']"``, ``"abc"`` is not the list ``["a", "b", "c"]``, ``true`` is not the number 1), and so
is a string holding a lone surrogate (``"\ud800"``), which no UTF-8 file can hold. Every refusal is a
:class:`~zwgk.errors.ParseError` naming the JSON path (``$.tasks[3].leads[0].name``). JSON nested
deeper than Python's recursion limit, or a number of more than 4,300 digits, is refused too.

The converter is built (and cattrs imported) on first use, by :func:`get_converter`, so that
``import zwgk`` stays fast; ``converter`` is the same object, looked up by that name.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from types import UnionType
from typing import TYPE_CHECKING, Any, TypeVar, Union, get_args, get_origin

from zwgk._gc import paused_gc
from zwgk.errors import ParseError, Position
from zwgk.model import CategoryNote, Metadata, Plan, Role, Task, UnitRef

if TYPE_CHECKING:
    import cattrs

__all__ = ["SCHEMA", "dumps", "get_converter", "loads", "structure", "unstructure"]

SCHEMA = "zwgk.plan/1"

T = TypeVar("T")


def _frozenset_roles_unstructure(value: frozenset[Role]) -> list[str]:
    return sorted(r.value for r in value)


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false", int: "a number",
            float: "a number", type(None): "null"}.get(type(value), type(value).__name__)


class _Refused(ValueError):
    """A JSON value of the wrong type or content; its message is shown as it is."""


def _describe(exc: BaseException, t: Any) -> str:
    if isinstance(exc, _Refused):
        return str(exc)
    import cattrs

    return cattrs.v.format_exception(exc, t)


def _structure_str(value: Any, t: type) -> Any:
    if type(value) is not str:
        raise _Refused(f"expected a string, got {_json_type(value)}")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as e:
            raise _Refused(f"the string holds a lone surrogate (U+{ord(value[e.start]):04X}), "
                             "which is not text") from None
    return value if t is str else t(value)  # a str-based enum (Role, UnitKind) by its value


def _structure_file_name(value: Any, _: Any) -> str | None:
    """A source file name: text, or a name that is not UTF-8 with its bytes held as U+DC80 to U+DCFF
    (how Python holds such a name, ``os.fsdecode``; the JSON exporter writes them as ``\\udcXX``)."""
    if value is None:
        return None
    if type(value) is not str:
        raise _Refused(f"expected a string, got {_json_type(value)}")
    try:
        value.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError as e:
        raise _Refused(f"the string holds a lone surrogate (U+{ord(value[e.start]):04X}), "
                       "which is not text") from None
    return value


def _structure_int(value: Any, _: type) -> int:
    if type(value) is not int:
        raise _Refused(f"expected a whole number, got {_json_type(value)}")
    return value


def _structure_bool(value: Any, _: type) -> bool:
    if type(value) is not bool:
        raise _Refused(f"expected true or false, got {_json_type(value)}")
    return value


def _list_only(make: Callable[[Any], Callable[[Any, Any], Any]]) -> Callable[[Any], Callable[[Any, Any], Any]]:
    """A hook factory whose hooks refuse anything but a JSON list before the usual structuring."""

    def factory(cl: Any) -> Callable[[Any, Any], Any]:
        inner = make(cl)

        def hook(value: Any, t: Any) -> Any:
            if type(value) is not list:
                raise _Refused(f"expected a list, got {_json_type(value)}")
            return inner(value, t)

        return hook

    return factory


def _is_homogenous_tuple(t: Any) -> bool:
    args = get_args(t)
    return get_origin(t) is tuple and len(args) == 2 and args[1] is Ellipsis


def _is_pair_tuple(t: Any) -> bool:
    args = get_args(t)
    return get_origin(t) is tuple and bool(args) and Ellipsis not in args


def _fixed_tuple(cl: Any, conv: cattrs.Converter) -> Callable[[Any, Any], Any]:
    hooks = [conv.get_structure_hook(a) for a in get_args(cl)]
    types = get_args(cl)

    def hook(value: Any, _: Any) -> Any:
        if len(value) != len(hooks):
            raise _Refused(f"expected a list of {len(hooks)} items, got {len(value)}")
        return tuple(h(v, t) for h, v, t in zip(hooks, value, types, strict=False))

    return hook


def _frozenset(cl: Any, conv: cattrs.Converter) -> Callable[[Any, Any], Any]:
    (arg,) = get_args(cl)
    item = conv.get_structure_hook(arg)
    return lambda value, _: frozenset(item(v, arg) for v in value)


def _is_optional(t: Any) -> bool:
    args = get_args(t)
    return len(args) == 2 and type(None) in args and get_origin(t) in (Union, UnionType)


def _optional(cl: Any, conv: cattrs.Converter) -> Callable[[Any, Any], Any]:
    (arg,) = (a for a in get_args(cl) if a is not type(None))
    inner = conv.get_structure_hook(arg)
    return lambda value, _: None if value is None else inner(value, arg)


@functools.cache
def get_converter() -> cattrs.Converter:
    """The one converter, built with its hooks on first call."""
    import cattrs
    from cattrs.cols import homogenous_tuple_structure_factory, is_frozenset
    from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

    conv = cattrs.Converter(omit_if_default=True, forbid_extra_keys=True)
    conv.register_unstructure_hook(frozenset, lambda v: sorted(conv.unstructure(x) for x in v))
    conv.register_unstructure_hook(
        Task,
        make_dict_unstructure_fn(
            Task,
            conv,
            _cattrs_omit_if_default=True,
            open_roles=override(unstruct_hook=_frozenset_roles_unstructure),
        ),
    )
    conv.register_structure_hook(str, _structure_str)  # also the str-based enums, by their value
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook_factory(_is_optional, lambda cl: _optional(cl, conv))
    conv.register_structure_hook_factory(
        _is_homogenous_tuple, _list_only(lambda cl: homogenous_tuple_structure_factory(cl, conv))
    )
    conv.register_structure_hook_factory(_is_pair_tuple, _list_only(lambda cl: _fixed_tuple(cl, conv)))
    conv.register_structure_hook_factory(is_frozenset, _list_only(lambda cl: _frozenset(cl, conv)))
    conv.register_structure_hook(Position, make_dict_structure_fn(  # first: the classes holding one use it
        Position, conv, _cattrs_forbid_extra_keys=True, file=override(struct_hook=_structure_file_name)))
    for record in (Task, UnitRef, Metadata, CategoryNote):
        conv.register_structure_hook(record, make_dict_structure_fn(record, conv, _cattrs_forbid_extra_keys=True))
    conv.register_structure_hook(Plan, make_dict_structure_fn(
        Plan, conv, _cattrs_forbid_extra_keys=True, source=override(struct_hook=_structure_file_name)))
    for cls in (UnitRef, Position):
        conv.register_unstructure_hook(cls, make_dict_unstructure_fn(cls, conv, _cattrs_omit_if_default=True))
    return conv


def __getattr__(name: str) -> cattrs.Converter:
    """``converter``: the one converter, built on first use (see :func:`get_converter`)."""
    if name == "converter":
        return get_converter()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def unstructure(obj: Any) -> Any:
    """Plain Python data (dicts, lists, strings, numbers) for any zwgk value."""
    return get_converter().unstructure(obj)


def structure(data: Any, cls: type[T]) -> T:
    """The zwgk value of type ``cls`` described by plain data."""
    return get_converter().structure(data, cls)


#: How many problems a refused plan's error lists (the rest are counted).
_MAX_PROBLEMS = 5
#: How much of a value an error message quotes.
_QUOTE_CHARS = 60


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= _QUOTE_CHARS else text[:_QUOTE_CHARS] + "…"


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    data: dict[str, Any] = {"schema": SCHEMA}
    data.update(get_converter().unstructure(plan))
    return data


def plan_from_dict(data: Any, source: str | None = None) -> Plan:
    where = Position(file=source)
    if not isinstance(data, dict):
        raise ParseError("a zwgk plan must be a JSON object", where)
    schema = data.get("schema")
    if schema != SCHEMA:
        raise ParseError(f"unsupported schema {_short(repr(schema))}; this version reads {SCHEMA!r}", where)
    body = {k: v for k, v in data.items() if k != "schema"}
    import cattrs

    try:
        plan = get_converter().structure(body, Plan)
    except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as e:
        if isinstance(e, cattrs.BaseValidationError):
            problems = cattrs.transform_error(e, format_exception=_describe)
            more = len(problems) - _MAX_PROBLEMS
            detail = "; ".join(problems[:_MAX_PROBLEMS]) + (f"; and {more} more" if more > 0 else "")
        else:
            detail = _short(str(e))
        raise ParseError(f"not a valid zwgk plan: {detail}", where) from None
    return plan if source is None else _with_source(plan, source)


def _with_source(plan: Plan, source: str) -> Plan:
    import attrs

    return attrs.evolve(plan, source=plan.source or source)


def dumps(plan: Plan, *, indent: int | None = 2) -> str:
    """The plan as JSON text (UTF-8 characters kept as they are)."""
    return json.dumps(plan_to_dict(plan), ensure_ascii=False, indent=indent)


def loads(text: str | bytes, *, source: str | None = None) -> Plan:
    """The plan described by JSON text written by :func:`dumps`.

    Anything else is a :class:`~zwgk.errors.ParseError`: text that is not JSON, JSON nested too deep
    for the parser, a number of more than 4,300 digits, or a value of the wrong type or shape
    (named by its JSON path).
    """
    where = Position(file=source)
    with paused_gc():  # hundreds of thousands of small containers, no cycles (see _gc.py)
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            line = getattr(e, "lineno", None)
            raise ParseError(f"not valid JSON: {getattr(e, 'msg', e)}", Position(file=source, line=line)) from None
        except RecursionError:
            raise ParseError("not a zwgk plan: the JSON is nested too deeply to read", where) from None
        except ValueError as e:  # a number of more than sys.get_int_max_str_digits() digits
            raise ParseError(f"not a zwgk plan: the JSON holds a number zwgk will not read ({e})".split(";")[0]
                             + ")", where) from None
        return plan_from_dict(data, source)
