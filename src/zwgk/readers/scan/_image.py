"""Page images: image files (PNG, JPEG, TIFF with all its pages) and PDF pages rendered by PDFium.

Images are opened with Pillow, which reads only the header when a file is opened: the size is
checked against :class:`ScanLimits` before a single pixel is decoded, so an image that declares
huge dimensions (a decompression bomb) is refused without the memory it asks for. A page larger
than :attr:`ScanLimits.work_pixels` is shrunk to it (JPEG decodes straight at the smaller size),
which bounds the memory of every later step. A truncated or damaged file is a
:class:`ScanError` naming the file and page.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attrs import frozen

from zwgk.errors import ParseError, Position

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Image = npt.NDArray[np.uint8]
else:
    Image = Any

__all__ = [
    "DEFAULT_LIMITS",
    "PageImage",
    "ScanError",
    "ScanLimits",
    "image_pages",
    "render_page",
    "sniff_image",
]

_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")

#: The resolution assumed for an image that states none (or an implausible one): the long side
#: of the image is taken to be the long side of an A4 page.
A4_LONG_INCHES = 11.69
#: Resolutions (dots per inch) believed when an image states them.
PLAUSIBLE_DPI = (72.0, 1200.0)


class ScanError(ParseError):
    """A scan or image zwgk cannot read: damaged, truncated, too large, or not an image."""


@frozen
class ScanLimits:
    """What a scanned document may hold before zwgk refuses it.

    :param max_pixels: pixels a page image may declare (width × height); a larger one is refused
        before it is decoded (an A3 page scanned at 600 dpi is 70 million pixels).
    :param work_pixels: pages larger than this are shrunk to it before they are read (an A4 page
        at 300 dpi is 8.7 million pixels).
    :param max_pages: pages of a multi-page TIFF or scanned PDF.
    :param max_seconds: time for the whole document, checked between pages.
    """

    max_pixels: int = 80_000_000
    work_pixels: int = 12_000_000
    max_pages: int = 500
    max_seconds: float = 1800.0


#: The limits used when the caller gives none.
DEFAULT_LIMITS = ScanLimits()


@frozen
class PageImage:
    """One page to read: its RGB pixels (h, w, 3), its 1-based number and its resolution."""

    number: int
    pixels: Image
    dpi: float


def sniff_image(head: bytes) -> bool:
    """A PNG, JPEG or TIFF file by its first bytes."""
    return head.startswith(_MAGIC)


def _dpi(info: dict[str, Any], size: tuple[int, int]) -> float:
    raw = info.get("dpi")
    try:
        value = float(raw[0]) if isinstance(raw, tuple) else float(raw) if raw is not None else 0.0
    except (TypeError, ValueError):
        value = 0.0
    if PLAUSIBLE_DPI[0] <= value <= PLAUSIBLE_DPI[1]:
        return value
    return max(size) / A4_LONG_INCHES


def image_pages(path: Path, limits: ScanLimits = DEFAULT_LIMITS, name: str | None = None) -> Iterator[PageImage]:
    """The pages of an image file, one at a time (a TIFF may hold many); ``name`` in messages."""
    from PIL import Image as PILImage
    from PIL import ImageSequence, UnidentifiedImageError

    source = name if name is not None else str(path)
    where = Position(file=source)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            img = PILImage.open(path)
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as e:
        raise ScanError(f"the image is too large to read ({e})", where) from None
    except UnidentifiedImageError:
        raise ScanError("not an image zwgk can read (PNG, JPEG or TIFF)", where) from None
    except OSError as e:
        raise ScanError(f"cannot read the image ({_describe(e)})", where) from None
    with img:
        for n, frame in enumerate(ImageSequence.Iterator(img), start=1):
            at = Position(file=source, page=n)
            if n > limits.max_pages:
                raise ScanError(f"the image has more than {limits.max_pages:,} pages (max_pages)", where)
            dpi = _dpi(frame.info, frame.size)
            width = frame.size[0]
            pixels = _decode(frame, limits, at)
            yield PageImage(n, pixels, dpi * pixels.shape[1] / width)


def _decode(frame: Any, limits: ScanLimits, at: Position) -> Image:
    import numpy as np

    w, h = frame.size
    if w <= 0 or h <= 0:
        raise ScanError("the image has no pixels", at)
    if w * h > limits.max_pixels:
        raise ScanError(f"the image is {w:,} × {h:,} pixels, more than {limits.max_pixels:,} "
                        "(max_pixels): refusing to decode it (a decompression bomb?)", at)
    shrink = math.sqrt(w * h / limits.work_pixels) if w * h > limits.work_pixels else 1.0
    try:
        if shrink > 1.0 and frame.format == "JPEG":
            frame.draft("RGB", (math.ceil(w / shrink), math.ceil(h / shrink)))
        frame.load()
        rgb = frame.convert("RGB")
        if rgb.width * rgb.height > limits.work_pixels:
            factor = math.sqrt(limits.work_pixels / (rgb.width * rgb.height))
            rgb = rgb.resize((max(1, int(rgb.width * factor)), max(1, int(rgb.height * factor))))
    except (OSError, ValueError, SyntaxError, MemoryError) as e:
        raise ScanError(f"the image is damaged or truncated ({_describe(e)})", at) from None
    return np.asarray(rgb, dtype=np.uint8)


def render_page(page: Any, number: int, dpi: float, source: str, limits: ScanLimits = DEFAULT_LIMITS,
                turn: int = 0) -> PageImage:
    """A PDF page (a ``pypdfium2`` page) rendered to RGB at ``dpi``, shrunk to the work size, as
    displayed and turned ``turn`` degrees further clockwise."""
    import numpy as np

    at = Position(file=source, page=number)
    try:
        w, h = page.get_size()
    except Exception as e:
        raise ScanError(f"this page of the PDF is damaged ({_describe(e)})", at) from None
    scale = dpi / 72.0
    pixels = w * scale * h * scale
    if pixels > limits.work_pixels:
        scale *= math.sqrt(limits.work_pixels / pixels)
    try:
        bitmap = page.render(scale=scale, rotation=turn, rev_byteorder=True)
        rgb = np.array(bitmap.to_numpy()[:, :, :3], dtype=np.uint8)
        bitmap.close()
    except Exception as e:
        raise ScanError(f"this page of the PDF cannot be rendered ({_describe(e)})", at) from None
    return PageImage(number, rgb, scale * 72.0)


def _describe(e: object) -> str:
    text = str(e).strip() or type(e).__name__
    return text if len(text) <= 120 else text[:117] + "..."
