"""Photographic capture conditions of the sample generator (samples/gen/conditions.py)."""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
PHOTO_CONDITIONS = ("photo", "bottle", "sideways", "lowres")




@pytest.fixture(scope="module")
def one_set(gen, tmp_path_factory):
    out = tmp_path_factory.mktemp("conds")
    gen.make_set(str(out), 1, seed=3, conditions=("scan",) + PHOTO_CONDITIONS)
    return out


@pytest.fixture(scope="module")
def label(gen):
    product, design, canvas = gen.build("compliant-as", "cond-test", 4, {"layout": "front-left"})
    return canvas, gen.condition_context(canvas, design)


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_same_seed_same_bytes(gen, one_set, tmp_path):
    gen.make_set(str(tmp_path), 1, seed=3, conditions=("scan",) + PHOTO_CONDITIONS)
    assert _digest(tmp_path) == _digest(one_set)


def test_json_names_condition_and_params(one_set):
    scan = json.loads(next(one_set.glob("*-001.json")).read_text())
    assert scan["condition"] == "scan" and "condition_params" not in scan
    for cond in PHOTO_CONDITIONS:
        [img] = list(one_set.glob(f"*-{cond}.jpg"))
        t = json.loads(img.with_suffix(".json").read_text())
        assert t["condition"] == cond and t["file"] == img.name and t["format"] == "jpg"
        p = t["condition_params"]
        assert p["size"] == list(Image.open(img).size) == [t["design"]["width"], t["design"]["height"]]
        assert 60 <= p["jpeg_quality"] <= 92
        assert {"blur", "noise", "light", "background"} <= set(p)
        assert "panel" in t["visible"] and t["design"]["panel_bbox_photo"]
        # the label's words did not change; only how it looks
        assert t["expected"]["rows"] == scan["expected"]["rows"]
        if not t["hidden"] and not t["occluded"]:
            assert t["checks"] == scan["checks"] and t["verdict"] == scan["verdict"]
        for c, ok in t["checks_acceptable"].items():
            assert t["checks"][c] in ok
            if scan["checks"][c] == "fail":
                assert "pass" not in ok
    photo = json.loads(next(one_set.glob("*-photo.json")).read_text())["condition_params"]
    assert 2000 <= max(photo["size"]) <= 3000 and abs(photo["rotation_deg"]) <= 8 and photo["tilt_deg"] <= 20
    bottle = json.loads(next(one_set.glob("*-bottle.json")).read_text())["condition_params"]
    assert bottle["diameter_mm"] > 0 and bottle["pitch_deg"] != 0


def test_sideways_swaps_aspect(gen, label):
    canvas, ctx = label
    conds = gen.CONDITIONS
    for turn in (90, 270):
        img, info = conds["sideways"](canvas.img, random.Random(1), dict(ctx, overrides={"turn_deg": turn}))
        w, h = img.size
        assert (w > h) != (canvas.w > canvas.h), (turn, img.size)
        assert info["params"]["turn_deg"] == turn
        # the panel box followed the turn: it is taller than wide now, like the label
        x, y, bw, bh = info["bbox_photo"]["panel"]
        pw, ph = ctx["regions"]["panel"][2:]
        assert (bh > bw) == (pw > ph)
        assert 0 <= x and x + bw <= w and 0 <= y and y + bh <= h


def test_lowres_long_side(gen, label):
    canvas, ctx = label
    img, info = gen.CONDITIONS["lowres"](canvas.img, random.Random(2), ctx)
    assert 950 <= max(img.size) <= 1050
    assert 6.5 <= info["params"]["x_height_px"] <= 10.5


