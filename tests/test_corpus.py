"""Corpus scale: load_many, the per-file step, the Parquet dataset written by ``zwgk batch``."""

from __future__ import annotations

import gc
import os
import socket
import subprocess
import sys
import threading
from collections import Counter
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import zwgk
from zwgk.cli import main
from zwgk.model import Plan

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from zwgk.corpus import CorpusUnits, Dataset, FileJob, find_files, read_document  # noqa: E402
from zwgk.corpus import _dataset as dataset_module  # noqa: E402
from zwgk.corpus import _store as store_module  # noqa: E402
from zwgk.corpus._pool import WORKER_GC_ALLOCATIONS, map_files  # noqa: E402
from zwgk.corpus.synthetic import plan_html, synthetic_plan, write_corpus  # noqa: E402
from zwgk.units import load_registry  # noqa: E402

N_DOCS = 24
ROOT = Path(__file__).resolve().parent.parent
TABLES = ("documents", "tasks", "assignments", "units", "findings")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, sample: Plan) -> tuple[Path, list[Path], Path]:
    """Generated documents in .txt, .docx and .html, with a corrupt .docx among them."""
    root = tmp_path_factory.mktemp("corpus")
    paths = write_corpus(root, N_DOCS, seed=7, sample=sample)
    bad = paths[N_DOCS // 2].parent / "doc-00011-damaged.docx"
    bad.write_bytes(b"PK\x03\x04 this is not a zip archive")
    return root, paths, bad


@pytest.fixture(scope="module")
def one_by_one(corpus: tuple[Path, list[Path], Path]) -> dict[str, Plan]:
    _, paths, _ = corpus
    return {str(p): zwgk.load(p) for p in paths}


def _expected_rows(plans: dict[str, Plan], failed: int) -> dict[str, int]:
    return {
        "documents": len(plans) + failed,
        "tasks": sum(len(p.tasks) for p in plans.values()),
        "assignments": sum(len(list(p.assignments())) for p in plans.values()),
        "units": sum(len(p.units()) for p in plans.values()),
        "findings": sum(len(zwgk.validate(p).findings) for p in plans.values()),
    }


def _rows(out: Path) -> dict[str, int]:
    ds = Dataset(out)
    return {t: ds.read(t).num_rows for t in TABLES}


# -- the generated corpus --------------------------------------------------------------------------


def test_generated_documents_read_back_as_generated(sample: Plan, tmp_path: Path) -> None:
    plan = synthetic_plan(3, sample)
    assert plan.metadata.region and plan.metadata.year
    for name, data in (("a.txt", zwgk.export(plan, "text")), ("a.docx", zwgk.export(plan, "docx")),
                       ("a.html", plan_html(plan).encode("utf-8"))):
        assert isinstance(data, bytes)
        (tmp_path / name).write_bytes(data)
        back = zwgk.load(tmp_path / name)
        assert [t.text for t in back.tasks] == [t.text for t in plan.tasks], name
        assert [t.path for t in back.tasks] == [t.path for t in plan.tasks], name
        assert [[u.as_written for u in t.units()] for t in back.tasks] == \
               [[u.as_written for u in t.units()] for t in plan.tasks], name
        assert back.metadata == plan.metadata, name


def test_generated_plans_differ(sample: Plan) -> None:
    plans = [synthetic_plan(s, sample) for s in range(6)]
    assert len({(p.metadata, tuple(t.id for t in p.tasks)) for p in plans}) == 6
    assert synthetic_plan(4, sample) == synthetic_plan(4, sample)


# -- load_many -------------------------------------------------------------------------------------


@pytest.mark.slow  # several processes
def test_load_many_in_order_every_file(corpus: tuple[Path, list[Path], Path], one_by_one: dict[str, Plan]) -> None:
    _, paths, bad = corpus
    given = [str(p) for p in paths[:8]] + [str(bad)] + [str(p) for p in paths[8:]]
    got = list(zwgk.load_many(given, jobs=2))
    assert [p for p, _ in got] == given
    for path, result in got:
        if path == str(bad):
            assert isinstance(result, zwgk.ZwgkError) and str(bad) in str(result)
        else:
            assert result == one_by_one[path]


@pytest.mark.slow  # several processes
def test_load_many_as_completed_and_in_process(corpus: tuple[Path, list[Path], Path],
                                               one_by_one: dict[str, Plan]) -> None:
    _, paths, bad = corpus
    given = [str(bad), *map(str, paths)]
    unordered = dict(zwgk.load_many(given, jobs=2, ordered=False))
    in_process = dict(zwgk.load_many(given, jobs=1))
    assert unordered.keys() == in_process.keys() == set(given)
    for path in map(str, paths):
        assert unordered[path] == in_process[path] == one_by_one[path]
    assert isinstance(in_process[str(bad)], zwgk.ZwgkError)


def test_load_many_raise_and_bad_arguments(corpus: tuple[Path, list[Path], Path]) -> None:
    _, paths, bad = corpus
    with pytest.raises(zwgk.ParseError, match="damaged"):
        list(zwgk.load_many([paths[0], bad, paths[1]], jobs=1, on_error="raise"))
    with pytest.raises(zwgk.ZwgkError, match="jobs"):
        zwgk.load_many(paths, jobs=0)
    with pytest.raises(zwgk.ZwgkError, match="on_error"):
        zwgk.load_many(paths, on_error="ignore")  # type: ignore[arg-type]


def test_load_many_passes_reader_options_and_converts(corpus: tuple[Path, list[Path], Path],
                                                      tmp_path: Path) -> None:
    """The batch conversion hook: the converted copy is read, the original path is reported."""
    _, paths, _ = corpus
    txt = next(p for p in paths if p.suffix == ".txt")
    renamed = tmp_path / "table.wps"
    renamed.write_bytes(b"not really")
    calls: list[int] = []

    def convert(batch: list[Path], scratch: Path) -> dict[Path, Path]:
        calls.append(len(batch))
        return {p: txt for p in batch if p.suffix == ".wps"}

    got = dict(zwgk.load_many([renamed, txt], jobs=1, convert=convert))
    assert calls == [2]
    plan = got[str(renamed)]
    assert isinstance(plan, Plan) and plan.source == str(renamed) and plan == zwgk.load(txt)


def _crash_on_boom(item: str) -> str:
    if item == "boom":
        os._exit(3)  # a worker dying the hard way
    if item == "oops":
        raise ValueError("not a zwgk error")
    return item.upper()


@pytest.mark.slow  # several processes
def test_map_files_survives_a_dying_worker() -> None:
    items = [f"f{i}" for i in range(30)]
    items[11] = "boom"
    items[17] = "oops"
    got = list(map_files(_crash_on_boom, items, jobs=2, batch_size=2))
    assert [i for i, _ in got] == items
    results = dict(got)
    assert isinstance(results["boom"], zwgk.ZwgkError) and "died" in str(results["boom"])
    assert isinstance(results["oops"], zwgk.ZwgkError) and "ValueError" in str(results["oops"])
    assert all(results[i] == i.upper() for i in items if i not in ("boom", "oops"))



HANG_GUARD = 300.0  # seconds: only a hang reaches it


def _half_a_result_then(item: str) -> str:
    """In a worker: for ``die`` and ``wait``, write the start of a result message to the pool's
    result pipe, as a worker ended while sending its result leaves it; then die, or wait (after
    touching the file ``ZWGK_TEST_MARK`` names) to be stopped."""
    import struct
    import time

    frame = sys._getframe()
    while frame is not None and "result_queue" not in frame.f_locals:  # concurrent.futures' worker loop
        frame = frame.f_back
    if item not in ("die", "wait"):
        return item.upper()
    assert frame is not None, "no result queue found in the worker's frames"
    os.write(frame.f_locals["result_queue"]._writer.fileno(), struct.pack("!i", 1 << 20) + b"\x80" * 100)
    if item == "die":
        os._exit(3)
    Path(os.environ["ZWGK_TEST_MARK"]).touch()
    time.sleep(HANG_GUARD)
    return item


_HALF_A_RESULT = """
import json, sys
from tests.test_corpus import _half_a_result_then
from zwgk.corpus._pool import map_files
try:
    got = list(map_files(_half_a_result_then, sys.argv[1].split(","), jobs=2, batch_size=1))
except KeyboardInterrupt:
    print("stopped")
else:
    print(json.dumps([[item, str(result)] for item, result in got]))
"""


@pytest.mark.slow  # several processes
def test_a_worker_dying_while_it_sends_its_result_is_seen(tmp_path: Path) -> None:
    """The pool's manager thread would wait for ever for the rest of the message: the death is seen
    (the workers are watched), the file is retried alone and named, the others are read."""
    import json

    done = subprocess.run([sys.executable, "-c", _HALF_A_RESULT, "a,die,b,c"], cwd=ROOT, capture_output=True,
                          text=True, timeout=HANG_GUARD, env={**os.environ, "ZWGK_TEST_MARK": str(tmp_path / "m")})
    assert done.returncode == 0, done.stderr
    got = dict(json.loads(done.stdout))
    assert list(got) == ["a", "die", "b", "c"] and "died" in got["die"]
    assert [got[i] for i in "abc"] == ["A", "B", "C"]


@pytest.mark.slow  # several processes
def test_stopping_while_a_worker_is_sending_its_result_ends_the_process(tmp_path: Path) -> None:
    """Ctrl-C while a worker is half-way through sending a result: the pool is stopped and the
    process exits (its exit no longer waits on the pool's manager thread)."""
    import signal
    import time

    mark = tmp_path / "m"
    proc = subprocess.Popen([sys.executable, "-c", _HALF_A_RESULT, "a,wait"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "ZWGK_TEST_MARK": str(mark)})
    try:
        deadline = time.monotonic() + HANG_GUARD
        while not mark.exists():  # the worker has written half a result
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=HANG_GUARD)
        assert (proc.returncode, out.strip()) == (0, "stopped"), err
    finally:
        proc.kill()  # its workers and forkserver follow it (they watch their parent)


