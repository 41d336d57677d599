"""Sideways and upside-down label images are turned upright before OCR, with real OCR."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from labelscan import ScanOptions, load_rules, scan_many
from labelscan.ocr import get_engine
from labelscan.ocr.reader import read_image
from labelscan.vision.orient import detect_rotation, text_lines, upright

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.fixture(scope="module")
def engine():  # type: ignore[no-untyped-def]
    return get_engine("tesserocr")


@pytest.fixture(scope="module")
def label(gen):  # type: ignore[no-untyped-def]
    """A generated label artwork (the flat scan) and what the photo conditions need to follow its regions."""
    _, design, canvas = gen.build("compliant-as", "orient-test", 11, {"layout": "front-left"})
    return canvas, gen.condition_context(canvas, design)


def photograph(gen, label, condition: str, seed: int, **overrides: object):  # type: ignore[no-untyped-def]
    """(image, info) of the label photographed under `condition`, with some of its parameters pinned."""
    canvas, ctx = label
    return gen.CONDITIONS[condition](canvas.img, random.Random(seed), dict(ctx, overrides=overrides))


@pytest.mark.parametrize("turn", [90, 270])
def test_sideways_photo_is_turned_upright(gen, label, engine, turn) -> None:  # type: ignore[no-untyped-def]
    photo, info = photograph(gen, label, "sideways", 1, turn_deg=turn, background="wood")
    assert text_lines(np.asarray(photo.convert("L"))).axis == 90  # its lines run up or down
    degrees = detect_rotation(photo, engine)
    assert degrees == (360 - turn) % 360  # turn_deg: how far the photo was turned clockwise
    # the sign is right: the panel, turned as upright() turns the photo, reads
    x, y, w, h = info["bbox_photo"]["panel"]
    panel = photo.crop((x, y, x + w, y + h)).rotate(-degrees, expand=True)
    words = {word.text.strip(".,:").lower() for word in read_image(panel, engine).words}
    assert {"supplement", "facts", "serving"} <= words


def test_upside_down_photo_is_turned_over(gen, label, engine) -> None:  # type: ignore[no-untyped-def]
    photo, _ = photograph(gen, label, "sideways", 2, turn_deg=180, background="fabric")
    assert text_lines(np.asarray(photo.convert("L"))).axis == 0
    assert detect_rotation(photo, engine) == 180


@pytest.mark.parametrize("condition", ["scan", "photo", "lowres"])
def test_upright_label_is_left_alone(gen, label, engine, condition) -> None:  # type: ignore[no-untyped-def]
    # the photo lies on wood, whose grain makes rows of glyph-like blobs: they must not pass for text lines
    image = label[0].img if condition == "scan" else photograph(gen, label, condition, 3, background="wood")[0]
    assert text_lines(np.asarray(image.convert("L"))).axis == 0
    image_out, degrees = upright(image, engine)
    assert degrees == 0 and image_out is image


def test_image_without_text_is_left_alone(engine) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(0)
    noise = Image.fromarray((128 + 40 * rng.standard_normal((600, 800))).clip(0, 255).astype(np.uint8))
    assert detect_rotation(noise, engine) == 0
    assert detect_rotation(Image.new("RGB", (300, 200), "white"), engine) == 0


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_turned_label_is_read_upright(tmp_path, turn):
    path = tmp_path / f"turned-{turn}.png"
    Image.open(SAMPLES / "compliant-01.png").rotate(turn, expand=True).save(path)
    options = ScanOptions(packs=load_rules(["magnesium-l-threonate"]), annotate_dir=tmp_path / "annotated")
    result = next(scan_many([path], options))
    assert result.label.pages[0].orientation == turn
    statuses = {f.id: f.status for f in result.findings}
    assert statuses["threonate-named"] == "pass"
    assert statuses["elemental-magnesium-stated"] == "pass"
    # the first page's picture (a square-on reading of the panel may add a page, annotated on its own)
    annotated = Image.open(sorted((tmp_path / "annotated").glob(f"turned-{turn}*.annotated.png"))[0])
    original = Image.open(SAMPLES / "compliant-01.png")
    assert annotated.size == original.size  # drawn on the upright image the boxes refer to


@pytest.mark.parametrize("tilt", [-12, 5])
def test_tilted_label_is_levelled_before_the_panel_is_read(tmp_path, tilt):
    path = tmp_path / f"tilted{tilt}.jpg"
    Image.open(SAMPLES / "fail-blend-proprietary-01.png").convert("RGB").rotate(
        tilt, expand=True, fillcolor=(190, 180, 170)).save(path, quality=90)
    result = next(scan_many([path], ScanOptions(packs=load_rules(["magnesium-l-threonate"]))))
    statuses = {f.id: f.status for f in result.findings}
    assert statuses["no-proprietary-blend"] == "fail"
    assert any(r.blend and r.quantity and r.quantity.amount == 2100 for r in result.label.panel.rows)
