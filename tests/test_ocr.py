"""The OCR layer with real engines: words, boxes mapped back to the original, engines, errors and the prepare step."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from labelscan.errors import ExitCode, MissingDependencyError, OcrError, UsageError
from labelscan.model import OcrPage
from labelscan.ocr import ENGINES, get_engine
from labelscan.ocr.reader import read_image
from labelscan.vision.prepare import prepare, with_ground_border

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
OPTIONAL = {"rapidocr"}
"""Engines that `pip install .` does not bring (see the Makefile's rapid step)."""
LINES = ["Supplement Facts", "Serving Size 3 Capsules", "Magnesium 144 mg", "Other ingredients: gelatin"]


def render(size: int, lines: list[str] = LINES) -> tuple[Image.Image, dict[str, tuple[int, int, int, int]]]:
    """An RGB image of `lines` in DejaVu Sans at `size` px, and where each word's ink was drawn (x, y, w, h)."""
    font = ImageFont.truetype(FONT, size)
    img = Image.new("RGB", (int(size * 16), int(size * (2 + 1.6 * len(lines)))), "white")
    draw = ImageDraw.Draw(img)
    boxes: dict[str, tuple[int, int, int, int]] = {}
    for i, line in enumerate(lines):
        x, y = size, size + int(i * size * 1.6)
        for word in line.split():
            mask = Image.new("L", img.size, 0)
            ImageDraw.Draw(mask).text((x, y), word, font=font, fill=255)
            x0, y0, x1, y1 = mask.getbbox() or (0, 0, 0, 0)  # the ink, without the font's side bearings
            boxes.setdefault(word, (x0, y0, x1 - x0, y1 - y0))
            draw.text((x, y), word, font=font, fill="black")
            x += int(font.getlength(word + " "))
    return img, boxes


def near(got: tuple[int, int, int, int], want: tuple[int, int, int, int], tol: float) -> bool:
    return all(abs(a - b) <= tol for a, b in zip(got, want))


@pytest.fixture(scope="module", params=sorted(ENGINES))
def engine(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Each registered engine; an optional one that is not installed here (rapidocr without `make rapid`) is skipped."""
    try:
        return get_engine(request.param)
    except MissingDependencyError as exc:
        if request.param not in OPTIONAL:
            raise
        pytest.skip(f"optional engine {request.param} is not installed: {exc}")


@pytest.fixture(scope="module")
def sample() -> tuple[Image.Image, dict[str, tuple[int, int, int, int]]]:
    return render(32)


def test_engines_read_the_panel_words_with_plausible_boxes(engine, sample) -> None:  # type: ignore[no-untyped-def]
    image, drawn = sample
    page = read_image(image, engine, timeout=30)
    assert isinstance(page, OcrPage) and (page.width, page.height) == image.size
    assert page.engine == engine.name and page.engine.split()[0] in ENGINES and "eng" in page.engine
    assert "Supplement Facts" in page.text and "144 mg" in page.text
    for text in ("Supplement", "144", "gelatin"):
        word = next(w for w in page.words if w.text == text)
        assert near(word.bbox, drawn[text], tol=3), (text, word.bbox, drawn[text])
        assert 0.5 < word.confidence <= 1.0
    lines = page.lines()
    assert [line.text for line in lines][:3] == LINES[:3]
    assert len({w.line for w in page.words}) == len(lines) == len(LINES)  # one id per line, unique on the page
    assert all(w.text.strip() == w.text and w.text for w in page.words)


@pytest.mark.parametrize("size", [11, 90])
def test_boxes_are_mapped_back_when_the_image_is_rescaled(size: int) -> None:
    image, drawn = render(size, LINES[:3])
    prepared = prepare(image)
    assert prepared.scale != 1.0  # tiny text is enlarged, huge text reduced
    page = read_image(image, get_engine("tesserocr"), timeout=30)
    assert (page.width, page.height) == image.size
    word = next(w for w in page.words if w.text == "144")
    assert near(word.bbox, drawn["144"], tol=2 + size / 30), (word.bbox, drawn["144"])


def test_prepare_keeps_300dpi_body_text_and_pads_a_white_border() -> None:
    image, _ = render(32)  # x-height ~17 px: already what tesseract wants
    prepared = prepare(image)
    assert prepared.scale == 1.0 and prepared.image.mode == "L"
    assert prepared.image.size == (image.width + 2 * prepared.border, image.height + 2 * prepared.border)
    assert prepared.x_height is not None and 14 <= prepared.x_height <= 20
    assert prepared.image.getpixel((0, 0)) == 255


def test_a_page_read_as_nothing_in_a_white_frame_is_read_again_in_its_own_shade() -> None:
    """A label unrolled from a bottle, the bottle's dark shoulders at the top and bottom and its edges at the
    sides: framed in white, tesseract's layout analysis read 10 words of nonsense from it (its text lines
    hold some 500 letter shapes); read again framed in the image's own shade, it reads the panel."""
    image = Image.open(Path(__file__).resolve().parent / "data" / "unrolled-bottle-dark-edges.jpg")
    prepared = prepare(image)
    assert prepared.image.getpixel((0, 0)) == 255
    framed = with_ground_border(prepared)
    assert framed.image.getpixel((0, 0)) < 160 and framed.image.size == prepared.image.size
    page = read_image(image, get_engine("tesserocr"), timeout=60)
    assert len(page.words) >= 60 and "Supplement Facts" in page.text


def test_prepare_without_text_leaves_the_scale_alone() -> None:
    assert prepare(Image.new("RGB", (300, 200), "white")).scale == 1.0


def test_blank_image_gives_no_words(engine) -> None:  # type: ignore[no-untyped-def]
    page = read_image(Image.new("RGB", (400, 300), "white"), engine, timeout=30)
    assert page.words == [] and page.text == ""


def test_auto_prefers_tesserocr_and_engines_are_named() -> None:
    assert get_engine().name.startswith("tesserocr 5.") and get_engine().name.endswith("/eng-fast")
    assert get_engine("tesseract").name.startswith("tesseract ")


def test_unknown_engine_and_bad_model_folder(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UsageError, match="unknown OCR engine 'easyocr'"):
        get_engine("easyocr")
    with pytest.raises(UsageError, match="no eng.traineddata"):
        get_engine("tesserocr", model=str(tmp_path))


def test_labelscan_tessdata_without_a_model(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LABELSCAN_TESSDATA", str(tmp_path))
    with pytest.raises(MissingDependencyError, match="LABELSCAN_TESSDATA"):
        get_engine("tesserocr")


def test_missing_tesseract_executable(monkeypatch: pytest.MonkeyPatch, sample) -> None:  # type: ignore[no-untyped-def]
    import pytesseract

    engine = get_engine("tesseract")
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    with pytest.raises(MissingDependencyError) as info:
        get_engine("tesseract")
    assert info.value.exit_code == ExitCode.MISSING_DEPENDENCY
    assert str(info.value) == "tesseract is not installed: install it: apt-get install tesseract-ocr, or use --engine tesserocr"
    with pytest.raises(MissingDependencyError):
        engine.read(sample[0])


def test_auto_falls_back_to_tesseract_without_tesserocr(monkeypatch: pytest.MonkeyPatch) -> None:
    from labelscan.ocr import tesserocr_engine

    monkeypatch.setattr(tesserocr_engine, "tesserocr", None)
    assert get_engine("auto").name.startswith("tesseract ")


def test_tiny_timeout_raises_ocr_error(engine) -> None:  # type: ignore[no-untyped-def]
    image, _ = render(28, LINES * 6)
    # the engine's own timeout, or (rapidocr, which cannot be interrupted, on a busy machine) the guard's backstop
    with pytest.raises(OcrError, match="timed out|did not finish within") as info:
        engine.read(image.convert("L"), timeout=0.001)
    assert info.value.exit_code == ExitCode.UNREADABLE_INPUT
    assert "Supplement" in engine.read(image.convert("L"), timeout=30).text  # the engine still works afterwards


def test_osd_finds_a_sideways_page() -> None:
    image, _ = render(36, LINES * 3)
    engine = get_engine("tesserocr")
    assert engine.osd(image) == 0  # type: ignore[attr-defined]
    assert engine.osd(image.rotate(90, expand=True)) == 90  # type: ignore[attr-defined]  # turned left: needs 90° clockwise
