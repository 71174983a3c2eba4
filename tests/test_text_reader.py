"""The text-form reader: tolerance of real-world noise, and clear errors on bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

import zwgk
from zwgk.errors import LayoutError, ParseError, UnsupportedFormatError, ZwgkError
from zwgk.model import Plan

HEADER = "\t工作任务\n\t牵头单位\n\t责任单位\n\n"


def write(tmp_path: Path, text: str | bytes, name: str = "t.txt") -> Path:
    p = tmp_path / name
    if isinstance(text, str):
        p.write_text(text, encoding="utf-8")
    else:
        p.write_bytes(text)
    return p


def test_bom_crlf_trailing_spaces_and_tabs(sample: Plan, sample_path: Path, tmp_path: Path) -> None:
    raw = sample_path.read_text(encoding="utf-8")
    noisy = "\ufeff" + "\r\n".join(
        line + ("  " if line.strip() else "") + ("\t" if line.startswith("\t") and i % 3 == 0 else "")
        for i, line in enumerate(raw.split("\n"))
    )
    noisy = noisy.replace("\r\n\r\n", "\r\n   \r\n", 5)  # blank lines holding spaces
    plan = zwgk.load(write(tmp_path, noisy))
    assert plan == sample


def test_gb18030_file_is_read(sample: Plan, sample_path: Path, tmp_path: Path) -> None:
    data = sample_path.read_text(encoding="utf-8").encode("gb18030")
    assert zwgk.load(write(tmp_path, data)) == sample


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="empty") as e:
        zwgk.load(write(tmp_path, ""))
    assert "t.txt" in str(e.value)
    with pytest.raises(ParseError, match="empty"):
        zwgk.load(write(tmp_path, " \n\n \t\n", "blank.txt"))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="no such file"):
        zwgk.load(tmp_path / "absent.txt")


def test_binary_file(tmp_path: Path) -> None:
    blob = bytes(range(256)) * 8
    with pytest.raises(ParseError, match="binary"):
        zwgk.load(write(tmp_path, blob))
    with pytest.raises(UnsupportedFormatError, match="cannot tell the format"):
        zwgk.load(write(tmp_path, blob, "x.bin"))


def test_file_with_no_table(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="no table found"):
        zwgk.load(write(tmp_path, "附件\n2020年泰安市政务公开重点工作任务分解表\n没有表格。\n"))


def test_table_without_recognisable_header(tmp_path: Path) -> None:
    with pytest.raises(LayoutError, match="no header row") as e:
        zwgk.load(write(tmp_path, "\t甲\n\t乙\n\n\t丙\n\t丁\n\n"))
    assert "t.txt" in str(e.value)


def test_row_with_extra_empty_cells_is_recovered(tmp_path: Path) -> None:
    text = HEADER + "\t任务一。\n\t市财政局\n\t各县（市、区）\n\t\n\t\n\n\t任务二。\n\t市审计局\n\t\n\n"
    plan = zwgk.load(write(tmp_path, text))
    assert [t.text for t in plan.tasks] == ["任务一。", "任务二。"]
    assert [u.name for u in plan.tasks[0].responsible] == ["各县（市、区）"]


def test_row_with_an_extra_non_empty_cell_is_an_error(tmp_path: Path) -> None:
    rows = "".join(f"\t任务{i}。\n\t市财政局\n\t市审计局\n\n" for i in range(3))
    text = HEADER + rows + "\t任务四。\n\t市财政局\n\t市审计局\n\t多出来的\n\n"
    with pytest.raises(ParseError, match="columns") as e:
        zwgk.load(write(tmp_path, text))
    pos = e.value.position
    assert pos is not None and pos.row == 5 and pos.column == 4 and pos.line == 20
    assert "多出来的" in str(e.value)


def test_text_after_the_table_is_kept_as_epilogue(tmp_path: Path) -> None:
    text = "2021年某县任务分解表\n\n" + HEADER + "\t任务一。\n\t县财政局\n\t\n\n泰安市人民政府办公室\n2021年3月1日\n"
    plan = zwgk.load(write(tmp_path, text))
    assert plan.epilogue == ("泰安市人民政府办公室", "2021年3月1日")
    assert plan.metadata.year == 2021 and plan.metadata.region == "某县"


def test_text_between_rows_is_an_error(tmp_path: Path) -> None:
    text = HEADER + "\t任务一。\n\t县财政局\n\t\n\n说明文字\n\t任务二。\n\t县财政局\n\t\n\n"
    with pytest.raises(ParseError, match="between table rows") as e:
        zwgk.load(write(tmp_path, text))
    assert e.value.position is not None and e.value.position.line == 9


def test_letter_spaced_header_with_serial_and_deadline(tmp_path: Path) -> None:
    text = ("\t序　号\n\t工 作 任 务\n\t牵 头 单 位\n\t责任单位\n\t完成时限\n\n"
            "\t1\n\t任务一。\n\t市财政局\n\t各县（市、区）\n\t2020年底前\n\n")
    [task] = zwgk.load(write(tmp_path, text)).tasks
    assert task.serial == "1" and task.serial_number == 1
    assert task.deadline == "2020年底前"
    assert task.path == ()


def test_heading_rows_give_levels(tmp_path: Path) -> None:
    text = (HEADER + "\t一、推进决策公开\n\n\t（一）重大决策\n\n\t任务一。\n\t市财政局\n\t\n\n"
            "\t（二）决策执行\n\n\t任务二。\n\t市审计局\n\t\n\n\t二、加强解读\n\n\t任务三。\n\t市政府办公室\n\t\n\n")
    plan = zwgk.load(write(tmp_path, text))
    assert [t.path for t in plan.tasks] == [
        ("一、推进决策公开", "（一）重大决策"),
        ("一、推进决策公开", "（二）决策执行"),
        ("二、加强解读",),
    ]


def test_only_table_one_in_the_text_form(sample_path: Path, sample: Plan) -> None:
    assert zwgk.load(sample_path, table=1) == sample
    with pytest.raises(ParseError, match="one table; there is no table 2"):
        zwgk.load(sample_path, table=2)


def test_rtf_is_not_taken_for_json(tmp_path: Path) -> None:
    path = write(tmp_path, "{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 SimSun;}} 任务分解表}", "table.txt")
    with pytest.raises(ZwgkError) as e:
        zwgk.load(path, convert=False)  # refused as RTF without starting LibreOffice
    assert "JSON" not in str(e.value)
    assert "rtf" in str(e.value).lower() or "RTF" in str(e.value)
