"""The dataset of a batch, written by a process of its own: the batch's parent never imports pyarrow.

:class:`DatasetProcess` starts a process that opens the :class:`~zwgk.corpus.Dataset` (its
recovery, the documents already in it, ``--force``'s drop), buffers the documents' rows a chunk
at a time, writes the Parquet part files, commits each chunk, and at the end writes the corpus
unit registry (``units.toml``). The batch's parent only finds, hashes and hands out files and
forwards each file's rows, sealed where they were read (:class:`~zwgk.corpus._rows.SealedRows`),
without opening them: pyarrow, its Parquet writer and the chunks being written live in the writer,
so the parent stays a small process whatever the number of documents.

The parent sends from a thread of its own (:data:`SEND_QUEUE` messages queued at most), so a
signal arriving in the parent never cuts a message in half, and the writer reading a chunk's worth
of rows never waits on the parent. The writer ignores Ctrl-C and SIGTERM (the parent tells it to
commit what was read) and dies with its parent (``kill -9``), leaving uncommitted part files that
the next open of the dataset removes.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import pickle
import queue
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterable
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from zwgk.corpus._rows import DocumentRows, Known, SealedRows, seal
from zwgk.errors import ZwgkError

if TYPE_CHECKING:
    import pyarrow as pa

    from zwgk.corpus._units import CorpusUnits

__all__ = ["SEND_QUEUE", "UNITS_FILE", "DatasetProcess", "WriterHandle", "Written", "main"]

UNITS_FILE = "units.toml"  # the corpus registry inside OUT
SEND_QUEUE = 16  # payloads queued in the parent for the writer at most (bounds its memory: 512 files' rows)
_JOIN_TIMEOUT = 5.0  # seconds to wait for the writer to end once it has answered its last message
_ENTRY = "import sys; from zwgk.corpus._store import main; main(sys.argv[1:])"  # the writer's program
_POLL = 0.2  # seconds between checks that the writer is still there while the queue is full


class Written(NamedTuple):
    """What the writer reports when it has committed everything: the documents and the units of the
    corpus registry it wrote (``units.toml``)."""

    documents: int
    units: int


def _unexpected(root: str, error: BaseException) -> ZwgkError:
    if isinstance(error, ZwgkError):
        return error
    if isinstance(error, OSError):
        return ZwgkError(f"cannot write the dataset {root}: {error.strerror or error}")
    return ZwgkError(f"writing the dataset {root} failed: {type(error).__name__}: {error}")


def _serve(conn: Connection, root: str) -> None:
    """The writer: answer the parent's messages until it says ``close`` (or is gone)."""
    try:
        _answer(conn, root)
    except (EOFError, BrokenPipeError):  # the parent is gone: nothing more to commit for it
        pass
    except BaseException as e:
        with contextlib.suppress(OSError, ValueError):
            conn.send(("error", _unexpected(root, e)))
    finally:
        conn.close()


def _answer(conn: Connection, root: str) -> None:
    from zwgk.corpus._dataset import Dataset
    from zwgk.corpus._units import UNIT_COLUMNS, CorpusUnits

    dataset: Dataset | None = None
    units: CorpusUnits | None = None
    writer: Any = None
    while True:
        kind, arg = conn.recv()
        if kind == "open":  # pyarrow is imported by now: the parent was finding the files meanwhile
            dataset = Dataset(root)
            conn.send(("known", dataset.known()))
            continue
        if dataset is None:  # pragma: no cover - only this module sends messages
            raise ValueError(f"{kind!r} before the dataset was opened")
        if kind == "drop":
            dataset.drop(arg)
            conn.send(("known", dataset.known()))
        elif kind == "begin":  # the units of the documents already there, then those of each chunk
            units = CorpusUnits.from_batches(dataset.batches("units", list(UNIT_COLUMNS)))
            writer = dataset.writer(on_commit=functools.partial(_learn_units, units))
        elif kind == "add":  # the payload of some documents, and which of them to write
            payload, parts = arg
            writer.add(pickle.loads(payload), parts)
        elif kind == "close":
            if writer is None or units is None:
                raise ZwgkError("the dataset was closed before it was begun")
            writer.close()
            units.to_toml(dataset.root / UNITS_FILE)
            if arg:
                try:
                    units.to_toml(arg)
                except OSError as e:
                    raise ZwgkError(f"cannot write {arg}: {e.strerror or e}") from None
            conn.send(("done", Written(units.documents, len(units.units))))
            return
        else:  # pragma: no cover - only this module sends messages
            raise ValueError(f"unknown message {kind!r}")


