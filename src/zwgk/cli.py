"""The ``zwgk`` command.

Every command prints errors as one line on stderr (``zwgk: error: FILE, row 3: ...``) and exits
non-zero: 2 for unreadable input, bad usage or a file it cannot write, 1 for a failed check.
Warnings are one line each too (``zwgk: warning: ...``).
"""

from __future__ import annotations

import argparse
import json
import operator
import sys
import typing
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import zwgk
from zwgk import plugins
from zwgk._api import get_exporter
from zwgk._diff import ChangeKind
from zwgk.errors import ExportError, PluginError, ZwgkError
from zwgk.exporters import ExportWarning, OptionSpec
from zwgk.model import Plan, Role, Task

__all__ = ["main"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


def _check_input(args: argparse.Namespace) -> None:
    """Exactly one of FILE and --sample."""
    sample, file = getattr(args, "sample", False), getattr(args, "file", None)
    if sample and file:
        raise ZwgkError(f"give a FILE or --sample, not both ({file!r} and --sample)")
    if not sample and not file:
        raise ZwgkError("give a FILE or --sample")


def _load(args: argparse.Namespace) -> Plan:
    _check_input(args)
    if args.sample:
        return zwgk.load_sample()
    return zwgk.load(args.file, format=getattr(args, "input_format", None), **_read_options(args))


def _to_stdout(output: str | None) -> bool:
    return output is None or output == "-"


def _write_output(data: bytes, output: str | None) -> None:
    if _to_stdout(output):
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    assert output is not None
    try:
        Path(output).write_bytes(data)
    except OSError as e:
        raise ZwgkError(f"cannot write {output}: {e.strerror or e}") from None


def _is_binary(data: bytes) -> bool:
    """Bytes a terminal cannot show: a NUL, or not UTF-8 (a .docx or .xlsx is a zip archive)."""
    if b"\x00" in data:
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _refuse_binary_on_terminal(data: bytes, format_name: str) -> None:
    if sys.stdout.isatty() and _is_binary(data):
        raise ZwgkError(f"{format_name} is a binary format and stdout is a terminal; give -o PATH "
                        f"(or redirect stdout to a file)")


def cmd_parse(args: argparse.Namespace) -> int:
    exporter = get_exporter(args.format)
    plan = _load(args)
    data = zwgk.export(plan, exporter.name)
    assert data is not None
    if _to_stdout(args.output):
        _refuse_binary_on_terminal(data, exporter.name)
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


def _export_format(args: argparse.Namespace) -> str:
    if args.to:
        return str(args.to)
    if not _to_stdout(args.output):
        suffix = Path(args.output).suffix.lower()
        try:
            if suffix:
                return get_exporter(suffix).name
        except ExportError:
            pass
        raise ZwgkError(f"cannot tell the format from {args.output!r}; give --to "
                        f"({', '.join(sorted(zwgk.exporters()))})")
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
    plan = _load(args)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ExportWarning)
        if not _to_stdout(args.output):
            zwgk.export(plan, exporter.name, args.output, **options)
        else:
            data = zwgk.export(plan, exporter.name, **options)
            assert data is not None
            _refuse_binary_on_terminal(data, exporter.name)
            _write_output(data, None)
    for w in caught:
        print(f"zwgk: warning: {w.message}", file=sys.stderr)
    return EXIT_OK


def _describe_option(spec: OptionSpec) -> dict[str, object]:
    default = spec.default if isinstance(spec.default, (str, int, float, bool)) or spec.default is None else repr(
        spec.default)
    return {"name": spec.name, "type": spec.describe(), "default": default}


def _plugin_contents() -> dict[str, dict[str, list[dict[str, object]]]]:
    """What each plugin adds, by plugin name: readers, exporters (with options) and validators."""
    adds: dict[str, dict[str, list[dict[str, object]]]] = {}
    for name, (reader, owner) in plugins.collect("register_readers", operator.attrgetter("name")).items():
        adds.setdefault(owner, {}).setdefault("readers", []).append(
            {"name": name, "suffixes": list(reader.suffixes)})
    for name, (exporter, owner) in plugins.collect("register_exporters", operator.attrgetter("name")).items():
        specs = exporter.options()
        adds.setdefault(owner, {}).setdefault("exporters", []).append(
            {"name": name, "suffixes": list(exporter.suffixes), "description": exporter.description,
             "options": None if specs is None else [_describe_option(o) for o in specs.values()]})
    for code, (validator, owner) in plugins.collect("register_validators", operator.attrgetter("code")).items():
        adds.setdefault(owner, {}).setdefault("validators", []).append(
            {"code": code, "slug": validator.slug})
    return adds


