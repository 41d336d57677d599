"""The guide's consistency checks (elemental ratio, %DV, daily dose, magnesium oxide) on hand-built and generated labels."""

from __future__ import annotations

import pytest

from labelscan.checks import evaluate, load_rules
from tests.helpers import row
from tests.helpers_labels import full_label, generated_threonate_text, text_label

PACK = load_rules(["magnesium-l-threonate"])
NEW = ["elemental-consistent", "dv-consistent", "daily-dose-in-range", "no-magnesium-oxide"]


def finding(lbl, check_id):
    findings, _ = evaluate(lbl, PACK)
    return next(f for f in findings if f.id == check_id)


def both(elemental, compound, dv=None, forms=("magnesium L-threonate",)):
    return [row("Magnesium", elemental, dv=dv, forms=list(forms)), row("Magnesium L-Threonate", compound)]


# ---------------------------------------------------------------- elemental-consistent


@pytest.mark.parametrize(
    "rows, expected",
    [
        (both(144, 2000), "pass"),                # 7.2%
        (both(166, 2000), "pass"),                # 8.3%
        (both(96, 1335), "pass"),                 # 7.19%: rounding of the printed mg
        (both(0.144, 2, ), "pass"),               # grams are not mistaken for mg
        (both(200, 2000), "fail"),                # 10%: more than the compound holds
        (both(100, 2000), "fail"),                # 5%: less than the compound gives
        ([row("Magnesium", 144, forms=["magnesium L-threonate"])], "not-applicable"),
        ([row("Magnesium L-Threonate", 2000)], "not-applicable"),
        ([row("Magnesium", 144, forms=["magnesium glycinate"]), row("Magnesium L-Threonate", 2000)], "not-applicable"),
        ([row("Magnesium", None, forms=["magnesium L-threonate"]), row("Magnesium L-Threonate", 2000)], "unknown"),
        (both(200, 2000, forms=("magnesium L-threonate", "magnesium glycinate")), "pass"),  # other source declared
    ],
)
def test_elemental_consistent(rows, expected):
    if rows and rows[0].quantity and rows[0].quantity.amount < 1:
        rows[0].quantity.unit, rows[1].quantity.unit = "g", "g"
    f = finding(full_label(rows), "elemental-consistent")
    assert f.status == expected, f.message
    if expected == "fail":
        assert "guide" in f.message and f.value["ratio"] and f.advice
    if expected == "pass" and "glycinate" not in f.message:
        assert f.value["elemental_mg"] and f.value["compound_mg"]


@pytest.mark.parametrize(
    "elemental, source, expected",
    [
        (132, "1,800 mg Magnesium L-Threonate", "pass"),     # 7.3%
        (144, "2,000 mg magnesium L-threonate", "pass"),
        (200, "1,000 mg Magnesium L-Threonate", "fail"),     # 20%: more than the compound holds
        (144, "magnesium L-threonate", "not-applicable"),    # no weight in the source
        (144, "1,000 mg magnesium glycinate", "not-applicable"),
    ],
)
def test_compound_weight_in_the_nutrient_rows_source(elemental, source, expected):
    """'Magnesium (from 1,800 mg Magnesium L-Threonate) 132 mg': the compound's weight is printed in the source."""
    f = finding(full_label([row("Magnesium", elemental, forms=[source])]), "elemental-consistent")
    assert f.status == expected, f.message
    if expected != "not-applicable":
        assert f.value["compound_mg"] == float(source.split()[0].replace(",", ""))


def test_compound_weight_in_the_source_gives_the_daily_dose():
    f = finding(full_label([row("Magnesium", 132, forms=["1,800 mg Magnesium L-Threonate"])], servings_per_day=1),
                "daily-dose-in-range")
    assert f.status == "pass" and f.value["daily_compound_mg"] == 1800 and not f.value["inferred"], f.message


def test_a_row_with_a_dv_is_no_compound_weight():
    """A wrapped name read in two rows, "Magnesium (from 1,800 mg Magnesium" and "L-Threonate) 132 mg 31%": the
    second names the compound but carries a %DV, so it is the nutrient's row read short, not the compound's weight
    (compounds have no Daily Value); taken for one it would fail both checks with confidence."""
    rows = [row("Magnesium", 132, dv=31, forms=["1,800 mg Magnesium L-Threonate"]),
            row("L-Threonate)", 132, dv=31, text="L-Threonate) 132 mg 31%")]
    assert finding(full_label(rows), "elemental-consistent").status == "pass"
    assert finding(full_label(rows), "elemental-magnesium-stated").status == "pass"


