"""Seals by their shape: rings found where the samples drew them (also tilted, blurred photos), arc text read, real OCR."""

from __future__ import annotations

import json
import random
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from labelscan.ocr import get_engine
from labelscan.seal_shapes import MarkReading, merge_seals, read_marks, seals_from_marks
from labelscan.model import OcrPage, Seal
from labelscan.seals import find_seals
from labelscan.vision import seal_rings
from labelscan.vision.seal_rings import find_rings, rectified
from tests.helpers_photos import phone_photo

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


def test_an_elliptical_ring_is_measured_and_turned_square_on():
    """Two rings seen tilted: the ellipse first fitted to the inner ring sits a few px off centre, so the concentric
    search misses the outer one; the outer ring, tried as the mark's rim, replaces it."""
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


@pytest.mark.parametrize("radius", [30, 90, 101, 160, 280])
def test_the_classic_search_finds_small_and_large_circles_where_they_are(radius):
    """Circles larger than LARGE_RADIUS are sought on a half-size copy: found there, they are given back in the
    search copy's pixels, centre and radius within a few pixels (as Hough places circles on the copy itself)."""
    image = np.full((900, 800), 230, np.uint8)
    cv2.circle(image, (400, 450), radius, 40, 4)
    blur, _ = seal_rings._edges(image)
    circles = seal_rings._classic(blur, 17, 400)
    best = min(circles, key=lambda c: np.hypot(c[0] - 400, c[1] - 450) + abs(c[2] - radius))
    assert np.hypot(best[0] - 400, best[1] - 450) <= 4 and abs(best[2] - radius) <= 4  # as on the copy itself


def disc_seal(size: int = 600, radius: int = 100) -> np.ndarray:
    """A dark disc with a thin light inner ring and light 'letters' round its band, seen slightly tilted."""
    image = np.full((size, size), 225, np.uint8)
    c = size // 2
    cv2.circle(image, (c, c), radius, 60, -1)
    cv2.circle(image, (c, c), int(radius * 0.68), 225, 2)
    for angle in np.linspace(0, 2 * np.pi, 28, endpoint=False):
        if abs(angle - np.pi / 2) < 0.5 or abs(angle - 3 * np.pi / 2) < 0.5:
            continue  # the gaps between the upper and lower arc text
        x, y = c + 0.84 * radius * np.cos(angle), c + 0.84 * radius * np.sin(angle)
        cv2.rectangle(image, (int(x - 5), int(y - 7)), (int(x + 5), int(y + 7)), 225, -1)
    src = np.float32([[0, 0], [size, 0], [size, size], [0, size]])
    dst = np.float32([[30, 20], [size - 10, 0], [size, size], [0, size - 10]])
    warped = cv2.warpPerspective(image, cv2.getPerspectiveTransform(src, dst), (size, size), borderValue=225)
    return cv2.GaussianBlur(warped, (0, 0), 1.2)


@pytest.mark.parametrize(("dx", "dy", "scale"), [(4, -3, 0.94), (-3, 4, 0.95), (5, 2, 0.93), (-4, -4, 0.94),
                                                 (2, 5, 1.06), (0, 0, 1.0)])
def test_a_ring_sought_from_a_centre_a_few_px_off_is_fitted_onto_it(dx, dy, scale):
    """Hough's centre for a tilted disc may lie a few px off; the fit, repeated from its own centre, converges."""
    image = disc_seal()
    _, edges = seal_rings._edges(image)
    lines = cv2.morphologyEx(edges, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (7, 7)))
    (ring,) = find_rings(image)
    shape, support = seal_rings._best_outline(edges, lines, ring.cx + dx, ring.cy + dy, ring.outer * scale)
    assert support >= seal_rings.MIN_SUPPORT
    assert np.hypot(shape[0] - ring.cx, shape[1] - ring.cy) < 2 and abs(shape[2] - ring.outer) < 3


