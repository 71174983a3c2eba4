"""Year over year: compare() finds exactly the edits made to a copy of the sample; lineage maps old names."""

from __future__ import annotations

import attrs
import pytest

import zwgk
from zwgk.model import Plan, UnitRef
from zwgk.units.lineage import Lineage, bundled_lineage

pd = pytest.importorskip("pandas")

from zwgk import analysis  # noqa: E402

NEW_TEXT = "建立政务公开工作年度报告制度，按时发布年度报告。"
RENAMED = "改名后的二级类别"


def edited(sample: Plan) -> tuple[Plan, dict[str, object]]:
    reg = zwgk.unit_registry()
    tasks = list(sample.tasks)
    swapped = tasks[10]
    tasks[10] = attrs.evolve(swapped, leads=(reg.ref("市财政局"),))
    tasks[20] = attrs.evolve(tasks[20], text=tasks[20].text.replace("公开", "主动公开", 1))
    renamed = tasks[40].path
    tasks = [attrs.evolve(t, path=(t.path[0], RENAMED)) if t.path == renamed else t for t in tasks]
    added = attrs.evolve(tasks[0], id="tnew", text=NEW_TEXT, leads=(reg.ref("市政府办公室"),))
    removed = tasks.pop(3)
    tasks.insert(50, added)
    return attrs.evolve(sample, tasks=tuple(tasks)), {"removed": removed, "renamed": renamed, "swapped": swapped}


def test_compare_finds_exactly_the_edits(sample: Plan) -> None:
    new, made = edited(sample)
    result = analysis.compare(sample, new)
    assert result.counts() == {"kept": 141, "reworded": 1, "added": 1, "removed": 1}
    assert list(result.of("removed").old_id) == [made["removed"].id]  # type: ignore[attr-defined]
    assert list(result.of("added").new_text) == [NEW_TEXT]
    reworded = result.of("reworded").iloc[0]
    assert reworded.old_id == sample.tasks[20].id and "主动公开" in reworded.new_text
    assert 0.6 <= reworded.similarity < 1
    changed = result.tasks[result.tasks.changed != ""]
    assert list(zip(changed.old_id, changed.changed, strict=False)) == [(made["swapped"].id, "lead")]  # type: ignore[attr-defined]
    cats = result.categories[result.categories.status != "kept"]
    assert list(cats.status) == ["renamed"]
    assert cats.iloc[0].old_path == " / ".join(made["renamed"]) and cats.iloc[0].new_path.endswith(RENAMED)  # type: ignore[arg-type]


def test_unit_changes_are_what_the_edits_imply(sample: Plan) -> None:
    new, made = edited(sample)
    result = analysis.compare(sample, new)
    cols = ["lead", "responsible", "cooperating", "total"]
    old_load = analysis.workload(sample).set_index("unit")[cols]
    new_load = analysis.workload(new).set_index("unit")[cols]
    both = old_load.index.union(new_load.index)
    old_load, new_load = old_load.reindex(both, fill_value=0), new_load.reindex(both, fill_value=0)
    differs = (old_load != new_load).any(axis=1)
    delta = new_load.total - old_load.total
    units = result.units.set_index("unit")
    assert set(units.index) == set(both[differs])  # every unit whose load changed in any role, no other
    for name, d in delta[delta != 0].items():
        assert units.loc[name, "change"] == d
    lost_lead = [u.name for u in made["swapped"].leads]  # type: ignore[attr-defined]
    for name in lost_lead:
        assert units.loc[name, "new_lead"] < units.loc[name, "old_lead"]
    assert units.loc["市财政局", "new_lead"] == units.loc["市财政局", "old_lead"] + 1
    assert not result.lineage


def _pre_reform(plan: Plan) -> Plan:
    def old(refs: tuple[UnitRef, ...]) -> tuple[UnitRef, ...]:
        return tuple(attrs.evolve(r, name="市卫计委", as_written="市卫计委") if r.name == "市卫生健康委" else r
                     for r in refs)

    tasks = tuple(attrs.evolve(t, leads=old(t.leads), responsible=old(t.responsible)) for t in plan.tasks)
    return attrs.evolve(plan, tasks=tasks, metadata=attrs.evolve(plan.metadata, year=2018))


def test_lineage_maps_pre_reform_names(sample: Plan) -> None:
    old = _pre_reform(sample)
    plain = analysis.compare(old, sample)
    assert set(plain.units.unit) == {"市卫计委", "市卫生健康委"}
    mapped = analysis.compare(old, sample, lineage=True)
    assert mapped.units.empty and mapped.counts()["kept"] == 143
    assert (mapped.tasks.changed == "").all()
    assert [str(m) for m in mapped.lineage] == ["市卫计委 → 市卫生健康委 (2018 rename)"]
    frame = analysis.workload([old, sample], lineage=True)
    assert list(frame.plan.cat.categories) == ["2018", "2020"]
    assert frame.attrs["lineage"] == ["市卫计委 → 市卫生健康委 (2018 rename)"]
    assert "市卫计委" not in set(frame.unit)


def test_bundled_lineage_knows_the_2018_reform() -> None:
    lineage = bundled_lineage()
    cases = {
        "市卫计委": "市卫生健康委", "县卫生和计划生育委员会": "县卫生健康委", "泰安市工商局": "泰安市市场监管局",
        "市质监局": "市市场监管局", "市食药监局": "市市场监管局", "市国土资源局": "市自然资源局",
        "市环保局": "市生态环境局", "市农业局": "市农业农村局", "市旅游局": "市文化和旅游局",
        "市文广新局": "市文化和旅游局", "市安监局": "市应急局", "省环境保护厅": "省生态环境厅",
    }
    for old, new in cases.items():
        s = lineage.successor(old)
        assert s is not None and s.successor == new, old
    assert lineage.successor("市国土资源局", prefer={"市自然资源和规划局"}).successor == "市自然资源和规划局"  # type: ignore[union-attr]
    for unchanged in ("市民政局", "市文化和旅游局", "市市场监管局", "各县（市、区）", "市政府各部门（单位）"):
        assert lineage.successor(unchanged) is None, unchanged
    assert {c.kind for c in lineage.history("市民政局")} == {"transfer"}
    split = lineage.successor("市海洋与渔业局")
    assert split is not None and split.successor is None  # a split without a primary successor
    assert lineage.successor("市扶贫办", until=2020) is None


def test_lineage_data_errors_name_the_entry() -> None:
    bad = '[[changes]]\nyear = 2018\nkind = "rename"\nfrom = ["甲局", "乙局"]\nto = ["丙局"]\n'
    with pytest.raises(zwgk.UnitError, match=r"changes\[0\]: a rename has one name"):
        Lineage.from_toml_string(bad)
    with pytest.raises(zwgk.UnitError, match="kind must be one of"):
        Lineage.from_toml_string('[[changes]]\nyear = 2018\nkind = "moved"\nfrom = ["甲局"]\nto = ["丙局"]\n')
