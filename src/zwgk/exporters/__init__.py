"""Exporters: each writes a plan in one format. Registered through ``register_exporters``."""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

from attrs import frozen

from zwgk.model import Plan

__all__ = ["Exporter", "WriteFn"]

WriteFn = Callable[..., None]
"""``write(plan, stream, **options)``: write ``plan`` to the binary ``stream``."""


@frozen
class Exporter:
    """An output format.

    :param name: short name (``"markdown"``) used by ``zwgk.export(plan, name, path)``.
    :param suffixes: file suffixes with the dot; the first is the default (``(".md",)``).
    :param write: ``write(plan, stream, **options)`` writing bytes to a binary stream.
    :param description: one line for ``zwgk plugins`` and ``zwgk.exporters()``.
    """

    name: str
    suffixes: tuple[str, ...]
    write: WriteFn
    description: str = ""

    def __call__(self, plan: Plan, stream: BinaryIO, **options: object) -> None:
        self.write(plan, stream, **options)