def ring_reading(words: list[str], confidence: float, ink: float, letters: int = 0, band_px: float = 38.0) -> MarkReading:
    """A ring 200 px across (its text band 38 px wide unless given) read as `words`."""
    return MarkReading((100, 100, 200, 200), list(words), [confidence] * len(words), ink=ink, letters=letters,
                       band_px=band_px)


@pytest.mark.parametrize("words", [[], ["an", "SF)", "-", "EE"]])
def test_a_ring_whose_band_holds_letters_none_read_as_a_word_is_unread(words):
    """A blurred seal's arc gives nothing or fragments: that is no evidence of 'no seal', so it must be looked at."""
    assert len(seals_from_marks([ring_reading(words, 0.5, ink=0.2, letters=11)])[1]) == 1


def test_a_ring_misread_with_confidence_is_still_unread():
    """Bold arc letters come out as confident nonsense ("CONSIIMFRI" for ConsumerLab): no proof of 'no seal'."""
    assert len(seals_from_marks([ring_reading(["CONSIIMFRI", "UVALIIY", "COM"], 0.85, ink=0.3, letters=30)])[1]) == 1


@pytest.mark.parametrize(("words", "program"), [
    (["CONTENTS", "NSF"], "nsf-contents-certified"),
    (["Gan", "CONTENYS", "173", "NSF"], "nsf-contents-certified"),
    (["DIETARY", "SUPPLEMENT", "VERIFIED", "(use"], "usp-verified"),
    (["CONSIIMERLAB.COM", "WOO", "arity"], "consumerlab-approved"),
    (["©", "DRUG", "FREE", "|", "FINI", "SFT", "BANNED", "SUBSTANCES"], "bscg-certified-drug-free"),
    (["PHODUCTS", "ASSOMATION", "SLINGONd", "GMP", "CERTIFIED"], "npa-gmp"),
])
def test_a_mark_whose_arc_was_half_read_is_named_by_its_own_words(words, program):
    """Inside one round mark, part of its words name it ("NSF" with "Contents"); the same words in running
    text do not (a label says "Contents: 60 capsules" near a maker's "NSF" claim)."""
    seals, unread = seals_from_marks([ring_reading(words, 0.8, ink=0.2, letters=30)])
    assert [s.program for s in seals] == [program] and not unread
    assert not [s for s in find_seals([OcrPage.from_text(" ".join(words))]) if s.kind != "self-claim"]


@pytest.mark.parametrize(("words", "program"), [
    (["e", "LHIKD-PARTY", "TESTED"], "third-party-tested"),
    (["MANUFACTURED", "IN", "QIUNLIVINNVW", "CACILITY", "FDA"], "fda-registered-facility"),
    (["e", "MADE", "INA", "ALIMNDVA", "FACILITY", "G", "MP"], "made-in-cgmp-facility"),
])
def test_a_self_claim_drawn_as_a_ring_and_half_read_is_named_by_its_own_words(words, program):
    """A maker's claim set round a ring ("THIRD-PARTY TESTED", "MANUFACTURED IN AN FDA REGISTERED FACILITY")
    with its first word misread is still that claim, not an unread mark; in running text the same words are
    too weak to name it."""
    seals, unread = seals_from_marks([ring_reading(words, 0.8, ink=0.2, letters=30)])
    assert [(s.program, s.kind) for s in seals] == [(program, "self-claim")] and not unread
    assert not find_seals([OcrPage.from_text(" ".join(words))])


@pytest.mark.parametrize("words", [["Formulated", "to", "meet", "USP", "standards"], ["USP", "DIETARY", "SUPPLEMENT"],
                                   ["NSF"], ["APPROVED", "QUALITY"]])
def test_a_mark_read_only_as_a_claim_or_a_bare_name_is_no_seal(words):
    assert not [s for s in seals_from_marks([ring_reading(words, 0.8, ink=0.2, letters=30)])[0]
                if s.kind != "self-claim"]


