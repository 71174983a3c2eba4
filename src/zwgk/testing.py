"""Helpers for testing zwgk plugins (and code that uses zwgk), without pytest fixtures of their own.

>>> import zwgk
>>> from zwgk.testing import registered, sample_plan
>>> from zwgk.exporters import Exporter
>>> class Lines:
...     @zwgk.hookimpl
...     def register_exporters(self, register):
...         register(Exporter("lines", (".lines",), lambda plan, stream: stream.write(b"x"), "demo"))
>>> with registered(Lines(), name="lines-demo"):
...     zwgk.export(sample_plan(), "lines")
b'x'
>>> "lines" in zwgk.get_exporters()
False

:func:`registered` works whether or not the plugin's package is installed: when its entry point
has already loaded the module, registering it again only gives it the test's name for the
duration, and the installed plugin stays loaded, once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

from zwgk import plugins
from zwgk._api import load_sample
from zwgk.model import Plan

__all__ = ["assert_same_tasks", "registered", "sample_path", "sample_plan"]

_SAMPLE = Path(__file__).parent / "data" / "taian-2020-zwgk-tasks.txt"


@contextmanager
def registered(plugin: ModuleType | object, name: str | None = None) -> Iterator[str]:
    """Register ``plugin`` (a module or an object with ``@zwgk.hookimpl`` methods) for a ``with`` block.

    Yields the name it is registered under and unregisters it on the way out, also when the block
    raises. A name already in use is a :class:`zwgk.PluginError`.
    """
    registered_as = plugins.register(plugin, name=name)
    try:
        yield registered_as
    finally:
        plugins.unregister(registered_as)


def sample_plan() -> Plan:
    """The bundled 2020 Tai'an table (143 tasks), as :func:`zwgk.load_sample` reads it."""
    return load_sample()


def sample_path() -> Path:
    """The path of the bundled sample's text form, for tests that read a file."""
    return _SAMPLE


def assert_same_tasks(plan: Plan, expected: Plan) -> None:
    """Assert that ``plan`` holds ``expected``'s title and tasks: texts, categories and units per role.

    What a reader test of another format needs: positions, ids and the unit kinds a registry gave
    may differ between formats, the tasks may not.

    >>> assert_same_tasks(sample_plan(), sample_plan())
    """
    assert plan.title == expected.title, (plan.title, expected.title)
    assert [t.text for t in plan.tasks] == [t.text for t in expected.tasks]
    assert [t.path for t in plan.tasks] == [t.path for t in expected.tasks]
    for role in ("leads", "responsible", "cooperating"):
        assert [[u.name for u in getattr(t, role)] for t in plan.tasks] == \
               [[u.name for u in getattr(t, role)] for t in expected.tasks], role