def _learn_units(units: CorpusUnits, tables: dict[str, pa.Table]) -> None:
    """Add the ``units`` rows of a committed chunk to the corpus registry."""
    if "units" in tables:
        units.add_rows(tables["units"])


class WriterHandle(Protocol):
    """The writer as the parent sees it (a :class:`subprocess.Popen`)."""

    def poll(self) -> int | None: ...
    def kill(self) -> None: ...
    def wait(self, timeout: float | None = None) -> int: ...


def _start(root: str) -> tuple[Connection, WriterHandle]:
    """Start the writer process for the dataset at ``root``: a fresh interpreter running
    :func:`main` with the number of its socket and ``ROOT`` (never a copy of this process, so neither
    this process's threads nor its ``__main__`` matter; its warnings are not the user's), and the
    parent's end of the socket."""
    if not sys.executable:
        raise ZwgkError("zwgk batch cannot start the process writing the dataset: no Python executable known")
    mine, theirs = socket.socketpair()
    # PYTHONPATH: the writer imports zwgk from where this process did (sys.path as it is now)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    try:
        process = subprocess.Popen([sys.executable, "-W", "ignore", "-c", _ENTRY, str(theirs.fileno()), root],
                                   pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, env=env)
    except (OSError, ValueError) as e:  # ValueError: no pass_fds (Windows)
        mine.close()
        raise ZwgkError(f"zwgk batch cannot start the process writing the dataset: {e}") from None
    finally:
        theirs.close()
    return Connection(mine.detach()), process


