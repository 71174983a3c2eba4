"""The Markdown exporter: the hierarchy as headings, each group's tasks as a GFM table.

Cells are escaped so that every viewer renders the table as written: pipes and the characters
Markdown would read as emphasis, links or HTML are backslash-escaped, line breaks inside a cell
become ``<br>``; a control character is an :class:`~zwgk.errors.ExportError` naming the task and
field (``replace_invalid=True`` writes U+FFFD in its place, reported as an
:class:`~zwgk.exporters.ExportWarning`). A summary closes the document: tasks per category and
the units ordered by how many tasks they carry.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from typing import BinaryIO

from zwgk.exporters import Exporter, TextCleaner
from zwgk.exporters._fields import refuse_lone_surrogates, unwritten_notes
from zwgk.exporters.text import columns_for, row_cells
from zwgk.hookspecs import hookimpl
from zwgk.model import Metadata, Plan, Role, Task
from zwgk.vocabulary import LEVEL_HEADINGS

__all__ = ["METADATA_LABELS", "escape_inline", "plan_to_markdown", "write_markdown"]

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n|\u2028|\u2029")
_UNFILED = "（未分级）"


def escape_inline(text: str, *, line_break: str = "<br>") -> str:
    """``text`` as Markdown inline content that renders literally, on one line."""
    text = text.replace("&", "&amp;")
    text = _SPECIAL.sub(r"\\\1", text)
    return _LINE_BREAK.sub(line_break, text.strip())


def _table(headers: list[str], rows: Iterable[list[str]]) -> list[str]:
    out = ["| " + " | ".join(escape_inline(h) for h in headers) + " |",
           "|" + "|".join(" --- " for _ in headers) + "|"]
    out.extend("| " + " | ".join(row) + " |" for row in rows)
    return out


def _summary(plan: Plan) -> list[str]:
    out = ["## 汇总", "", f"共 {len(plan.tasks)} 项任务。", ""]
    counts: Counter[tuple[str, ...]] = Counter()
    for t in plan.tasks:
        for depth in range(1, min(2, len(t.path)) + 1):
            counts[t.path[:depth]] += 1
        if not t.path:
            counts[(_UNFILED,)] += 1
    if counts:
        out += ["### 各类任务数", ""]
        unfiled = [(_UNFILED,)] if counts[(_UNFILED,)] else []
        for path in dict.fromkeys([*plan.categories(level=1), *unfiled]):
            out.append(f"- {escape_inline(path[0], line_break=' ')}：{counts[path]} 项")
            for sub in plan.categories(level=2):
                if sub[:1] == path:
                    out.append(f"  - {escape_inline(sub[1], line_break=' ')}：{counts[sub]} 项")
        out.append("")
    load = plan.workload()
    if load:
        roles = [r for r in Role if any(c[r] for c in load.values())]
        ranked = sorted(load.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
        out += ["### 单位任务量", ""]
        out += _table(
            ["单位", *(r.label.removesuffix("单位") for r in roles), "合计"],
            ([escape_inline(name), *(str(c[r]) for r in roles), str(sum(c.values()))] for name, c in ranked),
        )
        out.append("")
    return out


#: How the Markdown names the metadata the title does not give, by field of :class:`~zwgk.model.Metadata`.
METADATA_LABELS = {"region": "地区", "year": "年度", "level": "层级", "issuer": "发文单位"}


def _given_metadata(plan: Plan) -> str | None:
    """The plan's metadata its title does not give, as one line (``地区：某某市；层级：市``)."""
    named = Metadata.from_title(plan.title)
    parts = [f"{label}：{getattr(plan.metadata, name)}" for name, label in METADATA_LABELS.items()
             if getattr(plan.metadata, name) is not None and getattr(plan.metadata, name) != getattr(named, name)]
    return "；".join(parts) or None


def plan_to_markdown(plan: Plan, *, summary: bool = True, replace_invalid: bool = False) -> str:
    """The plan as GitHub-flavoured Markdown.

    A lone surrogate anywhere is an ``ExportError``, and so is a control character unless
    ``replace_invalid`` (then it is written as U+FFFD and reported as one ``ExportWarning``).
    """
    refuse_lone_surrogates(plan, "Markdown (UTF-8)")
    unwritten_notes(plan, "Markdown")
    clean = TextCleaner("Markdown", _CONTROL, replace=replace_invalid)
    cols = [c for c in columns_for(plan) if c not in LEVEL_HEADINGS]
    out: list[str] = []
    for line in plan.preamble:
        if line != plan.title:
            out += [escape_inline(clean(line, None, "preamble")), ""]
    if plan.title:
        out += ["# " + escape_inline(clean(plan.title, None, "title"), line_break=" "), ""]
    given = _given_metadata(plan)
    if given:  # what the title does not say (a region or year given to zwgk.load)
        out += [escape_inline(clean(given, None, "metadata")), ""]
    prev: tuple[str, ...] | None = None
    group: list[Task] = []

    def flush() -> None:
        if not group:
            return
        rows = [[escape_inline(clean(c.text, t, c.header)) for c in row_cells(t, cols, None)] for t in group]
        out.extend(_table(cols, rows))
        out.append("")
        group.clear()

    for task in plan.tasks:
        if task.path != prev:
            flush()
            common = 0
            if prev is not None:
                while common < min(len(prev), len(task.path)) and prev[common] == task.path[common]:
                    common += 1
            for k in range(common, len(task.path)):
                heading = escape_inline(clean(task.path[k], task, "path"), line_break=" ")
                out += ["#" * min(6, k + 2) + " " + heading, ""]
                note = plan.note_of(task.path[: k + 1])
                if note is not None:  # the category's note, under its heading
                    out += [escape_inline(clean(note, None, "category note")), ""]
            if prev is not None and common == len(task.path) < len(prev):
                # Back up the hierarchy: without a heading of their own these tasks would read as
                # part of the deeper category above them.
                out += ["#" * min(6, len(task.path) + 2) + " " + _UNFILED, ""]
            prev = task.path
        group.append(task)
    flush()
    for line in plan.epilogue:
        out += [escape_inline(clean(line, None, "epilogue")), ""]
    if summary:
        out += _summary(plan)
    while out and not out[-1]:
        out.pop()
    clean.report(stacklevel=4)  # the warning points at the caller of write_markdown
    return "\n".join(out) + "\n"


def write_markdown(plan: Plan, stream: BinaryIO, *, summary: bool = True, replace_invalid: bool = False) -> None:
    """Write the plan as UTF-8 Markdown; ``summary=False`` leaves out the closing summary.

    ``replace_invalid=True`` writes U+FFFD for a control character (with an ``ExportWarning``)
    instead of refusing the plan.
    """
    stream.write(plan_to_markdown(plan, summary=summary, replace_invalid=replace_invalid).encode("utf-8"))


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    register(Exporter("markdown", (".md", ".markdown"), write_markdown,
                      "Markdown: categories as headings, tasks as GFM tables, with a summary"))
