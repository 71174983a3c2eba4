"""The documentation keeps up with the code: every hook and every built-in exporter is documented."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

import zwgk
from zwgk import hookspecs, plugins

DOCS = Path(__file__).resolve().parents[1] / "docs"
HOOKS = sorted(name for name in dir(hookspecs) if name.startswith("register_"))


def _sections(path: Path, level: str) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    parts = re.split(rf"^{level} (.+)$", text, flags=re.MULTILINE)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_section_with_its_signature_and_an_example(hook: str) -> None:
    params = ", ".join(inspect.signature(getattr(hookspecs, hook)).parameters)
    sections = _sections(DOCS / "plugins.md", "###")
    heading = f"{hook}({params})"
    assert heading in sections, f"docs/plugins.md has no section '### {heading}'"
    body = sections[heading]
    assert "```python" in body and f"def {hook}({params})" in body, f"the {hook} section has no example"


def test_no_section_documents_a_hook_that_does_not_exist() -> None:
    documented = {h.split("(")[0] for h in _sections(DOCS / "plugins.md", "###") if "(" in h}
    assert documented == set(HOOKS)


def test_every_hook_has_a_test() -> None:
    tests = (Path(__file__).parent / "test_plugins.py").read_text(encoding="utf-8")
    missing = [h for h in HOOKS if f"def test_hook_{h}(" not in tests]
    assert missing == []


def test_plugin_examples_in_the_docs_run(tmp_path: Path) -> None:
    """Each hook's example, executed as a plugin module, registers without error."""
    sections = _sections(DOCS / "plugins.md", "###")
    for heading, body in sections.items():
        code = re.search(r"```python\n(.*?)```", body, flags=re.DOTALL)
        assert code is not None
        namespace: dict[str, object] = {}
        exec(compile(code.group(1), f"docs/plugins.md: {heading}", "exec"), namespace)
        module = type(zwgk)("docs_example")
        module.__dict__.update(namespace)
        name = plugins.register(module, name=f"docs-{heading.split('(')[0]}")
        try:
            zwgk.get_exporters()
            zwgk.get_readers()
            zwgk.get_validators()
            zwgk.unit_registry()
            assert not [e for e in plugins.plugin_errors() if name in str(e)]
        finally:
            plugins.unregister(name)


def test_every_builtin_exporter_and_option_is_documented() -> None:
    sections = _sections(DOCS / "exporters.md", "##")
    for name, exporter in zwgk.get_exporters().items():
        if name not in plugins.DEFAULT_PLUGINS and f"zwgk.exporters.{name}" not in plugins.DEFAULT_PLUGINS:
            continue
        assert name in sections, f"docs/exporters.md has no section '## {name}'"
        params = list(inspect.signature(exporter.write).parameters.values())[2:]
        for p in params:
            assert f"`{p.name}`" in sections[name], f"option {p.name!r} of {name} is not documented"
        if not params:
            assert "Options: none." in sections[name]
