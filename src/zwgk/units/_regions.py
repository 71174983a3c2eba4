"""Region scoping: which region and level each unit of a registry was declared for, and what serves a plan.

A registry file may declare the region (``泰安市``) and level (``市``) it serves. :class:`Origins` keeps,
for every unit and prefix group, the declaration it came with, so that a plan of another region is read
against only what answers for it (:meth:`~zwgk.UnitRegistry.serving`).
"""

from __future__ import annotations

from collections.abc import Container, Iterable

from attrs import define, field

__all__ = ["Origin", "Origins", "origin_serves", "same_region"]

#: A declaration: the (region, level) a registry says it serves, either part unknown.
Origin = tuple[str | None, str | None]

#: The last characters that make a place name of a shorter one (泰安 → 泰安市).
_PLACE_ENDS = "省市区县州盟旗"


def same_region(a: str, b: str) -> bool:
    """Whether two region names name one place (泰安市, 泰安)."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return len(short) > 1 and len(long) == len(short) + 1 and long.startswith(short) and long[-1] in _PLACE_ENDS


def origin_serves(origin: Origin, region: str | None, level: str | None) -> bool:
    """Whether what a registry declared for ``origin`` answers for a plan of ``region`` and ``level``."""
    r, lv = origin
    if r is not None and region is not None and not same_region(r, region):
        return False
    return lv is None or level is None or lv == level


@define
class Origins:
    """Where each unit and prefix group of a registry came from, and the regions it was declared for."""

    #: Unit name -> the declaration of the registry it came from.
    units: dict[str, Origin] = field(factory=dict)
    #: Prefix group -> the declaration of the registry it came from.
    groups: dict[tuple[str, ...], Origin] = field(factory=dict)
    #: The declaration of every registry merged in that named a region.
    declared: set[Origin] = field(factory=set)

    def declare(self, origin: Origin, names: Iterable[str], groups: Iterable[tuple[str, ...]]) -> None:
        """Mark ``names`` and ``groups`` (those not yet marked) as ``origin``'s."""
        if origin == (None, None):
            return
        for name in names:
            self.units.setdefault(name, origin)
        for group in groups:
            self.groups.setdefault(group, origin)
        if origin[0] is not None:  # a registry of a region (a level alone only qualifies its units)
            self.declared.add(origin)

    @property
    def regions(self) -> frozenset[str]:
        """The regions declared."""
        return frozenset(r for r, _ in self.declared if r is not None)

    def serves(self, region: str | None, level: str | None) -> bool:
        """Whether a plan of ``region`` (or, its region unknown, of ``level``) is served (see
        :meth:`~zwgk.UnitRegistry.serves`)."""
        if not self.declared or (region is None and level is None):
            return True
        if region is not None:
            return any(r is not None and same_region(r, region) for r, _ in self.declared)
        return any(lv == level for _, lv in self.declared)

    def left_out(self, region: str | None, level: str | None) -> tuple[set[str], set[tuple[str, ...]]]:
        """The unit names and prefix groups declared for another region or level than the plan's."""
        return ({n for n, o in self.units.items() if not origin_serves(o, region, level)},
                {g for g, o in self.groups.items() if not origin_serves(o, region, level)})

    def kept(self, names: Container[str], dropped_groups: set[tuple[str, ...]]) -> Origins:
        """The origins of ``names`` only, without ``dropped_groups`` (the declarations stay)."""
        units = {n: o for n, o in self.units.items() if n in names}
        return Origins(units, {g: o for g, o in self.groups.items() if g not in dropped_groups}, set(self.declared))

    def merge(self, other: Origins, new_names: Iterable[str]) -> None:
        """Take ``other``'s declarations, and its origins of ``new_names`` (units new to this one)."""
        for name in new_names:
            origin = other.units.get(name)
            if origin is not None:
                self.units[name] = origin
        for group, origin in other.groups.items():
            self.groups.setdefault(group, origin)
        self.declared |= other.declared

    def copy(self) -> Origins:
        """An independent copy."""
        return Origins(dict(self.units), dict(self.groups), set(self.declared))
