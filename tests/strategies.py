"""Hypothesis strategies for generated plans, shared by the property-based tests.

Generated plans are built the way the builder builds them: unit cells are split (learning new
units as met) with one fresh default registry, as the plan's region sees it
(:meth:`~zwgk.units.UnitRegistry.serving`), in table order; ids come from
:func:`zwgk.model.task_id`, metadata from the title.
"""

from __future__ import annotations

from typing import NamedTuple

from hypothesis import strategies as st

import zwgk
from zwgk._numbering import split_numbering
from zwgk.model import Metadata, Plan, Role, Task, task_id

CJK = (
    "政务公开推进决策执行管理服务结果全过程重点领域信息财政预算教育医疗卫生健康环境生态"
    "交通水利农业农村民政人力资源社会保障住房城乡建设文化旅游体育市场监督审批大数据统计"
    "应急司法公安税务审计商务科技工业和"
)
PUNCT = "，。、；：？！“”‘’（）《》【】〔〕—…·|*#-_,.;:?!()[]{}<>\"'/\\+%=&@$^~`"
SUFFIXES = ("局", "委", "办", "中心", "办公室", "公司", "学院", "政府", "委员会", "（单位）")

cjk_word = st.text(alphabet=CJK, min_size=1, max_size=6)


@st.composite
def unit_names(draw: st.DrawFn) -> str:
    """A plausible unit name, sometimes with (nested) brackets holding 、 and spaces."""
    stem = draw(cjk_word)
    prefix = draw(st.sampled_from(["市", "县", "", "各", "泰安市"]))
    inner = ""
    if draw(st.booleans()):
        parts = draw(st.lists(cjk_word, min_size=1, max_size=3))
        sep = draw(st.sampled_from(["、", "、 ", " 、"]))
        body = sep.join(parts)
        if draw(st.booleans()):
            body += "（" + draw(cjk_word) + "、" + draw(cjk_word) + "）"
        inner = draw(st.sampled_from(["（{}）", "({})"])).format(body)
    suffix = draw(st.sampled_from(SUFFIXES))
    if suffix == "（单位）" and inner:
        suffix = "局"
    return prefix + stem + inner + suffix


@st.composite
def cell_texts(draw: st.DrawFn, *, multiline: bool = True, min_size: int = 1) -> str:
    """Task-like text: CJK, ASCII and punctuation, possibly over several lines (none blank)."""
    alphabet = CJK + PUNCT + "abcXYZ0123456789 "
    lines = draw(st.lists(st.text(alphabet=alphabet, min_size=1, max_size=40), min_size=1,
                          max_size=3 if multiline else 1))
    lines = [ln.strip() for ln in lines]
    lines = [ln for ln in lines if ln]
    text = "\n".join(lines)
    if len(text) < min_size:
        text = draw(cjk_word) + "。"
    return text


@st.composite
def plans(draw: st.DrawFn, *, max_tasks: int = 12) -> Plan:
    """A plan with a random hierarchy (0–3 levels), optional columns and unit lists."""
    registry = zwgk.unit_registry()
    depth = draw(st.integers(0, 3))
    n_tasks = draw(st.integers(1, max_tasks))
    use_serial = draw(st.booleans())
    use_deadline = draw(st.booleans())
    use_requirement = draw(st.booleans())
    use_coop = draw(st.booleans())
    use_notes = draw(st.booleans())
    use_extra = draw(st.booleans())
    year = draw(st.integers(2015, 2030))
    title = draw(st.sampled_from([None, f"{year}年泰安市政务公开重点工作任务分解表",
                                  f"{year}年度某县政务公开工作要点任务分解"]))
    preamble: tuple[str, ...] = ()
    if title:
        preamble = draw(st.sampled_from([(title,), ("附件", title), ("附件2", title)]))
    named = Metadata.from_title(title)
    registry = registry.serving(named.region, named.level)  # as the builder reads the plan
    level_pool = [draw(st.lists(cjk_word, min_size=1, max_size=3, unique=True)) for _ in range(depth)]
    tasks: list[Task] = []
    taken: set[str] = set()
    for i in range(n_tasks):
        path_len = depth if depth == 0 else draw(st.sampled_from([depth] * 4 + [depth - 1]))
        path = tuple(draw(st.sampled_from(level_pool[k])) for k in range(path_len))
        text = draw(cell_texts())
        if use_requirement and not use_serial and split_numbering(text)[0] in ("arabic-dot", "arabic-paren"):
            # A table of task titles beside requirements and without 序号 numbers its tasks in the
            # title (1. …): such a title is read as carrying the serial, by design.
            text = "任务" + text
        cells: dict[Role, str] = {}
        for role in Role:
            if role is Role.COOPERATING and not use_coop:
                continue
            names = draw(st.lists(unit_names(), min_size=0, max_size=3))
            cell = "、".join(names)
            if names and draw(st.integers(0, 4)) == 0:
                cell += "等"
            cells[role] = cell
        parsed = {role: registry.parse_cell(cell, learn=True) for role, cell in cells.items()}
        extra: tuple[tuple[str, str], ...] = ()
        if use_extra and draw(st.booleans()):
            extra = (("考核分值", str(draw(st.integers(1, 10)))),)
        tasks.append(Task(
            id=task_id(path, text, taken),
            path=path,
            text=text,
            requirement=draw(cell_texts(multiline=False)) if use_requirement and draw(st.booleans()) else None,
            serial=str(i + 1) if use_serial else None,
            deadline=draw(st.sampled_from(["2020年12月底前", "长期坚持", "6月底前", "持续推进"]))
            if use_deadline and draw(st.booleans()) else None,
            notes=draw(cell_texts(multiline=False)) if use_notes and draw(st.booleans()) else None,
            leads=parsed[Role.LEAD].refs,
            responsible=parsed[Role.RESPONSIBLE].refs,
            cooperating=parsed[Role.COOPERATING].refs if Role.COOPERATING in parsed else (),
            open_roles=frozenset(r for r, p in parsed.items() if p.open_list),
            extra=extra,
        ))
    return Plan(title=title, tasks=tuple(tasks), metadata=Metadata.from_title(title), preamble=preamble)


