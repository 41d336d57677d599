"""Deskew: find the small angle (up to ±20°) of the text lines and rotate the image level."""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

from .glyphs import glyph_like

WORK_SIDE = 900
"""Long side (px) of the copy the angle is searched on."""
MAX_ANGLE = 20.0
MIN_ANGLE = 0.4
"""Angles below this are left alone: rotating costs sharpness and gains nothing."""
MAX_LETTER_SHARE = 1 / 15
"""Ink taller than this share of the image is no letter (a rule, a seal, a photo's grain)."""


def _ink(gray: np.ndarray) -> np.ndarray:
    """Text as white on black, from a local (adaptive) threshold that copes with uneven light."""
    ink = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15)
    return ink


def _letters(ink: np.ndarray) -> np.ndarray:
    """Only the ink blobs with a letter's size and shape: the long streaks of a textured ground (wood grain,
    table edges), rules and pictures go, which can otherwise out-vote a tilted label's text lines."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    keep = np.zeros(count, dtype=bool)
    keep[1:] = glyph_like(stats[1:], MAX_LETTER_SHARE * max(ink.shape))
    return np.where(keep[labels], 255, 0).astype(np.uint8)


def _profile_score(ink: np.ndarray, angle: float) -> float:
    """How sharply the rows of ink separate into lines at this angle (variance of the row sums)."""
    h, w = ink.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    rotated = cv2.warpAffine(ink, matrix, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
    rows = rotated.sum(axis=1, dtype=np.float64)
    return float(np.var(np.diff(rows)))


def estimate_skew(image: Image.Image) -> float:
    """Degrees counter-clockwise the image must turn to make its text lines level (0 when unsure), measured on
    the letter-shaped ink alone (on all the ink when next to none of it is letter-shaped).

    Long straight edges that are no text lines (a photo's wood grain or table edge, the edge of a label seen in
    perspective and its shadow) can out-vote the text. On 160 of the second author's photos (seeds 25-28, their
    true angles known; bench/skew_accuracy.py), measured on all the ink (on the letters only when that gave
    level), the angle missed the panel's text lines by more than 4 degrees 12 times; on the letters alone,
    twice. Both err some 1.3 degrees on average: perspective fans the lines out."""
    gray = np.asarray(image.convert("L"))
    scale = min(1.0, WORK_SIDE / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    ink = _ink(small)
    if ink.mean() < 1:  # blank
        return 0.0
    letters = _letters(ink)
    return _best_angle(letters if letters.mean() >= 1 else ink)


def _best_angle(ink: np.ndarray) -> float:
    """The angle (whole degrees, then fifths) at which the ink's rows separate most sharply into lines."""
    if ink.mean() < 1:
        return 0.0
    coarse = np.arange(-MAX_ANGLE, MAX_ANGLE + 0.01, 1.0)
    scores = [_profile_score(ink, a) for a in coarse]
    best = float(coarse[int(np.argmax(scores))])
    fine = np.arange(best - 1.0, best + 1.01, 0.2)
    scores = [_profile_score(ink, a) for a in fine]
    angle = round(float(fine[int(np.argmax(scores))]), 1)
    return angle if abs(angle) >= MIN_ANGLE else 0.0


def deskew(image: Image.Image) -> tuple[Image.Image, float]:
    """The image rotated so its text lines are level, and the angle (degrees counter-clockwise) it was turned."""
    angle = estimate_skew(image)
    if angle == 0.0:
        return image, 0.0
    fill = tuple(int(v) for v in np.median(np.asarray(image.convert("RGB")).reshape(-1, 3)[::97], axis=0))
    return image.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=fill), angle
