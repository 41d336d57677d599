"""A second reader for small things tesseract reads poorly (round marks' arcs, badges, doubtful panel lines):
RapidOCR's models, when it is installed."""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any

import cv2
import numpy as np
from PIL import Image

from ..errors import OcrError
from ..model import OcrPage

ENV_MARK_LINES = "LABELSCAN_MARK_LINES"
"""'off' turns the second reader off; anything else (or unset) uses it when rapidocr-onnxruntime is installed."""


class LineReader:
    """Reads one straight line of text (recognition only: the unwrapped arc of a small seal), the few lines
    of a badge (detection and recognition), or the words of a panel line read poorly (as the rapidocr
    engine). Letters a few pixels high that tesseract reads as nothing a recogniser trained on photographed
    text still reads, often enough (measured on the second author's photos, see the README)."""

    def __init__(self) -> None:
        from .rapidocr_engine import _ocr, _version

        self._model = _ocr
        self._engine: Any = None
        self.name = f"rapidocr {_version()} second reader"

    def read_line(self, gray: np.ndarray) -> tuple[str, float]:
        """The text of a grey strip holding one line, and the recogniser's score (0–1)."""
        if min(gray.shape[:2]) < 4:
            return "", 0.0
        result = self._run(gray, use_det=False, use_cls=False, use_rec=True)
        if not result:
            return "", 0.0
        text, score = result[0]
        return str(text), float(score)

    def read_lines(self, gray: np.ndarray) -> list[tuple[str, float]]:
        """The text lines of a small grey patch (a badge's few lines), each with the recogniser's score (0–1)."""
        if min(gray.shape[:2]) < 4:
            return []
        return [(str(text), float(score)) for _, text, score in self._run(gray) or []]

    def read_words(self, image: Image.Image) -> OcrPage:
        """The words of a small image (a panel line cut out), with their boxes, as the rapidocr engine reads them.
        The image is first padded to a square in its own ground: the detector scales an image until its short
        side is 736 px, which made a 429 x 30 px line some 10,000 px wide (5 s, +400 MB); square, it takes
        0.4 s and reads the same. (Recognition alone, without detection, read such lines worse.)"""
        from .rapidocr_engine import RapidOcrEngine

        if self._engine is None:
            self._engine = RapidOcrEngine(threads=1)
        gray = np.asarray(image.convert("L"))
        pad = max(0, image.width - image.height)
        top = pad // 2
        square = cv2.copyMakeBorder(gray, top, pad - top, 0, 0, cv2.BORDER_CONSTANT, value=int(np.median(gray)))
        page = self._engine.read(Image.fromarray(square))
        words = [replace(w, bbox=(w.bbox[0], w.bbox[1] - top, w.bbox[2], w.bbox[3])) for w in page.words]
        return OcrPage(words=words, width=image.width, height=image.height, engine=page.engine)

    def _run(self, gray: np.ndarray, **steps: bool) -> list | None:
        ocr, lock = self._model(1)
        with lock:
            try:
                result, _ = ocr(cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR), **steps)
            except Exception as exc:  # noqa: BLE001 - onnxruntime raises its own types
                raise OcrError(f"rapidocr's second reader failed: {exc}", "set LABELSCAN_MARK_LINES=off") from None
        return result


def line_reader() -> LineReader | None:
    """The second reader, or None when rapidocr-onnxruntime is not installed or $LABELSCAN_MARK_LINES is 'off'."""
    if os.environ.get(ENV_MARK_LINES, "").lower() == "off":
        return None
    try:
        import rapidocr_onnxruntime  # noqa: F401 - only whether it is there
    except ImportError:
        return None
    return LineReader()
