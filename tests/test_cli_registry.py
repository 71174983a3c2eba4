"""`zwgk validate --registry`: a region's own registry file, made with `zwgk units -f toml`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zwgk.cli import main

PROVINCE = (
    "附件\n2021年山东省政务公开工作任务分解表\n"
    "\t工作任务\n\t牵头单位\n\t责任单位\n\n"
    "\t公开重大决策草案。\n\t省发展改革委\n\t省财政厅\n\n"
    "\t做好政策解读。\n\t省大数据局\n\t省财政厅\n\n"
)


def _codes(capsys: pytest.CaptureFixture[str], *argv: str) -> list[str]:
    capsys.readouterr()
    main(["validate", *argv, "-f", "json", "--fail-on", "info", "--exit-zero"])
    reports = json.loads(capsys.readouterr().out)
    return [f["code"] for r in reports for f in r.get("findings", [])]  # no findings: no key


def test_a_region_without_a_registry_gets_one_finding_then_its_own_registry_checks_names(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "sd.txt"
    table.write_text(PROVINCE, encoding="utf-8")
    codes = _codes(capsys, str(table))
    assert codes.count("ZW203") == 1 and "ZW201" not in codes

    registry = tmp_path / "shandong.toml"
    assert main(["units", str(table), "-f", "toml", "-o", str(registry)]) == 0
    assert "山东省" in registry.read_text(encoding="utf-8")
    codes = _codes(capsys, str(table), "--registry", str(registry))
    assert "ZW203" not in codes and "ZW201" not in codes

    typo = tmp_path / "sd-typo.txt"
    typo.write_text(PROVINCE.replace("省大数据局", "省大数椐局"), encoding="utf-8")
    codes = _codes(capsys, str(typo), "--registry", str(registry))
    assert "ZW203" not in codes and codes.count("ZW201") == 1


def test_the_sample_checked_against_its_own_registry_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    registry = tmp_path / "taian.toml"
    assert main(["units", "--sample", "-f", "toml", "-o", str(registry)]) == 0
    assert "ZW201" not in _codes(capsys, "--sample", "--registry", str(registry))


def test_a_missing_registry_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--sample", "--registry", str(tmp_path / "none.toml")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "none.toml" in err[0]
