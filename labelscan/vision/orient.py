"""Orientation: find which way the text lines run, then which way up they are, and turn the image upright before OCR."""

from __future__ import annotations

import re
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from ..ocr.base import OcrEngine
from ..ocr.reader import read_image
from .glyphs import INK_BLOCK, dark_blobs, glyph_like, in_text_lines, transposed

LINE_CONTRAST = 0.3
"""A pixel is ink when it is darker than its neighbourhood by this share of the image's contrast range: letters on
paper are; the grain of wood, fabric or a table top, which forms glyph-like blobs in rows of its own, is not."""
CUE_SIDE = 3000
"""Longest side (px) of the copy the text lines are counted on."""
AXIS_RATIO = 3.0
"""The text runs one way when that way has this many times the line glyphs of the other (on 420 generated scans and
photos, upright ones had at most 0.27 times as many running down as across, sideways ones at least 12 times)."""
MIN_LINE_GLYPHS = 40
"""Fewer glyphs in text lines than this either way: too little text to tell which way it runs."""
WINDOW_X_HEIGHTS = 40
"""Side of the square of text the orientation is read on, in x-heights: a few hundred letters, enough for the
orientation detector and a word count, at a fraction of the cost of the whole image."""
PROBE_X_HEIGHT = 20.0
"""The window is scaled so its x-height is this many pixels (tesseract reads well from about 16 px)."""
PROBE_SCALE = (0.25, 4.0)
"""Bounds of the scale the window is read at."""
PROBE_BORDER = 16
"""White pixels added on every side of the window."""
OSD_CONTRAST = 0.1
"""Local threshold of the orientation detector's probe, as a share of the window's contrast range: on the grey
photo the detector's own global threshold finds no letters on a textured or unevenly lit label."""
WORD_PSM = 6
"""The word probe reads its window as one block of text."""
MIN_WORD_LEAD = 2
"""Words decide between two turns when one reads at least this many more known words than the other."""
UPRIGHT_WORDS = 4
"""A probe whose lines run across and that reads this many known words is upright (upside down, the probes of 320
generated images read at most 1; the right way up, most read over 10)."""
PANEL_WORDS = frozenset({
    "supplement", "facts", "serving", "servings", "size", "per", "container", "amount", "daily", "value", "values",
    "magnesium", "ingredients", "other", "mg", "mcg", "calories", "capsule", "capsules", "tablet", "tablets",
    "softgel", "softgels", "scoop", "scoops", "gummies", "take", "suggested", "use", "directions", "warning", "keep",
    "out", "reach", "children", "pregnant", "nursing", "consult", "your", "physician", "healthcare", "provider",
    "before", "with", "water", "juice", "food", "meal", "meals", "the", "and", "for", "not", "this", "that",
    "product", "these", "statements", "have", "been", "evaluated", "drug", "administration", "intended", "diagnose",
    "treat", "cure", "prevent", "any", "disease", "established", "dietary", "contains", "store", "cool", "dry",
    "place", "vitamin", "zinc", "calcium", "sodium", "potassium", "iron", "threonate", "elemental", "blend",
    "proprietary", "from", "made", "manufactured", "distributed", "facility", "gluten", "soy", "dairy", "free",
    "sugar", "support", "supports", "healthy", "brain", "sleep", "memory", "function", "once", "twice", "one", "two",
})
"""Words of supplement labels and common English: OCR of sideways or upside-down text rarely spells one."""


@dataclass
class TextLines:
    """Which way the text lines of an image run, and where its text is densest."""

    horizontal: int
    """Glyphs standing in text lines that run across."""
    vertical: int
    """Glyphs standing in text lines that run up or down."""
    window: tuple[int, int, int, int] | None = None
    """The square (x0, y0, x1, y1), in the image's pixels, holding the most glyphs of the main direction's lines."""
    x_height: float | None = None
    """The x-height of those lines, in the image's pixels."""

    @property
    def axis(self) -> int | None:
        """0 when the lines run across, 90 when they run up or down, None when the image does not tell."""
        if max(self.horizontal, self.vertical) < MIN_LINE_GLYPHS:
            return None
        if self.vertical >= AXIS_RATIO * self.horizontal:
            return 90
        if self.horizontal >= AXIS_RATIO * self.vertical:
            return 0
        return None


def _densest_window(boxes: np.ndarray, size: float, shape: tuple[int, int]) -> tuple[int, int, int, int]:
    """The size × size square (x0, y0, x1, y1) within `shape` (h, w) holding the most box centres."""
    height, width = shape
    size = min(size, height, width)
    cell = max(1.0, size / 4)
    grid = np.zeros((int(height / cell) + 1, int(width / cell) + 1))
    np.add.at(grid, (((boxes[:, 1] + boxes[:, 3] / 2) / cell).astype(int),
                     ((boxes[:, 0] + boxes[:, 2] / 2) / cell).astype(int)), 1)
    sums = cv2.boxFilter(grid, -1, (4, 4), anchor=(0, 0), normalize=False, borderType=cv2.BORDER_CONSTANT)
    row, col = np.unravel_index(int(np.argmax(sums)), sums.shape)
    x0, y0 = int(min(col * cell, width - size)), int(min(row * cell, height - size))
    return x0, y0, int(x0 + size), int(y0 + size)


