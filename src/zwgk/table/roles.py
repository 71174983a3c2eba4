"""Heading text → column role: the keywords that name each role of a task table's columns.

Header text may be letter-spaced (``工 作 任 务``), contain full-width spaces or footnote stars;
:func:`header_key` removes them before the keywords are looked for.
"""

from __future__ import annotations

import enum
import re

__all__ = ["UNIT_ROLES", "ColumnRole", "classify", "header_key"]


class ColumnRole(str, enum.Enum):
    SERIAL = "serial"
    LEVEL = "level"
    TASK = "task"
    REQUIREMENT = "requirement"
    LEAD = "lead"
    RESPONSIBLE = "responsible"
    COOPERATING = "cooperating"
    DEADLINE = "deadline"
    NOTES = "notes"
    EXTRA = "extra"


UNIT_ROLES = frozenset({ColumnRole.LEAD, ColumnRole.RESPONSIBLE, ColumnRole.COOPERATING})


_SPACES = re.compile(r"[\s\u3000\u00a0\u200b\u200c\u200d\ufeff:：*＊]+")


def header_key(text: str) -> str:
    """Header text with spaces, colons and footnote stars removed: ``工 作 任 务`` → ``工作任务``."""
    return _SPACES.sub("", text.replace("_x000D_", ""))


# (role, keywords); the first keyword found in a header decides. Order matters.
_KEYWORDS: tuple[tuple[ColumnRole, tuple[str, ...]], ...] = (
    (ColumnRole.SERIAL, ("序号", "编号", "序列号")),
    (ColumnRole.LEAD, ("牵头单位", "牵头部门", "牵头科室", "主办单位", "牵头责任单位", "牵头")),
    (ColumnRole.COOPERATING, ("配合单位", "配合部门", "协办单位", "协助单位", "参与单位", "配合科室",
                              "协同单位", "配合")),
    (ColumnRole.RESPONSIBLE, ("责任单位", "责任部门", "责任科室", "承办单位", "责任主体", "落实单位",
                              "实施单位", "责任处室", "具体负责单位", "负责单位", "责任")),
    (ColumnRole.DEADLINE, ("完成时限", "时限要求", "完成时间", "时间节点", "时限", "进度安排",
                           "完成期限", "时间要求")),
    (ColumnRole.NOTES, ("备注", "说明")),
)

# Task-like headers, most specific first: the most specific one present becomes the task column,
# the less specific ones to its left become hierarchy levels.
_TASK_KEYS: tuple[tuple[str, ...], ...] = (
    ("具体任务", "任务及要求", "工作任务及要求", "具体工作任务", "主要任务及要求", "具体措施", "任务内容",
     "工作内容", "主要内容", "具体内容", "工作措施", "具体工作", "工作事项", "公开内容", "公开事项"),
    ("工作任务", "重点任务", "主要任务", "重点工作", "任务"),
)
_LEVEL_KEYS = ("一级任务", "二级任务", "三级任务", "四级任务", "一级", "二级", "三级", "任务类别",
               "类别", "分类", "工作领域", "领域", "项目", "板块", "事项类别", "目标任务")
_REQUIREMENT_KEYS = ("工作要求", "具体要求", "要求", "工作标准", "目标要求", "完成标准")


def classify(key: str) -> tuple[ColumnRole | None, int]:
    """(role, specificity) of one header key; specificity orders task-like headers."""
    if not key:
        return None, 0
    for role, words in _KEYWORDS:
        if any(w in key for w in words):
            return role, 0
    if any(key.startswith(w) for w in _LEVEL_KEYS) and "具体" not in key:
        return ColumnRole.LEVEL, 0
    for rank, words in enumerate(_TASK_KEYS):
        if any(w in key for w in words):
            return ColumnRole.TASK, len(_TASK_KEYS) - rank
    if any(w in key for w in _REQUIREMENT_KEYS):
        return ColumnRole.REQUIREMENT, 0
    return None, 0
