"""Read one image: prepare it, OCR it, and map every word box back to the original image's pixels."""

from __future__ import annotations

from dataclasses import replace

from PIL import Image

from ..model import OcrPage
from ..vision.prepare import prepare
from .base import OcrEngine


def read_image(image: Image.Image, engine: OcrEngine, *, timeout: float = 60.0, psm: int = 3) -> OcrPage:
    """The words of `image`, boxes in `image`'s own pixels, width/height those of `image`.

    Orientation is not corrected yet (OcrPage.orientation stays 0): boxes are in the coordinates of the image
    as given, which `sources.load` has already turned upright by its EXIF orientation.
    """
    prepared = prepare(image)
    page = engine.read(prepared.image, psm=psm, timeout=timeout)
    size = image.size
    words = [replace(w, bbox=prepared.to_original(w.bbox, size)) for w in page.words]
    return OcrPage(words=words, width=size[0], height=size[1], engine=page.engine, orientation=prepared.rotation)
