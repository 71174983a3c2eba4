"""Splitting unit cells: separators, line breaks, brackets, 等, role markers, malformed cells."""

from __future__ import annotations

import pytest

import zwgk
from zwgk.model import Role, UnitKind
from zwgk.units import UnitRegistry, default_registry
from zwgk.units._normalize import HARD_SEPARATORS, clean_name, is_space, match_key
from zwgk.units._split import split_pieces


@pytest.fixture(scope="module")
def registry() -> UnitRegistry:
    """The registry ``zwgk.load`` uses: defaults plus the bundled city's units."""
    return zwgk.unit_registry()


def names(reg: UnitRegistry, text: str) -> list[str]:
    return [r.name for r in reg.split(text)]


# -- what the foundation already promised, on the sample's own cells ----------------------------


def test_line_break_between_two_complete_names_splits(registry: UnitRegistry) -> None:
    assert names(registry, "市行政审批服务局\n市公共资源交易中心") == ["市行政审批服务局", "市公共资源交易中心"]


def test_line_break_inside_a_name_joins(registry: UnitRegistry) -> None:
    refs = registry.split("市自然资源和\n规划局")
    assert [r.name for r in refs] == ["市自然资源和规划局"]
    assert refs[0].as_written == "市自然资源和\n规划局"


def test_trailing_deng_is_an_open_list(registry: UnitRegistry) -> None:
    parsed = registry.parse_cell("市文化和旅游局等")
    assert [r.name for r in parsed.refs] == ["市文化和旅游局"]
    assert parsed.open_list
    assert parsed.refs[0].as_written == "市文化和旅游局等"


def test_collective_with_inner_separator_stays_whole(registry: UnitRegistry) -> None:
    refs = registry.split("市司法局、各县（市、区）")
    assert [r.name for r in refs] == ["市司法局", "各县（市、区）"]
    assert refs[1].kind is UnitKind.COLLECTIVE


# -- without a registry: only the shapes of names ----------------------------------------------


def test_unknown_names_split_at_line_breaks_by_shape() -> None:
    reg = UnitRegistry()
    assert names(reg, "市甲乙局\n市丙丁中心") == ["市甲乙局", "市丙丁中心"]
    assert names(reg, "市甲乙和\n丙丁局") == ["市甲乙和丙丁局"]
    assert names(reg, "市政府\n办公室") == ["市政府办公室"]  # a bare suffix is no name of its own
    assert names(reg, "市 财政局") == ["市财政局"]  # letter-spaced


def test_registry_decides_between_readings() -> None:
    reg = UnitRegistry()
    assert names(reg, "泰山职业技术学院\n山东服装职业学院") == ["泰山职业技术学院山东服装职业学院"]
    reg.add(zwgk.Unit("泰山职业技术学院", UnitKind.SCHOOL))
    reg.add(zwgk.Unit("山东服装职业学院", UnitKind.SCHOOL))
    assert names(reg, "泰山职业技术学院\n山东服装职业学院") == ["泰山职业技术学院", "山东服装职业学院"]
    reg.add(zwgk.Unit("市政府新闻办"))
    assert names(reg, "市政府\n新闻办") == ["市政府新闻办"]


@pytest.mark.parametrize(
    "sep", ["、", "，", ",", "；", ";", "、\n", "，\r\n", " 、 ", "\n", "\r\n", "\u3000", "、、", "_x000D_\n"]
)
def test_every_separator_style(sep: str) -> None:
    reg = UnitRegistry()
    cell = sep.join(["市财政局", "各县（市、区）", "市公共资源交易中心"])
    assert names(reg, cell) == ["市财政局", "各县（市、区）", "市公共资源交易中心"]


def test_nested_brackets_of_any_depth_and_width() -> None:
    reg = UnitRegistry()
    cell = "市甲局（含A、B（C、D；E）， F）、市乙局(筹、建)\n市丙中心"
    refs = reg.split(cell)
    assert [r.as_written for r in refs] == ["市甲局（含A、B（C、D；E）， F）", "市乙局(筹、建)", "市丙中心"]
    assert refs[0].name == "市甲局（含A、B（C、D；E），F）"


def test_spaces_of_every_kind_and_excel_breaks_are_noise() -> None:
    reg = default_registry()
    for noisy in ["各县\u00a0（市、区）", "各县（市、区）\u200b", " 各县（市、区）_x000D_", "各县\u3000(市，区)"]:
        (ref,) = reg.split(noisy)
        assert ref.name == "各县（市、区）"
        assert ref.as_written in noisy
        assert clean_name(ref.as_written) == clean_name(noisy)
        assert not is_space(ref.as_written[0]) and not is_space(ref.as_written[-1])


