"""A minimal prepare step before OCR: grayscale, scale body text to tesseract's preferred size, pad a white border."""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from ..model import BBox

TARGET_X_HEIGHT = 25.0
"""Pixels; tesseract reads best with body-text x-height around 20–30 px."""
KEEP_RANGE = (14.0, 40.0)
"""Body text whose x-height is already in this range is left at its size (a 300 dpi artwork is not upscaled)."""
SCALE_RANGE = (0.5, 4.0)
MAX_PREPARED_PIXELS = 60_000_000
BORDER = 16
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
    """Degrees clockwise the original was turned (always 0 for now: orientation is not corrected yet)."""
    border: int = BORDER
    """White pixels added on every side, after scaling."""
    x_height: float | None = None
    """The body-text x-height estimated in the original, in pixels (None when too little text to tell)."""

    def to_original(self, bbox: BBox, size: tuple[int, int]) -> BBox:
        """A box in prepared pixels → the same box in the original image of `size`, clipped to it."""
        x, y, w, h = bbox
        x0 = max(0, math.floor((x - self.border) / self.scale))
        y0 = max(0, math.floor((y - self.border) / self.scale))
        x1 = min(size[0], math.ceil((x + w - self.border) / self.scale))
        y1 = min(size[1], math.ceil((y + h - self.border) / self.scale))
        x0, y0 = min(x0, max(0, size[0] - 1)), min(y0, max(0, size[1] - 1))
        return (x0, y0, max(1, x1 - x0), max(1, y1 - y0))


def estimate_x_height(gray: np.ndarray) -> float | None:
    """The x-height of the body text in pixels, from the glyph-sized connected components of an Otsu binarisation.

    Lowercase letters without ascenders set the lower end of the glyph heights, so the 30th percentile of the
    glyph-sized components (dots and specks dropped) is taken as the x-height. None with fewer than 20 glyphs.
    """
    h, w = gray.shape[:2]
    f = min(1.0, ESTIMATE_SIDE / max(h, w))
    small = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA) if f < 1.0 else gray
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    if ink.mean() > 127:  # mostly "ink": light text on a dark ground
        ink = 255 - ink
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    cw, ch, area = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_AREA]
    glyph = (ch >= 4) & (ch <= 0.1 * small.shape[0]) & (cw <= 2.5 * ch) & (area >= 0.1 * cw * ch)
    heights = ch[glyph].astype(np.float64)
    if heights.size < 20:
        return None
    heights = heights[heights >= 0.5 * np.median(heights)]
    return float(np.percentile(heights, 30)) / f


def choose_scale(x_height: float | None, size: tuple[int, int]) -> float:
    """Scale so the body text lands near TARGET_X_HEIGHT, unless it is already fine; clamped and pixel-capped."""
    scale = 1.0
    if x_height is not None and not (KEEP_RANGE[0] <= x_height <= KEEP_RANGE[1]):
        scale = min(SCALE_RANGE[1], max(SCALE_RANGE[0], TARGET_X_HEIGHT / x_height))
    pixels = size[0] * size[1] * scale * scale
    if pixels > MAX_PREPARED_PIXELS:
        scale *= math.sqrt(MAX_PREPARED_PIXELS / pixels)
    return scale


def prepare(image: Image.Image) -> Prepared:
    """Grayscale, scale for the estimated body-text size, and pad a white border."""
    gray = np.asarray(image.convert("L"))
    x_height = estimate_x_height(gray)
    scale = choose_scale(x_height, image.size)
    if abs(scale - 1.0) > 1e-3:
        interpolation = cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        gray = cv2.resize(gray, size, interpolation=interpolation)
        scale = size[0] / image.width
    else:
        scale = 1.0
    padded = cv2.copyMakeBorder(gray, BORDER, BORDER, BORDER, BORDER, cv2.BORDER_CONSTANT, value=255)
    return Prepared(Image.fromarray(padded, mode="L"), scale, 0, BORDER, x_height)
