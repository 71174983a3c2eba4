"""The pixel stage of the scan reader on small synthetic images (fast: no recognition model)."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

np = pytest.importorskip("numpy")
cv2 = pytest.importorskip("cv2")
PIL = pytest.importorskip("PIL")

from PIL import Image  # noqa: E402

from zwgk.readers.scan import _pixels  # noqa: E402
from zwgk.readers.scan._image import ScanError, ScanLimits, image_pages, sniff_image  # noqa: E402
from zwgk.readers.scan._pixels import PixelSettings  # noqa: E402

DPI = 100.0
S = PixelSettings(dpi=DPI)
# A 3-column, 3-row table: column edges and row edges in pixels.
XS = (40, 200, 420, 560)
YS = (60, 110, 200, 250)


def _table(merged: bool = False) -> np.ndarray:
    """White page with a ruled table and a few words of 'text' (Latin, so no font is needed)."""
    img = np.full((320, 620, 3), 255, np.uint8)
    for y in YS:
        cv2.line(img, (XS[0], y), (XS[-1], y), (0, 0, 0), 2)
    for i, x in enumerate(XS):
        if merged and i == 1:  # the first column's rows 2-3 merged: no rule between them there
            cv2.line(img, (x, YS[0]), (x, YS[-1]), (0, 0, 0), 2)
            continue
        cv2.line(img, (x, YS[0]), (x, YS[-1]), (0, 0, 0), 2)
    if merged:
        cv2.line(img, (XS[0] + 2, YS[2]), (XS[1] - 2, YS[2]), (255, 255, 255), 4)
    for r in range(3):
        for c in range(3):
            cv2.putText(img, "Ab1", (XS[c] + 12, YS[r] + 34), cv2.FONT_HERSHEY_SIMPLEX, 0.7, (0, 0, 0), 2)
    # two lines of text in the middle cell of the second row
    cv2.putText(img, "more", (XS[1] + 12, YS[1] + 70), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 0), 1)
    cv2.putText(img, "title text", (60, 35), cv2.FONT_HERSHEY_SIMPLEX, 0.7, (0, 0, 0), 2)
    return img


def _rules(img: np.ndarray) -> tuple[list[_pixels.Rule], np.ndarray, np.ndarray]:
    mask = _pixels.ink(_pixels.drop_seal(img), S)
    rules, rule_mask = _pixels.ruling(mask, S)
    return rules, rule_mask, mask


def test_ruling_found_where_drawn() -> None:
    rules, _, _ = _rules(_table())
    hs = sorted(r.y0 for r in rules if r.horizontal)
    vs = sorted(r.x0 for r in rules if not r.horizontal)
    assert len(hs) == len(YS) and len(vs) == len(XS)
    assert all(abs(a - b) <= 1 for a, b in zip(hs, YS, strict=True))
    assert all(abs(a - b) <= 1 for a, b in zip(vs, XS, strict=True))
    for r in rules:
        if r.horizontal:
            assert abs(r.x0 - XS[0]) <= 2 and abs(r.x1 - XS[-1]) <= 2
        else:
            assert abs(r.y0 - YS[0]) <= 2 and abs(r.y1 - YS[-1]) <= 2


def test_text_is_no_ruling() -> None:
    """A long word or a row of tight bold characters is never taken for a rule."""
    img = np.full((120, 700, 3), 255, np.uint8)
    cv2.putText(img, "MMMMMMMMMMMMMMMMMMMMM", (10, 70), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (0, 0, 0), 4)
    rules, _, _ = _rules(img)
    assert rules == []


def test_text_lines_stay_inside_cells() -> None:
    img = _table()
    _, rule_mask, mask = _rules(img)
    boxes = _pixels.text_lines(mask, rule_mask, S)
    # 9 cells with a word each, a second line in one, the title above the table
    assert len(boxes) == 11
    for x0, y0, x1, y1 in boxes:
        assert not any(x0 < x < x1 for x in XS), (x0, x1)
        assert not any(y0 < y < y1 for y in YS), (y0, y1)
    title = min(boxes, key=lambda b: b[1])
    assert title[1] < YS[0]


def test_broken_rule_still_divides() -> None:
    """Noise that breaks a rule for a few pixels neither loses the rule nor merges two cells."""
    img = _table()
    img[YS[1] - 2:YS[1] + 3, 300:304] = 255
    rules, rule_mask, mask = _rules(img)
    assert sum(1 for r in rules if r.horizontal) == len(YS)
    assert len(_pixels.text_lines(mask, rule_mask, S)) == 11


def test_corner_faded_joins_no_cells() -> None:
    """A column rule that stops a few pixels short of the row rule across it (a crossing faded
    under a seal) still keeps the two cells apart: their lines, at different heights, are not
    taken for one line across both cells."""
    img = _table()
    # a second line in the middle cell, and a lower one in the cell to its right, overlapping in height
    cv2.putText(img, "right", (XS[2] + 12, YS[1] + 60), cv2.FONT_HERSHEY_SIMPLEX, 0.7, (0, 0, 0), 2)
    rules, rule_mask, mask = _rules(img)
    # the ruling as a faded crossing leaves it: the column rule stops 4 pixels short of the row rule
    rule_mask[YS[2] - 6:YS[2] - 1, XS[2] - 3:XS[2] + 4] = 0
    rules = [_pixels.Rule(r.x0, r.y0, r.x1, YS[2] - 6) if r.x0 == r.x1 == XS[2] else r for r in rules]
    assert any(r.x0 == XS[2] and r.y1 == YS[2] - 6 for r in rules)
    boxes = _pixels.text_lines(mask, rule_mask, S, rules)
    for x0, _, x1, _ in boxes:
        assert not any(x0 < x < x1 for x in XS), (x0, x1)
    middle = [b for b in boxes if YS[1] < b[1] and b[3] < YS[2] and b[0] > XS[1]]
    assert len(middle) == 4 and all(y1 - y0 < 25 for _, y0, _, y1 in middle), middle


@pytest.mark.parametrize("angle", [0.6, -1.2, 2.0])
def test_skew_measured_and_undone(angle: float) -> None:
    img = _pixels.rotate(_table(), angle)
    mask = _pixels.ink(_pixels.drop_seal(img), S)
    measured = _pixels.skew_angle(mask, S)
    assert measured == pytest.approx(-angle, abs=0.1)
    straight = _pixels.rotate(img, measured)
    rules, _, _ = _rules(straight)
    assert sum(1 for r in rules if r.horizontal) == len(YS)


def test_straight_page_not_turned() -> None:
    mask = _pixels.ink(_pixels.drop_seal(_table()), S)
    assert _pixels.skew_angle(mask, S) == 0.0


def test_red_seal_dropped_black_text_kept() -> None:
    img = _table()
    cv2.circle(img, (300, 150), 60, (220, 30, 30), 6)  # a seal's ring over the middle cells
    cv2.putText(img, "SEAL", (260, 160), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (210, 40, 40), 3)
    grey = _pixels.drop_seal(img)
    assert grey[150, 240] > 200  # the ring is paper now
    mask = _pixels.ink(grey, S)
    _, rule_mask, _ = _rules(img)
    boxes = _pixels.text_lines(mask, rule_mask, S)
    assert len(boxes) == 11  # the seal gave no line of its own and hid none
    black = _pixels.drop_seal(np.zeros((2, 2, 3), np.uint8))
    assert (black == 0).all()


def _png_header(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    def part(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    data = zlib.compress(b"\x00" * 1000)
    return b"\x89PNG\r\n\x1a\n" + part(b"IHDR", ihdr) + part(b"IDAT", data) + part(b"IEND", b"")


def test_huge_declared_image_refused_before_decoding(tmp_path: Path) -> None:
    p = tmp_path / "bomb.png"
    p.write_bytes(_png_header(60_000, 60_000))
    with pytest.raises(ScanError, match=r"bomb\.png.*(too large|max_pixels)"):
        list(image_pages(p))


def test_limit_below_pillows_own(tmp_path: Path) -> None:
    p = tmp_path / "big.png"
    p.write_bytes(_png_header(5000, 5000))
    with pytest.raises(ScanError, match="max_pixels"):
        list(image_pages(p, ScanLimits(max_pixels=10_000_000)))


def test_truncated_image_refused(tmp_path: Path) -> None:
    full = tmp_path / "full.png"
    Image.fromarray(_table()).save(full)
    cut = tmp_path / "cut.png"
    cut.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    with pytest.raises(ScanError, match=r"cut\.png, page 1: the image is damaged or truncated"):
        list(image_pages(cut))


def test_not_an_image(tmp_path: Path) -> None:
    p = tmp_path / "x.png"
    p.write_bytes(b"\x89PNG\r\n\x1a\n" + b"garbage" * 10)
    with pytest.raises(ScanError, match=r"x\.png"):
        list(image_pages(p))


def test_multipage_tiff_and_resolution(tmp_path: Path) -> None:
    p = tmp_path / "two.tif"
    first, second = Image.fromarray(_table()), Image.fromarray(_table(merged=True))
    first.save(p, save_all=True, append_images=[second], dpi=(150, 150))
    pages = list(image_pages(p))
    assert [pg.number for pg in pages] == [1, 2]
    assert pages[0].dpi == pytest.approx(150, abs=0.5)
    assert pages[1].pixels.shape == (320, 620, 3)
    assert sniff_image(p.read_bytes()[:16])


def test_large_page_shrunk_to_work_size(tmp_path: Path) -> None:
    p = tmp_path / "a.png"
    Image.fromarray(np.full((400, 600, 3), 255, np.uint8)).save(p, dpi=(300, 300))
    (page,) = image_pages(p, ScanLimits(work_pixels=60_000))
    h, w = page.pixels.shape[:2]
    assert h * w <= 60_000
    assert page.dpi == pytest.approx(300 * w / 600, rel=0.01)


def test_low_header_row_keeps_its_column_rules() -> None:
    """A header row lower than a rule's length: its column borders run from rule to rule, so they
    are rules; the strokes of underlined characters in a merged row below run from the rule above
    to the underline, and are not."""
    img = np.full((260, 620, 3), 255, np.uint8)
    top, head, merged, bottom = 40, 62, 120, 220  # the header row is 22 px (16 pt) high
    for y in (top, head, merged, bottom):
        cv2.line(img, (XS[0], y), (XS[-1], y), (0, 0, 0), 2)
    for x in XS:
        cv2.line(img, (x, top), (x, head), (0, 0, 0), 2)
        cv2.line(img, (x, merged), (x, bottom), (0, 0, 0), 2)
    for x in (XS[0], XS[-1]):
        cv2.line(img, (x, head), (x, merged), (0, 0, 0), 2)
    # an underlined heading in the merged row: its strokes touch the rule above and the underline
    for x in range(240, 400, 20):
        cv2.line(img, (x, head + 4), (x, head + 30), (0, 0, 0), 2)
    cv2.line(img, (230, head + 31), (410, head + 31), (0, 0, 0), 2)
    rules, _, _ = _rules(img)
    inner = sorted(r.x0 for r in rules if not r.horizontal and r.y0 < head and XS[0] < r.x0 < XS[-1])
    assert len(inner) == len(XS) - 2 and all(abs(a - b) <= 1 for a, b in zip(inner, XS[1:-1], strict=True))
    assert not [r for r in rules if not r.horizontal and head < (r.y0 + r.y1) / 2 < merged and XS[0] < r.x0 < XS[-1]]


def test_a_lone_mark_is_no_line() -> None:
    """An underlined space (a short dash alone in a cell) is sent to no recogniser."""
    img = _table()
    cv2.line(img, (XS[1] + 60, YS[2] + 40), (XS[1] + 66, YS[2] + 40), (0, 0, 0), 1)
    _, rule_mask, mask = _rules(img)
    assert len(_pixels.text_lines(mask, rule_mask, S)) == 11


class _ReadsNothing:
    """A recogniser that reads every line as no character (ink the model makes nothing of)."""

    def read(self, grey: object, boxes: list[tuple[int, int, int, int]], margin: float = 0.18) -> list[object]:
        from zwgk.readers.scan._engine import Line

        return [Line(box, ()) for box in boxes]


def test_a_line_read_as_nothing_is_said_not_lost() -> None:
    import warnings

    from zwgk.errors import ReadWarning
    from zwgk.readers.scan._image import PageImage
    from zwgk.readers.scan._read import read_page_image

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        page = read_page_image(PageImage(1, _table(), DPI), source="scan.png",
                               engine=_ReadsNothing())  # type: ignore[arg-type]
    assert page.lines == ()
    said = [str(w.message) for w in caught if isinstance(w.message, ReadWarning)]
    assert said and all(m.startswith("scan.png, page 1, box (") and "read as no character" in m for m in said)
