"""``zwgk plugin new NAME --kind exporter|validator|reader``: start a plugin package.

The package it writes installs, passes its own tests and ``mypy --strict`` as it is: a
``pyproject.toml`` with the entry point in the ``zwgk`` group, the module, a test using
:mod:`zwgk.testing`, and a README. The author then changes the example inside.
"""

from __future__ import annotations

import argparse
import re
import string
import sys
from collections.abc import Callable
from pathlib import Path

import zwgk
from zwgk.cli._commands import Command
from zwgk.cli._common import EXIT_OK
from zwgk.errors import ZwgkError
from zwgk.hookspecs import hookimpl

__all__ = ["KINDS", "add_arguments", "cmd_plugin", "new_plugin", "register_commands"]

KINDS = ("exporter", "validator", "reader")
_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")

_PYPROJECT = """\
[build-system]
requires = ["setuptools>=77"]
build-backend = "setuptools.build_meta"

[project]
name = "$dist"
version = "0.1.0"
description = "$description"
readme = "README.md"
requires-python = ">=3.10"
dependencies = ["zwgk>=$zwgk_version"]

[project.optional-dependencies]
test = ["pytest>=7.4", "mypy>=1.8"]

# The line that makes this package a zwgk plugin: zwgk loads the module under the name "$short".
[project.entry-points.zwgk]
$short = "$module"

[tool.setuptools.packages.find]
where = ["src"]

[tool.setuptools.package-data]
$module = ["py.typed"]

[tool.pytest.ini_options]
testpaths = ["tests"]

[tool.mypy]
strict = true
python_version = "3.10"
"""

_README = """\
# $dist

$description

A [zwgk](https://pypi.org/project/zwgk/) plugin: its entry point in the `zwgk` group (see
`pyproject.toml`) makes zwgk load `$module` and call its `register_${kind}s` hook.

## Install and test

From this directory, with zwgk installed or given beside it (`pip install /path/to/zwgk .[test]`
while zwgk is not on PyPI):

```sh
pip install -e ".[test]"
python -m pytest -q
mypy --strict src tests
zwgk plugins          # lists "$short" with this package's name and version
```

The tests register the module with `zwgk.testing.registered(...)` for each test, so they pass
whether or not the package is installed: when it is, the entry point has already loaded the
module and registering it again only gives it the test's name for the duration.

$usage
"""

_USAGE = {
    "exporter": """## Use

```sh
zwgk export --sample -o tasks.$short    # by suffix, or --to $short
```

`write(plan, stream, *, delimiter=",")` writes bytes; its keyword arguments are the exporter's
options (`zwgk export ... --option delimiter=";"`). An exporter writes everything the plan holds
or raises `zwgk.ExportError` naming the task and field it cannot write.""",
    "validator": """## Use

```sh
zwgk validate --sample --select $code
```

Change the prefix `$prefix` to one of your own (never `ZW`, zwgk's own) and never reuse a code.""",
    "reader": """## Use

```sh
zwgk parse TABLE.$short
```

`read(source)` returns a `zwgk.readers.Document`: the file's tables as `zwgk.table.Grid` objects
(rows of cells) and its paragraphs. zwgk decides the rest, as for its own formats: `--table N`
and `--layout table|list`, the title, the header, the hierarchy and the units. A reader never
drops text: every line of the file is a row.""",
}

_EXPORTER = '''\
"""$description."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import BinaryIO

import zwgk
from zwgk.exporters import Exporter

NAME = "$short"
COLUMNS = ("id", "serial", "path", "text", "requirement", "deadline", "notes", "leads", "responsible",
           "cooperating")
UNIT_SEPARATOR = "、"  # between the units of one role, as the tables write them


def _units(refs: tuple[zwgk.UnitRef, ...]) -> str:
    return UNIT_SEPARATOR.join(ref.as_written for ref in refs)


def write(plan: zwgk.Plan, stream: BinaryIO, *, delimiter: str = ",") -> None:
    """Write one CSV row per task: its id, serial, headings, text, deadline and units as written."""
    if len(delimiter) != 1:
        raise zwgk.ExportError(f"{NAME}: the delimiter must be one character, not {delimiter!r}")
    text = io.StringIO(newline="")
    out = csv.writer(text, delimiter=delimiter)
    out.writerow(COLUMNS)
    for task in plan.tasks:
        extra = "; ".join(f"{k}: {v}" for k, v in task.extra)
        notes = "; ".join(part for part in (task.notes, extra) if part)
        out.writerow([task.id, task.serial or "", " > ".join(task.path), task.text, task.requirement or "",
                      task.deadline or "", notes, _units(task.leads), _units(task.responsible),
                      _units(task.cooperating)])
    stream.write(text.getvalue().encode("utf-8-sig"))  # with a BOM, so that Excel reads it as UTF-8


@zwgk.hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    register(Exporter(NAME, (".$short",), write, "$description"))
'''

