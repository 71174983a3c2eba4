"""Recognising the characters of text lines found in the pixels, with RapidOCR's recognition model.

The ``ocr`` extra installs ``rapidocr-onnxruntime``, whose wheel ships PP-OCRv4's Chinese
recognition model as an ONNX file: nothing is downloaded at run time. Only the recognition model
is run: where the lines are is known from the pixels (:func:`zwgk.readers.scan._pixels.text_lines`),
so the detection model and the orientation classifier, about a quarter of a full RapidOCR pass, are
skipped, and no rule or seal is ever recognised.

Lines are recognised in order of width, a few at a time (:attr:`EngineSettings.max_batch`,
:attr:`EngineSettings.batch_pixels`): on CPU small batches are the fastest, and lines of
similar width waste little of a batch on padding. Each recognised character comes back with its box, from the frames
of the model's output where the character was decoded, and its confidence (the probability of the
decoded class at those frames).
"""

from __future__ import annotations

import itertools
import math
import os
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attrs import frozen

from zwgk.readers.page import is_ideograph, is_page_number
from zwgk.readers.scan._pixels import Box

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Image = npt.NDArray[np.uint8]
else:
    Image = Any

__all__ = ["Char", "EngineSettings", "Line", "Recogniser", "recogniser"]

#: The recognition model's input height in pixels (PP-OCRv4: 3 × 48 × W).
MODEL_HEIGHT = 48
#: The model's output has one frame for this many pixels of input width.
_FRAME_PIXELS = 8
_MODEL_FILE = "ch_PP-OCRv4_rec_infer.onnx"


@frozen
class EngineSettings:
    """How the recogniser runs.

    :param batch_pixels: model-input width a batch may hold, summed over its lines (lines of
        similar width are batched together, so padding stays small). Small batches are the
        fastest on CPU: a page's lines in batches of 32 took 2.5 times as long as one at a time,
        measured on a loaded 2-core machine (``benchmarks/bench_ocr.py``); two short lines go together.
    :param max_batch: lines in one batch at most.
    :param threads: threads for ONNX Runtime (``None``: ONNX Runtime's default, every core; the
        environment variable ``ZWGK_OCR_THREADS`` overrides it).
    :param max_line_ratio: a line box wider than this many times its height is cut into pieces
        recognised separately (the model's attention spans a limited width).
    """

    batch_pixels: int = 1_600
    max_batch: int = 2
    threads: int | None = None
    max_line_ratio: float = 60.0


@frozen
class Char:
    """One recognised character: its box in page pixels and the model's confidence in it.

    ``wide`` is the form a mark takes beside Chinese text, where its width was measured
    (:data:`WIDTHS`; for an ASCII quote, the full-width quote the model ranks higher); empty
    where it was not.
    """

    text: str
    x0: int
    y0: int
    x1: int
    y1: int
    confidence: float
    wide: str = ""


