"""What the analysis modules share: importing pandas, role selection, the (task, unit, role) triples."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from zwgk.errors import ZwgkError
from zwgk.model import Plan, Role, UnitKind

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ROLE_ORDER", "Triples", "ordered", "pandas_module", "plan_label", "roles_of", "triples"]

#: Roles in table order (牵头, 责任, 配合): the order of role columns and of the ``role`` categorical.
ROLE_ORDER: tuple[Role, ...] = (Role.LEAD, Role.RESPONSIBLE, Role.COOPERATING)


def pandas_module() -> Any:
    try:
        import pandas
    except ImportError:
        raise ZwgkError('zwgk.analysis needs pandas: pip install pandas '
                        '(or, from a zwgk checkout, pip install ".[analysis]")') from None
    return pandas


def roles_of(roles: Iterable[Role | str] | Role | str | None) -> tuple[Role, ...]:
    """The roles asked for, in table order; ``None`` means all three."""
    if roles is None:
        return ROLE_ORDER
    if isinstance(roles, (Role, str)):
        roles = (roles,)
    chosen: set[Role] = set()
    for r in roles:
        try:
            chosen.add(Role(r))
        except ValueError:
            raise ZwgkError(f"unknown role {r!r}; use {', '.join(x.value for x in ROLE_ORDER)}") from None
    if not chosen:
        raise ZwgkError("roles is empty; give at least one of lead, responsible, cooperating")
    return tuple(r for r in ROLE_ORDER if r in chosen)


def ordered(values: Sequence[Any], categories: Sequence[Any]) -> pd.Categorical:
    """``values`` as an ordered categorical with ``categories`` in the order given (table order)."""
    pandas = pandas_module()
    cat: pd.Categorical = pandas.Categorical(values, categories=list(dict.fromkeys(categories)), ordered=True)
    return cat


def plan_label(plan: Plan, index: int, plans: Sequence[Plan]) -> str:
    """A short name for one of several plans: its year when the years differ, else its title, else its place."""
    years = [p.metadata.year for p in plans]
    if plan.metadata.year is not None and len(set(years)) == len(plans):
        return str(plan.metadata.year)
    titles = [p.title for p in plans]
    if plan.title and len(set(titles)) == len(plans):
        return plan.title
    return f"plan {index + 1}"


class Triples:
    """The distinct (task, unit, role) triples of a plan as parallel lists, units numbered by first mention."""

    def __init__(self) -> None:
        self.task: list[int] = []
        self.unit: list[int] = []
        self.role: list[int] = []
        self.names: list[str] = []
        self.kinds: list[UnitKind] = []


def triples(plan: Plan, roles: Sequence[Role] = ROLE_ORDER, *, expand: Any = None) -> Triples:
    """Each (task, unit, role) once (a unit written twice in one cell counts once).

    ``expand`` is a unit registry: a collective that covers all of some units (各县（市、区）) is
    replaced by them; one covering only some (市政府有关部门) stays as written.
    """
    out = Triples()
    number: dict[str, int] = {}
    members: dict[str, tuple[tuple[str, UnitKind], ...]] = {}

    def code(name: str, kind: UnitKind) -> int:
        n = number.get(name)
        if n is None:
            n = number[name] = len(out.names)
            out.names.append(name)
            out.kinds.append(kind)
        return n

    for ti, t in enumerate(plan.tasks):
        for role in roles:
            ri = ROLE_ORDER.index(role)
            seen: set[int] = set()
            for ref in t.units(role):
                if expand is not None and ref.kind is UnitKind.COLLECTIVE:
                    if ref.name not in members:
                        found, partial = expand.members(ref.name)
                        members[ref.name] = (((ref.name, ref.kind),) if partial or not found
                                             else tuple((u.name, u.kind) for u in found))
                    expanded = members[ref.name]
                else:
                    expanded = ((ref.name, ref.kind),)
                for name, kind in expanded:
                    ui = code(name, kind)
                    if ui not in seen:
                        seen.add(ui)
                        out.task.append(ti)
                        out.unit.append(ui)
                        out.role.append(ri)
    return out
