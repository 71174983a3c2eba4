"""Checks on who leads: missing leads, units in two roles, collectives overlapping members, open lead lists.

Codes ZW101–ZW104; see ``docs/validators.md``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from zwgk.hookspecs import hookimpl
from zwgk.model import Plan, Role, Task, Unit, UnitKind, UnitRef
from zwgk.units import UnitRegistry
from zwgk.validators._core import Validator
from zwgk.validators._memo import memo
from zwgk.validators._report import Finding, Severity
from zwgk.validators._walk import walk_of
from zwgk.vocabulary import header_key, names_people

__all__ = ["collective_overlap", "covers", "missing_lead", "open_lead_list", "role_conflict"]

_OTHER_ROLES = (Role.RESPONSIBLE, Role.COOPERATING)
_ROLE_NAMES = {Role.LEAD: "lead", Role.RESPONSIBLE: "responsible", Role.COOPERATING: "cooperating"}
# A single name that leaves the list open: 市行政审批服务局等相关部门（单位）.
_OPEN_NAME_RE = re.compile(r".等(?:各|其他|其它|相关|有关)*(?:部门|单位|机构|县)")


def _names(refs: tuple[UnitRef, ...]) -> list[str]:
    return list(dict.fromkeys(r.name for r in refs))


def _others(task: Task) -> tuple[tuple[Role, tuple[UnitRef, ...]], ...]:
    """A task's roles other than lead (:data:`_OTHER_ROLES`) with its units in each."""
    return (Role.RESPONSIBLE, task.responsible), (Role.COOPERATING, task.cooperating)


def _people(task: Task) -> str:
    """The people a task names in its extra cells (责任人：张三), as written, or ``""``."""
    return "；".join(f"{header}：{value}" for header, value in task.extra
                    if any(names_people(header_key(h)) for h in header.split("/")))


def missing_lead(plan: Plan, registry: UnitRegistry) -> Iterator[Finding]:
    """A task with no lead unit.

    In a table without a lead column (no task names a lead), the responsible units lead in practice,
    and only a task naming no unit at all is reported (with the people it names, in a table whose
    only "who" column is 责任人: people lead no task in a unit's name).
    """
    has_leads = any(t.leads for t in plan.tasks)
    for task in plan.tasks:
        if task.leads or (not has_leads and task.units()):
            continue
        others = _names(task.responsible + task.cooperating)
        if not has_leads:
            people = _people(task)
            yield Finding.at(task, "the task names no unit at all" + (
                f", only people ({people})" if people else ""),
                             hint="name the unit that leads the task and the units responsible for it")
        elif others:
            yield Finding.at(
                task,
                f"the task has no lead unit (牵头单位); it names {'、'.join(others)} only as "
                f"{'/'.join(_ROLE_NAMES[r] for r in _OTHER_ROLES if task.units(r))}",
                units=others,
                hint="fill in the lead unit; if the row continues the task above, merge the cells",
            )
        else:
            yield Finding.at(task, "the task has no lead unit (牵头单位) and names no unit",
                             hint="fill in the lead unit and the units responsible for the task")


def role_conflict(plan: Plan, registry: UnitRegistry) -> Iterator[Finding]:
    """A unit that is both lead and responsible (or cooperating) on the same task."""
    for task in walk_of(plan).repeated:  # only a task naming a unit twice can name it in two roles
        if not task.leads:
            continue
        leads: list[str] | None = None  # the lead names, once a role shares one
        for role, refs in _others(task):
            if not refs:
                continue
            others = {r.name for r in refs}
            if not any(r.name in others for r in task.leads):  # most tasks: no unit in two roles
                continue
            if leads is None:
                leads = _names(task.leads)
            for name in leads:
                if name in others:
                    yield Finding.at(
                        task,
                        f"{name} is both lead and {_ROLE_NAMES[role]} unit of this task",
                        units=(name,),
                        hint=f"list {name} once, as lead, and drop it from the {role.label} column",
                    )


def covers(collective: Unit, member: UnitRef) -> bool:
    """True when ``collective`` stands for all units including ``member``.

    ``covers`` entries are canonical names or ``kind:<kind>`` (every unit of that kind); entries
    marked ``some:`` cover only some units and never imply a given one.
    """
    if member.name == collective.name or member.kind is UnitKind.COLLECTIVE:
        return False
    for entry in collective.covers:
        if entry.startswith("some:"):
            continue
        if entry.startswith("kind:"):
            if member.kind.value == entry[len("kind:"):]:
                return True
        elif entry == member.name:
            return True
    return False


class _Coverage:
    """A collective with what its ``covers`` entries name, for :func:`covers` tests by lookup: the
    canonical names and the kinds (``kind:`` entries) it stands for (``some:`` entries never count)."""

    __slots__ = ("kinds", "names", "unit")

    def __init__(self, unit: Unit) -> None:
        self.unit = unit
        entries = [e for e in unit.covers if not e.startswith("some:")]
        kinds = {e[len("kind:"):] for e in entries if e.startswith("kind:")}
        self.kinds = tuple(k for k in UnitKind if k.value in kinds)  # tested by identity: no hashing
        self.names = frozenset(e for e in entries if not e.startswith("kind:"))

    def members(self, refs: tuple[UnitRef, ...]) -> list[str]:
        """The names of ``refs`` this collective covers (each once, in order): :func:`covers` for each."""
        name, collective = self.unit.name, UnitKind.COLLECTIVE
        hit = [r.name for r in refs if r.name != name and r.kind is not collective
               and (r.name in self.names or r.kind in self.kinds)]
        return list(dict.fromkeys(hit)) if len(hit) > 1 else hit