def test_bottle_differs_from_scan_at_the_sides(gen):
    """Vertical stripes at a fixed pitch: in the middle of the bottle they keep the scan's spacing
    (times the photo scale); toward the sides the cylinder squeezes them together."""
    w, h, pitch = 2400, 1200, 48
    a = np.full((h, w, 3), 255, np.uint8)
    for x in range(0, w, pitch):
        a[:, x:x + 8] = 0
    ctx = {"regions": {"panel": [700, 100, 1000, 1000]}, "body_px": 40,
           "overrides": {"diameter_mm": 150, "pitch_deg": 5.0, "light_min": 1.0}}
    img, info = gen.CONDITIONS["bottle"](Image.fromarray(a), random.Random(3), ctx)
    grey = np.asarray(img.convert("L"), np.float32)
    x0, y0, bw, bh = info["bbox_photo"]["panel"]
    row = grey[y0 + bh // 2 - 2:y0 + bh // 2 + 3].mean(0)
    lx, _, lw, _ = info["bbox_photo"]["label"]
    dark = row[lx:lx + lw] < 0.5 * np.percentile(row[lx:lx + lw], 90)
    edges = np.flatnonzero(np.diff(dark.astype(int)) == 1)
    gaps = np.diff(edges)
    assert len(gaps) > 20
    n = len(gaps)
    middle = np.median(gaps[n // 2 - 3:n // 2 + 3])
    sides = min(np.median(gaps[:4]), np.median(gaps[-4:]))
    scale = info["params"]["scale"]
    assert abs(middle - pitch * scale) <= 0.15 * pitch * scale
    assert sides < 0.7 * middle


def _ocr(img: Image.Image) -> str:
    img = img.convert("L")
    img.thumbnail((1800, 1800))
    try:
        import tesserocr

        return tesserocr.image_to_text(img)
    except Exception:  # pragma: no cover - fall back to the executable
        exe = shutil.which("tesseract")
        if not exe:
            pytest.skip("no tesseract")
        import tempfile

        with tempfile.NamedTemporaryFile(suffix=".png") as fh:
            img.save(fh.name)
            return subprocess.run([exe, fh.name, "stdout"], capture_output=True, text=True).stdout


def test_clean_photo_is_readable(gen, label):
    canvas, ctx = label
    ov = {"glare": False, "tilt_deg": 6.0, "rotation_deg": 3.0, "blur_sigma": 0.6, "light_min": 0.85,
          "jpeg_quality": 85, "long_side": 2400}
    img, info = gen.CONDITIONS["photo"](canvas.img, random.Random(5), dict(ctx, overrides=ov))
    assert info["params"]["glare"] is None and info["occluded"] == []
    x, y, w, h = info["bbox_photo"]["panel"]
    text = _ocr(img.crop((x, y, x + w, y + h)))
    assert "supplement facts" in " ".join(text.lower().split()), text[:300]


def test_truth_follows_what_is_visible(gen):
    """A seal turned away on the bottle makes a passing seal check "unknown"; a washed-out panel makes
    "unknown" acceptable for the panel checks but never "pass" for a failing one."""
    base = {"checks": {"threonate-named": "fail", "elemental-magnesium-stated": "pass",
                       "no-proprietary-blend": "pass", "third-party-seal": "pass"}, "verdict": "fail",
            "expected": {"seals": [{"program": "usp-verified", "kind": "third-party"}], "self_claim_marks": []},
            "design": {}}
    t = gen.photo_truth(json.loads(json.dumps(base)), {"params": {}, "hidden": ["seal:usp-verified"],
                                                       "visible": ["panel"], "label_whole_in_view": False})
    assert t["checks"]["third-party-seal"] == "unknown" and t["label_checks"]["third-party-seal"] == "pass"
    assert t["verdict"] == "fail" and t["label_verdict"] == "fail"
    t = gen.photo_truth(json.loads(json.dumps(base)), {"params": {}, "occluded": ["panel"],
                                                       "visible": ["panel", "seal:usp-verified"]})
    assert t["checks"] == base["checks"]
    assert t["checks_acceptable"]["threonate-named"] == ["fail", "unknown"]
    assert t["checks_acceptable"]["third-party-seal"] == ["pass"]


def test_washout_glare_is_recorded(gen, label):
    canvas, ctx = label
    img, info = gen.CONDITIONS["photo"](canvas.img, random.Random(6),
                                        dict(ctx, overrides={"glare": True, "washout": True}))
    g = info["params"]["glare"]
    assert g["kind"] == "washout" and g["bbox"]
    assert g["overlaps_panel"] == ("panel" in g["overlaps"])
    assert set(info["occluded"]) <= set(g["overlaps"])
