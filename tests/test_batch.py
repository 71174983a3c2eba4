"""``zwgk batch`` keeps its promises: a row for every file, odd files never opened, a progress bar on a
terminal, Ctrl-C and SIGTERM committing what was read, and no process outliving a killed batch.

Tests that signal a batch wait for an event (the progress bar drawn, a chunk committed, the workers
started), never for a length of time; their timeouts only guard against a hang.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from zwgk.cli import main

pytest.importorskip("pyarrow")

from zwgk.corpus import Dataset

ROOT = Path(__file__).resolve().parent.parent
HANG_GUARD = 300.0  # seconds: only a hang reaches it
TINY = ("2021年泰安市政务公开工作任务分解表\n\n\t工作任务\n\t具体任务\n\t牵头单位\n\n"
        "\t一、公开\n\t做好公开第{n}项。\n\t市财政局\n")


def _tiny(folder: Path, n: int, start: int = 0) -> list[Path]:
    """``n`` small distinct tables (one task each), quick to write and to read."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + n):
        p = folder / f"t{i:05d}.txt"
        p.write_text(TINY.format(n=i), encoding="utf-8")
        paths.append(p)
    return paths


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}


def _batch(*args: str) -> list[str]:
    return [sys.executable, "-m", "zwgk", "batch", *args]


def _documents(out: Path) -> dict[str, dict[str, object]]:
    return {str(d["path"]): d for d in Dataset(out).read("documents").to_pylist()}


@contextlib.contextmanager
def _hang_guard(seconds: float = HANG_GUARD) -> Iterator[None]:
    """Fail instead of hanging forever (a pipe opened for reading blocks until a writer comes)."""
    def hung(signum: int, frame: object) -> None:
        raise AssertionError(f"still running after {seconds} s: hung")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# -- a row for every file --------------------------------------------------------------------------


@pytest.fixture
def odd_folder(tmp_path: Path) -> Path:
    """good files, two copies of one, two empty files, a name that is not UTF-8, a FIFO and /dev/zero."""
    src = tmp_path / "in"
    a, b = _tiny(src, 2)
    (src / "a-copy.txt").write_bytes(a.read_bytes())
    (src / "sub").mkdir()
    (src / "sub" / "b-copy.txt").write_bytes(b.read_bytes())
    (src / "empty.txt").write_bytes(b"")
    (src / "empty.docx").write_bytes(b"")
    with open(os.path.join(os.fsencode(src), b"\xff-odd.txt"), "wb") as f:
        f.write(TINY.format(n=99).encode())
    os.mkfifo(src / "pipe.txt")
    (src / "zero.txt").symlink_to("/dev/zero")
    return src


