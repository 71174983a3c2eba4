"""OCR misreadings of unit names resolved by the registry; serials and headings checked for sequence."""

from __future__ import annotations

import pytest

import zwgk
from zwgk.errors import Position
from zwgk.model import Plan, Task, UnitKind, UnitRef
from zwgk.units.misread import correct_misreads, misread_of, sequence_breaks

KNOWN = ["市行政审批服务局", "市财政局", "市民政局", "市住房城乡建设局", "市发展改革委", "县住房城乡建设局"]


@pytest.mark.parametrize(("written", "expected"), [
    ("市行政审批服务届", ("市行政审批服务局", 1)),  # 局 misread as 届
    ("市住房城多建设局", ("市住房城乡建设局", 1)),
    ("市往房城多建设局", ("市住房城乡建设局", 2)),  # two characters in an eight-character name
    ("市发展改革娄", ("市发展改革委", 1)),
])
def test_misread_resolves(written: str, expected: tuple[str, int]) -> None:
    assert misread_of(written, KNOWN) == expected


@pytest.mark.parametrize("written", [
    "市财政局",  # known: nothing to correct
    "市财证局",  # four characters: 市民政局 and 市财政局 are both real, one character apart
    "市发改革娄",  # two characters in a six-character name
    "区住房城乡建设局",  # another level: 县 and 区 are both level prefixes
    "市发展和改革委",  # a character more: another spelling, not a misreading
])
def test_no_correction(written: str) -> None:
    assert misread_of(written, KNOWN) is None


def test_ambiguous_left_alone() -> None:
    assert misread_of("市第三人民医院", ["市第一人民医院", "市第二人民医院"]) is None  # numerals differ
    assert misread_of("市文化广电局", ["市文化广电厅", "市文化广播局"]) is None  # two at distance 1


def _task(n: int, lead: str, path: tuple[str, ...] = ("一、公开",), serial: str | None = None,
          confidence: float | None = None) -> Task:
    return Task(id=f"t{n}", path=path, text=f"任务{n}", serial=serial, leads=(UnitRef(lead, lead),),
                source=Position("scan.tif", page=1, confidence=confidence))


def test_plan_corrected_keeping_what_was_read() -> None:
    reg = zwgk.unit_registry()
    plan = Plan("x", (
        _task(1, "市行政审批服务届"),
        _task(2, "市大数据中心"),  # unknown, but nobody like it: stays
        _task(3, "市不动产登记中心"),
        _task(4, "市不动产登记中心"),
        _task(5, "市不动产登记中必", confidence=0.5),  # a name seen twice is a candidate for an unsure row
        _task(6, "市不动产登记中沁", confidence=0.98),  # a row read surely: taken as written
    ))
    out = correct_misreads(plan, reg)
    first = out.tasks[0].leads[0]
    assert first.name == "市行政审批服务局" and first.resolved
    assert first.as_written == "市行政审批服务届"
    assert first.note is not None and "市行政审批服务届" in first.note and "市行政审批服务局" in first.note
    assert out.tasks[1].leads[0] == plan.tasks[1].leads[0]
    fifth = out.tasks[4].leads[0]
    assert (fifth.name, fifth.as_written, fifth.resolved) == ("市不动产登记中心", "市不动产登记中必", False)
    assert out.tasks[5].leads[0].name == "市不动产登记中沁"
    assert out.tasks[2] == plan.tasks[2]


def test_kind_taken_from_registry() -> None:
    reg = zwgk.unit_registry()
    unit = reg.get("市行政审批服务局")
    assert unit is not None
    out = correct_misreads(Plan("x", (_task(1, "市行政审批服务届"),)), reg)
    assert out.tasks[0].leads[0].kind is unit.kind
    assert UnitKind(out.tasks[0].leads[0].kind)


def test_nothing_to_correct_is_the_same_plan() -> None:
    reg = zwgk.unit_registry()
    plan = Plan("x", (_task(1, "市财政局"),))
    assert correct_misreads(plan, reg) is plan


def test_sequence_breaks() -> None:
    tasks = [
        _task(1, "a", ("一、公开",), "1"),
        _task(2, "a", ("一、公开",), "2"),
        _task(3, "a", ("二、解读",), "3"),
        _task(4, "a", ("二、解读",), "8"),  # a misread 4
        _task(5, "a", ("四、回应",), "5"),  # 三 lost
        _task(6, "a", ("四、回应",), "1"),  # a new count
        _task(7, "a", ("四、回应",), "l"),  # a letter for a digit
    ]
    found = [(t.id, msg) for t, msg in sequence_breaks(tasks)]
    assert [i for i, _ in found] == ["t4", "t5", "t7"]
    assert "serial 8 follows 3" in found[0][1]
    assert "四、回应" in found[1][1]
    assert "no number" in found[2][1]


def test_sequence_of_the_sample_is_clean(sample: Plan) -> None:
    assert sequence_breaks(sample.tasks) == []
