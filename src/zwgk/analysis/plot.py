"""Plots of a plan with matplotlib (the ``plot`` extra), with Chinese labels that render.

Each function returns a matplotlib ``Figure`` made without pyplot (no global figure state: a
notebook shows it once, as the cell's value; ``fig.savefig("x.png")`` writes it). Labels use an
installed CJK font found by :func:`cjk_font`; when there is none a :class:`FontWarning` says once
which package to install, and Chinese text would show as boxes.
"""

from __future__ import annotations

import textwrap
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from zwgk.analysis._common import plan_label, roles_of
from zwgk.analysis._compare import REWORD_THRESHOLD, STATUSES, compare, compare_many
from zwgk.analysis._load import category_matrix, co_assignment, workload
from zwgk.errors import ZwgkError
from zwgk.model import Plan, Role

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["CJK_FONTS", "FontWarning", "cjk_font", "has_glyphs", "plot_categories", "plot_co_assignment",
           "plot_compare", "plot_trend", "plot_workload"]

#: Font families tried in order; the first installed one holding Chinese glyphs is used.
CJK_FONTS = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei", "Microsoft YaHei", "SimHei", "PingFang SC", "Hiragino Sans GB", "Heiti SC",
    "Noto Sans CJK JP", "Noto Sans CJK TC", "Source Han Sans", "Noto Serif CJK SC", "Source Han Serif SC",
    "AR PL UMing CN", "AR PL UKai CN", "Droid Sans Fallback", "Arial Unicode MS",
)
#: Characters a font must hold to count as a CJK font (a sample of the labels' script).
PROBE = "政务公开牵头单位"
#: What to install when no CJK font is found.
INSTALL_HINT = ("install a CJK font, e.g. `apt install fonts-noto-cjk` (Debian/Ubuntu), `dnf install "
                "google-noto-sans-cjk-fonts` (Fedora) or `brew install --cask font-noto-sans-cjk`")
#: Colours per role (lead, responsible, cooperating) and per comparison status.
ROLE_COLOURS = {Role.LEAD: "#c0392b", Role.RESPONSIBLE: "#2e86c1", Role.COOPERATING: "#95a5a6"}
STATUS_COLOURS = {"kept": "#95a5a6", "reworded": "#f39c12", "added": "#27ae60", "removed": "#c0392b"}
#: Heatmaps colour counts on a power scale (a square root): one very busy collective would otherwise
#: leave every other cell pale. Cells darker than DARK (0-1 on that scale) get white numbers.
GAMMA = 0.5
DARK = 0.6
#: Category headings are wrapped to this many characters per line on an axis.
WRAP = 9


class FontWarning(UserWarning):
    """No installed font can show Chinese text."""


def _mpl() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise ZwgkError('zwgk\'s plots need matplotlib: pip install matplotlib '
                        '(or, from a zwgk checkout, pip install ".[plot]")') from None
    return matplotlib


