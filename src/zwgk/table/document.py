"""What a reader hands over (:class:`Document`), and the one place that decides what of it is read.

A reader knows its file format and nothing else: it turns the file into a :class:`Document`, the
tables as :class:`~zwgk.table.grid.Grid` objects (each with the text before and after it) and the
body paragraphs, and says how many tables the file holds. Everything that is the same for every
format is decided here, once, by :func:`grids_of`:

- the options ``table=`` (a whole number from 1 up) and ``layout=`` (``"table"`` or ``"list"``), and
  that the two are not given together with ``layout="list"``;
- which tables are read (``table=N``: the N-th; else all of them, and the builder keeps those whose
  header it recognises), or whether the paragraphs are read instead (:mod:`zwgk.table.paragraphs`);
- every "no table" message: ``table=N`` past the last table, a file with no table and no task
  paragraph;
- the title: the builder (:func:`zwgk.table.build.build_plan`) chooses it among the lines above
  the first task table (:meth:`~zwgk.model.Metadata.title_of`) and reads the plan's metadata from it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from attrs import evolve, field, frozen

from zwgk.errors import LayoutError, ParseError, Position, bad_table_number, no_table
from zwgk.table.grid import Grid, Paragraph, ReadLayout
from zwgk.table.layout import find_header
from zwgk.table.paragraphs import LOOKED_FOR, find_tasks, grid_of

__all__ = ["LAYOUTS", "Document", "Paragraph", "ReadLayout", "check_choice", "grids_of"]

#: The values of the ``layout`` option: only the tables, or only the paragraphs.
LAYOUTS: tuple[ReadLayout, ...] = ("table", "list")


def _tables(value: Iterable[Grid]) -> tuple[Grid, ...]:
    return tuple(value)


def _grids_or_function(value: Iterable[Grid] | Callable[[], Iterable[Grid]]) -> (
        tuple[Grid, ...] | Callable[[], Iterable[Grid]]):
    return value if callable(value) else tuple(value)


def _paragraphs(value: Sequence[Paragraph] | Callable[[], Sequence[Paragraph]]) -> (
        Sequence[Paragraph] | Callable[[], Sequence[Paragraph]]):
    return value if callable(value) else tuple(value)


@frozen
class Document:
    """What a reader makes of a file: its tables and its body paragraphs, nothing decided yet.

    A reader returns one from its ``read(source, **options)``; :func:`grids_of` (called by
    :func:`zwgk.load`) decides what of it becomes the plan, so a reader never looks at ``table=``
    or ``layout=``, never picks a title and never words a "no table" error.

    :param tables: every table of the file, in document order, as :class:`~zwgk.table.grid.Grid`
        objects. Each grid's ``table`` is its number in the file (1-based; what ``table=N`` asks
        for), its ``preamble`` the lines of text right above it (the title is chosen among them)
        and its ``epilogue`` the lines after it up to the next table (after the last table: up to
        the end of the document). A reader leaves ``Grid.title`` unset: the core chooses it.
    :param paragraphs: the body paragraphs outside tables, in order, as ``(text, position)`` pairs
        (:data:`~zwgk.table.paragraphs.Paragraph`, ``position.line`` the paragraph's number).
        They are read as task paragraphs when no table is a task table or with ``layout="list"``.
        A reader for which collecting them costs a second pass gives a function returning them,
        called only when they are read. A format with no paragraphs (a workbook) leaves it empty.
    :param table_count: how many tables the file holds, when that is more than ``tables`` (a table
        with no rows, which gives no grid, still counts); by default ``len(tables)``.
    :param inner: the tables read with every table that holds tables taken as page layout (a
        site's frame, a one-cell box around a Word document's content): the tables holding none, in
        document order and numbered so, the layout tables' other text the lines around them. Read
        when no table of ``tables`` is a task table and one of these is. A reader that finds no
        table in a table leaves it empty; one for which it costs a pass gives a function.
    :param kind: what the file is, for messages: ``"document"``, ``"page"``, ``"workbook"``.
    :param table_noun: what ``table=N`` counts in this format (a workbook's ``"sheet"``).
    :param tables_are: what a table is in this format, said when none is found
        (``"Word tables"``, ``"<table> elements"``).

    >>> from zwgk.table import Cell, Grid
    >>> doc = Document((Grid(((Cell("序号"), Cell("工作任务"), Cell("牵头单位")),), table=1,
    ...                      preamble=("附件", "2020年某某市政务公开工作任务分解表")),))
    >>> [g.table for g in grids_of(doc, table=1)]
    [1]
    """

    tables: tuple[Grid, ...] = field(default=(), converter=_tables)
    paragraphs: Sequence[Paragraph] | Callable[[], Sequence[Paragraph]] = field(default=(), converter=_paragraphs)
    table_count: int | None = None
    kind: str = "document"
    table_noun: str = "table"
    tables_are: str = "tables"
    inner: Iterable[Grid] | Callable[[], Iterable[Grid]] = field(default=(), converter=_grids_or_function)

    def inner_tables(self) -> tuple[Grid, ...]:
        """:attr:`inner` (read now when the reader gave a function)."""
        return tuple(self.inner() if callable(self.inner) else self.inner)

    def body(self) -> Sequence[Paragraph]:
        """The body paragraphs (collected now when the reader gave a function)."""
        return self.paragraphs() if callable(self.paragraphs) else self.paragraphs

    @property
    def count(self) -> int:
        """How many tables the file holds."""
        return self.table_count if self.table_count is not None else len(self.tables)


def check_choice(table: object, layout: object, where: Position) -> None:
    """Refuse a ``table=`` that is no whole number from 1 up, a ``layout=`` that is not one of
    :data:`LAYOUTS`, and ``table=`` with ``layout="list"`` (a table, or the paragraphs: not both).

    The same :class:`~zwgk.errors.ParseError` for every format, raised before the file is read.
    """
    if (bad := bad_table_number(table, where)) is not None:
        raise bad
    if layout is not None and layout not in LAYOUTS:
        raise ParseError(f"layout must be 'table' or 'list', not {layout!r}", where)
    if table is not None and layout == "list":
        raise ParseError("table= reads a table; layout='list' reads the paragraphs instead: give one", where)


def _is_task_table(grid: Grid) -> bool:
    """Whether the layout finds a header row in ``grid`` (the cheap first step of the layout: the
    builder lays the table out in full, and names what is missing)."""

    grid.width  # noqa: B018  (the limits first: a grid too wide is refused before any header is looked for)
    try:
        find_header(grid)
    except LayoutError:
        return False
    return True


def _beside_paragraphs(grid: Grid, source: str | None) -> str:
    """What is said of a table in a document read as task paragraphs (none of its tables a task
    table, or ``layout="list"``)."""
    at = Position(file=grid.source or source, table=grid.table).describe()
    first = " ".join(f"「{c.text.strip()}」" for c in grid.rows[0] if c.text.strip()) if grid.rows else ""
    return (f"{at}: not read (the document is read as task paragraphs); its text is not in the plan"
            + (f": {len(grid.rows)} rows, the first {first}" if first else ""))


def grids_of(document: Document, *, table: int | None = None, layout: ReadLayout | None = None,
             source: str | None = None) -> list[Grid]:
    """The grids the builder reads from ``document``: its tables, or the grid its paragraphs write.

    ``table=N`` reads the N-th table alone (a :class:`~zwgk.errors.ParseError` when the file holds
    fewer). ``layout="table"`` reads only the tables and ``"list"`` only the paragraphs. By default
    the tables are read when one of them is a task table (a header the layout recognises), else the
    tables inside layout tables (:attr:`Document.inner`) when one of them is;
    otherwise the paragraphs are, and when they hold no task either the tables are returned for the
    builder to name what it found in them, or, with no table at all, the error says what was looked
    for. ``source`` names the file in errors.
    """
    # The paragraph rules (regular expressions compiled at import) are loaded when a file is read,
    # not with ``import zwgk``.

    where = Position(file=source)
    check_choice(table, layout, where)
    tables = document.tables
    container = f"this {document.kind}"
    if table is not None:
        chosen = [g for g in tables if g.table == table]
        if chosen:
            return chosen
        if table <= document.count:  # a table the file holds, with no row in it (no grid)
            raise ParseError(f"{document.table_noun} {table} of {container} is empty", where)
        raise no_table(table, max(document.count, len(tables)), where, container, document.table_noun)
    missing = f"no table found in {container}: zwgk reads task tables ({document.tables_are})"
    has_task_table = layout != "list" and any(_is_task_table(g) for g in tables)
    if layout != "list" and not has_task_table:
        inner = document.inner_tables()  # tables inside layout tables
        if any(_is_task_table(g) for g in inner):
            return list(inner)
    if layout == "table" or (layout is None and has_task_table):
        if not tables:
            raise ParseError(missing, where)
        return list(tables)
    body = document.body()
    found = find_tasks(body)
    if found.tasks:
        grid = grid_of(found, source)
        if tables:  # tables beside task paragraphs, none a task table: said, not dropped silently
            grid = evolve(grid, unaccounted=(*grid.unaccounted, *(_beside_paragraphs(g, source) for g in tables)))
        return [grid]
    if tables and layout is None:
        return list(tables)
    if layout is not None:
        raise ParseError(LOOKED_FOR.replace("no task paragraphs either: ", "no task paragraphs found: "), where)
    if not any(text.strip() for text, _ in body):  # a format without paragraphs, or none written
        raise ParseError(missing, where)
    raise ParseError(f"{missing}; {LOOKED_FOR}", where)