def _collector(item: str) -> tuple[int, int]:
    return gc.get_threshold()[0], gc.get_freeze_count()


def test_in_process_reading_sets_the_collector_as_a_worker_and_restores_it() -> None:
    """With one job the items are read with the collector set as in a worker (threshold, what the
    process held frozen), and the setting is undone when the run ends, is closed early or nests."""
    gc.unfreeze()
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        got = [r for _, r in map_files(_collector, ["a", "b", "c"], jobs=1)]
        assert all(isinstance(r, tuple) and r[0] == WORKER_GC_ALLOCATIONS and r[1] > 0 for r in got)
        assert gc.get_threshold() == (700, 10, 10) and gc.get_freeze_count() == 0
        outer = map_files(_collector, ["a", "b"], jobs=1)
        next(outer)
        inner = [r for _, r in map_files(_collector, ["c"], jobs=1)]  # a run inside another
        assert isinstance(inner[0], tuple) and inner[0][0] == WORKER_GC_ALLOCATIONS and inner[0][1] > 0
        assert gc.get_threshold()[0] == WORKER_GC_ALLOCATIONS  # the outer run goes on
        outer.close()  # stopped early
        assert gc.get_threshold() == (700, 10, 10) and gc.get_freeze_count() == 0
    finally:
        gc.set_threshold(*before)

