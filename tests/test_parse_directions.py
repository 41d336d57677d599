"""Directions for use → dosage units per day → servings per day."""

from __future__ import annotations

import pytest

from labelscan.model import OcrPage
from labelscan.parse import parse_text
from labelscan.parse.directions import Dose, dose_per_day, find_directions, serving_units, servings_per_day

DOSES = [
    ("Suggested use: Take 3 capsules daily", 3, "capsule"),
    ("Take 1 capsule in the morning and 2 capsules before bed", 3, "capsule"),
    ("Take two (2) capsules twice daily", 4, "capsule"),
    ("Adults take 3 capsules daily with food", 3, "capsule"),
    ("Take 1 capsule three times daily", 3, "capsule"),
    ("Take 1 capsule 3 times per day", 3, "capsule"),
    ("Take 2 capsules in the morning and 1 in the evening", 3, "capsule"),
    ("Take 1-2 tablets daily", 2, "tablet"),           # a range counts its upper bound
    ("Take 1 to 2 softgels daily", 2, "softgel"),
    ("Mix 1 scoop in 8 oz of water daily", 1, "scoop"),
    ("Take 2 softgels daily. Do not exceed 4 softgels per day.", 2, "softgel"),
    ("Chew 2 gummies daily", 2, "gummy"),
    ("Take 1 serving daily", 1, "serving"),
    ("As a dietary supplement, take a capsule every 8 hours", 3, "capsule"),
    ("Take 2 Veggie Caps once daily", 2, "capsule"),
    ("Directions: Take one tablet daily.", 1, "tablet"),
    ("Take 2 capsules with water.", 2, "capsule"),       # no frequency: once a day
]


@pytest.mark.parametrize("text,units,family", DOSES, ids=[d[0] for d in DOSES])
def test_dose_per_day(text: str, units: float, family: str) -> None:
    assert dose_per_day(text) == Dose(units, family)


@pytest.mark.parametrize("text", ["Take 1 capsule with each meal", "Keep out of reach of children", "",
                                  "Do not exceed 4 capsules per day", "Store in a cool dry place"])
def test_unreadable_dose(text: str) -> None:
    assert dose_per_day(text) is None


SERVINGS = [
    ("3 Capsules", "Take 3 capsules daily", 1.0),
    ("2 Veggie Caps", "Take 2 capsules twice daily", 2.0),
    ("1 Scoop (5 g)", "Mix 1 scoop with water daily", 1.0),
    ("3 Capsules", "Take 1 capsule in the morning and 2 capsules before bed", 1.0),
    ("2 Capsules", "Take two (2) capsules twice daily", 2.0),
    ("4 Capsules", "Take 2 capsules daily", 0.5),
    ("Two Softgels", "Take 2 softgels daily", 1.0),
    ("2 Softgels", "Take 2 capsules daily", 1.0),   # softgels and capsules count alike
    ("2 Tablets", "Take 2 capsules daily", None),   # different dosage units: unknown
    ("5 g", "Mix 1 scoop daily", None),             # serving size without a count of units
    (None, "Take 3 capsules daily", None),
    ("3 Capsules", "Take 1 capsule with each meal", None),
    ("1 Packet", "Take 1 serving daily", 1.0),
]


@pytest.mark.parametrize("size,directions,expected", SERVINGS, ids=[f"{s}|{d}" for s, d, _ in SERVINGS])
def test_servings_per_day(size: str | None, directions: str, expected: float | None) -> None:
    assert servings_per_day(dose_per_day(directions), serving_units(size)) == expected


def test_directions_continue_on_next_line() -> None:
    page = OcrPage.from_text("Brand\nSuggested Use: Adults take 2\ncapsules twice daily with food.\nWarning: keep away")
    evidence, dose = find_directions(page.lines())
    assert evidence is not None and evidence.text == "Suggested Use: Adults take 2 capsules twice daily with food."
    assert dose == Dose(4, "capsule")


def test_directions_found_outside_panel_on_front() -> None:
    text = ("Directions: Take 1 capsule in the morning and 2 capsules before bed.\n\nSupplement Facts\n"
            "Serving Size 3 Capsules\nAmount Per Serving % Daily Value\nMagnesium (as magnesium L-threonate) 144 mg 34%")
    panel = parse_text(text)
    assert panel.servings_per_day == 1.0
    assert panel.directions is not None and panel.directions.text.startswith("Directions:")


def test_heading_preferred_over_other_take_lines() -> None:
    page = OcrPage.from_text("Take 6 capsules for best results!\nSuggested use: Take 3 capsules daily.")
    evidence, dose = find_directions(page.lines())
    assert evidence is not None and evidence.text.startswith("Suggested use")
    assert dose == Dose(3, "capsule")
