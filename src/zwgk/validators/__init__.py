"""Validators: checks an editor runs on a plan before publishing it, and the report they produce.

Each built-in family of checks is a plugin module registering :class:`Validator` objects through
the ``register_validators`` hook, exactly as a third-party plugin does. Codes are stable and
documented in ``docs/validators.md``. Everything a caller needs is here: the validator and finding
types, the runner and selection (``select="ALL"`` selects every check), and the report renderers
(:func:`text_report` for people, :func:`github_annotations` for GitHub Actions), and
:func:`plan_registry`, the registry a plan is checked against when none is given (for callers that
check many plans and pass it themselves).
"""

from zwgk.validators._core import CheckFn, Validator, run, select_validators
from zwgk.validators._memo import plan_registry
from zwgk.validators._render import github_annotations, text_report
from zwgk.validators._report import (
    FLAT_FIELDS,
    REPORT_SCHEMA,
    SELECT_ALL,
    Finding,
    Report,
    Severity,
    split_selectors,
)

__all__ = [
    "FLAT_FIELDS",
    "REPORT_SCHEMA",
    "SELECT_ALL",
    "CheckFn",
    "Finding",
    "Report",
    "Severity",
    "Validator",
    "github_annotations",
    "plan_registry",
    "run",
    "select_validators",
    "split_selectors",
    "text_report",
]