def text_lines(gray: np.ndarray) -> TextLines:
    """Count the glyphs standing in lines across and in lines up or down, and find the densest square of text."""
    f = min(1.0, CUE_SIDE / max(gray.shape))
    small = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA) if f < 1.0 else gray
    views = {0: dark_blobs(small, LINE_CONTRAST)}
    views[90] = transposed(views[0], small.shape[1])
    in_line: dict[int, np.ndarray] = {}
    for axis, boxes in views.items():
        glyph = glyph_like(boxes, 0.1 * small.shape[0 if axis == 0 else 1])
        in_line[axis] = np.zeros(len(boxes), dtype=bool)
        in_line[axis][glyph] = in_text_lines(boxes[glyph])
    lines = TextLines(int(in_line[0].sum()), int(in_line[90].sum()))
    main = 0 if lines.horizontal >= lines.vertical else 90
    if in_line[main].sum() >= MIN_LINE_GLYPHS:
        x_height = float(np.percentile(views[main][in_line[main], 3], 30))
        x0, y0, x1, y1 = _densest_window(views[0][in_line[main]], WINDOW_X_HEIGHTS * x_height, small.shape)
        lines.window = (int(x0 / f), int(y0 / f), int(x1 / f), int(y1 / f))
        lines.x_height = x_height / f
    return lines


def _probe(gray: np.ndarray, window: tuple[int, int, int, int], x_height: float) -> np.ndarray:
    """The window of `gray`, scaled to PROBE_X_HEIGHT, stretched to full contrast (tesseract reads nothing on a dim
    grey photo) and padded white."""
    x0, y0, x1, y1 = window
    scale = min(PROBE_SCALE[1], max(PROBE_SCALE[0], PROBE_X_HEIGHT / x_height))
    crop = cv2.resize(gray[y0:y1, x0:x1], None, fx=scale, fy=scale,
                      interpolation=cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA)
    low, high = np.percentile(crop[::3, ::3], (1, 99))
    gain = 255.0 / max(1.0, float(high - low))
    crop = cv2.convertScaleAbs(crop, alpha=gain, beta=-gain * float(low))
    return cv2.copyMakeBorder(crop, PROBE_BORDER, PROBE_BORDER, PROBE_BORDER, PROBE_BORDER, cv2.BORDER_CONSTANT,
                              value=255)


def _turn(gray: np.ndarray, degrees: int) -> np.ndarray:
    """The image turned `degrees` clockwise."""
    return np.ascontiguousarray(np.rot90(gray, -(degrees // 90)))


def _osd(probe: np.ndarray, engine: OcrEngine) -> int | None:
    """The engine's orientation detector on the locally thresholded probe; None when unsure or when it has none."""
    osd = getattr(engine, "osd", None)
    if osd is None:
        return None
    low, high = np.percentile(probe[::3, ::3], (1, 99))
    ink = cv2.adaptiveThreshold(probe, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, INK_BLOCK,
                                max(4.0, OSD_CONTRAST * float(high - low)))
    try:
        degrees = osd(Image.fromarray(ink))
    except Exception:  # an orientation guess is optional; never fail a scan over it
        return None
    return degrees if degrees in (0, 90, 180, 270) else None


def known_words(image: Image.Image, engine: OcrEngine) -> int:
    """How many words of PANEL_WORDS OCR reads in `image` (as one block of text)."""
    try:
        page = read_image(image, engine, psm=WORD_PSM)
    except Exception:  # a failed probe reads nothing
        return 0
    return sum(re.sub(r"[^a-z]", "", w.text.lower()) in PANEL_WORDS for w in page.words)


def _words(probe: np.ndarray, engine: OcrEngine, degrees: int) -> int:
    """Known words read in the probe turned `degrees` clockwise."""
    return known_words(Image.fromarray(_turn(probe, degrees)), engine)


def _sideways(probe: np.ndarray, engine: OcrEngine) -> int:
    """90 or 270, for a probe whose lines run up or down: the turn that reads clearly more known words, else the one
    the orientation detector picks (90 when it cannot tell either: a guess reads more than the sideways image)."""
    right, left = _words(probe, engine, 90), _words(probe, engine, 270)
    if abs(right - left) >= MIN_WORD_LEAD:
        return 90 if right > left else 270
    return 270 if _osd(_turn(probe, 90), engine) == 180 else 90


def _upright_or_over(probe: np.ndarray, engine: OcrEngine, any_turn: bool) -> int:
    """0 or 180 (or, when `any_turn`, 90 or 270 too) for a probe whose lines run across (or do not tell).

    A reading with UPRIGHT_WORDS known words is upright. Otherwise the image is turned only when the words read
    clearly better turned, or when the orientation detector says so and the words read at least a little better."""
    upright_words = _words(probe, engine, 0)
    if upright_words >= UPRIGHT_WORDS:
        return 0
    over = _words(probe, engine, 180)
    if over >= upright_words + MIN_WORD_LEAD:
        return 180
    guess = _osd(probe, engine)
    if guess == 180 and over > upright_words:
        return 180
    if any_turn and guess in (90, 270) and _words(probe, engine, guess) >= max(upright_words, over) + MIN_WORD_LEAD:
        return guess
    return 0


def detect_rotation(image: Image.Image, engine: OcrEngine) -> int:
    """Degrees clockwise (0, 90, 180, 270) that make `image` upright; 0 when it cannot tell.

    The text lines say whether the image is sideways (cheap: no OCR); then known words read in the densest square of
    text, turned each way its lines run across, say which way up, with the orientation detector when they do not."""
    gray = np.asarray(image.convert("L"))
    lines = text_lines(gray)
    if lines.window is None or lines.x_height is None:
        return 0
    probe = _probe(gray, lines.window, lines.x_height)
    if lines.axis == 90:
        return _sideways(probe, engine)
    return _upright_or_over(probe, engine, any_turn=lines.axis is None)


def upright(image: Image.Image, engine: OcrEngine) -> tuple[Image.Image, int]:
    """The image turned upright, and the degrees clockwise it was turned."""
    degrees = detect_rotation(image, engine)
    if degrees == 0:
        return image, 0
    return image.rotate(-degrees, expand=True), degrees
