"""Single-file web pages (MHT): Word's "save as single file web page", also under a .doc name."""

from __future__ import annotations

import base64
import quopri
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import zwgk
from zwgk.corpus.synthetic import plan_html, synthetic_plan
from zwgk.errors import ParseError, ZwgkError
from zwgk.model import Plan
from zwgk.testing import assert_same_tasks

BOUNDARY = "----=_NextPart_01D7A1B2.C3D4E5F0"


def mht(html: str, *, charset: str = "gb2312", encoding: str = "quoted-printable", start: bool = False,
        meta: bool = True) -> bytes:
    """A single-file web page as Word writes one: MIME headers, the page, a style sheet and an image."""
    if meta:
        html = html.replace("<html>", f'<html><head><meta http-equiv=Content-Type content="text/html; '
                                      f'charset={charset}"></head>', 1)
    raw = html.encode("gb18030" if charset.lower().startswith("gb") else charset)
    body = (quopri.encodestring(raw).decode("ascii") if encoding == "quoted-printable"
            else base64.encodebytes(raw).decode("ascii"))
    page = (f"--{BOUNDARY}\r\nContent-Location: file:///C:/plan.htm\r\n"
            + ("Content-ID: <page@zwgk>\r\n" if start else "")
            + f"Content-Transfer-Encoding: {encoding}\r\nContent-Type: text/html; charset=\"{charset}\"\r\n\r\n"
            + body + "\r\n")
    css = (f"--{BOUNDARY}\r\nContent-Location: file:///C:/plan.files/style.css\r\n"
           "Content-Transfer-Encoding: quoted-printable\r\nContent-Type: text/css; charset=\"utf-8\"\r\n\r\n"
           "p {margin: 0}\r\n")
    image = (f"--{BOUNDARY}\r\nContent-Location: file:///C:/plan.files/image001.png\r\n"
             "Content-Transfer-Encoding: base64\r\nContent-Type: image/png\r\n\r\n"
             + base64.encodebytes(b"\x89PNG\r\n\x1a\n" + bytes(64)).decode("ascii") + "\r\n")
    related = 'multipart/related; boundary="' + BOUNDARY + '"' + ('; start="<page@zwgk>"' if start else "")
    parts = css + page + image if start else page + css + image
    return ("MIME-Version: 1.0\r\nX-MimeOLE: Produced By Microsoft MimeOLE\r\n"
            f"Content-Type: {related}; type=\"text/html\"\r\n\r\n"
            "This document is a Single File Web Page, also known as a Web Archive file.\r\n\r\n"
            + parts + f"--{BOUNDARY}--\r\n").encode("ascii")


@pytest.fixture(scope="module")
def plan() -> Plan:
    return synthetic_plan(5, zwgk.load_sample())


@pytest.mark.parametrize("name", ["plan.mht", "plan.mhtml", "plan.doc", "plan"])
@pytest.mark.parametrize("variant", [
    {"charset": "gb2312", "encoding": "quoted-printable"},
    {"charset": "utf-8", "encoding": "base64"},
    {"charset": "gbk", "encoding": "base64", "start": True},
    {"charset": "gb2312", "encoding": "quoted-printable", "meta": False},
], ids=["word-gb2312-qp", "utf8-base64", "start-param", "charset-only-in-mime"])
def test_a_single_file_web_page_reads_as_its_page(tmp_path: Path, plan: Plan, name: str,
                                                  variant: dict[str, object]) -> None:
    path = tmp_path / name
    path.write_bytes(mht(f"<html><body>{plan_html(plan)}</body></html>", **variant))  # type: ignore[arg-type]
    back = zwgk.load(path)
    assert_same_tasks(back, plan)
    assert back.title == plan.title and back.metadata == plan.metadata


def test_table_and_layout_options_reach_the_page(tmp_path: Path) -> None:
    page = ("<html><body><p>政务公开重点工作任务分解表</p><table><tr><td>姓名</td><td>电话</td></tr></table>"
            "<table><tr><td>工作任务</td><td>牵头单位</td></tr><tr><td>公开预算。</td><td>市财政局</td></tr></table>"
            "</body></html>")
    path = tmp_path / "two.mht"
    path.write_bytes(mht(page))
    (task,) = zwgk.load(path, table=2).tasks
    assert task.text == "公开预算。" and task.source is not None and task.source.table == 2
    with pytest.raises(ParseError, match="no table 3"):
        zwgk.load(path, table=3)


@pytest.mark.parametrize("content,message", [
    (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"x\"\r\n\r\n--x", "holds no HTML part"),
    (b"From: <Saved by Word>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n", "no MIME parts"),
    (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"x\"\r\n\r\n--x\r\n"
     b"Content-Type: text/html\r\n\r\n\r\n--x--\r\n", "is empty"),
    (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"x\"\r\n\r\n--x\r\n"
     b"Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
     + base64.encodebytes("<html><body><p>没有表格</p></body></html>".encode()) + b"--x--\r\n", "no table"),
])
def test_a_damaged_or_empty_page_is_a_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "plan.mht"
    path.write_bytes(content)
    with pytest.raises(ParseError, match=message) as e:
        zwgk.load(path)
    assert str(path) in str(e.value)


def test_the_command_line_reads_it_and_batch_picks_it_up(tmp_path: Path, plan: Plan) -> None:
    from zwgk.cli import main
    from zwgk.corpus import find_files

    path = tmp_path / "plan.mht"
    path.write_bytes(mht(f"<html><body>{plan_html(plan)}</body></html>"))
    assert find_files([str(tmp_path)]) == [str(path)]
    out = tmp_path / "out" / "plan.json"
    out.parent.mkdir()
    assert main(["parse", str(path), "-o", str(out)]) == 0
    assert_same_tasks(zwgk.load(out), plan)


def _load_or_error(path: Path) -> Plan | ZwgkError:
    try:
        return zwgk.load(path)
    except ZwgkError as e:  # anything else (a bare exception from the MIME parser) fails the test
        return e


@given(cut=st.integers(0, 4000), junk=st.binary(max_size=64))
def test_a_cut_or_spoilt_page_is_a_plan_or_a_zwgk_error(tmp_path_factory: pytest.TempPathFactory, cut: int,
                                                        junk: bytes) -> None:
    data = mht("<html><body><table><tr><td>工作任务</td><td>牵头单位</td></tr>"
               "<tr><td>公开预算。</td><td>市财政局</td></tr></table></body></html>")
    folder = tmp_path_factory.mktemp("mht")
    for name, spoilt in (("cut.mht", data[:cut]), ("junk.mht", data[:cut] + junk + data[cut + len(junk):])):
        (folder / name).write_bytes(spoilt)
        assert isinstance(_load_or_error(folder / name), (Plan, ZwgkError))
