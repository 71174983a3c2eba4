"""The hooks a zwgk plugin can implement.

Each hook receives a ``register`` callback (or the registry) and calls it once per thing it adds,
as in ``register(Exporter(...))``. Implement a hook with :data:`hookimpl`::

    from zwgk import hookimpl
    from zwgk.exporters import Exporter

    @hookimpl
    def register_exporters(register):
        register(Exporter("csv", (".csv",), write_csv, "Assignments as CSV"))

Plugins are found through the ``zwgk`` entry-point group; see ``docs/plugins.md``. Hooks are
called in registration order (built-ins first); a plugin that raises inside a hook is reported by
name and skipped, and the others still run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from zwgk.units import UnitRegistry

__all__ = ["hookimpl", "hookspec"]

hookspec = pluggy.HookspecMarker("zwgk")
hookimpl = pluggy.HookimplMarker("zwgk")


@hookspec
def register_readers(register: Callable[[Any], None]) -> None:
    """Register readers: call ``register(Reader(...))`` for each file format the plugin reads.

    :param register: takes a :class:`zwgk.readers.Reader`.
    """


@hookspec
def register_exporters(register: Callable[[Any], None]) -> None:
    """Register exporters: call ``register(Exporter(...))`` for each output format.

    The exporter's ``write(plan, stream, **options)`` keyword arguments are its options. Names are
    unique across plugins: a second exporter of the same name is a :class:`~zwgk.errors.PluginError`.

    :param register: takes a :class:`zwgk.exporters.Exporter`.
    """


@hookspec
def register_validators(register: Callable[[Any], None]) -> None:
    """Register validators: call ``register(validator)`` for each check, with a unique code.

    :param register: takes a :class:`zwgk.validators.Validator`.
    """


@hookspec
def register_commands(register: Callable[[Any], None]) -> None:
    """Register commands of the ``zwgk`` program: call ``register(Command(...))`` for each.

    A command's name may be neither one of zwgk's own nor another plugin's.

    :param register: takes a :class:`zwgk.cli.Command`.
    """


@hookspec
def register_units(registry: UnitRegistry) -> None:
    """Add units, aliases and collectives to the default unit registry.

    Called when the default registry is first built (and again after a plugin is registered or
    unregistered); add with ``registry.add(Unit(...))`` or
    ``registry.merge(zwgk.units.load_registry(path))``. ``zwgk.unit_registry()`` hands out copies.

    :param registry: the :class:`zwgk.UnitRegistry` being built.
    """
