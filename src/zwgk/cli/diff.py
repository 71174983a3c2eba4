"""``zwgk diff``: what changed between two tables (e.g. last year's and this year's)."""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable
from pathlib import Path

import zwgk
from zwgk import ChangeKind, Plan, PlanDiff, Role, Task, TaskChange, ZwgkError
from zwgk._match import REWORD_THRESHOLD, marked
from zwgk.cli._commands import Command, add_input_options
from zwgk.cli._common import (
    EXIT_FINDINGS,
    EXIT_OK,
    STDIN,
    expand_inputs,
    load_stdin,
    read_options,
    to_stdout,
    write_output,
)
from zwgk.hookspecs import hookimpl

__all__ = ["add_arguments", "cmd_diff", "register_commands"]

#: Task texts in ``zwgk diff`` listings are cut to this many characters (a reworded task's old and
#: new texts are printed whole).
SHORT_TEXT = 60


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.0 <= value <= 1.0:  # rejects NaN too
        raise argparse.ArgumentTypeError(f"{text!r} is not between 0 and 1")
    return value


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("old", nargs="?", metavar="OLD",
                   help="the earlier table (the sample with --sample), a folder, or - for standard input")
    p.add_argument("new", nargs="?", metavar="NEW",
                   help="the later table, or a folder (its files are paired with OLD's by their path in it)")
    p.add_argument("--sample", action="store_true", help="compare the bundled 2020 Tai'an sample (as OLD) with NEW")
    add_input_options(p, file=False, sample=False)
    p.add_argument("-f", "--format", choices=["text", "json"], default="text")
    p.add_argument("--threshold", type=_fraction, default=REWORD_THRESHOLD,
                   help=f"least text similarity (0-1) for a reworded task to count as changed "
                        f"(default {REWORD_THRESHOLD})")
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even when the tables differ")
    p.add_argument("-o", "--output", metavar="PATH",
                   help="write to PATH instead of stdout; a .html/.htm PATH gets a report page with the "
                        "changes marked character by character")


def _task_brief(task: Task | None) -> dict[str, object] | None:
    if task is None:
        return None
    return {"id": task.id, "row": task.source.row if task.source else None, "path": list(task.path),
            "text": task.text}


def _row(task: Task | None) -> str:
    return f"row {task.source.row}" if task is not None and task.source else "row ?"


def _given(args: argparse.Namespace) -> list[str]:
    """OLD and NEW as given: two files or folders, or ``--sample`` and one file."""
    given = [f for f in (args.old, args.new) if f]
    if args.sample and len(given) != 1:
        raise ZwgkError("with --sample give one table, NEW, to compare the sample with")
    if not args.sample and len(given) != 2:
        raise ZwgkError("give two tables, OLD and NEW (or --sample and NEW)")
    if given.count(STDIN) > 1:
        raise ZwgkError("standard input (-) can be read only once")
    return given


def _read(args: argparse.Namespace, path: str) -> Plan:
    if path == STDIN:
        return load_stdin(args)
    return zwgk.load(path, format=args.input_format, **read_options(args))


def _folders(old: str, new: str) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """The files of two folders paired by their path inside them, and those only in OLD, only in NEW."""
    olds = {os.path.relpath(f, old): f for f in expand_inputs([old])}
    news = {os.path.relpath(f, new): f for f in expand_inputs([new])}
    pairs = [(olds[rel], news[rel]) for rel in sorted(olds.keys() & news.keys())]
    only_old = [olds[r] for r in sorted(olds.keys() - news.keys())]
    return pairs, only_old, [news[r] for r in sorted(news.keys() - olds.keys())]


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


def _json(old_name: str, new_name: str, result: PlanDiff) -> dict[str, object]:
    shown = [c for c in result if c.kind is not ChangeKind.UNCHANGED]
    return {
        "old": old_name,
        "new": new_name,
        "differ": result.differs,
        "counts": result.counts(),
        "units": {"gained": list(result.units_gained()), "lost": list(result.units_lost())},
        "changes": [_change_json(c) for c in shown],
        "category_notes": [{"path": list(n.path), "old": n.old, "new": n.new} for n in result.notes],
    }


