"""OCR engines: the registry and `get_engine`, which picks one by name ("auto" prefers in-process tesserocr)."""

from __future__ import annotations

from collections.abc import Callable

from ..errors import MissingDependencyError, UsageError
from .base import OcrEngine
from .guard import GuardedEngine
from .line_reader import line_reader

__all__ = ["ENGINES", "OcrEngine", "get_engine"]


def _tesserocr(model: str | None = None) -> OcrEngine:
    from .tesserocr_engine import TesserocrEngine

    return TesserocrEngine(model)


def _tesseract(model: str | None = None) -> OcrEngine:
    from .tesseract_engine import TesseractEngine

    return TesseractEngine(model)


def _rapidocr(model: str | None = None) -> OcrEngine:
    from .rapidocr_engine import RapidOcrEngine

    return RapidOcrEngine(model)


ENGINES: dict[str, Callable[..., OcrEngine]] = {"tesserocr": _tesserocr, "tesseract": _tesseract, "rapidocr": _rapidocr}
"""Every engine by name. rapidocr is optional (`make rapid`, see the Makefile): without it, asking for it raises
MissingDependencyError, and "auto" never picks it."""


def get_engine(name: str = "auto", model: str | None = None) -> OcrEngine:
    """The engine called `name` with the English model in the tessdata folder `model` (None: $LABELSCAN_TESSDATA,
    else the engine's default). "auto" is tesserocr when it and its model are installed, else the tesseract executable;
    it never picks an optional engine (rapidocr).

    Raises UsageError for an unknown name, MissingDependencyError when the engine or its model is missing.
    The engine comes wrapped in a GuardedEngine: a crash, a hang or a malformed result of one call is an OcrError.
    A tesseract engine comes with rapidocr's models as its second reader when they are installed (see line_reader).
    """
    inner = _make(name, model)
    return GuardedEngine(inner, lines=None if name == "rapidocr" else line_reader())


def _make(name: str, model: str | None) -> OcrEngine:
    if name == "auto":
        try:
            return _tesserocr(model)
        except MissingDependencyError as first:
            try:
                return _tesseract(model)
            except MissingDependencyError:
                raise MissingDependencyError(
                    "no OCR engine is installed",
                    f"{first}; or install the tesseract executable (apt-get install tesseract-ocr)") from None
    factory = ENGINES.get(name)
    if factory is None:
        raise UsageError(f"unknown OCR engine {name!r}", f"choose one of: auto, {', '.join(ENGINES)}")
    return factory(model)
