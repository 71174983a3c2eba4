"""Conversion of legacy office files through LibreOffice: refusal, timeout, cleanup, batches, round trips."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings

import zwgk
from tests.strategies import examples, realistic_plans
from zwgk.errors import ParseError, UnsupportedFormatError, ZwgkError
from zwgk.model import Plan
from zwgk.readers import convert
from zwgk.readers.convert import CALC, WRITER, ConversionError, convert_many, find_soffice, kind_of
from zwgk.testing import assert_same_tasks

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_lo = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary directory that holds everything tempfile makes during the test."""
    tmp = tmp_path / "systmp"
    tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    return tmp


def _script(path: Path, body: str) -> Path:
    path.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def _rtf(path: Path) -> Path:
    path.write_bytes(b"{\\rtf1\\ansi\\deff0 {\\fonttbl}}")
    return path


def test_kind_by_content(tmp_path: Path) -> None:
    rtf = _rtf(tmp_path / "a.txt")
    assert kind_of(rtf, rtf.read_bytes()) is WRITER
    doc = tmp_path / "x.bin"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "Workbook".encode("utf-16-le"))
    assert kind_of(doc, doc.read_bytes()[:8192]) is CALC
    enc = tmp_path / "e.xlsx"
    enc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le"))
    assert kind_of(enc, enc.read_bytes()) is None  # refused, never converted
    html = tmp_path / "h.doc"
    html.write_text("<html><table><tr><td>x</td></tr></table></html>", encoding="utf-8")
    assert kind_of(html, html.read_bytes()) is None


def test_without_libreoffice_the_refusal_names_the_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ZWGK_SOFFICE", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice anywhere
    path = _rtf(tmp_path / "plan.rtf")
    with pytest.raises(UnsupportedFormatError, match="libreoffice-writer") as e:
        zwgk.load(path, format="doc")
    assert "RTF" in str(e.value) and "--convert-to docx" in str(e.value)


def test_convert_false_refuses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = _script(tmp_path / "soffice", f"touch {tmp_path}/was-run; exit 1")
    path = _rtf(tmp_path / "plan.rtf")
    with pytest.raises(UnsupportedFormatError, match="convert=False"):
        zwgk.load(path, format="doc", convert=False, soffice=str(fake))
    assert not (tmp_path / "was-run").exists()


def test_a_named_soffice_that_does_not_exist_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZWGK_SOFFICE", str(tmp_path / "nowhere"))
    with pytest.raises(ZwgkError, match="ZWGK_SOFFICE"):
        find_soffice()
    with pytest.raises(ZwgkError, match="soffice option"):
        zwgk.load(_rtf(tmp_path / "p.rtf"), format="doc", soffice=str(tmp_path / "nope"))


def _gone(pid: int, patience: float = 60.0) -> bool:
    """Wait until process ``pid`` is dead (gone, or a zombie not yet reaped); False if it still runs after
    ``patience`` seconds (a guard against a hang, not a speed bound)."""
    stat_file = Path(f"/proc/{pid}/stat")
    for _ in range(int(patience / 0.05)):
        try:
            if stat_file.read_text().split(")")[-1].split()[0] in ("Z", "X"):
                return True
        except (FileNotFoundError, ProcessLookupError):
            return True
        time.sleep(0.05)
    return False