def test_elemental_above_compound_explains_another_source():
    f = finding(full_label(both(200, 2000)), "elemental-consistent")
    assert "another source" in f.message and "10.0%" in f.message and "166 mg" in f.message


def test_elemental_mismatch_read_poorly_is_unknown():
    rows = [row("Magnesium", 200, forms=["magnesium L-threonate"], confidence=0.3), row("Magnesium L-Threonate", 2000)]
    assert finding(full_label(rows), "elemental-consistent").status == "unknown"


# ---------------------------------------------------------------- dv-consistent


@pytest.mark.parametrize(
    "amount, dv, expected",
    [
        (144, 34, "pass"), (144, 36, "pass"), (144, 35, "pass"), (144, 33, "pass"),  # 420 or 400, ±1
        (144, 40, "fail"), (144, 14, "fail"), (144, 1, "fail"),
        (119, 28, "pass"), (2, 1, "pass"),       # "<1%" read as 1
        (200, 48, "pass"), (200, 50, "pass"), (200, 58, "fail"),
    ],
)
def test_dv_consistent(amount, dv, expected):
    f = finding(full_label([row("Magnesium", amount, dv=dv, forms=["magnesium L-threonate"])]), "dv-consistent")
    assert f.status == expected, f.message
    assert f.value["printed"] == dv
    if expected == "fail":
        assert "420 mg" in f.message and "101.36" in f.message and f.advice


def test_dv_less_than_one_percent_text():
    r = row("Magnesium", 2, dv=1, forms=["magnesium L-threonate"], text="Magnesium (as magnesium L-threonate) 2 mg <1%")
    assert finding(full_label([r]), "dv-consistent").status == "pass"


@pytest.mark.parametrize(
    "rows, expected",
    [
        ([row("Magnesium", 144, forms=["magnesium L-threonate"])], "not-applicable"),  # no %DV printed
        ([row("Magnesium L-Threonate", 2000)], "not-applicable"),
        ([row("Magnesium", None, dv=34)], "unknown"),
        ([row("Magnesium", 144, dv=60, confidence=0.3)], "unknown"),
    ],
)
def test_dv_consistent_honesty(rows, expected):
    assert finding(full_label(rows), "dv-consistent").status == expected


# ---------------------------------------------------------------- daily-dose-in-range


@pytest.mark.parametrize(
    "rows, per_day, expected, daily",
    [
        (both(144, 2000), 1, "pass", 2000),
        (both(108, 1500), 1, "pass", 1500),
        (both(144, 2000), 2, "fail", 4000),      # above
        (both(72, 1000), 1, "fail", 1000),       # under
        (both(72, 1000), 2, "pass", 2000),
        (both(105, 1450), 1, "pass", 1450),      # within 5%
        ([row("Magnesium", 144, forms=["magnesium L-threonate"])], 1, "pass", 2000),   # 144 / 7.2%
        ([row("Magnesium", 166, forms=["magnesium L-threonate"])], 1, "pass", 2306),   # could be 2,000 mg at 8.3%
        ([row("Magnesium", 119, forms=["magnesium L-threonate"])], 2, "fail", 3306),
        ([row("Magnesium", 50, forms=["magnesium L-threonate"])], 1, "fail", 694),
    ],
)
def test_daily_dose(rows, per_day, expected, daily):
    f = finding(full_label(rows, servings_per_day=per_day), "daily-dose-in-range")
    assert f.status == expected, f.message
    assert f.value["daily_compound_mg"] == daily
    if expected == "fail":
        assert ("under the studied dose" in f.message) == (daily < 1500)
        assert ("above the guide's dose" in f.message) == (daily > 2000)
        assert "1,500–2,000 mg" in f.message


@pytest.mark.parametrize(
    "kwargs, rows, expected",
    [
        (dict(servings_per_day=None, directions=None), both(144, 2000), "no directions"),
        (dict(servings_per_day=None, directions="Take as directed by your physician."), both(144, 2000), "could not be read"),
        ({}, [row("Magnesium L-Threonate", None)], "could not be read"),
        ({}, [row("Zinc", 10)], "Neither"),
    ],
)
def test_daily_dose_unknown(kwargs, rows, expected):
    f = finding(full_label(rows, **kwargs), "daily-dose-in-range")
    assert f.status == "unknown" and expected.lower() in f.message.lower()


