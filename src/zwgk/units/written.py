"""What a reference says was written: the written name of a unit, its level prefix, lists written back as cells.

What a reference's ``as_written`` says, read through a registry's cell grammar (:func:`written_name`);
what its note says about the level prefix its name was read with (:func:`note_prefix`,
:func:`elided`, :func:`carried_level`); the separators that write one role's list so that it reads
back as the cells it came from (:func:`list_separators`), and whether a reference closes its list
with 等 (:func:`closes_list`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from zwgk.model import UnitRef
from zwgk.units._bundled import default_registry
from zwgk.units._grammar import ELIDED_NOTE, PREFIX_NOTE, Reading
from zwgk.units._normalize import clean_name
from zwgk.units._registry import UnitRegistry
from zwgk.units.shapes import needs_level, written_level

__all__ = [
    "NAME_SEPARATOR",
    "RUN_SEPARATOR",
    "carried_level",
    "closes_list",
    "elided",
    "list_separators",
    "note_prefix",
    "written_name",
]

#: The separator between names in a list, and the one that ends a run of level prefixes.
NAME_SEPARATOR = "、"
RUN_SEPARATOR = "；"


def written_name(as_written: str, registry: UnitRegistry) -> str:
    """The written name of a unit: what a reference's ``as_written`` says, read through ``registry``.

    Layout (spaces, line breaks), role words (牵头, ``牵头单位：``) and a closing 等 are taken
    off; for a collective named after 等 (``等相关部门（单位）``) it is the collective. Every
    "spelling seen" of a unit (``zwgk units``, the near-duplicate check) is this.

    >>> from zwgk.units import default_registry
    >>> written_name("市科技局等", default_registry())
    '市科技局'
    >>> written_name("市自然资源和\\n规划局牵头", default_registry())
    '市自然资源和规划局'
    """
    return registry._reading(as_written).written_name


def _note_re(note: str) -> re.Pattern[str]:
    # a note may go on after '; ' (:data:`~zwgk.units._grammar.ROLE_NOTE`)
    return re.compile(re.escape(note).replace(re.escape("{!r}"), "'(.+?)'") + "(?=$|; )")


_PREFIX_NOTE_RE, _ELIDED_NOTE_RE = _note_re(PREFIX_NOTE), _note_re(ELIDED_NOTE)


def note_prefix(note: str | None) -> str | None:
    """The level prefix a reference's note says its name was read with (either way), or ``None``."""
    if note is None:
        return None
    m = _ELIDED_NOTE_RE.match(note) or _PREFIX_NOTE_RE.match(note)
    return m.group(1) if m else None


def elided(note: str | None) -> bool:
    """Whether a reference's note says it took the level prefix of the unit before it in its cell."""
    return note is not None and _ELIDED_NOTE_RE.match(note) is not None


def carried_level(written: str, note: str | None) -> str | None:
    """The level prefix a name passes on to a bare department name written right after it.

    ``written`` is the name as written and ``note`` the note on its reference: a name written with a
    level prefix passes that on, a name given the prefix of the unit before it passes that on, any
    other name (one the registry read with a prefix included) nothing
    (:func:`~zwgk.units._grammar.complete_entries`).
    """
    level = written_level(written)
    if level is not None:
        return level
    return note_prefix(note) if elided(note) and needs_level(written) else None


#: Pieces whose plain reading is remembered (the exporters ask for every reference they write).
_PLAIN_MEMO_SIZE = 1 << 14


@lru_cache(maxsize=1)
def _plain_registry() -> UnitRegistry:
    """The default registry, read with only: it never changes, so what it reads a piece as never does."""
    return default_registry()


@lru_cache(maxsize=_PLAIN_MEMO_SIZE)
def _plain_reading(as_written: str) -> Reading:
    return _plain_registry()._reading(as_written)


def list_separators(refs: Sequence[UnitRef]) -> list[str]:
    """The separator to write before each reference of one role's list (``""`` before the first).

    Names are joined by ``、``; ``；`` goes before a bare department name that the name before it
    would otherwise give a level prefix it was not read with (``省财政厅`` from one cell, ``教育厅``
    from another), so that the list written as one cell reads back as the cells it came from.
    """
    out: list[str] = []
    carried: str | None = None
    for ref in refs:
        written = _plain_reading(ref.as_written).written_name
        if not out:
            out.append("")
        elif carried is not None and needs_level(written) and not (
            elided(ref.note) and note_prefix(ref.note) == carried
        ):
            out.append(RUN_SEPARATOR)
        else:
            out.append(NAME_SEPARATOR)
        carried = carried_level(written, ref.note)
    return out


def closes_list(as_written: str) -> bool:
    """Whether a reference's ``as_written`` holds the 等 that closes its list (``市科技局等``,
    ``民政局等部门``, ``等相关部门（单位）``), as the default registry's grammar reads it."""
    reading = _plain_reading(as_written)
    return reading.open or reading.tail is not None or clean_name(as_written).startswith("等")
