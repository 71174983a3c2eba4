"""Reports for people (text grouped by task) and for GitHub Actions (workflow annotations)."""

from __future__ import annotations

import os
from collections.abc import Iterable

from zwgk.model import Plan
from zwgk.validators._report import Finding, Report, Severity

__all__ = ["github_annotations", "summary", "text_report"]

_COLOURS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}
_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
_EXCERPT = 48


def _paint(text: str, code: str, colour: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if colour else text


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _EXCERPT else flat[: _EXCERPT - 1] + "…"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 or word == 'info' else 's'}"


def summary(report: Report) -> str:
    """One line: ``FILE: 1 error, 7 warnings, 50 info in 143 tasks``."""
    counts = report.by_severity
    parts = ", ".join(_plural(counts[s.value], s.value) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO))
    where = report.source or "plan"
    return f"{where}: {parts} in {_plural(report.tasks, 'task')}"


def text_report(report: Report, plan: Plan | None = None, *, colour: bool = False) -> str:
    """The findings grouped by task, each group headed by the task's source row and an excerpt."""
    tasks = {t.id: t for t in plan.tasks} if plan is not None else {}
    groups: dict[str | None, list[Finding]] = {}
    for f in report.findings:
        groups.setdefault(f.task_id, []).append(f)
    width = max((len(f.slug) for f in report.findings), default=0)
    lines: list[str] = []
    if report.source and report.findings:
        lines.append(_paint(report.source, "1", colour))
    for task_id, findings in sorted(groups.items(), key=lambda item: item[0] is None):
        first = findings[0]
        if task_id is None:
            head = "whole plan"
        else:
            where = f"row {first.row}" if first.row is not None else f"task {task_id}"
            task = tasks.get(task_id)
            excerpt = _excerpt(task.text) if task is not None and task.text.strip() else "(no task text)"
            head = f"{where}  {excerpt}"
        lines.append("  " + _paint(head, "1", colour))
        for f in findings:
            level = _paint(f"{f.severity.value:<7}", _COLOURS[f.severity], colour)
            lines.append(f"    {level} {_paint(f.code, '1', colour)} {f.slug:<{width}}  {f.message}")
            if f.hint:
                indent = " " * (4 + 7 + 1 + len(f.code) + 1 + width + 2)
                lines.append(indent + _paint(f"hint: {f.hint}", "2", colour))
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _relative(path: str) -> str:
    """``path`` relative to the working directory when it lies under it (GitHub wants repository paths)."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path
    return path if rel.startswith(os.pardir) else rel


def github_annotations(reports: Iterable[Report]) -> str:
    """GitHub Actions workflow commands (``::error file=…,line=…::message``), one per finding."""
    out: list[str] = []
    for report in reports:
        for f in report.findings:
            props: list[str] = []
            file = f.file or report.source
            if file:
                props.append(f"file={_escape_property(_relative(file))}")
            if f.line is not None:
                props.append(f"line={f.line}")
            props.append(f"title={_escape_property(f'{f.code} {f.slug}')}")
            message = f.message
            if f.row is not None:
                message = f"row {f.row}: {message}"
            if f.hint:
                message += f" (hint: {f.hint})"
            out.append(f"::{_GITHUB_LEVEL[f.severity]} {','.join(props)}::{_escape_data(message)}")
    return "\n".join(out) + ("\n" if out else "")
