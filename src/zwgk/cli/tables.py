"""``zwgk parse``, ``zwgk export`` and ``zwgk diff``: read tables and write them in another form."""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import zwgk
from zwgk import ChangeKind, Plan, Role, Task, TaskChange, ZwgkError, get_exporter
from zwgk._match import marked
from zwgk._report import diff_page
from zwgk.cli._common import (
    EXIT_FINDINGS,
    EXIT_OK,
    load_plan,
    read_built,
    read_options,
    refuse_binary_on_terminal,
    to_stdout,
    write_output,
)
from zwgk.exporters import ExportWarning

if TYPE_CHECKING:
    from zwgk.table.build import SeenLayout

__all__ = ["cmd_diff", "cmd_export", "cmd_parse"]

#: Task texts in ``zwgk diff`` listings are cut to this many characters (a reworded task's old and
#: new texts are printed whole).
SHORT_TEXT = 60

def cmd_parse(args: argparse.Namespace) -> int:
    exporter = get_exporter(args.format)
    if getattr(args, "explain", False):
        from zwgk.table.settle import explain_metadata

        built = read_built(args)
        plan = built.plan
        for line in explain_metadata(plan.title, plan.metadata, region=getattr(args, "region", None),
                                     year=getattr(args, "year", None),
                                     units=(u.as_written for t in plan.tasks for u in t.units())):
            print(f"zwgk: metadata: {line}", file=sys.stderr)
        _explain(built.layouts)
    else:
        plan = load_plan(args)
    data = zwgk.export(plan, exporter.name)
    assert data is not None
    if to_stdout(args.output):
        refuse_binary_on_terminal(data, exporter.name)
    write_output(data, args.output)
    return EXIT_OK


def _explain(seen: Sequence[SeenLayout]) -> None:
    """The layout of each table read, on stderr: one line per column, then each decision the
    content made (``zwgk: layout: FILE, table N: …``), so that stdout stays the plan."""
    for source, table, layout in seen:
        where = f"{source or '-'}, " + (f"table {table}" if table is not None else "task paragraphs")
        print(f"zwgk: layout: {where}: header row {layout.header_start + 1}"
              + (f"–{layout.header_start + layout.header_rows}" if layout.header_rows > 1 else "")
              + f", {layout.width} columns", file=sys.stderr)
        for line in layout.explain():
            print(f"zwgk: layout: {where}: {line}", file=sys.stderr)
        for decision in layout.decisions:
            print(f"zwgk: layout: {where}: decided from content: {decision}", file=sys.stderr)


def _task_brief(task: Task | None) -> dict[str, object] | None:
    if task is None:
        return None
    return {"id": task.id, "row": task.source.row if task.source else None, "path": list(task.path),
            "text": task.text}


def _row(task: Task | None) -> str:
    return f"row {task.source.row}" if task is not None and task.source else "row ?"


def _diff_inputs(args: argparse.Namespace) -> tuple[tuple[str, Plan], tuple[str, Plan]]:
    """(name, plan) of OLD and NEW: two files, or ``--sample`` and one file."""
    given = [f for f in (args.old, args.new) if f]
    if args.sample and len(given) != 1:
        raise ZwgkError("with --sample give one table, NEW, to compare the sample with")
    if not args.sample and len(given) != 2:
        raise ZwgkError("give two tables, OLD and NEW (or --sample and NEW)")

    def read(path: str) -> tuple[str, Plan]:
        return path, zwgk.load(path, format=args.input_format, **read_options(args))

    if args.sample:
        return ("sample", zwgk.load_sample()), read(given[0])
    return read(given[0]), read(given[1])


def _change_json(c: TaskChange) -> dict[str, object]:
    return {
        "kind": c.kind.value,
        "fields": list(c.fields),
        "similarity": round(c.similarity, 3),
        **({"text_diff": [list(run) for run in c.text_diff()]} if "text" in c.fields else {}),
        "old": _task_brief(c.old),
        "new": _task_brief(c.new),
        "units": {
            r.value: {"gained": list(c.units_gained(r)), "lost": list(c.units_lost(r))}
            for r in Role
            if c.units_gained(r) or c.units_lost(r)
        },
    }


def _short(text: str) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= SHORT_TEXT else text[: SHORT_TEXT - 1] + "…"


