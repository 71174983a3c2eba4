"""The one matching engine: zwgk.diff and analysis.compare pair the same tasks by the same rules."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import zwgk
from tests.strategies import examples, plans, realistic_plans
from zwgk._match import REWORD_THRESHOLD, marked, match_tasks, similarity, task_key, text_diff
from zwgk.model import Plan, Task

pd = pytest.importorskip("pandas")

from zwgk import analysis  # noqa: E402


def _edit(plan: Plan, data: st.DataObject) -> Plan:
    """A later year of ``plan``: tasks dropped, reordered, moved to other categories, reworded."""
    tasks = list(plan.tasks)
    out: list[Task] = []
    for t in tasks:
        action = data.draw(st.sampled_from(["keep", "keep", "drop", "reword", "move", "renumber"]))
        if action == "drop":
            continue
        if action == "reword":
            cut = data.draw(st.integers(0, len(t.text)))
            words = data.draw(st.sampled_from(["主动", "全面", "", "不同的话"]))
            t = attrs.evolve(t, text=t.text[:cut] + words + t.text[cut:])
        elif action == "move":
            t = attrs.evolve(t, path=("另一类别", *t.path[1:]))
        elif action == "renumber":
            t = attrs.evolve(t, text=f"{data.draw(st.integers(1, 99))}.{t.text}")
        out.append(t)
    order = data.draw(st.permutations(range(len(out))))
    return attrs.evolve(plan, tasks=tuple(out[i] for i in order))


def _diff_pairs(old: Plan, new: Plan) -> set[tuple[str, str, float]]:
    return {(c.old.id, c.new.id, round(c.similarity, 3)) for c in zwgk.diff(old, new)
            if c.old is not None and c.new is not None}


def _compare_pairs(old: Plan, new: Plan, result: analysis.Comparison | None = None) -> set[tuple[str, str, float]]:
    frame = (result or analysis.compare(old, new)).tasks
    both = frame[frame.status.isin(["kept", "reworded"])]
    return set(zip(both.old_id, both.new_id, both.similarity, strict=True))


@settings(max_examples=examples(20), deadline=None)
@given(st.one_of(plans(max_tasks=8), realistic_plans(max_tasks=8)), st.data())
def test_diff_and_compare_give_the_same_pairs(plan: Plan, data: st.DataObject) -> None:
    later = _edit(plan, data)
    d = zwgk.diff(plan, later)
    pairs = _diff_pairs(plan, later)
    result = analysis.compare(plan, later)
    assert pairs == _compare_pairs(plan, later, result)
    # Each task once on each side; every pair reaches the threshold; every task is reported.
    assert len({p[0] for p in pairs}) == len(pairs) == len({p[1] for p in pairs})
    assert all(p[2] >= REWORD_THRESHOLD for p in pairs)
    assert sum(1 for c in d if c.old is not None) == len(plan.tasks)
    assert sum(1 for c in d if c.new is not None) == len(later.tasks)
    counts = result.counts()
    assert counts["kept"] + counts["reworded"] == len(pairs)
    assert counts["added"] == len(d.added) and counts["removed"] == len(d.removed)


@settings(max_examples=examples(8), deadline=None)
@given(plans(max_tasks=10))
def test_a_plan_against_itself_pairs_every_task_with_itself(plan: Plan) -> None:
    m = match_tasks(plan.tasks, plan.tasks)
    assert {j: i for j, (i, _) in m.pairs.items()} == {i: i for i in range(len(plan.tasks))}


def _task(text: str, path: tuple[str, ...] = ("一、类别",), **kw: object) -> Task:
    return Task(id=text[:8], path=path, text=text, **kw)  # type: ignore[arg-type]


def test_reworded_task_in_another_category_is_paired_by_both() -> None:
    old = Plan(title=None, tasks=(_task("推进医疗信息公开", ("一、民生",)), _task("加强政府信息查阅场所工作")))
    new = Plan(title=None, tasks=(_task("推进医疗卫生领域信息公开", ("三、惠民生",)),
                                  _task("加强政府信息查阅场所工作", ("二、其他",))))
    d = zwgk.diff(old, new)
    assert [c.kind.value for c in d] == ["changed", "changed"]
    result = analysis.compare(old, new)
    assert result.counts() == {"kept": 1, "reworded": 1, "added": 0, "removed": 0}
    row = result.of("reworded").iloc[0]
    assert row.text_diff == "推进医疗{+卫生领域+}信息公开"
    assert "path" in row.changed


def test_leading_item_numbers_and_category_numbering_are_set_aside() -> None:
    assert task_key(" 64. 加强政府信息\n查阅场所工作") == "加强政府信息查阅场所工作"
    old = Plan(title=None, tasks=(_task("64.加强政府信息查阅场所工作", ("（三）加强平台建设",)),))
    new = Plan(title=None, tasks=(_task("59.加强政府信息查阅场所工作", ("（四）加强平台建设",)),))
    result = analysis.compare(old, new)
    assert result.counts()["kept"] == 1
    assert list(result.categories.status) == ["renamed"]
    assert result.tasks.changed.iloc[0] == ""  # the task stayed in its (renumbered) category
    assert zwgk.diff(old, new).changes[0].fields == ("path", "text")


def test_similarity_and_threshold() -> None:
    assert similarity("推进医疗信息公开", "推进医疗信息公开") == 1.0
    assert similarity("甲乙", "丙丁") == 0.0
    assert similarity("1.推进", "2.推进") == 1.0
    old = Plan(title=None, tasks=(_task("推进医疗信息公开"),))
    new = Plan(title=None, tasks=(_task("推进医疗卫生领域信息公开"),))
    score = similarity("推进医疗信息公开", "推进医疗卫生领域信息公开")
    assert zwgk.diff(old, new, threshold=score).changed
    assert not zwgk.diff(old, new, threshold=score + 0.01).changed
    with pytest.raises(zwgk.ZwgkError, match="between 0 and 1"):
        zwgk.diff(old, new, threshold=1.5)


_TEXTS = st.text(alphabet="公开政务信息推进做好，。ab", max_size=30)


@given(_TEXTS, _TEXTS)
def test_text_diff_gives_back_both_texts(a: str, b: str) -> None:
    runs = text_diff(a, b)
    assert "".join(t for op, t in runs if op != "+") == a
    assert "".join(t for op, t in runs if op != "-") == b
    assert all(t for _, t in runs)


def test_text_diff_reads_as_replacements() -> None:
    runs = text_diff("加大食品药品安全信息公开", "加大食品药品监管信息公开力度")
    assert marked(runs) == "加大食品药品[-安全-]{+监管+}信息公开{+力度+}"
    change = zwgk.diff(Plan(title=None, tasks=(_task("推进医疗信息公开"),)),
                       Plan(title=None, tasks=(_task("推进医疗卫生信息公开"),))).changes[0]
    assert change.text_diff() == (("=", "推进医疗"), ("+", "卫生"), ("=", "信息公开"))
