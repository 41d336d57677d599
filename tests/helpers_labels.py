"""More builders for the check tests: whole Labels with panel fields set, and generated plain-text labels."""

from __future__ import annotations

import random

from labelscan.model import Evidence, Label, OcrPage, Panel, PanelRow

DISCLAIMER = ("*These statements have not been evaluated by the Food and Drug Administration.\n"
              "This product is not intended to diagnose, treat, cure, or prevent any disease.")


def ev(text: str, confidence: float = 0.95) -> Evidence:
    return Evidence(text, (10, 10, 100, 20), confidence)


def full_label(rows: list[PanelRow], *, front: str = "NeuroMag Magnesium L-Threonate\nDietary Supplement",
               title: str | None = "Supplement Facts", serving_size: str | None = "3 Capsules",
               servings_per_container: int | None = 30, servings_per_day: float | None = 1.0,
               directions: str | None = "Suggested use: Take 3 capsules daily.",
               other: list[str] | None = None, footnote: bool = True, found: bool = True,
               confidence: float = 0.92, back: str = "") -> Label:
    """A Label whose Panel fields are set by hand and whose pages carry the same text (for label-wide checks)."""
    other = ["hypromellose", "rice flour"] if other is None else other
    lines = [front, title or "", f"Serving Size {serving_size}" if serving_size else "",
             f"Servings Per Container {servings_per_container}" if servings_per_container else "",
             *[r.text for r in rows], "† Daily Value not established." if footnote else "",
             f"Other ingredients: {', '.join(other)}." if other else "", directions or "", back]
    page = OcrPage.from_text("\n".join(filter(None, lines)))
    page.words = [type(w)(w.text, w.bbox, confidence, w.block, w.line) for w in page.words]
    panel = Panel(found=found, title=ev(title) if title else None, serving_size=serving_size,
                  servings_per_container=servings_per_container, rows=rows, other_ingredients=list(other),
                  other_ingredients_evidence=ev("Other ingredients: " + ", ".join(other)) if other else None,
                  dagger_footnote=ev("† Daily Value not established.") if footnote else None,
                  servings_per_day=servings_per_day, directions=ev(directions) if directions else None,
                  confidence=confidence)
    return Label(pages=[page], panel=panel)


def text_label(text: str) -> Label:
    """A Label read from plain text by the real parser (as `labelscan scan label.txt` does)."""
    from labelscan.pipeline import parse_label

    return parse_label([OcrPage.from_text(text)])


def generated_threonate_text(seed: int, *, compound_mg: int = 2000, ratio: float = 0.078,
                             servings_per_day: int = 1, dv_basis: int = 420, dv_shift: int = 0,
                             layout: str | None = None, oxide: bool = False, claims: bool = True,
                             disclaimer: bool = True, title: str = "Supplement Facts") -> tuple[str, dict]:
    """A plain-text magnesium L-threonate label with its truth: a random layout, capsules per serving and
    wording of the directions, and the given amounts (plant a defect by passing a wrong one)."""
    rng = random.Random(seed)
    caps = rng.choice([2, 3, 4])
    elemental = round(compound_mg * ratio)
    dv = round(elemental / dv_basis * 100) + dv_shift
    layout = layout or rng.choice(["both", "providing", "elemental-only", "compound-first"])
    rows: list[str] = []
    if layout == "both":
        rows = [f"Magnesium (as magnesium L-threonate) {elemental} mg {dv}%",
                f"Magnesium L-Threonate (Magtein®) {compound_mg:,} mg †"]
    elif layout == "compound-first":
        rows = [f"Magnesium L-Threonate {compound_mg:,} mg †", f"Elemental Magnesium {elemental} mg {dv}%"]
    elif layout == "providing":
        rows = [f"Magnesium L-Threonate {compound_mg:,} mg †", f"(providing {elemental} mg elemental magnesium)"]
    else:
        rows = [f"Magnesium (as Magtein® magnesium L-threonate) {elemental} mg {dv}%"]
    if oxide:
        rows.insert(0, f"Magnesium (as magnesium oxide) {rng.choice([100, 150, 200])} mg {rng.choice([24, 36, 48])}%")
    rows.append(f"L-Theanine {rng.choice([100, 200])} mg †")
    per_day = caps * servings_per_day
    directions = rng.choice([
        f"Suggested use: Take {per_day} capsules daily.",
        f"Directions: Adults take {per_day} capsules daily with food.",
    ] + ([f"Suggested use: Take 1 capsule in the morning and {per_day - 1} capsules before bed."] if per_day > 1 else []))
    front = ["BrainMag Magnesium L-Threonate", "Dietary Supplement", "NSF", "CERTIFIED FOR SPORT"]
    if claims:
        front += ["Supports memory and focus*", "Promotes restful sleep*"]
    lines = [*front, f"{caps * 30} Vegetarian Capsules", title, f"Serving Size {caps} Capsules",
             "Servings Per Container 30", "Amount Per Serving % Daily Value", *rows, "† Daily Value not established.",
             "Other ingredients: hypromellose (capsule), microcrystalline cellulose.", directions]
    if disclaimer:
        lines.append(DISCLAIMER)
    truth = {"layout": layout, "elemental": elemental, "compound": compound_mg, "caps": caps, "dv": dv,
             "daily_compound": compound_mg * servings_per_day}
    return "\n".join(lines) + "\n", truth
