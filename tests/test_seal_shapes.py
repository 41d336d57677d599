"""Seals by their shape: rings found where the samples drew them, arc text unwrapped and read, real OCR."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from labelscan.ocr import get_engine
from labelscan.seal_shapes import merge_seals, read_marks, seals_from_marks
from labelscan.model import Seal
from labelscan.vision.seal_rings import find_rings

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def expected(name: str) -> dict:
    return json.loads((SAMPLES / f"{name}.json").read_text())["expected"]


def iou(a, b) -> float:
    ax1, ay1, bx1, by1 = a[0] + a[2], a[1] + a[3], b[0] + b[2], b[1] + b[3]
    w = max(0, min(ax1, bx1) - max(a[0], b[0]))
    h = max(0, min(ay1, by1) - max(a[1], b[1]))
    inter = w * h
    return inter / (a[2] * a[3] + b[2] * b[3] - inter)


def test_rings_are_found_where_the_seals_are():
    gray = np.asarray(Image.open(SAMPLES / "compliant-01.png").convert("L"))
    rings = find_rings(gray)
    for seal in expected("compliant-01")["seals"]:
        assert max(iou(r.bbox, seal["bbox"]) for r in rings) > 0.7, seal


def test_no_ring_on_a_label_without_round_marks():
    image = Image.new("L", (1200, 800), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 40)
    for i, line in enumerate(["Supplement Facts", "Serving Size 3 Capsules", "Magnesium 144 mg 34%", "Other ingredients: rice flour"]):
        draw.text((40, 40 + 80 * i), line, fill=0, font=font)
    draw.rectangle((20, 20, 1100, 400), outline=0, width=6)
    assert find_rings(np.asarray(image)) == []


@pytest.mark.parametrize(
    "name",
    ["compliant-01", "compliant-03", "pass-facility-only-01", "fail-self-claims-only-01"],
)
def test_round_marks_are_read_by_their_arc_words(name):
    readings = read_marks(Image.open(SAMPLES / f"{name}.png").convert("RGB"), get_engine("tesserocr"))
    seals, _ = seals_from_marks(readings)
    want = {s["program"] for s in expected(name)["seals"] if s["style"] in {"ring", "disc", "ring-caption"}}
    want |= {m["claim"] for m in expected(name).get("self_claim_marks", []) if m.get("style") in {"ring", "disc", "ring-caption"}}
    got = {s.program for s in seals}
    assert want <= got, (want, got)
    assert all(s.method == "shape" for s in seals)


def test_merge_prefers_the_whole_mark_and_keeps_one_per_program():
    text = Seal("usp-verified", "USP Verified", "third-party", "text", (10, 10, 20, 10), 0.9, "USP VERIFIED")
    shape = Seal("usp-verified", "USP Verified", "third-party", "shape", (0, 0, 100, 100), 0.8, "USP VERIFIED")
    other = Seal("gmp-quality", "GMP Quality", "self-claim", "text", (0, 200, 50, 10), 0.9, "GMP QUALITY")
    merged = merge_seals([text, other], [shape])
    assert {s.program: s.method for s in merged} == {"usp-verified": "shape", "gmp-quality": "text"}


@pytest.mark.parametrize("name", ["compliant-01", "pass-facility-only-01", "compliant-03"])
def test_small_round_marks_are_enlarged_before_their_words_are_read(name):
    image = Image.open(SAMPLES / f"{name}.png").convert("RGB")
    small = image.resize((image.width * 3 // 10, image.height * 3 // 10), Image.LANCZOS)  # a ~750 px photo
    seals, _ = seals_from_marks(read_marks(small, get_engine("tesserocr")))
    want = {s["program"] for s in expected(name)["seals"] if s["style"] in {"ring", "disc", "ring-caption"}}
    assert want and want <= {s.program for s in seals}
