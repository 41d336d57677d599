"""Orientation: turn a sideways or upside-down photo upright before OCR, using the engine's orientation detector."""

from __future__ import annotations

from PIL import Image

from ..ocr.base import OcrEngine
from .prepare import prepare

PROBE_SHRINK = 0.5
"""The orientation probe runs on the prepared image at half size: as reliable on labels, twice as fast."""


def detect_rotation(image: Image.Image, engine: OcrEngine) -> int:
    """Degrees clockwise (0, 90, 180, 270) that make `image` upright; 0 when the engine cannot tell."""
    osd = getattr(engine, "osd", None)
    if osd is None:
        return 0
    probe = prepare(image).image
    probe = probe.resize((max(1, int(probe.width * PROBE_SHRINK)), max(1, int(probe.height * PROBE_SHRINK))))
    try:
        degrees = osd(probe)
    except Exception:  # an orientation guess is optional; never fail a scan over it
        return 0
    return degrees if degrees in (90, 180, 270) else 0


def upright(image: Image.Image, engine: OcrEngine) -> tuple[Image.Image, int]:
    """The image turned upright, and the degrees clockwise it was turned."""
    degrees = detect_rotation(image, engine)
    if degrees == 0:
        return image, 0
    return image.rotate(-degrees, expand=True), degrees
