"""The plots: they draw from the sample, and their Chinese labels use a font that holds the glyphs."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from zwgk.model import Plan

pytest.importorskip("pandas")
matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from zwgk import analysis  # noqa: E402
from zwgk.analysis import plot  # noqa: E402

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_the_resolved_font_holds_chinese_glyphs() -> None:
    from matplotlib import font_manager

    name = plot.cjk_font()
    assert name is not None, f"no CJK font: {plot.INSTALL_HINT}"
    path = font_manager.findfont(font_manager.FontProperties(family=name), fallback_to_default=False)
    assert plot.has_glyphs(path, "政务公开牵头单位各县（市、区）市卫生健康委")
    assert not plot.has_glyphs(font_manager.findfont("DejaVu Sans"), "政务")


def test_plots_render_without_missing_glyphs(sample: Plan, tmp_path: Path) -> None:
    import matplotlib.pyplot as plt

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)" for tofu
        figures = [analysis.plot_workload(sample), analysis.plot_co_assignment(sample, top=12),
                   analysis.plot_categories(sample), analysis.plot_compare(sample, sample)]
        for i, fig in enumerate(figures):
            fig.savefig(tmp_path / f"{i}.png")
            plt.close(fig)
    labels = [t.get_text() for t in figures[0].axes[0].get_yticklabels()]
    assert labels[-1] == "各县（市、区）" and len(labels) == 20
    assert all((tmp_path / f"{i}.png").stat().st_size > 10_000 for i in range(4))


def test_missing_font_warns_once_naming_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    plot.cjk_font.cache_clear()
    monkeypatch.setattr(plot, "CJK_FONTS", ())
    monkeypatch.setattr(plot, "has_glyphs", lambda path, text=plot.PROBE: False)
    try:
        with pytest.warns(plot.FontWarning, match="fonts-noto-cjk"):
            assert plot.cjk_font() is None
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert plot.cjk_font() is None  # said once
    finally:
        plot.cjk_font.cache_clear()


def test_clustered_order_puts_units_working_together_side_by_side() -> None:
    import numpy as np

    # two groups, {0, 2} and {1, 3}, that never share a task with the other group
    counts = np.array([[5, 0, 4, 0], [0, 6, 0, 5], [4, 0, 4, 0], [0, 5, 0, 5]])
    order = plot._order(counts)
    assert sorted(order) == [0, 1, 2, 3]
    position = {u: i for i, u in enumerate(order)}
    assert abs(position[0] - position[2]) == 1 and abs(position[1] - position[3]) == 1