@pytest.mark.parametrize(("ink", "letters"), [(0.01, 0), (0.12, 4), (0.12, 6), (0.5, 1)])
def test_a_plain_circle_or_a_logo_with_a_few_shapes_is_not_unread(ink, letters):
    assert seals_from_marks([ring_reading([], 0.5, ink=ink, letters=letters)]) == ([], [])


def test_a_ring_too_small_to_count_its_letters_is_unread_when_its_band_holds_ink():
    """In a small photo a seal's arc letters are a few pixels high and run together: they can be neither read
    nor counted, and that is no evidence of 'no seal'. A plain ring (no ink in the band) is still nothing."""
    assert len(seals_from_marks([ring_reading(["j"], 0.5, ink=0.15, letters=2, band_px=10)])[1]) == 1
    assert seals_from_marks([ring_reading([], 0.5, ink=0.15, letters=2, band_px=20)]) == ([], [])
    assert seals_from_marks([ring_reading([], 0.5, ink=0.01, letters=0, band_px=10)]) == ([], [])


def test_a_small_disc_whose_arc_letters_blur_into_a_grey_band_is_unread():
    """A 73 px disc in a low-resolution photo: its 14 px band is a third ink, but its letters ran together
    (one letter-sized shape) and were read as dashes: no evidence of 'no seal'. A wider band or a fainter one
    is not taken so."""
    noise = ["=", "\u2014", "2", "wt", "wr", "~", "-", "ey", ".", "at", "an", "Aa"]
    assert len(seals_from_marks([ring_reading(noise, 0.6, ink=0.38, letters=1, band_px=14)])[1]) == 1
    assert seals_from_marks([ring_reading(noise, 0.6, ink=0.38, letters=1, band_px=30)]) == ([], [])
    assert seals_from_marks([ring_reading(noise, 0.6, ink=0.15, letters=1, band_px=14)]) == ([], [])


def test_a_logo_circle_on_a_label_is_not_taken_for_an_unread_seal():
    """The samples' brand mark (a disc with a diamond cut out, next to the brand name) is round, but no seal."""
    image = Image.new("RGB", (900, 400), (250, 246, 236))
    draw = ImageDraw.Draw(image)
    draw.ellipse((40, 40, 120, 120), fill=(20, 90, 160))
    draw.polygon([(80, 50), (108, 80), (80, 110), (52, 80)], fill=(250, 246, 236))
    draw.text((140, 55), "ACME LABS", fill=(20, 90, 160), font=ImageFont.truetype(FONT, 48))
    seals, unread = seals_from_marks(read_marks(image, get_engine("tesserocr")))
    assert seals == [] and unread == []


def test_a_dark_disc_on_a_dark_ground_of_another_hue_is_measured_to_its_rim_in_colour():
    """A grey disc on a purple label: in gray its rim vanishes and the inner ring passes for the outline, so
    the arc band is looked for inside it; the colour channels show the rim."""
    purple, grey, white = (58, 22, 70), (40, 40, 40), (255, 255, 255)
    image = np.zeros((700, 700, 3), np.uint8)
    image[:] = purple
    cv2.circle(image, (350, 350), 160, grey, -1)
    cv2.circle(image, (350, 350), 118, white, 3)
    for angle in np.linspace(0, 2 * np.pi, 30, endpoint=False):
        if abs(angle - np.pi / 2) < 0.4 or abs(angle - 3 * np.pi / 2) < 0.4:
            continue  # the gaps between the upper and lower arc text
        x, y = 350 + 140 * np.cos(angle), 350 + 140 * np.sin(angle)
        cv2.rectangle(image, (int(x - 6), int(y - 8)), (int(x + 6), int(y + 8)), white, -1)
    image = cv2.GaussianBlur(image, (0, 0), 1.0)
    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    (alone,) = find_rings(gray)
    assert abs(alone.outer - 118) < 6
    (ring,) = find_rings(gray, colour=image)
    assert abs(ring.outer - 160) < 6 and abs(ring.inner - 118) < 6


