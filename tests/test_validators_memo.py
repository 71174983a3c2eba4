"""The name checks' lookups kept across plans (zwgk.validators._memo), and what the checks of one run
derive from a plan worked out once for all of them (zwgk.validators._walk): findings as without them."""

from __future__ import annotations

import random

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import zwgk
from tests.strategies import examples, plans, realistic_plans, regional_plans
from zwgk.corpus.synthetic import synthetic_plan
from zwgk.model import Metadata, Plan, Task, Unit, UnitKind, UnitRef
from zwgk.units.similar import SimilarityIndex, similar
from zwgk.validators import Validator, _memo, plan_registry, run
from zwgk.validators import names as name_checks
from zwgk.validators._memo import near_pairs
from zwgk.validators._walk import PlanWalk, squeeze, walk_of, walking

NEW = "市数字经济发展促进局"  # in no bundled registry


def _plan(lead: str = NEW) -> Plan:
    reg = zwgk.unit_registry()
    task = Task(id="t1", path=("一、公开",), text="做好公开。", leads=(reg.ref(lead),),
                responsible=(reg.ref("市财政局"),))
    return Plan(title="2020年泰安市政务公开重点工作任务分解表", tasks=(task,),
                metadata=Metadata.from_title("2020年泰安市政务公开重点工作任务分解表"))


def _unknown(plan: Plan, registry: zwgk.UnitRegistry) -> bool:
    return any(NEW in f.units for f in zwgk.validate(plan, registry=registry).findings
               if f.slug in ("unknown-unit", "no-unit-registry"))


def test_a_registry_changed_after_a_check_is_read_anew_and_its_copies_are_not() -> None:
    plan = _plan()
    changed = zwgk.unit_registry()
    zwgk.validate(_plan("市审计局"), registry=changed)  # the lookups of its state are kept from here on
    changed.add(Unit(NEW, UnitKind.DEPARTMENT))
    assert not _unknown(plan, changed)  # a new state: asked anew
    # an unchanged copy, in the old state: NEW was never looked up in it, and the changed registry
    # (which knows NEW) is not asked on its behalf
    assert _unknown(plan, zwgk.unit_registry())
    assert not _unknown(plan, changed)


def test_the_same_findings_however_often_a_plan_is_checked() -> None:
    plan = _plan()
    first = zwgk.validate(plan).findings
    assert all(zwgk.validate(plan).findings == first for _ in range(3))


def _names_of_plans(seed: int, plans: int) -> list[list[str]]:
    """Name lists of plans drawn from the registry's names, with typos, dropped level prefixes,
    full-width brackets and the region spelled out mixed in (so that pairs exist)."""
    rng = random.Random(seed)
    known = sorted({u.name for u in zwgk.unit_registry()})
    out = []
    for _ in range(plans):
        names = rng.sample(known, rng.randint(1, 25))
        for name in list(names):
            roll = rng.random()
            if roll < 0.15 and len(name) > 4:  # a typo in the middle
                i = rng.randrange(1, len(name) - 1)
                names.append(name[:i] + rng.choice("的政务管理服务") + name[i + 1:])
            elif roll < 0.25 and name[0] in "市县区省":
                names.append(name[1:])
            elif roll < 0.3 and name.startswith("市"):
                names.append("泰安市" + name[1:])
            elif roll < 0.35:
                names.append(name.replace("(", "（").replace(")", "）") + " ")
        rng.shuffle(names)
        out.append(list(dict.fromkeys(names)))
    return out


def test_near_pairs_kept_across_plans_are_the_pairs_of_each_plan() -> None:
    regions = ("泰安市", "济南市", None)
    for i, names in enumerate(_names_of_plans(seed=7, plans=120)):
        region = regions[i % len(regions)]
        got = near_pairs(names, region)
        expected = SimilarityIndex(names, region=region).pairs()
        assert sorted(map(repr, got)) == sorted(map(repr, expected))
        brute = [similar(a, b, region=region) for j, a in enumerate(names) for b in names[j + 1:]]
        assert len(got) == len([p for p in brute if p is not None])
        position = {name: k for k, name in enumerate(names)}
        firsts = [min(position[p.a], position[p.b]) for p in got]
        assert firsts == sorted(firsts)  # in order of the first name
    assert any(near_pairs(names, "泰安市") for names in _names_of_plans(seed=7, plans=30))


