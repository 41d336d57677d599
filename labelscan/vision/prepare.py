"""A minimal prepare step before OCR: grayscale, scale body text to tesseract's preferred size, paint over dot
leaders, pad a white border."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import cv2
import numpy as np
from PIL import Image

from ..model import BBox
from .glyphs import dark_blobs, glyph_like, in_text_lines
from .leaders import without_leaders

TARGET_X_HEIGHT = 25.0
"""Pixels; tesseract reads best with body-text x-height around 20–30 px."""
KEEP_RANGE = (14.0, 40.0)
"""Body text whose x-height is already in this range is left at its size (a 300 dpi artwork is not upscaled)."""
OTHER_X_HEIGHTS = (36.0, 18.0)
"""Pixels: the body-text x-height of a reading at another size: the first, or the second where the usual size
already lands within OTHER_SLACK of the first."""
OTHER_SLACK = 6.0
SCALE_RANGE = (0.5, 4.0)
MAX_PREPARED_PIXELS = 60_000_000
BORDER = 16
SIZE_CONTRAST = 0.15
"""Ink for the text-size estimate: darker than its neighbourhood by this share of the contrast range (lower than
the orientation cue's: faint small print must keep its full height; texture is left out by the line test)."""
MIN_GLYPHS = 10
"""Fewer glyphs in text lines than this: too little text to estimate its size."""
ESTIMATE_SIDE = 3000
"""Longest side the x-height is estimated at (larger images are downsampled for the estimate)."""


@dataclass
class Prepared:
    """The image handed to the OCR engine and how to map its pixels back to the original."""

    image: Image.Image
    """Grayscale ("L"), scaled and padded."""
    scale: float
    """Prepared pixels per original pixel."""
    rotation: int = 0
    """Degrees clockwise the original was turned here (0: prepare only scales and pads; the pipeline turns
    images upright before, in `vision/orient.py`)."""
    border: int = BORDER
    """White pixels added on every side, after scaling."""
    x_height: float | None = None
    """The body-text x-height estimated in the original, in pixels (None when too little text to tell)."""
    glyphs: int = 0
    """Letter-shaped marks found standing in text lines (a measure of how much text there is to read)."""

    def to_original(self, bbox: BBox, size: tuple[int, int]) -> BBox:
        """A box in prepared pixels → the same box in the original image of `size`, clipped to it."""
        x, y, w, h = bbox
        x0 = max(0, math.floor((x - self.border) / self.scale))
        y0 = max(0, math.floor((y - self.border) / self.scale))
        x1 = min(size[0], math.ceil((x + w - self.border) / self.scale))
        y1 = min(size[1], math.ceil((y + h - self.border) / self.scale))
        x0, y0 = min(x0, max(0, size[0] - 1)), min(y0, max(0, size[1] - 1))
        return (x0, y0, max(1, x1 - x0), max(1, y1 - y0))


def _small_copy(gray: np.ndarray) -> tuple[np.ndarray, float]:
    f = min(1.0, ESTIMATE_SIDE / max(gray.shape[:2]))
    return (cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA) if f < 1.0 else gray), f


def text_line_glyphs(gray: np.ndarray) -> tuple[np.ndarray, float]:
    """The glyph boxes (x, y, w, h, area) that stand in horizontal text lines, in a copy at most ESTIMATE_SIDE px
    long, and that copy's scale. Noise is filtered out first unless that leaves too few glyphs (tiny text)."""
    small, f = _small_copy(gray)
    for denoise in (True, False):
        blobs = dark_blobs(small, SIZE_CONTRAST, denoise)
        blobs = blobs[glyph_like(blobs, 0.1 * small.shape[0])]
        glyphs = blobs[in_text_lines(blobs)]
        if len(glyphs) >= MIN_GLYPHS:
            break
    return glyphs, f


def estimate_x_height(gray: np.ndarray) -> float | None:
    """The x-height of the body text in pixels, from the glyphs that stand in text lines.

    Lowercase letters without ascenders set the lower end of the glyph heights, so the 30th percentile of
    the line glyphs' heights (small marks dropped) is taken as the x-height. None with fewer than 20 glyphs.
    """
    return _x_height(*text_line_glyphs(gray))


def _x_height(glyphs: np.ndarray, f: float) -> float | None:
    """estimate_x_height from the glyph boxes of a copy at scale f."""
    heights = glyphs[:, 3].astype(np.float64)
    if heights.size < MIN_GLYPHS:
        return None
    heights = heights[heights >= 0.5 * np.median(heights)]
    return float(np.percentile(heights, 30)) / f


def choose_scale(x_height: float | None, size: tuple[int, int], target: float | None = None) -> float:
    """Scale so the body text lands near TARGET_X_HEIGHT, unless it is already fine (or near `target`, if
    given, in any case); clamped and pixel-capped."""
    scale = 1.0
    if x_height is not None and target is not None:
        scale = min(SCALE_RANGE[1], max(SCALE_RANGE[0], target / x_height))
    elif x_height is not None and not (KEEP_RANGE[0] <= x_height <= KEEP_RANGE[1]):
        scale = min(SCALE_RANGE[1], max(SCALE_RANGE[0], TARGET_X_HEIGHT / x_height))
    pixels = size[0] * size[1] * scale * scale
    if pixels > MAX_PREPARED_PIXELS:
        scale *= math.sqrt(MAX_PREPARED_PIXELS / pixels)
    return scale


def prepare(image: Image.Image, other_size: bool = False) -> Prepared:
    """Grayscale, scale for the estimated body-text size, paint over dot leaders, and pad a white border.
    `other_size`: scale the body text to one of OTHER_X_HEIGHTS instead, away from the usual size (a second
    reading: tesseract's misreadings of a line change with the size of its print)."""
    gray = np.asarray(image.convert("L"))
    glyphs, f = text_line_glyphs(gray)
    x_height = _x_height(glyphs, f)
    scale = choose_scale(x_height, image.size)
    if other_size and x_height is not None:
        larger, smaller = OTHER_X_HEIGHTS
        scale = choose_scale(x_height, image.size, larger if x_height * scale < larger - OTHER_SLACK else smaller)
    if abs(scale - 1.0) > 1e-3:
        interpolation = cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        gray = cv2.resize(gray, size, interpolation=interpolation)
        scale = size[0] / image.width
    else:
        scale = 1.0
    if x_height is not None:
        gray = without_leaders(gray, x_height * scale)
    padded = cv2.copyMakeBorder(gray, BORDER, BORDER, BORDER, BORDER, cv2.BORDER_CONSTANT, value=255)
    return Prepared(Image.fromarray(padded, mode="L"), scale, 0, BORDER, x_height, len(glyphs))


def with_ground_border(prepared: Prepared) -> Prepared:
    """The same prepared image with its border in the shade the image's edge mostly has, not white."""
    b = prepared.border
    gray = np.asarray(prepared.image)[b:-b, b:-b] if b else np.asarray(prepared.image)
    edge = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    padded = cv2.copyMakeBorder(gray, b, b, b, b, cv2.BORDER_CONSTANT, value=int(np.median(edge)))
    return replace(prepared, image=Image.fromarray(padded, mode="L"))