def test_a_fit_on_arc_letters_moves_out_to_the_thin_ring_line_round_them():
    """Letters standing round a circle put edges all along it, but their brightness changes run along the
    circle, not across; the outline fitted from just outside them is the ring line, which passes both tests."""
    image = np.full((400, 400), 235, np.uint8)
    cv2.circle(image, (200, 200), 100, 30, 2)
    for angle in np.radians(np.arange(0, 360, 5)):  # radial strokes: the arc letters, 91 px out
        ends = [(int(200 + r * np.cos(angle)), int(200 + r * np.sin(angle))) for r in (84, 98)]
        cv2.line(image, *ends, 30, 3)
    blur, edges = seal_rings._edges(cv2.GaussianBlur(image, (0, 0), 1.0))
    gradient = (cv2.Sobel(blur, cv2.CV_32F, 1, 0), cv2.Sobel(blur, cv2.CV_32F, 0, 1))
    on_letters = (200.0, 200.0, 94.0, 1.0, 0.0)
    assert seal_rings._aligned(gradient, on_letters) < seal_rings.MIN_ALIGNED
    shape, support = seal_rings._ring_line_outside(edges, on_letters)
    assert abs(shape[2] - 100) < 3 and support >= seal_rings.MIN_SUPPORT
    assert seal_rings._aligned(gradient, shape) >= seal_rings.MIN_ALIGNED


def test_a_seal_near_the_edge_of_an_unrolled_label_is_found_only_as_unrolled():
    """A disc seal near the edge of a label unrolled from a bottle photo (a crop of the search copy made from a
    generated bottle photo after labelscan unrolled it): the unrolling leaves it a lopsided ellipse that no fit
    follows all round, so the looser support for unrolled labels finds it and the strict one does not."""
    gray = np.asarray(Image.open(Path(__file__).parent / "data" / "unrolled-bottle-seal.jpg").convert("L"))
    assert find_rings(gray) == []
    (ring,) = find_rings(gray, min_support=seal_rings.UNROLLED_SUPPORT)
    assert abs(ring.cx - 104) < 6 and abs(ring.cy - 136) < 6 and 35 < ring.outer < 50


def test_a_disc_as_bright_as_its_ground_is_found_by_its_colour():
    """A blue seal disc on a purple label of the same brightness: nothing in gray, the disc in saturation."""
    image = Image.new("RGB", (900, 700), (110, 40, 130))
    draw = ImageDraw.Draw(image)
    draw.ellipse((330, 230, 570, 470), fill=(20, 80, 190))
    draw.text((450, 350), "NSF", fill=(250, 250, 250), font=ImageFont.load_default(size=60), anchor="mm")
    gray = np.asarray(image.convert("L"))
    assert abs(int(gray[350, 340]) - int(gray[10, 10])) < 8  # the disc's rim is no step in brightness
    assert find_rings(gray) == []
    (ring,) = find_rings(gray, colour=np.asarray(image))
    assert abs(ring.cx - 450) < 3 and abs(ring.cy - 350) < 3 and abs(ring.outer - 120) < 4


def test_bold_arc_letters_are_read_whole_not_cut_at_their_baseline():
    """A ConsumerLab seal from a generated scan, at its place on a page of the scan's size (so the ring search
    sees it at the scale it did): the bold letters' baseline lines up on edges all round like a ring; taken
    for the band's inner edge it cut the letters in half ("CONSIIMFRI", "UVALIIY")."""
    page = Image.new("RGB", (1436, 2130), (255, 255, 255))
    page.paste(Image.open(Path(__file__).parent / "data" / "bold-arc-seal.png").convert("RGB"), (22, 545))
    seals, unread = seals_from_marks(read_marks(page, get_engine("tesserocr")))
    assert [s.program for s in seals] == ["consumerlab-approved"] and not unread


