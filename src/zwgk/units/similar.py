"""Near-duplicate unit names: two spellings that probably name the same unit.

Two names are near duplicates when one of these holds:

``written``
    They are equal after Unicode compatibility normalisation (full-width and half-width brackets)
    and after writing the plan's own region as the bare level (泰安市生态环境局 → 市生态环境局).
``prefix``
    One is the other without its level prefix: 生态环境局 / 市生态环境局, 市场监管局 / 市市场监管局.
    Names with different levels (市教育局 / 县教育局) are not near duplicates.
``typo``
    Same level prefix, same kind of body (the type suffix: 局, 委, 中心, 学院, ..., from the name
    shapes of :mod:`~zwgk.units.shapes`), and the distinctive middle part (the *core*) differs by
    a small edit distance: at most 1 for cores of 4 to 7 characters, at most 2 for longer ones,
    never for cores shorter than 4 (市民政局 and
    市财政局 differ by one character and are different units). Cores that differ only in numerals
    (第一中学 / 第二中学) are different units.

:func:`similar` is the predicate; :class:`SimilarityIndex` finds every pair the predicate accepts
without comparing all pairs: names are blocked by level and type suffix, and within a block
candidates share a deletion variant of their core (every string within edit distance *d* of another
shares a string obtained by at most *d* deletions from each), so only true candidates reach the
bounded edit distance. Its results equal those of applying :func:`similar` to all pairs.
"""

from __future__ import annotations

import functools
import itertools
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator

from attrs import frozen

from zwgk.units.shapes import LEVEL_PREFIXES, TYPE_SUFFIXES

__all__ = [
    "SUGGEST_DISTANCE",
    "SimilarPair",
    "SimilarityIndex",
    "bounded_distance",
    "near_duplicates",
    "similar",
    "suggestions",
]

_NUMERALS = frozenset("0123456789一二三四五六七八九十百千零〇两")
_MIN_CORE = 4  # cores shorter than this never count as typos of each other
_LONG_CORE = 8  # cores at least this long allow two edits
_MIN_SUGGEST_CORE = 2  # a core this short (市财证局: 财证) is still offered a "did you mean"
_CACHED = 1 << 16  # names whose parts and deletion variants are kept, across plans


@frozen
class SimilarPair:
    """Two names that probably name the same unit, in sorted order, with the rule that matched."""

    a: str
    b: str
    reason: str  # "written", "prefix" or "typo"
    distance: int = 0  # edit distance between the cores, for "typo"


@frozen
class _Parts:
    norm: str  # the normalised name
    level: str  # the level prefix ("" when none)
    core: str  # what lies between the level prefix and the type suffix
    suffix: str  # the type suffix ("" when none)


def _normalise(name: str, region: str | None) -> str:
    norm = unicodedata.normalize("NFKC", "".join(name.split()))
    if region:
        reg = unicodedata.normalize("NFKC", region)
        if len(reg) > 1 and norm.startswith(reg) and len(norm) > len(reg):
            norm = reg[-1] + norm[len(reg):]
    return norm


@functools.lru_cache(maxsize=_CACHED)
def _parts(name: str, region: str | None) -> _Parts:
    norm = _normalise(name, region)
    level = next((p for p in LEVEL_PREFIXES if norm.startswith(p) and len(norm) > len(p)), "")
    rest = norm[len(level):]
    suffix = next((s for s in TYPE_SUFFIXES if rest.endswith(s) and len(rest) > len(s)), "")
    core = rest[: len(rest) - len(suffix)] if suffix else rest
    return _Parts(norm, level, core, suffix)


def _allowed(core_length: int) -> int:
    """How many edits a core of this length may differ by and still be a typo."""
    if core_length < _MIN_CORE:
        return 0
    return 1 if core_length < _LONG_CORE else 2


