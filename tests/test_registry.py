"""The unit registry: resolution, abbreviation rules, level prefixes, collectives, TOML files, plugins."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import attrs
import pytest

import zwgk
from zwgk import plugins
from zwgk.errors import UnitError
from zwgk.model import Unit, UnitKind
from zwgk.units import UnitRegistry, default_registry, dumps_registry, load_registry, loads_registry, save_registry
from zwgk.units._bundled import bundled_registry
from zwgk.units.shapes import guess_kind


@pytest.fixture
def city() -> UnitRegistry:
    return zwgk.unit_registry()


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("市发展和改革委员会", "市发展改革委"),
        ("市发改委", "市发展改革委"),
        ("泰安市发展和改革委员会", "市发展改革委"),
        ("市人力资源和社会保障局", "市人力资源社会保障局"),
        ("市人社局", "市人力资源社会保障局"),
        ("市住房和城乡建设局", "市住房城乡建设局"),
        ("市住建局", "市住房城乡建设局"),
        ("市卫生健康委员会", "市卫生健康委"),
        ("市卫健委", "市卫生健康委"),
        ("泰安市人民政府办公室", "市政府办公室"),
        ("市政府办", "市政府办公室"),
        ("中共泰安市委机构编制委员会办公室", "市委编办"),
        ("各县(市，区)", "各县（市、区）"),
        ("各县（市、区）人民政府", "各县（市、区）"),
        ("市政府各部门", "市政府各部门（单位）"),
        (" 市政府各部门 （单位）\r\n", "市政府各部门（单位）"),
    ],
)
def test_resolution_through_aliases_and_abbreviation_rules(city: UnitRegistry, written: str, canonical: str) -> None:
    unit = city.resolve(written)
    assert unit is not None and unit.name == canonical
    ref = city.ref(written)
    assert ref.resolved and ref.name == canonical and ref.as_written == written


def test_abbreviation_rules_are_data_not_code() -> None:
    reg = UnitRegistry.of([Unit("县甲乙委员会", UnitKind.DEPARTMENT)])
    assert reg.resolve("县甲乙委") is None
    reg.add_abbreviation(["委员会", "委"])
    unit = reg.resolve("县甲乙委")
    assert unit is not None and unit.name == "县甲乙委员会"
    assert default_registry().abbreviations.reduce("发展和改革委员会") == "发改委"


def test_name_without_level_prefix_resolves_with_a_note(city: UnitRegistry) -> None:
    ref = city.ref("生态环境局")
    assert ref.name == "市生态环境局" and ref.resolved
    assert ref.note is not None and "市" in ref.note
    assert city.ref("市生态环境局").note is None


def test_unknown_name_keeps_its_cleaned_form() -> None:
    ref = default_registry().ref("县某某 新设局\n")
    assert not ref.resolved and ref.name == "县某某新设局" and ref.kind is UnitKind.DEPARTMENT


def test_learning_adds_the_plans_own_units() -> None:
    reg = default_registry()
    first = reg.parse_cell("市甲乙局、市丙丁中心", learn=True)
    assert [r.name for r in first.refs] == ["市甲乙局", "市丙丁中心"]
    assert reg.learned == {"市甲乙局", "市丙丁中心"}
    assert reg.resolve("市甲乙局") is not None
    # Learned units are not what the registry was given: the references say so.
    assert not any(r.resolved for r in first.refs)
    # A later spelling without the level prefix finds the learned unit, with a note.
    ref = reg.ref("甲乙局")
    assert ref.name == "市甲乙局" and ref.note
    # ... and a line break between two learned names now splits on the registry's word.
    assert [r.name for r in reg.split("市甲乙局\n市丙丁中心")] == ["市甲乙局", "市丙丁中心"]


def test_collectives_and_what_they_cover(city: UnitRegistry) -> None:
    counties, partial = city.members("各县（市、区）")
    assert not partial and {u.name for u in counties} >= {"泰山区政府", "岱岳区政府", "新泰市政府"}
    assert all(u.kind is UnitKind.COUNTY_GOVERNMENT for u in counties)
    depts, partial = city.members("市政府各部门（单位）")
    assert not partial and "市财政局" in {u.name for u in depts}
    for some in ("市政府各相关部门（单位）", "市政府有关部门（单位）"):
        unit = city.resolve(some)
        assert unit is not None and unit.kind is UnitKind.COLLECTIVE
        assert unit.covers == ("some:kind:department",)
        assert city.members(some)[1] is True
    assert city.members("市财政局") == ((city.resolve("市财政局"),), False)


def test_add_alias_iterate_copy_merge() -> None:
    reg = UnitRegistry()
    reg.add(Unit("市甲局", UnitKind.DEPARTMENT))
    reg.alias("甲局简称", "市甲局")
    assert reg.resolve("甲局简称") == Unit("市甲局", UnitKind.DEPARTMENT, ("甲局简称",))
    with pytest.raises(KeyError):
        reg.alias("x", "市不存在局")
    other = reg.copy()
    other.add(Unit("市乙局"))
    assert "市乙局" in other and "市乙局" not in reg
    assert [u.name for u in reg] == ["市甲局"] and len(other) == 2
    third = UnitRegistry.of([Unit("市甲局", UnitKind.DEPARTMENT, ("甲局全称",)), Unit("市丙局")])
    reg.merge(third)
    merged = reg.get("市甲局")
    assert merged is not None and set(merged.aliases) == {"甲局简称", "甲局全称"}
    assert {u.name for u in reg} == {"市甲局", "市丙局"}


def test_an_alias_moves_between_units() -> None:
    reg = UnitRegistry.of([Unit("市甲局", aliases=("甲",))])
    reg.add(Unit("市乙局", aliases=("甲",)))
    assert reg.resolve("甲") == reg.get("市乙局")
    assert reg.get("市甲局") == Unit("市甲局")


def test_toml_round_trip(tmp_path: Path, city: UnitRegistry) -> None:
    path = tmp_path / "region.toml"
    save_registry(city, path)
    assert path.read_text(encoding="utf-8") == dumps_registry(city)
    again = load_registry(path)
    assert list(again) == list(city)
    assert again.level_prefixes == city.level_prefixes
    assert again.open_tails == city.open_tails
    assert again.abbreviations.forms == city.abbreviations.forms
    assert again.abbreviations.prefixes == city.abbreviations.prefixes
    for written in ("泰安市人民政府办公室", "市卫健委", "生态环境局"):
        assert again.ref(written) == city.ref(written)


def test_users_region_file_merges_into_the_default(tmp_path: Path) -> None:
    path = tmp_path / "jinan.toml"
    path.write_text(
        '[[prefixes]]\nforms = ["济南市", "市"]\n\n'
        '[[units]]\nname = "市大数据局"\nkind = "department"\naliases = ["济南市大数据局"]\n',
        encoding="utf-8",
    )
    reg = default_registry()
    reg.merge(load_registry(path))
    unit = reg.resolve("济南市大数据局")
    assert unit is not None and unit.name == "市大数据局"
    assert reg.resolve("各县（市、区）") is not None  # the defaults stay


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("units = [", "not valid TOML"),
        ("[[units]]\nkind = 'department'\n", "'name' must be a non-empty string"),
        ("[[units]]\nname = '市甲局'\nkind = 'ministry'\n", "unknown kind 'ministry'"),
        ("[[units]]\nname = '市甲局'\ncolour = 'red'\n", "unknown key(s) colour"),
        ("[[units]]\nname = '甲'\n[[units]]\nname = '乙'\naliases = ['甲']\n", "'甲' names both '甲' and '乙'"),
        ("[[units]]\nname = '甲'\n[[units]]\nname = '甲'\n", "listed twice"),
        ("[[units]]\nname = '各组'\nkind = 'collective'\ncovers = ['kind:nothing']\n", "unknown kind"),
        ("[[units]]\nname = '市甲局'\ncovers = ['市乙局']\n", "only a collective covers"),
        ("[[abbreviations]]\nforms = ['委']\n", "at least two"),
        ("level_prefixes = '市'\n", "level_prefixes must be a list"),
        ("regions = []\n", "unknown key(s) regions"),
    ],
)
def test_bad_registry_files_name_file_and_entry(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UnitError) as info:
        load_registry(path)
    assert message in str(info.value)
    assert str(path) in str(info.value)


def test_unreadable_registry_files(tmp_path: Path) -> None:
    with pytest.raises(UnitError, match="no such registry file"):
        load_registry(tmp_path / "missing.toml")
    bad = tmp_path / "gbk.toml"
    bad.write_bytes("[[units]]\nname = '市财政局'\n".encode("gbk"))
    with pytest.raises(UnitError, match="must be UTF-8"):
        load_registry(bad)
    with pytest.raises(UnitError, match="line 2"):
        loads_registry("[[units]]\nname = \n", source="inline")


def test_bundled_data_files_load() -> None:
    base = default_registry()
    assert {u.name for u in base.units(UnitKind.COLLECTIVE)} == {
        "各县（市、区）", "市政府各部门（单位）", "市政府各相关部门（单位）", "市政府有关部门（单位）",
    }
    taian = bundled_registry("units-taian.toml")
    assert taian.resolve("市公共资源交易中心") is not None
    assert default_registry() is not default_registry()  # a fresh copy each time


def test_register_units_builtin_plugin_wiring() -> None:
    assert "zwgk.units.builtin" in plugins.DEFAULT_PLUGINS
    assert "register_units" in {h for p in plugins.plugins() if p.name == "zwgk.units.builtin" for h in p.hooks}
    reg = zwgk.unit_registry()
    assert reg.resolve("泰山职业技术学院") is not None  # from the bundled city registry
    assert default_registry().resolve("泰山职业技术学院") is None


def test_hook_register_units() -> None:
    """A third-party ``register_units`` implementation adds to every default registry."""
    class Plugin:
        @zwgk.hookimpl
        def register_units(self, registry: UnitRegistry) -> None:
            registry.add(Unit("市测试专用局", UnitKind.DEPARTMENT))

    plugins.register(Plugin(), name="test-units-plugin")  # registering rebuilds the default registry
    try:
        reg = zwgk.unit_registry()
        assert reg.resolve("市测试专用局") is not None
        assert reg.resolve("各县（市、区）") is not None
    finally:
        plugins.unregister("test-units-plugin")
    assert zwgk.unit_registry().resolve("市测试专用局") is None


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("各县（市、区）", UnitKind.COLLECTIVE),
        ("市政府有关部门", UnitKind.COLLECTIVE),
        ("泰山职业技术学院", UnitKind.SCHOOL),
        ("市供电公司", UnitKind.ENTERPRISE),
        ("市委宣传部", UnitKind.PARTY_BODY),
        ("泰山区政府", UnitKind.COUNTY_GOVERNMENT),
        ("宁阳县", UnitKind.COUNTY_GOVERNMENT),
        ("市公共资源交易中心", UnitKind.PUBLIC_INSTITUTION),
        ("市财政局", UnitKind.DEPARTMENT),
        ("某某", UnitKind.OTHER),
    ],
)
def test_guess_kind(name: str, kind: UnitKind) -> None:
    assert guess_kind(name) is kind


def test_memos_follow_every_change() -> None:
    reg = UnitRegistry.of([Unit("县甲乙委员会", UnitKind.DEPARTMENT)])
    assert reg.split("甲乙委员会")[0].resolved is False
    copy = reg.copy()
    reg.add_level_prefix("县")
    assert reg.split("甲乙委员会")[0].name == "县甲乙委员会"
    assert copy.split("甲乙委员会")[0].resolved is False  # the copy is unaffected
    assert reg.resolve("县甲乙委") is None
    reg.add_abbreviation(["委员会", "委"])
    assert reg.resolve("县甲乙委") is not None
    reg.add(Unit("县丙局"))
    assert reg.split("县丙局")[0].resolved and not copy.split("县丙局")[0].resolved


def _base() -> UnitRegistry:
    return UnitRegistry.of([Unit("县甲乙委员会", UnitKind.DEPARTMENT)])


#: Every method that changes a registry's knowledge, each changing how one of CELLS reads.
CHANGES: dict[str, Callable[[UnitRegistry], object]] = {
    "add": lambda r: r.add(Unit("县丙局")),
    "alias": lambda r: r.alias("丙乙", "县甲乙委员会"),
    "add_abbreviation": lambda r: r.add_abbreviation(["委员会", "委"]),
    "add_prefix": lambda r: r.add_prefix(["某县", "县"]),
    "add_level_prefix": lambda r: r.add_level_prefix("县"),
    "add_open_tail": lambda r: r.add_open_tail("部门"),
    "merge": lambda r: r.merge(UnitRegistry.of([Unit("县丙局")])),
    "learn": lambda r: r.parse_cell("县丁局（县丁办）", learn=True),
}
CELLS = ("甲乙委员会", "县甲乙委", "县丙局", "县丁办", "丙乙", "某县甲乙委员会", "县甲乙委员会等部门")


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_change_through_any_method_reaches_the_memo(change: str) -> None:
    """The parsed-cell memo is never stale: after any change a registry reads as one built with it."""
    reg = _base()
    copy = reg.copy()  # shares the memo until one of them changes
    before = [reg.parse_cell(c) for c in CELLS]
    CHANGES[change](reg)
    fresh = _base()
    CHANGES[change](fresh)
    after = [reg.parse_cell(c) for c in CELLS]
    assert after == [fresh.parse_cell(c) for c in CELLS]
    assert after != before  # the change is seen
    assert [copy.parse_cell(c) for c in CELLS] == before  # and the copy keeps what it knew


def test_settings_change_only_through_methods() -> None:
    """Nothing public can change a registry behind its back (its memo would go stale)."""
    reg = default_registry()
    assert isinstance(reg.level_prefixes, tuple) and isinstance(reg.open_tails, tuple)
    for name in ("level_prefixes", "open_tails", "abbreviations", "region", "level", "learned"):
        with pytest.raises(AttributeError):
            setattr(reg, name, getattr(reg, name))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        reg.abbreviations.forms = ()  # type: ignore[misc]
