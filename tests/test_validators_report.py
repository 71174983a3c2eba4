"""The report (filter, flatten, JSON), selection by code and slug, third-party validators, the CLI."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import zwgk
from tests.strategies import examples
from zwgk import plugins
from zwgk.cli import main
from zwgk.errors import Position, ZwgkError
from zwgk.model import Metadata, Plan, Task, UnitKind, UnitRef
from zwgk.units import UnitRegistry
from zwgk.validators import FLAT_FIELDS, Finding, Report, Severity, Validator, github_annotations, run, text_report

DOCS = Path(__file__).resolve().parents[1] / "docs" / "validators.md"


def dept(name: str) -> UnitRef:
    return UnitRef(name, name, UnitKind.DEPARTMENT)


def small_plan(*, missing_lead: bool = False, conflict: bool = False) -> Plan:
    tasks = [
        Task("t1", ("一、公开",), "公开预算。", leads=(dept("市测试甲局"),), source=Position("p.txt", 1, 2, 2, 5)),
        Task("t2", ("一、公开",), "公开决算。", leads=() if missing_lead else (dept("市测试乙局"),),
             responsible=(dept("市测试乙局"),) if conflict or missing_lead else (),
             source=Position("p.txt", 1, 3, 2, 9)),
    ]
    return Plan("2020年泰安市政务公开重点工作任务分解表", tuple(tasks), Metadata("泰安市", 2020), source="p.txt")


def write_plan(path: Path, plan: Plan) -> Path:
    path.write_text(zwgk.dumps(plan), encoding="utf-8")
    return path


# Report ----------------------------------------------------------------------------------------


def test_report_counts_filter_and_ok() -> None:
    report = zwgk.validate(zwgk.load_sample())
    assert sum(report.by_code.values()) == len(report) == sum(report.by_severity.values())
    assert list(report.by_severity) == ["error", "warning", "info"]
    assert not report.ok and report.failed("warning") and report.failed(Severity.INFO)
    only = report.filter(select=["missing-lead"])
    assert [f.code for f in only] == ["ZW101"] and not only.ok
    rest = report.filter(ignore="ZW1")
    assert rest.ok and not any(f.code.startswith("ZW1") for f in rest)
    assert report.filter(select="ZW1", ignore="ZW103").by_code.keys() == {"ZW101", "ZW102", "ZW104"}
    assert report.filter(select="zw1") == report.filter(select="ZW1")
    assert report.filter(select="ZW101,role-conflict").by_code.keys() == {"ZW101", "ZW102"}


def test_findings_are_in_table_order() -> None:
    report = zwgk.validate(zwgk.load_sample())
    rows = [f.row for f in report.findings if f.row is not None]
    assert rows == sorted(rows)


def test_a_stamped_finding_keeps_every_field_but_code_slug_and_severity() -> None:
    values = {"code": "", "slug": "", "severity": Severity.INFO, "message": "m", "task_id": "t1", "path": ("一",),
              "source": Position("plan.txt", row=3), "units": ("市财政局",), "hint": "h"}
    assert set(values) == {f.name for f in attrs.fields(Finding)}  # a new field: give it a value here
    finding = Finding(**values)  # type: ignore[arg-type]
    stamped = finding.stamped("ZW101", "missing-lead", Severity.ERROR)
    assert stamped == attrs.evolve(finding, code="ZW101", slug="missing-lead", severity=Severity.ERROR)


def test_flatten_gives_one_row_per_finding() -> None:
    report = zwgk.validate(small_plan(missing_lead=True), select="ZW101")
    assert report.flatten() == [
        ["ZW101", "missing-lead", "error", 3, 2, "t2", "市测试乙局", report.findings[0].message],
    ]
    assert report.flatten(["file", "line", "path"]) == [["p.txt", 9, "一、公开"]]
    assert len(FLAT_FIELDS) == len(report.flatten()[0])


def test_report_json_round_trip() -> None:
    report = zwgk.validate(zwgk.load_sample())
    text = report.to_json()
    data = json.loads(text)
    assert data["schema"] == "zwgk.report/1" and data["ok"] is False
    assert data["counts"]["by_code"] == report.by_code and data["tasks"] == 143
    assert "市政府各部门（单位）" in text  # UTF-8 kept, not \\u escapes
    assert Report.from_json(text) == report


def test_report_from_bad_data_is_a_clear_error() -> None:
    with pytest.raises(ZwgkError, match="not a zwgk report"):
        Report.from_dict({"findings": []})
    with pytest.raises(ZwgkError, match="not a valid zwgk report"):
        Report.from_dict({"schema": "zwgk.report/1", "findings": [{"code": 1}]})


def test_all_selects_every_check(sample: Plan) -> None:
    everything = zwgk.validate(sample)
    assert zwgk.validate(sample, select="ALL") == everything
    assert zwgk.validate(sample, select=["all"]) == everything
    assert set(zwgk.validate(sample, select="ALL", ignore="ZW1").checked) == {
        c for c in everything.checked if not c.startswith("ZW1")}
    assert everything.filter(select="ALL") == everything
    assert len(zwgk.validate(sample, ignore="ALL").checked) == 0


def test_selectors_that_name_nothing_are_rejected() -> None:
    with pytest.raises(ZwgkError, match="no validator is called 'ZW999'"):
        zwgk.validate(small_plan(), select="ZW999")
    with pytest.raises(ZwgkError, match="missing-leed"):
        zwgk.validate(small_plan(), ignore=["missing-leed"])


def test_validator_codes_and_slugs_are_well_formed() -> None:
    with pytest.raises(ValueError, match="code"):
        Validator("zw1", "x", Severity.INFO, lambda p, r: ())
    with pytest.raises(ValueError, match="slug"):
        Validator("ZW1", "Bad Slug", Severity.INFO, lambda p, r: ())
    with pytest.raises(ValueError, match="severity"):
        Validator("ZW1", "x", "fatal", lambda p, r: ())  # type: ignore[arg-type]


# Built-ins are plugins and are documented ----------------------------------------------------


def test_builtin_validators_are_registered_through_plugins() -> None:
    found = plugins.collect("register_validators", key=lambda v: v.code)
    assert {code: name for code, (_, name) in found.items() if code.startswith("ZW")} == {
        "ZW101": "zwgk.validators.roles", "ZW102": "zwgk.validators.roles", "ZW103": "zwgk.validators.roles",
        "ZW104": "zwgk.validators.roles", "ZW201": "zwgk.validators.names", "ZW202": "zwgk.validators.names",
        "ZW203": "zwgk.validators.names",
        "ZW301": "zwgk.validators.content", "ZW302": "zwgk.validators.content", "ZW303": "zwgk.validators.content",
        "ZW401": "zwgk.validators.scan", "ZW402": "zwgk.validators.scan",
    }


def test_every_builtin_validator_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    headings = re.findall(r"^### (ZW\d+) `([a-z-]+)`", text, flags=re.M)
    builtin = [(v.code, v.slug) for v in zwgk.get_validators().values() if v.code.startswith("ZW")]
    assert sorted(headings) == sorted(builtin)
    for code, _ in builtin:
        section = text.split(f"### {code} ", 1)[1].split("\n### ", 1)[0]
        assert "Severity" in section and "Example" in section and "Why" in section


# A third-party validator -----------------------------------------------------------------------


def long_tasks(plan: Plan, registry: UnitRegistry) -> Iterator[Finding]:
    for t in plan.tasks:
        if len(t.text) > 120:
            yield Finding.at(t, f"the task text is {len(t.text)} characters long")


class LongTaskPlugin:
    @zwgk.hookimpl
    def register_validators(self, register: Callable[[Validator], None]) -> None:
        register(Validator("XT901", "long-task", Severity.WARNING, long_tasks, "a very long task text"))


class BrokenPlugin:
    @zwgk.hookimpl
    def register_validators(self, register: Callable[[Validator], None]) -> None:
        def boom(plan: Plan, registry: UnitRegistry) -> Iterator[Finding]:
            raise RuntimeError("boom")

        register(Validator("XT902", "broken", Severity.ERROR, boom))


@pytest.fixture
def third_party() -> Iterator[None]:
    name = plugins.register(LongTaskPlugin(), name="test-long-task")
    try:
        yield
    finally:
        plugins.unregister(name)


def test_third_party_validator_in_api(third_party: None) -> None:
    report = zwgk.validate(zwgk.load_sample(), select="XT901")
    assert report.checked == ("XT901",) and len(report) > 0
    assert all(f.code == "XT901" and f.slug == "long-task" and f.severity is Severity.WARNING for f in report)
    assert "XT901" not in zwgk.validate(zwgk.load_sample(), ignore="long-task").checked


def test_third_party_validator_in_cli(third_party: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--sample"]) == 1
    assert "XT901 long-task" in capsys.readouterr().out
    assert main(["validate", "--sample", "--select", "XT901"]) == 0  # warnings do not fail by default
    out = capsys.readouterr().out
    assert "XT901" in out and "ZW101" not in out
    assert main(["validate", "--sample", "--select", "XT901", "--fail-on", "warning"]) == 1
    capsys.readouterr()
    assert main(["validate", "--sample", "--ignore", "XT901"]) == 1
    assert "XT901" not in capsys.readouterr().out


def test_third_party_validator_unregistered_is_gone() -> None:
    assert "XT901" not in zwgk.get_validators()


def test_a_validator_that_raises_is_reported_and_skipped() -> None:
    name = plugins.register(BrokenPlugin(), name="test-broken-validator")
    try:
        with pytest.warns(RuntimeWarning, match="XT902.*boom"):
            report = zwgk.validate(small_plan(missing_lead=True), select=["XT902", "ZW101"])
    finally:
        plugins.unregister(name)
    assert report.checked == ("ZW101",) and [f.code for f in report] == ["ZW101"]


# The command line ------------------------------------------------------------------------------


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = write_plan(tmp_path / "clean.json", small_plan())
    bad = write_plan(tmp_path / "bad.json", small_plan(missing_lead=True))
    warn = write_plan(tmp_path / "warn.json", small_plan(conflict=True))
    assert main(["validate", str(clean), "--ignore", "unknown-unit"]) == 0
    assert main(["validate", str(bad)]) == 1
    assert main(["validate", str(warn)]) == 0
    assert main(["validate", str(warn), "--fail-on", "warning"]) == 1
    assert main(["validate", str(clean), "--fail-on", "info"]) == 1  # unknown units are info
    assert main(["validate", str(clean), "--strict"]) == 1  # ... and errors when strict
    capsys.readouterr()
    assert main(["validate", str(tmp_path / "missing.txt")]) == 2
    assert "missing.txt" in capsys.readouterr().err
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{not json", encoding="utf-8")
    assert main(["validate", str(clean), str(garbage)]) == 2
    captured = capsys.readouterr()
    assert "garbage.json" in captured.err and "clean.json" in captured.out  # the good file is still checked
    assert main(["validate", str(clean), "--select", "ZW999"]) == 2
    assert "ZW999" in capsys.readouterr().err
    assert main(["validate"]) == 2


def test_cli_text_groups_by_task_with_rows(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--sample", "--select", "ZW101,ZW102"]) == 1
    out = capsys.readouterr().out
    assert "\x1b[" not in out  # no colour when stdout is not a terminal
    lines = out.splitlines()
    head = next(i for i, line in enumerate(lines) if line.strip().startswith("row 30"))
    assert "承诺事项" in lines[head] or "承诺" in lines[head]
    assert "ZW101 missing-lead" in lines[head + 1]
    conflict = next(i for i, line in enumerate(lines) if line.strip().startswith("row 97"))
    assert "疫情防控" in lines[conflict] and "ZW102 role-conflict" in lines[conflict + 1]
    assert lines[-1].endswith("1 error, 1 warning, 0 info in 143 tasks")


def test_cli_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = write_plan(tmp_path / "a.json", small_plan(missing_lead=True))
    b = write_plan(tmp_path / "b.json", small_plan())
    assert main(["validate", str(a), str(b), "--format", "json", "--select", "ZW1"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [d["ok"] for d in data] == [False, True]
    assert [Report.from_dict(d).by_code for d in data] == [{"ZW101": 1}, {}]
    assert data[0]["findings"][0]["source"]["row"] == 3


def test_cli_github_annotations(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--sample", "--format", "github", "--select", "ZW101,ZW102,ZW103"]) == 1
    lines = capsys.readouterr().out.splitlines()
    error = next(line for line in lines if line.startswith("::error "))
    assert re.match(r"^::error file=[^,]*taian-2020-zwgk-tasks\.txt,line=\d+,title=ZW101 missing-lead::row 30: ", error)
    assert [line.split(" ", 1)[0] for line in lines if "ZW102" in line] == ["::warning"]
    assert all(line.startswith("::notice ") for line in lines if "ZW103" in line)


def test_cli_many_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(write_plan(tmp_path / f"p{i}.json", small_plan(conflict=i == 7))) for i in range(12)]
    assert main(["validate", *files, "--select", "role-conflict", "--fail-on", "warning"]) == 1
    out = capsys.readouterr().out
    assert out.count("ZW102 role-conflict") == 1 and "p7.json" in out


# Generated plans ----------------------------------------------------------------------------------

_UNIT_NAMES = ["市财政局", "市审计局", "市民政局", "市医保局", "生态环境局", "市生态环境局", "泰山护理职业学院",
               "泰安护理职业学院", "市政府各部门（单位）", "各县（市、区）"]
_unit_lists = st.lists(st.sampled_from(_UNIT_NAMES), max_size=3, unique=True)


@st.composite
def generated_plans(draw: st.DrawFn) -> Plan:
    n = draw(st.integers(0, 12))
    tasks = []
    for i in range(n):
        leads, responsible = draw(_unit_lists), draw(_unit_lists)
        tasks.append(Task(
            id=f"t{i}",
            path=("一、公开",),
            text=draw(st.sampled_from(["公开预算。", "公开 决算。", "", "做好政务公开。"])),
            deadline=draw(st.sampled_from([None, "年底前", "市财政局"])),
            leads=tuple(dept(u) for u in leads),
            responsible=tuple(dept(u) for u in responsible),
            source=Position("g.txt", 1, i + 2),
        ))
    return Plan(None, tuple(tasks), Metadata("泰安市", 2020))


@settings(max_examples=examples(60), deadline=None)
@given(generated_plans())
def test_reports_on_generated_plans(plan: Plan) -> None:
    report = zwgk.validate(plan)
    ids = {t.id for t in plan.tasks}
    assert all(f.task_id in ids for f in report)
    rows = [f.row for f in report]
    assert rows == sorted(rows)  # every finding here is about a task, and they come in table order
    assert Report.from_json(report.to_json()) == report
    assert len(report.filter(select="ZW1")) + len(report.filter(ignore="ZW1")) == len(report)
    has_leads = any(t.leads for t in plan.tasks)
    expected_missing = [t.id for t in plan.tasks if not (t.leads or (not has_leads and t.units()))]
    assert [f.task_id for f in report if f.code == "ZW101"] == expected_missing
    expected_conflicts = sum(
        len({u.name for u in t.leads} & {u.name for u in t.responsible}) for t in plan.tasks
    )
    assert len(report.filter(select="role-conflict")) == expected_conflicts
    assert [f.task_id for f in report if f.code == "ZW302"] == [t.id for t in plan.tasks if not t.text]
    assert report.ok == (not expected_missing and all(t.text for t in plan.tasks))


# Rendering -----------------------------------------------------------------------------------------


def test_text_report_colour_and_whole_plan_findings() -> None:
    p = small_plan(missing_lead=True)
    plan_wide = Finding("XT903", "plan-note", Severity.INFO, "the plan has no title")
    task_finding = Finding.at(p.tasks[1], "the task has no lead unit", hint="fill it in")
    task_finding = attrs.evolve(task_finding, code="ZW101", slug="missing-lead", severity=Severity.ERROR)
    report = Report((task_finding, plan_wide), ("ZW101", "XT903"), 2, "p.txt")
    plain = text_report(report, p)
    assert plain.splitlines() == [
        "p.txt",
        "  row 3  公开决算。",
        "    error   ZW101 missing-lead  the task has no lead unit",
        "                                hint: fill it in",
        "  whole plan",
        "    info    XT903 plan-note     the plan has no title",
        "p.txt: 1 error, 0 warnings, 1 info in 2 tasks",
    ]
    coloured = text_report(report, p, colour=True)
    assert "\x1b[31merror  \x1b[0m" in coloured and "\x1b[36minfo   \x1b[0m" in coloured
    assert re.sub(r"\x1b\[\d+m", "", coloured) == plain


def test_github_annotations_escape_and_levels() -> None:
    f = Finding("XT904", "odd", Severity.WARNING, "100% sure\nnext line", source=Position("dir/a,b.txt", 1, 4, 2, 17))
    plan_wide = Finding("XT905", "whole", Severity.INFO, "about the plan")
    out = github_annotations([Report((f, plan_wide), source="x.txt")]).splitlines()
    assert out == [
        "::warning file=dir/a%2Cb.txt,line=17,title=XT904 odd::row 4: 100%25 sure%0Anext line",
        "::notice file=x.txt,title=XT905 whole::about the plan",
    ]


def test_a_check_yielding_something_else_is_reported() -> None:
    def bad(plan: Plan, registry: UnitRegistry) -> Iterator[Finding]:
        yield "not a finding"  # type: ignore[misc]

    v = Validator("XT906", "bad-yield", Severity.ERROR, bad)
    errors: list[ZwgkError] = []
    report = run(small_plan(), [v], UnitRegistry(), on_error=errors.append)
    assert report.checked == () and len(report) == 0
    assert "XT906" in str(errors[0]) and "not a Finding" in str(errors[0])
    with pytest.raises(ZwgkError, match="XT906"):
        run(small_plan(), [v], UnitRegistry())
