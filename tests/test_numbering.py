from __future__ import annotations

import pytest

from zwgk._numbering import numbering_style, parse_number, split_numbering


@pytest.mark.parametrize(
    ("text", "number"),
    [("12", 12), ("12.", 12), ("一", 1), ("十二", 12), ("二十三", 23), ("（三）", 3), ("(3)", 3), ("①", 1),
     ("第一", 1), ("一、推进决策公开", 1), ("（十一）规范", 11), ("22.全面推进", 22), ("推进", None), ("", None)],
)
def test_parse_number(text: str, number: int | None) -> None:
    assert parse_number(text) == number


def test_split_numbering_keeps_text() -> None:
    assert split_numbering("（一）推进决策公开") == ("cn-paren", "（一）", "推进决策公开")
    assert split_numbering("1.完成IPV6升级") == ("arabic-dot", "1.", "完成IPV6升级")
    assert split_numbering("1.5倍") == (None, None, "1.5倍")
    assert numbering_style("一、总体要求") == "cn-dun"
    assert numbering_style("2020年") is None
