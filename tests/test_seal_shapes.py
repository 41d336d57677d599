"""Seals by their shape: rings found where the samples drew them (also tilted, blurred photos), arc text read, real OCR."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from labelscan.ocr import get_engine
from labelscan.seal_shapes import merge_seals, read_marks, seals_from_marks
from labelscan.model import Seal
from labelscan.vision.seal_rings import find_rings, rectified

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


BODY = ["Supports memory and cognition.", "Take 3 capsules daily with food.", "Keep out of reach of children.",
        "Store in a cool, dry place.", "Distributed by Example Labs, Austin, TX"]


def label_with_mark(gen, sid: str | None, style: str = "ring", seed: int = 3) -> Image.Image:
    """A label-like page of body text with one mark drawn by the sample generator (or none)."""
    from gen.canvas import Canvas
    from gen.seals import draw_seal
    import fonts

    fam = fonts.sans_families()[0]
    canvas = Canvas(1500, 1100, (250, 246, 236))
    for i, line in enumerate(BODY):
        canvas.text(60, 80 + 70 * i, f"\u2022 {line}", fam.regular, 40)
    canvas.rect(40, 460, 1460, 1060, fill=None, outline=(0, 0, 0), width=5)
    for i, line in enumerate(["Supplement Facts", "Serving Size 3 Capsules", "Magnesium 144 mg 34%"]):
        canvas.text(70, 500 + 70 * i, line, fam.bold, 44)
    if sid is not None:
        draw_seal(canvas, sid, 980, 560, 380, style, fam, random.Random(seed))
    return canvas.img


def phone_photo(image: Image.Image, tilt: float = 0.1, blur: float = 1.3, quality: int = 70) -> Image.Image:
    """The page as a phone sees it at an angle: perspective (the far side shrunk by `tilt`, the page
    foreshortened), defocus, sensor noise and JPEG."""
    w, h = image.size
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = np.float32([[w * tilt, h * tilt * 0.6], [w * (1 - tilt / 2), h * tilt * 0.2], [w, h * (1 - tilt / 4)], [0, h]])
    warped = cv2.warpPerspective(np.asarray(image), cv2.getPerspectiveTransform(src, dst), (w, h),
                                 borderValue=(90, 90, 90))
    warped = cv2.GaussianBlur(warped, (0, 0), blur)
    noisy = warped.astype(np.float32) + np.random.default_rng(0).normal(0, 4, warped.shape)
    buffer = io.BytesIO()
    Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)).save(buffer, format="JPEG", quality=quality)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


@pytest.mark.parametrize(("sid", "style"), [("usp-verified", "ring"), ("nsf-certified-for-sport", "disc")])
def test_a_seal_photographed_at_an_angle_is_found_as_an_ellipse_and_read(gen, sid, style):
    photo = phone_photo(label_with_mark(gen, sid, style))
    rings = [r for r in find_rings(np.asarray(photo.convert("L"))) if r.outer > 60]
    assert len(rings) == 1, rings
    assert rings[0].ratio < 0.985  # seen as the ellipse it is, not forced into a circle
    seals, unread = seals_from_marks(read_marks(photo, get_engine("tesserocr")))
    assert {s.program for s in seals} == {sid}, (seals, [u.text for u in unread])
    assert seals[0].kind == "third-party" and not unread


def test_a_self_claim_badge_photographed_at_an_angle_is_read_but_is_no_seal(gen):
    photo = phone_photo(label_with_mark(gen, "gmp-quality", "ring"))
    seals, unread = seals_from_marks(read_marks(photo, get_engine("tesserocr")))
    assert {s.kind for s in seals} == {"self-claim"}, seals
    assert not unread


def test_a_photographed_label_without_a_round_mark_gives_no_mark(gen):
    photo = phone_photo(label_with_mark(gen, None), blur=1.0)
    assert read_marks(photo, get_engine("tesserocr")) == []


@pytest.mark.xfail(strict=True, reason="known limit: the ellipse fitted to the inner ring sits a few px off "
                   "centre, so the concentric search misses the outer ring and the band is taken inside it")
def test_an_elliptical_ring_is_measured_and_turned_square_on():
    image = np.full((900, 1200), 235, np.uint8)
    for axes in ((200, 180), (130, 117)):  # a ring seen tilted: minor / major 0.9, major axis at 30 degrees
        cv2.ellipse(image, (600, 450), axes, 30, 0, 360, 40, 6)
    rings = find_rings(cv2.GaussianBlur(image, (0, 0), 1.5))
    assert len(rings) == 1
    ring = rings[0]
    assert abs(ring.ratio - 0.9) < 0.03 and abs(ring.outer - 200) < 8 and abs(ring.inner - 130) < 8
    assert abs(np.degrees(ring.angle) % 180 - 30) < 6
    patch, square = rectified(image, ring)
    again = find_rings(patch)
    assert len(again) == 1 and again[0].ratio > 0.97  # a circle once turned square-on
