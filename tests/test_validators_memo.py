"""The name checks' lookups kept across plans (zwgk.validators._memo): findings as without them."""

from __future__ import annotations

import zwgk
from zwgk.model import Metadata, Plan, Task, Unit, UnitKind

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