def cmd_plugins(args: argparse.Namespace) -> int:
    adds = _plugin_contents()
    infos = plugins.plugins()
    if args.format == "json":
        rows = []
        for info in infos:
            package, _, version = (info.package or "").rpartition(" ")
            rows.append({"name": info.name, "builtin": info.builtin, "package": package or None,
                         "version": version or (zwgk.__version__ if info.builtin else None),
                         "hooks": list(info.hooks), "adds": adds.get(info.name, {})})
        text = json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    else:
        lines = []
        for info in infos:
            origin = "built-in" if info.builtin else (info.package or "registered in code")
            mine = adds.get(info.name, {})
            things = ", ".join([*(f"reader {r['name']}" for r in mine.get("readers", [])),
                                *(f"exporter {e['name']}" for e in mine.get("exporters", [])),
                                *(f"validator {v['code']}" for v in mine.get("validators", []))])
            lines.append(f"{info.name}  [{origin}]  {things or ', '.join(info.hooks)}")
        text = "\n".join(lines) + "\n"
    _write_output(text.encode("utf-8"), None)
    for error in plugins.plugin_errors():
        _warn(str(error))
    return EXIT_OK


def cmd_units(args: argparse.Namespace) -> int:
    from zwgk.model import Unit
    from zwgk.units import UnitRegistry
    from zwgk.units._summary import format_summaries, summarize_units

    registry = zwgk.unit_registry()
    for path in args.registry or ():
        registry.merge(UnitRegistry.from_toml(path))
    _check_input(args)
    if args.sample:
        plan = zwgk.load_sample(registry=registry)
    else:
        plan = zwgk.load(args.file, format=args.input_format, registry=registry, **_read_options(args))
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


STDIN = "-"  # the FILE that stands for standard input


def _selectors(values: Sequence[str] | None) -> list[str] | None:
    """``--select`` values; ``ALL`` (as in ruff) selects every check, like giving none."""
    from zwgk.validators._report import split_selectors

    chosen = split_selectors(list(values or ()))
    if any(s.upper() == "ALL" for s in chosen):
        return None
    return list(chosen) or None


def _load_stdin(args: argparse.Namespace) -> Plan:
    """The table on standard input, its format sniffed from the content (or ``--input-format``)."""
    import tempfile

    import attrs

    data = sys.stdin.buffer.read()
    with tempfile.TemporaryDirectory(prefix="zwgk-") as tmp:
        path = Path(tmp) / "stdin"
        path.write_bytes(data)
        try:
            return zwgk.load(path, format=args.input_format, **_read_options(args))
        except ZwgkError as e:
            if e.position is not None and e.position.file == str(path):
                e.position = attrs.evolve(e.position, file=STDIN)
            raise


def _relabel(report: Any, plan: Plan, name: str) -> Any:
    """The report with findings that name the plan's source file naming ``name`` instead."""
    import attrs

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
    import attrs

    from zwgk.validators import Severity, select_validators
    from zwgk.validators._render import github_annotations, text_report

    fail_on = Severity.parse(args.fail_on)
    select = _selectors(args.select)
    select_validators(list(zwgk.validators().values()), select, args.ignore)  # unknown codes: exit 2 now
    if args.statistics and args.format == "github":
        raise ZwgkError("--statistics prints text or json, not github annotations")
    files: list[str | None] = [*([None] if args.sample else []), *args.files]
    if not files:
        raise ZwgkError("give one or more FILEs (- for standard input) or --sample")
    if files.count(STDIN) > 1:
        raise ZwgkError("standard input (-) can be read only once")
    to_file = not _to_stdout(args.output)
    streaming = args.format == "text" and not args.statistics and not to_file
    progress = files
    emit: Callable[[str], object] = sys.stdout.write
    if len(files) >= _PROGRESS_FROM:
        from tqdm import tqdm  # type: ignore[import-untyped]

        progress = tqdm(files, desc="validating", unit="file", disable=None, leave=False)
        emit = lambda text: tqdm.write(text, file=sys.stdout, end="")  # noqa: E731 (keeps the bar intact)
    colour = streaming and sys.stdout.isatty()
    unreadable = False
    failed = False
    reports = []
    parts: list[str] = []
    for name in progress:
        try:
            if name is None:
                plan = zwgk.load_sample()
            elif name == STDIN:
                plan = _load_stdin(args)
            else:
                plan = zwgk.load(name, format=args.input_format, **_read_options(args))
        except ZwgkError as e:
            print(f"zwgk: error: {e}", file=sys.stderr)
            unreadable = True
            continue
        report = zwgk.validate(plan, select=select, ignore=args.ignore, strict=args.strict)
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
        _write_output("".join(parts).encode("utf-8"), args.output)
    sys.stdout.flush()
    if unreadable:
        return EXIT_ERROR
    return EXIT_FINDINGS if failed and not args.exit_zero else EXIT_OK


