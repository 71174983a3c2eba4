"""Near-duplicate unit names: the predicate, the pruned index, and the bounded edit distance."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.strategies import examples
from zwgk.units.similar import SimilarityIndex, bounded_distance, near_duplicates, similar


def levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


@pytest.mark.parametrize(
    ("a", "b", "reason"),
    [
        ("泰安护理职业学院", "泰山护理职业学院", "typo"),
        ("生态环境局", "市生态环境局", "prefix"),
        ("市场监管局", "市市场监管局", "prefix"),
        ("市住房城乡建设局", "市住房和城乡建设局", "typo"),
        ("泰安市生态环境局", "市生态环境局", "written"),
        ("市政府各部门(单位)", "市政府各部门（单位）", "written"),
    ],
)
def test_same_unit_written_two_ways(a: str, b: str, reason: str) -> None:
    pair = similar(a, b, region="泰安市")
    assert pair is not None and pair.reason == reason
    assert similar(b, a, region="泰安市") == pair
    assert {pair.a, pair.b} == {a, b}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("市交通运输局", "市水利局"),
        ("市民政局", "市医保局"),
        ("泰山职业技术学院", "山东服装职业学院"),
        ("市民政局", "市财政局"),  # one character apart, different departments
        ("市教育局", "市体育局"),
        ("市教育局", "县教育局"),  # different levels
        ("泰安第一中学", "泰安第二中学"),  # numbered bodies
        ("市大数据中心", "市大数据局"),  # different kinds of body
        ("市政府有关部门（单位）", "市政府各相关部门（单位）"),
        ("市公共资源交易中心", "市公用事业服务中心"),
        ("市发展改革委", "市发展改革委"),  # the same name is not a pair
    ],
)
def test_different_units_are_not_paired(a: str, b: str) -> None:
    assert similar(a, b, region="泰安市") is None


def test_real_names_of_different_units_give_no_pair() -> None:
    names = [
        "市交通运输局", "市水利局", "市民政局", "市医保局", "泰山职业技术学院", "山东服装职业学院",
        "市财政局", "市教育局", "市体育局", "市公安局", "市司法局", "市审计局", "市商务局", "市科技局",
        "市应急局", "市税务局", "市能源局", "市国资委", "市卫生健康委", "市发展改革委", "市扶贫办",
        "市委编办", "市政府办公室", "市政府新闻办", "市大数据中心", "市公共资源交易中心",
        "市公用事业服务中心", "市房产管理服务中心", "市供电公司", "市农业农村局", "市城市管理局",
        "市自然资源和规划局", "市住房城乡建设局", "市人力资源社会保障局", "市市场监管局", "市地方金融监管局",
        "市文化和旅游局", "市工业和信息化局", "市退役军人局", "市行政审批服务局", "泰山护理职业学院",
    ]
    assert near_duplicates(names, region="泰安市") == []


def test_index_finds_both_sample_pairs_among_many_names() -> None:
    names = ["市生态环境局", "市水利局", "泰安护理职业学院", "生态环境局", "市民政局", "泰山护理职业学院"]
    pairs = {(p.a, p.b, p.reason) for p in near_duplicates(names)}
    assert pairs == {("市生态环境局", "生态环境局", "prefix"), ("泰安护理职业学院", "泰山护理职业学院", "typo")}


def test_query_suggests_registry_names() -> None:
    index = SimilarityIndex(["市生态环境局", "市水利局"])
    assert [(p.a, p.b) for p in index.query("生态环境局")] == [("市生态环境局", "生态环境局")]
    assert index.query("市公安局") == []
    assert "市水利局" in index and len(index) == 2


_CHARS = "安山东泰护理学职业技术环境生态水利交通"
_name = st.builds(
    lambda level, core, suffix: level + core + suffix,
    st.sampled_from(["", "市", "县"]),
    st.text(alphabet=_CHARS, min_size=1, max_size=9),
    st.sampled_from(["局", "学院", "职业学院", "中心", ""]),
)


@settings(max_examples=examples(80), deadline=None)
@given(st.lists(_name, min_size=0, max_size=25))
def test_index_equals_all_pairs(names: list[str]) -> None:
    brute = set()
    for a, b in itertools.combinations(dict.fromkeys(names), 2):
        pair = similar(a, b)
        if pair is not None:
            brute.add(pair)
    assert set(near_duplicates(names)) == brute


@settings(max_examples=examples(80), deadline=None)
@given(_name, st.data())
def test_a_one_character_typo_in_a_long_core_is_found(name: str, data: st.DataObject) -> None:
    index = SimilarityIndex([name])
    level = next((p for p in ("市", "县") if name.startswith(p)), "")
    body = name[len(level):]
    suffix = next((s for s in ("职业学院", "学院", "局", "中心") if body.endswith(s) and len(body) > len(s)), "")
    core = body[: len(body) - len(suffix)]
    if len(core) < 4:
        return
    i = data.draw(st.integers(0, len(core) - 1))
    replacement = data.draw(st.sampled_from("甲乙丙丁"))
    typo = level + core[:i] + replacement + core[i + 1:] + suffix
    assert [(p.reason, p.distance) for p in index.query(typo)] == [("typo", 1)]


@settings(max_examples=examples(100), deadline=None)
@given(st.text(alphabet="abc", max_size=8), st.text(alphabet="abc", max_size=8), st.integers(0, 3))
def test_bounded_distance_agrees_with_levenshtein(a: str, b: str, bound: int) -> None:
    full = levenshtein(a, b)
    assert bounded_distance(a, b, bound) == (full if full <= bound else None)
