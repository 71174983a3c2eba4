"""Abbreviation knowledge as data: groups of interchangeable spellings.

An :class:`Abbreviations` holds *forms* groups (``发展和改革委员会 ↔ 发展改革委 ↔ 发改委``) that may
stand for one another anywhere in a name, and *prefix* groups (``泰安市 ↔ 市``) that may stand for
one another at the start of a name. :meth:`Abbreviations.reduce` rewrites a match key so that every
form of a group becomes the group's shortest form; two names with the same reduced key are the same
unit as far as abbreviation goes. The groups come from registry data files, never from code.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Sequence
from functools import cached_property

from attrs import frozen

from zwgk.units._normalize import match_key

__all__ = ["Abbreviations"]


def _group(forms: Iterable[str]) -> tuple[str, ...]:
    keys = [match_key(f) for f in forms]
    return tuple(dict.fromkeys(k for k in keys if k))


#: What :meth:`Abbreviations.reduce` works with: the pattern and map of forms, then of prefixes.
_Compiled = tuple[re.Pattern[str] | None, dict[str, str], re.Pattern[str] | None, dict[str, str]]


@frozen
class Abbreviations:
    """Interchangeable spellings: ``forms`` anywhere in a name, ``prefixes`` at its start.

    A value: adding groups gives a new one (:meth:`with_forms`, :meth:`with_prefixes`), so that a
    registry holding it sees every change (:meth:`~zwgk.UnitRegistry.add_abbreviation`).
    """

    forms: tuple[tuple[str, ...], ...] = ()
    prefixes: tuple[tuple[str, ...], ...] = ()

    def with_forms(self, forms: Sequence[str]) -> Abbreviations:
        """These rules and: every spelling in ``forms`` may stand for every other, anywhere in a name."""
        group = _group(forms)
        if len(group) < 2 or group in self.forms:
            return self
        return Abbreviations((*self.forms, group), self.prefixes)

    def with_prefixes(self, forms: Sequence[str]) -> Abbreviations:
        """These rules and: every spelling in ``forms`` may stand for every other at the start of a name."""
        group = _group(forms)
        if len(group) < 2 or group in self.prefixes:
            return self
        return Abbreviations(self.forms, (*self.prefixes, group))

    def merged(self, other: Abbreviations) -> Abbreviations:
        """These rules and ``other``'s (groups already here are not repeated)."""
        out = self
        for g in other.forms:
            out = out.with_forms(g)
        for g in other.prefixes:
            out = out.with_prefixes(g)
        return out

    def without_prefixes(self, dropped: Container[tuple[str, ...]]) -> Abbreviations:
        """These rules without the prefix groups in ``dropped``."""
        return Abbreviations(self.forms, tuple(g for g in self.prefixes if g not in dropped))

    def __bool__(self) -> bool:
        return bool(self.forms or self.prefixes)

    @cached_property
    def _compiled(self) -> _Compiled:
        return (*_compile_groups(self.forms, anchored=False), *_compile_groups(self.prefixes, anchored=True))

    def reduce(self, key: str) -> str:
        """The key with every form replaced by its group's shortest form (``key`` is a match key)."""
        forms_re, forms_map, prefix_re, prefix_map = self._compiled
        if prefix_re is not None:
            key = prefix_re.sub(lambda m: prefix_map[m.group()], key, count=1)
        if forms_re is not None:
            key = forms_re.sub(lambda m: forms_map[m.group()], key)
        return key


def _compile_groups(
    groups: Sequence[tuple[str, ...]], *, anchored: bool
) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    mapping: dict[str, str] = {}
    for group in groups:
        target = min(group, key=lambda f: (len(f), f))
        # A form already mapped by an earlier group keeps that mapping, unless it maps to itself.
        target = mapping.get(target, target)
        for form in group:
            if mapping.get(form, form) == form:
                mapping[form] = target
    mapping = {k: v for k, v in mapping.items() if k != v}
    if not mapping:
        return None, {}
    alternation = "|".join(re.escape(f) for f in sorted(mapping, key=lambda f: (-len(f), f)))
    return re.compile(("^(?:" if anchored else "(?:") + alternation + ")"), mapping
