"""Names imported from their modules on first use, so that importing what names them stays quick: a
package's public names (:func:`lazy_getattr`), and functions handed over before they are needed
(:func:`lazy_function`, such as a reader's ``read`` registered by a plugin that is not yet imported)."""

from __future__ import annotations

import importlib

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing is a cost this module avoids
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from typing import Any

__all__ = ["LazyFunction", "lazy_dir", "lazy_function", "lazy_getattr"]


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


class LazyFunction:
    """The function ``name`` of ``module``, imported on its first call (see :func:`lazy_function`).

    Called, it calls the function; its ``__signature__``, ``__annotations__`` and ``__wrapped__``
    are the function's (so :func:`inspect.signature` and :func:`typing.get_type_hints` see its
    parameters), the module imported first.
    Two are equal when they name the same function; one pickles as the names, not the function.
    """

    __slots__ = ("_function", "module", "name")

    def __init__(self, module: str, name: str) -> None:
        self.module = module
        self.name = name
        self._function: Callable[..., Any] | None = None

    def load(self) -> Callable[..., Any]:
        """The function, its module imported on first use; a :class:`~zwgk.errors.PluginError`
        naming it when it cannot be (its module, or a module that one needs, is not installed)."""
        function = self._function
        if function is None:
            try:
                function = getattr(importlib.import_module(self.module), self.name)
            except (ImportError, AttributeError) as e:
                from zwgk.errors import PluginError

                raise PluginError(f"cannot import {self.name} from {self.module}: {type(e).__name__}: {e}") from e
            self._function = function
        return function

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        function = self._function
        return (function if function is not None else self.load())(*args, **kwargs)

    @property
    def __wrapped__(self) -> Callable[..., Any]:  # what functools.wraps sets: typing.get_type_hints follows it
        return self.load()

    @property
    def __annotations__(self) -> dict[str, Any]:  # type: ignore[override]
        annotations: dict[str, Any] = self.load().__annotations__
        return annotations

    @property
    def __signature__(self) -> Any:  # inspect.Signature; ``inspect`` is not imported for the annotation
        import inspect

        return inspect.signature(self.load())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyFunction):
            return (self.module, self.name) == (other.module, other.name)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.module, self.name))

    def __reduce__(self) -> tuple[type[LazyFunction], tuple[str, str]]:
        return LazyFunction, (self.module, self.name)

    def __repr__(self) -> str:
        return f"lazy_function({self.module!r}, {self.name!r})"


def lazy_function(module: str, name: str) -> LazyFunction:
    """The function ``name`` of ``module``, imported when it is first called: what a plugin
    registers (a reader's ``read`` and ``sniff``) without importing the module that holds it, so
    that a process that only lists what is registered (the suffixes a folder walk picks up) never
    loads it.

    >>> dedent = lazy_function("textwrap", "dedent")
    >>> dedent("  x")
    'x'
    >>> import inspect; list(inspect.signature(dedent).parameters)
    ['text']
    """
    return LazyFunction(module, name)