_EXPORTER_TEST = '''\
"""The exporter, registered for each test whether or not the package is installed."""

from __future__ import annotations

import csv
import io

import zwgk
from zwgk.testing import registered, sample_plan

import $module


def test_every_task_is_one_row() -> None:
    plan = sample_plan()
    with registered($module, name="$short-test"):
        data = zwgk.export(plan, "$short")
    assert isinstance(data, bytes)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == list($module.COLUMNS)
    assert [row[0] for row in rows[1:]] == [task.id for task in plan.tasks]
    assert [row[3] for row in rows[1:]] == [task.text for task in plan.tasks]  # text kept exactly


def test_the_delimiter_option() -> None:
    with registered($module, name="$short-test"):
        data = zwgk.export(sample_plan(), "$short", delimiter=";")
    assert isinstance(data, bytes)
    assert data.decode("utf-8-sig").splitlines()[0].startswith("id;serial;path")


def test_a_bad_delimiter_is_refused() -> None:
    with registered($module, name="$short-test"):
        try:
            zwgk.export(sample_plan(), "$short", delimiter=";;")
        except zwgk.ExportError as e:
            assert "delimiter" in str(e)
        else:
            raise AssertionError("a two-character delimiter was accepted")
'''

_VALIDATOR = '''\
"""$description."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import zwgk
from zwgk.validators import Finding, Severity, Validator

CODE = "$code"
MAX_TASK_CHARS = 150  # longer task texts are hard to hold anyone to; split them


def long_tasks(plan: zwgk.Plan, registry: zwgk.UnitRegistry) -> Iterator[Finding]:
    """Tasks whose text is longer than MAX_TASK_CHARS characters."""
    for task in plan.tasks:
        if len(task.text) > MAX_TASK_CHARS:
            yield Finding.at(task, f"the task text is {len(task.text)} characters long",
                             hint="split it into several tasks")


@zwgk.hookimpl
def register_validators(register: Callable[[Validator], None]) -> None:
    register(Validator(CODE, "long-task", Severity.WARNING, long_tasks, "task texts over 150 characters"))
'''

_VALIDATOR_TEST = '''\
"""The validator, registered for each test whether or not the package is installed."""

from __future__ import annotations

import zwgk
from zwgk.testing import registered, sample_plan

import $module


def test_long_tasks_are_reported() -> None:
    plan = sample_plan()
    long = [t.id for t in plan.tasks if len(t.text) > $module.MAX_TASK_CHARS]
    with registered($module, name="$short-test"):
        report = zwgk.validate(plan, select=$module.CODE)
    assert [f.task_id for f in report.findings] == long
    assert all(f.code == $module.CODE and f.slug == "long-task" for f in report.findings)


def test_the_check_is_listed() -> None:
    with registered($module, name="$short-test"):
        assert $module.CODE in zwgk.get_validators()
'''

_READER = '''\
"""$description."""

from __future__ import annotations

from collections.abc import Callable

import zwgk
from zwgk.readers import Document, Reader, Source
from zwgk.table import Cell, Grid

NAME = "$short"
SEPARATOR = "\\t"  # between the cells of a row


def read(source: Source) -> Document:
    """Read a table written one row per line, cells separated by tabs (UTF-8, with or without a BOM).

    Every line with text is a row; each line is also a paragraph, so a file of task paragraphs
    reads with ``--layout list``.
    """
    try:
        text = source.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise zwgk.ParseError(f"not UTF-8 text ({e.reason} at byte {e.start})", source.where) from None
    rows: list[tuple[Cell, ...]] = []
    paragraphs: list[tuple[str, zwgk.Position]] = []
    for line_no, line in enumerate(text.splitlines(), 1):
        paragraphs.append((line, zwgk.Position(file=source.name, line=line_no)))
        if not line.strip():
            continue
        rows.append(tuple(Cell(value.strip(), position=zwgk.Position(file=source.name, line=line_no,
                                                                     row=len(rows) + 1, column=col))
                          for col, value in enumerate(line.split(SEPARATOR), 1)))
    tables = [Grid(tuple(rows), source=source.name, table=1)] if rows else []
    return Document(tables, paragraphs, tables_are="lines of tab-separated cells")


@zwgk.hookimpl
def register_readers(register: Callable[[Reader], None]) -> None:
    register(Reader(NAME, (".$short",), read, None, "$description"))
'''

