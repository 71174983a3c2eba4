"""Hostile input: every input gives a Plan or a ZwgkError, never another exception or a partial read.

Hand-made cases for each known way in (damaged zip entries, huge or bad spans, DTDs, deep pages,
odd charsets, JSON of the wrong shape) and hypothesis properties over random and mutated inputs.
The properties run a few examples by default; ``--hypothesis-profile=deep`` (or ``soak``) runs more
before a release (docs/testing.md).
"""

from __future__ import annotations

import contextlib
import json
import os
import struct
import zipfile
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import zwgk
from tests.bounded import CPU_SECONDS, MEMORY_BYTES, ROOT, load_bounded
from tests.fixtures import docxgen as g
from tests.strategies import examples
from zwgk.errors import ParseError, ZwgkError
from zwgk.model import Plan
from zwgk.table.grid import MAX_COLUMNS, MAX_SPAN

#: Examples per hypothesis property: ten by default, 100 with --hypothesis-profile=deep (docs/testing.md).
fuzz = settings(max_examples=examples(100), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

HEADER = ["工作任务", "牵头单位", "责任单位"]
ROWS = [["推进政务公开标准化。", "市政府办公室", "市财政局"], ["做好政策解读。", "市发展改革委", "各县（市、区）政府"]]


def _docx_rows(rows: list[list[str]]) -> str:
    return g.table([g.row([g.cell(c) for c in HEADER])] + [g.row([g.cell(c) for c in r]) for r in rows], 3)


def _small_docx(tmp_path: Path, name: str = "ok.docx", **kw: str) -> Path:
    return g.write_docx(tmp_path / name, _docx_rows(ROWS), **kw)


def _html(body_rows: str, head: str = "") -> str:
    header = "<tr>" + "".join(f"<td>{c}</td>" for c in HEADER) + "</tr>"
    rows = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in ROWS)
    return f"<html><head>{head}</head><body><table>{header}{rows}{body_rows}</table></body></html>"


def _load_or_error(path: Path) -> Plan | ZwgkError:
    try:
        return zwgk.load(path)
    except ZwgkError as e:
        return e


# -- zip-level damage inside a .docx ------------------------------------------------------------

def _central(data: bytes, name: str) -> int:
    """Offset of the central directory record of ``name``."""
    i = data.index(b"PK\x01\x02")
    while i >= 0:
        n = struct.unpack_from("<H", data, i + 28)[0]
        if data[i + 46:i + 46 + n] == name.encode():
            return i
        i = data.find(b"PK\x01\x02", i + 4)
    raise AssertionError(name)


def _local(data: bytes, name: str) -> int:
    return int(struct.unpack_from("<I", data, _central(data, name) + 42)[0])


def _patched(data: bytes, at: int, fmt: str, value: int) -> bytes:
    b = bytearray(data)
    struct.pack_into(fmt, b, at, value)
    return bytes(b)


def _damaged(data: bytes, how: str) -> bytes:
    name = "word/document.xml"
    c, lo = _central(data, name), _local(data, name)
    if how == "deflate":  # garbage where the deflate stream is
        start = lo + 30 + sum(struct.unpack_from("<HH", data, lo + 26))
        return data[:start] + b"\xff" * 40 + data[start + 40:]
    if how == "lzma":  # the entry claims LZMA; its data is not
        return _patched(_patched(data, c + 10, "<H", 14), lo + 8, "<H", 14)
    if how == "bzip2":
        return _patched(_patched(data, c + 10, "<H", 12), lo + 8, "<H", 12)
    if how == "method":  # a compression method nobody knows
        return _patched(_patched(data, c + 10, "<H", 77), lo + 8, "<H", 77)
    if how == "version":  # "needs zip version 9.9"
        return _patched(data, c + 6, "<H", 99)
    if how == "offset":  # the entry starts past the end of the file
        return _patched(data, c + 42, "<I", len(data) + 1000)
    if how == "crc":
        return _patched(data, c + 16, "<I", 0xDEADBEEF)
    raise AssertionError(how)


