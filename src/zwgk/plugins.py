"""The one plugin manager.

Built-in readers, exporters and validators are plugin modules listed in :data:`DEFAULT_PLUGINS`
and registered through the same hooks a third party's plugin uses. Third-party plugins are found
through the ``zwgk`` entry-point group. Everything loads lazily, on first use, once: a built-in
module when one of its hooks is first called, a registered reader's functions when first called
(the built-in readers are declared with :func:`lazy_function`, so listing them imports none).

Set ``ZWGK_DISABLE_PLUGINS=1`` to skip entry-point plugins (reproducible runs), or
``ZWGK_LOAD_PLUGINS=name1,name2`` to load only the named ones (a name no installed package
provides is reported, like a plugin that fails to load). Tests register and unregister
plugin objects with :func:`register` and :func:`unregister`, and start afresh with :func:`reset`.
Entry points are looked up (and :mod:`importlib.metadata` imported) only when plugins are first
needed, so ``import zwgk`` stays quick.
"""

from __future__ import annotations

import importlib
import os
import threading
import warnings
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any, TypeVar

import pluggy
from attrs import frozen

from zwgk import hookspecs
from zwgk._lazy import lazy_function
from zwgk.errors import PluginError
from zwgk.hookspecs import hookimpl

T = TypeVar("T")

__all__ = [
    "DEFAULT_PLUGINS",
    "PluginInfo",
    "cached",
    "call_each",
    "collect",
    "get_plugin_manager",
    "lazy_function",
    "plugin_errors",
    "plugins",
    "register",
    "report_error",
    "reset",
    "unregister",
]

DEFAULT_PLUGINS: dict[str, tuple[str, ...]] = {
    "zwgk.readers.builtin": ("register_readers",),
    "zwgk.exporters.text": ("register_exporters",),
    "zwgk.exporters.json": ("register_exporters",),
    "zwgk.exporters.markdown": ("register_exporters",),
    "zwgk.exporters.docx": ("register_exporters",),
    "zwgk.exporters.csv_tasks": ("register_exporters",),
    "zwgk._report": ("register_exporters",),  # the html exporter: a report page
    "zwgk.units.builtin": ("register_units",),
    "zwgk.validators.roles": ("register_validators",),
    "zwgk.validators.names": ("register_validators",),
    "zwgk.validators.content": ("register_validators",),
    "zwgk.validators.scan": ("register_validators",),
}
"""The built-in plugins: each module and the hooks it implements, declared so that the plugin
manager starts without importing any of them. A module is imported when one of its hooks is first
called (:func:`_deferred`): a process that only lists the commands plugins add loads none, one that
only lists the readers loads :mod:`zwgk.readers.builtin` alone."""

ENTRY_POINT_GROUP = "zwgk"

_lock = threading.RLock()
_pm: pluggy.PluginManager | None = None
_cache: dict[str, Any] = {}
_errors: list[PluginError] = []
_dists: dict[str, str] = {}  # plugin name -> distribution "name version"
_entry_point_plugins: set[str] = set()  # names of the plugins loaded through their entry point
_aliases: dict[str, str] = {}  # a name register() gave an entry-point plugin -> its entry-point name


@frozen
class PluginInfo:
    """A loaded plugin, for ``zwgk plugins``.

    ``package`` is the installed distribution an entry-point plugin came from (``"zwgk-xlsx 0.1.0"``);
    ``None`` for built-ins and for plugin objects registered with :func:`register`.
    """

    name: str
    hooks: tuple[str, ...]
    package: str | None
    builtin: bool = False


def get_plugin_manager() -> pluggy.PluginManager:
    """The plugin manager, created and loaded on first call."""
    global _pm
    with _lock:
        if _pm is None:
            pm = pluggy.PluginManager("zwgk")
            pm.add_hookspecs(hookspecs)
            for modname, hooks in DEFAULT_PLUGINS.items():
                pm.register(_deferred(modname, hooks), name=modname)
            _pm = pm
            _load_entry_points(pm)
        return _pm


def _deferred(module: str, hooks: tuple[str, ...]) -> object:
    """A built-in plugin before its module is imported: for each of ``hooks``, an implementation
    that imports ``module`` when first called and calls the module's own (a module missing it is
    reported as a plugin raising in that hook). pluggy reads each one's parameters from the hook's
    specification (``__wrapped__``)."""
    plugin = ModuleType(module)
    for hook in hooks:
        def call(*args: Any, _hook: str = hook) -> Any:
            return getattr(importlib.import_module(module), _hook)(*args)

        call.__name__ = call.__qualname__ = hook
        call.__wrapped__ = getattr(hookspecs, hook)  # type: ignore[attr-defined]
        setattr(plugin, hook, hookimpl(call))
    return plugin


