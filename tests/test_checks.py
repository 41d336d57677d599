"""The magnesium L-threonate pack's checks on hand-built Labels: each check passes, fails and says unknown when it should."""

from __future__ import annotations

import pytest

from labelscan.checks import evaluate, load_rules
from tests.helpers import label, row

PACK = load_rules(["magnesium-l-threonate"])


def statuses(lbl) -> dict[str, str]:
    findings, _ = evaluate(lbl, PACK)
    return {f.id: f.status for f in findings}


def finding(lbl, check_id):
    findings, _ = evaluate(lbl, PACK)
    return next(f for f in findings if f.id == check_id)


FOUR = ["threonate-named", "elemental-magnesium-stated", "no-proprietary-blend", "third-party-seal"]
COMPLIANT_ROWS = [row("Magnesium", 144, dv=34, forms=["magnesium L-threonate"])]
SEAL = "NSF\nCERTIFIED FOR SPORT"


def test_compliant_label_passes_every_check():
    lbl = label(COMPLIANT_ROWS, seals_text=SEAL)
    findings, verdict = evaluate(lbl, PACK)
    assert verdict == "pass"
    assert {f.id: f.status for f in findings if f.id in FOUR} == dict.fromkeys(FOUR, "pass")
    elemental = next(f for f in findings if f.id == "elemental-magnesium-stated")
    assert elemental.value == {"amount": 144, "unit": "mg"}
    assert all(f.evidence for f in findings if f.id in FOUR)


@pytest.mark.parametrize(
    "rows, expected",
    [
        ([row("Magnesium", 144, forms=["Magtein"])], "fail"),
        ([row("Brain Magnesium", 2000)], "fail"),
        ([row("Magnesium", 144, forms=["magnesium glycinate"])], "fail"),
        ([row("Magnesium Threonate", 2000)], "unknown"),
        ([row("Magnesium L-Threonate", 2000, text="Magnesium L-Threonate (Magtein®) 2,000 mg †")], "pass"),
        ([row("Magnesium", 144, forms=["magnesium L-threonate"])], "pass"),
        # a word split by the OCR, every letter there: it names it
        ([row("Magnesium L-Th reonate", 1500, text="Magnesium L-Th reonate — 1,500 mgt")], "pass"),
        # the L read as a bar: a bar before a hyphen is no punctuation
        ([row("Magnesium", 144, forms=["magnesium |-threonate"], text="Magnesium (as magnesium |-threonate) 144 mg")],
         "pass"),
        ([row("Magnesium", 144, forms=["magnesium | threonate"], text="Magnesium (as magnesium | threonate) 144 mg")],
         "unknown"),
        # the isomer's letter misread: close to it, not a different name
        ([row("Magnesium", 124, forms=["1,500 mg Magnesium t-Threonate"])], "unknown"),
        ([row("Magnesium", 119, forms=["magnesium \\-threonate"], text="Magnesium (as magnesium \\-threonate) 119 mg")],
         "pass"),
        # the OCR broke the name: a piece of "threonate" is no proof the label does not name it
        ([row("Jagnesium", 130, forms=["magnesi onate"])], "unknown"),
        ([row("Magnesium", 144, forms=["magnesium thre"])], "unknown"),
        # a salt's first word misread, its second read whole: it may well name it (a blend's component here)
        ([row("Sleep & Recovery Formula", 1200, blend=True, components=["Azanesium L-Threonate", "L-Theanine"])],
         "unknown"),
        # another mineral's salt of the same acid is not it, however alike the two names look
        ([row("Sleep & Recovery Formula", 1200, blend=True, components=["Manganese L-Threonate", "L-Theanine"])],
         "fail"),
        ([row("Calcium L-Threonate", 1000)], "fail"),
        # other forms read whole stay a confident fail, however close their endings
        ([row("Magnesium", 144, forms=["magnesium carbonate"])], "fail"),
        ([row("Magnesium", 144, forms=["magnesium gluconate"])], "fail"),
        ([row("Magnesium", 144, forms=["magnesium chloride hexahydrate"])], "fail"),
        # the %DV printed beside a wrapped name's first line, read into the middle of it (seed 29): no word of it
        ([row("Magnesium", 92, forms=["4,200 mg Magnesium 22% L-Threonate"],
              text="Magnesium (from 4,200 mg Magnesium 22% L-Threonate} 92mg")], "pass"),
        ([row("Magnesium", 92, forms=["1,200 mg Magnesium 22% Glycinate"],
              text="Magnesium (from 1,200 mg Magnesium 22% Glycinate) 92mg")], "fail"),
        # "(from 1,200 / mg Magnesium / L-Threonate)" with its middle line lost (seed 29): the salt's first word
        # may be the one lost, so not a confident "not named"; a source named whole after its weight still fails
        ([row("Magnesium", 92, forms=["1,200 L-Threonate"], text="Magnesium (from 1,200 L-Threonate) 92 mg 22%")],
         "unknown"),
        # ...and with "mg" misread (seed 25): the word before the salt's second names nothing
        ([row("Magnesium", 90, forms=["1,200 ime L-Threonate"], text="Magnesium (from 1,200 ime L-Threonate) 90 mg")],
         "unknown"),
        ([row("Magnesium", 92, forms=["1,200 mg Magnesium Citrate"])], "fail"),
    ],
)
def test_threonate_named(rows, expected):
    assert statuses(label(rows, seals_text=SEAL))["threonate-named"] == expected


@pytest.mark.parametrize(
    "rows, expected, value",
    [
        (COMPLIANT_ROWS, "pass", {"amount": 144, "unit": "mg"}),
        ([row("Magnesium L-Threonate", 2000), row("Elemental Magnesium", 144)], "pass", {"amount": 144, "unit": "mg"}),
        ([row("Magnesium L-Threonate", 2, "g"), row("Magnesium", 0.144, "g", forms=["magnesium L-threonate"])], "pass", {"amount": 0.144, "unit": "g"}),
        ([row("Magnesium L-Threonate", 2000)], "fail", None),
        # 2,000 mg of magnesium "as magnesium L-threonate" is the compound's weight
        ([row("Magnesium", 2000, forms=["magnesium L-threonate"])], "fail", None),
        # more magnesium than the printed compound can hold (8.3% of 1,000 mg = 83 mg)
        ([row("Magnesium L-Threonate", 1000), row("Magnesium", 144, forms=["magnesium L-threonate"])], "fail", None),
        ([row("Magnesium", None, forms=["magnesium L-threonate"])], "unknown", None),
        # a blend's weight read beside the first word of its components (seed 33, a 684 px wide photo): more
        # magnesium than any supplement carries proves nothing
        ([row("Zinc", 10, forms=["zinc picolinate"], dv=91), row("Magnesium", 1650)], "unknown", None),
        ([row("Magnesium", 400, dv=95)], "pass", {"amount": 400, "unit": "mg"}),
    ],
)
def test_elemental_magnesium_stated(rows, expected, value):
    f = finding(label(rows, seals_text=SEAL), "elemental-magnesium-stated")
    assert f.status == expected, f.message
    assert f.value == value
    if expected == "fail":
        assert f.advice and "elemental" in f.advice


