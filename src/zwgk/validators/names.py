"""Checks on unit names: names the registry does not know, and two names for one unit.

Unknown names are reported one by one (ZW201) only where a registry for the plan's region is
loaded; otherwise one finding counts them and says how to make one (ZW203). Codes ZW201–ZW203;
see ``docs/validators.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from zwgk.hookspecs import hookimpl
from zwgk.model import Plan, Task
from zwgk.units import UnitRegistry
from zwgk.units.similar import SimilarPair
from zwgk.units.written import elided
from zwgk.validators._core import Validator
from zwgk.validators._memo import memo, near_pairs
from zwgk.validators._report import Finding, Severity
from zwgk.validators._walk import Usage, walk_of

__all__ = ["near_duplicate_units", "plan_scope", "unknown_unit", "unregistered_units"]


def _rows(tasks: list[Task], limit: int = 5) -> str:
    rows = [str(t.source.row) for t in tasks if t.source is not None and t.source.row is not None]
    if not rows:
        return f"{len(tasks)} task{'s' if len(tasks) != 1 else ''}"
    shown = ", ".join(rows[:limit]) + (", …" if len(rows) > limit else "")
    return f"row{'s' if len(rows) != 1 else ''} {shown}"


def plan_scope(plan: Plan) -> tuple[str | None, str | None]:
    """The plan's region and level: from its metadata, the level else from its units' prefixes."""
    return walk_of(plan).scope


def _unknown(plan: Plan, registry: UnitRegistry) -> Iterator[tuple[str, Usage]]:
    """The unit names of the plan that ``registry`` cannot resolve, with where they are used."""
    lookups = memo(registry)
    resolve, known = lookups.resolve, lookups.derived("unknown-unit")
    for name, use in walk_of(plan).usage.items():
        key = (name, use.first.as_written)  # whether it is unknown is kept across plans
        unknown = known.get(key)
        if unknown is None:
            unknown = known.put(key, resolve(name) is None and resolve(use.written) is None)
        if unknown:
            yield name, use


def unknown_unit(plan: Plan, registry: UnitRegistry) -> Iterator[Finding]:
    """A unit name the registry cannot resolve, reported once, at its first task.

    Only where a registry for the plan's region is loaded (:meth:`~zwgk.units.UnitRegistry.serves`);
    elsewhere :func:`unregistered_units` counts them instead.
    """
    region, level = plan_scope(plan)
    if not registry.serves(region, level):
        return
    registry = memo(registry).serving(region, level)
    for name, use in _unknown(plan, registry):
        canonical, index = memo(registry).similarity(region)
        guesses = list(dict.fromkeys(canonical[g] for g in index.suggest(name)))
        if guesses:
            hint = f"did you mean {' or '.join(guesses)}? Otherwise add {name} to the unit registry"
        else:
            hint = f"if {name} is right, add it to the unit registry (a register_units plugin or a registry file)"
        yield Finding.at(
            use.tasks[0],
            f"{name} is not in the unit registry (named at {_rows(use.tasks)})",
            units=(name,),
            hint=hint,
        )


def unregistered_units(plan: Plan, registry: UnitRegistry) -> Iterator[Finding]:
    """Where no registry for the plan's region is loaded: one finding counting the names none knows."""
    region, level = plan_scope(plan)
    if registry.serves(region, level):
        return
    unknown = [name for name, _ in _unknown(plan, memo(registry).serving(region, level))]
    if not unknown:
        return
    where = region or (f"a {level}-level plan" if level else "this plan")
    shown = "、".join(unknown[:_SHOWN_NAMES]) + ("…" if len(unknown) > _SHOWN_NAMES else "")
    yield Finding.at(
        None,
        f"{len(unknown)} unit name{'s of this plan are' if len(unknown) != 1 else ' of this plan is'} "
        f"in no unit registry ({shown}): no registry for {where} is loaded, so they are not reported one by one",
        units=tuple(unknown),
        hint="make one with `zwgk units FILE -f toml > region.toml` (it declares the region it serves), "
        "correct it, and check with it: `zwgk validate FILE --registry region.toml` "
        "(or a register_units plugin, or zwgk.validate(plan, registry=...))",
        severity=Severity.INFO,
    )