class DatasetProcess:
    """The dataset at ``root``, opened and written by a writer process (see the module docs).

    :meth:`known` opens the dataset and says what it holds, :meth:`drop`
    removes documents first (``--force``), :meth:`begin` starts the writing, :meth:`add` hands over
    one file's rows, :meth:`close` commits everything and writes the registry. Whatever goes wrong
    in the writer is raised here as a :class:`~zwgk.ZwgkError`; :meth:`abort` ends the writer
    without committing (used when the batch stops before it began).
    """

    def __init__(self, root: str) -> None:
        self.root = root
        self._conn, self._process = _start(root)
        self._queue: queue.Queue[tuple[str, object] | None] = queue.Queue(SEND_QUEUE)
        self._sender: threading.Thread | None = None
        self._send_error: BaseException | None = None
        self._known: Known | None = None
        self._payload: bytes | None = None  # the payload whose documents are being handed over
        self._parts: list[int] = []  # its documents handed over so far
        self._failure: ZwgkError | None = None  # what went wrong in the writer, once it did
        self._closed = False

    # -- talking to the writer --------------------------------------------------------------

    def _reply(self, wanted: str) -> Any:
        try:
            kind, value = self._conn.recv()
        except (EOFError, OSError):
            self._failure = ZwgkError(f"the process writing the dataset {self.root} ended unexpectedly")
            raise self._failure from None
        if kind == "error":
            self._failure = value
            raise value
        if kind != wanted:  # pragma: no cover - only this module answers
            raise ZwgkError(f"the process writing the dataset {self.root} answered {kind!r}, not {wanted!r}")
        return value

    def _send_now(self, kind: str, arg: object) -> None:
        try:
            self._conn.send((kind, arg))
        except OSError:
            self._reply("never")  # the writer failed: raise what it said

    def _send_loop(self) -> None:
        while True:
            message = self._queue.get()
            if message is None:
                return
            try:
                self._conn.send(message)
            except BaseException as e:  # the writer failed or ended: the main thread reads why
                self._send_error = e
                return

    def _check(self) -> None:
        """Raise what went wrong in the writer (it answers only when something did)."""
        if self._send_error is not None or self._conn.poll():
            self._reply("never")

    def _put(self, message: tuple[str, object] | None) -> None:
        """Queue a message for the sender thread, raising what went wrong in the writer meanwhile."""
        while True:
            try:
                self._queue.put(message, timeout=_POLL)
                return
            except queue.Full:
                self._check()

    # -- the dataset ------------------------------------------------------------------------

    def known(self) -> Known:
        """The files already in the dataset (opened now: created when the folder is new or empty)."""
        if self._known is None:
            self._send_now("open", None)
            self._known = self._reply("known")
        return self._known

    def drop(self, doc_ids: Iterable[str]) -> Known:
        """Remove these documents' rows from the dataset; what it holds afterwards."""
        self.known()
        self._send_now("drop", sorted(set(doc_ids)))
        self._known = self._reply("known")
        return self._known

    def begin(self) -> None:
        """Start writing (after :meth:`known` and any :meth:`drop`)."""
        self.known()
        self._send_now("begin", None)
        self._sender = threading.Thread(target=self._send_loop, name="zwgk-dataset-sender", daemon=True)
        self._sender.start()

    def add(self, rows: SealedRows | DocumentRows) -> None:
        """Hand one file's rows to the writer (sealed here when they come from this process).

        Files read together share a payload: it is sent once, when a file of another payload comes
        (or at :meth:`close`), with the files of it that were handed over (a file of it the batch
        recorded otherwise, as a duplicate, is left out)."""
        sealed = rows if isinstance(rows, SealedRows) else seal(rows)[0]
        self._check()
        if sealed.payload is not self._payload:
            self._hand_over()
            self._payload = sealed.payload
        self._parts.append(sealed.part)

    def _hand_over(self) -> None:
        """Queue the payload being handed over, forgetting it first: a signal raising in the middle
        (Ctrl-C, SIGTERM) leaves it sent once or not at all (its files then read by the next run),
        never sent again by :meth:`close`."""
        if self._payload is not None:
            message = ("add", (self._payload, self._parts))
            self._payload, self._parts = None, []
            self._put(message)

    def close(self, units_toml: str | None = None) -> Written:
        """Commit everything, write the registry (also to ``units_toml``) and end the writer."""
        self._closed = True
        try:
            if self._failure is not None:
                raise self._failure
            if self._sender is None:
                self.begin()
            self._hand_over()
            self._put(("close", units_toml))
            self._put(None)
            assert self._sender is not None
            self._sender.join()
            written: Written = self._reply("done")
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(_JOIN_TIMEOUT)
            return written
        finally:
            self._end()

    def abort(self) -> None:
        """End the writer without committing anything more."""
        if not self._closed:
            self._closed = True
            self._end()

    def _end(self) -> None:
        if self._sender is not None and self._sender.is_alive():
            with contextlib.suppress(queue.Full):
                self._queue.put_nowait(None)
        self._conn.close()
        if self._process.poll() is None:  # SIGKILL: the writer ignores SIGTERM, and nothing is left to commit
            self._process.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(_JOIN_TIMEOUT)


def main(argv: list[str]) -> None:
    """The writer process: ``main([FD, ROOT])``, FD a socket to the batch's parent.

    It ignores Ctrl-C and SIGTERM (the parent stops the batch and says when to commit), dies with
    its parent, and sends library log records nowhere."""
    from zwgk.corpus._pool import tie_to_parent

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    tie_to_parent()
    logging.getLogger().addHandler(logging.NullHandler())
    fd, root = argv
    _serve(Connection(int(fd)), root)