@pytest.mark.parametrize(("amount", "status"), [(2000, "fail"), (1000, "fail"), (200, "unknown")])
def test_a_compound_row_read_poorly_but_weighing_more_than_any_elemental_amount_settles_the_absence(amount, status):
    """Seeds 25-29: "Magnesium L-Threonate 1,000 mg" (or 1,800, 2,000) the only magnesium row, read at 61-80 %,
    made 'no elemental amount' unknown ("may say otherwise"). 1,000 mg is more magnesium than 3,000 mg of the
    compound could give (at most 8.3 %, 249 mg), so however the row was misread, it states no elemental amount:
    the check fails. A 200 mg row read as poorly could be the elemental amount misread: still unknown."""
    rows = [row("Magnesium L-Threonate", amount, confidence=0.79)]
    f = finding(label(rows, seals_text=SEAL), "elemental-magnesium-stated")
    assert f.status == status, f.message
    assert any("L-Threonate" in e.text for e in f.evidence)


@pytest.mark.parametrize(("name", "amount", "dv", "status"), [
    ("Manes \u2018", 87, 21, "pass"),   # seed 31 lowres: "Magnesium" read as "Manes", its amount and %DV agree
    ("Manes \u2018", 87, 35, "fail"),   # the %DV fits no 420 mg Daily Value: no vouching
    ("Xqzl", 10, 2, "fail"),             # so low a %DV fits choline's 550 mg too: rounding, not proof
    ("Choline", 87, 16, "fail"),         # a nutrient the OCR read is that nutrient
])
def test_a_row_named_nothing_legible_is_magnesium_when_its_dv_fits_420_mg(name, amount, dv, status):
    """Seed 31, low resolution: the magnesium row read as "Manes \u2018 87 mg 21%" beside "Magnesium
    L-Threonate 1,200 mg" made 'no elemental amount' a confident wrong fail. Only magnesium has a Daily Value of
    about 420 mg, so a row whose name names nothing and whose %DV (10 % or more) is its amount over 420 mg
    states magnesium."""
    rows = [row(name, amount, dv=dv, confidence=0.54), row("Magnesium L-Threonate", 1200)]
    f = finding(label(rows, seals_text=SEAL), "elemental-magnesium-stated")
    assert f.status == status, f.message


def test_impossible_amount_is_explained():
    f = finding(label([row("Magnesium", 2000, forms=["magnesium L-threonate"])]), "elemental-magnesium-stated")
    assert "compound" in f.message


@pytest.mark.parametrize("dv, status", [(None, "fail"), (94, "fail"), (99, "fail"), (23, "unknown")])
def test_an_impossible_amount_its_own_dv_contradicts_was_misread_not_mislabelled(dv, status):
    """A low-resolution photo (seed 36): "Magnesium (from 1,200 mg Magnesium L-Threonate) 396mg 23%", 96 mg
    misread. 396 mg is more than L-threonate can give, and the check failed with confidence ("the compound's
    weight, not the elemental amount"); yet 23% is 96 mg's Daily Value, not 396 mg's (94%, or 99% on an older
    label's 400 mg). A %DV that fits the amount leaves the mislabel proven; one that contradicts it, a misread."""
    rows = [row("Magnesium", 396, dv=dv, forms=["magnesium L-threonate"])]
    f = finding(label(rows, seals_text=SEAL), "elemental-magnesium-stated")
    assert f.status == status, f.message
    assert status == "fail" or "contradicts" in f.message


def test_the_tail_of_a_nutrient_row_split_in_columns_is_no_compound_weight():
    """A tilted photo (seed 39): the column split read "Magnesium (as Magnesium" / "L-threonate) 74 mg 18%" as
    "Magnesium L-threonate) 74 mg", its "(as Magnesium" and its %DV lost, beside another reading's whole row.
    Taken for the compound's weight, 74 mg of L-threonate could hold 6 mg of magnesium, and the elemental check
    failed with confidence on a label that states 74 mg. A name that closes a bracket it never opened is the
    tail of the nutrient's own row, not a compound's."""
    rows = [row("Magnesium", 74, dv=18, forms=["magnesium L-threonate"]),
            row("Magnesium L-threonate)", 74, text="Magnesium L-threonate) 74 mg")]
    f = finding(label(rows, seals_text=SEAL), "elemental-magnesium-stated")
    assert f.status == "pass", f.message
    rows[1] = row("Magnesium L-threonate", 74)  # a whole compound row of 74 mg still proves the 74 mg impossible
    assert finding(label(rows, seals_text=SEAL), "elemental-magnesium-stated").status == "fail"


@pytest.mark.parametrize("rows, status", [
    # "Magnesium (as magnesium" lost: the tail closes a bracket it never opened (seed 42, low resolution)
    ([row("glycinate)", 200, text="glycinate) 200 mg")], "unknown"),
    # the name garbled, the source begins with magnesium (seed 42, bottle)
    ([row("t@sium", 200, forms=["magnesium tate"], text="t@sium (as magnesium tate) 200 mg")], "unknown"),
    # another nutrient's row, cut the same way: its %DV is no magnesium's (15 mg would print 4%)
    ([row("glycinate)", 15, dv=136, text="glycinate) 15 mg 136%")], "fail"),
    # a garbled name with the compound's weight, more than any elemental amount: still the compound
    ([row("t@sium", 2000, forms=["magnesium L-threonate"], text="t@sium (magnesium L-threonate) 2,000 mg")],
     "fail"),
    ([row("Zinc", 15, forms=["zinc glycinate"])], "fail"),
])
def test_a_row_whose_name_was_lost_leaves_the_elemental_amount_unknown(rows, status):
    """Seed 42: "Magnesium (as magnesium glycinate) 200 mg" read as "glycinate) 200 mg" on a low-resolution photo
    and as "t@sium (as magnesium tate) 200 mg" on a bottle, and the elemental check failed with confidence ("no row
    states the elemental magnesium") on a label that states 200 mg. A row whose name was lost may be magnesium's."""
    f = finding(label(rows, seals_text=SEAL), "elemental-magnesium-stated")
    assert f.status == status, f.message


def test_a_row_cut_short_is_mended_from_another_reading_of_the_panel():
    """Seed 42, low resolution: the best reading of the panel read its one row as "glycinate) 200 mg"; another
    reading had it whole, "Magnesium (as magnesium glycinate) 200 mg". The whole row, the same amount, stands in
    for the cut one; a row of another amount does not."""
    from labelscan.model import OcrPage
    from labelscan.pipeline import parse_label

    def page(line: str, confidence: float) -> OcrPage:
        text = "\n".join(["Supplement Facts", "Serving Size 3 Capsules", "Amount Per Serving", line,
                          "Other ingredients: cellulose."])
        read = OcrPage.from_text(text)
        read.words = [type(w)(w.text, w.bbox, confidence, w.block, w.line) for w in read.words]
        return read

    cut = page("glycinate) 200 mg", 0.96)
    mended = parse_label([cut, page("Magnesium (as magnesium glycinate) 200 mg", 0.93)])
    assert [r.text for r in mended.panel.rows] == ["Magnesium (as magnesium glycinate) 200 mg"]
    assert finding(mended, "elemental-magnesium-stated").status == "pass"
    assert finding(mended, "threonate-named").status == "fail"
    other = parse_label([cut, page("Magnesium (as magnesium glycinate) 120 mg", 0.93)])
    assert [r.text for r in other.panel.rows] == ["glycinate) 200 mg"]
    assert finding(other, "elemental-magnesium-stated").status == "unknown"


