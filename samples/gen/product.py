"""Invented magnesium L-threonate products, one per outcome, and their ground truth.

A product is a plain dict (see `make_product`).  The four checks are computed from
what the product really prints (`truth`), never from the outcome's name, and
`make_product` asserts that they agree with what the outcome meant to plant.
"""

from __future__ import annotations

import math
import random
import re

# outcome name -> (planted defects, meaning)
COMPLIANT = ["compliant-as", "compliant-split", "compliant-providing", "compliant-magtein", "pass-facility-only"]
DEFECTS = [
    "fail-threonate-magtein", "fail-threonate-brain", "fail-threonate-glycinate",
    "fail-elemental-missing", "fail-elemental-impossible",
    "fail-blend-matrix", "fail-blend-proprietary",
    "fail-no-seal", "fail-self-claims-only",
    "fail-combo-blend-no-seal", "fail-combo-magtein-compound-only", "fail-combo-impossible-self-claims",
]
OUTCOMES = COMPLIANT + DEFECTS

THIRD_PARTY = ["usp-verified", "nsf-certified-for-sport", "nsf-contents-certified", "informed-sport",
               "informed-choice", "bscg-certified-drug-free", "consumerlab-approved", "labdoor-tested",
               "ul-certified"]
FACILITY = ["nsf-gmp-registered", "npa-gmp"]
SELF_CLAIMS = ["made-in-cgmp-facility", "gmp-quality", "third-party-tested", "fda-registered-facility",
               "meets-usp-standards"]

_SYL_A = ["vor", "lu", "zen", "ka", "mer", "ther", "no", "qui", "sol", "ve", "ra", "tal", "ori", "bel",
          "xan", "dru", "fen", "li", "mo", "sa", "pel", "cor", "vio", "nu", "tre", "ala", "gro", "wen"]
_SYL_B = ["via", "ris", "dor", "ne", "lix", "tra", "mon", "vey", "ria", "sto", "ly", "ven", "kin", "ta",
          "ro", "ble", "nix", "ga", "sel", "um"]
_BRAND_TAIL = ["", "", " Labs", " Naturals", " Nutrition", " Health", " Wellness", " Botanicals",
               " Essentials", " Science", " Apothecary", " Life"]

PRODUCT_NAMES = ["Magnesium L-Threonate", "Magnesium L-Threonate", "Mag Threonate Sleep",
                 "Magnesium L-Threonate Brain", "Cognitive Magnesium L-Threonate",
                 "Magnesium L-Threonate Complex", "Brain Magnesium"]
NO_THREONATE_NAMES = ["Brain Magnesium", "Neuro Magnesium", "Cognitive Magnesium", "Mind Mag",
                      "Magnesium for Focus"]
CLAIMS = ["Supports memory and cognitive function*", "Supports learning and focus*",
          "Promotes restful sleep*", "Supports healthy brain aging*", "Helps maintain calm and relaxation*",
          "Supports brain magnesium levels*", "Supports mental clarity*"]
DISCLAIMER = ("*These statements have not been evaluated by the Food and Drug Administration. "
              "This product is not intended to diagnose, treat, cure, or prevent any disease.")
UNITS = [("Capsule", "Capsules"), ("Veggie Capsule", "Veggie Capsules"), ("Vegetarian Capsule",
         "Vegetarian Capsules"), ("Tablet", "Tablets"), ("Softgel", "Softgels"), ("Scoop", "Scoops")]