#: Names shown in the one finding about units no registry knows.
_SHOWN_NAMES = 5


_REASONS = {
    "written": "the same name written with different characters (brackets, width, or the region spelled out)",
    "prefix": "one lacks the level prefix of the other",
    "typo": "they differ by {distance} character{s}",
}


def _explain(pair: SimilarPair) -> str:
    return _REASONS[pair.reason].format(distance=pair.distance, s="s" if pair.distance != 1 else "")


def _spellings(plan: Plan, registry: UnitRegistry) -> dict[str, list[Task]]:
    """Each unit name as written (:func:`~zwgk.units.written.written_name`), with the tasks using it
    (each once, in table order).

    A collective named after 等 (``等相关部门（单位）``) is no spelling of a name, nor is a name
    written without the level prefix of the unit before it in its cell (``省财政厅、教育厅``).
    """
    walk = walk_of(plan)
    lookups = memo(registry)
    known = lookups.derived("near-duplicate-unit")  # a way of writing -> its written name, "" for none
    out: dict[str, list[Task]] = {}
    ways: dict[str, list[list[Task]]] = {}  # a name written in several ways: the tasks of each way
    # each way a unit is written, in order of first mention: a plan writes most names many times
    for key, tasks in walk.spelled.items():
        name = known.get(key)
        if name is None:
            written, note = (key, None) if isinstance(key, str) else key
            skip = "".join(written.split()).startswith("等") or elided(note)
            name = known.put(key, "" if skip else lookups.written_name(written))
        if not name:
            continue
        if name in out:
            ways.setdefault(name, [out[name]]).append(tasks)
        else:
            out[name] = tasks
    for name, lists in ways.items():
        out[name] = walk.in_order(*lists)
    return out


def near_duplicate_units(plan: Plan, registry: UnitRegistry) -> Iterator[Finding]:
    """Two names written in the plan that probably name the same unit (typo, missing level prefix, width).

    The check is about how the table is written, so it looks at the names as written, whatever the
    registry makes of them; the message says when the registry reads both as one unit or as two.
    Each pair is reported once, at the first task using the less used of the two spellings.
    """
    usage = _spellings(plan, registry)
    resolve = memo(registry).resolve
    order = {name: i for i, name in enumerate(usage)}
    for pair in near_pairs(list(usage), plan.metadata.region):
        # The odd one out: fewer tasks, then later first mention.
        odd, common = sorted((pair.a, pair.b), key=lambda n: (len(usage[n]), -order[n]))
        use_odd, use_common = usage[odd], usage[common]
        ua, ub = resolve(odd), resolve(common)
        note = ""
        if ua is not None and ub is not None:
            if ua.name == ub.name:
                note = f" (the unit registry reads both as {ua.name})"
            else:
                note = " (the unit registry lists them as two units; check that both exist)"
        if ua is not None and ub is not None and ua.name == ub.name:
            hint = f"write {ua.name} throughout"
        elif pair.reason == "prefix":
            full = max(pair.a, pair.b, key=len)
            hint = f"write the full name {full} throughout, or make the other an alias in the unit registry"
        else:
            hint = "check which spelling is right and use it throughout, or make one an alias in the unit registry"
        yield Finding.at(
            use_odd[0],
            f"{odd} ({_rows(use_odd)}) and {common} ({_rows(use_common)}) probably name the "
            f"same unit: {_explain(pair)}{note}",
            units=(odd, common),
            hint=hint,
        )


VALIDATORS = (
    Validator("ZW201", "unknown-unit", Severity.INFO, unknown_unit,
              "a unit name the unit registry cannot resolve", strict_severity=Severity.ERROR),
    Validator("ZW202", "near-duplicate-unit", Severity.WARNING, near_duplicate_units,
              "two names in one plan that probably name the same unit"),
    Validator("ZW203", "no-unit-registry", Severity.INFO, unregistered_units,
              "how many unit names no registry knows, where no registry for the plan's region is loaded"),
)


@hookimpl
def register_validators(register: Callable[[Validator], None]) -> None:
    for v in VALIDATORS:
        register(v)
