"""Specular glare: clipped, textureless blobs that stand brighter than the paper round them and fade into it."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from ..model import BBox

WASHED_OUT = "glare: print washed out"
"""How a glare area is named in evidence and on the annotated image."""
WORK_SIDE = 800
"""The image is examined at this long side (pixels): glare is a soft, large feature."""
CLIPPED = 250
"""Glare saturates the camera: its core is at least this bright (0–255, brightest channel, lightly blurred)."""
MAX_CHROMA = 28
"""...and nearly colourless, the light source's colour, not the ink's (brightest − darkest channel)."""
FLAT = 5.0
"""...and flat: a local standard deviation of brightness below this leaves no print to see."""
TEXTURE_WINDOW = 0.012
"""The window of that standard deviation, as a share of the long side (a few letters' width)."""
MIN_AREA = 0.0004
"""A blob smaller than this share of the image hides no more than a letter or two."""
MAX_AREA = 0.1
"""A blob larger than this share of the image is a white page or the light of the whole scene, not a reflection."""
MAX_ELONGATION = 4.0
"""A reflection is round or oval; a longer strip is the blank space between lines of print."""
MIN_SOLIDITY = 0.6
"""A reflection is a convex patch: it fills at least this share of its convex hull. The blank margins framing a
small label's print join into a ring that fills far less (0.3 measured), though they are as white and flat."""
ABOVE_PAPER = 10
"""Glare stands at least this much (0–255) brighter than the paper round it; white paper is only as bright."""
FADE = 0.1
"""Glare fades out: next to the blob the paper is lit between the blob and the paper further out, at least this
share of the step away from either (a white area printed on the label stops sharply)."""
BRIGHTEST = 4
"""Glare is the brightest thing round it: the brightest tenth of the paper further out is at least this much
(0–255) darker (a white area printed on a tinted label goes on past its blank part)."""
FADE_MIN = 3
"""...and the fade starts at the blob's edge: just outside it the paper is at least this much (0–255) darker."""
NEAR, FAR = (0.0, 0.25), (0.5, 1.5)
"""The rings round a blob where its fade and the plain paper are measured, in blob radii from its edge."""


@dataclass(frozen=True)
class GlareBlob:
    """A near-white, flat blob and the brightness of its surroundings (working resolution, 0–255)."""

    bbox: BBox
    """In image pixels."""
    share: float
    """Its area as a share of the image."""
    elongation: float
    """Long side over short side of its rotated bounding rectangle."""
    core: float
    """Median brightness of the blob."""
    near: float
    """Paper level just outside it."""
    paper: float
    """Paper level further out (the median: print is closed over, see _paper)."""
    far_top: float
    """The brightest paper further out (a high percentile): glare is the brightest thing round it."""
    solidity: float = 1.0
    """Its area over the area of its convex hull."""

    @property
    def is_glare(self) -> bool:
        """Clipped, round, brighter than the paper round it and than anything near it, and fading into it."""
        step = self.core - self.paper
        return (self.core >= CLIPPED and self.elongation <= MAX_ELONGATION and self.solidity >= MIN_SOLIDITY
                and step >= ABOVE_PAPER and self.near - self.paper >= FADE * step
                and self.core - self.near >= max(FADE_MIN, FADE * step)
                and self.core - self.far_top >= BRIGHTEST)


def glare_regions(image: Image.Image) -> list[BBox]:
    """Boxes (image pixels) of the specular glare areas: clipped, colourless, flat blobs of a meaningful size
    that stand brighter than the paper round them and fade into it. Plain white paper (a scan's ground, a blank
    margin, a white box) is no brighter than the paper round it, or stops sharply, so it is not glare."""
    return [blob.bbox for blob in glare_blobs(image) if blob.is_glare]


def glare_blobs(image: Image.Image) -> list[GlareBlob]:
    """Every clipped, flat blob of a meaningful size, measured against its surroundings."""
    rgb, scale = _working(image)
    mask = _flat_clipped(rgb)
    paper = _paper(rgb)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    blobs: list[GlareBlob] = []
    for i in range(1, count):
        x, y, w, h, area = (int(v) for v in stats[i])
        if MIN_AREA * mask.size <= area <= MAX_AREA * mask.size:
            blobs.append(_measure(labels, i, (x, y, w, h), area, paper, scale))
    return blobs


def _working(image: Image.Image) -> tuple[np.ndarray, float]:
    rgb = np.asarray(image.convert("RGB"))
    scale = min(1.0, WORK_SIDE / max(rgb.shape[:2]))
    if scale < 1.0:
        rgb = cv2.resize(rgb, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return rgb, scale


def _window(rgb: np.ndarray) -> int:
    return max(3, int(TEXTURE_WINDOW * max(rgb.shape[:2])) | 1)


def _flat_clipped(rgb: np.ndarray) -> np.ndarray:
    """Pixels that are clipped white, colourless and show no print."""
    value = rgb.max(axis=2).astype(np.float32)
    chroma = value - rgb.min(axis=2).astype(np.float32)
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32)
    k = _window(rgb)
    mean = cv2.blur(gray, (k, k))
    std = np.sqrt(np.maximum(cv2.blur(gray * gray, (k, k)) - mean * mean, 0))
    clipped = cv2.GaussianBlur(value, (0, 0), 1.0) >= CLIPPED
    mask = (clipped & (cv2.blur(chroma, (k, k)) <= MAX_CHROMA) & (std < FLAT)).astype(np.uint8)
    return cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))


def _paper(rgb: np.ndarray) -> np.ndarray:
    """Brightness with the print closed over: the paper's level everywhere on the label."""
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    k = _window(rgb)
    return cv2.morphologyEx(gray, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))


def _measure(labels: np.ndarray, index: int, box: BBox, area: int, paper: np.ndarray, scale: float) -> GlareBlob:
    x, y, w, h = box
    radius = max(3.0, (area / np.pi) ** 0.5)
    pad = int(FAR[1] * radius) + 2
    x0, y0 = max(0, x - pad), max(0, y - pad)
    x1, y1 = min(labels.shape[1], x + w + pad), min(labels.shape[0], y + h + pad)
    blob = (labels[y0:y1, x0:x1] == index).astype(np.uint8)
    outside = cv2.distanceTransform(1 - blob, cv2.DIST_L2, 5)
    ground = paper[y0:y1, x0:x1]
    near_ring = ground[(outside > NEAR[0] * radius) & (outside <= max(1.5, NEAR[1] * radius))]
    near = float(np.median(near_ring)) if near_ring.size else 0.0
    far_ring = ground[(outside > FAR[0] * radius) & (outside <= FAR[1] * radius)]
    far = float(np.median(far_ring)) if far_ring.size else 0.0
    far_top = float(np.percentile(far_ring, 90)) if far_ring.size else 255.0
    points = cv2.findNonZero(blob)
    (_, _), (rw, rh), _ = cv2.minAreaRect(points)
    elongation = max(rw, rh) / max(1.0, min(rw, rh))
    solidity = area / max(1.0, cv2.contourArea(cv2.convexHull(points)))
    bbox = (int(x / scale), int(y / scale), int(w / scale), int(h / scale))
    return GlareBlob(bbox, area / labels.size, elongation, float(np.median(ground[blob > 0])), near, far, far_top,
                     solidity)

