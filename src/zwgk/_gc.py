"""Pausing the cyclic garbage collector while a table is read or built.

Reading a large table creates hundreds of thousands of small objects (cells, positions, tasks) and
no reference cycles. Each automatic collection would walk the whole growing heap to find nothing,
which costs about a tenth of the time on 15,000 rows and makes the time grow faster than the rows.
Reference counting still frees everything as usual; the collector is re-enabled afterwards (only if
it was enabled before).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused_gc"]


@contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cyclic garbage collector for the ``with`` block, if it is enabled."""
    was_enabled = gc.isenabled()
    if was_enabled:
        gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
