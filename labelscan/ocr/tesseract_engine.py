"""The subprocess engine: the tesseract executable through pytesseract, killed on timeout."""

from __future__ import annotations

import os
import re

from PIL import Image

from ..errors import MissingDependencyError, OcrError
from ..model import OcrPage, Word
from .base import LANG, SOURCE_DPI, LineIds, model_dir, model_label, osd_degrees

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # inherited by the tesseract process

MISSING = ("tesseract is not installed", "install it: apt-get install tesseract-ocr, or use --engine tesserocr")


def _pytesseract():  # type: ignore[no-untyped-def]
    try:
        import pytesseract
    except ImportError:  # pragma: no cover - depends on the installation
        raise MissingDependencyError("pytesseract is not installed", "pip install pytesseract, or use --engine tesserocr") from None
    return pytesseract


class TesseractEngine:
    """One tesseract process per image: slower to start, but a crash or a hang cannot take labelscan down."""

    def __init__(self, model: str | None = None) -> None:
        pt = _pytesseract()
        self.data_dir = model_dir(model, None)
        try:
            version = pt.get_tesseract_version()
        except (pt.TesseractNotFoundError, OSError, SystemExit):
            raise MissingDependencyError(*MISSING) from None
        self.name = f"tesseract {version}/{model_label(self.data_dir)}"

    def _config(self, psm: int) -> str:
        config = f"--psm {int(psm)} --dpi {SOURCE_DPI}"
        if self.data_dir:
            config += f' --tessdata-dir "{self.data_dir}"'
        return config

    def read(self, image: Image.Image, *, psm: int = 3, timeout: float = 60.0) -> OcrPage:
        pt = _pytesseract()
        try:
            data = pt.image_to_data(image, lang=LANG, config=self._config(psm), output_type=pt.Output.DICT,
                                    timeout=timeout)
        except pt.TesseractNotFoundError:
            raise MissingDependencyError(*MISSING) from None
        except pt.TesseractError as exc:  # before RuntimeError, its base class
            status = int(exc.status) if isinstance(exc.status, int) else exc.status
            how = f"killed by signal {-status}" if isinstance(status, int) and status < 0 else f"exit {status}"
            message = " ".join(str(exc.message).split())[:200]
            raise OcrError(f"tesseract failed ({how}){': ' + message if message else ''}",
                           "try --engine tesserocr") from None
        except RuntimeError as exc:
            if "timeout" in str(exc).lower():
                raise OcrError(f"OCR timed out after {timeout:g} s", "try a smaller or clearer image") from None
            raise OcrError(f"tesseract failed: {exc}", "try --engine tesserocr") from None
        except (ValueError, KeyError, IndexError, TypeError, UnicodeDecodeError) as exc:  # output pytesseract cannot parse
            raise OcrError(f"tesseract returned output that cannot be read ({type(exc).__name__})",
                           "check the tesseract installation, or try --engine tesserocr") from None
        try:
            return self._page(data, image)
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise OcrError(f"tesseract returned output that cannot be read ({type(exc).__name__}: {exc})",
                           "check the tesseract installation, or try --engine tesserocr") from None

    def _page(self, data: dict, image: Image.Image) -> OcrPage:
        words: list[Word] = []
        line_ids = LineIds()
        for i, level in enumerate(data["level"]):
            text = str(data["text"][i]).strip()
            if int(level) != 5 or not text:
                continue
            conf = min(1.0, max(0.0, float(data["conf"][i]) / 100.0))
            block, para, line = int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i])
            box = (int(data["left"][i]), int(data["top"][i]), max(1, int(data["width"][i])), max(1, int(data["height"][i])))
            words.append(Word(text, box, conf, max(0, block - 1), line_ids(block, para, line)))  # block_num is 1-based
        return OcrPage(words=words, width=image.width, height=image.height, engine=self.name)

    def osd(self, image: Image.Image) -> int | None:
        """Degrees clockwise to turn `image` upright, from `tesseract --psm 0`; None when unsure or on failure."""
        pt = _pytesseract()
        try:
            out = pt.image_to_osd(image, config=self._config(0).replace("--psm 0 ", ""), timeout=30)
        except (pt.TesseractError, pt.TesseractNotFoundError, RuntimeError):
            return None
        deg = re.search(r"Orientation in degrees:\s*(\d+)", out)
        conf = re.search(r"Orientation confidence:\s*([\d.]+)", out)
        if not deg or not conf:
            return None
        return osd_degrees(int(deg.group(1)), float(conf.group(1)))
