"""A guard around any OCR engine: a crash, a hang past the timeout or a malformed result becomes an OcrError.

The engines enforce their own timeouts (tesserocr's Recognize, the tesseract process is killed); the guard
is the backstop for an engine that does not (a plug-in, a stuck library call): the call runs in a daemon
thread, and if it has not returned shortly after its timeout the image gets an OcrError and the batch goes
on, leaving the stuck call behind.
"""

from __future__ import annotations

import math
import threading
from typing import Any

from PIL import Image

from ..errors import LabelscanError, OcrError
from ..model import OcrPage

GRACE_S = 2.0
"""Extra seconds an engine gets past its own timeout before the guard gives up on it."""


def watchdog_seconds(timeout: float) -> float:
    return timeout * 1.25 + GRACE_S


class GuardedEngine:
    """Wraps an engine: same name, same `read` (and `osd`, when the engine has one), but failures are OcrErrors;
    with the second reader that goes with it, if any (see `full_name`)."""

    def __init__(self, inner: Any, lines: Any = None) -> None:
        self.inner = inner
        self.lines = lines
        """A second reader for the marks tesseract reads poorly: arcs of round marks, badges (see line_reader)."""
        self.name = str(getattr(inner, "name", type(inner).__name__))
        self.full_name = self.name + (f" + {lines.name}" if lines else "")
        """The engine's name and its second reader's: what a reading of an image depends on."""

    def __getattr__(self, attr: str) -> Any:  # data_dir, osd… of the engine itself (hasattr keeps working)
        value = getattr(self.inner, attr)
        if attr == "osd" and callable(value):
            return self._osd
        return value

    def read(self, image: Image.Image, *, psm: int = 3, timeout: float = 60.0) -> OcrPage:
        page = _call(lambda: self.inner.read(image, psm=psm, timeout=timeout), timeout, self.name)
        if not isinstance(page, OcrPage) or not isinstance(page.words, list):
            raise OcrError(f"OCR engine {self.name} returned {type(page).__name__}, not an OCR page",
                           "try another --engine")
        for word in page.words:
            if not _plausible(word):
                raise OcrError(f"OCR engine {self.name} returned a malformed word ({word!r:.80})", "try another --engine")
        return page

    def _osd(self, image: Image.Image) -> int | None:
        """Orientation is a hint: a failing detector means 'unsure', never a failed image."""
        try:
            degrees = _call(lambda: self.inner.osd(image), 30.0, self.name)
        except OcrError:
            return None
        return degrees if degrees in (0, 90, 180, 270) else None


def _plausible(word: object) -> bool:
    try:
        text, box, conf = word.text, word.bbox, word.confidence  # type: ignore[attr-defined]
        return (isinstance(text, str) and len(box) == 4 and all(isinstance(v, int) for v in box)
                and isinstance(conf, (int, float)) and math.isfinite(conf))
    except (AttributeError, TypeError):
        return False


def _call(fn: Any, timeout: float, name: str) -> Any:
    """fn() in a daemon thread; its result, its LabelscanError, or an OcrError for a crash or a hang."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - carried to the caller's thread below
            outcome["error"] = exc

    worker = threading.Thread(target=run, name=f"ocr:{name}", daemon=True)
    worker.start()
    worker.join(watchdog_seconds(timeout))
    if worker.is_alive():
        raise OcrError(f"OCR engine {name} did not finish within {timeout:g} s", "try a smaller or clearer image, "
                       "or raise --ocr-timeout")
    error = outcome.get("error")
    if error is None:
        return outcome.get("value")
    if isinstance(error, LabelscanError):
        raise error
    if isinstance(error, KeyboardInterrupt):
        raise error
    detail = " ".join(str(error).split())[:200]
    raise OcrError(f"OCR engine {name} crashed ({type(error).__name__}{': ' + detail if detail else ''})",
                   "try another --engine, or report the image") from error
