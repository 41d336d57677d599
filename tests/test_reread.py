"""A doubtful line of the panel's table is read again on its own, with real OCR; the second reading wins only
when it is more confident and keeps (nearly) everything the first read."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from labelscan.model import Label, OcrPage
from labelscan.ocr import get_engine
from labelscan.ocr.reader import read_image
from labelscan.parse import parse_pages
from labelscan.reread import doubtful_lines, reread_doubtful_lines

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
LINES = ["Supplement Facts", "Serving Size 2 Capsules", "Servings Per Container 60",
         "Amount Per Serving                                       % Daily Value",
         "Magnesium (as magnesium L-threonate)          144 mg       34%",
         "Taurine                                                  250 mg        †",
         "† Daily Value not established."]


def panel_image(lines: list[str] = LINES) -> Image.Image:
    image = Image.new("RGB", (1500, 90 + 70 * len(lines)), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 40)
    for i, text in enumerate(lines):
        draw.text((50, 50 + 70 * i), text, fill="black", font=font)
    return image


def spoiled(page: OcrPage, first_word: str) -> OcrPage:
    """The page with the line starting with `first_word` read badly: letters lost, low confidence (what a
    blurred or glared photo gives)."""
    line = next(w.line for w in page.words if w.text == first_word)
    words = [replace(w, text=w.text[:-2] or "~", confidence=0.35) if w.line == line and w.text[0].isdigit()
             else replace(w, confidence=0.5) if w.line == line else w for w in page.words]
    return OcrPage(words=words, width=page.width, height=page.height, engine=page.engine)


def test_a_doubtful_row_is_read_again_and_its_amount_recovered():
    image = panel_image()
    engine = get_engine("tesserocr")
    page = spoiled(read_image(image, engine), "Magnesium")
    before = parse_pages([page])
    assert not any(r.name.startswith("Magnesium") and r.quantity and r.quantity.amount == 144 for r in before.rows)
    assert [line.text for line in doubtful_lines(Label(pages=[page], panel=before))][0].startswith("Magnesium")

    assert reread_doubtful_lines([page], [image], engine, timeout=30) == 1
    after = parse_pages([page])
    magnesium = next(r for r in after.rows if r.name.startswith("Magnesium"))
    assert magnesium.quantity is not None and magnesium.quantity.amount == 144 and magnesium.dv_percent == 34
    assert [r.name for r in after.rows] == ["Magnesium", "Taurine"]  # the other rows untouched, in order


def test_a_second_reading_that_loses_a_word_does_not_replace_the_first():
    """Printed without its amount (as if washed out), the line read again holds less than the first reading
    claimed: the first stays, so no check can take the missing part for absent."""
    engine = get_engine("tesserocr")
    page = spoiled(read_image(panel_image(), engine), "Magnesium")
    washed = panel_image([t.replace("144 mg       34%", "") for t in LINES])
    assert reread_doubtful_lines([page], [washed], engine, timeout=30) == 0


def test_a_panel_read_well_is_not_read_again():
    image = panel_image()
    engine = get_engine("tesserocr")
    page = read_image(image, engine)
    assert doubtful_lines(Label(pages=[page], panel=parse_pages([page]))) == []
    assert reread_doubtful_lines([page], [image], engine, timeout=30) == 0


def test_a_panel_line_garbled_at_one_size_is_read_at_another():
    """A low-resolution photo (seed 14): at tesseract's preferred size the panel's line "L-threonate) 98 mg 23%",
    a rule close under it, came out "Lthreonee) Sees cst" (5 %) in every view and read alone as one line, and
    both guide checks on the magnesium row were 'unknown'. Read once more with the print half as big again,
    the line is whole; that reading only fills the garbled line."""
    from labelscan.pipeline import ScanOptions, read_document, scan
    from labelscan.sources import load

    path = Path(__file__).parent / "data" / "lowres-panel-line-garbled.jpg"
    options = ScanOptions()
    reading = read_document(load(path, options.limits), options, {})
    assert [page.fills_only for page in reading.pages].count(True) == 1
    result = scan(path, rules=["magnesium-l-threonate"], engine="tesserocr")
    status = {f.id: (f.status, f.value) for f in result.findings}
    assert status["threonate-named"][0] == "pass"
    assert status["elemental-magnesium-stated"][0] == "pass" and "98 mg" in next(
        f.message for f in result.findings if f.id == "elemental-magnesium-stated")


def test_print_read_at_another_size_moves_away_from_the_usual_size():
    """Small print, usually scaled up to ~25 px x-height, is read at 36 px; print already near 36 px (kept at
    its size as a rule) is read at 18 px."""
    import numpy as np

    from labelscan.vision.prepare import OTHER_SLACK, OTHER_X_HEIGHTS, estimate_x_height, prepare

    small = Image.open(Path(__file__).parent / "data" / "lowres-panel-line-garbled.jpg")
    first = estimate_x_height(np.asarray(small.convert("L")))
    assert first is not None and first < 14
    big = small.resize((round(small.width * 34 / first), round(small.height * 34 / first)), Image.LANCZOS)
    for image, target in ((small, OTHER_X_HEIGHTS[0]), (big, OTHER_X_HEIGHTS[1])):
        x_height = estimate_x_height(np.asarray(image.convert("L")))
        usual = prepare(image).scale * x_height
        assert x_height is not None and (usual < OTHER_X_HEIGHTS[0] - OTHER_SLACK) == (target == OTHER_X_HEIGHTS[0])
        assert abs(prepare(image, other_size=True).scale * x_height - target) < 0.5
