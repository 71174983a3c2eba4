"""What a collective covers: the ``covers`` mini-language of a unit, read once into a typed value.

Each entry of :attr:`zwgk.Unit.covers` is a canonical unit name, ``kind:<kind>`` (every unit of
that kind) or ``some:`` before either (some of them, not all).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from attrs import frozen

from zwgk.model import UnitKind

__all__ = ["Covers", "parse_covers"]

_SOME = "some:"
_KIND = "kind:"


@frozen
class Covers:
    """A collective's ``covers`` entries, read.

    ``members`` holds, in the order written, a canonical unit name (``str``) or a :class:`UnitKind`
    (every unit of that kind). ``partial`` is true when any entry said ``some:``. ``unknown`` holds
    the entries naming a kind zwgk does not have (a registry file refuses them; a unit made in code
    keeps them, and they cover nothing).
    """

    members: tuple[str | UnitKind, ...] = ()
    partial: bool = False
    unknown: tuple[str, ...] = ()


_MEMO_SIZE = 1 << 10  # distinct covers lists remembered (a registry has a handful)


@lru_cache(maxsize=_MEMO_SIZE)
def _parse(entries: tuple[str, ...]) -> Covers:
    return _read(entries)


def parse_covers(entries: Sequence[str]) -> Covers:
    """The :class:`Covers` that ``entries`` (a unit's ``covers``) write; each list is read once."""
    return _parse(tuple(entries))


def _read(entries: tuple[str, ...]) -> Covers:
    members: list[str | UnitKind] = []
    unknown: list[str] = []
    partial = False
    for entry in entries:
        spec = entry
        if spec.startswith(_SOME):
            partial = True
            spec = spec[len(_SOME):]
        if spec.startswith(_KIND):
            try:
                members.append(UnitKind(spec[len(_KIND):]))
            except ValueError:
                unknown.append(entry)
        else:
            members.append(spec)
    return Covers(tuple(members), partial, tuple(unknown))
