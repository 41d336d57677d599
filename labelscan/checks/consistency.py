"""Check kinds that test the panel's numbers against each other: compound ratio, %DV, daily dose, unwanted forms."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..model import Label, PanelRow
from ..parse.quantities import find_quantities
from .nutrients import DailyValue, mg, names_nutrient, nutrient_of, row_low_confidence, row_mentions
from .outcome import Outcome, panel_glare, panel_missing, panel_reliable, row_evidence, under_glare


class CompoundParams(BaseModel):
    """A nutrient, the compound that carries it and the nutrient's share of the compound's weight."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    nutrient: str
    compound: list[str] = Field(min_length=1)
    """Names of the compound (and its trade names) as printed."""
    fraction: tuple[float, float] = Field(alias="elemental-fraction")
    """(lowest, highest) share of the nutrient in commercial material, e.g. (0.072, 0.083)."""
    source: str = "the guide"

    @model_validator(mode="after")
    def _ordered(self) -> "CompoundParams":
        low, high = self.fraction
        if not 0 < low <= high <= 1:
            raise ValueError("elemental-fraction must be [lowest, highest] between 0 and 1")
        return self


def _compound_row(label: Label, params: CompoundParams) -> PanelRow | None:
    """The row that gives the compound's own weight ("Magnesium L-Threonate 2,000 mg"); else the weight the
    nutrient's row gives in its source ("Magnesium (from 2,000 mg Magnesium L-Threonate) 144 mg"), as a row."""
    for row in label.panel.rows:  # a compound has no Daily Value: a row with a %DV is the nutrient's, read short
        if not row.blend and row.dv_percent is None and not names_nutrient(row.name, params.nutrient) and row_mentions(
                PanelRow(row.name), params.compound):
            return row
    return _compound_in_source(label, params)


def _compound_in_source(label: Label, params: CompoundParams) -> PanelRow | None:
    """The compound's weight printed in the nutrient row's source ("from 2,000 mg Magnesium L-Threonate"), as a
    row of its own with the nutrient row's evidence; None unless a source holds one weight and then the name."""
    elemental = _elemental_row(label, params, strict=True)
    for source in elemental.forms if elemental is not None else []:
        found = find_quantities(source)
        if len(found) == 1 and row_mentions(PanelRow(source[found[0][2]:]), params.compound):
            quantity, _, end = found[0]
            return PanelRow(source[end:].strip(), quantity, evidence=elemental.evidence)  # type: ignore[union-attr]
    return None


def _elemental_row(label: Label, params: CompoundParams, strict: bool = False) -> PanelRow | None:
    """The row for the nutrient itself: one that names the compound as its source first, then one with no source
    (unless `strict`); never one whose only sources are other compounds."""
    rows = [r for r in label.panel.rows if not r.blend and names_nutrient(r.name, params.nutrient)]
    from_compound = [r for r in rows if r.forms and row_mentions(PanelRow("", forms=r.forms), params.compound)]
    if from_compound:
        return from_compound[0]
    plain = [r for r in rows if not r.forms]
    return None if strict or not plain else plain[0]


def _other_sources(row: PanelRow, params: CompoundParams) -> list[str]:
    return [f for f in row.forms if not row_mentions(PanelRow("", forms=[f]), params.compound)]


# ---------------------------------------------------------------- form-ratio


class FormRatioParams(CompoundParams):
    """Parameters of `form-ratio`."""

    tolerance: float = Field(default=0.02, ge=0, le=0.5)
    """Relative slack on the fraction for rounding of the printed amounts (plus half a unit)."""