#: ASCII quotes and their full-width forms (opening, closing): the recogniser cannot see a
#: quote's width, but ranks the curly quote whose shape it saw above the other.
QUOTES = {'"': "“”", "'": "‘’"}
#: Marks written either narrow (ASCII) or full-width: the model often takes one for the other, so
#: the width decides, measured as the widest run of paper between the characters either side, in
#: the line's pitch (:func:`_paper`): a full-width mark's ink takes a small part of its em, and
#: leaves most of it paper (a ``，`` about 0.7 of a pitch), a narrow one a little (about 0.2).
WIDTHS = {"(": "（", ")": "）", ",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
#: A horizontal run of ink at least this many pitches long is an underline or a rule (no
#: character's stroke is longer than its em), left out when paper is measured: a line's
#: underline, even a little askew (its ink then spread over several rows, none of them full).
UNDERLINE_PITCHES = 1.5
#: Rows (of the model's 48) above and below such a run that belong to it.
UNDERLINE_RIM = 1
#: Paper (in pitches) from which a mark is full-width.
WIDE_PAPER = 0.45
#: Pairs of Chinese characters side by side a line needs before its pitch is believed.
MIN_PITCHES = 3
_NARROW = {v: k for k, v in WIDTHS.items()}

#: A document number's year between brackets of any shape (square, round, corner: the model
#: takes 〔〕 for any of them), a number after it (its 号 may be on the next line).
_DOCUMENT_NUMBER = re.compile(r"([\[［【(（〔〖「『])\s*((?:19|20)\d\d)\s*([\]］】)）〕〗」』])\s*\d")
#: The probability the model must give 〔 or 〕 at a document number's bracket for it to be taken.
BRACKET_DOUBT = 0.01

#: Latin letters the model takes for a digit in a line of digits alone (``-l-`` for the page number
#: ``-1-``), and the digit.
DIGIT_LOOKALIKES = {"l": "1", "I": "1", "|": "1", "O": "0", "o": "0"}
#: The probability the model must give the digit for a look-alike to be taken for it.
DIGIT_DOUBT = 0.01

#: Glyphs that differ from another mainly in size (``十`` and ``+``/``＋``, the small cross of
#: ``互联网＋``): where the model ranks the small ones together at least :data:`SIZE_DOUBT`, the
#: ink decides; a small one is the first form, its width then measured as any mark's (:data:`WIDTHS`).
SMALL_FORMS = {"十": "+＋"}
SIZE_DOUBT = 0.05
#: A small form's ink is at most this share of its line's ink high (``＋`` about 0.65, ``十`` 0.9 and more).
SMALL_SHARE = 0.8


@frozen
class Line:
    """One line box and what was recognised in it."""

    box: Box
    chars: tuple[Char, ...]

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.chars)

    @property
    def confidence(self) -> float:
        """The lowest confidence of its characters (1.0 for a line that read as nothing)."""
        return min((c.confidence for c in self.chars), default=1.0)


def model_path() -> Path:
    """Where the recognition model lies inside the installed ``rapidocr-onnxruntime`` package."""
    import rapidocr_onnxruntime

    return Path(rapidocr_onnxruntime.__file__).parent / "models" / _MODEL_FILE


