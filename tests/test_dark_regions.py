"""Light print on a dark ground (badges, dark front panels) is found and read, with real OCR."""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFont

from labelscan.ocr import get_engine
from labelscan.ocr.reader import read_image_and_dark_regions
from labelscan.seals import find_seals
from labelscan.vision.light import dark_regions

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def label_with_dark_badge() -> tuple[Image.Image, tuple[int, int, int, int]]:
    image = Image.new("RGB", (1400, 1000), "white")
    draw = ImageDraw.Draw(image)
    big, small = ImageFont.truetype(FONT, 90), ImageFont.truetype(FONT, 44)
    draw.text((60, 60), "Magnesium L-Threonate", fill="black", font=small)
    draw.text((60, 130), "Supports memory and cognition*", fill="black", font=small)
    badge = (60, 300, 620, 640)
    draw.rounded_rectangle(badge, radius=30, fill=(10, 50, 110))
    draw.text((230, 340), "USP", fill="white", font=big)
    draw.text((200, 470), "VERIFIED", fill="white", font=small)
    draw.text((700, 700), "Bold black heading text", fill="black", font=small)
    return image, badge


def test_dark_badge_is_found_and_bold_black_text_is_not():
    image, badge = label_with_dark_badge()
    regions = dark_regions(image)
    assert len(regions) == 1
    x, y, w, h = regions[0].bbox
    assert regions[0].mask.shape == (h, w) and regions[0].mask.mean() > 0.8  # the badge fills its box
    assert abs(x - badge[0]) < 40 and abs(y - badge[1]) < 40 and abs(x + w - badge[2]) < 40


def test_words_on_the_dark_badge_are_read_and_the_rest_kept():
    image, _ = label_with_dark_badge()
    page = read_image_and_dark_regions(image, get_engine("tesserocr"), dark_regions(image))
    text = page.text
    assert "Threonate" in text and "heading" in text
    assert {s.program for s in find_seals([page])} == {"usp-verified"}
    assert len({w.line for w in page.words}) == len(page.lines())  # line ids stay unique


def test_a_white_label_has_no_dark_regions():
    image = Image.new("RGB", (800, 600), "white")
    ImageDraw.Draw(image).text((40, 40), "Supplement Facts", fill="black", font=ImageFont.truetype(FONT, 60))
    assert dark_regions(image) == []


def test_a_dark_table_round_a_label_is_read_without_reading_the_label_again():
    """Photographed on a dark table, the label lies in the hole of the dark ground's box; the inverted
    re-reading must see only the table (here with light print on it), not the label turned negative."""
    image = Image.new("RGB", (1400, 1000), (60, 45, 35))
    draw = ImageDraw.Draw(image)
    small = ImageFont.truetype(FONT, 44)
    draw.rectangle((300, 200, 1100, 800), fill="white")
    draw.text((360, 260), "Supplement Facts", fill="black", font=small)
    draw.text((360, 340), "Magnesium 144 mg", fill="black", font=small)
    draw.text((40, 880), "LIGHT WORDS ON TABLE", fill="white", font=small)
    regions = dark_regions(image)
    assert len(regions) == 1 and regions[0].bbox[2] > 1300  # the table: its box holds the label too
    x, y, _, _ = regions[0].bbox
    assert regions[0].mask[500 - y, 700 - x] == 0 and regions[0].mask[40 - y, 40 - x] == 1
    page = read_image_and_dark_regions(image, get_engine("tesserocr"), regions)
    lines = [line.text for line in page.lines()]
    assert lines.index("Supplement Facts") < lines.index("Magnesium 144 mg")  # read once, its lines whole
    assert "TABLE" in page.text