def test_a_mark_fitted_to_its_arc_letters_is_replaced_by_its_own_rim():
    """A ConsumerLab seal on an unrolled bottle label (the search copy's crop): the best-ranked Hough circle fits
    an outline mixing the arc letters and the inner ring (92 % on edges) whose band cuts through the words; the
    seal's own rim, a ring round it drawn all round, is the mark."""
    gray = np.asarray(Image.open(Path(__file__).parent / "data" / "seal-fit-on-letters.jpg").convert("L"))
    (ring,) = find_rings(gray)
    assert abs(ring.cx - 84) < 3 and abs(ring.cy - 88) < 3 and abs(ring.outer - 51) < 3
    assert ring.support >= seal_rings.SURE_SUPPORT


def test_a_small_ring_inside_a_larger_circle_is_still_proposed():
    """Hough's classic method keeps one circle per centre: over the whole range of radii, a small seal's rim round
    about the centre of a larger, stronger circle is never proposed by it. The alternative method's circles are
    fitted too, and the classic search, split at LARGE_RADIUS, now proposes it as well."""
    from labelscan.vision.seal_rings import _candidates, _edges, _hough

    image = np.full((800, 800), 235, np.uint8)
    cv2.circle(image, (400, 400), 200, 30, 8)
    cv2.circle(image, (405, 398), 30, 30, 3)
    blur, edges = _edges(image)

    def small_ones(circles):
        return [c for c in circles if np.hypot(c[0] - 405, c[1] - 398) < 6 and abs(c[2] - 30) < 5]

    assert not small_ones(_hough(blur, 24, 400))  # the classic method alone, over every radius at once
    circles, order, alternative = _candidates(blur, edges, (24, 24, 400))
    assert small_ones(circles[order]) and any(i in alternative for i in order if small_ones(circles[[i]]))
    assert any(i not in alternative for i in order if small_ones(circles[[i]]))


def test_a_narrow_band_inside_a_rim_also_offers_the_band_out_from_the_next_ring_in():
    """A thin line drawn just inside a seal's rim (at 84 % of its radius) passed for the text band's inner
    edge, cutting across the arc letters; the band from the next ring in (the white centre's edge) is offered
    as well. A band of ordinary width, or one with no ring further in, offers none."""
    from labelscan.vision.seal_rings import _wider_band

    family = [(20.1, 0.96), (26.1, 1.0), (31.1, 0.98)]
    assert _wider_band(family, 26.1, 31.1, scale=0.5) == pytest.approx((40.2, 62.2))
    assert _wider_band(family[:1] + family[2:], 20.1, 31.1, scale=0.5) is None
    assert _wider_band(family[1:], 26.1, 31.1, scale=0.5) is None


@pytest.mark.parametrize(("sid", "style"), [("usp-verified", "ring"), ("nsf-certified-for-sport", "disc")])
def test_a_seal_small_in_a_large_photo_is_found_and_read(gen, sid, style):
    """A label far from the camera: its seal ~115 px across, 5% of the photo's short side (the search copy
    shrinks it to a radius of ~21 px, under 3% of its short side, the least once sought there)."""
    label = label_with_mark(gen, sid, style).resize((450, 330), Image.LANCZOS)
    photo = Image.new("RGB", (2400, 2100), (205, 208, 200))
    photo.paste(label, (900, 800))
    gray = np.asarray(photo.convert("L"))
    seal_box = (900 + 980 * 0.3, 800 + 560 * 0.3, 380 * 0.3, 380 * 0.3)
    assert any(iou(ring.bbox, seal_box) > 0.6 for ring in find_rings(gray, colour=np.asarray(photo)))
    seals, _ = seals_from_marks(read_marks(photo, get_engine("tesserocr")))
    assert sid in {s.program for s in seals}


