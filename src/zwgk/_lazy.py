"""Public names of a package imported from their modules on first use, so importing it stays quick."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_getattr"]


def lazy_getattr(package: str, names: Mapping[str, str], namespace: dict[str, Any]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: each of ``names`` (name → module holding it) is imported
    on first use and kept in ``namespace`` (the package's ``globals()``), so it is looked up once.

    >>> ns: dict[str, Any] = {}
    >>> getter = lazy_getattr("demo", {"dedent": "textwrap"}, ns)
    >>> getter("dedent")("  x") == "x" and "dedent" in ns
    True
    """

    def __getattr__(name: str) -> Any:
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    return __getattr__