EXTRAS = [  # name, amount, unit, %DV (None = †), printed amount text
    ("Vitamin D3 (as cholecalciferol)", 25, "mcg", 125, "25 mcg (1,000 IU)"),
    ("Vitamin B6 (as pyridoxal 5'-phosphate)", 2, "mg", 118, None),
    ("Zinc (as zinc bisglycinate chelate)", 10, "mg", 91, None),
    ("Vitamin C (as ascorbic acid)", 60, "mg", 67, None),
    ("L-Theanine", 200, "mg", None, None),
    ("Apigenin", 50, "mg", None, None),
    ("Taurine", 250, "mg", None, None),
    ("Glycine", 500, "mg", None, None),
]
OTHER_INGREDIENTS = [
    ["hypromellose (vegetable capsule)", "microcrystalline cellulose", "magnesium stearate"],
    ["hypromellose", "rice flour", "silicon dioxide"],
    ["gelatin (capsule)", "microcrystalline cellulose", "vegetable magnesium stearate", "silica"],
    ["pullulan (capsule)", "organic rice hulls"],
    ["microcrystalline cellulose", "croscarmellose sodium", "stearic acid", "hypromellose coating"],
    ["hypromellose", "L-leucine"],
]
BLENDS = ["Cognitive Matrix", "Neuro Focus Blend", "Brain Support Complex", "Calm Mind Formula",
          "Proprietary Blend"]
BLEND_OTHERS = ["L-Theanine", "Bacopa monnieri (leaf) extract", "Ginkgo biloba (leaf) extract",
                "Phosphatidylserine", "Lion's Mane (Hericium erinaceus) fruiting body",
                "Rhodiola rosea (root) extract", "Taurine", "Apigenin"]


def brand_name(rng: random.Random) -> str:
    word = rng.choice(_SYL_A) + rng.choice(_SYL_B)
    if rng.random() < 0.4:
        word += rng.choice(_SYL_B)
    return word.capitalize() + rng.choice(_BRAND_TAIL)


def fmt_mg(n: float) -> str:
    return f"{int(n):,}" if float(n).is_integer() else f"{n:g}"


def _row(name, amount=None, unit="mg", dv=None, sub=None, blend=False, components=None, amount_text=None):
    return {"name": name, "amount": amount, "unit": unit if amount is not None else None, "dv_percent": dv,
            "dagger": dv is None and amount is not None, "sub": sub or [], "blend": blend,
            "components": components or [], "amount_text": amount_text}