REAL_UNITS = (
    "市财政局", "市教育局", "市自然资源和规划局", "市行政审批服务局", "各县（市、区）",
    "市政府各部门（单位）", "市生态环境局", "泰山职业技术学院", "市供电公司", "市委编办",
    "市公共资源交易中心", "市卫生健康委", "市政府办公室", "市住房城乡建设局", "市医保局",
)
REAL_CATEGORIES = (
    "推进决策公开", "推进管理和服务公开", "持续做好重点领域信息公开", "加强和改进政策解读工作",
    "规范依申请公开工作", "强化组织保障和基础工作", "推进政务新媒体规范有序发展", "完善制度规范",
)
REAL_TITLES = (
    "2021年泰安市政务公开重点工作任务分解表", "2022年济南市政务公开工作要点任务分解表",
    "政务公开重点工作任务分解表",
)
REAL_DEADLINES = ("2021年12月底前", "长期坚持", "6月底前")
_REAL_HAN = "公开政务信息推进做好建立健全制度机制落实工作加强规范平台数据服务监督评价完善标准"

_real_lines = st.text(alphabet=_REAL_HAN + "，、“”（）0123456789", min_size=1, max_size=30)


@st.composite
def real_task_texts(draw: st.DrawFn) -> str:
    parts = draw(st.lists(_real_lines, min_size=1, max_size=3))
    return "\n".join(parts) + "。"


@st.composite
def realistic_plans(draw: st.DrawFn, max_tasks: int = 12) -> Plan:
    """A plan that looks like a real table: real unit names (with a closing 等 or 等相关部门（单位）),
    task text ending in 。, categories that change at any level; built as a reader builds it."""
    registry = zwgk.unit_registry()
    depth = draw(st.integers(0, 3))
    with_serial = draw(st.booleans())
    with_deadline = draw(st.booleans())
    with_cooperating = draw(st.booleans())
    title = draw(st.sampled_from(REAL_TITLES))
    named = Metadata.from_title(title)
    registry = registry.serving(named.region, named.level)  # as the builder reads the plan
    n = draw(st.integers(1, max_tasks))
    tasks: list[Task] = []
    taken: set[str] = set()
    path: list[str] = [draw(st.sampled_from(REAL_CATEGORIES)) + f"（{k + 1}）" for k in range(depth)]
    for i in range(n):
        if tasks and depth and draw(st.booleans()):
            # Change the category at some level (the levels below start afresh).
            level = draw(st.integers(0, depth - 1))
            path = path[:level] + [draw(st.sampled_from(REAL_CATEGORIES)) + f"（{i}-{k}）" for k in range(level, depth)]
        task_depth = depth if not depth or draw(st.integers(0, 4)) else draw(st.integers(0, depth - 1))
        task_path = tuple(path[:task_depth])
        text = draw(real_task_texts())
        units: dict[Role, tuple[tuple[zwgk.UnitRef, ...], bool]] = {}
        for role, lo in ((Role.LEAD, 1), (Role.RESPONSIBLE, 0), (Role.COOPERATING, 0)):
            if role is Role.COOPERATING and not with_cooperating:
                continue
            names = draw(st.lists(st.sampled_from(REAL_UNITS), min_size=lo, max_size=3, unique=True))
            closing = draw(st.sampled_from(["", "", "", "", "等", "等相关部门（单位）"])) if names else ""
            parsed = registry.parse_cell("、".join(names) + closing)
            units[role] = (parsed.refs, parsed.open_list)
        tasks.append(Task(
            id=task_id(task_path, text, taken),
            path=task_path,
            text=text,
            serial=str(i + 1) if with_serial else None,
            deadline=draw(st.sampled_from(REAL_DEADLINES)) if with_deadline else None,
            leads=units[Role.LEAD][0],
            responsible=units[Role.RESPONSIBLE][0],
            cooperating=units.get(Role.COOPERATING, ((), False))[0],
            open_roles=frozenset(r for r, (_, is_open) in units.items() if is_open),
        ))
    preamble = draw(st.sampled_from([("附件", title), (title,)]))
    return Plan(title=title, tasks=tuple(tasks), metadata=Metadata.from_title(title), preamble=preamble)


# Plans as readers produce them: a table of cells (as the DOCX and HTML readers give it, columns
# known) built by the real builder. Cells hold what real documents hold and the text form cannot:
# carriage returns, TABs, empty lines; unit cells with role words and a 等 anywhere; empty category
# cells (continuing the category above); extra columns with repeated, unnamed or known headings.

EXTRA_HEADINGS = ("考核分值", "考核分值", "", "", "责任人", "完成时限", "备注", "评价\n方式")
_ODD = "\r\t\n "
_ROLE_WORDS = ("牵头", "配合", "负责", "等", "等相关部门（单位）")


@st.composite
def raw_cell_texts(draw: st.DrawFn) -> str:
    """The text of a cell as a reader gives it: stripped, possibly with CR, TAB and line breaks inside."""
    alphabet = CJK + PUNCT + "abc0123 " + _ODD
    return draw(st.text(alphabet=alphabet, min_size=0, max_size=20)).strip()


@st.composite
def raw_unit_cells(draw: st.DrawFn) -> str:
    """A unit cell as written: names with role words, 等 in the middle or at the end, odd separators."""
    names = draw(st.lists(st.one_of(unit_names(), st.sampled_from(REAL_UNITS)), min_size=0, max_size=3))
    parts = [n + draw(st.sampled_from(("",) * 4 + _ROLE_WORDS)) for n in names]
    seps = draw(st.lists(st.sampled_from(["、", "，", "\n", "\r", "；", " "]), min_size=len(parts),
                         max_size=len(parts)))
    text = "".join(p + (s if i + 1 < len(parts) else "") for i, (p, s) in enumerate(zip(parts, seps, strict=True)))
    return text.strip()