_UNSEEN = object()  # a key not in the table yet (None is a name that is no collective)


def _collective(ref: UnitRef, resolve: Callable[[str], Unit | None]) -> _Coverage | None:
    unit = resolve(ref.name) or resolve(ref.as_written)
    return _Coverage(unit) if unit is not None and unit.covers else None


def collective_overlap(plan: Plan, registry: UnitRegistry) -> Iterator[Finding]:
    """A lead collective whose members are also listed in another role, or the reverse."""
    lookups = memo(registry)
    resolve, known = lookups.resolve, lookups.derived("collective-overlap")
    walk = walk_of(plan)
    # each name's collective, from the first reference naming it (table order): most plans name none;
    # what a name and its writing resolve to is kept across plans (the same registry state)
    cache: dict[str, _Coverage] = {}  # the names that are collectives
    for name, use in walk.usage.items():
        key = (name, use.first.as_written)
        coverage = known.get(key, _UNSEEN)
        if coverage is _UNSEEN:
            coverage = known.put(key, _collective(use.first, resolve))
        if coverage is not None:
            cache[name] = coverage
    if not cache:
        return
    if not walk.mixed_kinds:  # each name one kind: a collective that can cover no name of the plan finds nothing
        # (kept when it names one of them or a kind of one: enough to tell most from the names alone)
        usage = walk.usage
        kinds = {use.first.kind for use in usage.values()}
        cache = {name: coverage for name, coverage in cache.items()
                 if not coverage.names.isdisjoint(usage) or any(k in kinds for k in coverage.kinds)}
        if not cache:
            return
    collective = cache.get
    # only a task naming a collective can find anything
    for task in walk.in_order(*(use.tasks for name, use in walk.usage.items() if name in cache)):
        if not task.leads or not (task.responsible or task.cooperating):  # nothing to overlap
            continue
        lead_collectives = [of for lead in task.leads if (of := collective(lead.name)) is not None]
        for role, refs in _others(task):
            if not refs:  # nothing to overlap with
                continue
            label = _ROLE_NAMES[role]
            for coverage in lead_collectives:
                c = coverage.unit
                members = coverage.members(refs)
                if members:
                    yield Finding.at(
                        task,
                        f"the lead {c.name} already includes {'、'.join(members)}, "
                        f"which {'is' if len(members) == 1 else 'are'} also listed as {label}",
                        units=(c.name, *members),
                        hint=f"if {c.name} is meant to include them, drop them from the {role.label} column",
                    )
            for ref in refs:
                of = collective(ref.name)
                if of is not None:
                    c = of.unit
                    members = of.members(task.leads)
                    if members:
                        yield Finding.at(
                            task,
                            f"the {label} collective {c.name} includes the lead {'、'.join(members)}",
                            units=(c.name, *members),
                            hint=f"if the lead is not meant to be counted again, write "
                                 f"{c.name}（除{'、'.join(members)}外）",
                        )


def _as_written(refs: tuple[UnitRef, ...]) -> str:
    """The unit list as the cell wrote it (pieces joined with 、, a closing 等 kept or restored)."""
    pieces = ["".join(ref.as_written.split()) for ref in refs]
    out = ""
    for piece in pieces:
        out += piece if not out or piece.startswith("等") else "、" + piece
    closed = any(p.startswith("等") for p in pieces) or (bool(pieces) and pieces[-1].endswith("等"))
    return out if closed else out + "等"


def open_lead_list(plan: Plan, registry: UnitRegistry) -> Iterator[Finding]:
    """A lead list ending in 等, or a lead written as ``X等相关部门``: the leads are not all named."""
    lookups = memo(registry)
    resolve, known = lookups.resolve, lookups.derived("open-lead-list")
    opens: set[str] = set()  # the names that leave a list open, were they a lead: most plans have none
    for name in walk_of(plan).usage:
        leaves_open = known.get(name)
        if leaves_open is None:
            leaves_open = known.put(name, bool(_OPEN_NAME_RE.search(name)) and resolve(name) is None)
        if leaves_open:
            opens.add(name)
    for task in plan.tasks:
        if task.open_roles and Role.LEAD in task.open_roles:  # task.is_open(Role.LEAD)
            leads = _names(task.leads)
            yield Finding.at(
                task,
                f"the lead list ends in 等 ({_as_written(task.leads)}): the lead units are not all named",
                units=leads,
                hint="name every lead unit, or keep one lead and list the others as responsible",
            )
            continue
        if not opens:
            continue
        for ref in task.leads:
            if ref.name in opens:
                name = " ".join(ref.as_written.split())
                yield Finding.at(
                    task,
                    f"the lead {name} names one unit and leaves the others open (等)",
                    units=(ref.name,),
                    hint="name every lead unit, or keep one lead and list the others as responsible",
                )


VALIDATORS = (
    Validator("ZW101", "missing-lead", Severity.ERROR, missing_lead, "a task has no lead unit"),
    Validator("ZW102", "role-conflict", Severity.WARNING, role_conflict,
              "a unit is both lead and responsible or cooperating on one task"),
    Validator("ZW103", "collective-overlap", Severity.INFO, collective_overlap,
              "a lead collective (市政府各部门) also lists one of its members in another role, or the reverse"),
    Validator("ZW104", "open-lead-list", Severity.WARNING, open_lead_list,
              "the lead list ends in 等, so the leads are not all named"),
)


@hookimpl
def register_validators(register: Callable[[Validator], None]) -> None:
    for v in VALIDATORS:
        register(v)
