"""Validators: checks an editor runs on a plan before publishing it, and the report they produce.

Each built-in family of checks is a plugin module registering :class:`Validator` objects through
the ``register_validators`` hook, exactly as a third-party plugin does. Codes are stable and
documented in ``docs/validators.md``.
"""

from zwgk.validators._core import CheckFn, Validator, run, select_validators
from zwgk.validators._render import github_annotations, text_report
from zwgk.validators._report import FLAT_FIELDS, REPORT_SCHEMA, Finding, Report, Severity, split_selectors

__all__ = [
    "FLAT_FIELDS",
    "REPORT_SCHEMA",
    "CheckFn",
    "Finding",
    "Report",
    "Severity",
    "Validator",
    "github_annotations",
    "run",
    "select_validators",
    "split_selectors",
    "text_report",
]
