"""Unit names the way other regions write them, read from each table format.

Every case is a small table written as text, DOCX and HTML: elided level prefixes, 会同, names
across paragraphs, bracket aliases, collectives by pattern, region-aware registries, and what
``zwgk validate`` says about a table whose region has no registry.
"""

from __future__ import annotations

import html
import random
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import zwgk
from tests.fixtures import docxgen as g
from tests.strategies import examples, regional_plans
from zwgk.errors import UnitError
from zwgk.model import Metadata, Plan, Role, UnitKind
from zwgk.units import default_registry, dumps_registry, loads_registry
from zwgk.units._regions import same_region
from zwgk.units.shapes import collective_level, needs_level, prevailing_level, unit_level, written_level

HEADER = ("序号", "工作任务", "牵头单位", "责任单位", "配合单位")
PROVINCE = "某某省2021年政务公开工作要点任务分解表"
DISTRICT = "2021年某某区政务公开重点工作任务分解表"
FORMATS = ("text", "docx", "html")

Row = Sequence[str]


def write_table(folder: Path, fmt: str, title: str | None, rows: Sequence[Row], header: Row = HEADER) -> Path:
    """The table in one format; a line break in a cell is a new paragraph (DOCX, HTML)."""
    table = [tuple(header), *(tuple(r) for r in rows)]
    if fmt == "text":
        lines = [title, ""] if title else []
        text = "\n".join(lines) + "".join("\n".join("\t" + c for c in r) + "\n\n" for r in table)
        path = folder / "t.txt"
        path.write_text(text, encoding="utf-8")
        return path
    if fmt == "docx":
        body = (g.para(title) if title else "") + g.table(
            [g.row([g.cell(c.split("\n")) for c in r], header=i == 0) for i, r in enumerate(table)], len(header))
        return g.write_docx(folder / "t.docx", body)
    cells = ["<tr>" + "".join("<td>" + "".join(f"<p>{html.escape(p)}</p>" for p in c.split("\n")) + "</td>" for c in r)
             + "</tr>" for r in table]
    head = f"<h1>{html.escape(title)}</h1>" if title else ""
    path = folder / "t.html"
    path.write_text(f"<html><body>{head}<table>{''.join(cells)}</table></body></html>", encoding="utf-8")
    return path


def load(folder: Path, fmt: str, title: str | None, rows: Sequence[Row]) -> Plan:
    return zwgk.load(write_table(folder, fmt, title, rows))


def names(refs: Sequence[zwgk.UnitRef]) -> list[str]:
    return [r.name for r in refs]


# Elided level prefixes --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_elided_level_prefix_comes_from_the_unit_before_it(tmp_path: Path, fmt: str) -> None:
    plan = load(tmp_path, fmt, PROVINCE, [
        ("1", "做好财政预决算公开。", "省财政厅", "省财政厅、教育厅、科技厅", ""),
        ("2", "推进审批服务公开。", "区行政审批局、经济发展局", "省政府办公厅", ""),
    ])
    first, second = plan.tasks
    assert names(first.responsible) == ["省财政厅", "省教育厅", "省科技厅"]
    assert [r.as_written for r in first.responsible] == ["省财政厅", "教育厅", "科技厅"]
    assert first.responsible[1].note == "written without the level prefix '省' of the unit before it"
    assert names(second.leads) == ["区行政审批局", "区经济发展局"]
    assert second.leads[1].as_written == "经济发展局"


def test_an_elided_prefix_needs_a_department_name_that_cannot_stand_alone() -> None:
    reg = default_registry()
    refs = reg.parse_cell("省财政厅、国家税务总局某某省税务局、教育厅").refs
    assert names(refs) == ["省财政厅", "国家税务总局某某省税务局", "教育厅"]  # the run ended at 国家…
    refs = reg.parse_cell("省财政厅、各地级市、教育厅").refs
    assert names(refs)[2] == "教育厅"
    refs = reg.parse_cell("省财政厅；教育厅").refs  # a semicolon ends the run
    assert names(refs) == ["省财政厅", "教育厅"]
    refs = reg.parse_cell("省财政厅、某某大学").refs  # a university stands alone
    assert names(refs) == ["省财政厅", "某某大学"]
    assert needs_level("教育厅") and needs_level("经济发展局") and not needs_level("某某大学")
    assert not needs_level("各部门") and not needs_level("市财政局")