def _add_input(p: argparse.ArgumentParser, *, sample: bool = True) -> None:
    p.add_argument("file", nargs="?", metavar="FILE", help="a table: .txt, .docx, .html or zwgk .json")
    if sample:
        p.add_argument("--sample", action="store_true",
                       help="use the bundled 2020 Tai'an sample instead of FILE")
    p.add_argument("--input-format", metavar="NAME", help="reader to use (default: by content/suffix)")
    p.add_argument("--table", type=int, metavar="N",
                   help="read only the N-th table of a .docx/.html (default: every task table)")
    p.add_argument("--no-convert", action="store_true",
                   help="refuse .doc/.wps/.rtf/.xls instead of converting them with LibreOffice")


def _read_options(args: argparse.Namespace) -> dict[str, Any]:
    """Reader options given on the command line."""
    options: dict[str, Any] = {"table": args.table} if getattr(args, "table", None) is not None else {}
    if getattr(args, "no_convert", False):
        options["convert"] = False
    return options


class _Parser(argparse.ArgumentParser):
    """argparse with its usage errors on one line, like every other zwgk error."""

    def error(self, message: str) -> typing.NoReturn:
        print(f"zwgk: error: {self.prog}: {message} (see {self.prog} --help)", file=sys.stderr)
        raise SystemExit(EXIT_ERROR)


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.0 <= value <= 1.0:  # rejects NaN too
        raise argparse.ArgumentTypeError(f"{text!r} is not between 0 and 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="zwgk",
        description="Read Chinese government task-breakdown tables (任务分解表) into typed data.",
    )
    parser.add_argument("--version", action="version", version=f"zwgk {zwgk.__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("parse", help="read a table and print it as JSON (or another format)")
    _add_input(p)
    p.add_argument("-f", "--format", "--to", dest="format", default="json", metavar="FORMAT",
                   help="output format: json (default), markdown (md), text (txt), docx, or any installed "
                        "exporter, by name or suffix")
    p.add_argument("-o", "--output", metavar="PATH", help="write to PATH instead of stdout")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("diff", help="what changed between two tables (e.g. last year's and this year's)")
    p.add_argument("old", metavar="OLD")
    p.add_argument("new", metavar="NEW")
    p.add_argument("-f", "--format", choices=["text", "json"], default="text")
    p.add_argument("--threshold", type=_fraction, default=0.6,
                   help="least text similarity (0-1) for a reworded task to count as changed (default 0.6)")
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser("export", help="write a table in another format (docx, markdown, json, text, ...)")
    _add_input(p)
    p.add_argument("--to", metavar="FORMAT",
                   help="exporter name or suffix (default: from -o's suffix); chooses between exporters "
                        "that write the same suffix")
    p.add_argument("-o", "--output", metavar="PATH", help="write to PATH (default: stdout)")
    p.add_argument("--option", metavar="KEY=VALUE", action="append",
                   help="an option for the exporter, e.g. --option font=宋体 (repeatable); the value is "
                        "read as the type the exporter declares (true/false, numbers, None, text)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("plugins", help="list the loaded plugins, where they come from and what they add")
    p.add_argument("-f", "--format", choices=("text", "json"), default="text",
                   help="text (default) or json (name, package, version, hooks and what each adds)")
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
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="tables (.txt, .docx, .html) or zwgk .json files; - reads standard input")
    p.add_argument("--sample", action="store_true", help="check the bundled 2020 Tai'an sample")
    p.add_argument("--input-format", metavar="NAME", help="reader to use (default: by content/suffix)")
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
    p.add_argument("--statistics", action="store_true",
                   help="print how many findings each check made, over every file, instead of the findings")
    p.add_argument("--exit-zero", action="store_true",
                   help="exit 0 even when findings reach --fail-on (unreadable files still exit 2)")
    p.set_defaults(func=cmd_validate)

    parser.set_defaults(commands=tuple(sub.choices))
    return parser


def _show_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                  file: typing.TextIO | None = None, line: str | None = None) -> None:
    """Warnings as one line each: ``zwgk: warning: ...``, each said once."""
    _warn(str(message))


_warned: set[str] = set()


def _warn(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        print(f"zwgk: warning: {message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse already printed its one-line message (or --help, --version)
        return int(e.code or 0) if isinstance(e.code, int) else EXIT_ERROR
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    if func is None:
        commands = ", ".join(args.commands)
        print(f"zwgk: error: give a command: {commands} (see zwgk --help)", file=sys.stderr)
        return EXIT_ERROR
    _warned.clear()
    with warnings.catch_warnings():
        warnings.showwarning = _show_warning
        try:
            return func(args)
        except (ZwgkError, PluginError) as e:
            print(f"zwgk: error: {e}", file=sys.stderr)
            return EXIT_ERROR
        except BrokenPipeError:
            return EXIT_OK
        except OSError as e:  # a file the command could not read or write, named by the OS
            where = f"{e.filename}: " if e.filename else ""
            print(f"zwgk: error: {where}{e.strerror or e}", file=sys.stderr)
            return EXIT_ERROR
        except KeyboardInterrupt:
            print("zwgk: interrupted", file=sys.stderr)
            return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
