"""The ``zwgk`` command.

Every command prints errors as one line on stderr (``zwgk: error: FILE, row 3: ...``) and exits
non-zero: 2 for unreadable input or bad usage, 1 for a failed check.
"""

from __future__ import annotations

import argparse
import json
import operator
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import zwgk
from zwgk import plugins
from zwgk._api import get_exporter
from zwgk._diff import ChangeKind
from zwgk.errors import ZwgkError
from zwgk.exporters import ExportWarning
from zwgk.model import Plan, Role, Task

__all__ = ["main"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


def _load(args: argparse.Namespace) -> Plan:
    if getattr(args, "sample", False):
        return zwgk.load_sample()
    if not getattr(args, "file", None):
        raise ZwgkError("give a FILE or --sample")
    return zwgk.load(args.file, format=getattr(args, "input_format", None), **_read_options(args))


def _write_output(data: bytes, output: str | None) -> None:
    if output is None or output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        Path(output).write_bytes(data)


def cmd_parse(args: argparse.Namespace) -> int:
    plan = _load(args)
    data = zwgk.export(plan, args.format)
    assert data is not None
    _write_output(data, args.output)
    return EXIT_OK


def _task_brief(task: Task | None) -> dict[str, object] | None:
    if task is None:
        return None
    return {"id": task.id, "row": task.source.row if task.source else None, "path": list(task.path),
            "text": task.text}


def _row(task: Task | None) -> str:
    return f"row {task.source.row}" if task is not None and task.source else "row ?"


def cmd_diff(args: argparse.Namespace) -> int:
    old = zwgk.load(args.old)
    new = zwgk.load(args.new)
    result = zwgk.diff(old, new, threshold=args.threshold)
    shown = [c for c in result if c.kind is not ChangeKind.UNCHANGED]
    if args.format == "json":
        data = {
            "old": args.old,
            "new": args.new,
            "counts": result.counts(),
            "changes": [
                {
                    "kind": c.kind.value,
                    "fields": list(c.fields),
                    "similarity": round(c.similarity, 3),
                    "old": _task_brief(c.old),
                    "new": _task_brief(c.new),
                    "units": {
                        r.value: {"gained": list(c.units_gained(r)), "lost": list(c.units_lost(r))}
                        for r in Role
                        if c.units_gained(r) or c.units_lost(r)
                    },
                }
                for c in shown
            ],
        }
        _write_output((json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"), None)
        return EXIT_OK
    counts = result.counts()
    lines = [f"{old.title or args.old} → {new.title or args.new}",
             ", ".join(f"{k} {v}" for k, v in counts.items())]
    for c in shown:
        task = c.new or c.old
        assert task is not None
        text = task.text.replace("\n", " ")
        text = text if len(text) <= 60 else text[:59] + "…"
        if c.kind is ChangeKind.ADDED:
            lines.append(f"+ {_row(c.new)}: {text}")
        elif c.kind is ChangeKind.REMOVED:
            lines.append(f"- {_row(c.old)}: {text}")
        else:
            lines.append(f"~ {_row(c.old)} → {_row(c.new)} [{', '.join(c.fields)}]: {text}")
            for r in Role:
                gained, lost = c.units_gained(r), c.units_lost(r)
                if gained or lost:
                    parts = [f"+ {n}" for n in gained] + [f"- {n}" for n in lost]
                    lines.append(f"    {r.label}: {'  '.join(parts)}")
            if "path" in c.fields and c.old and c.new:
                lines.append(f"    category: {' / '.join(c.old.path)} → {' / '.join(c.new.path)}")
    _write_output(("\n".join(lines) + "\n").encode("utf-8"), None)
    return EXIT_OK
_PROGRESS_FROM = 10  # files; shorter batches run without a progress bar


def _export_format(args: argparse.Namespace) -> str:
    if args.to:
        return str(args.to)
    if args.output and args.output != "-":
        suffix = Path(args.output).suffix.lower()
        for name, exporter in zwgk.exporters().items():
            if suffix in exporter.suffixes:
                return name
        raise ZwgkError(f"cannot tell the format from {args.output!r}; give --to "
                        f"({', '.join(sorted(zwgk.exporters()))})")
    raise ZwgkError("give --to FORMAT or -o PATH with a known suffix")


def _parse_options(pairs: Sequence[str]) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ZwgkError(f"--option takes KEY=VALUE, not {pair!r}")
        lowered = value.lower()
        if lowered in ("true", "false"):
            options[key] = lowered == "true"
        else:
            try:
                options[key] = float(value) if "." in value else int(value)
            except ValueError:
                options[key] = value
    return options


def cmd_export(args: argparse.Namespace) -> int:
    fmt = _export_format(args)
    exporter = get_exporter(fmt)
    plan = _load(args)
    options = _parse_options(args.option or ())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ExportWarning)
        if args.output and args.output != "-":
            zwgk.export(plan, exporter.name, args.output, **options)
        else:
            if sys.stdout.isatty() and exporter.name not in ("text", "json", "markdown"):
                raise ZwgkError(f"{exporter.name} is a binary format; give -o PATH")
            data = zwgk.export(plan, exporter.name, **options)
            assert data is not None
            _write_output(data, None)
    for w in caught:
        print(f"zwgk: warning: {w.message}", file=sys.stderr)
    return EXIT_OK


def cmd_plugins(args: argparse.Namespace) -> int:
    provides: dict[str, list[str]] = {}
    for hook, kind, key in (("register_readers", "reader", "name"), ("register_exporters", "exporter", "name"),
                            ("register_validators", "validator", "code")):
        for name, (_, owner) in plugins.collect(hook, operator.attrgetter(key)).items():
            provides.setdefault(owner, []).append(f"{kind} {name}")
    for info in plugins.plugins():
        origin = "built-in" if info.builtin else (info.package or "registered in code")
        things = ", ".join(provides.get(info.name, [])) or ", ".join(info.hooks)
        print(f"{info.name}  [{origin}]  {things}")
    for error in plugins.plugin_errors():
        print(f"zwgk: warning: {error}", file=sys.stderr)
    return EXIT_OK


def cmd_units(args: argparse.Namespace) -> int:
    from zwgk.model import Unit
    from zwgk.units import UnitRegistry
    from zwgk.units._summary import format_summaries, summarize_units

    registry = zwgk.unit_registry()
    for path in args.registry or ():
        registry.merge(UnitRegistry.from_toml(path))
    if args.sample:
        plan = zwgk.load_sample(registry=registry)
    elif args.file:
        plan = zwgk.load(args.file, format=args.input_format, registry=registry, **_read_options(args))
    else:
        raise ZwgkError("give a FILE or --sample")
    rows = summarize_units(plan, registry)
    if args.sort != "first":
        rows.sort(key=lambda r: (-getattr(r, args.sort), r.name))
    if args.format == "toml":
        own = UnitRegistry()
        for r in rows:
            known = registry.get(r.name)
            covers = known.covers if known is not None else ()
            aliases = tuple(dict.fromkeys((*(known.aliases if known is not None else ()), *r.aliases)))
            own.add(Unit(r.name, r.kind, aliases, covers))
        text = own.to_toml()
    else:
        text = format_summaries(rows, args.format)
    _write_output(text.encode("utf-8"), args.output)
    return EXIT_OK


_PROGRESS_FROM = 10  # files; shorter batches run without a progress bar


def cmd_validate(args: argparse.Namespace) -> int:
    import json

    import attrs

    from zwgk.validators import Severity, select_validators
    from zwgk.validators._render import github_annotations, text_report

    fail_on = Severity.parse(args.fail_on)
    select_validators(list(zwgk.validators().values()), args.select, args.ignore)  # unknown codes: exit 2 now
    files: list[str | None] = [*([None] if args.sample else []), *args.files]
    if not files:
        raise ZwgkError("give one or more FILEs or --sample")
    progress = files
    emit: Callable[[str], object] = sys.stdout.write
    if len(files) >= _PROGRESS_FROM:
        from tqdm import tqdm  # type: ignore[import-untyped]

        progress = tqdm(files, desc="validating", unit="file", disable=None, leave=False)
        emit = lambda text: tqdm.write(text, file=sys.stdout, end="")  # noqa: E731 (keeps the bar intact)
    colour = sys.stdout.isatty()
    unreadable = False
    failed = False
    reports = []
    for name in progress:
        try:
            if name is None:
                plan = zwgk.load_sample()
            else:
                plan = zwgk.load(name, format=args.input_format, **_read_options(args))
        except ZwgkError as e:
            print(f"zwgk: error: {e}", file=sys.stderr)
            unreadable = True
            continue
        report = zwgk.validate(plan, select=args.select, ignore=args.ignore, strict=args.strict)
        if name is not None:
            report = attrs.evolve(report, source=name)
        failed = failed or report.failed(fail_on)
        if args.format == "text":
            emit(text_report(report, plan, colour=colour))
        reports.append(report)
    if args.format == "json":
        sys.stdout.write(json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=2) + "\n")
    elif args.format == "github":
        sys.stdout.write(github_annotations(reports))
    sys.stdout.flush()
    if unreadable:
        return EXIT_ERROR
    return EXIT_FINDINGS if failed else EXIT_OK


def _add_input(p: argparse.ArgumentParser, *, sample: bool = True) -> None:
    p.add_argument("file", nargs="?", metavar="FILE", help="a table: .txt, .docx, .html or zwgk .json")
    if sample:
        p.add_argument("--sample", action="store_true",
                       help="use the bundled 2020 Tai'an sample instead of FILE")
    p.add_argument("--input-format", metavar="NAME", help="reader to use (default: by content/suffix)")
    p.add_argument("--table", type=int, metavar="N",
                   help="read only the N-th table of a .docx/.html (default: every task table)")


def _read_options(args: argparse.Namespace) -> dict[str, Any]:
    """Reader options given on the command line."""
    return {"table": args.table} if getattr(args, "table", None) is not None else {}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zwgk",
        description="Read Chinese government task-breakdown tables (任务分解表) into typed data.",
    )
    parser.add_argument("--version", action="version", version=f"zwgk {zwgk.__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("parse", help="read a table and print it as JSON (or another format)")
    _add_input(p)
    p.add_argument("-f", "--format", default="json",
                   help="output format: json (default), markdown, text, or any installed exporter")
    p.add_argument("-o", "--output", metavar="PATH", help="write to PATH instead of stdout")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("diff", help="what changed between two tables (e.g. last year's and this year's)")
    p.add_argument("old", metavar="OLD")
    p.add_argument("new", metavar="NEW")
    p.add_argument("-f", "--format", choices=["text", "json"], default="text")
    p.add_argument("--threshold", type=float, default=0.6,
                   help="least text similarity (0-1) for a reworded task to count as changed (default 0.6)")
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser("export", help="write a table in another format (docx, markdown, json, text, ...)")
    _add_input(p)
    p.add_argument("--to", metavar="FORMAT", help="exporter name (default: from -o's suffix)")
    p.add_argument("-o", "--output", metavar="PATH", help="write to PATH (default: stdout)")
    p.add_argument("--option", metavar="KEY=VALUE", action="append",
                   help="an option for the exporter, e.g. --option font=宋体 (repeatable)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("plugins", help="list the loaded plugins, where they come from and what they add")
    p.set_defaults(func=cmd_plugins)

    p = sub.add_parser("units", help="list the canonical units of a table with their kind, spellings and task counts")
    _add_input(p)
    p.add_argument("-f", "--format", default="text", choices=("text", "json", "csv", "toml"),
                   help="text (default), json, csv, or toml (a registry file of the table's units to edit)")
    p.add_argument("--registry", action="append", metavar="TOML",
                   help="a unit registry file merged into the default one (may be repeated)")
    p.add_argument("--sort", default="first", choices=("first", "lead", "responsible", "total"),
                   help="order: first mention (default) or most tasks in a role")
    p.add_argument("-o", "--output", metavar="PATH", help="write to PATH instead of stdout")
    p.set_defaults(func=cmd_units)

    p = sub.add_parser("validate", help="check tables for missing leads, role conflicts, unit name typos, ...")
    p.add_argument("files", nargs="*", metavar="FILE", help="tables (.txt, .docx, .html) or zwgk .json files")
    p.add_argument("--sample", action="store_true", help="check the bundled 2020 Tai'an sample")
    p.add_argument("--input-format", metavar="NAME", help="reader to use (default: by content/suffix)")
    p.add_argument("-f", "--format", choices=("text", "json", "github"), default="text",
                   help="text (default, grouped by task), json, or github (GitHub Actions annotations)")
    p.add_argument("--select", action="append", metavar="CODES",
                   help="run only these checks: codes (ZW101), code prefixes (ZW1) or slugs, comma-separated")
    p.add_argument("--ignore", action="append", metavar="CODES", help="skip these checks (same forms as --select)")
    p.add_argument("--fail-on", choices=("error", "warning", "info"), default="error",
                   help="exit 1 when a finding is at least this severe (default: error)")
    p.add_argument("--strict", action="store_true", help="treat unknown units as errors")
    p.set_defaults(func=cmd_validate)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse already printed its one-line message
        return int(e.code or 0) if isinstance(e.code, int) else EXIT_ERROR
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    try:
        return func(args)
    except ZwgkError as e:
        print(f"zwgk: error: {e}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        print("zwgk: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