def test_a_name_the_best_reading_garbled_is_read_on_another_reading_of_the_panel():
    """A sideways photo (seed 40): the best reading of the panel split "Magnesium L-Threonate, Rhodiola rosea
    root," in two and read its halves out of order (the blend's components "L-Threonate", …, "Magnesium"), and
    the name check failed with confidence; the panel read again on its own had the line whole. A name read on
    any reading of the panel is named; one read on none still is not."""
    from labelscan.model import OcrPage
    from labelscan.pipeline import parse_label

    def page(lines: list[str], confidence: float) -> OcrPage:
        text = "\n".join(["Supplement Facts", "Serving Size 3 Capsules", "Amount Per Serving % Daily Value",
                          "Brain Focus Matrix 1,650 mg", *lines, "Phosphatidylserine, Ginkgo biloba leaf",
                          "\u2020 Daily Value not established."])
        read = OcrPage.from_text(text)
        read.words = [type(w)(w.text, w.bbox, confidence, w.block, w.line) for w in read.words]
        return read

    garbled = page(["L-Threonate, Rhodiola rosea root,", "Magnesium"], 0.96)
    whole = page(["Magnesium L-Threonate, Rhodiola rosea root,"], 0.93)
    f = finding(parse_label([garbled, whole]), "threonate-named")
    assert f.status == "pass" and f.evidence[0].page == 1, f.message
    assert finding(parse_label([garbled]), "threonate-named").status != "pass"
    other = page(["Magnesium Glycinate, Rhodiola rosea root,"], 0.93)
    assert finding(parse_label([garbled, other]), "threonate-named").status != "pass"


def test_blend_fails_with_its_components_as_evidence():
    blend = row("Cognitive Matrix", 2100, blend=True, components=["magnesium L-threonate", "L-theanine"])
    f = finding(label([blend], seals_text=SEAL), "no-proprietary-blend")
    assert f.status == "fail"
    assert "Cognitive Matrix" in f.message and "L-theanine" in f.message
    assert f.evidence[0].text.startswith("Cognitive Matrix")


def test_blend_phrase_on_an_unparsed_row_still_fails():
    lbl = label([row("Proprietary Blend", None, text="Proprietary Blend 1,500 mg")] + COMPLIANT_ROWS, seals_text=SEAL)
    assert statuses(lbl)["no-proprietary-blend"] == "fail"


def test_a_blend_read_on_another_reading_of_the_panel_fails_though_the_best_reading_garbled_it():
    """A sideways photo: the whole-image reading had "Calm Mind Formula 800 mg", the re-read panel, preferred
    for its confidence, 'g 00mg'; no blend was read there and the product passed."""
    from labelscan.model import OcrPage
    from labelscan.parse import parse_pages

    head = "Supplement Facts\nServing Size 4 Softgels\nAmount Per Serving % DV\nMagnesium (as magnesium L-threonate) 81 mg 19%\n"
    garbled = OcrPage.from_text(head + "Calm é 800 mg\nApigenin, Taurine\n")
    clear = OcrPage.from_text(head + "Calm Mind Formula 800 mg\nApigenin, Taurine\n")
    clear.words = [type(w)(w.text, w.bbox, 0.8, w.block, w.line) for w in clear.words]  # the weaker reading
    panel = parse_pages([garbled, clear])
    assert not panel.blends and [r.name for r in panel.blends_read_elsewhere] == ["Calm Mind Formula"]
    lbl = label(COMPLIANT_ROWS, seals_text=SEAL)
    lbl.panel.other_readings = panel.other_readings
    f = finding(lbl, "no-proprietary-blend")
    assert f.status == "fail" and "Calm Mind Formula" in f.message and "another reading" in f.message


def test_a_blend_line_whose_amount_was_lost_is_unknown_not_a_pass():
    from labelscan.model import Evidence

    lbl = label(COMPLIANT_ROWS, seals_text=SEAL)
    lbl.panel.table_lines = [COMPLIANT_ROWS[0].evidence, Evidence("Cognitive Matrix 800 t", (10, 40, 100, 20), 0.95)]
    f = finding(lbl, "no-proprietary-blend")
    assert f.status == "unknown" and "Cognitive Matrix 800 t" in f.message
    lbl.panel.table_lines = [COMPLIANT_ROWS[0].evidence, Evidence("Taurine 800 t", (10, 40, 100, 20), 0.95)]
    assert finding(lbl, "no-proprietary-blend").status == "pass"


@pytest.mark.parametrize(
    "seals_text, expected, kind",
    [
        ("NSF\nCERTIFIED FOR SPORT", "pass", "third-party"),
        ("USP\nVERIFIED", "pass", "third-party"),
        ("NSF\nGMP\nREGISTERED", "pass", "facility"),
        ("Made in a cGMP facility", "fail", None),
        ("Third-party tested", "fail", None),
        ("Formulated to meet USP standards", "fail", None),
        ("FDA registered facility", "fail", None),
        ("", "fail", None),
    ],
)
def test_third_party_seal(seals_text, expected, kind):
    f = finding(label(COMPLIANT_ROWS, seals_text=seals_text), "third-party-seal")
    assert f.status == expected, f.message
    if kind:
        assert f.value["kind"] == kind
    if seals_text and expected == "fail":
        assert "not a seal" in f.message


def test_missing_panel_is_unknown_and_needs_review():
    lbl = label([], found=False, seals_text=SEAL)
    findings, verdict = evaluate(lbl, PACK)
    assert verdict == "needs-review"
    assert {f.id: f.status for f in findings if f.id in FOUR} == {
        "threonate-named": "unknown", "elemental-magnesium-stated": "unknown",
        "no-proprietary-blend": "unknown", "third-party-seal": "pass"}
    assert all(f.advice for f in findings if f.status == "unknown")


def test_low_confidence_panel_never_passes_on_absence():
    lbl = label(COMPLIANT_ROWS, confidence=0.35)
    s = statuses(lbl)
    assert s["no-proprietary-blend"] == "unknown"
    assert s["third-party-seal"] == "unknown"
    _, verdict = evaluate(lbl, PACK)
    assert verdict == "needs-review"


def test_low_confidence_amount_is_unknown():
    rows = [row("Magnesium", 144, forms=["magnesium L-threonate"], confidence=0.3)]
    assert statuses(label(rows, seals_text=SEAL))["elemental-magnesium-stated"] == "unknown"


