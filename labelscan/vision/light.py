"""Lighting: find the areas printed light on a dark ground, which tesseract (dark on light) tends to skip, and
binarise an image against each pixel's own neighbourhood (pale print tesseract's global threshold loses)."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from ..model import BBox
from .prepare import estimate_x_height

DARK_BACKGROUND = 110
"""Areas whose local median brightness is below this are light print on a dark ground."""
MIN_DARK_AREA = 0.01
"""Dark grounds smaller than this share of the image are bold letters or rules, not grounds."""
WORK_SIDE = 600
"""The image is examined at this long side (pixels): a ground is a large feature."""


@dataclass(frozen=True)
class DarkGround:
    """A dark area to be read again inverted: its box (image pixels) and which pixels of the box belong to it
    (uint8, 1 = the ground; the box of a dark table round a photographed label holds the label too)."""

    bbox: BBox
    mask: np.ndarray


def dark_regions(image: Image.Image) -> list[DarkGround]:
    """The areas printed light on a dark ground (dark front panels, badges, bands), which tesseract, reading
    dark on light, tends to skip. The ground is the local median over a window several letters wide at low
    resolution; an opening removes anything thinner than that (bold letters)."""
    gray = np.asarray(image.convert("L"))
    h, w = gray.shape
    scale = min(1.0, WORK_SIDE / max(h, w))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    k = max(9, int(max(small.shape) / 30) | 1)
    dark = (cv2.medianBlur(small, k) < DARK_BACKGROUND).astype(np.uint8)
    dark = cv2.morphologyEx(dark, cv2.MORPH_OPEN, np.ones((k, k), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=4)
    grounds: list[DarkGround] = []
    for i in range(1, count):
        x, y, bw, bh, area = (int(v) for v in stats[i])
        if area < MIN_DARK_AREA * dark.size:
            continue
        part = cv2.dilate((labels[y:y + bh, x:x + bw] == i).astype(np.uint8), np.ones((3, 3), np.uint8))
        bbox = (int(x / scale), int(y / scale), int(bw / scale), int(bh / scale))
        grounds.append(DarkGround(bbox, cv2.resize(part, bbox[2:], interpolation=cv2.INTER_NEAREST)))
    return grounds


LOCAL_THRESHOLD_BLOCK = 2.5
"""Side of the neighbourhood (in x-heights of the body text) that sets each pixel's threshold."""
LOCAL_THRESHOLD_OFFSET = 15
"""Gray levels below its neighbourhood's mean a pixel must be to count as ink."""


def locally_binarised(image: Image.Image) -> Image.Image:
    """Black ink on white, each pixel compared with its own neighbourhood: pale-grey print (an amount column
    set in grey) stays ink where a threshold set between black print and white paper drops it."""
    gray = np.asarray(image.convert("L"))
    block = max(15, int(LOCAL_THRESHOLD_BLOCK * (estimate_x_height(gray) or 20.0)) | 1)
    return Image.fromarray(cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY,
                                                 block, LOCAL_THRESHOLD_OFFSET))