def test_near_pairs_start_over_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_memo, "ENTRIES", 5)
    for names in _names_of_plans(seed=3, plans=40):
        assert sorted(map(repr, near_pairs(names, "泰安市"))) == \
            sorted(map(repr, SimilarityIndex(names, region="泰安市").pairs()))


def _each_resolved_added(plan: Plan) -> zwgk.UnitRegistry:
    """The default registry with each unit the plan resolved and it lacks added, in table order."""
    reg = zwgk.unit_registry()
    for a in plan.assignments():
        if a.unit.resolved and reg.resolve(a.unit.name) is None:
            reg.add(Unit(a.unit.name, a.unit.kind))
    return reg


def test_plan_registry_is_the_default_one_unless_the_plan_resolved_a_unit_it_lacks() -> None:
    base = zwgk.unit_registry()
    plan = _plan("市财政局")
    assert plan_registry(plan, base) is base
    resolved = UnitRef(NEW, NEW, UnitKind.DEPARTMENT, resolved=True)
    task = attrs.evolve(plan.tasks[0], cooperating=(resolved, resolved))
    own = attrs.evolve(plan, tasks=(task,))
    reg = plan_registry(own, base)
    assert reg is not base and base.resolve(NEW) is None
    assert reg.resolve(NEW) == Unit(NEW, UnitKind.DEPARTMENT)
    assert len(list(reg)) == len(list(base)) + 1
    for p in (plan, own, _plan()):  # zwgk.validate's own registry: the same findings as one built unit by unit
        assert zwgk.validate(p).findings == zwgk.validate(p, registry=_each_resolved_added(p)).findings
        assert zwgk.validate(p, registry=plan_registry(p, zwgk.unit_registry())).findings == \
            zwgk.validate(p).findings
    assert any(f.slug == "unknown-unit" for f in zwgk.validate(_plan(), registry=plan_registry(_plan(), base)).findings)


def _alone(plan: Plan, validator: Validator, registry: zwgk.UnitRegistry) -> list[str]:
    """The findings of ``validator`` called by itself, outside any run (a walk of the plan of its own)."""
    return [f"{validator.code} {f.task_id} {f.message} {f.units} {f.hint}" for f in validator.check(plan, registry)]


def _same_findings_walked_once_or_each_alone(plan: Plan) -> None:
    validators = list(zwgk.get_validators().values())
    for registry in (zwgk.unit_registry(), plan_registry(plan, zwgk.unit_registry())):
        together = run(plan, validators, registry)
        for v in validators:  # the run's shared walk against each check's own walk
            mine = [f for f in together.findings if f.code == v.code]
            assert [f"{v.code} {f.task_id} {f.message} {f.units} {f.hint}" for f in mine] == _alone(plan, v, registry)
            assert run(plan, [v], registry).findings == tuple(mine)


@given(st.one_of(plans(), realistic_plans(), regional_plans()))
@settings(max_examples=examples(150))
def test_the_checks_of_a_run_sharing_one_walk_find_what_each_finds_alone(plan: Plan) -> None:
    _same_findings_walked_once_or_each_alone(plan)


@given(st.one_of(plans(), realistic_plans(), regional_plans()))
@settings(max_examples=examples(150))
def test_the_walk_finds_what_reading_each_task_finds(plan: Plan) -> None:
    walk = PlanWalk(plan)
    refs = [(task, ref) for task in plan.tasks for ref in task.units()]
    by_name = {ref.name: [t for t in plan.tasks if any(r.name == ref.name for r in t.units())] for _, ref in refs}
    assert list(walk.usage) == list(by_name)
    assert all(use.tasks == by_name[name] and use.first == next(r for _, r in refs if r.name == name)
               for name, use in walk.usage.items())
    spelled = {(ref.as_written if ref.note is None else (ref.as_written, ref.note)): ref for _, ref in refs}
    assert list(walk.spelled) == list(spelled)
    assert all(tasks == [t for t in plan.tasks if any(r.as_written == ref.as_written and r.note == ref.note
                                                      for r in t.units())]
               for tasks, ref in zip(walk.spelled.values(), spelled.values(), strict=True))
    assert walk.repeated == [t for t in plan.tasks if len({r.name for r in t.units()}) < len(t.units())]
    assert walk.mixed_kinds == any(len({r.kind for _, r in refs if r.name == name}) > 1 for name in by_name)


