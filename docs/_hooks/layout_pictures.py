"""Draw the pictures of docs/layouts.md: each layout as a small Word table, rendered to PNG.

Run from the repository root (needs LibreOffice's ``soffice`` and poppler's ``pdftoppm``)::

    python docs/_hooks/layout_pictures.py

Each layout is written with the same fixture writer as ``tests/test_layouts.py`` and read back with
``zwgk.load`` before it is drawn, so every picture shows a table zwgk reads.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

import docx as docx_module  # noqa: E402
from PIL import Image, ImageChops  # noqa: E402

import zwgk  # noqa: E402
from tests.fixtures.layouts import C, Spec, write_docx  # noqa: E402

OUT = ROOT / "docs" / "img"
TITLE = "2021年泰安市政务公开工作要点任务分解表"
DPI = 90  # small pictures: a few kilobytes each, text still legible
MARGIN = 8  # pixels of white kept around the trimmed table

LAYOUTS: dict[str, Spec] = {
    "columns": [
        ["一级任务", "二级任务", "具体任务", "牵头单位", "责任单位"],
        [C("推进决策公开", rowspan=3), C("决策预公开", rowspan=2), "制定发布重大行政决策事项目录。", "市司法局",
         "各县（市、区）"],
        ["公开征求意见。", "市政府办公室", "市政府各部门（单位）"],
        ["执行公开", "公开执行情况。", "市财政局", "市审计局"],
    ],
    "heading-rows": [
        ["序号", "工作任务", "牵头单位", "责任单位"],
        [C("一、推进决策公开", colspan=4)],
        [C("（一）决策预公开", colspan=4)],
        ["1", "制定发布重大行政决策事项目录。", "市司法局", "各县（市、区）"],
        [C("（二）执行公开", colspan=4)],
        ["2", "公开执行情况。", "市财政局", "市审计局"],
    ],
    "requirement-column": [
        ["工作任务", "工作要求", "牵头单位", "配合单位"],
        ["1.决策预公开", "制定发布重大行政决策事项目录。", "市司法局", "各县（市、区）"],
        ["2.执行公开", "公开执行情况。", "市财政局", "市审计局"],
    ],
    "three-levels": [
        ["一级任务", "二级任务", "三级任务", "具体任务", "牵头单位"],
        [C("推进决策公开", rowspan=2), C("决策预公开", rowspan=2), "目录管理", "制定发布决策事项目录。", "市司法局"],
        ["征求意见", "公开征求意见。", "市政府办公室"],
        ["推进管理公开", C("公开行政执法信息。", colspan=3), "市司法局"],
    ],
    "two-row-header": [
        [C("序号", rowspan=2), C("工作任务", rowspan=2), C("责任单位", colspan=2), C("完成时限", rowspan=2)],
        ["牵头单位", "配合单位"],
        ["1", "制定发布重大行政决策事项目录。", "市司法局", "各县（市、区）", "2021年6月底前"],
        ["2", "公开执行情况。", "市财政局", "市审计局", "长期坚持"],
    ],
}


def main() -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, rows in LAYOUTS.items():
            docx = write_docx(Path(tmp) / f"{name}.docx", TITLE, rows)
            plan = zwgk.load(docx)
            document = docx_module.Document(str(docx))
            for table in document.tables:
                table.style = "Table Grid"  # draw the cell borders
            document.save(str(docx))
            print(name, len(plan.tasks), "tasks", [t.path for t in plan.tasks])
            subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", tmp, str(docx)],
                           check=True, capture_output=True)
            png = OUT / f"layout-{name}"
            subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", "1", "-l", "1", "-singlefile",
                            str(Path(tmp) / f"{name}.pdf"), str(png)], check=True)
            _trim(png.with_suffix(".png"))
            print(png.with_suffix(".png"))


def _trim(path: Path) -> None:
    """Cut the white page around the text, keeping a small margin."""
    image = Image.open(path).convert("L")
    box = ImageChops.invert(image).getbbox()
    if box is not None:
        left, top, right, bottom = box
        image = image.crop((max(left - MARGIN, 0), max(top - MARGIN, 0), right + MARGIN, bottom + MARGIN))
    image.save(path, optimize=True)


if __name__ == "__main__":
    main()