@pytest.mark.parametrize(("amount", "dv", "status"), [(133, 32, "pass"), (133, 45, "unknown"), (183, 32, "unknown")])
def test_a_low_confidence_amount_is_taken_when_its_daily_value_agrees(amount, dv, status):
    """Seed 18 photo: "Magnesium Bue Be 133mg - 32%", the amount read at next to no confidence among dot
    leaders. 133 mg is 32% of magnesium's 420 mg: two numbers read apart agree, which a misread would not."""
    rows = [row("Magnesium", amount, dv=dv, confidence=0.4), row("Magnesium L-Threonate", 1800)]
    f = finding(label(rows, seals_text=SEAL), "elemental-magnesium-stated")
    assert f.status == status
    if status == "pass":
        assert "low confidence" in f.message and "32% Daily Value" in f.message


def test_fail_outranks_unknown():
    lbl = label([row("Magnesium L-Threonate", 2000)], confidence=0.35)
    _, verdict = evaluate(lbl, PACK)
    assert verdict in {"fail", "needs-review"}
    findings, verdict = evaluate(label([row("Magnesium", 144, forms=["Magtein"])], seals_text=SEAL), PACK)
    assert verdict == "fail"


def test_pack_applies_by_text_when_not_named():
    packs = load_rules()
    other = label([row("Vitamin D3", 25, "mcg")], text="Vitamin D3 softgels")
    findings, verdict = evaluate(other, [p for p in packs if p.name == "magnesium-l-threonate"])
    assert findings == [] and verdict == "needs-review"
    assert any("No rule pack applies" in w for w in other.warnings)


def test_a_poorly_read_row_that_may_be_the_answer_makes_an_absence_unknown():
    garbled = row("Maanes UT", 19, forms=[], text="Maanes UT} ~~ nagnesium L-threonate) 19mg", confidence=0.62)
    f = finding(label([garbled], seals_text=SEAL), "elemental-magnesium-stated")
    assert f.status == "unknown"
    assert "low confidence" in f.message


@pytest.mark.parametrize("source, status", [
    ("magnesium Olycinate", "fail"),  # another salt, however poorly the row was read
    ("magnesium citrate", "fail"),
    ("magnesium oxide, magnesium citrate", "fail"),
    ("magnesium threonete", "unknown"),  # may be the salt sought, misread
    ("Magtein*", "unknown"),  # a trade name is no salt's name: it may stand for it
    ("magnesium citrate and L-threonate", "unknown"),
])
def test_a_poorly_read_row_sourced_from_another_salt_leaves_the_name_missing(source, status):
    other = row("Magnesium", 200, dv=48, text=f"Mesnesium (as {source}) ......200 mg 48%", confidence=0.61)
    f = finding(label([other], seals_text=SEAL), "threonate-named")
    assert f.status == status
    assert status == "unknown" or "low confidence" not in f.message


def test_a_nutrient_row_run_on_in_noise_makes_an_absent_amount_unknown_only_when_read_poorly():
    """"Magnesium OEE GE Oe 119 mg": leaders read as capitals made the row no magnesium row. Read poorly,
    it may be the nutrient's own row: unknown. Read well ("Magnesium Glycinate 500 mg"), a fail stays a fail."""
    noisy = row("Magnesium OEE GE Oe", 119, forms=["magnesium Ecoles iesaljig"], confidence=0.55)
    assert finding(label([noisy], seals_text=SEAL), "elemental-magnesium-stated").status == "unknown"
    clear = row("Magnesium Glycinate", 500, forms=[])
    assert finding(label([clear], seals_text=SEAL), "elemental-magnesium-stated").status == "fail"


def test_an_unreadable_round_mark_beside_a_self_claim_is_unknown_not_a_fail():
    from labelscan.model import Evidence

    lbl = label(COMPLIANT_ROWS, seals_text="Made in a cGMP facility")
    assert finding(lbl, "third-party-seal").status == "fail"
    lbl.unread_marks = [Evidence("- ~ -- mem (cL)", (600, 880, 214, 214), 0.0)]
    f = finding(lbl, "third-party-seal")
    assert f.status == "unknown" and "cGMP" in f.message and "shaped like a seal" in f.message


def test_a_row_named_by_the_second_half_of_a_salt_leaves_the_name_unknown():
    """"Magnesium" / "L-Threonate  2,000 mg": when the first line was lost, the row left is "L-Threonate", which
    names no ingredient on its own, so "not named" is unproven. Another form named whole is still a fail."""
    f = finding(label([row("L-Threonate", 2000)], seals_text=SEAL), "threonate-named")
    assert f.status == "unknown" and "second half" in f.message
    assert finding(label([row("Magnesium Glycinate", 2000)], seals_text=SEAL), "threonate-named").status == "fail"


def test_a_claim_printed_twice_is_named_once():
    lbl = label(COMPLIANT_ROWS, seals_text="Made in a cGMP facility")
    lbl.seals = lbl.seals * 2  # as when a second reading of the label (another page) finds it again
    f = finding(lbl, "third-party-seal")
    assert f.status == "fail" and len(f.evidence) == 2
    assert f.message.count("cGMP facility") == 1, f.message


def test_a_magnesium_line_that_did_not_become_a_row_makes_absence_unknown():
    from labelscan.model import Evidence

    rows = [row("Vitamin C", 60, forms=["ascorbic acid"])]
    lbl = label(rows, seals_text=SEAL)
    assert statuses(lbl)["threonate-named"] == "fail"
    lbl.panel.table_lines = [Evidence("Elemental Magnesium Yomg 23%", (10, 60, 200, 20), 0.9), rows[0].evidence]
    found = statuses(lbl)
    assert found["threonate-named"] == "unknown" and found["elemental-magnesium-stated"] == "unknown"
    message = finding(lbl, "elemental-magnesium-stated").message
    assert "Elemental Magnesium Yomg 23%" in message and "could not be read as a row" in message


def test_a_blends_component_lines_are_not_lost_rows():
    from labelscan.model import Evidence

    blend = row("Calm Mind Formula", 2100, blend=True,
                components=["Magnesium L-threonate", "Taurine", "Phosphatidylserine", "L-theanine"])
    lbl = label([blend], seals_text=SEAL)
    lbl.panel.table_lines = [blend.evidence, Evidence("(Magnesium L-threonate, Taurine, Phosphatidylserine,",
                                                      (10, 60, 300, 20), 0.95)]
    assert statuses(lbl)["elemental-magnesium-stated"] == "fail"


def _mark(*core_reads: tuple[str, str], words: list[str] | None = None):
    """A round mark whose core (centre disc) was read as given, its arc as `words`."""
    from labelscan.seal_shapes import MarkReading

    return MarkReading((600, 100, 70, 70), words=words or [], confidences=[0.6] * len(words or []), ink=0.2,
                       letters=12, band_px=8, core_reads=list(core_reads))