def reset() -> None:
    """Forget the plugin manager and everything collected: the next use loads the plugins afresh.

    For tests that change ``ZWGK_DISABLE_PLUGINS``, ``ZWGK_LOAD_PLUGINS`` or the installed entry
    points, and want to start from what a new process would see.
    """
    global _pm
    with _lock:
        _pm = None
        _cache.clear()
        _errors.clear()
        _dists.clear()
        _entry_point_plugins.clear()
        _aliases.clear()


def _load_entry_points(pm: pluggy.PluginManager) -> None:
    if os.environ.get("ZWGK_DISABLE_PLUGINS", "").strip() not in ("", "0"):
        return
    from importlib import metadata  # only here: importing it costs more than the rest of zwgk's start-up

    allow = os.environ.get("ZWGK_LOAD_PLUGINS")
    allowed = {n.strip() for n in allow.split(",") if n.strip()} if allow is not None else None
    found = list(metadata.entry_points(group=ENTRY_POINT_GROUP))
    if allowed is not None:
        installed = sorted({ep.name for ep in found})
        for name in sorted(allowed - set(installed)):
            report_error(PluginError(
                f"ZWGK_LOAD_PLUGINS names {name!r}, which no installed package provides; "
                f"installed plugins: {', '.join(installed) or 'none'}"
            ))
    for ep in found:
        if allowed is not None and ep.name not in allowed:
            continue
        if pm.get_plugin(ep.name) is not None:
            continue
        dist = getattr(ep, "dist", None)
        where = f" (from {dist.name} {dist.version})" if dist is not None else ""
        try:
            plugin = ep.load()
            pm.register(plugin, name=ep.name)
        except Exception as e:  # a broken plugin must not break zwgk
            report_error(PluginError(f"plugin {ep.name!r}{where} failed to load: {type(e).__name__}: {e}"))
            continue
        _entry_point_plugins.add(ep.name)
        _check_hooks(pm, ep.name, plugin)
        if dist is not None:
            _dists[ep.name] = f"{dist.name} {dist.version}"


def _check_hooks(pm: pluggy.PluginManager, name: str, plugin: object) -> None:
    """Report the plugin's hook implementations that match no zwgk hook (a misspelt name).

    pluggy's own rule, as in :meth:`pluggy.PluginManager.check_pending`: an implementation whose
    hook has no specification is an error unless marked ``optionalhook=True``. Checked per plugin
    (``check_pending`` stops at the first such implementation of any plugin) and reported as a
    warning, so that a plugin with a typo does not stop zwgk.
    """
    known = sorted(c.name for c in vars(pm.hook).values() if isinstance(c, pluggy.HookCaller) and c.has_spec())
    for caller in pm.get_hookcallers(plugin) or ():
        if caller.has_spec():
            continue
        if any(impl.plugin is plugin and not impl.optionalhook for impl in caller.get_hookimpls()):
            report_error(PluginError(
                f"plugin {name!r} implements {caller.name!r}, which is not a zwgk hook; "
                f"the hooks are {', '.join(known)}"
            ))


def report_error(error: PluginError) -> None:
    """Record a misbehaving plugin: kept for :func:`plugin_errors` and issued as a ``RuntimeWarning``.

    The validators' runner calls it for a check that raised, so one bad plugin never stops the rest.
    """
    _errors.append(error)
    warnings.warn(str(error), RuntimeWarning, stacklevel=3)


def register(plugin: ModuleType | object, name: str | None = None) -> str:
    """Register a plugin object (a module or any object with hook implementations).

    Returns the name it is registered under; :func:`unregister` removes it again. A plugin that is
    already loaded through its entry point stays as it is: registering it again (as a test of an
    installed plugin does) only adds ``name`` for it, and unregistering that name leaves the
    entry-point plugin loaded.
    """
    with _lock:
        pm = get_plugin_manager()
        if name is not None and (pm.get_plugin(name) is not None or name in _aliases):
            raise PluginError(f"plugin {name!r} is already registered")
        loaded_as = pm.get_name(plugin)
        if loaded_as is not None and loaded_as in _entry_point_plugins:
            alias = name if name is not None else str(id(plugin))  # pluggy's name for an unnamed plugin
            _aliases[alias] = loaded_as
            return alias
        try:
            registered = pm.register(plugin, name=name)
        except (pluggy.PluginValidationError, ValueError) as e:
            raise PluginError(f"cannot register plugin {name or plugin!r}: {e}") from None
        _cache.clear()
        if registered is None:
            raise PluginError(f"plugin {name or plugin!r} is already registered")
        _check_hooks(pm, registered, plugin)
        return registered