def make_product(outcome: str, rng: random.Random) -> dict:
    """Everything printed on one label, plus the facts behind it."""
    assert outcome in OUTCOMES, outcome
    o = outcome
    single, plural = rng.choice(UNITS)
    scoop = single == "Scoop"
    count = 1 if scoop else rng.choice([1, 2, 2, 3, 3, 3, 4])
    per_day = 2 if (count == 1 and not scoop and rng.random() < 0.6) else (2 if rng.random() < 0.1 else 1)
    if count == 1 and not scoop:
        compound = rng.choice([1000, 1000, 1050])
    else:
        compound = rng.choice([1000, 1200, 1334, 1500, 1600, 1800, 2000, 2000, 2000])
    while True:
        ratio = rng.uniform(0.0725, 0.0822)
        elemental = round(compound * ratio)
        if 0.072 <= elemental / compound <= 0.0825:
            break
    basis = 420 if rng.random() < 0.75 else 400
    dv = round(elemental / basis * 100)
    servings = rng.choice([s for s in (20, 30, 30, 45, 60, 60, 90) if s * count <= 240])
    container = servings * count
    if scoop:
        grams = rng.choice([2, 2.5, 3])
        serving_size = f"1 Scoop ({grams:g} g)"
        net_qty = f"{fmt_mg(round(grams * servings))} g ({round(grams * servings / 28.35, 2):g} oz)"
    else:
        serving_size = f"{count} {single if count == 1 else plural}"
        net_qty = f"{container} {plural}"

    unit_word = (single if count == 1 else plural).lower()
    if scoop:
        directions = rng.choice(["Mix 1 scoop in 8 oz of water daily.",
                                 "Suggested use: Mix 1 scoop with water or juice once daily, preferably in the evening."])
        if per_day == 2:
            directions = "Mix 1 scoop in 8 oz of water twice daily."
    elif per_day == 2:
        directions = f"Suggested use: Take {count} {unit_word} twice daily, with or without food."
    elif count >= 2 and rng.random() < 0.45:
        am = 1 if count <= 3 else 2
        pm = count - am
        pm_word = plural.lower() if pm > 1 else single.lower()
        directions = (f"Suggested use: Take {am} {single.lower() if am == 1 else plural.lower()} in the morning "
                      f"and {pm} {pm_word} 2 hours before bed.")
    else:
        directions = rng.choice([f"Suggested use: Take {count} {unit_word} daily, preferably with food.",
                                 f"Directions: As a dietary supplement, take {count} {unit_word} once daily.",
                                 f"Suggested use: Adults take {count} {unit_word} daily in the evening."])

    p = {"outcome": o, "brand": brand_name(rng), "serving_size": serving_size, "servings": servings,
         "servings_per_day": per_day, "net_qty": net_qty, "directions": directions, "dv_basis": basis,
         "compound_true": compound, "elemental_true": elemental, "identity": "Dietary Supplement",
         "defects": [], "front_compound": False, "scoop": scoop}

    threonate_fail = o.startswith("fail-threonate") or o == "fail-combo-magtein-compound-only"
    p["product_name"] = rng.choice(NO_THREONATE_NAMES if threonate_fail else PRODUCT_NAMES)
    if p["product_name"] == "Brain Magnesium" and not threonate_fail:
        p["subtitle"] = "Magnesium L-Threonate"
    else:
        p["subtitle"] = rng.choice(["with Magtein®", "Advanced Brain Formula", "Sleep & Focus Support",
                                    "Highly Bioavailable", "Cognitive Support", ""])
        if threonate_fail and p["subtitle"] == "with Magtein®" and o != "fail-threonate-magtein":
            p["subtitle"] = "Cognitive Support"
    p["claims"] = rng.sample(CLAIMS, rng.choice([2, 3, 3, 4]))
    p["has_disclaimer"] = rng.random() < 0.9

    rows: list[dict] = []
    elemental_ok = True
    mg_as = "magnesium L-threonate"
    if o in ("compliant-as", "pass-facility-only", "fail-no-seal", "fail-self-claims-only",
             "fail-blend-matrix", "fail-combo-blend-no-seal"):
        rows.append(_row(f"Magnesium (as {mg_as})", elemental, "mg", dv))
        if rng.random() < 0.4:
            p["front_compound"] = True
    elif o == "compliant-split":
        rows.append(_row(rng.choice(["Magnesium L-Threonate", "Magnesium L-Threonate (Magtein®)"]), compound, "mg"))
        rows.append(_row("Elemental Magnesium", elemental, "mg", dv))
    elif o == "compliant-providing":
        rows.append(_row("Magnesium L-Threonate", compound, "mg",
                         sub=[f"(providing {elemental} mg elemental magnesium)"]))
    elif o == "compliant-magtein":
        rows.append(_row("Magnesium (as Magtein® magnesium L-threonate)", elemental, "mg", dv))
    elif o == "fail-threonate-magtein":
        rows.append(_row("Magnesium (as Magtein®)", elemental, "mg", dv))
        p["defects"].append("threonate-not-named")
    elif o == "fail-threonate-brain":
        rows.append(_row(rng.choice(["Brain Magnesium", "Magnesium (as brain magnesium)"]), elemental, "mg", dv))
        p["defects"].append("threonate-not-named")
    elif o == "fail-threonate-glycinate":
        elemental = rng.choice([120, 150, 200, 240])
        dv = round(elemental / basis * 100)
        p["compound_true"] = None
        p["elemental_true"] = elemental
        rows.append(_row("Magnesium (as magnesium glycinate)", elemental, "mg", dv))
        p["defects"].append("threonate-not-named")
    elif o == "fail-elemental-missing":
        rows.append(_row(rng.choice(["Magnesium L-Threonate", "Magtein® Magnesium L-Threonate"]), compound, "mg"))
        elemental_ok = False
        p["defects"].append("elemental-not-stated")
    elif o in ("fail-elemental-impossible", "fail-combo-impossible-self-claims"):
        shown_dv = round(compound / basis * 100) if rng.random() < 0.6 else None
        rows.append(_row(f"Magnesium (as {mg_as})", compound, "mg", shown_dv))
        elemental_ok = False
        p["defects"].append("elemental-impossible")
    elif o == "fail-blend-proprietary":
        others = rng.sample(BLEND_OTHERS, 3)
        name = rng.choice(BLENDS)
        total = compound + rng.choice([300, 450, 500, 600])
        comps = ["Magnesium L-threonate"] + others
        inline = rng.random() < 0.5
        rows.append(_row(name, total, "mg", blend=True, components=comps,
                         sub=[("(" + ", ".join(comps) + ")") if inline else ", ".join(comps)]))
        elemental_ok = False
        p["defects"] += ["proprietary-blend", "elemental-not-stated"]
    elif o == "fail-combo-magtein-compound-only":
        rows.append(_row("Magtein® (magnesium threonate)" if rng.random() < 0.3 else "Magtein®", compound, "mg"))
        elemental_ok = False
        p["defects"] += ["threonate-not-named", "elemental-not-stated"]
    if o in ("fail-blend-matrix", "fail-combo-blend-no-seal"):
        comps = rng.sample(BLEND_OTHERS, 3)
        name = rng.choice(BLENDS[:-1])
        total = rng.choice([350, 500, 650, 800])
        rows.append(_row(name, total, "mg", blend=True, components=comps, sub=[", ".join(comps)]))
        p["defects"].append("proprietary-blend")
    if p["front_compound"] and threonate_fail:
        p["front_compound"] = False

    # extra rows (never a second blend)
    used = {c for r in rows for c in r["components"]}
    for name, amt, unit, xdv, text in rng.sample(EXTRAS, rng.choice([0, 0, 1, 1, 2, 3])):
        if name in used:
            continue
        rows.append(_row(name, amt, unit, xdv, amount_text=text))
    # vitamins/minerals first (FDA order), then † ingredients; keep the magnesium rows on top
    head = [r for r in rows if "agnes" in r["name"] or "Magtein" in r["name"]]
    tail = [r for r in rows if r not in head]
    tail.sort(key=lambda r: (r["dv_percent"] is None, 0))
    p["rows"] = head + tail
    p["other_ingredients"] = [] if scoop and rng.random() < 0.5 else rng.choice(OTHER_INGREDIENTS)
    if scoop and not p["other_ingredients"]:
        p["other_ingredients"] = ["natural lemon flavor", "citric acid", "stevia leaf extract"]

    # seals and self-claims
    seals: list[str] = []
    claims: list[str] = []
    if o == "pass-facility-only":
        seals = [rng.choice(FACILITY)]
        if rng.random() < 0.5:
            claims = rng.sample(SELF_CLAIMS, 1)
    elif o in ("fail-no-seal", "fail-combo-blend-no-seal"):
        p["defects"].append("no-seal")
    elif o in ("fail-self-claims-only", "fail-combo-impossible-self-claims"):
        claims = rng.sample(SELF_CLAIMS, rng.choice([1, 2, 2, 3]))
        p["defects"].append("self-claims-only")
    else:
        seals = rng.sample(THIRD_PARTY, rng.choice([1, 1, 1, 2]))
        if rng.random() < 0.25:
            seals.append(rng.choice(FACILITY))
        if rng.random() < 0.35:
            claims = rng.sample(SELF_CLAIMS, 1)
    p["seals"], p["self_claims"] = seals, claims
    p["elemental_ok"] = elemental_ok
    p["truth"] = truth(p)
    _assert_consistent(p)
    return p