def test_match_key_folds_width_and_separators_only() -> None:
    assert match_key("各县(市,区)") == match_key("各县（市、区）") == match_key("各县（市、、区、）")
    assert match_key("市 财政局\r\n") == "市财政局"
    assert clean_name("市政府各部门（单位）\u3000") == "市政府各部门（单位）"  # display form keeps widths
    assert match_key("市财政局") != match_key("市财政厅")


# -- 等 and the collective it names -------------------------------------------------------------


def test_deng_with_collective_adds_the_collective(registry: UnitRegistry) -> None:
    parsed = registry.parse_cell("各县（市、区）、市行政审批服务局等相关部门（单位）")
    assert [r.name for r in parsed.refs] == ["各县（市、区）", "市行政审批服务局", "市政府各相关部门（单位）"]
    assert [r.as_written for r in parsed.refs] == ["各县（市、区）", "市行政审批服务局", "等相关部门（单位）"]
    assert parsed.refs[2].kind is UnitKind.COLLECTIVE and parsed.refs[2].note
    assert parsed.open_list


def test_deng_with_generic_tail_and_youguan_danwei() -> None:
    reg = default_registry()
    parsed = reg.parse_cell("市科技局等部门")
    assert [r.name for r in parsed.refs] == ["市科技局"] and parsed.open_list
    parsed = reg.parse_cell("市科技局等有关单位")
    assert [r.name for r in parsed.refs] == ["市科技局", "市政府有关部门（单位）"] and parsed.open_list


def test_deng_inside_a_name_is_not_an_open_list() -> None:
    reg = UnitRegistry()
    parsed = reg.parse_cell("市高等职业学校")
    assert [r.name for r in parsed.refs] == ["市高等职业学校"] and not parsed.open_list


def test_stray_deng_after_a_separator_joins_the_list() -> None:
    parsed = UnitRegistry().parse_cell("市甲局、市乙局、等")
    assert [r.name for r in parsed.refs] == ["市甲局", "市乙局"]
    assert parsed.refs[-1].as_written == "市乙局、等"
    assert parsed.open_list


# -- roles written inside one cell --------------------------------------------------------------


def test_lead_and_cooperating_words(registry: UnitRegistry) -> None:
    parsed = registry.parse_cell("市财政局、市审计局牵头，市税务局、各县（市、区）配合")
    assert [r.name for r in parsed.refs] == ["市财政局", "市审计局", "市税务局", "各县（市、区）"]
    assert parsed.roles == (Role.LEAD, Role.LEAD, Role.COOPERATING, Role.COOPERATING)
    by_role = parsed.by_role(Role.RESPONSIBLE)
    assert [r.name for r in by_role[Role.LEAD][0]] == ["市财政局", "市审计局"]
    assert [r.name for r in by_role[Role.COOPERATING][0]] == ["市税务局", "各县（市、区）"]
    assert Role.RESPONSIBLE not in by_role


def test_role_labels(registry: UnitRegistry) -> None:
    parsed = registry.parse_cell("牵头单位：市财政局；责任单位：市审计局、各县（市、区）等")
    assert [r.name for r in parsed.refs] == ["市财政局", "市审计局", "各县（市、区）"]
    assert parsed.roles == (Role.LEAD, Role.RESPONSIBLE, Role.RESPONSIBLE)
    by_role = parsed.by_role(Role.LEAD)
    assert by_role[Role.LEAD][1] is False
    assert by_role[Role.RESPONSIBLE][1] is True


def test_unmarked_units_keep_the_column_role(registry: UnitRegistry) -> None:
    parsed = registry.parse_cell("市财政局、市审计局")
    assert parsed.roles == ()
    assert list(parsed.by_role(Role.RESPONSIBLE)) == [Role.RESPONSIBLE]


def test_builder_places_roles_written_in_a_cell() -> None:
    from zwgk.table.build import build_plan
    from zwgk.table.grid import Cell, Grid

    def row(*texts: str) -> tuple[Cell, ...]:
        return tuple(Cell(t) for t in texts)

    grid = Grid(rows=(
        row("工作任务", "牵头单位", "责任单位"),
        row("公开财政预决算。", "市财政局牵头，市审计局配合", "各县（市、区）等"),
    ))
    plan = build_plan([grid], zwgk.unit_registry())
    (task,) = plan.tasks
    assert [r.name for r in task.leads] == ["市财政局"]
    assert [r.name for r in task.cooperating] == ["市审计局"]
    assert [r.name for r in task.responsible] == ["各县（市、区）"]
    assert task.open_roles == frozenset({Role.RESPONSIBLE})
    assert zwgk.loads(zwgk.dumps(plan)) == plan


