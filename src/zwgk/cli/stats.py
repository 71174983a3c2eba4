"""``zwgk stats``: who carries the load, how tasks spread over categories, what the checks found.

Plain Python (no pandas): counts tasks, not cells, as ``zwgk.analysis`` does.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
from collections import Counter
from collections.abc import Callable
from typing import Any

import zwgk
from zwgk import Plan, Role, ZwgkError
from zwgk._width import display_width, pad
from zwgk.cli._commands import Command, add_input_options
from zwgk.cli._common import EXIT_OK, STDIN, expand_inputs, load_stdin, read_options, write_output
from zwgk.hookspecs import hookimpl

__all__ = ["add_arguments", "cmd_stats", "plan_stats", "register_commands"]

#: The ranking over every role (a task counted once however many roles the unit has in it).
TOTAL = "total"
#: Units listed per role unless ``--top`` says otherwise.
DEFAULT_TOP = 10


def plan_stats(plan: Plan, name: str, top: int = DEFAULT_TOP) -> dict[str, Any]:
    """What ``zwgk stats`` reports on one plan, as plain data."""
    n = len(plan.tasks)
    work = plan.workload()
    order = {u.name: i for i, u in enumerate(plan.units())}
    top_units: dict[str, list[dict[str, Any]]] = {}
    for role in Role:
        ranked = sorted(((c[role], u) for u, c in work.items() if c[role]), key=lambda x: (-x[0], order[x[1]]))
        top_units[role.value] = [{"unit": u, "tasks": k, "share": round(k / n, 4) if n else 0.0}
                                 for k, u in ranked[:top]]
    totals: Counter[str] = Counter()
    for t in plan.tasks:
        totals.update({u.name for u in t.units()})
    ranked_all = sorted(totals.items(), key=lambda x: (-x[1], order[x[0]]))
    top_units[TOTAL] = [{"unit": u, "tasks": k, "share": round(k / n, 4) if n else 0.0} for u, k in ranked_all[:top]]
    per_category: Counter[tuple[str, ...]] = Counter(t.path[:1] for t in plan.tasks)
    categories = [{"category": p[0] if p else "", "tasks": per_category[p]}
                  for p in dict.fromkeys(t.path[:1] for t in plan.tasks)]
    report = zwgk.validate(plan)
    found: Counter[tuple[str, str, str]] = Counter((f.code, f.slug, f.severity.value) for f in report.findings)
    findings = [{"code": c, "slug": s, "severity": v, "count": k}
                for (c, s, v), k in sorted(found.items(), key=lambda x: (-x[1], x[0][0]))]
    return {"file": name, "title": plan.title, "tasks": n, "units": len(work), "top": top_units,
            "categories": categories, "findings": findings}


def _table(header: list[str], rows: list[list[str]], numeric: set[int]) -> list[str]:
    """Rows aligned by display width (a Chinese character is two columns wide)."""
    widths = [max(display_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    out = []
    for row in [header, *rows]:
        cells = [" " * (widths[i] - display_width(c)) + c if i in numeric and row is not header else pad(c, widths[i])
                 for i, c in enumerate(row)]
        out.append("  ".join(cells).rstrip())
    return out


def _text(stats: dict[str, Any]) -> str:
    named = f"{stats['title']} ({stats['file']})" if stats["title"] else stats["file"]
    lines = [f"{named}: {stats['tasks']} tasks, {stats['units']} units",
             "", "Top units by role (tasks, not cells)"]
    rows = [[(Role(role).label if role != TOTAL else "任一角色") if i == 0 else "", str(i + 1), r["unit"],
             str(r["tasks"]), f"{r['share']:.1%}"]
            for role, ranked in stats["top"].items() for i, r in enumerate(ranked)]
    lines += _table(["role", "#", "unit", "tasks", "share"], rows, {1, 3, 4}) if rows else ["(no units)"]
    lines += ["", "Tasks per category"]
    lines += _table(["category", "tasks"], [[c["category"] or "（无）", str(c["tasks"])]
                                            for c in stats["categories"]], {1})
    lines += ["", "Findings by code"]
    rows = [[f["code"], f["severity"], f["slug"], str(f["count"])] for f in stats["findings"]]
    lines += _table(["code", "severity", "check", "count"], rows, {3}) if rows else ["(none)"]
    return "\n".join(lines) + "\n"


def _csv(all_stats: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["file", "section", "role", "rank", "name", "count", "share"])
    for s in all_stats:
        for role, ranked in s["top"].items():
            for i, r in enumerate(ranked):
                w.writerow([s["file"], "unit", role, i + 1, r["unit"], r["tasks"], r["share"]])
        for i, c in enumerate(s["categories"]):
            w.writerow([s["file"], "category", "", i + 1, c["category"], c["tasks"], ""])
        for i, f in enumerate(s["findings"]):
            w.writerow([s["file"], "finding", f["severity"], i + 1, f["code"], f["count"], ""])
    return buf.getvalue()


def cmd_stats(args: argparse.Namespace) -> int:
    if args.sample and args.files:
        raise ZwgkError("give FILEs or --sample, not both")
    if not args.sample and not args.files:
        raise ZwgkError("give one or more FILEs or --sample")
    if args.top < 1:
        raise ZwgkError(f"--top must be at least 1, not {args.top}")
    files = expand_inputs(args.files)
    if files.count(STDIN) > 1:
        raise ZwgkError("standard input (-) can be read only once")
    plans = ([("sample", zwgk.load_sample())] if args.sample else
             [(f, load_stdin(args) if f == STDIN else zwgk.load(f, format=args.input_format, **read_options(args)))
              for f in files])
    all_stats = [plan_stats(plan, name, args.top) for name, plan in plans]
    if args.format == "json":
        text = json.dumps(all_stats if len(all_stats) > 1 else all_stats[0], ensure_ascii=False, indent=2) + "\n"
    elif args.format == "csv":
        text = _csv(all_stats)
    else:
        text = "\n".join(_text(s) for s in all_stats)
    write_output(text.encode("utf-8"), args.output)
    return EXIT_OK


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="tables in any readable format, folders (read recursively) or - for standard input")
    p.add_argument("--sample", action="store_true", help="use the bundled 2020 Tai'an sample")
    add_input_options(p, file=False, sample=False)
    p.add_argument("--top", type=int, default=DEFAULT_TOP, metavar="N",
                   help=f"units listed per role (default {DEFAULT_TOP})")
    p.add_argument("-f", "--format", choices=("text", "json", "csv"), default="text",
                   help="text (default, aligned tables), json or csv")
    p.add_argument("-o", "--output", metavar="PATH", help="write to PATH instead of stdout")


@hookimpl
def register_commands(register: Callable[[Command], None]) -> None:
    register(Command("stats", "top units by role, tasks per category and findings by code, per table",
                     add_arguments, cmd_stats))
