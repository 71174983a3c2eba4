"""The JSON exporter: the plan in zwgk's JSON form (``zwgk.plan/1``), UTF-8, readable by ``zwgk.load``."""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

from zwgk._serialize import dumps
from zwgk.exporters import Exporter
from zwgk.exporters._fields import refuse_lone_surrogates
from zwgk.hookspecs import hookimpl
from zwgk.model import Plan

__all__ = ["write_json"]


def write_json(plan: Plan, stream: BinaryIO, *, indent: int | None = 2) -> None:
    """Write the plan as UTF-8 JSON (non-ASCII characters kept as they are).

    A lone surrogate in the plan's text is an :class:`~zwgk.errors.ExportError` naming the task
    and field: UTF-8 cannot encode it. A source file name that is not UTF-8 (Python holds its bytes
    as lone surrogates, ``b"\\xff"`` as ``"\\udcff"``) is written with JSON escapes (``\\udcff``).
    """
    refuse_lone_surrogates(plan, "JSON (UTF-8)")
    # only file names can still hold a lone surrogate here; backslashreplace writes it as a JSON escape
    stream.write(dumps(plan, indent=indent).encode("utf-8", "backslashreplace"))
    stream.write(b"\n")


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    register(Exporter("json", (".json",), write_json, "zwgk JSON (schema zwgk.plan/1), reads back equal"))