_READER_TEST = '''\
"""The reader, registered for each test whether or not the package is installed."""

from __future__ import annotations

from pathlib import Path

import zwgk
from zwgk.testing import registered

import $module

TABLE = (
    "序号\\t工作任务\\t牵头单位\\t责任单位\\n"
    "1\\t制定发布重大行政决策事项目录。\\t市司法局\\t各县（市、区）\\n"
    "2\\t公开执行情况。\\t市财政局、市审计局\\t\\n"
)


def test_a_table_reads_into_tasks(tmp_path: Path) -> None:
    path = tmp_path / "table.$short"
    path.write_text(TABLE, encoding="utf-8")
    with registered($module, name="$short-test"):
        plan = zwgk.load(path)
    assert [t.text for t in plan.tasks] == ["制定发布重大行政决策事项目录。", "公开执行情况。"]
    assert [u.name for u in plan.tasks[1].leads] == ["市财政局", "市审计局"]
    assert [u.name for u in plan.tasks[0].responsible] == ["各县（市、区）"]


def test_table_and_layout_are_zwgks_own(tmp_path: Path) -> None:
    path = tmp_path / "table.$short"
    path.write_text(TABLE, encoding="utf-8")
    with registered($module, name="$short-test"):
        assert len(zwgk.load(path, table=1, layout="table").tasks) == 2
        try:
            zwgk.load(path, table=2)
        except zwgk.ParseError as e:
            assert "there is no table 2" in str(e)
        else:
            raise AssertionError("table=2 of a file with one table was read")


def test_text_that_is_not_utf8_is_a_parse_error(tmp_path: Path) -> None:
    path = tmp_path / "table.$short"
    path.write_bytes(TABLE.encode("gbk"))
    with registered($module, name="$short-test"):
        try:
            zwgk.load(path)
        except zwgk.ParseError as e:
            assert "not UTF-8" in str(e)
        else:
            raise AssertionError("GBK bytes were read as UTF-8")
'''

_TEMPLATES = {
    "exporter": (_EXPORTER, _EXPORTER_TEST, "a zwgk exporter writing one CSV row per task"),
    "validator": (_VALIDATOR, _VALIDATOR_TEST, "a zwgk validator reporting over-long task texts"),
    "reader": (_READER, _READER_TEST, "a zwgk reader for tab-separated tables"),
}


def new_plugin(name: str, kind: str, directory: Path | None = None) -> Path:
    """Write a plugin package of ``kind`` named ``name`` (``csv`` or ``zwgk-csv``) and return its directory.

    The distribution is ``zwgk-NAME``, the module ``zwgk_NAME``, the entry point and the exporter or
    reader name ``NAME``. The directory (default ``./zwgk-NAME``) must not exist or be empty.
    """
    if kind not in KINDS:
        raise ZwgkError(f"plugin kind {kind!r} is not one of {', '.join(KINDS)}")
    if not _NAME.fullmatch(name):
        raise ZwgkError(f"plugin name {name!r} is not lower-case letters, digits and single hyphens, "
                        "starting with a letter (e.g. csv or zwgk-csv)")
    short = name.removeprefix("zwgk-")
    dist = f"zwgk-{short}"
    module = dist.replace("-", "_")
    prefix = "X" + "".join(c for c in short if c.isalpha())[:2].upper()
    target = directory if directory is not None else Path(dist)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ZwgkError(f"{target}: already exists and is not an empty directory")
    code, test, description = _TEMPLATES[kind]
    values = {"dist": dist, "module": module, "short": short, "kind": kind, "description": description,
              "prefix": prefix, "code": f"{prefix}101",
              "zwgk_version": ".".join(zwgk.__version__.split(".")[:2])}
    values["usage"] = string.Template(_USAGE[kind]).substitute(values)
    files = {
        "pyproject.toml": _PYPROJECT,
        "README.md": _README,
        f"src/{module}/__init__.py": code,
        f"src/{module}/py.typed": "",
        f"tests/test_{module}.py": test,
    }
    for rel, template in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(string.Template(template).substitute(values), encoding="utf-8")
    return target


def cmd_plugin(args: argparse.Namespace) -> int:
    target = new_plugin(args.name, args.kind, Path(args.output) if args.output else None)
    article = "an" if args.kind[0] in "aeiou" else "a"
    print(f"wrote {target}: {article} {args.kind} plugin; next: cd {target} && pip install -e '.[test]' && "
          "python -m pytest -q", file=sys.stderr)
    return EXIT_OK


def add_arguments(p: argparse.ArgumentParser) -> None:
    """``zwgk plugin new``: the one action so far."""
    actions = p.add_subparsers(dest="plugin_command", metavar="ACTION", required=True)
    new = actions.add_parser("new", help="write a plugin package that installs and passes its tests as it is")
    new.add_argument("name", metavar="NAME", help="the plugin's name: csv makes package zwgk-csv, module zwgk_csv")
    new.add_argument("--kind", choices=KINDS, required=True, help="what the plugin adds")
    new.add_argument("-o", "--output", metavar="DIR", help="the directory to write (default: ./zwgk-NAME)")
    new.set_defaults(func=cmd_plugin)


@hookimpl
def register_commands(register: Callable[[Command], None]) -> None:
    register(Command("plugin", "start a plugin package (exporter, validator or reader) from a template",
                     add_arguments, cmd_plugin))