def test_a_hang_is_killed_at_the_timeout(tmp_path: Path, private_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pidfile = tmp_path / "pid"
    # the child sleep must die with the group, not only the shell
    fake = _script(tmp_path / "soffice", f"sleep 60 & echo $! > {pidfile}; wait")
    monkeypatch.setenv("ZWGK_SOFFICE", str(fake))
    path = _rtf(tmp_path / "plan.rtf")
    with pytest.raises(ConversionError, match="within 1 s") as e:
        zwgk.load(path, format="doc", convert_timeout=1)
    assert str(path) in str(e.value)
    child = int(pidfile.read_text())
    assert _gone(child)  # killed with the group (at most a zombie not yet reaped by its new parent)
    assert list(private_tmp.iterdir()) == []


def test_a_failed_conversion_names_the_file_and_what_libreoffice_said(
        tmp_path: Path, private_tmp: Path) -> None:
    fake = _script(tmp_path / "soffice", "echo 'Error: source file could not be loaded' >&2; exit 0")
    path = _rtf(tmp_path / "plan.rtf")
    with pytest.raises(ConversionError, match="source file could not be loaded") as e:
        zwgk.load(path, format="doc", soffice=str(fake))
    assert str(path) in str(e.value)
    assert list(private_tmp.iterdir()) == []


def test_damaged_ole_header_is_refused_without_starting_libreoffice(tmp_path: Path) -> None:
    fake = _script(tmp_path / "soffice", f"touch {tmp_path}/was-run")
    path = tmp_path / "plan.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "WordDocument".encode("utf-16-le"))
    with pytest.raises(UnsupportedFormatError, match="OLE header is damaged"):
        zwgk.load(path, soffice=str(fake))
    assert not (tmp_path / "was-run").exists()


def test_options_are_checked(tmp_path: Path) -> None:
    path = _rtf(tmp_path / "p.rtf")
    with pytest.raises(ZwgkError, match="convert_timeout"):
        zwgk.load(path, format="doc", convert_timeout=0)
    with pytest.raises(ZwgkError, match="convert must be"):
        zwgk.load(path, format="doc", convert="no")


def test_cli_no_convert(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from zwgk.cli import main

    path = tmp_path / "plan.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\xfe\xff" + b"\0" * 600)
    assert main(["parse", str(path), "--no-convert"]) == 2
    assert "convert=False" in capsys.readouterr().err


# --- with LibreOffice -----------------------------------------------------------------------------


def _lo(src: Path, to: str, outdir: Path, profile: Path, infilter: str | None = None) -> Path:
    assert SOFFICE is not None
    cmd = [SOFFICE, "--headless", f"-env:UserInstallation={profile.as_uri()}"]
    if infilter:
        cmd.append(f"--infilter={infilter}")
    subprocess.run([*cmd, "--convert-to", to, "--outdir", str(outdir), str(src)],
                   check=True, capture_output=True, timeout=180)
    out = outdir / f"{src.stem}.{to.split(':')[0]}"
    assert out.is_file()
    return out


@pytest.fixture(scope="session")
def sample_files(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """The sample as .docx, .odt, .doc and .rtf, made once per session by LibreOffice."""
    if SOFFICE is None:
        pytest.skip("LibreOffice is not installed")
    base = tmp_path_factory.mktemp("lo-sample")
    profile = base / "profile"
    src = base / "sample.docx"
    zwgk.export(zwgk.load_sample(), "docx", src)
    odt = _lo(src, "odt", base / "odt", profile)
    # LibreOffice 7.4 loses the table writing this .docx straight to .doc; through .odt it keeps it
    doc = _lo(odt, "doc:MS Word 97", base / "doc", profile)
    rtf = _lo(src, "rtf", base / "rtf", profile)
    yield {"docx": src, "odt": odt, "doc": doc, "rtf": rtf}




@pytest.mark.slow
@pytest.mark.parametrize("kind", ["odt", "doc", "rtf"])
def test_the_sample_reads_back(sample_files: dict[str, Path], kind: str, private_tmp: Path) -> None:
    sample = zwgk.load_sample()
    path = sample_files[kind]
    plan = zwgk.load(path, format="doc" if kind == "rtf" else None)
    assert_same_tasks(plan, sample)
    assert plan == sample
    assert all(t.position is None or t.position.file == str(path) for t in plan.tasks if hasattr(t, "position"))
    assert list(private_tmp.iterdir()) == []  # no profile, input link or output left behind


@pytest.mark.slow
def test_errors_in_the_converted_file_name_the_original(tmp_path: Path, sample_files: dict[str, Path]) -> None:
    with pytest.raises(ZwgkError) as e:  # RTF: a .doc is read natively, not converted
        zwgk.load(sample_files["rtf"], table=2)
    assert str(sample_files["rtf"]) in str(e.value) and "LibreOffice converted" in str(e.value)
    assert ".odt" in str(e.value)
    with pytest.raises(ZwgkError) as e:
        zwgk.load(sample_files["doc"], table=2)
    assert str(sample_files["doc"]) in str(e.value) and "LibreOffice" not in str(e.value)


@pytest.mark.slow
def test_a_batch_in_one_call(tmp_path: Path, sample_files: dict[str, Path]) -> None:
    other = tmp_path / "other"
    other.mkdir()
    twin = other / "sample.doc"  # same stem as the .doc: outputs must not overwrite each other
    shutil.copyfile(sample_files["doc"], twin)
    junk = tmp_path / "junk.doc"
    junk.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\xfe\xff\x09\x00" + b"\0" * 600)
    results = convert_many([sample_files["doc"], sample_files["rtf"], twin, junk], tmp_path / "out")
    assert [r.source for r in results] == [sample_files["doc"], sample_files["rtf"], twin, junk]
    converted = [r.converted for r in results[:3]]
    assert all(c is not None and c.stat().st_size > 0 for c in converted)
    assert len({c for c in converted}) == 3
    assert results[3].converted is None and isinstance(results[3].error, ConversionError)
    assert str(junk) in str(results[3].error)
    sample = zwgk.load_sample()
    for c in converted:
        assert c is not None
        assert_same_tasks(zwgk.load(c), sample)


_TWO = """
import sys, zwgk
plan = zwgk.load(sys.argv[1])
print(len(plan.tasks))
"""


@pytest.mark.slow
def test_two_conversions_at_once_in_two_processes(tmp_path: Path, sample_files: dict[str, Path]) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
           "TMPDIR": str(tmp_path)}
    procs = [subprocess.Popen([sys.executable, "-c", _TWO, str(sample_files[k])], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for k in ("doc", "rtf")]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [o[1][-500:] for o in outs]
    assert [o[0].strip() for o in outs] == ["143", "143"]
    assert [p.name for p in tmp_path.iterdir()] == []


def test_module_constants_are_named() -> None:
    assert convert.CONVERT_TIMEOUT > 0 and convert.SOFFICE_ENV == "ZWGK_SOFFICE"


def key(plan: Plan) -> list[tuple[object, ...]]:
    """What a trip through LibreOffice must keep: categories, task text, the units of each role."""
    return [(t.path, t.text, tuple(u.name for u in t.leads), tuple(u.name for u in t.responsible),
             tuple(u.name for u in t.cooperating)) for t in plan.tasks]


@pytest.mark.slow
@needs_lo
@settings(max_examples=examples(6), deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])  # no shrinking: each example is a LibreOffice run
@given(plan=realistic_plans(max_tasks=8))
def test_generated_plans_read_back_through_libreoffice_as_odt(plan: Plan) -> None:
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "plan.docx"
        zwgk.export(plan, "docx", src)
        (done,) = convert_many([src], Path(d) / "out", target=WRITER)
        assert done.converted is not None, done.error
        back = zwgk.load(done.converted)
    assert key(back) == key(plan)
    assert back.title == plan.title



def test_an_rtf_announcing_more_binary_data_than_it_holds_is_refused_before_libreoffice(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started = tmp_path / "started"
    monkeypatch.setenv("ZWGK_SOFFICE", str(_script(tmp_path / "soffice", f"touch {started}; sleep 60")))
    path = tmp_path / "bin.rtf"
    path.write_bytes(b"{\\rtf1\\bin2147483647 x}")  # LibreOffice waits for 2 GiB that never come
    with pytest.raises(ParseError, match=r"\\bin control word .* 2,147,483,647 bytes") as e:
        zwgk.load(path, convert_timeout=5)
    assert str(path) in str(e.value)
    assert not started.exists()  # refused from the file itself: no LibreOffice was started
    path.write_bytes(b"{\\rtf1{\\*\\blip\\bin4 \\bin9}}")  # binary data that merely looks like a control word
    assert convert.rtf_overrun(path, path.read_bytes()) is None


def test_an_rtf_bin_overrun_never_reaches_libreoffice_in_a_batch(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The batch conversion window (load_many, zwgk batch) and convert_many check each file as
    zwgk.load does: the damaged RTF ends as its own error, the good one is still converted."""
    log = tmp_path / "soffice.log"
    # a stand-in LibreOffice: logs its inputs and "converts" each into an empty-named .odt it cannot make
    monkeypatch.setenv("ZWGK_SOFFICE", str(_script(tmp_path / "soffice", f'echo "$@" >> {log}')))
    bad = tmp_path / "in" / "bad.rtf"
    bad.parent.mkdir()
    bad.write_bytes(b"{\\rtf1\\bin2147483647 x}")
    good = _rtf(tmp_path / "in" / "good.rtf")
    results = convert_many([bad, good], tmp_path / "out", timeout=30)
    assert results[0].source == bad and results[0].converted is None
    assert results[0].error is not None and "\\bin control word" in str(results[0].error)
    assert str(bad) in str(results[0].error)
    assert results[1].error is not None and "\\bin" not in str(results[1].error)  # sent, not converted
    assert log.read_text().count(".rtf") == 1  # only the good file went to LibreOffice
    log.unlink()
    (found,) = [r for p, r in zwgk.load_many([bad], jobs=1) if p == str(bad)]
    assert isinstance(found, ParseError) and "\\bin control word" in str(found) and str(bad) in str(found)
    assert not log.exists()  # the window held only the damaged file: LibreOffice never started