def form_ratio(label: Label, params: FormRatioParams) -> Outcome:
    """Where both the elemental nutrient and the compound are printed, their ratio fits the compound."""
    if (missing := panel_missing(label)) is not None:
        return missing
    compound, elemental = _compound_row(label, params), _elemental_row(label, params)
    if compound is None or elemental is None:
        only = "neither is" if compound is None and elemental is None else "only one of them is"
        return Outcome("not-applicable", f"The check needs both the elemental {params.nutrient} and the "
                       f"{params.compound[0]} weight; {only} printed.")
    evidence = [row_evidence(elemental), row_evidence(compound)]
    c_mg = compound.quantity.to_mg() if compound.quantity else None
    e_mg = elemental.quantity.to_mg() if elemental.quantity else None
    if not c_mg or e_mg is None:
        return Outcome("unknown", f"The {params.nutrient} or {params.compound[0]} amount could not be read.", evidence)
    low, high = params.fraction
    ratio = e_mg / c_mg
    value = {"elemental_mg": round(e_mg, 3), "compound_mg": round(c_mg, 3), "ratio": round(ratio, 4)}
    slack = 0.5 * (1 if e_mg >= 1 else 0.001)
    fits_low = e_mg >= c_mg * low * (1 - params.tolerance) - slack
    fits_high = e_mg <= c_mg * high * (1 + params.tolerance) + slack
    span = f"{low:.1%}–{high:.1%}"
    if fits_low and fits_high:
        return Outcome("pass", f"{mg(e_mg)} mg of {params.nutrient} from {mg(c_mg)} mg of {params.compound[0]} is "
                       f"{ratio:.1%}, within the compound's {span} ({params.source}).", evidence, value)
    others = _other_sources(elemental, params)
    if not fits_high and others:
        return Outcome("pass", f"The {params.nutrient} row ({mg(e_mg)} mg, {ratio:.1%} of the {params.compound[0]}) "
                       f"also counts {params.nutrient} from {', '.join(others)}, so it may exceed what the "
                       f"compound alone holds.", evidence, value)
    if row_low_confidence(elemental) or row_low_confidence(compound):
        return Outcome("unknown", f"The amounts read give {ratio:.1%} {params.nutrient}, outside the compound's {span}, "
                       "but they were read with low confidence; check them by eye.", evidence, value)
    if not fits_high:
        return Outcome("fail", f"{mg(e_mg)} mg of {params.nutrient} is more than {mg(c_mg)} mg of "
                       f"{params.compound[0]} can hold: {ratio:.1%}, where {params.source} gives {span} "
                       f"(at most {mg(c_mg * high)} mg). The {params.nutrient} comes partly from another source "
                       "or one of the amounts is mislabelled.", evidence, value)
    return Outcome("fail", f"{mg(e_mg)} mg of {params.nutrient} is less than {mg(c_mg)} mg of {params.compound[0]} "
                   f"gives: {ratio:.1%}, where {params.source} gives {span} (at least {mg(c_mg * low)} mg). One of "
                   "the amounts is mislabelled or the compound is not what it says.", evidence, value)


# ---------------------------------------------------------------- dv-matches


