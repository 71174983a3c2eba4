"""Unit names misread by OCR, resolved to the unit they name; numbering checked for sequence.

OCR gets a character of a unit name wrong now and then (``市行政审批服务届`` for
``市行政审批服务局``): a unit name that no registry knows, yet is one or two characters away from
exactly one unit the registry knows — or from one the same document names elsewhere — is that
unit. Its :class:`~zwgk.model.UnitRef` keeps ``as_written`` (what was read) and says in its
``note`` what it was taken for.

The rule is narrow on purpose, because two real units can differ in one character (市民政局,
市财政局):

- only characters misread, none lost or added (the names have the same length): one character
  may differ in names of :data:`MIN_ONE_EDIT` characters or more, two in names of
  :data:`MIN_TWO_EDITS` or more; shorter names are never corrected;
- the nearest candidate must be the only one at its distance;
- a difference in the level prefix between two level prefixes (市/县) or in numerals (第一/第二)
  names another unit, not a misreading;
- a name written more than once in the document is taken as written (OCR does not misread the
  same name the same way twice, often enough to matter);
- a name the document writes elsewhere (and the registry does not know) is a candidate only for a
  reading OCR was unsure of (its row's confidence below :data:`UNSURE`): OCR can misread one glyph
  the same way every time, and a rare name read right must not be taken for the frequent misreading.

:func:`sequence_breaks` reads the serials (序号) and the numbering of the category headings in
table order and names each that does not follow the one before: a digit misread, or a row lost.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from attrs import evolve

from zwgk._numbering import parse_number
from zwgk.model import Plan, Task, UnitRef
from zwgk.units._registry import UnitRegistry
from zwgk.units.shapes import LEVEL_PREFIXES

__all__ = ["MIN_ONE_EDIT", "MIN_TWO_EDITS", "UNSURE", "correct_misreads", "misread_of", "sequence_breaks"]

#: A name must have this many characters before one misread character is corrected.
MIN_ONE_EDIT = 5
#: And this many before two are.
MIN_TWO_EDITS = 8
#: A row read with less confidence than this may take a unit the document names elsewhere.
UNSURE = 0.9

_NUMERALS = frozenset("0123456789一二三四五六七八九十百千零〇两")


def _allowed(name: str) -> int:
    n = len(name)
    return 2 if n >= MIN_TWO_EDITS else 1 if n >= MIN_ONE_EDIT else 0


def _names_other_unit(written: str, known: str) -> bool:
    """The difference is one a real other unit would have: level prefix or numerals."""
    if len(written) != len(known):
        return False
    diffs = [(a, b) for a, b in zip(written, known, strict=True) if a != b]
    if any(a in _NUMERALS and b in _NUMERALS for a, b in diffs):
        return True
    for prefix in LEVEL_PREFIXES:
        if written.startswith(prefix) != known.startswith(prefix) and any(
                (known if written.startswith(prefix) else written).startswith(p) for p in LEVEL_PREFIXES):
            return True
    return False


def misread_of(written: str, candidates: Iterable[str]) -> tuple[str, int] | None:
    """The one candidate ``written`` is a misreading of, with the number of characters that differ."""
    bound = _allowed(written)
    if bound == 0:
        return None
    best: list[str] = []
    best_d = bound + 1
    for cand in candidates:
        if cand == written or len(cand) != len(written):
            continue
        d = sum(a != b for a, b in zip(written, cand, strict=True))
        if d > bound or _names_other_unit(written, cand):
            continue
        if d < best_d:
            best, best_d = [cand], d
        elif d == best_d and cand not in best:
            best.append(cand)
    if len(best) != 1:
        return None
    return best[0], best_d


def correct_misreads(plan: Plan, registry: UnitRegistry) -> Plan:
    """``plan`` with each misread unit name resolved to the unit it names (see the module), among
    the units that serve the plan's region and level only."""
    registry = registry.serving(plan.metadata.region, plan.metadata.level)
    refs = [r for t in plan.tasks for r in t.units()]
    counts = Counter(r.name for r in refs)
    known = [u.name for u in registry.units()]
    aliases = {a: u.name for u in registry.units() for a in u.aliases}
    seen = [n for n, c in counts.items() if c > 1 or any(r.resolved for r in refs if r.name == n)]
    pools = {False: list(dict.fromkeys([*known, *aliases])), True: list(dict.fromkeys([*known, *aliases, *seen]))}
    fixed: dict[tuple[str, bool], UnitRef | None] = {}

    def fix(ref: UnitRef, unsure: bool) -> UnitRef:
        if ref.resolved or counts[ref.name] > 1:
            return ref
        key = (ref.name, unsure)
        if key not in fixed:
            hit = misread_of(ref.name, pools[unsure])
            if hit is None:
                fixed[key] = None
            else:
                target, d = hit
                canonical = aliases.get(target, target)
                unit = registry.get(canonical)
                kind = unit.kind if unit is not None else next(
                    (r.kind for r in refs if r.name == canonical), ref.kind)
                what = "one character differs" if d == 1 else f"{d} characters differ"
                fixed[key] = UnitRef(ref.as_written, canonical, kind, unit is not None,
                                     f"read as {ref.name} by OCR; taken as {canonical} ({what})")
        new = fixed[key]
        return ref if new is None else evolve(new, as_written=ref.as_written)

    tasks = []
    changed = False
    for t in plan.tasks:
        unsure = t.source is not None and t.source.confidence is not None and t.source.confidence < UNSURE
        leads, resp, coop = (tuple(fix(r, unsure) for r in rs) for rs in (t.leads, t.responsible, t.cooperating))
        if (leads, resp, coop) != (t.leads, t.responsible, t.cooperating):
            changed = True
            t = evolve(t, leads=leads, responsible=resp, cooperating=coop)
        tasks.append(t)
    return evolve(plan, tasks=tuple(tasks)) if changed else plan


def sequence_breaks(tasks: Iterable[Task]) -> list[tuple[Task, str]]:
    """Each task whose serial, or the number of a heading it opens, does not follow the one before.

    Serials are expected to count up by one (a serial that starts again at 1 opens a new count,
    as tables numbered within each category do); the headings of each level likewise, counted
    again under each new heading above.
    """
    out: list[tuple[Task, str]] = []
    # After a break, either count may go on: the one before it (the serial was misread) or the
    # one it started (rows are missing); a serial following either is in sequence.
    counts: set[int] = set()
    last_heading: dict[tuple[str, ...], int] = {}
    path: tuple[str, ...] = ()
    for t in tasks:
        n = t.serial_number
        if n is not None:
            if counts and n != 1 and n - 1 not in counts:
                out.append((t, f"serial {t.serial} follows {max(counts)}"))
                counts = {n, min(counts) + 1}
            else:
                counts = {n}
        elif t.serial:
            out.append((t, f"serial {t.serial!r} is no number"))
        for depth in range(len(t.path)):
            if depth < len(path) and t.path[depth] == path[depth]:
                continue
            number = parse_number(t.path[depth])
            if number is None:
                continue
            parent = t.path[:depth]
            before = last_heading.get(parent)
            if before is not None and number != before + 1:
                out.append((t, f"heading {t.path[depth]!r} follows number {before}"))
            elif before is None and number != 1:
                out.append((t, f"heading {t.path[depth]!r} is the first under its heading but not number 1"))
            last_heading[parent] = number
        path = t.path
    return out
