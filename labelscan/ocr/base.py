"""The OCR engine interface, where the English model lives, and helpers shared by the engines."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol, runtime_checkable

from PIL import Image

from ..errors import MissingDependencyError, UsageError
from ..model import OcrPage

LANG = "eng"
ENV_TESSDATA = "LABELSCAN_TESSDATA"
SOURCE_DPI = 300
"""The resolution reported to tesseract: prepared images have body text sized as if scanned at 300 dpi."""

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # tesseract's OpenMP threads only slow down small images


@runtime_checkable
class OcrEngine(Protocol):
    """Reads the words of one image. Engines may also offer `osd(image) -> int | None`: the degrees
    clockwise the image must be turned to make its text upright (None when unsure)."""

    name: str
    """Engine, version and model, e.g. "tesserocr 5.5.4/eng-fast"."""

    def read(self, image: Image.Image, *, psm: int = 3, timeout: float = 60.0) -> OcrPage:
        """Words with boxes (x, y, w, h) in `image`'s pixels, confidence 0–1, block ids and page-unique line ids.

        Raises OcrError when the engine times out or fails, MissingDependencyError when it is not installed.
        """
        ...


class LineIds:
    """Turns (block, paragraph, line) keys into line ids unique within the page, numbered in reading order."""

    def __init__(self) -> None:
        self._ids: dict[tuple[int, ...], int] = {}

    def __call__(self, *key: int) -> int:
        return self._ids.setdefault(tuple(key), len(self._ids))


def model_dir(model: str | None = None, default: str | None = None) -> str | None:
    """The tessdata folder to use: `model`, else $LABELSCAN_TESSDATA, else `default` (None: the engine's own).

    Raises UsageError when `model` (or MissingDependencyError when $LABELSCAN_TESSDATA) has no eng.traineddata.
    """
    if model:
        if not (Path(model) / f"{LANG}.traineddata").is_file():
            raise UsageError(f"no {LANG}.traineddata in {model}", "give a tessdata folder holding the English model")
        return str(model)
    env = os.environ.get(ENV_TESSDATA)
    if env:
        if not (Path(env) / f"{LANG}.traineddata").is_file():
            raise MissingDependencyError(f"${ENV_TESSDATA} is {env}, which holds no {LANG}.traineddata",
                                         "point it at a tessdata folder with the English model, or unset it")
        return env
    return default


def model_label(data_dir: str | None) -> str:
    """A short name for the model in `data_dir`: eng-fast for the tessdata-fast wheel and Debian's default."""
    if data_dir is None:
        return f"{LANG}-fast"  # Debian and Ubuntu ship tessdata_fast as tesseract-ocr-eng
    try:
        import tessdata

        if Path(data_dir).resolve() == Path(tessdata.data_path()).resolve():
            return f"{LANG}-fast"
    except ImportError:
        pass
    return f"{LANG}@{Path(data_dir).name}"


def osd_degrees(orient_deg: int, confidence: float, min_confidence: float = 2.0) -> int | None:
    """Tesseract's detected rotation (counter-clockwise content rotation) → degrees clockwise to make it upright."""
    if confidence < min_confidence:
        return None
    return (360 - int(orient_deg)) % 360