@pytest.mark.parametrize("how", ["deflate", "lzma", "bzip2", "method", "version", "offset", "crc"])
def test_damaged_zip_entry_is_a_parse_error_naming_it(tmp_path: Path, how: str) -> None:
    path = tmp_path / f"{how}.docx"
    path.write_bytes(_damaged(_small_docx(tmp_path).read_bytes(), how))
    with pytest.raises(ParseError) as e:
        zwgk.load(path)
    assert str(path) in str(e.value)
    assert "word/document.xml" in str(e.value) or "damaged" in str(e.value)


def test_damaged_rels_entry_is_a_parse_error(tmp_path: Path) -> None:
    data = _small_docx(tmp_path).read_bytes()
    c = _central(data, "_rels/.rels")
    path = tmp_path / "rels.docx"
    path.write_bytes(_patched(data, c + 10, "<H", 77))
    with pytest.raises(ParseError, match=r"_rels/\.rels"):
        zwgk.load(path)


# -- spans ------------------------------------------------------------------------------------

def _span_docx(tmp_path: Path, *, span: str | None = None, before: str | None = None) -> Path:
    props = f'<w:gridSpan w:val="{span}"/>' if span is not None else ""
    cell = f"<w:tc><w:tcPr>{props}</w:tcPr>{g.para('推进工作。')}</w:tc>"
    trpr = f'<w:trPr><w:gridBefore w:val="{before}"/></w:trPr>' if before is not None else ""
    bad = f"<w:tr>{trpr}{cell}{g.cell('市财政局')}{g.cell('市教育局')}</w:tr>"
    body = g.table([g.row([g.cell(c) for c in HEADER]), bad], 3)
    return g.write_docx(tmp_path / "span.docx", body)


@pytest.mark.parametrize("value", ["1000000000", "-1", "abc", "2.5", str(MAX_SPAN + 1)])
def test_bad_grid_span_is_refused_with_its_position(tmp_path: Path, value: str) -> None:
    with pytest.raises(ParseError, match="w:gridSpan") as e:
        zwgk.load(_span_docx(tmp_path, span=value))
    assert e.value.position is not None and e.value.position.row == 2 and e.value.position.table == 1


@pytest.mark.parametrize("value", ["1000000000", "-3", "-1", "x"])
def test_bad_grid_before_is_refused_with_its_position(tmp_path: Path, value: str) -> None:
    with pytest.raises(ParseError, match="w:gridBefore") as e:
        zwgk.load(_span_docx(tmp_path, before=value))
    assert e.value.position is not None and e.value.position.row == 2


