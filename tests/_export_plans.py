"""Plans for export tests: a hypothesis strategy, and a DOCX table read back as a Grid.

The generated plans look like real task tables (units named the way tables name them, task text
ending in 。) and are built the way a reader builds them (ids from path and text, units resolved by
the default registry), so that writing one out and reading it back must give an equal plan.
"""

from __future__ import annotations

import io
import zipfile

from hypothesis import strategies as st
from lxml import etree

import zwgk
from zwgk.model import Plan, Role, Task, task_id
from zwgk.readers.build import metadata_from_title
from zwgk.readers.grid import Cell, Grid

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

UNITS = (
    "市财政局", "市教育局", "市自然资源和规划局", "市行政审批服务局", "各县（市、区）",
    "市政府各部门（单位）", "市生态环境局", "泰山职业技术学院", "市供电公司", "市委编办",
    "市公共资源交易中心", "市卫生健康委", "市政府办公室", "市住房城乡建设局", "市医保局",
)
CATEGORIES = (
    "推进决策公开", "推进管理和服务公开", "持续做好重点领域信息公开", "加强和改进政策解读工作",
    "规范依申请公开工作", "强化组织保障和基础工作", "推进政务新媒体规范有序发展", "完善制度规范",
)
TITLES = (
    "2021年泰安市政务公开重点工作任务分解表", "2022年济南市政务公开工作要点任务分解表",
    "政务公开重点工作任务分解表",
)
DEADLINES = ("2021年12月底前", "长期坚持", "6月底前")
_HAN = "公开政务信息推进做好建立健全制度机制落实工作加强规范平台数据服务监督评价完善标准"

lines = st.text(alphabet=_HAN + "，、“”（）0123456789", min_size=1, max_size=30)


@st.composite
def task_texts(draw: st.DrawFn) -> str:
    parts = draw(st.lists(lines, min_size=1, max_size=3))
    return "\n".join(parts) + "。"


@st.composite
def plans(draw: st.DrawFn, max_tasks: int = 12) -> Plan:
    """A plan as a reader would build it from a well-formed table."""
    registry = zwgk.unit_registry()
    depth = draw(st.integers(0, 3))
    with_serial = draw(st.booleans())
    with_deadline = draw(st.booleans())
    with_cooperating = draw(st.booleans())
    title = draw(st.sampled_from(TITLES))
    n = draw(st.integers(1, max_tasks))
    tasks: list[Task] = []
    taken: set[str] = set()
    path: list[str] = [draw(st.sampled_from(CATEGORIES)) + f"（{k + 1}）" for k in range(depth)]
    for i in range(n):
        if tasks and depth and draw(st.booleans()):
            # Change the category at some level (the levels below start afresh).
            level = draw(st.integers(0, depth - 1))
            path = path[:level] + [draw(st.sampled_from(CATEGORIES)) + f"（{i}-{k}）" for k in range(level, depth)]
        task_depth = depth if not depth or draw(st.integers(0, 4)) else draw(st.integers(0, depth - 1))
        task_path = tuple(path[:task_depth])
        text = draw(task_texts())
        units: dict[Role, tuple[tuple[zwgk.UnitRef, ...], bool]] = {}
        for role, lo in ((Role.LEAD, 1), (Role.RESPONSIBLE, 0), (Role.COOPERATING, 0)):
            if role is Role.COOPERATING and not with_cooperating:
                continue
            names = draw(st.lists(st.sampled_from(UNITS), min_size=lo, max_size=3, unique=True))
            closing = draw(st.sampled_from(["", "", "", "", "等", "等相关部门（单位）"])) if names else ""
            parsed = registry.parse_cell("、".join(names) + closing)
            units[role] = (parsed.refs, parsed.open_list)
        tasks.append(Task(
            id=task_id(task_path, text, taken),
            path=task_path,
            text=text,
            serial=str(i + 1) if with_serial else None,
            deadline=draw(st.sampled_from(DEADLINES)) if with_deadline else None,
            leads=units[Role.LEAD][0],
            responsible=units[Role.RESPONSIBLE][0],
            cooperating=units.get(Role.COOPERATING, ((), False))[0],
            open_roles=frozenset(r for r, (_, is_open) in units.items() if is_open),
        ))
    preamble = draw(st.sampled_from([("附件", title), (title,)]))
    return Plan(title=title, tasks=tuple(tasks), metadata=metadata_from_title(title), preamble=preamble)


def docx_body(data: bytes) -> etree._Element:
    """The ``w:body`` element of a DOCX file's main document."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    body = root.find(f"{W}body")
    assert body is not None
    return body


def paragraph_text(p: etree._Element) -> str:
    out = []
    for el in p.iter(f"{W}t", f"{W}tab"):
        out.append("\t" if el.tag == f"{W}tab" else (el.text or ""))
    return "".join(out)


def docx_grid(data: bytes) -> Grid:
    """The first table of a DOCX file as a Grid: ``w:gridSpan`` as colspan, ``w:vMerge`` as rowspan.

    Enough of a DOCX reader to check that the exporter writes the table the pipeline expects.
    """
    body = docx_body(data)
    preamble: list[str] = []
    table = None
    for child in body:
        if child.tag == f"{W}p":
            text = paragraph_text(child).strip()
            if text:
                preamble.append(text)
        elif child.tag == f"{W}tbl":
            table = child
            break
    assert table is not None, "no table in the document"
    rows: list[list[Cell]] = []
    open_merge: dict[int, tuple[int, int]] = {}  # grid column -> (row index, cell index) of the restart
    for r, tr in enumerate(table.findall(f"{W}tr")):
        row: list[Cell] = []
        col = 0
        for tc in tr.findall(f"{W}tc"):
            pr = tc.find(f"{W}tcPr")
            span_el = pr.find(f"{W}gridSpan") if pr is not None else None
            span = int(span_el.get(f"{W}val")) if span_el is not None else 1
            vm = pr.find(f"{W}vMerge") if pr is not None else None
            if vm is not None and vm.get(f"{W}val") in (None, "continue"):
                rr, cc = open_merge[col]
                above = rows[rr][cc]
                rows[rr][cc] = Cell(above.text, above.rowspan + 1, above.colspan, above.column)
            else:
                text = "\n".join(paragraph_text(p) for p in tc.findall(f"{W}p"))
                row.append(Cell(text, 1, span, col))
                if vm is not None:
                    open_merge[col] = (r, len(row) - 1)
                else:
                    open_merge.pop(col, None)
            col += span
        rows.append(row)
    title = max((p for p in preamble if not p.startswith("附件") or len(p) > 8), key=len, default=None)
    return Grid(tuple(tuple(r) for r in rows), title=title, preamble=tuple(preamble))