class DvMatchesParams(BaseModel):
    """Parameters of `dv-matches`."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    daily_values: dict[str, DailyValue] = Field(alias="daily-values", min_length=1)
    tolerance: int = Field(default=1, ge=0, le=5)
    """Whole percent the printed %DV may differ from the computed one (rounding-rule differences)."""
    source: str = "21 CFR 101.36(b)(2)(iii)"


def _expected(row: PanelRow, dv: DailyValue) -> list[float] | None:
    if row.quantity is None:
        return None
    amount = dv.per_amount(row.quantity.amount, row.quantity.unit)
    return None if amount is None else [amount / a * 100 for a in dv.amounts]


def _dv_fits(printed: float, expected: float, text: str, tolerance: int) -> bool:
    if expected < 1 and (printed <= 1 or re.search(r"<\s*1\s*%|less than 1", text, re.IGNORECASE)):
        return True  # FDA: "Less than 1%" / "<1%"
    return abs(printed - round(expected)) <= tolerance


def dv_matches(label: Label, params: DvMatchesParams) -> Outcome:
    """The printed %DV of each nutrient in the table matches its amount against the Daily Value."""
    if (missing := panel_missing(label)) is not None:
        return missing
    rows = [(r, n) for r in label.panel.rows if (n := nutrient_of(r, params.daily_values)) and r.dv_percent is not None]
    if not rows:
        return Outcome("not-applicable", "No %Daily Value is printed for "
                       f"{' or '.join(params.daily_values)}, so there is nothing to compare.")
    bad: list[tuple[PanelRow, str, list[int | str]]] = []
    good: list[tuple[PanelRow, str, list[int | str]]] = []
    unread: list[PanelRow] = []
    for row, nutrient in rows:
        expected = _expected(row, params.daily_values[nutrient])
        printed = row.dv_percent
        if expected is None or printed is None:
            unread.append(row)
            continue
        shown: list[int | str] = [round(e) if e >= 1 else "<1" for e in expected]
        entry = (row, nutrient, shown)
        if any(_dv_fits(printed, e, row.text, params.tolerance) for e in expected):
            good.append(entry)
        elif row_low_confidence(row):
            unread.append(row)
        else:
            bad.append(entry)
    if bad:
        row, nutrient, shown = bad[0]
        dv = params.daily_values[nutrient]
        bases = " or ".join(f"{mg(a)} {dv.unit}" for a in dv.amounts)
        amount = f"{row.quantity.amount:g} {row.quantity.unit}" if row.quantity else ""
        return Outcome("fail", f"{nutrient.capitalize()} {amount} is printed as {row.dv_percent:g}% of "
                       f"the Daily Value, but against the Daily Value of {bases} it is "
                       f"{' or '.join(f'{s}%' for s in shown)} ({params.source}: %DV is the amount over the "
                       "Daily Value, to the nearest whole percent).",
                       [row_evidence(b[0]) for b in bad], {"printed": row.dv_percent, "expected": shown})
    if unread:
        return Outcome("unknown", "A %Daily Value is printed but the amount it belongs to could not be read reliably.",
                       [row_evidence(r) for r in unread])
    row, nutrient, shown = good[0]
    return Outcome("pass", f"The printed %DV fits the amount: {nutrient} {row.dv_percent:g}% "
                   f"(expected {' or '.join(f'{s}%' for s in shown)}).",
                   [row_evidence(g[0]) for g in good], {"printed": row.dv_percent, "expected": shown})


# ---------------------------------------------------------------- daily-amount-in-range


class DailyAmountParams(CompoundParams):
    """Parameters of `daily-amount-in-range`."""

    range_mg: tuple[float, float] = Field(alias="range-mg")
    """The daily amount of the compound the guide recommends, (lowest, highest) mg."""
    tolerance: float = Field(default=0.05, ge=0, le=0.5)


def _per_serving(label: Label, params: DailyAmountParams) -> tuple[tuple[float, float] | None, PanelRow | None]:
    """(lowest, highest) compound mg per serving, read or inferred from the elemental amount; and the row used."""
    compound = _compound_row(label, params)
    amount = compound.quantity.to_mg() if compound is not None and compound.quantity else None
    if amount:
        return (amount, amount), compound
    elemental = _elemental_row(label, params)
    if elemental is None:
        return None, compound
    e_mg = elemental.quantity.to_mg() if elemental.quantity else None
    low, high = params.fraction
    return ((e_mg / high, e_mg / low) if e_mg else None), elemental


def daily_amount_in_range(label: Label, params: DailyAmountParams) -> Outcome:
    """Servings a day (from the directions) × compound per serving, against the guide's daily range."""
    if (missing := panel_missing(label)) is not None:
        return missing
    panel = label.panel
    per_serving, row = _per_serving(label, params)
    name = params.compound[0]
    if row is None:
        return Outcome("unknown", f"Neither the {name} nor the elemental {params.nutrient} per serving is printed, "
                       "so the daily amount cannot be worked out.")
    evidence = [row_evidence(row)]
    if per_serving is None:
        return Outcome("unknown", f"The amount per serving could not be read: \"{row.text}\".", evidence)
    if panel.servings_per_day is None:
        if panel.directions is None:
            return Outcome("unknown", "No directions for use were found, so the daily amount cannot be worked out.",
                           evidence)
        return Outcome("unknown", "The directions could not be read as a number of servings a day: "
                       f"\"{panel.directions.text}\".", evidence + [panel.directions])
    if panel.directions is not None:
        evidence.append(panel.directions)
    spd = panel.servings_per_day
    least, most = per_serving[0] * spd, per_serving[1] * spd
    lo, hi = params.range_mg
    inferred = least != most
    value = {"daily_compound_mg": round(most), "servings_per_day": spd, "inferred": inferred}
    low_f, high_f = params.fraction
    how = (f"about {mg(most)} mg of {name} a day (worked out from the {params.nutrient}: {mg(least)} mg if the "
           f"compound is {high_f:.1%} {params.nutrient}, {mg(most)} mg if {low_f:.1%})" if inferred
           else f"{mg(most)} mg of {name} a day")
    serv = f"{spd:g} serving{'s a day give' if spd != 1 else ' a day gives'}"
    if inferred:
        value["daily_compound_mg_range"] = [round(least), round(most)]
    if most < lo * (1 - params.tolerance):
        return Outcome("fail", f"{serv} {how}: under the studied dose; {params.source} recommends "
                       f"{mg(lo)}–{mg(hi)} mg a day.", evidence, value)
    if least > hi * (1 + params.tolerance):
        return Outcome("fail", f"{serv} {how}: above the guide's dose of {mg(lo)}–{mg(hi)} mg a day "
                       f"({params.source}).", evidence, value)
    return Outcome("pass", f"{serv} {how}, within {mg(lo)}–{mg(hi)} mg ({params.source}).", evidence, value)


