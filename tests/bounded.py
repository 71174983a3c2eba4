"""Run ``zwgk.load`` in a child process under CPU and memory limits, and see what it leaves behind.

Tests never time work with a clock (a busy machine makes any wall-clock bound flaky). A promise such as
"a 40 KB input is read within 5 s and 256 MB" is checked here instead: the child imports zwgk and its
plugins, then sets ``RLIMIT_CPU`` (CPU seconds, which a loaded machine does not stretch) and
``RLIMIT_AS`` (address space beyond what the imports took) before it loads the file. A child that goes
over is killed by the kernel (``SIGXCPU``) or gets a ``MemoryError``; either is an :class:`Outcome`
with ``kind`` ``"cpu"`` or ``"memory"``, which a test asserts against.

The child runs in a session of its own with a private temporary directory, so a test also sees whether
the load left a process (a converter, a worker) or a temporary file behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import attrs

ROOT = Path(__file__).resolve().parents[1]

#: The promise for an input of 40 KB or less: CPU seconds and bytes of memory beyond the imports.
CPU_SECONDS = 5
MEMORY_BYTES = 256 * 1024 * 1024
#: How long the parent waits for a child that uses no CPU (blocked on a pipe, say) before it kills it:
#: a guard against a hang of the test run, never a bound the test asserts.
HANG_GUARD_SECONDS = 300

_CHILD = r"""
import json, math, os, resource, sys, time
import zwgk

request = json.loads(sys.argv[1])
zwgk.get_readers(), zwgk.get_exporters()  # plugins imported and registered before the limits
for line in open("/proc/self/status"):
    if line.startswith("VmSize:"):
        base = int(line.split()[1]) * 1024
resource.setrlimit(resource.RLIMIT_AS, (base + request["memory"], base + request["memory"]))
used = time.process_time()
cpu = math.ceil(used + request["cpu"])
resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))

def emit(out):
    sys.stdout.write("\n@@outcome@@" + json.dumps(out, ensure_ascii=False))
    sys.stdout.flush()

try:
    import warnings
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plan = zwgk.load(request["path"], **request["options"])
    out = {"kind": "plan", "tasks": [[list(t.path), t.text, t.serial] for t in plan.tasks],
           "warnings": [str(w.message) for w in caught], "json": zwgk.dumps(plan)}
    for form, exporter in request["exports"]:
        target = os.path.join(request["scratch"], "export." + exporter)
        try:
            zwgk.export(plan, exporter, target, **({"form": form} if form else {}))
            again = zwgk.load(target)
            out.setdefault("again", []).append([form, exporter, "plan",
                                                [[list(t.path), t.text, t.serial] for t in again.tasks]])
        except zwgk.ZwgkError as e:
            out.setdefault("again", []).append([form, exporter, "error", type(e).__name__ + ": " + str(e)])
except MemoryError:
    out = {"kind": "memory"}
except zwgk.ZwgkError as e:
    out = {"kind": "error", "type": type(e).__name__, "types": [c.__name__ for c in type(e).__mro__],
           "message": str(e)}
except BaseException as e:
    out = {"kind": "crash", "type": type(e).__name__, "message": str(e)}
out["cpu"] = time.process_time() - used
emit(out)
"""


@attrs.frozen
class Outcome:
    """What a bounded load ended as, and what it left behind."""

    kind: str  # "plan", "error" (a ZwgkError), "crash" (another exception), "cpu", "memory", "hang"
    detail: dict[str, Any]
    leftover_processes: list[str]
    leftover_files: list[str]
    stderr: str

    @property
    def tasks(self) -> list[tuple[tuple[str, ...], str, str | None]]:
        """(category path, text, serial) of each task read."""
        return [(tuple(p), t, s) for p, t, s in self.detail.get("tasks", [])]

    @property
    def error_types(self) -> list[str]:
        return list(self.detail.get("types", []))

    def __str__(self) -> str:
        return f"{self.kind}: {json.dumps(self.detail, ensure_ascii=False)[:600]}\n{self.stderr[-1500:]}"


def _session_members(sid: int) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[3]) == sid and fields[0] not in ("Z", "X"):  # field 6 of stat: the session id
            found.append(f"{entry.name} {name}")
    return found


def load_bounded(path: str | os.PathLike[str] | bytes, *, cpu_seconds: float = CPU_SECONDS,
                 memory_bytes: int = MEMORY_BYTES, exports: tuple[tuple[str | None, str], ...] = (),
                 **options: object) -> Outcome:
    """Load ``path`` in a bounded child; ``exports`` are (form, exporter) pairs whose output is loaded again."""
    with tempfile.TemporaryDirectory(prefix="zwgk-bounded-") as work:
        tmp = Path(work, "tmp")
        scratch = Path(work, "scratch")
        tmp.mkdir()
        scratch.mkdir()
        name = os.fsdecode(path) if isinstance(path, bytes) else str(path)
        request = {"path": name, "options": options, "cpu": cpu_seconds, "memory": memory_bytes,
                   "exports": [list(e) for e in exports], "scratch": str(scratch)}
        env = {**os.environ, "TMPDIR": str(tmp), "PYTHONPATH": os.pathsep.join(
            [str(ROOT / "src"), str(ROOT), os.environ.get("PYTHONPATH", "")])}
        proc = subprocess.Popen([sys.executable, "-c", _CHILD, json.dumps(request)], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        try:
            out, err = proc.communicate(timeout=HANG_GUARD_SECONDS)
            hung = False
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
            hung = True
        leftovers = _session_members(proc.pid)
        for member in leftovers:  # do not let a leftover outlive the test run
            with_pid = int(member.split()[0])
            with contextlib.suppress(ProcessLookupError):
                os.kill(with_pid, signal.SIGKILL)
        files = sorted(str(p.relative_to(tmp)) for p in tmp.rglob("*"))
        stderr = err.decode("utf-8", "replace")
        text = out.decode("utf-8", "replace")
        if hung:
            return Outcome("hang", {}, leftovers, files, stderr)
        if "@@outcome@@" in text:
            detail = json.loads(text.rpartition("@@outcome@@")[2])
            return Outcome(detail["kind"], detail, leftovers, files, stderr)
        if proc.returncode == -signal.SIGXCPU or proc.returncode == -signal.SIGKILL:
            return Outcome("cpu", {"returncode": proc.returncode}, leftovers, files, stderr)
        kind = "memory" if "MemoryError" in stderr else "crash"
        return Outcome(kind, {"returncode": proc.returncode}, leftovers, files, stderr)
