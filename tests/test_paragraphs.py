"""Task breakdowns written as paragraphs (numbered task paragraphs with 牵头单位：/责任单位： lines)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from xml.sax.saxutils import escape

import attrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import zwgk
from tests.fixtures.docxgen import cell, para, table, write_docx
from tests.fixtures.docxgen import row as docx_row
from tests.strategies import examples, plans
from zwgk.errors import ExportError, LayoutError, ParseError
from zwgk.model import Plan, Task, task_id

FIXTURES = Path(__file__).parent / "fixtures" / "paragraphs"
LABELLED = (FIXTURES / "labelled.txt").read_text(encoding="utf-8").splitlines()


def _docx(path: Path, lines: list[str], extra: str = "") -> Path:
    return write_docx(path, "".join(para(line) for line in lines) + extra)


def _html(path: Path, lines: list[str], extra: str = "") -> Path:
    body = "".join(f"<p>{escape(line)}</p>" for line in lines)
    path.write_text(f"<html><head><meta charset='utf-8'></head><body>{body}{extra}</body></html>",
                    encoding="utf-8")
    return path


@pytest.fixture(params=["txt", "docx", "html"])
def write(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    def go(lines: list[str], name: str = "doc") -> Path:
        if request.param == "txt":
            p = tmp_path / f"{name}.txt"
            p.write_text("\n".join(lines) + "\n", encoding="utf-8")
            return p
        if request.param == "docx":
            return _docx(tmp_path / f"{name}.docx", lines)
        return _html(tmp_path / f"{name}.html", lines)

    return go


def test_every_shape_of_the_fixture(write) -> None:  # type: ignore[no-untyped-def]
    plan = zwgk.load(write(LABELLED))
    assert plan.title == "2021年全市政务公开工作要点任务分工"
    assert plan.metadata.year == 2021
    assert [t.text for t in plan.tasks] == ["1.加大宣传力度", "2.完善决策预公开制度", "3.规范公开目录",
                                            "4.推进行政执法公开。", "5.做好政务服务事项公开", "6.优化政务服务平台"]
    first, second, third, fourth, fifth, sixth = plan.tasks
    # labelled lines, title and requirement in one paragraph, units over two lines
    assert first.path == ("二、重点任务", "（一）推进决策公开")
    assert first.requirement == "围绕重大决策开展多种形式的宣传解读。"
    assert first.serial == "1." and first.serial_number == 1
    assert [u.name for u in first.leads] == ["市委宣传部"]
    assert [u.name for u in first.cooperating] == ["市财政局", "市统计局", "市人力资源社会保障局"]
    assert first.deadline == "2021年底前"
    # 【】 labels; an ASCII colon; brackets with labels and with role words
    assert [u.name for u in second.leads] == ["市司法局"] and [u.name for u in second.cooperating] == ["市政府办公室"]
    assert [u.name for u in third.responsible] == ["各县（市、区）", "市政府各部门（单位）"]
    assert fourth.path == ("二、重点任务", "（二）推进管理和服务公开")
    assert [u.name for u in fourth.leads] == ["市司法局"] and [u.name for u in fourth.cooperating] == ["市市场监管局"]
    assert [u.name for u in fifth.leads] == ["市行政审批服务局"]
    assert [u.name for u in fifth.cooperating] == ["市大数据局"]
    # a task with no label at all, in a list whose siblings carry labels
    assert sixth.units() == ()
    # the cover letter names units but is no task; prose sections are text around the tasks
    assert "各县（市、区）人民政府，市政府各部门，市直有关单位：" in plan.preamble
    assert plan.preamble[-2:] == ("一、工作目标", "到2021年底，全市政务公开标准化规范化水平明显提升。")
    assert plan.epilogue[:2] == ("三、保障措施", "（一）加强组织领导")
    assert plan.epilogue[-1] == "2021年3月5日印发"
    # positions name the paragraph (its number as the line), not a table, row or column there is not
    assert first.source is not None and first.source.line == LABELLED.index(first.text + "。" + first.requirement) + 1
    assert (first.source.table, first.source.row, first.source.column) == (None, None, None)
    assert "table" not in first.source.describe() and f"line {first.source.line}" in first.source.describe()


def test_explain_names_task_paragraphs(write, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    from zwgk.cli import main

    path = write(["一、推进决策公开", "1.完善目录。", "牵头单位：市司法局"])
    assert main(["parse", str(path), "--explain", "-o", os.devnull]) == 0
    err = capsys.readouterr().err
    assert f"zwgk: layout: {path}, task paragraphs: header row 1" in err and "table" not in err.split(": ", 2)[1]


def test_a_task_without_one_of_the_labels_and_a_prose_list_after(write) -> None:  # type: ignore[no-untyped-def]
    plan = zwgk.load(write(["一、推进决策公开", "1.完善目录。", "牵头单位：市司法局", "2.编制清单。",
                            "配合单位：市财政局", "二、保障措施", "（一）加强领导", "（二）强化考核",
                            "（三）加强培训"]))
    assert [t.text for t in plan.tasks] == ["1.完善目录。", "2.编制清单。"]
    assert plan.tasks[1].leads == () and [u.name for u in plan.tasks[1].cooperating] == ["市财政局"]
    assert plan.epilogue == ("二、保障措施", "（一）加强领导", "（二）强化考核", "（三）加强培训")


def test_unnumbered_tasks_and_a_unit_list_on_the_next_line(write) -> None:  # type: ignore[no-untyped-def]
    plan = zwgk.load(write(["政务公开任务清单", "推进决策公开。", "责任单位：市司法局、", "市财政局",
                            "推进管理公开。", "责任单位：市统计局"]))
    assert plan.title == "政务公开任务清单"
    assert [t.text for t in plan.tasks] == ["推进决策公开。", "推进管理公开。"]
    assert [u.name for u in plan.tasks[0].responsible] == ["市司法局", "市财政局"]


def test_a_document_with_neither_table_nor_labelled_paragraphs_says_what_was_looked_for(write) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ParseError, match=r"no table found.*looked for numbered paragraphs.*牵头单位"):
        zwgk.load(write(["各县（市、区）人民政府，市政府各部门：", "现将方案印发给你们，请认真贯彻落实。",
                         "一、工作目标", "二、保障措施", "市直各责任单位要高度重视。"]))


def test_a_cover_letter_naming_units_is_no_task(write) -> None:  # type: ignore[no-untyped-def]
    lines = ["市直各责任单位，市发展改革委、市财政局：", "现将任务分工印发给你们，请认真贯彻落实。",
             "1.推进公开。", "责任单位：市统计局"]
    plan = zwgk.load(write(lines))
    assert [t.text for t in plan.tasks] == ["1.推进公开。"]
    assert plan.preamble == tuple(lines[:2])


def test_a_task_table_wins_over_labelled_paragraphs_unless_told(tmp_path: Path) -> None:
    header = docx_row([cell("具体任务"), cell("牵头单位")], header=True)
    body = table([header, docx_row([cell("表格任务。"), cell("市财政局")])], 2)
    words = "".join(para(line) for line in ["1.段落任务。", "牵头单位：市司法局"])
    path = write_docx(tmp_path / "both.docx", words + body)
    assert [t.text for t in zwgk.load(path)] == ["表格任务。"]
    assert [t.text for t in zwgk.load(path, layout="list")] == ["1.段落任务。"]
    assert [t.text for t in zwgk.load(path, layout="table")] == ["表格任务。"]
    with pytest.raises(ParseError, match="layout must be"):
        zwgk.load(path, layout="grid")


def test_a_table_that_is_no_task_table_gives_way_to_the_paragraphs(tmp_path: Path) -> None:
    contacts = table([docx_row([cell("联系人"), cell("电话")]), docx_row([cell("张三"), cell("123")])], 2)
    path = write_docx(tmp_path / "c.docx", "".join(para(x) for x in LABELLED) + contacts)
    assert len(zwgk.load(path).tasks) == 6
    html = _html(tmp_path / "c.html", LABELLED, "<table><tr><td>联系人</td><td>电话</td></tr></table>")
    assert len(zwgk.load(html).tasks) == 6
    lonely = write_docx(tmp_path / "n.docx", para("联系人") + contacts)
    with pytest.raises(LayoutError):
        zwgk.load(lonely)


def test_the_text_form_table_still_reads_as_a_table(sample_path: Path, sample: Plan) -> None:
    assert zwgk.load(sample_path) == sample
    with pytest.raises(ParseError):
        zwgk.load(sample_path, layout="list")


def test_cli_layout_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from zwgk.cli import main

    path = _docx(tmp_path / "l.docx", LABELLED)
    assert main(["parse", str(path), "--layout", "list", "-f", "json"]) == 0
    assert "1.加大宣传力度" in capsys.readouterr().out
    assert main(["parse", str(path), "--layout", "table"]) == 2
    assert "no table found" in capsys.readouterr().err


# Round trips of generated plans -------------------------------------------------------------

_STYLES = (lambda k: f"{'一二三四五六'[k % 6]}、", lambda k: f"（{'一二三四五六'[k % 6]}）", lambda k: f"{k + 1}.")


def _list_plan(plan: Plan, numbered: bool) -> Plan:
    """A generated plan as the paragraph form holds it: headings numbered by depth, task texts on
    one line (numbered （1） when ``numbered``, then carrying their serial), no extra columns."""
    levels: dict[tuple[int, str], str] = {}
    tasks: list[Task] = []
    taken: set[str] = set()
    for i, t in enumerate(plan.tasks):
        path = tuple(levels.setdefault((k, name), _STYLES[k](len([1 for key in levels if key[0] == k])) + name)
                     for k, name in enumerate(t.path))
        text = "推进" + t.text.replace("\n", "，")
        serial = None
        if numbered:
            serial = f"（{i + 1}）"
            text = serial + text
        tasks.append(attrs.evolve(t, id=task_id(path, text, taken), path=path, text=text, serial=serial, extra=()))
    return attrs.evolve(plan, tasks=tuple(tasks))


def _written(plan: Plan, tmp_path: Path, fmt: str, form: str) -> Path:
    if fmt == "html":
        from zwgk.exporters.text import plan_to_list_text

        return _html(tmp_path / "p.html", plan_to_list_text(plan).splitlines())
    path = tmp_path / ("p.txt" if fmt == "text" else "p.docx")
    zwgk.export(plan, fmt, path, form=form)
    return path


@settings(max_examples=examples(25))
@given(plans(max_tasks=8), st.booleans(), st.sampled_from(["text", "docx", "html"]))
def test_generated_plans_read_back_from_the_paragraph_form(tmp_path_factory: pytest.TempPathFactory,
                                                          plan: Plan, numbered: bool, fmt: str) -> None:
    plan = _list_plan(plan, numbered)
    tmp = tmp_path_factory.mktemp("rt")
    try:
        path = _written(plan, tmp, fmt, "list")
    except ExportError:
        assume(False)
    back = zwgk.load(path)
    assert back == plan
    # the same content written as a table reads into the same plan
    assert zwgk.load(_written(plan, tmp, "text", "table")) == back


def _shape(text: str, shape: str) -> str:
    """The labelled lines of paragraph-form text rewritten in another shape of the same content."""
    lines = text.splitlines()
    label = re.compile(r"^(牵头单位|责任单位|配合单位|完成时限|工作要求|备注)：(.*)$")
    if shape == "brackets":
        out: list[str] = []
        bracket = False  # whether the last line written ends in the bracket labels are joining
        for line in lines:
            m = label.match(line)
            if m and out and bracket:
                out[-1] = f"{out[-1][:-1]}；{m[1]}：{m[2]}）"
            elif m and out and not label.match(out[-1]):
                # the first label after a task paragraph opens the bracket; later ones join it
                out[-1] = f"{out[-1]}（{m[1]}：{m[2]}）"
                bracket = True
            else:
                out.append(line)
                bracket = False
        return "\n".join(out)
    if shape == "square":
        return "\n".join(label.sub(r"【\1】\2", line) for line in lines)
    return "\n".join(label.sub(r"\1:\2", line) for line in lines)


@settings(max_examples=examples(25))
@given(plans(max_tasks=6), st.sampled_from(["brackets", "square", "ascii"]))
def test_each_shape_reads_as_the_same_plan_as_the_table(tmp_path_factory: pytest.TempPathFactory,
                                                        plan: Plan, shape: str) -> None:
    from zwgk.exporters.text import plan_to_list_text

    plan = _list_plan(plan, True)
    try:
        text = plan_to_list_text(plan)
    except ExportError:
        assume(False)
    if shape == "brackets":
        # a bracket closes the paragraph: only units, deadlines and notes without brackets or ； of their own
        assume(not re.search(r"[（）()；;:：]", "".join(
            u.as_written for t in plan.tasks for u in t.units()) + "".join(
            (t.deadline or "") + (t.notes or "") for t in plan.tasks)))
        assume(not any(re.search(r"[（）()]\s*$", t.text) or "：" in t.text or ":" in t.text for t in plan.tasks))
        assume(all(t.requirement is None for t in plan.tasks))
    if shape == "square":
        # 【备注】：… is written with and without its colon: a value that begins with one loses it
        assume(not re.search(r"^(牵头单位|责任单位|配合单位|完成时限|工作要求|备注)：\s*[：:]", text, re.MULTILINE))
    tmp = tmp_path_factory.mktemp("shape")
    shaped = tmp / "shaped.txt"
    shaped.write_text(_shape(text, shape) + "\n", encoding="utf-8")
    assert zwgk.load(shaped) == zwgk.load(_written(plan, tmp, "text", "table"))


def test_the_exporter_refuses_what_the_paragraph_form_cannot_hold(sample: Plan) -> None:
    with pytest.raises(ExportError, match=r"numbering|would read it back"):
        zwgk.export(sample, "text", form="list")
    plan = Plan(title=None, tasks=(Task(id="t1", path=(), text="推进", serial="7"),))
    with pytest.raises(ExportError, match="serial"):
        zwgk.export(plan, "docx", form="list")
    with pytest.raises(ExportError, match="form must be"):
        zwgk.export(plan, "text", form="grid")


def test_a_task_without_a_serial_whose_text_starts_with_a_number_is_refused_in_the_list_form(tmp_path: Path) -> None:
    source = tmp_path / "t.txt"
    source.write_text("\t工作任务\n\t牵头单位\n\n\t1.推进政务公开。\n\t市财政局\n\n", encoding="utf-8")
    plan = zwgk.load(source)
    assert plan.tasks[0].serial is None and plan.tasks[0].text == "1.推进政务公开。"
    for exporter, suffix in (("text", "txt"), ("docx", "docx")):
        with pytest.raises(zwgk.ExportError, match=r"serial: the task has none, but its text starts with '1\.'"):
            zwgk.export(plan, exporter, tmp_path / f"list.{suffix}", form="list")  # it would read back with one
