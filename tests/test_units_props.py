"""Property-based tests of the splitter: round trips, idempotence, nothing lost, never a crash."""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.strategies import examples
from zwgk.model import Unit
from zwgk.units import UnitRegistry, default_registry
from zwgk.units._normalize import EXCEL_CR, HARD_SEPARATORS, clean_name, is_space, match_key

# Ordinary characters of unit names; no 等, no characters of role words (牵头 负责 配合 参与 协助 主办 由).
BODY = (
    "财政教育民生态环境交通运输水利文化旅游体育卫健康农业村商务科技审计"
    "统公安司法人力资源社保障住房城乡建设自然规划信息工能城市管理大数据新闻"
)
LEVELS = ["市", "县", "区", "各", "省", "中共"]
SUFFIXES = ["局", "委", "办", "中心", "院", "公司", "办公室", "学院", "所", "站", "队", "会", "社", "委员会", "政府"]
BRACKETS = [("（", "）"), ("(", ")"), ("（", ")"), ("〔", "〕"), ("[", "]")]
INNER_SEPS = ["、", "，", ",", "；", " 、", "、 ", "\u3000"]
SEPARATORS = ["、", "，", ",", "；", ";", "\n", "\r\n", "、\n", " ，", "；\n ", "\u3000", " ", "\n\n", "、\u200b",
              EXCEL_CR + "\n", "、、", " \u00a0"]

body = st.text(alphabet=BODY, min_size=1, max_size=5)


@st.composite
def bracket_group(draw: st.DrawFn, depth: int = 0) -> str:
    opening, closing = draw(st.sampled_from(BRACKETS))
    items = draw(st.lists(body, min_size=1, max_size=3))
    if depth < 2 and draw(st.booleans()):
        items[-1] += draw(bracket_group(depth + 1))
    sep = draw(st.sampled_from(INNER_SEPS))
    return opening + sep.join(items) + closing


@st.composite
def unit_name(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(LEVELS)) + draw(body) + draw(st.sampled_from(SUFFIXES))
    if draw(st.integers(0, 2)) == 0:
        name += draw(bracket_group())
    return name


names_lists = st.lists(unit_name(), min_size=1, max_size=6)


def _no_concatenations(names: list[str]) -> bool:
    keys = {match_key(n) for n in names}
    return not any(match_key(a + b) in keys for a in names for b in names)


@settings(max_examples=examples(80), suppress_health_check=[HealthCheck.too_slow])
@given(names=names_lists, sep=st.sampled_from(SEPARATORS), trailing=st.booleans(), registered=st.booleans())
def test_join_then_split_gives_the_names_back(names: list[str], sep: str, trailing: bool, registered: bool) -> None:
    assume(_no_concatenations(names))
    reg = default_registry() if registered else UnitRegistry()
    if registered:
        for n in names:
            if reg.resolve(n) is None:
                reg.add(Unit(clean_name(n)))
    cell = sep.join(names) + (sep if trailing else "")
    parsed = reg.parse_cell(cell)
    assert [r.as_written for r in parsed.refs] == names
    assert not parsed.open_list and parsed.roles == ()
    for r in parsed.refs:
        assert r.as_written in cell  # what was written, untouched
        if not registered:
            assert r.name == clean_name(r.as_written)


@settings(max_examples=examples(80))
@given(names=names_lists, sep=st.sampled_from(SEPARATORS), registered=st.booleans())
def test_splitting_is_idempotent(names: list[str], sep: str, registered: bool) -> None:
    reg = zwgk_registry() if registered else UnitRegistry()
    refs = reg.split(sep.join(names))
    for r in refs:
        assert reg.split(r.as_written) == [r]
    assert reg.split("、".join(r.as_written for r in refs)) == refs


def zwgk_registry() -> UnitRegistry:
    import zwgk

    return zwgk.unit_registry()


NOISE_TOKENS = [
    *"市局委办（）()〔〕【】、，,；;：: \n\r\t\u3000\u00a0\u200b等由甲乙丙丁《》/",
    "牵头", "配合", "牵头单位：", "责任单位:", "等相关部门（单位）", "各县（市、区）", EXCEL_CR, "中心", "x", "_",
]


def _kept(text: str) -> Counter[str]:
    text = text.replace(EXCEL_CR, "")
    return Counter(ch for ch in text if ch not in HARD_SEPARATORS and not is_space(ch))


@settings(max_examples=examples(60), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(tokens=st.lists(st.sampled_from(NOISE_TOKENS), max_size=700), learn=st.booleans())
def test_noise_never_crashes_and_loses_nothing(tokens: list[str], learn: bool) -> None:
    cell = "".join(tokens)[:2000]
    reg = zwgk_registry()
    parsed = reg.parse_cell(cell, learn=learn)
    written = Counter[str]()
    for r in parsed.refs:
        written += _kept(r.as_written)
        assert r.as_written in cell
        assert "\n" not in r.name and r.name == r.name.strip()
    if parsed.refs:
        assert written == _kept(cell)
    else:
        assert parsed.warnings or not _kept(cell)
    if parsed.roles:
        assert len(parsed.roles) == len(parsed.refs)


@settings(max_examples=examples(60))
@given(names=names_lists)
def test_normalisation_never_changes_as_written(names: list[str]) -> None:
    reg = zwgk_registry()
    cell = "、".join(names)
    for r, n in zip(reg.split(cell), names, strict=True):
        assert r.as_written == n
        assert reg.ref(n).as_written == n
        assert match_key(r.as_written) == match_key(n)