@pytest.mark.parametrize("core_reads, expected", [
    ([("tesseract", "NSF"), ("tesseract enlarged", "NSF;"), ("rapidocr", "NSF")], "nsf-mark"),
    ([("tesseract", "corr cL"), ("rapidocr", "Cseoumerth.cam CL")], "consumerlab-mark"),  # a badge: among noise
    ([("tesseract", ""), ("tesseract enlarged", ""), ("rapidocr", "UL")], None),  # one reading alone may be chance
    ([("tesseract", "UL"), ("tesseract", "UL")], None),  # two readings of one view are not independent
    ([("tesseract", "USP"), ("rapidocr", "USP")], None),  # makers print USP on their own "meets USP standards"
    ([("tesseract", "GMP"), ("rapidocr", "GMP")], None),  # "GMP Quality": the maker's own
    ([("tesseract", "ULTRA"), ("rapidocr", "ULTRA")], None),  # initials are a word of their own
    ([("tesseract", "FDA"), ("tesseract enlarged", "FDA")], "fda-mark"),  # the maker's "FDA registered" ring
])
def test_a_mark_whose_only_legible_words_are_a_certifiers_initials(core_reads, expected):
    from labelscan.seal_shapes import seals_from_marks

    seals, unread = seals_from_marks([_mark(*core_reads)])
    assert [s.program for s in seals] == ([expected] if expected else [])
    assert len(unread) == (0 if expected else 1)  # the others stay unread marks: the seal check is unknown


def test_a_ring_with_fda_in_its_middle_is_the_makers_claim_and_the_seal_check_fails():
    """Seeds 28 and 30, low resolution: "MANUFACTURED IN AN FDA REGISTERED FACILITY" round a ring 53-65 px
    across, its arc unreadable, "FDA" read in its middle in two views. The FDA certifies nothing, so no
    certifier's mark says FDA there: the ring is the maker's claim, not an unread seal, and with no other
    mark the check fails (it was 'unknown')."""
    from labelscan.seal_shapes import seals_from_marks

    seals, unread = seals_from_marks([_mark(("tesseract", "FDA"), ("tesseract enlarged", "FDA"),
                                            words=["(FDA)", "A", "Dee"])])
    assert [s.kind for s in seals] == ["self-claim"] and not unread
    lbl = label(COMPLIANT_ROWS)
    lbl.seals = seals
    f = finding(lbl, "third-party-seal")
    assert f.status == "fail" and "maker's own claim" in f.message


@pytest.mark.parametrize("words, expected", [
    (["e", "(ey", "TESTED", "it", "INFORMED", "BATCH"], "informed-mark"),  # seed 18: only the name read
    ([">", "CHOICE", "sPORT", "trusted"], "informed-mark"),                # only the LGC tagline "trusted by sport"
    (["INFORMED", "SPORT"], "informed-sport"),                            # the programme read: that one
    (["TRUSTED", "QUALITY"], None),                                       # a maker's badge: no certifier's name
    (["SPORT", "FORMULA"], None),
])
def test_a_mark_known_by_its_certifiers_name_alone(words, expected):
    """A ring whose programme words were lost, though "INFORMED" was read round it, is LGC's mark: Informed
    Sport or Informed Choice, both accepted by the guide, so the seal check passes and says what was read."""
    from labelscan.seal_shapes import seals_from_marks

    seals, unread = seals_from_marks([_mark(words=words)])
    assert [s.program for s in seals] == ([expected] if expected else [])
    if expected == "informed-mark":
        assert seals[0].covers == ("informed-sport", "informed-choice") and seals[0].kind == "third-party"
        lbl = label(COMPLIANT_ROWS)
        lbl.seals = seals
        f = finding(lbl, "third-party-seal")
        assert f.status == "pass" and "Informed (LGC) mark" in f.message and "not its programme" in f.message


@pytest.mark.parametrize(("confidence", "expected"), [(0.996, "npa-mark"), (0.8, None)])
def test_initials_read_in_one_view_alone_must_be_read_surely(confidence, expected):
    """Seed 18 low resolution: an NPA shield 76 px across, whose centre tesseract read as nothing and the
    second reader as "NPA" at 0.996. One view read that surely is enough; read doubtfully, it stays unread."""
    from labelscan.seal_shapes import MarkReading, seals_from_marks

    shield = MarkReading((600, 100, 76, 87), words=["npa"], confidences=[confidence], shape="shield",
                         core_reads=[("tesseract", ""), ("tesseract", ""), ("rapidocr", "NPA")])
    seals, unread = seals_from_marks([shield])
    assert [s.program for s in seals] == ([expected] if expected else []) and len(unread) == (0 if expected else 1)


def test_a_ring_saying_made_and_cgmp_is_the_makers_own_claim_though_its_facility_was_misread():
    from labelscan.seal_shapes import seals_from_marks

    ring = _mark(("tesseract", "cGMP"), ("rapidocr", "cGMP"), words=["e", "MADEINA", "FACUITV", "cGMP", "made"])
    seals, unread = seals_from_marks([ring])  # a clean scan's "MADE IN A cGMP FACILITY" disc
    assert [(s.program, s.kind) for s in seals] == [("made-in-cgmp-facility", "self-claim")] and not unread


def test_a_certifiers_mark_passes_only_a_check_that_accepts_every_programme_it_may_be(tmp_path):
    from labelscan.checks import load_pack
    from labelscan.seal_shapes import seals_from_marks

    lbl = label(COMPLIANT_ROWS, seals_text="Made in a cGMP facility")
    lbl.seals += seals_from_marks([_mark(("tesseract", "NSF"), ("tesseract enlarged", "NSF"))])[0]
    f = finding(lbl, "third-party-seal")  # the guide accepts NSF's product and factory marks alike
    assert f.status == "pass" and '"NSF"' in f.message and f.value == {"program": "nsf-mark", "kind": "certifier"}
    strict = tmp_path / "strict.yaml"  # a pack that takes product certifications only
    strict.write_text("pack: strict\nversion: 1\ntitle: Product seals only\nchecks:\n  - id: sport\n"
                      "    kind: seal-present\n    title: Sport seal\n    severity: error\n"
                      "    accept: [nsf-certified-for-sport, usp-verified]\n")
    [outcome] = [f for f in evaluate(lbl, [load_pack(strict)])[0] if f.id == "sport"]
    assert outcome.status == "unknown" and "nsf-gmp-registered" in outcome.message


def test_on_a_label_unrolled_from_a_bottle_a_missing_seal_is_unknown():
    lbl = label(COMPLIANT_ROWS, seals_text="Made in a cGMP facility")
    assert finding(lbl, "third-party-seal").status == "fail"
    lbl.pages[0].wrapped = True
    f = finding(lbl, "third-party-seal")
    assert f.status == "unknown" and "not photographed" in f.message and "cGMP" in f.message
    lbl = label(COMPLIANT_ROWS, seals_text=SEAL)
    lbl.pages[0].wrapped = True
    assert finding(lbl, "third-party-seal").status == "pass"


def test_on_a_bottle_whose_label_ends_both_show_a_missing_seal_is_missing():
    lbl = label(COMPLIANT_ROWS, seals_text="Made in a cGMP facility")
    lbl.pages[0].wrapped = lbl.pages[0].ends_in_view = True
    f = finding(lbl, "third-party-seal")
    assert f.status == "fail" and "cGMP" in f.message and "not photographed" not in f.message
    assert "Both ends of the label" in f.message