def _change_lines(c: TaskChange) -> list[str]:
    task = c.new or c.old
    assert task is not None
    if c.kind is ChangeKind.ADDED:
        return [f"+ {_row(c.new)}: {_short(task.text)}"]
    if c.kind is ChangeKind.REMOVED:
        return [f"- {_row(c.old)}: {_short(task.text)}"]
    lines = [f"~ {_row(c.old)} → {_row(c.new)} [{', '.join(c.fields)}]: {_short(task.text)}"]
    if "text" in c.fields and c.old and c.new:
        lines += [f"    old: {c.old.text}", f"    new: {c.new.text}", f"    diff: {marked(c.text_diff())}"]
    for r in Role:
        gained, lost = c.units_gained(r), c.units_lost(r)
        if gained or lost:
            parts = [f"+ {n}" for n in gained] + [f"- {n}" for n in lost]
            lines.append(f"    {r.label}: {'  '.join(parts)}")
    if "path" in c.fields and c.old and c.new:
        lines.append(f"    category: {' / '.join(c.old.path)} → {' / '.join(c.new.path)}")
    return lines


def cmd_diff(args: argparse.Namespace) -> int:
    (old_name, old), (new_name, new) = _diff_inputs(args)
    result = zwgk.diff(old, new, threshold=args.threshold)
    shown = [c for c in result if c.kind is not ChangeKind.UNCHANGED]
    gained, lost = result.units_gained(), result.units_lost()
    output = getattr(args, "output", None)
    if output and not to_stdout(output) and Path(output).suffix.lower() in (".html", ".htm"):
        page = diff_page(old, new, result, old_name=old_name, new_name=new_name)
        write_output(page.encode("utf-8"), output)
    elif args.format == "json":
        data = {
            "old": old_name,
            "new": new_name,
            "differ": result.differs,
            "counts": result.counts(),
            "units": {"gained": list(gained), "lost": list(lost)},
            "changes": [_change_json(c) for c in shown],
            "category_notes": [{"path": list(n.path), "old": n.old, "new": n.new} for n in result.notes],
        }
        write_output((json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"), output)
    else:
        counts = result.counts()
        lines = [f"{old.title or old_name} → {new.title or new_name}",
                 ", ".join(f"{k} {v}" for k, v in counts.items())]
        if gained:
            lines.append(f"units gained: {'、'.join(gained)}")
        if lost:
            lines.append(f"units lost: {'、'.join(lost)}")
        for c in shown:
            lines += _change_lines(c)
        for n in result.notes:
            lines.append(f"~ note of {' / '.join(n.path)}: {n.old or '(none)'} → {n.new or '(none)'}")
        write_output(("\n".join(lines) + "\n").encode("utf-8"), output)
    return EXIT_FINDINGS if result.differs and not args.exit_zero else EXIT_OK


def _export_format(args: argparse.Namespace) -> str:
    if args.to:
        return str(args.to)
    if not to_stdout(args.output):
        name = Path(args.output).name.lower()
        exporters = zwgk.get_exporters().values()
        known = sorted({s.lower() for e in exporters for s in e.suffixes})
        # The longest suffix the name ends with: report.workload.csv is a .workload.csv before a .csv.
        fitting = [s for s in known if name.endswith(s) and len(name) > len(s)]
        if fitting:
            return get_exporter(max(fitting, key=len)).name
        given = "".join(Path(args.output).suffixes) or "no suffix"
        raise ZwgkError(f"no exporter writes {args.output!r} ({given}); the suffixes are {', '.join(known)}, "
                        f"or give --to ({', '.join(sorted(zwgk.get_exporters()))})")
    raise ZwgkError("give --to FORMAT or -o PATH with a known suffix")


def _option_pairs(pairs: Sequence[str]) -> dict[str, str]:
    """``KEY=VALUE`` texts by key; each is parsed later by the type the exporter declares."""
    options: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ZwgkError(f"--option takes KEY=VALUE, not {pair!r}")
        if key in options:
            raise ZwgkError(f"--option {key} is given twice ({options[key]!r} and {value!r})")
        options[key] = value
    return options


def cmd_export(args: argparse.Namespace) -> int:
    exporter = get_exporter(_export_format(args))
    options = exporter.parse_options(_option_pairs(args.option or ()))
    plan = load_plan(args)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ExportWarning)
        if not to_stdout(args.output):
            zwgk.export(plan, exporter.name, args.output, **options)
        else:
            data = zwgk.export(plan, exporter.name, **options)
            assert data is not None
            refuse_binary_on_terminal(data, exporter.name)
            write_output(data, None)
    for w in caught:
        print(f"zwgk: warning: {w.message}", file=sys.stderr)
    return EXIT_OK
