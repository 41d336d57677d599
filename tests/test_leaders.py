"""Dot leaders found and painted over before OCR; letters, full stops, an ellipsis and small print left alone."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from labelscan.ocr import get_engine
from labelscan.parse.layout import build_rows
from labelscan.vision.leaders import leader_dots, without_leaders
from labelscan.vision.prepare import estimate_x_height, prepare

SERIF_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"
SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
ROWS = [("Magnesium", "76 mg"), ("Magnesium L-Threonate", "1,000 mg"), ("Lion's Mane Mushroom", "500 mg")]


def panel(angle: float = 0.0, blur: float = 0.0) -> tuple[np.ndarray, list[tuple[int, int, int, int]]]:
    """Rows whose names and amounts are joined by dot leaders, a sentence with a full stop and an ellipsis,
    and a line of small print; gray, maybe turned a little and softened. Also the boxes of the words."""
    image = Image.new("L", (1200, 560), 245)
    draw = ImageDraw.Draw(image)
    bold, small = ImageFont.truetype(SERIF_BOLD, 34), ImageFont.truetype(SANS, 14)
    words = []
    for i, (name, amount) in enumerate(ROWS):
        y = 40 + 80 * i
        words.append(draw.textbbox((40, y), name, font=bold))
        right = draw.textbbox((0, y), amount, font=bold)[2]
        words.append(draw.textbbox((1160 - right, y), amount, font=bold))
        start, end = words[-2][2] + 16, words[-1][0] - 16
        for x in range(start, end, 18):
            draw.ellipse((x, y + 30, x + 6, y + 36), fill=30)
        draw.text((40, y), name, font=bold, fill=30)
        draw.text((1160 - right, y), amount, font=bold, fill=30)
    draw.text((40, 300), "Store in a cool, dry place. Keep out of reach... of children.", font=bold, fill=30)
    words.append(draw.textbbox((40, 300), "Store in a cool, dry place. Keep out of reach... of children.", font=bold))
    draw.text((40, 420), "Distributed by Example Apothecary Co., 1200 Pearl St, Boulder CO 80302 USA", font=small, fill=30)
    words.append(draw.textbbox((40, 420), "Distributed by Example Apothecary Co., 1200 Pearl St, Boulder CO 80302 USA",
                               font=small))
    gray = np.asarray(image)
    if angle:
        matrix = cv2.getRotationMatrix2D((600, 280), angle, 1.0)
        gray = cv2.warpAffine(gray, matrix, (1200, 560), borderValue=245)
    if blur:
        gray = cv2.GaussianBlur(gray, (0, 0), blur)
    return gray, words


X_HEIGHT = 18.0  # DejaVu Serif Bold at 34 px


@pytest.mark.parametrize(("angle", "blur"), [(0.0, 0.0), (2.0, 0.0), (0.0, 1.2), (-3.0, 0.8)])
def test_the_dots_of_leaders_are_found_and_nothing_else(angle, blur):
    gray, words = panel(angle, blur)
    mask = leader_dots(gray, X_HEIGHT)
    count, _ = cv2.connectedComponents(mask.astype(np.uint8))
    assert count - 1 >= 40, "most of the leaders' dots were found"
    if not angle:  # (the word boxes are those of the upright drawing)
        for x0, y0, x1, y1 in words:
            assert not mask[y0:y1, x0:x1].any(), "a letter, a full stop, an ellipsis or small print was taken"


def test_a_page_without_leaders_is_returned_as_it_is():
    gray, _ = panel()
    plain = gray.copy()
    plain[30:280] = 245  # the rows and their leaders gone; the sentence and the small print left
    assert without_leaders(plain, X_HEIGHT) is plain


def test_tesseract_reads_the_rows_once_the_leaders_are_painted_over():
    """A panel cut out of a photo of the second author's generator (bench/independent_labels.py, seed 14), bold
    serif rows with dot leaders: tesseract reads "Magnesium ........ 76 mg" as "MAACHeSIUIM ooo s sso s eee 76 mg"
    and loses an amount; without the dots it reads every row."""
    gray = np.asarray(Image.open(Path(__file__).resolve().parent / "data" / "leaders-bold-serif-panel.jpg"))
    engine = get_engine("auto")

    def rows(image: np.ndarray) -> list[str]:  # tesseract may read names and amounts as two blocks: the
        page = engine.read(Image.fromarray(image), psm=3)  # parser's rows join them by height
        return [" ".join(w.text for w in row.words) for row in build_rows(page.words)]

    assert "Magnesium 76 mg" not in rows(gray)
    cleaned = rows(without_leaders(gray, estimate_x_height(gray)))
    assert "Magnesium 76 mg" in cleaned
    assert any(row.startswith("Magnesium L-Threonate 1,000 mg") for row in cleaned), cleaned


def test_prepare_paints_over_leaders():
    gray, _ = panel()
    prepared = prepare(Image.fromarray(gray))
    assert prepared.scale == 1.0 and leader_dots(gray, X_HEIGHT).any()
    assert not leader_dots(np.asarray(prepared.image), X_HEIGHT).any()
