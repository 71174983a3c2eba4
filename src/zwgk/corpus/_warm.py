"""What a worker process loads before its first file, loaded once in the forkserver.

:func:`zwgk.corpus._pool.start_workers` asks the forkserver to import this module before it forks
any worker, so every worker starts with zwgk's readers (each reader's module: the plugin manager
imports one only when it is first called), validators, plugins and unit registry already loaded,
instead of each paying for them on its first file. A failure here is ignored: the worker then meets
the same failure on its first file, where it is reported for that file.
"""

from __future__ import annotations

import contextlib

__all__: list[str] = []


def _warm() -> None:
    from zwgk import _api, _registered
    from zwgk._lazy import LazyFunction

    for reader in _registered.get_readers().values():  # every file is sniffed by every reader
        for function in (reader.read, reader.sniff):
            if isinstance(function, LazyFunction):
                function.load()
    _registered.get_validators()
    _api.validate(_api.load_sample())  # builder, registry, validators: each path taken once


with contextlib.suppress(Exception):  # the worker reports it on its first file
    _warm()
