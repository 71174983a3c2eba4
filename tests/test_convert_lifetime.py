"""LibreOffice's lifetime and time limits: it dies with the process that started it, and its time
limit grows with the work. A fake ``soffice`` (a shell script with a child in its process group,
as LibreOffice's ``soffice`` has ``soffice.bin``) stands in for it, and the real one in a slow test."""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from zwgk.readers import convert

ROOT = Path(__file__).resolve().parents[1]
HANG_GUARD = 300.0  # seconds: only a hang reaches it


def test_the_time_limit_grows_with_size_and_files(tmp_path: Path) -> None:
    small = tmp_path / "small.doc"
    small.write_bytes(b"x" * 1000)
    big = tmp_path / "big.doc"
    big.write_bytes(b"x" * (3 << 20))  # 3 MiB: two MiB beyond the first
    assert convert.time_limit(120.0, [small]) == 120.0
    assert convert.time_limit(120.0, [big]) == pytest.approx(120.0 + 2 * convert.SECONDS_PER_MIB, rel=1e-3)
    many = [small] * 64
    assert convert.time_limit(120.0, many) == pytest.approx(120.0 + 63 * convert.SECONDS_PER_FILE)
    assert convert.time_limit(5.0, [tmp_path / "missing.doc"]) == 5.0


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_libreoffice_dies_with_the_process_that_started_it(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    fake = tmp_path / "soffice"
    # like soffice and soffice.bin: a script and a long-running child in its process group
    fake.write_text(f"#!/bin/sh\nsleep 1000 &\necho $$ $! > {pids}.tmp && mv {pids}.tmp {pids}\nwait\n",
                    encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    rtf = tmp_path / "plan.rtf"
    rtf.write_bytes(b"{\\rtf1\\ansi\\deff0 {\\fonttbl}}")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    code = f"import zwgk; zwgk.load({str(rtf)!r}, format='doc', soffice={str(fake)!r})"
    caller = subprocess.Popen([sys.executable, "-c", code], env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + HANG_GUARD
    while not pids.exists():  # the conversion is running
        assert caller.poll() is None and time.monotonic() < deadline, "the conversion never started"
        time.sleep(0.05)
    shell, child = map(int, pids.read_text().split())
    assert _alive(shell) and _alive(child)
    caller.kill()  # kill -9: no Python cleanup runs in the caller
    caller.wait(timeout=HANG_GUARD)
    while _alive(shell) or _alive(child):
        assert time.monotonic() < deadline, "LibreOffice outlived the process that started it"
        time.sleep(0.05)


def _children() -> dict[int, list[int]]:
    """Every process's children, from /proc (parent pid → child pids)."""
    out: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            out.setdefault(ppid, []).append(int(entry))
    return out


def _libreoffice_under(root: int) -> dict[int, str]:
    """The LibreOffice processes (``soffice.bin`` and its launcher) descended from ``root``, by name."""
    kids, todo = _children(), [root]
    found: dict[int, str] = {}
    while todo:
        for pid in kids.get(todo.pop(), []):
            todo.append(pid)
            with contextlib.suppress(OSError):
                name = Path(f"/proc/{pid}/comm").read_text().strip()
                if name in ("soffice.bin", "oosplash", "soffice"):
                    found[pid] = name
    return found


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_real_libreoffice_dies_with_a_killed_caller(tmp_path: Path) -> None:
    """``kill -9`` of a process converting an RTF document with the real LibreOffice: its ``soffice.bin``
    does not run on (the guard kills its process group). (A .doc is read natively, without LibreOffice.)"""
    soffice = convert.find_soffice(None)
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    import zwgk

    profile = (tmp_path / "profile").as_uri()
    src = tmp_path / "plan.docx"
    zwgk.export(zwgk.load_sample(), "docx", src)
    for source, to in ((src, "odt"), (tmp_path / "plan.odt", "rtf")):
        subprocess.run([soffice, "--headless", f"-env:UserInstallation={profile}", "--convert-to", to,
                        "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=HANG_GUARD)
    doc = tmp_path / "plan.rtf"
    assert doc.is_file()
    scratch = tmp_path / "tmp"  # the caller's temporary folders: kill -9 leaves them, to be looked at
    scratch.mkdir()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
           "TMPDIR": str(scratch)}
    caller = subprocess.Popen([sys.executable, "-c", f"import zwgk; zwgk.load({str(doc)!r})"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    office: dict[int, str] = {}
    try:
        deadline = time.monotonic() + HANG_GUARD
        while "soffice.bin" not in (office := _libreoffice_under(caller.pid)).values():  # the conversion began
            assert caller.poll() is None, "the caller ended before LibreOffice was seen"
            assert time.monotonic() < deadline, "LibreOffice never started"
            time.sleep(0.02)
        caller.kill()  # kill -9: no Python cleanup runs in the caller
        caller.wait(timeout=HANG_GUARD)
        assert any(_alive(pid) for pid in office), "LibreOffice finished before the caller was killed"
        while any(_alive(pid) for pid in office):
            assert time.monotonic() < deadline, "LibreOffice outlived the process that started it"
            time.sleep(0.05)
        # stopped, not left to finish: it never wrote the converted document
        assert list(scratch.glob("zwgk-lo-*/out")) and not list(scratch.glob("zwgk-lo-*/out/*.odt"))
    finally:
        if caller.poll() is None:
            caller.kill()
            caller.wait()
        for pid in office:  # only what this test's caller started, and only if the check above failed
            if _alive(pid):
                with contextlib.suppress(OSError):
                    os.kill(pid, 9)
