"""Panel localisation: find the Supplement Facts box (its heavy outline) in a photo and flatten its perspective."""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

WORK_SIDE = 1000
MIN_AREA = 0.04
"""The panel box covers at least this share of the photo."""
SQUARE_ENOUGH = 1.5
"""Corner angles (degrees) within this of 90°, with edges level, mean the box is already flat: no second pass."""


def _order(points: np.ndarray) -> np.ndarray:
    """Corners as top-left, top-right, bottom-right, bottom-left."""
    pts = points.reshape(4, 2).astype(np.float32)
    by_sum = pts.sum(axis=1)
    by_diff = np.diff(pts, axis=1).ravel()
    return np.array([pts[np.argmin(by_sum)], pts[np.argmin(by_diff)], pts[np.argmax(by_sum)], pts[np.argmax(by_diff)]],
                    dtype=np.float32)


def find_panel_quad(image: Image.Image) -> np.ndarray | None:
    """The four corners (image pixels, ordered) of the largest box-like outline, or None."""
    gray = np.asarray(image.convert("L"))
    scale = min(1.0, WORK_SIDE / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    ink = cv2.adaptiveThreshold(cv2.GaussianBlur(small, (3, 3), 0), 255, cv2.ADAPTIVE_THRESH_MEAN_C,
                                cv2.THRESH_BINARY_INV, 31, 10)
    ink = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
    contours, _ = cv2.findContours(ink, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    best, best_area = None, MIN_AREA * small.size
    for contour in contours:
        area = cv2.contourArea(contour)
        if area < best_area:
            continue
        approx = cv2.approxPolyDP(contour, 0.02 * cv2.arcLength(contour, True), True)
        if len(approx) == 4 and cv2.isContourConvex(approx) and area < 0.95 * small.size:
            best, best_area = approx, area
    if best is None:
        return None
    return _order(best) / scale


def _corner_angles(quad: np.ndarray) -> list[float]:
    angles = []
    for i in range(4):
        a, b, c = quad[i - 1], quad[i], quad[(i + 1) % 4]
        v1, v2 = a - b, c - b
        cos = float(np.dot(v1, v2) / (np.linalg.norm(v1) * np.linalg.norm(v2) + 1e-9))
        angles.append(float(np.degrees(np.arccos(np.clip(cos, -1, 1)))))
    return angles


def is_flat(quad: np.ndarray) -> bool:
    """Whether the box is already an upright rectangle (a scan, or a photo taken square on)."""
    top = quad[1] - quad[0]
    level = abs(np.degrees(np.arctan2(top[1], top[0]))) < SQUARE_ENOUGH
    return level and all(abs(a - 90) < SQUARE_ENOUGH for a in _corner_angles(quad))


def rectify(image: Image.Image, quad: np.ndarray, margin: float = 0.04) -> Image.Image:
    """The box seen square on: a perspective warp of the quad (plus a small margin) to a rectangle."""
    tl, tr, br, bl = quad
    width = int(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    height = int(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    mx, my = int(width * margin), int(height * margin)
    target = np.array([[mx, my], [mx + width, my], [mx + width, my + height], [mx, my + height]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(quad.astype(np.float32), target)
    rgb = np.asarray(image.convert("RGB"))
    flat = cv2.warpPerspective(rgb, matrix, (width + 2 * mx, height + 2 * my), flags=cv2.INTER_CUBIC,
                               borderMode=cv2.BORDER_REPLICATE)
    return Image.fromarray(flat)
