"""The validator type and the runner that applies validators to a plan."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from attrs import field, frozen

from zwgk.errors import PluginError, ZwgkError
from zwgk.model import Plan
from zwgk.units import UnitRegistry
from zwgk.validators._report import Finding, Report, Severity, matches, split_selectors
from zwgk.validators._walk import walking

__all__ = ["CheckFn", "Validator", "run", "select_validators"]

CheckFn = Callable[[Plan, UnitRegistry], Iterable[Finding]]
"""``check(plan, registry)``: yield a :class:`Finding` for each problem found in ``plan``."""

_CODE_RE = re.compile(r"^[A-Z]{1,6}[0-9]{1,6}$")
_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _check_code(_: object, __: object, value: str) -> None:
    if not _CODE_RE.match(value):
        raise ValueError(f"validator code {value!r} must be letters then digits, like 'ZW101'")


def _check_slug(_: object, __: object, value: str) -> None:
    if not _SLUG_RE.match(value):
        raise ValueError(f"validator slug {value!r} must be lower-case words joined by '-', like 'missing-lead'")


def _severity(value: str | Severity) -> Severity:
    return Severity.parse(value)


@frozen
class Validator:
    """One check with a stable code.

    :param code: ruff-style code, letters then digits (``"ZW101"``); never reused for another check.
    :param slug: a readable name (``"missing-lead"``); ``--select``/``--ignore`` accept either.
    :param severity: the default severity of its findings.
    :param check: ``check(plan, registry)`` yielding :class:`Finding` objects (build them with
        :meth:`Finding.at`); the runner stamps them with this validator's code, slug and severity.
    :param description: one line saying what it checks.
    :param strict_severity: the severity under ``strict=True`` (``--strict``), when it differs.
    """

    code: str = field(validator=_check_code)
    slug: str = field(validator=_check_slug)
    severity: Severity = field(converter=_severity)
    check: CheckFn
    description: str = ""
    strict_severity: Severity | None = None

    def severity_for(self, strict: bool) -> Severity:
        """The severity of this validator's findings in normal or strict mode."""
        return self.strict_severity if strict and self.strict_severity is not None else self.severity


def select_validators(
    available: Sequence[Validator],
    select: Iterable[str] | str | None = None,
    ignore: Iterable[str] | str | None = None,
) -> list[Validator]:
    """The validators ``select`` names (all when empty) minus those ``ignore`` names.

    A selector is a code (``ZW101``), a code prefix (``ZW1``), a slug (``missing-lead``) or ``ALL``
    (every validator, as in ruff: ``select="ALL"`` is the same as selecting none). A
    selector that names no validator is a :class:`~zwgk.errors.ZwgkError` (a typo would otherwise
    silently check nothing).
    """
    sel = split_selectors(select)
    ign = split_selectors(ignore)
    for s in (*sel, *ign):
        if not any(matches(v.code, v.slug, [s]) for v in available):
            known = ", ".join(f"{v.code} ({v.slug})" for v in available)
            raise ZwgkError(f"no validator is called {s!r}; known: {known}")
    return [
        v for v in available
        if (not sel or matches(v.code, v.slug, sel)) and not (ign and matches(v.code, v.slug, ign))
    ]


def _stamp(finding: object, validator: Validator, severity: Severity) -> Finding:
    if not isinstance(finding, Finding):
        raise TypeError(f"check yielded {type(finding).__name__}, not a Finding")
    return finding.stamped(validator.code, validator.slug, severity)


def run(
    plan: Plan,
    validators: Iterable[Validator],
    registry: UnitRegistry,
    *,
    strict: bool = False,
    on_error: Callable[[PluginError], None] | None = None,
) -> Report:
    """Apply ``validators`` to ``plan`` and collect their findings in table order (then by code).

    A validator that raises is reported through ``on_error`` (default: raised) and skipped; the
    findings of the others are kept. What several built-in checks derive from the plan alone is
    worked out once for all of them (:mod:`zwgk.validators._walk`).
    """
    stamped: list[tuple[int, str, Finding]] = []
    checked: list[str] = []
    order: dict[str, int] | None = None
    with walking(plan):
        for v in validators:
            severity = v.severity_for(strict)
            try:
                found = [_stamp(f, v, severity) for f in v.check(plan, registry)]
            except Exception as e:
                error = PluginError(f"validator {v.code} ({v.slug}) raised: {type(e).__name__}: {e}")
                if on_error is None:
                    raise error from e
                on_error(error)
                continue
            checked.append(v.code)
            if not found:
                continue
            if order is None:  # most checks of most plans find nothing
                order = {t.id: i for i, t in enumerate(plan.tasks)}
            end = len(order)
            stamped += ((end if f.task_id is None else order.get(f.task_id, end), v.code, f) for f in found)
    stamped.sort(key=lambda item: (item[0], item[1]))
    return Report(tuple(f for _, _, f in stamped), tuple(checked), len(plan.tasks), plan.source)
