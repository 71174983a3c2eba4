"""A unit column naming two roles: 牵头单位/配合单位, 牵头单位（配合单位）, 牵头（配合）单位, 主办单位及协办单位.

The column's own heading cell names the roles, the first first (:func:`~zwgk.vocabulary.two_roles`;
a heading joined from a spanning heading and its sub-heading, 责任单位/牵头, is two headings, not
this). Each cell is cut where it separates the two (:func:`two_parts`): at its first slash, after
its first line, or before a bracket of units at its end. The units before the cut take the first
role, those after it the second; with nothing between them the first unit named takes the first
role; a cell naming roles in words (牵头：…；配合：…) keeps what it says. Each unit's note says where
it was (:data:`TWO_ROLES_NOTE`), and the column's reason how it is read (:data:`TWO_ROLES_REASON`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from attrs import evolve

from zwgk.model import Role, UnitRef
from zwgk.table.columns import Layout
from zwgk.table.marks import ByRole
from zwgk.units import ParsedCell
from zwgk.vocabulary import UNIT_ROLES, two_roles

__all__ = ["TWO_ROLES_NOTE", "TWO_ROLES_REASON", "columns_of_two_roles", "two_parts", "two_role_cell",
           "with_reasons"]

#: The note of a unit in such a column.
TWO_ROLES_NOTE = "{role}: {where} in its cell, under the heading 「{heading}」 naming the {first} units, then the " \
    "{second}"
#: What the column's reason adds.
TWO_ROLES_REASON = ("the units before a slash, on a cell's first line or before a bracket of units are its task's "
                    "{first}, the others {second}; with nothing between them, the first unit named is {first}")
_SLASH = re.compile(r"[/／]")
_BRACKETED = re.compile(r"(.+?)([（(])([^（）()]+)([）)][。；;]?)")
_LIST = re.compile(r"[、，,；;]")
#: A bracket at the end of a cell holds units when each name in it is at least this long; a bracket
#: of shorter names (各县（市、区）) is part of the name before it.
MIN_BRACKETED_NAME = 3


def columns_of_two_roles(layout: Layout) -> dict[int, tuple[Role, Role]]:
    """The unit columns of ``layout`` whose own heading cell (not a spanning heading joined with its
    sub-heading) names two roles, by index, with the two roles."""
    found: dict[int, tuple[Role, Role]] = {}
    for c in layout.columns:
        if c.role not in UNIT_ROLES:
            continue
        own = {id(cell): cell for row in layout.header if (cell := row[c.index]) is not None} \
            if layout.header else {}
        heading = next(iter(own.values())).text if len(own) == 1 else c.header if not layout.header else None
        pair = two_roles(heading) if heading else None
        if pair is not None:
            found[c.index] = (Role.of(pair[0]), Role.of(pair[1]))
    return found


def with_reasons(layout: Layout, columns: dict[int, tuple[Role, Role]]) -> Layout:
    """``layout`` with the reason of each column of two roles saying how it is read."""
    if not columns:
        return layout
    said = {i: TWO_ROLES_REASON.format(first=a.value, second=b.value) for i, (a, b) in columns.items()}
    return evolve(layout, columns=tuple(evolve(c, reason=f"{c.reason}; {said[c.index]}") if c.index in said else c
                                        for c in layout.columns))


def two_parts(text: str) -> tuple[str, str, tuple[str, str], tuple[str, str]] | None:
    """``text`` (a cell of a column naming two roles) cut in two, with where each part is and the
    brackets around the second (``("", "")`` where none), or ``None`` when nothing cuts it.

        >>> two_parts("市财政局/市审计局、市统计局")[:2]
        ('市财政局', '市审计局、市统计局')
        >>> two_parts("市财政局（市审计局、市统计局）")[3]
        ('（', '）')
        >>> two_parts("各县（市、区）") is None
        True
    """
    body = text.strip()
    m = _SLASH.search(body)
    if m is not None:
        return body[:m.start()], body[m.end():], ("before the slash", "after the slash"), ("", "")
    lines = [line for line in body.split("\n") if line.strip()]
    if len(lines) > 1:
        return lines[0], "\n".join(lines[1:]), ("on the first line", "on the lines after the first"), ("", "")
    m = _BRACKETED.fullmatch(body)
    if m is not None and all(len(name.strip()) >= MIN_BRACKETED_NAME for name in _LIST.split(m.group(3))):
        return m.group(1), m.group(3), ("before the bracket", "in the bracket"), (m.group(2), m.group(4))
    return None


def two_role_cell(parse: Callable[[str], ParsedCell], text: str, parsed: ParsedCell, found: ByRole, heading: str,
                  roles: tuple[Role, Role]) -> ByRole:
    """A cell ``text`` of a column of two ``roles`` by role (``parsed``: the registry's reading of
    it, ``found``: that reading by role; ``parse`` reads a part of it)."""
    if any(role is not None for role in parsed.roles) or not parsed.refs:
        return found
    first, second = roles
    cut = two_parts(text)
    parts: list[tuple[tuple[UnitRef, ...], bool]]
    if cut is None:
        refs, is_open = next(iter(found.values()))
        how = ("named first", "named after the first")
        parts = [((refs[0],), False), (refs[1:], is_open)]
    else:
        how, (opening, closing) = cut[2], cut[3]
        a, b = parse(cut[0]), parse(cut[1])
        inner = list(b.refs)
        if inner and opening:  # the bracket is written with the units it holds (as_written)
            inner[0] = evolve(inner[0], as_written=opening + inner[0].as_written)
            inner[-1] = evolve(inner[-1], as_written=inner[-1].as_written + closing)
        parts = [(a.refs, a.open_list), (tuple(inner), b.open_list)]
    out: dict[Role, tuple[tuple[UnitRef, ...], bool]] = {}
    for role, (refs, is_open), where in zip(roles, parts, how, strict=True):
        note = TWO_ROLES_NOTE.format(role=role.value, where=where, heading=heading, first=first.value,
                                     second=second.value)
        had, was_open = out.get(role, ((), False))
        out[role] = (had + tuple(evolve(u, note=f"{u.note}; {note}" if u.note else note) for u in refs),
                     was_open or is_open)
    return {role: value for role, value in out.items() if value[0] or value[1]}