def test_docx_row_wider_than_max_columns(tmp_path: Path) -> None:
    cells = "".join(g.cell("x", span=MAX_SPAN) for _ in range(MAX_COLUMNS // MAX_SPAN + 1))
    body = g.table([g.row([g.cell(c) for c in HEADER]), f"<w:tr>{cells}</w:tr>"], 3)
    with pytest.raises(ParseError, match="MAX_COLUMNS"):
        zwgk.load(g.write_docx(tmp_path / "wide.docx", body))


def test_large_valid_spans_still_read(tmp_path: Path) -> None:
    assert len(zwgk.load(_span_docx(tmp_path, span="1"))) == 1
    plan = zwgk.load(_span_docx(tmp_path, before="0"))
    assert [t.text for t in plan] == ["推进工作。"]


@pytest.mark.parametrize("attr", ["colspan", "rowspan"])
@pytest.mark.parametrize("value", ["1000000000", "-1", "abc"])
def test_bad_html_span_is_refused(tmp_path: Path, attr: str, value: str) -> None:
    path = tmp_path / "span.html"
    path.write_text(_html(f'<tr><td {attr}="{value}">x</td><td>a</td><td>b</td></tr>'), encoding="utf-8")
    with pytest.raises(ParseError, match=attr) as e:
        zwgk.load(path)
    assert e.value.position is not None and e.value.position.row == 4


def test_html_colspan_is_capped_per_row(tmp_path: Path) -> None:
    path = tmp_path / "row.html"
    path.write_text(_html("<tr>" + f'<td colspan="{MAX_SPAN}">x</td>' * 50 + "</tr>"), encoding="utf-8")
    with pytest.raises(ParseError, match="MAX_COLUMNS"):  # refused at the row: no 50,000-column grid is built
        zwgk.load(path)


# -- DTDs, wherever they stand ----------------------------------------------------------------

@pytest.mark.parametrize("before", ["<!--" + "x" * 70_000 + "-->", "<?pi " + "y" * 70_000 + "?>", ""])
def test_dtd_after_a_long_comment_or_pi_is_refused(tmp_path: Path, before: str) -> None:
    path = _small_docx(tmp_path, prolog=before + '<!DOCTYPE w:document [<!ENTITY a "b">]>')
    with pytest.raises(ParseError, match="DTD"):
        zwgk.load(path)


def test_dtd_in_utf16be_without_bom_is_refused(tmp_path: Path) -> None:
    xml = g.document(_docx_rows(ROWS), prolog='<!DOCTYPE w:document [<!ENTITY a "b">]>')
    xml = xml.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    path = tmp_path / "u16.docx"
    g.write_docx(path, "", document_xml="")
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", g.CONTENT_TYPES)
        zf.writestr("_rels/.rels", g.ROOT_RELS)
        zf.writestr("word/document.xml", xml.encode("utf-16-be"))
    with pytest.raises(ParseError, match="DTD"):
        zwgk.load(path)
    # the same document without the DTD reads: the refusal is about the DTD, not the encoding
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", g.CONTENT_TYPES)
        zf.writestr("_rels/.rels", g.ROOT_RELS)
        zf.writestr("word/document.xml", g.document(_docx_rows(ROWS)).replace(
            'encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16-be"))
    assert len(zwgk.load(path)) == 2


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    ents = '<!ENTITY a0 "ha">' + "".join(f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    path = _small_docx(tmp_path, prolog=f"<!DOCTYPE w:document [{ents}]>")
    with pytest.raises(ParseError, match="DTD"):  # refused at the DTD: no entity is expanded
        zwgk.load(path)


# -- HTML read whole or refused ----------------------------------------------------------------

def test_html_nested_300_deep_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "deep.html"
    path.write_text("<html><body>" + "<div>" * 300 + _html("") + "</div>" * 300 + "</body></html>",
                    encoding="utf-8")
    assert [t.text for t in zwgk.load(path)] == [r[0] for r in ROWS]


def test_html_cell_nested_1500_deep_keeps_its_text(tmp_path: Path) -> None:
    deep = "<span>" * 1500 + "深处的文字" + "</span>" * 1500
    path = tmp_path / "deepcell.html"
    path.write_text(_html(f"<tr><td>任务{deep}。</td><td>市教育局</td><td>市民政局</td></tr>"), encoding="utf-8")
    assert zwgk.load(path).tasks[-1].text == "任务深处的文字。"


def test_html_nested_past_the_parser_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deeper.html"
    path.write_text("<html><body>" + "<div>" * 3000 + _html("") + "</div>" * 3000 + "</body></html>",
                    encoding="utf-8")
    with pytest.raises(ParseError, match="2,048"):
        zwgk.load(path)


def test_html_text_node_over_10_mb_is_read(tmp_path: Path) -> None:
    big = "长" * (11 * 1024 * 1024 // 3 + 10)  # over 10 MB of UTF-8
    path = tmp_path / "big.html"
    path.write_text(_html(f"<tr><td>{big}</td><td>市教育局</td><td>市民政局</td></tr>"), encoding="utf-8")
    plan = zwgk.load(path)
    assert len(plan) == 3 and plan.tasks[-1].text == big


@pytest.mark.parametrize("charset", ["rot13", "base64", "hex", "zlib", "undefined", "idna", "unicode_escape",
                                     "no-such-charset"])
def test_html_non_text_charset_counts_as_undeclared(tmp_path: Path, charset: str) -> None:
    path = tmp_path / "cs.html"
    path.write_bytes(_html("", head=f'<meta charset="{charset}">').encode("utf-8"))
    assert [t.text for t in zwgk.load(path)] == [r[0] for r in ROWS]


# -- JSON ----------------------------------------------------------------------------------------

def _plan_json() -> dict[str, object]:
    data: dict[str, object] = json.loads(zwgk.dumps(zwgk.load_sample()))
    return data


def test_json_nested_thousands_deep(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="nested"):
        zwgk.loads("[" * 100_000 + "]" * 100_000)
    path = tmp_path / "deep.json"
    path.write_text('{"schema": "zwgk.plan/1", "title": ' + "[" * 50_000 + "]" * 50_000 + "}")
    with pytest.raises(ParseError):
        zwgk.load(path)


def test_json_huge_integer() -> None:
    with pytest.raises(ParseError, match="4300 digits"):
        zwgk.loads('{"schema": "zwgk.plan/1", "title": null, "tasks": [], "metadata": {"year": ' + "9" * 5000 + "}}")


@pytest.mark.parametrize("raw", [b'"\\ud800"', b'"a\\udfff"', "\ud800".encode("utf-8", "surrogatepass")])
def test_json_lone_surrogate_is_refused(raw: bytes) -> None:
    data = _plan_json()
    text = json.dumps(data, ensure_ascii=False).encode("utf-8")
    first = json.dumps(data["tasks"][0]["text"], ensure_ascii=False).encode("utf-8")  # type: ignore[index]
    bad = text.replace(first, raw[:-1] + b"x" + raw[-1:] if raw.startswith(b'"') else b'"' + raw + b'"', 1)
    with pytest.raises(ParseError, match=r"surrogate.*\$\.tasks\[0\]\.text"):
        zwgk.loads(bad)


def test_json_surrogate_pair_escape_is_text() -> None:
    data = _plan_json()
    text = json.dumps(data, ensure_ascii=True)  # every non-ASCII character escaped, emoji as a pair
    text = text.replace(json.dumps(data["tasks"][0]["text"]), '"\\ud83d\\ude00"', 1)  # type: ignore[index]
    assert zwgk.loads(text).tasks[0].text == "\U0001f600"


@pytest.mark.parametrize(("where", "value", "path"), [
    (("tasks", 0, "text"), ["x"], "$.tasks[0].text"),
    (("tasks", 0, "text"), 5, "$.tasks[0].text"),
    (("tasks", 0, "path"), "ab", "$.tasks[0].path"),
    (("tasks", 1, "path"), ["a", 1], "$.tasks[1].path[1]"),
    (("tasks", 2, "leads", 0, "resolved"), 1, "$.tasks[2].leads[0].resolved"),
    (("tasks", 2, "leads", 0, "name"), {"a": 1}, "$.tasks[2].leads[0].name"),
    (("tasks", 2, "leads"), {"a": 1}, "$.tasks[2].leads"),
    (("tasks", 3, "source", "row"), True, "$.tasks[3].source.row"),
    (("tasks", 3, "source", "row"), 2.0, "$.tasks[3].source.row"),
    (("tasks", 0, "open_roles"), "lead", "$.tasks[0].open_roles"),
    (("tasks", 0, "extra"), [["a", "b", "c"]], "$.tasks[0].extra[0]"),
    (("tasks", 0, "extra"), [["a", 1]], "$.tasks[0].extra[0]"),
    (("metadata",), {"year": "2020"}, "$.metadata.year"),
    (("title",), ["x"], "$.title"),
    (("tasks",), {"0": 1}, "$.tasks"),
])
def test_json_wrong_type_is_refused_naming_the_path(where: tuple[object, ...], value: object, path: str) -> None:
    data = _plan_json()
    target: object = data
    for key in where[:-1]:
        target = target[key]  # type: ignore[index]
    target[where[-1]] = value  # type: ignore[index]
    with pytest.raises(ParseError, match="not a valid zwgk plan") as e:
        zwgk.loads(json.dumps(data))
    assert path in str(e.value)


def test_json_roles_and_kinds_stay_enums() -> None:
    plan = zwgk.loads(zwgk.dumps(zwgk.load_sample()))
    assert plan == zwgk.load_sample()
    assert all(type(r) is zwgk.Role for t in plan for r in t.open_roles)
    assert all(type(u.kind) is zwgk.UnitKind for t in plan for u in t.leads)


# -- properties over random and mutated input ------------------------------------------------------

SUFFIXES = [".txt", ".docx", ".htm", ".html", ".json", ".pdf", ".mht", ""]


@fuzz
@given(data=st.binary(max_size=2048), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_under_each_suffix(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"random{suffix}"
    path.write_bytes(data)
    assert isinstance(_load_or_error(path), (Plan, ZwgkError))


def _valid_docx_bytes(tmp_path: Path) -> bytes:
    return _small_docx(tmp_path, "base.docx").read_bytes()


@fuzz
@given(edits=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=8))
def test_mutated_docx_bytes(tmp_path: Path, edits: list[tuple[int, int]]) -> None:
    data = bytearray(_valid_docx_bytes(tmp_path))
    for at, value in edits:
        data[at % len(data)] = value
    path = tmp_path / "mut.docx"
    path.write_bytes(bytes(data))
    assert isinstance(_load_or_error(path), (Plan, ZwgkError))


_XML_PIECES = ["<w:tr>", "</w:tr>", "<w:tc>", "</w:tc>", '<w:gridSpan w:val="7"/>', '<w:gridBefore w:val="2"/>',
               '<w:vMerge w:val="restart"/>', "<w:vMerge/>", "<w:p>", "</w:p>", "<w:t>任务</w:t>", "&amp;", "&x;",
               "<!DOCTYPE x>", "<w:tbl>", "</w:tbl>", "<w:del>", "<w:br/>", "\x00", "]]>", "<![CDATA[", '"']


@fuzz
@given(cuts=st.lists(st.tuples(st.integers(0, 10**6), st.sampled_from(_XML_PIECES)), min_size=1, max_size=6))
def test_mutated_docx_xml(tmp_path: Path, cuts: list[tuple[int, str]]) -> None:
    xml = g.document(_docx_rows(ROWS))
    for at, piece in cuts:
        i = at % len(xml)
        xml = xml[:i] + piece + xml[i:]
    path = g.write_docx(tmp_path / "xmlmut.docx", "", document_xml=xml)
    assert isinstance(_load_or_error(path), (Plan, ZwgkError))


_HTML_PIECES = ["<tr>", "</tr>", "<td>", "</td>", '<td colspan="999">', '<td rowspan="-4">', '<td colspan="x">',
                "<table>", "</table>", "<div>" * 50, '<meta charset="base64">', '<meta charset="utf-16">',
                "<br>", "&nbsp;", "\x00", "<!--", "<?xml version='1.0' encoding='zlib'?>", "<thead>", "<th>"]


@fuzz
@given(cuts=st.lists(st.tuples(st.integers(0, 10**6), st.sampled_from(_HTML_PIECES)), min_size=1, max_size=8),
       encoding=st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_mutated_html(tmp_path: Path, cuts: list[tuple[int, str]], encoding: str) -> None:
    page = _html("")
    for at, piece in cuts:
        i = at % len(page)
        page = page[:i] + piece + page[i:]
    path = tmp_path / "mut.html"
    path.write_bytes(page.encode(encoding, "replace"))
    assert isinstance(_load_or_error(path), (Plan, ZwgkError))


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=8,
)
_SAMPLE_JSON = json.dumps(json.loads(zwgk.dumps(zwgk.load_sample()))["tasks"][:3])


@fuzz
@given(path=st.lists(st.sampled_from(["tasks", 0, 1, "text", "leads", "path", "source", "row", "metadata",
                                      "open_roles", "extra", "kind", "name", "title"]), min_size=1, max_size=4),
       value=_json_values)
def test_json_of_wrong_shape(tmp_path: Path, path: list[object], value: object) -> None:
    data: dict[str, object] = {"schema": "zwgk.plan/1", "title": "t", "tasks": json.loads(_SAMPLE_JSON)}
    target: object = data
    for key in path[:-1]:
        try:
            target = target[key]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            break
    with contextlib.suppress(IndexError, TypeError):
        target[path[-1]] = value  # type: ignore[index]
    file = tmp_path / "shape.json"
    file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8", errors="surrogatepass")
    assert isinstance(_load_or_error(file), (Plan, ZwgkError))


# -- time and memory on 40 KB hostile inputs -----------------------------------------------------

_SIZE = 40 * 1024


def _hostile_inputs(tmp_path: Path) -> dict[str, Path]:
    out: dict[str, Path] = {}

    def put(name: str, data: bytes) -> None:
        (tmp_path / name).write_bytes(data)
        out[name] = tmp_path / name

    span_row = g.row([g.cell("x", span=MAX_SPAN - 1), g.cell("y")])
    n = _SIZE // len(span_row)
    g.write_docx(tmp_path / "spans.docx", g.table([g.row([g.cell(c) for c in HEADER])] + [span_row] * n, 3))
    out["spans.docx"] = tmp_path / "spans.docx"
    cell = '<td colspan="999" rowspan="999">x</td>'
    put("spans.html", _html(("<tr>" + cell + "</tr>") * (_SIZE // (len(cell) + 9))).encode())
    put("deep.html", ("<div>" * (_SIZE // 10) + _html("") + "</div>" * (_SIZE // 10)).encode())
    put("deep.json", b"[" * (_SIZE // 2) + b"]" * (_SIZE // 2))
    put("wide.txt", ("\t".join(["工作任务", "牵头单位"] + ["列"] * (_SIZE // 8)) + "\n").encode())
    rows = "".join(g.row([g.cell("任务。"), g.cell("市财政局"), g.cell("")]) for _ in range(_SIZE // 120))
    g.write_docx(tmp_path / "rows.docx", g.table([g.row([g.cell(c) for c in HEADER]), rows], 3))
    out["rows.docx"] = tmp_path / "rows.docx"
    return out


@pytest.mark.slow
@pytest.mark.parametrize("name", ["spans.docx", "spans.html", "deep.html", "deep.json", "wide.txt", "rows.docx"])
def test_40kb_hostile_inputs_stay_within_time_and_memory(tmp_path: Path, name: str) -> None:
    path = _hostile_inputs(tmp_path)[name]
    outcome = load_bounded(path)  # CPU_SECONDS and MEMORY_BYTES, enforced by the kernel in a child
    assert outcome.kind in ("plan", "error"), str(outcome)
    assert "PluginError" not in outcome.error_types, str(outcome)


# -- round 2: the reproducers in ../shared/fuzz-repros ------------------------------------------------------


def _find_repros() -> Path | None:
    """The reproducers beside the checkout (``../shared/fuzz-repros``, also from a worktree one level
    further down), or where ``ZWGK_FUZZ_REPROS`` points."""
    if os.environ.get("ZWGK_FUZZ_REPROS"):
        return Path(os.environ["ZWGK_FUZZ_REPROS"])
    for base in ROOT.parents:
        if (base / "shared" / "fuzz-repros").is_dir():
            return base / "shared" / "fuzz-repros"
    return None


REPROS = _find_repros()
_LIST_EXPORTS = (("list", "text"), ("list", "docx"))


@attrs.frozen
class Expect:
    """What one reproducer must end as (beyond "a Plan or a ZwgkError, within the bounds, nothing left over")."""

    tasks: tuple[str, ...] | None = None  # these task texts, in order, when it is read (None: any)
    must_read: bool = False  # a Plan, not an error
    error: str | None = None  # a ZwgkError of this class (None: a plan is fine too)
    message: str | None = None  # ... whose message holds this
    exports: tuple[tuple[str | None, str], ...] = ()  # (form, exporter): read back equal, or an ExportError
    options: tuple[tuple[str, object], ...] = ()
    marks: tuple[pytest.MarkDecorator, ...] = ()


#: One entry per file in fuzz-repros (a new file without an entry fails test_every_reproducer_is_replayed).
EXPECTATIONS: dict[str, Expect] = {
    "t3-pdf-valid.pdf": Expect(tasks=("任务一MKA", "任务二MKB"), must_read=True),
    "t3-pdf-parenttree-loop.pdf": Expect(tasks=("任务一MKA", "任务二MKB")),
    "t3-pdf-length-refloop.pdf": Expect(),
    "t3-pdf-contents-refloop.pdf": Expect(),
    "t3-pdf-double-flate-200MiB.pdf": Expect(error="PdfError", message="max_inflated_bytes"),
    "t3-pdf-double-flate-1GiB.pdf": Expect(error="PdfError", message="max_inflated_bytes"),
    "t3-pdf-flate-lines-5MiB.pdf": Expect(error="PdfError", message="max_page_objects"),
    "t3-pdf-tiny-rects-6000.pdf": Expect(),
    "t3-pdf-900-pages-shared-content.pdf": Expect(tasks=("任务一MKA", "任务二MKB") * 900),
    # PDFium reads a stream of /Length 0 up to its endstream: page 1 whole, then page 2
    "t3-pdf-length-0-page.pdf": Expect(tasks=("任务一MKA", "任务二MKB", "任务三MKC", "任务二MKB"), must_read=True),
    "t3-pdf-length-negative.pdf": Expect(),
    "t3-xlsx-valid.xlsx": Expect(tasks=("任务一MKA", "任务二MKB"), must_read=True),
    "t3-xlsx-merge-whole-sheet.xlsx": Expect(),
    "t3-xlsx-cell-A1048576.xlsx": Expect(),
    "t3-xlsx-2000-sheets-one-part.xlsx": Expect(),
    "t3-xlsx-sst-bomb.xlsx": Expect(),
    "t3-odt-repeat-900x1000.odt": Expect(),
    "t3-mht-nested-1000.mht": Expect(error="ParseError"),
    "t3-rtf-bin-huge.rtf": Expect(error="ZwgkError", message="\\bin", options=(("convert_timeout", 5),)),
    "t3-xlsx-serial-list-roundtrip.xlsx": Expect(must_read=True, exports=_LIST_EXPORTS),
    "text-mixed-depth-roundtrip.txt": Expect(must_read=True, exports=((None, "text"),)),
}


def _repro_params() -> list[object]:
    return [pytest.param(name, expect, id=name, marks=expect.marks) for name, expect in EXPECTATIONS.items()]


def test_every_reproducer_is_replayed() -> None:
    if REPROS is None:
        pytest.skip("../shared/fuzz-repros is not beside this checkout")
    on_disk = {p.name for p in REPROS.iterdir() if p.name != "README.md"}
    assert on_disk - EXPECTATIONS.keys() == set(), "add an entry to EXPECTATIONS for each new reproducer"


def _bounds(path: Path) -> tuple[float, int]:
    """The promised CPU seconds and bytes: those of a 40 KB input, proportionally more for a larger one."""
    scale = max(1.0, path.stat().st_size / _SIZE)
    return CPU_SECONDS * scale, int(MEMORY_BYTES * scale)


@pytest.mark.slow  # a child process each, LibreOffice for some
@pytest.mark.parametrize(("name", "expect"), _repro_params())
def test_reproducer_ends_as_promised(name: str, expect: Expect) -> None:
    if REPROS is None:
        pytest.skip("../shared/fuzz-repros is not beside this checkout")
    path = REPROS / name
    cpu, memory = _bounds(path)
    outcome = load_bounded(path, cpu_seconds=cpu, memory_bytes=memory, exports=expect.exports,
                           **dict(expect.options))
    assert outcome.kind in ("plan", "error"), str(outcome)  # not cpu, memory, hang or another exception
    assert outcome.leftover_processes == [] and outcome.leftover_files == [], str(outcome)
    if outcome.kind == "error":
        assert "PluginError" not in outcome.error_types, str(outcome)  # a reader's own error, not the safety net
        assert not expect.must_read, str(outcome)
        if expect.error:
            assert expect.error in outcome.error_types, str(outcome)
        if expect.message:
            assert expect.message in outcome.detail["message"], str(outcome)
        return
    assert expect.error is None, str(outcome)
    if expect.tasks is not None:
        assert [text for _, text, _ in outcome.tasks] == list(expect.tasks)
    for form, exporter, kind, again in outcome.detail.get("again", []):
        if kind == "plan":
            assert again == outcome.detail["tasks"], (form, exporter)  # each task's category path, text and serial
        else:
            assert again.startswith("ExportError"), (form, exporter, again)


# -- round 2: cases built here (they cannot be files in fuzz-repros) ----------------------------------------


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_a_pipe_or_a_device_is_refused_at_once(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "table.txt"
    if kind == "fifo":
        os.mkfifo(path)  # opening it to read would block until a writer comes
    else:
        path.symlink_to("/dev/zero")  # reading it would never end
    with pytest.raises(ParseError, match="not a regular file") as e:
        zwgk.load(path)  # refused from the file's type, before it is opened
    assert str(path) in str(e.value)


def test_a_source_path_that_is_not_utf8_is_exported_to_json(tmp_path: Path, sample_path: Path) -> None:
    odd = Path(os.fsdecode(os.fsencode(tmp_path) + b"/\xff\xfe.txt"))
    odd.write_bytes(sample_path.read_bytes())
    plan = zwgk.load(odd)
    out = tmp_path / "plan.json"
    zwgk.export(plan, "json", out)
    data = json.loads(out.read_text(encoding="utf-8"))  # valid UTF-8 JSON, the odd bytes as \udcff escapes
    assert data["tasks"][0]["source"]["file"] == str(odd)
    assert [t["text"] for t in data["tasks"]] == [t.text for t in plan.tasks]
    again = zwgk.load(out)
    assert again == plan and again.tasks[0].source.file == str(odd)  # positions are not in equality
    # a lone surrogate that is no file name's byte is still refused
    with pytest.raises(ParseError, match=r"U\+DC10.*\$\.tasks\[0\]\.source\.file"):
        zwgk.loads(out.read_text(encoding="utf-8").replace("\\udcff", "\\udc10", 1))


def _mht(nesting: int) -> bytes:
    head = 'MIME-Version: 1.0\nContent-Type: multipart/related; boundary="b0"\n\n'
    parts = "".join(f'--b{i}\nContent-Type: multipart/related; boundary="b{i + 1}"\n\n' for i in range(nesting))
    page = f"--b{nesting}\nContent-Type: text/html; charset=utf-8\n\n{_html('')}\n--b{nesting}--\n"
    return (head + parts + page).encode()


def test_mht_parts_nested_past_the_limit_are_a_parse_error(tmp_path: Path) -> None:
    from zwgk.readers.mht import MAX_MULTIPARTS

    path = tmp_path / "nested.mht"
    path.write_bytes(_mht(3))
    assert [t.text for t in zwgk.load(path)] == [r[0] for r in ROWS]  # nesting within the limit reads
    path.write_bytes(_mht(MAX_MULTIPARTS + 1))
    with pytest.raises(ParseError, match="MAX_MULTIPARTS"):  # not the plugin safety net (RecursionError)
        zwgk.load(path)


def _odt(rows_repeated: int, columns_repeated: int) -> bytes:
    import io

    cell = '<table:table-cell{}><text:p>{}</text:p></table:table-cell>'
    header = "<table:table-row>" + "".join(cell.format("", h) for h in HEADER) + "</table:table-row>"
    row = (f'<table:table-row table:number-rows-repeated="{rows_repeated}">' + cell.format("", "任务。")
           + cell.format("", "市财政局") + cell.format(f' table:number-columns-repeated="{columns_repeated}"', "x")
           + "</table:table-row>")
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:text>'
               f'<table:table table:name="T">{header}{row}</table:table></office:text></office:body>'
               "</office:document-content>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", content)
    return buf.getvalue()


def test_odt_repeats_multiplied_out_are_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from zwgk.readers import odt
    from zwgk.table import grid

    path = tmp_path / "r.odt"
    path.write_bytes(_odt(3, 2))
    assert [t.text for t in zwgk.load(path)] == ["任务。"] * 3
    built: list[object] = []
    monkeypatch.setattr(odt, "Cell", lambda *a, **k: built.append(a) or grid.Cell(*a, **k))
    path.write_bytes(_odt(1000, 900))  # each count within MAX_SPAN, their product 900,000 cells
    with pytest.raises(ParseError, match="MAX_TABLE_CELLS") as e:
        zwgk.load(path)
    assert e.value.position is not None and e.value.position.row == 2
    assert len(built) < 2 * odt.MAX_TABLE_CELLS // 100  # refused at the row, before its copies were built
