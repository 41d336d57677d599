"""Amounts, units and %DV read from OCR text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from labelscan.model import Quantity
from labelscan.parse import find_quantities, parse_quantity, parse_text
from labelscan.parse.panel import _parse_panel
from labelscan.parse.quantities import find_percents, parse_number
from labelscan.parse.rows import read_row
from labelscan.model import OcrPage

QUANTITIES = [
    ("144 mg", (144, "mg")),
    ("2,000 mg", (2000, "mg")),
    ("2,0O0 mg", (2000, "mg")),
    ("l44 mg", (144, "mg")),
    ("I44 mg", (144, "mg")),
    ("144 rng", (144, "mg")),
    ("144 mq", (144, "mg")),
    ("144 rg", (144, "mg")),
    ("144mg", (144, "mg")),
    ("Magnesium144mg", (144, "mg")),
    ("2.000 mg", (2000, "mg")),
    ("2.5 mg", (2.5, "mg")),
    ("0.500 mg", (0.5, "mg")),
    ("2.000 mcg", (2.0, "mcg")),
    ("1 ,500 mg", (1500, "mg")),
    ("1, 500 mg", (1500, "mg")),
    ("0,5 mg", (0.5, "mg")),
    ("50 mcg", (50, "mcg")),
    ("50 mcq", (50, "mcg")),
    ("50 µg", (50, "mcg")),
    ("50 μg", (50, "mcg")),
    ("50 ug", (50, "mcg")),
    ("5,000 IU", (5000, "IU")),
    ("400 I.U.", (400, "IU")),
    ("400 lU", (400, "IU")),
    ("1 g", (1, "g")),
    ("2.5 g", (2.5, "g")),
    ("1 Scoop (5 9)", (5, "g")),
    ("Total Fat 2 9 3%", (2, "g")),
    ("2,000 MG", (2000, "mg")),
    ("2,000 mgt", (2000, "mg")),
    ("2,000 mg†", (2000, "mg")),
    ("Vitamin D3 50 mcg", (50, "mcg")),
    ("Vitamin B12 500mcg", (500, "mcg")),
    ("Omega-3 1,000 mg", (1000, "mg")),
    ("Fish Oil1,000mg", (1000, "mg")),
    ("3O mg", (30, "mg")),
    ("1,000,000 mcg", (1_000_000, "mcg")),
]

NOT_QUANTITIES = ["3 Capsules", "2 Veggie Caps", "5 gummies", "Vitamin D3", "B12", "Servings Per Container 30",
                  "Calories 10", "Omega-3", "mg", "", "9", "Take 2 capsules daily", "34%", "Iodine", "200000 mg"]


@pytest.mark.parametrize("text,expected", QUANTITIES, ids=[q[0] for q in QUANTITIES])
def test_parse_quantity(text: str, expected: tuple[float, str]) -> None:
    assert parse_quantity(text) == Quantity(float(expected[0]), expected[1])


@pytest.mark.parametrize("text", NOT_QUANTITIES)
def test_not_a_quantity(text: str) -> None:
    assert parse_quantity(text) is None


def test_find_quantities_spans() -> None:
    text = "Magnesium L-Threonate 2,000 mg (providing 144 mg magnesium)"
    found = find_quantities(text)
    assert [(q.amount, q.unit) for q, _, _ in found] == [(2000, "mg"), (144, "mg")]
    assert [text[s:e] for _, s, e in found] == ["2,000 mg", "144 mg"]


def test_vitamin_d_both_units() -> None:
    found = find_quantities("Vitamin D3 125 mcg (5,000 IU) 625%")
    assert [(q.amount, q.unit) for q, _, _ in found] == [(125, "mcg"), (5000, "IU")]


def test_parse_number_rules() -> None:
    assert parse_number("2,000") == 2000
    assert parse_number("2.000", "mg") == 2000
    assert parse_number("2.000", "g") == 2.0
    assert parse_number("0.125", "mg") == 0.125
    assert parse_number("1.234.567") == 1234567
    assert parse_number("abc") is None


def test_percents() -> None:
    assert [(v, lt) for v, lt, _, _ in find_percents("34% <1% 20,833% 1O0%")] == [
        (34, False), (1, True), (20833, False), (100, False)]


DV_CASES = [
    ("Magnesium 144 mg 34%", 34, False),
    ("Magnesium 144 mg 34 %", 34, False),
    ("Magnesium 144 mg 349", 34, False),       # "%" read as "9": fits 144/420 mg
    ("Magnesium 144 mg 349%", 34, False),      # "34%" read as "349%": only 34 fits the reference DV
    ("Magnesium 144 mg 34", 34, False),        # "%" lost, fits the reference DV
    ("Magnesium 144 mg 90", None, False),      # "%" lost and does not fit: unknown rather than wrong
    ("Zinc 15 mg 349%", 349, False),            # printed with "%": kept as printed (a label error is for the checks)
    ("Ashwagandha 600 mg 349", None, False),   # no reference DV: a bare number is never a %DV
    ("Ashwagandha 600 mg t", None, True),
    ("Ashwagandha 600 mg +", None, True),
    ("Ashwagandha 600 mg f", None, True),
    ("Ashwagandha 600 mg 1", None, True),      # "†" read as "1": no DV exists for ashwagandha
    ("Magnesium 4 mg 1", 1, False),            # "1" is a plausible lost "1%" for magnesium
    ("Ashwagandha 600 mg†", None, True),
    ("Ashwagandha 600 mgt", None, True),
    ("Ashwagandha 600 mg **", None, True),
    ("Magnesium 2 mg <1%", 1, False),
    ("Vitamin D3 50 mcg (2,000 IU) 250%", 250, False),
    ("Vitamin D 2,000 IU 250", 250, False),
]


@pytest.mark.parametrize("text,dv,dagger", DV_CASES, ids=[c[0] for c in DV_CASES])
def test_row_dv_and_dagger(text: str, dv: float | None, dagger: bool) -> None:
    reading = read_row(text)
    assert reading.dv == dv
    assert reading.dagger == dagger


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parse_quantity_never_raises(text: str) -> None:
    found = find_quantities(text)
    assert parse_quantity(text) == (found[0][0] if found else None)
    for quantity, start, end in found:
        assert quantity.unit in {"mg", "mcg", "g", "IU"}
        assert 0 <= start < end <= len(text)


PANEL_ALPHABET = st.sampled_from(list("Supplement Facts Serving Size Amount Per % Daily Value mg mcg IU g 0123456789 ,.()†*:\n\t Magnesium (as L-threonate) Blend Complex providing Other ingredients Take capsules daily twice"))


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(PANEL_ALPHABET, max_size=400).map("".join)))
def test_parse_text_never_raises(text: str) -> None:
    panel = _parse_panel(OcrPage.from_text(text))  # without the safety net: a crash is a bug
    assert panel.found in (True, False)
    assert parse_text(text).to_dict() == panel.to_dict()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["Supplement Facts", "Amount Per Serving % Daily Value", "Serving Size 3 Capsules",
                                 "Magnesium (as magnesium L-", "threonate) 144 mg 34%", "2,000 mg †", "Blend 500 mg",
                                 "L-theanine, GABA", "providing 144 mg magnesium", "Other ingredients: rice flour,",
                                 "Take 3 capsules daily.", "", "(", ")", "Servings Per Container About 30"]),
                max_size=25))
def test_parse_text_never_raises_on_shuffled_panel_lines(lines: list[str]) -> None:
    _parse_panel(OcrPage.from_text("\n".join(lines)))


def test_a_one_read_as_a_letter_before_the_unit_is_a_one():
    from labelscan.parse.rows import read_row

    assert read_row("Magnesium (as magnesium L-threonate) 9img 22%").quantity.amount == 91
    assert read_row("Zinc 1lmg").quantity.amount == 11
    assert read_row("Vitamin C (as ascorbic acid) 60 mg").quantity.amount == 60
