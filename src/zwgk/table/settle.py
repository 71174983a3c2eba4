"""The plan's region, level and year: given by the caller, read from the title, or from the unit names.

A title does not always name them (``政务公开工作要点任务分解表``); ``zwgk.load(p, region=…, year=…)``
(``--region``/``--year``) sets what it leaves out, and a title naming neither region nor level
leaves the level to the unit names the tables write (:func:`~zwgk.units.shapes.level_of_cells`).
:func:`settle_metadata` decides, once, for the builder; :func:`explain_metadata` says what was
settled on and why (``zwgk parse --explain``).
"""

from __future__ import annotations

from collections.abc import Iterable

from zwgk.errors import ParseError, Position
from zwgk.model import Metadata, level_of_place
from zwgk.units.shapes import level_of_cells

__all__ = ["check_given", "explain_metadata", "settle_metadata"]

#: The years a given ``year`` may be (a document of 政务公开 is of this century).
YEARS = range(1949, 2200)


def check_given(region: object, year: object, source: str | None) -> None:
    """A given region must be a place name and a given year a whole number of :data:`YEARS`."""
    where = Position(file=source)
    if region is not None and (not isinstance(region, str) or not region.strip()):
        raise ParseError(f"region must be a place name such as 某某省 or 泰安市, not {region!r}", where)
    if year is not None and (isinstance(year, bool) or not isinstance(year, int) or year not in YEARS):
        raise ParseError(f"year must be a whole number from {YEARS.start} to {YEARS.stop - 1}, not {year!r}",
                         where)


def settle_metadata(
    title: str | None,
    *,
    region: str | None = None,
    year: int | None = None,
    cells: Iterable[str] = (),
) -> Metadata:
    """The plan's metadata: ``region`` and ``year`` as given win over the title's; the level comes
    from the given region's name, else the title, else (no region either) from the unit names among
    ``cells`` (read only then; the builder reads the units as that level sees them, while the plan's
    metadata says only what was given or titled)."""
    named = Metadata.from_title(title)
    if region is not None:
        region = "".join(region.split())
        named = Metadata(region, named.year, named.issuer, level_of_place(region) or named.level)
    if year is not None:
        named = Metadata(named.region, year, named.issuer, named.level)
    if named.region is None and named.level is None:
        named = named.with_level(level_of_cells(cells))
    return named


def explain_metadata(title: str | None, metadata: Metadata, *, region: str | None = None,
                     year: int | None = None, units: Iterable[str] = ()) -> list[str]:
    """One line each for the region, level and year a plan settled on, and why (``units``: the
    plan's unit names as written, which give the level its units were read with when nothing else
    does)."""
    named = Metadata.from_title(title)
    quoted = f"the title 「{title}」" if title else "no title"
    if region is not None:
        where = f"region {metadata.region} (given)"
    elif metadata.region is not None:
        where = f"region {metadata.region} (from {quoted})"
    else:
        where = f"region unknown ({quoted} names none; give it with --region)"
    if metadata.level is None:
        read_as = level_of_cells(units)
        level = ("level unknown (units read against every registry)" if read_as is None else
                 f"level unknown ({quoted} names none); units read as of level {read_as} (most unit names "
                 f"are written with {read_as}…)")
    elif region is not None and level_of_place("".join(region.split())) == metadata.level:
        level = f"level {metadata.level} (from the region given)"
    elif named.level == metadata.level:
        level = f"level {metadata.level} (from {quoted})"
    else:
        level = f"level {metadata.level}"
    if year is not None:
        when = f"year {metadata.year} (given)"
    elif metadata.year is not None:
        when = f"year {metadata.year} (from {quoted})"
    else:
        when = f"year unknown ({quoted} names none; give it with --year)"
    return [where, level, when]