def test_every_file_is_one_documents_row(odd_folder: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    with _hang_guard():
        assert main(["batch", str(odd_folder), "-o", str(out), "-j", "1"]) == 1  # four files failed
    err = capsys.readouterr().err
    assert "9 files, 3 read, 4 failed" in err and "2 duplicates of files read" in err
    docs = _documents(out)
    src = str(odd_folder)
    assert len(docs) == 9
    status = {Path(p).relative_to(src).as_posix(): (d["status"], d["duplicate_of"]) for p, d in docs.items()}
    assert status == {
        "a-copy.txt": ("read", None),  # name order: the copy comes first and is the one read
        "t00000.txt": ("duplicate", f"{src}/a-copy.txt"),
        "t00001.txt": ("read", None),
        "sub/b-copy.txt": ("duplicate", f"{src}/t00001.txt"),
        "\\xff-odd.txt": ("read", None),  # the name's byte written as an escape
        "empty.txt": ("failed", None),
        "empty.docx": ("failed", None),  # the same bytes as a file that failed: read itself, no duplicate
        "pipe.txt": ("failed", None),
        "zero.txt": ("failed", None),
    }
    assert "a named pipe (FIFO), not a regular file" in str(docs[f"{src}/pipe.txt"]["error"])
    assert "a character device, not a regular file" in str(docs[f"{src}/zero.txt"]["error"])
    assert docs[f"{src}/t00000.txt"]["doc_id"] == docs[f"{src}/a-copy.txt"]["doc_id"]
    assert docs[f"{src}/\\xff-odd.txt"]["tasks"] == 1
    tasks = Dataset(out).read("tasks", ["doc_id"]).column(0).to_pylist()
    assert len(tasks) == 3  # a duplicate adds no rows to the other tables
    # a re-run finds every file in the dataset; a new copy is one more duplicate row
    (odd_folder / "sub" / "a-again.txt").write_bytes((odd_folder / "a-copy.txt").read_bytes())
    with _hang_guard():
        assert main(["batch", str(odd_folder), "-o", str(out), "-j", "1"]) == 1  # the earlier failures count
    err = capsys.readouterr().err
    assert "10 files, 0 read, 0 failed, 9 already in" in err and "1 duplicates of files read" in err
    assert _documents(out)[f"{src}/sub/a-again.txt"]["duplicate_of"] == f"{src}/a-copy.txt"


def test_a_file_named_twice_is_one_row(tmp_path: Path) -> None:
    [a] = _tiny(tmp_path / "in", 1)
    out = tmp_path / "out"
    assert main(["batch", str(a.parent), str(a), "-o", str(out), "-j", "1"]) == 0
    assert list(_documents(out)) == [str(a)]


# -- the terminal ----------------------------------------------------------------------------------


def _read_until(fd: int, wanted: bytes, proc: subprocess.Popen[bytes]) -> bytes:
    """What the pseudo-terminal shows, up to and including ``wanted`` (or everything, if the
    process ends first)."""
    seen = b""
    deadline = time.monotonic() + HANG_GUARD
    while wanted not in seen:
        assert time.monotonic() < deadline, f"hung; the terminal shows {seen[-500:]!r}"
        ready, _, _ = select.select([fd], [], [], 1.0)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the process closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        elif proc.poll() is not None:
            break
    return seen


def _under_terminal(cmd: list[str], columns: int = 100) -> tuple[subprocess.Popen[bytes], int]:
    main_fd, child_fd = pty.openpty()
    fcntl.ioctl(child_fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    proc = subprocess.Popen(cmd, stdin=child_fd, stdout=child_fd, stderr=child_fd, env=_env(), close_fds=True)
    os.close(child_fd)
    return proc, main_fd


def test_progress_bar_on_a_terminal_and_not_elsewhere(tmp_path: Path) -> None:
    _tiny(tmp_path / "in", 5)
    proc, fd = _under_terminal(_batch(str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-j", "1"))
    try:
        shown = _read_until(fd, b"zwgk batch: 5 files", proc)
        shown += _read_until(fd, b"\0", proc)  # to the end: the terminal stays open until the batch exits
        code = proc.wait(timeout=HANG_GUARD)
    finally:
        os.close(fd)
    assert code == 0, shown
    assert b"batch: " in shown and b"5/5" in shown and b"file/s" in shown  # the bar, then the summary
    done = subprocess.run(_batch(str(tmp_path / "in"), "-o", str(tmp_path / "out2"), "-j", "1"), env=_env(),
                          capture_output=True, timeout=HANG_GUARD)
    assert done.returncode == 0 and done.stdout == b""
    assert done.stderr.decode().splitlines() == [done.stderr.decode().strip()]  # the summary line alone
    assert "5/5" not in done.stderr.decode()


def test_progress_bar_on_a_terminal_that_gives_no_width(tmp_path: Path) -> None:
    _tiny(tmp_path / "in", 2)
    proc, fd = _under_terminal(_batch(str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-j", "1"), columns=0)
    try:
        shown = _read_until(fd, b"zwgk batch: 2 files", proc)
        shown += _read_until(fd, b"\0", proc)  # to the end: the terminal stays open until the batch exits
        code = proc.wait(timeout=HANG_GUARD)
    finally:
        os.close(fd)
    assert code == 0, shown
    assert b"2/2" in shown


# -- signals ---------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_as_the_batch_starts_stops_it(tmp_path: Path, sig: signal.Signals, code: int) -> None:
    """The signal handler is the first thing installed: the progress bar appears after it, and
    the signal is sent as soon as the bar is seen (before or while the workers start)."""
    _tiny(tmp_path / "in", 300)
    proc, fd = _under_terminal(_batch(str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-j", "2"))
    try:
        _read_until(fd, b"batch: ", proc)
        proc.send_signal(sig)
        shown = _read_until(fd, b"\0", proc)  # to the end: the terminal stays open until the batch exits
        returned = proc.wait(timeout=HANG_GUARD)
    finally:
        os.close(fd)
    assert returned == code, shown
    assert f"stopped by {sig.name}".encode() in shown and b"Traceback" not in shown


@pytest.mark.slow
def test_sigterm_commits_what_was_read_and_a_rerun_completes(tmp_path: Path) -> None:
    from zwgk.corpus._dataset import CHUNK_DOCUMENTS

    paths = _tiny(tmp_path / "in", 3 * CHUNK_DOCUMENTS)  # a first chunk is committed while reading goes on
    out = tmp_path / "out"
    cmd = _batch(str(tmp_path / "in"), "-o", str(out), "-j", "2")
    proc = subprocess.Popen(cmd, env=_env(), stderr=subprocess.PIPE, text=True)
    commits = out / "_zwgk" / "commits"
    deadline = time.monotonic() + HANG_GUARD
    while not (commits.is_dir() and any(commits.iterdir())):  # the first chunk is written: reading is under way
        assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read() if proc.stderr else ""
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=HANG_GUARD)
    assert proc.returncode == 143, err
    assert "stopped by SIGTERM: what was read is committed" in err and "Traceback" not in err
    partial = _documents(out)
    assert 0 < len(partial) < len(paths) and {d["status"] for d in partial.values()} == {"read"}
    done = subprocess.run(cmd, env=_env(), capture_output=True, text=True, timeout=HANG_GUARD)
    assert done.returncode == 0, done.stderr
    assert f"{len(partial)} already in" in done.stderr
    docs = _documents(out)
    assert sorted(docs) == sorted(map(str, paths)) and {d["status"] for d in docs.values()} == {"read"}
    assert Dataset(out).read("tasks").num_rows == len(paths)



def test_a_signal_during_the_commit_waits_for_it_whatever_thread_the_kernel_gives_it_to() -> None:
    """A signal the kernel hands to another thread of the batch (the worker pool's, the sender's)
    still waits while what was read is committed, then stops the batch."""
    import threading

    from zwgk.corpus._batch import _HELD, Stopped, _signals_held, _stopped_by_signals

    release = threading.Event()
    other = threading.Thread(target=release.wait, daemon=True)
    other.start()
    committed = False
    try:
        with _stopped_by_signals(), pytest.raises(Stopped) as stopped, _signals_held():
            signal.pthread_kill(other.ident or 0, signal.SIGTERM)
            for _ in range(10_000):  # the handler runs in the main thread at its next check
                if _HELD.pending is not None:
                    break
                time.sleep(0.001)
            committed = True  # the block ran to its end: the commit was not cut
    finally:
        release.set()
    assert committed and stopped.value.signum == signal.SIGTERM and _HELD.pending is None


# -- kill -9 ---------------------------------------------------------------------------------------


def _process_tree(root: int) -> list[int]:
    """The live descendants of ``root`` (from /proc)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                if stat[0] != "Z":
                    parents.setdefault(int(stat[1]), []).append(int(entry))
    out, todo = [], [root]
    while todo:
        for child in parents.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_kill_9_leaves_no_process_behind(tmp_path: Path) -> None:
    _tiny(tmp_path / "in", 3000)
    proc = subprocess.Popen(_batch(str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-j", "2"), env=_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + HANG_GUARD
    tree: list[int] = []
    # resource tracker, forkserver and two workers: the batch is reading
    while len(tree) < 4:
        assert proc.poll() is None and time.monotonic() < deadline, "the batch ended before its workers started"
        time.sleep(0.05)
        tree = _process_tree(proc.pid)
    proc.kill()
    proc.wait(timeout=HANG_GUARD)
    while any(_alive(p) for p in tree):
        assert time.monotonic() < deadline, [Path(f"/proc/{p}/cmdline").read_bytes() for p in tree if _alive(p)]
        time.sleep(0.05)
    # nothing holds the caller's pipes open: both reach their end (the resource tracker may say, as
    # it ends, that the killed batch left semaphores to it)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read() == b""
    proc.stderr.read()


# -- beyond one machine ----------------------------------------------------------------------------


def _sorted_rows(out: Path, table: str) -> list[dict[str, object]]:
    rows = Dataset(out).read(table).to_pylist()
    return sorted(rows, key=lambda r: repr(sorted(r.items(), key=lambda kv: kv[0])))


@pytest.mark.slow
def test_dask_engine_writes_the_rows_of_a_local_run(odd_folder: Path, tmp_path: Path, sample: object) -> None:
    pytest.importorskip("distributed")
    from distributed import LocalCluster

    from zwgk.corpus.synthetic import write_corpus

    write_corpus(odd_folder / "generated", 6, seed=5, sample=sample)  # type: ignore[arg-type]
    local, remote = tmp_path / "local", tmp_path / "dask"
    with _hang_guard():
        assert main(["batch", str(odd_folder), "-o", str(local), "-j", "1"]) == 1
    with _hang_guard(), LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                     dashboard_address=None) as cluster:
        code = main(["batch", str(odd_folder), "-o", str(remote), "--engine", "dask",
                     "--scheduler", cluster.scheduler_address])
    assert code == 1
    for table in ("documents", "tasks", "assignments", "units", "findings"):
        assert _sorted_rows(remote, table) == _sorted_rows(local, table), table
    assert (remote / "units.toml").read_text(encoding="utf-8") == (local / "units.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("args", "message"), [
    (["--engine", "dask"], "needs the address of a scheduler"),
    (["--scheduler", "tcp://127.0.0.1:1"], "--scheduler is for the dask engine"),
])
def test_engine_usage_errors(args: list[str], message: str, tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    _tiny(tmp_path / "in", 1)
    assert main(["batch", str(tmp_path / "in"), "-o", str(tmp_path / "out"), *args]) == 2
    assert message in capsys.readouterr().err


def test_dask_engine_without_dask_names_the_install_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name in ("dask", "distributed") else real(name, *a))
    _tiny(tmp_path / "in", 1)
    assert main(["batch", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--engine", "dask",
                 "--scheduler", "tcp://127.0.0.1:1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == "zwgk: error: the dask engine needs dask.distributed: pip install 'zwgk[corpus-dask]'"


# -- the parent neither reads nor writes: pyarrow (and pandas) never imported there ------------------

_NO_ARROW = """
import sys
from zwgk.cli import main
codes = [main(["batch", sys.argv[1], "-o", sys.argv[2], "-j", sys.argv[3]]),
         main(["batch", sys.argv[1], "-o", sys.argv[2], "-j", sys.argv[3], "--force"])]
print(codes, sorted(m for m in sys.modules if m.split(".")[0] in ("pandas", "pyarrow")))
"""


@pytest.mark.parametrize("jobs", ["1", pytest.param("2", marks=pytest.mark.slow)])
def test_the_batch_parent_never_imports_pyarrow_or_pandas(odd_folder: Path, tmp_path: Path, jobs: str) -> None:
    """The dataset is written by a process of its own: the parent (which forwards the rows the
    workers packed, and reads them itself with one job) never imports pyarrow, so neither pandas,
    which pyarrow imports on the first ``pyarrow.array``; nor does a --force re-run, which drops rows."""
    done = subprocess.run([sys.executable, "-c", _NO_ARROW, str(odd_folder), str(tmp_path / "out"), jobs],
                          capture_output=True, text=True, env={**_env(), "TQDM_DISABLE": "1"}, timeout=HANG_GUARD,
                          check=True)
    assert done.stdout.strip().splitlines()[-1] == "[1, 1] []"  # odd_folder holds files that fail
    assert _documents(tmp_path / "out")  # and the dataset was written


_PARENT_MODULES = """
import json, sys
from zwgk.cli import main
code = main(["batch", *sys.argv[1:]])
print(json.dumps([code, sorted(sys.modules)]))
"""


def _reading_modules(loaded: list[str]) -> list[str]:
    """Of ``loaded``, the modules that read files: each built-in reader's module and what reading
    needs (the builder, the unit registry, the validators, lxml), none of which a parent uses."""
    from zwgk._lazy import LazyFunction
    from zwgk.readers.builtin import BUILTIN_READERS

    readers = {f.module for r in BUILTIN_READERS for f in (r.read, r.sniff) if isinstance(f, LazyFunction)}
    assert {"zwgk.readers.docx", "zwgk.readers.pdf", "zwgk.readers.text"} <= readers
    reading = ("zwgk._api", "zwgk.table", "zwgk.units", "zwgk.validators", "zwgk.exporters", "lxml")
    return [m for m in loaded if m in readers or m.startswith(reading)]


@pytest.mark.parametrize("how", [["--dry-run"], pytest.param(["-j", "2"], marks=pytest.mark.slow)])
def test_the_batch_parent_imports_no_reader(tmp_path: Path, how: list[str]) -> None:
    """The parent walks the folder knowing the readers' suffixes (declared by the built-in plugin)
    and hands the files to workers: it imports no reader's module nor anything reading needs."""
    src = tmp_path / "in"
    _tiny(src, 3)
    (src / "plan.docx").write_bytes(b"PK\x03\x04 not really a docx")
    (src / "plan.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    env = {**_env(), "TQDM_DISABLE": "1", "ZWGK_DISABLE_PLUGINS": "1"}  # the built-ins: what zwgk itself imports
    done = subprocess.run([sys.executable, "-c", _PARENT_MODULES, str(src), "-o", str(tmp_path / "out"), *how],
                          capture_output=True, text=True, env=env, timeout=HANG_GUARD, check=True)
    code, loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert code == (0 if how == ["--dry-run"] else 1)  # the .docx and the .pdf are not what they claim
    assert "zwgk.readers.builtin" in loaded and _reading_modules(loaded) == []
    if how != ["--dry-run"]:
        assert len(_documents(tmp_path / "out")) == 5  # read, in the workers
