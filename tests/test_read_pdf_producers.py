"""PDFs from several producers read back: LibreOffice (tagged and untagged, from the Word file),
Chromium and WeasyPrint (printing the HTML LibreOffice writes of the Word file, as sites publish
it), Ghostscript re-distilling LibreOffice's PDF, and cairo drawing Chromium's PDF again (poppler's
pdftocairo, as Linux desktops print to a file: untagged, Type 3 fonts).

Two promises, each over generated plans (hypothesis) and hand-made long tables:

- the plan read from the PDF equals the plan read from the file the PDF was printed from, but for
  the documented full-line join of untagged PDFs (two paragraphs of a cell read as one);
- no task read is a fragment of a true task (a row cut by a page break read as two tasks) unless a
  ``ReadWarning`` says where the read was unsure.
"""

from __future__ import annotations

import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings

import zwgk
from tests.fixtures import pdfgen
from tests.strategies import realistic_plans
from tests.test_read_pdf import CASES, PINNED, _joined_only, key
from zwgk.errors import ReadWarning
from zwgk.model import Plan

pytest.importorskip("pypdfium2")

def _libreoffice(docx: Path, d: Path) -> tuple[Path, Path]:
    return pdfgen.to_pdf(docx, d), docx


def _libreoffice_tagged(docx: Path, d: Path) -> tuple[Path, Path]:
    return pdfgen.to_pdf(docx, d, tagged=True), docx


def _ghostscript(docx: Path, d: Path) -> tuple[Path, Path]:
    return pdfgen.gs_pdf(pdfgen.to_pdf(docx, d), d / "gs.pdf"), docx


def _chromium(docx: Path, d: Path) -> tuple[Path, Path]:
    html = pdfgen.to_html(docx, d)
    return pdfgen.chromium_pdf(html, d / "chromium.pdf"), html


def _weasyprint(docx: Path, d: Path) -> tuple[Path, Path]:
    html = pdfgen.to_html(docx, d)
    return pdfgen.weasyprint_pdf(html, d / "weasy.pdf"), html


def _cairo(docx: Path, d: Path) -> tuple[Path, Path]:
    pdf, html = _chromium(docx, d)
    return pdfgen.cairo_pdf(pdf, d / "cairo.pdf"), html


Producer = Callable[[Path, Path], tuple[Path, Path]]


PRODUCERS: dict[str, tuple[Producer, tuple[pytest.MarkDecorator, ...]]] = {
    "libreoffice": (_libreoffice, ()),
    "libreoffice-tagged": (_libreoffice_tagged, ()),
    "ghostscript": (_ghostscript, ()),
    "chromium": (_chromium, ()),
    "weasyprint": (_weasyprint, ()),
    "cairo": (_cairo, ()),
}


def _params() -> list[object]:
    return [pytest.param(name, id=name, marks=(*marks, pytest.mark.skipif(
                not pdfgen.producer_available(name), reason=f"{name} is not installed")))
            for name, (_, marks) in PRODUCERS.items()]


