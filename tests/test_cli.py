"""The ``zwgk`` command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import zwgk
from zwgk.cli import main
from zwgk.model import Plan


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"zwgk {zwgk.__version__}"


def test_parse_sample_json(capsys: pytest.CaptureFixture[str], sample: Plan) -> None:
    assert main(["parse", "--sample"]) == 0
    out = capsys.readouterr().out
    assert zwgk.loads(out) == sample
    assert json.loads(out)["schema"] == "zwgk.plan/1"


def test_parse_file_to_text_output(tmp_path: Path, sample_path: Path, sample: Plan) -> None:
    out = tmp_path / "out.txt"
    assert main(["parse", str(sample_path), "--format", "text", "-o", str(out)]) == 0
    assert zwgk.load(out) == sample


def test_errors_are_one_line_with_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert main(["parse", str(empty)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("zwgk: error: ") and "empty.txt" in err and "empty" in err

    assert main(["parse", str(tmp_path / "missing.txt")]) == 2
    assert "no such file" in capsys.readouterr().err

    assert main(["parse", "--sample", "--format", "nope"]) == 2
    assert "no exporter named 'nope'" in capsys.readouterr().err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert main(["parse"]) == 2
    assert "give a FILE or --sample" in capsys.readouterr().err
    assert main(["no-such-command"]) == 2


def test_module_entry_point_runs(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    proc = subprocess.run([sys.executable, "-m", "zwgk", "parse", str(bad)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [f"zwgk: error: {bad}: this is a binary file, not a text table"]