def test_a_mark_reading_survives_the_audit_store_whole():
    """The audit keeps readings as JSON and judges them later: every field must come back (a reading rebuilt
    from a few of them had put its page into `letters` and lost its shape)."""
    import json

    from labelscan.seal_shapes import MarkReading

    reading = MarkReading((5, 6, 70, 72), ["NSF", "CERTIFIED"], [0.9, 0.6], 0.2, 14, 9.5, 1, "shield", "rapidocr",
                          [("tesseract", "NSF"), ("rapidocr", "NSF")])
    back = MarkReading.from_dict(json.loads(json.dumps(reading.to_dict())), page_offset=2)
    assert back == MarkReading(**{**reading.__dict__, "page": 3})


def test_a_small_tilted_seal_in_a_large_photo_has_its_outline_fitted_again_on_the_photo():
    """A seal 190 px across in a 3000 px photo, seen tilted (minor / major 0.93): the search copy (900 px) holds
    it at a radius of ~29 px, too few to tell the ellipse or place the rim to a pixel; fitted again on the
    photo itself, the outline follows the ellipse, so its arc band is unwrapped square-on."""
    image = np.full((2400, 3000), 232, np.uint8)
    centre, tilt = (1040, 905), np.radians(35)
    cv2.ellipse(image, centre, (96, 89), 35, 0, 360, 30, 5)
    cv2.ellipse(image, centre, (62, 57), 35, 0, 360, 30, 2)
    for angle in np.linspace(0, 2 * np.pi, 18, endpoint=False):  # 'letters' round the band, gaps at the sides
        if abs(angle - np.pi / 2) < 0.5 or abs(angle - 3 * np.pi / 2) < 0.4:
            continue
        u, v = 79 * np.cos(angle), 73 * np.sin(angle)
        x, y = centre[0] + u * np.cos(tilt) - v * np.sin(tilt), centre[1] + u * np.sin(tilt) + v * np.cos(tilt)
        cv2.rectangle(image, (int(x - 3), int(y - 5)), (int(x + 3), int(y + 5)), 40, 2)
    (ring,) = find_rings(cv2.GaussianBlur(image, (0, 0), 1.5))
    assert np.hypot(ring.cx - centre[0], ring.cy - centre[1]) < 1.5
    assert abs(ring.ratio - 89 / 96) < 0.03 and abs(np.degrees(ring.angle) % 180 - 35) < 5
    assert abs(ring.outer - 96) < 5 and ring.inner < 79 - 6  # the band holds the letters whole


def test_a_word_of_the_catalogue_is_not_taken_for_another_it_resembles():
    """A UL mark's arc read as "CERTIFIED DIETARY SUPPLEMENT" (its "UL" lost) matched USP's "dietary supplement
    verified": "certified" is within OCR noise of "verified". A token stands for the catalogue word it resembles
    most, so a mark (or a maker's badge) saying "certified" is never taken for USP Verified; a misread
    "VERIFED" still is "verified"."""
    def mark_page(text: str) -> OcrPage:
        return OcrPage.from_text(text)

    assert find_seals([mark_page("CERTIFIED\nDIETARY\nSUPPLEMENT")], within_mark=True) == []
    assert [s.program for s in find_seals([mark_page("DIETARY\nSUPPLEMENT\nVERIFED")], within_mark=True)] == [
        "usp-verified"]


def test_an_arc_word_whose_end_was_lost_counts_inside_a_mark_only():
    """A USP Verified ring at low resolution (seed 35) read as "VERIF" and "usp": the arc's last letters were
    lost, "VERIF" was too far from "verified" for OCR noise, and the ring was left unread. Inside a mark a
    catalogue word's first five letters or more (and most of it) stand for it; in running text they do not,
    nor do letters that begin two catalogue words, nor a word's first letters too few to tell."""
    def page(text: str) -> OcrPage:
        return OcrPage.from_text(text)

    assert [s.program for s in find_seals([page("VERIF\nusp")], within_mark=True)] == ["usp-verified"]
    assert find_seals([page("VERIF usp")]) == []  # running text
    assert find_seals([page("VER\nusp")], within_mark=True) == []  # too few letters
    assert find_seals([page("CERTIF\nSPORT")], within_mark=True)[0].program == "nsf-certified-for-sport"
    assert find_seals([page("CERTIFIED\nDIETARY\nSUPPLEM")], within_mark=True) == []  # still not "verified"


