"""Units across years: lineage limited to the years compared, alias suggestions, several plans at once."""

from __future__ import annotations

import warnings
from pathlib import Path

import attrs
import pytest

import zwgk
from zwgk._aliases import MIN_ALIAS_TASKS, apply_aliases, suggest_aliases
from zwgk.cli import main
from zwgk.model import Plan, UnitRef
from zwgk.units import load_registry
from zwgk.units.lineage import LineageWarning

pd = pytest.importorskip("pandas")

from zwgk import analysis  # noqa: E402

COLLECTIVE = "各县（市、区）"
RESPELLED = "各县（市、区）政府"


def _year(plan: Plan, year: int | None) -> Plan:
    return attrs.evolve(plan, metadata=attrs.evolve(plan.metadata, year=year), title=None)


def _rename(plan: Plan, old: str, new: str, every: int = 1) -> Plan:
    """``plan`` with the unit ``old`` written ``new`` in every ``every``-th task naming it."""
    seen = 0

    def refs(units: tuple[UnitRef, ...]) -> tuple[UnitRef, ...]:
        return tuple(attrs.evolve(u, name=new, as_written=new) if u.name == old else u for u in units)

    tasks = []
    for t in plan.tasks:
        if any(u.name == old for u in t.units()):
            seen += 1
            if seen % every == 0:
                t = attrs.evolve(t, leads=refs(t.leads), responsible=refs(t.responsible),
                                 cooperating=refs(t.cooperating))
        tasks.append(t)
    return attrs.evolve(plan, tasks=tuple(tasks))


def test_lineage_applies_only_the_reforms_up_to_the_new_plans_year(sample: Plan) -> None:
    old = _rename(sample, "市发展改革委", "市物价局", every=3)  # merged into 发展改革委 in 2019
    later = attrs.evolve(sample, tasks=sample.tasks[:-1])
    mapped = analysis.compare(_year(old, 2017), _year(later, 2018), lineage=True)
    assert "市物价局" in set(mapped.units.unit)  # the 2019 merge is not applied to 2017 → 2018
    mapped = analysis.compare(_year(old, 2018), _year(later, 2020), lineage=True)
    assert "市物价局" not in set(mapped.units.unit)
    assert any(m.old == "市物价局" and m.year == 2019 for m in mapped.lineage)


def test_a_missing_year_is_said(sample: Plan) -> None:
    with pytest.warns(LineageWarning, match="plan 2 has no year, so every reform"):
        analysis.compare(_year(sample, 2019), _year(sample, None), lineage=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        analysis.compare(_year(sample, None), _year(sample, 2020), lineage=True)


def test_names_written_two_ways_are_suggested_with_evidence(sample: Plan) -> None:
    later = _rename(sample, COLLECTIVE, RESPELLED)
    found = suggest_aliases(sample, later)
    assert [(s.old, s.new) for s in found] == [(COLLECTIVE, RESPELLED)]
    naming = sum(1 for t in sample.tasks if any(u.name == COLLECTIVE for u in t.units()))
    assert len(found[0].tasks) == naming >= MIN_ALIAS_TASKS and found[0].old_left == 0
    assert RESPELLED in found[0].evidence
    result = analysis.compare(sample, later, aliases="suggest")
    assert list(result.aliases.old) == [COLLECTIVE] and set(result.units.unit) == {COLLECTIVE, RESPELLED}
    applied = analysis.compare(sample, later, aliases="apply")
    assert applied.units.empty and applied.counts()["kept"] == len(sample.tasks)
    assert analysis.compare(sample, later).aliases is None
    renamed = apply_aliases(sample, found)
    ref = next(u for t in renamed.tasks for u in t.units() if u.name == RESPELLED)
    assert ref.as_written == COLLECTIVE and "alias" in (ref.note or "")
    with pytest.raises(zwgk.ZwgkError, match="aliases must be"):
        analysis.compare(sample, later, aliases="yes")


def test_different_units_are_not_suggested(sample: Plan) -> None:
    swapped = _rename(sample, "市财政局", "市教育局")  # different units, written unalike
    assert suggest_aliases(sample, swapped) == ()


def test_cli_prints_suggestions_as_a_registry_file(sample: Plan, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    zwgk.export(sample, "json", old)
    zwgk.export(_rename(sample, COLLECTIVE, RESPELLED), "json", new)
    assert main(["units", "--suggest-aliases", str(old), str(new), "-o", str(tmp_path / "a.toml")]) == 0
    text = (tmp_path / "a.toml").read_text(encoding="utf-8")
    assert f"# {COLLECTIVE} → {RESPELLED}: in " in text
    registry = load_registry(tmp_path / "a.toml")
    unit = registry.get(RESPELLED)
    assert unit is not None and COLLECTIVE in unit.aliases
    assert main(["units", str(old), "--suggest-aliases", str(old), str(new)]) == 2
    assert "give no FILE" in capsys.readouterr().err


def test_compare_many_counts_each_year_against_the_one_before(sample: Plan) -> None:
    a = _year(sample, 2018)
    b = _year(attrs.evolve(sample, tasks=sample.tasks[5:]), 2019)
    c = _year(_rename(attrs.evolve(sample, tasks=sample.tasks[5:-10]), COLLECTIVE, RESPELLED), 2020)
    trend = analysis.compare_many([a, b, c], aliases="apply")
    assert list(trend.tasks.plan) == ["2018", "2019", "2020"]
    assert list(trend.tasks.tasks) == [143, 138, 128]
    assert pd.isna(trend.tasks.removed.iloc[0])
    assert list(trend.tasks.removed.iloc[1:]) == [5, 10]
    assert list(trend.tasks.added.iloc[1:]) == [0, 0]
    for k, comparison in enumerate(trend.comparisons, start=1):
        assert comparison.counts()["kept"] == trend.tasks.kept.iloc[k]
    assert list(trend.units.columns) == ["2018", "2019", "2020"]
    assert COLLECTIVE not in trend.units.index  # the newest spelling throughout
    assert trend.units.loc[RESPELLED].tolist()[0] == analysis.workload(a).set_index("unit").loc[COLLECTIVE, "total"]
    with pytest.raises(zwgk.ZwgkError, match="two or more"):
        analysis.compare_many([a])


def test_plot_titles_and_tab_completion(sample: Plan) -> None:
    pytest.importorskip("matplotlib")
    import matplotlib.pyplot as plt

    untitled = _year(sample, None)
    fig = analysis.plot_workload(untitled)
    assert fig.axes[0].get_title().startswith("承担任务最多")
    fig2 = analysis.plot_compare(_year(sample, 2019), _year(sample, 2020))
    assert fig2.texts[0].get_text().startswith("2019 → 2020：任务的增减")
    fig3 = analysis.plot_trend([_year(sample, 2019), _year(sample, 2020)])
    assert fig3.texts[0].get_text().startswith("2019 → 2020")
    for f in (fig, fig2, fig3):
        plt.close(f)
    assert {"plot_workload", "plot_compare", "plot_trend", "compare_many"} <= set(dir(analysis))
