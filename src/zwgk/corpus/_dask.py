"""The ``dask`` engine of ``zwgk batch``: the per-file step run on a Dask distributed cluster.

:func:`map_on_dask` is :func:`zwgk.corpus._pool.map_files` with the workers of a cluster instead
of local processes: the same batches of items (``BATCH_SIZE`` at a time, a bounded number in
flight per worker thread), each item's exception caught as its error, the same ``gather`` step over
each batch's results where they were computed (a batch of files packed and sent back as one
payload), results yielded as they complete. This process still finds and hashes the files and
writes the dataset, so the rows are those a local run writes; the cluster's workers need zwgk
installed (with the readers the files need, and LibreOffice for legacy Office files) and must see
the files under the same paths.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

from zwgk.corpus._pool import BATCH_SIZE, IN_FLIGHT_PER_WORKER, Gather, _apply_each, _Outcome, _unpack, as_zwgk_error
from zwgk.errors import ZwgkError

__all__ = ["CONNECT_TIMEOUT", "INSTALL_HINT", "check_dask", "map_on_dask"]

T = TypeVar("T")
R = TypeVar("R")

INSTALL_HINT = "pip install 'zwgk[corpus-dask]'"
CONNECT_TIMEOUT = 30.0  # seconds to reach the scheduler before giving up with an error


def check_dask() -> None:
    """A :class:`~zwgk.ZwgkError` with the install line when Dask's distributed scheduler is missing."""
    if importlib.util.find_spec("distributed") is None or importlib.util.find_spec("dask") is None:
        raise ZwgkError(f"the dask engine needs dask.distributed: {INSTALL_HINT}")


def _client(scheduler: str) -> Any:
    check_dask()
    from distributed import Client

    try:
        return Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as e:
        raise ZwgkError(f"cannot reach the Dask scheduler at {scheduler}: {e}") from None


def _workers(client: Any) -> int:
    try:
        info = client.scheduler_info()
        return max(1, sum(int(w.get("nthreads", 1)) for w in info.get("workers", {}).values()))
    except Exception:
        return 1


def map_on_dask(
    fn: Callable[[T], R],
    items: Iterable[T],
    *,
    scheduler: str,
    batch_size: int = BATCH_SIZE,
    gather: Gather[R] | None = None,
) -> Iterator[tuple[T, R | ZwgkError]]:
    """``(item, fn(item))`` for every item, computed on the cluster at ``scheduler``, as they complete;
    ``(item, error)`` when ``fn`` raised or the cluster lost the work (a worker died twice).
    ``gather`` is run on the worker over the results of each batch, as
    :func:`~zwgk.corpus._pool.map_files` runs it (a batch's rows packed and sent back as one)."""
    from distributed import as_completed

    client = _client(scheduler)
    source = iter(items)
    window = _workers(client) * IN_FLIGHT_PER_WORKER
    pending: dict[Any, list[T]] = {}
    done = as_completed(loop=client.loop)
    finished = False

    def refill() -> None:
        while len(pending) < window:
            batch = list(islice(source, batch_size))
            if not batch:
                return
            future = client.submit(_apply_each, fn, batch, gather, pure=False)
            pending[future] = batch
            done.add(future)

    try:
        refill()
        while pending:
            future = next(done)
            batch = pending.pop(future)
            try:
                outcomes: list[_Outcome[R]] = future.result()
            except Exception as e:  # a worker lost, a result that could not be sent back
                outcomes = [_Outcome(None, as_zwgk_error(item, e)) for item in batch]
            refill()
            yield from _unpack(batch, outcomes)
        finished = True
    finally:
        if not finished:
            client.cancel(list(pending))
        client.close()