def test_two_letter_initials_read_unsurely_name_no_certifier():
    """A BSCG ring at low resolution: arc noise read as "UL" (0.46) beside its "certified" made it UL Certified.
    A certifier's two-letter initials count only when read surely; read at 0.9 they still name UL."""
    from labelscan.model import Word

    def mark(confidence: float) -> OcrPage:
        return OcrPage([Word("UL", (40, 10, 30, 20), confidence, 0, 0),
                        Word("certified", (10, 40, 90, 20), 0.68, 0, 1)])

    assert find_seals([mark(0.46)], within_mark=True) == []
    assert [s.program for s in find_seals([mark(0.9)], within_mark=True)] == ["ul-certified"]


def test_a_ring_seen_at_an_angle_proposed_only_by_houghs_alternative_method_is_found():
    """A sideways photo of a flat label at an angle (seed 20): its USP ring is an ellipse that no classic
    Hough circle fits (those round about it take in parts of both its lines), and the alternative method's
    circle, fitted after the classic method's best, got no second try: no mark, and the seal check failed
    with confidence. The alternative method's few circles all get the tries the best classic ones get."""
    from labelscan.pipeline import scan

    result = scan(Path(__file__).parent / "data" / "sideways-tilted-ring.jpg", rules=["magnesium-l-threonate"],
                  engine="tesserocr")
    seal = next(f for f in result.findings if f.id == "third-party-seal")
    assert seal.status == "pass" and "USP" in seal.message, seal.message


@pytest.mark.parametrize("name", ["lowres-ul-seal-37px.jpg", "lowres-ul-seal-49px.jpg"])
def test_a_seal_some_40_px_across_in_a_low_resolution_photo_is_found_by_its_initials(name):
    """Low-resolution photos (seed 21) whose one seal, a UL disc 37 or 49 px across, was under the smallest
    radius sought (3% of the short side) or read (20 px): no mark at all, and a confident "no seal". Smaller
    circles are sought after the others (SMALL_RADIUS) and read from 15 px: the centre's "UL" is read."""
    from labelscan.pipeline import scan

    result = scan(Path(__file__).parent / "data" / name, rules=["magnesium-l-threonate"], engine="tesserocr")
    seal = next(f for f in result.findings if f.id == "third-party-seal")
    assert seal.status == "pass" and "UL" in seal.message, seal.message


@pytest.mark.parametrize("name", ["compliant-01-photo.jpg", "fail-self-claims-only-01-lowres.jpg"])
def test_the_search_for_small_rings_adds_marks_but_never_moves_one(name, monkeypatch):
    """The small circles (SMALL_RADIUS) are fitted after every other one: the marks found without them come
    first, unchanged."""
    gray = np.asarray(Image.open(SAMPLES / "photos" / name).convert("L"))
    with_small = find_rings(gray)
    monkeypatch.setattr(seal_rings, "SMALL_RADIUS", 1.0)
    without = find_rings(gray)
    assert with_small[:len(without)] == without


def test_marks_sought_beside_the_ocr_are_the_marks_sought_after_it():
    """The pipeline seeks the marks on a second thread while the page is OCRed (an audit worker, after it):
    the same marks either way."""
    from labelscan.pipeline import ScanOptions, read_document
    from labelscan.sources import load

    path = SAMPLES / "photos" / "fail-self-claims-only-01-lowres.jpg"
    marks = []
    for beside in (True, False):
        options = ScanOptions(engine_name="tesserocr", marks_beside_ocr=beside)
        marks.append([(m.bbox, m.words) for m in read_document(load(path, options.limits), options, {}).marks])
    assert marks[0] == marks[1] and marks[0]


