"""The recogniser's decoding and the tidying of what it read (fast: a made-up model output)."""

from __future__ import annotations

import itertools

import pytest

np = pytest.importorskip("numpy")

from zwgk.readers.scan._engine import Char, Line, Recogniser  # noqa: E402
from zwgk.readers.scan._read import _tidy  # noqa: E402


def _recogniser(alphabet: list[str]) -> Recogniser:
    rec = Recogniser.__new__(Recogniser)  # no model: only the decoding is tested
    rec.alphabet = ["", *alphabet, " "]
    return rec


def test_ctc_decoding_gives_characters_boxes_and_confidence() -> None:
    rec = _recogniser(["市", "财", "政", "局"])
    # 12 frames: blank, 市 市, blank, 财, blank blank, 政, 局 局, blank blank
    classes = [0, 1, 1, 0, 2, 0, 0, 3, 4, 4, 0, 0]
    probs = [0.9, 0.99, 0.8, 0.9, 0.97, 0.9, 0.9, 0.4, 0.95, 0.99, 0.9, 0.9]
    pred = np.zeros((12, 6), np.float32)
    for f, (c, p) in enumerate(zip(classes, probs, strict=True)):
        pred[f, c] = p
    # model input 96 px wide (8 px a frame); the crop started at page x 100, 2 page px per model px
    chars = rec._decode(pred, 12, 96, 100, 2.0, (104, 50, 290, 80))
    assert "".join(c.text for c in chars) == "市财政局"
    assert [c.confidence for c in chars] == pytest.approx([0.8, 0.97, 0.4, 0.95])
    centres = [(c.x0 + c.x1) / 2 for c in chars]
    assert centres == sorted(centres)
    assert chars[0].x0 == 104 and chars[-1].x1 == 290  # clamped to the line box
    assert all(c.y0 == 50 and c.y1 == 80 for c in chars)
    assert all(a.x1 == b.x0 for a, b in itertools.pairwise(chars))  # no gaps, no overlaps


def test_nothing_recognised() -> None:
    rec = _recogniser(["市"])
    assert rec._decode(np.zeros((5, 3), np.float32), 5, 40, 0, 1.0, (0, 0, 40, 20)) == []


def _line(text: str) -> Line:
    return Line((0, 0, 10 * len(text), 20), tuple(Char(ch, 10 * i, 0, 10 * i + 10, 20, 0.9)
                                                  for i, ch in enumerate(text)))


@pytest.mark.parametrize(("read", "tidy"), [
    ("各县(市、区)、市", "各县（市、区）、市"),
    ("关部门 (单位)", "关部门（单位）"),
    ("情况,积极", "情况，积极"),
    ("牵头单位:市财政局", "牵头单位：市财政局"),
    ("1,000 and (a)", "1,000and(a)"),  # Latin and digits keep their punctuation; spaces are the page's
])
def test_punctuation_beside_chinese_is_full_width(read: str, tidy: str) -> None:
    assert _tidy(_line(read)).text == tidy


class _Reads:
    """A recogniser that reads each line box as the text drawn nearest its top."""

    def __init__(self, texts: dict[int, str]) -> None:
        self.texts = texts

    def read(self, grey: object, boxes: list[tuple[int, int, int, int]], margin: float = 0.18) -> list[Line]:
        out = []
        for box in boxes:
            text = self.texts[min(self.texts, key=lambda y: abs(y - box[1]))]
            pitch = (box[2] - box[0]) / len(text)
            out.append(Line(box, tuple(Char(ch, round(box[0] + pitch * i), box[1], round(box[0] + pitch * (i + 1)),
                                            box[3], 0.99) for i, ch in enumerate(text))))
        return out


def _page_image(number: int, texts: dict[int, tuple[int, str]]) -> object:
    """An A4 page at 100 dpi with a blot of ink for each character of ``texts`` (top → (left, text))."""
    from zwgk.readers.scan._image import PageImage

    img = np.full((1170, 827, 3), 255, np.uint8)
    for top, (left, text) in texts.items():
        for i in range(len(text)):
            img[top:top + 13, left + 14 * i:left + 14 * i + 11] = 0
    return PageImage(number, img, 100.0)


@pytest.mark.parametrize("number", ["- {} -", "第{}页/共2页", "· {} ·"])
def test_page_furniture_of_a_scan_is_left_out_and_reported_as_a_pdfs(number: str) -> None:
    """The scan reader reads page numbers and running headers like any text and leaves them to the
    page stage: left out of the text and reported, naming the pages, as a PDF's are."""
    from zwgk.readers.page import read_pages
    from zwgk.readers.scan._read import read_page_image
    from zwgk.readers.scan._stage import page_input

    def page(n: int) -> object:
        texts = {45: (300, "政务公开工作通报"), 200: (125, f"{n}.推进第{n}项政务公开工作，落实信息发布制度。"),
                 1115: (390, number.format(n))}
        image = _page_image(n, texts)
        return page_input(read_page_image(image, source="scan.tif",  # type: ignore[arg-type]
                                          engine=_Reads({y: t for y, (_, t) in texts.items()})))  # type: ignore[arg-type]

    read = read_pages([page(n) for n in (1, 2)], "scan.tif")  # type: ignore[misc]
    assert "scan.tif: page numbers left out (page furniture; pages 1, 2)" in read.warnings
    assert "scan.tif: the running header or footer 「政务公开工作通报」 left out (page furniture; pages 2)" \
        in read.warnings
    assert "".join(p for p, _ in read.paragraphs) == "".join(f"{n}.推进第{n}项政务公开工作，落实信息发布制度。"
                                                           for n in (1, 2))  # the only page line runs on


