"""examples/custom_exporter.py is a working plugin."""

from __future__ import annotations

import csv
import importlib.util
import io
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

import zwgk
from zwgk import plugins

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "custom_exporter.py"


@pytest.fixture
def example() -> Iterator[ModuleType]:
    spec = importlib.util.spec_from_file_location("custom_exporter", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    name = plugins.register(module, name="custom_exporter")
    yield module
    plugins.unregister(name)


def test_the_example_exports_every_assignment(example: ModuleType, tmp_path: Path) -> None:
    plan = zwgk.load_sample()
    out = tmp_path / "assignments.csv"
    zwgk.export(plan, "assignments", out)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["task_id", "category", "task", "role", "unit", "as_written"]
    expected = [[a.task.id, a.role.value, a.unit.name] for a in plan.assignments()]
    assert [[r[0], r[3], r[4]] for r in rows[1:]] == expected
    tab = zwgk.export(plan, "assignments", delimiter="\t")
    assert tab is not None and b"\t" in tab.splitlines()[0]


def test_the_example_is_found_by_suffix_and_listed(example: ModuleType) -> None:
    assert zwgk.get_exporters()["assignments"].suffixes == (".csv",)
    assert any(p.name == "custom_exporter" and p.hooks == ("register_exporters",) for p in plugins.plugins())


def test_the_example_is_short() -> None:
    code = [ln for ln in EXAMPLE.read_text(encoding="utf-8").split('"""')[2].splitlines() if ln.strip()]
    assert len(code) <= 20
