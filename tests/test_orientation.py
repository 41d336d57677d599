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
