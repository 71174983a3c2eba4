"""The bundled 2020 Tai'an table, checked against an independent reading of the raw file."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import zwgk
from zwgk.model import Plan, Role


def raw_rows(path: Path) -> list[list[str]]:
    """Rows of the text form read the plainest way: TAB opens a cell, blank line ends a row."""
    rows: list[list[str]] = []
    cur: list[str] = []
    started = False
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.startswith("\t"):
            started = True
            cur.append(line[1:])
        elif not line.strip():
            if cur:
                rows.append(cur)
            cur = []
        elif started:
            cur[-1] += "\n" + line
    if cur:
        rows.append(cur)
    return rows[1:]  # without the header row


def test_counts(sample: Plan) -> None:
    assert len(sample.tasks) == 143
    assert len(sample.categories(level=1)) == 6
    named_second = {t.path[1] for t in sample.tasks if len(t.path) > 1}
    assert len(named_second) == 25
    assert sample.title == "2020年泰安市政务公开重点工作任务分解表"
    assert sample.metadata.year == 2020
    assert sample.metadata.region == "泰安市"
    assert sample.preamble[0] == "附件"


def test_texts_and_category_counts_match_the_raw_table(sample: Plan, sample_path: Path) -> None:
    rows = raw_rows(sample_path)
    assert len(rows) == 143
    texts: list[str] = []
    per_first: Counter[str] = Counter()
    first = ""
    for cells in rows:
        assert len(cells) in (4, 5)
        if cells[0].strip():
            first = cells[0].strip()
        per_first[first] += 1
        texts.append(cells[2] if len(cells) == 5 else cells[1])
    # No task text is altered: each equals its source cell, in table order.
    assert [t.text for t in sample.tasks] == [t.strip() for t in texts]
    got = Counter(t.path[0] for t in sample.tasks)
    assert got == per_first
    # First-level categories in table order.
    order = list(dict.fromkeys(t.path[0] for t in sample.tasks))
    assert order == list(dict.fromkeys(per_first))


def test_page_break_repeats_are_the_same_category(sample: Plan) -> None:
    # "推进管理和服务公开" is repeated after a page break; it stays one contiguous category.
    paths = [t.path for t in sample.tasks]
    seen: list[tuple[str, ...]] = []
    for p in paths:
        if not seen or seen[-1] != p:
            assert p not in seen, f"category {p} reappears after another one"
            seen.append(p)
    assert len(sample.tasks_in(("推进决策、执行、管理、服务和结果全过程公开", "推进管理和服务公开"))) == 8


def test_task_spanning_second_level_and_task_columns(sample: Plan) -> None:
    [task] = [t for t in sample.tasks if t.text.startswith("各县（市、区）、各市直部门要在政府网站")]
    assert task.path == ("聚焦中心工作和重点领域推进信息公开",)
    assert task.leads == ()
    assert [u.name for u in task.responsible] == ["市政府各部门（单位）", "各县（市、区）"]
    # The next task starts a new second-level category.
    nxt = sample.tasks[sample.tasks.index(task) + 1]
    assert nxt.path == ("聚焦中心工作和重点领域推进信息公开", "持续做好重点领域信息公开")


def test_unit_cells(sample: Plan) -> None:
    by_text = {t.text[:12]: t for t in sample.tasks}
    t = by_text["构建以市公共资源交易电子"]
    assert [u.name for u in t.leads] == ["市行政审批服务局", "市公共资源交易中心"]
    # A line break with no 、 between two complete names separates them too.
    t = next(t for t in sample.tasks if t.text.startswith("完善公共资源交易制度"))
    assert [u.name for u in t.leads] == ["市行政审批服务局", "市公共资源交易中心"]
    assert [u.as_written for u in t.leads] == ["市行政审批服务局", "市公共资源交易中心"]
    # A line break inside a name joins.
    t = next(t for t in sample.tasks if t.text.startswith("重点公开征收土地信息"))
    assert [u.name for u in t.leads] == ["市自然资源和规划局"]
    assert t.leads[0].as_written == "市自然资源和\n规划局"
    # A trailing 等 is an open list, not part of a name.
    t = next(t for t in sample.tasks if t.text.startswith("加强释放消费需求潜力"))
    assert [u.name for u in t.leads] == ["市商务局", "市文化和旅游局"]
    assert t.is_open(Role.LEAD) and not t.is_open(Role.RESPONSIBLE)
    assert t.leads[-1].as_written == "市文化和旅游局等"
    # 各县（市、区） stays whole wherever it appears.
    for task in sample.tasks:
        for ref in task.units():
            assert "、" not in ref.name or ref.name.count("（") > 0
            assert "\n" not in ref.name and ref.name == ref.name.strip()
            assert not ref.name.endswith("等")
    assert all(u.name != "各县（市" for u in sample.units())
    # A leading space is layout, not part of the name.
    t = next(t for t in sample.tasks if t.text.startswith("完成IPV6升级改造"))
    assert [u.name for u in t.leads] == ["市大数据中心"]


def test_source_positions(sample: Plan) -> None:
    first = sample.tasks[0]
    assert first.source is not None
    assert first.source.row == 2 and first.source.line == 10
    assert all(t.source is not None and t.source.line for t in sample.tasks)


def test_query_helpers(sample: Plan) -> None:
    leads = sample.tasks_for("市审计局", role=Role.LEAD)
    assert [t.text[:8] for t in leads] == ["做好审计发现问题", "重点公开竣工有关"]
    load = sample.workload()
    assert load["市审计局"][Role.LEAD] == 2
    triples = list(sample.assignments())
    assert len(triples) == sum(len(t.units()) for t in sample.tasks)
    assert sample.task(sample.tasks[5].id) == sample.tasks[5]


def test_ids_are_stable_and_unique(sample: Plan, sample_path: Path) -> None:
    again = zwgk.load(sample_path)
    assert [t.id for t in again.tasks] == [t.id for t in sample.tasks]
    assert len({t.id for t in sample.tasks}) == len(sample.tasks)


def test_plan_units_hold_what_was_written(sample: Plan) -> None:
    held = {u.name: u.aliases for u in sample.units()}
    assert held["市生态环境局"] == ("生态环境局",)
    assert held["市文化和旅游局"] == ("市文化和旅游局等",)  # the plan holds the cell's text, 等 included
    assert any("\n" in a for a in held["市自然资源和规划局"])  # and its line break
    written = {a.unit.as_written for a in sample.assignments()}
    for name, aliases in held.items():
        assert name not in aliases and set(aliases) <= written
