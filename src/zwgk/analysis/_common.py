"""What the analysis modules share: importing pandas, role selection, the (task, unit, role) triples."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from zwgk.errors import ZwgkError
from zwgk.model import Plan, Role, UnitKind

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ROLE_ORDER", "Triples", "distinct", "ordered", "pandas_module", "plan_label", "roles_of", "triples"]

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
    """The distinct (task, unit, role) triples of a plan as parallel integer arrays, units numbered by first mention."""

    def __init__(self, task: Any, unit: Any, role: Any, names: list[str], kinds: list[UnitKind]) -> None:
        self.task = task
        self.unit = unit
        self.role = role
        self.names = names
        self.kinds = kinds


def distinct(keys: Any) -> Any:
    """The distinct values of an integer array, sorted (a sort and a comparison: faster than hashing here)."""
    import numpy as np

    k = np.sort(keys, kind="stable")
    if len(k) < 2:
        return k
    return k[np.concatenate(([True], k[1:] != k[:-1]))]


def triples(plan: Plan, roles: Sequence[Role] = ROLE_ORDER, *, expand: Any = None) -> Triples:
    """Each (task, unit, role) once (a unit written twice in one cell counts once).

    ``expand`` is a unit registry: a collective that covers all of some units (各县（市、区）) is
    replaced by them; one covering only some (市政府有关部门) stays as written. The expansion is
    done on arrays, once per collective, not once per task.
    """
    import numpy as np

    pandas = pandas_module()
    attr = {Role.LEAD: "leads", Role.RESPONSIBLE: "responsible", Role.COOPERATING: "cooperating"}
    wanted = [(ROLE_ORDER.index(r), attr[r]) for r in roles]
    flat = [(ti, ri, ref) for ti, t in enumerate(plan.tasks) for ri, a in wanted for ref in getattr(t, a)]
    # Units numbered by first mention: factorize numbers values in order of appearance, in C.
    codes, uniques = pandas.factorize(pandas.Series([ref.name for _, _, ref in flat], dtype=object), sort=False)
    first = np.unique(codes, return_index=True)[1] if len(codes) else np.zeros(0, dtype=np.int64)
    names: list[str] = [str(n) for n in uniques]
    kinds: list[UnitKind] = [flat[int(k)][2].kind for k in first]
    number = {n: i for i, n in enumerate(names)}

    def code(name: str, kind: UnitKind) -> int:
        n = number.get(name)
        if n is None:
            n = number[name] = len(names)
            names.append(name)
            kinds.append(kind)
        return n

    t_arr = np.fromiter((f[0] for f in flat), dtype=np.int64, count=len(flat))
    r_arr = np.fromiter((f[1] for f in flat), dtype=np.int64, count=len(flat))
    u_arr = np.asarray(codes, dtype=np.int64)
    if expand is not None:
        written = list(zip(names, kinds, strict=False))
        names, kinds, number = [], [], {}
        members: list[list[int]] = []
        for name, kind in written:
            found, partial = expand.members(name) if kind is UnitKind.COLLECTIVE else ((), False)
            if found and not partial:
                members.append([code(m.name, m.kind) for m in found])
            else:
                members.append([code(name, kind)])
        sizes = np.asarray([len(m) for m in members], dtype=np.int64)
        member_codes = np.asarray([c for m in members for c in m], dtype=np.int64)
        starts = np.concatenate(([0], np.cumsum(sizes)[:-1])) if len(sizes) else sizes
        counts = sizes[u_arr] if len(u_arr) else np.zeros(0, dtype=np.int64)
        offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        u_arr = member_codes[np.repeat(starts[u_arr], counts) + offsets] if len(u_arr) else u_arr
        t_arr, r_arr = np.repeat(t_arr, counts), np.repeat(r_arr, counts)
    n_units, n_roles = max(len(names), 1), len(ROLE_ORDER)
    keys = distinct((t_arr * n_roles + r_arr) * n_units + u_arr)  # each triple once, in task order
    return Triples(keys // (n_roles * n_units), keys % n_units, (keys // n_units) % n_roles, names, kinds)
