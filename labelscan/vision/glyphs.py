"""Letters without OCR: the dark blobs of a local threshold that have a letter's size and stand in text lines."""

from __future__ import annotations

import cv2
import numpy as np

INK_BLOCK = 41
"""Neighbourhood (px) of the local threshold."""
MAX_REACH = 400
"""How many x-sorted neighbours a glyph is compared with when looking for the next letter of its line."""


def dark_blobs(gray: np.ndarray, contrast: float, denoise: bool = True) -> np.ndarray:
    """Boxes (x, y, w, h, area) of the dark blobs darker than their neighbourhood by `contrast` (a share of the
    image's contrast range). `denoise` (a 3×3 median first) removes sensor noise, and the strokes of letters
    only a few pixels high."""
    low, high = np.percentile(gray[::7, ::7], (1, 99))
    source = cv2.medianBlur(gray, 3) if denoise else gray
    ink = cv2.adaptiveThreshold(source, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV,
                                INK_BLOCK, max(8.0, contrast * float(high - low)))
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    return stats[1:]


def glyph_like(boxes: np.ndarray, max_height: float) -> np.ndarray:
    """Which blobs have the size and shape of a letter."""
    w, h, area = boxes[:, 2], boxes[:, 3], boxes[:, 4]
    return (h >= 4) & (h <= max_height) & (w <= 2.5 * h) & (w >= 0.15 * h) & (area >= 0.15 * w * h)


def transposed(boxes: np.ndarray, width: int) -> np.ndarray:
    """The boxes as they are in the image turned 90° counter-clockwise (np.rot90)."""
    x, y, w, h = boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3]
    return np.stack([y, width - x - w, h, w, boxes[:, 4]], axis=1)


def in_text_lines(boxes: np.ndarray) -> np.ndarray:
    """Which boxes have a neighbour of about their height standing on the same baseline just beside them:
    letters of a text line do, specks of noise and background texture rarely do. Each box is compared with
    every box near it, however many share its column."""
    in_line = np.zeros(len(boxes), dtype=bool)
    order = np.argsort(boxes[:, 0], kind="stable")
    x, w, h = boxes[order, 0], boxes[order, 2], boxes[order, 3]
    bottom = boxes[order, 1] + h
    for shift in range(1, min(MAX_REACH, len(boxes))):
        a = np.arange(len(boxes) - shift)
        b = a + shift
        gap = x[b] - (x[a] + w[a])
        if gap.min() > 0.8 * h.max():  # sorted by x: every farther neighbour is farther still
            break
        tall = np.maximum(h[a], h[b])
        same_line = ((np.abs(bottom[b] - bottom[a]) <= 0.2 * tall) & (gap >= -1) & (gap <= 0.8 * tall)
                     & (np.minimum(h[a], h[b]) >= 0.6 * tall))
        in_line[order[a[same_line]]] = True
        in_line[order[b[same_line]]] = True
    return in_line
