"""Abbreviation knowledge as data: groups of interchangeable spellings.

An :class:`Abbreviations` holds *forms* groups (``发展和改革委员会 ↔ 发展改革委 ↔ 发改委``) that may
stand for one another anywhere in a name, and *prefix* groups (``泰安市 ↔ 市``) that may stand for
one another at the start of a name. :meth:`Abbreviations.reduce` rewrites a match key so that every
form of a group becomes the group's shortest form; two names with the same reduced key are the same
unit as far as abbreviation goes. The groups come from registry data files, never from code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from attrs import define, field

from zwgk.units._normalize import match_key

__all__ = ["Abbreviations"]


def _group(forms: Iterable[str]) -> tuple[str, ...]:
    keys = [match_key(f) for f in forms]
    return tuple(dict.fromkeys(k for k in keys if k))


@define
class Abbreviations:
    """Interchangeable spellings: ``forms`` anywhere in a name, ``prefixes`` at its start."""

    forms: list[tuple[str, ...]] = field(factory=list)
    prefixes: list[tuple[str, ...]] = field(factory=list)
    _compiled: tuple[re.Pattern[str] | None, dict[str, str], re.Pattern[str] | None, dict[str, str]] | None = field(
        default=None, init=False, repr=False, eq=False
    )

    def add_forms(self, forms: Sequence[str]) -> None:
        """Declare that every spelling in ``forms`` may stand for every other, anywhere in a name."""
        group = _group(forms)
        if len(group) > 1 and group not in self.forms:
            self.forms.append(group)
            self._compiled = None

    def add_prefixes(self, forms: Sequence[str]) -> None:
        """Declare that every spelling in ``forms`` may stand for every other at the start of a name."""
        group = _group(forms)
        if len(group) > 1 and group not in self.prefixes:
            self.prefixes.append(group)
            self._compiled = None

    def merge(self, other: Abbreviations) -> None:
        for g in other.forms:
            self.add_forms(g)
        for g in other.prefixes:
            self.add_prefixes(g)

    def copy(self) -> Abbreviations:
        return Abbreviations(list(self.forms), list(self.prefixes))

    def __bool__(self) -> bool:
        return bool(self.forms or self.prefixes)

    def _compile(
        self,
    ) -> tuple[re.Pattern[str] | None, dict[str, str], re.Pattern[str] | None, dict[str, str]]:
        if self._compiled is None:
            self._compiled = (*_compile_groups(self.forms, anchored=False),
                              *_compile_groups(self.prefixes, anchored=True))
        return self._compiled

    def reduce(self, key: str) -> str:
        """The key with every form replaced by its group's shortest form (``key`` is a match key)."""
        forms_re, forms_map, prefix_re, prefix_map = self._compile()
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