def unregister(name: str) -> None:
    """Remove the plugin registered under ``name``."""
    with _lock:
        pm = get_plugin_manager()
        if _aliases.pop(name, None) is not None:
            return  # a second name for an entry-point plugin: the plugin itself stays
        if pm.get_plugin(name) is None:
            raise PluginError(f"no plugin named {name!r} is registered")
        pm.unregister(name=name)
        _entry_point_plugins.discard(name)
        for alias in [a for a, target in _aliases.items() if target == name]:
            del _aliases[alias]
        _cache.clear()


def plugin_errors() -> tuple[PluginError, ...]:
    """Errors met while loading plugins or calling their hooks (each also issued as a warning)."""
    get_plugin_manager()
    return tuple(_errors)


def _call(hook: str, args_for: Callable[[str], Mapping[str, Any]]) -> list[tuple[str, Any]]:
    """Call ``hook`` on every plugin implementing it, built-ins first, then in registration order.

    ``args_for(plugin name)`` gives each plugin's keyword arguments. Returns ``(plugin name,
    result)`` pairs; a plugin that raises is reported with its name (:func:`plugin_errors` and a
    ``RuntimeWarning``) and left out, and the others still run.
    """
    pm = get_plugin_manager()
    out: list[tuple[str, Any]] = []
    for impl in getattr(pm.hook, hook).get_hookimpls():  # registration order
        args = args_for(impl.plugin_name)
        try:
            result = impl.function(*(args[a] for a in impl.argnames))
        except Exception as e:
            report_error(PluginError(f"plugin {impl.plugin_name!r} raised in {hook}: {type(e).__name__}: {e}"))
            continue
        out.append((impl.plugin_name, result))
    return out


def call_each(hook: str, **kwargs: Any) -> list[tuple[str, Any]]:
    """Call ``hook`` with ``kwargs`` on every plugin implementing it (see :func:`collect` for hooks
    that take a ``register`` callback).

    Returns ``(plugin name, result)`` pairs. A plugin that raises is reported with its name
    (:func:`plugin_errors` and a ``RuntimeWarning``) and skipped; the others still run.
    """
    return _call(hook, lambda _: kwargs)


def cached(key: str, factory: Callable[[], T]) -> T:
    """``factory()``, computed once until a plugin is registered or unregistered."""
    with _lock:
        get_plugin_manager()
        if key not in _cache:
            _cache[key] = factory()
        value: T = _cache[key]
        return value


def _batches(hook: str) -> dict[str, list[Any]]:
    """What each plugin registers through ``hook``, by plugin name; a plugin that raised is left out."""
    batches: dict[str, list[Any]] = {}
    called = {name for name, _ in _call(hook, lambda name: {"register": batches.setdefault(name, []).append})}
    return {name: batch for name, batch in batches.items() if name in called}


def collect(hook: str, key: Callable[[Any], str]) -> dict[str, tuple[Any, str]]:
    """Call ``hook`` on every plugin and collect what they register, keyed by ``key(obj)``.

    Returns ``{key: (obj, plugin name)}`` in registration order (built-ins first). A plugin that
    raises is reported with its name and skipped, and what it registered before raising is dropped;
    two plugins registering the same key are a :class:`PluginError` naming both. Hooks are called
    once until a plugin is registered or unregistered.
    """
    found: dict[str, tuple[Any, str]] = {}
    for plugin_name, batch in cached(f"collect:{hook}", lambda: _batches(hook)).items():
        for obj in batch:
            k = key(obj)
            if k in found:
                other = found[k][1]
                raise PluginError(f"{hook}: {k!r} is registered by both plugin {other!r} and plugin {plugin_name!r}")
            found[k] = (obj, plugin_name)
    return found


def plugins() -> tuple[PluginInfo, ...]:
    """The loaded plugins, with the hooks each implements and the package it came from."""
    pm = get_plugin_manager()
    out: list[PluginInfo] = []
    for name, plugin in pm.list_name_plugin():
        hooks = tuple(sorted(h.name for h in pm.get_hookcallers(plugin) or ()))
        out.append(PluginInfo(name, hooks, _dists.get(name), name in DEFAULT_PLUGINS))
    return tuple(out)