def _text(old_name: str, old: Plan, new_name: str, new: Plan, result: PlanDiff) -> list[str]:
    gained, lost = result.units_gained(), result.units_lost()
    lines = [f"{old.title or old_name} → {new.title or new_name}",
             ", ".join(f"{k} {v}" for k, v in result.counts().items())]
    if gained:
        lines.append(f"units gained: {'、'.join(gained)}")
    if lost:
        lines.append(f"units lost: {'、'.join(lost)}")
    for c in result:
        if c.kind is not ChangeKind.UNCHANGED:
            lines += _change_lines(c)
    for n in result.notes:
        lines.append(f"~ note of {' / '.join(n.path)}: {n.old or '(none)'} → {n.new or '(none)'}")
    return lines


def _diff_folders(args: argparse.Namespace, old_dir: str, new_dir: str) -> int:
    """Each file of OLD against the file at the same path in NEW; files on one side only are listed
    and count as a difference."""
    output = getattr(args, "output", None)
    if output and not to_stdout(output) and Path(output).suffix.lower() in (".html", ".htm"):
        raise ZwgkError("an HTML page shows one pair of tables: give two files, not two folders")
    pairs, only_old, only_new = _folders(old_dir, new_dir)
    differ = bool(only_old or only_new)
    lines: list[str] = []
    found: list[dict[str, object]] = []
    for old_name, new_name in pairs:
        old, new = _read(args, old_name), _read(args, new_name)
        result = zwgk.diff(old, new, threshold=args.threshold)
        differ = differ or result.differs
        found.append(_json(old_name, new_name, result))
        lines += [f"== {old_name} → {new_name}", *_text(old_name, old, new_name, new, result)]
    lines += [f"only in {old_dir}: {f}" for f in only_old] + [f"only in {new_dir}: {f}" for f in only_new]
    if args.format == "json":
        data = {"old": old_dir, "new": new_dir, "differ": differ, "pairs": found, "only_old": only_old,
                "only_new": only_new}
        write_output((json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"), output)
    else:
        write_output(("\n".join(lines) + "\n").encode("utf-8"), output)
    return EXIT_FINDINGS if differ and not args.exit_zero else EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    given = _given(args)
    folders = [Path(f).is_dir() for f in given]
    if len(given) == 2 and all(folders):
        return _diff_folders(args, given[0], given[1])
    if any(folders):
        raise ZwgkError("give two tables or two folders, OLD and NEW, not a table and a folder")
    if args.sample:
        (old_name, old), (new_name, new) = ("sample", zwgk.load_sample()), (given[0], _read(args, given[0]))
    else:
        (old_name, old), (new_name, new) = (given[0], _read(args, given[0])), (given[1], _read(args, given[1]))
    result = zwgk.diff(old, new, threshold=args.threshold)
    output = getattr(args, "output", None)
    if output and not to_stdout(output) and Path(output).suffix.lower() in (".html", ".htm"):
        from zwgk._report import diff_page  # the report page: the validators, the exporters

        page = diff_page(old, new, result, old_name=old_name, new_name=new_name)
        write_output(page.encode("utf-8"), output)
    elif args.format == "json":
        text = json.dumps(_json(old_name, new_name, result), ensure_ascii=False, indent=2) + "\n"
        write_output(text.encode("utf-8"), output)
    else:
        write_output(("\n".join(_text(old_name, old, new_name, new, result)) + "\n").encode("utf-8"), output)
    return EXIT_FINDINGS if result.differs and not args.exit_zero else EXIT_OK


@hookimpl
def register_commands(register: Callable[[Command], None]) -> None:
    register(Command("diff", "what changed between two tables (e.g. last year's and this year's); "
                             "exits 1 when they differ", add_arguments, cmd_diff))
