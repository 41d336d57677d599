"""Bottle photos: the curved text lines of a label wrapped round a cylinder are traced, a cylinder is fitted to
them and the label is flattened so tesseract can read it; flat labels and scans are left alone."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from PIL import Image
from rapidfuzz import fuzz

from labelscan.ocr import get_engine
from labelscan.ocr.reader import read_image
from labelscan.vision.cylinder import MIN_GAIN, fit_cylinder, flatten_cylinder

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
DATA = Path(__file__).resolve().parent / "data"
FOUND = 90


@pytest.fixture(scope="module")
def bottle(gen):
    """A label wrapped round a bottle seen from 12° above: (photo, the panel's first row name, where the panel is
    in the photo)."""
    product, design, canvas = gen.build("compliant-as", "cylinder-test", 1,
                                        {"layout": "front-left", "dark": False, "panel_style": "standard"})
    ctx = dict(gen.condition_context(canvas, design),
               overrides={"pitch_deg": 12.0, "long_side": 2200, "jpeg_quality": 85})
    photo, info = gen.CONDITIONS["bottle"](canvas.img, random.Random(1), ctx)
    return photo, product["truth"]["expected"]["rows"][0]["name"], info["bbox_photo"]["panel"]


@pytest.fixture(scope="module")
def flattened(bottle):
    result = flatten_cylinder(bottle[0])
    assert result is not None
    return result


def test_flattened_bottle_reads_the_panel_row_the_photo_hides(bottle, flattened):
    photo, row, panel = bottle
    engine = get_engine("tesserocr")
    before = read_image(photo, engine).text
    assert fuzz.partial_ratio(row, before) < FOUND  # the curved lines defeat tesseract
    page = read_image(flattened[0], engine)
    assert fuzz.partial_ratio(row, page.text) >= FOUND, page.text
    assert fuzz.partial_ratio("Supplement Facts", page.text) >= FOUND, page.text
    # a word read in the flattened image maps back into the panel in the photo
    x, y, w, h = next(word.bbox for word in page.words if word.text.startswith("Supplement"))
    px, py = flattened[1].photo_point(x + w / 2, y + h / 2)
    assert panel[0] <= px <= panel[0] + panel[2] and panel[1] <= py <= panel[1] + panel[3]


def test_the_fit_explains_the_curve(bottle, flattened):
    photo = bottle[0]
    fit = flattened[1]
    assert fit.gain >= MIN_GAIN and fit.bow > 0
    assert 0 < fit.axis_x < photo.width and fit.radius < photo.width  # the bottle's axis and size are in view
    assert flattened[0].mode == photo.mode


def test_a_flattened_label_is_not_flattened_again(flattened):
    """Once flattened, the text lines are straight: the flat image gives no evidence of a curve."""
    assert flatten_cylinder(flattened[0]) is None


@pytest.mark.parametrize("name", ["compliant-01.png", "fail-combo-01.png", "photos/compliant-01-photo.jpg",
                                  "photos/fail-threonate-magtein-01-photo.jpg", "photos/compliant-02-sideways.jpg"])
def test_flat_labels_are_left_alone(name):
    image = Image.open(SAMPLES / name)
    assert flatten_cylinder(image) is None
    fit = fit_cylinder(image)
    assert fit is not None and fit.gain < MIN_GAIN


def test_committed_bottle_photos_are_flattened():
    for path in sorted((SAMPLES / "photos").glob("*-bottle.jpg")):
        assert flatten_cylinder(Image.open(path)) is not None, path.name


def test_no_text_lines_no_fit():
    assert fit_cylinder(Image.new("RGB", (800, 600), "white")) is None
    assert flatten_cylinder(Image.new("L", (800, 600), 255)) is None


def test_a_bottle_whose_wood_grain_outnumbers_its_print_is_flattened_from_the_print_alone():
    """Some 130 grain streaks beside the bottle against about 25 lines of print: no cylinder held them all, even
    pruned (gain 1.1), so the label was read flat and its seal, round the side, was a confident "no seal". The
    print stands out from its paper (ink ~100-200 levels darker) far more than the grain (~10-50): fitted on its
    own it shows the bottle. (Half-size copy of a photo from the second author's generator, seed 15.)"""
    photo = Image.open(DATA / "bottle-grain-outnumbers-print.jpg")
    result = flatten_cylinder(photo)
    assert result is not None
    _, fit = result
    assert fit.gain >= MIN_GAIN and 0.4 * photo.width < fit.axis_x < 0.6 * photo.width
    assert 0.3 * photo.width < fit.radius < 0.5 * photo.width  # the bottle is about 0.6 of the photo wide


def test_a_bottle_photo_read_flattened_leaves_the_seal_round_the_side_unknown():
    from labelscan import ScanOptions, load_rules, scan_many

    options = ScanOptions(packs=load_rules(["magnesium-l-threonate"]))
    result = next(scan_many([DATA / "bottle-grain-outnumbers-print.jpg"], options))
    status = {f.id: f.status for f in result.findings}
    assert result.label is not None and result.label.partly_in_view
    assert status["third-party-seal"] == "unknown"  # its seal is printed round the side, out of view
    assert status["elemental-magnesium-stated"] == "fail"  # only "Magnesium L-Threonate 1,000 mg" is printed
    assert status["threonate-named"] == "pass"


def test_a_narrow_bottle_on_wood_grain_is_flattened():
    """The grain beside a narrow bottle traces many straight 'lines' that no cylinder bends: fitted with them,
    straight lines looked the better fit (gain 1.5) and the label went unread. (Half-size crop of a generated
    photo: a 70 mm bottle seen from 9° below, on wood.)"""
    photo = Image.open(DATA / "bottle-on-wood.jpg")
    result = flatten_cylinder(photo)
    assert result is not None
    flat, fit = result
    assert fit.gain >= MIN_GAIN and 0.3 * photo.width < fit.axis_x < 0.6 * photo.width
    text = read_image(flat, get_engine("tesserocr")).text
    for wanted in ("Serving Size 4 Vegetarian Capsules", "Magnesium (as brain magnesium)",
                   "Vitamin D3 (as cholecalciferol) 25 mcg"):
        assert fuzz.partial_ratio(wanted, text) >= FOUND, text


def test_a_bottle_seen_level_with_its_label_is_flattened():
    """Photographed level with the middle of its label, a bottle's text lines bend only near the label's top and
    bottom: the first, coarse fit explained them 2.9 times better than straight lines, under the bar of 3, and
    the label was read flat; its seal, round the back, was a confident "no seal" (seed 20). Flat photos give at
    most 1.9 (360 photos of seeds 11-19), so the bar is 2.4. (The photo at the size its lines are traced at.)"""
    photo = Image.open(DATA / "bottle-seen-level.jpg")
    result = flatten_cylinder(photo)
    assert result is not None
    _, fit = result
    assert fit.gain >= MIN_GAIN and 0.4 * photo.width < fit.axis_x < 0.6 * photo.width


def test_a_weak_curve_of_every_line_gives_way_to_the_clearer_curve_of_the_print():
    """Seed 15 bottle 17 (after its shake is undone): every traced line together fits a cylinder 2.6 times
    better than straight lines, the lines of print alone 4.5 times. With the bar for a curve at 2.4 the weak
    fit was taken as it was, its radius two thirds of the bottle's; the unrolled label lost its left edge, and
    "Magnesium (as magnesium L-threonate)" read "amesium (as mmesium reonate)": a confident "not named". Under
    3 times, the print's own fit is tried and the clearer curve is taken."""
    from labelscan import ScanOptions, load_rules, scan_many

    options = ScanOptions(packs=load_rules(["magnesium-l-threonate"]))
    result = next(scan_many([DATA / "bottle-print-fit-clearer.jpg"], options))
    status = {f.id: f.status for f in result.findings}
    assert result.label is not None and result.label.partly_in_view
    assert status["threonate-named"] == "pass" and status["elemental-magnesium-stated"] == "pass"


def test_wavy_wood_beside_a_flat_label_is_no_bottle():
    """A flat label on wood whose grain waves: a narrow cylinder at the photo's left edge fitted the grain
    (gain 5), the label's print outside it, and the 'flattened' image was a strip of wood and seals with no
    panel in it (all four checks unknown). The print lies outside that bottle: no flattening."""
    image = Image.open(DATA / "flat-label-on-wavy-wood.jpg")
    assert fit_cylinder(image) is None
    assert flatten_cylinder(image) is None


def test_a_flat_label_photographed_at_an_angle_is_no_bottle():
    """A flat label photographed at an angle, small (seed 42, low resolution): its lines converge on a near
    vanishing point, so lines at the same height, left and right, slope differently. A cylinder at the photo's
    edge fitted that 3.2 times better than straight lines of one slope per height; the label was "flattened",
    its panel row garbled ("SenesiuM (as nesium Mer eonate) 97 meg") and it was taken for a bottle ("a seal may be
    round the back"). Straight lines that slope by where they stand across the label as well fit it as well."""
    from labelscan import ScanOptions, load_rules, scan_many

    image = Image.open(DATA / "flat-label-seen-at-an-angle.jpg")
    assert flatten_cylinder(image) is None
    options = ScanOptions(packs=load_rules(["magnesium-l-threonate"]))
    result = next(scan_many([DATA / "flat-label-seen-at-an-angle.jpg"], options))
    assert result.label is not None and not result.label.partly_in_view
    assert result.verdict == "pass", [(f.id, f.status, f.message) for f in result.findings]