def has_glyphs(path: str, text: str = PROBE) -> bool:
    """True when the font file at ``path`` holds a glyph for every character of ``text``."""
    from matplotlib.ft2font import FT2Font

    try:
        font = FT2Font(path)
    except (OSError, RuntimeError, ValueError):
        return False
    return all(font.get_char_index(ord(ch)) != 0 for ch in text)


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The family name of an installed font that shows Chinese (``None``, with one warning, when there is none)."""
    _mpl()
    from matplotlib import font_manager

    by_name: dict[str, list[str]] = {}
    for entry in font_manager.fontManager.ttflist:
        by_name.setdefault(entry.name, []).append(entry.fname)
    candidates = [n for n in CJK_FONTS if n in by_name]
    candidates += sorted(n for n in by_name if "CJK" in n and n not in candidates)
    for name in candidates:
        if any(has_glyphs(path) for path in by_name[name]):
            return name
    warnings.warn(f"no installed font shows Chinese: labels will be boxes; {INSTALL_HINT}, then remove "
                  f"matplotlib's font cache (~/.cache/matplotlib)", FontWarning, stacklevel=3)
    return None


@contextmanager
def _style() -> Iterator[Any]:
    matplotlib = _mpl()
    from matplotlib.figure import Figure

    font = cjk_font()
    rc: dict[str, Any] = {"axes.unicode_minus": False, "figure.dpi": 100, "savefig.dpi": 100,
                          "axes.spines.top": False, "axes.spines.right": False}
    if font is not None:  # the family itself, not "sans-serif": a generic name is resolved when drawing
        rc["font.family"] = [font, "DejaVu Sans"]
    with matplotlib.rc_context(rc):
        yield Figure


def _title(plan: Plan) -> str:
    return plan.title or (str(plan.metadata.year) if plan.metadata.year else "")


def _heading(plan: Plan, what: str) -> str:
    """``标题：what``, or ``what`` alone when the plan has neither title nor year."""
    title = _title(plan)
    return f"{title}：{what}" if title else what


def _labels(plans: Sequence[Plan], fallback: Sequence[str]) -> list[str]:
    """Short names of plans on a figure: their years when they differ, else titles, else ``fallback``."""
    out = [plan_label(p, i, plans) for i, p in enumerate(plans)]
    return [fallback[i] if label.startswith("plan ") else label for i, label in enumerate(out)]


def plot_workload(plan: Plan, top: int = 20, roles: Any = None) -> Figure:
    """The ``top`` units by tasks, as horizontal bars stacked by role (largest at the top)."""
    rs = roles_of(roles)
    frame = workload(plan, roles=rs).head(top).iloc[::-1]
    with _style() as new_figure:
        fig = new_figure(figsize=(8, 0.32 * len(frame) + 1.4), layout="constrained")
        ax = fig.subplots()
        left = [0] * len(frame)
        for role in rs:
            values = list(frame[role.value])
            if not any(values):
                continue
            ax.barh(list(frame["unit"]), values, left=left, color=ROLE_COLOURS[role], label=role.label)
            left = [a + b for a, b in zip(left, values, strict=False)]
        for y, total in enumerate(frame["total"]):
            ax.text(left[y] + 0.5, y, str(total), va="center", fontsize=8)
        ax.set_xlabel("任务数（按角色堆叠；条末数字为该单位参与的任务总数，每项任务计一次）", fontsize=8)
        ax.set_title(_heading(plan, f"承担任务最多的 {len(frame)} 个单位"), fontsize=11)
        ax.legend(loc="lower right", frameon=False)
        ax.tick_params(axis="y", labelsize=9)
    figure: Figure = fig
    return figure


def _order(matrix: Any) -> list[int]:
    """An order of the units putting those often assigned together side by side.

    With scipy, hierarchical clustering (average linkage on 1 − Jaccard similarity, leaves in
    optimal order); without it, a greedy chain: start from the busiest unit, then repeatedly take
    the unit most similar to the last one placed.
    """
    import numpy as np

    counts = np.asarray(matrix, dtype=float)
    n = len(counts)
    if n < 3:
        return list(range(n))
    diag = np.diag(counts)
    union = diag[:, None] + diag[None, :] - counts
    similarity = np.divide(counts, union, out=np.zeros_like(counts), where=union > 0)
    try:
        from scipy.cluster import hierarchy  # type: ignore[import-untyped,unused-ignore]
        from scipy.spatial.distance import squareform  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        order = [int(np.argmax(diag))]
        left = set(range(n)) - set(order)
        while left:
            last = order[-1]
            nxt = max(left, key=lambda j: (similarity[last, j], diag[j], -j))
            order.append(nxt)
            left.remove(nxt)
        return order
    distance = 1.0 - similarity
    np.fill_diagonal(distance, 0.0)
    tree = hierarchy.linkage(squareform(distance, checks=False), method="average")
    return [int(i) for i in hierarchy.leaves_list(hierarchy.optimal_leaf_ordering(tree, squareform(distance,
                                                                                                   checks=False)))]


def plot_co_assignment(plan: Plan, top: int = 25, roles: Any = None) -> Figure:
    """A heatmap of how many tasks each pair of the ``top`` busiest units shares, clustered.

    The diagonal (each unit's own task count) is left blank so that it does not drown the pairs.
    """
    import numpy as np

    frame = co_assignment(plan, roles=roles).iloc[:top, :top]
    order = _order(frame.to_numpy())
    frame = frame.iloc[order, order]
    values = frame.to_numpy().astype(float)
    np.fill_diagonal(values, np.nan)
    names = list(frame.index)
    from matplotlib import colors

    with _style() as new_figure:
        size = 0.3 * len(names) + 2.2
        fig = new_figure(figsize=(size + 1.0, size), layout="constrained")
        ax = fig.subplots()
        norm = colors.PowerNorm(GAMMA, vmin=0, vmax=max(float(np.nanmax(values)) if len(names) > 1 else 1.0, 1.0))
        image = ax.imshow(np.ma.masked_invalid(values), cmap="YlOrRd", norm=norm)
        ax.set_xticks(range(len(names)), names, rotation=90, fontsize=8)
        ax.set_yticks(range(len(names)), names, fontsize=8)
        for i in range(len(names)):
            for j in range(len(names)):
                if i != j and values[i, j] > 0:
                    dark = norm(values[i, j]) > DARK
                    ax.text(j, i, int(values[i, j]), ha="center", va="center", fontsize=6,
                            color="white" if dark else "black")
        ax.spines[:].set_visible(False)
        fig.colorbar(image, ax=ax, shrink=0.6, label="共同承担的任务数")
        ax.set_title(_heading(plan, "单位两两共同承担的任务（按相似度聚类）"), fontsize=11)
    figure: Figure = fig
    return figure


def plot_categories(plan: Plan, level: int = 1, top: int = 20, roles: Any = None) -> Figure:
    """A heatmap of the ``top`` units' tasks in each category at ``level`` (each task counted once)."""
    frame = category_matrix(plan, level=level, roles=roles).head(top)
    labels = ["\n".join(textwrap.wrap(str(c), WRAP)) for c in frame.columns]
    values = frame.to_numpy()
    from matplotlib import colors

    with _style() as new_figure:
        fig = new_figure(figsize=(1.1 * len(labels) + 3, 0.33 * len(frame) + 2.2), layout="constrained")
        ax = fig.subplots()
        norm = colors.PowerNorm(GAMMA, vmin=0, vmax=max(float(values.max()) if values.size else 1.0, 1.0))
        image = ax.imshow(values, cmap="Blues", aspect="auto", norm=norm)
        ax.set_xticks(range(len(labels)), labels, fontsize=7)
        ax.xaxis.tick_top()
        ax.set_yticks(range(len(frame)), list(frame.index), fontsize=8)
        for i in range(values.shape[0]):
            for j in range(values.shape[1]):
                if values[i, j]:
                    ax.text(j, i, int(values[i, j]), ha="center", va="center", fontsize=7,
                            color="white" if norm(values[i, j]) > DARK else "black")
        ax.spines[:].set_visible(False)
        fig.colorbar(image, ax=ax, shrink=0.6, label="任务数")
        depth = "一二三四五"[level - 1] if level <= 5 else str(level)
        ax.set_title(_heading(plan, f"各单位任务在{depth}级类别中的分布"), fontsize=11)
    figure: Figure = fig
    return figure


def plot_compare(old: Plan, new: Plan, top: int = 20, *, lineage: bool = False) -> Figure:
    """Two panels: tasks kept, reworded, added and removed; the ``top`` units whose load changed most."""
    result = compare(old, new, lineage=lineage)
    counts = result.counts()
    units = result.units.head(top).iloc[::-1]
    label_old, label_new = _labels([old, new], ["上一版", "本版"])
    from matplotlib import ticker

    with _style() as new_figure:
        fig = new_figure(figsize=(11, 0.3 * max(len(units), 6) + 2), layout="constrained")
        left, right = fig.subplots(1, 2, width_ratios=(1, 2))
        names = {"kept": "保留", "reworded": "改写", "added": "新增", "removed": "删除"}
        bars = left.bar([names[s] for s in STATUSES], [counts[s] for s in STATUSES],
                        color=[STATUS_COLOURS[s] for s in STATUSES])
        left.bar_label(bars, fontsize=8)
        left.set_ylabel("任务数")
        left.set_title("任务", fontsize=10)
        for offset, role in zip((0.2, -0.2), (Role.LEAD, Role.RESPONSIBLE), strict=False):
            delta = units[f"new_{role.value}"] - units[f"old_{role.value}"]
            y = [i + offset for i in range(len(units))]
            right.barh(y, list(delta), height=0.4, color=ROLE_COLOURS[role], label=role.label)
        right.axvline(0, color="black", linewidth=0.8)
        right.xaxis.set_major_locator(ticker.MaxNLocator(integer=True))
        right.set_yticks(range(len(units)), list(units["unit"]), fontsize=8)
        right.set_xlabel("任务数的变化（新 − 旧）")
        right.set_title("承担任务有变化的单位", fontsize=10)
        if len(units):
            right.legend(loc="lower right", frameon=False, fontsize=8)
        mapped = f"；按机构改革对应 {len({m.old for m in result.lineage})} 个单位名称" if result.lineage else ""
        fig.suptitle(f"{label_old} → {label_new}：任务的增减与承担单位的变化{mapped}", fontsize=11)
    figure: Figure = fig
    return figure



def plot_trend(plans: Sequence[Plan], top: int = 10, *, lineage: bool = False, aliases: str | None = None,
               threshold: float = REWORD_THRESHOLD) -> Figure:
    """Several plans, oldest first: tasks kept, reworded, added and removed per plan (left) and the
    tasks of the ``top`` units busiest in the last plan, per plan (right). See :func:`compare_many`."""
    trend = compare_many(plans, threshold=threshold, lineage=lineage, aliases=aliases)
    labels = _labels(list(plans), [f"第{i + 1}版" for i in range(len(plans))])
    counts = trend.tasks.fillna(0)
    units = trend.units.head(top)
    names = {"kept": "保留", "reworded": "改写", "added": "新增", "removed": "删除"}
    with _style() as new_figure:
        fig = new_figure(figsize=(12, 5), layout="constrained")
        left, right = fig.subplots(1, 2)
        x = list(range(len(labels)))
        bottom = [0] * len(labels)
        for status in ("kept", "reworded", "added"):
            values = [int(v) for v in counts[status]]
            if status == "kept":  # the first plan has nothing before it: all its tasks are its own
                values[0] = int(counts["tasks"].iloc[0])
            left.bar(x, values, bottom=bottom, color=STATUS_COLOURS[status], label=names[status])
            bottom = [a + b for a, b in zip(bottom, values, strict=False)]
        removed = [-int(v) for v in counts["removed"]]
        left.bar(x, removed, color=STATUS_COLOURS["removed"], label=names["removed"])
        left.axhline(0, color="black", linewidth=0.8)
        left.set_xticks(x, labels)
        left.set_ylabel("任务数（删除的在零线以下）")
        left.set_title("每版任务：与上一版相比", fontsize=10)
        left.legend(loc="lower left", frameon=False, fontsize=8)
        for name, row in units.iterrows():
            right.plot(x, list(row), marker="o", label=str(name))
        right.set_xticks(x, labels)
        right.set_ylabel("任务数（每项任务计一次）")
        right.set_title(f"承担任务最多的 {len(units)} 个单位（按最后一版）", fontsize=10)
        right.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, fontsize=8)
        mapped = f"；按机构改革对应 {len({m.old for m in trend.lineage})} 个单位名称" if trend.lineage else ""
        fig.suptitle(f"{labels[0]} → {labels[-1]}：{len(labels)} 版任务分解表的变化{mapped}", fontsize=11)
    figure: Figure = fig
    return figure
