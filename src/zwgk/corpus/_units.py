"""Corpus-level units: one registry learned over a whole batch, with each unit's spellings and documents.

Each document's ``units`` rows give its canonical units and the spellings it wrote them with.
:class:`CorpusUnits` gathers them over every document: how many documents name each unit, in which
spellings, and in how many tasks. :meth:`CorpusUnits.registry` turns that into a
:class:`~zwgk.UnitRegistry` (a spelling belongs to the unit most documents give it to) and
:meth:`CorpusUnits.to_toml` writes it in the registry file format, to read the next batch with.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable

import attrs
import pyarrow as pa

from zwgk.errors import UnitError
from zwgk.model import Unit, UnitKind
from zwgk.units import UnitRegistry, dumps_registry

__all__ = ["UNIT_COLUMNS", "CorpusUnit", "CorpusUnits"]


@attrs.define
class CorpusUnit:
    """One canonical unit over the corpus."""

    name: str
    kind: UnitKind
    documents: int = 0  # documents naming it
    tasks: int = 0  # tasks naming it, summed over documents
    lead: int = 0  # tasks it leads, summed over documents
    spellings: Counter[str] = attrs.field(factory=Counter)  # spelling → documents writing it so


UNIT_COLUMNS = ("doc_id", "unit", "kind", "spellings", "tasks", "lead")
"""The columns of the ``units`` table that :meth:`CorpusUnits.add_rows` reads."""


class CorpusUnits:
    """Units learned over many documents (feed it the ``units`` table, a batch at a time)."""

    def __init__(self) -> None:
        self.units: dict[str, CorpusUnit] = {}
        self._docs: set[str] = set()

    @property
    def documents(self) -> int:
        """How many documents were added."""
        return len(self._docs)

    def add_rows(self, batch: pa.RecordBatch | pa.Table) -> None:
        """Add ``units`` rows (the :data:`UNIT_COLUMNS` of the ``units`` table)."""
        docs, names, kinds, spellings, tasks, leads = (batch.column(name).to_pylist() for name in UNIT_COLUMNS)
        self._docs.update(docs)
        units, get = self.units, self.units.get
        for name, kind, spelled, n_tasks, lead in zip(names, kinds, spellings, tasks, leads, strict=True):
            unit = get(name)
            if unit is None:
                unit = units[name] = CorpusUnit(name, UnitKind(kind))
            unit.documents += 1
            unit.tasks += n_tasks
            unit.lead += lead
            if spelled:  # most units are written only as their name: no spellings
                unit.spellings.update(spelled)

    @classmethod
    def from_batches(cls, batches: Iterable[pa.RecordBatch | pa.Table]) -> CorpusUnits:
        out = cls()
        for b in batches:
            out.add_rows(b)
        return out

    def ranked(self) -> list[CorpusUnit]:
        """Units by the number of documents naming them, most first (then by name)."""
        return sorted(self.units.values(), key=lambda u: (-u.documents, u.name))

    def registry(self) -> UnitRegistry:
        """A registry of every unit, each spelling kept by the unit most documents wrote it for."""
        owner: dict[str, tuple[int, str]] = {}
        for u in self.units.values():
            for spelling, n in u.spellings.items():
                best = owner.get(spelling)
                if spelling not in self.units and (best is None or (n, u.name) > best):
                    owner[spelling] = (n, u.name)
        reg = UnitRegistry()
        for u in self.ranked():
            aliases = tuple(s for s, _ in u.spellings.most_common() if owner.get(s, (0, ""))[1] == u.name)
            try:
                reg.add(Unit(u.name, u.kind, aliases))
            except UnitError:  # a spelling the registry reads as another unit's: keep the unit, not it
                reg.add(Unit(u.name, u.kind))
        return reg

    def to_toml(self, path: str | os.PathLike[str] | None = None) -> str:
        """The registry as TOML (see ``docs/units.md``), also written to ``path`` when given."""
        text = (f"# units learned by zwgk batch over {self.documents} documents, "
                f"most widely named first\n" + dumps_registry(self.registry()))
        if path is not None:
            tmp = f"{os.fspath(path)}.tmp"
            with open(tmp, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
            os.replace(tmp, path)
        return text
