"""The optional RapidOCR engine (`make rapid`): real OCR where rapidocr-onnxruntime is installed, a clear error where not."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from labelscan.errors import ExitCode, UsageError
from labelscan.ocr import ENGINES, get_engine
from labelscan.ocr.reader import read_image

from .test_ocr import FONT, LINES, near, render

INSTALLED = importlib.util.find_spec("rapidocr_onnxruntime") is not None
needs_rapid = pytest.mark.skipif(not INSTALLED, reason="rapidocr-onnxruntime is not installed (run `make rapid`)")
ROOT = Path(__file__).resolve().parent.parent

WITHOUT_RAPID = """
import sys
sys.modules["rapidocr_onnxruntime"] = None  # as if the package were not installed: its import fails
from labelscan.cli import main
main(sys.argv[1:])
"""


@pytest.fixture(scope="module")
def engine():  # type: ignore[no-untyped-def]
    return get_engine("rapidocr")


def test_without_the_package_asking_for_it_is_a_missing_dependency(tmp_path: Path) -> None:
    image, _ = render(32)
    image.save(tmp_path / "label.png")
    proc = subprocess.run([sys.executable, "-c", WITHOUT_RAPID, "scan", str(tmp_path / "label.png"), "--engine",
                           "rapidocr"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == ExitCode.MISSING_DEPENDENCY, proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "rapidocr-onnxruntime is not installed" in lines[0] and "make rapid" in lines[0]
    assert "pip install --no-deps rapidocr-onnxruntime==1.4.4" in lines[0]


def test_headless_opencv_only() -> None:
    """The GUI opencv-python, which rapidocr-onnxruntime's wheel asks for, must not sit beside the headless build."""
    import cv2

    with pytest.raises(importlib.metadata.PackageNotFoundError):
        importlib.metadata.version("opencv-python")
    assert importlib.metadata.version("opencv-python-headless")
    assert cv2.getBuildInformation().split("GUI:")[1].split()[0] == "NONE"  # the cv2 imported is the headless build


@needs_rapid
def test_registered_named_and_never_chosen_by_auto(engine) -> None:  # type: ignore[no-untyped-def]
    assert "rapidocr" in ENGINES
    assert engine.name.startswith("rapidocr 1.4.") and engine.name.endswith("/ppocrv4-ch+eng")
    assert get_engine("auto").name.startswith("tesserocr ")
    with pytest.raises(UsageError, match="models in its wheel"):
        get_engine("rapidocr", model="/tmp")


@needs_rapid
def test_words_boxes_lines_and_blocks(engine) -> None:  # type: ignore[no-untyped-def]
    image, drawn = render(32)
    page = read_image(image, engine, timeout=60)
    assert [line.text for line in page.lines()] == LINES  # "SupplementFacts" is split again at its ink gap
    assert page.engine == engine.name
    for text in ("Supplement", "Facts", "Size", "144", "mg", "gelatin"):
        word = next(w for w in page.words if w.text == text)
        assert near(word.bbox, drawn[text], tol=3), (text, word.bbox, drawn[text])
        assert 0.5 < word.confidence <= 1.0
    assert len({w.block for w in page.words}) == 1  # one column of text: one block


@needs_rapid
def test_two_columns_are_two_blocks_in_reading_order(engine) -> None:  # type: ignore[no-untyped-def]
    left, _ = render(32, ["Supports memory", "Take with food"])
    right, _ = render(32, ["Supplement Facts", "Magnesium 144 mg"])
    image = Image.new("RGB", (left.width + right.width, left.height), "white")
    image.paste(left, (0, 0))
    image.paste(right, (left.width, 0))
    page = read_image(image, engine, timeout=60)
    blocks = {line.text: line.words[0].block for line in page.lines()}
    assert blocks["Supports memory"] == blocks["Take with food"] == 0
    assert blocks["Supplement Facts"] == blocks["Magnesium 144 mg"] == 1
    assert [w.line for w in page.words] == sorted(w.line for w in page.words)


@needs_rapid
def test_one_block_per_line_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    from labelscan.ocr import rapidocr_engine

    monkeypatch.setenv(rapidocr_engine.ENV_BLOCKS, "line")
    image, _ = render(32)
    engine = get_engine("rapidocr")
    assert engine.name.endswith("/line-blocks")
    page = read_image(image, engine, timeout=60)
    assert [line.text for line in page.lines()] == LINES
    assert sorted({w.block for w in page.words}) == [0, 1, 2, 3]


@needs_rapid
def test_split_gives_proportional_boxes_for_a_slanted_line() -> None:
    from labelscan.ocr import rapidocr_engine

    quad = np.array([[0, 0], [100, 20], [100, 40], [0, 20]], dtype=float)
    det = rapidocr_engine._Det(quad, "ab cd", 0.9)
    words = rapidocr_engine._split(det, np.full((60, 120), 255, dtype=np.uint8))
    assert [t for t, _ in words] == ["ab", "cd"]
    (_, (x0, _, w0, _)), (_, (x1, _, w1, _)) = words
    assert x0 == 0 and 38 <= w0 <= 42 and 59 <= x1 <= 61 and 39 <= w1 <= 41


def small_panel() -> Image.Image:
    """A small Supplement Facts panel (no seal): quick to read, enough for the panel checks."""
    from PIL import ImageDraw, ImageFont

    body = ImageFont.truetype(FONT, 26)
    title = ImageFont.truetype(FONT.replace("DejaVuSans", "DejaVuSans-Bold"), 40)
    lines = [("Supplement Facts", title), ("Serving Size 3 Capsules", body),
             ("Amount Per Serving          % Daily Value", body),
             ("Magnesium (as magnesium L-threonate)   144 mg    34%", body), ("Magnesium L-Threonate   2,000 mg     **", body),
             ("** Daily Value not established.", body), ("Other ingredients: gelatin.", body)]
    image = Image.new("RGB", (900, 60 + 52 * len(lines)), "white")
    draw = ImageDraw.Draw(image)
    for i, (text, font) in enumerate(lines):
        draw.text((30, 30 + 52 * i), text, font=font, fill="black")
    return image


@needs_rapid
def test_scan_through_the_cli(tmp_path: Path) -> None:
    """The whole scan with --engine rapidocr: the panel is found and read, the checks answer from it."""
    small_panel().save(tmp_path / "label.png")
    proc = subprocess.run([sys.executable, "-m", "labelscan", "scan", str(tmp_path / "label.png"), "--engine",
                           "rapidocr", "--rules", "magnesium-l-threonate", "--format", "json"],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == ExitCode.FAILED, proc.stderr  # no seal on it
    result = json.loads(proc.stdout)
    assert result["ocr"]["engine"].startswith("rapidocr ")
    checks = {c["id"]: c["status"] for c in result["checks"]}
    assert checks["threonate-named"] == checks["elemental-magnesium-stated"] == checks["no-proprietary-blend"] == "pass"
    assert checks["third-party-seal"] == "fail"


@needs_rapid
def test_full_width_punctuation_is_read_as_ascii() -> None:
    from labelscan.ocr import rapidocr_engine

    assert "（providing 82mg：５％）".translate(rapidocr_engine._HALF_WIDTH) == "(providing 82mg:5%)"
