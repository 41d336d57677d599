"""Round seals: find rings by their circular edges, unwrap the text set along the arc, crop the centre."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ..model import BBox

WORK_SIZE = 900
"""Long side (px) of the downscaled copy the circle search runs on."""
MIN_SUPPORT = 0.88
"""Share of a circle's circumference that must lie on an edge for it to count as a ring."""


@dataclass(frozen=True)
class Ring:
    """A round mark: its centre, the outer radius, the inner radius bounding the arc text, in image pixels."""

    cx: float
    cy: float
    outer: float
    inner: float
    support: float
    alternative: tuple[float, float] | None = None
    """Another (inner, outer) band to try when only one circle was found and the text may lie outside it."""

    @property
    def bbox(self) -> BBox:
        r = self.outer
        return (int(self.cx - r), int(self.cy - r), int(2 * r), int(2 * r))


_ANGLES = np.linspace(0, 2 * np.pi, 180, endpoint=False)


def _supports(edges: np.ndarray, cx: float, cy: float, radii: np.ndarray) -> np.ndarray:
    """For each radius, the share of points on that circle that sit on an edge (0 when it leaves the image)."""
    xs = np.round(cx + np.outer(radii, np.cos(_ANGLES))).astype(int)
    ys = np.round(cy + np.outer(radii, np.sin(_ANGLES))).astype(int)
    inside = (xs >= 0) & (xs < edges.shape[1]) & (ys >= 0) & (ys < edges.shape[0])
    hits = np.zeros(xs.shape, dtype=bool)
    hits[inside] = edges[ys[inside], xs[inside]] > 0
    share = hits.sum(axis=1) / len(_ANGLES)
    share[inside.mean(axis=1) < 0.9] = 0.0
    return share


def _support(edges: np.ndarray, cx: float, cy: float, r: float) -> float:
    """Share of points on one circle that sit on an edge."""
    return float(_supports(edges, cx, cy, np.array([r]))[0])


def _concentric(edges: np.ndarray, cx: float, cy: float, r: float) -> list[tuple[float, float]]:
    """Radii (with support) of the rings sharing this centre, from 0.3r to 2.8r, local maxima only."""
    radii = np.arange(max(6.0, 0.3 * r), 2.8 * r, 1.0)
    support = _supports(edges, cx, cy, radii)
    rings: list[tuple[float, float]] = []
    for i, value in enumerate(support):
        if value < MIN_SUPPORT:
            continue
        lo, hi = max(0, i - 3), min(len(support), i + 4)
        if value >= support[lo:hi].max():
            if not rings or radii[i] - rings[-1][0] > 4:
                rings.append((float(radii[i]), float(value)))
    return rings


def _edge_density(edges: np.ndarray, cx: float, cy: float, r0: float, r1: float) -> float:
    """Share of edge pixels in the annulus r0..r1 (text makes many edges, a plain background none)."""
    y0, y1 = int(max(0, cy - r1)), int(min(edges.shape[0], cy + r1 + 1))
    x0, x1 = int(max(0, cx - r1)), int(min(edges.shape[1], cx + r1 + 1))
    yy, xx = np.mgrid[y0:y1, x0:x1]
    dist = np.hypot(xx - cx, yy - cy)
    mask = (dist >= r0) & (dist <= r1)
    return float((edges[y0:y1, x0:x1][mask] > 0).mean()) if mask.any() else 0.0


def _text_band(edges: np.ndarray, cx: float, cy: float, family: list[tuple[float, float]]) -> tuple[float, float]:
    """(inner, outer) radii of the arc-text band of a mark whose rings are `family`: between the outermost
    ring and the next one in, or, with one ring, the outer 38% of its disc."""
    outer = family[-1][0]
    inner_candidates = [rho for rho, _ in family if 0.4 * outer < rho < 0.85 * outer]
    if inner_candidates:
        return inner_candidates[-1], outer
    return 0.62 * outer, outer