def test_glyphs_take_the_em_square_of_their_line() -> None:
    """OCR finds ink; the page stage counts in em squares, as a PDF's text layer gives them: a line
    of Chinese with 27 pixels of ink at 200 dpi is 10.5 pt text, and a line of digits on the same
    page takes that em too, about its own middle."""
    from zwgk.readers.scan._read import ScanPage
    from zwgk.readers.scan._stage import page_input

    def line(text: str, box: tuple[int, int, int, int]) -> Line:
        return Line(box, tuple(Char(ch, box[0] + 10 * i, box[1], box[0] + 10 * i + 10, box[3], 0.99)
                               for i, ch in enumerate(text)))

    page = ScanPage(1, 1654, 2339, 200.0, (line("加大促进就业", (100, 200, 260, 227)),
                                             line("2021", (100, 300, 140, 320))), ())
    glyphs = page_input(page).glyphs
    chinese, digits = glyphs[0], glyphs[-1]
    assert chinese.size == pytest.approx(10.5, abs=0.2) and digits.size == pytest.approx(chinese.size)
    assert chinese.y1 - chinese.y0 == pytest.approx(chinese.size)
    assert (chinese.y0 + chinese.y1) / 2 == pytest.approx(213.5 * 72 / 200)
    assert (digits.y0 + digits.y1) / 2 == pytest.approx(310 * 72 / 200)


def _pred(n_frames: int, n_classes: int, marks: dict[int, list[tuple[int, float]]]) -> np.ndarray:
    """A made-up model output: blank everywhere but at the frames of ``marks`` (frame → (class, p)...)."""
    pred = np.zeros((n_frames, n_classes), np.float32)
    pred[:, 0] = 0.9
    for f, ranked in marks.items():
        pred[f, 0] = 0.0
        for c, p in ranked:
            pred[f, c] = p
    return pred


@pytest.mark.parametrize(("gap", "underline", "expected"), [
    (6, "", "情况,积极开展"), (8, "", "情况，积极开展"),
    (6, "askew", "情况,积极开展"), (8, "askew", "情况，积极开展"), (8, "ragged", "情况，积极开展")])