def test_a_lost_line_whose_box_touches_the_next_rows_box_still_counts_as_lost():
    """In a tilted photo the box of a line that lost its amount overlaps the next row's box by a few pixels;
    it is not part of that row, so a check must not conclude the name is absent."""
    from labelscan.model import Evidence

    taurine = row("Taurine", 250)
    taurine.evidence = Evidence("Taurine 250 mg †", (19, 115, 425, 23), 0.95)
    lbl = label([taurine], seals_text=SEAL)
    lbl.panel.table_lines = [Evidence("Magnesium (as magnesium L-threonate) iSSmg 37%", (20, 99, 426, 21), 0.9),
                             taurine.evidence]
    found = statuses(lbl)
    assert found["elemental-magnesium-stated"] == "unknown"
    assert found["threonate-named"] == "pass"  # the line names it whole; only its amount was lost


@pytest.mark.parametrize(("line", "status"), [
    ("Magnesium (as magnesium L-threonate) iSSmg 37%", "pass"),
    ("Magnesium L-Threonate mg", "pass"),
    ("Magnesium (as magnesium threonate) iSSmg 37%", "unknown"),  # without the L-: may be the line misread
    ("Magnesium (as magnesium glycinate) iSSmg 37%", "unknown"),
])
def test_a_table_line_that_lost_its_amount_still_names_the_ingredient(line, status):
    from labelscan.model import Evidence

    rows = [row("Vitamin C", 60, forms=["ascorbic acid"])]
    lbl = label(rows, seals_text=SEAL)
    lbl.panel.table_lines = [Evidence(line, (10, 60, 400, 20), 0.9), rows[0].evidence]
    f = finding(lbl, "threonate-named")
    assert f.status == status, f.message
    assert line in f.message


def test_a_row_read_without_a_legible_name_makes_absence_unknown():
    """"ee 20mg": the OCR lost the row's name, so the row may be magnesium L-threonate. A row with its own
    amount hides no dose, so the blend check is unchanged; "D3 (as cholecalciferol)" has a legible source."""
    rows = [row("Vitamin C", 60, forms=["ascorbic acid"])]
    assert statuses(label(rows, seals_text=SEAL))["threonate-named"] == "fail"
    found = statuses(label(rows + [row("ee", 20)], seals_text=SEAL))
    assert found["threonate-named"] == found["elemental-magnesium-stated"] == "unknown"
    assert found["no-proprietary-blend"] == "pass"
    assert statuses(label(rows + [row("D3", 25, forms=["cholecalciferol"])], seals_text=SEAL))["threonate-named"] == "fail"
    message = finding(label(rows + [row("ee", 20)], seals_text=SEAL), "threonate-named").message
    assert "without a legible name" in message


@pytest.mark.parametrize(("name_confidence", "status"), [(0.0, "unknown"), (0.6, "fail")])
def test_a_row_name_the_ocr_only_guessed_at_is_no_legible_name(name_confidence, status):
    """"PARENOCSIOIN 76 mg": tesseract's letters for a blurred "Magnesium", at a confidence near 0. Such a
    name is no name read, so the row may be the elemental magnesium; a name read even poorly (60 %) is one."""
    from labelscan.model import Evidence, Word

    rows = [row("Magnesium L-Threonate", 1000), row("PARENOCSIOIN", 76)]
    rows[1].evidence = Evidence("PARENOCSIOIN 76 mg", (10, 40, 300, 20), 0.64, 0)
    lbl = label(rows, seals_text=SEAL)
    lbl.pages[0].words += [Word("PARENOCSIOIN", (12, 42, 150, 16), name_confidence, 9, 90),
                           Word("76", (200, 42, 20, 16), 0.95, 9, 90), Word("mg", (225, 42, 25, 16), 0.95, 9, 90)]
    f = finding(lbl, "elemental-magnesium-stated")
    assert f.status == status, f.message
    assert ("PARENOCSIOIN" in f.message) == (status == "unknown")


def test_a_poorly_read_row_holding_part_of_the_name_sought_makes_absence_unknown():
    """"}''98nesium <=. Threonate 1,500 mg" at 61 %: the row bears on whether magnesium L-threonate is named
    (it holds "threonate"), so its doubt is the check's; a poorly read row about something else is not."""
    rows = [row("Magnesium", 124, dv=30), row("}''98nesium <=. Threonate", 1500, confidence=0.61)]
    f = finding(label(rows, seals_text=SEAL), "threonate-named")
    assert f.status == "unknown" and "98nesium" in f.message, f.message  # its first word unread, or read poorly
    other = [row("Magnesium", 124, dv=30), row("Lion's Mane Mushroom", 500, confidence=0.61)]
    assert finding(label(other, seals_text=SEAL), "threonate-named").status == "fail"


def test_a_table_line_with_a_number_that_did_not_become_a_row_makes_absence_unknown():
    """"peers 75": "Magnesium 75 mg" with its name garbled and its unit lost is no row, but may be the amount.
    (For the blend check only a lost line with a blend's word counts: one named otherwise is no blend.)"""
    from labelscan.model import Evidence

    rows = [row("Magnesium L-Threonate", 1000, forms=[])]
    lbl = label(rows, seals_text=SEAL)
    assert statuses(lbl)["elemental-magnesium-stated"] == "fail"
    lbl.panel.table_lines = [Evidence("peers 75", (10, 60, 200, 20), 0.6), rows[0].evidence]
    found = statuses(lbl)
    assert found["elemental-magnesium-stated"] == "unknown" and found["threonate-named"] == "pass"
    for text in ("Amount Per Serving", "Vitamin D3 (as", "B12",  # no number: a digit in a name is none
                 "Vitamin B6 (as pyridoxal 5'-phosphate) mg 11",  # another nutrient's lost amount
                 "pased on a 2,000 calorie",  # a piece of the footnote's wording is no amount
                 "| based 2,000 calorie AAT Awin |",  # nor is one read with noise, mostly its words
                 "Ng Size 2 Capsules", "Servinas Per Containar 30",  # the serving lines' numbers are theirs
                 "Per Con tainer 30",  # a word the OCR split in two is still the wording's
                 "pyridoxal-5-phosphate) is"):  # a number inside a chemical name is no amount
        lbl.panel.table_lines = [Evidence(text, (10, 60, 200, 20), 0.9), rows[0].evidence]
        assert statuses(lbl)["elemental-magnesium-stated"] == "fail", text
    lbl.panel.table_lines = [Evidence("Values based 2,000 Magnesium 144 mg", (10, 60, 200, 20), 0.9), rows[0].evidence]
    assert statuses(lbl)["elemental-magnesium-stated"] == "unknown"  # the footnote's words and a lost row