def test_the_prefix_carries_within_one_roles_list_only() -> None:
    parsed = default_registry().parse_cell("省财政厅牵头，教育厅配合")
    assert names(parsed.refs) == ["省财政厅", "教育厅"]
    assert parsed.roles == (Role.LEAD, Role.COOPERATING)


def test_a_name_known_as_written_keeps_its_name() -> None:
    reg = default_registry()
    reg.add(zwgk.Unit("教育厅", UnitKind.DEPARTMENT))
    assert names(reg.parse_cell("省财政厅、教育厅").refs) == ["省财政厅", "教育厅"]


# Region-aware registries -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_provincial_table_does_not_resolve_against_the_city_registry(tmp_path: Path, fmt: str) -> None:
    plan = load(tmp_path, fmt, PROVINCE, [
        ("1", "推进国资国企信息公开。", "发改委", "省发展改革委、国资委", "有关部门"),
    ])
    assert plan.metadata == Metadata("某某省", 2021, None, "省")
    [task] = plan.tasks
    city = {u.name for u in zwgk.unit_registry() if u.name.startswith("市")}
    for ref in task.units():
        assert ref.name not in city and not ref.resolved, ref
    assert names(task.responsible) == ["省发展改革委", "省国资委"]
    assert names(task.leads) == ["发改委"]  # no registry for 某某省: the bare name stays as written
    assert names(task.cooperating) == ["有关部门"]  # the default collectives are a city's


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_table_of_the_registrys_own_region_still_resolves(tmp_path: Path, fmt: str) -> None:
    plan = load(tmp_path, fmt, "2021年泰安市政务公开重点工作任务分解表", [
        ("1", "推进国资国企信息公开。", "发改委", "市发展改革委、国资委", "有关部门"),
    ])
    [task] = plan.tasks
    assert names(task.leads) == ["市发展改革委"] and task.leads[0].resolved
    assert names(task.responsible) == ["市发展改革委", "市国资委"]
    assert names(task.cooperating) == ["市政府有关部门（单位）"]


def test_a_registry_file_declares_its_region(tmp_path: Path) -> None:
    text = '[registry]\nregion = "某某省"\nlevel = "省"\n\n[[units]]\nname = "省财政厅"\nkind = "department"\n'
    reg = loads_registry(text, source="p.toml")
    assert (reg.region, reg.level) == ("某某省", "省")
    assert reg.regions == frozenset({"某某省"})
    assert loads_registry(dumps_registry(reg)).regions == frozenset({"某某省"})
    merged = zwgk.unit_registry()
    merged.merge(reg)
    assert merged.regions == frozenset({"泰安市", "某某省"})
    assert merged.serves("某某省", "省") and merged.serves("泰安市", "市") and not merged.serves("某某市", "市")
    assert merged.serving("某某省", "省").resolve("财政厅") is not None
    assert merged.serving("某某省", "省").resolve("市财政局") is None
    assert merged.serving("泰安市", "市").resolve("省财政厅") is None
    assert merged.serving(None, None) is merged  # nothing said: everything answers
    assert same_region("泰安", "泰安市") and not same_region("某某省", "某某市")


@pytest.mark.parametrize(("text", "message"), [
    ('[registry]\nlevel = "国"\n', "not a level"),
    ('[registry]\nregion = ""\n', "non-empty"),
    ('[registry]\ncity = "x"\n', "unknown key"),
    ('registry = "泰安市"\n', "must be a table"),
])
def test_a_bad_registry_declaration_is_a_unit_error(text: str, message: str) -> None:
    with pytest.raises(UnitError, match=message):
        loads_registry(text, source="r.toml")


