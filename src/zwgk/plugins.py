"""The one plugin manager.

Built-in readers, exporters and validators are plugin modules listed in :data:`DEFAULT_PLUGINS`
and registered through the same hooks a third party's plugin uses. Third-party plugins are found
through the ``zwgk`` entry-point group. Everything loads lazily, on first use, once.

Set ``ZWGK_DISABLE_PLUGINS=1`` to skip entry-point plugins (reproducible runs), or
``ZWGK_LOAD_PLUGINS=name1,name2`` to load only the named ones. Tests register and unregister
plugin objects with :func:`register` and :func:`unregister`.
"""

from __future__ import annotations

import importlib
import os
import threading
import warnings
from collections.abc import Callable
from importlib.metadata import entry_points
from types import ModuleType
from typing import Any

import pluggy
from attrs import frozen

from zwgk import hookspecs
from zwgk.errors import PluginError

__all__ = [
    "DEFAULT_PLUGINS",
    "PluginInfo",
    "collect",
    "get_plugin_manager",
    "plugin_errors",
    "plugins",
    "register",
    "unregister",
]

DEFAULT_PLUGINS: tuple[str, ...] = (
    "zwgk.readers.text",
    "zwgk.readers.docx",
    "zwgk.readers.html",
    "zwgk.exporters.text",
    "zwgk.exporters.json",
    "zwgk.units._builtin",
)

_lock = threading.RLock()
_pm: pluggy.PluginManager | None = None
_cache: dict[str, dict[str, tuple[Any, str]]] = {}
_errors: list[PluginError] = []
_dists: dict[str, str] = {}  # plugin name -> distribution "name version"


@frozen
class PluginInfo:
    """A loaded plugin, for ``zwgk plugins``."""

    name: str
    hooks: tuple[str, ...]
    package: str | None  # the installed distribution it came from; None for built-ins and tests


def get_plugin_manager() -> pluggy.PluginManager:
    """The plugin manager, created and loaded on first call."""
    global _pm
    with _lock:
        if _pm is None:
            pm = pluggy.PluginManager("zwgk")
            pm.add_hookspecs(hookspecs)
            for modname in DEFAULT_PLUGINS:
                mod = importlib.import_module(modname)
                pm.register(mod, name=modname)
            _load_entry_points(pm)
            _pm = pm
        return _pm


def _load_entry_points(pm: pluggy.PluginManager) -> None:
    if os.environ.get("ZWGK_DISABLE_PLUGINS", "").strip() not in ("", "0"):
        return
    allow = os.environ.get("ZWGK_LOAD_PLUGINS")
    allowed = {n.strip() for n in allow.split(",") if n.strip()} if allow is not None else None
    for ep in entry_points(group="zwgk"):
        if allowed is not None and ep.name not in allowed:
            continue
        if pm.get_plugin(ep.name) is not None:
            continue
        try:
            plugin = ep.load()
            pm.register(plugin, name=ep.name)
        except Exception as e:  # a broken plugin must not break zwgk
            _report(PluginError(f"plugin {ep.name!r} failed to load: {type(e).__name__}: {e}"))
            continue
        if ep.dist is not None:
            _dists[ep.name] = f"{ep.dist.name} {ep.dist.version}"


def _report(error: PluginError) -> None:
    _errors.append(error)
    warnings.warn(str(error), RuntimeWarning, stacklevel=3)


def register(plugin: ModuleType | object, name: str | None = None) -> str:
    """Register a plugin object (a module or any object with hook implementations)."""
    with _lock:
        pm = get_plugin_manager()
        registered = pm.register(plugin, name=name)
        _cache.clear()
        if registered is None:
            raise PluginError(f"plugin {name!r} is already registered")
        return registered


def unregister(name: str) -> None:
    """Remove a plugin registered under ``name``."""
    with _lock:
        pm = get_plugin_manager()
        pm.unregister(name=name)
        _cache.clear()


def plugin_errors() -> tuple[PluginError, ...]:
    """Errors met while loading plugins or calling their hooks (each also issued as a warning)."""
    get_plugin_manager()
    return tuple(_errors)


def collect(hook: str, key: Callable[[Any], str]) -> dict[str, tuple[Any, str]]:
    """Call ``hook`` on every plugin and collect what they register, keyed by ``key(obj)``.

    Returns ``{key: (obj, plugin name)}`` in registration order. A plugin that raises is reported
    (with its name) and skipped; two plugins registering the same key are a :class:`PluginError`.
    """
    with _lock:
        if hook in _cache:
            return _cache[hook]
        pm = get_plugin_manager()
        found: dict[str, tuple[Any, str]] = {}
        caller = getattr(pm.hook, hook)
        # Built-ins first (registration order), so their names are stable.
        impls = list(reversed(caller.get_hookimpls()))
        for impl in impls:
            plugin_name = impl.plugin_name
            batch: list[Any] = []
            try:
                impl.function(batch.append)
            except Exception as e:
                _report(PluginError(f"plugin {plugin_name!r} raised in {hook}: {type(e).__name__}: {e}"))
                continue
            for obj in batch:
                k = key(obj)
                if k in found:
                    other = found[k][1]
                    raise PluginError(
                        f"{hook}: {k!r} is registered by both plugin {other!r} and plugin {plugin_name!r}"
                    )
                found[k] = (obj, plugin_name)
        _cache[hook] = found
        return found


def plugins() -> tuple[PluginInfo, ...]:
    """The loaded plugins, with the hooks each implements and the package it came from."""
    pm = get_plugin_manager()
    out: list[PluginInfo] = []
    for name, plugin in pm.list_name_plugin():
        hooks = tuple(sorted(h.name for h in pm.get_hookcallers(plugin) or ()))
        out.append(PluginInfo(name, hooks, _dists.get(name)))
    return tuple(out)