def test_print_in_the_table_the_ocr_gave_no_words_for_makes_absence_and_no_blend_unknown():
    """A line of the rows table lost altogether (no word read over its ink) may be the row a check looks for,
    or a blend: neither "not named" nor "no blend" can be concluded. What was read is still used."""
    from labelscan.model import Evidence

    lbl = label([row("Vitamin C", 60, forms=["ascorbic acid"])], seals_text=SEAL)
    assert statuses(lbl)["threonate-named"] == "fail" and statuses(lbl)["no-proprietary-blend"] == "pass"
    lbl.panel.unread_lines = [Evidence("(print the OCR gave no words for)", (10, 60, 300, 20), 0.0)]
    found = statuses(lbl)
    assert found["threonate-named"] == found["elemental-magnesium-stated"] == found["no-proprietary-blend"] == "unknown"
    assert "gave the OCR no words" in finding(lbl, "threonate-named").message
    assert (10, 60, 300, 20) in [e.bbox for e in finding(lbl, "threonate-named").evidence]
    named = label([row("Magnesium (as magnesium L-threonate)", 144)], seals_text=SEAL)
    named.panel.unread_lines = lbl.panel.unread_lines
    assert statuses(named)["threonate-named"] == "pass"


def test_unread_print_on_the_amounts_side_of_the_table_names_nothing():
    """A lost "125%" in the %DV column is unread print too, but no row's name can be in it: "not named" and "no
    blend" stand. Print lost at the names' side of the table still leaves them unknown."""
    from labelscan.model import Evidence

    lbl = label([row("Vitamin C", 60, forms=["ascorbic acid"])], seals_text=SEAL)
    lbl.panel.bbox = (10, 40, 600, 200)
    lbl.panel.unread_lines = [Evidence("(print the OCR gave no words for)", (520, 60, 60, 20), 0.0)]
    found = statuses(lbl)
    assert found["threonate-named"] == "fail" and found["no-proprietary-blend"] == "pass"
    lbl.panel.unread_lines = [Evidence("(print the OCR gave no words for)", (40, 60, 300, 20), 0.0)]
    assert statuses(lbl)["threonate-named"] == statuses(lbl)["no-proprietary-blend"] == "unknown"


@pytest.mark.parametrize(("name", "status"), [("as = LThreonate", "unknown"), ("of L-Threonate", "unknown"),
                                              ("Calcium L-Threonate", "fail")])
def test_a_salts_second_half_after_a_connecting_word_still_leaves_the_name_unknown(name, status):
    assert finding(label([row(name, 1000)], seals_text=SEAL), "threonate-named").status == status


@pytest.mark.parametrize(("name", "forms", "status"), [
    ("x2esium", ["1,000 mg Magnesium L-threonate"], "unknown"),  # "Magnesium" broken: may be its own row
    ("Magnes1", [], "unknown"),
    ("Potassium", [], "fail"),                                    # another nutrient, whole
    ("Manganese", [], "fail"),
    ("Magnesiurn L-Threonate", [], "fail"),                      # the compound's own row: its weight alone
])
def test_a_row_whose_name_is_the_nutrient_broken_by_the_ocr_leaves_the_amount_unknown(name, forms, status):
    rows = [row(name, 74, forms=forms), row("Magnesium L-Threonate", 1000)]
    assert finding(label(rows, seals_text=SEAL), "elemental-magnesium-stated").status == status


@pytest.mark.parametrize(("name", "amount", "dv", "status"), [
    ("tAagnesium", 98, 23, "pass"),      # 98 mg is 23% of magnesium's 420 mg: the amount is magnesium's own
    ("Vzgnesium", 145, 35, "pass"),      # 34.5% printed as 35%
    ("tAagnesium", 98, 18, "unknown"),   # a %DV that does not fit: the broken word may be another nutrient
    ("tAagnesium", 98, None, "unknown"),
    ("tAagnesium", 900, 214, "unknown"), # fits 420 mg, but 2,000 mg of the compound cannot hold 900 mg
])
def test_a_broken_nutrient_name_passes_when_its_daily_value_fits_the_nutrient(name, amount, dv, status):
    rows = [row(name, amount, dv=dv, forms=["magnesium L-threonate"]), row("Magnesium L-Threonate", 2000)]
    outcome = finding(label(rows, seals_text=SEAL), "elemental-magnesium-stated")
    assert outcome.status == status, outcome.message
    if status == "pass":
        assert "broken by the OCR" in outcome.message and f"{dv}% Daily Value" in outcome.message


@pytest.mark.parametrize(("name", "forms", "dv", "named", "elemental"), [
    ("M jum", ["L-threonate"], 32, "unknown", "pass"),     # seed 23 lowres: 134 mg is 32% of 420 mg
    ("M jum", ["L-threonate"], None, "unknown", "fail"),   # no %DV to vouch for it: as before
    ("M jum", ["magnesium L-threonate"], 32, "pass", "pass"),
    ("Zinc", ["L-threonate"], 32, "fail", "fail"),          # another nutrient's row: its %DV is not magnesium's
    ("Magtein", ["magnesium L-threonate"], None, "pass", "fail"),
])
def test_a_row_whose_name_is_no_nutrient_but_whose_source_is_a_form_of_it(name, forms, dv, named, elemental):
    """"M jum (as — | L-threonate) 134 mg 32%": the name garbled past knowing, the source a form of magnesium. The
    name check cannot tell whether the label names the salt ('unknown'); the %DV fitting magnesium's reference
    shows the amount is magnesium's own. Had the rows been the compound's weight alone, both stay a fail."""
    rows = [row(name, 134, dv=dv, forms=forms), row("Zinc", 10, dv=91, forms=["zinc picolinate"])]
    got = statuses(label(rows, seals_text=SEAL))
    assert (got["threonate-named"], got["elemental-magnesium-stated"]) == (named, elemental)


@pytest.mark.parametrize(("name", "text", "elemental"), [
    ("Magnesium citrate)", "| Magnesium | citrate) 250 mg", "unknown"),  # seed 26 lowres: "(as magnesium" lost
    ("Magnesium citrate]", "Magnesium citrate] 250 mg", "unknown"),
    ("Magnesium Citrate", "Magnesium Citrate 250 mg", "fail"),            # the compound's weight alone: as before
    ("Zinc citrate)", "Zinc citrate) 250 mg", "fail"),                    # another nutrient's row
])
def test_a_row_that_closes_a_bracket_it_never_opened_is_no_proof_of_a_compound_weight(name, text, elemental):
    """A low-resolution photo of "Magnesium (as / magnesium / citrate) 250 mg 60%": the view with the most rows
    read "| Magnesium | citrate) 250 mg", which reads as magnesium citrate's weight, and the elemental check
    confidently failed. The ")" without its "(" shows part of the name was lost: the row may be magnesium's own."""
    rows = [row(name, 250, text=text), row("Zinc", 10, dv=91, forms=["zinc picolinate"])]
    got = finding(label(rows, seals_text=SEAL), "elemental-magnesium-stated")
    assert got.status == elemental, got.message


def test_a_table_line_listing_ingredients_without_amounts_leaves_no_blend_unknown():
    """"Ginkgo biloba leaf, L-Theanine": a blend's components, whose blend line the OCR garbled into no row.
    A line without a list, or with an amount, is not that."""
    from labelscan.model import Evidence

    lbl = label([row("Magnesium", 137, forms=["1,800 mg Magnesium L-Threonate"])], seals_text=SEAL)
    for text, status in [("Ginkgo biloba leaf, L-Theanine", "unknown"), ("Ginkgo biloba leaf", "pass"),
                         ("Ginkgo biloba leaf, L-Theanine 100 mg", "pass"), ("| —, - 7", "pass")]:
        lbl.panel.table_lines = [Evidence(text, (10, 60, 300, 20), 0.9), lbl.panel.rows[0].evidence]
        assert finding(lbl, "no-proprietary-blend").status == status, text