def test_the_units_command_writes_a_registry_declaring_the_plans_region(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from zwgk.cli import main

    path = write_table(tmp_path, "text", PROVINCE, [("1", "公开。", "省财政厅", "省教育厅", "")])
    assert main(["units", str(path), "-f", "toml"]) == 0
    reg = loads_registry(capsys.readouterr().out)
    assert (reg.region, reg.level) == ("某某省", "省")
    assert {u.name for u in reg} == {"省财政厅", "省教育厅"}


# 会同 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_jointly_makes_the_first_unit_lead_and_the_others_cooperating(tmp_path: Path, fmt: str) -> None:
    plan = load(tmp_path, fmt, "2021年泰安市政务公开重点工作任务分解表", [
        ("1", "做好校园安全信息公开。", "市公安局会同市教育局、民政局等部门", "", ""),
    ])
    [task] = plan.tasks
    assert names(task.leads) == ["市公安局"]
    assert names(task.cooperating) == ["市教育局", "市民政局"]
    assert task.is_open(Role.COOPERATING) and not task.is_open(Role.LEAD)
    assert "".join(r.as_written for r in task.units()) == "市公安局会同市教育局民政局等部门"


def test_jointly_inside_brackets_or_without_a_unit_before_it_is_text() -> None:
    reg = default_registry()
    assert reg.parse_cell("市政府办公室（会同市司法局）").roles == ()
    assert len(reg.parse_cell("会同市司法局").refs) == 1


# Names across paragraphs and bracket aliases --------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_names_broken_over_paragraphs(tmp_path: Path, fmt: str) -> None:
    plan = load(tmp_path, fmt, "2021年泰安市政务公开重点工作任务分解表", [
        ("1", "公开一。", "市市场监督\n管理局", "省“数字政府”\n建设办", "市委编办\n（市审改办）"),
        ("2", "公开二。", "市卫健委\n市市场监管局", "市农业农村局（市委农办）", ""),
    ])
    first, second = plan.tasks
    assert names(first.leads) == ["市市场监管局"]
    assert names(first.responsible) == ["省“数字政府”建设办"]
    assert names(first.cooperating) == ["市委编办"]
    assert first.cooperating[0].note == "市审改办 in brackets is another name of 市委编办"
    assert names(second.leads) == ["市卫生健康委", "市市场监管局"]
    assert names(second.responsible) == ["市农业农村局"]


def test_an_unknown_unit_with_a_bracket_alias_learns_the_alias() -> None:
    reg = default_registry()
    [ref] = reg.parse_cell("市某某服务中心（市某某办）", learn=True).refs
    assert ref.name == "市某某服务中心"
    assert reg.resolve("市某某办") is not None and reg.resolve("市某某办").name == "市某某服务中心"  # type: ignore[union-attr]
    # A bracket holding no unit name is part of the name.
    assert names(reg.parse_cell("市某某局（筹）").refs) == ["市某某局（筹）"]


# Collectives by pattern ----------------------------------------------------------------------------


COLLECTIVES = {
    "省直有关单位": "省", "省政府各部门": "省", "各地级市": "市", "各地级市政府": "市", "县直各部门": "县",
    "区直各有关单位": "区", "各区属事业单位": "区", "各区属企业": "区", "各镇（街道）": "镇",
    "各乡镇人民政府（街道办事处）": "镇", "中央驻省有关单位": "省",
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_collectives_in_every_regions_words(tmp_path: Path, fmt: str) -> None:
    rows = [(str(i + 1), f"公开{i}。", "区政府办公室", name, "") for i, name in enumerate(COLLECTIVES)]
    plan = load(tmp_path, fmt, DISTRICT, rows)
    got = [task.responsible[0] for task in plan.tasks]
    assert [r.name for r in got] == list(COLLECTIVES)
    assert all(r.kind is UnitKind.COLLECTIVE for r in got)
    assert [collective_level(r.name) for r in got] == list(COLLECTIVES.values())


def test_unit_levels() -> None:
    assert written_level("省财政厅") == "省" and written_level("市场监管局") is None
    assert written_level("各区属企业") is None and unit_level("各区属企业") == "区"
    assert unit_level("区政府办公室") == "区" and unit_level("某某大学") is None
    assert prevailing_level(["省财政厅", "省教育厅", "各地级市", "市财政局", "省直有关单位"]) == "省"
    assert prevailing_level(["某某大学"]) is None


_LEVELLED = st.lists(st.sampled_from(["省财政厅", "市业局", "县业局", "区教育局", "各地级市", "某某大学",
                                      "市财政局配合", "镇政府"]), max_size=8)


@settings(max_examples=examples(200))
@given(_LEVELLED, st.randoms(use_true_random=False))
def test_the_prevailing_level_does_not_depend_on_the_order_of_the_names(names: list[str],
                                                                         rnd: random.Random) -> None:
    # 市业局 and 县业局 once each read as 县 or 市 by which came first, so a plan and its own
    # export, whose columns come in another order, resolved their units against different levels
    shuffled = names[:]
    rnd.shuffle(shuffled)
    assert prevailing_level(shuffled) == prevailing_level(names)
    assert prevailing_level(["市业局", "县业局"]) is None
    assert prevailing_level(["市业局", "县业局", "市财政局"]) == "市"


# The plan's region and level -------------------------------------------------------------------


@pytest.mark.parametrize(("title", "region", "level"), [
    ("2020年泰安市政务公开重点工作任务分解表", "泰安市", "市"),
    ("某某省2021年政务公开工作要点任务分解表", "某某省", "省"),
    ("2021年度某某区政务公开重点工作任务分解表", "某某区", "区"),
    ("某某县政务公开工作要点", "某某县", "县"),
    ("某某市某某区2021年政务公开工作任务", "某某区", "区"),
    ("广西壮族自治区2021年政务公开工作要点", "广西壮族自治区", "省"),
    ("2021年全省政务公开工作要点", None, "省"),
    ("政务公开重点工作任务分解表", None, None),
])
def test_region_and_level_from_the_title(title: str, region: str | None, level: str | None) -> None:
    meta = Metadata.from_title(title)
    assert (meta.region, meta.level) == (region, level)


def test_metadata_level_round_trips_and_old_json_loads(tmp_path: Path) -> None:
    plan = zwgk.load_sample()
    assert plan.metadata.level == "市"
    data = zwgk.export(plan, "json")
    assert data is not None
    path = tmp_path / "p.json"
    path.write_bytes(data)
    assert zwgk.load(path).metadata == plan.metadata
    old = data.decode("utf-8").replace(',\n    "level": "市"', "")
    assert '"level"' not in old
    path.write_text(old, encoding="utf-8")
    assert zwgk.load(path).metadata == Metadata("泰安市", 2020)


# Noise: a table whose region has no registry -------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_validate_on_a_region_without_a_registry(tmp_path: Path, fmt: str) -> None:
    plan = load(tmp_path, fmt, PROVINCE, [
        ("1", "做好财政预决算公开。", "省财政厅", "省发展改革委、国资委、教育厅", ""),
        ("2", "推进公共资源配置信息公开。", "省发展改革委", "省发展改革委", ""),
        ("3", "加强政策解读。", "", "省直有关单位", ""),
        ("4", "做好政务公开平台建设。", "省政务服务数据管理局", "省政务服务数据管里局", ""),
    ])
    report = zwgk.validate(plan)
    codes = [f.code for f in report.findings]
    assert "ZW201" not in codes
    [summary] = [f for f in report.findings if f.code == "ZW203"]
    assert summary.severity.value == "info" and summary.task_id is None
    assert summary.message.startswith("7 unit names of this plan are in no unit registry")
    assert "某某省" in summary.message
    assert summary.hint is not None and "zwgk units FILE -f toml > region.toml" in summary.hint
    assert "ZW101" in codes and "ZW102" in codes  # missing lead, role conflict
    [dup] = [f for f in report.findings if f.code == "ZW202"]
    assert set(dup.units) == {"省政务服务数据管理局", "省政务服务数据管里局"}
    # The elided 国资委 and 教育厅 are no near duplicates of anything.


def test_validate_on_the_registrys_region_reports_unknown_units_one_by_one() -> None:
    plan = zwgk.load_sample()
    report = zwgk.validate(plan)
    assert "ZW203" not in [f.code for f in report.findings]


def test_a_registry_for_the_region_brings_back_the_one_by_one_findings(tmp_path: Path) -> None:
    plan = load(tmp_path, "text", PROVINCE, [("1", "公开。", "省财政厅", "省教肓厅", "")])
    reg = zwgk.unit_registry()
    reg.merge(loads_registry(
        '[registry]\nregion = "某某省"\nlevel = "省"\n\n'
        '[[units]]\nname = "省财政厅"\n\n[[units]]\nname = "省教育厅"\n'))
    report = zwgk.validate(plan, registry=reg)
    [f] = [f for f in report.findings if f.code == "ZW201"]
    assert f.units == ("省教肓厅",)
    assert f.hint is not None and f.hint.startswith("did you mean 省教育厅?")
    assert "ZW203" not in [f.code for f in report.findings]


@pytest.mark.parametrize(("typo", "meant"), [("市财证局", "市财政局"), ("市教肓局", "市教育局")])
def test_a_typo_in_a_short_name_gets_a_did_you_mean(tmp_path: Path, typo: str, meant: str) -> None:
    plan = load(tmp_path, "text", "2021年泰安市政务公开重点工作任务分解表", [("1", "公开。", typo, "", "")])
    [f] = [f for f in zwgk.validate(plan, select="ZW201").findings]
    assert f.hint is not None and f.hint.startswith(f"did you mean {meant}?")


# Generated plans from other regions round-trip --------------------------------------------------

READ_BACK = ("text", "docx", "json")


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(regional_plans())
def test_regional_plans_round_trip(tmp_path_factory: pytest.TempPathFactory, plan: Plan) -> None:
    folder = tmp_path_factory.mktemp("regional")
    for fmt in READ_BACK:
        data = zwgk.export(plan, fmt)
        assert data is not None
        path = folder / f"plan.{'txt' if fmt == 'text' else fmt}"
        path.write_bytes(data)
        back = zwgk.load(path)
        assert back.tasks == plan.tasks, fmt
        assert back.metadata == plan.metadata, fmt


@settings(max_examples=examples(60), deadline=None)
@given(regional_plans())
def test_regional_plans_resolve_only_against_their_regions_registry(plan: Plan) -> None:
    if plan.metadata.region in (None, "泰安市"):
        return
    taian = {u.name for u in zwgk.unit_registry() if u.name.startswith(("市", "泰安"))}
    for ref in (r for task in plan.tasks for r in task.units()):
        assert not (ref.resolved and ref.name in taian), ref


@pytest.mark.parametrize(("region", "level", "taken"), [("某某市", "市", False), ("某某省", "省", False),
                                                        ("泰安市", "市", True), (None, None, True)])
def test_a_misread_name_is_taken_only_for_a_unit_serving_the_plans_region(
    region: str | None, level: str | None, taken: bool
) -> None:
    from zwgk.errors import Position
    from zwgk.model import Task, UnitRef
    from zwgk.units.misread import correct_misreads

    lead = UnitRef("市行政审批服务届", "市行政审批服务届")  # one character off the bundled city's 市行政审批服务局
    task = Task(id="t1", path=("一、公开",), text="任务", leads=(lead,), source=Position("scan.tif", page=1))
    plan = Plan("x", (task,), metadata=Metadata(region=region, level=level))
    got = correct_misreads(plan, zwgk.unit_registry()).tasks[0].leads[0]
    assert (got.name, got.resolved) == (("市行政审批服务局", True) if taken else ("市行政审批服务届", False))
    assert got.as_written == "市行政审批服务届"
