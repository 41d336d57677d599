"""A second reader for the marks tesseract reads poorly (round marks' arcs, badges): RapidOCR's models, when it is
installed."""

from __future__ import annotations

import os

import cv2
import numpy as np

from ..errors import OcrError

ENV_MARK_LINES = "LABELSCAN_MARK_LINES"
"""'off' turns the second reader off; anything else (or unset) uses it when rapidocr-onnxruntime is installed."""


class LineReader:
    """Reads one straight line of text (recognition only: the unwrapped arc of a small seal) or the few lines
    of a badge (detection and recognition). Letters a few pixels high that tesseract reads as nothing a
    recogniser trained on photographed text still reads, often enough (measured on the second author's
    photos, see the README)."""

    def __init__(self) -> None:
        from .rapidocr_engine import _ocr, _version

        self._model = _ocr
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
