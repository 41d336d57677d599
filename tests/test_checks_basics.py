"""The FDA Supplement Facts basics pack on hand-built and parsed plain-text labels: each defect planted and not."""

from __future__ import annotations

import pytest

from labelscan.checks import evaluate, load_rules
from tests.helpers import row
from tests.helpers_labels import DISCLAIMER, full_label, generated_threonate_text, text_label

PACK = load_rules(["supplement-facts-basics"])
IDS = ["panel-title", "serving-size-stated", "servings-per-container-stated", "dv-declared", "dagger-footnote",
       "other-ingredients-listed", "identity-statement", "disclaimer-with-claims", "blend-total-weight"]
ROWS = [row("Magnesium", 144, dv=34, forms=["magnesium L-threonate"]),
        row("Magnesium L-Threonate", 2000, text="Magnesium L-Threonate 2,000 mg †")]
ROWS[1].dagger = True


def statuses(lbl) -> dict[str, str]:
    return {f.id: f.status for f in evaluate(lbl, PACK)[0]}


def finding(lbl, check_id):
    return next(f for f in evaluate(lbl, PACK)[0] if f.id == check_id)


COMPLIANT_TEXT = """\
NEUROVA Magnesium L-Threonate
Dietary Supplement
Supports memory and cognitive function*
90 Vegetarian Capsules
Supplement Facts
Serving Size 3 Capsules
Servings Per Container 30
Amount Per Serving % Daily Value
Magnesium (as magnesium L-threonate) 144 mg 34%
Magnesium L-Threonate (Magtein®) 2,000 mg †
Zinc (as zinc bisglycinate) 5 mg 45%
† Daily Value not established.
Other ingredients: hypromellose, microcrystalline cellulose.
Suggested use: Take 3 capsules daily.
""" + DISCLAIMER + "\n"


def test_pack_ids_and_severities():
    pack = PACK[0]
    assert [c.spec.id for c in pack.checks] == IDS
    sev = {c.spec.id: c.spec.severity for c in pack.checks}
    assert {k for k, v in sev.items() if v == "error"} == {
        "panel-title", "serving-size-stated", "dv-declared", "disclaimer-with-claims", "blend-total-weight"}
    assert all(c.spec.message.strip() for c in pack.checks)


def test_compliant_parsed_label_passes():
    findings, verdict = evaluate(text_label(COMPLIANT_TEXT), PACK)
    assert verdict == "pass"
    assert {f.id: f.status for f in findings} == {**dict.fromkeys(IDS, "pass"), "blend-total-weight": "not-applicable"}
    assert all(f.evidence for f in findings if f.status == "pass")


def test_compliant_hand_built_label_passes():
    lbl = full_label(ROWS, front="Magnesium L-Threonate\nDietary Supplement\nSupports memory*", back=DISCLAIMER)
    s = statuses(lbl)
    assert s == {**dict.fromkeys(IDS, "pass"), "blend-total-weight": "not-applicable"}


@pytest.mark.parametrize(
    "old, new, check_id, expected",
    [
        ("Supplement Facts\n", "Nutrition Facts\n", "panel-title", "fail"),
        ("Supplement Facts\n", "Supplernent Facts\n", "panel-title", "pass"),         # OCR damage
        ("Serving Size 3 Capsules\n", "", "serving-size-stated", "fail"),
        ("Servings Per Container 30\n", "", "servings-per-container-stated", "pass"),  # 90 capsules / 3
        ("Zinc (as zinc bisglycinate) 5 mg 45%", "Zinc (as zinc bisglycinate) 5 mg", "dv-declared", "fail"),
        ("Zinc (as zinc bisglycinate) 5 mg 45%", "Zinc (as zinc bisglycinate) 5 mg †", "dv-declared", "fail"),
        ("† Daily Value not established.\n", "", "dagger-footnote", "fail"),
        ("Other ingredients: hypromellose, microcrystalline cellulose.\n", "", "other-ingredients-listed", "fail"),
        ("Dietary Supplement\n", "", "identity-statement", "fail"),
        ("Dietary Supplement\n", "Magnesium Supplement\n", "identity-statement", "pass"),
        (DISCLAIMER, "", "disclaimer-with-claims", "fail"),
        ("This product is not intended to diagnose, treat, cure, or prevent any disease.", "",
         "disclaimer-with-claims", "fail"),
        ("Supports memory and cognitive function*\n", "", "disclaimer-with-claims", "not-applicable"),
        ("Zinc (as zinc bisglycinate) 5 mg 45%", "Focus Blend 500 mg †\nBacopa extract, L-theanine",
         "blend-total-weight", "pass"),
        ("Zinc (as zinc bisglycinate) 5 mg 45%", "Focus Proprietary Blend †\nBacopa extract, L-theanine",
         "blend-total-weight", "fail"),
    ],
)
def test_planted_defects_in_parsed_labels(old, new, check_id, expected):
    text = COMPLIANT_TEXT.replace(old, new)
    assert text != COMPLIANT_TEXT
    f = finding(text_label(text), check_id)
    assert f.status == expected, f.message
    if expected == "fail":
        assert f.advice and "CFR" in f.advice
        assert "CFR" in f.message or "101." in f.message