# -- zwgk batch ------------------------------------------------------------------------------------


@pytest.mark.slow  # several processes
def test_batch_rows_equal_the_plans_read_one_by_one(corpus: tuple[Path, list[Path], Path],
                                                    one_by_one: dict[str, Plan], tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    root, _paths, bad = corpus
    out = tmp_path / "out"
    assert main(["batch", str(root), "-o", str(out), "-j", "2"]) == 1  # the damaged file failed
    err = capsys.readouterr().err
    assert f"{N_DOCS + 1} files, {N_DOCS} read, 1 failed" in err and str(bad) in err
    assert _rows(out) == _expected_rows(one_by_one, failed=1)
    docs = Dataset(out).read("documents").to_pylist()
    by_path = {d["path"]: d for d in docs}
    assert by_path[str(bad)]["status"] == "failed" and "damaged" in by_path[str(bad)]["error"]
    for path, plan in one_by_one.items():
        d = by_path[path]
        assert (d["status"], d["title"], d["region"], d["year"], d["tasks"]) == \
               ("read", plan.title, plan.metadata.region, plan.metadata.year, len(plan.tasks))
        assert d["level"] == plan.metadata.level and d["format"] == Path(path).suffix[1:]
        assert d["doc_id"] == __import__("hashlib").sha256(Path(path).read_bytes()).hexdigest()
    # hive-style partitions that pyarrow reads on its own
    import pyarrow.dataset as pads

    table = pads.dataset(out / "tasks", format="parquet", partitioning="hive").to_table()
    assert table.num_rows == sum(len(p.tasks) for p in one_by_one.values())
    regions = Counter(table.column("region").to_pylist())
    assert regions == Counter(p.metadata.region for p in one_by_one.values() for _ in p.tasks)
    # assignments keep the written name beside the canonical one
    assignments = Dataset(out).read("assignments", ["unit", "as_written"]).to_pylist()
    assert any(a["unit"] != a["as_written"] for a in assignments) or all(
        a.unit.name == a.unit.as_written for p in one_by_one.values() for a in p.assignments())


def test_batch_rerun_is_idempotent_and_force_redoes(corpus: tuple[Path, list[Path], Path],
                                                   one_by_one: dict[str, Plan], tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    root, _, _ = corpus
    out = tmp_path / "out"
    main(["batch", str(root), "-o", str(out), "-j", "1"])
    first = _rows(out)
    commits = set((out / "_zwgk" / "commits").iterdir())
    capsys.readouterr()
    assert main(["batch", str(root), "-o", str(out), "-j", "1"]) == 1  # the earlier failure still counts
    assert f"{N_DOCS + 1} already in" in capsys.readouterr().err
    assert _rows(out) == first and set((out / "_zwgk" / "commits").iterdir()) == commits
    assert main(["batch", str(root), "-o", str(out), "-j", "1", "--force"]) == 1
    assert f"{N_DOCS} read, 1 failed" in capsys.readouterr().err
    assert _rows(out) == first == _expected_rows(one_by_one, failed=1)
    assert set((out / "_zwgk" / "commits").iterdir()) - commits  # written anew
    ids = Dataset(out).read("documents", ["doc_id"]).column(0).to_pylist()
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("chunk", [1, 7, 500])
def test_written_rows_are_each_documents_rows_in_order(corpus: tuple[Path, list[Path], Path], tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    _, paths, _ = corpus
    monkeypatch.setattr(dataset_module, "CHUNK_DOCUMENTS", chunk)
    docs = [read_document(FileJob(str(p), str(p), f"doc-{i}")) for i, p in enumerate(paths)]
    dataset = Dataset(tmp_path / "out")
    writer = dataset.writer()
    for d in docs:
        writer.add(d)
    writer.close()
    assert writer.chunks == -(-len(docs) // chunk)
    for table in TABLES:
        written = dataset.read(table).to_pylist()
        got: dict[str, list[dict[str, object]]] = {}
        for row in written:
            got.setdefault(str(row["doc_id"]), []).append(row)
        for d in docs:
            expected = [{**dict(zip(d.tables[table], values, strict=True)), "region": d.region, "year": d.year}
                        for values in zip(*d.tables[table].values(), strict=True)]
            assert got.get(d.doc_id, []) == expected, (table, d.doc_id)


class _ThreadWriter:
    """The dataset's writer run in a thread of this process, so a test can patch what it does."""

    def __init__(self, thread: threading.Thread) -> None:
        self.thread = thread

    def poll(self) -> int | None:
        return None if self.thread.is_alive() else 0

    def kill(self) -> None:  # the thread ends at its socket's end, which the batch closes first
        pass

    def wait(self, timeout: float | None = None) -> int:
        self.thread.join(timeout)
        return 0


def _writer_in_this_process(root: str) -> tuple[Connection, _ThreadWriter]:
    mine, theirs = socket.socketpair()
    thread = threading.Thread(target=store_module._serve, args=(Connection(theirs.detach()), root), daemon=True)
    thread.start()
    return Connection(mine.detach()), _ThreadWriter(thread)


@pytest.fixture
def writer_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """The batch's writer runs in this process (where the test patches the dataset)."""
    monkeypatch.setattr(store_module, "_start", _writer_in_this_process)


def test_a_failed_write_stops_the_batch_with_one_line(corpus: tuple[Path, list[Path], Path], tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch, writer_here: None,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    root, _, _ = corpus
    monkeypatch.setattr(dataset_module, "CHUNK_DOCUMENTS", 5)

    def full(self: Dataset, target: Path, data: object) -> None:
        raise OSError(28, "No space left on device", str(target))

    monkeypatch.setattr(dataset_module.Dataset, "_write_part", full)
    assert main(["batch", str(root), "-o", str(tmp_path / "out"), "-j", "1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("zwgk: error: ") and err[-1].endswith("No space left on device")
    assert Dataset(tmp_path / "out").read("documents").num_rows == 0  # nothing committed


def test_a_signal_in_the_middle_of_a_hand_over_never_sends_a_payload_twice(tmp_path: Path, writer_here: None) -> None:
    """Ctrl-C or SIGTERM raising just after a payload was queued for the writer: committing what
    was read (``close``) does not send it again, so its rows are written once."""
    import queue

    from zwgk.corpus._rows import error_rows

    class Interrupted(queue.Queue[Any]):
        def put(self, item: Any, block: bool = True, timeout: float | None = None) -> None:
            super().put(item, block, timeout)
            if item is not None and item[0] == "add" and not getattr(self, "raised", False):
                self.raised = True
                raise KeyboardInterrupt  # the signal's handler raising between two lines of the hand-over

    store = store_module.DatasetProcess(str(tmp_path / "out"))
    store._queue = Interrupted(store_module.SEND_QUEUE)
    store.known()
    store.begin()
    store.add(error_rows("a" * 64, "a.txt", "unreadable"))
    with pytest.raises(KeyboardInterrupt):
        store.add(error_rows("b" * 64, "b.txt", "unreadable"))  # hands a.txt's payload over
    store.close(None)
    assert Dataset(tmp_path / "out").read("documents").column("path").to_pylist() == ["a.txt"]


def _with_empty_category(folder: Path) -> Path:
    folder.mkdir()
    path = folder / "empty-category.html"
    path.write_text("<p>2021年泰安市政务公开工作任务分解表</p><table><tr><td>工作任务</td><td>具体任务</td><td>牵头单位</td></tr>"
                    "<tr><td>一、类别</td><td>做好公开。</td><td>市财政局</td></tr>"
                    "<tr><td>二、空类别</td><td></td><td></td></tr></table>", encoding="utf-8")
    return path


@pytest.mark.parametrize("jobs", [1, pytest.param(2, marks=pytest.mark.slow)])
def test_load_many_raises_the_warnings_of_reading_in_the_caller(tmp_path: Path, jobs: int) -> None:
    path = _with_empty_category(tmp_path / "in")
    with pytest.warns(zwgk.ReadWarning, match="category 「二、空类别」 has no task under it"):
        [(_, plan)] = list(zwgk.load_many([path], jobs=jobs))
    assert isinstance(plan, Plan) and len(plan.tasks) == 1


@pytest.mark.slow  # several processes
def test_batch_keeps_the_warnings_in_the_documents_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _with_empty_category(tmp_path / "in")
    assert main(["batch", str(path.parent), "-o", str(tmp_path / "out"), "-j", "2"]) == 0
    assert "1 warning (in the documents table's warnings column)" in capsys.readouterr().err
    [doc] = Dataset(tmp_path / "out").read("documents", ["warnings"]).to_pylist()
    assert len(doc["warnings"]) == 1 and "row 3, column 1: category 「二、空类别」" in doc["warnings"][0]


@pytest.mark.slow  # several processes
def test_workers_start_warm(tmp_path: Path) -> None:
    code = ("from zwgk.corpus._pool import map_files, start_workers\n"
            "import sys\n"
            "def loaded(name): return name in sys.modules\n"
            "if __name__ == '__main__':\n"
            "    start_workers(2)\n"
            "    print([r for _, r in map_files(loaded, ['zwgk.corpus._warm', 'zwgk.readers.docx'], jobs=2,"
            " batch_size=1)])\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    script = tmp_path / "warm.py"  # a file: the workers import the function from it
    script.write_text(code, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[True, True]"


def test_batch_interrupted_mid_write_reads_and_resumes(corpus: tuple[Path, list[Path], Path],
                                                       one_by_one: dict[str, Plan], tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch, writer_here: None,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """The writer ends in the middle of a chunk (a failing disk here; ``kill -9`` does the same):
    the parent stops with one line, and the dataset holds the chunks committed before."""
    root, _, _ = corpus
    out = tmp_path / "out"
    monkeypatch.setattr(dataset_module, "CHUNK_DOCUMENTS", 5)
    real = dataset_module.Dataset._write_part
    calls = Counter[str]()  # part files written, by chunk

    def dying(self: Dataset, target: Path, data: object) -> None:
        calls[target.stem] += 1
        if len(calls) == 2 and calls[target.stem] == 2:  # in the middle of the second chunk: a temporary
            # file, no rename, no commit (the first chunk is committed)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.with_name(f".{target.name}.tmp").write_bytes(b"half a parquet file")
            raise OSError(5, "Input/output error", str(target))
        real(self, target, data)  # type: ignore[arg-type]

    monkeypatch.setattr(dataset_module.Dataset, "_write_part", dying)
    assert main(["batch", str(root), "-o", str(out), "-j", "1"]) == 2
    assert capsys.readouterr().err.strip().splitlines()[-1].endswith("Input/output error")
    assert list(out.glob("**/.*.tmp"))  # what the kill left behind
    for table in TABLES:
        for part in out.glob(f"{table}/**/*.parquet"):
            pq.read_table(part)  # every file that looks complete is complete
    monkeypatch.setattr(dataset_module.Dataset, "_write_part", real)
    partial = _rows(out)  # opening cleans up: only committed chunks remain
    assert not list(out.glob("**/.*.tmp"))
    assert 0 < partial["documents"] < N_DOCS + 1
    done = Dataset(out).read("documents", ["doc_id"]).num_rows
    assert partial["tasks"] == Dataset(out).read("tasks").num_rows
    main(["batch", str(root), "-o", str(out), "-j", "1"])
    assert _rows(out) == _expected_rows(one_by_one, failed=1)
    assert done == partial["documents"]


@pytest.mark.parametrize("case", ["missing", "not-a-dataset", "output-is-a-file", "unreadable", "bad-jobs"])
def test_batch_bad_input_is_one_line_exit_2(case: str, corpus: tuple[Path, list[Path], Path], tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    root, _, _ = corpus
    out = tmp_path / "out"
    args = ["batch", str(root), "-o", str(out)]
    expect = ""
    if case == "missing":
        args[1] = str(tmp_path / "nowhere")
        expect = "no such file or folder"
    elif case == "not-a-dataset":
        out.mkdir()
        (out / "notes.txt").write_text("mine", encoding="utf-8")
        expect = "not a zwgk dataset"
    elif case == "output-is-a-file":
        out.write_text("x", encoding="utf-8")
        expect = "is a file"
    elif case == "unreadable":
        locked = tmp_path / "locked"
        locked.mkdir()
        args[1] = str(locked)
        real_access = os.access
        monkeypatch.setattr("zwgk.corpus._batch.os.access",
                            lambda p, mode: False if Path(p) == locked else real_access(p, mode))
        expect = "cannot read folder"
    else:
        args += ["-j", "0"]
        expect = "--jobs"
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("zwgk: error: ") and expect in err
    if case == "not-a-dataset":
        assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


def test_find_files_globs(corpus: tuple[Path, list[Path], Path]) -> None:
    root, paths, bad = corpus
    assert find_files([str(root)]) == sorted(map(str, [*paths, bad]))
    assert find_files([str(root)], include=["*.txt"]) == sorted(str(p) for p in paths if p.suffix == ".txt")
    some_year = paths[0].parent.name
    kept = find_files([str(root)], exclude=[f"*/{some_year}/*", "*.html"])
    assert kept and all(Path(k).parent.name != some_year and not k.endswith(".html") for k in kept)


def test_corpus_units_toml(corpus: tuple[Path, list[Path], Path], one_by_one: dict[str, Plan],
                           tmp_path: Path) -> None:
    root, _, _ = corpus
    out, toml = tmp_path / "out", tmp_path / "corpus-units.toml"
    main(["batch", str(root), "-o", str(out), "-j", "1", "--units-toml", str(toml)])
    text = toml.read_text(encoding="utf-8")
    assert text == (out / "units.toml").read_text(encoding="utf-8")
    reg = load_registry(toml)
    names = {u.name for p in one_by_one.values() for u in p.units()}
    assert {u.name for u in reg} == names
    counts = Counter(u.name for p in one_by_one.values() for u in p.units())
    learned = CorpusUnits.from_batches([Dataset(out).read("units")])
    assert {u.name: u.documents for u in learned.units.values()} == counts
    ranked = learned.ranked()
    assert ranked[0].documents == max(counts.values())
    for unit in learned.units.values():  # every spelling seen is kept by some unit of the registry
        for spelling in unit.spellings:
            assert reg.resolve(spelling) is not None


@pytest.mark.slow  # several processes
def test_read_document_under_a_map_engine(corpus: tuple[Path, list[Path], Path], one_by_one: dict[str, Plan]) -> None:
    """The per-file step is a pure function: any map engine runs it (here multiprocessing, and Dask
    when it is installed) and gives the rows the batch writes."""
    from multiprocessing import get_context

    from zwgk.corpus import content_hash

    _, paths, _ = corpus
    jobs = [FileJob(str(p), str(p), content_hash(p)) for p in paths[:6]]
    with get_context("spawn").Pool(2) as pool:
        rows = pool.map(read_document, jobs)
    assert [r.count("tasks") for r in rows] == [len(one_by_one[j.path].tasks) for j in jobs]
    assert rows == [read_document(j) for j in jobs]
    try:
        import dask.bag as db
    except ImportError:
        return
    with_dask = db.from_sequence(jobs, npartitions=2).map(read_document).compute(scheduler="threads")
    assert list(with_dask) == rows


@pytest.mark.slow  # several processes
def test_corpus_notebook_runs() -> None:
    """examples/corpus.ipynb runs top to bottom (DuckDB and pandas agree inside it)."""
    import json

    pytest.importorskip("duckdb")
    pytest.importorskip("pandas")
    nb = json.loads((ROOT / "examples" / "corpus.ipynb").read_text(encoding="utf-8"))
    assert all(c.get("id") for c in nb["cells"])
    assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")
    namespace: dict[str, object] = {}
    for cell in (c for c in nb["cells"] if c["cell_type"] == "code"):
        exec(compile("".join(cell["source"]), "corpus.ipynb", "exec"), namespace)
    assert namespace["code"] == 0
    assert len(namespace["widest"]) == 10  # type: ignore[arg-type]


# --- the LibreOffice conversion step shared by a batch -----------------------------------------------------

OLE_DOC = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 20 + b"\xfe\xff\x09\x00" + b"\0" * 480
           + "WordDocument".encode("utf-16-le") + b"\0" * 512)
"""An OLE file a Word document by its stream name, with a sound header (LibreOffice is tried on it)."""


def _fake_soffice(tmp_path: Path, odt: Path) -> tuple[Path, Path]:
    """A soffice that logs each call and "converts" every input into a copy of ``odt``."""
    log = tmp_path / "calls.log"
    script = tmp_path / "soffice"
    script.write_text(f"""#!/bin/sh
echo "$*" >> {log}
out=""; next=""; files=""
for a in "$@"; do
  if [ "$next" = 1 ]; then out="$a"; next=""; continue; fi
  case "$a" in --outdir) next=1;; -*) ;; *) files="$files $a";; esac
done
for f in $files; do b=$(basename "$f"); cp {odt} "$out/${{b%.*}}.odt"; done
""", encoding="utf-8")
    script.chmod(0o755)
    return script, log


@pytest.fixture
def doc_folder(tmp_path: Path, sample: Plan) -> tuple[Path, list[Path], Path]:
    """A folder of five .doc files (and a text file), and a real .odt of the sample for the fake."""
    from tests.test_read_odt import odt_of, write_odt

    odt = write_odt(tmp_path / "sample.odt", odt_of(sample))
    folder = tmp_path / "docs"
    folder.mkdir()
    docs = []
    for i in range(5):
        p = folder / f"plan-{i}.doc"
        p.write_bytes(OLE_DOC + str(i).encode())
        docs.append(p)
    (folder / "plain.txt").write_bytes((Path(zwgk.__file__).parent / "data" / "taian-2020-zwgk-tasks.txt").read_bytes())
    return folder, docs, odt


@pytest.mark.slow  # several processes
def test_load_many_converts_a_window_in_one_soffice_call(doc_folder: tuple[Path, list[Path], Path], tmp_path: Path,
                                                         sample: Plan) -> None:
    folder, docs, odt = doc_folder
    fake, log = _fake_soffice(tmp_path, odt)
    paths = [*docs[:3], folder / "plain.txt", *docs[3:]]
    got = list(zwgk.load_many(paths, jobs=2, soffice=str(fake)))
    assert [p for p, _ in got] == [str(p) for p in paths]
    calls = log.read_text(encoding="utf-8").splitlines()
    assert len(calls) == 1 and "--convert-to odt:writer8" in calls[0]
    assert sum(".doc" in a for a in calls[0].split()) == 5  # every .doc in the one call, the .txt not
    for path, plan in got:
        assert isinstance(plan, Plan), plan
        assert plan.tasks == sample.tasks and plan.source == path
        assert all(t.source is None or t.source.file == path for t in plan.tasks)  # the original named


@pytest.mark.slow  # several processes
def test_batch_converts_a_folder_of_doc_files_with_one_soffice_call(
        doc_folder: tuple[Path, list[Path], Path], tmp_path: Path, sample: Plan,
        monkeypatch: pytest.MonkeyPatch) -> None:
    folder, docs, odt = doc_folder
    fake, log = _fake_soffice(tmp_path, odt)
    monkeypatch.setenv("ZWGK_SOFFICE", str(fake))
    out = tmp_path / "out"
    assert main(["batch", str(folder), "-o", str(out), "-j", "2"]) == 0
    assert len(log.read_text(encoding="utf-8").splitlines()) == 1
    documents = pq.read_table(out / "documents").to_pydict()
    assert sorted(documents["path"]) == sorted([str(p) for p in docs] + [str(folder / "plain.txt")])
    assert set(documents["status"]) == {"read"} and set(documents["tasks"]) == {len(sample.tasks)}


def test_without_libreoffice_or_converting_the_doc_files_are_recorded_errors(
        doc_folder: tuple[Path, list[Path], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, docs, odt = doc_folder
    fake, log = _fake_soffice(tmp_path, odt)
    got = dict(zwgk.load_many(docs, jobs=1, convert=False, soffice=str(fake)))
    assert not log.exists()
    assert all(isinstance(e, zwgk.ZwgkError) and "convert=False" in str(e) and str(p) in str(e)
               for p, e in got.items()) and len(got) == len(docs)
    monkeypatch.delenv("ZWGK_SOFFICE", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))  # no soffice at all
    got = dict(zwgk.load_many(docs, jobs=1))
    assert len(got) == len(docs)
    assert all(isinstance(e, zwgk.ZwgkError) and "libreoffice-writer" in str(e) for e in got.values())
    monkeypatch.setenv("ZWGK_SOFFICE", str(fake))
    out = tmp_path / "out"
    assert main(["batch", str(folder), "-o", str(out), "-j", "1", "--no-convert"]) == 1
    documents = pq.read_table(out / "documents").to_pydict()
    assert Counter(documents["status"]) == Counter({"failed": 5, "read": 1}) and not log.exists()


@pytest.mark.slow
@pytest.mark.skipif(not (os.environ.get("ZWGK_SOFFICE") or __import__("shutil").which("soffice")),
                    reason="LibreOffice is not installed")
def test_two_real_doc_files_in_one_batch(tmp_path: Path, sample: Plan) -> None:
    import shutil

    soffice = shutil.which("soffice")
    assert soffice is not None
    src = tmp_path / "sample.docx"
    zwgk.export(sample, "docx", src)
    run = [soffice, "--headless", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}"]
    subprocess.run([*run, "--convert-to", "odt", "--outdir", str(tmp_path), str(src)], check=True,
                   capture_output=True, timeout=180)
    folder = tmp_path / "docs"
    # .docx straight to .doc once lost a table in LibreOffice 7.4; through .odt it keeps it
    subprocess.run([*run, "--convert-to", "doc:MS Word 97", "--outdir", str(folder), str(tmp_path / "sample.odt")],
                   check=True, capture_output=True, timeout=180)
    shutil.copyfile(folder / "sample.doc", folder / "copy.doc")
    got = dict(zwgk.load_many(sorted(folder.iterdir()), jobs=2))
    assert len(got) == 2
    for path, plan in got.items():
        assert isinstance(plan, Plan), plan
        assert plan.tasks == sample.tasks and plan.source == path


_TEXTS = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=12)
_VALUES = {
    "string": st.none() | _TEXTS,
    "int32": st.none() | st.integers(-(2**31), 2**31 - 1),
    "bool": st.none() | st.booleans(),
    "list<string>": st.none() | st.lists(_TEXTS, max_size=4),
}


@pytest.mark.parametrize("kind", list(_VALUES))
@given(data=st.data())
@settings(max_examples=60, deadline=None)
def test_packed_columns_are_the_arrays_pyarrow_builds(kind: str, data: st.DataObject) -> None:
    """A column packed as Arrow buffers (in a worker, without pyarrow) is the array ``pyarrow.array``
    builds from the same values: same type, values, nulls; and it passes Arrow's full validation."""
    import pyarrow as pa

    from zwgk.corpus._arrow import TYPES, column_array
    from zwgk.corpus._rows import pack_column

    values = data.draw(st.lists(_VALUES[kind], max_size=40))
    got = column_array(pack_column(values, kind), kind)
    expected = pa.array(values, TYPES[kind])
    assert got.equals(expected) and got.null_count == expected.null_count
    assert got.to_pylist() == values


@given(values=st.lists(st.none() | st.text(alphabet=st.characters(max_codepoint=127), max_size=12), max_size=40),
       other=st.sampled_from(["", "泰安市", "\x80", "\u3000"]))
@settings(max_examples=60, deadline=None)
def test_packed_string_columns_in_ascii_and_otherwise_are_the_arrays_pyarrow_builds(
        values: list[str | None], other: str) -> None:
    """ASCII columns (ids, codes, roles) are packed by a path of their own, one character a byte; a
    single character beyond ASCII anywhere in the column takes the column down the other path. Both
    give the array ``pyarrow.array`` builds, nulls and empty strings told apart."""
    import pyarrow as pa

    from zwgk.corpus._arrow import column_array
    from zwgk.corpus._rows import pack_column

    for column in (values, [*values, other], [other, *values]):
        got = column_array(pack_column(column, "string"), "string")
        expected = pa.array(column, pa.string())
        assert got.equals(expected) and got.null_count == expected.null_count
        assert got.to_pylist() == column


def test_packed_rows_of_a_document_are_its_rows(sample_path: Path) -> None:
    from zwgk.corpus._arrow import record_batches
    from zwgk.corpus._rows import pack

    rows = read_document(FileJob(str(sample_path), str(sample_path), "doc"))
    packed = pack(rows)
    assert [d.doc_id for d in packed.documents] == ["doc"]
    assert packed.count("tasks") == len(rows.tables["tasks"]["doc_id"])
    batches = record_batches(packed)
    assert set(batches) == {t for t, cols in rows.tables.items() if cols["doc_id"]}
    for table, batch in batches.items():
        assert batch.to_pydict() == rows.tables[table]


def test_files_read_together_are_written_as_each_ones_rows_leaving_out_those_not_handed_over(
        corpus: tuple[Path, list[Path], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker's files packed and sealed as one payload (one Arrow column per table for all of
    them): the dataset holds each handed-over file's rows, as plain rows, and none of the others."""
    import pickle

    from zwgk.corpus._rows import PackedRows, SealedRows, seal_together

    _, paths, _ = corpus
    monkeypatch.setattr(dataset_module, "CHUNK_DOCUMENTS", 3)  # chunks end inside a payload
    docs = [read_document(FileJob(str(p), str(p), f"doc-{i}")) for i, p in enumerate(paths[:7])]
    sealed = [s for s in seal_together(list(docs)) if isinstance(s, SealedRows)]
    assert len(sealed) == len(docs) and [s.part for s in sealed] == list(range(len(docs)))
    assert len({id(s.payload) for s in sealed}) == 1  # one payload, pickled once
    packed: PackedRows = pickle.loads(sealed[0].payload)
    assert [d.doc_id for d in packed.documents] == [d.doc_id for d in docs]
    kept = [0, 2, 3, 6]
    dataset = Dataset(tmp_path / "out")
    writer = dataset.writer()
    writer.add(packed, kept)
    writer.close()
    assert writer.chunks == 2
    for table in TABLES:
        got = sorted(map(repr, (tuple(r.values()) for r in dataset.read(table).to_pylist())))
        expected = sorted(repr((*values, docs[i].region, docs[i].year)) for i in kept
                          for values in zip(*docs[i].tables[table].values(), strict=True))
        assert got == expected, table


@pytest.mark.parametrize("concat_batches", [True, False])
def test_a_partitions_rows_are_written_as_one_array_per_column(
        sample_path: Path, concat_batches: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """The slices of a partition's documents become one array per column, with pyarrow's
    ``concat_batches`` (pyarrow 19 and later) and without it, the rows unchanged and in order."""
    import pyarrow as pa

    from zwgk.corpus._arrow import SCHEMAS, record_batches
    from zwgk.corpus._dataset import _one_chunk
    from zwgk.corpus._rows import pack

    if not concat_batches:
        monkeypatch.delattr(pa, "concat_batches", raising=False)
    elif not hasattr(pa, "concat_batches"):
        pytest.skip("this pyarrow has no concat_batches")
    tasks = record_batches(pack(read_document(FileJob(str(sample_path), str(sample_path), "doc"))))["tasks"]
    slices = [tasks.slice(0, 5), tasks.slice(5, 0), tasks.slice(5, 40), tasks.slice(45)]
    table = _one_chunk(slices, SCHEMAS["tasks"])
    assert table.schema == SCHEMAS["tasks"] and table.num_rows == tasks.num_rows
    assert all(column.num_chunks == 1 for column in table.columns)
    assert table.to_pydict() == tasks.to_pydict()


def test_a_generated_corpus_can_spread_over_many_counties(tmp_path: Path, sample: Plan) -> None:
    """``regions=counties(n)``: every document's region (read back from its title) is one of the
    made-up counties, as the folder it is written in says."""
    from zwgk.corpus.synthetic import counties

    names = counties(40)
    assert len(set(names)) == 40 and all(n.endswith("县") for n in names)
    paths = write_corpus(tmp_path, 6, seed=2, sample=sample, regions=names)
    for path in paths:
        plan = zwgk.load(path)
        assert plan.metadata.region in names and path.parent.parent.name == plan.metadata.region
    with pytest.raises(ValueError, match="between 1 and 380"):
        counties(381)


# -- the dataset's layout --------------------------------------------------------------------------


def _written(corpus: tuple[Path, list[Path], Path], out: Path) -> tuple[Dataset, list[Any]]:
    """The corpus's documents and one failed file, written by a dataset writer into ``out``."""
    from zwgk.corpus._rows import error_rows

    _, paths, _ = corpus
    docs: list[Any] = [read_document(FileJob(str(p), str(p), f"doc-{i}")) for i, p in enumerate(paths)]
    docs.insert(3, error_rows("f" * 64, "unreadable.txt", "unreadable"))  # no region, no year
    dataset = Dataset(out)
    writer = dataset.writer()
    for d in docs:
        writer.add(d)
    writer.close()
    return dataset, docs


def _sorted_rows(dataset: Dataset, table: str) -> list[str]:
    return sorted(map(repr, (tuple(r.values()) for r in dataset.read(table).to_pylist())))


def test_a_dataset_is_partitioned_by_year_with_the_region_a_column_its_rows_are_sorted_by(
        corpus: tuple[Path, list[Path], Path], tmp_path: Path) -> None:
    import json

    import pyarrow.dataset as pads

    from zwgk.corpus._arrow import SCHEMAS

    dataset, docs = _written(corpus, tmp_path / "out")
    marker = json.loads((tmp_path / "out" / "_zwgk" / "dataset.json").read_text(encoding="utf-8"))
    assert (marker["format"], marker["partitioning"]) == ("zwgk.dataset/3", ["year"])
    assert dataset.partitioning == ("year",) and dataset.stored == ("region",)
    regions = {d.region for d in docs}
    assert len(regions) > 3 and None in regions
    for table in TABLES:
        parts = list(dataset.parts(table))
        years = {d.year for d in docs if d.tables[table]["doc_id"]}
        assert sorted(p.parent.name for p in parts) == sorted(
            "year=__HIVE_DEFAULT_PARTITION__" if y is None else f"year={y}" for y in years), table  # one chunk
        for part in parts:
            data = pq.read_table(part)
            assert data.schema.names == [*SCHEMAS[table].names, "region"]
            column = data.column("region").to_pylist()
            assert column == sorted(column, key=lambda r: (r is None, r or "")), (table, part)  # unknown last
        # hive-style: the year from the directories, the region from the files
        read = pads.dataset(tmp_path / "out" / table, format="parquet", partitioning="hive").to_table()
        expected = Counter((d.region, d.year) for d in docs for _ in d.tables[table]["doc_id"])
        assert Counter(zip(read.column("region").to_pylist(), read.column("year").to_pylist(),
                           strict=True)) == expected, table
        assert dataset.read(table).schema.names[-2:] == ["region", "year"]


def test_a_dataset_of_the_earlier_format_is_extended_in_its_own_layout(
        corpus: tuple[Path, list[Path], Path], tmp_path: Path) -> None:
    """A ``zwgk.dataset/2`` folder (partitioned by region and year) gets its new part files in the same
    layout, with the same rows as a new dataset's."""
    import json

    from zwgk.corpus._arrow import SCHEMAS

    old = tmp_path / "old"
    (old / "_zwgk").mkdir(parents=True)
    (old / "_zwgk" / "dataset.json").write_text(json.dumps(
        {"format": "zwgk.dataset/2", "tables": list(TABLES), "partitioning": ["region", "year"], "hive": True}))
    dataset, _ = _written(corpus, old)
    assert dataset.partitioning == ("region", "year") and dataset.stored == ()
    new, _ = _written(corpus, tmp_path / "new")
    for table in TABLES:
        parts = list(dataset.parts(table))
        assert parts and all(p.parent.parent.name.startswith("region=") and p.parent.name.startswith("year=")
                             for p in parts), table
        assert all(pq.read_schema(p).names == SCHEMAS[table].names for p in parts), table
        assert _sorted_rows(dataset, table) == _sorted_rows(new, table), table


@pytest.mark.parametrize("marker", [
    {"format": "zwgk.dataset/3", "partitioning": ["year", "region"]},
    {"format": "zwgk.dataset/3", "partitioning": "year"},
    {"format": "zwgk.dataset/3"},
    {"format": "zwgk.dataset/1"},
    {"format": ["zwgk.dataset/3"]},
])
def test_a_marker_this_zwgk_cannot_extend_is_refused(tmp_path: Path, marker: dict[str, object]) -> None:
    import json

    (tmp_path / "_zwgk").mkdir()
    (tmp_path / "_zwgk" / "dataset.json").write_text(json.dumps(marker))
    with pytest.raises(zwgk.ZwgkError, match=f"output {tmp_path}"):
        Dataset(tmp_path)
