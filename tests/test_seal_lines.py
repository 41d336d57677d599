"""The second reader on marks: catalogue words picked out of run-together arc text; small seals and badges."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from labelscan.ocr import get_engine
from labelscan.ocr.line_reader import ENV_MARK_LINES, line_reader
from labelscan.seal_lines import arc_windows, catalogue_words
from labelscan.seal_shapes import read_marks, seals_from_marks

from .test_seal_shapes import label_with_mark

needs_rapid = pytest.mark.skipif(importlib.util.find_spec("rapidocr_onnxruntime") is None,
                                 reason="rapidocr-onnxruntime is not installed (run `make rapid`)")


@pytest.mark.parametrize(("text", "words"), [
    ("·CERTIFIEDFORSPORT.", ["certified", "for", "sport"]),
    ("N·CERTIFEDFORSPOR", ["certified", "for", "sport"]),  # a letter lost in each long word
    ("GMPREGISTEREDY", ["gmp", "registered"]),
    ("SNNONSF/ANSI173", ["nsf", "ansi", "173"]),  # short words at a run's end and against each other
    ("CERTIFIEDDRUGFREE·SIOH", ["certified", "drug", "free"]),
    ("HEAMTLBG·VERIFIEDA", ["verified"]),  # the better fitting of two like words, not the longer
    ("USP", ["usp"]), ("UL", ["ul"]),  # a centre's name read on its own
])
def test_catalogue_words_are_picked_out_of_letters_run_together(text, words):
    assert catalogue_words(text) == words


@pytest.mark.parametrize("text", [
    "EEKL", "OSEOEDAO", "ATUAPOUCSAOCAION",  # misread arcs
    "CONSULTANT",  # "ul" inside a word is chance
    "ABCNSFDEF",  # so are three letters in the middle of a run
])
def test_chance_letters_are_no_catalogue_words(text):
    assert catalogue_words(text) == []


def test_arc_windows_overlap_and_cover_the_turn():
    strip = np.zeros((10, 800), np.uint8)  # a turn of 400 px, doubled
    windows = arc_windows(strip)
    assert len(windows) == 4 and all(w.shape == (10, 250) for w in windows)


def test_the_line_reader_can_be_turned_off(monkeypatch):
    monkeypatch.setenv(ENV_MARK_LINES, "off")
    assert line_reader() is None
    engine = get_engine("tesserocr")
    assert engine.lines is None and engine.full_name == engine.name


@needs_rapid
def test_the_line_reader_goes_with_a_tesseract_engine_and_is_named():
    engine = get_engine("tesserocr")
    assert engine.lines is not None and engine.full_name == f"{engine.name} + {engine.lines.name}"
    assert get_engine("rapidocr").lines is None


SMALL_SEAL = Path(__file__).resolve().parent / "data" / "small-seal-arc-lowres.png"
"""An 84 px 'NSF Certified for Sport' ring from a low-resolution photo of the second author's generator
(bench/independent_labels.py, seed 10), cut out of the prepared image: tesseract reads only "NSF" and noise."""


@needs_rapid
def test_a_small_seal_whose_arc_tesseract_cannot_read_is_named_by_the_line_reader(monkeypatch):
    image = Image.open(SMALL_SEAL).convert("RGB")
    engine = get_engine("tesserocr")
    readings = read_marks(image, engine)
    seals, _ = seals_from_marks(readings)
    assert "nsf-certified-for-sport" in {s.program for s in seals}
    assert engine.lines.name in {r.second_reader for r in readings}  # named as used, for the scan result
    monkeypatch.setenv(ENV_MARK_LINES, "off")
    seals, unread = seals_from_marks(read_marks(image, get_engine("tesserocr")))
    # without it only the centre's initials are read (twice: as found and enlarged): an NSF mark, programme unknown
    assert [(s.program, s.kind, s.text) for s in seals] == [("nsf-mark", "certifier", "NSF")] and not unread
    assert "nsf-certified-for-sport" in seals[0].covers and not seals[0].accepted_by(["nsf-certified-for-sport"])


SMALL_BADGES = Path(__file__).resolve().parent / "data" / "small-badges-photo.jpg"
"""An 'Informed Sport' shield and a 'ConsumerLab.com' badge some 150 px wide, words 6–8 px high, in a tilted
photo of the second author's generator (seed 11), cut out of the prepared image."""


SHIELD = [[352.6, 141.2], [352.6, 237.8], [308.4, 298.6], [264.2, 301.4], [211.7, 235.1], [211.7, 149.5],
          [289.1, 135.7]]
BADGE = [[526.6, 132.9], [529.4, 218.5], [521.1, 232.3], [429.9, 240.6], [380.2, 232.3], [383.0, 132.9], [499.0, 121.8]]
"""Their outlines as the badge finder fits them in the whole photo."""


@pytest.mark.parametrize("shift", [(dx, dy) for dx in (-1, -0.5, 0, 0.5, 1) for dy in (-1, 0, 1)])
def test_small_tilted_badges_hold_centred_words_wherever_the_trim_cuts_their_inset_frame(shift):
    """Trimmed a pixel either way, the inset frame line leaves thin strokes or short pieces at the lines' ends;
    they are no letters, so the words stay centred (before, 12 of these 15 trims made one of the two 'off centre')."""
    from labelscan.vision.seal_badges import _quad, inside_fault

    gray = np.asarray(Image.open(SMALL_BADGES).convert("L"))
    shield, badge = np.float32(SHIELD) + np.float32(shift), np.float32(BADGE) + np.float32(shift)
    assert inside_fault(gray, shield) is None
    assert inside_fault(gray, badge, _quad(badge)) is None


@needs_rapid
def test_a_small_shield_tesseract_misreads_is_named_by_the_line_reader():
    seals, _ = seals_from_marks(read_marks(Image.open(SMALL_BADGES).convert("RGB"), get_engine("tesserocr")))
    assert "informed-sport" in {s.program for s in seals}


DARK_DISC = Path(__file__).resolve().parent / "data" / "dark-disc-light-arc-letters.jpg"
"""A 'Labdoor Tested' disc 138 px across, light letters some 9 px high on navy, blurred, from a phone photo of the
second author's generator (seed 25), cut out of the prepared image. Binarised, its letters run together: tesseract
reads noise and counts too few letters for the ring to seem to carry words."""


@needs_rapid
def test_a_dark_disc_whose_light_arc_letters_tesseract_cannot_tell_apart_is_read_by_the_line_reader():
    """Before, only a ring that seemed to carry words went to the second reader, so this one did not: no mark
    matched, none was unread, and the label confidently failed its seal check. A ring whose band holds ink is
    read by the second reader whenever tesseract matched nothing."""
    readings = read_marks(Image.open(DARK_DISC).convert("RGB"), get_engine("tesserocr"))
    seals, _ = seals_from_marks(readings)
    assert [s.program for s in seals] == ["labdoor-tested"]


def test_without_the_line_reader_a_dark_disc_whose_letters_run_together_is_unread_not_absent(monkeypatch):
    """Its letters, counted at Otsu's threshold, run together into 5 marks, too few to tell words from a logo;
    counted also at a stricter threshold, they stand apart: the ring carries words none read, so the seal
    check says 'unknown', not a confident 'no seal'."""
    monkeypatch.setenv(ENV_MARK_LINES, "off")
    seals, unread = seals_from_marks(read_marks(Image.open(DARK_DISC).convert("RGB"), get_engine("tesserocr")))
    assert not seals and len(unread) == 1 and unread[0].letters >= 8