@st.composite
def reader_plans(draw: st.DrawFn, *, max_tasks: int = 6) -> Plan:
    """A plan as a reader produces it: a generated table built by zwgk's builder.

    The table may have category columns (empty cells continue the one above; a task cell may span
    the category columns it has no value for), serial, requirement, cooperating, deadline and notes
    columns, and extra columns whose headings repeat, are empty or repeat a known heading.
    """
    from zwgk.errors import ZwgkError
    from zwgk.table.build import build_plan
    from zwgk.table.grid import Cell, Grid

    depth = draw(st.integers(0, 2))
    header: list[str] = []
    if draw(st.booleans()):
        header.append("序号")
    header += ["一级任务", "二级任务"][:depth]
    task_col = len(header)
    header.append("具体任务")
    if draw(st.booleans()):
        header.append("工作要求")
    header += ["牵头单位", "责任单位"]
    for optional in ("配合单位", "完成时限", "备注"):
        if draw(st.booleans()):
            header.append(optional)
    header += draw(st.lists(st.sampled_from(EXTRA_HEADINGS), max_size=3))
    unit_cols = {i for i, h in enumerate(header) if h in ("牵头单位", "责任单位", "配合单位")}
    rows: list[tuple[Cell, ...]] = [tuple(Cell(h, column=i) for i, h in enumerate(header))]
    level_pool = [draw(st.lists(cjk_word, min_size=1, max_size=2, unique=True)) for _ in range(depth)]
    for r in range(draw(st.integers(1, max_tasks))):
        cells: list[Cell] = []
        span_from = task_col
        if depth and draw(st.integers(0, 4)) == 0:
            span_from = draw(st.integers(task_col - depth, task_col))
        for i, h in enumerate(header):
            if task_col - depth <= i < task_col:
                if i >= span_from:
                    continue
                text = draw(st.sampled_from(["", *level_pool[i - (task_col - depth)]]))
                cells.append(Cell(text, column=i))
            elif i == task_col:
                text = draw(st.one_of(cell_texts(), raw_cell_texts()))
                cells.append(Cell(text, colspan=task_col - span_from + 1, column=span_from))
            elif h == "序号":
                cells.append(Cell(str(r + 1), column=i))
            elif i in unit_cols:
                cells.append(Cell(draw(raw_unit_cells()), column=i))
            else:
                cells.append(Cell(draw(raw_cell_texts()), column=i))
        rows.append(tuple(cells))
    title = draw(st.sampled_from([None, *REAL_TITLES]))
    grid = Grid(tuple(rows), title=title, preamble=(title,) if title else ())
    try:
        plan = build_plan([grid], zwgk.unit_registry())
    except ZwgkError:
        from hypothesis import reject

        reject()
    return plan


# Plans from other regions: names written without their level prefix after a prefixed one
# (省财政厅、教育厅), 会同 (X会同Y、Z等部门), collectives in every region's words (省直有关单位,
# 各区属企业) and bracket aliases (市委编办（市审改办）); built by the real builder.

REGIONAL_TITLES = (
    "某某省2021年政务公开工作要点任务分解表", "2021年度某某区政务公开重点工作任务分解表",
    "2021年泰安市政务公开重点工作任务分解表", "某某县政务公开工作要点", None,
)
LEVEL_WORDS = ("省", "市", "区", "县")
DEPARTMENT_STEMS = ("财政", "教育", "科技", "民政", "司法", "审计", "统计", "经济发展", "行政审批", "发展改革")
DEPARTMENT_ENDS = ("厅", "局", "委", "办")
REGIONAL_COLLECTIVES = (
    "省直有关单位", "省政府各部门", "各地级市", "各地级市政府", "县直各部门", "区直各有关单位", "各区属事业单位",
    "各区属企业", "各镇（街道）", "各乡镇人民政府（街道办事处）", "中央驻省有关单位", "各县（市、区）",
)
ALIASED_UNITS = ("市委编办（市审改办）", "市农业农村局（市委农办）", "区委编办（区审改办）")


@st.composite
def regional_unit_cells(draw: st.DrawFn) -> str:
    """A unit cell as another region writes it: elided prefixes, 会同, collectives, bracket aliases."""
    level = draw(st.sampled_from(LEVEL_WORDS))

    def department() -> str:
        return draw(st.sampled_from(DEPARTMENT_STEMS)) + draw(st.sampled_from(DEPARTMENT_ENDS))

    kind = draw(st.sampled_from(("elided", "jointly", "collective", "alias", "lines", "mixed")))
    if kind == "elided":
        names = [level + department()] + [department() for _ in range(draw(st.integers(1, 3)))]
        return "、".join(dict.fromkeys(names)) + draw(st.sampled_from(("", "", "等", "等部门")))
    if kind == "jointly":
        rest = "、".join(dict.fromkeys([level + department(), department()]))
        return f"{level}{department()}会同{rest}" + draw(st.sampled_from(("", "等部门", "等单位")))
    if kind == "collective":
        return draw(st.sampled_from(REGIONAL_COLLECTIVES))
    if kind == "alias":
        return draw(st.sampled_from(ALIASED_UNITS))
    if kind == "lines":  # one name a paragraph, each beginning like a unit (市卫健委⏎市市场监管局)
        lines = [level + department(), draw(st.sampled_from(REGIONAL_COLLECTIVES)), level + department()]
        return "\n".join(dict.fromkeys(lines))
    parts = [level + department(), department(), draw(st.sampled_from(REGIONAL_COLLECTIVES))]
    return draw(st.sampled_from(("、", "；"))).join(dict.fromkeys(parts))


@st.composite
def regional_plans(draw: st.DrawFn, *, max_tasks: int = 6) -> Plan:
    """A plan from any region, as a reader produces it: the table built by zwgk's builder."""
    from zwgk.table.build import build_plan
    from zwgk.table.grid import Cell, Grid

    header = ["序号", "工作任务", "牵头单位", "责任单位", "配合单位"]
    rows: list[tuple[Cell, ...]] = [tuple(Cell(h, column=i) for i, h in enumerate(header))]
    for r in range(draw(st.integers(1, max_tasks))):
        units = [draw(st.one_of(regional_unit_cells(), st.just(""))) for _ in range(3)]
        text = draw(real_task_texts())
        rows.append(tuple(Cell(t, column=i) for i, t in enumerate((str(r + 1), text, *units))))
    title = draw(st.sampled_from(REGIONAL_TITLES))
    grid = Grid(tuple(rows), title=title, preamble=(title,) if title else ())
    return build_plan([grid], zwgk.unit_registry())


