"""Words from a PDF page's text layer (pypdfium2), boxed in the pixels of the page rendered at a given scale."""

from __future__ import annotations

import ctypes
import math
import unicodedata
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..model import OcrPage, Word

ENGINE = "pdf-text"
MIN_CHARS = 10
"""Fewer visible characters than this and the page is treated as having no text layer."""
MIN_GOOD_SHARE = 0.8
"""Below this share of ordinary characters the layer is garbage (fonts without a Unicode map)."""

_BREAKS = {"\r", "\n", "\x02", "\x0c"}


@dataclass
class _Run:
    """A word being built: its characters and its box in device pixels (x0, y0, x1, y1)."""

    chars: list[str] = field(default_factory=list)
    box: list[float] = field(default_factory=lambda: [math.inf, math.inf, -math.inf, -math.inf])

    def add(self, ch: str, box: tuple[float, float, float, float]) -> None:
        self.chars.append(ch)
        self.box = [min(self.box[0], box[0]), min(self.box[1], box[1]), max(self.box[2], box[2]), max(self.box[3], box[3])]


class _Mapper:
    """Page space (PDF points) → device pixels of the page rendered at `scale`, page rotation included."""

    def __init__(self, page: pdfium.PdfPage, size: tuple[int, int]) -> None:
        # FPDF_PageToDevice rounds to ints: map three points on a 16× larger device and divide, for 1/16 px precision.
        sub = 16
        w, h = size[0] * sub, size[1] * sub
        dx, dy = ctypes.c_int(), ctypes.c_int()

        def dev(px: float, py: float) -> tuple[float, float]:
            pdfium_c.FPDF_PageToDevice(page, 0, 0, w, h, 0, px, py, dx, dy)
            return dx.value / sub, dy.value / sub

        o, ex, ey = dev(0, 0), dev(1000, 0), dev(0, 1000)
        self.origin = o
        self.ax = ((ex[0] - o[0]) / 1000, (ex[1] - o[1]) / 1000)
        self.ay = ((ey[0] - o[0]) / 1000, (ey[1] - o[1]) / 1000)

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        xs, ys = [], []
        for px, py in ((left, bottom), (right, top), (left, top), (right, bottom)):
            xs.append(self.origin[0] + px * self.ax[0] + py * self.ay[0])
            ys.append(self.origin[1] + px * self.ax[1] + py * self.ay[1])
        return min(xs), min(ys), max(xs), max(ys)


def rendered_size(page: pdfium.PdfPage, scale: float) -> tuple[int, int]:
    """The pixel size `page.render(scale=scale)` produces (pypdfium2 rounds up)."""
    return math.ceil(page.get_width() * scale), math.ceil(page.get_height() * scale)


def _usable(chars: list[str]) -> bool:
    visible = [c for c in chars if not c.isspace() and c not in _BREAKS]
    if len(visible) < MIN_CHARS:
        return False
    good = sum(1 for c in visible if c != "\ufffd" and unicodedata.category(c) not in {"Co", "Cn", "Cc", "Cs"})
    return good / len(visible) >= MIN_GOOD_SHARE


def read_text_layer(page: pdfium.PdfPage, scale: float) -> OcrPage | None:
    """The page's text layer as words with boxes in the rendered page's pixels, or None when it has no usable text.

    Characters are grouped into words at spaces, at gaps wider than half the character height and at
    line changes; lines at PDFium's line breaks or when the baseline moves; a new block starts after a
    vertical gap of more than one line height or when the text jumps back up (another column).
    """
    size = rendered_size(page, scale)
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        chars = [chr(pdfium_c.FPDFText_GetUnicode(textpage, i) or 0x20) for i in range(count)]
        if not _usable(chars):
            return None
        mapper = _Mapper(page, size)
        words: list[Word] = []
        run = _Run()
        line, block = 0, 0
        line_box: list[float] | None = None  # the current line's box, for line and block changes
        prev_line_box: list[float] | None = None
        new_line = False

        def flush() -> None:
            nonlocal run
            text = "".join(run.chars).strip()
            if text:
                x0, y0, x1, y1 = run.box
                x, y = max(0, math.floor(x0)), max(0, math.floor(y0))
                words.append(Word(text, (x, y, max(1, math.ceil(x1) - x), max(1, math.ceil(y1) - y)), 1.0, block, line))
            run = _Run()

        for i, ch in enumerate(chars):
            if ch in _BREAKS:
                flush()
                new_line = True
                continue
            if ch.isspace():
                flush()
                continue
            box = mapper.box(*textpage.get_charbox(i))
            height = max(box[3] - box[1], 1.0)
            if line_box is not None and not new_line:
                centre = (box[1] + box[3]) / 2
                new_line = not (line_box[1] - 0.2 * height <= centre <= line_box[3] + 0.2 * height)
            if new_line and (line_box is not None or words):
                flush()
                prev_line_box = line_box
                line += 1
                line_box = None
            if line_box is None:
                if prev_line_box is not None:
                    line_h = prev_line_box[3] - prev_line_box[1]
                    if box[1] - prev_line_box[3] > line_h or box[3] < prev_line_box[1]:
                        block += 1
                line_box = list(box)
            elif run.chars and box[0] - run.box[2] > 0.5 * max(height, run.box[3] - run.box[1]):
                flush()
            new_line = False
            run.add(ch, box)
            line_box = [min(line_box[0], box[0]), min(line_box[1], box[1]), max(line_box[2], box[2]), max(line_box[3], box[3])]
        flush()
    finally:
        textpage.close()
    if not words:
        return None
    return OcrPage(words=words, width=size[0], height=size[1], engine=ENGINE)