def test_a_heavy_rule_the_ocr_read_as_letters_is_no_list_of_components():
    """A panel's heavy rule read as "—CSsSCSC‘C;SCié«C," (thin, next to no confidence) leaves the blend check
    passing; the same letters as tall as the print, or read with confidence, are a garbled line that may be
    a blend's components."""
    from labelscan.model import Evidence

    rows = [row("Magnesium", 137, forms=["1,800 mg Magnesium L-Threonate"]), row("Zinc", 10), row("Taurine", 250)]
    for i, r in enumerate(rows):
        r.evidence = Evidence(r.text, (10, 10 + 30 * i, 300, 20), 0.95)
    lbl = label(rows, seals_text=SEAL)
    garbled = "—CSsSCSC‘C;SCié«C,"
    for height, confidence, status in [(8, 0.0, "pass"), (20, 0.0, "unknown"), (8, 0.9, "unknown")]:
        line = Evidence(garbled, (10, 100, 300, height), confidence)
        lbl.panel.table_lines = [r.evidence for r in rows] + [line]
        assert finding(lbl, "no-proprietary-blend").status == status, (height, confidence)


def test_a_name_wrapped_over_two_unparsed_table_lines_names_the_ingredient():
    """"Magnesium" / "L-Threonate 2,000" (the unit lost, so no row): the panel names magnesium L-threonate. A
    name line followed by another ingredient's line, or the two lines the other way round, do not."""
    from labelscan.model import Evidence

    lbl = label([row("Taurine", 250)], seals_text=SEAL, text="Brain Support")
    for first, second, status in [("Magnesium", "L-Threonate 2,000", "pass"), ("Magnesium", "Zinc 10", "unknown"),
                                  ("L-Threonate 2,000", "Magnesium", "unknown")]:
        lbl.panel.table_lines = [Evidence(first, (10, 60, 120, 20), 0.95), Evidence(second, (10, 85, 200, 20), 0.95),
                                 lbl.panel.rows[0].evidence]
        outcome = finding(lbl, "threonate-named")
        assert outcome.status == status, (first, second, outcome.message)


@pytest.mark.parametrize(("name", "amount", "dv", "status"), [
    ("Magnesium ii", 133, 32, "pass"),     # a speck read after the name; 133 mg is 32% of 420 mg: magnesium itself
    ("Magnesium ii", 133, None, "unknown"),  # no %DV to tell: it may be the magnesium row, or not
    ("Magnesium ii", 133, 45, "unknown"),    # a %DV that is not magnesium's
    ("Magnesium Glycinate", 133, 32, "fail"),  # a word, not a speck: a compound's weight
    ("Magnesium si.", 122, 29, "pass"),      # seed 14 sideways, read at 0.6: the %DV still vouches for it
])
def test_a_nutrient_row_with_a_speck_after_its_name_is_known_by_its_daily_value(name, amount, dv, status):
    """Seed 18 bottle: "Magnesium ii 133 mg 32%" was no magnesium row, and the amount check failed it with
    confidence though the panel states 133 mg of magnesium."""
    rows = [row(name, amount, dv=dv, confidence=0.6 if dv == 29 else 0.95), row("Magnesium L-Threonate", 1800)]
    assert finding(label(rows, seals_text=SEAL), "elemental-magnesium-stated").status == status


@pytest.mark.parametrize(("line", "status"), [
    ("Magnesium L-Threonate 1,000", "fail"),      # the compound's line, its unit lost: its number is no magnesium
    ("s E = Magnesium L-Threonate 1,000", "fail"),
    ("Magnesium eS 32%", "unknown"),               # the magnesium row garbled: it may state it
    ("Magnesium L-Threonate 2,000 (providing 144 magnesium)", "unknown"),  # names magnesium again, on its own
])
def test_a_lost_line_that_names_the_nutrient_only_as_a_compound_cannot_state_it(line, status):
    """Seed 18 low resolution: "Magnesium L-Threonate 1,000" (unit lost) did not become a row and left a
    label with no elemental magnesium `unknown`: every mention of magnesium in it is a salt's first word."""
    from labelscan.model import Evidence

    lbl = label([row("Vitamin D3", 25, "mcg", dv=125)], seals_text=SEAL)
    lbl.panel.table_lines = [Evidence(line, (10, 60, 300, 20), 0.9), lbl.panel.rows[0].evidence]
    assert finding(lbl, "elemental-magnesium-stated").status == status


def test_a_row_naming_the_nutrient_among_a_neighbours_words_passes_on_a_fitting_daily_value():
    """A low-resolution two-column panel: "Vegetarian Capsule | Elemental Magnesium 74mg 18%", the serving
    column's cell read into the row's name. 74 mg is 18% of 420 mg: the row states magnesium itself."""
    rows = [row("Vegetarian Capsule Elemental Magnesium", 74, dv=18), row("Magnesium L-Threonate", 1000)]
    assert finding(label(rows, seals_text=SEAL), "elemental-magnesium-stated").status == "pass"
    rows = [row("Vegetarian Capsule Elemental Magnesium", 74, dv=30), row("Magnesium L-Threonate", 1000)]
    assert finding(label(rows, seals_text=SEAL), "elemental-magnesium-stated").status == "unknown"


def test_a_line_naming_the_nutrient_taken_into_a_row_named_otherwise_makes_absence_unknown():
    """A low-resolution photo (seed 35): "Magnesium ........ 118 mg", its leaders read as noise, gave its amount
    to the line above ("Amount 118 mg", the header's first word as the name), and its own line, lying in that
    row's box, was no longer 'unparsed'. With only "Magnesium L-Threonate 1,500 mg" left, "no elemental
    magnesium" failed with confidence. A line naming magnesium inside a row that names none of it may be the
    lost row."""
    from labelscan.model import Evidence

    taken = row("Amount", 118)
    taken.evidence = Evidence("Amount 118 mg", (10, 60, 300, 44), 0.82)
    compound = row("Magnesium L-Threonate", 1500)
    compound.evidence = Evidence("Magnesium L-Threonate 1,500 mg", (10, 120, 300, 20), 0.9)
    lbl = label([taken, compound], seals_text=SEAL)
    lbl.panel.table_lines = [Evidence("Amount 118 mg", (10, 60, 300, 20), 0.82), compound.evidence]
    assert statuses(lbl)["elemental-magnesium-stated"] == "fail"
    lbl.panel.table_lines.insert(1, Evidence("Magnesium sseeeanen een ten SESS", (10, 82, 300, 20), 0.23))
    f = finding(lbl, "elemental-magnesium-stated")
    assert f.status == "unknown" and "Magnesium sseeeanen" in f.message, f.message
    taken.name, taken.evidence.text = "Magnesium", "Magnesium 118 mg"  # the row names it: nothing is lost
    assert statuses(lbl)["elemental-magnesium-stated"] == "pass"