def _read(pdf: Path) -> tuple[Plan, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plan = zwgk.load(pdf)
    return plan, [str(w.message) for w in caught if issubclass(w.category, ReadWarning)]


def _same_but_joins(back: Plan, want: Plan) -> None:
    assert len(key(back)) == len(key(want)), [t.text[:20] for t in back.tasks]
    for got, wanted in zip(key(back), key(want), strict=True):
        assert all(_joined_only(g, w) for g, w in zip(got, wanted, strict=True)), (got, wanted)


def _fragments_are_said(back: Plan, want: Plan, said: list[str]) -> None:
    """Every task whose text is a proper piece of a true task's text comes with a warning."""
    truth = [t.text for t in want.tasks]
    pieces = [t.text for t in back.tasks if t.text not in truth and any(t.text in w for w in truth)]
    if pieces:
        assert any("page break may cut a row" in w for w in said), (pieces, said)


@pytest.mark.slow
@pytest.mark.parametrize("producer", _params())
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(plan=realistic_plans(max_tasks=8))
@example(plan=zwgk.load(PINNED["label-kept-whole"]))  # 规范依申请公开工作（1-0）: Pango wraps before （1-0）
# WeasyPrint moves the cells it centres over the page whole: a task left alone in the page's last row
@example(plan=zwgk.load(PINNED["task-alone-at-the-page-end"]))
@example(plan=zwgk.load(PINNED["task-alone-under-a-merged-label"]))  # a label merged down beside it
@example(plan=zwgk.load(PINNED["label-with-room-at-the-page-end"]))  # a fresh label under a merged one
# WeasyPrint draws a label merged over two rows one row deep on the page it starts on: the task
# beside its empty rest on the next page is a fresh row (a column of merged cells need not be filled)
@example(plan=zwgk.load(PINNED["task-under-a-label-drawn-one-row-deep"]))
# the first row on the next page spans the columns of two cells above: it cannot go on in them
@example(plan=zwgk.load(PINNED["row-not-lining-up-after-a-page-break"]))
@example(plan=zwgk.load(PINNED["label-cut-in-a-fresh-row"]))  # one row of a label on each page
# WeasyPrint moves labels merged over a row the page cuts to the next page whole, their top left empty
@example(plan=zwgk.load(PINNED["label-moved-over-the-page-in-a-cut-row"]))
# the same under a level-1 label merged on from above (its area's first cell empty): three levels
@example(plan=zwgk.load(PINNED["labels-moved-over-the-page-beside-an-empty-level"]))
def test_generated_plans_read_back_from_every_producer(plan: Plan, producer: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        docx = Path(d) / "plan.docx"
        zwgk.export(plan, "docx", docx)
        pdf, source = PRODUCERS[producer][0](docx, Path(d))
        want = zwgk.load(source)
        back, said = _read(pdf)
    _fragments_are_said(back, want, said)
    _same_but_joins(back, want)


@pytest.mark.slow
@pytest.mark.parametrize("producer", _params())
@pytest.mark.parametrize("case", ["portrait", "landscape"])
def test_long_tables_from_every_producer(producer: str, case: str, tmp_path: Path) -> None:
    """Merged categories and rows crossing several page breaks: no silent fragment, the same tasks."""
    docx = CASES[case](tmp_path / f"{case}.docx")
    pdf, source = PRODUCERS[producer][0](docx, tmp_path)
    want = zwgk.load(source)
    back, said = _read(pdf)
    _fragments_are_said(back, want, said)
    _same_but_joins(back, want)


#: Pinned plans each producer reads back exactly and without an unsure-row warning: the evidence
#: decides (the space between paragraphs, a repeated deadline, a serial left empty, a list closed by
#: 等 on the next page).
SURE = [
    ("paragraphs-spaced-apart", "weasyprint"),  # full lines before paragraphs set apart by a margin
    ("deadline-repeated-after-a-page-break", "weasyprint"),  # 2021年12月底前 then 2021年12月底前
    ("short-deadline-at-the-page-end", "weasyprint"),  # 长期坚持 at a narrow cell's edge, 6月底前 after it
    ("row-moved-over-whole", "weasyprint"),  # the page's last row left empty, its text all on the next
    ("task-under-a-label-drawn-one-row-deep", "weasyprint"),
    ("row-not-lining-up-after-a-page-break", "weasyprint"),
    ("serial-left-empty-after-a-page-break", "libreoffice"),  # the label cut, the task ended: 序号 decides
    ("list-closed-after-a-page-break", "libreoffice"),  # 市住房城乡建设局 then 等相关部门（单位）
    # the labels' top left empty at page 1's end, their text beside the cut row's rest on page 2
    ("label-moved-over-the-page-in-a-cut-row", "weasyprint"),
    ("task-alone-beside-wider-units", "weasyprint"),  # the header names the task column, not the widest
    ("task-alone-in-a-row-cut-short", "weasyprint"),  # the row cut right below its line: the page ended it
    ("digit-before-a-quote-wrapped-whole", "weasyprint"),  # 制工 / 0“好。: Pango breaks on neither side of “
    # a row moved over whole beside an empty 配合单位: 长期坚持 above left room for 6月底前 (the cells ended)
    ("fresh-row-beside-an-empty-column", "weasyprint"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "producer"), [pytest.param(n, p, id=f"{n}-{p}", marks=pytest.mark.skipif(
    not pdfgen.producer_available(p), reason=f"{p} is not installed")) for n, p in SURE])
def test_pinned_page_breaks_read_back_sure(name: str, producer: str, tmp_path: Path) -> None:
    docx = tmp_path / "plan.docx"
    zwgk.export(zwgk.load(PINNED[name]), "docx", docx)
    pdf, source = PRODUCERS[producer][0](docx, tmp_path)
    back, said = _read(pdf)
    assert key(back) == key(zwgk.load(source))
    assert not [w for w in said if "may cut" in w], said


@pytest.mark.slow
@pytest.mark.skipif(not pdfgen.producer_available("libreoffice"), reason="LibreOffice is not installed")
def test_a_label_cut_in_a_fresh_row_is_joined_and_said(tmp_path: Path) -> None:
    """A label cell one row deep on each page, cut mid-line, in a column of merged labels, while the
    serial numbers say the row is fresh: one label over both rows, with a warning (it may as well
    have ended with its row on the first page)."""
    docx = tmp_path / "plan.docx"
    zwgk.export(zwgk.load(PINNED["label-cut-in-a-fresh-row"]), "docx", docx)
    back, said = _read(pdfgen.to_pdf(docx))
    assert key(back) == key(zwgk.load(docx))
    assert any("may cut a merged cell" in w for w in said), said


#: Task paragraphs whose text ends at every place of a line (lengths one apart, more than a line's
#: characters in all): under any producer's line width one of them ends on a full line, and the next
#: task's paragraph starts on the next line without an indent.
_SENTENCE = "围绕群众关切的重点领域持续深化政务公开并及时发布权威信息做好政策解读和回应关切"


def _paragraph_form_docx(path: Path, tasks: int = 48) -> Path:
    """A paragraph-form 方案 (numbered task paragraphs under headings, units in a bracket at each
    end), its paragraphs set apart by a space after each (as Word's and WPS's default styles do)."""
    from tests.fixtures.docxgen import run, write_docx

    lines = ["某某市2023年政务公开工作要点任务分工方案", "一、工作目标",
             "到2023年底，全市政务公开标准化规范化水平明显提升。", "二、重点任务", "（一）推进决策公开"]
    for n in range(tasks):
        body = (_SENTENCE * 3)[: 40 + n]
        lines.append(f"{n + 1}.推进第{n + 1}项工作。{body}。（市财政局牵头，市审计局配合）")
        if n == tasks // 2:
            lines.append("（二）推进执行公开")
    lines += ["三、保障措施", "各级各部门要高度重视。"]
    spaced = '<w:pPr><w:spacing w:after="160"/><w:jc w:val="left"/></w:pPr>'
    return write_docx(path, "".join(f"<w:p>{spaced}{run(line)}</w:p>" for line in lines))


@pytest.mark.slow
@pytest.mark.parametrize("producer", _params())
def test_paragraph_form_from_every_producer(producer: str, tmp_path: Path) -> None:
    """A paragraph-form document whose paragraphs end on full lines reads back the same tasks from
    every producer: untagged, the space between paragraphs tells such an end from a wrap."""
    docx = _paragraph_form_docx(tmp_path / "list.docx")
    pdf, source = PRODUCERS[producer][0](docx, tmp_path)
    want = zwgk.load(source)
    back, said = _read(pdf)
    assert len(want.tasks) == 48 and said == []
    assert key(back) == key(want)
