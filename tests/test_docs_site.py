"""The documentation site keeps up with the code, and its code runs.

The generated pages come from ``docs/_hooks/generate.py`` (the MkDocs hook); these tests call the
same functions. Every ``python`` block of ``docs/*.md`` and the README runs, page by page, in one
namespace, in a fresh directory holding ``tasks.txt`` (the sample's text form); a block preceded by
``<!-- docs: not run -->`` is skipped.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import types
import zipfile
from pathlib import Path

import pytest

import zwgk
import zwgk.units
from zwgk.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
NOT_RUN = "<!-- docs: not run -->"
FENCE = re.compile(r"^(?P<mark><!-- docs: not run -->\n)?```python[^\n]*\n(?P<code>.*?)^```", re.M | re.S)
PAGES = sorted(p for p in [*DOCS.glob("*.md"), ROOT / "README.md"] if "```python" in p.read_text(encoding="utf-8"))


def _generator() -> types.ModuleType:
    spec = importlib.util.spec_from_file_location("zwgk_docs_generate", DOCS / "_hooks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GEN = _generator()


def _sections(text: str, level: str) -> dict[str, str]:
    parts = re.split(rf"^{level} (.+)$", text, flags=re.MULTILINE)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


def _commands(parser: argparse.ArgumentParser, prog: str) -> dict[str, argparse.ArgumentParser]:
    out: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                out[f"{prog} {name}"] = sub
                out.update(_commands(sub, f"{prog} {name}"))
    return out


def test_the_api_reference_has_every_public_name() -> None:
    text = GEN.api_reference()
    missing = [n for n in zwgk.__all__ if f"zwgk.{n}" not in text]
    missing += [n for n in zwgk.units.__all__ if n != "UnitRegistry" and f"::: zwgk.units.{n}\n" not in text]
    assert missing == []
    public = {p.stem for p in Path(zwgk.units.__file__).parent.glob("*.py") if not p.stem.startswith("_")}
    assert set(GEN.UNITS_MODULES) == public - {"builtin"}  # every public module of zwgk.units but the plugin
    # every name but __version__ through mkdocstrings, zwgk.units' but UnitRegistry (zwgk's already), its modules
    assert text.count(":::") == len(zwgk.__all__) - 1 + len(zwgk.units.__all__) - 1 + len(GEN.UNITS_MODULES)


def test_the_cli_reference_has_every_command_and_option() -> None:
    text = GEN.cli_reference()
    commands = _commands(build_parser(), "zwgk")
    assert {"zwgk parse", "zwgk validate", "zwgk plugin new"} <= set(commands)
    sections = {h.strip("# "): body for h, body in _sections(text, "#{2,3}").items()}
    for prog, parser in commands.items():
        assert prog in sections, f"no section for {prog}"
        body = sections[prog]
        for action in parser._actions:
            for option in action.option_strings:
                assert f"`{option}`" in body, f"{prog} {option} is not in the command reference"
            if not action.option_strings and not isinstance(action, argparse._SubParsersAction):
                assert f"`{action.metavar or action.dest}`" in body


def test_the_validator_reference_has_a_section_per_code() -> None:
    text = GEN.validators_reference()
    sections = _sections(text, "##")
    validators = zwgk.get_validators()
    assert {"ZW101", "ZW201", "ZW303"} <= set(validators)
    for code, v in validators.items():
        if v in GEN.builtin_validators():
            assert code in sections, f"no section for {code}"
            assert f"`{v.slug}`" in sections[code] and v.severity.value in sections[code]


def test_a_new_validator_appears_in_the_reference_only_as_a_plugin() -> None:
    from zwgk.testing import registered
    from zwgk.validators import Severity, Validator

    class Extra:
        @zwgk.hookimpl
        def register_validators(self, register: object) -> None:
            register(Validator("XD901", "extra", Severity.INFO, lambda plan, reg: iter(()), "an extra check"))  # type: ignore[operator]

    with registered(Extra(), name="docs-extra"):
        assert "XD901" in zwgk.get_validators()
        assert "## XD901" not in GEN.validators_reference()  # the site documents zwgk's own checks


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_code_blocks_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = page.read_text(encoding="utf-8")
    blocks = list(FENCE.finditer(text))
    assert blocks
    shutil.copy(_sample(), tmp_path / "tasks.txt")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    for block in blocks:
        if block.group("mark"):
            continue
        line = text.count("\n", 0, block.start("code")) + 1
        exec(compile(block.group("code"), f"{page.relative_to(ROOT)}:{line}", "exec"), namespace)


def _sample() -> Path:
    from zwgk.testing import sample_path

    return sample_path()


def test_the_not_run_mark_is_documented_and_rare() -> None:
    assert NOT_RUN in (DOCS / "index.md").read_text(encoding="utf-8")
    marked = sum(p.read_text(encoding="utf-8").count(NOT_RUN + "\n```python") for p in PAGES)
    total = sum(p.read_text(encoding="utf-8").count("```python") for p in PAGES)
    assert marked * 4 < total  # most blocks run


def test_every_nav_page_exists() -> None:
    nav = re.findall(r":\s*([\w/-]+\.md)\s*$", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    generated = set(GEN.PAGES)
    assert nav and [p for p in nav if p not in generated and not (DOCS / p).exists()] == []
    assert generated <= set(nav)


def test_the_readme_links_to_the_site_pages() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "mkdocs build" in readme and "docs/index.md" in readme


@pytest.mark.slow
def test_the_site_builds_strictly(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs")
    pytest.importorskip("mkdocstrings")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1",
           "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
                          cwd=ROOT, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    api = (tmp_path / "site" / "reference" / "api" / "index.html").read_text(encoding="utf-8")
    assert [n for n in zwgk.__all__ if n != "__version__" and f'id="zwgk.{n}"' not in api] == []
    assert [n for n in zwgk.units.__all__ if n != "UnitRegistry" and f'id="zwgk.units.{n}"' not in api] == []
    assert [m for m in GEN.UNITS_MODULES if f'id="zwgk.units.{m}"' not in api] == []
    cli = (tmp_path / "site" / "reference" / "cli" / "index.html").read_text(encoding="utf-8")
    assert "--fail-on" in cli and "zwgk plugin new" in cli
    assert (tmp_path / "site" / "img" / "layout-columns.png").exists()
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis" not in index and "任务分解表" in index


@pytest.mark.slow
def test_the_wheel_holds_the_package_data(tmp_path: Path) -> None:
    pytest.importorskip("build")
    done = subprocess.run([sys.executable, "-m", "build", "--wheel", "-o", str(tmp_path), str(ROOT)],
                          capture_output=True, text=True)
    if done.returncode != 0 and "No module named" in done.stderr:
        pytest.skip(done.stderr.strip().splitlines()[-1])
    assert done.returncode == 0, done.stderr[-3000:]
    (wheel,) = tmp_path.glob("zwgk-*.whl")
    assert wheel.name.startswith(f"zwgk-{zwgk.__version__}-")
    names = set(zipfile.ZipFile(wheel).namelist())
    for data in ("zwgk/py.typed", "zwgk/data/taian-2020-zwgk-tasks.txt", "zwgk/data/units-default.toml",
                 "zwgk/data/units-taian.toml", "zwgk/data/zwgk.plan-1.schema.json", "zwgk/testing.py",
                 "zwgk/cli/plugin.py"):
        assert data in names, data


@pytest.mark.slow
def test_generated_plugins_install_and_pass_their_tests(tmp_path: Path) -> None:
    """One plugin of each kind, installed with zwgk from the checkout into a fresh venv: pytest and mypy --strict."""
    from zwgk.cli.plugin import KINDS, new_plugin

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    dirs = [new_plugin(f"t{kind}", kind, tmp_path / kind) for kind in KINDS]
    install = subprocess.run([str(py), "-m", "pip", "install", "-q", str(ROOT), *map(str, dirs), "pytest", "mypy"],
                             capture_output=True, text=True)
    if install.returncode != 0 and "No matching distribution" in install.stderr:
        pytest.skip("the package index is not reachable")
    assert install.returncode == 0, install.stderr[-3000:]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    for d in dirs:
        tests = subprocess.run([str(py), "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=d,
                               capture_output=True, text=True, env=env)
        assert tests.returncode == 0, tests.stdout[-3000:]
        typed = subprocess.run([str(py), "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "mypy"), "src",
                                "tests"], cwd=d, capture_output=True, text=True, env=env)
        assert typed.returncode == 0, typed.stdout[-3000:]


#: The widest line a code block of the docs may hold, counting a CJK character as two columns.
MAX_CODE_COLUMNS = 100
#: Blocks the site's stylesheet wraps at the page's edge: command output, shown as printed.
WRAPPED = "text"


def _columns(line: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def _wide_code_lines(text: str) -> list[tuple[int, str]]:
    """Lines of code blocks wider than the page, outside the blocks the stylesheet wraps."""
    out: list[tuple[int, str]] = []
    language: str | None = None
    for n, line in enumerate(text.splitlines(), 1):
        fence = re.match(r"\s*```(\S*)", line)
        if fence:
            language = fence[1] if language is None else None
        elif language is not None and language != WRAPPED and _columns(line) > MAX_CODE_COLUMNS:
            out.append((n, line))
    return out


def test_wide_code_lines_are_found() -> None:
    wide = "市" * 51
    assert _wide_code_lines(f"```python\n{wide}\n```\n") == [(2, wide)]
    assert _wide_code_lines(f"```text\n{wide}\n```\n{wide}\n") == []


@pytest.mark.parametrize("page", sorted(DOCS.glob("*.md")), ids=lambda p: p.name)
def test_code_blocks_fit_the_page(page: Path) -> None:
    """The site's code fits in 100 columns; command output (```text) is wrapped by its stylesheet.

    (The README keeps its two commands on one line each, to copy whole.)
    """
    assert _wide_code_lines(page.read_text(encoding="utf-8")) == []


def test_the_stylesheet_wraps_text_blocks() -> None:
    css = (DOCS / "stylesheets" / "extra.css").read_text(encoding="utf-8")
    assert ".md-typeset pre > code" in css and "pre-wrap" in css
    assert "stylesheets/extra.css" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
