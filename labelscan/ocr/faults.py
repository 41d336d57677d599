"""A fault-injecting OCR engine for tests (in the spirit of OCRmyPDF's crash plug-ins).

`FaultEngine(mode)` reads every image with a real engine, and misbehaves only on an image whose words
include TRIGGER, so a batch can hold one faulty image among good ones:

- crash: raises an unexpected exception (not a LabelscanError)
- hang: sleeps far past the timeout it was given, ignoring it
- garbage: returns random words with random (even negative or huge) boxes and confidences
- malformed: returns something that is not an OcrPage
- exit: raises SystemExit, as a library calling exit() would

Register them with `install()` before `labelscan.cli` is imported (the --engine choices are read then):

    python -c "from labelscan.ocr import faults; faults.install(); from labelscan.cli import main; main()" scan …
"""

from __future__ import annotations

import random
import time
from typing import Any

from PIL import Image

from ..model import OcrPage, Word

TRIGGER = "KABOOM"
MODES = ("crash", "hang", "garbage", "malformed", "exit")


class FaultEngine:
    def __init__(self, mode: str, inner: Any = None, trigger: str = TRIGGER, hang_s: float = 3600.0) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown fault mode {mode!r}")
        if inner is None:
            from . import _make

            inner = _make("auto", None)
        self.mode, self.inner, self.trigger, self.hang_s = mode, inner, trigger.lower(), hang_s
        self.name = f"fault-{mode}({inner.name})"

    def read(self, image: Image.Image, *, psm: int = 3, timeout: float = 60.0) -> OcrPage:
        page = self.inner.read(image, psm=psm, timeout=timeout)
        if self.trigger not in page.text.lower():
            return page
        if self.mode == "crash":
            raise ZeroDivisionError("injected crash inside the OCR engine")
        if self.mode == "hang":
            time.sleep(self.hang_s)
            return page
        if self.mode == "exit":
            raise SystemExit(3)
        if self.mode == "malformed":
            return {"words": "not a list"}  # type: ignore[return-value]
        return garbage_page(image.width, image.height, self.name)


def garbage_page(width: int, height: int, engine: str = "garbage", seed: int = 7, count: int = 300) -> OcrPage:
    """Random words: control characters, digits, units, huge numbers; boxes partly outside the image."""
    rnd = random.Random(seed)
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789%†*().,:;-mgµIU \x00\x1b\u202e\ufffd卍😀"
    words = []
    for i in range(count):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 12))) or "x"
        if i % 17 == 0:
            text = rnd.choice(["Supplement", "Facts", "Serving", "Size", "mg", "%", "999999999999999999999", "1e308",
                               "Magnesium", "Proprietary", "Blend", "Other", "ingredients:"])
        box = (rnd.randint(-width, 2 * width), rnd.randint(-height, 2 * height),
               rnd.randint(0, 3 * width), rnd.randint(0, 3 * height))
        words.append(Word(text, box, rnd.random(), rnd.randint(0, 5), rnd.randint(0, 40)))
    return OcrPage(words=words, width=width, height=height, engine=engine)


def install(**kwargs: Any) -> None:
    """Register fault-crash, fault-hang, fault-garbage, fault-malformed and fault-exit in labelscan.ocr.ENGINES."""
    from . import ENGINES

    for mode in MODES:
        ENGINES[f"fault-{mode}"] = lambda model=None, _mode=mode: FaultEngine(_mode, **kwargs)
