"""How the tasks of two plans are paired: the one matching engine of ``zwgk.diff`` and ``zwgk.analysis.compare``.

Matching goes in three steps:

1. **Categories.** An old category path maps to the same path in the new plan; else to the path
   with the same headings once numbering and whitespace are set aside (``（三）推进…`` and
   ``（四）推进…``); else to the new path holding most of its tasks word for word (at least
   ``CATEGORY_OVERLAP`` of the smaller of the two): the category was *renamed*.
2. **The same text** (whitespace and a leading item number such as ``12.`` or ``（3）`` set aside):
   first within mapped categories, then anywhere (a task that moved keeps its pair).
3. **Similar text**, scored by :func:`similarity` (``2·LCS / (len(a) + len(b))`` on the same keys,
   computed with rapidfuzz): first within mapped categories, then across categories; in each
   stage the best-scoring pair is taken first, and a pair counts only when it reaches the
   threshold (``REWORD_THRESHOLD``, 0.6: rewording a clause keeps a score near 0.8–0.95, while
   two different tasks of one table rarely reach 0.5).

Everything else is added or removed. When more than ``PAIR_BUDGET`` pairs of leftover tasks would
be scored in one stage, each new task is scored only against the ``CANDIDATES`` old tasks sharing
most three-character runs with it (runs found in more than one text in 20 left out).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from attrs import frozen

from zwgk._numbering import strip_numbering
from zwgk.errors import ZwgkError
from zwgk.model import Task

__all__ = ["CANDIDATES", "CATEGORY_OVERLAP", "PAIR_BUDGET", "REWORD_THRESHOLD", "Matching", "category_key",
           "marked", "match_tasks", "similarity", "task_key", "text_diff"]

#: Least similarity (0–1) for two different texts to count as one task reworded.
REWORD_THRESHOLD = 0.6
#: Share of the smaller category's tasks two category paths must have in common (same text) for a
#: vanished path to count as renamed to the other.
CATEGORY_OVERLAP = 0.5
#: Pairs of leftover tasks scored exhaustively across categories; beyond it, candidates only.
PAIR_BUDGET = 2_000_000
#: Old tasks scored per new task when the pairs exceed ``PAIR_BUDGET`` (those sharing most
#: three-character runs with it).
CANDIDATES = 50

Path = tuple[str, ...]


def _rapidfuzz() -> Any:
    # Imported on first use: it costs about 40 ms, and ``import zwgk`` does not need it.
    try:
        from rapidfuzz import fuzz, process
        from rapidfuzz.distance import Indel
    except ImportError:
        raise ZwgkError("comparing plans needs rapidfuzz, a dependency of zwgk: pip install rapidfuzz "
                        "(or reinstall zwgk)") from None

    return fuzz, process, Indel


def task_key(text: str) -> str:
    """What two task texts are compared by: whitespace and a leading item number (``12.``, ``（3）``) removed."""
    return strip_numbering("".join(text.split()))


def category_key(path: Path) -> Path:
    """A category path with whitespace and the headings' numbering (一、 （三）) removed."""
    return tuple(task_key(h) for h in path)


def similarity(a: str, b: str) -> float:
    """The similarity of two texts, 0–1: ``2·LCS / (len(a) + len(b))`` of their keys (:func:`task_key`)."""
    fuzz, _, _ = _rapidfuzz()
    score: float = fuzz.ratio(task_key(a), task_key(b)) / 100.0
    return score