def test_a_disclaimer_read_in_part_leaves_its_absence_unknown():
    """The small-print disclaimer of a low-resolution photo (seed 28), its first line lost and the rest garbled:
    fewer than 60 % of its words read, yet "the Food and Drug Administration" stands there in order. A confident
    "not printed" was wrong; a label whose only such words are "take with food" still fails."""
    garbled = "the Food and! Drug Administration, This\nPrealvct ls Rot intended to diagnose, trent,\nPreVENL diseune.\n"
    text = COMPLIANT_TEXT.replace(DISCLAIMER, garbled)
    assert text != COMPLIANT_TEXT
    f = finding(text_label(text), "disclaimer-with-claims")
    assert f.status == "unknown" and "food and drug" in f.message, f.message
    without = COMPLIANT_TEXT.replace(DISCLAIMER, "Take with food. Drug interactions: ask your doctor.\n")
    assert finding(text_label(without), "disclaimer-with-claims").status == "fail"


def test_no_dagger_footnote_not_needed_without_dagger():
    text = COMPLIANT_TEXT.replace("Magnesium L-Threonate (Magtein®) 2,000 mg †\n", "").replace("† Daily Value not established.\n", "")
    assert finding(text_label(text), "dagger-footnote").status == "not-applicable"


def test_servings_per_container_from_net_weight():
    lbl = full_label(ROWS, serving_size="1 Scoop (5 g)", servings_per_container=None,
                     front="Dietary Supplement\nNet Wt. 150 g (5.3 oz)")
    f = finding(lbl, "servings-per-container-stated")
    assert f.status == "pass" and f.value == {"servings_per_container": 30, "from": "net quantity"}


def test_servings_per_container_missing_in_parsed_label():
    text = COMPLIANT_TEXT.replace("Servings Per Container 30\n", "").replace("90 Vegetarian Capsules\n", "")
    assert finding(text_label(text), "servings-per-container-stated").status == "fail"


def test_servings_per_container_unreadable_is_unknown():
    text = COMPLIANT_TEXT.replace("Servings Per Container 30\n", "Servings Per Container ~~\n").replace("90 Vegetarian Capsules\n", "")
    f = finding(text_label(text), "servings-per-container-stated")
    assert f.status == "unknown" and "could not be read" in f.message


def test_servings_per_container_missing_without_net_quantity():
    lbl = full_label(ROWS, servings_per_container=None)
    assert finding(lbl, "servings-per-container-stated").status == "fail"


def test_identity_pattern_ignores_supplement_facts_and_warnings():
    lbl = full_label(ROWS, front="Magnesium L-Threonate\nConsult your doctor before taking this supplement.")
    assert finding(lbl, "identity-statement").status == "fail"


@pytest.mark.parametrize(
    "claim",
    ["Supports memory and focus*", "Sleep & Focus Support*", "Promotes restful sleep*",
     "Helps maintain healthy brain function*", "Magnesium L-Threonate for Cognitive Support*"],
)
def test_claims_are_recognised(claim):
    lbl = full_label(ROWS, front=f"Dietary Supplement\n{claim}")
    f = finding(lbl, "disclaimer-with-claims")
    assert f.status == "fail" and claim.rstrip("*") in f.message
    assert finding(full_label(ROWS, front=f"Dietary Supplement\n{claim}", back=DISCLAIMER),
                   "disclaimer-with-claims").status == "pass"