def panel_text(p: dict) -> str:
    return "\n".join([r["name"] + " " + " ".join(r["sub"]) for r in p["rows"]])


def label_words(p: dict) -> str:
    return " ".join([p["product_name"], p["subtitle"], panel_text(p)])


def truth(p: dict) -> dict:
    """The `checks`/`expected` ground truth, computed from what the label prints."""
    text = re.sub(r"[®™]", "", panel_text(p)).lower()
    threonate = "magnesium l-threonate" in text
    elemental_row = None
    for r in p["rows"]:
        n = r["name"].lower()
        if r["blend"] or r["amount"] is None:
            continue
        if n.startswith("magnesium (as") or n == "elemental magnesium" or n == "brain magnesium":
            elemental_row = r
    providing = next((m for r in p["rows"] for s in r["sub"]
                      for m in [re.search(r"providing (\d+) mg elemental", s)] if m), None)
    elemental_mg = None
    if elemental_row is not None:
        elemental_mg = elemental_row["amount"]
    elif providing:
        elemental_mg = int(providing.group(1))
    compound = p["compound_true"]
    plausible = elemental_mg is not None and (compound is None or elemental_mg <= 0.083 * compound)
    blend = any(r["blend"] for r in p["rows"])
    kinds = {"third-party" if s in THIRD_PARTY else "facility" for s in p["seals"]}
    checks = {
        "threonate-named": "pass" if threonate else "fail",
        "elemental-magnesium-stated": "pass" if plausible else "fail",
        "no-proprietary-blend": "fail" if blend else "pass",
        "third-party-seal": "pass" if kinds else "fail",
    }
    verdict = "fail" if "fail" in checks.values() else "pass"
    printed_compound = None
    for r in p["rows"]:
        if not r["blend"] and r["amount"] and ("threonate" in r["name"].lower() or "magtein" in r["name"].lower()) \
                and not r["name"].lower().startswith("magnesium (as"):
            printed_compound = r["amount"]
    if printed_compound is None and p["front_compound"]:
        printed_compound = p["compound_true"]
    dv = elemental_row["dv_percent"] if (plausible and elemental_row is not None) else None
    return {
        "verdict": verdict,
        "checks": checks,
        "expected": {
            "elemental_mg": elemental_mg if plausible else None,
            "compound_mg": printed_compound,
            "serving_size": p["serving_size"],
            "servings_per_container": p["servings"],
            "servings_per_day": p["servings_per_day"],
            "dv_percent": dv,
            "dv_basis": p["dv_basis"],
            "seals": [{"program": s, "kind": "third-party" if s in THIRD_PARTY else "facility"} for s in p["seals"]],
            "self_claims": list(p["self_claims"]),
            "blend": blend,
            "rows": [{"name": r["name"], "amount": r["amount"], "unit": r["unit"], "dv_percent": r["dv_percent"],
                      "dagger": r["dagger"], "blend": r["blend"], "components": r["components"]}
                     for r in p["rows"]],
            "other_ingredients": list(p["other_ingredients"]),
            "has_disclaimer": p["has_disclaimer"],
            "claims": list(p["claims"]),
            "identity_statement": p["identity"],
            "directions": p["directions"],
            "brand": p["brand"],
            "product_name": p["product_name"],
            "net_quantity": p["net_qty"],
            "defects": list(p["defects"]),
        },
    }


_PLANTED = {
    "threonate-not-named": "threonate-named", "elemental-not-stated": "elemental-magnesium-stated",
    "elemental-impossible": "elemental-magnesium-stated", "proprietary-blend": "no-proprietary-blend",
    "no-seal": "third-party-seal", "self-claims-only": "third-party-seal",
}


def _assert_consistent(p: dict) -> None:
    want_fail = {_PLANTED[d] for d in p["defects"]}
    got_fail = {k for k, v in p["truth"]["checks"].items() if v == "fail"}
    assert want_fail == got_fail, (p["outcome"], want_fail, got_fail)
    if p["outcome"].startswith("fail-threonate") or "magtein-compound" in p["outcome"]:
        assert "threonate" not in (p["product_name"] + p["subtitle"]).lower()
