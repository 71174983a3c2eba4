"""Findings and the report that collects them."""

from __future__ import annotations

import enum
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import cattrs
from attrs import evolve, field, frozen
from cattrs.gen import make_dict_unstructure_fn

from zwgk._serialize import converter
from zwgk.errors import ParseError, Position
from zwgk.model import Task

__all__ = ["FLAT_FIELDS", "REPORT_SCHEMA", "SELECT_ALL", "Finding", "Report", "Severity", "matches", "split_selectors"]

REPORT_SCHEMA = "zwgk.report/1"
_CODE_PREFIX_RE = re.compile(r"[A-Za-z]+[0-9]*")


class Severity(str, enum.Enum):
    """How much a finding matters: ``error`` blocks publishing, ``warning`` needs a look, ``info`` is a note."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        """0 for info, 1 for warning, 2 for error."""
        return _RANKS[self]

    def at_least(self, other: Severity) -> bool:
        """True when this severity is ``other`` or more serious."""
        return self.rank >= other.rank

    @classmethod
    def parse(cls, value: str | Severity) -> Severity:
        """The severity called ``value`` (``"error"``, ``"warning"``, ``"info"``)."""
        if isinstance(value, Severity):
            return value
        try:
            return cls(value.strip().lower())
        except ValueError:
            raise ValueError(f"unknown severity {value!r}; use error, warning or info") from None


_RANKS = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@frozen
class Finding:
    """One thing a validator noticed about a plan.

    ``task_id``, ``path`` and ``source`` locate the task the finding is about (``None``/empty for a
    finding about the plan as a whole); ``units`` names the units involved; ``hint`` says how to fix
    it, where there is a fix. Validators usually build findings with :meth:`at`; the runner stamps
    ``code``, ``slug`` and ``severity`` with those of the validator that produced them.
    """

    code: str
    slug: str
    severity: Severity
    message: str
    task_id: str | None = None
    path: tuple[str, ...] = ()
    source: Position | None = None
    units: tuple[str, ...] = ()
    hint: str | None = None

    @classmethod
    def at(
        cls,
        task: Task | None,
        message: str,
        *,
        units: Iterable[str] = (),
        hint: str | None = None,
        severity: Severity = Severity.ERROR,
    ) -> Finding:
        """A finding about ``task`` (or the whole plan when ``None``); code and slug are filled in later."""
        return cls(
            code="",
            slug="",
            severity=severity,
            message=message,
            task_id=task.id if task is not None else None,
            path=task.path if task is not None else (),
            source=task.source if task is not None else None,
            units=tuple(units),
            hint=hint,
        )

    def stamped(self, code: str, slug: str, severity: Severity) -> Finding:
        """This finding with the ``code``, ``slug`` and ``severity`` of the validator that produced it:
        ``attrs.evolve`` without its walk over the fields (the runner stamps every finding)."""
        return Finding(code, slug, severity, self.message, self.task_id, self.path, self.source, self.units, self.hint)

    @property
    def row(self) -> int | None:
        """The table row of the task in its source, when known."""
        return self.source.row if self.source is not None else None

    @property
    def column(self) -> int | None:
        """The table column of the task text in its source, when known."""
        return self.source.column if self.source is not None else None

    @property
    def line(self) -> int | None:
        """The line of the task in a text source, when known."""
        return self.source.line if self.source is not None else None

    @property
    def file(self) -> str | None:
        """The file the task was read from, when known."""
        return self.source.file if self.source is not None else None


SELECT_ALL = "ALL"
"""The selector that names every check (as in ruff), in any case."""


def matches(code: str, slug: str, selectors: Iterable[str]) -> bool:
    """True when a selector names this code or slug: the exact code, a code prefix (``ZW1``), the
    slug, or ``ALL``.

    >>> matches("ZW101", "missing-lead", ["ZW1"]), matches("ZW101", "missing-lead", ["all"])
    (True, True)
    >>> matches("ZW101", "missing-lead", ["ZW2", "open-lead-list"])
    False
    """
    for s in selectors:
        key = s.strip()
        if not key:
            continue
        if key.upper() == SELECT_ALL or key == slug or key.upper() == code.upper():
            return True
        if _CODE_PREFIX_RE.fullmatch(key) and code.upper().startswith(key.upper()):
            return True
    return False


#: Columns of :meth:`Report.flatten` by default.
FLAT_FIELDS: tuple[str, ...] = ("code", "slug", "severity", "row", "column", "task_id", "units", "message")


@frozen
class Report:
    """The findings of validating one plan.

    ``checked`` lists the codes of the validators that ran; ``tasks`` is how many tasks were checked;
    ``source`` is the file the plan came from. ``ok`` is true when no finding is an error.
    """

    findings: tuple[Finding, ...] = ()
    checked: tuple[str, ...] = ()
    tasks: int = 0
    source: str | None = field(default=None)

    @property
    def ok(self) -> bool:
        """True when there is no finding of severity error."""
        return not self.failed(Severity.ERROR)

    def failed(self, level: Severity | str = Severity.ERROR) -> bool:
        """True when some finding is at ``level`` or more serious."""
        threshold = Severity.parse(level)
        return any(f.severity.at_least(threshold) for f in self.findings)

    @property
    def by_code(self) -> dict[str, int]:
        """How many findings each code produced, codes in sorted order."""
        counts = Counter(f.code for f in self.findings)
        return {code: counts[code] for code in sorted(counts)}

    @property
    def by_severity(self) -> dict[str, int]:
        """How many findings of each severity (error, warning, info), zeros included."""
        counts = Counter(f.severity for f in self.findings)
        return {s.value: counts[s] for s in sorted(Severity, key=lambda s: -s.rank)}

    def __len__(self) -> int:
        return len(self.findings)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def filter(self, select: Iterable[str] | str | None = None, ignore: Iterable[str] | str | None = None) -> Report:
        """A report keeping the findings whose code or slug ``select`` names, minus those ``ignore`` names."""
        sel = split_selectors(select)
        ign = split_selectors(ignore)
        kept = tuple(
            f for f in self.findings
            if (not sel or matches(f.code, f.slug, sel)) and not (ign and matches(f.code, f.slug, ign))
        )
        return evolve(self, findings=kept)

    def flatten(self, fields: Sequence[str] = FLAT_FIELDS) -> list[list[Any]]:
        """One row per finding with the values of ``fields`` (attributes of :class:`Finding`).

        ``row``, ``column``, ``line`` and ``file`` come from the source position; ``severity`` is its
        value; ``units`` and ``path`` are joined with ``、`` and `` / ``. Ready for
        ``pandas.DataFrame(report.flatten(), columns=FLAT_FIELDS)`` or :mod:`csv`.
        """
        out: list[list[Any]] = []
        for f in self.findings:
            row: list[Any] = []
            for name in fields:
                value = getattr(f, name)
                if isinstance(value, Severity):
                    value = value.value
                elif name == "units":
                    value = "、".join(value)
                elif name == "path":
                    value = " / ".join(value)
                row.append(value)
            out.append(row)
        return out

    def to_dict(self) -> dict[str, Any]:
        """The report as plain data (schema ``zwgk.report/1``), with ``ok`` and the counts."""
        data: dict[str, Any] = {"schema": REPORT_SCHEMA, "ok": self.ok}
        data.update(converter.unstructure(self))
        data["counts"] = {"by_severity": self.by_severity, "by_code": self.by_code}
        return data

    def to_json(self, *, indent: int | None = 2) -> str:
        """The report as JSON text (UTF-8 characters kept as they are)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: Any) -> Report:
        """The report described by :meth:`to_dict` data."""
        if not isinstance(data, dict) or data.get("schema") != REPORT_SCHEMA:
            raise ParseError(f"not a zwgk report (expected schema {REPORT_SCHEMA!r})")
        body = {k: v for k, v in data.items() if k not in ("schema", "ok", "counts")}
        try:
            return converter.structure(body, cls)
        except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as e:
            detail = "; ".join(cattrs.transform_error(e)) if isinstance(e, cattrs.BaseValidationError) else str(e)
            raise ParseError(f"not a valid zwgk report: {detail}") from None

    @classmethod
    def from_json(cls, text: str | bytes) -> Report:
        """The report described by :meth:`to_json` text."""
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise ParseError(f"not valid JSON: {getattr(e, 'msg', e)}") from None
        return cls.from_dict(data)


def split_selectors(value: Iterable[str] | str | None) -> tuple[str, ...]:
    """Selectors from a list or a comma-separated string.

    >>> split_selectors("ZW101, open-lead-list,")
    ('ZW101', 'open-lead-list')
    >>> split_selectors(["ZW1", "ZW2,ZW3"])
    ('ZW1', 'ZW2', 'ZW3')
    """
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else list(value)
    return tuple(s.strip() for item in items for s in item.split(",") if s.strip())


converter.register_unstructure_hook(
    Finding, make_dict_unstructure_fn(Finding, converter, _cattrs_omit_if_default=True)
)