class Recogniser:
    """PP-OCRv4 recognition over line boxes of a grey page image."""

    _classes: dict[str, int]

    def __init__(self, settings: EngineSettings | None = None) -> None:
        import onnxruntime as ort

        self.settings = settings if settings is not None else EngineSettings()
        opts = ort.SessionOptions()
        opts.log_severity_level = 4
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        threads = self.settings.threads
        env = os.environ.get("ZWGK_OCR_THREADS", "").strip()
        if env.isdigit() and int(env) > 0:
            threads = int(env)
        if threads:
            opts.intra_op_num_threads = threads
            opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(model_path()), sess_options=opts,
                                            providers=["CPUExecutionProvider"])
        meta = self.session.get_modelmeta().custom_metadata_map
        self.alphabet: list[str] = ["", *meta["character"].splitlines(), " "]
        self.input_name = self.session.get_inputs()[0].name

    def read(self, grey: Image, boxes: Sequence[Box], margin: float = 0.18) -> list[Line]:
        """Recognise each box of ``grey`` (a page, 2-d uint8); the lines in the order of ``boxes``."""
        pieces: list[tuple[int, Box]] = []
        for i, box in enumerate(boxes):
            pieces.extend((i, b) for b in self._cut(box))
        cropped = [self._crop(grey, b, margin) for _, b in pieces]
        crops = [c for c, _, _ in cropped]
        frames = [(left, factor) for _, left, factor in cropped]
        widths = [c.shape[1] for c in crops]
        order = sorted(range(len(crops)), key=lambda k: widths[k])
        results: list[list[Char]] = [[] for _ in pieces]
        batch: list[int] = []
        for k in order:
            w = widths[k]
            if batch and ((len(batch) + 1) * w > self.settings.batch_pixels or len(batch) >= self.settings.max_batch):
                self._run(batch, crops, frames, pieces, results)
                batch = []
            batch.append(k)
        if batch:
            self._run(batch, crops, frames, pieces, results)
        lines: list[list[Char]] = [[] for _ in boxes]
        for (i, _), chars in zip(pieces, results, strict=True):
            lines[i].extend(chars)
        return [Line(box, tuple(chars)) for box, chars in zip(boxes, lines, strict=True)]

    def _cut(self, box: Box) -> list[Box]:
        x0, y0, x1, y1 = box
        h = max(1, y1 - y0)
        longest = max(h, int(h * self.settings.max_line_ratio))
        if x1 - x0 <= longest:
            return [box]
        n = math.ceil((x1 - x0) / longest)
        step = math.ceil((x1 - x0) / n)
        return [(x, y0, min(x1, x + step), y1) for x in range(x0, x1, step)]

    @staticmethod
    def _crop(grey: Image, box: Box, margin: float) -> tuple[Image, int, float]:
        """The line's pixels with paper around them, scaled to the model's height; with the page
        x of the crop's left edge and the page pixels per model pixel.

        Above and below, ``margin`` of the line's height is added; at each side up to
        :data:`SIDE_MARGIN` of it, as far as the paper goes (half-way to the next ink on the
        line's rows): a mark at the line's end (a 、 on an underline) then has paper after it,
        as the model was trained on, and no neighbour's ink comes in."""
        import cv2
        import numpy as np

        x0, y0, x1, y1 = box
        h = y1 - y0
        pad = max(1, round(h * margin))
        H, W = grey.shape[:2]
        reach = max(pad // 2, round(h * SIDE_MARGIN))
        band = grey[y0:y1]
        left = x0 - _paper_run(band, x0 - 1, -1, reach)
        right = x1 + _paper_run(band, x1, 1, reach)
        crop = grey[max(0, y0 - pad):min(H, y1 + pad), max(0, left):min(W, right)]
        left = max(0, left)
        ch, cw = crop.shape[:2]
        width = max(1, math.ceil(MODEL_HEIGHT * cw / max(1, ch)))
        scaled = cv2.resize(crop, (width, MODEL_HEIGHT), interpolation=cv2.INTER_AREA
                            if ch > MODEL_HEIGHT else cv2.INTER_LINEAR)
        out: Image = np.ascontiguousarray(scaled, dtype=np.uint8)
        return out, left, cw / width

    def _run(self, batch: list[int], crops: list[Image], frames: list[tuple[int, float]],
             pieces: list[tuple[int, Box]], results: list[list[Char]]) -> None:
        import numpy as np

        width = max(crops[k].shape[1] for k in batch)
        width = max(width, MODEL_HEIGHT)
        width = math.ceil(width / _FRAME_PIXELS) * _FRAME_PIXELS
        data = np.zeros((len(batch), 3, MODEL_HEIGHT, width), dtype=np.float32)
        for j, k in enumerate(batch):
            c = crops[k]
            data[j, :, :, :c.shape[1]] = (c.astype(np.float32) / 127.5 - 1.0)[None, :, :]
        preds = self.session.run(None, {self.input_name: data})[0]
        steps = preds.shape[1]
        for j, k in enumerate(batch):
            _, box = pieces[k]
            left, factor = frames[k]
            results[k] = self._decode(preds[j], steps, width, left, factor, box, crops[k])

    def _decode(self, pred: Any, frames: int, width: int, left: int, factor: float, box: Box,
                crop: Image | None = None) -> list[Char]:
        """CTC decoding of one line: repeated classes collapsed, blanks dropped; each character's
        box spans the frames from where it was decoded to the next character.

        An ASCII quote gets the full-width quote the model ranks higher (:data:`QUOTES`); a glyph
        with a small form the model also considered (:data:`SMALL_FORMS`) is that small form when
        its ink in ``crop`` (the model's input) is low for the line (:data:`SMALL_SHARE`).
        """
        import numpy as np

        idx = pred.argmax(axis=1)
        prob = pred.max(axis=1)
        keep = idx != 0
        keep[1:] &= idx[1:] != idx[:-1]
        where = np.flatnonzero(keep)
        if where.size == 0:
            return []
        x0, y0, x1, y1 = box
        # frame → model pixels → page pixels
        per_frame = width / frames
        centres = [left + (f + 0.5) * per_frame * factor for f in where.tolist()]
        texts = [self.alphabet[int(idx[f])] if int(idx[f]) < len(self.alphabet) else "" for f in where.tolist()]
        for n, f in enumerate(where.tolist()):
            forms = SMALL_FORMS.get(texts[n])
            if forms is not None and crop is not None:
                likely = sum(float(pred[f, self._index(q)]) for q in forms)
                if likely >= SIZE_DOUBT and _ink_share(crop, (f + 0.5) * per_frame) <= SMALL_SHARE:
                    texts[n] = forms[0]
        self._document_numbers(texts, pred, where)
        self._numbers(texts, pred, where)
        spans = _paper(texts, [(f + 0.5) * per_frame for f in where.tolist()], crop) if crop is not None else {}
        chars: list[Char] = []
        for n, f in enumerate(where.tolist()):
            text = texts[n]
            left = x0 if n == 0 else (centres[n - 1] + centres[n]) / 2
            right = x1 if n == len(centres) - 1 else (centres[n] + centres[n + 1]) / 2
            # the confidence of a character: the lowest probability over the frames it was held
            end = where[n + 1] if n + 1 < where.size else len(idx)
            run = prob[f:end][idx[f:end] == idx[f]]
            conf = float(run.min()) if run.size else float(prob[f])
            wide = ""
            if n in spans:
                narrow = _NARROW.get(text, text)
                wide = WIDTHS[narrow] if spans[n] >= WIDE_PAPER else narrow
            elif text in QUOTES:
                wide = max(QUOTES[text], key=lambda q: float(pred[f, self._index(q)]))
            chars.append(Char(text, max(x0, round(left)), y0, min(x1, round(right)), y1, conf, wide))
        return chars

    def _document_numbers(self, texts: list[str], pred: Any, where: Any) -> None:
        """The brackets about the year of a document number (``闽政办〔2018〕25号``) as 〔〕, where
        the model considered them (:data:`BRACKET_DOUBT`): the model often takes them for ``[]``,
        ``【】`` or ``（）``, while a document number writes 〔〕 (GB/T 9704)."""
        line = "".join(t if len(t) == 1 else "\0" for t in texts)
        for m in _DOCUMENT_NUMBER.finditer(line):
            for n, form in ((m.start(1), "〔"), (m.start(3), "〕")):
                if texts[n] != form and float(pred[int(where[n]), self._index(form)]) >= BRACKET_DOUBT:
                    texts[n] = form

    def _numbers(self, texts: list[str], pred: Any, where: Any) -> None:
        """A line that is a number alone (a page number ``- 3 -``, ``第3页``, a serial: the page
        stage's :func:`~zwgk.readers.page.is_page_number`) once its letters that look like digits
        (:data:`DIGIT_LOOKALIKES`) are digits has those digits, where the model considered them
        (:data:`DIGIT_DOUBT`): no word of a Chinese document is a ``l`` between dashes."""
        alike = [n for n, t in enumerate(texts) if t in DIGIT_LOOKALIKES]
        if not alike or not is_page_number("".join(DIGIT_LOOKALIKES.get(t, t) for t in texts)):
            return
        if all(float(pred[int(where[n]), self._index(DIGIT_LOOKALIKES[texts[n]])]) >= DIGIT_DOUBT for n in alike):
            for n in alike:
                texts[n] = DIGIT_LOOKALIKES[texts[n]]

    def _index(self, ch: str) -> int:
        if not hasattr(self, "_classes"):
            self._classes = {c: i for i, c in enumerate(self.alphabet) if c}
        return self._classes.get(ch, 0)


#: Paper added at each side of a line before recognition, at most, as a share of its height
#: (beyond half the top margin). 0: half a line margin only; 0.25 and 0.5 were measured to make a
#: lone 工 in a degraded header cell read as ``I``.
SIDE_MARGIN = 0.0
#: A column of a line's rows is ink when its darkest pixel is this far below the paper (grey levels).
_INK_DEPTH = 60


def _paper_run(band: Image, start: int, step: int, reach: int) -> int:
    """How far from column ``start`` of ``band`` (a line's rows), going by ``step``, paper goes,
    at most ``reach``; half-way to the ink found there."""
    import numpy as np

    w = band.shape[1]
    if band.size == 0:
        return 0
    stop = start + step * reach
    lo, hi = (start, min(w, stop + 1)) if step > 0 else (max(0, stop), start + 1)
    if hi <= lo:
        return 0
    paper = float(np.percentile(band, 90))
    dark = band[:, lo:hi].min(axis=0) < paper - _INK_DEPTH
    if step < 0:
        dark = dark[::-1]
    hits = np.flatnonzero(dark)
    room = int(hits[0]) // 2 if hits.size else hi - lo
    return min(reach, room)


def _paper(texts: Sequence[str], centres: Sequence[float], crop: Image) -> dict[int, float]:
    """For each mark of :data:`WIDTHS` with a character either side (spaces aside), one of them
    Chinese: the widest run of paper between those characters' centres in ``crop`` (the model's
    input, ``centres`` in its pixels), in the line's pitch (the median distance of two Chinese
    characters side by side)."""
    import statistics

    import numpy as np

    pitches = [b - a for (s, a), (t, b) in itertools.pairwise(zip(texts, centres, strict=True))
               if is_ideograph(s[:1]) and is_ideograph(t[:1])]
    if len(pitches) < MIN_PITCHES:
        return {}
    pitch = statistics.median(pitches)
    paper, dark = np.percentile(crop, (90, 2))
    if paper - dark < _CONTRAST or pitch <= 0:
        return {}
    ink = crop < (float(paper) + float(dark)) / 2
    inked: Any = (ink & ~_long_runs(ink, math.ceil(pitch * UNDERLINE_PITCHES))).any(axis=0)
    seen = [n for n, t in enumerate(texts) if t.strip()]
    out: dict[int, float] = {}
    for before, n, after in zip(seen, seen[1:], seen[2:], strict=False):
        if texts[n] not in WIDTHS and texts[n] not in _NARROW:
            continue
        if not (is_ideograph(texts[before][:1]) or is_ideograph(texts[after][:1])):
            continue
        window = inked[max(0, round(centres[before])):round(centres[after])]
        runs = np.diff(np.flatnonzero(np.concatenate(([True], window, [True])))) - 1
        out[n] = float(runs.max()) / pitch if runs.size else 0.0
    return out



def _long_runs(ink: Any, length: int) -> Any:
    """The pixels of ``ink`` (2-d, bool) in horizontal runs at least ``length`` long, with
    :data:`UNDERLINE_RIM` rows above and below them (a blurred underline's ragged edge, its runs
    broken by noise)."""
    import cv2
    import numpy as np

    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (max(1, length), 1))
    runs = cv2.morphologyEx(ink.astype(np.uint8), cv2.MORPH_OPEN, kernel)
    rim = cv2.getStructuringElement(cv2.MORPH_RECT, (1, 2 * UNDERLINE_RIM + 1))
    return cv2.dilate(runs, rim).astype(bool)


