"""Lighting: even out uneven light (flat-field), and find glare — blown-out areas where text may be lost."""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

from ..model import BBox

WORK_SIDE = 1000
UNEVEN = 0.12
"""Background brightness varying by more than this share (5th vs 95th percentile) counts as uneven light."""
GLARE_LEVEL = 250
MIN_GLARE_AREA = 0.002
"""Glare blobs smaller than this share of the image are specks, not glare."""


def _background(gray: np.ndarray) -> np.ndarray:
    """The paper's brightness everywhere: text removed by a closing, then smoothed, at low resolution."""
    h, w = gray.shape
    scale = min(1.0, WORK_SIDE / max(h, w))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    k = max(15, int(max(small.shape) / 40) | 1)
    closed = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    smooth = cv2.GaussianBlur(closed, (0, 0), k)
    return cv2.resize(smooth, (w, h), interpolation=cv2.INTER_LINEAR)


def is_uneven(background: np.ndarray) -> bool:
    """Whether the light over the label varies enough to need flattening."""
    lo, hi = np.percentile(background[::7, ::7], [5, 95])
    return hi > 0 and (hi - lo) / hi > UNEVEN


def flatten(image: Image.Image) -> tuple[Image.Image, bool]:
    """Grayscale image with the light evened out (divided by its background), and whether it was needed."""
    gray = np.asarray(image.convert("L"))
    background = _background(gray).astype(np.float32)
    if not is_uneven(background):
        return image, False
    flat = np.clip(gray.astype(np.float32) / np.maximum(background, 1) * 235.0, 0, 255).astype(np.uint8)
    return Image.fromarray(flat, mode="L"), True


def glare_boxes(image: Image.Image) -> list[BBox]:
    """Blown-out patches brighter than the paper around them: where glare may hide text."""
    gray = np.asarray(image.convert("L"))
    h, w = gray.shape
    scale = min(1.0, WORK_SIDE / max(h, w))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    paper = float(np.percentile(small, 75))
    if paper >= GLARE_LEVEL - 5:
        return []  # a scan or white artwork: paper itself is at full brightness, nothing stands out
    bright = (small >= GLARE_LEVEL).astype(np.uint8)
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(bright, connectivity=8)
    boxes: list[BBox] = []
    for i in range(1, count):
        x, y, bw, bh, area = stats[i]
        if area >= MIN_GLARE_AREA * small.size:
            boxes.append((int(x / scale), int(y / scale), int(bw / scale), int(bh / scale)))
    return boxes


DARK_BACKGROUND = 110
"""Areas whose local median brightness is below this are light print on a dark ground."""
MIN_DARK_AREA = 0.01
"""Dark grounds smaller than this share of the image are bold letters or rules, not grounds."""


def dark_regions(image: Image.Image) -> list[BBox]:
    """Boxes of the areas printed light on a dark ground (dark front panels, badges, bands), which
    tesseract, reading dark on light, tends to skip. The ground is the local median over a window several
    letters wide at low resolution; an opening removes anything thinner than that (bold letters)."""
    gray = np.asarray(image.convert("L"))
    h, w = gray.shape
    scale = min(1.0, 600 / max(h, w))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    k = max(9, int(max(small.shape) / 30) | 1)
    dark = (cv2.medianBlur(small, k) < DARK_BACKGROUND).astype(np.uint8)
    dark = cv2.morphologyEx(dark, cv2.MORPH_OPEN, np.ones((k, k), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=4)
    boxes: list[BBox] = []
    for i in range(1, count):
        x, y, bw, bh, area = stats[i]
        if area >= MIN_DARK_AREA * dark.size:
            boxes.append((int(x / scale), int(y / scale), int(bw / scale), int(bh / scale)))
    return boxes