# ---------------------------------------------------------------- no-magnesium-oxide


@pytest.mark.parametrize(
    "rows, other, expected",
    [
        ([row("Magnesium", 144, forms=["magnesium L-threonate"])], None, "pass"),
        ([row("Magnesium", 144, forms=["magnesium L-threonate", "magnesium oxide"])], None, "fail"),
        ([row("Magnesium", 200, forms=["oxide"])], None, "fail"),
        ([row("Magnesium Oxide", 500)], None, "fail"),
        ([row("Magnesium", 144, forms=["magnesium L-threonate"])], ["magnesium oxide", "gelatin"], "fail"),
        ([row("Magnesium", 144, forms=["magnesium L-threonate"])], ["silicon dioxide", "magnesium stearate"], "pass"),
        ([row("Zinc", 10, forms=["zinc oxide"])], None, "pass"),
    ],
)
def test_no_magnesium_oxide(rows, other, expected):
    f = finding(full_label(rows, other=other), "no-magnesium-oxide")
    assert f.status == expected, f.message
    if expected == "fail":
        assert "4% absorbed" in f.message and f.evidence


def test_oxide_low_confidence_is_unknown():
    lbl = full_label([row("Magnesium", 144, forms=["magnesium L-threonate"])], confidence=0.3)
    assert finding(lbl, "no-magnesium-oxide").status == "unknown"


# ---------------------------------------------------------------- the pack as a whole


def test_missing_panel_makes_every_new_check_unknown():
    findings, verdict = evaluate(full_label([], found=False), PACK)
    assert {f.id: f.status for f in findings if f.id in NEW} == dict.fromkeys(NEW, "unknown")


def test_new_checks_are_warnings_and_never_change_the_verdict():
    lbl = full_label(both(300, 1000, dv=10) + [row("Magnesium", 100, forms=["magnesium oxide"])], servings_per_day=3)
    findings, _ = evaluate(lbl, PACK)
    new = [f for f in findings if f.id in NEW]
    assert [f.id for f in findings[4:]] == NEW
    assert all(f.severity == "warning" for f in new)
    assert {f.status for f in new} == {"fail"}
    original = [f for f in findings if f.id not in NEW]
    from labelscan.checks import verdict_of
    assert verdict_of(findings) == verdict_of(original)


# ---------------------------------------------------------------- generated plain-text labels through the parser


@pytest.mark.parametrize("seed", range(12))
def test_generated_compliant_labels_raise_no_alarm(seed):
    text, truth = generated_threonate_text(seed, compound_mg=[1500, 1600, 1800, 2000][seed % 4],
                                           ratio=[0.0725, 0.075, 0.078, 0.082][seed // 4 % 4])
    findings, verdict = evaluate(text_label(text), PACK)
    status = {f.id: f.status for f in findings}
    assert verdict == "pass", [(f.id, f.message) for f in findings if f.status != "pass"]
    assert status["no-magnesium-oxide"] == "pass"
    assert status["daily-dose-in-range"] == "pass", truth
    assert status["elemental-consistent"] == ("not-applicable" if truth["layout"] == "elemental-only" else "pass")
    assert status["dv-consistent"] == ("not-applicable" if truth["layout"] == "providing" else "pass")


@pytest.mark.parametrize("seed", range(8))
def test_generated_labels_with_planted_defects(seed):
    layout = ["both", "compound-first"][seed % 2]
    text, _ = generated_threonate_text(seed, layout=layout, ratio=0.11, dv_shift=9, servings_per_day=2, oxide=True)
    status = {f.id: f.status for f in evaluate(text_label(text), PACK)[0]}
    assert status["elemental-consistent"] == "fail"
    assert status["dv-consistent"] == "fail"
    assert status["daily-dose-in-range"] == "fail"
    assert status["no-magnesium-oxide"] == "fail"


@pytest.mark.parametrize("compound, per_day, word", [(1000, 1, "under the studied dose"), (2000, 2, "above the guide's dose")])
def test_generated_dose_defects_say_which_side(compound, per_day, word):
    text, _ = generated_threonate_text(3, compound_mg=compound, servings_per_day=per_day, layout="both")
    f = next(f for f in evaluate(text_label(text), PACK)[0] if f.id == "daily-dose-in-range")
    assert f.status == "fail" and word in f.message and f.value["daily_compound_mg"] == compound * per_day
