"""Checks on text recognised from images: readings OCR was unsure of, unit names it misread.

Codes ZW401–ZW402; see ``docs/validators.md``. Both find nothing in a plan read from a file's own
text: they look at what only OCR leaves, a task position's ``confidence`` and a unit's note.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from zwgk.hookspecs import hookimpl
from zwgk.model import Plan
from zwgk.units import UnitRegistry
from zwgk.validators._core import Validator
from zwgk.validators._report import Finding, Severity
from zwgk.validators._walk import walk_of

__all__ = ["MIN_CONFIDENCE", "corrected_unit", "uncertain_reading"]

#: A task whose least sure character was recognised with less confidence than this is reported.
MIN_CONFIDENCE = 0.6
#: What the registry's correction of a misread unit name writes in its note.
_CORRECTED = "by OCR; taken as"


def uncertain_reading(plan: Plan, registry: UnitRegistry) -> Iterator[Finding]:
    """A task row read from an image with a character OCR was unsure of."""
    for task in plan.tasks:
        pos = task.source
        if pos is None or pos.confidence is None or pos.confidence >= MIN_CONFIDENCE:
            continue
        where = f"page {pos.page}" if pos.page is not None else "the image"
        if pos.box is not None:
            where += ", box ({}, {}, {}, {})".format(*pos.box)
        yield Finding.at(
            task,
            f"read from the scan with low confidence ({pos.confidence:.2f}); its text or units may be misread",
            hint=f"compare the row with the scan ({where}) and correct it",
        )


def corrected_unit(plan: Plan, registry: UnitRegistry) -> Iterator[Finding]:
    """A unit name OCR misread, resolved by the registry to the unit it names."""
    for task, ref in walk_of(plan).noted:  # the references with a note, in table order
        if ref.note is not None and _CORRECTED in ref.note:
            yield Finding.at(task, f"unit {ref.as_written!r} {ref.note.split(';')[0]}: taken as {ref.name}",
                             units=[ref.name], hint="check the unit against the scan")


@hookimpl
def register_validators(register: Callable[[Validator], None]) -> None:
    register(Validator("ZW401", "uncertain-reading", Severity.WARNING, uncertain_reading,
                       "a task read from a scan with a character OCR was unsure of"))
    register(Validator("ZW402", "corrected-unit", Severity.INFO, corrected_unit,
                       "a unit name misread by OCR, resolved by the registry"))