def test_the_walk_tells_a_name_read_as_two_kinds() -> None:
    plan = _plan()
    first = plan.tasks[0]
    again = attrs.evolve(first, id="t2", leads=(attrs.evolve(first.leads[0], kind=UnitKind.OTHER),))
    assert not PlanWalk(plan).mixed_kinds
    assert PlanWalk(attrs.evolve(plan, tasks=(first, again))).mixed_kinds


def test_one_walk_on_generated_corpus_plans() -> None:
    plans_ = [synthetic_plan(seed) for seed in range(40)]
    assert any(zwgk.validate(p).findings for p in plans_)
    for plan in plans_:
        _same_findings_walked_once_or_each_alone(plan)


def test_a_check_of_another_plan_inside_a_run_walks_that_plan() -> None:
    first, second = synthetic_plan(1), synthetic_plan(2)
    with walking(first) as walk:
        assert walk_of(first) is walk
        other = walk_of(second)
        assert other is not walk and other.plan is second
        assert list(other.usage) == list(PlanWalk(second).usage)
        assert [f.message for f in name_checks.unknown_unit(second, zwgk.unit_registry())] == \
            [f.message for f in name_checks.unknown_unit(second, zwgk.unit_registry())]
    assert walk_of(first) is not walk  # the run's walk ends with it


def test_lookups_are_kept_for_the_registry_serving_each_region_of_a_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    from zwgk.corpus.synthetic import REGIONS

    plans_ = [synthetic_plan(seed) for seed in range(60)]
    assert {p.metadata.region for p in plans_} == set(REGIONS)  # more regions than a handful
    for plan in plans_:  # every name of every region looked up once
        zwgk.validate(plan)
    asked: list[str] = []
    resolve = zwgk.UnitRegistry.resolve

    def counted(self: zwgk.UnitRegistry, name: str) -> Unit | None:
        asked.append(name)
        return resolve(self, name)

    monkeypatch.setattr(zwgk.UnitRegistry, "resolve", counted)
    again = [zwgk.validate(plan).findings for plan in plans_]
    assert asked == []  # each region's serving registry kept its lookups
    monkeypatch.undo()
    assert again == [zwgk.validate(plan).findings for plan in plans_]


def test_the_walk_notes_the_references_with_a_note_in_table_order() -> None:
    """The OCR check reads the references with a note from the run's walk: the same findings, in
    table order, as a look at every reference; a note on a spelling (the others have none) counts too."""
    reg = zwgk.unit_registry()
    plan = synthetic_plan(3)
    corrected = "read as 市财攻局 by OCR; taken as 市财政局 (one character)"
    tasks = list(plan.tasks)
    for k in (0, len(tasks) // 2, len(tasks) - 1):
        t = tasks[k]
        extra = attrs.evolve(reg.ref("市财政局"), as_written="市财攻局", note=corrected)
        tasks[k] = attrs.evolve(t, cooperating=(*t.cooperating, extra), leads=(attrs.evolve(t.leads[0], note="其他"),
                                                                               *t.leads[1:]) if t.leads else ())
    plan = attrs.evolve(plan, tasks=tuple(tasks))
    every = [(t, r) for t in plan.tasks for refs in (t.leads, t.responsible, t.cooperating) for r in refs
             if r.note is not None]
    assert PlanWalk(plan).noted == every and len(every) >= 3
    found = [f for f in zwgk.validate(plan).findings if f.slug == "corrected-unit"]
    assert [f.task_id for f in found] == [tasks[k].id for k in (0, len(tasks) // 2, len(tasks) - 1)]
    assert all("taken as 市财政局" in f.message for f in found)
    _same_findings_walked_once_or_each_alone(plan)


def test_squeeze_takes_out_what_a_whitespace_pattern_matches_for_every_character() -> None:
    import re

    pattern = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
    for code in range(0x30000):
        text = f"甲{chr(code)}乙{chr(code) * 2}"
        assert squeeze(text) == pattern.sub("", text), hex(code)
    assert squeeze(None) == squeeze("") == "" and squeeze(" \u200b\n\ufeff\u3000") == ""
