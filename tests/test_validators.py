"""Each built-in validator on a small hand-built plan that triggers it and one that does not,
and the checks that must hold on the bundled sample."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import zwgk
from zwgk._deadline import readable_deadline
from zwgk.errors import Position
from zwgk.model import Metadata, Plan, Role, Task, Unit, UnitKind, UnitRef
from zwgk.units import UnitRegistry
from zwgk.validators import Finding, Report, Severity

COLLECTIVES = UnitRegistry.of([
    Unit("市政府各部门（单位）", UnitKind.COLLECTIVE, ("市政府各部门", "各市直部门"), ("kind:department",)),
    Unit("各县（市、区）", UnitKind.COLLECTIVE, (), ("kind:county-government",)),
    Unit("市政府有关部门（单位）", UnitKind.COLLECTIVE, (), ("some:kind:department",)),
    Unit("市教体工委", UnitKind.COLLECTIVE, (), ("市教育局", "市体育局")),
])


def _kind(name: str) -> UnitKind:
    if name.endswith(("学院", "学校")):
        return UnitKind.SCHOOL
    if name.endswith(("区政府", "县政府")):
        return UnitKind.COUNTY_GOVERNMENT
    if name.endswith(("局", "委", "办", "办公室")):
        return UnitKind.DEPARTMENT
    return UnitKind.OTHER


def ref(name: str, registry: UnitRegistry = COLLECTIVES) -> UnitRef:
    unit = registry.resolve(name)
    if unit is not None:
        return UnitRef(name, unit.name, unit.kind, True)
    return UnitRef(name, name, _kind(name), False)


def refs(cell: str) -> tuple[UnitRef, ...]:
    return tuple(ref(n) for n in cell.split("、") if n)


def task(
    text: str,
    lead: str = "",
    responsible: str = "",
    cooperating: str = "",
    *,
    row: int = 2,
    deadline: str | None = None,
    open_lead: bool = False,
    path: tuple[str, ...] = ("一、推进决策公开",),
    requirement: str | None = None,
) -> Task:
    return Task(
        id=f"t{row}",
        path=path,
        text=text,
        requirement=requirement,
        deadline=deadline,
        leads=refs(lead),
        responsible=refs(responsible),
        cooperating=refs(cooperating),
        open_roles=frozenset({Role.LEAD}) if open_lead else frozenset(),
        source=Position("plan.txt", 1, row, 2, row * 3),
    )


def plan(*tasks: Task, region: str | None = "泰安市") -> Plan:
    return Plan("2020年泰安市政务公开重点工作任务分解表", tasks, Metadata(region, 2020), source="plan.txt")


def check(p: Plan, code: str, registry: UnitRegistry = COLLECTIVES, **kw: object) -> list[Finding]:
    report = zwgk.validate(p, select=[code], registry=registry, **kw)  # type: ignore[arg-type]
    assert report.checked == (code,)
    return list(report.findings)


# ZW101 missing-lead ---------------------------------------------------------------------------


def test_missing_lead_fires_on_a_task_without_lead() -> None:
    p = plan(task("公开预算。", "市财政局", row=2), task("公开决算。", "", "市审计局", row=3))
    [f] = check(p, "ZW101")
    assert (f.code, f.slug, f.severity, f.row, f.task_id) == ("ZW101", "missing-lead", Severity.ERROR, 3, "t3")
    assert f.units == ("市审计局",) and f.path == ("一、推进决策公开",) and f.hint


def test_missing_lead_is_quiet_when_every_task_has_a_lead() -> None:
    p = plan(task("公开预算。", "市财政局", row=2), task("公开决算。", "市审计局", "市财政局", row=3))
    assert check(p, "ZW101") == []


def test_missing_lead_in_a_table_without_lead_column_only_flags_tasks_without_units() -> None:
    p = plan(task("公开预算。", "", "市财政局", row=2), task("公开决算。", row=3))
    [f] = check(p, "ZW101")
    assert f.row == 3 and "no unit" in f.message


# ZW102 role-conflict --------------------------------------------------------------------------


def test_role_conflict_fires_when_the_lead_is_also_responsible() -> None:
    p = plan(task("公开。", "市财政局、市审计局", "市审计局", "市财政局"))
    found = check(p, "ZW102")
    assert [(f.units, f.severity) for f in found] == [
        (("市审计局",), Severity.WARNING),
        (("市财政局",), Severity.WARNING),
    ]
    assert "responsible" in found[0].message and "cooperating" in found[1].message


def test_role_conflict_is_quiet_for_distinct_units() -> None:
    assert check(plan(task("公开。", "市财政局", "市审计局、市政府各部门（单位）")), "ZW102") == []


# ZW103 collective-overlap ---------------------------------------------------------------------


def test_collective_overlap_lead_collective_with_a_department_responsible() -> None:
    p = plan(task("公开。", "市政府各部门（单位）", "市财政局、各县（市、区）"))
    [f] = check(p, "ZW103")
    assert f.severity is Severity.INFO
    assert f.units == ("市政府各部门（单位）", "市财政局")
    assert "市政府各部门（单位）" in f.message


def test_collective_overlap_department_lead_with_the_collective_responsible() -> None:
    p = plan(task("公开。", "市司法局、各县（市、区）", "市政府各部门（单位）"))
    [f] = check(p, "ZW103")
    assert f.units == ("市政府各部门（单位）", "市司法局")


def test_collective_overlap_reads_each_reference_with_its_own_kind() -> None:
    # one name read as two kinds: the collective covers it only where it is a department
    other, department = (UnitRef("市大数据中心", "市大数据中心", kind)
                         for kind in (UnitKind.OTHER, UnitKind.DEPARTMENT))
    lead = (ref("市政府各部门（单位）"),)
    p = plan(Task("t2", (), "公开。", leads=lead, responsible=(other,), source=Position(row=2)),
             Task("t3", (), "公开。", leads=lead, responsible=(department,), source=Position(row=3)))
    [f] = check(p, "ZW103")
    assert (f.row, f.units) == (3, ("市政府各部门（单位）", "市大数据中心"))


def test_collective_overlap_by_name() -> None:
    p = plan(task("公开。", "市教体工委", "市教育局、市财政局"))
    [f] = check(p, "ZW103")
    assert f.units == ("市教体工委", "市教育局")


def test_collective_overlap_is_quiet_for_partial_or_unrelated_collectives() -> None:
    p = plan(
        task("公开。", "市政府有关部门（单位）", "市财政局", row=2),  # covers only some departments
        task("公开。", "市政府各部门（单位）", "各县（市、区）、泰山职业技术学院", row=3),  # not departments
        task("公开。", "市财政局", "各县（市、区）", row=4),
    )
    assert check(p, "ZW103") == []


# ZW104 open-lead-list -------------------------------------------------------------------------


def test_open_lead_list_fires_on_a_trailing_deng() -> None:
    p = plan(
        task("公开。", "市商务局、市文化和旅游局", open_lead=True, row=2),
        task("公开。", "市行政审批服务局等相关部门（单位）", row=3),
    )
    found = check(p, "ZW104")
    assert [f.row for f in found] == [2, 3]
    assert found[0].units == ("市商务局", "市文化和旅游局")
    assert "(市商务局、市文化和旅游局等)" in found[0].message
    assert found[1].units == ("市行政审批服务局等相关部门（单位）",)


def test_open_lead_list_is_quiet_when_the_leads_are_named() -> None:
    p = plan(task("公开。", "市商务局、市文化和旅游局", "市财政局"))
    assert check(p, "ZW104") == []


# ZW201 unknown-unit ---------------------------------------------------------------------------


def test_unknown_unit_against_a_given_registry() -> None:
    registry = UnitRegistry.of([*COLLECTIVES, Unit("市生态环境局", UnitKind.DEPARTMENT)])
    p = plan(
        task("公开。", "市生态环境局", "生态环境局", row=2),
        task("公开。", "市民政局", "市政府各部门", row=3),
        task("公开。", "市民政局", row=4),
    )
    found = check(p, "ZW201", registry)
    assert [(f.units, f.row, f.severity) for f in found] == [
        (("生态环境局",), 2, Severity.INFO),
        (("市民政局",), 3, Severity.INFO),
    ]
    assert "rows 3, 4" in found[1].message
    assert found[0].hint is not None and "市生态环境局" in found[0].hint  # a suggestion from the registry


def test_unknown_unit_is_an_error_when_strict() -> None:
    p = plan(task("公开。", "市民政局"))
    [f] = check(p, "ZW201", UnitRegistry(), strict=True)
    assert f.severity is Severity.ERROR


def test_unknown_unit_is_quiet_when_the_registry_knows_every_name() -> None:
    registry = UnitRegistry.of([*COLLECTIVES, Unit("市民政局", UnitKind.DEPARTMENT, ("民政局",))])
    p = plan(task("公开。", "市民政局", "民政局、市政府各部门（单位）"))
    assert check(p, "ZW201", registry) == []


def test_unknown_unit_without_registry_uses_what_resolved_when_read() -> None:
    resolved = UnitRef("市测试甲局", "市测试甲局", UnitKind.DEPARTMENT, True)
    p = plan(Task("t2", (), "公开。", leads=(resolved, ref("市测试乙局")), source=Position(row=2)))
    report = zwgk.validate(p, select="unknown-unit")
    assert [f.units for f in report.findings] == [("市测试乙局",)]


# ZW202 near-duplicate-unit --------------------------------------------------------------------


def test_near_duplicate_units_fire_at_the_odd_spelling() -> None:
    p = plan(
        task("公开。", "市生态环境局", "泰安护理职业学院", row=2),
        task("公开。", "市生态环境局", "泰安护理职业学院", row=3),
        task("公开。", "生态环境局", "泰山护理职业学院", row=4),
    )
    found = check(p, "ZW202")
    assert sorted(f.units for f in found) == [("泰山护理职业学院", "泰安护理职业学院"), ("生态环境局", "市生态环境局")]
    assert all(f.row == 4 and f.severity is Severity.WARNING for f in found)
    prefix = next(f for f in found if "生态环境局" in f.units)
    assert prefix.hint is not None and "市生态环境局" in prefix.hint


def test_near_duplicate_units_count_the_tasks_of_a_name_written_two_ways_once_each_in_table_order() -> None:
    lead_written = UnitRef("市生态环境局牵头", "市生态环境局", UnitKind.DEPARTMENT)
    p = plan(
        task("公开。", "市生态环境局", row=2),
        Task("t3", (), "公开。", leads=(lead_written,), source=Position(row=3)),
        Task("t4", (), "公开。", leads=(ref("市生态环境局"),), responsible=(lead_written,), source=Position(row=4)),
        task("公开。", "生态环境局", row=5),
    )
    [f] = check(p, "ZW202")
    assert f.units == ("生态环境局", "市生态环境局") and f.row == 5
    assert "生态环境局 (row 5) and 市生态环境局 (rows 2, 3, 4)" in f.message


def test_near_duplicate_units_quiet_for_similar_but_different_units() -> None:
    p = plan(
        task("公开。", "市交通运输局", "市水利局", row=2),
        task("公开。", "市民政局", "市医保局", row=3),
        task("公开。", "泰山职业技术学院", "山东服装职业学院", row=4),
        task("公开。", "市财政局", "市民政局", row=5),
    )
    assert check(p, "ZW202") == []


def test_near_duplicate_units_say_what_the_registry_makes_of_them() -> None:
    registry = UnitRegistry.of([
        Unit("泰安护理职业学院", UnitKind.SCHOOL),
        Unit("泰山护理职业学院", UnitKind.SCHOOL),
        Unit("市生态环境局", UnitKind.DEPARTMENT, ("生态环境局",)),
    ])
    p = plan(
        task("公开。", "泰安护理职业学院", "泰山护理职业学院", row=2),
        task("公开。", "市生态环境局", "", row=3),
        task("公开。", "生态环境局", "", row=4),
    )
    found = {f.units: f for f in check(p, "ZW202", registry)}
    assert "lists them as two units" in found[("泰山护理职业学院", "泰安护理职业学院")].message
    same = found[("生态环境局", "市生态环境局")]
    assert "reads both as 市生态环境局" in same.message and same.hint == "write 市生态环境局 throughout"


def test_near_duplicate_units_ignore_layout_and_a_closing_deng() -> None:
    p = plan(
        task("公开。", "市生态\n环境局", "", row=2),
        task("公开。", "市生态环境局等", "", row=3, open_lead=True),
        task("公开。", "市生态环境局", "", row=4),
    )
    assert check(p, "ZW202") == []


# ZW301 duplicate-task -------------------------------------------------------------------------


def test_duplicate_task_after_whitespace_normalisation() -> None:
    p = plan(
        task("全面公开预算信息。", "市财政局", row=2),
        task("全面公开\n预算 信息。", "市审计局", row=3, path=("二、其他",)),
    )
    [f] = check(p, "ZW301")
    assert f.row == 3 and "row 2" in f.message and "二" not in f.message and "一、推进决策公开" in f.message
    assert f.units == ("市财政局", "市审计局")


def test_duplicate_task_quiet_for_different_texts_or_requirements() -> None:
    p = plan(
        task("全面公开预算信息。", "市财政局", row=2),
        task("全面公开决算信息。", "市财政局", row=3),
        task("做好公开。", "市财政局", row=4, requirement="公开预算"),
        task("做好公开。", "市财政局", row=5, requirement="公开决算"),
    )
    assert check(p, "ZW301") == []


# ZW302 empty-task -----------------------------------------------------------------------------


def test_empty_task_text() -> None:
    p = plan(task("公开。", "市财政局", row=2), task(" \n", "市审计局", row=3))
    [f] = check(p, "ZW302")
    assert (f.row, f.severity, f.units) == (3, Severity.ERROR, ("市审计局",))


def test_empty_task_quiet_when_every_task_has_text() -> None:
    assert check(plan(task("公开。", "市财政局")), "ZW302") == []


# ZW303 unreadable-deadline --------------------------------------------------------------------


def test_unreadable_deadline() -> None:
    p = plan(
        task("公开。", "市财政局", row=2, deadline="2020年6月底前"),
        task("公开。", "市财政局", row=3, deadline="市审计局"),
        task("公开。", "市财政局", row=4, deadline="待定"),
    )
    found = check(p, "ZW303")
    assert [f.row for f in found] == [3, 4]
    assert "市审计局" in found[0].message


def test_readable_deadlines_and_plans_without_deadlines_are_quiet() -> None:
    p = plan(
        task("公开。", "市财政局", row=2, deadline="长期坚持"),
        task("公开。", "市财政局", row=3, deadline="2020-06-30"),
        task("公开。", "市财政局", row=4),
    )
    assert check(p, "ZW303") == []


@pytest.mark.parametrize(
    "text",
    ["2020年6月底前", "6月30日", "2020-06-30", "2020.6", "年底前", "每季度", "每月10日前", "长期坚持", "持续推进",
     "2020年3月—12月", "收到申请后20个工作日内", "2020年上半年", "第一季度", "按要求", "常态化", "每半年一次",
     "2020年9月30日前完成", "及时公开"],
)
def test_deadline_forms_that_read(text: str) -> None:
    assert readable_deadline(text)


@pytest.mark.parametrize("text", ["市司法局", "待定", "推进信息公开", "", "  ", "次", "各县（市、区）"])
def test_deadline_forms_that_do_not_read(text: str) -> None:
    assert not readable_deadline(text)


# The bundled sample ---------------------------------------------------------------------------


@pytest.fixture(scope="module", params=["collectives", "default"])
def checked_sample(request: pytest.FixtureRequest) -> tuple[Plan, Report]:
    """The sample read and checked with a registry of the generic collectives, and with the default one."""
    if request.param == "default":
        p = zwgk.load_sample()
        return p, zwgk.validate(p)
    p = zwgk.load_sample(registry=COLLECTIVES.copy())
    return p, zwgk.validate(p, registry=COLLECTIVES)


def test_sample_missing_lead_fires_once_on_the_commitments_task(checked_sample: tuple[Plan, Report]) -> None:
    p, report = checked_sample
    [f] = [f for f in report.findings if f.code == "ZW101"]
    assert f.row == 30
    assert "承诺事项" in p.task(f.task_id or "").text


def test_sample_role_conflict_on_the_epidemic_task(checked_sample: tuple[Plan, Report]) -> None:
    p, report = checked_sample
    [f] = [f for f in report.findings if f.slug == "role-conflict"]
    assert f.units == ("市政府各部门（单位）",)
    t = p.task(f.task_id or "")
    assert "疫情防控" in t.text and [u.name for u in t.leads] == ["市政府各部门（单位）"]


def test_sample_near_duplicates_are_exactly_the_two_pairs(checked_sample: tuple[Plan, Report]) -> None:
    _, report = checked_sample
    pairs = {frozenset(f.units) for f in report.findings if f.code == "ZW202"}
    assert pairs == {frozenset({"泰安护理职业学院", "泰山护理职业学院"}), frozenset({"生态环境局", "市生态环境局"})}


def test_sample_with_the_default_registry_has_one_error(checked_sample: tuple[Plan, Report]) -> None:
    report = zwgk.validate(zwgk.load_sample())
    assert report.by_severity["error"] == 1 and not report.ok
    assert report.filter(ignore="ZW101").ok


_COVER_NAMES = ("市财政局", "市教育局", "各县区政府", "市政府各部门")
_COVER_ENTRIES = (*_COVER_NAMES, *(f"kind:{k.value}" for k in UnitKind), *(f"some:kind:{k.value}" for k in UnitKind),
                  "kind:no-such-kind")


@given(st.lists(st.sampled_from(_COVER_ENTRIES), max_size=4),
       st.lists(st.tuples(st.sampled_from(_COVER_NAMES), st.sampled_from(list(UnitKind))), max_size=6))
def test_collective_members_are_those_covers_accepts(entries: list[str], named: list[tuple[str, UnitKind]]) -> None:
    """The collective-overlap check tests membership by lookup: the same members as :func:`covers`."""
    from zwgk.validators.roles import _Coverage, covers

    collective = Unit("市政府各部门", UnitKind.COLLECTIVE, covers=tuple(entries))
    refs = tuple(UnitRef(name, name, kind) for name, kind in named)
    expected = list(dict.fromkeys(r.name for r in refs if covers(collective, r)))
    assert _Coverage(collective).members(refs) == expected