def bounded_distance(a: str, b: str, bound: int) -> int | None:
    """The Levenshtein distance of ``a`` and ``b`` when it is at most ``bound``, else ``None``.

    Only a diagonal band of width ``2 * bound + 1`` is computed: O(len × bound).
    """
    if abs(len(a) - len(b)) > bound:
        return None
    if a == b:
        return 0
    big = bound + 1
    previous = [j if j <= bound else big for j in range(len(b) + 1)]
    for i in range(1, len(a) + 1):
        lo = max(1, i - bound)
        hi = min(len(b), i + bound)
        current = [big] * (len(b) + 1)
        current[0] = i if i <= bound else big
        best = current[0]
        for j in range(lo, hi + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            current[j] = value if value <= bound else big
            best = min(best, current[j])
        if best > bound:
            return None
        previous = current
    result = previous[len(b)]
    return result if result <= bound else None


def _differ_in_numerals_only(a: str, b: str) -> bool:
    strip_a = "".join(ch for ch in a if ch not in _NUMERALS)
    strip_b = "".join(ch for ch in b if ch not in _NUMERALS)
    return strip_a == strip_b


def _compare(pa: _Parts, pb: _Parts, a: str, b: str) -> SimilarPair | None:
    first, second = sorted((a, b))
    if pa.norm == pb.norm:
        return SimilarPair(first, second, "written")
    for short, long in ((pa.norm, pb.norm), (pb.norm, pa.norm)):
        if len(short) >= 2 and any(long == p + short for p in LEVEL_PREFIXES):
            return SimilarPair(first, second, "prefix")
    if pa.level != pb.level or pa.suffix != pb.suffix:
        return None
    bound = _allowed(min(len(pa.core), len(pb.core)))
    if bound == 0:
        return None
    distance = bounded_distance(pa.core, pb.core, bound)
    if distance is None or distance == 0 or _differ_in_numerals_only(pa.core, pb.core):
        return None
    return SimilarPair(first, second, "typo", distance)


def similar(a: str, b: str, *, region: str | None = None) -> SimilarPair | None:
    """The :class:`SimilarPair` when ``a`` and ``b`` probably name the same unit, else ``None``.

    ``region`` is the plan's own region (泰安市), whose full name stands for the bare level prefix.
    Identical names are not a pair.
    """
    if a == b:
        return None
    return _compare(_parts(a, region), _parts(b, region), a, b)


@functools.lru_cache(maxsize=_CACHED)
def _variants(core: str, depth: int) -> tuple[str, ...]:
    """The distinct :func:`_deletions` of ``core`` (a batch meets the same names in many plans)."""
    return tuple(set(_deletions(core, depth)))


def _deletions(core: str, depth: int) -> Iterator[str]:
    """``core`` and every string made from it by deleting up to ``depth`` characters."""
    yield core
    for k in range(1, min(depth, len(core)) + 1):
        for kept in itertools.combinations(range(len(core)), len(core) - k):
            yield "".join(core[i] for i in kept)


class SimilarityIndex:
    """An index of names answering "which indexed names is this one a near duplicate of?".

    Adding a name costs O(number of its deletion variants) (at most a few hundred for long names);
    a query touches only names sharing the query's block and a deletion variant or a prefix form.
    """

    def __init__(self, names: Iterable[str] = (), *, region: str | None = None) -> None:
        self.region = region
        self.compared = 0  #: candidate pairs checked by the predicate so far (a measure of the pruning)
        self._parts: dict[str, _Parts] = {}
        self._by_norm: dict[str, list[str]] = defaultdict(list)
        self._by_key: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        self._by_block: dict[tuple[str, str], list[str]] = defaultdict(list)
        for name in names:
            self.add(name)

    def __contains__(self, name: object) -> bool:
        return name in self._parts

    def __len__(self) -> int:
        return len(self._parts)

    def add(self, name: str) -> None:
        """Index ``name`` (adding a name twice has no effect)."""
        if name in self._parts:
            return
        parts = _parts(name, self.region)
        self._parts[name] = parts
        self._by_norm[parts.norm].append(name)
        if parts.suffix:
            self._by_block[(parts.level, parts.suffix)].append(name)
        for variant in _variants(parts.core, _allowed(len(parts.core))):
            self._by_key[(parts.level, parts.suffix, variant)].append(name)

    def _candidates(self, name: str, parts: _Parts) -> Iterator[str]:
        yield from self._by_norm.get(parts.norm, ())
        for p in LEVEL_PREFIXES:
            yield from self._by_norm.get(p + parts.norm, ())
            if parts.norm.startswith(p):
                yield from self._by_norm.get(parts.norm[len(p):], ())
        depth = _allowed(len(parts.core))
        if depth:
            for variant in _variants(parts.core, depth):
                yield from self._by_key.get((parts.level, parts.suffix, variant), ())

    def query(self, name: str) -> list[SimilarPair]:
        """The indexed names ``name`` is a near duplicate of (``name`` itself excluded)."""
        parts = self._parts.get(name) or _parts(name, self.region)
        out: dict[str, SimilarPair] = {}
        for other in self._candidates(name, parts):
            if other == name or other in out:
                continue
            self.compared += 1
            pair = _compare(parts, self._parts[other], name, other)
            if pair is not None:
                out[other] = pair
        return list(out.values())

    def suggest(self, name: str) -> list[str]:
        """The indexed names ``name`` may be a misspelling of, nearest first.

        Every near duplicate (:meth:`query`) counts, and so does a name with the same level prefix
        and type suffix whose core differs by :data:`SUGGEST_DISTANCE` edit however short the core
        (``市财证局`` → ``市财政局``, ``市教肓局`` → ``市教育局``), numerals apart. For hints only.
        """
        parts = self._parts.get(name) or _parts(name, self.region)
        found = {p.b if p.a == name else p.a: p.distance for p in self.query(name)}
        if parts.suffix and len(parts.core) >= _MIN_SUGGEST_CORE:
            for other in self._by_block.get((parts.level, parts.suffix), ()):
                theirs = self._parts[other].core
                if other == name or other in found or len(theirs) < _MIN_SUGGEST_CORE:
                    continue
                d = bounded_distance(parts.core, theirs, SUGGEST_DISTANCE)
                if d and not _differ_in_numerals_only(parts.core, theirs):
                    found[other] = d
        return sorted(found, key=lambda n: found[n])

    def pairs(self) -> list[SimilarPair]:
        """Every near-duplicate pair among the indexed names, each once, in order of first name."""
        seen: set[tuple[str, str]] = set()
        out: list[SimilarPair] = []
        for name in self._parts:
            for pair in self.query(name):
                key = (pair.a, pair.b)
                if key not in seen:
                    seen.add(key)
                    out.append(pair)
        return out


def near_duplicates(names: Iterable[str], *, region: str | None = None) -> list[SimilarPair]:
    """Every pair among ``names`` that probably names the same unit (see the module docs)."""
    return SimilarityIndex(names, region=region).pairs()



#: Edits a name unknown to the registry may differ by from a registered one and still be offered
#: as "did you mean" (short cores too: 市财证局 → 市财政局). Only a hint: never a resolution.
SUGGEST_DISTANCE = 1


def suggestions(name: str, known: Iterable[str], *, region: str | None = None) -> list[str]:
    """The names of ``known`` that ``name`` may be a misspelling of, nearest first
    (:meth:`SimilarityIndex.suggest`)."""
    return SimilarityIndex(known, region=region).suggest(name)
