"""The shape route to seals: read each round mark on its own (arc text unwrapped, centre cropped) and match the catalogue."""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np
from PIL import Image

from .model import BBox, OcrPage, Seal, Word
from .ocr.base import OcrEngine
from .seals import find_seals
from .vision.seal_rings import Ring, centre_crop, find_rings, rectified, unwrap_band

MIN_WORD_CONFIDENCE = 0.45
SPARSE_TEXT_PSM = 11
MIN_RING_RADIUS = 30
BAND_HEIGHT = 64
"""Pixels: the unwrapped arc band is enlarged to about this height (letters ~35 px) before OCR."""
CENTRE_SIDE = 160
"""Pixels: the centre disc is enlarged to about this size before OCR."""
MAX_ENLARGE = 4.0
"""Rings smaller than this (px) hold no readable arc text: skip them."""


@dataclass
class MarkReading:
    """What was read from one round mark: its box, the words of its arc and centre, how much ink its band holds."""

    bbox: BBox
    words: list[str] = field(default_factory=list)
    confidences: list[float] = field(default_factory=list)
    ink: float = 0.0
    page: int = 0

    @property
    def text(self) -> str:
        return " ".join(self.words)

    @property
    def has_text(self) -> bool:
        """Whether the mark seems to carry words: ink in its text band and something word-like read from it."""
        return 0.03 <= self.ink <= 0.5 and any(sum(c.isalpha() for c in w) >= 3 for w in self.words)


def _for_ocr(gray: np.ndarray) -> tuple[Image.Image, float]:
    """Binarise (dark text on white, inverting a dark background), pad with white; also the share of ink."""
    _, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    if (binary == 0).mean() > 0.5:
        binary = 255 - binary
    ink = float((binary == 0).mean())
    padded = cv2.copyMakeBorder(binary, 30, 30, 30, 30, cv2.BORDER_CONSTANT, value=255)
    return Image.fromarray(padded), ink


def _enlarged(part: np.ndarray, wanted: int) -> np.ndarray:
    """The part scaled up (never down, at most MAX_ENLARGE×) so its short side is about `wanted` pixels:
    arc letters in a small photo are a few pixels high, far below what tesseract reads."""
    factor = min(MAX_ENLARGE, wanted / max(1, min(part.shape[:2])))
    if factor <= 1.05:
        return part
    return cv2.resize(part, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)


def read_mark(gray: np.ndarray, ring: Ring, engine: OcrEngine, timeout: float) -> MarkReading:
    """OCR a round mark's arc (both reading directions) and its centre, the mark first turned square-on."""
    reading = MarkReading(ring.bbox)
    patch, square = rectified(gray, ring)
    parts = [*unwrap_band(patch, square), centre_crop(patch, square)]
    if square.alternative is not None:
        parts.extend(unwrap_band(patch, square, square.alternative))
    inks = []
    for index, part in enumerate(parts):
        if min(part.shape) < 8:
            continue
        image, ink = _for_ocr(_enlarged(part, CENTRE_SIDE if index == 2 else BAND_HEIGHT))
        inks.append(ink)
        page = engine.read(image, psm=SPARSE_TEXT_PSM, timeout=timeout)
        seen = set(reading.words)
        for word in page.words:
            if word.confidence >= MIN_WORD_CONFIDENCE and word.text not in seen:
                reading.words.append(word.text)
                reading.confidences.append(word.confidence)
                seen.add(word.text)
    reading.ink = inks[0] if inks else 0.0
    return reading


def read_marks(image: Image.Image, engine: OcrEngine, *, timeout: float = 30.0, page: int = 0) -> list[MarkReading]:
    """Every round mark of an image, read on its own."""
    gray = np.asarray(image.convert("L"))
    readings = []
    for ring in find_rings(gray):
        if ring.outer < MIN_RING_RADIUS:
            continue
        reading = read_mark(gray, ring, engine, timeout)
        reading.page = page
        readings.append(reading)
    return readings


def _as_page(reading: MarkReading) -> OcrPage:
    """The mark's words laid out inside its box, close enough together for the seal finder to combine them."""
    x, y, w, h = reading.bbox
    height = max(8, h // 10)
    words = [
        Word(text, (x + (i % 3) * w // 3, y + (i // 3) * height, w // 3, height), conf, 0, i // 3)
        for i, (text, conf) in enumerate(zip(reading.words, reading.confidences))
    ]
    return OcrPage(words=words)


def seals_from_marks(readings: list[MarkReading]) -> tuple[list[Seal], list[MarkReading]]:
    """Seals identified from the marks' own words (method 'shape', box = the mark), and the marks that
    carry text but matched nothing in the catalogue."""
    seals: list[Seal] = []
    unread: list[MarkReading] = []
    for reading in readings:
        found = find_seals([_as_page(reading)])
        for seal in found:
            seal.method = "shape"
            seal.bbox = reading.bbox
            seal.page = reading.page
        seals.extend(found)
        if not found and reading.has_text:
            unread.append(reading)
    return seals, unread


def merge_seals(by_text: list[Seal], by_shape: list[Seal]) -> list[Seal]:
    """One seal per program and page: the shape reading where both routes found it (its box is the whole mark)."""
    merged: dict[tuple[str, int], Seal] = {}
    for seal in [*by_text, *by_shape]:
        key = (seal.program, seal.page)
        if key not in merged or seal.method == "shape" or seal.confidence > merged[key].confidence:
            merged[key] = seal
    return list(merged.values())
