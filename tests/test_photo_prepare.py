"""Preparing photos for OCR: the text size is measured on the text lines (not the background), and the
Supplement Facts box is told from the other boxes by the panel words the first reading found."""

from __future__ import annotations

import json
import random
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from labelscan.checks import load_rules
from labelscan.ocr import get_engine
from labelscan.ocr.reader import read_image
from labelscan.parse.layout import panel_anchor_centres
from labelscan.vision.deskew import deskew
from labelscan.vision.panel_box import find_panel_quad, rectify
from labelscan.vision.prepare import estimate_x_height


@pytest.fixture(scope="module")
def photos(gen, tmp_path_factory):
    out = tmp_path_factory.mktemp("photos")
    gen.make_set(str(out), 3, seed=91, conditions=("photo", "bottle", "lowres"))
    return [(Image.open(p), json.loads(p.with_suffix(".json").read_text())) for p in sorted(out.glob("*.jpg"))]


def test_x_height_is_measured_on_the_text_not_the_background(photos):
    assert len(photos) == 9
    for image, truth in photos:
        estimate = estimate_x_height(np.asarray(image.convert("L")))
        wanted = truth["condition_params"]["x_height_px"]
        assert estimate is not None and 0.67 * wanted <= estimate <= 1.5 * wanted, (truth["file"], estimate, wanted)


def _iou(a: np.ndarray, b: np.ndarray, size: tuple[int, int]) -> float:
    ma, mb = np.zeros(size[::-1], np.uint8), np.zeros(size[::-1], np.uint8)
    cv2.fillPoly(ma, [a.astype(np.int32)], 1)
    cv2.fillPoly(mb, [b.astype(np.int32)], 1)
    return float((ma & mb).sum() / max(1, (ma | mb).sum()))


def test_the_box_holding_the_panel_words_is_taken_for_the_panel(photos):
    engine = get_engine("tesserocr")
    checked = 0
    for image, truth in [(i, t) for i, t in photos if t["condition"] == "photo"]:
        anchors = panel_anchor_centres(read_image(image, engine))
        quad = find_panel_quad(image, anchors)
        assert quad is not None
        if len(anchors) < 2:  # nothing to tell the boxes apart: the largest (the label) is taken
            continue
        checked += 1
        wanted = np.array(truth["design"]["panel_quad_photo"])
        if _iou(quad, wanted, image.size) < 0.7:  # the panel's head box: its rows lie below, on the same plane
            assert abs(quad[0][1] - wanted[0][1]) < 30
            assert rectify(image, quad, below=4).height > 2 * (quad[3][1] - quad[0][1])
    assert checked >= 1


def test_a_panel_read_poorly_is_worth_a_second_reading():
    from labelscan.model import OcrPage
    from labelscan.pipeline import panel_read_well
    from tests.helpers import COMPLIANT_TEXT

    page = OcrPage.from_text(COMPLIANT_TEXT)
    assert panel_read_well(page)
    row_line = next(w.line for w in page.words if w.text == "144")
    page.words = [type(w)(w.text, w.bbox, 0.5 if w.line == row_line else w.confidence, w.block, w.line)
                  for w in page.words]
    assert not panel_read_well(page)
    assert not panel_read_well(OcrPage.from_text(COMPLIANT_TEXT.replace("144 mg 34%", "")))


def test_a_panel_without_its_title_or_with_a_line_left_out_is_worth_a_second_reading():
    """Tesseract can split a photo's lines between text blocks: the title in pieces, a row's name apart from
    its amount. The rows that remain may look well read; the missing title or the stray line says otherwise."""
    from labelscan.model import OcrPage
    from labelscan.pipeline import panel_read_well
    from tests.helpers import COMPLIANT_TEXT

    assert panel_read_well(OcrPage.from_text(COMPLIANT_TEXT))
    assert not panel_read_well(OcrPage.from_text(COMPLIANT_TEXT.replace("Supplement Facts", "Supplement")))
    stray = COMPLIANT_TEXT.replace("Amount Per Serving", "Amount Per Serving\nMagnesium (as magnesium L-thre")
    assert not panel_read_well(OcrPage.from_text(stray))


def test_a_bottle_photo_is_read_unrolled_and_marked_as_partly_in_view(photos, tmp_path):
    from labelscan.pipeline import ScanOptions, scan_many

    image, truth = next((i, t) for i, t in photos if t["condition"] == "bottle")
    path = tmp_path / truth["file"]
    image.save(path)
    result = next(scan_many([path], ScanOptions()))
    assert result.label is not None and result.label.pages[0].wrapped and result.label.partly_in_view
    assert result.label.panel.found and any(r.quantity for r in result.label.panel.rows)


@pytest.mark.parametrize("turned", [-6.0, 5.0])
def test_a_label_turned_on_a_wood_grain_ground_is_levelled_by_its_text(gen, turned):
    """Wood grain is long level streaks that out-vote the text lines of a label lying turned on it; the
    letters alone tell the angle."""
    from labelscan.vision.deskew import estimate_skew

    _, design, canvas = gen.build("compliant-as", "deskew-test", 5, {"layout": "front-left"})
    ctx = dict(gen.condition_context(canvas, design),
               overrides={"background": "wood", "rotation_deg": turned, "tilt_deg": 0.0, "coverage": 0.62})
    photo, _ = gen.CONDITIONS["photo"](canvas.img, random.Random(0), ctx)  # grain that held the old estimate at 0
    assert abs(estimate_skew(photo) - turned) <= 1.0


def test_a_label_seen_in_perspective_is_levelled_by_its_text_not_its_edge():
    """A low-resolution photo of a label seen at an angle: its text lines slope 4.7 degrees at the panel (known
    from the homography that made the photo), its lower edge and shadow nearly 10. Levelled by all its ink, the
    edge won (10 degrees): the page stayed 5 degrees askew, and the small Labdoor badge on it, its tick and words
    run together, was not read: "no seal", a confident wrong fail. Levelled by its letters, the badge is read."""
    from labelscan.pipeline import ScanOptions, scan_many
    from labelscan.vision.deskew import estimate_skew

    path = Path(__file__).resolve().parent / "data" / "perspective-label-edge-outslopes-text.jpg"
    assert abs(estimate_skew(Image.open(path)) - 4.7) <= 1.0
    result = next(scan_many([path], ScanOptions(packs=load_rules(["magnesium-l-threonate"]))))
    seal = next(f for f in result.findings if f.id == "third-party-seal")
    assert seal.status == "pass" and "Labdoor" in seal.message
