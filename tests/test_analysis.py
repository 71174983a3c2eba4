"""The pandas views and the example notebook."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from zwgk.model import Plan, Role

pd = pytest.importorskip("pandas")

from zwgk import analysis  # noqa: E402

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_tasks_frame(sample: Plan) -> None:
    frame = analysis.tasks(sample)
    assert len(frame) == 143
    assert list(frame.text) == [t.text for t in sample.tasks]
    assert frame.level1.nunique() == 6
    assert int((frame.n_leads == 0).sum()) == sum(1 for t in sample.tasks if not t.leads)


def test_assignments_frame(sample: Plan) -> None:
    frame = analysis.assignments(sample)
    assert len(frame) == sum(len(t.units()) for t in sample.tasks)
    assert set(frame.role) == {"lead", "responsible"}
    written = frame[frame.unit == "市自然资源和规划局"].as_written
    assert "市自然资源和\n规划局" in set(written)


def test_workload_frame_counts_tasks(sample: Plan) -> None:
    frame = analysis.workload(sample).set_index("unit")
    expected = sample.workload()
    for name, counts in expected.items():
        assert frame.loc[name, "lead"] == counts[Role.LEAD]
        assert frame.loc[name, "responsible"] == counts[Role.RESPONSIBLE]
    leads = list(analysis.workload(sample, sort="lead").lead)
    assert leads == sorted(leads, reverse=True)


def test_categories_frame(sample: Plan) -> None:
    frame = analysis.categories(sample)
    top = frame[frame.depth == 1]
    assert len(top) == 6 and int(top.tasks.sum()) == 143


@pytest.mark.slow  # a kernel in another process
def test_notebook_runs() -> None:
    nb = json.loads((EXAMPLES / "analysis.ipynb").read_text(encoding="utf-8"))
    namespace: dict[str, Any] = {}
    cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert cells
    for cell in cells:
        source = "".join(line for line in cell["source"] if not line.startswith("%"))  # IPython magics
        exec(compile(source, "analysis.ipynb", "exec"), namespace)
    assert len(namespace["plan"].tasks) == 143
    assert len(namespace["no_lead"]) == sum(1 for t in namespace["plan"].tasks if not t.leads)


def test_notebooks_are_stripped_and_every_cell_has_an_id() -> None:
    for path in EXAMPLES.glob("*.ipynb"):
        nb = json.loads(path.read_text(encoding="utf-8"))
        ids = [c.get("id") for c in nb["cells"]]
        assert all(ids) and len(set(ids)) == len(ids), path.name
        for c in nb["cells"]:
            if c["cell_type"] == "code":
                assert c["outputs"] == [] and c["execution_count"] is None, (path.name, c["id"])


@pytest.mark.slow  # a kernel in another process
def test_notebooks_execute(tmp_path: Path) -> None:
    """Every notebook in examples/ runs in a fresh kernel (as CI runs it), without an error or a missing glyph."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("matplotlib")
    notebooks = sorted(EXAMPLES.glob("*.ipynb"))
    assert notebooks
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                                resources={"metadata": {"path": str(tmp_path)}}).execute()
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                text = out.get("text", "")
                assert "Glyph" not in text and "missing from font" not in text, (path.name, cell.id, text)
        if path.name == "analysis.ipynb":  # the walk-through draws the four plots
            images = [o for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
            assert len(images) >= 4, path.name
