"""Panel localisation in photos: the Supplement Facts box is found by its outline and seen square on."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from labelscan.vision.panel_box import find_panel_quad, is_flat, rectify

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def test_a_flat_scan_needs_no_second_pass():
    image = Image.open(SAMPLES / "compliant-01.png")
    quad = find_panel_quad(image)
    assert quad is not None and is_flat(quad)
    x, y, w, h = json.loads((SAMPLES / "compliant-01.json").read_text())["design"]["panel_bbox"]
    assert abs(quad[0][0] - x) < 30 and abs(quad[2][0] - (x + w)) < 30


def test_a_panel_seen_at_an_angle_is_found_and_flattened():
    image = np.asarray(Image.open(SAMPLES / "compliant-01.png").convert("RGB"))
    h, w = image.shape[:2]
    source = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    target = np.float32([[80, 40], [w - 30, 120], [w - 90, h - 20], [20, h - 110]])
    tilted = cv2.warpPerspective(image, cv2.getPerspectiveTransform(source, target), (w, h), borderValue=(120, 100, 80))
    quad = find_panel_quad(Image.fromarray(tilted))
    assert quad is not None and not is_flat(quad)
    flat = rectify(Image.fromarray(tilted), quad)
    again = find_panel_quad(flat)
    assert again is not None and is_flat(again)
