"""The HTML report: one self-contained page for a plan (the ``html`` exporter) or for a diff.

The page needs no network: the CSS and the script are inline, the workload chart is SVG drawn
here, the data is in the page as JSON (``<script type="application/json" id="zwgk-data">``) and a
Content-Security-Policy forbids loading anything else. Chinese text uses the system's CJK fonts
(``CJK_FONT_STACK``). The task table sorts by any column (click its heading) and filters by unit,
role, category and text; a plan's findings (``zwgk.validate``) stand beside their tasks; a diff
shows each reworded text with its changes marked character by character.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from html import escape
from typing import Any, BinaryIO

from zwgk._api import validate
from zwgk._diff import ChangeKind, PlanDiff
from zwgk.exporters import Exporter
from zwgk.hookspecs import hookimpl
from zwgk.model import Plan, Role, Task

__all__ = ["CJK_FONT_STACK", "diff_page", "plan_page", "write_diff_report", "write_report"]

#: Fonts tried for the page, CJK fonts of Linux, macOS and Windows first.
CJK_FONT_STACK = ('"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "PingFang SC", '
                  '"Hiragino Sans GB", "Microsoft YaHei", "SimHei", sans-serif')
#: Colours per role (lead, responsible, cooperating), as in the matplotlib plots.
ROLE_COLOURS = {Role.LEAD: "#c0392b", Role.RESPONSIBLE: "#2e86c1", Role.COOPERATING: "#95a5a6"}
#: Height of one bar of the workload chart and the width given to the unit names (pixels).
BAR_HEIGHT = 18
LABEL_WIDTH = 220
CHART_WIDTH = 760
KIND_LABELS = {"added": "新增", "removed": "删除", "changed": "变化", "unchanged": "未变"}

_CSS = """
:root { --line: #d0d7de; --muted: #57606a; }
* { box-sizing: border-box; }
body { font-family: FONTS; margin: 0 auto; max-width: 1200px; padding: 1.5rem; color: #1f2328;
       line-height: 1.5; }
h1 { font-size: 1.5rem; margin: 0 0 .5rem; } h2 { font-size: 1.15rem; margin: 2rem 0 .5rem; }
.summary { display: flex; flex-wrap: wrap; gap: .75rem; margin: 1rem 0; padding: 0; list-style: none; }
.summary li { border: 1px solid var(--line); border-radius: 6px; padding: .4rem .8rem; }
.summary b { font-size: 1.2rem; margin-right: .25rem; }
.muted { color: var(--muted); font-size: .9rem; }
svg text { font-family: FONTS; font-size: 12px; }
.filters { display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; margin: .5rem 0; }
.filters label { font-size: .9rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { border: 1px solid var(--line); padding: .3rem .45rem; vertical-align: top; text-align: left; }
th { background: #f6f8fa; cursor: pointer; user-select: none; position: sticky; top: 0; white-space: nowrap; }
th[aria-sort="ascending"]::after { content: " ▲"; } th[aria-sort="descending"]::after { content: " ▼"; }
td.num { text-align: right; white-space: nowrap; }
tr.hidden { display: none; }
ul.findings { margin: 0; padding-left: 1rem; }
.sev-error { color: #b42318; } .sev-warning { color: #9a6700; } .sev-info { color: var(--muted); }
del { background: #ffebe9; color: #82071e; } ins { background: #dafbe1; color: #116329; text-decoration: none; }
.kind-added { border-left: 4px solid #27ae60; } .kind-removed { border-left: 4px solid #c0392b; }
.kind-changed { border-left: 4px solid #f39c12; }
"""

_SCRIPT = """
(function () {
  const table = document.getElementById("tasks");
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const count = document.getElementById("shown");
  const filters = Array.from(document.querySelectorAll("[data-filter]"));
  function value(name) {
    const el = filters.find(function (f) { return f.dataset.filter === name; });
    return el ? el.value : "";
  }
  function apply() {
    const unit = value("unit"), role = value("role"), category = value("category"), kind = value("kind");
    const text = value("text").trim();
    let shown = 0;
    rows.forEach(function (row) {
      const roles = role ? [role] : ["lead", "responsible", "cooperating"];
      const names = [];
      roles.forEach(function (r) {
        const cell = row.dataset[r];
        if (cell) { cell.split("\\u001f").forEach(function (n) { names.push(n); }); }
      });
      let ok = unit ? names.indexOf(unit) >= 0 : (role ? names.length > 0 : true);
      if (ok && category) { ok = row.dataset.category === category; }
      if (ok && kind) { ok = row.dataset.kind === kind; }
      if (ok && text) { ok = row.textContent.indexOf(text) >= 0; }
      row.classList.toggle("hidden", !ok);
      if (ok) { shown += 1; }
    });
    count.textContent = String(shown);
  }
  filters.forEach(function (f) { f.addEventListener("input", apply); });
  const collator = new Intl.Collator("zh-Hans-CN", {numeric: true});
  Array.from(table.tHead.rows[0].cells).forEach(function (th, column) {
    th.addEventListener("click", function () {
      const ascending = th.getAttribute("aria-sort") !== "ascending";
      Array.from(table.tHead.rows[0].cells).forEach(function (c) { c.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const key = function (row) {
        const cell = row.cells[column];
        return cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent;
      };
      const numeric = rows.every(function (r) { const k = key(r); return k === "" || !isNaN(Number(k)); });
      rows.sort(function (a, b) {
        const x = key(a), y = key(b);
        let d;
        if (numeric) { d = (x === "" ? Infinity : Number(x)) - (y === "" ? Infinity : Number(y)); }
        else { d = collator.compare(x, y); }
        return ascending ? d : -d;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  apply();
})();
"""

_SEP = "\u001f"  # between unit names in a row's data attributes (no unit name holds it)


def _json_for_html(data: Any) -> str:
    """JSON that cannot end the ``<script>`` element it stands in."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _page(title: str, body: Iterable[str], data: dict[str, Any]) -> str:
    css = _CSS.replace("FONTS", CJK_FONT_STACK)
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">",
        f"<title>{escape(title)}</title>",
        f"<style>{css}</style>",
        "</head>",
        "<body>",
        *body,
        f'<script type="application/json" id="zwgk-data">{_json_for_html(data)}</script>',
        f"<script>{_SCRIPT}</script>",
        "</body>",
        "</html>",
        "",
    ])


def _task_data(t: Task) -> dict[str, Any]:
    """A task's data in the page: every field it holds (units by canonical name, and as written)."""
    return {"id": t.id, "path": list(t.path), "serial": t.serial, "text": t.text, "requirement": t.requirement,
            "deadline": t.deadline, "notes": t.notes, **{r.value: [u.name for u in t.units(r)] for r in Role},
            "as_written": {r.value: [u.as_written for u in t.units(r)] for r in Role},
            "unit_notes": [{"name": u.name, "note": u.note} for u in t.units() if u.note is not None],
            "open_roles": [r.value for r in Role if t.is_open(r)],
            "extra": [[header, text] for header, text in t.extra],
            "row": t.source.row if t.source else None}


def _workload(plan: Plan) -> list[dict[str, Any]]:
    """Tasks per unit and role, and in total (each task once), busiest first, then by first mention."""
    work = plan.workload()
    totals: Counter[str] = Counter()
    for t in plan.tasks:
        totals.update({u.name for u in t.units()})
    order = {name: i for i, name in enumerate(work)}
    names = sorted(work, key=lambda n: (-totals[n], order[n]))
    return [{"unit": n, **{r.value: work[n][r] for r in Role}, "total": totals[n]} for n in names]


def _chart(rows: Sequence[dict[str, Any]]) -> str:
    """Horizontal bars stacked by role, one bar (a ``<g class="bar">``) per unit."""
    if not rows:
        return '<p class="muted">No unit is named.</p>'
    most = max(sum(r[role.value] for role in Role) for r in rows) or 1
    scale = (CHART_WIDTH - LABEL_WIDTH - 60) / most
    height = BAR_HEIGHT * len(rows) + 30
    out = [f'<svg id="workload" role="img" width="{CHART_WIDTH}" height="{height}" '
           f'viewBox="0 0 {CHART_WIDTH} {height}" xmlns="http://www.w3.org/2000/svg">',
           "<title>承担任务的单位：按角色堆叠的任务数</title>"]
    for i, r in enumerate(rows):
        y = i * BAR_HEIGHT
        out.append(f'<g class="bar" data-unit="{escape(r["unit"])}" data-total="{r["total"]}">')
        out.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR_HEIGHT - 5}" text-anchor="end">'
                   f'{escape(r["unit"])}</text>')
        x = float(LABEL_WIDTH)
        for role in Role:
            n = r[role.value]
            if n:
                w = n * scale
                out.append(f'<rect x="{x:.1f}" y="{y + 2}" width="{w:.1f}" height="{BAR_HEIGHT - 4}" '
                           f'fill="{ROLE_COLOURS[role]}" data-role="{role.value}"><title>{escape(r["unit"])} '
                           f'{role.label} {n}</title></rect>')
                x += w
        out.append(f'<text x="{x + 4:.1f}" y="{y + BAR_HEIGHT - 5}" class="total">{r["total"]}</text>')
        out.append("</g>")
    legend_y = BAR_HEIGHT * len(rows) + 18
    x = LABEL_WIDTH
    for role in Role:
        out.append(f'<rect x="{x}" y="{legend_y - 10}" width="12" height="12" fill="{ROLE_COLOURS[role]}"/>'
                   f'<text x="{x + 16}" y="{legend_y}">{role.label}</text>')
        x += 110
    out.append("</svg>")
    return "\n".join(out)


def _options(values: Iterable[str]) -> str:
    return "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in values)


def _filters(units: Iterable[str], categories: Iterable[str], kinds: Iterable[str] = ()) -> str:
    roles = "".join(f'<option value="{r.value}">{r.label}</option>' for r in Role)
    kind = (f'<label>变化 <select data-filter="kind"><option value="">全部</option>'
            f'{"".join(f"<option value={k!r}>{KIND_LABELS[k]}</option>" for k in kinds)}</select></label>'
            if kinds else "")
    return ('<div class="filters">'
            f'<label>单位 <select data-filter="unit"><option value="">全部</option>{_options(units)}</select></label>'
            f'<label>角色 <select data-filter="role"><option value="">任一</option>{roles}</select></label>'
            f'<label>类别 <select data-filter="category"><option value="">全部</option>{_options(categories)}'
            f"</select></label>{kind}"
            '<label>文字 <input type="search" data-filter="text" placeholder="任务中的文字"></label>'
            '<span class="muted">显示 <span id="shown"></span> 项</span></div>')


def _units_attrs(task: Task | None, other: Task | None = None) -> str:
    out = []
    for role in Role:
        names = dict.fromkeys([*(u.name for u in (task.units(role) if task else ())),
                               *(u.name for u in (other.units(role) if other else ()))])
        out.append(f'data-{role.value}="{escape(_SEP.join(names))}"')
    return " ".join(out)


def _names(task: Task | None, role: Role) -> str:
    return escape("、".join(u.name for u in task.units(role))) if task else ""


def plan_page(plan: Plan, *, findings: bool = True, source: str | None = None) -> str:
    """The report of one plan as an HTML page (see the module docstring)."""
    title = plan.title or source or plan.source or "任务分解表"
    report = validate(plan) if findings else None
    by_task: dict[str, list[int]] = {}
    found = list(report.findings) if report is not None else []
    for k, f in enumerate(found):
        if f.task_id:
            by_task.setdefault(f.task_id, []).append(k)
    work = _workload(plan)
    categories = list(dict.fromkeys(t.path[0] for t in plan.tasks if t.path))
    severities = Counter(f.severity.value for f in found)
    summary = [f"<li><b>{len(plan.tasks)}</b>项任务</li>", f"<li><b>{len(work)}</b>个单位</li>",
               f"<li><b>{len(categories)}</b>个一级类别</li>"]
    if report is not None:
        summary.append(f"<li><b>{len(found)}</b>个问题（错误 {severities.get('error', 0)}，"
                       f"警告 {severities.get('warning', 0)}，提示 {severities.get('info', 0)}）</li>")
    head = ['<th data-key="n">序</th>', "<th>类别</th>", "<th>任务</th>",
            *(f"<th>{r.label}</th>" for r in Role), "<th>完成时限</th>", "<th>问题</th>"]
    rows = []
    for n, t in enumerate(plan.tasks, start=1):
        notes = "".join(f'<li class="sev-{found[k].severity.value}">{escape(found[k].code)} '
                        f"{escape(found[k].message)}</li>" for k in by_task.get(t.id, ()))
        text = escape(t.text) + (f'<div class="muted">{escape(t.requirement)}</div>' if t.requirement else "")
        rows.append(
            f'<tr data-id="{escape(t.id)}" data-category="{escape(t.path[0]) if t.path else ""}" {_units_attrs(t)}>'
            f'<td class="num" data-sort="{n}">{escape(t.serial or str(n))}</td>'
            f"<td>{escape(' / '.join(t.path))}</td><td>{text}</td>"
            + "".join(f"<td>{_names(t, r)}</td>" for r in Role)
            + f"<td>{escape(t.deadline or '')}</td>"
            + f'<td data-sort="{len(by_task.get(t.id, ()))}">'
            + (f'<ul class="findings">{notes}</ul>' if notes else "") + "</td></tr>")
    general = [f for f in found if not f.task_id]
    body = [f"<h1>{escape(title)}</h1>",
            f'<p class="muted">{escape(source or plan.source or "")}</p>' if (source or plan.source) else "",
            f'<ul class="summary">{"".join(summary)}</ul>',
            "<h2>各单位承担的任务（按角色）</h2>",
            '<p class="muted">条末数字为该单位参与的任务总数，每项任务计一次。</p>',
            _chart(work)]
    if general:
        body += ["<h2>涉及整张表的问题</h2>", '<ul class="findings">'
                 + "".join(f'<li class="sev-{f.severity.value}">{escape(f.code)} {escape(f.message)}</li>'
                           for f in general) + "</ul>"]
    body += ["<h2>任务</h2>", _filters([w["unit"] for w in work], categories),
             f'<table id="tasks"><thead><tr>{"".join(head)}</tr></thead><tbody>{"".join(rows)}</tbody></table>']
    if plan.category_notes:  # the sentence each category heading introduces its tasks with
        body += ["<h2>类别说明</h2>", '<dl class="notes">' + "".join(
            f"<dt>{escape(' / '.join(n.path))}</dt><dd>{escape(n.text)}</dd>" for n in plan.category_notes) + "</dl>"]
    meta = plan.metadata
    data = {"kind": "plan", "title": plan.title, "source": source or plan.source,
            "metadata": {"region": meta.region, "year": meta.year, "level": meta.level, "issuer": meta.issuer},
            "preamble": list(plan.preamble), "epilogue": list(plan.epilogue),
            "tasks": [_task_data(t) for t in plan.tasks], "workload": work,
            "category_notes": [{"path": list(n.path), "text": n.text} for n in plan.category_notes],
            "findings": [{"code": f.code, "slug": f.slug, "severity": f.severity.value, "message": f.message,
                          "task_id": f.task_id, "units": list(f.units), "hint": f.hint} for f in found]}
    return _page(title, body, data)


def _marked_html(runs: Iterable[tuple[str, str]]) -> str:
    tags = {"=": "{}", "-": "<del>{}</del>", "+": "<ins>{}</ins>"}
    return "".join(tags[op].format(escape(text)) for op, text in runs)


def diff_page(old: Plan, new: Plan, result: PlanDiff, *, old_name: str = "旧", new_name: str = "新") -> str:
    """The report of a :func:`zwgk.diff` as an HTML page: counts, then each change, text changes marked."""
    titled = old.title and new.title and old.title != new.title
    title = f"{old.title} → {new.title}" if titled else f"{old_name} → {new_name}"
    shown = [c for c in result if c.kind is not ChangeKind.UNCHANGED]
    counts = result.counts()
    summary = "".join(f"<li><b>{counts[k.value]}</b>{KIND_LABELS[k.value]}</li>" for k in ChangeKind)
    units = list(dict.fromkeys(u.name for c in shown for t in (c.new, c.old) if t for u in t.units()))
    categories = list(dict.fromkeys(t.path[0] for c in shown for t in (c.new, c.old) if t and t.path))
    head = ["<th>序</th>", "<th>变化</th>", "<th>类别</th>", "<th>任务（标出改动的文字）</th>",
            "<th>改动的字段</th>", *(f"<th>{r.label}</th>" for r in Role), "<th>相似度</th>"]
    rows = []
    for n, c in enumerate(shown, start=1):
        task = c.new or c.old
        assert task is not None
        text = _marked_html(c.text_diff()) if c.kind is not ChangeKind.CHANGED or "text" in c.fields \
            else escape(task.text)
        path = " / ".join(task.path)
        if c.old and c.new and c.old.path != c.new.path:
            path = f"<del>{escape(' / '.join(c.old.path))}</del><br><ins>{escape(' / '.join(c.new.path))}</ins>"
        else:
            path = escape(path)
        role_cells = []
        for r in Role:
            if c.kind is ChangeKind.CHANGED:
                kept = [u.name for u in c.new.units(r) if u.name not in c.units_gained(r)] if c.new else []
                parts = [escape(n) for n in kept] + [f"<ins>{escape(n)}</ins>" for n in c.units_gained(r)] \
                    + [f"<del>{escape(n)}</del>" for n in c.units_lost(r)]
                role_cells.append("、".join(parts))
            else:
                role_cells.append(_names(task, r))
        rows.append(
            f'<tr class="kind-{c.kind.value}" data-kind="{c.kind.value}" '
            f'data-category="{escape(task.path[0]) if task.path else ""}" {_units_attrs(c.old, c.new)}>'
            f'<td class="num" data-sort="{n}">{n}</td><td>{KIND_LABELS[c.kind.value]}</td><td>{path}</td>'
            f"<td>{text}</td><td>{escape(', '.join(c.fields))}</td>"
            + "".join(f"<td>{cell}</td>" for cell in role_cells)
            + (f'<td class="num">{c.similarity:.2f}</td></tr>' if c.kind is ChangeKind.CHANGED
               else '<td class="num" data-sort=""></td></tr>'))
    body = [f"<h1>{escape(title)}</h1>",
            f'<p class="muted">{escape(old_name)} → {escape(new_name)}；相似度不低于 {result.threshold} '
            f"的两项任务视为同一任务的改写。</p>",
            f'<ul class="summary">{summary}</ul>',
            "<h2>变化</h2>", _filters(units, categories, [k.value for k in ChangeKind if k.value != "unchanged"]),
            f'<table id="tasks"><thead><tr>{"".join(head)}</tr></thead><tbody>{"".join(rows)}</tbody></table>']
    if result.notes:  # the categories' notes that were added, removed or reworded
        items = "".join(
            f"<li>{escape(' / '.join(n.path))}："
            + (f"<del>{escape(n.old)}</del>" if n.old is not None else "")
            + (f"<ins>{escape(n.new)}</ins>" if n.new is not None else "") + "</li>"
            for n in result.notes)
        body += ["<h2>类别说明的变化</h2>", f'<ul class="notes">{items}</ul>']
    data = {"kind": "diff", "old": old_name, "new": new_name, "counts": counts, "threshold": result.threshold,
            "changes": [{"kind": c.kind.value, "fields": list(c.fields), "similarity": round(c.similarity, 3),
                         "old": _task_data(c.old) if c.old else None, "new": _task_data(c.new) if c.new else None,
                         "text_diff": [list(run) for run in c.text_diff()]} for c in shown],
            "category_notes": [{"path": list(n.path), "old": n.old, "new": n.new} for n in result.notes]}
    return _page(title, body, data)


def write_report(plan: Plan, stream: BinaryIO, *, findings: bool = True) -> None:
    """Write the plan's HTML report; ``findings=False`` leaves out the checks of ``zwgk.validate``."""
    stream.write(plan_page(plan, findings=findings).encode("utf-8"))


def write_diff_report(old: Plan, new: Plan, result: PlanDiff, stream: BinaryIO, *, old_name: str = "旧",
                      new_name: str = "新") -> None:
    """Write the HTML report of a diff."""
    stream.write(diff_page(old, new, result, old_name=old_name, new_name=new_name).encode("utf-8"))


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    register(Exporter("html", (".html", ".htm"), write_report,
                      "HTML report: one self-contained page with a workload chart, a sortable and filterable "
                      "task table and the findings beside their tasks"))
