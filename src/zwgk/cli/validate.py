"""``zwgk validate``: check many tables, stream or gather the reports, count findings, set the exit code."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

import attrs

import zwgk
from zwgk import Plan, ZwgkError
from zwgk.cli._commands import Command, add_input_options
from zwgk.cli._common import (
    EXIT_ERROR,
    EXIT_FINDINGS,
    EXIT_OK,
    STDIN,
    expand_inputs,
    load_stdin,
    quiet,
    read_options,
    to_stdout,
    write_output,
)
from zwgk.hookspecs import hookimpl

# The validators, the unit registry's module and the progress bar are imported by the command when
# it runs, not when the parser is built (every command's module is imported then).

__all__ = ["add_arguments", "cmd_validate", "register_commands"]

_PROGRESS_FROM = 10  # files; shorter batches run without a progress bar


def _selectors(values: Sequence[str] | None) -> list[str] | None:
    """``--select`` values; ``ALL`` (as in ruff) selects every check, like giving none."""
    from zwgk.validators import split_selectors

    chosen = split_selectors(list(values or ()))
    if any(s.upper() == "ALL" for s in chosen):
        return None
    return list(chosen) or None


def _relabel(report: Any, plan: Plan, name: str) -> Any:
    """The report with findings that name the plan's source file naming ``name`` instead."""
    def fix(f: Any) -> Any:
        if f.source is not None and f.source.file == plan.source:
            return attrs.evolve(f, source=attrs.evolve(f.source, file=name))
        return f

    return attrs.evolve(report, source=name, findings=tuple(fix(f) for f in report.findings))


def _statistics(reports: Sequence[Any], fmt: str) -> str:
    """Findings counted by check over every file, most frequent first (``--statistics``)."""
    counts: dict[tuple[str, str, str], int] = {}
    for report in reports:
        for f in report.findings:
            key = (f.code, f.slug, f.severity.value)
            counts[key] = counts.get(key, 0) + 1
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    if fmt == "json":
        data = [{"code": c, "slug": sl, "severity": sev, "count": n} for (c, sl, sev), n in rows]
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    width = max((len(str(n)) for _, n in rows), default=1)
    slug_width = max((len(sl) for (_, sl, _), _ in rows), default=0)
    return "".join(f"{n:>{width}}  {c}  {sl:<{slug_width}}  {sev}\n" for (c, sl, sev), n in rows)


def cmd_validate(args: argparse.Namespace) -> int:
    from tqdm import tqdm  # type: ignore[import-untyped]

    from zwgk.units import load_registry
    from zwgk.validators import Severity, github_annotations, select_validators, text_report

    fail_on = Severity.parse(args.fail_on)
    select = _selectors(args.select)
    select_validators(list(zwgk.get_validators().values()), select, args.ignore)  # unknown codes: exit 2 now
    if args.statistics and args.format == "github":
        raise ZwgkError("--statistics prints text or json, not github annotations")
    files: list[str | None] = [*([None] if args.sample else []), *expand_inputs(args.files)]
    if not files:
        raise ZwgkError("give one or more FILEs (- for standard input) or --sample")
    if files.count(STDIN) > 1:
        raise ZwgkError("standard input (-) can be read only once")
    to_file = not to_stdout(args.output)
    streaming = args.format == "text" and not args.statistics and not to_file
    progress = files
    emit: Callable[[str], object] = sys.stdout.write
    if len(files) >= _PROGRESS_FROM:
        progress = tqdm(files, desc="validating", unit="file", disable=True if quiet["on"] else None, leave=False)
        emit = lambda text: tqdm.write(text, file=sys.stdout, end="")  # noqa: E731 (keeps the bar intact)
    registry = None
    if args.registry:
        registry = zwgk.unit_registry()
        for path in args.registry:
            registry.merge(load_registry(path))
    colour = streaming and sys.stdout.isatty()
    unreadable = False
    failed = False
    reports = []
    parts: list[str] = []
    for name in progress:
        try:
            if name is None:
                plan = zwgk.load_sample(registry=registry.copy() if registry is not None else None)
            elif name == STDIN:
                plan = load_stdin(args)
            else:
                plan = zwgk.load(name, format=args.input_format,
                                 registry=registry.copy() if registry is not None else None, **read_options(args))
        except ZwgkError as e:
            print(f"zwgk: error: {e}", file=sys.stderr)
            unreadable = True
            continue
        report = zwgk.validate(plan, select=select, ignore=args.ignore, strict=args.strict, registry=registry)
        if name == STDIN:
            report = _relabel(report, plan, STDIN)
        elif name is not None:
            report = attrs.evolve(report, source=name)
        failed = failed or report.failed(fail_on)
        if args.format == "text" and not args.statistics:
            text = text_report(report, plan, colour=colour)
            if streaming:
                emit(text)
            else:
                parts.append(text)
        reports.append(report)
    if args.statistics:
        parts.append(_statistics(reports, args.format))
    elif args.format == "json":
        parts.append(json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=2) + "\n")
    elif args.format == "github":
        parts.append(github_annotations(reports))
    if parts or to_file:
        write_output("".join(parts).encode("utf-8"), args.output)
    sys.stdout.flush()
    if unreadable:
        return EXIT_ERROR
    return EXIT_FINDINGS if failed and not args.exit_zero else EXIT_OK


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="tables in any readable format (zwgk formats), folders (read recursively); "
                        "- reads standard input")
    p.add_argument("--sample", action="store_true", help="check the bundled 2020 Tai'an sample")
    add_input_options(p, file=False, sample=False, table=False)
    p.add_argument("-f", "--format", "--output-format", dest="format", choices=("text", "json", "github"),
                   default="text",
                   help="text (default, grouped by task), json, or github (GitHub Actions annotations)")
    p.add_argument("-o", "--output", metavar="PATH", help="write the report to PATH instead of stdout")
    p.add_argument("--select", action="append", metavar="CODES",
                   help="run only these checks: codes (ZW101), code prefixes (ZW1) or slugs, comma-separated; "
                        "ALL runs every check")
    p.add_argument("--ignore", action="append", metavar="CODES", help="skip these checks (same forms as --select)")
    p.add_argument("--fail-on", choices=("error", "warning", "info"), default="error",
                   help="exit 1 when a finding is at least this severe (default: error)")
    p.add_argument("--strict", action="store_true", help="treat unknown units as errors")
    p.add_argument("--registry", action="append", metavar="TOML",
                   help="a unit registry file (e.g. from `zwgk units FILE -f toml`) merged into the default one; "
                        "names are checked against it (may be repeated)")
    p.add_argument("--statistics", action="store_true",
                   help="print how many findings each check made, over every file, instead of the findings")
    p.add_argument("--exit-zero", action="store_true",
                   help="exit 0 even when findings reach --fail-on (unreadable files still exit 2)")


@hookimpl
def register_commands(register: Callable[[Command], None]) -> None:
    register(Command("validate", "check tables for missing leads, role conflicts, unit name typos, ...",
                     add_arguments, cmd_validate))