# -- malformed cells ----------------------------------------------------------------------------


def test_unbalanced_brackets_warn_and_still_split() -> None:
    parsed = UnitRegistry().parse_cell("市甲局（筹、市乙局")
    assert parsed.warnings and "unmatched opening bracket" in parsed.warnings[0]
    assert [r.as_written for r in parsed.refs] == ["市甲局（筹", "市乙局"]
    parsed = UnitRegistry().parse_cell("市甲局）、市乙局")
    assert "unmatched closing bracket" in parsed.warnings[0]
    assert len(parsed.refs) == 2


def test_only_separators_warns() -> None:
    parsed = UnitRegistry().parse_cell("、，；\n、")
    assert parsed.refs == () and parsed.warnings


def test_empty_and_blank_cells_are_quiet() -> None:
    for text in ["", "  \n\u3000"]:
        parsed = UnitRegistry().parse_cell(text)
        assert parsed.refs == () and parsed.warnings == ()


def test_not_text_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        UnitRegistry().parse_cell(None)  # type: ignore[arg-type]


def test_split_pieces_spans_are_exact() -> None:
    text = " 市甲局 、\n市乙局（A、B）\n"
    pieces, warnings = split_pieces(text)
    assert warnings == []
    for p in pieces:
        assert text[p.start:p.end] == p.as_written
    assert [p.as_written for p in pieces] == ["市甲局", "市乙局（A、B）"]


def test_long_noise_keeps_every_character() -> None:
    noise = ("市甲（乙、丙" + "）)、，等 \n牵头" * 3 + "丁戊己局庚辛\u3000") * 60
    parsed = default_registry().parse_cell(noise)
    written = "".join(r.as_written for r in parsed.refs)
    kept = [ch for ch in noise if ch not in HARD_SEPARATORS and not is_space(ch)]
    assert sorted(kept) == sorted(ch for ch in written if ch not in HARD_SEPARATORS and not is_space(ch))
    assert parsed.warnings  # the brackets do not balance


def test_role_in_brackets_and_labels_separated_by_spaces(registry: UnitRegistry) -> None:
    parsed = registry.parse_cell("市财政局（牵头）、市审计局")
    assert [r.name for r in parsed.refs] == ["市财政局", "市审计局"]
    assert parsed.roles == (Role.LEAD, None)
    assert parsed.refs[0].as_written == "市财政局（牵头）"
    parsed = registry.parse_cell("牵头单位：市财政局 配合单位：市审计局")
    assert [r.name for r in parsed.refs] == ["市财政局", "市审计局"]
    assert parsed.roles == (Role.LEAD, Role.COOPERATING)
    parsed = registry.parse_cell("由市财政局牵头，市审计局配合")
    assert [r.name for r in parsed.refs] == ["市财政局", "市审计局"]
    assert parsed.roles == (Role.LEAD, Role.COOPERATING)


def test_role_words_and_deng_in_either_order(registry: UnitRegistry) -> None:
    for cell in ["市审计局等配合", "市审计局配合等", "市审计局等配合等"]:
        parsed = registry.parse_cell(cell)
        assert [r.name for r in parsed.refs] == ["市审计局"], cell
        assert parsed.roles == (Role.COOPERATING,) and parsed.open_roles == {Role.COOPERATING}
    parsed = registry.parse_cell("市行政审批服务局、等相关部门（单位）等")
    assert [r.name for r in parsed.refs] == ["市行政审批服务局", "市政府各相关部门（单位）"]
    assert parsed.refs[1].as_written == "等相关部门（单位）等" and parsed.open_list
    parsed = registry.parse_cell("市行政\n审批服务局等相关部门（单位）")
    assert [r.as_written for r in parsed.refs] == ["市行政\n审批服务局", "等相关部门（单位）"]
    parsed = registry.parse_cell("市行政审批服务局等 相关部门（单位）")
    assert [r.name for r in parsed.refs] == ["市行政审批服务局", "市政府各相关部门（单位）"] and parsed.open_list


def test_a_bracket_listing_several_names_is_no_alias() -> None:
    """市委编办（市审改办） is one unit by two names; a bracket listing places qualifies the name."""
    from zwgk.units import UnitRegistry

    (alias,) = UnitRegistry().parse_cell("市委编办（市审改办）").refs
    assert alias.name == "市委编办" and alias.note == "市审改办 in brackets is another name of 市委编办"
    for written in ("市业局（业业市业业、乡）", "市教育局（泰山区、岱岳区）", "县财政局（各镇，各街道）"):
        (ref,) = UnitRegistry().parse_cell(written).refs
        assert ref.name == written and ref.as_written == written and ref.note is None


