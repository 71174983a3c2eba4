"""Exporters: each writes a plan in one format. Registered through ``register_exporters``.

An exporter writes everything the plan holds or refuses. A character the format cannot hold (XML
forbids most control characters) is an :class:`~zwgk.errors.ExportError` naming the task and the
field; with the option ``replace_invalid=True`` it is replaced with U+FFFD instead and every
replacement is reported as one :class:`ExportWarning`. :class:`TextCleaner` does that for any
exporter, built-in or not.

An exporter's options are the keyword arguments of its ``write`` after ``plan`` and ``stream``;
their annotations (or, without one, the type of the default) say what each takes. The command line
gives options as text and :meth:`Exporter.parse_options` turns each into that type:

- ``bool``: ``true``/``false``, ``yes``/``no``, ``on``/``off``, ``1``/``0`` (any case);
- ``int``: a whole number (``12``, ``-1``); ``float``: a finite number (``10.5``, ``12``);
- ``X | None``: ``None`` (or ``none``, ``null``) for ``None``, else a value of ``X``;
- ``Literal["a", "b"]``: one of those texts;
- ``str``, ``Any``, no annotation and no default: the text as it is.

A value that fits none of the declared types, or an option the exporter does not take, is an
:class:`~zwgk.errors.ExportError` naming the option.
"""

from __future__ import annotations

import inspect
import math
import re
import types
import typing
import warnings
from collections.abc import Callable, Mapping
from typing import Any

from attrs import frozen

from zwgk._options import unknown_options
from zwgk.errors import ExportError
from zwgk.exporters._fields import task_position
from zwgk.model import Task

__all__ = ["REPLACEMENT", "XML_INVALID", "ExportWarning", "Exporter", "OptionSpec", "TextCleaner", "WriteFn"]

WriteFn = Callable[..., None]
"""``write(plan, stream, **options)``: write ``plan`` to the binary ``stream``."""

XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 cannot hold (so neither can DOCX or XLSX)."""

REPLACEMENT = "\ufffd"
"""What :class:`TextCleaner` writes for a character the format cannot hold, when asked to."""
_REPLACEMENT_NAME = "U+FFFD"
_REPORT_CELLS = 10  # cells named one by one in the replacement warning; the rest are counted


class ExportWarning(UserWarning):
    """Something in the plan was written differently from how it is held, because the exporter was
    asked to (``replace_invalid=True``); the file is still valid."""


@frozen
class Exporter:
    """An output format.

    :param name: short name (``"markdown"``) used by ``zwgk.export(plan, name, path)``.
    :param suffixes: file suffixes with the dot; the first is the default (``(".md",)``).
    :param write: ``write(plan, stream, **options)`` writing bytes to a binary stream.
    :param description: one line for ``zwgk plugins`` and ``zwgk.get_exporters()``.
    """

    name: str
    suffixes: tuple[str, ...]
    write: WriteFn
    description: str = ""

    def options(self) -> dict[str, OptionSpec] | None:
        """The options ``write`` takes, by name; ``None`` when its signature cannot be read."""
        try:
            signature = inspect.signature(self.write)
        except (TypeError, ValueError):  # a callable without a signature: it decides for itself
            return None
        try:
            hints = typing.get_type_hints(self.write)
        except Exception:  # an annotation that does not resolve: fall back to the defaults' types
            hints = {}
        specs: dict[str, OptionSpec] = {}
        for param in list(signature.parameters.values())[2:]:  # after plan and stream
            if param.kind is param.VAR_KEYWORD:
                return None  # takes anything
            if param.kind not in (param.KEYWORD_ONLY, param.POSITIONAL_OR_KEYWORD):
                continue
            default = None if param.default is param.empty else param.default
            annotation = hints.get(param.name, param.empty)
            if annotation is param.empty:
                annotation = type(param.default) if param.default not in (param.empty, None) else Any
            specs[param.name] = OptionSpec(param.name, annotation, default, param.default is param.empty)
        return specs

    def check_options(self, options: Mapping[str, object]) -> None:
        """Raise :class:`~zwgk.errors.ExportError` for an option ``write`` does not take."""
        message = unknown_options("exporter", self.name, options, self.options())
        if message is not None:
            raise ExportError(message)

    def parse_options(self, options: Mapping[str, str]) -> dict[str, Any]:
        """Options given as text (the command line's ``--option KEY=VALUE``), each parsed by its type."""
        self.check_options(options)
        specs = self.options()
        if specs is None:
            return dict(options)
        return {k: specs[k].parse(v, self.name) for k, v in options.items()}


_TRUE = ("true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0")
_NONE = ("none", "null")


@frozen
class OptionSpec:
    """One option of an exporter: its name, declared type and default."""

    name: str
    annotation: Any
    default: Any = None
    required: bool = False

    def describe(self) -> str:
        """The type in words, for error messages (``an integer or None``)."""
        return " or ".join(_describe(t) for t in _alternatives(self.annotation))

    def parse(self, text: str, exporter: str = "") -> object:
        """``text`` as a value of the declared type, or :class:`~zwgk.errors.ExportError` naming the option."""
        for t in _alternatives(self.annotation):
            try:
                return _parse_as(t, text)
            except ValueError:
                continue
        of = f" of exporter {exporter!r}" if exporter else ""
        raise ExportError(f"option {self.name!r}{of} takes {self.describe()}, not {text!r}")


def _alternatives(annotation: Any) -> list[Any]:
    """The types ``annotation`` allows, ``None`` first (so that ``None`` is never read as text)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Union or (hasattr(types, "UnionType") and origin is types.UnionType):
        args = list(typing.get_args(annotation))
        return sorted(args, key=lambda t: (t is not type(None), t is str))  # None first, text last
    return [annotation]


def _describe(t: Any) -> str:
    if t is type(None):
        return "None"
    if t is bool:
        return "true or false (yes/no, on/off, 1/0)"
    if t is int:
        return "an integer"
    if t is float:
        return "a number"
    if typing.get_origin(t) is typing.Literal:
        return "one of " + ", ".join(repr(a) for a in typing.get_args(t))
    return "text"


def _parse_as(t: Any, text: str) -> object:
    """``text`` as a value of type ``t``; ``ValueError`` when it is not one."""
    lowered = text.strip().lower()
    if t is type(None):
        if lowered in _NONE:
            return None
        raise ValueError(text)
    if t is bool:
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ValueError(text)
    if t is int:
        return int(text.strip(), 10)
    if t is float:
        value = float(text)
        if not math.isfinite(value):
            raise ValueError(text)
        return value
    if typing.get_origin(t) is typing.Literal:
        for choice in typing.get_args(t):
            if str(choice) == text:
                return choice
        raise ValueError(text)
    if t is str or t is Any or t is object:
        return text
    raise ValueError(text)  # a type the command line cannot give (a list, a callable, ...)


class TextCleaner:
    r"""Refuse the characters a format cannot hold, or, when asked, replace them and report them once.

    By default the first such character is an :class:`~zwgk.errors.ExportError` naming the task
    and the field, so an exporter never writes less than the plan holds. With ``replace=True``
    (the exporters' ``replace_invalid=True`` option) each is replaced with U+FFFD, and
    :meth:`report` issues one :class:`ExportWarning` listing every replacement::

        clean = TextCleaner("DOCX", replace=replace_invalid)
        cell_text = clean(task.text, task, "text")
        ...
        clean.report()   # one ExportWarning listing every replacement, if there was any

    >>> TextCleaner("DOCX")("公开\x07预算", None, "title")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    zwgk.errors.ExportError: the plan, title: holds U+0007 at character 3, which DOCX cannot hold ...
    >>> TextCleaner("DOCX", replace=True)("公开\x07预算", None, "title") == "公开\ufffd预算"
    True
    """

    def __init__(self, format_name: str, pattern: re.Pattern[str] = XML_INVALID, *,
                 replace: bool = False) -> None:
        self.format_name = format_name
        self.pattern = pattern
        self.replace = replace
        self.replaced: list[tuple[str, str, int]] = []  # (task id or "plan", field, count)

    def __call__(self, text: str, task: Task | None, field: str) -> str:
        if not self.replace:
            m = self.pattern.search(text)
            if m is not None:
                who = f"task {task.id}" if task is not None else "the plan"
                raise ExportError(
                    f"{who}, {field}: holds U+{ord(m.group()):04X} at character {m.start() + 1}, which "
                    f"{self.format_name} cannot hold (export with replace_invalid=True to write "
                    f"{_REPLACEMENT_NAME} in its place)",
                    task_position(task),
                )
            return text
        cleaned, n = self.pattern.subn(REPLACEMENT, text)
        if n:
            self.replaced.append((task.id if task is not None else "plan", field, n))
        return cleaned

    def message(self) -> str | None:
        """The report as one line, or ``None`` when nothing was replaced."""
        if not self.replaced:
            return None
        total = sum(n for _, _, n in self.replaced)
        shown = self.replaced[:_REPORT_CELLS]
        where = "; ".join(f"{tid} {field} ({n})" for tid, field, n in shown)
        more = f"; and {len(self.replaced) - len(shown)} more cells" if len(self.replaced) > len(shown) else ""
        return (f"{total} character(s) that {self.format_name} cannot hold were replaced with "
                f"{REPLACEMENT!r}: {where}{more}")

    def report(self, stacklevel: int = 3) -> None:
        """Issue one :class:`ExportWarning` when something was replaced."""
        msg = self.message()
        if msg is not None:
            warnings.warn(msg, ExportWarning, stacklevel=stacklevel)
