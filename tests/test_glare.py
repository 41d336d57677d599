"""Specular glare on real images: a washed-out blob is found, white paper is not; checks that would fail on an
absence under glare say 'unknown', and positive evidence read elsewhere still fails."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from labelscan.audit.work import page_from_dict, page_to_dict
from labelscan.checks import evaluate, load_rules
from labelscan.model import BBox
from labelscan.vision.glare import glare_regions
from tests.helpers import label, row

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
PACK = load_rules(["magnesium-l-threonate"])
SEAL = "NSF\nCERTIFIED FOR SPORT"


def _overlap(a: BBox, b: BBox) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def photographed(scan: Image.Image, seed: int = 3) -> np.ndarray:
    """A scan made to look photographed: paper at about 225 with a light gradient, sensor noise."""
    rng = np.random.default_rng(seed)
    img = np.asarray(scan.convert("RGB")).astype(np.float32)
    h, w = img.shape[:2]
    light = np.linspace(0.84, 0.92, w, dtype=np.float32)[None, :, None]
    img = img * light + rng.normal(0, 2.5, img.shape).astype(np.float32)
    return img


def with_glare(img: np.ndarray, centre: tuple[float, float], axes: tuple[float, float]) -> Image.Image:
    """A specular reflection: a clipped white ellipse fading into the picture round it."""
    h, w = img.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    r = np.sqrt(((xx - centre[0]) / axes[0]) ** 2 + ((yy - centre[1]) / axes[1]) ** 2)
    mix = np.clip(1.0 - np.maximum(0, r - 1.0) / 0.8, 0, 1) ** 2
    out = img + (255.0 - img) * mix[..., None]
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))


def panel_box(name: str) -> BBox:
    return tuple(json.loads((SAMPLES / f"{name}.json").read_text())["design"]["panel_bbox"])


def test_a_reflection_on_the_panel_of_a_photographed_label_is_found() -> None:
    scan = Image.open(SAMPLES / "compliant-01.png")
    x, y, w, h = panel_box("compliant-01")
    centre = (x + 0.6 * w, y + 0.55 * h)
    img = with_glare(photographed(scan), centre, (0.05 * scan.width, 0.035 * scan.width))
    found = glare_regions(img)
    assert found, "the washed-out blob was not found"
    assert any(_overlap(box, (int(centre[0]) - 5, int(centre[1]) - 5, 10, 10)) for box in found)
    assert all(_overlap(box, (x, y, w, h)) for box in found)
    # without the reflection the same photographed label has none
    assert glare_regions(Image.fromarray(np.clip(photographed(scan), 0, 255).astype(np.uint8))) == []


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.png")), ids=lambda p: p.name)
def test_clean_scans_with_white_paper_have_no_glare(path: Path) -> None:
    assert glare_regions(Image.open(path)) == []


def test_a_plain_white_page_and_a_white_box_on_tinted_paper_are_not_glare() -> None:
    assert glare_regions(Image.new("RGB", (1600, 1200), (255, 255, 255))) == []
    tinted = np.full((1200, 1600, 3), 228.0, np.float32)
    tinted[400:700, 500:900] = 254.0  # a white box printed on the label: as bright as glare, but with sharp edges
    tinted += np.random.default_rng(1).normal(0, 1.0, tinted.shape)
    assert glare_regions(Image.fromarray(np.clip(tinted, 0, 255).astype(np.uint8))) == []


def test_the_white_margins_of_a_small_label_on_a_dark_ground_are_not_glare() -> None:
    """A bright, evenly lit label seen small: its blank margins join into a ring round the print, as white and
    flat as glare and brighter than the ground round it, but a frame, not a convex reflection."""
    ground = np.full((988, 741, 3), (120, 100, 80), np.float32)
    label_img = np.full((640, 440, 3), 255.0, np.float32)
    scan = np.asarray(Image.open(SAMPLES / "compliant-01.png").convert("RGB").resize((400, 600)), np.float32)
    label_img[20:620, 20:420] = scan * 0.93  # dense print: its paper, closed over the letters, reads darker
    ground[200:840, 150:590] = label_img
    ground += np.random.default_rng(2).normal(0, 1.5, ground.shape)
    assert glare_regions(Image.fromarray(np.clip(ground, 0, 255).astype(np.uint8))) == []


def test_a_generated_photo_with_a_washout_on_the_panel_is_found_and_one_without_glare_is_not(gen) -> None:
    from gen.conditions import CONDITIONS

    product, design, canvas = gen.build("compliant-as", "glare-test", 5)
    ctx = gen.condition_context(canvas, design)
    pinned = {"light_min": 0.85, "blur_sigma": 0.8}
    img, info = CONDITIONS["photo"](canvas.img, random.Random("glare-test"),
                                    dict(ctx, overrides={**pinned, "glare": True, "washout": True,
                                                         "glare_on_panel": True}))
    truth = info["params"]["glare"]["bbox"]
    assert any(_overlap(box, tuple(truth)) for box in glare_regions(img))
    plain, _ = CONDITIONS["photo"](canvas.img, random.Random("glare-test"),
                                   dict(ctx, overrides={**pinned, "glare": False}))
    assert glare_regions(plain) == []


# ---------------------------------------------------------------- checks under glare

ROWS = [row("Magnesium", 144, dv=34, forms=["magnesium glycinate"])]
PANEL = (0, 0, 400, 300)


def _glared(rows, glare: list[BBox], seals_text: str = SEAL):
    lbl = label(rows, seals_text=seals_text)
    lbl.panel.bbox = PANEL
    lbl.pages[0].glare = glare
    return lbl


def _finding(lbl, check_id: str):
    findings, _ = evaluate(lbl, PACK)
    return next(f for f in findings if f.id == check_id)


def test_a_name_not_found_under_glare_on_the_panel_is_unknown_not_absent() -> None:
    assert _finding(_glared(ROWS, []), "threonate-named").status == "fail"
    f = _finding(_glared(ROWS, [(150, 120, 80, 60)]), "threonate-named")
    assert f.status == "unknown" and "glare" in f.message
    assert any(e.bbox == (150, 120, 80, 60) for e in f.evidence)
    # glare far from the panel does not excuse an absence from it
    assert _finding(_glared(ROWS, [(900, 900, 80, 60)]), "threonate-named").status == "fail"


@pytest.mark.parametrize(("glare", "hides"), [
    ((-50, -40, 40, 35), False),   # off the top-left corner: no row reaches there
    ((410, 310, 60, 40), False),   # off the bottom-right corner (seed 30 photo: a spot by the brand name)
    ((150, -40, 60, 35), True),    # above the words: the panel's first rows
    ((150, 310, 60, 40), True),    # below them: its last rows
    ((410, 120, 50, 40), True),    # beside them: a column of amounts
])
def test_glare_hides_panel_rows_above_below_or_beside_the_words_read_not_off_a_corner(glare, hides) -> None:
    """Seed 30 photo: a glare spot beyond the panel's top-right corner, overlapping the margin round its words
    only there, made 'not named' (the panel names only Magtein) and 'no blend' unknown. No row of the panel
    can lie off a corner of its words: a row lost at the top or bottom spans their width, a lost column their
    height."""
    f = _finding(_glared(ROWS, [glare]), "threonate-named")
    assert f.status == ("unknown" if hides else "fail")


@pytest.mark.parametrize(("glare", "hides"), [
    ((150, -40, 60, 35), False),   # above the title: the panel begins there
    ((150, 310, 60, 40), False),   # below its closing footnote
    ((410, 120, 50, 40), True),    # beside the words: a column of amounts
    ((150, 120, 80, 60), True),    # on them
])
def test_glare_above_a_panels_title_or_below_its_closing_lines_hides_none_of_its_rows(glare, hides) -> None:
    """Seed 32 photo: a soft glare spot above the panel's title (its words read, "Supplement Facts" among them)
    made 'no blend' unknown. A panel begins with its title and ends with its footnotes: where both were read,
    no row of it lies beyond them."""
    from labelscan.model import Evidence

    lbl = _glared(ROWS, [glare])
    lbl.panel.title = Evidence("Supplement Facts", (0, 0, 300, 30), 0.95, 0)
    lbl.panel.dagger_footnote = Evidence("† Daily Value not established.", (0, 270, 300, 30), 0.95, 0)
    assert _finding(lbl, "threonate-named").status == ("unknown" if hides else "fail")


def test_glare_between_a_panels_title_and_its_first_row_read_still_hides_rows() -> None:
    """Rows lost under glare right below the title: the panel's words read begin lower, and the title bounds
    the margin above them only where it stands. A closing line read beside the panel closes nothing."""
    from labelscan.model import Evidence

    lbl = _glared(ROWS, [(150, 35, 60, 20)])
    lbl.panel.bbox = (0, 60, 400, 240)
    lbl.panel.title = Evidence("Supplement Facts", (0, 0, 300, 30), 0.95, 0)
    assert _finding(lbl, "threonate-named").status == "unknown"
    lbl = _glared(ROWS, [(150, 310, 60, 30)])
    lbl.panel.other_ingredients_evidence = Evidence("Other ingredients: rice flour.", (450, 250, 300, 30), 0.95, 0)
    assert _finding(lbl, "threonate-named").status == "unknown"


def test_an_elemental_amount_not_found_under_glare_is_unknown() -> None:
    rows = [row("Magnesium L-Threonate", 2000, forms=[])]
    assert _finding(_glared(rows, []), "elemental-magnesium-stated").status == "fail"
    f = _finding(_glared(rows, [(150, 120, 80, 60)]), "elemental-magnesium-stated")
    assert f.status == "unknown" and "glare" in f.message


def test_a_blend_read_in_full_still_fails_under_glare_and_no_blend_is_no_pass() -> None:
    blend = row("Cognitive Matrix", 2100, blend=True, components=["Magnesium L-threonate", "Taurine"])
    f = _finding(_glared([blend], [(150, 120, 80, 60)]), "no-proprietary-blend")
    assert f.status == "fail" and "Cognitive Matrix" in f.message
    plain = [row("Magnesium", 144, dv=34, forms=["magnesium L-threonate"])]
    assert _finding(_glared(plain, []), "no-proprietary-blend").status == "pass"
    f = _finding(_glared(plain, [(150, 120, 80, 60)]), "no-proprietary-blend")
    assert f.status == "unknown" and "glare" in f.message


def test_a_name_read_under_glare_elsewhere_still_passes() -> None:
    plain = [row("Magnesium", 144, dv=34, forms=["magnesium L-threonate"])]
    assert _finding(_glared(plain, [(150, 120, 80, 60)]), "threonate-named").status == "pass"


def test_no_seal_with_glare_off_the_panel_is_unknown_but_glare_inside_the_panel_hides_no_seal() -> None:
    plain = [row("Magnesium", 144, dv=34, forms=["magnesium L-threonate"])]
    assert _finding(_glared(plain, [], seals_text=""), "third-party-seal").status == "fail"
    f = _finding(_glared(plain, [(600, 50, 120, 120)], seals_text="Made in a cGMP facility"), "third-party-seal")
    assert f.status == "unknown" and "glare" in f.message and "cGMP" in f.message
    assert _finding(_glared(plain, [(150, 120, 80, 60)], seals_text=""), "third-party-seal").status == "fail"
    assert _finding(_glared(plain, [(600, 50, 120, 120)]), "third-party-seal").status == "pass"


def test_glare_is_kept_by_the_audit_store() -> None:
    lbl = _glared(ROWS, [(150, 120, 80, 60)])
    lbl.pages[0].panel_view = True
    back = page_from_dict(json.loads(json.dumps(page_to_dict(lbl.pages[0]))))
    assert back.glare == [(150, 120, 80, 60)] and back.panel_view
    assert page_from_dict({k: v for k, v in page_to_dict(lbl.pages[0]).items() if k != "glare"}).glare == []
