"""The HTML report: one self-contained page; in headless Chromium it sorts and filters (slow tests)."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

import zwgk
from zwgk._report import diff_page, plan_page
from zwgk.cli import main
from zwgk.model import Plan

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _data(page: str) -> Any:
    found = re.search(r'<script type="application/json" id="zwgk-data">(.*?)</script>', page, re.S)
    assert found is not None
    return json.loads(found.group(1))


def _edited(sample: Plan) -> Plan:
    tasks = list(sample.tasks)
    tasks[20] = attrs.evolve(tasks[20], text=tasks[20].text.replace("公开", "主动公开", 1))
    del tasks[3]
    return attrs.evolve(sample, tasks=tuple(tasks))


def test_the_page_holds_its_data_and_loads_nothing(sample: Plan) -> None:
    hostile = attrs.evolve(sample, tasks=(attrs.evolve(sample.tasks[0], text="</script><b>x</b> & 公开"),
                                          *sample.tasks[1:]))
    page = plan_page(hostile)
    assert "default-src 'none'" in page
    assert re.findall(r"(?:src|href)=", page) == []
    assert set(re.findall(r"https?://[^\s\"']+", page)) == {"http://www.w3.org/2000/svg"}  # a namespace, no request
    data = _data(page)
    assert [t["text"] for t in data["tasks"]] == [t.text for t in hostile.tasks]  # text exactly as in the plan
    assert page.count('<g class="bar"') == len(data["workload"]) == len(sample.units())
    assert len(data["findings"]) == len(zwgk.validate(hostile).findings)


def test_exporter_and_cli(sample: Plan, tmp_path: Path) -> None:
    assert "html" in zwgk.get_exporters()
    source, out = tmp_path / "plan.json", tmp_path / "report.html"
    zwgk.export(sample, "json", source)
    assert main(["export", str(source), "-o", str(out)]) == 0
    assert _data(out.read_text(encoding="utf-8"))["kind"] == "plan"
    edited = tmp_path / "new.json"
    zwgk.export(_edited(sample), "json", edited)
    assert main(["diff", str(source), str(edited), "-o", str(tmp_path / "diff.html")]) == 1
    page = (tmp_path / "diff.html").read_text(encoding="utf-8")
    assert "<ins>主动</ins>" in page
    assert _data(page)["counts"] == {"added": 0, "removed": 1, "changed": 1, "unchanged": 141}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        pytest.skip("no chromium installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


def _open(browser: Any, path: Path) -> tuple[Any, list[str], list[str]]:
    page = browser.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    return page, errors, requests


def _column(page: Any, n: int) -> list[str]:
    texts: list[str] = page.eval_on_selector_all(
        f"#tasks tbody tr:not(.hidden) td:nth-child({n})", "cells => cells.map(c => c.textContent)")
    return texts


@pytest.mark.slow
def test_report_sorts_and_filters_in_chromium(browser: Any, sample: Plan, tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text(plan_page(sample), encoding="utf-8")
    page, errors, requests = _open(browser, path)
    assert page.locator("#workload g.bar").count() == len(sample.units())
    assert page.inner_text("#shown") == "143"
    written = ["、".join(u.name for u in t.leads) for t in sample.tasks]
    assert _column(page, 4) == written  # table order first
    page.click("#tasks th:nth-child(4)")  # 牵头单位, ascending in Chinese collation
    expected = page.evaluate("xs => xs.slice().sort(new Intl.Collator('zh-Hans-CN', {numeric: true}).compare)",
                             written)
    assert _column(page, 4) == expected != written
    assert page.get_attribute("#tasks th:nth-child(4)", "aria-sort") == "ascending"
    page.click("#tasks th:nth-child(1)")  # 序 ascending, numerically
    assert _column(page, 1)[:12] == [t.serial or str(i) for i, t in enumerate(sample.tasks[:12], start=1)]
    page.click("#tasks th:nth-child(1)")  # descending
    assert _column(page, 1)[0] == (sample.tasks[-1].serial or "143")
    page.select_option("[data-filter=unit]", "市财政局")
    page.select_option("[data-filter=role]", "lead")
    led = [t for t in sample.tasks if any(u.name == "市财政局" for u in t.leads)]
    assert page.inner_text("#shown") == str(len(led)) and len(_column(page, 3)) == len(led)
    page.select_option("[data-filter=role]", "")
    category = sample.tasks[0].path[0]
    page.select_option("[data-filter=category]", category)
    both = [t for t in sample.tasks if t.path[0] == category and any(u.name == "市财政局" for u in t.units())]
    assert int(page.inner_text("#shown")) == len(both)
    assert errors == [] and requests == [path.as_uri()]
    page.set_viewport_size({"width": 1200, "height": 1000})
    page.screenshot(path=str(tmp_path / "report.png"))


@pytest.mark.slow
def test_diff_report_in_chromium(browser: Any, sample: Plan, tmp_path: Path) -> None:
    new = _edited(sample)
    path = tmp_path / "diff.html"
    path.write_text(diff_page(sample, new, zwgk.diff(sample, new)), encoding="utf-8")
    page, errors, requests = _open(browser, path)
    assert page.inner_text("#shown") == "2"
    page.select_option("[data-filter=kind]", "changed")
    assert page.inner_text("#shown") == "1"
    assert page.locator("#tasks tbody tr:not(.hidden) ins").first.inner_text() == "主动"
    assert errors == [] and requests == [path.as_uri()]