def test_dv_declared_on_hand_built_rows():
    assert finding(full_label([row("Zinc", 10, dv=91), row("L-Theanine", 100)]), "dv-declared").status == "pass"
    assert finding(full_label([row("L-Theanine", 100)]), "dv-declared").status == "not-applicable"
    f = finding(full_label([row("Vitamin D3", 25, "mcg"), row("Zinc", 10, dv=91)]), "dv-declared")
    assert f.status == "fail" and "vitamin d" in f.message
    # a number printed after the amount that the parser could not take as a %DV: unknown, not a false fail
    f = finding(full_label([row("Magnesium", 144, text="Magnesium 144 mg 90")]), "dv-declared")
    assert f.status == "unknown"
    # the compound is not the nutrient
    assert finding(full_label([ROWS[1]]), "dv-declared").status == "not-applicable"


def test_low_confidence_absences_are_unknown():
    lbl = full_label(ROWS, title=None, serving_size=None, other=[], footnote=False, front="Magnesium", confidence=0.3)
    s = statuses(lbl)
    for check_id in ["panel-title", "serving-size-stated", "dagger-footnote", "other-ingredients-listed",
                     "identity-statement", "blend-total-weight"]:
        assert s[check_id] == "unknown", check_id
    _, verdict = evaluate(lbl, PACK)
    assert verdict == "needs-review"


def test_missing_panel_is_unknown():
    s = statuses(full_label([], found=False))
    assert all(s[i] == "unknown" for i in IDS if i not in ("identity-statement", "disclaimer-with-claims"))


def test_pack_applies_to_supplements_only():
    packs = [p for p in load_rules() if p.name == "supplement-facts-basics"]
    assert evaluate(text_label(COMPLIANT_TEXT), packs)[0]
    assert evaluate(text_label("Nutrition Facts\nServing Size 1 cup\nCalories 120"), packs)[0] == []


@pytest.mark.parametrize("seed", range(10))
def test_generated_labels(seed):
    text, truth = generated_threonate_text(seed)
    s = statuses(text_label(text))
    expected = {**dict.fromkeys(IDS, "pass"), "blend-total-weight": "not-applicable"}
    if truth["layout"] == "providing":
        expected["dv-declared"] = "fail"  # "(providing 144 mg elemental magnesium)" has no %DV: a real defect
    assert s == expected
    planted = generated_threonate_text(seed, claims=True, disclaimer=False, title="Nutrition Facts")[0]
    s = statuses(text_label(planted))
    assert s["disclaimer-with-claims"] == "fail" and s["panel-title"] == "fail"


def test_a_disclaimer_read_in_pieces_is_unknown_not_missing():
    """Seed 18 sideways photo: the small-print disclaimer was read as "*These statements h luated by the Food and
    Drug Adminis'" / "intended to diagnose, treat, cure, OF" / "prevent any disease." interleaved with the
    other-ingredients line: no sentence matched, and a compliant label failed. Most of its words were read,
    so its absence is unproven. A label that lacks a sentence has none of its words: still a fail."""
    pieces = ("Other ingredients: m! ; y tration. This product/s not\nave not been eva\nprevent any disease.\n"
              "*These statements h luated by the Food and Drug Adminis'\nintended to diagnose, treat, cure, OF")
    lbl = full_label(ROWS, front="Dietary Supplement\nSupports memory and focus*", back=pieces)
    f = finding(lbl, "disclaimer-with-claims")
    assert f.status == "unknown" and "in pieces" in f.message
    half = "These statements have not been evaluated by the Food and Drug Administration."
    lbl = full_label(ROWS, front="Dietary Supplement\nSupports memory and focus*", back=half)
    assert finding(lbl, "disclaimer-with-claims").status == "fail"


def test_text_missing_from_a_label_wrapped_round_a_bottle_is_unknown():
    """A bottle photo shows one side of a label that wraps round it: the identity statement, the disclaimer or
    the other-ingredients list it does not show may be round the back (seeds 12-18 bottles failed on them).
    The panel's own fields are in view with it: a serving size missing from the panel is still a fail."""
    lbl = full_label(ROWS, other=[], front="Magnesium L-Threonate\nSupports memory and focus*")
    before = statuses(lbl)
    assert before["identity-statement"] == before["disclaimer-with-claims"] == "fail"
    assert before["other-ingredients-listed"] == "fail"
    lbl.pages[0].wrapped = True
    for check_id in ("identity-statement", "disclaimer-with-claims", "other-ingredients-listed"):
        f = finding(lbl, check_id)
        assert f.status == "unknown" and "side not photographed" in f.message, (check_id, f.message)
    lbl = full_label(ROWS, serving_size=None, front="Dietary Supplement")
    lbl.pages[0].wrapped = True
    assert finding(lbl, "serving-size-stated").status == "fail"