def find_rings(gray: np.ndarray, max_rings: int = 8) -> list[Ring]:
    """Round marks in a grayscale image: circles whose circumference is mostly edge, grouped by centre."""
    scale = min(1.0, WORK_SIZE / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    blur = cv2.GaussianBlur(small, (5, 5), 1.5)
    edges = cv2.dilate(cv2.Canny(blur, 50, 150), np.ones((3, 3), np.uint8))
    min_r = max(12, int(min(small.shape) * 0.03))
    circles = cv2.HoughCircles(blur, cv2.HOUGH_GRADIENT, dp=1, minDist=min_r, param1=150, param2=40,
                               minRadius=min_r, maxRadius=int(min(small.shape) / 2))
    if circles is None:
        return []
    scored = [(float(_support(edges, x, y, r)), float(x), float(y), float(r)) for x, y, r in circles[0][:2000]]
    scored = sorted((c for c in scored if c[0] >= MIN_SUPPORT), key=lambda c: (-c[0], -c[3]))
    rings: list[Ring] = []
    for support, x, y, r in scored:
        if any(np.hypot(x - k.cx * scale, y - k.cy * scale) < k.outer * scale * 0.6 for k in rings):
            continue  # another circle of a mark already found
        family = _concentric(edges, x, y, r)
        if not family:
            continue
        inner, outer = _text_band(edges, x, y, family)
        # Without a second ring inside, the text may also lie outside the circle found: the rim of a
        # disc whose own edge does not stand out from the background.
        alternative = (outer / scale, 1.6 * outer / scale) if inner == 0.62 * outer else None
        rings.append(Ring(x / scale, y / scale, outer / scale, inner / scale, support, alternative))
        if len(rings) >= max_rings:
            break
    return rings


def unwrap_band(gray: np.ndarray, ring: Ring, band: tuple[float, float] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The arc text band as two straight strips: one reading clockwise with letters' tops outward (top arcs),
    one reading counter-clockwise with tops inward (bottom arcs). Each strip is doubled so a word that
    crosses the cut at angle 0 is whole in one copy."""
    inner, outer = band or (ring.inner, ring.outer)
    # One polar row per pixel of arc at the middle of the band, so letters there keep their proportions.
    circumference = int(2 * np.pi * (inner + outer) / 2)
    polar = cv2.warpPolar(gray, (int(outer), circumference), (ring.cx, ring.cy), outer,
                          cv2.WARP_POLAR_LINEAR + cv2.INTER_LINEAR + cv2.WARP_FILL_OUTLIERS)
    band_width = outer - inner
    lo = int(inner + band_width * 0.08)
    hi = int(outer - band_width * 0.08)
    band = polar[:, lo:hi]
    top = cv2.rotate(band, cv2.ROTATE_90_COUNTERCLOCKWISE)
    bottom = cv2.rotate(band, cv2.ROTATE_90_CLOCKWISE)
    return np.hstack([top, top]), np.hstack([bottom, bottom])


def centre_crop(gray: np.ndarray, ring: Ring) -> np.ndarray:
    """The disc inside the inner ring, where the short mark name ("NSF", "USP") sits; outside the disc is
    filled with the disc's own background so the ring line does not confuse the OCR."""
    radius = ring.inner * 0.9
    x0, y0 = int(max(0, ring.cx - radius)), int(max(0, ring.cy - radius))
    x1, y1 = int(min(gray.shape[1], ring.cx + radius)), int(min(gray.shape[0], ring.cy + radius))
    crop = gray[y0:y1, x0:x1].copy()
    if crop.size == 0:
        return crop
    yy, xx = np.mgrid[y0:y1, x0:x1]
    outside = np.hypot(xx - ring.cx, yy - ring.cy) > radius
    inside_values = crop[~outside]
    if inside_values.size:
        crop[outside] = int(np.median(inside_values))
    return crop