def examples(deep: int) -> int:
    """How many examples a property runs: ``deep`` is its budget under ``--hypothesis-profile=deep``.

    The default profile runs a tenth of it (at least two), ``soak`` ten times it; the profiles are
    registered in ``tests/conftest.py`` and described in docs/testing.md.
    """
    from hypothesis import settings

    return max(2, deep * settings.default.max_examples // 100)


# Kinds of layout from unseen documents (tests/fixtures/kinds.py), generated with variety.

#: Headings of a unit column naming one role, the issuer's own bodies or another's, as real tables write them.
UNIT_ROLE_HEADINGS = ("本局责任科室", "本局承办科室", "承办处室", "承办单位", "责任处室", "主办科室",
                      "区委区政府牵头部门", "具体负责单位", "落实部门")

#: Bodies of the issuer itself (科室, 站所): no registry knows them, each is learned as written.
OWN_BODIES = ("办公室", "法规科", "督查科", "信息中心", "财务科", "人事科", "宣传科", "执法大队", "服务中心")
CATEGORY_HEADS = ("推进决策公开", "推进执行公开", "加强重点领域信息公开", "提升政策解读质量", "优化政务服务")
TASK_STEMS = ("全面推行重大行政决策事项目录管理", "做好决策草案公开征求意见工作", "加大督查结果公开力度",
              "完善政策执行情况公开机制", "及时回应社会关切", "规范依申请公开答复", "做好财政信息公开",
              "推进政务服务事项公开", "加强政府网站管理")


class SpannedTable(NamedTuple):
    """A generated table of a kind from unseen documents and what it must read as, one entry a task."""

    title: str
    rows: list[list[object]]
    paths: list[tuple[str, ...]]
    serials: list[str]
    texts: list[str]
    requirements: list[str | None]
    leads: list[list[str]]
    cooperating: list[list[str]]


@st.composite
def role_phrase_cells(draw: st.DrawFn) -> tuple[str, list[str], list[str]]:
    """A unit cell naming roles with phrases (办公室牵头，法规科、督查科配合落实) or labels
    (牵头：办公室；配合：法规科): (text, leads, cooperating)."""
    names = draw(st.lists(st.sampled_from(OWN_BODIES), min_size=1, max_size=4, unique=True))
    lead, rest = names[:1], names[1:]
    if draw(st.booleans()):  # the roles written as labels: 牵头：办公室；配合：法规科、督查科
        colon = draw(st.sampled_from(("：", ":")))
        lead_word = draw(st.sampled_from(("牵头", "牵头单位")))
        text = f"{lead_word}{colon}{lead[0]}"
        if rest:
            text += f"；{draw(st.sampled_from(('配合', '协助', '配合单位')))}{colon}{'、'.join(rest)}"
        return text, lead, rest
    if not rest:
        return lead[0] + draw(st.sampled_from(("牵头", "牵头负责", "牵头落实"))), lead, []
    tail = draw(st.sampled_from(("配合", "配合落实", "协助", "配合实施")))
    if draw(st.booleans()):  # the role words in brackets: 办公室（牵头）法规科、督查科（配合）
        lead_word, tail = "（牵头）", f"（{tail}）"
    else:
        lead_word = "牵头"
    # the phrases apart by a comma, a line break, a space or nothing at all (办公室牵头法规科配合)
    sep = draw(st.sampled_from(("，", "\n", " ", "")))
    return f"{lead[0]}{lead_word}{sep}{'、'.join(rest)}{tail}", lead, rest


@st.composite
def spanned_tables(draw: st.DrawFn, *, max_tasks: int = 6) -> SpannedTable:
    """A table whose headings span sub-columns without naming them: a per-row serial, a category
    merged down the first column, the task text; units under one-role headings (牵头 | 配合 below
    责任单位, or a 本局责任科室 column whose cells name the roles with phrases)."""
    from tests.fixtures.layouts import C

    kind = draw(st.sampled_from(("requirement-over-serial", "task-over-category-title-serial")))
    phrases = draw(st.booleans())
    n_cats = draw(st.integers(1, 3))
    # Categories over two or three tasks: a category over one row is, by the cells alone, a task title
    # with its requirement (docs/readers.md), which loses nothing but is another reading.
    sizes = [draw(st.integers(2, 3)) for _ in range(n_cats)][: max_tasks]
    cats = draw(st.lists(st.sampled_from(CATEGORY_HEADS), min_size=n_cats, max_size=n_cats, unique=True))
    numerals = "一二三"
    stems = iter(draw(st.permutations(TASK_STEMS)))  # each task its own title
    serial_style = draw(st.sampled_from(("{}", "{}.", "（{}）")))
    if phrases:  # a heading naming one role over cells naming the roles themselves
        unit_header: list[object] = [draw(st.sampled_from(UNIT_ROLE_HEADINGS))]
    else:
        unit_header = [C("责任单位", colspan=2)]
    if kind == "requirement-over-serial":
        rows: list[list[object]] = [["工作任务", C("工作要求", colspan=2), *unit_header]]
    else:
        # 工作任务 over the category, title and serial columns, or over the category alone beside a
        # title and a serial column with no heading, the title's perhaps one no vocabulary knows (具体事项)
        over: list[object] = draw(st.sampled_from(([C("工作任务", colspan=3)], ["工作任务", "", ""],
                                                   ["工作任务", "具体事项", ""])))
        rows = [[*over, "工作要求", *unit_header]]
    # The text column under 工作要求 may have a sub-heading of its own while the serial beside it has
    # none: the serial is still named by its content.
    text_heading = draw(st.sampled_from(("", "具体内容", "工作内容"))) if kind == "requirement-over-serial" else ""
    if not phrases:
        sub = ["", "", text_heading, "牵头", "配合"] if kind == "requirement-over-serial" else \
            ["", "", "", "", "牵头", "配合"]
        rows.append(sub)
    elif text_heading:
        rows.append(["", "", text_heading, ""])
    out = SpannedTable(draw(st.sampled_from(("2022年某某局政务公开工作任务分解表", "政务公开重点工作分工方案"))),
                       rows, [], [], [], [], [], [])
    n = 0
    for c, size in enumerate(sizes):
        category = f"{numerals[c]}、{cats[c]}"
        for k in range(size):
            n += 1
            serial = serial_style.format(n)
            stem = next(stems)
            title, requirement = f"{stem}", f"{stem}，按时公开相关信息。"
            if phrases:
                unit_text, leads, coop = draw(role_phrase_cells())
                # lines of a cell are its paragraphs (an HTML line break in the markup is no break)
                units: list[object] = [unit_text.split("\n") if "\n" in unit_text else unit_text]
            else:
                leads = [draw(st.sampled_from(OWN_BODIES))]
                coop = [x for x in draw(st.lists(st.sampled_from(OWN_BODIES), max_size=2, unique=True))
                        if x not in leads]
                # several units in a cell: listed with 、 or one a line (a paragraph each)
                units = [leads[0], "、".join(coop) if len(coop) < 2 or draw(st.booleans()) else coop]
            first: list[object] = [C(category, rowspan=size)] if k == 0 else []
            if kind == "requirement-over-serial":
                rows.append([*first, serial, requirement, *units])
                out.texts.append(requirement)
                out.requirements.append(None)
            else:
                rows.append([*first, title, serial, requirement, *units])
                out.texts.append(title)
                out.requirements.append(requirement)
            out.paths.append((category,))
            out.serials.append(serial)
            out.leads.append(leads)
            out.cooperating.append(coop)
    return out


INTRO_SENTENCES = ("围绕群众关切，重点做好以下工作：", "按照“谁起草、谁解读”的原则，做好以下工作：",
                   "结合实际，抓好以下任务落实。", "")
LEAD_UNITS = ("市财政局", "市司法局", "市政府办公室", "市发展改革委", "市教育局")


class IntroDocument(NamedTuple):
    """Paragraphs whose category headings carry introductory sentences, and what they read as."""

    lines: list[str]
    paths: list[tuple[str, ...]]
    texts: list[str]
    intros: list[str]  # prose the plan keeps in its preamble or epilogue
    notes: dict[tuple[str, ...], str]  # the categories' notes (a heading's introductory sentence)


@st.composite
def intro_paragraph_docs(draw: st.DrawFn) -> IntroDocument:
    """A task breakdown written as paragraphs: 二、重点任务 (sometimes followed by a sentence of its
    own), category headings (一)… with or without an introductory sentence after their 。, and
    numbered tasks, each its own paragraph (with or without a closing 。) followed by 牵头单位：…"""
    top = "二、重点任务"
    lines = [draw(st.sampled_from(("2021年某某市政务公开工作要点任务分工", "政务公开重点工作任务分工方案"))), top]
    out = IntroDocument(lines, [], [], [], {})
    if draw(st.booleans()):
        lines.append("按照上级部署，结合实际，做好以下工作。")
        out.intros.append(lines[-1])
    heads = draw(st.lists(st.sampled_from(CATEGORY_HEADS), min_size=1, max_size=3, unique=True))
    stems = iter(draw(st.permutations(TASK_STEMS)))
    n = 0
    for c, head in enumerate(heads):
        name = f"（{'一二三'[c]}）{head}"
        intro = draw(st.sampled_from(INTRO_SENTENCES))
        lines.append(f"{name}。{intro}" if intro else name)
        if intro:
            out.notes[(top, name)] = intro
        for _ in range(draw(st.integers(1, 3))):
            n += 1
            title = f"{n}.{next(stems)}" + draw(st.sampled_from(("", "。")))
            lines += [title, "牵头单位：" + draw(st.sampled_from(LEAD_UNITS))]
            out.paths.append((top, name))
            out.texts.append(title)
    return out


# Open-ended tails (教育厅等相关部门) and metadata the title does not give, generated with variety.

OPEN_TAILS = ("相关部门", "有关部门", "相关部门（单位）", "有关单位", "部门", "单位", "各相关单位")
#: A level word, the title that names it without naming a known region, and the region a caller gives.
LEVEL_TITLES = {"省": "2021年某某省政务公开工作要点任务分解表", "市": "2021年某某市政务公开工作要点任务分解表",
                "区": "2021年某某区政务公开重点工作任务分解表", "县": "2021年某某县政务公开工作要点任务分工"}


class OpenTailTable(NamedTuple):
    """A table whose unit cells end in an open tail (省财政厅、教育厅等相关部门), and what they name."""

    title: str
    level: str
    rows: list[list[object]]
    named: list[list[str]]  # per task, the units its 配合单位 cell names (prefix elided names completed)
    tails: list[str]  # per task, the open tail as written (等相关部门)


@st.composite
def open_tail_tables(draw: st.DrawFn, *, max_tasks: int = 5) -> OpenTailTable:
    """A table of one level (省, 市, 区, 县: its title names it) whose 配合单位 cells name one to three
    departments, the first with the level prefix and the others without (教育厅), then 等 and an
    open tail: the tail is no unit of any registry, least of all another region's collective."""
    level = draw(st.sampled_from(tuple(LEVEL_TITLES)))
    rows: list[list[object]] = [["序号", "工作任务", "牵头单位", "配合单位"]]
    out = OpenTailTable(LEVEL_TITLES[level], level, rows, [], [])
    stems = iter(draw(st.permutations(TASK_STEMS)))
    for n in range(1, draw(st.integers(1, max_tasks)) + 1):
        depts = draw(st.lists(st.sampled_from(DEPARTMENT_STEMS), min_size=1, max_size=3, unique=True))
        ends = [draw(st.sampled_from(DEPARTMENT_ENDS)) for _ in depts]
        named = [level + d + e for d, e in zip(depts, ends, strict=True)]
        written = [named[0], *(d + e for d, e in zip(depts[1:], ends[1:], strict=True))]
        tail = "等" + draw(st.sampled_from(OPEN_TAILS))
        lead = level + draw(st.sampled_from(("政府办公室", "财政" + ("厅" if level == "省" else "局"))))
        rows.append([str(n), next(stems) + "。", lead, "、".join(written) + tail])
        out.named.append(named)
        out.tails.append(tail)
    return out


class MetadataTable(NamedTuple):
    """A table whose title names no region and no year, the region and year a caller gives, and the
    level the region's name stands for."""

    title: str
    rows: list[list[object]]
    region: str
    year: int
    level: str


@st.composite
def metadata_tables(draw: st.DrawFn, *, max_tasks: int = 4) -> MetadataTable:
    """A table titled without region or year (政务公开工作要点任务分解表), its units written with the
    level of a region the caller gives (``zwgk.load(p, region=…, year=…)``)."""
    level = draw(st.sampled_from(tuple(LEVEL_TITLES)))
    region = draw(st.sampled_from(("某某", "另一", "第三"))) + level
    title = draw(st.sampled_from(("政务公开工作要点任务分解表", "重点工作任务分工方案", "政务公开工作任务清单")))
    rows: list[list[object]] = [["序号", "工作任务", "责任单位"]]
    stems = iter(draw(st.permutations(TASK_STEMS)))
    for n in range(1, draw(st.integers(1, max_tasks)) + 1):
        unit = level + draw(st.sampled_from(DEPARTMENT_STEMS)) + draw(st.sampled_from(DEPARTMENT_ENDS))
        rows.append([str(n), next(stems) + "。", unit])
    return MetadataTable(title, rows, region, draw(st.integers(1990, 2100)), level)


class UnitSpanTable(NamedTuple):
    """责任单位 over two columns with no sub-headings, and what each task must read as."""

    rows: list[list[object]]
    responsible: list[list[str]]  # per task, the units of both unit columns, in order
    extra: list[tuple[tuple[str, str], ...]]  # per task, the text column kept under the heading


UNIT_SPAN_SENTENCES = ("会同各街道做好目录编制和公开工作。", "按季度通报督查结果，接受社会监督。",
                       "及时公开审计结果。", "每月更新一次，确保信息准确。")


@st.composite
def unit_span_tables(draw: st.DrawFn, *, max_tasks: int = 5) -> UnitSpanTable:
    """A 区-level table whose 责任单位 spans two columns with no sub-headings: the first names units,
    the second either names units too (some cells empty) or holds sentences; 序号 and 完成时限 (or
    not) around them, so the text form's one-cell heading must be spread by the content."""
    from tests.fixtures.layouts import C

    names = draw(st.booleans())
    deadline = draw(st.booleans())
    rows: list[list[object]] = [["序号", "工作任务", C("责任单位", colspan=2), *(["完成时限"] if deadline else [])]]
    out = UnitSpanTable(rows, [], [])
    stems = iter(draw(st.permutations(TASK_STEMS)))
    units = ("区" + s + e for s, e in draw(st.permutations([(s, e) for s in DEPARTMENT_STEMS for e in ("局", "委")])))
    for n in range(1, draw(st.integers(2, max_tasks)) + 1):
        first = next(units)
        if names:
            # An empty second cell, also at the end of a row (the text form shows it as an empty
            # cell), but not in the first row: the one-cell heading is spread by the content.
            empty = ("",) if n > 1 else ()
            second = draw(st.sampled_from((*empty, next(units), next(units))))
            out.responsible.append([first, second] if second else [first])
            out.extra.append(())
        else:
            second = draw(st.sampled_from(UNIT_SPAN_SENTENCES))
            out.responsible.append([first])
            out.extra.append((("责任单位", second),))
        rows.append([str(n), next(stems) + "。", first, second, *(["长期坚持"] if deadline else [])])
    return out


class HeadingIntroTable(NamedTuple):
    """A table whose category headings (rows merged across the table, or cells of a category column)
    carry introductory sentences, and what it must read as."""

    title: str
    rows: list[list[object]]
    paths: list[tuple[str, ...]]
    texts: list[str]
    notes: dict[tuple[str, ...], str]  # the categories' notes (a heading row's introductory sentence)


@st.composite
def heading_intro_tables(draw: st.DrawFn, *, max_tasks: int = 6) -> HeadingIntroTable:
    """A task table with heading rows spanning its width: one or two levels (一、… over （一）…),
    the inner ones written ``（一）加强….围绕…做好以下工作：`` or bare, as heading rows or in a 类别
    column merged down; 序号, 工作任务, units and (or not) 完成时限 columns. The heading names the
    category, the sentence after its 。 is the note."""
    from tests.fixtures.layouts import C

    deadline = draw(st.booleans())
    in_column = draw(st.booleans())  # the inner categories in a 类别 column merged down, not heading rows
    header: list[object] = [*(["类别"] if in_column else []), "序号", "工作任务", "牵头单位", "配合单位",
                            *(["完成时限"] if deadline else [])]
    width = len(header)
    rows: list[list[object]] = [header]
    title = draw(st.sampled_from(("2021年某某市政务公开工作要点任务分解表", "政务公开重点工作任务分工方案")))
    out = HeadingIntroTable(title, rows, [], [], {})
    top: tuple[str, ...] = ()
    if draw(st.booleans()):
        top = (draw(st.sampled_from(("一、重点任务", "二、主要任务", "三、工作任务"))),)
        rows.append([C(top[0], colspan=width)])
    heads = draw(st.lists(st.sampled_from(CATEGORY_HEADS), min_size=1, max_size=3, unique=True))
    stems = iter(draw(st.permutations(TASK_STEMS)))
    n = 0
    for c, head in enumerate(heads[:max_tasks]):
        name = f"（{'一二三'[c]}）{head}"
        intro = draw(st.sampled_from(INTRO_SENTENCES))
        written = f"{name}。{intro}" if intro else name
        size = draw(st.integers(1, 2))
        if not in_column:
            rows.append([C(written, colspan=width)])
        path = (*top, name)
        if intro:
            out.notes[path] = intro
        for k in range(size):
            n += 1
            text = next(stems) + "。"
            coop = draw(st.sampled_from(("", *LEAD_UNITS)))
            first: list[object] = ([C(written, rowspan=size)] if k == 0 else []) if in_column else []
            rows.append([*first, str(n), text, draw(st.sampled_from(LEAD_UNITS)), coop,
                         *(["长期坚持"] if deadline else [])])
            out.paths.append(path)
            out.texts.append(text)
    return out


class TrailingEmptyTable(NamedTuple):
    """A table whose last cells are empty in some rows (an empty 配合单位 or 完成时限), and each
    task's fields."""

    rows: list[list[object]]
    paths: list[tuple[str, ...]]
    texts: list[str]
    leads: list[list[str]]
    cooperating: list[list[str]]
    deadlines: list[str | None]


@st.composite
def trailing_empty_tables(draw: st.DrawFn, *, max_tasks: int = 6) -> TrailingEmptyTable:
    """序号, 工作任务, 牵头单位, 配合单位 (and or not 完成时限), with or without a category column
    merged down the left; the last cells of a row empty at random (the first row full), so the text
    form shows them as empty cells (or, with their TAB lines dropped, not at all)."""
    from tests.fixtures.layouts import C

    deadline = draw(st.booleans())
    category = draw(st.booleans())
    rows: list[list[object]] = [[*(["类别"] if category else []), "序号", "工作任务", "牵头单位", "配合单位",
                                 *(["完成时限"] if deadline else [])]]
    out = TrailingEmptyTable(rows, [], [], [], [], [])
    stems = iter(draw(st.permutations(TASK_STEMS)))
    total = draw(st.integers(2, max_tasks))
    sizes: list[int] = []
    while sum(sizes) < total:
        sizes.append(min(draw(st.integers(1, 3)), total - sum(sizes)))
    heads = iter(draw(st.permutations(CATEGORY_HEADS)))
    n = 0
    for c, size in enumerate(sizes):
        cat = f"{'一二三四五六'[c]}、{next(heads)}"
        for k in range(size):
            n += 1
            text = next(stems) + "。"
            lead = draw(st.sampled_from(LEAD_UNITS))
            coop = draw(st.sampled_from(("", *LEAD_UNITS))) if n > 1 else LEAD_UNITS[0]
            coop = "" if coop == lead else coop
            due: str | None = None
            if deadline:
                due = draw(st.sampled_from(("", "长期坚持", "2021年12月底前"))) if n > 1 else "长期坚持"
            first: list[object] = ([C(cat, rowspan=size)] if k == 0 else []) if category else []
            rows.append([*first, str(n), text, lead, coop, *([due] if due is not None else [])])
            out.paths.append((cat,) if category else ())
            out.texts.append(text)
            out.leads.append([lead])
            out.cooperating.append([coop] if coop else [])
            out.deadlines.append(due or None)
    return out


#: Collectives of one level, written as plans write them ({} is the level: 市直各部门, 县政府各部门).
LEVEL_COLLECTIVES = ("{}直各部门", "{}政府各部门", "{}直有关单位", "{}直各单位", "{}政府有关部门", "{}直各部门（单位）")


class CollectiveTable(NamedTuple):
    """A table of one level whose unit cells name collectives of that level, alone or after named units."""

    title: str
    level: str
    rows: list[list[object]]
    collectives: list[str]  # per task, the collective as written


@st.composite
def collective_tables(draw: st.DrawFn, *, max_tasks: int = 4) -> CollectiveTable:
    """A table of a region no registry serves (某某省, 某某市 …) whose 责任单位 cells name a collective
    of the plan's level (市直各部门), alone or after a named unit: no registry's collective answers
    for it, since what it covers there is not known."""
    level = draw(st.sampled_from(tuple(LEVEL_TITLES)))
    heading = draw(st.sampled_from(("责任单位", "配合单位", "承办单位", "参与单位")))
    rows: list[list[object]] = [["序号", "工作任务", "牵头单位", heading]]
    out = CollectiveTable(LEVEL_TITLES[level], level, rows, [])
    stems = iter(draw(st.permutations(TASK_STEMS)))
    for n in range(1, draw(st.integers(1, max_tasks)) + 1):
        collective = draw(st.sampled_from(LEVEL_COLLECTIVES)).format(level)
        before = draw(st.sampled_from(("", level + "财政" + ("厅" if level == "省" else "局") + "、")))
        rows.append([str(n), next(stems) + "。", level + "政府办公室", before + collective])
        out.collectives.append(collective)
    return out


#: Headings of columns naming people (or how to reach them), as plans word them.
PERSON_HEADINGS = ("责任人", "责任领导", "联系人", "分管领导", "牵头领导", "负责人", "经办人", "责任单位负责人",
                   "联系电话", "分管市领导")
_SURNAMES = "王李张刘陈杨赵黄周吴"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰"


class PersonTable(NamedTuple):
    """A task table with columns naming people beside its unit columns, and what it must read as."""

    rows: list[list[object]]
    leads: list[list[str]]
    cooperating: list[list[str]]
    extra: list[tuple[tuple[str, str], ...]]  # per task: the people's cells, (heading, text), left to right


@st.composite
def person_names(draw: st.DrawFn) -> str:
    """A cell of a person column: one or two names (with a title, 同志, or a telephone on a second line)."""
    def one() -> str:
        return draw(st.sampled_from(_SURNAMES)) + draw(st.text(alphabet=_GIVEN, min_size=1, max_size=2))

    names = [one() for _ in range(draw(st.integers(1, 2)))]
    text = draw(st.sampled_from(["、", "，", "\n"])).join(names)
    return text + draw(st.sampled_from(["", "", "同志", "（副市长）", "\n0538-6991234", "\n13800000000"]))


@st.composite
def person_column_tables(draw: st.DrawFn, *, max_tasks: int = 5, units: bool = True) -> PersonTable:
    """序号, 工作任务, 牵头单位 and (or not) 配合单位, with one to three columns naming people
    (:data:`PERSON_HEADINGS`) anywhere right of 序号; each person cell names people or is empty.
    With ``units=False`` the people are the only "who" of the table: no unit column, and (or not)
    a 完成时限 column."""
    people = draw(st.lists(st.sampled_from(PERSON_HEADINGS), min_size=1, max_size=3, unique=True))
    if units:
        header: list[str] = ["序号", "工作任务", "牵头单位", *(["配合单位"] if draw(st.booleans()) else [])]
    else:
        header = ["序号", "工作任务", *(["完成时限"] if draw(st.booleans()) else [])]
    for heading in people:
        header.insert(draw(st.integers(1, len(header))), heading)
    out = PersonTable([list(header)], [], [], [])
    stems = iter(draw(st.permutations(TASK_STEMS)))
    for n in range(1, draw(st.integers(1, max_tasks)) + 1):
        row: list[object] = []
        extra: list[tuple[str, str]] = []
        lead = draw(st.sampled_from(LEAD_UNITS))
        coop = draw(st.sampled_from(("", *(u for u in LEAD_UNITS if u != lead))))
        for heading in header:
            if heading == "序号":
                row.append(str(n))
            elif heading == "工作任务":
                row.append(next(stems) + "。")
            elif heading == "牵头单位":
                row.append(lead)
            elif heading == "配合单位":
                row.append(coop)
            elif heading == "完成时限":
                row.append(f"{2020 + n}年底前")
            else:
                text = draw(st.one_of(person_names(), st.just("")))
                row.append(text.split("\n") if "\n" in text else text)  # lines as paragraphs
                if text:
                    extra.append((heading, text))
        out.rows.append(row)
        out.leads.append([lead] if units else [])
        out.cooperating.append([coop] if coop and "配合单位" in header else [])
        out.extra.append(tuple(extra))
    return out


#: Unit headings spanning a second header row of what they list (责任主体 over 单位 | 责任人).
QUALIFIED_UNIT_HEADINGS = ("责任主体", "责任单位", "牵头单位", "责任部门", "主责单位")
#: Second-row headings naming what a unit heading lists: a body word, alone or with 名称.
QUALIFIER_SUBHEADINGS = ("单位", "部门", "单位名称", "处室", "科室")


class QualifiedTable(NamedTuple):
    """A table whose unit heading spans a sub-heading row (单位 | 责任人), and what it must read as."""

    rows: list[list[object]]
    units: list[list[str]]  # per task, the units as written
    role: Role
    extra: list[tuple[tuple[str, str], ...]]


@st.composite
def qualified_header_tables(draw: st.DrawFn, *, max_tasks: int = 4) -> QualifiedTable:
    """序号 | 工作任务 | a unit heading spanning a qualifier (单位) and a person heading (责任人), either
    first | (or not) 完成时限, the other headings' cells empty in the second row."""
    from tests.fixtures.layouts import C

    top = draw(st.sampled_from(QUALIFIED_UNIT_HEADINGS))
    qualifier = draw(st.sampled_from(QUALIFIER_SUBHEADINGS))
    person = draw(st.sampled_from(PERSON_HEADINGS[:6]))
    people_first = draw(st.booleans())
    deadline = draw(st.booleans())
    subs = [person, qualifier] if people_first else [qualifier, person]
    header: list[object] = ["序号", "工作任务", C(top, colspan=2), *(["完成时限"] if deadline else [])]
    second: list[object] = ["", "", *subs, *([""] if deadline else [])]
    rows: list[list[object]] = [header, second]
    units: list[list[str]] = []
    extra: list[tuple[tuple[str, str], ...]] = []
    stems = iter(draw(st.permutations(TASK_STEMS)))
    for n in range(1, draw(st.integers(1, max_tasks)) + 1):
        names = draw(st.lists(st.sampled_from(LEAD_UNITS), min_size=1, max_size=2, unique=True))
        who = draw(person_names())
        cells = [who.split("\n") if "\n" in who else who, "、".join(names)]
        rows.append([str(n), next(stems) + "。", *(cells if people_first else cells[::-1]),
                     *([f"{2020 + n}年底前"] if deadline else [])])
        units.append(names)
        extra.append(((f"{top}/{person}", who),))
    role = Role.LEAD if "牵头" in top else Role.RESPONSIBLE
    return QualifiedTable(rows, units, role, extra)


#: Labels naming people that paragraph-form plans write under a task (责任人：张三).
PERSON_LABELS = ("责任人", "联系人", "分管领导", "负责人", "联系电话", "责任领导")


class PersonLabelDoc(NamedTuple):
    """A paragraph-form plan whose tasks carry labelled lines naming people, and what it reads as."""

    lines: list[str]
    leads: list[list[str]]
    extra: list[tuple[tuple[str, str], ...]]  # per task, (label, value) in the document's label order
    epilogue: tuple[str, ...]


@st.composite
def person_label_docs(draw: st.DrawFn, *, max_tasks: int = 5) -> PersonLabelDoc:
    """一、重点任务 and numbered tasks, each with a 牵头单位： line and (or not) lines naming people
    (:data:`PERSON_LABELS`, in one order for the whole document), before or after the unit line; a
    closing paragraph and (or not) a contact line after it, which is prose, not a task's."""
    order = draw(st.lists(st.sampled_from(PERSON_LABELS), min_size=1, max_size=3, unique=True))
    lines = ["某某区2022年政务公开重点任务分工方案", "一、重点任务"]
    leads: list[list[str]] = []
    extra: list[tuple[tuple[str, str], ...]] = []
    stems = iter(draw(st.permutations(TASK_STEMS)))
    for n in range(1, draw(st.integers(1, max_tasks)) + 1):
        lead = draw(st.sampled_from(LEAD_UNITS))
        people: list[tuple[str, str]] = []
        for label in order:
            if draw(st.booleans()):
                name = draw(st.sampled_from(_SURNAMES)) + draw(st.text(alphabet=_GIVEN, min_size=1, max_size=2))
                people.append((label, name + draw(st.sampled_from(["", "（副区长）", " 0538-6991234", "、王伟"]))))
        labelled = [f"牵头单位：{lead}", *(f"{label}{draw(st.sampled_from(['：', ':']))}{value}"
                                         for label, value in people)]
        if people and draw(st.booleans()):  # the people first, then the unit line
            labelled = [*labelled[1:], labelled[0]]
        lines += [f"{n}.{next(stems)}。", *labelled]
        leads.append([lead])
        extra.append(tuple(people))
    epilogue: tuple[str, ...] = ()
    if draw(st.booleans()):
        epilogue = ("请各单位抓好落实，按时报送进展情况。", *(("联系人：王伟，联系电话：0538-6991234",)
                                                    if draw(st.booleans()) else ()))
    return PersonLabelDoc(lines + list(epilogue), leads, extra, epilogue)
