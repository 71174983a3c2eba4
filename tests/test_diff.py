"""Comparing two plans."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest
from hypothesis import given

import zwgk
from tests.strategies import plans
from zwgk.cli import main
from zwgk.model import Plan, Role


def edited(sample: Plan) -> Plan:
    reg = zwgk.unit_registry()
    tasks = list(sample.tasks)
    tasks[10] = attrs.evolve(tasks[10], leads=(reg.ref("市财政局"),))
    tasks[20] = attrs.evolve(tasks[20], text=tasks[20].text.replace("公开", "主动公开", 1))
    tasks[30] = attrs.evolve(tasks[30], path=("强化组织保障和基础工作", "加强组织领导"))
    new_task = attrs.evolve(tasks[0], id="tnew", text="建立政务公开工作年度报告制度，按时发布年度报告。",
                            leads=(reg.ref("市政府办公室"),))
    del tasks[3]
    tasks.insert(50, new_task)
    return attrs.evolve(sample, tasks=tuple(tasks))


def test_identical_plans(sample: Plan) -> None:
    d = zwgk.diff(sample, sample)
    assert d.counts() == {"added": 0, "removed": 0, "changed": 0, "unchanged": 143}


def test_edits_are_found(sample: Plan) -> None:
    new = edited(sample)
    d = zwgk.diff(sample, new)
    assert d.counts() == {"added": 1, "removed": 1, "changed": 3, "unchanged": 139}
    assert [c.old for c in d.removed] == [sample.tasks[3]]
    assert [c.new.text for c in d.added if c.new] == ["建立政务公开工作年度报告制度，按时发布年度报告。"]
    by_old = {c.old.id: c for c in d.changed if c.old}
    lead = by_old[sample.tasks[10].id]
    assert lead.fields == ("lead",)
    assert lead.units_gained(Role.LEAD) == ("市财政局",)
    assert lead.units_lost(Role.LEAD) == tuple(u.name for u in sample.tasks[10].leads)
    text = by_old[sample.tasks[20].id]
    assert text.fields == ("text",) and 0.6 <= text.similarity < 1.0
    assert by_old[sample.tasks[30].id].fields == ("path",)
    # The removed task is reported where it stood.
    kinds = [c.kind.value for c in d.changes]
    assert kinds.index("removed") == 3
    assert d.lead_changes()["市财政局"] == (1, 0)


def test_rewritten_text_is_removed_and_added(sample: Plan) -> None:
    tasks = list(sample.tasks)
    tasks[5] = attrs.evolve(tasks[5], text="完全不同的一项新任务。")
    d = zwgk.diff(sample, attrs.evolve(sample, tasks=tuple(tasks)))
    assert len(d.added) == 1 and len(d.removed) == 1 and not d.changed


@given(plans())
def test_a_plan_against_itself_is_unchanged(plan: Plan) -> None:
    d = zwgk.diff(plan, plan)
    assert len(d.unchanged) == len(plan.tasks) and not d.added and not d.removed


def test_cli_diff(tmp_path: Path, sample: Plan, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    zwgk.export(sample, "json", old)
    zwgk.export(edited(sample), "json", new)
    assert main(["diff", str(old), str(new)]) == 1  # the tables differ
    out = capsys.readouterr().out
    assert "added 1, removed 1, changed 3, unchanged 139" in out
    assert "+ 市财政局" in out
    assert main(["diff", str(old), str(new), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["counts"]["changed"] == 3
    assert {c["kind"] for c in data["changes"]} == {"added", "removed", "changed"}
