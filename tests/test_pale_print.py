"""Pale-grey print (an amount column set in grey) that a photo's softening drops below tesseract's global
threshold is read again binarised against each pixel's neighbourhood, with real OCR."""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from labelscan import scan
from labelscan.ocr import get_engine
from labelscan.ocr.reader import read_image
from labelscan.parse import parse_pages
from labelscan.vision.light import locally_binarised

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def panel_with_grey_amounts(grey: int = 170) -> Image.Image:
    """A panel whose names are black and whose amounts are pale grey, softened and shrunk like a photo."""
    image = Image.new("RGB", (1400, 700), (250, 250, 248))
    draw = ImageDraw.Draw(image)
    black = (10, 10, 10)
    draw.text((40, 30), "Supplement Facts", fill=black, font=ImageFont.truetype(BOLD, 64))
    draw.text((40, 120), "Serving Size 2 Capsules", fill=black, font=ImageFont.truetype(FONT, 30))
    draw.text((40, 180), "Amount Per Serving", fill=black, font=ImageFont.truetype(BOLD, 26))
    draw.text((1000, 180), "% Daily Value", fill=black, font=ImageFont.truetype(BOLD, 26))
    rows = [("Magnesium (as magnesium glycinate)", "120 mg    29%"),
            ("Zinc (as zinc bisglycinate chelate)", "10 mg    91%")]
    for i, (name, amount) in enumerate(rows):
        draw.text((40, 240 + 60 * i), name, fill=black, font=ImageFont.truetype(BOLD, 30))
        draw.text((930, 240 + 60 * i), amount, fill=(grey,) * 3, font=ImageFont.truetype(FONT, 30))
    pixels = cv2.GaussianBlur(np.asarray(image).astype(np.float32), (0, 0), 1.0)
    pixels = cv2.resize(pixels, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    pixels += np.random.default_rng(1).normal(0, 4, pixels.shape)
    return Image.fromarray(pixels.clip(0, 255).astype(np.uint8))


def amounts(image: Image.Image) -> dict[str, float | None]:
    panel = parse_pages([read_image(image, get_engine("tesserocr"))])
    return {row.name: row.quantity.amount if row.quantity else None for row in panel.rows}


def test_grey_amounts_lost_to_the_global_threshold_are_kept_by_the_local_one():
    image = panel_with_grey_amounts()
    assert amounts(image).get("Magnesium") is None  # the plain reading loses the grey column
    assert amounts(locally_binarised(image))["Magnesium"] == 120.0
    assert locally_binarised(image).size == image.size


def test_a_scan_reads_the_grey_amounts_through_the_second_reading(tmp_path):
    path = tmp_path / "grey-amounts.png"
    panel_with_grey_amounts().save(path)
    result = scan(path, rules=["magnesium-l-threonate"], engine="tesserocr")
    found = {f.id: f for f in result.findings}
    assert found["elemental-magnesium-stated"].status == "pass", found["elemental-magnesium-stated"].message
    assert "120" in found["elemental-magnesium-stated"].message
    assert found["threonate-named"].status == "fail"  # glycinate, read whole: a confident fail, as it should be


def test_a_white_label_on_a_dark_bottle_is_read_again_binarised_when_no_panel_was_found():
    """A bottle photo of the second author's generator (bench/independent_labels.py, seed 13), unrolled:
    most of it is the dark bottle, so tesseract's global threshold takes the white label for print and its
    text for holes, and the first reading finds no panel. Read binarised against each pixel's neighbourhood,
    the panel and its rows are found."""
    from pathlib import Path

    from labelscan.pipeline import Reading, ScanOptions, read_panel_binarised

    image = Image.open(Path(__file__).resolve().parent / "data" / "white-label-dark-bottle.jpg")
    page = read_image(image, get_engine("auto"))
    assert not parse_pages([page]).found
    reading = Reading([page], [], [image])
    read_panel_binarised(image, [page], ScanOptions(engine_name="auto"), {}, reading)
    panel = parse_pages(reading.pages)
    assert panel.found
    assert any(row.name == "Magnesium" and row.quantity and row.quantity.amount == 200 for row in panel.rows)
