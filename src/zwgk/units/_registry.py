"""The unit registry: canonical units, their aliases, and the splitting of unit cells."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from attrs import define, field, frozen

from zwgk.model import Unit, UnitKind, UnitRef
from zwgk.units._split import clean_name, ends_like_unit, split_pieces

__all__ = ["ParsedCell", "UnitRegistry", "guess_kind"]

_OPEN_SUFFIXES = ("等",)


@frozen
class ParsedCell:
    """What a unit cell says: the units, whether the list was left open (等), and any warnings."""

    refs: tuple[UnitRef, ...]
    open_list: bool = False
    warnings: tuple[str, ...] = ()


def guess_kind(name: str) -> UnitKind:
    """A kind for a unit nobody described, from the shape of its name."""
    if name.startswith("各") or "各部门" in name or "有关部门" in name or "相关部门" in name:
        return UnitKind.COLLECTIVE
    if name.endswith(("学院", "大学", "学校", "中学", "小学")):
        return UnitKind.SCHOOL
    if name.endswith(("公司", "集团", "银行")):
        return UnitKind.ENTERPRISE
    if name.startswith(("市委", "县委", "区委", "省委")) or name.endswith(("宣传部", "组织部", "统战部")):
        return UnitKind.PARTY_BODY
    if name.endswith(("县政府", "区政府", "市政府", "人民政府")) and not name.startswith("市政府"):
        return UnitKind.COUNTY_GOVERNMENT
    if name.endswith(("中心", "院", "所", "站", "馆")):
        return UnitKind.PUBLIC_INSTITUTION
    if name.endswith(("局", "委", "办", "厅", "部", "办公室", "委员会")):
        return UnitKind.DEPARTMENT
    return UnitKind.OTHER


@define
class UnitRegistry:
    """Canonical units and the names they go by.

    Lookups match on the cleaned name (whitespace and line breaks removed); display always uses the
    canonical name and every :class:`UnitRef` keeps what was written.
    """

    _units: dict[str, Unit] = field(factory=dict)
    _aliases: dict[str, str] = field(factory=dict)

    def add(self, unit: Unit) -> Unit:
        """Add (or replace) a canonical unit and index its aliases."""
        self._units[unit.name] = unit
        self._aliases[clean_name(unit.name)] = unit.name
        for alias in unit.aliases:
            self._aliases[clean_name(alias)] = unit.name
        return unit

    def alias(self, alias: str, canonical: str) -> None:
        """Make ``alias`` resolve to the canonical unit ``canonical`` (which must exist)."""
        unit = self._units[canonical]
        if alias not in unit.aliases and alias != unit.name:
            self._units[canonical] = Unit(unit.name, unit.kind, (*unit.aliases, alias), unit.covers)
        self._aliases[clean_name(alias)] = canonical

    def resolve(self, name: str) -> Unit | None:
        """The canonical unit ``name`` stands for, or ``None``."""
        canonical = self._aliases.get(clean_name(name))
        return self._units[canonical] if canonical is not None else None

    def __iter__(self) -> Iterator[Unit]:
        return iter(self._units.values())

    def __len__(self) -> int:
        return len(self._units)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.resolve(name) is not None

    def merge(self, other: UnitRegistry) -> None:
        """Add every unit and alias of ``other`` to this registry."""
        for unit in other:
            self.add(unit)
        for alias, canonical in other._aliases.items():
            self._aliases.setdefault(alias, canonical)

    def copy(self) -> UnitRegistry:
        return UnitRegistry(dict(self._units), dict(self._aliases))

    def _is_complete(self, text: str) -> bool:
        return self.resolve(text) is not None or ends_like_unit(text)

    def parse_cell(self, text: str) -> ParsedCell:
        """Split a unit cell into :class:`UnitRef` objects, noting a trailing 等."""
        pieces, warnings = split_pieces(text, self._is_complete)
        refs: list[UnitRef] = []
        open_list = False
        for piece in pieces:
            name = clean_name(piece.as_written)
            if name.endswith(_OPEN_SUFFIXES) and self.resolve(name) is None:
                name = name[: -len("等")]
                open_list = True
                if not name:
                    continue
            refs.append(self.ref(piece.as_written, name))
        return ParsedCell(tuple(refs), open_list, tuple(warnings))

    def split(self, text: str) -> list[UnitRef]:
        """The unit references a cell names (see :meth:`parse_cell` for the open-list flag)."""
        return list(self.parse_cell(text).refs)

    def ref(self, as_written: str, name: str | None = None) -> UnitRef:
        """A reference for one written name, resolved against the registry."""
        key = name if name is not None else clean_name(as_written)
        unit = self.resolve(key)
        if unit is not None:
            return UnitRef(as_written, unit.name, unit.kind, True)
        return UnitRef(as_written, key, guess_kind(key), False)

    @classmethod
    def of(cls, units: Iterable[Unit]) -> UnitRegistry:
        reg = cls()
        for u in units:
            reg.add(u)
        return reg


_COLLECTIVES = (
    Unit("各县（市、区）", UnitKind.COLLECTIVE, ("各县(市、区)", "各县市区", "各县（市、区）政府",
                                             "各县（市、区）人民政府"), ("kind:county-government",)),
    Unit("市政府各部门（单位）", UnitKind.COLLECTIVE, ("市政府各部门(单位)", "市政府各部门", "市直各部门",
                                              "各市直部门", "市直各部门（单位）"), ("kind:department",)),
    Unit("市政府各相关部门（单位）", UnitKind.COLLECTIVE, ("市政府各相关部门(单位)", "市政府相关部门",
                                                "市政府各相关部门"), ("some:kind:department",)),
    Unit("市政府有关部门（单位）", UnitKind.COLLECTIVE, ("市政府有关部门(单位)", "市政府有关部门"),
         ("some:kind:department",)),
)


def default_registry() -> UnitRegistry:
    """A fresh registry holding the generic collectives."""
    return UnitRegistry.of(_COLLECTIVES)