@pytest.mark.parametrize(("name", "coarse", "centre", "rim", "program"), [
    # a green disc, white arc letters close inside its rim, the centre a tick (seed 22 photo mgt_15)
    ("ring-off-centre-disc.jpg", (207.19, 210.52, 88.56, 73.75, None, False), (197.6, 201.8), 99.5,
     "informed-choice"),
    # a white disc in a blue ring, its arc letters in the ring (seed 22 photo mgt_10)
    ("ring-off-centre-lone.jpg", (256.65, 249.13, 114.73, 71.13, (114.73, 183.57), True), (244.0, 243.0), 132.0,
     "bscg-certified-drug-free"),
    # a red ring round a white disc, the coarse circle between the two (seed 14 sideways mgt_16): the rim,
    # the outermost silhouette, not the disc inside it
    ("ring-between-disc-and-rim.jpg", (139.38, 155.19, 61.51, 38.14, None, False), (150.3, 150.2), 75.2,
     "ul-certified"),
])
def test_a_mark_found_off_centre_in_the_search_copy_is_fitted_again_to_its_silhouette(name, coarse, centre, rim,
                                                                                      program):
    """Seals some 200 px across in 2,000-2,900 px photos, placed ~10 px off centre in the 900 px search copy
    (3 px there); the fit along rays from that centre took arc letters for the rim on one side and did not
    hold, so the strips were unwrapped off centre, their letters waving out of the band, and the marks stayed
    unread. Their silhouettes give the outline; the bands are found again round it, and the words are read."""
    from labelscan.seal_shapes import read_mark

    image = Image.open(Path(__file__).parent / "data" / name)
    gray = np.asarray(image.convert("L"))
    cx, cy, outer, inner, alternative, lone = coarse
    ring = seal_rings.Ring(cx, cy, outer, inner, 0.98, alternative, lone=lone)
    refined = seal_rings._refined(gray, ring, seal_rings.MIN_SUPPORT, 0.32)
    assert np.hypot(refined.cx - centre[0], refined.cy - centre[1]) < 3 and abs(refined.outer - rim) < 0.05 * rim
    seals, _ = seals_from_marks([read_mark(gray, refined, get_engine("tesserocr"), 30.0)])
    assert [s.program for s in seals] == [program]


def test_a_dark_disc_30_px_across_in_a_low_resolution_photo_is_a_mark_so_no_seal_is_not_settled():
    """A low-resolution photo (seed 34) whose seals, a 45 px shield and a 30 px dark disc, were both under what
    the searches found (the disc's blurred rim drew 30 to 40 of the 40 votes asked): no mark, and a confident
    "no seal" for a product that carries Informed Sport. The small-circle search asks fewer votes (SMALL_VOTES):
    the disc is found, its words too small to read, so the check is `unknown`."""
    from labelscan.pipeline import scan

    result = scan(Path(__file__).parent / "data" / "lowres-dark-disc-30px.jpg", rules=["magnesium-l-threonate"],
                  engine="tesserocr")
    seal = next(f for f in result.findings if f.id == "third-party-seal")
    assert seal.status == "unknown" and "mark shaped like a seal" in seal.message, seal.message


def test_initials_inside_a_thin_rule_round_a_discs_centre_are_read():
    """A bottle photo (seed 27) of an NSF disc: white "NSF" inside a thin white rule on blue. Read together
    with the rule, the centre gave tesseract nothing, and the mark stayed unread. The centre is now cut inside
    such a rule (`_inside_centre_line`): "NSF" is read in every view, and the mark is NSF's."""
    from labelscan.pipeline import scan

    result = scan(Path(__file__).parent / "data" / "bottle-disc-initials-inside-a-rule.jpg",
                  rules=["magnesium-l-threonate"], engine="tesserocr")
    seal = next(f for f in result.findings if f.id == "third-party-seal")
    assert seal.status == "pass" and "NSF" in seal.message, seal.message
