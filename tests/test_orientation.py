"""Sideways and upside-down label images are turned upright before OCR, with real OCR."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from labelscan import ScanOptions, load_rules, scan_many

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


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
    annotated = Image.open(tmp_path / "annotated" / f"turned-{turn}.annotated.png")
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
