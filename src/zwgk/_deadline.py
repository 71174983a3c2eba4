"""Is a 完成时限 cell a date or a period?

Deadlines in these tables are written in many ways: ``2020年6月底前``, ``6月30日``, ``2020-06-30``,
``年底前``, ``每季度``, ``长期坚持``, ``持续推进``, ``2020年3月—12月``, ``收到申请后20个工作日内``.
A cell is readable when, after removing the date and period words it is made of (and the small
connecting words around them), nothing is left, and at least one date or period word was found.
What is left otherwise is usually a unit name or task text that slipped into the column.
"""

from __future__ import annotations

import re

__all__ = ["readable_deadline"]

_NUM = r"[0-9０-９一二三四五六七八九十〇零两]+"

# Words that carry the date or the period; at least one must be present.
_CORE = re.compile(
    "|".join(
        (
            rf"{_NUM}\s*(?:个)?(?:工作日|自然日|日|天|周|星期|个月|月份|月|季度|年度|年|小时)",
            rf"第{_NUM}季度|{_NUM}次",
            r"[上下]半年|年[底末初中内]|全年|当年|次年|本年度?|今年|明年|月[底末初中]|季度?[末初]?|[上中下]旬",
            r"每(?:个)?(?:年度?|半年|季度?|月|周|星期|日|天)?|定期|长期|持续|常态化|经常性|阶段性|及时|适时|随时|按时|按期|如期|即时|实时|立即|马上|日常|动态",
            r"按要求|按规定|按照规定|规定时限|规定时间|法定时限|时限内|期限内",
        )
    )
)

# Connecting words that may surround the date words.
_FILLER = re.compile(
    r"前|以前|之前|以内|之内|内|后|以后|之后|起|开始|完成|截至|截止|止|结束|期间|坚持|推进|开展|落实|更新|公开|发布|"
    r"左右|底|末|初|中|日|号|度|份|并|和|及|或|至|到|从|自|于|在|为|收到|申请|作出|办结|决定|形成|产生|变更|"
    r"之日|日起|个|第"
)

_ISO_DATE = re.compile(r"(?:19|20)\d\d[-./]\d{1,2}(?:[-./]\d{1,2})?")
_SEPARATORS = re.compile(r"[\s，,、；;。.:：/（）()〔〕\[\]“”\"'—–\-~～]+")


def readable_deadline(text: str) -> bool:
    """True when ``text`` reads as a date, a period or a standing commitment."""
    rest, dates = _ISO_DATE.subn(" ", text)
    rest = _SEPARATORS.sub(" ", rest)
    if not rest.strip() and not dates:
        return False
    rest, found = _CORE.subn(" ", rest)
    if not found and not dates:
        return False
    rest = _FILLER.sub("", rest)
    return not rest.strip()
