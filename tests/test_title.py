"""One title rule (``Metadata.title_of``) for the lines above a table and the prose before task paragraphs."""

from __future__ import annotations

from pathlib import Path

import pytest

import zwgk
from zwgk.model import Metadata

COVER_LETTER = [
    "泰安市人民政府办公室关于印发2021年全市政务公开工作要点任务分工的通知",
    "泰政办字〔2021〕3号",
    "各县（市、区）人民政府，市政府各部门，市直有关单位：",
    "现将《2021年全市政务公开工作要点任务分工》印发给你们，请认真贯彻落实。",
    "附件",
    "2021年全市政务公开工作要点任务分工",
]
TITLE = "2021年全市政务公开工作要点任务分工"
ROWS = [["序号", "工作任务", "牵头单位", "责任单位"], ["1", "加大宣传力度", "市委宣传部", "市财政局"],
        ["2", "规范公开目录", "市司法局", "市政府办公室"]]
TABLE = [line for row in ROWS for line in ("", *(f"\t{cell}" for cell in row))]  # the text form: a cell a line
PARAGRAPHS = ["1.加大宣传力度", "牵头单位：市委宣传部", "责任单位：市财政局", "2.规范公开目录", "牵头单位：市司法局",
              "责任单位：市政府办公室"]


@pytest.mark.parametrize("body", [TABLE, PARAGRAPHS], ids=["table", "paragraphs"])
def test_a_cover_letter_above_the_tasks_gives_the_same_title(tmp_path: Path, body: list[str]) -> None:
    # The rule that won: the last title-like line naming a task breakdown. A table's preamble used to
    # give its longest line, here the cover letter's sentence, while task paragraphs gave this title.
    path = tmp_path / "plan.txt"
    path.write_text("\n".join([*COVER_LETTER, *body]) + "\n", encoding="utf-8")
    plan = zwgk.load(path)
    assert len(plan.tasks) == 2
    assert plan.title == TITLE and plan.metadata.year == 2021
    assert plan.preamble == tuple(COVER_LETTER)  # the other lines stay in the preamble


def test_what_is_not_a_title() -> None:
    assert Metadata.title_of(["附件1：", "一、总体要求", "各有关单位：", "2021年3月1日"]) is None
    assert Metadata.title_of(["附件2", "泰安市政务公开工作台账"]) == "泰安市政务公开工作台账"
    assert Metadata.title_of(["某某市", "某某市政务公开"]) == "某某市政务公开"  # none named: the longest
    assert Metadata.title_of(["x" * 81]) is None  # a line that long is prose


@pytest.mark.parametrize(("title", "region", "year", "level"), [
    ("２０２３年宁阳县政务公开工作要点责任分解表", "宁阳县", 2023, "县"),  # full-width digits
    ("二〇二三年东平县政务公开工作任务分解表", "东平县", 2023, "县"),  # the year in Chinese numerals
    ("二零二二年某某市政务公开重点工作任务分工", "某某市", 2022, "市"),
    ("关于印发《泰安市2023年政务公开工作要点》任务分解表的通知", "泰安市", 2023, "市"),  # the title it quotes
    ("泰安市人民政府办公室关于印发《2023年政务公开工作要点》的通知", "泰安市", 2023, "市"),  # its issuer first
])
def test_titles_written_other_ways_give_the_same_metadata(title: str, region: str, year: int, level: str) -> None:
    assert Metadata.from_title(title) == Metadata(region=region, year=year, level=level)