# ---------------------------------------------------------------- form-absent


class FormAbsentParams(BaseModel):
    """Parameters of `form-absent`."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    names: list[str] = Field(min_length=1)
    """The unwanted form as printed, e.g. "magnesium oxide"."""
    nutrient: str | None = None
    """A bare form on this nutrient's row ("Magnesium (as oxide)") is read as "<nutrient> <form>"."""
    other_ingredients: bool = Field(default=True, alias="other-ingredients")
    """Also look in the "Other ingredients" list."""
    reason: str = ""
    """Why the form is unwanted, in plain words, with its source."""


def _row_has_form(row: PanelRow, params: FormAbsentParams) -> bool:
    forms = list(row.forms)
    if params.nutrient and names_nutrient(row.name, params.nutrient):
        forms += [f if params.nutrient.lower() in f.lower() else f"{params.nutrient} {f}" for f in row.forms]
    return row_mentions(PanelRow(row.name, forms=forms, components=row.components), params.names, 88.0)


def form_absent(label: Label, params: FormAbsentParams) -> Outcome:
    """Fail when an unwanted form of a nutrient is among the product's ingredients."""
    if (missing := panel_missing(label)) is not None:
        return missing
    hits = [r for r in label.panel.rows if _row_has_form(r, params)]
    reason = f" {params.reason}" if params.reason else ""
    if hits:
        return Outcome("fail", f"The panel lists {params.names[0]}: \"{hits[0].text}\".{reason}",
                       [row_evidence(r) for r in hits])
    panel = label.panel
    if params.other_ingredients:
        items = [i for i in panel.other_ingredients if row_mentions(PanelRow(i), params.names, 88.0)]
        if items:
            ev = [panel.other_ingredients_evidence] if panel.other_ingredients_evidence else []
            return Outcome("fail", f"The other ingredients include {items[0]}.{reason}", ev)
    if glare := panel_glare(label):
        return under_glare(f"No {params.names[0]} was read among the product's ingredients", glare,
                           "the Supplement Facts panel")
    if panel_reliable(label):
        return Outcome("pass", f"No {params.names[0]} among the product's ingredients.",
                       [row_evidence(r) for r in panel.rows if r.quantity][:3])
    return Outcome("unknown", f"The panel was read with low confidence, so {params.names[0]} could have been missed.")