@pytest.mark.parametrize(("text", "leads", "cooperating"), [
    ("牵头：办公室；配合：法规科、督查科", ["办公室"], ["法规科", "督查科"]),
    ("牵头:区财政局 协助:区审计局", ["区财政局"], ["区审计局"]),
    ("牵头单位：办公室；配合：法规科", ["办公室"], ["法规科"]),
    # the next label written straight after a unit (two lines of a cell joined by a web page)
    ("牵头单位：办公室配合单位：法规科、督查科", ["办公室"], ["法规科", "督查科"]),
    ("牵头：区财政局协助单位：区审计局", ["区财政局"], ["区审计局"]),
])
def test_a_role_verb_with_a_colon_is_a_label(registry: UnitRegistry, text: str, leads: list[str],
                                             cooperating: list[str]) -> None:
    got = registry.parse_cell(text).by_role(Role.RESPONSIBLE)
    assert [u.name for u in got[Role.LEAD][0]] == leads
    assert [u.name for u in got[Role.COOPERATING][0]] == cooperating
    assert Role.RESPONSIBLE not in got
    # role words never stay in a name; what was written stays in as_written
    assert "".join(u.as_written for refs, _ in got.values() for u in refs).replace("、", "") == \
        text.replace("；", "").replace(" ", "").replace("、", "")


def test_a_label_inside_brackets_starts_no_piece(registry: UnitRegistry) -> None:
    (ref,) = registry.parse_cell("市财政局（配合单位：市审计局）").refs
    assert ref.as_written == "市财政局（配合单位：市审计局）"


@pytest.mark.parametrize(("text", "names", "roles"), [
    ("办公室牵头\n法规科配合", ["办公室", "法规科"], [Role.LEAD, Role.COOPERATING]),
    ("办公室（牵头）\n法规科", ["办公室", "法规科"], [Role.LEAD, None]),
    ("政策法规科（牵头）\n信息中心", ["政策法规科", "信息中心"], [Role.LEAD, None]),
    ("办公室负责落实\n各科室配合", ["办公室", "各科室"], [Role.RESPONSIBLE, Role.COOPERATING]),
    ("市自然资源和\n规划局牵头", ["市自然资源和规划局"], [Role.LEAD]),  # one name over two lines
])
def test_a_role_word_ending_a_line_ends_a_unit(registry: UnitRegistry, text: str, names: list[str],
                                               roles: list[Role | None]) -> None:
    parsed = registry.serving("某某区", "区").parse_cell(text)
    assert [u.name for u in parsed.refs] == names
    assert list(parsed.roles) == roles
    assert not any(w in u.name for u in parsed.refs for w in ("牵头", "配合", "负责"))


@pytest.mark.parametrize(("text", "names", "people"), [
    ("市财政局（张三）", ["市财政局"], ["（张三）"]),
    ("市政府办公室 李四", ["市政府办公室"], ["李四"]),
    ("市财政局\n张三 13800000000", ["市财政局"], ["张三 13800000000"]),
    ("市财政局（张三、李四）、市审计局（王五）", ["市财政局", "市审计局"], ["（张三、李四）", "（王五）"]),
    ("区司法局（王五，电话：0538-1234567）", ["区司法局"], ["（王五，电话：0538-1234567）"]),
    ("市财政局张三局长", ["市财政局"], ["张三局长"]),
    ("市财政局 张三，13800000000", ["市财政局"], ["张三，13800000000"]),
    ("牵头单位：市财政局 欧阳明", ["市财政局"], ["欧阳明"]),
])
def test_people_written_with_a_unit_are_no_part_of_its_name(registry: UnitRegistry, text: str, names: list[str],
                                                           people: list[str]) -> None:
    """责任单位及责任人: the person (and a number) is kept in as_written and named in the note."""
    refs = registry.serving("某某市", "市").parse_cell(text).refs
    assert [r.name for r in refs] == names
    assert [r.note for r in refs] == [f"「{p}」 written with the unit names people or how to reach them, not the unit"
                                      for p in people]
    assert "".join(r.as_written for r in refs).replace("、", "") == text.replace("、", "")


@pytest.mark.parametrize("text", [
    "市政府各部门（单位）", "市教育局（泰山区、岱岳区）", "市财政局 王庄镇", "市委编办（市审改办）", "市财政局（全市）",
    "市财政局张三",  # a name straight after the unit, with no title or number: no evidence of a person
])
def test_what_is_no_person_stays_as_it_was(registry: UnitRegistry, text: str) -> None:
    refs = registry.serving("某某市", "市").parse_cell(text).refs
    assert not any(r.note and "people" in r.note for r in refs)