def _ink_share(crop: Image, centre: float) -> float:
    """How high the ink about ``centre`` (model pixels) is, as a share of the ink of the whole line."""
    import numpy as np

    w = crop.shape[1]
    paper, dark = np.percentile(crop, (90, 2))
    if paper - dark < _CONTRAST:
        return 1.0
    ink = crop < (float(paper) + float(dark)) / 2
    rows = np.flatnonzero(ink.any(axis=1))
    if rows.size == 0:
        return 1.0
    line = rows[-1] - rows[0] + 1
    half = max(1, round(line * _CENTRE_WINDOW))
    c = round(centre)
    column = ink[:, max(0, c - half):min(w, c + half + 1)]
    own = np.flatnonzero(column.any(axis=1))
    if own.size == 0:
        return 1.0
    return float(own[-1] - own[0] + 1) / float(line)


#: Grey levels between paper and ink below which a crop is too faint to measure.
_CONTRAST = 40
#: The columns about a character's centre whose ink is measured, as a share of the line's height
#: each side (the stem of a cross, not its neighbours).
_CENTRE_WINDOW = 0.2


_lock = threading.Lock()
_shared: dict[EngineSettings, Recogniser] = {}


def recogniser(settings: EngineSettings | None = None) -> Recogniser:
    """The recogniser for ``settings``, loaded once per process (loading the model takes a second)."""
    key = settings if settings is not None else EngineSettings()
    with _lock:
        if key not in _shared:
            _shared[key] = Recogniser(key)
        return _shared[key]
