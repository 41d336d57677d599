"""Panel localisation: find the Supplement Facts box (its heavy outline) in a photo and flatten its perspective."""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np
from PIL import Image

WORK_SIDE = 1000
MIN_AREA = 0.01
"""The panel box covers at least this share of the photo."""
THRESHOLDS = ((31, 10), (15, 6))
"""(block size, offset) of the local thresholds the outlines are looked for in."""
MIN_ANCHORS = 2
"""A box must hold at least this many panel words to be taken for the panel."""
SQUARE_ENOUGH = 1.5
"""Corner angles (degrees) within this of 90°, with edges level, mean the box is already flat: no second pass."""


def _order(points: np.ndarray) -> np.ndarray:
    """Corners as top-left, top-right, bottom-right, bottom-left."""
    pts = points.reshape(4, 2).astype(np.float32)
    by_sum = pts.sum(axis=1)
    by_diff = np.diff(pts, axis=1).ravel()
    return np.array([pts[np.argmin(by_sum)], pts[np.argmin(by_diff)], pts[np.argmax(by_sum)], pts[np.argmax(by_diff)]],
                    dtype=np.float32)


def _work_copy(image: Image.Image) -> tuple[np.ndarray, float]:
    gray = np.asarray(image.convert("L"))
    scale = min(1.0, WORK_SIDE / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    return small, scale


def box_candidates(image: Image.Image) -> list[np.ndarray]:
    """Every box-like outline (a convex four-cornered contour covering MIN_AREA–95 % of the image) as ordered
    corners in image pixels. Thin rules and heavy ones both show in one of two local thresholds."""
    small, scale = _work_copy(image)
    blurred = cv2.GaussianBlur(small, (3, 3), 0)
    quads: list[np.ndarray] = []
    for block, offset in THRESHOLDS:
        ink = cv2.adaptiveThreshold(blurred, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, offset)
        ink = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
        contours, _ = cv2.findContours(ink, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
        for contour in contours:
            area = cv2.contourArea(contour)
            if not MIN_AREA * small.size <= area <= 0.95 * small.size:
                continue
            for epsilon in (0.02, 0.04):
                approx = cv2.approxPolyDP(contour, epsilon * cv2.arcLength(contour, True), True)
                if len(approx) == 4 and cv2.isContourConvex(approx):
                    quads.append(_order(approx) / scale)
                    break
    return quads


def find_panel_quad(image: Image.Image, anchors: Sequence[tuple[float, float]] = ()) -> np.ndarray | None:
    """The corners (image pixels, ordered) of the Supplement Facts box, or None.

    `anchors` are the centres of panel words already read (title, column headings, serving lines): the box
    holding most of them wins, the smaller on a tie (the panel, not the whole label around it). Without
    anchors, or when no box holds two of them, the largest box is taken."""
    quads = box_candidates(image)
    if not quads:
        return None
    points = [(float(x), float(y)) for x, y in anchors]

    def held(quad: np.ndarray) -> int:
        contour = quad.reshape(-1, 1, 2).astype(np.float32)
        return sum(cv2.pointPolygonTest(contour, p, False) >= 0 for p in points)

    def area(quad: np.ndarray) -> float:
        return float(cv2.contourArea(quad.astype(np.float32)))

    scored = [(held(q), q) for q in quads]
    most = max(score for score, _ in scored)
    if most >= MIN_ANCHORS:
        return min((q for score, q in scored if score == most), key=area)
    return max(quads, key=area)


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


def rectify(image: Image.Image, quad: np.ndarray, margin: float = 0.04, below: float = 0.0) -> Image.Image:
    """The box seen square on: a perspective warp of the quad (plus a small margin) to a rectangle.

    `below` extends the view down the same plane by that many box heights (at most to the photo's bottom
    edge): the box found may be only the panel's head (title and serving lines ruled off from the rows)."""
    tl, tr, br, bl = quad
    width = int(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    height = int(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    mx, my = int(width * margin), int(height * margin)
    target = np.array([[mx, my], [mx + width, my], [mx + width, my + height], [mx, my + height]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(quad.astype(np.float32), target)
    extra = 0
    if below > 0:
        corners = np.float32([[[0, image.height], [image.width, image.height]]])
        photo_bottom = float(cv2.perspectiveTransform(corners, matrix)[0, :, 1].max())
        extra = int(max(0.0, min(below * height, photo_bottom - (my + height))))
    rgb = np.asarray(image.convert("RGB"))
    flat = cv2.warpPerspective(rgb, matrix, (width + 2 * mx, height + 2 * my + extra), flags=cv2.INTER_CUBIC,
                               borderMode=cv2.BORDER_REPLICATE)
    return Image.fromarray(flat)