def test_a_marks_width_says_whether_it_is_full_width(gap: int, underline: str, expected: str) -> None:
    """The model cannot tell ``,`` from ``，`` by shape alone: the paper about the mark can (a
    full-width mark leaves most of its em paper, a narrow one little), in the line's pitch. An
    underline is no ink between the characters: a little askew (a few pixel rows, none full), or
    blurred with a ragged edge (a row below it partly inked, broken by noise)."""
    alphabet = ["情", "况", ",", "，", "积", "极", "开", "展"]
    rec = _recogniser(alphabet)
    ids = {ch: i + 1 for i, ch in enumerate(alphabet)}
    pitch = 4  # frames of 8 model pixels: characters 32 pixels apart, their ink 28 wide
    frames = {0: "情", pitch: "况"}
    after = pitch + gap
    for k, ch in enumerate("积极开展"):
        frames[after + k * pitch] = ch
    crop = np.full((48, 400), 255, np.uint8)
    for f in frames:
        centre = (f + 0.5) * 8
        crop[8:40, round(centre) - 14:round(centre) + 14] = 0
    comma = round((pitch + 0.5) * 8) + 16  # the comma's ink just after 况's, at the bottom
    crop[32:40, comma:comma + 4] = 0
    if underline == "askew":  # one pixel lower every 100 columns
        for y in range(4):
            crop[42 + y, y * 100:(y + 1) * 100] = 0
    elif underline == "ragged":  # full rows, and under part of the line a row broken every 20 pixels
        crop[42:45] = 0
        crop[45, :150] = 0
        crop[45, 18:150:20] = 255
        crop[45, 19:150:20] = 255
    frames[(pitch + after) // 2] = "，"  # the model's guess is the same either way
    pred = _pred(50, len(alphabet) + 2, {f: [(ids[ch], 0.95)] for f, ch in frames.items()})
    chars = rec._decode(pred, 50, 400, 0, 1.0, (0, 0, 400, 30), crop)
    assert _tidy(Line((0, 0, 400, 30), tuple(chars))).text == expected


def test_an_ascii_quote_takes_the_curly_form_the_model_ranks_higher() -> None:
    alphabet = ["推", "进", '"', "“", "”", "改", "革"]
    rec = _recogniser(alphabet)
    pred = _pred(30, len(alphabet) + 2, {0: [(1, 0.9)], 4: [(2, 0.9)], 8: [(3, 0.8), (4, 0.15), (5, 0.01)],
                                          12: [(6, 0.9)], 16: [(7, 0.9)], 20: [(3, 0.7), (5, 0.2), (4, 0.05)]})
    chars = rec._decode(pred, 30, 240, 0, 1.0, (0, 0, 240, 30))
    assert _tidy(Line((0, 0, 240, 30), tuple(chars))).text == "推进“改革”"


@pytest.mark.parametrize(("opening", "closing"), [("[", "]"), ("[", "」"), ("「", "〕"), ("（", "）")])
def test_a_document_numbers_brackets_are_the_ones_it_writes(opening: str, closing: str) -> None:
    """The brackets about a document number's year, in whatever shape the model took them (a
    square, a corner bracket, a round one), are 〔〕 where the model considered those at all."""
    alphabet = ["闽", "政", "办", opening, closing, "2", "0", "1", "8", "5", "号", "〔", "〕"]
    alphabet = list(dict.fromkeys(alphabet))
    rec = _recogniser(alphabet)
    ids = {ch: i + 1 for i, ch in enumerate(alphabet)}
    text = f"闽政办{opening}2018{closing}25号"
    marks = {4 * k: [(ids[ch], 0.9)] for k, ch in enumerate(text)}
    marks[12].append((ids["〔"], 0.05))
    marks[32].append((ids["〕"], 0.02))
    pred = _pred(4 * len(text), len(alphabet) + 2, marks)
    chars = rec._decode(pred, 4 * len(text), 32 * len(text), 0, 1.0, (0, 0, 32 * len(text), 30))
    assert "".join(c.text for c in chars) == "闽政办〔2018〕25号"


def _cross(height: int) -> np.ndarray:
    """A model input 48 pixels high: a line of two full-height blocks and a cross ``height`` high between."""
    crop = np.full((48, 120), 255, np.uint8)
    crop[8:40, 4:36] = 0  # a character's ink, 32 pixels high
    crop[8:40, 84:116] = 0
    top = 24 - height // 2
    crop[top:top + height, 59:61] = 0  # the stem
    crop[23:25, 46:74] = 0  # the bar
    return crop


@pytest.mark.parametrize(("height", "expected"), [(20, "+"), (31, "十")])
def test_a_small_cross_is_plus_and_a_tall_one_ten(height: int, expected: str) -> None:
    """十 and ＋ differ mainly in size: where the model also considers the small cross, its ink decides."""
    alphabet = ["网", "十", "+", "＋", "政"]
    rec = _recogniser(alphabet)
    # frames of 8 model pixels: 网 at 20, the cross at 60, 政 at 100
    pred = _pred(15, len(alphabet) + 2, {2: [(1, 0.99)], 7: [(2, 0.6), (3, 0.3), (4, 0.05)], 12: [(5, 0.99)]})
    chars = rec._decode(pred, 15, 120, 0, 1.0, (0, 0, 120, 48), _cross(height))
    assert chars[1].text == expected


def test_a_cross_the_model_is_sure_of_is_left_alone() -> None:
    alphabet = ["网", "十", "+", "＋", "政"]
    rec = _recogniser(alphabet)
    pred = _pred(15, len(alphabet) + 2, {2: [(1, 0.99)], 7: [(2, 0.99), (3, 0.005)], 12: [(5, 0.99)]})
    chars = rec._decode(pred, 15, 120, 0, 1.0, (0, 0, 120, 48), _cross(20))
    assert chars[1].text == "十"


@pytest.mark.parametrize(("read", "digit", "expected"), [
    ("-l-", 0.11, "-1-"), ("-l-", 0.001, "-l-"), ("第l页", 0.2, "第1页"), ("lO", 0.3, "10"),
    ("网l", 0.4, "网l"), ("l-l", 0.4, "l-l")])
def test_a_number_alone_read_with_a_letter_has_the_digit_the_model_considered(read: str, digit: float,
                                                                              expected: str) -> None:
    """A page number's ``1`` often comes back ``l`` (the model ranks ``1`` second): in a line that is
    a number alone once it is a digit, it is that digit; in words, or where the model did not
    consider the digit, the letter stays."""
    alphabet = ["-", "l", "1", "O", "0", "第", "页", "网"]
    rec = _recogniser(alphabet)
    ids = {ch: i + 1 for i, ch in enumerate(alphabet)}
    marks = {}
    for k, ch in enumerate(read):
        ranked = [(ids[ch], 0.85)]
        if ch in "lO":
            ranked.append((ids["1" if ch == "l" else "0"], digit))
        marks[4 * k] = ranked
    pred = _pred(4 * len(read), len(alphabet) + 2, marks)
    chars = rec._decode(pred, 4 * len(read), 32 * len(read), 0, 1.0, (0, 0, 32 * len(read), 30))
    assert "".join(c.text for c in chars) == expected
