"""The analysis frames on the sample and on generated plans: counts of tasks, not cells, in table order."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

import zwgk
from tests.strategies import examples, plans
from zwgk.model import Plan, Role

pd = pytest.importorskip("pandas")

from zwgk import analysis  # noqa: E402


def test_workload_puts_the_counties_first_with_135_tasks(sample: Plan) -> None:
    top = analysis.workload(sample).iloc[0]
    assert (top.unit, top.lead, top.responsible, top.total) == ("各县（市、区）", 38, 97, 135)
    assert top.share == pytest.approx(135 / 143)
    by_lead = analysis.workload(sample, sort="lead")
    assert by_lead.iloc[0].unit == "市政府各部门（单位）"


def test_a_unit_in_two_roles_of_one_task_counts_once(sample: Plan) -> None:
    row = analysis.workload(sample).set_index("unit").loc["市政府各部门（单位）"]
    assert (row.lead, row.responsible, row.total) == (55, 8, 62)
    matrix = analysis.category_matrix(sample)
    assert int(matrix.loc["市政府各部门（单位）"].sum()) == 62
    naive = pd.crosstab(analysis.assignments(sample).unit, analysis.assignments(sample).level1)
    assert int(naive.loc["市政府各部门（单位）"].sum()) == 63


def test_long_workload_sums_to_the_triples(sample: Plan) -> None:
    triples = {(a.task.id, a.unit.name, a.role) for a in sample.assignments()}
    long = analysis.workload(sample, long=True)
    assert int(long.tasks.sum()) == len(triples)
    assert list(long.role.cat.categories) == ["lead", "responsible", "cooperating"]


def test_roles_and_kinds(sample: Plan) -> None:
    leads = analysis.workload(sample, roles="lead")
    assert "responsible" not in leads.columns and int(leads.total.sum()) == sum(len(t.leads) for t in sample.tasks)
    kinds = analysis.workload(sample, by="kind").set_index("kind")
    assert kinds.loc["collective", "total"] == sum(
        1 for t in sample.tasks if any(u.kind.value == "collective" for u in t.units()))
    with pytest.raises(zwgk.ZwgkError, match="unknown role"):
        analysis.workload(sample, roles="boss")


def test_expanding_collectives_counts_each_county(sample: Plan) -> None:
    frame = analysis.workload(sample, expand_collectives=True).set_index("unit")
    assert frame.loc["泰山区政府", "total"] == 135
    assert "各县（市、区）" not in frame.index
    assert "市政府有关部门（单位）" in frame.index  # covers only some departments: stays itself


def test_co_assignment_is_symmetric_with_task_counts_on_the_diagonal(sample: Plan) -> None:
    matrix = analysis.co_assignment(sample)
    values = matrix.to_numpy()
    assert (values == values.T).all()
    totals = analysis.workload(sample).set_index("unit").total
    assert {n: int(values[i, i]) for i, n in enumerate(matrix.index)} == totals.to_dict()
    shared = sum(1 for t in sample.tasks if {"各县（市、区）", "市政府各部门（单位）"} <= {u.name for u in t.units()})
    assert matrix.loc["各县（市、区）", "市政府各部门（单位）"] == shared
    pairs = analysis.co_assignment(sample, long=True)
    assert int(pairs.tasks.iloc[0]) == shared and (pairs.tasks > 0).all()


def test_frames_keep_table_order_and_every_level(sample: Plan) -> None:
    frame = analysis.tasks(sample)
    first = [p[0] for p in sample.categories(level=1)]
    assert list(frame.level1.cat.categories) == first and frame.level1.cat.ordered
    three = Plan(None, tuple(t if i else t.__class__(t.id, ("一", "二", "三"), t.text, leads=t.leads)
                             for i, t in enumerate(sample.tasks)))
    a = analysis.assignments(three)
    assert {"level1", "level2", "level3"} <= set(a.columns)
    assert a.level3.iloc[0] == "三"
    assert list(analysis.category_matrix(sample).columns) == first


def test_category_matrix_at_level_two_names_tasks_without_one(sample: Plan) -> None:
    matrix = analysis.category_matrix(sample, level=2)
    assert analysis.NO_CATEGORY in matrix.columns  # one task of the sample sits above the second level
    long = analysis.category_matrix(sample, level=2, long=True)
    assert int(long.tasks.sum()) == int(matrix.to_numpy().sum())


def test_findings_and_changes_frames(sample: Plan) -> None:
    report = zwgk.validate(sample)
    found = analysis.findings(report)
    assert len(found) == len(report.findings)
    assert dict(found.code.value_counts()) == report.by_code
    changes = analysis.changes(zwgk.diff(sample, sample))
    assert changes.empty
    assert len(analysis.changes(zwgk.diff(sample, sample), unchanged=True)) == 143


@settings(max_examples=examples(25), deadline=None)
@given(plans())
def test_invariants_on_generated_plans(plan: Plan) -> None:
    load = analysis.workload(plan)
    expected = plan.workload()
    leads = {u: c[Role.LEAD] for u, c in expected.items() if sum(c.values())}
    assert dict(zip(load.unit, load.lead, strict=True)) == leads
    co = analysis.co_assignment(plan).to_numpy()
    assert (co == co.T).all()
    assert np.diag(co).sum() == int(load.total.sum())
    matrix = analysis.category_matrix(plan)
    assert int(matrix.to_numpy().sum()) == int(load.total.sum())


def test_co_assignment_is_the_same_with_and_without_scipy(sample: Plan, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("scipy")
    with_scipy = analysis.co_assignment(sample)
    monkeypatch.setitem(__import__("sys").modules, "scipy", None)  # import scipy now raises ImportError
    without = analysis.co_assignment(sample)
    assert with_scipy.equals(without)
    assert int(np.trace(without.to_numpy())) == int(analysis.workload(sample)["total"].sum())
