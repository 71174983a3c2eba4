"""What a worker process loads before its first file, loaded once in the forkserver.

:func:`zwgk.corpus._pool.start_workers` asks the forkserver to import this module before it forks
any worker, so every worker starts with zwgk's readers (docx, html, text), validators, plugins and
unit registry already loaded, instead of each paying for them on its first file. A failure here is
ignored: the worker then meets the same failure on its first file, where it is reported for that
file.
"""

from __future__ import annotations

import contextlib

__all__: list[str] = []


def _warm() -> None:
    from zwgk import _api
    from zwgk.readers import docx, html, text  # noqa: F401  (the readers of most corpora)

    _api.get_readers()
    _api.get_validators()
    _api.validate(_api.load_sample())  # builder, registry, validators: each path taken once


with contextlib.suppress(Exception):  # the worker reports it on its first file
    _warm()