def text_diff(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """A character-level diff of two texts as ``(op, text)`` runs, ``op`` one of ``=``, ``-``, ``+``.

    The ``-`` and ``+`` runs joined give ``old`` and ``new`` exactly (with the ``=`` runs). A
    single unchanged character between two edits is folded into them, so that a rewording reads
    as one replacement rather than as scattered letters.
    """
    if old == new:
        return (("=", old),) if old else ()
    _, _, indel = _rapidfuzz()
    blocks: list[list[str]] = []  # [op, old part, new part]
    for op in indel.opcodes(old, new):
        a, b = old[op.src_start:op.src_end], new[op.dest_start:op.dest_end]
        kind = "=" if op.tag == "equal" else "~"
        if blocks and blocks[-1][0] == kind == "~":
            blocks[-1][1] += a
            blocks[-1][2] += b
        else:
            blocks.append([kind, a, b])
    merged: list[list[str]] = []
    for i, block in enumerate(blocks):
        between = 0 < i < len(blocks) - 1 and block[0] == "=" and len(block[1]) == 1
        if (between or block[0] == "~") and merged and merged[-1][0] == "~":
            merged[-1][1] += block[1]
            merged[-1][2] += block[2]
        elif between:
            merged.append(["~", block[1], block[2]])
        else:
            merged.append(list(block))
    out: list[tuple[str, str]] = []
    for kind, a, b in merged:
        if kind == "=":
            out.append(("=", a))
            continue
        if a:
            out.append(("-", a))
        if b:
            out.append(("+", b))
    return tuple(out)


def marked(runs: Iterable[tuple[str, str]]) -> str:
    """Runs of :func:`text_diff` as one line: ``推进[-医疗-]{+医疗卫生领域+}信息公开`` (wdiff's marks)."""
    return "".join(t if op == "=" else f"[-{t}-]" if op == "-" else f"{{+{t}+}}" for op, t in runs)


@frozen
class Matching:
    """The pairs found: ``pairs`` maps a new task's index to (old index, similarity); ``categories``
    maps each old category path that has a counterpart to the new path (itself when kept)."""

    pairs: dict[int, tuple[int, float]]
    categories: dict[Path, Path]


def _paths(tasks: Sequence[Task]) -> dict[Path, list[int]]:
    out: dict[Path, list[int]] = {}
    for i, t in enumerate(tasks):
        out.setdefault(t.path, []).append(i)
    return out


def _map_categories(old_paths: dict[Path, list[int]], new_paths: dict[Path, list[int]],
                    old_keys: Sequence[str], new_keys: Sequence[str]) -> dict[Path, Path]:
    mapping = {p: p for p in old_paths if p in new_paths}
    fresh = [q for q in new_paths if q not in old_paths]
    by_key: dict[Path, list[Path]] = {}
    for q in fresh:
        by_key.setdefault(category_key(q), []).append(q)
    for p in old_paths:
        if p not in mapping:
            same = by_key.get(category_key(p))
            if same:
                mapping[p] = same.pop(0)
    taken = set(mapping.values())
    gone = [p for p in old_paths if p not in mapping]
    fresh = [q for q in fresh if q not in taken]
    if not gone or not fresh:
        return mapping
    keys_in = {q: {new_keys[i] for i in new_paths[q]} for q in fresh}
    scored: list[tuple[float, int, int, Path, Path]] = []
    for order, p in enumerate(gone):
        mine = {old_keys[i] for i in old_paths[p]}
        for q_order, (q, theirs) in enumerate(keys_in.items()):
            shared = len(mine & theirs)
            if shared and shared >= CATEGORY_OVERLAP * min(len(mine), len(theirs)):
                scored.append((shared / max(len(mine), len(theirs)), -order, -q_order, p, q))
    scored.sort(key=lambda s: s[:3], reverse=True)
    for _, _, _, p, q in scored:
        if p not in mapping and q not in taken:
            mapping[p] = q
            taken.add(q)
    return mapping


def _trigrams(text: str) -> set[str]:
    return {text[i:i + 3] for i in range(len(text) - 2)} or {text}


def _encoded(texts: list[str]) -> list[str]:
    """The texts with each character replaced by its rank (the most frequent is ``chr(0)``).

    LCS is the same on these as on the texts, and rapidfuzz looks characters under 256 up in an
    array instead of a hash map: on Chinese text, where the 256 most frequent characters are most
    of the text, scoring is 2.5 to 4 times faster.
    """
    counts: dict[str, int] = {}
    for text in texts:
        for ch in text:
            counts[ch] = counts.get(ch, 0) + 1
    rank = {ch: chr(i) for i, ch in enumerate(sorted(counts, key=lambda c: -counts[c]))}
    return ["".join([rank[ch] for ch in text]) for text in texts]


def _scored(old_keys: Sequence[str], new_keys: Sequence[str], olds: list[int], news: list[int],
            threshold: float) -> list[tuple[float, int, int]]:
    """(score, old index, new index) of every pair of ``olds`` × ``news`` reaching ``threshold``."""
    if not olds or not news:
        return []
    fuzz, process, _ = _rapidfuzz()
    cutoff = threshold * 100.0
    coded = _encoded([old_keys[i] for i in olds] + [new_keys[j] for j in news])
    choices, queries = coded[:len(olds)], coded[len(olds):]
    out: list[tuple[float, int, int]] = []
    if len(olds) * len(news) <= PAIR_BUDGET:
        for j, query in zip(news, queries, strict=True):
            for _, score, k in process.extract(query, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None):
                out.append((score / 100.0, olds[k], j))
        return out
    # Too many pairs: score each new task against the old ones sharing most three-character runs
    # with it, leaving out runs that most texts share (they tell nothing apart).
    index: dict[str, list[int]] = {}
    for k, i in enumerate(olds):
        for g in _trigrams(old_keys[i]):
            index.setdefault(g, []).append(k)
    common = max(CANDIDATES, len(olds) // 20)
    for j, query in zip(news, queries, strict=True):
        shared: dict[int, int] = {}
        for g in _trigrams(new_keys[j]):
            postings = index.get(g, ())
            if len(postings) <= common:
                for k in postings:
                    shared[k] = shared.get(k, 0) + 1
        best = sorted(shared, key=lambda k: (-shared[k], k))[:CANDIDATES]
        subset = [choices[k] for k in best]
        for _, score, m in process.extract(query, subset, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None):
            out.append((score / 100.0, olds[best[m]], j))
    return out


def _take(scored: Iterable[tuple[float, int, int]], pair: dict[int, tuple[int, float]], taken: set[int]) -> None:
    """Pairs best first (then in new and old order), each task at most once."""
    for score, i, j in sorted(scored, key=lambda s: (-s[0], s[2], s[1])):
        if j not in pair and i not in taken:
            pair[j] = (i, score)
            taken.add(i)


def match_tasks(old: Sequence[Task], new: Sequence[Task], threshold: float = REWORD_THRESHOLD) -> Matching:
    """Pair the tasks of two plans (see the module docstring for the rules)."""
    old_keys = [task_key(t.text) for t in old]
    new_keys = [task_key(t.text) for t in new]
    old_paths, new_paths = _paths(old), _paths(new)
    cat_map = _map_categories(old_paths, new_paths, old_keys, new_keys)
    pair: dict[int, tuple[int, float]] = {}
    taken: set[int] = set()

    for within in (True, False):  # the same text: within mapped categories, then anywhere
        free: dict[tuple[Path | None, str], list[int]] = {}
        for i, k in enumerate(old_keys):
            if i not in taken:
                free.setdefault((cat_map.get(old[i].path) if within else None, k), []).append(i)
        for j, k in enumerate(new_keys):
            if j not in pair:
                candidates = free.get((new[j].path if within else None, k))
                if candidates:
                    i = candidates.pop(0)
                    pair[j] = (i, 1.0)
                    taken.add(i)

    # Similar text within mapped categories, one block of scores per category.
    rest_old: dict[Path, list[int]] = {}
    for i, t in enumerate(old):
        if i not in taken and t.path in cat_map:
            rest_old.setdefault(cat_map[t.path], []).append(i)
    rest_new: dict[Path, list[int]] = {}
    for j, t in enumerate(new):
        if j not in pair:
            rest_new.setdefault(t.path, []).append(j)
    within_scores: list[tuple[float, int, int]] = []
    for q, news in rest_new.items():
        within_scores.extend(_scored(old_keys, new_keys, rest_old.get(q, []), news, threshold))
    _take(within_scores, pair, taken)
    # Then across categories.
    olds = [i for i in range(len(old)) if i not in taken]
    news = [j for j in range(len(new)) if j not in pair]
    _take(_scored(old_keys, new_keys, olds, news, threshold), pair, taken)
    return Matching(pair, cat_map)
