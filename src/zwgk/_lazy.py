"""Public names of a package imported from their modules on first use, so importing it stays quick."""

from __future__ import annotations

import importlib

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing is a cost this module avoids
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from typing import Any

__all__ = ["lazy_dir", "lazy_getattr"]


def lazy_getattr(package: str, names: Mapping[str, str], namespace: dict[str, Any]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: each of ``names`` (name → module holding it) is imported
    on first use and kept in ``namespace`` (the package's ``globals()``), so it is looked up once. A
    name mapped to the sub-module of that name (``"readers": "zwgk.readers"``) is the module itself.

    >>> ns: dict[str, Any] = {}
    >>> getter = lazy_getattr("demo", {"dedent": "textwrap"}, ns)
    >>> getter("dedent")("  x") == "x" and "dedent" in ns
    True
    """

    def __getattr__(name: str) -> Any:
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        loaded = importlib.import_module(module)
        value = loaded if module == f"{package}.{name}" else getattr(loaded, name)
        namespace[name] = value
        return value

    return __getattr__


def lazy_dir(names: Iterable[str], namespace: dict[str, Any]) -> Callable[[], list[str]]:
    """A module ``__dir__`` listing the names :func:`lazy_getattr` brings in before they are loaded
    (so ``dir()`` and tab completion see every public name).

    >>> lazy_dir(["later"], {"now": 1})()
    ['later', 'now']
    """

    def __dir__() -> list[str]:
        return sorted({*namespace, *names})

    return __dir__
